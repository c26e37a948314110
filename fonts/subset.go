package fonts

import (
	"encoding/binary"
	"fmt"
	"slices"
)

// Subset returns a small single-face TrueType font holding only the glyphs of runes
// (plus .notdef and the components of composite glyphs): cmap (format 4), glyf, loca,
// hmtx, hhea, head, maxp, post (format 3), name and OS/2, and the hinting tables if
// the face has any. Runes the face lacks (including everything above U+FFFF) are left
// out, so callers pass the characters [Set.Resolve] assigned to this face.
//
// The PDF writer embeds this instead of the whole face. The output is deterministic: the same set of runes,
// in any order and with repeats, gives the same bytes, so documents are reproducible.
//
// It is hand-written, about 200 lines over the tables indexed once at load: it copies
// the raw glyph records (outlines stay byte-identical to the shipped face), writes
// a format 4 cmap, and cuts a seed-sized subset (about 500 runes) in
// 0.25–0.55 ms on the project's machines. That keeps the package on the standard
// library and golang.org/x/image only; a third-party subsetter such as
// github.com/tdewolff/font was therefore not adopted (and not measured).
func (f *Face) Subset(runes []rune) ([]byte, error) {
	font, _, _, err := f.subset(nil, runes)
	return font, err
}

// SubsetGlyphs is Subset that also says where each character went: glyphs[i] is the
// glyph index of runes[i] in the cut, 0 (.notdef) for a character the face lacks.
// The PDF writer numbers its CIDs by these indices (Identity-H; characters sharing a
// glyph get CIDs of their own through a CIDToGIDMap), so it needs no cmap lookup.
func (f *Face) SubsetGlyphs(runes []rune) (font []byte, glyphs []uint16, err error) {
	return f.AppendSubsetGlyphs(nil, runes)
}

// AppendSubsetGlyphs is SubsetGlyphs appending the cut to dst: a writer
// that is done with the cut once it has compressed it (the PDF's) reuses
// one buffer rather than fresh pages for every document.
func (f *Face) AppendSubsetGlyphs(dst []byte, runes []rune) (font []byte, glyphs []uint16, err error) {
	font, rs, gids, err := f.subset(dst, runes)
	if err != nil {
		return nil, nil, err
	}
	glyphs = make([]uint16, len(runes))
	for i, r := range runes {
		if j, ok := slices.BinarySearch(rs, r); ok {
			glyphs[i] = gids[j]
		}
	}
	return font, glyphs, nil
}

// subset cuts the font and returns the characters it kept, sorted, with their glyph
// indices in the cut.
func (f *Face) subset(dst []byte, runes []rune) (font []byte, rs []rune, runeGID []uint16, err error) {
	rs = make([]rune, 0, len(runes))
	for _, r := range runes {
		if f.Has(r) {
			rs = append(rs, r)
		}
	}
	slices.Sort(rs)
	rs = slices.Compact(rs)

	// New glyph order: .notdef, the runes' glyphs in rune order, then components.
	order := make([]uint16, 1, len(rs)+8)
	newID := make(map[uint16]uint16, len(rs)+8)
	newID[0] = 0
	add := func(g uint16) uint16 {
		if id, ok := newID[g]; ok {
			return id
		}
		id := uint16(len(order))
		newID[g] = id
		order = append(order, g)
		return id
	}
	runeGID = make([]uint16, len(rs))
	for i, r := range rs {
		runeGID[i] = add(f.gid[r])
	}
	for i := 0; i < len(order); i++ {
		g := order[i]
		data := f.glyph(g)
		err := forComponents(data, func(_ int, c uint16) error {
			if int(c) >= f.numGlyphs {
				return fmt.Errorf("glyph %d: component %d out of range", g, c)
			}
			add(c)
			return nil
		})
		if err != nil {
			return nil, nil, nil, fmt.Errorf("subset %s: %w", f.name, err)
		}
	}
	if len(order) > 0xFFFF {
		return nil, nil, nil, fmt.Errorf("subset %s: too many glyphs (%d)", f.name, len(order))
	}

	cmap := buildCmap(rs, runeGID)

	// loca (long format) and hmtx; glyf, the largest, is copied by
	// assemble straight into the font (writeGlyf), each glyph 4-aligned.
	loca := make([]byte, 4*(len(order)+1))
	hmtx := make([]byte, 4*len(order))
	glyfLen := 0
	for i, g := range order {
		binary.BigEndian.PutUint32(loca[4*i:], uint32(glyfLen))
		binary.BigEndian.PutUint16(hmtx[4*i:], f.advanceOf(g))
		binary.BigEndian.PutUint16(hmtx[4*i+2:], f.lsbOf(g))
		glyfLen += (len(f.glyph(g)) + 3) &^ 3
	}
	binary.BigEndian.PutUint32(loca[4*len(order):], uint32(glyfLen))
	writeGlyf := func(out []byte) []byte {
		for _, g := range order {
			start := len(out)
			out = append(out, f.glyph(g)...)
			// Renumber the components of a composite glyph in the copy.
			_ = forComponents(out[start:], func(off int, c uint16) error {
				binary.BigEndian.PutUint16(out[start+off:], newID[c])
				return nil
			})
			for len(out)%4 != 0 {
				out = append(out, 0)
			}
		}
		return out
	}

	head := slices.Clone(f.tables["head"])
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(head[50:], 1) // indexToLocFormat: long
	hhea := slices.Clone(f.tables["hhea"])
	binary.BigEndian.PutUint16(hhea[34:], uint16(len(order)))
	maxp := slices.Clone(f.tables["maxp"])
	binary.BigEndian.PutUint16(maxp[4:], uint16(len(order)))
	post := make([]byte, 32)
	copy(post, f.tables["post"])
	binary.BigEndian.PutUint32(post, 0x00030000)

	tables := map[string][]byte{
		"cmap": cmap, "head": head, "hhea": hhea,
		"hmtx": hmtx, "loca": loca, "maxp": maxp, "post": post,
	}
	for _, tag := range []string{"name", "cvt ", "fpgm", "prep", "gasp"} {
		if t := f.tables[tag]; t != nil {
			tables[tag] = t
		}
	}
	if os2 := f.tables["OS/2"]; os2 != nil {
		os2 = slices.Clone(os2)
		if len(os2) >= 68 && len(rs) > 0 {
			binary.BigEndian.PutUint16(os2[64:], uint16(rs[0]))         // usFirstCharIndex
			binary.BigEndian.PutUint16(os2[66:], uint16(rs[len(rs)-1])) // usLastCharIndex
		}
		tables["OS/2"] = os2
	}
	return assembleTo(dst, tables, &tableWriter{"glyf", glyfLen, writeGlyf}), rs, runeGID, nil
}

// forComponents calls fn with the offset and glyph index of every component of a
// composite glyph record; simple and empty glyphs have none.
func forComponents(data []byte, fn func(off int, gid uint16) error) error {
	if len(data) < 10 || int16(binary.BigEndian.Uint16(data)) >= 0 {
		return nil
	}
	const (
		argWords   = 0x0001
		haveScale  = 0x0008
		more       = 0x0020
		haveXY     = 0x0040
		haveTwoTwo = 0x0080
	)
	off := 10
	for {
		if off+4 > len(data) {
			return fmt.Errorf("composite glyph truncated at byte %d", off)
		}
		flags := binary.BigEndian.Uint16(data[off:])
		if err := fn(off+2, binary.BigEndian.Uint16(data[off+2:])); err != nil {
			return err
		}
		off += 4
		if flags&argWords != 0 {
			off += 4
		} else {
			off += 2
		}
		switch {
		case flags&haveScale != 0:
			off += 2
		case flags&haveXY != 0:
			off += 4
		case flags&haveTwoTwo != 0:
			off += 8
		}
		if off > len(data) {
			return fmt.Errorf("composite glyph truncated at byte %d", len(data))
		}
		if flags&more == 0 {
			return nil
		}
	}
}

// cmapSeg is a run of consecutive characters with consecutive glyphs.
type cmapSeg struct{ start, end, delta uint16 }

// maxFormat4Segs is the most segments, the 0xFFFF sentinel included, that
// a format 4 subtable's 16-bit length holds.
const maxFormat4Segs = (0xFFFF - 16) / 8

// buildCmap writes a cmap table with one (3,1) format 4 subtable. Because glyphs are
// numbered in rune order, runs of consecutive characters become single idDelta
// segments. More runs than format 4 holds (8,189: thousands of scattered
// characters of one face, as a report may have) add a (3,10) format 12
// subtable of them all, which FreeType, DirectWrite, x/image and this package
// prefer, after a format 4 of the first 8,188 runs.
func buildCmap(rs []rune, gids []uint16) []byte {
	segs := make([]cmapSeg, 0, 16)
	for i, r := range rs {
		c, g := uint16(r), gids[i]
		if n := len(segs); n > 0 && segs[n-1].end+1 == c && segs[n-1].delta == g-c {
			segs[n-1].end = c
			continue
		}
		segs = append(segs, cmapSeg{c, c, g - c})
	}
	if len(segs)+1 <= maxFormat4Segs {
		return cmapTable(format4(segs))
	}
	return cmapTable(format4(segs[:maxFormat4Segs-1]), format12(segs))
}

// cmapTable writes a cmap table of a (3,1) subtable and, if given, a (3,10) one.
func cmapTable(bmp []byte, full ...[]byte) []byte {
	n := 1 + len(full)
	b := make([]byte, 4+8*n, 4+8*n+len(bmp))
	binary.BigEndian.PutUint16(b[2:], uint16(n)) // numTables
	binary.BigEndian.PutUint16(b[4:], 3)         // platform Windows
	binary.BigEndian.PutUint16(b[6:], 1)         // encoding Unicode BMP
	binary.BigEndian.PutUint32(b[8:], uint32(len(b)))
	b = append(b, bmp...)
	if len(full) > 0 {
		binary.BigEndian.PutUint16(b[12:], 3)  // platform Windows
		binary.BigEndian.PutUint16(b[14:], 10) // encoding Unicode full repertoire
		binary.BigEndian.PutUint32(b[16:], uint32(len(b)))
		b = append(b, full[0]...)
	}
	return b
}

// format4 writes a format 4 subtable of segs and the 0xFFFF sentinel;
// len(segs) < maxFormat4Segs.
func format4(segs []cmapSeg) []byte {
	segs = append(segs[:len(segs):len(segs)], cmapSeg{0xFFFF, 0xFFFF, 1})
	n := len(segs)
	length := 16 + 8*n
	t := make([]byte, length)
	binary.BigEndian.PutUint16(t[0:], 4)
	binary.BigEndian.PutUint16(t[2:], uint16(length))
	binary.BigEndian.PutUint16(t[6:], uint16(2*n))
	sr, es := 1, 0
	for sr*2 <= n {
		sr *= 2
		es++
	}
	binary.BigEndian.PutUint16(t[8:], uint16(2*sr))
	binary.BigEndian.PutUint16(t[10:], uint16(es))
	binary.BigEndian.PutUint16(t[12:], uint16(2*n-2*sr))
	for i, s := range segs {
		binary.BigEndian.PutUint16(t[14+2*i:], s.end)
		binary.BigEndian.PutUint16(t[16+2*n+2*i:], s.start)
		binary.BigEndian.PutUint16(t[16+4*n+2*i:], s.delta)
		// idRangeOffset stays 0.
	}
	return t
}

// format12 writes a format 12 subtable of segs.
func format12(segs []cmapSeg) []byte {
	t := make([]byte, 16, 16+12*len(segs))
	binary.BigEndian.PutUint16(t, 12)
	binary.BigEndian.PutUint32(t[4:], uint32(16+12*len(segs)))
	binary.BigEndian.PutUint32(t[12:], uint32(len(segs)))
	for _, s := range segs {
		t = binary.BigEndian.AppendUint32(t, uint32(s.start))
		t = binary.BigEndian.AppendUint32(t, uint32(s.end))
		t = binary.BigEndian.AppendUint32(t, uint32(s.start+s.delta))
	}
	return t
}

// assemble writes a TrueType file from its tables, sorted by tag, 4-byte aligned,
// with checksums and head.checkSumAdjustment.
func assemble(tables map[string][]byte) []byte { return assembleTo(nil, tables, nil) }

// tableWriter is a table assembleTo writes itself, n bytes long, with
// write appending them, rather than copy from a slice made before.
type tableWriter struct {
	tag   string
	n     int
	write func(out []byte) []byte
}

// assembleTo is assemble appending to dst, with w's table (if any)
// written in place among the others.
func assembleTo(dst []byte, tables map[string][]byte, w *tableWriter) []byte {
	tags := make([]string, 0, len(tables)+1)
	size := 12 + 16*len(tables)
	for tag, t := range tables {
		tags = append(tags, tag)
		size += (len(t) + 3) &^ 3
	}
	if w != nil {
		tags = append(tags, w.tag)
		size += 16 + (w.n+3)&^3
	}
	slices.Sort(tags)
	n := len(tags)
	sr, es := 1, 0
	for sr*2 <= n {
		sr *= 2
		es++
	}
	// The font in dst's spare room, grown to hold it: out is its view
	// from the font's start, which the offsets count from.
	base := len(dst)
	dst = slices.Grow(dst, size)
	out := dst[base : base+12+16*n]
	clear(out) // a reused dst holds old bytes
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(16*sr))
	binary.BigEndian.PutUint16(out[8:], uint16(es))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-16*sr))
	headOff := 0
	var total uint32 // file checksum: the tables are 4-aligned, so it is the sum of theirs
	for i, tag := range tags {
		t := tables[tag]
		off := len(out)
		if tag == "head" {
			headOff = off
		}
		length := len(t)
		if w != nil && tag == w.tag {
			out = w.write(out)
			length = len(out) - off
		} else {
			out = append(out, t...)
		}
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		rec := out[12+16*i:]
		copy(rec, tag)
		sum := checksum(out[off:])
		total += sum
		binary.BigEndian.PutUint32(rec[4:], sum)
		binary.BigEndian.PutUint32(rec[8:], uint32(off))
		binary.BigEndian.PutUint32(rec[12:], uint32(length))
	}
	if headOff > 0 {
		total += checksum(out[:12+16*n])
		binary.BigEndian.PutUint32(out[headOff+8:], 0xB1B0AFBA-total)
	}
	if cap(out) == cap(dst)-base {
		return dst[:base+len(out)] // written in place
	}
	return append(dst[:base], out...)
}

// checksum is the sfnt table checksum of b (zero-padded to a multiple of 4).
func checksum(b []byte) uint32 {
	var sum uint32
	for len(b) >= 16 {
		sum += binary.BigEndian.Uint32(b) + binary.BigEndian.Uint32(b[4:]) +
			binary.BigEndian.Uint32(b[8:]) + binary.BigEndian.Uint32(b[12:])
		b = b[16:]
	}
	for len(b) >= 4 {
		sum += binary.BigEndian.Uint32(b)
		b = b[4:]
	}
	if len(b) > 0 {
		var last [4]byte
		copy(last[:], b)
		sum += binary.BigEndian.Uint32(last[:])
	}
	return sum
}

// Tagged returns a copy of a TrueType file (such as a Subset) whose family,
// full, unique and PostScript names carry tag and a plus sign in front, as a
// PDF names a subset (ABCDEF+FandolFang). An application that caches
// embedded fonts by name (LibreOffice keeps the first "FandolFang" it loads
// for the rest of the session) then never sets one document's text in
// another's subset. Other names (copyright, licence, its URL) are kept.
func Tagged(font []byte, tag string) ([]byte, error) {
	if len(font) < 12 {
		return nil, fmt.Errorf("font of %d bytes", len(font))
	}
	tables, err := readTableDirectory(font)
	if err != nil {
		return nil, err
	}
	name := tables["name"]
	if len(name) < 6 {
		return nil, fmt.Errorf("no name table")
	}
	be := binary.BigEndian
	count := int(be.Uint16(name[2:]))
	strOff := int(be.Uint16(name[4:]))
	if 6+12*count > len(name) || strOff > len(name) {
		return nil, fmt.Errorf("name table truncated")
	}
	type rec struct {
		platform, encoding, language, id uint16
		s                                []byte
	}
	var recs []rec
	winNames := map[uint16]string{} // Windows English names, for the new ones
	for i := range count {
		r := name[6+12*i:]
		length, off := int(be.Uint16(r[8:])), int(be.Uint16(r[10:]))
		if strOff+off+length > len(name) {
			return nil, fmt.Errorf("name record %d out of bounds", i)
		}
		x := rec{be.Uint16(r), be.Uint16(r[2:]), be.Uint16(r[4:]), be.Uint16(r[6:]), name[strOff+off : strOff+off+length]}
		switch x.id {
		case 1, 3, 4, 6, 16:
			if x.platform == 3 && x.encoding == 1 && x.language == 0x409 {
				winNames[x.id] = utf16BE(x.s)
			}
			continue
		}
		recs = append(recs, x)
	}
	// The names are the face's own, read as Face.Name and Face.Family read
	// them (a DOCX names the font tag+Family), so any face that loaded can be
	// renamed, whatever platform and language its name records are in.
	ps, family := names(name)
	if ps == "" {
		return nil, fmt.Errorf("no PostScript, full or family name")
	}
	full := winNames[4]
	if full == "" {
		full = family
	}
	for id, s := range map[uint16]string{1: family, 3: ps, 4: full, 6: ps} {
		recs = append(recs, rec{3, 1, 0x409, id, toUTF16BE(tag + "+" + s)})
	}
	slices.SortFunc(recs, func(a, b rec) int {
		for _, d := range []int{int(a.platform) - int(b.platform), int(a.encoding) - int(b.encoding), int(a.language) - int(b.language), int(a.id) - int(b.id)} {
			if d != 0 {
				return d
			}
		}
		return 0
	})
	out := make([]byte, 6+12*len(recs))
	be.PutUint16(out[2:], uint16(len(recs)))
	be.PutUint16(out[4:], uint16(len(out)))
	var strs []byte
	for i, x := range recs {
		r := out[6+12*i:]
		be.PutUint16(r, x.platform)
		be.PutUint16(r[2:], x.encoding)
		be.PutUint16(r[4:], x.language)
		be.PutUint16(r[6:], x.id)
		be.PutUint16(r[8:], uint16(len(x.s)))
		be.PutUint16(r[10:], uint16(len(strs)))
		strs = append(strs, x.s...)
	}
	if len(out)+len(strs) > 0xFFFF {
		return nil, fmt.Errorf("name table too large")
	}
	tables["name"] = append(out, strs...)
	head := slices.Clone(tables["head"])
	if len(head) >= 12 {
		binary.BigEndian.PutUint32(head[8:], 0) // checkSumAdjustment, set by assemble
	}
	tables["head"] = head
	return assemble(tables), nil
}

func utf16BE(b []byte) string {
	var rs []rune
	for i := 0; i+1 < len(b); i += 2 {
		rs = append(rs, rune(binary.BigEndian.Uint16(b[i:])))
	}
	return string(rs)
}

func toUTF16BE(s string) []byte {
	var b []byte
	for _, r := range s {
		if r > 0xFFFF {
			r = 0xFFFD
		}
		b = binary.BigEndian.AppendUint16(b, uint16(r))
	}
	return b
}
