package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

func seed(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/reports/yongxing-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newServer(t testing.TB, cfg Config) (*Server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	cfg.Logger = slog.New(slog.NewJSONHandler(&syncWriter{w: &logs}, nil))
	cfg.Version = "test"
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, &logs
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func do(s *Server, method, url string, body []byte, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, url, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	return w
}

func problemOf(t *testing.T, w *httptest.ResponseRecorder) Problem {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json; body %s", ct, w.Body)
	}
	var p Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != w.Code || p.Type == "" || p.Title == "" || p.Instance == "" {
		t.Errorf("incomplete problem %+v for status %d", p, w.Code)
	}
	return p
}

func TestExportPDF(t *testing.T) {
	s, logs := newServer(t, Config{})
	w := do(s, "POST", "/v1/reports/export", seed(t), "X-Request-ID", "portal-42")
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	h := w.Header()
	if h.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(w.Body.Bytes(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", h.Get("Content-Type"))
	}
	if h.Get("X-Request-ID") != "portal-42" || h.Get("X-Report-Pages") == "" || h.Get("ETag") == "" {
		t.Errorf("headers: %v", h)
	}
	cd := h.Get("Content-Disposition")
	if !strings.Contains(cd, `filename="report-2024.pdf"`) || !strings.Contains(cd, "filename*=UTF-8''%E6%B0%B8") {
		t.Errorf("Content-Disposition %q", cd)
	}
	// The same report gives the same bytes and ETag.
	w2 := do(s, "POST", "/v1/reports/export?format=pdf", seed(t))
	if w2.Header().Get("ETag") != h.Get("ETag") || !bytes.Equal(w2.Body.Bytes(), w.Body.Bytes()) {
		t.Error("two exports of the same report differ")
	}
	var line map[string]any
	first, _, _ := strings.Cut(logs.String(), "\n")
	if err := json.Unmarshal([]byte(first), &line); err != nil {
		t.Fatalf("log line is not JSON: %q", first)
	}
	for _, k := range []string{"id", "route", "format", "status", "bytes", "duration_ms"} {
		if _, ok := line[k]; !ok {
			t.Errorf("log line lacks %q: %s", k, first)
		}
	}
	if line["id"] != "portal-42" || line["route"] != "/v1/reports/export" || line["format"] != "pdf" {
		t.Errorf("log line %s", first)
	}
}

func TestNegotiation(t *testing.T) {
	s, _ := newServer(t, Config{})
	tests := []struct {
		url, accept string
		status      int
		ctype       string
	}{
		{"/v1/reports/export", "application/pdf", 200, "application/pdf"},
		{"/v1/reports/export", "*/*", 200, "application/pdf"},
		{"/v1/reports/export", "text/html, application/pdf;q=0.9", 200, "application/pdf"},
		{"/v1/reports/export?format=docx", "", 200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"/v1/reports/export", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"/v1/reports/export?format=xls", "", 406, "application/problem+json"},
		{"/v1/reports/export", "text/html", 406, "application/problem+json"},
		{"/v1/reports/export?format=png", "", 200, "image/png"},
		{"/v1/reports/export?format=png&page=4", "", 200, "image/png"},
		{"/v1/reports/export", "image/png", 200, "image/png"},
		{"/v1/reports/export?format=ofd", "", 200, "application/ofd"},
		{"/v1/reports/export", "application/ofd", 200, "application/ofd"},
		{"/v1/reports/export", "application/*", 200, "application/pdf"},
		{"/v1/reports/export", "application/pdf;q=0.5, application/ofd", 200, "application/ofd"},
		{"/v1/reports/export?format=png&page=99", "", 400, "application/problem+json"},
		{"/v1/reports/export?format=png&page=x", "", 400, "application/problem+json"},
		{"/v1/reports/export?checks=loose", "", 400, "application/problem+json"},
	}
	for _, tt := range tests {
		w := do(s, "POST", tt.url, seed(t), "Accept", tt.accept)
		if w.Code != tt.status || w.Header().Get("Content-Type") != tt.ctype {
			t.Errorf("%s Accept %q: %d %s, want %d %s", tt.url, tt.accept, w.Code, w.Header().Get("Content-Type"), tt.status, tt.ctype)
		}
	}
}

func TestErrors(t *testing.T) {
	s, _ := newServer(t, Config{BodyLimit: 64 << 10})
	bad, _ := os.ReadFile("../testdata/reports/invalid-negative-count.json")
	check, _ := os.ReadFile("../testdata/reports/invalid-check-table4.json")
	tests := []struct {
		name        string
		method, url string
		body        []byte
		ctype       string
		status      int
		wantPointer string
	}{
		{"malformed JSON", "POST", "/v1/reports/export", []byte("{\n  \"format\": \"x\",\n  \"year\" 2024}"), "application/json", 400, ""},
		{"invalid report", "POST", "/v1/reports/export", bad, "application/json", 422, "/applications/carried_over/other_org"},
		{"failed check", "POST", "/v1/reports/export", check, "application/json", 422, "/reviews_and_litigation/litigation_after_review/total"},
		{"wrong content type", "POST", "/v1/reports/export", seed(t), "text/plain", 415, ""},
		{"no content type", "POST", "/v1/reports/validate", seed(t), "", 415, ""},
		{"too large", "POST", "/v1/reports/export", bytes.Repeat([]byte(" "), 65<<10), "application/json", 413, ""},
		{"unknown route", "GET", "/v2/whatever", nil, "", 404, ""},
		{"wrong method", "GET", "/v1/reports/export", nil, "", 405, ""},
		{"unknown schema", "GET", "/v1/formats/gov-info-disclosure/2016/schema", nil, "", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.url, bytes.NewReader(tt.body))
			if tt.ctype != "" {
				req.Header.Set("Content-Type", tt.ctype)
			}
			w := httptest.NewRecorder()
			s.Handler().ServeHTTP(w, req)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			p := problemOf(t, w)
			if tt.wantPointer != "" {
				found := false
				for _, pr := range p.Problems {
					found = found || pr.Pointer == tt.wantPointer
				}
				if !found {
					t.Errorf("problems %+v lack %s", p.Problems, tt.wantPointer)
				}
			}
			if tt.name == "malformed JSON" && (len(p.Problems) != 1 || p.Problems[0].Line != 3 || p.Problems[0].Column != 10) {
				t.Errorf("malformed JSON: want line 3, column 10: %+v", p.Problems)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	s, _ := newServer(t, Config{})
	city, _ := os.ReadFile("../testdata/reports/city-bureau-2024.json")
	w := do(s, "POST", "/v1/reports/validate", city)
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	var v struct {
		Valid    bool
		Warnings []map[string]any
		Totals   map[string]int64
	}
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	if !v.Valid || len(v.Warnings) != 2 || v.Totals["/applications/outcomes/total/total"] == 0 {
		t.Errorf("validate: %s", w.Body)
	}
	check, _ := os.ReadFile("../testdata/reports/invalid-check-table4.json")
	if w := do(s, "POST", "/v1/reports/validate?checks=warn", check); w.Code != 200 || !strings.Contains(w.Body.String(), `"code":"check"`) {
		t.Errorf("checks=warn: %d %s", w.Code, w.Body)
	}
	if w := do(s, "POST", "/v1/reports/export?checks=warn", check); w.Code != 200 || w.Header().Get("X-Report-Warnings") != "1" {
		t.Errorf("export checks=warn: %d, warnings %q", w.Code, w.Header().Get("X-Report-Warnings"))
	}
	// One problem is "1 problem", not "1 problems".
	if p := problemOf(t, do(s, "POST", "/v1/reports/validate", check)); !strings.HasPrefix(p.Detail, "1 problem: ") {
		t.Errorf("detail %q", p.Detail)
	}
}

func TestFormatsSchemaHealthMetrics(t *testing.T) {
	s, _ := newServer(t, Config{Tokens: []string{"s3cret"}})
	auth := []string{"Authorization", "Bearer s3cret"}
	if w := do(s, "GET", "/v1/formats", nil, auth...); w.Code != 200 || !strings.Contains(w.Body.String(), `"id":"gov-info-disclosure/2021"`) ||
		!strings.Contains(w.Body.String(), `"id":"gov-info-disclosure/2019","title":"中华人民共和国政府信息公开工作年度报告格式（试行）","source":"国办公开办函〔2019〕60号","issued":"2019","years":{"from":2019,"until":2020,"successor":"gov-info-disclosure/2021"}`) {
		t.Errorf("formats: %d %s", w.Code, w.Body)
	}
	w := do(s, "GET", "/v1/formats/gov-info-disclosure/2021/schema", nil, auth...)
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/schema+json" || !strings.Contains(w.Body.String(), "2020-12") {
		t.Errorf("schema: %d %s", w.Code, w.Header())
	}
	// Tokens guard the API, never health, readiness or metrics.
	if w := do(s, "GET", "/v1/formats", nil); w.Code != 401 || w.Header().Get("WWW-Authenticate") == "" {
		t.Errorf("no token: %d", w.Code)
	}
	if w := do(s, "GET", "/v1/formats", nil, "Authorization", "Bearer wrong"); w.Code != 401 {
		t.Errorf("wrong token: %d", w.Code)
	}
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		if w := do(s, "GET", path, nil); w.Code != 200 {
			t.Errorf("%s: %d", path, w.Code)
		}
	}
	do(s, "POST", "/v1/reports/export", seed(t), auth...)
	m := do(s, "GET", "/metrics", nil).Body.String()
	for _, want := range []string{
		`govreport_http_requests_total{format="pdf",route="/v1/reports/export",status="200"} 1`,
		`govreport_render_duration_seconds_count{format="pdf"} 1`,
		`govreport_pages_rendered_total{format="pdf"}`,
		`govreport_renders_in_flight 0`,
		`govreport_queue_wait_seconds_count`,
		`govreport_rejections_total{reason="unauthorized"} 2`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	s.draining.Store(true)
	if w := do(s, "GET", "/readyz", nil); w.Code != 503 {
		t.Errorf("readyz while draining: %d", w.Code)
	}
	if w := do(s, "POST", "/v1/reports/export", seed(t), auth...); w.Code != 503 || w.Header().Get("Retry-After") == "" {
		t.Errorf("export while draining: %d", w.Code)
	}
}

func TestPanicIs500WithoutInternals(t *testing.T) {
	s, logs := newServer(t, Config{})
	s.engine.GET("/boom", func(*gin.Context) { panic("secret internal detail") })
	w := do(s, "GET", "/boom", nil, "X-Request-ID", "req-7")
	if w.Code != 500 {
		t.Fatalf("status %d", w.Code)
	}
	p := problemOf(t, w)
	if strings.Contains(w.Body.String(), "secret") || !strings.Contains(p.Detail, "req-7") {
		t.Errorf("500 body %s", w.Body)
	}
	if !strings.Contains(logs.String(), "secret internal detail") || !strings.Contains(logs.String(), `"id":"req-7"`) {
		t.Error("the panic is not logged with the request id")
	}
}

// TestOverload sends more clients than render slots plus queue: some are
// refused with 503 and Retry-After, the rest succeed, nothing else fails,
// and no goroutine is left behind.
func TestOverload(t *testing.T) {
	before := runtime.NumGoroutine()
	s, _ := newServer(t, Config{MaxRenders: 1, QueueSize: 1})
	srv := httptest.NewServer(s.Handler())
	body := seed(t)
	// Hold the only render slot, so the outcome does not depend on timing:
	// one client waits in the queue, the other seven are refused; then
	// free the slot and the waiting one is served.
	hold, _, err := s.limit.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	const clients = 8
	codes := make(chan int, clients)
	var wg sync.WaitGroup
	go func() {
		for deadline := time.Now().Add(10 * time.Second); len(codes) < clients-1 && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
		}
		hold()
	}()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(srv.URL+"/v1/reports/export", "application/json", bytes.NewReader(body))
			if err != nil {
				codes <- -1
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 503 && resp.Header.Get("Retry-After") == "" {
				codes <- -2
				return
			}
			codes <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	if count[200] != 1 || count[503] != clients-1 {
		t.Fatalf("status counts %v: want one 200 and %d 503s with Retry-After, nothing else", count, clients-1)
	}
	srv.Close()
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		t.Errorf("%d goroutines before, %d after: a leak", before, n)
	}
}

// TestTimeout: a request that outlives --render-timeout while it waits
// for a slot is busy (503, Retry-After: another replica may take it); one
// that outlives it inside the render is 504. Either way its slot and queue
// place come back. Neither case depends on how fast the machine renders:
// the first holds the only slot, the second starts with its deadline
// passed, so the render's own cancellation check must stop it.
func TestTimeout(t *testing.T) {
	long, _ := os.ReadFile("../testdata/reports/long-county-2022.json")
	t.Run("queued", func(t *testing.T) {
		s, _ := newServer(t, Config{RenderTimeout: 20 * time.Millisecond, MaxRenders: 1})
		release, _, err := s.limit.acquire(context.Background()) // the only slot
		if err != nil {
			t.Fatal(err)
		}
		w := do(s, "POST", "/v1/reports/export", long)
		release()
		if w.Code != 503 || w.Header().Get("Retry-After") == "" {
			t.Fatalf("status %d, Retry-After %q, want 503 with Retry-After: %s", w.Code, w.Header().Get("Retry-After"), w.Body)
		}
		if p := problemOf(t, w); !strings.Contains(fmt.Sprint(p), "no render slot came free") {
			t.Errorf("detail does not say it timed out waiting: %v", p)
		}
		if n := s.limit.inFlight.Load(); n != 0 || len(s.limit.slots) != 0 || len(s.limit.queue) != 0 {
			t.Errorf("after a timeout: %d in flight, %d slots, %d queued", n, len(s.limit.slots), len(s.limit.queue))
		}
	})
	t.Run("rendering", func(t *testing.T) {
		s, _ := newServer(t, Config{RenderTimeout: time.Nanosecond, MaxRenders: 1})
		for _, path := range []string{"/v1/reports/export", "/v1/reports/validate"} {
			w := do(s, "POST", path, long)
			if w.Code != 504 {
				t.Fatalf("%s: status %d, want 504: %s", path, w.Code, w.Body)
			}
			problemOf(t, w)
		}
		if n := s.limit.inFlight.Load(); n != 0 || len(s.limit.slots) != 0 || len(s.limit.queue) != 0 {
			t.Errorf("after a timeout: %d in flight, %d slots, %d queued", n, len(s.limit.slots), len(s.limit.queue))
		}
	})
}

func TestServeDrains(t *testing.T) {
	s, _ := newServer(t, Config{Addr: "127.0.0.1:0", DrainTimeout: 10 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	l, err := netListen()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, l) }()
	long, _ := os.ReadFile("../testdata/reports/long-county-2022.json")
	resc := make(chan int, 1)
	go func() {
		resp, err := http.Post(fmt.Sprintf("http://%s/v1/reports/export", l.Addr()), "application/json", bytes.NewReader(long))
		if err != nil {
			resc <- -1
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		resc <- resp.StatusCode
	}()
	for s.limit.inFlight.Load() == 0 { // wait until the render runs
		time.Sleep(time.Millisecond)
	}
	cancel()
	if code := <-resc; code != 200 {
		t.Errorf("the render in flight got %d, want 200", code)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// TestClientGoneWhileQueued: a client that hangs up while its request
// waits for a render slot is logged as 499, not as a 503 error.
func TestClientGoneWhileQueued(t *testing.T) {
	s, logs := newServer(t, Config{MaxRenders: 1})
	release, _, err := s.limit.acquire(context.Background()) // the only slot
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	for _, path := range []string{"/v1/reports/export", "/v1/reports/validate"} {
		ctx, cancel := context.WithCancel(context.Background())
		req := httptest.NewRequest("POST", path, bytes.NewReader(seed(t))).WithContext(ctx)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		time.AfterFunc(50*time.Millisecond, cancel)
		s.Handler().ServeHTTP(w, req)
		if w.Code != 499 {
			t.Errorf("%s: status %d, want 499", path, w.Code)
		}
	}
	if strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("logged as an error:\n%s", logs)
	}
}
