package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/govreport/govreport/internal/pdfcheck"
)

// TestInitCheckRender: a skeleton of each format passes check and renders
// to PDF, with the format's own labels, and to DOCX, whose tables
// python-docx reads with the format's grids (表三 10 × 26 in 2019, 10 × 28
// in 2021).
func TestInitCheckRender(t *testing.T) {
	pdfcheck.Need(t, "pdftotext")
	dir := t.TempDir()
	tests := []struct {
		format string
		year   string
		labels []string
		tables string
	}{
		{"gov-info-disclosure/2019", "2020", []string{"本年新制作数量", "对外公开总数量", "其他对外管理服务事项", "本年增/减", "政府集中采购", "采购总金额",
			"五、政府信息公开工作存在的主要问题及改进情况"}, "[[5, 18], [10, 26], [15, 4]]"},
		{"gov-info-disclosure/2021", "2024", []string{"本年制发件数", "现行有效件数", "本年收费金额（单位：万元）", "五、存在的主要问题及改进情况"},
			"[[4, 14], [10, 28], [15, 4]]"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			name := filepath.Join(dir, strings.ReplaceAll(tt.format, "/", "-")+".json")
			if _, errOut, code := runCLI(t, "init", "--format", tt.format, "--agency", "清河县自然资源局", "--year", tt.year, "-o", name); code != 0 {
				t.Fatalf("init: exit %d: %s", code, errOut)
			}
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			if doc["format"] != tt.format || doc["agency"] != "清河县自然资源局" || fmt.Sprint(doc["year"]) != tt.year {
				t.Errorf("skeleton head: %v %v %v", doc["format"], doc["agency"], doc["year"])
			}
			// The skeleton's placeholders: each a problem for check and
			// render; a draft with --draft, marked 草稿.
			out, errOut, code := runCLI(t, "check", name)
			if code != 1 || strings.Count(out, ": placeholder: ") != strings.Count(string(data), "（请") || strings.Count(out, "\n") != strings.Count(out, ": placeholder: ") {
				t.Fatalf("check of the skeleton: exit %d, want 1 and its placeholders: %s%s", code, out, errOut)
			}
			if out, errOut, code := runCLI(t, "check", "--draft", name); code != 0 || !strings.Contains(out, ": ok") {
				t.Fatalf("check --draft: exit %d: %s%s", code, out, errOut)
			}
			pdf, docx := strings.TrimSuffix(name, ".json")+".pdf", strings.TrimSuffix(name, ".json")+".docx"
			if _, _, code := runCLI(t, "render", name, "-o", pdf); code != 1 {
				t.Fatalf("render of the skeleton: exit %d, want 1", code)
			}
			if _, err := os.Stat(pdf); err == nil {
				t.Fatal("a refused render left a PDF")
			}
			if _, errOut, code := runCLI(t, "render", "--draft", name, "-o", pdf); code != 0 {
				t.Fatalf("render --draft: exit %d: %s", code, errOut)
			}
			if text := pdfcheck.Tool(t, "pdftotext", pdf, "-"); !strings.Contains(text, "草稿") || !strings.Contains(text, "（请填写") {
				t.Errorf("the draft PDF lacks its mark or its placeholders:\n%.300s", text)
			}
			// The clerk writes the texts: check passes, the PDF has no mark.
			filled := regexp.MustCompile(`（请(填写|补充)[^"]*）`).ReplaceAll(data, []byte("本年度无相关情况。"))
			if err := os.WriteFile(name, filled, 0o644); err != nil {
				t.Fatal(err)
			}
			if out, errOut, code := runCLI(t, "check", name); code != 0 || !strings.Contains(out, ": ok") {
				t.Fatalf("check of the filled report: exit %d: %s%s", code, out, errOut)
			}
			for _, o := range []string{pdf, docx} {
				if _, errOut, code := runCLI(t, "render", name, "-o", o); code != 0 {
					t.Fatalf("render %s: exit %d: %s", o, code, errOut)
				}
			}
			text := pdfcheck.Squash(pdfcheck.Tool(t, "pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"))
			if strings.Contains(text, "草稿") {
				t.Error("the finished report's PDF is marked 草稿")
			}
			for _, l := range tt.labels {
				if !strings.Contains(text, pdfcheck.Squash(l)) {
					t.Errorf("the PDF lacks %q", l)
				}
			}
			pyOut, err := testCommand(t, toolTimeout, "/usr/bin/python3", "-c",
				"import docx,sys,json; d=docx.Document(sys.argv[1]); print(json.dumps([[len(t.columns), len(t.rows)] for t in d.tables]))", docx).CombinedOutput()
			if err != nil {
				t.Fatalf("python-docx: %v: %s", err, pyOut)
			}
			if got := strings.TrimSpace(string(pyOut)); got != tt.tables {
				t.Errorf("python-docx reads tables %s, want %s", got, tt.tables)
			}
		})
	}
}

// TestInitNeverOverwrites: an existing file is kept unless --force.
func TestInitNeverOverwrites(t *testing.T) {
	name := filepath.Join(t.TempDir(), "r.json")
	if err := os.WriteFile(name, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, "init", "-o", name)
	if code != 1 || !strings.Contains(errOut, "--force") {
		t.Errorf("exit %d, %q; want 1 and a hint at --force", code, errOut)
	}
	if b, _ := os.ReadFile(name); string(b) != "mine" {
		t.Fatalf("the file was overwritten: %.40q", b)
	}
	if _, errOut, code := runCLI(t, "init", "-o", name, "--force"); code != 0 {
		t.Fatalf("--force: exit %d: %s", code, errOut)
	}
	if b, _ := os.ReadFile(name); !strings.HasPrefix(string(b), "{") {
		t.Errorf("--force did not write the skeleton: %.40q", b)
	}
	entries, _ := os.ReadDir(filepath.Dir(name))
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestInitUsage(t *testing.T) {
	out, _, code := runCLI(t, "init")
	if code != 0 || !strings.Contains(out, `"format": "gov-info-disclosure/2021"`) {
		t.Errorf("init to standard output: exit %d, %.80q", code, out)
	}
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"init", "--format", "gov-info-disclosure/2016"}, 2, "formats: gov-info-disclosure/2019, gov-info-disclosure/2021"},
		{[]string{"init", "--format", "gov-info-disclosure/2019", "--year", "2017"}, 2, "/year: range"},
		{[]string{"init", "extra"}, 2, "no arguments"},
		{[]string{"init", "-h"}, 0, ""},
	}
	for _, tt := range tests {
		_, errOut, code := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tt.args, code, errOut, tt.code, tt.want)
		}
	}
}

// TestSchemaBothFormats: schema --list names both formats, schema ID prints
// each one's schema, and no argument prints the latest.
func TestSchemaBothFormats(t *testing.T) {
	out, _, code := runCLI(t, "schema", "--list")
	if code != 0 || !strings.Contains(out, "gov-info-disclosure/2019\t2019–2020\t") || !strings.Contains(out, "gov-info-disclosure/2021\t2021–\t") {
		t.Errorf("schema --list: exit %d: %s", code, out)
	}
	for _, tt := range []struct{ args, id string }{
		{"", "gov-info-disclosure/2021"},
		{"gov-info-disclosure/2021", "gov-info-disclosure/2021"},
		{"gov-info-disclosure/2019", "gov-info-disclosure/2019"},
	} {
		args := []string{"schema"}
		if tt.args != "" {
			args = append(args, tt.args)
		}
		out, errOut, code := runCLI(t, args...)
		var s struct {
			ID         string `json:"$id"`
			Properties struct {
				Format struct {
					Const string `json:"const"`
				} `json:"format"`
			} `json:"properties"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &s) != nil || s.ID != "urn:govreport:schema:"+tt.id || s.Properties.Format.Const != tt.id {
			t.Errorf("schema %s: exit %d, $id %q, format %q: %s", tt.args, code, s.ID, s.Properties.Format.Const, errOut)
		}
	}
}

// failingWriter fails every write, like standard output on a full disk.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestStdoutWriteError: init and schema, whose standard output is the
// file, exit 1 and say why when it cannot be written, instead of exiting
// 0 with a truncated skeleton or schema.
func TestStdoutWriteError(t *testing.T) {
	for _, args := range [][]string{{"init"}, {"schema"}} {
		var e bytes.Buffer
		if code := run(args, strings.NewReader(""), failingWriter{}, &e); code != 1 || !strings.Contains(e.String(), "no space left") {
			t.Errorf("govreport %s to a failing standard output: exit %d, stderr %q", args[0], code, e.String())
		}
	}
}

// TestInitStaleYear: a skeleton for a year after its format's years is
// written, with the stale_format warning check would give, told at once.
func TestInitStaleYear(t *testing.T) {
	out, errOut, code := runCLI(t, "init", "--format", "gov-info-disclosure/2019", "--year", "2022")
	if code != 0 || !strings.Contains(out, `"year": 2022`) || !strings.Contains(errOut, "warning: /year: stale_format") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if _, errOut, _ := runCLI(t, "init", "--format", "gov-info-disclosure/2019", "--year", "2020"); errOut != "" {
		t.Errorf("a year within the format's: stderr %q", errOut)
	}
}
