package main

// End-to-end tests of issue 20 (hardening, second round): flags after the file names.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFlagsAfterArguments: every command reads flags after its file names
// as render does (check r.json --font-dir D took the flag for a report);
// after -- everything is a file name.
func TestFlagsAfterArguments(t *testing.T) {
	dir := t.TempDir()
	writeSeed(t, filepath.Join(dir, "r.json"))
	writeSeed(t, filepath.Join(dir, "g/r.json"))
	writeSeed(t, filepath.Join(dir, "-odd.json"))
	os.Mkdir(filepath.Join(dir, "fonts"), 0o755)
	gb := readFile(t, "../../testdata/reports/invalid-encoding-gb18030.json")
	os.WriteFile(filepath.Join(dir, "gb.json"), gb, 0o644)
	for _, tt := range []struct {
		args   []string
		code   int
		stdout string // a part of standard output, or of standard error with code != 0
	}{
		{[]string{"check", "r.json", "--font-dir", "fonts"}, 0, "r.json: ok\n"},
		{[]string{"check", "r.json", "--font-dir", "no-such-dir"}, 2, "no-such-dir"},
		{[]string{"check", "r.json", "--json"}, 0, `"valid": true`},
		{[]string{"check", "gb.json", "--encoding", "gb18030"}, 0, "gb.json: ok"},
		{[]string{"fonts", "r.json", "--font-dir", "fonts"}, 0, "body: "},
		{[]string{"render", "r.json", "--format", "layout"}, 0, `"pages"`},
		{[]string{"batch", "r.json", "-o", "out"}, 0, "done 1, failed 0"},
		{[]string{"golden", "g", "--update"}, 0, "updated g/r.json"},
		{[]string{"schema", "--list"}, 0, "gov-info-disclosure/2019"},
		{[]string{"check", "--", "-odd.json"}, 0, "-odd.json: ok"},
		{[]string{"check", "r.json", "--", "--json"}, 2, "--json: open --json: no such file"},
	} {
		stdout, stderr, code := runBin(t, dir, false, tt.args...)
		got := stdout
		if tt.code != 0 {
			got = stderr
		}
		if code != tt.code || !strings.Contains(got, tt.stdout) {
			t.Errorf("govreport %s: exit %d, want %d and %q\n%s%s", strings.Join(tt.args, " "), code, tt.code, tt.stdout, lastLines(stdout, 3), lastLines(stderr, 3))
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out/r.pdf")); err != nil {
		t.Errorf("batch r.json -o out: %v", err)
	}
}
