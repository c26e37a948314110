package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govreport/govreport/report"
)

// startServe runs s.Serve on a loopback listener until the test ends (or
// until the returned cancel), so the http.Server's timeouts apply. done
// receives Serve's result.
func startServe(t *testing.T, s *Server) (addr string, cancel context.CancelFunc, done <-chan error) {
	t.Helper()
	l, err := netListen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	returned := make(chan struct{})
	go func() {
		errc <- s.Serve(ctx, l)
		close(returned)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-returned:
		case <-time.After(30 * time.Second):
			t.Error("Serve did not return")
		}
	})
	return l.Addr().String(), cancel, errc
}

// sendWithheld opens a connection and sends an export of payload, gzipped,
// without the gzip trailer's 8 bytes, which the declared Content-Length
// still counts: the server has all the data and waits for the rest.
func sendWithheld(t *testing.T, addr string, payload []byte) net.Conn {
	t.Helper()
	gz := gzipBytes(payload)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "POST /v1/reports/export HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n", len(gz))
	if _, err := conn.Write(gz[:len(gz)-8]); err != nil {
		t.Fatal(err)
	}
	return conn
}

// readAnswer reads one response from conn within d; it returns a nil
// response if none came.
func readAnswer(conn net.Conn, d time.Duration) (*http.Response, []byte) {
	conn.SetReadDeadline(time.Now().Add(d))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return nil, nil
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, body
}

// TestAdmittedBeforeRead: a request takes its place in the queue before
// its body is read, so a client that withholds the end of a gzip body
// holds a place, and the requests beyond the places are refused at once
// with 503 instead of each holding a body in memory.
func TestAdmittedBeforeRead(t *testing.T) {
	s, _ := newServer(t, Config{MaxRenders: 1, QueueSize: -1}) // one place
	addr, _, _ := startServe(t, s)
	held := sendWithheld(t, addr, []byte(`{"format":"`+strings.Repeat("a", 100<<10)))
	for deadline := time.Now().Add(5 * time.Second); s.limit.admitted() == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	resp, err := http.Post("http://"+addr+"/v1/reports/export", "application/json", bytes.NewReader(seed(t)))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("with the only place held by a withheld body: status %d, Retry-After %q; want 503 with Retry-After",
			resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	held.Close()
	for deadline := time.Now().Add(5 * time.Second); s.limit.admitted() != 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if n := s.limit.admitted(); n != 0 {
		t.Errorf("%d places still taken after the client hung up", n)
	}
}

// TestWithheldTrailersBounded: 140 connections each send a small gzip body
// that inflates to nearly the body limit and withhold its trailer. The
// deployment's 10 places (2 renders, queue 8) hold a body each; the other
// 130 are refused at once, and the heap grows by at most the 10 bodies,
// not 140.
func TestWithheldTrailersBounded(t *testing.T) {
	const limit = 256 << 10
	s, _ := newServer(t, Config{MaxRenders: 2, QueueSize: 8, BodyLimit: limit})
	addr, _, _ := startServe(t, s)
	payload := []byte(`{"format":"` + strings.Repeat("a", limit-100))
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const clients = 140
	conns := make([]net.Conn, clients)
	for i := range conns {
		conns[i] = sendWithheld(t, addr, payload)
	}
	refused := 0
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, conn := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if resp, _ := readAnswer(conn, 3*time.Second); resp != nil && resp.StatusCode == 503 && resp.Header.Get("Retry-After") != "" {
				mu.Lock()
				refused++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	if refused != clients-10 {
		t.Errorf("%d of %d withheld bodies refused with 503 and Retry-After, want %d", refused, clients, clients-10)
	}
	if n := s.limit.admitted(); n > 10 {
		t.Errorf("%d requests admitted, want at most 10", n)
	}
	// Each admitted body is held once, in a buffer grown to at most the
	// limit, with a gzip reader of about 40 KB.
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	if bound := int64(10*(2*limit+64<<10) + 4<<20); grown > bound {
		t.Errorf("heap grew by %d bytes with %d withheld bodies, want at most %d", grown, clients, bound)
	}
	t.Logf("heap grew by %d KB", grown>>10)
}

// TestGzipOverLimitAtOnce: a gzip body that inflates past the limit is
// refused as soon as it does, without waiting for the rest of the body or
// the trailer.
func TestGzipOverLimitAtOnce(t *testing.T) {
	s, _ := newServer(t, Config{BodyLimit: 64 << 10})
	addr, _, _ := startServe(t, s)
	conn := sendWithheld(t, addr, []byte(`{"format":"`+strings.Repeat("a", 1<<20)))
	resp, _ := readAnswer(conn, 5*time.Second)
	if resp == nil || resp.StatusCode != 413 {
		t.Fatalf("answer %v, want 413 before the trailer", resp)
	}
}

// TestProblemAnswerBounded: a report whose problems echo huge keys gets a
// problem answer of at most 64 KiB, its strings shortened with an
// ellipsis and the problems that do not fit counted as omitted.
func TestProblemAnswerBounded(t *testing.T) {
	s, _ := newServer(t, Config{})
	base := bytes.TrimPrefix(bytes.TrimSpace(seed(t)), []byte("{"))
	oneKey := append([]byte(`{"`+strings.Repeat("<", 1500<<10)+`":0,`), base...)
	var many bytes.Buffer
	many.WriteString("{")
	for i := range 300 {
		fmt.Fprintf(&many, `"%d%s":0,`, i, strings.Repeat("<", 6000))
	}
	many.Write(base)
	for _, tc := range []struct {
		name   string
		body   []byte
		listed int // at least
	}{
		{"one long key", oneKey, 1},
		{"300 long keys", many.Bytes(), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{"/v1/reports/export", "/v1/reports/validate"} {
				w := do(s, "POST", path, tc.body)
				if w.Code != 422 {
					t.Fatalf("%s: status %d: %.300s", path, w.Code, w.Body)
				}
				if n := w.Body.Len(); n > 64<<10 {
					t.Errorf("%s: answer of %d bytes, want at most 64 KiB", path, n)
				}
				p := problemOf(t, w)
				if len(p.Problems) < tc.listed || p.Problems[0].Code != "unknown_field" {
					t.Fatalf("%s: problems %.300v", path, p.Problems)
				}
				if !strings.Contains(p.Problems[0].Message, "…") {
					t.Errorf("%s: the echoed key is not shortened: %.200s", path, p.Problems[0].Message)
				}
			}
		})
	}
}

// TestProblemEncode: the bound holds for any problem list, and what is
// left out is counted.
func TestProblemEncode(t *testing.T) {
	long := strings.Repeat("键<", 10000)
	for _, n := range []int{1, 10, 100} {
		probs := make([]report.Problem, n)
		for i := range probs {
			probs[i] = report.Problem{Pointer: "/" + long, Code: "unknown_field", Message: long, MessageZh: long}
		}
		p := Problem{Type: typeBase + "invalid", Title: "t", Status: 422, Detail: long, Instance: "x", Problems: probs, ProblemsOmitted: 7}
		b := p.encode(maxProblemBytes)
		if len(b) > maxProblemBytes {
			t.Errorf("%d problems: %d bytes", n, len(b))
		}
		var got Problem
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%d problems: %v", n, err)
		}
		if len(got.Problems) == 0 || len(got.Problems)+got.ProblemsOmitted != n+7 {
			t.Errorf("%d problems (+7 omitted): %d listed, %d omitted", n, len(got.Problems), got.ProblemsOmitted)
		}
		if !strings.HasSuffix(got.Detail, "…") || !strings.HasSuffix(got.Problems[0].Message, "…") {
			t.Errorf("%d problems: strings not shortened with an ellipsis", n)
		}
	}
	small := Problem{Type: "t", Title: "t", Status: 400, Detail: "a < b"}
	if b := small.encode(maxProblemBytes); !bytes.Contains(b, []byte(`"a < b"`)) {
		t.Errorf("a small problem changed: %s", b)
	}
}

// TestSlowUploadGetsAnswer: the write timeout counts from the end of the
// body, so an upload that takes longer than the write timeout (but less
// than the read timeout) still gets its answer.
func TestSlowUploadGetsAnswer(t *testing.T) {
	s, _ := newServer(t, Config{ReadTimeout: 6 * time.Second, WriteTimeout: 2 * time.Second})
	addr, _, _ := startServe(t, s)
	body := seed(t)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /v1/reports/export HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
	const parts = 6 // 6 × 500 ms: 3 s, longer than the write timeout
	for i := range parts {
		time.Sleep(500 * time.Millisecond)
		conn.Write(body[i*len(body)/parts : (i+1)*len(body)/parts])
	}
	resp, pdf := readAnswer(conn, 10*time.Second)
	if resp == nil || resp.StatusCode != 200 || !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf[len(pdf)-32:], []byte("%%EOF")) {
		t.Fatalf("a 3 s upload with a 2 s write timeout: answer %v, %d bytes; want the whole PDF", resp, len(pdf))
	}
}

// TestDrainAnswers503: on shutdown the listener stays open while a request
// is in flight: /readyz and new exports get 503 with Retry-After (not a
// refused connection), the request in flight gets its answer, and only
// then does Serve return.
func TestDrainAnswers503(t *testing.T) {
	s, _ := newServer(t, Config{DrainTimeout: 20 * time.Second})
	addr, stop, done := startServe(t, s)
	body := seed(t)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The request in flight: admitted, its body half sent.
	fmt.Fprintf(conn, "POST /v1/reports/export HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
	conn.Write(body[:len(body)/2])
	for deadline := time.Now().Add(5 * time.Second); s.limit.admitted() == 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	stop()
	for deadline := time.Now().Add(5 * time.Second); !s.draining.Load() && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	for _, req := range []struct{ method, path string }{{"GET", "/readyz"}, {"POST", "/v1/reports/export"}, {"POST", "/v1/reports/validate"}} {
		var resp *http.Response
		if req.method == "GET" {
			resp, err = client.Get("http://" + addr + req.path)
		} else {
			resp, err = client.Post("http://"+addr+req.path, "application/json", bytes.NewReader(body))
		}
		if err != nil {
			t.Fatalf("%s while draining: %v", req.path, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s while draining: %d, Retry-After %q; want 503 with Retry-After", req.path, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	select {
	case err := <-done:
		t.Fatalf("Serve returned with a request in flight: %v", err)
	default:
	}
	conn.Write(body[len(body)/2:])
	resp, pdf := readAnswer(conn, 10*time.Second)
	if resp == nil || resp.StatusCode != 200 || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("the request in flight: %v", resp)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after the last request")
	}
}

// TestCharset: a body declared GB18030, GBK or GB2312 is decoded; an
// unknown charset is 415 naming it; the decoded body is held to the limit.
func TestCharset(t *testing.T) {
	s, _ := newServer(t, Config{})
	utf := seed(t)
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(utf)
	if err != nil {
		t.Fatal(err)
	}
	want := do(s, "POST", "/v1/reports/export", utf)
	for _, cs := range []string{"gb18030", "GBK", "gb2312", `"GB18030"`} {
		w := do(s, "POST", "/v1/reports/export", gb, "Content-Type", "application/json; charset="+cs)
		if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), want.Body.Bytes()) {
			t.Errorf("charset=%s: status %d, not the PDF of the UTF-8 report: %.300s", cs, w.Code, w.Body)
		}
	}
	for _, cs := range []string{"utf-8", "UTF8"} {
		if w := do(s, "POST", "/v1/reports/validate", utf, "Content-Type", "application/json; charset="+cs); w.Code != 200 {
			t.Errorf("charset=%s: status %d", cs, w.Code)
		}
	}
	w := do(s, "POST", "/v1/reports/export", gb, "Content-Type", "application/json; charset=big5")
	if w.Code != 415 || !strings.Contains(problemOf(t, w).Detail, `"big5"`) {
		t.Errorf("charset=big5: status %d: %s", w.Code, w.Body)
	}
	// 600 KB of GB18030 Chinese is 900 KB of UTF-8: over a 700 KB limit.
	small, _ := newServer(t, Config{BodyLimit: 700 << 10})
	big, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(`{"title":"` + strings.Repeat("报", 300<<10) + `"}`))
	if w := do(small, "POST", "/v1/reports/export", big, "Content-Type", "application/json; charset=gb18030"); w.Code != 413 {
		t.Errorf("GB18030 body decoding past the limit: status %d, want 413", w.Code)
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestRefusedUnread: a request refused because every place is taken is
// answered without a byte of its body read or a gzip reader made.
func TestRefusedUnread(t *testing.T) {
	s, _ := newServer(t, Config{MaxRenders: 1, QueueSize: -1})
	held, err := s.limit.enter()
	if err != nil {
		t.Fatal(err)
	}
	defer held.release()
	for _, gzipped := range []bool{false, true} {
		body := &countingReader{r: bytes.NewReader(seed(t))}
		req, _ := http.NewRequest("POST", "/v1/reports/export", body)
		req.Header.Set("Content-Type", "application/json")
		if gzipped {
			body.r = bytes.NewReader(gzipBytes(seed(t)))
			req.Header.Set("Content-Encoding", "gzip")
		}
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		if w.Code != 503 || body.n != 0 {
			t.Errorf("gzip %v: status %d after reading %d bytes of the body; want 503 with none read", gzipped, w.Code, body.n)
		}
	}
}

// TestBodyReadTimeout: a body that stops coming is answered 400 when the
// read timeout passes, saying so, and its place is given back.
func TestBodyReadTimeout(t *testing.T) {
	s, _ := newServer(t, Config{ReadTimeout: 500 * time.Millisecond})
	addr, _, _ := startServe(t, s)
	conn := sendWithheld(t, addr, []byte(`{"format":"`+strings.Repeat("a", 10<<10)))
	resp, body := readAnswer(conn, 5*time.Second)
	if resp == nil || resp.StatusCode != 400 || !strings.Contains(string(body), "within the read timeout, 500ms") {
		t.Fatalf("answer %v: %s", resp, body)
	}
	if n := s.limit.admitted(); n != 0 {
		t.Errorf("%d places still taken", n)
	}
}
