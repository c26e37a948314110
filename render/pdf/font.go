package pdf

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"sync"

	"github.com/govreport/govreport/fonts"
)

// faceUse is one face a document draws with, the characters it needs, and, once
// cut, the code (CID) of each character in the cut.
type faceUse struct {
	face  *fonts.Face
	seen  [65536 / 64]uint64
	runes []rune // in order of first use

	res   string          // resource name: F1, F2, … in order of first use
	glyph map[rune]uint16 // character → CID, written as the two-byte code
	obj   int             // the Type0 font object
}

// embedFont cuts the face down to the document's characters and writes it as a
// Type0 font over a CIDFontType2 descendant: Identity-H, so that a two-byte code
// in the content stream is a CID. Widths (W) come from the same advances the
// layout measured with, and a ToUnicode CMap maps every CID back to its
// character, which is what makes copying, searching and PDF/A-2u work.
//
// A CID is the glyph index of the cut (/CIDToGIDMap /Identity) unless two
// characters share a glyph — a compatibility ideograph and its unified form
// (兀 U+FA0C and U+5140), a wave dash and a fullwidth tilde (〜 ～), variants
// a face draws alike — because a CID maps back to one character only. The
// second character then gets a CID of its own past the cut's glyphs, and a
// CIDToGIDMap stream sends it to the shared glyph, so that each character
// copies back as itself.
func embedFont(f *file, u *faceUse) error {
	// The cut is done with once fontStream has coded it into the file:
	// its buffer goes back to cutPool, rather than a fresh one (fresh,
	// zeroed pages) for every face of every document.
	buf := cutPool.Get().(*[]byte)
	data, gids, err := u.face.AppendSubsetGlyphs((*buf)[:0], u.runes)
	defer func() {
		if cap(data) <= 4<<20 {
			*buf = data[:0]
			cutPool.Put(buf)
		}
	}()
	if err != nil {
		return fmt.Errorf("pdf: subsetting font %s: %w", u.face.Name(), err)
	}
	u.glyph = make(map[rune]uint16, len(u.runes))
	// CIDs sorted, each with its character and glyph.
	type gr struct {
		cid, g uint16
		r      rune
	}
	list := make([]gr, 0, len(u.runes))
	var maxGID uint16
	for i, r := range u.runes {
		if gids[i] == 0 {
			return fmt.Errorf("pdf: font %s: U+%04X %q was lost in the cut", u.face.Name(), r, r)
		}
		maxGID = max(maxGID, gids[i])
	}
	// Characters in code point order, so that the CIDs do not depend on the
	// order of first use any more than the cut does.
	order := slices.Clone(u.runes)
	slices.Sort(order)
	glyphOf := make(map[rune]uint16, len(u.runes))
	for i, r := range u.runes {
		glyphOf[r] = gids[i]
	}
	taken := make(map[uint16]bool, len(u.runes))
	next := int(maxGID) + 1
	for _, r := range order {
		g := glyphOf[r]
		cid := g
		if taken[g] {
			if next > 0xFFFF {
				return fmt.Errorf("pdf: font %s: too many characters share glyphs", u.face.Name())
			}
			cid = uint16(next)
			next++
		}
		taken[g] = true
		u.glyph[r] = cid
		list = append(list, gr{cid, g, r})
	}
	slices.SortFunc(list, func(a, b gr) int { return int(a.cid) - int(b.cid) })

	bbox, err := fontBBox(data)
	if err != nil {
		return fmt.Errorf("pdf: font %s: %w", u.face.Name(), err)
	}
	upm := float64(u.face.UnitsPerEm())
	name := subsetTag(u) + "+" + psName(u.face.Name())

	type0, cid, desc, file2, tounicode := u.obj, f.alloc(), f.alloc(), f.alloc(), f.alloc()
	f.object(type0, fmt.Appendf(nil, "<</Type/Font/Subtype/Type0/BaseFont/%s/Encoding/Identity-H/DescendantFonts[%d 0 R]/ToUnicode %d 0 R>>",
		name, cid, tounicode))

	cidToGID := []byte("/Identity")
	if next > int(maxGID)+1 {
		// A map of 2 bytes per CID: the identity up to the cut's glyphs,
		// then the shared glyph of each extra CID.
		m := make([]byte, 2*next)
		for c := 0; c <= int(maxGID); c++ {
			binary.BigEndian.PutUint16(m[2*c:], uint16(c))
		}
		for _, e := range list {
			binary.BigEndian.PutUint16(m[2*int(e.cid):], e.g)
		}
		obj := f.alloc()
		f.stream(obj, nil, m, fast)
		cidToGID = fmt.Appendf(nil, " %d 0 R", obj)
	}
	b := fmt.Appendf(nil, "<</Type/Font/Subtype/CIDFontType2/BaseFont/%s/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>/FontDescriptor %d 0 R/DW 1000/CIDToGIDMap%s/W[",
		name, desc, cidToGID)
	// W lists the glyphs whose width is not DW, consecutive glyphs in one array.
	prev := -2
	for _, e := range list {
		w := u.face.Advance(e.r) * 1000
		if w == 1000 {
			continue
		}
		if int(e.cid) != prev+1 {
			if prev >= 0 {
				b = append(b, ']')
			}
			b = strconv.AppendInt(b, int64(e.cid), 10)
			b = append(b, '[')
		} else {
			b = append(b, ' ')
		}
		b = appendNum(b, w)
		prev = int(e.cid)
	}
	if prev >= 0 {
		b = append(b, ']')
	}
	b = append(b, "]>>"...)
	f.object(cid, b)

	scale := func(v float64) float64 { return math.Round(v * 1000 / upm) }
	asc, dsc := math.Round(u.face.Ascent()*1000), -math.Round(u.face.Descent()*1000)
	f.object(desc, fmt.Appendf(nil, "<</Type/FontDescriptor/FontName/%s/Flags 4/FontBBox[%g %g %g %g]/ItalicAngle 0/Ascent %g/Descent %g/CapHeight %g/StemV 80/FontFile2 %d 0 R>>",
		name, scale(bbox[0]), scale(bbox[1]), scale(bbox[2]), scale(bbox[3]), asc, dsc, asc, file2))
	f.fontStream(file2, fmt.Appendf(nil, "/Length1 %d", len(data)), data, u.face.DeflateCode())
	gs, rs := make([]uint16, len(list)), make([]rune, len(list))
	for i, e := range list {
		gs[i], rs[i] = e.cid, e.r
	}
	f.stream(tounicode, nil, toUnicode(gs, rs), fast)
	return nil
}

// cutPool holds the buffers embedFont cuts the fonts in: a seed report's
// cuts are 50–200 KB each.
var cutPool = sync.Pool{New: func() any { return new([]byte) }}

// toUnicode writes a ToUnicode CMap for CIDs gs (ascending, each once) standing
// for the characters rs. Runs of consecutive CIDs for consecutive characters —
// the cut numbers glyphs in character order, so most are — become bfrange
// entries.
func toUnicode(gs []uint16, rs []rune) []byte {
	b := make([]byte, 0, 400+14*len(gs))
	b = append(b, "/CIDInit/ProcSet findresource begin\n12 dict begin\nbegincmap\n"+
		"/CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)/Supplement 0>>def\n"+
		"/CMapName/Adobe-Identity-UCS def\n/CMapType 2 def\n"+
		"1 begincodespacerange\n<0000><FFFF>\nendcodespacerange\n"...)
	type rng struct {
		g0, g1 uint16
		r0     rune
	}
	var chars, ranges []rng
	for i := 0; i < len(gs); {
		j := i + 1
		for j < len(gs) && gs[j] == gs[j-1]+1 && rs[j] == rs[j-1]+1 &&
			gs[j]>>8 == gs[i]>>8 && rs[j]>>8 == rs[i]>>8 {
			j++
		}
		e := rng{gs[i], gs[j-1], rs[i]}
		if j-i == 1 {
			chars = append(chars, e)
		} else {
			ranges = append(ranges, e)
		}
		i = j
	}
	hex4 := func(b []byte, v uint16) []byte {
		return append(b, '<', hexDigits[v>>12], hexDigits[v>>8&15], hexDigits[v>>4&15], hexDigits[v&15], '>')
	}
	for len(chars) > 0 {
		n := min(len(chars), 100)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, " beginbfchar\n"...)
		for _, e := range chars[:n] {
			b = hex4(b, e.g0)
			b = hex4(b, uint16(e.r0))
			b = append(b, '\n')
		}
		b = append(b, "endbfchar\n"...)
		chars = chars[n:]
	}
	for len(ranges) > 0 {
		n := min(len(ranges), 100)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, " beginbfrange\n"...)
		for _, e := range ranges[:n] {
			b = hex4(b, e.g0)
			b = hex4(b, e.g1)
			b = hex4(b, uint16(e.r0))
			b = append(b, '\n')
		}
		b = append(b, "endbfrange\n"...)
		ranges = ranges[n:]
	}
	b = append(b, "endcmap\nCMapName currentdict/CMap defineresource pop\nend\nend\n"...)
	return b
}

// fontBBox reads xMin, yMin, xMax, yMax from the head table of a TrueType file.
func fontBBox(ttf []byte) ([4]float64, error) {
	if len(ttf) < 12 {
		return [4]float64{}, fmt.Errorf("cut font of %d bytes", len(ttf))
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	for i := 0; i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			break
		}
		if string(ttf[rec:rec+4]) != "head" {
			continue
		}
		off := int(binary.BigEndian.Uint32(ttf[rec+8:]))
		if off+54 > len(ttf) {
			break
		}
		h := ttf[off:]
		return [4]float64{
			float64(int16(binary.BigEndian.Uint16(h[36:]))), float64(int16(binary.BigEndian.Uint16(h[38:]))),
			float64(int16(binary.BigEndian.Uint16(h[40:]))), float64(int16(binary.BigEndian.Uint16(h[42:]))),
		}, nil
	}
	return [4]float64{}, fmt.Errorf("cut font has no head table")
}

// subsetTag is the six capital letters that mark a font as a subset (ISO
// 32000-1 9.6.4), derived from the face and its characters so that the same
// document gets the same tag and different cuts of one face different tags.
func subsetTag(u *faceUse) string {
	h := fnv.New64a()
	h.Write([]byte(u.face.Name()))
	var b [4]byte
	rs := slices.Clone(u.runes)
	slices.Sort(rs)
	for _, r := range rs {
		binary.BigEndian.PutUint32(b[:], uint32(r))
		h.Write(b[:])
	}
	v := h.Sum64()
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + byte(v%26)
		v /= 26
	}
	return string(tag)
}

// maxPSName is the longest PostScript name written: the limit of the
// PostScript language and of the OpenType name table's ID 6, and well
// within a PDF name's 127 bytes with the subset tag in front (ABCDEF+).
const maxPSName = 63

// psName makes a PostScript name safe as a PDF name: regular printable ASCII
// is kept, anything else becomes '-', and a name longer than maxPSName
// bytes is cut there (a user's face may say anything in its name table).
func psName(s string) string {
	b := []byte(s)
	if len(b) > maxPSName {
		b = b[:maxPSName]
	}
	for i, c := range b {
		if c <= ' ' || c > '~' || c == '#' || c == '/' || c == '(' || c == ')' || c == '<' || c == '>' ||
			c == '[' || c == ']' || c == '{' || c == '}' || c == '%' {
			b[i] = '-'
		}
	}
	if len(b) == 0 {
		return "Font"
	}
	return string(b)
}
