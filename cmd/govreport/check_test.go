package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, strings.NewReader(""), &o, &e)
	return o.String(), e.String(), code
}

// TestCheckCorpus runs `govreport check` on testdata/reports/*.json: every
// valid report is accepted, and every invalid-*.json is rejected with
// exactly the problems of its golden file X.problems (the lines check
// prints, without the file name). `go test ./... -update` rewrites them.
func TestCheckCorpus(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/reports/*.json")
	if len(files) < 24 {
		t.Fatalf("only %d reports in testdata/reports", len(files))
	}
	out, errOut, code := runCLI(t, append([]string{"check"}, files...)...)
	if code != 1 || errOut != "" {
		t.Fatalf("exit %d, stderr %q; want exit 1 (some invalid)", code, errOut)
	}
	lines := map[string][]string{}
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		file, rest, _ := strings.Cut(l, ": ")
		lines[file] = append(lines[file], rest)
	}
	for _, f := range files {
		got := lines[f]
		if !strings.HasPrefix(filepath.Base(f), "invalid-") {
			if len(got) == 0 || !strings.HasPrefix(got[0], "ok") {
				t.Errorf("%s: valid report not accepted: %q", f, got)
			}
			continue
		}
		golden := strings.TrimSuffix(f, ".json") + ".problems"
		text := strings.Join(got, "\n") + "\n"
		if *update {
			if err := os.WriteFile(golden, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./cmd/govreport -update)", err)
		}
		if len(got) == 0 || strings.HasPrefix(got[0], "ok") {
			t.Errorf("%s: invalid report accepted", f)
		}
		if text != string(want) {
			t.Errorf("%s: problems differ from the golden file:\ngot:\n%s\nwant:\n%s", f, text, want)
		}
	}
}

func TestCheckExitCodes(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"check", "../../testdata/reports/yongxing-2024.json"}, 0},
		{[]string{"check", "../../testdata/reports/invalid-negative-count.json"}, 1},
		{[]string{"check", "../../testdata/reports/no-such-file.json"}, 2},
		{[]string{"check"}, 2},
		{[]string{"check", "--checks", "loose", "x.json"}, 2},
		{[]string{"check", "--checks", "warn", "../../testdata/reports/invalid-check-table4.json"}, 0},
		{[]string{"frobnicate"}, 2},
		{[]string{}, 2},
		{[]string{"schema", "no/such-format"}, 2},
	}
	for _, tt := range tests {
		if _, _, code := runCLI(t, tt.args...); code != tt.code {
			t.Errorf("govreport %s: exit %d, want %d", strings.Join(tt.args, " "), code, tt.code)
		}
	}
}

func TestCheckJSON(t *testing.T) {
	out, _, code := runCLI(t, "check", "--json", "../../testdata/reports/city-bureau-2024.json")
	if code != 0 || !strings.Contains(out, `"valid": true`) || !strings.Contains(out, `"/applications/outcomes/total/total"`) {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

// TestCheckFallbackCharacter: check accepts a report whose 仿宋 body text holds
// 喆 and whose agency is 武汉市硚口区… (no 仿宋 face has 喆 or 硚:
// fonts/testdata/tgh-fallback.txt) and warns, naming the character, the role
// and the pointer: 喆 in the preamble, 硚 in the signature (仿宋), not in the
// title, whose face has it.
func TestCheckFallbackCharacter(t *testing.T) {
	data, err := os.ReadFile("../../testdata/reports/city-bureau-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(data), `"agency": "临江市自然资源和规划局"`, `"agency": "武汉市硚口区自然资源和规划局"`)
	s = strings.Replace(s, `"preamble": [`+"\n    \"", `"preamble": [`+"\n    \"本报告联系人：李喆。", 1)
	file := filepath.Join(t.TempDir(), "rare.json")
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "check", file)
	var lines []string
	for line := range strings.Lines(out) {
		if strings.Contains(line, "fallback_character") {
			lines = append(lines, line)
		}
	}
	want := [][]string{
		{"warning: /preamble/0: fallback_character: ", `U+5586 "喆"`, "body (仿宋)", "正文（仿宋）"},
		{"warning: /agency: fallback_character: ", `U+785A "硚"`, "body (仿宋)", "正文（仿宋）"},
	}
	ok := code == 0 && len(lines) == len(want)
	for i := 0; ok && i < len(want); i++ {
		for _, part := range want[i] {
			ok = ok && strings.Contains(lines[i], part)
		}
	}
	if !ok {
		t.Errorf("exit %d, fallback warnings %q, want %q\nstdout:\n%s\nstderr:\n%s", code, lines, want, out, errOut)
	}
}
