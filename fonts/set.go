package fonts

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/govreport/govreport/internal/safefile"
)

// Role is a typeface role of GB/T 9704. In a Set each role has an ordered stack of
// faces of its style: a character is set in the first face that has it, so a second
// 仿宋 can fill the traditional characters the first lacks without a change of style.
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
	LicenseCwTeX  = "GPL-2.0-or-later with font exception"
	LicenseUser   = "user-supplied"
)

// LicenseFile names the text of an embedded face's licence among Files
// (LICENSE-OFL.txt …), "" for a user's face.
func LicenseFile(license string) string {
	switch license {
	case LicenseOFL:
		return "LICENSE-OFL.txt"
	case LicenseFandol:
		return "LICENSE-Fandol.txt"
	case LicenseCwTeX:
		return "LICENSE-cwTeX.txt"
	}
	return ""
}

// MaxStack is the most faces a role's stack holds: <role>.ttf and <role>-2.ttf …
// <role>-9.ttf in a font directory.
const MaxStack = 9

// docFS holds the licence texts and the README of the faces, so that the binary can
// show the licences that go with the faces it carries.
//
//go:embed faces/LICENSE-*.txt faces/README.md
var docFS embed.FS

// Files returns the embedded licence texts and README of the faces (LICENSE-OFL.txt,
// LICENSE-Fandol.txt, LICENSE-cwTeX.txt, README.md), e.g. for a command that prints them. The faces
// themselves are available through [Face.Bytes].
func Files() fs.FS {
	sub, err := fs.Sub(docFS, "faces")
	if err != nil {
		panic(err) // "faces" is a valid constant path
	}
	return sub
}

// Set maps every role to its stack of faces. It is immutable and safe for
// concurrent use.
type Set struct {
	stacks map[Role][]*Face
}

// defaultFaces is the function Default calls, set by RegisterDefault.
var (
	defaultMu    sync.RWMutex
	defaultFaces func() (*Set, error)
)

// ErrNoDefault is Default's error when no package has registered default faces.
var ErrNoDefault = errors.New("fonts: no default faces: import github.com/govreport/govreport/fonts/faces, or build a Set from your own faces (Load, NewSet)")

// RegisterDefault makes faces the source of Default's set. Package
// [github.com/govreport/govreport/fonts/faces] calls it when it is imported,
// as an image decoder registers itself with package image: the 48 MB of
// faces are linked into a program only if it imports them, so a program that
// brings its own faces (Load, NewSet) stays small. faces is called on every
// call to Default and should cache its set.
func RegisterDefault(faces func() (*Set, error)) {
	defaultMu.Lock()
	defer defaultMu.Unlock()
	defaultFaces = faces
}

// Default returns the default faces: the embedded ones when the program imports
// package [github.com/govreport/govreport/fonts/faces], else ErrNoDefault.
func Default() (*Set, error) {
	defaultMu.RLock()
	faces := defaultFaces
	defaultMu.RUnlock()
	if faces == nil {
		return nil, ErrNoDefault
	}
	return faces()
}

// NewSet returns a set of the given stacks: for each role its faces in the order
// characters are looked up in them. Every role needs at least one face; the song
// role's are also the fallback of the others. The stacks are copied.
func NewSet(stacks map[Role][]*Face) (*Set, error) {
	s := &Set{stacks: make(map[Role][]*Face, len(Roles()))}
	for role, stack := range stacks {
		if !slices.Contains(Roles(), role) {
			return nil, fmt.Errorf("fonts: unknown role %q", role)
		}
		if len(stack) > MaxStack {
			return nil, fmt.Errorf("fonts: role %s: %d faces, at most %d", role, len(stack), MaxStack)
		}
		if slices.Contains(stack, nil) {
			return nil, fmt.Errorf("fonts: role %s: a nil face", role)
		}
	}
	for _, role := range Roles() {
		if len(stacks[role]) == 0 {
			return nil, fmt.Errorf("fonts: role %s has no face", role)
		}
		s.stacks[role] = slices.Clone(stacks[role])
	}
	return s, nil
}

// ParseEmbedded parses a single-face TrueType font compiled into the program
// (go:embed into a string, so that its bytes stay in the binary's read-only data,
// shared by every process that maps the binary, rather than copied onto the heap).
// source names it in errors and in [Face.Source] ("embedded:song.ttf"), license in
// [Face.License]. Unlike LoadFile it does not check every glyph (60–100 ms a
// 9 MB face): use it only for faces whose glyphs a test checks, as
// package faces's TestGlyphs does for the embedded ones.
func ParseEmbedded(data, source, license string) (*Face, error) {
	return parseFace(unsafe.Slice(unsafe.StringData(data), len(data)), source, license, false)
}

// Load returns Default's faces with a role's stack changed by font files in dir
// named after the role: <role>.ttf (body.ttf, title.ttf, hei.ttf, kai.ttf, song.ttf)
// replaces the role's first face, <role>-N.ttf (N = 2 … 9, e.g. body-2.ttf) its N-th
// face, or adds a face after the last when the stack has fewer (.otf is accepted if
// it has TrueType outlines). So body.ttf = 仿宋_GB2312 keeps cwTeX FangSong behind it
// for traditional characters, and body-2.ttf puts an agency's own traditional 仿宋
// there instead. Collections (.ttc, .otc) and CFF fonts are refused, naming the file,
// because the PDF writer cannot embed them. Other files in dir are ignored. An empty
// dir means Default().
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
	s := &Set{stacks: make(map[Role][]*Face, len(base.stacks))}
	for _, role := range Roles() {
		stack := slices.Clone(base.stacks[role])
		for n := 1; n <= MaxStack; n++ {
			name := string(role)
			if n > 1 {
				name += "-" + strconv.Itoa(n)
			}
			var found []string
			for _, ext := range []string{".ttf", ".otf", ".ttc", ".otc", ".TTF", ".OTF", ".TTC", ".OTC"} {
				p := filepath.Join(dir, name+ext)
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
			if n <= len(stack) {
				stack[n-1] = f
			} else {
				stack = append(stack, f)
			}
		}
		s.stacks[role] = stack
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

// MaxFontFile is the largest font file LoadFile reads. The largest CJK
// faces (Noto Sans CJK, all weights of one style) are about 20 MB.
const MaxFontFile = 64 << 20

// LoadFile parses one single-face TrueType file; errors name the file and say why a
// font that is valid elsewhere cannot be used here (collection, CFF outlines,
// licence forbidding embedding).
func LoadFile(path string) (*Face, error) {
	if ext := strings.ToLower(filepath.Ext(path)); ext == ".ttc" || ext == ".otc" {
		return nil, fmt.Errorf("%s: %w", path, errCollection)
	}
	// A font is read whole into memory: only a regular file, and not one
	// larger than any real CJK face, so that a link to /dev/zero, a FIFO
	// or a stray disk image is an error rather than a hang or an
	// out-of-memory kill.
	data, err := safefile.Read(path, MaxFontFile)
	if err != nil {
		return nil, err // names the file
	}
	return parseFace(data, path, LicenseUser, true) // errors name the file
}

// Face returns the first face of role's stack, or nil for an unknown role.
func (s *Set) Face(r Role) *Face {
	if st := s.stacks[r]; len(st) > 0 {
		return st[0]
	}
	return nil
}

// Stack returns role's faces in the order characters are looked up in them (the
// fallback's faces not included). The slice is shared: do not modify it.
func (s *Set) Stack(r Role) []*Face { return s.stacks[r] }

// Fallback returns the first face used for characters the role's stack lacks: the
// song face, which covers all GBK hanzi and the symbols reports use. Characters it
// lacks are looked up in the rest of the song stack.
func (s *Set) Fallback() *Face { return s.Face(RoleSong) }

// Resolve picks the face for one character: the first face of the role's stack that
// has r, else the first of the song (fallback) stack; ok is false if none has it (the
// caller reports a MissingError).
func (s *Set) Resolve(role Role, r rune) (f *Face, ok bool) {
	return s.Resolver(role).Resolve(r)
}

// A Resolver is Set.Resolve for one role, its stacks looked up once: the
// layout resolves every character of a run with one (the look-up of the
// role's stack by name was 2 % of an export's CPU).
type Resolver struct {
	own, fallback []*Face
}

// Resolver returns the resolver of role.
func (s *Set) Resolver(role Role) Resolver {
	rs := Resolver{own: s.stacks[role]}
	if role != RoleSong {
		rs.fallback = s.stacks[RoleSong]
	}
	return rs
}

// Resolve is Set.Resolve of the resolver's role.
func (rs Resolver) Resolve(r rune) (f *Face, ok bool) {
	for _, f := range rs.own {
		if f.Has(r) {
			return f, true
		}
	}
	for _, f := range rs.fallback {
		if f.Has(r) {
			return f, true
		}
	}
	return nil, false
}

// Report is the coverage query behind `govreport fonts`: the characters of text that
// no face of the role's stack has but the fallback has, and those no face has, each
// deduplicated in order of first appearance. A character set by a later face of the
// role's own stack (cwTeX FangSong after FandolFang) is not a fallback: it keeps the
// role's style. Line breaks and other control characters are not reported.
func (s *Set) Report(role Role, text string) (fallback []rune, missing []rune) {
	for _, u := range s.Uses(role, text) {
		switch {
		case u.Face == nil:
			missing = u.Runes
		case u.Fallback:
			fallback = append(fallback, u.Runes...)
		}
	}
	return fallback, missing
}

// Use is the part of a text that one face sets.
type Use struct {
	Face     *Face  // nil: no face has these characters
	Fallback bool   // Face is not in the role's stack
	Runes    []rune // deduplicated, in order of first appearance
}

// Uses splits the distinct characters of text by the face that sets them in role:
// the faces of the role's stack in order, then the fallback faces, then the
// characters no face has. Faces that set nothing are left out. Line breaks and
// other control characters are not counted.
func (s *Set) Uses(role Role, text string) []Use {
	seen := make(map[rune]bool)
	by := make(map[*Face][]rune)
	for _, r := range text {
		if r < 0x20 || r == 0x7F || seen[r] {
			continue
		}
		seen[r] = true
		f, _ := s.Resolve(role, r)
		by[f] = append(by[f], r)
	}
	var uses []Use
	add := func(f *Face, fallback bool) {
		if rs, ok := by[f]; ok {
			uses = append(uses, Use{Face: f, Fallback: fallback, Runes: rs})
			delete(by, f)
		}
	}
	for _, f := range s.stacks[role] {
		add(f, false)
	}
	for _, f := range s.stacks[RoleSong] {
		add(f, true)
	}
	add(nil, false)
	return uses
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
