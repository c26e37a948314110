package main

// End-to-end tests of issue 20 (hardening, second round): --dpi range.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDPIRange: --dpi outside (0, 600], NaN and infinities included, is a
// usage error naming the flag and the range, not a failed render.
func TestDPIRange(t *testing.T) {
	dir := t.TempDir()
	writeSeed(t, filepath.Join(dir, "r.json"))
	for _, dpi := range []string{"601", "NaN", "+Inf", "0", "-1", "1000"} {
		_, stderr, code := runBin(t, dir, false, "render", "r.json", "-o", "p.png", "--dpi", dpi)
		if code != 2 || !strings.Contains(stderr, "--dpi "+dpi+": must be more than 0 and at most 600") {
			t.Errorf("--dpi %s: exit %d, want 2\n%s", dpi, code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "p.png")); err == nil {
		t.Error("a PNG was written")
	}
	if _, stderr, code := runBin(t, dir, false, "render", "r.json", "-o", "p.png", "--dpi", "600"); code != 0 {
		t.Errorf("--dpi 600: exit %d\n%s", code, stderr)
	}
}
