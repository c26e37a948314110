package fonts

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unsafe"
)

// Role is a typeface role of GB/T 9704; each role has one face in a Set.
type Role string

// The roles, named by their function rather than by a font, because an agency may
// put its own licensed font behind any of them.
const (
	RoleTitle Role = "title" // 小标宋 stand-in, 二号 title
	RoleBody  Role = "body"  // 仿宋: body text, tables
	RoleHei   Role = "hei"   // 黑体: 一、 headings
	RoleKai   Role = "kai"   // 楷体: （一） headings
	RoleSong  Role = "song"  // 宋体: page numbers; also the universal fallback
)

// Roles returns every role in a fixed order: title, body, hei, kai, song.
func Roles() []Role {
	return []Role{RoleTitle, RoleBody, RoleHei, RoleKai, RoleSong}
}

// Licence names of the embedded faces.
const (
	LicenseOFL    = "SIL OFL 1.1"
	LicenseFandol = "GPL-3.0 with font exception"
	LicenseUser   = "user-supplied"
)

// The face files are embedded as strings, not through an embed.FS: FS.ReadFile
// copies, which would put 38 MB on the heap per process, while a string's bytes stay
// in the binary's read-only data, shared by every process that maps the binary and
// immune to accidental writes (a write faults instead of corrupting every document).
var (
	//go:embed faces/title.ttf
	titleTTF string
	//go:embed faces/fangsong.ttf
	fangsongTTF string
	//go:embed faces/hei.ttf
	heiTTF string
	//go:embed faces/kai.ttf
	kaiTTF string
	//go:embed faces/song.ttf
	songTTF string
)

// embeddedFace says which shipped file serves a role, and under which licence.
var embeddedFace = map[Role]struct {
	file, license string
	data          *string
}{
	RoleTitle: {"title.ttf", LicenseOFL, &titleTTF},
	RoleBody:  {"fangsong.ttf", LicenseFandol, &fangsongTTF},
	RoleHei:   {"hei.ttf", LicenseOFL, &heiTTF},
	RoleKai:   {"kai.ttf", LicenseOFL, &kaiTTF},
	RoleSong:  {"song.ttf", LicenseOFL, &songTTF},
}

// docFS holds the licence texts and the README of the faces, so that the binary can
// show the licences that go with the faces it carries.
//
//go:embed faces/LICENSE-*.txt faces/README.md
var docFS embed.FS

// Files returns the embedded licence texts and README of the faces (LICENSE-OFL.txt,
// LICENSE-Fandol.txt, README.md), e.g. for a command that prints them. The faces
// themselves are available through [Face.Bytes].
func Files() fs.FS {
	sub, err := fs.Sub(docFS, "faces")
	if err != nil {
		panic(err) // "faces" is a valid constant path
	}
	return sub
}

// Set maps every role to a face. It is immutable and safe for concurrent use.
type Set struct {
	faces map[Role]*Face
}

var (
	defaultOnce sync.Once
	defaultSet  *Set
	defaultErr  error
)

// Default returns the embedded faces. They are parsed on first use, once per process,
// and shared by every caller: the parse builds per-face lookup tables (about 256 KB
// each) that every document reuses.
func Default() (*Set, error) {
	defaultOnce.Do(func() {
		defaultSet, defaultErr = loadEmbedded()
	})
	return defaultSet, defaultErr
}

func loadEmbedded() (*Set, error) {
	s := &Set{faces: make(map[Role]*Face, len(embeddedFace))}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs []error
	)
	// The faces are independent; parsing them concurrently halves start-up on two cores.
	for _, role := range Roles() {
		e := embeddedFace[role]
		wg.Go(func() {
			data := unsafe.Slice(unsafe.StringData(*e.data), len(*e.data))
			f, err := parseFace(data, "embedded:"+e.file, e.license)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("fonts: embedded face %s for role %s: %w", e.file, role, err))
				return
			}
			s.faces[role] = f
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return s, nil
}

// Load returns Default's faces with any role overridden by a font file in dir named
// after the role: body.ttf, title.ttf, hei.ttf, kai.ttf or song.ttf (.otf is accepted
// if it has TrueType outlines). Collections (.ttc, .otc) and CFF fonts are refused,
// naming the file, because the PDF writer cannot embed them. Other files in dir are
// ignored. An empty dir means Default().
func Load(dir string) (*Set, error) {
	base, err := Default()
	if err != nil || dir == "" {
		return base, err
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("fonts: font directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("fonts: font directory %s is not a directory", dir)
	}
	s := &Set{faces: make(map[Role]*Face, len(base.faces))}
	for role, f := range base.faces {
		s.faces[role] = f
	}
	for _, role := range Roles() {
		var found []string
		for _, ext := range []string{".ttf", ".otf", ".ttc", ".otc", ".TTF", ".OTF", ".TTC", ".OTC"} {
			p := filepath.Join(dir, string(role)+ext)
			if _, err := os.Stat(p); err == nil {
				found = append(found, p)
			} else if !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("fonts: role %s: %w", role, err)
			}
		}
		switch len(found) {
		case 0:
			continue
		case 1:
		default:
			// On case-insensitive file systems one file matches two spellings.
			if !sameFile(found) {
				return nil, fmt.Errorf("fonts: role %s: several files in %s: %s; keep one", role, dir, strings.Join(found, ", "))
			}
		}
		f, err := LoadFile(found[0])
		if err != nil {
			return nil, fmt.Errorf("fonts: role %s: %w", role, err)
		}
		s.faces[role] = f
	}
	return s, nil
}

func sameFile(paths []string) bool {
	first, err := os.Stat(paths[0])
	if err != nil {
		return false
	}
	for _, p := range paths[1:] {
		st, err := os.Stat(p)
		if err != nil || !os.SameFile(first, st) {
			return false
		}
	}
	return true
}

// LoadFile parses one single-face TrueType file; errors name the file and say why a
// font that is valid elsewhere cannot be used here (collection, CFF outlines,
// licence forbidding embedding).
func LoadFile(path string) (*Face, error) {
	if ext := strings.ToLower(filepath.Ext(path)); ext == ".ttc" || ext == ".otc" {
		return nil, fmt.Errorf("%s: %w", path, errCollection)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err // *PathError names the file
	}
	f, err := parseFace(data, path, LicenseUser)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Face returns the face for role, or nil for an unknown role.
func (s *Set) Face(r Role) *Face { return s.faces[r] }

// Fallback returns the face used for characters the role's face lacks: the song face,
// which covers all GBK hanzi and the symbols reports use.
func (s *Set) Fallback() *Face { return s.faces[RoleSong] }

// Resolve picks the face for one character: the role's face if it has r, else the
// fallback; ok is false if neither has it (the caller reports a MissingError).
func (s *Set) Resolve(role Role, r rune) (f *Face, ok bool) {
	if f := s.faces[role]; f != nil && f.Has(r) {
		return f, true
	}
	if f := s.Fallback(); f != nil && f.Has(r) {
		return f, true
	}
	return nil, false
}

// Report is the coverage query behind `govreport fonts`: the characters of text that
// the role's face lacks but the fallback has, and those no face has, each
// deduplicated in order of first appearance. Line breaks and other control
// characters are not reported.
func (s *Set) Report(role Role, text string) (fallback []rune, missing []rune) {
	seen := make(map[rune]bool)
	face := s.faces[role]
	for _, r := range text {
		if r < 0x20 || r == 0x7F || seen[r] {
			continue
		}
		seen[r] = true
		switch f, ok := s.Resolve(role, r); {
		case !ok:
			missing = append(missing, r)
		case f != face:
			fallback = append(fallback, r)
		}
	}
	return fallback, missing
}

// MissingError reports a character no face has. Where says where it occurs in the
// input (for example a JSON pointer such as /overview/0).
type MissingError struct {
	Rune  rune
	Where string
}

func (e *MissingError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "no font has U+%04X %q", e.Rune, string(e.Rune))
	if e.Where != "" {
		fmt.Fprintf(&b, " (at %s)", e.Where)
	}
	if e.Rune > 0xFFFF {
		b.WriteString(": characters above U+FFFF cannot be embedded in the PDF")
	}
	return b.String()
}
