package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRenderCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "seed.pdf")
	_, errOut, code := runCLI(t, "render", "../../testdata/reports/yongxing-2024.json", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("no PDF written: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("stray files beside the output: %v", entries)
	}

	stdout, _, code := runCLI(t, "render", "--format", "pdf", "-o", "-", "../../testdata/reports/yongxing-2024.json")
	if code != 0 || stdout != string(data) {
		t.Errorf("-o - wrote %d bytes (exit %d), want the same %d bytes as the file", len(stdout), code, len(data))
	}

	stdout, _, code = runCLI(t, "render", "../../testdata/reports/yongxing-2024.json", "-o", "-", "--format", "layout")
	if code != 0 || !strings.HasPrefix(stdout, `{`) || !strings.Contains(stdout, `"box": "title"`) {
		t.Errorf("layout dump: exit %d, %.80q", code, stdout)
	}
}

func TestRenderErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"invalid report", []string{"render", "../../testdata/reports/invalid-negative-count.json", "-o", filepath.Join(dir, "x.pdf")}, 1, "/applications/carried_over/other_org"},
		{"unknown extension", []string{"render", "../../testdata/reports/yongxing-2024.json", "-o", filepath.Join(dir, "x.txt")}, 2, "cannot tell the format"},
		{"unknown format", []string{"render", "../../testdata/reports/yongxing-2024.json", "--format", "odt"}, 2, "unknown format"},
		{"missing file", []string{"render", filepath.Join(dir, "none.json")}, 2, "no such file"},
		{"bad font dir", []string{"render", "../../testdata/reports/yongxing-2024.json", "--font-dir", filepath.Join(dir, "nofonts")}, 2, "nofonts"},
		{"two files", []string{"render", "a.json", "b.json"}, 2, "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.msg) {
				t.Fatalf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, tt.code, tt.msg)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed render left files: %v", entries)
	}
}

func TestFontsCommand(t *testing.T) {
	out, _, code := runCLI(t, "fonts", "../../testdata/reports/yongxing-2024.json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"FandolFang-Regular", "GovReportKai-Regular", "NotoSerifCJKsc-Regular", "SIL OFL 1.1",
		"body-2  cwTeXFangSong", "GPL-2.0-or-later with font exception",
		// The seed's traditional characters FandolFang lacks are 仿宋 all the same.
		"body: 488 in FandolFang-Regular, 10 in cwTeXFangSong, 0 fall back\n  10 set by cwTeXFangSong (body-2): 為眾產戶線強內別夠決\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("fonts output lacks %q:\n%s", want, out)
		}
	}
	out, _, code = runCLI(t, "fonts", "../../testdata/reports/long-county-2022.json")
	if code != 0 || !strings.Contains(out, "body: 949 in FandolFang-Regular, 38 in cwTeXFangSong, 0 fall back\n") {
		t.Errorf("exit %d; long-county-2022 body characters fall back:\n%s", code, out)
	}
}

func TestRenderDOCXFontNames(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		report, flag, want string
		embeds             bool
	}{
		{"yongxing-2024", "", `w:name="仿宋"`, false}, // traditional: the GBK faces
		{"xinhe-district-2023", "official", `w:name="仿宋_GB2312"`, false},
		{"yongxing-2024", "embed", `+FandolFang"`, true},
	} {
		out := filepath.Join(dir, "r.docx")
		args := []string{"render", "../../testdata/reports/" + tt.report + ".json", "-o", out}
		if tt.flag != "" {
			args = append(args, "--docx-fonts", tt.flag)
		}
		if _, errOut, code := runCLI(t, args...); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		zr, err := zip.OpenReader(out)
		if err != nil {
			t.Fatal(err)
		}
		var table []byte
		embeds := false
		for _, f := range zr.File {
			if f.Name == "word/fontTable.xml" {
				rc, _ := f.Open()
				table, _ = io.ReadAll(rc)
				rc.Close()
			}
			embeds = embeds || strings.HasSuffix(f.Name, ".odttf")
		}
		zr.Close()
		if !bytes.Contains(table, []byte(tt.want)) || embeds != tt.embeds {
			t.Errorf("%s --docx-fonts=%q: font table lacks %s, or embeds %v", tt.report, tt.flag, tt.want, embeds)
		}
	}
	if _, errOut, code := runCLI(t, "render", "../../testdata/reports/yongxing-2024.json", "-o", filepath.Join(dir, "x.docx"), "--docx-fonts", "names"); code != 2 || !strings.Contains(errOut, "official or embed") {
		t.Errorf("--docx-fonts names: exit %d, %q", code, errOut)
	}
}

// TestRenderOFD: -o x.ofd and --format ofd write the same OFD package, and
// batch --format ofd writes one beside each PDF.
func TestRenderOFD(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "y.ofd")
	if _, stderr, code := runCLI(t, "render", "../../testdata/reports/yongxing-2024.json", "-o", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	pages := 0
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/Content.xml") {
			pages++
		}
	}
	if zr.File[len(zr.File)-1].Name != "OFD.xml" || pages != 7 {
		t.Errorf("%d pages, last part %s; want 7 and OFD.xml", pages, zr.File[len(zr.File)-1].Name)
	}
	stdout, _, code := runCLI(t, "render", "--format", "ofd", "-o", "-", "../../testdata/reports/yongxing-2024.json")
	if code != 0 || stdout != string(data) {
		t.Errorf("--format ofd -o - wrote %d bytes (exit %d), want the same %d bytes as the file", len(stdout), code, len(data))
	}

	in, bout := t.TempDir(), t.TempDir()
	seed, _ := os.ReadFile("../../testdata/reports/yongxing-2024.json")
	os.WriteFile(filepath.Join(in, "a.json"), seed, 0o644)
	if stdout, stderr, code := runCLI(t, "batch", "-o", bout, "--format", "pdf,ofd", in); code != 0 {
		t.Fatalf("batch: exit %d: %s %s", code, stdout, stderr)
	}
	got, err := os.ReadFile(filepath.Join(bout, "a.ofd"))
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("batch's a.ofd (%v) differs from render's", err)
	}
	if _, err := os.Stat(filepath.Join(bout, "a.pdf")); err != nil {
		t.Error(err)
	}
}
