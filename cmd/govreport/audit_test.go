package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// auditDir makes a folder of reports to audit: a clean one, one whose
// prose contradicts 表三, one that is not a report, an oversized one and
// a dangling link, in folders; and files the walk must leave alone.
func auditDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyFile := func(from, to string) {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(filepath.Join(dir, to)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, to), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile("../../testdata/reports/xinhe-district-2023.json", "a/clean.json")
	copyFile("../../audit/testdata/new-requests.json", "a/b/prose.JSON")
	copyFile("../../testdata/reports/invalid-check-table4.json", "c/table4.json")
	os.WriteFile(filepath.Join(dir, "c", "notes.txt"), []byte("新收申请2件"), 0o644)
	os.WriteFile(filepath.Join(dir, "c", "clean.layout.json"), []byte("{}"), 0o644)
	os.WriteFile(filepath.Join(dir, "c", "garbage.json"), []byte("[1, 2]"), 0o644)
	// Oversized: sparse, larger than render reads.
	big := filepath.Join(dir, "c", "huge.json")
	if err := os.WriteFile(big, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, maxReportFile+1); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "gone.json"), filepath.Join(dir, "c", "dangling.json")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestAuditSummary: a folder walked for reports, each audited and
// summed up in CSV and JSON; an unreadable or oversized file is a line of
// its own, and the run exits 1.
func TestAuditSummary(t *testing.T) {
	dir := auditDir(t)
	out := t.TempDir()
	csvFile, jsonFile := filepath.Join(out, "s.csv"), filepath.Join(out, "s.json")
	stdout, stderr, code := runCLI(t, "audit", "-j", "3", "--summary", csvFile, dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
	}
	rel := func(p string) string { return filepath.Join(dir, p) }
	wantOut := []string{
		rel("a/b/prose.JSON") + ": /overview/1/paragraphs/0: text_table: 正文称本年新收政府信息公开申请2件（“截至12月31日，我鄉收到依申請公開政府信息的申請2件，均已按時答覆。”），表三为3件（/applications/new_requests/total） (the text states 2 new applications; table 三 has 3 (/applications/new_requests/total))",
		rel("a/clean.json") + ": ok",
		rel("c/table4.json") + ": /reviews_and_litigation/litigation_after_review/total: check: ",
		"audited 6 reports: 5 with errors, ",
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != len(wantOut) {
		t.Fatalf("stdout:\n%s", stdout)
	}
	for i, w := range wantOut {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d:\n%s\nwant\n%s", i, lines[i], w)
		}
	}
	// A clear line per file that could not be audited, in order.
	errLines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	wantErr := []string{
		rel("c/dangling.json") + ": skipped: ",
		rel("c/garbage.json") + ": unknown source kind",
		rel("c/huge.json") + ": larger than 33554432 bytes (32 MiB), the most a report may be: not read",
	}
	if len(errLines) != len(wantErr) {
		t.Fatalf("stderr:\n%s", stderr)
	}
	for i, w := range wantErr {
		if !strings.HasPrefix(errLines[i], w) {
			t.Errorf("stderr line %d: %q, want %q…", i, errLines[i], w)
		}
	}

	data, err := os.ReadFile(csvFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "\ufefffile,agency,year,format,errors,warnings,first_error\n") {
		t.Errorf("CSV header: %.80q", data)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"file", "agency", "year", "format", "errors", "warnings", "first_error"},
		{rel("a/b/prose.JSON"), "永興傣族鄉人民政府", "2024", "gov-info-disclosure/2021", "1", "0", "/overview/1/paragraphs/0: text_table: "},
		{rel("a/clean.json"), "新河区人民政府", "2023", "gov-info-disclosure/2021", "0", "0", ""},
		{rel("c/dangling.json"), "", "", "", "1", "0", "skipped: "},
		{rel("c/garbage.json"), "", "", "", "1", "0", "unknown source kind: not HTML, DOCX, PDF or JSON"},
		{rel("c/huge.json"), "", "", "", "1", "0", "larger than 33554432 bytes"},
		{rel("c/table4.json"), "永興傣族鄉人民政府", "2024", "gov-info-disclosure/2021", "1", "0", "/reviews_and_litigation/litigation_after_review/total: check: "},
	}
	if len(rows) != len(want) {
		t.Fatalf("CSV:\n%s", data)
	}
	for i := range want {
		for j := range want[i] {
			if !strings.HasPrefix(rows[i][j], want[i][j]) || want[i][j] == "" && j != 6 && rows[i][j] != "" {
				t.Errorf("CSV row %d column %s: %q, want %q", i, want[0][j], rows[i][j], want[i][j])
			}
		}
	}

	// The same run with a JSON summary, one job: the same lines, in the
	// same order.
	stdout1, _, code := runCLI(t, "audit", "-j", "1", "--summary", jsonFile, dir)
	if code != 1 || dropTiming(stdout1) != dropTiming(stdout) {
		t.Errorf("-j 1: exit %d, output differs from -j 3:\n%s\n---\n%s", code, stdout1, stdout)
	}
	data, err = os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Reports []map[string]any `json:"reports"`
		Failed  int              `json:"failed"`
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 5 || len(sum.Reports) != 6 {
		t.Fatalf("JSON summary: %s", data)
	}
	clean := sum.Reports[1]
	wantClean := map[string]any{"file": rel("a/clean.json"), "agency": "新河区人民政府", "year": 2023.0,
		"format": "gov-info-disclosure/2021", "errors": 0.0, "warnings": 0.0}
	if !reflect.DeepEqual(clean, wantClean) {
		t.Errorf("JSON summary of the clean report: %v, want %v", clean, wantClean)
	}
	if sum.Reports[0]["first_error"] == nil || sum.Reports[0]["errors"] != 1.0 {
		t.Errorf("JSON summary of the contradicting report: %v", sum.Reports[0])
	}
	// Nothing but the summaries was written: no temporary files left.
	if ents, _ := os.ReadDir(out); len(ents) != 2 {
		t.Errorf("summary folder holds %d files", len(ents))
	}
}

// dropTiming removes the seconds from the closing line.
func dropTiming(s string) string {
	if i := strings.LastIndex(s, "with errors, "); i >= 0 {
		return s[:i]
	}
	return s
}

// TestAuditOrder: with many reports and many jobs, the output follows
// the inputs' order.
func TestAuditOrder(t *testing.T) {
	dir := t.TempDir()
	clean, _ := os.ReadFile("../../testdata/reports/yongxing-2024.json")
	prose, _ := os.ReadFile("../../audit/testdata/carry.json")
	var want []string
	for i := range 40 {
		name := filepath.Join(dir, "r"+string(rune('a'+i/26))+string(rune('a'+i%26))+".json")
		data := clean
		if i%3 == 0 {
			data = prose
		}
		os.WriteFile(name, data, 0o644)
		want = append(want, name)
	}
	stdout, _, code := runCLI(t, "audit", "-j", "8", dir)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var got []string
	for _, l := range strings.Split(stdout, "\n") {
		if f, _, ok := strings.Cut(l, ": "); ok && strings.HasPrefix(f, dir) && (len(got) == 0 || got[len(got)-1] != f) {
			got = append(got, f)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order:\n%v\nwant\n%v", got, want)
	}
}

// TestAuditUsage: usage errors exit 2 and write nothing.
func TestAuditUsage(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(dir, "r.json")
	data, _ := os.ReadFile("../../testdata/reports/yongxing-2024.json")
	os.WriteFile(report, data, 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "name the reports"},
		{[]string{"-"}, "audit reads files"},
		{[]string{"--summary", filepath.Join(dir, "s.txt"), report}, "name a .csv or a .json file"},
		{[]string{"--summary", report, report}, "the summary would replace it"},
		{[]string{"-j", "-1", report}, "must be 1 or more"},
		{[]string{filepath.Join(dir, "missing.json")}, "no such file"},
		{[]string{filepath.Join(dir, "*.pdf")}, "no files match"},
	} {
		stdout, stderr, code := runCLI(t, append([]string{"audit"}, tc.args...)...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.want) {
			t.Errorf("audit %v: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, stdout, stderr, tc.want)
		}
	}
	if got, _ := os.ReadFile(report); string(got) != string(data) {
		t.Error("the input was overwritten")
	}
	// A clean report: exit 0.
	if stdout, _, code := runCLI(t, "audit", report); code != 0 || !strings.HasPrefix(stdout, report+": ok\n") {
		t.Errorf("clean: exit %d, %q", code, stdout)
	}
	// A summary that cannot be written: exit 1, said.
	if _, stderr, code := runCLI(t, "audit", "--summary", filepath.Join(dir, "no", "s.csv"), report); code != 1 || !strings.Contains(stderr, "s.csv") {
		t.Errorf("unwritable summary: exit %d, %q", code, stderr)
	}
}

// TestAuditProgress: audit's bar says auditing and nothing else — each
// report's outcome is audit's own output — and off a terminal nothing.
func TestAuditProgress(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	var buf strings.Builder
	p := newProgressOf(&buf, 2, true, clock, "auditing", true)
	now = now.Add(time.Second)
	p.advance("a.json", "invalid", func() string { return "" })
	p.above(func() { buf.WriteString("a.json: x\n") })
	p.advance("b.json", "", func() string { return "" })
	p.finish()
	want := "\rauditing 0/2 (0%, 0s)\x1b[K" +
		"\rauditing 1/2 (50%, 1.0 reports/s, 1s)\x1b[K" +
		"\r\x1b[Ka.json: x\n\rauditing 1/2 (50%, 1.0 reports/s, 1s)\x1b[K" +
		"\rauditing 2/2 (100%, 2.0 reports/s, 1s)\x1b[K\r\x1b[K"
	if buf.String() != want {
		t.Errorf("terminal:\n%q\nwant\n%q", buf.String(), want)
	}
	buf.Reset()
	p = newProgressOf(&buf, 1, false, clock, "auditing", true)
	p.advance("a.json", "invalid", func() string { return "" })
	p.finish()
	if buf.Len() != 0 {
		t.Errorf("off a terminal: %q", buf.String())
	}
}

// TestAuditCompletion: bash completes the command and its flags.
func TestAuditCompletion(t *testing.T) {
	script, _, code := runCLI(t, "completion", "bash")
	if code != 0 {
		t.Fatalf("completion bash: exit %d", code)
	}
	file := filepath.Join(t.TempDir(), "govreport.bash")
	os.WriteFile(file, []byte(script), 0o644)
	for _, tc := range []struct{ words, want string }{
		{"govreport au", "audit"},
		{"govreport audit --su", "--summary"},
		{"govreport help aud", "audit"},
	} {
		cmd := testCommand(t, toolTimeout, "bash", "-c", `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _govreport; echo "${COMPREPLY[*]}"`, "bash", file)
		cmd.Args = append(cmd.Args, strings.Fields(tc.words)...)
		out, err := cmd.CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != tc.want {
			t.Errorf("%s<TAB> = %q (%v), want %q", tc.words, out, err, tc.want)
		}
	}
}

// TestAuditInterrupted: an interrupt stops the feeding; what was not
// audited is failed in the summary, not printed, and nothing hangs.
func TestAuditInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	files := []auditFile{{File: "../../testdata/reports/yongxing-2024.json"}, {File: "../../testdata/reports/xinhe-district-2023.json"}}
	var printed []string
	var buf strings.Builder
	runAudit(ctx, files, 1, newProgressOf(&buf, len(files), false, time.Now, "auditing", true), func(r auditFile) { printed = append(printed, r.File) })
	for i, f := range files {
		if f.Errors != 1 || f.FirstError != "not audited: interrupted" {
			t.Errorf("file %d not failed: %+v", i, f)
		}
	}
	if len(printed) != 0 || buf.Len() != 0 {
		t.Errorf("printed after the interrupt: %v %q", printed, buf.String())
	}
}
