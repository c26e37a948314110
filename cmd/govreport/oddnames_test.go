package main

// End-to-end tests of issue 20 (hardening, second round): file names with a newline, control characters or bytes that are not UTF-8 in text output.

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOddFileNames: a name with a newline, a tab, an escape or bytes that
// are not UTF-8 keeps batch's progress and summary one line per file (the
// name quoted), and the JSON summary valid UTF-8.
func TestOddFileNames(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	names := []string{"a\nb.json", "c\td.json", "e\x1b[31mf.json", "g\xffh.json", "plain 报告.json"}
	for _, n := range names {
		writeSeed(t, filepath.Join(in, n))
	}
	bad := readFile(t, "../../testdata/reports/invalid-negative-count.json")
	os.WriteFile(filepath.Join(in, "x\ny.json"), bad, 0o644)
	stdout, stderr, code := runBin(t, dir, false, "batch", "-j", "1", "-o", "out", "--summary", "s.json", "in")
	if code != 1 || !strings.Contains(stdout, "done 5, failed 1") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	progress := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if len(progress) != 6 {
		t.Errorf("%d progress lines for 6 files:\n%s", len(progress), stderr)
	}
	for _, l := range progress {
		if !strings.HasPrefix(l, "[") || !utf8.ValidString(l) || strings.ContainsAny(l, "\t\x1b") {
			t.Errorf("progress line %q", l)
		}
	}
	for _, want := range []string{
		`] "in/a\nb.json": 7 pages → "out/a\nb.pdf"`,
		`] "in/g\xffh.json": 7 pages → "out/g\xffh.pdf"`,
		`] "in/e\x1b[31mf.json": `,
		`] in/plain 报告.json: 7 pages → out/plain 报告.pdf`,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("progress lacks %s:\n%s", want, stderr)
		}
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], `failed: "in/x\ny.json": /applications/`) {
		t.Errorf("summary:\n%s", stdout)
	}
	sum := readFile(t, filepath.Join(dir, "s.json"))
	var s batchSummary
	if !utf8.Valid(sum) || json.Unmarshal(sum, &s) != nil || len(s.Files) != 6 {
		t.Errorf("JSON summary not valid UTF-8 JSON of 6 files:\n%s", sum)
	}
	if !bytes.Contains(sum, []byte(`"input": "in/a\nb.json"`)) {
		t.Errorf("the JSON summary does not keep the name a\\nb.json:\n%s", sum)
	}
	// check prints the name quoted too.
	out, _, _ := runBin(t, dir, false, "check", "in/a\nb.json")
	if out != "\"in/a\\nb.json\": ok\n" {
		t.Errorf("check: %q", out)
	}
	// So do render and fonts, in what they print and in their errors.
	_, errOut, code := runBin(t, dir, false, "render", "in/a\nb.json", "-o", "out/r\n.pdf")
	if want := "\"in/a\\nb.json\": 7 pages → \"out/r\\n.pdf\"\n"; code != 0 || errOut != want {
		t.Errorf("render: exit %d, stderr %q, want %q", code, errOut, want)
	}
	_, errOut, code = runBin(t, dir, false, "fonts", "in/no\nsuch.json")
	if code != 2 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, `in/no\nsuch.json: no such file`) {
		t.Errorf("fonts: exit %d, stderr %q", code, errOut)
	}
}
