package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/image/font/sfnt"
)

// Face is one parsed TrueType face, immutable and safe for concurrent use.
//
// Besides the [sfnt.Font] (used for drawing PNG previews) it keeps a glyph index and an
// advance table for the whole Basic Multilingual Plane, so that the layout can measure
// a character in a few nanoseconds without allocating, and the raw tables Subset cuts
// from, so that a per-document font costs a copy of the glyphs it needs and no parse.
type Face struct {
	data    []byte
	font    *sfnt.Font
	source  string
	license string

	name, family string
	upm          int
	upmF         float64
	ascent       float64 // em, positive
	descent      float64 // em, positive

	gid [65536]uint16 // BMP rune -> glyph index, 0 if missing
	adv [65536]uint16 // BMP rune -> advance width in font units, 0 if missing

	tables    map[string][]byte // raw table data by tag
	loca      []uint32          // glyph offsets into glyf, numGlyphs+1 entries
	hmtx      []byte
	numHMtx   int
	numGlyphs int
}

// Name returns the PostScript name of the face (name ID 6), else its full name.
func (f *Face) Name() string { return f.name }

// Family returns the family name (typographic family if present).
func (f *Face) Family() string { return f.family }

// Source says where the face came from: "embedded:fangsong.ttf" or a file path.
func (f *Face) Source() string { return f.source }

// License returns a short licence name for the face, e.g. "SIL OFL 1.1".
func (f *Face) License() string { return f.license }

// UnitsPerEm returns the design units per em of the face.
func (f *Face) UnitsPerEm() int { return f.upm }

// Has reports whether the face maps r to a glyph. It is false for every character
// outside the Basic Multilingual Plane, which the PDF writer cannot embed.
func (f *Face) Has(r rune) bool {
	return r >= 0 && r <= 0xFFFF && f.gid[r] != 0
}

// Advance returns the advance width of r in em (1.0 = the font size), 0 if !Has(r).
func (f *Face) Advance(r rune) float64 {
	if r < 0 || r > 0xFFFF {
		return 0
	}
	return float64(f.adv[r]) / f.upmF
}

// Ascent returns the ascender in em, from hhea (OS/2 typo metrics if hhea has none).
func (f *Face) Ascent() float64 { return f.ascent }

// Descent returns the descender in em as a positive number.
func (f *Face) Descent() float64 { return f.descent }

// Bytes returns the whole TrueType file. The slice is shared: do not modify it.
func (f *Face) Bytes() []byte { return f.data }

// SFNT returns the parsed font, for painting with golang.org/x/image/font/opentype.
func (f *Face) SFNT() *sfnt.Font { return f.font }

// GlyphIndex returns the glyph index of a BMP rune in this face, 0 if missing.
func (f *Face) GlyphIndex(r rune) uint16 {
	if r < 0 || r > 0xFFFF {
		return 0
	}
	return f.gid[r]
}

// errCFF and errCollection are wrapped into the parse error so that callers (Load)
// can explain why a file that is a valid font is still refused.
var (
	errCFF        = errors.New("CFF (PostScript-outline) OpenType font; the PDF writer embeds only TrueType (glyf) outlines — convert it, e.g. with fonts/build/convert.py")
	errCollection = errors.New("font collection (.ttc/.otc); the PDF writer embeds only a single-face TrueType file — extract one face first")
)

// parseFace parses a single-face TrueType font and builds the lookup tables.
// The face keeps data; the caller must not modify it afterwards.
func parseFace(data []byte, source, license string) (*Face, error) {
	if len(data) < 12 {
		return nil, fmt.Errorf("not a font file: %d bytes", len(data))
	}
	switch string(data[:4]) {
	case "OTTO":
		return nil, errCFF
	case "ttcf":
		return nil, errCollection
	case "\x00\x01\x00\x00", "true":
	default:
		// The bytes are not quoted: the file may be anything (/etc/passwd).
		return nil, errors.New("not a TrueType font (no TrueType signature at its start)")
	}
	f := &Face{data: data, source: source, license: license}
	var err error
	if f.tables, err = readTableDirectory(data); err != nil {
		return nil, err
	}
	for _, tag := range []string{"cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp"} {
		if f.tables[tag] == nil {
			return nil, fmt.Errorf("missing required %q table", tag)
		}
	}
	if f.font, err = sfnt.Parse(data); err != nil {
		return nil, fmt.Errorf("parse sfnt: %w", err)
	}
	if os2 := f.tables["OS/2"]; len(os2) >= 10 {
		// A restricted-licence or no-subsetting/bitmap-only font may not be
		// embedded as a subset in the PDF: say so when it is loaded.
		fsType := binary.BigEndian.Uint16(os2[8:])
		if fsType&0x000F == 0x0002 || fsType&0x0300 != 0 {
			return nil, fmt.Errorf("font licence forbids embedding or subsetting (OS/2 fsType %#04x)", fsType)
		}
	}
	if err := f.parseMetrics(); err != nil {
		return nil, err
	}
	if err := f.parseCmap(); err != nil {
		return nil, err
	}
	for r, g := range f.gid {
		if g != 0 {
			f.adv[r] = f.advanceOf(g)
		}
	}
	f.parseNames()
	return f, nil
}

// readTableDirectory returns every table's bytes by tag, bounds-checked.
func readTableDirectory(data []byte) (map[string][]byte, error) {
	n := int(binary.BigEndian.Uint16(data[4:]))
	if 12+16*n > len(data) {
		return nil, fmt.Errorf("table directory truncated (%d tables)", n)
	}
	tables := make(map[string][]byte, n)
	for i := range n {
		rec := data[12+16*i:]
		tag := string(rec[:4])
		off := binary.BigEndian.Uint32(rec[8:])
		length := binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(length) > uint64(len(data)) {
			return nil, fmt.Errorf("table %d of %d out of bounds", i+1, n)
		}
		tables[tag] = data[off : off+length : off+length]
	}
	return tables, nil
}

func (f *Face) parseMetrics() error {
	head, hhea, maxp := f.tables["head"], f.tables["hhea"], f.tables["maxp"]
	if len(head) < 54 || len(hhea) < 36 || len(maxp) < 6 {
		return errors.New("head, hhea or maxp table too short")
	}
	f.upm = int(binary.BigEndian.Uint16(head[18:]))
	if f.upm < 16 || f.upm > 16384 {
		return fmt.Errorf("bad unitsPerEm %d", f.upm)
	}
	f.upmF = float64(f.upm)
	f.numGlyphs = int(binary.BigEndian.Uint16(maxp[4:]))
	f.numHMtx = int(binary.BigEndian.Uint16(hhea[34:]))
	f.hmtx = f.tables["hmtx"]
	if f.numHMtx == 0 || f.numHMtx > f.numGlyphs || len(f.hmtx) < 4*f.numHMtx+2*(f.numGlyphs-f.numHMtx) {
		return fmt.Errorf("hmtx table inconsistent with hhea/maxp (%d metrics, %d glyphs)", f.numHMtx, f.numGlyphs)
	}
	asc := int16(binary.BigEndian.Uint16(hhea[4:]))
	desc := int16(binary.BigEndian.Uint16(hhea[6:]))
	if os2 := f.tables["OS/2"]; asc == 0 && desc == 0 && len(os2) >= 72 {
		asc = int16(binary.BigEndian.Uint16(os2[68:]))
		desc = int16(binary.BigEndian.Uint16(os2[70:]))
	}
	f.ascent = float64(asc) / f.upmF
	f.descent = -float64(desc) / f.upmF
	if f.descent < 0 {
		f.descent = -f.descent
	}

	loca := f.tables["loca"]
	f.loca = make([]uint32, f.numGlyphs+1)
	glyfLen := uint32(len(f.tables["glyf"]))
	long := binary.BigEndian.Uint16(head[50:]) != 0
	for i := range f.loca {
		var off uint32
		if long {
			if len(loca) < 4*i+4 {
				return errors.New("loca table truncated")
			}
			off = binary.BigEndian.Uint32(loca[4*i:])
		} else {
			if len(loca) < 2*i+2 {
				return errors.New("loca table truncated")
			}
			off = 2 * uint32(binary.BigEndian.Uint16(loca[2*i:]))
		}
		if off > glyfLen || (i > 0 && off < f.loca[i-1]) {
			return fmt.Errorf("loca entry %d (%d) out of order or beyond glyf (%d bytes)", i, off, glyfLen)
		}
		f.loca[i] = off
	}
	return nil
}

// advanceOf returns the advance width of glyph g in font units.
func (f *Face) advanceOf(g uint16) uint16 {
	i := int(g)
	if i >= f.numHMtx {
		i = f.numHMtx - 1
	}
	return binary.BigEndian.Uint16(f.hmtx[4*i:])
}

// lsbOf returns the left side bearing of glyph g.
func (f *Face) lsbOf(g uint16) uint16 {
	i := int(g)
	if i < f.numHMtx {
		return binary.BigEndian.Uint16(f.hmtx[4*i+2:])
	}
	return binary.BigEndian.Uint16(f.hmtx[4*f.numHMtx+2*(i-f.numHMtx):])
}

// parseCmap fills f.gid from the best Unicode subtable: format 12 or 4 read
// directly (about a millisecond for a CJK face), anything else through sfnt.
func (f *Face) parseCmap() error {
	cmap := f.tables["cmap"]
	if len(cmap) < 4 {
		return errors.New("cmap table too short")
	}
	n := int(binary.BigEndian.Uint16(cmap[2:]))
	var best []byte
	bestScore := 0
	for i := range n {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			return errors.New("cmap encoding records truncated")
		}
		pid := binary.BigEndian.Uint16(cmap[rec:])
		eid := binary.BigEndian.Uint16(cmap[rec+2:])
		off := int(binary.BigEndian.Uint32(cmap[rec+4:]))
		if off+4 > len(cmap) {
			continue
		}
		sub := cmap[off:]
		format := binary.BigEndian.Uint16(sub)
		score := 0
		switch {
		case format == 12 && (pid == 3 && eid == 10 || pid == 0):
			score = 3
		case format == 4 && (pid == 3 && eid == 1 || pid == 0):
			score = 2
		case pid == 3 && eid == 1 || pid == 0:
			score = 1
		}
		if score > bestScore {
			best, bestScore = sub, score
		}
	}
	switch {
	case bestScore == 0:
		return errors.New("no Unicode cmap subtable")
	case binary.BigEndian.Uint16(best) == 12:
		return f.cmap12(best)
	case binary.BigEndian.Uint16(best) == 4:
		return f.cmap4(best)
	}
	var buf sfnt.Buffer
	for r := rune(1); r <= 0xFFFF; r++ {
		if g, err := f.font.GlyphIndex(&buf, r); err == nil && int(g) < f.numGlyphs {
			f.gid[r] = uint16(g)
		}
	}
	return nil
}

func (f *Face) cmap4(sub []byte) error {
	if len(sub) < 14 {
		return errors.New("cmap format 4 too short")
	}
	segX2 := int(binary.BigEndian.Uint16(sub[6:]))
	if 16+4*segX2 > len(sub) {
		return errors.New("cmap format 4 truncated")
	}
	ends := sub[14:]
	starts := sub[16+segX2:]
	deltas := sub[16+2*segX2:]
	ranges := sub[16+3*segX2:]
	for i := 0; i < segX2; i += 2 {
		end := int(binary.BigEndian.Uint16(ends[i:]))
		start := int(binary.BigEndian.Uint16(starts[i:]))
		delta := int(binary.BigEndian.Uint16(deltas[i:]))
		ro := int(binary.BigEndian.Uint16(ranges[i:]))
		for c := start; c <= end && c <= 0xFFFF; c++ {
			var g int
			if ro == 0 {
				g = (c + delta) & 0xFFFF
			} else {
				p := 16 + 3*segX2 + i + ro + 2*(c-start)
				if p+2 > len(sub) {
					break
				}
				if g = int(binary.BigEndian.Uint16(sub[p:])); g != 0 {
					g = (g + delta) & 0xFFFF
				}
			}
			if c == 0xFFFF || g >= f.numGlyphs {
				g = 0
			}
			f.gid[c] = uint16(g)
		}
	}
	return nil
}

func (f *Face) cmap12(sub []byte) error {
	if len(sub) < 16 {
		return errors.New("cmap format 12 too short")
	}
	n := int(binary.BigEndian.Uint32(sub[12:]))
	if 16+12*n > len(sub) {
		return errors.New("cmap format 12 truncated")
	}
	for i := range n {
		grp := sub[16+12*i:]
		start := binary.BigEndian.Uint32(grp)
		end := binary.BigEndian.Uint32(grp[4:])
		g := binary.BigEndian.Uint32(grp[8:])
		for c := start; c <= end && c < 0xFFFF; c, g = c+1, g+1 {
			if g < uint32(f.numGlyphs) {
				f.gid[c] = uint16(g)
			}
		}
	}
	return nil
}

func (f *Face) parseNames() {
	var buf sfnt.Buffer
	get := func(ids ...sfnt.NameID) string {
		for _, id := range ids {
			if s, err := f.font.Name(&buf, id); err == nil && strings.TrimSpace(s) != "" {
				return s
			}
		}
		return ""
	}
	f.name = get(sfnt.NameIDPostScript, sfnt.NameIDFull, sfnt.NameIDFamily)
	f.family = get(sfnt.NameIDTypographicFamily, sfnt.NameIDFamily)
}

// OS2 is what a face's OS/2 table says about its style and coverage, the
// values a word processor matches a missing font by (a DOCX's font table
// repeats them as w:panose1 and w:sig).
type OS2 struct {
	Panose        [10]byte
	UnicodeRange  [4]uint32 // ulUnicodeRange1–4
	CodePageRange [2]uint32 // ulCodePageRange1–2 (0 before OS/2 version 1)
	Weight        uint16    // usWeightClass: 400 regular, 700 bold
	Bold          bool      // fsSelection BOLD, or a weight of 600 or more
}

// OS2 returns the face's OS/2 values; ok is false if it has no OS/2 table.
func (f *Face) OS2() (o OS2, ok bool) {
	t := f.tables["OS/2"]
	if len(t) < 78 {
		return o, false
	}
	be := binary.BigEndian
	o.Weight = be.Uint16(t[4:])
	copy(o.Panose[:], t[32:42])
	for i := range o.UnicodeRange {
		o.UnicodeRange[i] = be.Uint32(t[42+4*i:])
	}
	if be.Uint16(t) >= 1 && len(t) >= 86 {
		o.CodePageRange[0] = be.Uint32(t[78:])
		o.CodePageRange[1] = be.Uint32(t[82:])
	}
	o.Bold = be.Uint16(t[62:])&0x20 != 0 || o.Weight >= 600
	return o, true
}
