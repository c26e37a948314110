package main

// End-to-end tests of issue 20 (hardening, second round): stale temporary files after kill -9.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBatchKill9LeavesNoTemporaries: a batch killed with SIGKILL while
// writing leaves a hidden temporary file; the next run in that output
// folder removes it (saying so) and nothing else: files that only look
// alike, and temporaries of files the run does not write, stay.
func TestBatchKill9LeavesNoTemporaries(t *testing.T) {
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	in, out := t.TempDir(), t.TempDir()
	for i := range 150 {
		writeSeed(t, filepath.Join(in, fmt.Sprintf("r%03d.json", i)))
	}
	temp := regexp.MustCompile(`^\.r\d{3}\.(pdf|docx)\.\d{1,10}\.tmp$`)
	temps := func() []string {
		var names []string
		entries, _ := os.ReadDir(out)
		for _, e := range entries {
			if temp.MatchString(e.Name()) {
				names = append(names, e.Name())
			}
		}
		return names
	}
	// Kill the batch when a temporary file is there; it may be renamed
	// between the look and the kill, so try again.
	var left []string
	for try := 0; try < 20 && len(left) == 0; try++ {
		cmd := testCommand(t, toolTimeout, bin, "batch", "-j", "2", "--format", "pdf,docx", "-o", out, in)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
			if len(temps()) > 0 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		left = temps()
	}
	if len(left) == 0 {
		t.Fatal("no kill -9 in 20 tries left a temporary file; the test cannot show their removal")
	}
	t.Logf("kill -9 left %v", left)
	decoys := []string{".r000.pdf.tmp", ".r000.pdf.12a.tmp", "r000.pdf.123.tmp", ".other.pdf.123.tmp", ".r000.pdf.12345678901.tmp", ".r000.pdf.123.tmp.bak"}
	for _, d := range decoys {
		os.WriteFile(filepath.Join(out, d), []byte("user's"), 0o644)
	}
	stdout, stderr, code := runBin(t, in, false, "batch", "-j", "2", "--format", "pdf,docx", "-o", out, in)
	if code != 0 {
		t.Fatalf("second run: exit %d\n%s%s", code, stdout, stderr)
	}
	if now := temps(); len(now) != 0 {
		t.Errorf("temporary files still there: %v", now)
	}
	for _, l := range left {
		if !strings.Contains(stderr, "removed "+filepath.Join(out, l)+", left by an interrupted run") {
			t.Errorf("the removal of %s is not said:\n%s", l, lastLines(stderr, 5))
		}
	}
	for _, d := range decoys {
		if _, err := os.Stat(filepath.Join(out, d)); err != nil {
			t.Errorf("a file that is not ours was removed: %v", err)
		}
	}
}
