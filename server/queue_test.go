package server

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// TestDefaultQueueHoldsBurst: with the default queue, a burst of 32 clients
// exporting the seed at once from a 2-render server is queued and answered,
// none refused with 503 (with the old default of 4 × 2 = 8, 22 of 32 were).
func TestDefaultQueueHoldsBurst(t *testing.T) {
	s, _ := newServer(t, Config{MaxRenders: 2})
	if got := s.cfg.QueueSize; got != DefaultQueue {
		t.Fatalf("default queue %d, want %d", got, DefaultQueue)
	}
	body := seed(t)
	const clients = 32
	codes := make([]int, clients)
	var start, wg sync.WaitGroup
	start.Add(1)
	for i := range clients {
		wg.Go(func() {
			req := httptest.NewRequest("POST", "/v1/reports/export?format=pdf", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			start.Wait()
			s.Handler().ServeHTTP(w, req)
			codes[i] = w.Code
		})
	}
	start.Done()
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Errorf("client %d: status %d, want 200", i, c)
		}
	}
	if n := s.limit.admitted(); n != 0 {
		t.Errorf("%d places still taken", n)
	}
}
