package main

// End-to-end tests of issue 20 (hardening, second round): batch --summary never over an input or output.

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBatchSummaryNeverOverwrites: --summary naming an input or an output
// of the run is a usage error naming both, and nothing is written.
func TestBatchSummaryNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	writeSeed(t, filepath.Join(dir, "s/a.json"))
	writeSeed(t, filepath.Join(dir, "s/b.json"))
	seed := readFile(t, filepath.Join(dir, "s/a.json"))
	os.Symlink("s/a.json", filepath.Join(dir, "link.json"))
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--summary", "s/a.json", "s/a.json"}, "--summary s/a.json is the input s/a.json"},
		{[]string{"--summary", "s/b.json", "s"}, "--summary s/b.json is the input s/b.json"},
		{[]string{"--summary", "link.json", "s/a.json"}, "--summary link.json is the input s/a.json"},
		{[]string{"--summary", "s/a.pdf", "s"}, "--summary s/a.pdf is the output s/a.pdf of s/a.json"},
		{[]string{"-o", "out", "--format", "pdf,docx", "--summary", "out/b.docx", "s"}, "--summary out/b.docx is the output out/b.docx of s/b.json"},
		{[]string{"--shard", "0/2", "--summary", "s/b.json", "s"}, "is the input s/b.json"},
		{[]string{"s", "--summary", "s/a.json"}, "--summary s/a.json is the input s/a.json"},
	} {
		stdout, stderr, code := runBin(t, dir, false, append([]string{"batch"}, tt.args...)...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("batch %s: exit %d, want 2 and %q\n%s%s", strings.Join(tt.args, " "), code, tt.want, stdout, stderr)
		}
		for _, f := range []string{"s/a.json", "s/b.json"} {
			if b := readFile(t, filepath.Join(dir, f)); !bytes.Equal(b, seed) {
				t.Fatalf("batch %s replaced %s", strings.Join(tt.args, " "), f)
			}
		}
		if m, _ := filepath.Glob(filepath.Join(dir, "s/*.pdf")); len(m) != 0 {
			t.Fatalf("batch %s rendered: %v", strings.Join(tt.args, " "), m)
		}
	}
	if _, stderr, code := runBin(t, dir, false, "batch", "-o", "out", "--summary", "out/summary.json", "s"); code != 0 {
		t.Errorf("a summary beside the outputs: exit %d\n%s", code, stderr)
	}
}
