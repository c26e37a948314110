package fonts

import (
	"bytes"
	"testing"

	"github.com/govreport/govreport/fonts/fontstest"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// FuzzParseFace loads arbitrary bytes as a user's face. A face either
// fails with a *FormatError (or the CFF, collection and licence errors) or
// loads; one that loads must serve every writer: its characters' glyphs
// draw through x/image/font/sfnt (the PNG preview), it subsets (the PDF
// and DOCX), the subset renames (DOCX embedding), and the renamed subset
// loads again with the same characters.
//
// Seeds: the small face, cuts of each embedded face, the hostile shapes
// of TestLoadHostile under 64 KB, a face with a cmap 12 before a cmap 4
// that disagree, composites nested 7 deep, and truncations.
//
//	go test ./fonts -run '^$' -fuzz FuzzParseFace -parallel 1 -fuzztime 10m
func FuzzParseFace(f *testing.F) {
	small := fontstest.Small()
	f.Add(small)
	for _, n := range []int{12, 100, 1000, len(small) / 2, len(small) - 1} {
		f.Add(small[:n])
	}
	if set, err := Default(); err == nil {
		for _, face := range allFaces(set) {
			if cut, err := face.Subset([]rune("一二三年度报告AZaz09（）")); err == nil {
				f.Add(cut)
			}
		}
	}
	for _, tt := range hostile() {
		if len(tt.font) <= 64<<10 {
			f.Add(tt.font)
		}
	}
	f.Add(fontstest.Edit(func(t map[string][]byte) { t["GPOS"] = gposKern([]uint16{0, 1}, 2) }))
	m := fontstest.Map()
	f.Add(fontstest.Edit(func(t map[string][]byte) {
		groups := []fontstest.Group{{Start: 'A', End: 'Z', Glyph: 40}, {Start: 0x4E00, End: 0x4E00, Glyph: 3}}
		t["cmap"] = fontstest.Cmap(
			fontstest.Subtable{Platform: 3, Encoding: 10, Data: fontstest.Cmap12(groups)},
			fontstest.Subtable{Platform: 3, Encoding: 1, Data: fontstest.Cmap4Of(m)},
		)
	}))
	f.Add(fontstest.Edit(func(t map[string][]byte) {
		g := fontstest.Glyphs(t)
		for i := 1; i <= 7; i++ {
			g[i] = fontstest.Composite(uint16(i+1), 20)
		}
		fontstest.SetGlyphs(t, g)
	}))

	f.Fuzz(func(t *testing.T, data []byte) {
		// A user's face is its own bytes: the loader may change them (hideKerning).
		face, err := parseFace(bytes.Clone(data), "fuzz.ttf", LicenseUser, true)
		if err != nil {
			if face != nil {
				t.Fatalf("a face and an error: %v", err)
			}
			return
		}
		var runes []rune
		for r := range rune(0x10000) {
			if face.Has(r) {
				runes = append(runes, r)
				if len(runes) == 64 {
					break
				}
			}
		}
		var buf sfnt.Buffer
		for _, r := range runes {
			if _, err := face.SFNT().LoadGlyph(&buf, sfnt.GlyphIndex(face.GlyphIndex(r)), fixed.I(64), nil); err != nil {
				t.Fatalf("U+%04X loaded but does not draw: %v", r, err)
			}
		}
		cut, glyphs, err := face.SubsetGlyphs(runes)
		if err != nil {
			t.Fatalf("loaded but does not subset: %v", err)
		}
		tagged, err := Tagged(cut, "ABCDEF")
		if err != nil {
			t.Fatalf("subset not renamed: %v", err)
		}
		again, err := parseFace(tagged, "tagged", LicenseUser, true)
		if err != nil {
			t.Fatalf("the renamed subset does not load: %v", err)
		}
		for i, r := range runes {
			if again.GlyphIndex(r) != glyphs[i] {
				t.Errorf("U+%04X: glyph %d in the subset, %d said", r, again.GlyphIndex(r), glyphs[i])
			}
		}
	})
}
