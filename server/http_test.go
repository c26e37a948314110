package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestHealthHEAD: load balancers probe with HEAD.
func TestHealthHEAD(t *testing.T) {
	s, _ := newServer(t, Config{})
	for _, path := range []string{"/healthz", "/readyz"} {
		if w := do(s, "HEAD", path, nil); w.Code != 200 {
			t.Errorf("HEAD %s: %d", path, w.Code)
		}
	}
}

// TestCORS: only the configured origins are answered with CORS headers;
// a preflight from one of them is 204 with the methods and headers the
// API takes, from another 403; with none configured no origin is allowed.
func TestCORS(t *testing.T) {
	const portal = "https://portal.example.gov.cn"
	s, _ := newServer(t, Config{CORSOrigins: []string{portal}})
	pre := do(s, "OPTIONS", "/v1/reports/export", nil, "Origin", portal, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,authorization")
	if pre.Code != 204 || pre.Header().Get("Access-Control-Allow-Origin") != portal || !strings.Contains(pre.Header().Get("Access-Control-Allow-Methods"), "POST") ||
		!strings.Contains(pre.Header().Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight: %d %v", pre.Code, pre.Header())
	}
	if w := do(s, "OPTIONS", "/v1/reports/export", nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "POST"); w.Code != 403 {
		t.Errorf("preflight from another origin: %d", w.Code)
	}
	w := do(s, "POST", "/v1/reports/export", seed(t), "Origin", portal)
	if w.Code != 200 || w.Header().Get("Access-Control-Allow-Origin") != portal || !strings.Contains(w.Header().Get("Access-Control-Expose-Headers"), "Content-Disposition") || w.Header().Get("Vary") != "Origin" {
		t.Errorf("export from the portal: %d %v", w.Code, w.Header())
	}
	if w := do(s, "POST", "/v1/reports/export", seed(t), "Origin", "https://evil.example"); w.Code != 200 || w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("export from another origin: %d, Allow-Origin %q", w.Code, w.Header().Get("Access-Control-Allow-Origin"))
	}
	none, _ := newServer(t, Config{})
	if w := do(none, "OPTIONS", "/v1/reports/export", nil, "Origin", portal, "Access-Control-Request-Method", "POST"); w.Code != 403 || w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("no origins configured: preflight %d", w.Code)
	}
	if w := do(none, "OPTIONS", "/v1/reports/export", nil); w.Code != 405 {
		t.Errorf("OPTIONS without CORS: %d, want 405", w.Code)
	}
}

// TestUnknownParameter: a misspelt parameter is 400 naming it and what it
// may have meant, not ignored (?fromat=docx gave a PDF).
func TestUnknownParameter(t *testing.T) {
	s, _ := newServer(t, Config{})
	for _, tt := range []struct{ url, want string }{
		{"/v1/reports/export?fromat=docx", `unknown query parameter "fromat"; did you mean "format"?`},
		{"/v1/reports/export?format=docx&check=warn", `unknown query parameter "check"; did you mean "checks"?`},
		{"/v1/reports/validate?page=2", `unknown query parameter "page"; parameters: checks, draft`},
		{"/v1/formats?x=1", `unknown query parameter "x"; this endpoint takes none`},
	} {
		method := "POST"
		if strings.HasPrefix(tt.url, "/v1/formats") {
			method = "GET"
		}
		p := problemOf(t, do(s, method, tt.url, seed(t)))
		if p.Status != 400 || p.Detail != tt.want {
			t.Errorf("%s: %d %q, want 400 %q", tt.url, p.Status, p.Detail, tt.want)
		}
	}
	if w := do(s, "POST", "/v1/reports/export?format=docx&checks=warn&draft=false&page=1&docx_fonts=embed", seed(t)); w.Code != 200 {
		t.Errorf("every known parameter: %d", w.Code)
	}
}

// TestIfNoneMatch: an export whose If-None-Match names the ETag its body
// and parameters gave is 304 without rendering; another body or another
// format renders.
func TestIfNoneMatch(t *testing.T) {
	s, _ := newServer(t, Config{})
	first := do(s, "POST", "/v1/reports/export", seed(t))
	etag := first.Header().Get("ETag")
	if first.Code != 200 || etag == "" {
		t.Fatalf("export: %d, ETag %q", first.Code, etag)
	}
	pages := func() string { // the pages rendered, as /metrics says
		for _, l := range strings.Split(do(s, "GET", "/metrics", nil).Body.String(), "\n") {
			if strings.HasPrefix(l, `govreport_pages_rendered_total{format="pdf"}`) {
				return l
			}
		}
		return ""
	}
	before := pages()
	if before == "" {
		t.Fatal("/metrics counts no PDF pages after an export")
	}
	w := do(s, "POST", "/v1/reports/export", seed(t), "If-None-Match", etag)
	if w.Code != http.StatusNotModified || w.Body.Len() != 0 || w.Header().Get("ETag") != etag {
		t.Errorf("If-None-Match with the ETag: %d, %d bytes, ETag %q", w.Code, w.Body.Len(), w.Header().Get("ETag"))
	}
	if pages() != before {
		t.Errorf("the 304 rendered: %q, before %q", pages(), before)
	}
	if w := do(s, "POST", "/v1/reports/export?format=docx", seed(t), "If-None-Match", etag); w.Code != 200 {
		t.Errorf("another format with the PDF's ETag: %d", w.Code)
	}
	other := strings.Replace(string(seed(t)), `"year": 2024`, `"year": 2024 `, 1) // other bytes, the same report
	if w := do(s, "POST", "/v1/reports/export", []byte(other), "If-None-Match", `"0123"`); w.Code != 200 {
		t.Errorf("an unknown ETag: %d", w.Code)
	}
	// A body not remembered, whose file has the ETag: 304 after rendering.
	if w := do(s, "POST", "/v1/reports/export", []byte(other), "If-None-Match", etag); w.Code != http.StatusNotModified {
		t.Errorf("the same file from other bytes: %d", w.Code)
	}
}

// TestETagsBoundedAndConcurrent: the ETag memory never holds more than its
// bound, keeps the most recent, and is safe for the server's goroutines
// (run under -race by scripts/test.sh).
func TestETagsBoundedAndConcurrent(t *testing.T) {
	e := newETags(64)
	done := make(chan struct{})
	for g := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 1000 {
				k := exportKey([]byte{byte(g), byte(i), byte(i >> 8)}, "pdf", nil)
				e.put(k, "etag")
				e.get(k)
			}
		}()
	}
	for range 8 {
		<-done
	}
	if n := e.order.Len(); n != 64 || len(e.byKey) != 64 {
		t.Errorf("%d entries, %d keys; want 64", n, len(e.byKey))
	}
	last := exportKey([]byte("last"), "pdf", nil)
	e.put(last, `"x"`)
	if got, ok := e.get(last); !ok || got != `"x"` {
		t.Errorf("the latest entry: %q %v", got, ok)
	}
}
