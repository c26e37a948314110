package main

import (
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestRenderTunesGC: render, like batch and serve, collects garbage at
// GOGC 800 with a 250 MiB soft limit unless GOGC or GOMEMLIMIT are set
// (a seed render spent 15–35 % of its CPU in the collector otherwise).
func TestRenderTunesGC(t *testing.T) {
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		if v, ok := os.LookupEnv(name); ok {
			os.Unsetenv(name)
			t.Cleanup(func() { os.Setenv(name, v) })
		}
	}
	oldPercent := debug.SetGCPercent(100)
	oldLimit := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(oldPercent); debug.SetMemoryLimit(oldLimit) })
	debug.SetMemoryLimit(1 << 62)
	out := filepath.Join(t.TempDir(), "r.pdf")
	var stderr strings.Builder
	if code := run([]string{"render", "../../testdata/reports/yongxing-2024.json", "-o", out}, strings.NewReader(""), io.Discard, &stderr); code != 0 {
		t.Fatalf("render: exit %d: %s", code, stderr.String())
	}
	if got := debug.SetGCPercent(100); got != 800 {
		t.Errorf("GOGC after render = %d, want 800", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 250<<20 {
		t.Errorf("memory limit after render = %d, want %d", got, 250<<20)
	}
}
