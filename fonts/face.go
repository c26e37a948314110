package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/encoding/charmap"

	"github.com/govreport/govreport/internal/huffman"
)

// Face is one parsed TrueType face, immutable and safe for concurrent use.
//
// It keeps a glyph index for the whole Basic Multilingual Plane, so that the layout
// can measure a character in a few nanoseconds without allocating (the advance is
// read from hmtx by that index), and the raw tables Subset cuts from, so that a
// per-document font costs a copy of the glyphs it needs and no parse. Nothing else
// is copied out of the file: loca and hmtx are read where they lie (an embedded
// face's bytes are the binary's read-only data, so a table costs a page fault only
// when it is read), and the [sfnt.Font] that draws PNG previews and measures the
// ink of a dash is parsed on first use for an embedded face (a user's face is
// parsed at load, as part of its checks).
type Face struct {
	data    []byte
	source  string
	license string

	fontOnce sync.Once
	font     *sfnt.Font
	fontErr  error

	codeOnce sync.Once
	code     *huffman.Code

	name, family string
	upm          int
	upmF         float64
	ascent       float64 // em, positive
	descent      float64 // em, positive

	gid [65536]uint16 // BMP rune -> glyph index, 0 if missing

	tables    map[string][]byte // raw table data by tag
	glyf      []byte
	loca      []byte // glyph offsets into glyf, numGlyphs+1 entries, checked in order
	locaLong  bool   // loca holds 32-bit offsets, else 16-bit halves
	hmtx      []byte
	numHMtx   int
	numGlyphs int
	cmapSFNT  bool // the cmap subtable is one sfnt reads for us (not format 4 or 12)
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
// outside the Basic Multilingual Plane, which the PDF writer cannot embed, and
// for controls, U+FEFF, U+FFFE and U+FFFF, which it may not map.
func (f *Face) Has(r rune) bool {
	return r >= 0 && r <= 0xFFFF && f.gid[r] != 0
}

// Advance returns the advance width of r in em (1.0 = the font size), 0 if !Has(r).
func (f *Face) Advance(r rune) float64 {
	if r < 0 || r > 0xFFFF {
		return 0
	}
	g := f.gid[r]
	if g == 0 {
		return 0
	}
	return float64(f.advanceOf(g)) / f.upmF
}

// Ascent returns the ascender in em, from hhea (OS/2 typo metrics if hhea has none).
func (f *Face) Ascent() float64 { return f.ascent }

// Descent returns the descender in em as a positive number.
func (f *Face) Descent() float64 { return f.descent }

// Bytes returns the whole TrueType file (for a user's face, with its GPOS and kern
// tables' lengths set to 0 in the table directory: see hideKerning). The slice is
// shared: do not modify it.
func (f *Face) Bytes() []byte { return f.data }

// SFNT returns the parsed font, for painting with golang.org/x/image/font/opentype.
// An embedded face is parsed on the first call (only the PNG preview and the ink
// of a dash or an ellipsis need it); it is nil if that parse fails, which the
// tests of the embedded faces rule out.
func (f *Face) SFNT() *sfnt.Font {
	f.fontOnce.Do(func() {
		if f.font == nil && f.fontErr == nil {
			f.font, f.fontErr = sfnt.Parse(f.data)
		}
	})
	return f.font
}

// codeSample is how much of the glyph outlines DeflateCode counts, from
// the middle of glyf: one piece, so that an embedded face's pages are
// mapped a few times, not once a piece (32 pieces of 4 KB cost 300 page
// faults more per `govreport render`, for 0.2 % of the bytes).
const codeSample = 128 << 10

// DeflateCode returns the Huffman code the PDF writer compresses the face's
// cuts with (their font programs are Huffman-coded only: see package
// internal/huffman). It is made on the first call from the byte statistics
// of the face's glyph outlines, most of a cut's bytes, so that writing a cut
// takes neither a count of its bytes nor a code built for it (a sixth of the
// server's CPU per export did), and a cut's bytes depend on the face and the
// cut alone. Up to 128 KB from the middle of the outlines are counted: a
// CJK face's glyphs are alike, and a whole count of an embedded face would
// read its 5–9 MB once per process.
func (f *Face) DeflateCode() *huffman.Code {
	f.codeOnce.Do(func() {
		var freq [256]uint64
		g := f.glyf
		if len(g) > codeSample {
			mid := (len(g) - codeSample) / 2
			g = g[mid : mid+codeSample]
		}
		huffman.Histogram(g, &freq)
		// The tables a cut copies whole, counted once: most of a small
		// cut's bytes.
		for _, tag := range []string{"name", "cvt ", "fpgm", "prep", "gasp", "OS/2", "head", "hhea", "maxp"} {
			huffman.Histogram(f.tables[tag], &freq)
		}
		f.code = huffman.NewCode(&freq)
	})
	return f.code
}

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

// FormatError is a font file that breaks the TrueType format, or breaks it in
// a way some writer cannot follow (a composite glyph nested deeper than the
// PNG preview draws). Every font is checked whole when it is loaded, so that
// what loads renders in every format and nothing in a face can panic or
// stall a render later.
type FormatError struct {
	File   string // the file's path, or "embedded:song.ttf"
	Table  string // the sfnt table, "cmap"; "" for the file's header and table directory
	Reason string
}

func (e *FormatError) Error() string {
	if e.Table == "" {
		return e.File + ": " + e.Reason
	}
	return fmt.Sprintf("%s: %q table: %s", e.File, e.Table, e.Reason)
}

// Limits of the checks at load, beyond what the file's own sizes bound.
const (
	// maxTables is the most tables a face may list; golang.org/x/image/font/sfnt
	// refuses more, and real faces have about twenty.
	maxTables = 256
	// maxCmapSegments is the most segments (format 4) or groups (format 12)
	// a cmap subtable may have: golang.org/x/image/font/sfnt's limit. A CJK
	// face has a few thousand.
	maxCmapSegments = 20000
	// maxName is the most characters of a face's names kept, and
	// maxNameTable the largest name table: Tagged's copy, which adds four
	// names of up to maxName characters with a tag, must stay within the
	// table's 16-bit offsets (64 KiB). Real faces' name tables are a few KB.
	maxName      = 127
	maxNameTable = 0xFFFF - 2048
	// maxGlyphRecord is the largest glyph record (bytes) and maxCompoundDepth
	// and maxCompoundStack the deepest nesting of composite glyphs and the
	// most components along one path of it that golang.org/x/image/font/sfnt
	// draws (the PNG preview): a face with glyphs beyond them is refused at
	// load rather than failing one writer.
	maxGlyphRecord   = 64 << 10
	maxCompoundDepth = 7
	maxCompoundStack = 64
	// maxGlyphPoints is the most points a composite glyph may draw, its
	// components' (and theirs') added up; a CJK composite draws hundreds.
	maxGlyphPoints = 1 << 16
)

// neverMapped are the characters no face is allowed to map, whatever its
// cmap says: controls (C0, DEL, C1), the byte order mark and the
// noncharacters U+FFFE and U+FFFF. The PDF writer refuses to map a glyph to
// them (PDF/A-2u 6.2.11.7.2) and the decoder refuses controls, so a face
// mapping one would let a report pass the coverage check and fail the export.
var neverMapped = [][2]int{{0, 0x1F}, {0x7F, 0x9F}, {0xFEFF, 0xFEFF}, {0xFFFE, 0xFFFF}}

// parseFace parses a single-face TrueType font and builds the lookup tables.
// The face keeps data; the caller must not modify it afterwards. Every table
// it reads is checked within its bounds, every loop is bounded by the file's
// size and by the 65,536 characters of the BMP, and a face that fails a
// check is a *FormatError naming source and the table: a face of up to
// MaxFontFile bytes loads in well under a second, whatever its contents.
//
// user says the face is a user's file, whose bytes the face owns: its
// glyphs are checked (checkStructure reads every glyph's header and
// components, checkOutlines walks every point of every glyph a character
// maps to: 60–100 ms a 9 MB CJK face), and the kerning tables x/image would
// parse are hidden from it (hideKerning). The embedded faces, read-only and
// checked by TestEmbeddedGlyphs, skip these, so that they keep starting in
// about 13 ms (touching all 48 MB of their glyphs would take 40 ms more).
func parseFace(data []byte, source, license string, user bool) (*Face, error) {
	bad := func(table, format string, args ...any) error {
		return &FormatError{File: source, Table: table, Reason: fmt.Sprintf(format, args...)}
	}
	if len(data) < 12 {
		return nil, bad("", "not a font file: %d bytes", len(data))
	}
	switch string(data[:4]) {
	case "OTTO":
		return nil, fmt.Errorf("%s: %w", source, errCFF)
	case "ttcf":
		return nil, fmt.Errorf("%s: %w", source, errCollection)
	case "\x00\x01\x00\x00", "true":
	default:
		// The bytes are not quoted: the file may be anything (/etc/passwd).
		return nil, bad("", "not a TrueType font (no TrueType signature at its start)")
	}
	f := &Face{data: data, source: source, license: license}
	var err error
	if f.tables, err = readTableDirectory(data); err != nil {
		return nil, bad("", "%v", err)
	}
	for _, tag := range []string{"cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name"} {
		if f.tables[tag] == nil {
			return nil, bad(tag, "missing (a TrueType face needs it)")
		}
	}
	if os2 := f.tables["OS/2"]; len(os2) >= 10 {
		// A restricted-licence or no-subsetting/bitmap-only font may not be
		// embedded as a subset in the PDF: say so when it is loaded.
		fsType := binary.BigEndian.Uint16(os2[8:])
		if fsType&0x000F == 0x0002 || fsType&0x0300 != 0 {
			return nil, fmt.Errorf("%s: font licence forbids embedding or subsetting (OS/2 fsType %#04x)", source, fsType)
		}
	}
	// Our own checks come first, so that a broken table is named; x/image's
	// parse then checks what it reads for the PNG preview.
	if err := f.parseMetrics(); err != nil {
		return nil, withFile(err, source)
	}
	if err := f.parseCmap(); err != nil {
		return nil, withFile(err, source)
	}
	// Before x/image reads any glyph (it draws 'x' and 'H' at Parse when
	// OS/2 lacks their heights): composites bounded and acyclic.
	if user {
		if err := f.checkStructure(); err != nil {
			return nil, withFile(err, source)
		}
		hideKerning(data)
	}
	// A user's face is parsed by x/image now, as one of its checks, and so
	// is a face whose cmap only x/image reads; an embedded face on first use
	// (SFNT): most commands never draw an outline.
	if user || f.cmapSFNT {
		if f.font, err = sfnt.Parse(data); err != nil {
			// x/image's errors name the table in their text ("sfnt: invalid
			// cmap table"): it may read a subtable ours does not.
			return nil, bad(sfntTable(err), "%v", err)
		}
	}
	if f.cmapSFNT {
		var buf sfnt.Buffer
		for r := rune(1); r <= 0xFFFF; r++ {
			if g, err := f.font.GlyphIndex(&buf, r); err == nil && int(g) < f.numGlyphs {
				f.gid[r] = uint16(g)
			}
		}
	}
	for _, span := range neverMapped {
		clear(f.gid[span[0] : span[1]+1])
	}
	if user {
		if err := f.checkOutlines(); err != nil {
			return nil, withFile(err, source)
		}
	}
	if err := f.parseNames(); err != nil {
		return nil, withFile(err, source)
	}
	return f, nil
}

// sfntTable returns the table an error of golang.org/x/image/font/sfnt
// names, "" if none.
func sfntTable(err error) string {
	for _, w := range strings.Fields(err.Error()) {
		switch w {
		case "cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post", "OS/2", "kern", "GPOS", "CFF":
			return w
		}
	}
	return ""
}

// withFile sets the file of a *FormatError made before the face knew it.
func withFile(err error, source string) error {
	if fe, ok := err.(*FormatError); ok && fe.File == "" {
		fe.File = source
	}
	return err
}

// formatErr is a *FormatError whose file parseFace fills in.
func formatErr(table, format string, args ...any) error {
	return &FormatError{Table: table, Reason: fmt.Sprintf(format, args...)}
}

// readTableDirectory returns every table's bytes by tag, bounds-checked.
func readTableDirectory(data []byte) (map[string][]byte, error) {
	n := int(binary.BigEndian.Uint16(data[4:]))
	if n > maxTables {
		return nil, fmt.Errorf("table directory lists %d tables, more than %d", n, maxTables)
	}
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
	switch {
	case len(head) < 54:
		return formatErr("head", "%d bytes, fewer than 54", len(head))
	case len(hhea) < 36:
		return formatErr("hhea", "%d bytes, fewer than 36", len(hhea))
	case len(maxp) < 6:
		return formatErr("maxp", "%d bytes, fewer than 6", len(maxp))
	}
	f.upm = int(binary.BigEndian.Uint16(head[18:]))
	if f.upm < 16 || f.upm > 16384 {
		return formatErr("head", "bad unitsPerEm %d", f.upm)
	}
	f.upmF = float64(f.upm)
	f.numGlyphs = int(binary.BigEndian.Uint16(maxp[4:]))
	if f.numGlyphs == 0 {
		return formatErr("maxp", "no glyphs (not even .notdef)")
	}
	f.numHMtx = int(binary.BigEndian.Uint16(hhea[34:]))
	f.hmtx = f.tables["hmtx"]
	if f.numHMtx == 0 || f.numHMtx > f.numGlyphs || len(f.hmtx) < 4*f.numHMtx+2*(f.numGlyphs-f.numHMtx) {
		return formatErr("hmtx", "inconsistent with hhea/maxp (%d metrics, %d glyphs, %d bytes)", f.numHMtx, f.numGlyphs, len(f.hmtx))
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
	f.glyf = f.tables["glyf"]
	glyfLen := uint32(len(f.glyf))
	long := binary.BigEndian.Uint16(head[50:]) != 0
	need := 2 * (f.numGlyphs + 1)
	if long {
		need *= 2
	}
	if len(loca) < need {
		return formatErr("loca", "%d bytes, fewer than the %d that %d glyphs need", len(loca), need, f.numGlyphs)
	}
	f.loca, f.locaLong = loca[:need:need], long
	prev := uint32(0)
	for i := range f.numGlyphs + 1 {
		off := f.locaAt(i)
		if off > glyfLen || off < prev {
			return formatErr("loca", "entry %d (%d) out of order or beyond glyf (%d bytes)", i, off, glyfLen)
		}
		prev = off
	}
	return nil
}

// locaAt returns the i-th offset of loca (0 ≤ i ≤ numGlyphs).
func (f *Face) locaAt(i int) uint32 {
	if f.locaLong {
		return binary.BigEndian.Uint32(f.loca[4*i:])
	}
	return 2 * uint32(binary.BigEndian.Uint16(f.loca[2*i:]))
}

// glyph returns glyph g's record in glyf (g < numGlyphs); parseMetrics
// checked that loca is in order and within glyf.
func (f *Face) glyph(g uint16) []byte {
	return f.glyf[f.locaAt(int(g)):f.locaAt(int(g)+1)]
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
// directly (about a millisecond for a CJK face), anything else through sfnt
// (f.cmapSFNT). The subtable read is checked whole: a format 4 subtable's
// segments and a format 12 subtable's groups in order and within the table,
// so that the work is linear in the table's size, never its segments times
// the characters they claim.
func (f *Face) parseCmap() error {
	cmap := f.tables["cmap"]
	if len(cmap) < 4 {
		return formatErr("cmap", "%d bytes, fewer than 4", len(cmap))
	}
	n := int(binary.BigEndian.Uint16(cmap[2:]))
	if 4+8*n > len(cmap) {
		return formatErr("cmap", "%d encoding records do not fit in %d bytes", n, len(cmap))
	}
	var best []byte
	bestScore := 0
	for i := range n {
		rec := 4 + 8*i
		pid := binary.BigEndian.Uint16(cmap[rec:])
		eid := binary.BigEndian.Uint16(cmap[rec+2:])
		off := int(binary.BigEndian.Uint32(cmap[rec+4:]))
		if off < 0 || off+4 > len(cmap) {
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
		return formatErr("cmap", "no Unicode subtable")
	case binary.BigEndian.Uint16(best) == 12:
		return f.cmap12(best)
	case binary.BigEndian.Uint16(best) == 4:
		return f.cmap4(best)
	}
	f.cmapSFNT = true
	return nil
}

// cmap4 reads a format 4 subtable. Its segments must be sorted by their end
// code (as the format requires: a lookup takes the first segment whose end
// is at or past the character), so each segment is read from past the
// previous one's end and every character is set at most once.
func (f *Face) cmap4(sub []byte) error {
	if len(sub) < 14 {
		return formatErr("cmap", "format 4 subtable truncated: %d bytes", len(sub))
	}
	segX2 := int(binary.BigEndian.Uint16(sub[6:]))
	if segX2 == 0 || segX2%2 != 0 {
		return formatErr("cmap", "format 4 segCountX2 %d is not twice a segment count", segX2)
	}
	if segX2/2 > maxCmapSegments {
		return formatErr("cmap", "format 4 subtable of %d segments, more than %d", segX2/2, maxCmapSegments)
	}
	if 16+4*segX2 > len(sub) {
		return formatErr("cmap", "format 4 subtable of %d segments truncated at %d bytes", segX2/2, len(sub))
	}
	ends := sub[14:]
	starts := sub[16+segX2:]
	deltas := sub[16+2*segX2:]
	ranges := sub[16+3*segX2:]
	prevEnd := -1
	for i := 0; i < segX2; i += 2 {
		end := int(binary.BigEndian.Uint16(ends[i:]))
		start := int(binary.BigEndian.Uint16(starts[i:]))
		delta := int(binary.BigEndian.Uint16(deltas[i:]))
		ro := int(binary.BigEndian.Uint16(ranges[i:]))
		if end <= prevEnd {
			return formatErr("cmap", "format 4 segment %d ends at U+%04X, not after the previous segment's end U+%04X", i/2, end, prevEnd)
		}
		from := max(start, prevEnd+1)
		prevEnd = end
		for c := from; c <= end; c++ {
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

// cmap12 reads a format 12 subtable. Its groups must be sorted and must not
// overlap (the format requires both), so the groups are at most the 1,114,112
// code points and each BMP character is set at most once.
func (f *Face) cmap12(sub []byte) error {
	if len(sub) < 16 {
		return formatErr("cmap", "format 12 subtable truncated: %d bytes", len(sub))
	}
	n := int64(binary.BigEndian.Uint32(sub[12:]))
	if n > maxCmapSegments {
		return formatErr("cmap", "format 12 subtable of %d groups, more than %d", n, maxCmapSegments)
	}
	if 16+12*n > int64(len(sub)) {
		return formatErr("cmap", "format 12 subtable of %d groups truncated at %d bytes", n, len(sub))
	}
	prevEnd := int64(-1)
	for i := range int(n) {
		grp := sub[16+12*i:]
		start := binary.BigEndian.Uint32(grp)
		end := binary.BigEndian.Uint32(grp[4:])
		g := binary.BigEndian.Uint32(grp[8:])
		if int64(start) <= prevEnd || start > end || end > unicode.MaxRune {
			return formatErr("cmap", "format 12 group %d (U+%04X–U+%04X) out of order, overlapping or beyond Unicode", i, start, end)
		}
		prevEnd = int64(end)
		for c := start; c <= end && c < 0xFFFF; c, g = c+1, g+1 {
			if g < uint32(f.numGlyphs) {
				f.gid[c] = uint16(g)
			}
		}
	}
	return nil
}

// checkStructure checks every glyph record of the face as
// golang.org/x/image/font/sfnt reads them to draw (the PNG preview) and as
// Subset copies them, short of the outlines' points (checkOutlines): the
// record within glyf and at most maxGlyphRecord bytes, its header, a simple
// glyph's contour ends within it; a composite's components within the record
// and the face, placed by offsets (sfnt cannot match points), not containing
// themselves, nested at most maxCompoundDepth deep with maxCompoundStack
// components along a path and expanding to at most maxGlyphPoints points
// (a tree of composites 7 deep with 9 components each is 4.8 million
// outlines to draw). Each glyph is checked once: linear in the face's size.
func (f *Face) checkStructure() error {
	// depth[g]: 0 not seen, 1 being checked (a cycle if met again), else 2 +
	// the glyph's composite nesting; stack[g] its components along a path;
	// points[g] the points it draws.
	depth := make([]uint8, f.numGlyphs)
	stack := make([]uint8, f.numGlyphs)
	points := make([]uint32, f.numGlyphs)
	var check func(g uint16, level int) error
	check = func(g uint16, level int) error {
		if level > maxCompoundDepth {
			return formatErr("glyf", "composite glyphs nested more than %d deep (at glyph %d)", maxCompoundDepth, g)
		}
		switch depth[g] {
		case 1:
			return formatErr("glyf", "composite glyph %d contains itself", g)
		case 0:
		default:
			return nil
		}
		data := f.glyph(g)
		if len(data) > maxGlyphRecord {
			return formatErr("glyf", "glyph %d is %d bytes, more than %d", g, len(data), maxGlyphRecord)
		}
		if len(data) == 0 {
			depth[g] = 2
			return nil
		}
		if len(data) < 10 {
			return formatErr("glyf", "glyph %d is %d bytes, fewer than a glyph header's 10", g, len(data))
		}
		switch nc := int16(binary.BigEndian.Uint16(data)); {
		case nc >= 0:
			if 10+2*int(nc) > len(data) {
				return formatErr("glyf", "glyph %d: contour ends truncated", g)
			}
			if nc > 0 {
				points[g] = uint32(binary.BigEndian.Uint16(data[10+2*(int(nc)-1):])) + 1
			}
			depth[g] = 2
			return nil
		case nc != -1:
			return formatErr("glyf", "glyph %d: numberOfContours %d", g, nc)
		}
		depth[g] = 1
		var comps []uint16
		err := forComponents(data, func(off int, c uint16) error {
			if binary.BigEndian.Uint16(data[off-2:])&0x0002 == 0 {
				return errors.New("a component placed by matching points, which the PNG preview cannot draw")
			}
			if int(c) >= f.numGlyphs {
				return fmt.Errorf("component %d beyond the face's %d glyphs", c, f.numGlyphs)
			}
			comps = append(comps, c)
			return nil
		})
		if err == nil && len(comps) == 0 {
			err = errors.New("composite glyph without components")
		}
		if err != nil {
			return formatErr("glyf", "glyph %d: %v", g, err)
		}
		d, st, pts := 0, 0, uint64(0)
		for _, c := range comps {
			if err := check(c, level+1); err != nil {
				return err
			}
			d, st, pts = max(d, int(depth[c]-2)), max(st, int(stack[c])), pts+uint64(points[c])
		}
		if d+1 > maxCompoundDepth || st+len(comps) > maxCompoundStack {
			return formatErr("glyf", "composite glyph %d nested %d deep with %d components along a path; at most %d and %d", g, d+1, st+len(comps), maxCompoundDepth, maxCompoundStack)
		}
		if pts > maxGlyphPoints {
			return formatErr("glyf", "composite glyph %d draws %d points, more than %d", g, pts, maxGlyphPoints)
		}
		depth[g], stack[g], points[g] = uint8(d+3), uint8(st+len(comps)), uint32(pts)
		return nil
	}
	for g := range f.numGlyphs {
		if err := check(uint16(g), 0); err != nil {
			return err
		}
	}
	return nil
}

// checkOutlines checks the outline of every simple glyph drawn for a
// character (or .notdef), alone or as a component, with checkSimple.
// checkStructure has run: composites are acyclic and shallow.
func (f *Face) checkOutlines() error {
	seen := make([]bool, f.numGlyphs)
	var check func(g uint16) error
	check = func(g uint16) error {
		if seen[g] {
			return nil
		}
		seen[g] = true
		data := f.glyph(g)
		if len(data) == 0 || int16(binary.BigEndian.Uint16(data)) >= 0 {
			if err := checkSimple(data); err != nil {
				return formatErr("glyf", "glyph %d: %v", g, err)
			}
			return nil
		}
		return forComponents(data, func(_ int, c uint16) error { return check(c) })
	}
	if err := check(0); err != nil {
		return err
	}
	for _, g := range &f.gid {
		if g != 0 {
			if err := check(g); err != nil {
				return err
			}
		}
	}
	return nil
}

// hideKerning sets the lengths of a user's face's GPOS and kern tables to 0
// in its table directory, so that x/image, which parses kerning at Parse,
// skips them: its GPOS walk panics on a feature index equal to the feature
// count, and takes time and memory quadratic in the table (32,000 references
// to a kern feature of 32,000 lookups: a billion entries). Nothing here kerns:
// the layout sets characters by their advances, and Subset never copies them.
// The table directory has been read (readTableDirectory).
func hideKerning(data []byte) {
	for i := range int(binary.BigEndian.Uint16(data[4:])) {
		rec := data[12+16*i:]
		if tag := string(rec[:4]); tag == "GPOS" || tag == "kern" {
			binary.BigEndian.PutUint32(rec[12:], 0)
		}
	}
}

// checkSimple checks a simple glyph record as sfnt decodes it: the contour
// ends increasing, the instructions, flags and coordinates within the record.
func checkSimple(data []byte) error {
	if len(data) == 0 {
		return nil
	}
	n := int(binary.BigEndian.Uint16(data))
	if n == 0 {
		return nil
	}
	i := 10 + 2*n
	if i+2 > len(data) {
		return errors.New("contour ends truncated")
	}
	prev := -1
	for k := range n {
		end := int(binary.BigEndian.Uint16(data[10+2*k:]))
		if end <= prev {
			return fmt.Errorf("contour %d ends at point %d, not after %d", k, end, prev)
		}
		prev = end
	}
	points := prev + 1
	i += 2 + int(binary.BigEndian.Uint16(data[i:]))
	xLen, yLen := 0, 0
	for p := 0; p < points; {
		if i >= len(data) {
			return errors.New("flags truncated")
		}
		flag := data[i]
		i++
		repeat := 1
		if flag&0x08 != 0 {
			if i >= len(data) {
				return errors.New("flags truncated")
			}
			repeat += int(data[i])
			i++
		}
		switch {
		case flag&0x02 != 0:
			xLen += repeat
		case flag&0x10 == 0:
			xLen += 2 * repeat
		}
		switch {
		case flag&0x04 != 0:
			yLen += repeat
		case flag&0x20 == 0:
			yLen += 2 * repeat
		}
		p += repeat
		if p > points {
			return errors.New("flags repeat past the last point")
		}
	}
	if i+xLen+yLen > len(data) {
		return errors.New("coordinates truncated")
	}
	return nil
}

// parseNames reads the PostScript and family names; a face needs one to be
// named in the PDF and the DOCX.
func (f *Face) parseNames() error {
	// Every record within the table, not only those read here: a subset
	// copies the table and Tagged rewrites it whole.
	name := f.tables["name"]
	if len(name) < 6 {
		return formatErr("name", "%d bytes, fewer than 6", len(name))
	}
	if len(name) > maxNameTable {
		return formatErr("name", "%d bytes, more than %d", len(name), maxNameTable)
	}
	count := int(binary.BigEndian.Uint16(name[2:]))
	strOff := int(binary.BigEndian.Uint16(name[4:]))
	if 6+12*count > len(name) {
		return formatErr("name", "%d records do not fit in %d bytes", count, len(name))
	}
	for i := range count {
		r := name[6+12*i:]
		if end := strOff + int(binary.BigEndian.Uint16(r[10:])) + int(binary.BigEndian.Uint16(r[8:])); end > len(name) {
			return formatErr("name", "record %d ends at byte %d, beyond the table's %d", i, end, len(name))
		}
	}
	f.name, f.family = names(name)
	if f.name == "" {
		return formatErr("name", "no PostScript, full or family name that can be read")
	}
	return nil
}

// names returns a face's PostScript name (else its full or family name) and
// its family (the typographic family if it has one), as Face.Name and
// Face.Family give them and Tagged renames them. name is the face's name
// table, its records checked within it (parseNames).
func names(name []byte) (ps, family string) {
	get := func(ids ...uint16) string {
		for _, id := range ids {
			if s, ok := nameRecord(name, id); ok && strings.TrimSpace(s) != "" {
				return s
			}
		}
		return ""
	}
	ps = shorten(get(6, 4, 1))   // PostScript, full, family
	family = shorten(get(16, 1)) // typographic family, family
	if family == "" {
		family = ps
	}
	return ps, family
}

// nameRecord returns the name id as golang.org/x/image/font/sfnt's
// Font.Name reads it (so that the names do not change with who reads them):
// the first record of that id in Macintosh Roman or Windows UCS-2; ok is
// false if that record is not one of the two encodings or is malformed.
func nameRecord(name []byte, id uint16) (string, bool) {
	if len(name) < 6 {
		return "", false
	}
	count := int(binary.BigEndian.Uint16(name[2:]))
	strOff := int(binary.BigEndian.Uint16(name[4:]))
	if 6+12*count > len(name) {
		return "", false
	}
	for i := range count {
		r := name[6+12*i:]
		if binary.BigEndian.Uint16(r[6:]) != id {
			continue
		}
		enc := binary.BigEndian.Uint32(r)
		if enc != 1<<16|0 && enc != 3<<16|1 { // Macintosh Roman, Windows UCS-2
			continue
		}
		length, off := int(binary.BigEndian.Uint16(r[8:])), int(binary.BigEndian.Uint16(r[10:]))
		if strOff+off+length > len(name) {
			return "", false
		}
		b := name[strOff+off : strOff+off+length]
		if enc == 1<<16|0 {
			for _, c := range b {
				if c >= 0x80 {
					s, _ := charmap.Macintosh.NewDecoder().Bytes(b)
					return string(s), true
				}
			}
			return string(b), true
		}
		if len(b)%2 != 0 {
			return "", false
		}
		rs := make([]rune, len(b)/2)
		for i := range rs {
			rs[i] = rune(binary.BigEndian.Uint16(b[2*i:]))
		}
		return string(rs), true
	}
	return "", false
}

// shorten cuts a name to maxName characters: a name table may hold names of
// any length, which the PDF, the DOCX's font table and Tagged repeat.
func shorten(s string) string {
	n := 0
	for i := range s {
		if n == maxName {
			return s[:i]
		}
		n++
	}
	return s
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
