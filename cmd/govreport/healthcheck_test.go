package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestDefaultHealthURL(t *testing.T) {
	for addr, want := range map[string]string{
		":8080":          "http://127.0.0.1:8080/healthz",
		"0.0.0.0:9000":   "http://127.0.0.1:9000/healthz",
		"[::]:9001":      "http://127.0.0.1:9001/healthz",
		"10.0.0.5:8081":  "http://10.0.0.5:8081/healthz",
		"127.0.0.1:8082": "http://127.0.0.1:8082/healthz",
		"localhost:8083": "http://localhost:8083/healthz",
		"9002":           "http://127.0.0.1:9002/healthz",
		"nonsense":       "http://127.0.0.1:8080/healthz",
	} {
		if got := defaultHealthURL(addr); got != want {
			t.Errorf("defaultHealthURL(%q) = %q, want %q", addr, got, want)
		}
	}
}

func TestHealthcheckCommand(t *testing.T) {
	status := http.StatusOK
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	defer ts.Close()

	if _, errOut, code := runCLI(t, "healthcheck", "--url", ts.URL+"/healthz"); code != 0 {
		t.Errorf("healthy server: exit %d: %s", code, errOut)
	}
	status = http.StatusServiceUnavailable
	if _, errOut, code := runCLI(t, "healthcheck", "--url", ts.URL+"/healthz"); code != 1 || !strings.Contains(errOut, "503") {
		t.Errorf("unhealthy server: exit %d: %s", code, errOut)
	}
	// The default URL comes from GOVREPORT_ADDR.
	t.Setenv("GOVREPORT_ADDR", strings.TrimPrefix(ts.URL, "http://"))
	status = http.StatusOK
	if _, errOut, code := runCLI(t, "healthcheck"); code != 0 {
		t.Errorf("GOVREPORT_ADDR: exit %d: %s", code, errOut)
	}
	// --addr, as given to serve, wins over GOVREPORT_ADDR.
	t.Setenv("GOVREPORT_ADDR", ":1")
	if _, errOut, code := runCLI(t, "healthcheck", "--addr", strings.TrimPrefix(ts.URL, "http://")); code != 0 {
		t.Errorf("--addr: exit %d: %s", code, errOut)
	}
	ts.Close()
	if _, _, code := runCLI(t, "healthcheck"); code != 1 {
		t.Errorf("no server: exit %d, want 1", code)
	}
	if _, _, code := runCLI(t, "healthcheck", "extra"); code != 2 {
		t.Errorf("usage error: exit %d, want 2", code)
	}
}
