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

// TestStaleTempsRenderGolden: render -o and golden clear away the stale
// temporary files of the files they write, as batch does, and only those.
func TestStaleTempsRenderGolden(t *testing.T) {
	dir := t.TempDir()
	writeSeed(t, filepath.Join(dir, "r.json"))
	old, future := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	files := map[string]time.Time{
		".r.pdf.123.tmp":             old,    // render's: removed
		".r.pdf.124.tmp":             future, // made after the run began: kept
		".x.pdf.5.tmp":               old,    // another file's: kept
		".r.layout.json.7.tmp":       old,    // golden's: removed
		".r.page-2.diff.png.8.tmp":   old,    // golden's: removed
		".r.problems.9.tmp":          old,    // golden's: removed
		".q.layout.json.10.tmp":      old,    // no q.json: kept
		".r.page-x.diff.png.11.tmp":  old,    // not a diff image's: kept
		".r.layout.json.12.tmp.save": old,    // not our pattern: kept
	}
	for n, tm := range files {
		os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644)
		os.Chtimes(filepath.Join(dir, n), tm, tm)
	}
	_, stderr, code := runBin(t, dir, false, "render", "r.json")
	if code != 0 || !strings.Contains(stderr, "govreport: removed .r.pdf.123.tmp, left by an interrupted run\n") {
		t.Errorf("render: exit %d\n%s", code, stderr)
	}
	stdout, stderr, code := runBin(t, dir, false, "golden", "--update", ".")
	if code != 0 {
		t.Errorf("golden: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, n := range []string{".r.layout.json.7.tmp", ".r.page-2.diff.png.8.tmp", ".r.problems.9.tmp"} {
		if !strings.Contains(stderr, "govreport: removed "+n+", left by an interrupted run\n") {
			t.Errorf("golden does not say it removed %s:\n%s", n, stderr)
		}
	}
	for n := range files {
		_, err := os.Stat(filepath.Join(dir, n))
		removed := strings.HasPrefix(n, ".r.pdf.123") || n == ".r.layout.json.7.tmp" || n == ".r.page-2.diff.png.8.tmp" || n == ".r.problems.9.tmp"
		if removed != (err != nil) {
			t.Errorf("%s: removed %v, want %v", n, err != nil, removed)
		}
	}
}
