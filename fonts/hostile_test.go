package fonts

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govreport/govreport/fonts/fontstest"
)

var be = binary.BigEndian

// format6 is a format 6 cmap subtable mapping nothing (one entry, glyph 0):
// a subtable golang.org/x/image/font/sfnt reads and ours does not.
func format6() []byte {
	b := make([]byte, 12)
	be.PutUint16(b, 6)
	be.PutUint16(b[2:], 12)
	be.PutUint16(b[6:], 0x20) // firstCode
	be.PutUint16(b[8:], 1)    // entryCount
	return b
}

// hostile are fonts built from the small face with one table broken, each
// with the table the loader must name. On the code before FormatError, the
// first panicked (index out of range in cmap4), the segment and group
// shapes loaded in seconds, and the glyph and name shapes loaded and failed
// later in one writer.
func hostile() []struct {
	name, table, reason string
	font                []byte
} {
	setCmap := func(subs ...fontstest.Subtable) []byte {
		return fontstest.Edit(func(t map[string][]byte) { t["cmap"] = fontstest.Cmap(subs...) })
	}
	editGlyphs := func(fn func(g [][]byte) [][]byte) []byte {
		return fontstest.Edit(func(t map[string][]byte) { fontstest.SetGlyphs(t, fn(fontstest.Glyphs(t))) })
	}
	sentinel := fontstest.Segment{Start: 0xFFFF, End: 0xFFFF, Delta: 1}
	// Two segments but segCountX2 3, the subtable ending where 3 says.
	odd := fontstest.Cmap4([]fontstest.Segment{{Start: 0x41, End: 0x5A, Delta: 1}, sentinel}, 3, nil)[:16+4*3]
	overlapping := make([]fontstest.Segment, 0, 16001)
	for range 16000 {
		overlapping = append(overlapping, fontstest.Segment{Start: 0, End: 0xFFFE, Delta: 1})
	}
	overlapping = append(overlapping, sentinel)
	groups := make([]fontstest.Group, 200000)
	for i := range groups {
		groups[i] = fontstest.Group{Start: 0, End: 0xFFFE, Glyph: 1}
	}
	chain := func(g [][]byte) [][]byte { // glyphs 1…9 each a composite of the next
		for i := 1; i <= 9; i++ {
			g[i] = fontstest.Composite(uint16(i + 1))
		}
		return g
	}
	tree := func(g [][]byte) [][]byte { // glyph 90 a tree 7 deep of 9 components each: 4.8 million outlines
		for len(g) < 100 {
			g = append(g, nil)
		}
		for level := range 7 {
			comps := make([]uint16, 9)
			for k := range comps {
				comps[k] = uint16(90 + level + 1)
			}
			if level == 6 {
				for k := range comps {
					comps[k] = 20 // a real outline
				}
			}
			g[90+level] = fontstest.Composite(comps...)
		}
		return g
	}
	pointMatched := fontstest.Composite(3)
	be.PutUint16(pointMatched[10:], 0) // flags: no ARGS_ARE_XY_VALUES
	return []struct {
		name, table, reason string
		font                []byte
	}{
		{"odd segCountX2", "cmap", "segCountX2 3", setCmap(fontstest.Subtable{Platform: 3, Encoding: 10, Data: format6()}, fontstest.Subtable{Platform: 3, Encoding: 1, Data: odd})},
		{"16k overlapping segments", "cmap", "not after the previous segment", setCmap(fontstest.Subtable{Platform: 3, Encoding: 1, Data: fontstest.Cmap4(overlapping, 2*16001, nil)})},
		{"200k groups", "cmap", "200000 groups, more than 20000", setCmap(fontstest.Subtable{Platform: 3, Encoding: 10, Data: fontstest.Cmap12(groups)})},
		{"20k overlapping groups", "cmap", "overlapping", setCmap(fontstest.Subtable{Platform: 3, Encoding: 10, Data: fontstest.Cmap12(groups[:20000])})},
		{"32k segments", "cmap", "32000 segments, more than 20000", setCmap(fontstest.Subtable{Platform: 3, Encoding: 1, Data: fontstest.Cmap4(make([]fontstest.Segment, 32000), 64000, nil)})},
		{"group beyond Unicode", "cmap", "beyond Unicode", setCmap(fontstest.Subtable{Platform: 3, Encoding: 10, Data: fontstest.Cmap12([]fontstest.Group{{Start: 0x41, End: 0x7FFFFFFF, Glyph: 1}})})},
		{"format 12 truncated", "cmap", "truncated", setCmap(fontstest.Subtable{Platform: 3, Encoding: 10, Data: fontstest.Cmap12(groups[:2])[:30]})},
		{"no Unicode cmap", "cmap", "no Unicode subtable", setCmap(fontstest.Subtable{Platform: 1, Encoding: 0, Data: format6()})},
		{"composite contains itself", "glyf", "contains itself", editGlyphs(func(g [][]byte) [][]byte { g[5] = fontstest.Composite(5); return g })},
		{"composite cycle", "glyf", "contains itself", editGlyphs(func(g [][]byte) [][]byte {
			g[5], g[6], g[7] = fontstest.Composite(6), fontstest.Composite(7), fontstest.Composite(5)
			return g
		})},
		{"composites nested 9 deep", "glyf", "nested", editGlyphs(chain)},
		{"composite of 4.8 million outlines", "glyf", "points, more than 65536", editGlyphs(tree)},
		{"component beyond the glyphs", "glyf", "beyond the face", editGlyphs(func(g [][]byte) [][]byte { g[5] = fontstest.Composite(5000); return g })},
		{"component by matched points", "glyf", "matching points", editGlyphs(func(g [][]byte) [][]byte { g[5] = pointMatched; return g })},
		{"composite truncated", "glyf", "truncated", editGlyphs(func(g [][]byte) [][]byte { g[5] = fontstest.Composite(3, 4)[:15]; return g })},
		{"simple glyph truncated", "glyf", "truncated", editGlyphs(func(g [][]byte) [][]byte { g[5] = g[5][:len(g[5])*2/3]; return g })},
		{"contour ends decreasing", "glyf", "contour 1 ends", editGlyphs(func(g [][]byte) [][]byte {
			g[20] = append([]byte(nil), g[20]...)
			if be.Uint16(g[20]) < 2 {
				panic("glyph 20 of the small face has one contour")
			}
			be.PutUint16(g[20][12:], 0)
			return g
		})},
		{"glyph record of 5 bytes", "glyf", "fewer than a glyph header", editGlyphs(func(g [][]byte) [][]byte { g[5] = g[5][:5]; return g })},
		{"loca beyond glyf", "loca", "beyond glyf", fontstest.Edit(func(t map[string][]byte) { be.PutUint32(t["loca"][4*10:], 1<<30) })},
		{"loca truncated", "loca", "fewer than", fontstest.Edit(func(t map[string][]byte) { t["loca"] = t["loca"][:40] })},
		{"hmtx short", "hmtx", "inconsistent", fontstest.Edit(func(t map[string][]byte) { t["hmtx"] = t["hmtx"][:40] })},
		{"no glyphs", "maxp", "no glyphs", fontstest.Edit(func(t map[string][]byte) { be.PutUint16(t["maxp"][4:], 0) })},
		{"no name table", "name", "missing", fontstest.Edit(func(t map[string][]byte) { delete(t, "name") })},
		{"name table without names", "name", "no PostScript", fontstest.Edit(func(t map[string][]byte) { t["name"] = fontstest.Name(0x409, map[uint16]string{0: "(c) nobody"}) })},
		{"name record beyond the table", "name", "record 1 ends", fontstest.Edit(func(t map[string][]byte) {
			t["name"] = fontstest.Name(0x409, map[uint16]string{6: "Small", 10: "a description"})
			be.PutUint16(t["name"][6+12+10:], 1000) // record 1's (ID 10's) offset
		})},
		{"name table of 62 KiB", "name", "more than 63487", fontstest.Edit(func(t map[string][]byte) {
			t["name"] = fontstest.Name(0x409, map[uint16]string{6: "Small", 10: strings.Repeat("说明", 16000)})
		})},
		{"head short", "head", "fewer than 54", fontstest.Edit(func(t map[string][]byte) { t["head"] = t["head"][:40] })},
		{"table directory out of bounds", "", "out of bounds", fontstest.Small()[:5000]},
	}
}

// TestLoadHostile: each broken font is refused at load, at once, with a
// *FormatError naming the file and the table.
func TestLoadHostile(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range hostile() {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".ttf")
			if err := os.WriteFile(p, tt.font, 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := LoadFile(p)
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("LoadFile = %v; want a *FormatError (face loaded: %t)", err, f != nil)
			}
			if fe.File != p || fe.Table != tt.table || !strings.Contains(fe.Reason, tt.reason) || !strings.HasPrefix(err.Error(), p+": ") {
				t.Errorf("error %q (table %q); want the file, table %q and %q", err, fe.Table, tt.table, tt.reason)
			}
		})
	}
}

// TestLoadSmall: the small face itself loads, and so do well-formed shapes
// near the limits: composites nested 7 deep, a cmap 12 of 20,000 groups.
func TestLoadSmall(t *testing.T) {
	m := fontstest.Map()
	for name, font := range map[string][]byte{
		"small": fontstest.Small(),
		"composites 7 deep": fontstest.Edit(func(t map[string][]byte) {
			g := fontstest.Glyphs(t)
			for i := 1; i <= 7; i++ {
				g[i] = fontstest.Composite(uint16(i+1), 20)
			}
			fontstest.SetGlyphs(t, g)
		}),
		"20,000 groups": fontstest.Edit(func(t map[string][]byte) {
			t["cmap"] = fontstest.Cmap(fontstest.Subtable{Platform: 3, Encoding: 10, Data: fontstest.Cmap12(groupPerCharacter(20000))})
		}),
	} {
		t.Run(name, func(t *testing.T) {
			f, err := parseFace(font, name, LicenseUser, true)
			if err != nil {
				t.Fatal(err)
			}
			if name == "small" {
				for r, g := range m {
					if f.GlyphIndex(r) != g {
						t.Errorf("U+%04X: glyph %d, want %d", r, f.GlyphIndex(r), g)
					}
				}
			}
			if _, err := f.Subset([]rune("一二三ABC")); err != nil {
				t.Error(err)
			}
		})
	}
}

// groupPerCharacter is a cmap 12 of n groups of one character each, 0x20
// onwards, glyph 1 … 90 over and over.
func groupPerCharacter(n int) []fontstest.Group {
	groups := make([]fontstest.Group, n)
	for c := range groups {
		groups[c] = fontstest.Group{Start: uint32(0x20 + c), End: uint32(0x20 + c), Glyph: uint32(1 + c%90)}
	}
	return groups
}

// TestNeverMapped: a face whose cmap maps the byte order mark, controls or
// noncharacters does not have them, so the coverage check refuses them as
// the PDF writer would (it may not map a glyph to U+FEFF or U+FFFE).
func TestNeverMapped(t *testing.T) {
	m := fontstest.Map()
	for _, r := range []rune{0xFEFF, 0xFFFE, 0, 0x1F, 0x7F, 0x85, 0x9F} {
		m[r] = m['一']
	}
	font := fontstest.Edit(func(t map[string][]byte) { t["cmap"] = fontstest.CmapOf(m) })
	f, err := parseFace(font, "feff.ttf", LicenseUser, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []rune{0xFEFF, 0xFFFE, 0xFFFF, 0, 0x1F, 0x7F, 0x85, 0x9F} {
		if f.Has(r) || f.Advance(r) != 0 {
			t.Errorf("the face has U+%04X", r)
		}
	}
	if !f.Has('一') || !f.Has(' ') || !f.Has('z') {
		t.Error("the face lost its characters")
	}
}

// TestTaggedAnyNames: a face whose names are only in Chinese (as a Chinese
// vendor's font may have them) loads, and its subset is renamed for the
// DOCX; before, Tagged wanted English names and embedding failed.
func TestTaggedAnyNames(t *testing.T) {
	font := fontstest.Edit(func(t map[string][]byte) {
		t["name"] = fontstest.Name(0x804, map[uint16]string{1: "机关仿宋", 4: "机关仿宋 常规", 6: "JiGuanFangSong"})
	})
	f, err := parseFace(font, "zh.ttf", LicenseUser, true)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name() != "JiGuanFangSong" || f.Family() != "机关仿宋" {
		t.Errorf("names %q, %q", f.Name(), f.Family())
	}
	sub, err := f.Subset([]rune("一二三"))
	if err != nil {
		t.Fatal(err)
	}
	tagged, err := Tagged(sub, "ABCDEF")
	if err != nil {
		t.Fatal(err)
	}
	g, err := parseFace(tagged, "tagged", LicenseUser, true)
	if err != nil {
		t.Fatal(err)
	}
	if g.Family() != "ABCDEF+机关仿宋" || g.Name() != "ABCDEF+JiGuanFangSong" {
		t.Errorf("tagged names %q, %q", g.Name(), g.Family())
	}
}

// TestEmbeddedGlyphs: the embedded faces pass the outline checks a user's
// face gets at load (they skip them at start-up, for speed), and have no
// kerning tables for x/image to parse.
func TestEmbeddedGlyphs(t *testing.T) {
	for _, f := range allFaces(mustDefault(t)) {
		if err := f.checkStructure(); err != nil {
			t.Errorf("%s: %v", f.Source(), err)
		}
		if err := f.checkOutlines(); err != nil {
			t.Errorf("%s: %v", f.Source(), err)
		}
		// hideKerning is not applied to them (their bytes are read-only).
		if f.tables["GPOS"] != nil || f.tables["kern"] != nil {
			t.Errorf("%s has kerning tables", f.Source())
		}
	}
}

// BenchmarkLoadHostile loads each hostile shape, the well-formed shapes
// near the limits and a real 9 MB CJK face (kai.ttf) as a user's file is
// loaded, with every check. Before the checks, 16,000 overlapping cmap 4
// segments took 9.9 s and 20,000 overlapping cmap 12 groups 3.4 s.
func BenchmarkLoadHostile(b *testing.B) {
	type shape struct {
		name string
		font []byte
	}
	var shapes []shape
	for _, tt := range hostile() {
		shapes = append(shapes, shape{tt.name, tt.font})
	}
	kai, err := os.ReadFile("faces/kai.ttf")
	if err != nil {
		b.Fatal(err)
	}
	wide := fontstest.Edit(func(t map[string][]byte) {
		// 20,000 glyphs, each a composite of the next 64.
		g := fontstest.Glyphs(t)
		for len(g) < 20000 {
			g = append(g, nil)
		}
		for i := 1; i < len(g)-64; i++ {
			comps := make([]uint16, 64)
			for k := range comps {
				comps[k] = uint16(len(g) - 64 + k)
			}
			g[i] = fontstest.Composite(comps...)
		}
		fontstest.SetGlyphs(t, g)
		groups := groupPerCharacter(20000)
		for i := range groups {
			groups[i].Glyph = uint32(1 + i%(len(g)-65))
		}
		t["cmap"] = fontstest.Cmap(fontstest.Subtable{Platform: 3, Encoding: 10, Data: fontstest.Cmap12(groups)})
	})
	// The most glyph data a file of MaxFontFile bytes holds: 65,535 glyphs
	// of 328 points each, one flag byte and two coordinate bytes a point,
	// every one mapped (one cmap 12 group from U+0020 on).
	huge := fontstest.Edit(func(t map[string][]byte) {
		const points = 328
		rec := make([]byte, 14, 14+3*points)
		be.PutUint16(rec, 1)
		be.PutUint16(rec[10:], points-1)
		for range points {
			rec = append(rec, 0x37)
		}
		for range 2 * points {
			rec = append(rec, 1)
		}
		g := make([][]byte, 0xFFFF)
		for i := range g {
			g[i] = rec
		}
		fontstest.SetGlyphs(t, g)
		t["cmap"] = fontstest.Cmap(fontstest.Subtable{Platform: 3, Encoding: 10, Data: fontstest.Cmap12([]fontstest.Group{{Start: 0x20, End: 0xFFFE, Glyph: 1}})})
	})
	if len(huge) > MaxFontFile {
		b.Fatalf("%d bytes", len(huge))
	}
	shapes = append(shapes, shape{"kai.ttf", kai}, shape{"20k groups of 20k composites", wide}, shape{"64 MiB of glyphs", huge})
	for _, s := range shapes {
		b.Run(strings.ReplaceAll(s.name, " ", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(s.font)))
			for b.Loop() {
				_, err := parseFace(s.font, s.name, LicenseUser, true)
				if (err == nil) != (s.name == "kai.ttf" || strings.HasPrefix(s.name, "20k groups") || strings.HasPrefix(s.name, "64 MiB")) {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestSubsetScattered: a cut of 10,451 characters, every other one of
// U+4E00–U+9FA5, needs more segments than a format 4 cmap holds; it gets a
// format 12 subtable too, and every character maps in it (before, Subset
// failed, so a report passed check and its PDF and DOCX failed).
func TestSubsetScattered(t *testing.T) {
	song := mustDefault(t).Face(RoleSong)
	var rs []rune
	for r := rune(0x4E00); r <= 0x9FA5; r += 2 {
		rs = append(rs, r)
	}
	cut, glyphs, err := song.SubsetGlyphs(rs)
	if err != nil {
		t.Fatal(err)
	}
	again, err := parseFace(cut, "cut", LicenseOFL, true)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rs {
		if glyphs[i] == 0 || again.GlyphIndex(r) != glyphs[i] {
			t.Fatalf("U+%04X: glyph %d in the cut, %d said", r, again.GlyphIndex(r), glyphs[i])
		}
	}
	if again.Has(0x4E01) {
		t.Error("the cut has U+4E01")
	}
	// Its format 4 subtable, read alone, holds the first 8,188.
	tables, _ := readTableDirectory(cut)
	cmap := tables["cmap"]
	if be.Uint16(cmap[2:]) != 2 {
		t.Fatalf("%d subtables", be.Uint16(cmap[2:]))
	}
	var f4 Face
	f4.numGlyphs = again.numGlyphs
	if err := f4.cmap4(cmap[be.Uint32(cmap[8:]):]); err != nil {
		t.Fatal(err)
	}
	for i, r := range rs {
		if want := glyphs[i] * uint16(min(1, max(0, 8188-i))); f4.gid[r] != want {
			t.Fatalf("format 4: U+%04X glyph %d, want %d", r, f4.gid[r], want)
		}
	}
}

// TestLongNames: names of 9,000 characters are kept to 127, and Tagged's
// copy of the name table, which repeats them, fits (before, the face
// loaded and embedding it in a DOCX failed: name table too large).
func TestLongNames(t *testing.T) {
	long := strings.Repeat("仿宋", 4500)
	font := fontstest.Edit(func(t map[string][]byte) {
		t["name"] = fontstest.Name(0x409, map[uint16]string{1: long, 6: long})
	})
	f, err := parseFace(font, "long.ttf", LicenseUser, true)
	if err != nil {
		t.Fatal(err)
	}
	if want := string([]rune(long)[:127]); f.Name() != want || f.Family() != want {
		t.Errorf("names of %d and %d characters", len([]rune(f.Name())), len([]rune(f.Family())))
	}
	cut, err := f.Subset([]rune("一二三"))
	if err != nil {
		t.Fatal(err)
	}
	tagged, err := Tagged(cut, "ABCDEF")
	if err != nil {
		t.Fatal(err)
	}
	g, err := parseFace(tagged, "tagged", LicenseUser, true)
	if err != nil {
		t.Fatal(err)
	}
	if g.Family() != string([]rune("ABCDEF+" + f.Family())[:127]) {
		t.Errorf("tagged family %q", g.Family())
	}
}

// gposKern is a GPOS table whose DFLT script lists the feature indices
// given, feature 0 being a kern feature of the given number of lookups,
// each lookup 0, a PairPos lookup of no subtables.
func gposKern(featureIndices []uint16, lookups int) []byte {
	var b []byte
	u16 := func(v uint16) { b = be.AppendUint16(b, v) }
	u16(1) // version 1.0
	u16(0)
	u16(10) // ScriptList
	u16(0)  // FeatureList, set below
	u16(0)  // LookupList, set below
	u16(1)
	b = append(b, "DFLT"...)
	u16(8)
	u16(4) // Script: default LangSys
	u16(0)
	u16(0) // LangSys
	u16(0xFFFF)
	u16(uint16(len(featureIndices)))
	for _, f := range featureIndices {
		u16(f)
	}
	be.PutUint16(b[6:], uint16(len(b)))
	u16(1)
	b = append(b, "kern"...)
	u16(8)
	u16(0) // Feature: params, lookups
	u16(uint16(lookups))
	for range lookups {
		u16(0)
	}
	be.PutUint16(b[8:], uint16(len(b)))
	u16(1) // LookupList: one lookup
	u16(4)
	u16(2) // PairPos, no flags, no subtables
	u16(0)
	u16(0)
	return b
}

// TestKerningHidden: GPOS tables that made x/image's Parse panic (a
// feature index equal to the feature count) or build a billion lookup
// entries (32,000 references to a kern feature of 32,000 lookups; 3,000
// of 3,000 took 1.1 s) load at once: the loader hides kerning, which
// nothing here uses, from x/image.
func TestKerningHidden(t *testing.T) {
	for name, gpos := range map[string][]byte{
		"feature index equal to the count": gposKern([]uint16{1}, 1),
		"a billion lookups":                gposKern(make([]uint16, 32000), 32000),
	} {
		t.Run(name, func(t *testing.T) {
			font := fontstest.Edit(func(t map[string][]byte) { t["GPOS"] = gpos })
			f, err := parseFace(font, name, LicenseUser, true)
			if err != nil {
				t.Fatal(err)
			}
			if !f.Has('一') {
				t.Error("no 一")
			}
		})
	}
}
