package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/govreport/govreport/report"
)

// TestCheckPrevious: check --previous LAST.json compares each report with
// last year's, end to end against the built binary: a report that follows
// passes (also after a report in the 2019 format), each disagreement is a
// previous problem at this report's pointer naming last year's value and
// file (exit 1; a warning with --checks warn), last year's report is read
// leniently (its own 勾稽 failures do not matter), and one that cannot be
// read at all is a usage error naming it.
func TestCheckPrevious(t *testing.T) {
	dir := t.TempDir()
	copyFile := func(from, to string, edit func(m map[string]any)) {
		t.Helper()
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if edit != nil {
			var m map[string]any
			json.Unmarshal(data, &m)
			edit(m)
			data, _ = json.MarshalIndent(m, "", "  ")
		}
		if err := os.WriteFile(filepath.Join(dir, to), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	carriedForward := func(m map[string]any) map[string]any {
		return m["applications"].(map[string]any)["carried_forward"].(map[string]any)
	}
	copyFile("../../testdata/reports/xinhe-district-2023.json", "2023.json", nil)
	copyFile("../../testdata/previous/xinhe-district-2024.json", "2024.json", nil)
	copyFile("../../testdata/reports/qinghe-county-2020.json", "q2020.json", nil)
	copyFile("../../testdata/previous/qinghe-county-2021.json", "q2021.json", nil)
	// Last year's report as published, with a wrong carried-forward count
	// that also breaks its own 勾稽 check.
	copyFile("../../testdata/reports/xinhe-district-2023.json", "2023-wrong.json", func(m map[string]any) {
		carriedForward(m)["natural_person"] = 7
	})
	os.WriteFile(filepath.Join(dir, "broken.json"), []byte(`{"format": `), 0o644)

	tests := []struct {
		name     string
		args     []string
		code     int
		want     []string // lines of standard output, in order
		stderr   string
		notWant  string
		wantJSON bool
	}{
		{name: "follows", args: []string{"check", "--previous", "2023.json", "2024.json"}, code: 0,
			want: []string{"2024.json: ok"}},
		{name: "follows across formats", args: []string{"check", "q2021.json", "--previous", "q2020.json"}, code: 0,
			want: []string{"q2021.json: ok"}},
		{name: "a carried-forward count differs", args: []string{"check", "--previous", "2023-wrong.json", "2024.json"}, code: 1,
			want: []string{`2024.json: /applications/carried_over/natural_person: previous: 表三 “二、上年结转政府信息公开申请数量” × “自然人”: 实为 8，而上年报告 2023-wrong.json 的“四、结转下年度继续办理” × “自然人”为 7 (表三 "二、上年结转政府信息公开申请数量" × "自然人": 8, but last year's report 2023-wrong.json carried forward 7 ("四、结转下年度继续办理" × "自然人"))`}},
		{name: "warn", args: []string{"check", "--checks", "warn", "--previous", "2023-wrong.json", "2024.json"}, code: 0,
			want: []string{"2024.json: ok (1 warning)\n", "2024.json: warning: /applications/carried_over/natural_person: previous: "}},
		{name: "agency and year", args: []string{"check", "--previous", "2023.json", "q2021.json"}, code: 1,
			want: []string{`q2021.json: /agency: previous: 机关名称为“清河县自然资源局”，而上年报告 2023.json 为“新河区人民政府”`,
				"q2021.json: /year: previous: 本报告为 2021 年度，而上年报告 2023.json 为 2023 年度，不是 2020 年度；未比对上年结转数"}},
		{name: "several reports", args: []string{"check", "--previous", "2023.json", "2024.json", "2023.json"}, code: 1,
			want: []string{"2024.json: ok", "2023.json: /year: previous: "}},
		{name: "json", args: []string{"check", "--json", "--previous", "2023-wrong.json", "2024.json"}, code: 1,
			want: []string{`"pointer": "/applications/carried_over/natural_person",`, `"code": "previous",`}},
		{name: "last year unreadable", args: []string{"check", "--previous", "broken.json", "2024.json"}, code: 2,
			stderr: "--previous broken.json: invalid report: /", notWant: "2024.json"},
		{name: "last year missing", args: []string{"check", "--previous", "none.json", "2024.json"}, code: 2,
			stderr: "none.json", notWant: "2024.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runBin(t, dir, false, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, stdout, stderr)
			}
			rest := stdout
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("output lacks (in order) %q:\n%s", w, stdout)
				}
				rest = rest[i+len(w):]
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q, want %q", stderr, tt.stderr)
			}
			if tt.notWant != "" && strings.Contains(stdout, tt.notWant) {
				t.Errorf("output names %s:\n%s", tt.notWant, stdout)
			}
		})
	}
}

// TestServePrevious: govreport serve's validate takes last year's report
// as the part previous of a multipart/form-data body and gives the
// problems check --previous gives for the same files, word for word.
func TestServePrevious(t *testing.T) {
	dir := t.TempDir()
	last, err := os.ReadFile("../../testdata/reports/xinhe-district-2023.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(last, &m)
	m["applications"].(map[string]any)["carried_forward"].(map[string]any)["natural_person"] = 7
	m["applications"].(map[string]any)["carried_forward"].(map[string]any)["other_org"] = 2
	lastWrong, _ := json.Marshal(m)
	this, err := os.ReadFile("../../testdata/previous/xinhe-district-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "2023.json"), lastWrong, 0o644)
	os.WriteFile(filepath.Join(dir, "2024.json"), this, 0o644)
	stdout, stderr, code := runBin(t, dir, false, "check", "--json", "--previous", "2023.json", "2024.json")
	var cli []struct{ Problems []report.Problem }
	if err := json.Unmarshal([]byte(stdout), &cli); err != nil || code != 1 || len(cli) != 1 || len(cli[0].Problems) != 2 {
		t.Fatalf("check: exit %d, %v\n%s%s", code, err, stdout, stderr)
	}

	base, _, _ := startServer(t)
	send := func(previous []byte) (int, []byte) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		pw, _ := w.CreateFormFile("report", "2024.json")
		pw.Write(this)
		if previous != nil {
			pw, _ = w.CreateFormFile("previous", "2023.json")
			pw.Write(previous)
		}
		w.Close()
		resp, err := http.Post(base+"/v1/reports/validate", w.FormDataContentType(), &b)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	}
	if status, body := send(last); status != 200 {
		t.Errorf("follows: %d %s", status, body)
	}
	status, body := send(lastWrong)
	var api struct{ Problems []report.Problem }
	if err := json.Unmarshal(body, &api); err != nil || status != 422 {
		t.Fatalf("a count differs: %d %v %s", status, err, body)
	}
	if !reflect.DeepEqual(api.Problems, cli[0].Problems) {
		t.Errorf("the API's problems\n%+v\ndiffer from check's\n%+v", api.Problems, cli[0].Problems)
	}
}
