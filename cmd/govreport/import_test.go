package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// canonical decodes JSON for a comparison that ignores key order and
// spacing (jq -S), numbers kept as written.
func canonical(t *testing.T, data []byte) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(string(data)))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	return v
}

// TestImportGolden imports the golden DOCX and finds its report JSON.
func TestImportGolden(t *testing.T) {
	var files []string
	for _, ext := range []string{"*.pdf", "*.docx"} {
		m, err := filepath.Glob(filepath.Join("../../testdata/golden", ext))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 2 {
		t.Fatalf("%d PDF and DOCX goldens, want at least 2", len(files))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			out, errOut, code := runCLI(t, "import", file)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			want, err := os.ReadFile(strings.TrimSuffix(file, filepath.Ext(file)) + ".json")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(canonical(t, []byte(out)), canonical(t, want)) {
				t.Errorf("import of %s differs from its JSON:\n%s", file, out)
			}
		})
	}
}

func TestImport(t *testing.T) {
	dir := t.TempDir()
	portal := "../../importer/testdata/portal-2021-gb2312.html"
	docx := "../../testdata/golden/yongxing-2024.docx"
	outFile := filepath.Join(dir, "out.json")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string // substrings
		stderr []string
	}{
		{"ok to a file", []string{"import", docx, "-o", outFile}, 0, nil, []string{"gov-info-disclosure/2021, 0 problems →"}},
		{"existing file kept", []string{"import", docx, "-o", outFile}, 2, nil, []string{"exists; use --force"}},
		{"--force", []string{"import", "--force", docx, "-o", outFile}, 0, nil, nil},
		{"problems with where", []string{"import", portal}, 1, []string{`"format": "gov-info-disclosure/2021"`},
			[]string{"/reviews_and_litigation/administrative_review/upheld: cell_text: 单元格“3件”不是数字", "— 表四（文档第3个表格）第4行 × “结果维持”（第1列）",
				"warning: /applications/outcomes/withheld/prohibited_by_law: label_mismatch:"}},
		{"--json", []string{"import", "--json", portal}, 1, []string{`"valid": false`, `"severity": "error"`, `"where": "表四（文档第3个表格）第4行 × “结果维持”（第1列）"`, `"report": {`}, nil},
		{"--format 2019", []string{"import", "--format", "gov-info-disclosure/2019", docx}, 0, []string{`"format": "gov-info-disclosure/2019"`}, []string{"table_format"}},
		{"unknown format", []string{"import", "--format", "x/1", docx}, 2, nil, []string{"unknown format"}},
		{"no file", []string{"import"}, 2, nil, []string{"name one published report"}},
		{"missing file", []string{"import", "no-such.docx"}, 2, nil, []string{"no-such.docx"}},
		{"not a report", []string{"import", "import.go"}, 1, nil, []string{"unknown source kind"}},
		{"output is the input", []string{"import", docx, "-o", docx}, 2, nil, []string{"is the input"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\nstdout: %.2000s\nstderr: %.2000s", code, tt.code, out, errOut)
			}
			for _, s := range tt.stdout {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%.3000s", s, out)
				}
			}
			for _, s := range tt.stderr {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errOut)
				}
			}
		})
	}
	if _, _, code := runCLI(t, "check", outFile); code != 0 {
		t.Errorf("check of the imported report: exit %d", code)
	}
}

// TestImportStdin reads the file from standard input, its kind from its
// bytes.
func TestImportStdin(t *testing.T) {
	out, errOut, code := runCLIStdin(t, readFile(t, "../../importer/testdata/word-python-docx.docx"), "import", "-")
	if code != 0 || !strings.Contains(out, `"agency": "某市生态环境局"`) {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "label_mismatch") {
		t.Errorf("no label warning on stderr:\n%s", errOut)
	}
}
