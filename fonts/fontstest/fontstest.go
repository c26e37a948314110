// Package fontstest builds TrueType files for tests: a small real face
// and copies of it with one table replaced, so that a test can make the
// hostile font it needs (an odd segCountX2, a composite glyph that
// contains itself, a missing name table) in a few lines of Go instead of
// committing a binary per case.
//
// The face, small.ttf (18.7 KB), is a 114-glyph cut of the embedded song face (Noto
// Serif CJK SC Regular, SIL OFL 1.1, see ../faces/LICENSE-OFL.txt) made by
// the project's subsetter (go run gen.go). Its glyphs are numbered in the
// order of its characters' code points, .notdef first; it has no
// composite glyphs.
package fontstest

import (
	_ "embed"
	"encoding/binary"
	"fmt"
	"slices"
)

//go:embed small.ttf
var small []byte

// Small returns a copy of the small face.
func Small() []byte { return slices.Clone(small) }

var be = binary.BigEndian

// Tables returns a font's tables by tag (copies).
func Tables(font []byte) (map[string][]byte, error) {
	if len(font) < 12 {
		return nil, fmt.Errorf("font of %d bytes", len(font))
	}
	n := int(be.Uint16(font[4:]))
	if 12+16*n > len(font) {
		return nil, fmt.Errorf("table directory truncated")
	}
	tables := make(map[string][]byte, n)
	for i := range n {
		rec := font[12+16*i:]
		off, length := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		if off+length > len(font) {
			return nil, fmt.Errorf("table %q out of bounds", rec[:4])
		}
		tables[string(rec[:4])] = slices.Clone(font[off : off+length])
	}
	return tables, nil
}

// Assemble writes a font file from its tables, sorted by tag and 4-byte
// aligned. Checksums are left 0: the loader does not read them.
func Assemble(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for tag := range tables {
		tags = append(tags, tag)
	}
	slices.Sort(tags)
	out := make([]byte, 12+16*len(tags))
	be.PutUint32(out, 0x00010000)
	be.PutUint16(out[4:], uint16(len(tags)))
	for i, tag := range tags {
		rec := out[12+16*i:]
		copy(rec, tag)
		be.PutUint32(rec[8:], uint32(len(out)))
		be.PutUint32(rec[12:], uint32(len(tables[tag])))
		out = append(out, tables[tag]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

// Edit returns a copy of the small face with its tables changed by fn
// (which may add, replace or delete entries).
func Edit(fn func(tables map[string][]byte)) []byte {
	tables, err := Tables(small)
	if err != nil {
		panic(err) // small.ttf is well-formed
	}
	fn(tables)
	return Assemble(tables)
}

// Glyphs returns the glyph records of a font's glyf table, one per glyph.
func Glyphs(tables map[string][]byte) [][]byte {
	head, maxp, loca, glyf := tables["head"], tables["maxp"], tables["loca"], tables["glyf"]
	n := int(be.Uint16(maxp[4:]))
	long := be.Uint16(head[50:]) != 0
	at := func(i int) int {
		if long {
			return int(be.Uint32(loca[4*i:]))
		}
		return 2 * int(be.Uint16(loca[2*i:]))
	}
	glyphs := make([][]byte, n)
	for i := range n {
		glyphs[i] = slices.Clone(glyf[at(i):at(i+1)])
	}
	return glyphs
}

// SetGlyphs rewrites glyf and loca (long offsets) from glyph records and
// sets maxp's and hhea's glyph counts to match, extending hmtx with the
// last advance for added glyphs.
func SetGlyphs(tables map[string][]byte, glyphs [][]byte) {
	var glyf []byte
	loca := make([]byte, 4*(len(glyphs)+1))
	for i, g := range glyphs {
		be.PutUint32(loca[4*i:], uint32(len(glyf)))
		glyf = append(glyf, g...)
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
	}
	be.PutUint32(loca[4*len(glyphs):], uint32(len(glyf)))
	tables["glyf"], tables["loca"] = glyf, loca
	be.PutUint16(tables["head"][50:], 1)
	old := int(be.Uint16(tables["maxp"][4:]))
	be.PutUint16(tables["maxp"][4:], uint16(len(glyphs)))
	hmtx := tables["hmtx"][:4*old]
	for len(hmtx) < 4*len(glyphs) {
		hmtx = append(hmtx, hmtx[len(hmtx)-4:len(hmtx)]...)
	}
	tables["hmtx"] = hmtx[:4*len(glyphs)]
	be.PutUint16(tables["hhea"][34:], uint16(len(glyphs)))
}

// Composite returns a composite glyph record of the given components, each
// placed at (0, 0) by XY offsets, as a font's accented letters are.
func Composite(components ...uint16) []byte {
	b := make([]byte, 10, 10+6*len(components))
	be.PutUint16(b, 0xFFFF) // numberOfContours -1
	for i, c := range components {
		flags := uint16(0x0002) // ARGS_ARE_XY_VALUES, byte offsets
		if i < len(components)-1 {
			flags |= 0x0020 // MORE_COMPONENTS
		}
		b = be.AppendUint16(b, flags)
		b = be.AppendUint16(b, c)
		b = append(b, 0, 0)
	}
	return b
}

// Segment is one segment of a cmap format 4 subtable.
type Segment struct {
	Start, End, Delta, RangeOffset uint16
}

// Cmap4 returns a format 4 subtable (without the cmap header) of the
// segments, its segCountX2 set to segCountX2 (normally 2*len(segs)),
// followed by extra (the glyph ID array, if any segment uses one).
func Cmap4(segs []Segment, segCountX2 uint16, extra []byte) []byte {
	n := len(segs)
	b := make([]byte, 16+8*n)
	be.PutUint16(b, 4)
	be.PutUint16(b[6:], segCountX2)
	for i, s := range segs {
		be.PutUint16(b[14+2*i:], s.End)
		be.PutUint16(b[16+2*n+2*i:], s.Start)
		be.PutUint16(b[16+4*n+2*i:], s.Delta)
		be.PutUint16(b[16+6*n+2*i:], s.RangeOffset)
	}
	b = append(b, extra...)
	be.PutUint16(b[2:], uint16(min(len(b), 0xFFFF)))
	return b
}

// Group is one group of a cmap format 12 subtable.
type Group struct {
	Start, End, Glyph uint32
}

// Cmap12 returns a format 12 subtable (without the cmap header).
func Cmap12(groups []Group) []byte {
	b := make([]byte, 16, 16+12*len(groups))
	be.PutUint16(b, 12)
	be.PutUint32(b[4:], uint32(16+12*len(groups)))
	be.PutUint32(b[12:], uint32(len(groups)))
	for _, g := range groups {
		b = be.AppendUint32(b, g.Start)
		b = be.AppendUint32(b, g.End)
		b = be.AppendUint32(b, g.Glyph)
	}
	return b
}

// Subtable is one encoding record of a cmap table and its subtable.
type Subtable struct {
	Platform, Encoding uint16
	Data               []byte
}

// Cmap returns a cmap table holding the subtables in the order given.
func Cmap(subs ...Subtable) []byte {
	b := make([]byte, 4+8*len(subs))
	be.PutUint16(b[2:], uint16(len(subs)))
	for i, s := range subs {
		rec := b[4+8*i:]
		be.PutUint16(rec, s.Platform)
		be.PutUint16(rec[2:], s.Encoding)
		be.PutUint32(rec[4:], uint32(len(b)))
		b = append(b, s.Data...)
	}
	return b
}

// Name returns a name table with one Windows Unicode (3, 1) record in
// language lang (0x409 English, 0x804 Chinese) per entry of names, by
// name ID.
func Name(lang uint16, names map[uint16]string) []byte {
	ids := make([]uint16, 0, len(names))
	for id := range names {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	b := make([]byte, 6+12*len(ids))
	be.PutUint16(b[2:], uint16(len(ids)))
	be.PutUint16(b[4:], uint16(len(b)))
	var strs []byte
	for i, id := range ids {
		var s []byte
		for _, r := range names[id] {
			s = be.AppendUint16(s, uint16(r))
		}
		rec := b[6+12*i:]
		be.PutUint16(rec, 3)
		be.PutUint16(rec[2:], 1)
		be.PutUint16(rec[4:], lang)
		be.PutUint16(rec[6:], id)
		be.PutUint16(rec[8:], uint16(len(s)))
		be.PutUint16(rec[10:], uint16(len(strs)))
		strs = append(strs, s...)
	}
	return append(b, strs...)
}

// Map returns the small face's characters and their glyphs.
func Map() map[rune]uint16 {
	tables, err := Tables(small)
	if err != nil {
		panic(err)
	}
	cmap := tables["cmap"]
	sub := cmap[be.Uint32(cmap[8:]):] // one subtable: (3, 1) format 4, idDelta segments
	n := int(be.Uint16(sub[6:])) / 2
	m := make(map[rune]uint16)
	for i := range n - 1 { // the last segment is the 0xFFFF sentinel
		end, start := be.Uint16(sub[14+2*i:]), be.Uint16(sub[16+2*n+2*i:])
		delta := be.Uint16(sub[16+4*n+2*i:])
		for c := start; c <= end; c++ {
			m[rune(c)] = c + delta
		}
	}
	return m
}

// CmapOf returns a cmap table with one (3, 1) format 4 subtable mapping
// each character of m (which must be in the BMP, below U+FFFF) to its
// glyph.
func CmapOf(m map[rune]uint16) []byte {
	return Cmap(Subtable{3, 1, Cmap4Of(m)})
}

// Cmap4Of returns a format 4 subtable mapping each character of m (in the
// BMP, below U+FFFF) to its glyph, one segment a character.
func Cmap4Of(m map[rune]uint16) []byte {
	rs := make([]rune, 0, len(m))
	for r := range m {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	segs := make([]Segment, 0, len(rs)+1)
	for _, r := range rs {
		segs = append(segs, Segment{Start: uint16(r), End: uint16(r), Delta: m[r] - uint16(r)})
	}
	segs = append(segs, Segment{Start: 0xFFFF, End: 0xFFFF, Delta: 1})
	return Cmap4(segs, uint16(2*len(segs)), nil)
}
