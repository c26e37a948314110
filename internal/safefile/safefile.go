// Package safefile reads and writes the files a user names without the
// surprises of os.ReadFile and a plain rename: a FIFO or a device named
// like a report or a font is refused at once instead of blocking forever
// or reading without end, a file is read only up to a bound, and a file is
// replaced only whole, only if it is a regular file, keeping its mode.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrNotRegular is returned for a path that names something other than a
// regular file: a FIFO, a socket, a device or a directory.
var ErrNotRegular = errors.New("not a regular file")

// TooLargeError is a file larger than the bound its reader set.
type TooLargeError struct {
	Name  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: larger than %d bytes", e.Name, e.Limit)
}

// kind names what a non-regular file is, for error messages.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// Read reads the regular file name (following symbolic links), at most
// limit bytes. The file is opened without blocking, so a FIFO is refused
// at once rather than waiting for a writer, and the check is made on the
// opened file, so it cannot be swapped for a FIFO in between.
func Read(name string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind(st.Mode()))}
	}
	if st.Size() > limit {
		return nil, &TooLargeError{Name: name, Limit: limit}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit { // it grew while we read
		return nil, &TooLargeError{Name: name, Limit: limit}
	}
	return data, nil
}

// CheckRegular returns an error unless name is a regular file (following
// symbolic links).
func CheckRegular(name string) error {
	st, err := os.Stat(name)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind(st.Mode()))}
	}
	return nil
}

// WriteAtomic writes data to a temporary file beside name and renames it
// over name, so a reader never sees a half-written document and an
// interrupted write leaves the old file. An existing name must be a
// regular file — a device, FIFO or directory is never replaced — and keeps
// its permissions; a symbolic link is written through to its target and
// stays a link. A new file gets mode 0666 less the umask, as with
// os.WriteFile.
func WriteAtomic(name string, data []byte) error {
	var mode fs.FileMode // 0: a new file
	st, err := os.Stat(name)
	switch {
	case err == nil && !st.Mode().IsRegular():
		return &fs.PathError{Op: "write", Path: name, Err: fmt.Errorf("%w (%s); not replacing it", ErrNotRegular, kind(st.Mode()))}
	case err == nil:
		mode = st.Mode().Perm()
		if real, err := filepath.EvalSymlinks(name); err == nil {
			name = real
		}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	tmp, err := writeTemp(name, data, mode)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	return os.Rename(tmp, name)
}

// WriteNew writes a file that must not exist yet, whole or not at all,
// with mode 0666 less the umask: the data goes to a temporary file beside it, which is
// then linked to the name. A link fails if the name exists, so nothing is
// overwritten even in a race; the error is then fs.ErrExist.
func WriteNew(name string, data []byte) error {
	if _, err := os.Lstat(name); err == nil {
		return &fs.PathError{Op: "write", Path: name, Err: fs.ErrExist}
	}
	tmp, err := writeTemp(name, data, 0)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, name); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &fs.PathError{Op: "write", Path: name, Err: fs.ErrExist}
		}
		return err
	}
	return nil
}

// writeTemp writes data to a new temporary file beside name, synced to
// disk, and returns the temporary file's name for the caller to rename or
// link, and to remove. The file has mode, or with mode 0 that of a new
// file: 0666 less the umask, which the kernel applies at creation (and
// os.CreateTemp's 0600 would hide).
func writeTemp(name string, data []byte, mode fs.FileMode) (string, error) {
	tmp, err := createTemp(filepath.Dir(name), "."+filepath.Base(name)+".", ".tmp")
	if err != nil {
		// Name the file the user asked for, not our temporary one: "open
		// /x/.r.pdf.123.tmp: no such file or directory" reads like a bug.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", &fs.PathError{Op: "write", Path: name, Err: err}
	}
	if mode != 0 {
		err = tmp.Chmod(mode) // before the data goes in
	}
	if err == nil {
		_, err = tmp.Write(data)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}

// tempName reports whether name (a file name without its folder) is one
// of writeTemp's temporary files, "." + target + "." + decimal digits +
// ".tmp", and returns target, the file it was to become.
func tempName(name string) (target string, ok bool) {
	mid, ok := strings.CutSuffix(name, ".tmp")
	if !ok || !strings.HasPrefix(mid, ".") {
		return "", false
	}
	i := strings.LastIndexByte(mid, '.')
	digits := mid[i+1:]
	if i < 1 || len(digits) == 0 || len(digits) > 10 { // rand.Uint32 has at most 10
		return "", false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return "", false
		}
	}
	return mid[1:i], mid[1:i] != ""
}

// RemoveStaleTemps removes from dir the temporary files that WriteAtomic
// and WriteNew left when their process was killed (kill -9, a crash, the
// machine losing power) while writing a file of dir that ours accepts (by
// its name, without the folder): only regular files named exactly as
// writeTemp names them (".r.pdf.123456.tmp" for r.pdf), and only those
// last modified before before, the start of the caller's run, so a
// temporary file another process is writing now is left alone. It returns
// the names removed.
func RemoveStaleTemps(dir string, ours func(target string) bool, before time.Time) ([]string, error) {
	// Names only, unsorted, then a look at the few candidates: for 10,000
	// entries half the allocations of os.ReadDir and 18–25 ms against
	// 31–98 ms (BenchmarkRemoveStaleTemps, a loaded 2-core machine).
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, n := range names {
		target, ok := tempName(n)
		if !ok || !ours(target) {
			continue
		}
		name := filepath.Join(dir, n)
		info, err := os.Lstat(name)
		if err != nil || !info.Mode().IsRegular() || !info.ModTime().Before(before) {
			continue
		}
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, err
		}
		removed = append(removed, name)
	}
	slices.Sort(removed)
	return removed, nil
}

// createTemp is os.CreateTemp with mode 0666 (less the umask) instead of
// 0600.
func createTemp(dir, prefix, suffix string) (*os.File, error) {
	for range 10000 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 10)+suffix)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, &fs.PathError{Op: "createtemp", Path: filepath.Join(dir, prefix+"*"+suffix), Err: fs.ErrExist}
}

// Same reports whether a and b name the same existing file.
func Same(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false
	}
	return os.SameFile(sa, sb)
}
