// Package pdf writes laid-out pages as PDF 1.7 itself: every run of text and
// rule arrives positioned by the layout, so nothing here breaks lines or
// measures text.
//
// The file is PDF/A-2u: each face a document uses is embedded as a small
// per-document cut ([fonts.Face.SubsetGlyphs]) in a Type0 font over a
// CIDFontType2 with Identity-H, a CIDToGIDMap that is the identity unless
// characters share a glyph (see embedFont), W widths and a ToUnicode CMap,
// so that text copies and searches as written; an sRGB output intent and XMP
// metadata declare the conformance. Objects other than streams are packed
// into object streams, the cross-reference table is a stream, and every
// stream is compressed with one pooled Flate compressor per document.
//
// The file is also tagged (PDF/UA-1): a structure tree built from the document
// tree — title, headings, paragraphs, tables with their header cells and spans —
// with every glyph in a marked-content sequence of its element, and rules, page
// numbers and repeated table rows as artifacts (see tag.go).
//
// The output is reproducible: the same pages and metadata give the same bytes
// (dates from the metadata, never the clock; fonts and resources numbered in
// order of first use; the file ID a digest of the content).
//
// It replaced go-pdf/fpdf, which spent 73 % of a render's CPU time on fresh
// compressors, a JSON digest of a 65,536-entry width table per font and
// re-parsing the cuts we had made, and which could write neither PDF/A nor
// tags.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
)

// Producer is written as the document's /Producer.
const Producer = "govreport"

// defaultDate stands in for a missing meta.Date: the output must not depend on
// the clock.
var defaultDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Render writes the pages as one PDF. meta is the document's metadata
// (layout.Meta).
//
// Every page and item is checked before anything is drawn, so malformed input
// (a text item without a face, a character the face lacks or a control
// character, a non-finite coordinate) returns an error naming the page and box
// instead of a broken file. Nothing is written to w unless the whole document
// was built. ctx is checked between pages.
//
// meta.Date becomes the creation and modification dates, with its offset from
// UTC; a date in the machine's local zone is written in UTC, so that the bytes
// do not depend on the machine. A zero date is written as 2000-01-01, never the
// clock.
func Render(ctx context.Context, w io.Writer, pages []layout.Page, doc *layout.Document) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if len(pages) == 0 {
		return errors.New("pdf: no pages")
	}
	if doc == nil {
		return errors.New("pdf: no document")
	}
	m, err := encodeMeta(doc.Meta)
	if err != nil {
		return err
	}
	used, err := collect(pages)
	if err != nil {
		return err
	}

	f := newFile()
	defer f.release()
	catalog, pageTree, info, resources := f.alloc(), f.alloc(), f.alloc(), f.alloc()

	uses := make(map[*fonts.Face]*faceUse, len(used))
	fontRes := make([]byte, 0, 64)
	fontRes = append(fontRes, "<</Font<<"...)
	for i, u := range used {
		u.res = "F" + strconv.Itoa(i+1)
		u.obj = f.alloc()
		uses[u.face] = u
		fontRes = fmt.Appendf(fontRes, "/%s %d 0 R", u.res, u.obj)
		if err := embedFont(f, u); err != nil {
			return err
		}
	}
	fontRes = append(fontRes, ">>>>"...)
	f.object(resources, fontRes)

	// Pages and their content streams.
	pageObjs := make([]int, len(pages))
	for i := range pages {
		pageObjs[i] = f.alloc()
	}
	tags := newTagger(doc, len(pages))
	var pt painter
	kids := make([]byte, 0, 16*len(pages)+32)
	for i := range pages {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("pdf: page %d: %w", i+1, err)
		}
		p := &pages[i]
		if err := pt.page(tags, i, p, uses); err != nil {
			return err
		}
		content := f.alloc()
		f.stream(content, nil, pt.b, fast)
		f.digest.Write(pt.b)
		b := fmt.Appendf(nil, "<</Type/Page/Parent %d 0 R/MediaBox[0 0 ", pageTree)
		b = appendNum(b, p.Width)
		b = append(b, ' ')
		b = appendNum(b, p.Height)
		b = fmt.Appendf(b, "]/Resources %d 0 R/Contents %d 0 R/StructParents %d>>", resources, content, i)
		f.object(pageObjs[i], b)
		kids = fmt.Appendf(kids, "%d 0 R ", pageObjs[i])
	}
	f.object(pageTree, fmt.Appendf(nil, "<</Type/Pages/Kids[%s]/Count %d>>", strings.TrimSpace(string(kids)), len(pages)))

	outlines := writeOutline(f, pages, pageObjs)
	structRoot := tags.write(f, pageObjs)

	// PDF/A: metadata (never compressed, so that it can be read without PDF
	// tools) and the sRGB output intent.
	metadata, icc, intent := f.alloc(), f.alloc(), f.alloc()
	x := xmp(m)
	f.stream(metadata, []byte("/Type/Metadata/Subtype/XML"), x, raw)
	f.digest.Write(x)
	f.stream(icc, []byte("/N 3"), srgbICC(), fast)
	f.object(intent, fmt.Appendf(nil, "<</Type/OutputIntent/S/GTS_PDFA1/OutputConditionIdentifier(sRGB IEC61966-2.1)/Info(sRGB IEC61966-2.1)/DestOutputProfile %d 0 R>>", icc))

	cat := fmt.Appendf(nil, "<</Type/Catalog/Pages %d 0 R/Metadata %d 0 R/OutputIntents[%d 0 R]", pageTree, metadata, intent)
	if outlines != 0 {
		cat = fmt.Appendf(cat, "/Outlines %d 0 R/PageMode/UseOutlines", outlines)
	}
	// Tagged PDF and PDF/UA-1: the structure tree, the language, and the
	// title shown instead of the file name.
	cat = fmt.Appendf(cat, "/StructTreeRoot %d 0 R/MarkInfo<</Marked true>>/Lang(zh-CN)/ViewerPreferences<</DisplayDocTitle true>>>>", structRoot)
	f.object(catalog, cat)
	f.object(info, m.infoDict())

	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if _, err := w.Write(f.finish(catalog, info)); err != nil {
		return fmt.Errorf("pdf: writing: %w", err)
	}
	return nil
}

// writeOutline writes the bookmarks of every page (layout.Bookmarks) as an
// outline tree and returns the outline dictionary's object number, 0 if there
// are none.
func writeOutline(f *file, pages []layout.Page, pageObjs []int) int {
	type entry struct {
		o           layout.Outline
		page        int
		num         int
		parent      int // index of the parent entry, -1 for the root
		first, last int
		prev, next  int
		count       int // descendants
		pageH       float64
	}
	var es []entry
	var stack []int // open entries by depth
	for _, bm := range layout.Bookmarks(pages) {
		stack = stack[:bm.Depth]
		e := entry{o: bm.Outline, page: bm.Page, num: f.alloc(), parent: -1, first: -1, last: -1, prev: -1, next: -1, pageH: pages[bm.Page].Height}
		if bm.Depth > 0 {
			e.parent = stack[bm.Depth-1]
		}
		stack = append(stack, len(es))
		es = append(es, e)
	}
	if len(es) == 0 {
		return 0
	}
	root := f.alloc()
	rootFirst, rootLast := -1, -1
	for i := range es {
		p := es[i].parent
		var last *int
		if p < 0 {
			if rootFirst < 0 {
				rootFirst = i
			}
			last = &rootLast
		} else {
			if es[p].first < 0 {
				es[p].first = i
			}
			last = &es[p].last
		}
		if *last >= 0 {
			es[*last].next = i
			es[i].prev = *last
		}
		*last = i
		for q := p; q >= 0; q = es[q].parent {
			es[q].count++
		}
	}
	ref := func(b []byte, key string, i int) []byte {
		if i < 0 {
			return b
		}
		return fmt.Appendf(b, "/%s %d 0 R", key, es[i].num)
	}
	for i := range es {
		e := &es[i]
		b := append([]byte(nil), "<</Title"...)
		b = appendTextString(b, e.o.Title)
		if e.parent < 0 {
			b = fmt.Appendf(b, "/Parent %d 0 R", root)
		} else {
			b = ref(b, "Parent", e.parent)
		}
		b = ref(b, "Prev", e.prev)
		b = ref(b, "Next", e.next)
		b = ref(b, "First", e.first)
		b = ref(b, "Last", e.last)
		if e.count > 0 {
			b = fmt.Appendf(b, "/Count %d", e.count)
		}
		b = fmt.Appendf(b, "/Dest[%d 0 R/XYZ 0 ", pageObjs[e.page])
		b = appendNum(b, e.pageH-min(max(e.o.Y, 0), e.pageH))
		b = append(b, " null]>>"...)
		f.object(e.num, b)
	}
	f.object(root, fmt.Appendf(nil, "<</Type/Outlines/First %d 0 R/Last %d 0 R/Count %d>>", es[rootFirst].num, es[rootLast].num, len(es)))
	return root
}

// collect checks every page and item and gathers, per face in order of first
// use, the characters drawn with it. Checking everything first means nothing
// is written for input that would give a broken or silently wrong file.
func collect(pages []layout.Page) ([]*faceUse, error) {
	var (
		used  []*faceUse
		index = map[*fonts.Face]*faceUse{}
	)
	for i := range pages {
		p := &pages[i]
		if !finite(p.Width) || !finite(p.Height) || p.Width <= 0 || p.Height <= 0 {
			return nil, fmt.Errorf("pdf: page %d: size %g × %g pt", i+1, p.Width, p.Height)
		}
		for j := range p.Items {
			it := &p.Items[j]
			u, err := checkItem(it, index)
			if err != nil {
				return nil, fmt.Errorf("pdf: page %d, box %q (item %d): %w", i+1, it.Box, j, err)
			}
			if u != nil && index[u.face] == nil {
				index[u.face] = u
				used = append(used, u)
			}
		}
		for _, o := range p.Outline {
			if err := checkTitle(o.Title); err != nil {
				return nil, fmt.Errorf("pdf: page %d: bookmark %q: %w", i+1, o.Title, err)
			}
			if !finite(o.Y) {
				return nil, fmt.Errorf("pdf: page %d: bookmark %q: y %g", i+1, o.Title, o.Y)
			}
		}
	}
	return used, nil
}

// checkItem validates one item (the checks every renderer shares, then the
// PDF's own) and, for text, records its characters in the face's entry (a new
// entry is returned for the caller to index).
func checkItem(it *layout.Item, index map[*fonts.Face]*faceUse) (*faceUse, error) {
	if err := it.Check(); err != nil {
		return nil, err
	}
	if it.Kind != layout.ItemText {
		return nil, nil
	}
	u := index[it.Face]
	if u == nil {
		u = &faceUse{face: it.Face}
	}
	for _, r := range it.Text {
		if r < 0x20 || r == 0xFEFF || r == 0xFFFE {
			// PDF/A-2u (6.2.11.7.2) forbids mapping a glyph to these.
			return nil, fmt.Errorf("text %q: control character U+%04X", it.Text, r)
		}
		if w, b := r/64, uint64(1)<<(r%64); u.seen[w]&b == 0 {
			u.seen[w] |= b
			u.runes = append(u.runes, r)
		}
	}
	return u, nil
}

// checkTitle refuses bookmark titles that are not text.
func checkTitle(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("not valid UTF-8")
	}
	return nil
}

// meta is the document information, checked and with its date settled.
type meta struct {
	title, author, subject, keywords, creator string
	date                                      time.Time
}

// encodeMeta checks the metadata: it goes into the Info dictionary and into
// XMP, where control characters are not allowed.
func encodeMeta(lm layout.Meta) (meta, error) {
	m := meta{title: lm.Title, author: lm.Author, subject: lm.Subject, keywords: lm.Keywords, creator: lm.Creator, date: lm.Date}
	for _, f := range []struct{ name, v string }{
		{"title", m.title}, {"author", m.author}, {"subject", m.subject}, {"keywords", m.keywords}, {"creator", m.creator},
	} {
		if !utf8.ValidString(f.v) {
			return meta{}, fmt.Errorf("pdf: metadata %s %q is not valid UTF-8", f.name, f.v)
		}
		for _, r := range f.v {
			if r < 0x20 || r == 0x7F || r == 0xFFFE || r == 0xFFFF {
				return meta{}, fmt.Errorf("pdf: metadata %s %q: control character U+%04X", f.name, f.v, r)
			}
		}
	}
	switch {
	case m.date.IsZero():
		m.date = defaultDate
	case m.date.Location() == time.Local:
		m.date = m.date.UTC()
	}
	return m, nil
}

// infoDict is the document information dictionary.
func (m meta) infoDict() []byte {
	b := []byte("<<")
	for _, f := range []struct{ key, v string }{
		{"Title", m.title}, {"Author", m.author}, {"Subject", m.subject}, {"Keywords", m.keywords},
		{"Creator", m.creator}, {"Producer", Producer},
	} {
		if f.v != "" {
			b = append(b, '/')
			b = append(b, f.key...)
			b = appendTextString(b, f.v)
		}
	}
	d := pdfDate(m.date)
	b = fmt.Appendf(b, "/CreationDate(%s)/ModDate(%s)>>", d, d)
	return b
}

// appendTextString appends s as a PDF text string: a literal string when it is
// printable ASCII (where PDFDocEncoding agrees), else UTF-16BE with a byte
// order mark, in hex.
func appendTextString(b []byte, s string) []byte {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7E {
			ascii = false
			break
		}
	}
	if ascii {
		b = append(b, '(')
		for i := 0; i < len(s); i++ {
			if c := s[i]; c == '(' || c == ')' || c == '\\' {
				b = append(b, '\\')
			}
			b = append(b, s[i])
		}
		return append(b, ')')
	}
	b = append(b, "<FEFF"...)
	for _, r := range s {
		if r > 0xFFFF {
			r1, r2 := utf16.EncodeRune(r)
			b = appendHex16(b, uint16(r1))
			r = r2
		}
		b = appendHex16(b, uint16(r))
	}
	return append(b, '>')
}

func appendHex16(b []byte, v uint16) []byte {
	return append(b, hexDigits[v>>12], hexDigits[v>>8&15], hexDigits[v>>4&15], hexDigits[v&15])
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
