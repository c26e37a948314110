package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

func fifo(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fifo.json")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.json")
	os.WriteFile(small, []byte("{}"), 0o644)
	if b, err := Read(small, 10); err != nil || string(b) != "{}" {
		t.Fatalf("Read = %q, %v", b, err)
	}
	var tooLarge *TooLargeError
	if _, err := Read(small, 1); !errors.As(err, &tooLarge) {
		t.Errorf("over the limit: %v", err)
	}
	link := filepath.Join(dir, "zero.ttf")
	os.Symlink("/dev/zero", link)
	for _, name := range []string{fifo(t), "/dev/zero", link, dir} {
		start := time.Now()
		_, err := Read(name, 1<<20)
		if !errors.Is(err, ErrNotRegular) {
			t.Errorf("%s: %v, want ErrNotRegular", name, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: refused after %v", name, d)
		}
	}
}

func TestWriteAtomic(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out.pdf")
	if err := WriteAtomic(name, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(name); st.Mode().Perm() != 0o644 {
		t.Errorf("new file mode %v, want 0644", st.Mode().Perm())
	}
	os.Chmod(name, 0o444)
	if err := WriteAtomic(name, []byte("two")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(name); st.Mode().Perm() != 0o444 {
		t.Errorf("replaced file mode %v, want 0444 kept", st.Mode().Perm())
	}
	link := filepath.Join(dir, "link.pdf")
	os.Symlink("out.pdf", link)
	if err := WriteAtomic(link, []byte("three")); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if b, _ := os.ReadFile(name); string(b) != "three" {
		t.Errorf("the link's target holds %q", b)
	}
	// Not /dev/null itself: a regression run as root would replace it.
	pipe := fifo(t)
	for _, target := range []string{pipe, dir} {
		if err := WriteAtomic(target, []byte("x")); !errors.Is(err, ErrNotRegular) {
			t.Errorf("%s: %v, want ErrNotRegular", target, err)
		}
	}
	if st, err := os.Stat(pipe); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestWriteNew(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "report.json")
	if err := WriteNew(name, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(name); st.Mode().Perm() != 0o644 {
		t.Errorf("new file mode %v, want 0644", st.Mode().Perm())
	}
	link := filepath.Join(dir, "dangling.json")
	os.Symlink("nowhere.json", link)
	for _, target := range []string{name, link, fifo(t)} {
		if err := WriteNew(target, []byte("two")); !errors.Is(err, fs.ErrExist) {
			t.Errorf("%s: %v, want fs.ErrExist", target, err)
		}
	}
	if b, _ := os.ReadFile(name); string(b) != "one" {
		t.Errorf("the existing file was overwritten: %q", b)
	}
	if _, err := os.Lstat(filepath.Join(dir, "nowhere.json")); err == nil {
		t.Error("a dangling link's target was created")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestNewFileUmask: a new file's mode is 0666 less the umask, as
// os.WriteFile and the shell's > make it, so a user whose umask keeps
// reports from others (027, 077) does not get world-readable outputs;
// a replaced file still keeps its own mode.
func TestNewFileUmask(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	dir := t.TempDir()
	for name, write := range map[string]func(string, []byte) error{"WriteAtomic": WriteAtomic, "WriteNew": WriteNew} {
		p := filepath.Join(dir, name+".json")
		if err := write(p, []byte("x")); err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Stat(p); st.Mode().Perm() != 0o640 {
			t.Errorf("%s: new file mode %v under umask 027, want 0640", name, st.Mode().Perm())
		}
	}
	p := filepath.Join(dir, "WriteAtomic.json")
	os.Chmod(p, 0o604)
	if err := WriteAtomic(p, []byte("y")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o604 {
		t.Errorf("replaced file mode %v, want 0604 kept", st.Mode().Perm())
	}
}

// TestWriteErrorNamesTheFile: a write that cannot start names the file
// asked for, not the temporary file beside it, and keeps the cause.
func TestWriteErrorNamesTheFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "missing", "r.pdf")
	for fn, write := range map[string]func(string, []byte) error{"WriteAtomic": WriteAtomic, "WriteNew": WriteNew} {
		err := write(name, []byte("x"))
		if !errors.Is(err, fs.ErrNotExist) || err.Error() != "write "+name+": no such file or directory" {
			t.Errorf("%s: %v", fn, err)
		}
	}
}

// TestRemoveStaleTemps: the temporary files writeTemp names (and only
// those, of the targets named, made before the given time, regular files)
// are removed.
func TestRemoveStaleTemps(t *testing.T) {
	dir := t.TempDir()
	f, err := createTemp(dir, ".r.pdf.", ".tmp")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	made := filepath.Base(f.Name())
	if target, ok := tempName(made); !ok || target != "r.pdf" {
		t.Fatalf("tempName(%q) = %q, %v: the pattern does not match createTemp's names", made, target, ok)
	}
	old := time.Now().Add(-time.Hour)
	keep := []string{
		".r.pdf.tmp", ".r.pdf..tmp", ".r.pdf.12a.tmp", ".r.pdf.12345678901.tmp", "r.pdf.123.tmp",
		".r.pdf.123.tmp.bak", ".other.pdf.123.tmp", "..123.tmp", ".r.pdf.-1.tmp",
	}
	for _, n := range append(keep, ".r.pdf.4294967295.tmp", ".r.docx.7.tmp") {
		os.WriteFile(filepath.Join(dir, n), nil, 0o644)
		os.Chtimes(filepath.Join(dir, n), old, old)
	}
	os.Chtimes(f.Name(), old, old)
	os.Mkdir(filepath.Join(dir, ".r.pdf.99.tmp"), 0o755) // not a regular file
	os.Symlink("/etc/passwd", filepath.Join(dir, ".r.pdf.98.tmp"))
	fresh := filepath.Join(dir, ".r.pdf.97.tmp") // made after the run began
	os.WriteFile(fresh, nil, 0o644)
	os.Chtimes(fresh, time.Now().Add(time.Hour), time.Now().Add(time.Hour))
	keep = append(keep, ".r.pdf.99.tmp", ".r.pdf.98.tmp", ".r.pdf.97.tmp")

	ours := func(target string) bool { return target == "r.pdf" || target == "r.docx" }
	removed, err := RemoveStaleTemps(dir, ours, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{made: true, ".r.pdf.4294967295.tmp": true, ".r.docx.7.tmp": true}
	if len(removed) != len(want) {
		t.Errorf("removed %v, want %v", removed, want)
	}
	for _, r := range removed {
		if !want[filepath.Base(r)] || filepath.Dir(r) != dir {
			t.Errorf("removed %s", r)
		}
	}
	for _, n := range keep {
		if _, err := os.Lstat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
}

// BenchmarkRemoveStaleTemps: the cost a batch pays at its start for a
// folder of 10,000 outputs with no temporary file left (one ReadDir and a
// name check per entry).
func BenchmarkRemoveStaleTemps(b *testing.B) {
	dir := b.TempDir()
	targets := map[string]bool{}
	for i := range 10000 {
		n := "report-" + strconv.Itoa(i) + ".pdf"
		targets[n] = true
		os.WriteFile(filepath.Join(dir, n), nil, 0o644)
	}
	ours := func(target string) bool { return targets[target] }
	start := time.Now()
	b.ResetTimer()
	for b.Loop() {
		if _, err := RemoveStaleTemps(dir, ours, start); err != nil {
			b.Fatal(err)
		}
	}
}
