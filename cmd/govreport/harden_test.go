package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

// The tests of this file reproduce the hostile and careless inputs of a
// security review against the built binary: the server on loopback and the
// CLI on real files.

// unknownKeys is a report of n distinct unknown keys before the seed's.
func unknownKeys(t *testing.T, n int) []byte {
	t.Helper()
	seed, err := os.ReadFile("../../testdata/reports/yongxing-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, `"k%d":0,`, i)
	}
	b.Write(bytes.TrimPrefix(bytes.TrimSpace(seed), []byte("{")))
	return b.Bytes()
}

func postJSON(t *testing.T, url string, body []byte, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// problemBody is the part of a problem+json answer the tests read.
type problemBody struct {
	Status   int    `json:"status"`
	Type     string `json:"type"`
	Detail   string `json:"detail"`
	Problems []struct {
		Pointer string `json:"pointer"`
		Code    string `json:"code"`
	} `json:"problems"`
	Omitted int `json:"problems_omitted"`
}

func decodeProblem(t *testing.T, resp *http.Response, body []byte) problemBody {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("status %d, Content-Type %q: %.300s", resp.StatusCode, ct, body)
	}
	var p problemBody
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("%v: %.300s", err, body)
	}
	return p
}

// TestServeManyProblems: 170,000 distinct unknown keys (2 MB) get a 422
// that lists the first problems and counts the rest, well under 1 MB.
func TestServeManyProblems(t *testing.T) {
	base, _, _ := startServer(t)
	body := unknownKeys(t, 170000)
	for _, path := range []string{"/v1/reports/validate", "/v1/reports/export"} {
		resp, b := postJSON(t, base+path, body)
		if resp.StatusCode != 422 {
			t.Fatalf("%s: status %d: %.300s", path, resp.StatusCode, b)
		}
		p := decodeProblem(t, resp, b)
		if len(b) >= 1<<20 || len(p.Problems) != 100 || p.Omitted != 170000-100 {
			t.Errorf("%s: %d bytes, %d problems listed, %d omitted", path, len(b), len(p.Problems), p.Omitted)
		}
		if !strings.Contains(p.Detail, "170000 problems") {
			t.Errorf("%s: detail %q does not count every problem", path, p.Detail)
		}
	}
}

// seedWith is the seed report changed by edit.
func seedWith(t *testing.T, edit func(r map[string]any)) []byte {
	t.Helper()
	data, err := os.ReadFile("../../testdata/reports/yongxing-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	var r map[string]any
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	edit(r)
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// pageLimitReport is 23 headings of 500 one-character paragraphs each
// (89 KB): within every size limit of the contract, but more than 500
// pages.
func pageLimitReport(t *testing.T) []byte {
	return seedWith(t, func(r map[string]any) {
		var blocks []any
		for i := range 23 {
			paras := make([]any, 500)
			for j := range paras {
				paras[j] = "是"
			}
			blocks = append(blocks, map[string]any{"heading": fmt.Sprintf("情况%d", i+1), "paragraphs": paras})
		}
		r["overview"] = blocks
	})
}

// TestServeSameChecksAsExport: what export refuses, validate refuses with
// the same problem; a report too long to print is 422 too_large at "",
// not a 500.
func TestServeSameChecksAsExport(t *testing.T) {
	base, _, logs := startServer(t)
	setParagraph := func(text string) []byte {
		return seedWith(t, func(r map[string]any) {
			r["overview"].([]any)[0].(map[string]any)["paragraphs"].([]any)[0] = text
		})
	}
	for _, tt := range []struct {
		name          string
		body          []byte
		pointer, code string
	}{
		{"page limit", pageLimitReport(t), "", "too_large"},
		{"Arabic", setParagraph("政府信息公开 مرحبا 工作"), "/overview/0/paragraphs/0", "unsupported_character"},
		{"zero-width space", setParagraph("政府信息\u200b公开"), "/overview/0/paragraphs/0", "unsupported_character"},
		{"right-to-left override", setParagraph("政府信息\u202e公开"), "/overview/0/paragraphs/0", "unsupported_character"},
		{"U+FFFD", setParagraph("政府信息\ufffd公开"), "/overview/0/paragraphs/0", "unsupported_character"},
		{"title", seedWith(t, func(r map[string]any) { r["title"] = "政府信息公开 مرحبا 报告" }), "/title", "unsupported_character"},
		{"lone surrogate", bytes.Replace(setParagraph("政府信息公开"), []byte("政府信息公开"), []byte(`政府\ud800信息公开`), 1), "/overview/0/paragraphs/0", "surrogate"},
	} {
		for _, path := range []string{"/v1/reports/validate", "/v1/reports/export"} {
			t.Run(tt.name+" "+path, func(t *testing.T) {
				resp, b := postJSON(t, base+path, tt.body)
				if resp.StatusCode != 422 {
					t.Fatalf("status %d, want 422: %.300s\n%s", resp.StatusCode, b, logs)
				}
				p := decodeProblem(t, resp, b)
				if len(p.Problems) != 1 || p.Problems[0].Pointer != tt.pointer || p.Problems[0].Code != tt.code {
					t.Errorf("problems %+v, want one %s at %q", p.Problems, tt.code, tt.pointer)
				}
			})
		}
	}
	// A valid report says how many pages it will have.
	resp, b := post(t, base+"/v1/reports/validate", "../../testdata/reports/yongxing-2024.json")
	var v struct {
		Valid bool `json:"valid"`
		Pages int  `json:"pages"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(b, &v) != nil || !v.Valid || v.Pages < 5 {
		t.Errorf("validate the seed: %d %s", resp.StatusCode, b)
	}
}

// TestCheckLaysOut: check refuses what render refuses.
func TestCheckLaysOut(t *testing.T) {
	dir := t.TempDir()
	f := dir + "/arabic.json"
	os.WriteFile(f, seedWith(t, func(r map[string]any) { r["title"] = "政府信息公开 مرحبا 报告" }), 0o644)
	stdout, stderr, code := runCLI(t, "check", f)
	if code != 1 || !strings.Contains(stdout, "/title: unsupported_character") {
		t.Errorf("check: exit %d\n%s%s", code, stdout, stderr)
	}
}
