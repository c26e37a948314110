package main

// End-to-end tests of issue 20 (hardening, second round): golden: odd files, signals, atomic --update.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startBin starts the built binary in dir with a deadline, its standard
// output and error into buffers.
func startBin(t *testing.T, dir string, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := testCommand(t, toolTimeout, bin, args...)
	cmd.Dir = dir
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &o, &e
}

// exitCode waits for cmd and returns its exit code; a process killed by a
// signal (or by the test's deadline) fails the test.
func exitCode(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	err := cmd.Wait()
	code := cmd.ProcessState.ExitCode()
	if code < 0 {
		t.Fatalf("%v: %v", cmd.Args, err)
	}
	return code
}

// TestGoldenOddFiles: golden reads only regular files, each up to a bound:
// a FIFO and a link to /dev/zero named X.json are skipped at once with a
// message (they hung the run, or read until memory ran out), a report
// over render's 32 MiB fails without being read, and the rest is compared.
func TestGoldenOddFiles(t *testing.T) {
	dir := t.TempDir()
	writeSeed(t, filepath.Join(dir, "a.json"))
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.json")); err != nil {
		t.Fatal(err)
	}
	big, err := os.Create(filepath.Join(dir, "big.json"))
	if err != nil {
		t.Fatal(err)
	}
	big.Truncate(3 << 30) // sparse: 3 GiB read as zeros
	big.Close()

	start := time.Now()
	stdout, stderr, code := runBin(t, dir, false, "golden", "--update", ".")
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("took %v", took)
	}
	if code != 1 {
		t.Errorf("exit %d, want 1 (files skipped)\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"updated a.json (1 file: a.layout.json)",
		"SKIP fifo.json: read fifo.json: not a regular file (a FIFO)",
		"SKIP zero.json: read zero.json: not a regular file (a device)",
		"FAIL big.json: big.json: larger than 33554432 bytes",
	} {
		if !strings.Contains(stdout, want+"\n") {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	// A golden that is a FIFO is not read either.
	os.Remove(filepath.Join(dir, "a.layout.json"))
	syscall.Mkfifo(filepath.Join(dir, "a.layout.json"), 0o644)
	stdout, stderr, code = runBin(t, dir, false, "golden", ".")
	if code != 1 || !strings.Contains(stdout, "FAIL a.json: read a.layout.json: not a regular file (a FIFO)") {
		t.Errorf("a FIFO golden: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestGoldenSignal: SIGINT or SIGTERM stops golden promptly: exit 1, the
// interruption said, no temporary files, every golden written whole.
func TestGoldenSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			for i := range 150 {
				writeSeed(t, filepath.Join(dir, fmt.Sprintf("r%03d.json", i)))
			}
			cmd, stdout, stderr := startBin(t, dir, "golden", "--update", ".")
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
				if m, _ := filepath.Glob(filepath.Join(dir, "*.layout.json")); len(m) >= 3 {
					break
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatal("no goldens appeared")
				}
			}
			start := time.Now()
			cmd.Process.Signal(sig)
			code := exitCode(t, cmd)
			took := time.Since(start)
			if took > 5*time.Second {
				t.Errorf("took %v to stop", took)
			}
			if code != 1 || !strings.Contains(stderr.String(), "interrupted after") {
				t.Errorf("exit %d, want 1 and the interruption said\n%s", code, stderr.String())
			}
			written, _ := filepath.Glob(filepath.Join(dir, "*.layout.json"))
			if len(written) >= 150 {
				t.Fatal("the run was not interrupted")
			}
			want, _ := os.ReadFile(written[0])
			for _, w := range written {
				if b, _ := os.ReadFile(w); !bytes.Equal(b, want) {
					t.Errorf("%s is not whole (%d bytes, want %d)", w, len(b), len(want))
				}
			}
			if tmp, _ := filepath.Glob(filepath.Join(dir, ".*")); len(tmp) != 0 {
				t.Errorf("temporary files left: %v", tmp)
			}
			if n := strings.Count(stdout.String(), "updated "); n == 0 {
				t.Errorf("the goldens written are not listed:\n%s", stdout.String())
			}
			t.Logf("stopped %v after %v, %d of 150 goldens written", took, sig, len(written))
		})
	}
}

// TestGoldenUpdateAtomic: --update rewrites only the goldens whose content
// changed (an unchanged one keeps its file and time), and replaces a
// changed one by renaming a new file over it, never rewriting it in place
// (a hard link to the old golden keeps the old content).
func TestGoldenUpdateAtomic(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "r.json")
	writeSeed(t, in)
	if stdout, stderr, code := runBin(t, dir, false, "golden", "--update", "."); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	golden := filepath.Join(dir, "r.layout.json")
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	os.Chtimes(golden, old, old)
	before, _ := os.Stat(golden)
	stdout, stderr, code := runBin(t, dir, false, "golden", "--update", ".")
	if code != 0 || !strings.Contains(stdout, "ok   r.json (goldens unchanged)") {
		t.Errorf("unchanged: exit %d\n%s%s", code, stdout, stderr)
	}
	after, _ := os.Stat(golden)
	if !after.ModTime().Equal(old) || !os.SameFile(before, after) {
		t.Errorf("an unchanged golden was rewritten: time %v, same file %v", after.ModTime(), os.SameFile(before, after))
	}

	oldLayout, _ := os.ReadFile(golden)
	if err := os.Link(golden, filepath.Join(dir, "keep")); err != nil {
		t.Fatal(err)
	}
	edited := bytes.Replace(readFile(t, in), []byte("一是思想認識不到位"), []byte("一是思想认识不到位"), 1)
	os.WriteFile(in, edited, 0o644)
	stdout, stderr, code = runBin(t, dir, false, "golden", "--update", ".")
	if code != 0 || !strings.Contains(stdout, "updated r.json (1 file: r.layout.json)") {
		t.Fatalf("changed: exit %d\n%s%s", code, stdout, stderr)
	}
	if kept := readFile(t, filepath.Join(dir, "keep")); !bytes.Equal(kept, oldLayout) {
		t.Error("the golden was rewritten in place, not replaced whole")
	}
	if now := readFile(t, golden); bytes.Equal(now, oldLayout) {
		t.Error("the golden did not change")
	}
	if st, _ := os.Stat(golden); st.Mode().Perm() != before.Mode().Perm() {
		t.Errorf("mode %v, was %v", st.Mode().Perm(), before.Mode().Perm())
	}
	if stdout, _, code := runBin(t, dir, false, "golden", "."); code != 0 {
		t.Errorf("compare after update: exit %d\n%s", code, stdout)
	}
}
