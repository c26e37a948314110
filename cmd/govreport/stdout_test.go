package main

// End-to-end tests of issue 20 (hardening, second round): standard output that cannot be written.

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStdoutFull: every command whose output is standard output exits 1
// with a message when it cannot be written (here /dev/full: no space left
// on device), instead of 0 with the output lost.
func TestStdoutFull(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Fatalf("this test needs /dev/full: %v", err)
	}
	defer full.Close()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeSeed(t, filepath.Join(dir, "r.json"))
	bad := readFile(t, "../../testdata/reports/invalid-negative-count.json")
	os.WriteFile(filepath.Join(dir, "bad.json"), bad, 0o644)
	for _, tt := range []struct {
		args []string
		code int
	}{
		{[]string{"check", "r.json"}, 1},
		{[]string{"check", "--json", "r.json"}, 1},
		{[]string{"check", "bad.json"}, 1}, // invalid and its problems lost: still 1, and said
		{[]string{"fonts"}, 1},
		{[]string{"fonts", "r.json"}, 1},
		{[]string{"completion", "bash"}, 1},
		{[]string{"help"}, 1},
		{[]string{"help", "render"}, 1},
		{[]string{"render", "-h"}, 1},
		{[]string{"-h"}, 1},
		{[]string{"version"}, 1},
		{[]string{"--version"}, 1},
		{[]string{"init"}, 1},
		{[]string{"schema"}, 1},
		{[]string{"schema", "--list"}, 1},
		{[]string{"render", "r.json", "-o", "-"}, 1},
		{[]string{"batch", "-o", "out", "r.json"}, 1},
	} {
		cmd := testCommand(t, toolTimeout, bin, tt.args...)
		cmd.Dir = dir
		cmd.Stdout = full
		var e bytes.Buffer
		cmd.Stderr = &e
		cmd.Run()
		if code := cmd.ProcessState.ExitCode(); code != tt.code || !strings.Contains(e.String(), "writing standard output: write /dev/stdout: no space left on device") {
			t.Errorf("govreport %s > /dev/full: exit %d, want %d and a message; stderr:\n%s", strings.Join(tt.args, " "), code, tt.code, lastLines(e.String(), 3))
		}
	}
}
