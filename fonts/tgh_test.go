package fonts

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var updateFallback = flag.Bool("update", false, "rewrite testdata/tgh-fallback.txt from the faces")

// tghRunes returns the 8,105 characters of the 通用规范汉字表 in table order
// (testdata/tgh-8105.txt, extracted from Unihan's kTGH field by
// fonts/build/convert.py --tgh-list).
func tghRunes(t testing.TB) []rune {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "tgh-8105.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var rs []rune
	for line := range strings.Lines(string(b)) {
		if !strings.HasPrefix(line, "#") {
			rs = append(rs, []rune(strings.TrimSpace(line))...)
		}
	}
	if len(rs) != 8105 {
		t.Fatalf("tgh-8105.txt: %d characters, want 8105", len(rs))
	}
	return rs
}

// tghFallbackFile is the allow-list: for each role, the characters of the
// 通用规范汉字表 below U+FFFF that no face of its stack has, with the reason in
// its comments.
const tghFallbackFile = "testdata/tgh-fallback.txt"

// tghFallbackHeader explains the allow-list; -update keeps it.
const tghFallbackHeader = `# The characters of the 通用规范汉字表 (testdata/tgh-8105.txt) below U+FFFF that no face
# of a role's stack has: they are set in the fallback face (song.ttf, 宋体), and validation
# and ` + "`govreport check`" + ` warn (fallback_character) naming the character, the role and the
# text's JSON pointer. One line per role: the role, a tab, the characters in table order.
# TestTGHCoverage fails if a role falls back on any other character, or no longer on one
# of these (go test ./fonts -run TestTGHCoverage -update rewrites the lines, not this header).
#
# body (仿宋): FandolFang (6,638 of the list) and cwTeX FangSong (a traditional 仿宋, which
# sets 818 more) are the only 仿宋 faces under an open licence in Debian (apt-cache search)
# and on npm; neither has these 453, so they are printed in 宋体 with a warning.
# Nothing else falls back: title (Noto Serif CJK SC Bold), hei (Noto Sans CJK SC) and
# kai (LXGW WenKai) carry all 7,909 BMP characters of the list.
#
# The 196 characters above U+FFFF (𬌗, 𫖯 …) are not listed: a report holding one is
# refused (outside_bmp), since the layout, the PDF writer's cmap and the faces stop at the BMP.
`

func readTGHFallback(t *testing.T) map[Role][]rune {
	t.Helper()
	m := map[Role][]rune{}
	b, err := os.ReadFile(tghFallbackFile)
	if err != nil {
		if *updateFallback && os.IsNotExist(err) {
			return m
		}
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		line = strings.TrimRight(line, "\n")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		role, chars, ok := strings.Cut(line, "\t")
		if !ok || !slices.Contains(Roles(), Role(role)) {
			t.Fatalf("%s: bad line %q", tghFallbackFile, line)
		}
		m[Role(role)] = []rune(chars)
	}
	return m
}

// TestTGHCoverage: every character of the 通用规范汉字表 below U+FFFF is set in its
// role's own style (a face of the role's stack), except those the allow-list names
// for the role; none has no face at all. It logs each role's coverage of the list and
// of GB2312's 6,763 hanzi (GB 18030's level 1 and 2), the table in faces/README.md.
func TestTGHCoverage(t *testing.T) {
	s := mustDefault(t)
	tgh := tghRunes(t)
	gb := readRunes(t, "gb2312-hanzi.txt")
	allowed := readTGHFallback(t)
	var bmp []rune
	for _, r := range tgh {
		if r <= 0xFFFF {
			bmp = append(bmp, r)
		}
	}
	if len(bmp) != 7909 {
		t.Fatalf("%d characters of the list below U+FFFF, want 7909", len(bmp))
	}
	inStack := func(role Role, r rune) bool {
		f, ok := s.Resolve(role, r)
		return ok && slices.Contains(s.Stack(role), f)
	}
	got := map[Role][]rune{}
	var table strings.Builder
	table.WriteString("| role | 通用规范汉字表 (8,105) | of them below U+FFFF (7,909) | GB2312 hanzi (6,763) |\n|---|---|---|---|\n")
	for _, role := range Roles() {
		n, ngb := 0, 0
		for _, r := range bmp {
			if inStack(role, r) {
				n++
				continue
			}
			if _, ok := s.Resolve(role, r); !ok {
				t.Errorf("%s: %U %c is in no face", role, r, r)
				continue
			}
			got[role] = append(got[role], r)
		}
		for _, r := range gb {
			if inStack(role, r) {
				ngb++
			}
		}
		fmt.Fprintf(&table, "| %s | %d | %d | %d |\n", role, n, n, ngb)
		if !slices.Equal(got[role], allowed[role]) {
			extra, gone := diffRunes(got[role], allowed[role]), diffRunes(allowed[role], got[role])
			if !*updateFallback {
				t.Errorf("role %s falls back on %d characters, the allow-list names %d: not listed %q, listed but set in the role's stack %q",
					role, len(got[role]), len(allowed[role]), string(extra), string(gone))
			}
		}
	}
	t.Logf("coverage in the role's own stack:\n%s", table.String())
	if *updateFallback {
		var b strings.Builder
		b.WriteString(tghFallbackHeader)
		for _, role := range Roles() {
			if len(got[role]) > 0 {
				fmt.Fprintf(&b, "%s\t%s\n", role, string(got[role]))
			}
		}
		if err := os.WriteFile(tghFallbackFile, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// diffRunes returns the runes of a not in b.
func diffRunes(a, b []rune) []rune {
	var out []rune
	for _, r := range a {
		if !slices.Contains(b, r) {
			out = append(out, r)
		}
	}
	return out
}
