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
