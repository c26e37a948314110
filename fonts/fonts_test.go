package fonts

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

func mustDefault(t testing.TB) *Set {
	t.Helper()
	s, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return s
}

func readRunes(t testing.TB, name string) []rune {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return []rune(strings.TrimSpace(string(b)))
}

// seedRunes returns the distinct characters of the seed report (a traditional-Chinese
// annual report), without controls and spaces.
func seedRunes(t testing.TB) []rune {
	var rs []rune
	for _, r := range readRunes(t, "seed.txt") {
		if !unicode.IsControl(r) && !unicode.IsSpace(r) {
			rs = append(rs, r)
		}
	}
	slices.Sort(rs)
	return slices.Compact(rs)
}

func TestRolesParse(t *testing.T) {
	s := mustDefault(t)
	tests := []struct {
		role    Role
		source  string
		name    string
		family  string
		license string
	}{
		{RoleTitle, "embedded:title.ttf", "NotoSerifCJKsc-Bold", "Noto Serif CJK SC", LicenseOFL},
		{RoleBody, "embedded:fangsong.ttf", "FandolFang-Regular", "FandolFang", LicenseFandol},
		{RoleHei, "embedded:hei.ttf", "NotoSansCJKsc-Regular", "Noto Sans CJK SC", LicenseOFL},
		{RoleKai, "embedded:kai.ttf", "GovReportKai-Regular", "GovReport Kai", LicenseOFL},
		{RoleSong, "embedded:song.ttf", "NotoSerifCJKsc-Regular", "Noto Serif CJK SC", LicenseOFL},
	}
	if got := Roles(); len(got) != len(tests) {
		t.Fatalf("Roles() = %v", got)
	}
	for i, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			if Roles()[i] != tt.role {
				t.Errorf("Roles()[%d] = %s, want %s", i, Roles()[i], tt.role)
			}
			f := s.Face(tt.role)
			if f == nil {
				t.Fatal("no face")
			}
			if f.Source() != tt.source || f.Name() != tt.name || f.Family() != tt.family || f.License() != tt.license {
				t.Errorf("got source %q name %q family %q licence %q", f.Source(), f.Name(), f.Family(), f.License())
			}
			if strings.Contains(f.Family()+f.Name(), "LXGW") || strings.Contains(f.Family(), "霞鹜") {
				t.Errorf("reserved font name in %q / %q", f.Family(), f.Name())
			}
			if f.UnitsPerEm() != 1000 {
				t.Errorf("UnitsPerEm = %d", f.UnitsPerEm())
			}
			if a, d := f.Ascent(), f.Descent(); a < 0.7 || a > 1.3 || d < 0.1 || d > 0.5 {
				t.Errorf("Ascent %.3f Descent %.3f", a, d)
			}
			if f.SFNT() == nil || len(f.Bytes()) < 1<<20 {
				t.Errorf("SFNT %v, %d bytes", f.SFNT(), len(f.Bytes()))
			}
			var buf sfnt.Buffer
			for _, r := range "永興兴“。" {
				g, err := f.SFNT().GlyphIndex(&buf, r)
				if err != nil || g == 0 || uint16(g) != f.GlyphIndex(r) {
					t.Errorf("%c: sfnt glyph %d (%v), table %d", r, g, err, f.GlyphIndex(r))
				}
			}
			if s.Fallback() != s.Face(RoleSong) {
				t.Error("Fallback is not the song face")
			}
			if st := s.Stack(tt.role); len(st) == 0 || st[0] != f {
				t.Errorf("Stack(%s) does not start with Face", tt.role)
			}
		})
	}
	// The body role has a second face; the others one.
	for _, role := range Roles() {
		want := 1
		if role == RoleBody {
			want = 2
		}
		if n := len(s.Stack(role)); n != want {
			t.Errorf("Stack(%s) has %d faces, want %d", role, n, want)
		}
	}
	f := s.Stack(RoleBody)[1]
	if f.Source() != "embedded:fangsong-2.ttf" || f.Name() != "cwTeXFangSong" || f.Family() != "cwTeXFangSong" || f.License() != LicenseCwTeX {
		t.Errorf("second body face: source %q name %q family %q licence %q", f.Source(), f.Name(), f.Family(), f.License())
	}
}

// allFaces returns every face of every stack, each once, in role and stack order.
func allFaces(s *Set) []*Face {
	var out []*Face
	for _, role := range Roles() {
		for _, f := range s.Stack(role) {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// TestStackGrid checks that mixing the body stack's faces on one line keeps the
// 28-character grid: every character the second face has (all ideographs) is one em
// wide, as FandolFang's ideographs and full-width punctuation are, and so is every
// full-width character of the seed wherever the stack sets it.
func TestStackGrid(t *testing.T) {
	s := mustDefault(t)
	second := s.Stack(RoleBody)[1]
	n := 0
	for r := rune(0); r <= 0xFFFF; r++ {
		if !second.Has(r) {
			continue
		}
		n++
		if second.Advance(r) != 1 {
			t.Fatalf("%s %U %c: advance %v em, want 1", second.Name(), r, r, second.Advance(r))
		}
	}
	if n < 13000 {
		t.Errorf("%s has %d characters", second.Name(), n)
	}
	first := s.Face(RoleBody)
	for _, r := range "，。、：；？！“”‘’（）《》〔〕【】——……　一永" {
		if first.Advance(r) != 1 {
			t.Errorf("%s %U %c: advance %v em, want 1", first.Name(), r, r, first.Advance(r))
		}
	}
	for _, r := range seedRunes(t) {
		f, ok := s.Resolve(RoleBody, r)
		if !ok {
			continue
		}
		if unicode.Is(unicode.Han, r) && f.Advance(r) != 1 {
			t.Errorf("seed %U %c in %s: advance %v em, want 1", r, r, f.Name(), f.Advance(r))
		}
	}
}

// TestAllGlyphsLoad loads every outline of every face with x/image/font/sfnt, which the
// PNG painter uses: the CFF-to-glyf conversion must leave no glyph it cannot read.
func TestAllGlyphsLoad(t *testing.T) {
	s := mustDefault(t)
	for _, f := range allFaces(s) {
		role := f.Name()
		var buf sfnt.Buffer
		n := f.SFNT().NumGlyphs()
		empty := 0
		for g := range n {
			segs, err := f.SFNT().LoadGlyph(&buf, sfnt.GlyphIndex(g), fixed.I(64), nil)
			if err != nil {
				t.Fatalf("%s glyph %d: %v", role, g, err)
			}
			if len(segs) == 0 {
				empty++
			}
		}
		// Every mapped hanzi has an outline.
		for r := rune(0x4E00); r <= 0x9FFF; r++ {
			if g := f.GlyphIndex(r); g != 0 {
				if segs, _ := f.SFNT().LoadGlyph(&buf, sfnt.GlyphIndex(g), fixed.I(64), nil); len(segs) == 0 {
					t.Errorf("%s %U %c: empty outline", role, r, r)
				}
			}
		}
		t.Logf("%s: %d glyphs load, %d empty (spaces, .notdef-like)", role, n, empty)
	}
}

func TestCoverage(t *testing.T) {
	s := mustDefault(t)
	gb := readRunes(t, "gb2312-hanzi.txt")
	big5 := readRunes(t, "big5-hanzi.txt")
	if len(gb) != 6763 || len(big5) != 13063 {
		t.Fatalf("lists: %d GB2312, %d Big5 hanzi", len(gb), len(big5))
	}
	count := func(f *Face, rs []rune) int {
		n := 0
		for _, r := range rs {
			if f.Has(r) {
				n++
			}
		}
		return n
	}
	tests := []struct {
		role         Role
		gb2312, big5 int // the role's first face
		big5Stack    int // in the role's stack (-1: only logged)
		big5Resolved int // through Resolve (role stack or fallback)
	}{
		{RoleTitle, 6763, 13063, 13063, 13063},
		{RoleBody, 6763, 5528, 13063, 13063}, // cwTeX FangSong sets the other 7,535
		{RoleHei, 6763, 13063, 13063, 13063},
		{RoleKai, 6763, -1, -1, 13063}, // -1: only logged
		{RoleSong, 6763, 13063, 13063, 13063},
	}
	for _, tt := range tests {
		t.Run(string(tt.role), func(t *testing.T) {
			f := s.Face(tt.role)
			g, b := count(f, gb), count(f, big5)
			resolved, stacked := 0, 0
			for _, r := range big5 {
				if f, ok := s.Resolve(tt.role, r); ok {
					resolved++
					if slices.Contains(s.Stack(tt.role), f) {
						stacked++
					}
				}
			}
			t.Logf("%s (%s): GB2312 %d/6763, Big5 %d/13063, Big5 in the stack %d, via Resolve %d", tt.role, f.Name(), g, b, stacked, resolved)
			if g != tt.gb2312 || (tt.big5 >= 0 && b != tt.big5) || (tt.big5Stack >= 0 && stacked != tt.big5Stack) || resolved != tt.big5Resolved {
				t.Errorf("want GB2312 %d, Big5 %d, in the stack %d, resolved %d", tt.gb2312, tt.big5, tt.big5Stack, tt.big5Resolved)
			}
		})
	}
	if n := count(s.Fallback(), []rune(string(rangeRunes(0x4E00, 0x9FA5)))); n != 20902 {
		t.Errorf("fallback covers %d of 20902 URO hanzi", n)
	}
	// Every character of the seed (a traditional-character report) is 仿宋.
	for _, r := range seedRunes(t) {
		if f, ok := s.Resolve(RoleBody, r); !ok {
			t.Errorf("seed character %U %q has no face", r, r)
		} else if !slices.Contains(s.Stack(RoleBody), f) {
			t.Errorf("seed character %U %q falls back to %s", r, r, f.Name())
		}
	}
}

func sourceOf(f *Face) string {
	if f == nil {
		return "<nil>"
	}
	return f.Source()
}

func rangeRunes(lo, hi rune) []rune {
	var rs []rune
	for r := lo; r <= hi; r++ {
		rs = append(rs, r)
	}
	return rs
}

func TestAdvance(t *testing.T) {
	s := mustDefault(t)
	tests := []struct {
		role   Role
		r      rune
		lo, hi float64
	}{
		{RoleBody, '永', 0.99, 1.01},
		{RoleBody, 'a', 0.1, 0.99},
		{RoleSong, '永', 0.99, 1.01},
		{RoleSong, 'a', 0.1, 0.99},
		{RoleTitle, '。', 0.99, 1.01},
		{RoleKai, '永', 0.5, 1.01},
		{RoleKai, 'a', 0.1, 0.99},
		{RoleHei, 'a', 0.1, 0.99},
		{RoleSong, 0x2A6D6, 0, 0}, // outside the BMP: never
		{RoleSong, -1, 0, 0},
	}
	for _, tt := range tests {
		f := s.Face(tt.role)
		if got := f.Advance(tt.r); got < tt.lo || got > tt.hi {
			t.Errorf("%s Advance(%U) = %v, want in [%v, %v]", tt.role, tt.r, got, tt.lo, tt.hi)
		}
		if f.Has(tt.r) != (tt.hi > 0) {
			t.Errorf("%s Has(%U) = %v", tt.role, tt.r, f.Has(tt.r))
		}
	}
	// The advance table agrees with sfnt for every character of the seed.
	var buf sfnt.Buffer
	for _, role := range Roles() {
		f := s.Face(role)
		for _, r := range seedRunes(t) {
			if !f.Has(r) {
				continue
			}
			g, _ := f.SFNT().GlyphIndex(&buf, r)
			adv, err := f.SFNT().GlyphAdvance(&buf, g, fixed.I(f.UnitsPerEm()), 0)
			if err != nil || float64(adv)/64/float64(f.UnitsPerEm()) != f.Advance(r) {
				t.Errorf("%s %q: sfnt advance %v (%v), table %v", role, r, adv, err, f.Advance(r))
			}
		}
	}
}

func TestResolveAndReport(t *testing.T) {
	s := mustDefault(t)
	tests := []struct {
		role     Role
		text     string
		fallback string
		missing  string
	}{
		{RoleBody, "永兴傣族乡", "", ""},
		{RoleBody, "永興傣族鄉為眾為產況", "", ""}, // cwTeX FangSong sets what FandolFang lacks
		{RoleBody, "a𪛖b𪛖\n㐀", "", "𪛖㐀"},
		{RoleBody, "仿宋㎡℉", "㎡℉", ""}, // symbols only the 宋体 face has
		{RoleKai, "（一）工作", "", ""},
	}
	for _, tt := range tests {
		fb, miss := s.Report(tt.role, tt.text)
		if string(fb) != tt.fallback || string(miss) != tt.missing {
			t.Errorf("Report(%s, %q) = %q, %q; want %q, %q", tt.role, tt.text, string(fb), string(miss), tt.fallback, tt.missing)
		}
		for _, r := range tt.fallback {
			if f, ok := s.Resolve(tt.role, r); !ok || f != s.Fallback() {
				t.Errorf("Resolve(%s, %q) = %s, %v; want fallback", tt.role, r, sourceOf(f), ok)
			}
		}
	}
	if f, ok := s.Resolve(RoleBody, '永'); !ok || f != s.Face(RoleBody) {
		t.Errorf("Resolve(body, 永) = %s, %v", sourceOf(f), ok)
	}
	if f, ok := s.Resolve(RoleBody, '眾'); !ok || f != s.Stack(RoleBody)[1] {
		t.Errorf("Resolve(body, 眾) = %s, %v; want the second body face", sourceOf(f), ok)
	}
	uses := s.Uses(RoleBody, "為民服眾㎡𪛖為")
	want := []struct {
		source   string
		fallback bool
		runes    string
	}{
		{"embedded:fangsong.ttf", false, "民服"},
		{"embedded:fangsong-2.ttf", false, "為眾"},
		{"embedded:song.ttf", true, "㎡"},
		{"<nil>", false, "𪛖"},
	}
	if len(uses) != len(want) {
		t.Fatalf("Uses: %d groups, want %d", len(uses), len(want))
	}
	for i, u := range uses {
		if sourceOf(u.Face) != want[i].source || u.Fallback != want[i].fallback || string(u.Runes) != want[i].runes {
			t.Errorf("Uses[%d] = %s %v %q, want %+v", i, sourceOf(u.Face), u.Fallback, string(u.Runes), want[i])
		}
	}
	if _, ok := s.Resolve(RoleBody, 0x2A6D6); ok {
		t.Error("Resolve of a non-BMP character succeeded")
	}

	errTests := []struct {
		err  MissingError
		want string
	}{
		{MissingError{0x2A6D6, "/overview/0"}, `no font has U+2A6D6 "𪛖" (at /overview/0): characters above U+FFFF cannot be embedded in the PDF`},
		{MissingError{0x3400, ""}, `no font has U+3400 "㐀"`},
	}
	for _, tt := range errTests {
		var err error = &tt.err
		if err.Error() != tt.want {
			t.Errorf("Error() = %q, want %q", err.Error(), tt.want)
		}
	}
}

func TestSubset(t *testing.T) {
	s := mustDefault(t)
	seed := seedRunes(t)
	for _, f := range allFaces(s) {
		role := f.Name()
		t.Run(role, func(t *testing.T) {
			var runes []rune
			for _, r := range seed {
				if f.Has(r) {
					runes = append(runes, r)
				}
			}
			b, err := f.Subset(runes)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d runes -> %d bytes", role, len(runes), len(b))
			sub, err := parseFace(b, "subset", f.License(), true)
			if err != nil {
				t.Fatalf("subset does not re-parse: %v", err)
			}
			if sub.Name() != f.Name() || sub.UnitsPerEm() != f.UnitsPerEm() {
				t.Errorf("subset name %q upm %d", sub.Name(), sub.UnitsPerEm())
			}
			var buf sfnt.Buffer
			for i, r := range runes {
				// Glyphs are numbered in rune order after .notdef (no duplicate glyphs
				// among these runes), and advances are unchanged.
				g, err := sub.SFNT().GlyphIndex(&buf, r)
				if err != nil || int(g) != i+1 || sub.Advance(r) != f.Advance(r) {
					t.Fatalf("%q: glyph %d (%v), want %d; advance %v want %v", r, g, err, i+1, sub.Advance(r), f.Advance(r))
				}
				// Same outline as in the full face.
				want, err1 := f.SFNT().LoadGlyph(&buf, sfnt.GlyphIndex(f.GlyphIndex(r)), fixed.I(100), nil)
				want = slices.Clone(want)
				got, err2 := sub.SFNT().LoadGlyph(&buf, g, fixed.I(100), nil)
				if err1 != nil || err2 != nil || !slices.Equal(want, got) {
					t.Fatalf("%q: outline differs (%v, %v)", r, err1, err2)
				}
			}
			if sub.Has('\u4E36') && !f.Has('\u4E36') {
				t.Error("subset maps a rune the face lacks")
			}
			// Determinism: order and repeats of the input do not matter.
			rev := slices.Clone(runes)
			slices.Reverse(rev)
			rev = append(rev, runes[:10]...)
			rev = append(rev, 0x2A6D6, 0x3400)
			b2, err := f.Subset(rev)
			if err != nil || !bytes.Equal(b, b2) {
				t.Errorf("Subset is not deterministic (%v)", err)
			}
		})
	}
	empty, err := s.Face(RoleBody).Subset(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sfnt.Parse(empty); err != nil {
		t.Errorf("empty subset: %v", err)
	}
}

// TestSubsetGlyphs checks the contract with the PDF writer, which addresses glyphs of
// the cut by index (Identity-H, identity CIDToGIDMap): SubsetGlyphs names for each
// character the glyph the cut's own cmap gives it, with the face's advance, and 0
// for a character the face lacks.
func TestSubsetGlyphs(t *testing.T) {
	s := mustDefault(t)
	lines := map[Role]string{
		RoleTitle: "永興傣族鄉2024年政府信息公開工作年度報告",
		RoleBody:  "一是加大政府信息公开力度，运用政府网站“永兴”。",
		RoleHei:   "一、總體情況",
		RoleKai:   "（一）主動公開情況",
		RoleSong:  "— 1 — 傣族鄉鎮",
	}
	for _, role := range Roles() {
		f := s.Face(role)
		runes := append([]rune(lines[role]), 0xE000) // a private-use character no face has
		b, glyphs, err := f.SubsetGlyphs(runes)
		if err != nil {
			t.Fatalf("%s: %v", role, err)
		}
		cut, err := sfnt.Parse(b)
		if err != nil {
			t.Fatalf("%s: cut does not parse: %v", role, err)
		}
		var buf sfnt.Buffer
		for i, r := range runes {
			if r == 0xE000 {
				if glyphs[i] != 0 {
					t.Errorf("%s: U+E000 got glyph %d, want 0", role, glyphs[i])
				}
				continue
			}
			g, err := cut.GlyphIndex(&buf, r)
			if err != nil || g == 0 || uint16(g) != glyphs[i] {
				t.Errorf("%s: %q is glyph %d in the cut's cmap (%v), SubsetGlyphs says %d", role, r, g, err, glyphs[i])
				continue
			}
			upm := fixed.Int26_6(f.UnitsPerEm() * 64)
			adv, err := cut.GlyphAdvance(&buf, g, upm, 0)
			if err != nil || abs(float64(adv)/float64(upm)-f.Advance(r)) > 1e-9 {
				t.Errorf("%s: %q advance %v in the cut, %g em in the face", role, r, adv, f.Advance(r))
			}
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestLoad(t *testing.T) {
	base := mustDefault(t)
	kai, err := os.ReadFile("faces/kai.ttf")
	if err != nil {
		t.Fatal(err)
	}
	write := func(t *testing.T, name string, data []byte) string {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	testdata := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	t.Run("empty dir string is Default", func(t *testing.T) {
		s, err := Load("")
		if err != nil || s != base {
			t.Errorf("Load(\"\") = %p, %v; want Default %p", s, err, base)
		}
	})
	t.Run("override body", func(t *testing.T) {
		dir := write(t, "body.ttf", kai)
		if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("ignored"), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		f := s.Face(RoleBody)
		if want := filepath.Join(dir, "body.ttf"); f.Source() != want || f.License() != LicenseUser || f.Name() != "GovReportKai-Regular" {
			t.Errorf("body face: source %q licence %q name %q", f.Source(), f.License(), f.Name())
		}
		for _, role := range []Role{RoleTitle, RoleHei, RoleKai, RoleSong} {
			if s.Face(role) != base.Face(role) {
				t.Errorf("%s changed", role)
			}
		}
		if base.Face(RoleBody).Source() != "embedded:fangsong.ttf" {
			t.Error("Load modified the default set")
		}
		// The second face stays behind an agency's first face.
		if st := s.Stack(RoleBody); len(st) != 2 || st[1] != base.Stack(RoleBody)[1] {
			t.Errorf("body stack %v", st)
		}
	})
	t.Run("stack places", func(t *testing.T) {
		dir := write(t, "body-2.ttf", kai)
		for _, name := range []string{"body-4.TTF", "hei-2.ttf"} {
			if err := os.WriteFile(filepath.Join(dir, name), kai, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		s, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range s.Stack(RoleBody) {
			got = append(got, filepath.Base(f.Source()))
		}
		if want := []string{"embedded:fangsong.ttf", "body-2.ttf", "body-4.TTF"}; !slices.Equal(got, want) {
			t.Errorf("body stack %v, want %v", got, want)
		}
		if st := s.Stack(RoleHei); len(st) != 2 || st[0] != base.Face(RoleHei) || filepath.Base(st[1].Source()) != "hei-2.ttf" {
			t.Errorf("hei stack %v", st)
		}
		// The added face sets what the first lacks: 為 is not in FandolFang.
		if f, _ := s.Resolve(RoleBody, '為'); f != s.Stack(RoleBody)[1] {
			t.Errorf("為 set in %s", sourceOf(f))
		}
	})

	errTests := []struct {
		name, file string
		data       []byte
		want       string // in the error, besides the file name
	}{
		{"collection by extension", "song.ttc", testdata("collection-sample.ttc"), "collection"},
		{"collection named .ttf", "song.ttf", testdata("collection-sample.ttc"), "collection"},
		{"CFF otf", "body.otf", testdata("cff-sample.otf"), "CFF"},
		{"garbage", "title.ttf", []byte("this is not a font, it is a text file\n"), "not a TrueType font"},
		{"truncated", "hei.ttf", kai[:5000], "out of bounds"},
		{"empty", "kai.ttf", nil, "not a font file"},
		{"second face garbage", "body-2.ttf", []byte("not a font"), "not a font file"},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			dir := write(t, tt.file, tt.data)
			_, err := Load(dir)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), filepath.Join(dir, tt.file)) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name the file and %q", err, tt.want)
			}
			t.Logf("%v", err)
		})
	}
	t.Run("missing dir", func(t *testing.T) {
		_, err := Load(filepath.Join(t.TempDir(), "nope"))
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestFiles(t *testing.T) {
	for _, name := range []string{"LICENSE-OFL.txt", "LICENSE-Fandol.txt", "LICENSE-cwTeX.txt", "README.md"} {
		b, err := fsReadFile(name)
		if err != nil || len(b) == 0 {
			t.Errorf("%s: %d bytes, %v", name, len(b), err)
		}
	}
	// Every embedded face's licence text is among the files.
	for _, f := range allFaces(mustDefault(t)) {
		if name := LicenseFile(f.License()); name == "" {
			t.Errorf("%s: no licence file for %q", f.Name(), f.License())
		} else if _, err := fsReadFile(name); err != nil {
			t.Errorf("%s: %v", f.Name(), err)
		}
	}
	if LicenseFile(LicenseUser) != "" {
		t.Error("a user's face has a licence file")
	}
	b, _ := fsReadFile("LICENSE-Fandol.txt")
	if !bytes.Contains(b, []byte("As a special exception")) {
		t.Error("Fandol licence lacks the font exception")
	}
	b, _ = fsReadFile("LICENSE-cwTeX.txt")
	if !bytes.Contains(b, []byte("As a special exception")) || !bytes.Contains(b, []byte("GNU GENERAL PUBLIC LICENSE")) || !bytes.Contains(b, []byte("Version 2")) {
		t.Error("cwTeX licence lacks the font exception or the GPL-2 text")
	}
	b, _ = fsReadFile("LICENSE-OFL.txt")
	if !bytes.Contains(b, []byte("SIL OPEN FONT LICENSE Version 1.1")) || !bytes.Contains(b, []byte("LXGW")) {
		t.Error("OFL text or the LXGW reserved-name notice missing")
	}
}

func fsReadFile(name string) ([]byte, error) {
	f, err := Files().Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(f)
	return buf.Bytes(), err
}

func BenchmarkAdvance(b *testing.B) {
	f := mustDefault(b).Face(RoleBody)
	text := []rune("永興傣族鄉2024年政府信息公開工作年度報告")
	var sum float64
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sum += f.Advance(text[i%len(text)])
	}
	if sum == 0 {
		b.Fatal("zero advances")
	}
}

func BenchmarkResolve(b *testing.B) {
	s := mustDefault(b)
	text := []rune("永興傣族鄉2024年政府信息公開工作年度報告")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, ok := s.Resolve(RoleBody, text[i%len(text)]); !ok {
			b.Fatal("missing")
		}
	}
}

func BenchmarkSubset(b *testing.B) {
	s := mustDefault(b)
	seed := seedRunes(b)
	for _, role := range Roles() {
		f := s.Face(role)
		b.Run(string(role), func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				out, err := f.Subset(seed)
				if err != nil {
					b.Fatal(err)
				}
				n = len(out)
			}
			b.ReportMetric(float64(n), "bytes")
		})
	}
}
