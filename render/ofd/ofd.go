// Package ofd writes laid-out pages as OFD (GB/T 33190-2016), China's
// fixed-layout document format, from the same pages the PDF writer paints:
// every run of text and rule arrives positioned by the layout, so nothing
// here breaks lines or measures text beyond the advances the layout used.
//
// The package is a zip holding
//
//	OFD.xml                          the entry: DocInfo and DocRoot
//	Doc_0/Document.xml               CommonData (PageArea, MaxUnitID), pages, outlines
//	Doc_0/PublicRes.xml              the fonts, each with its FontFile
//	Doc_0/Res/font_N.ttf             each face cut to the document's characters
//	Doc_0/Pages/Page_N/Content.xml   one page's TextObjects and PathObjects
//	Doc_0/Tags/CustomTags.xml        the custom tag index
//	Doc_0/Tags/CustomTag.xml         the 公文 tags of GB/T 33476 (see TagNamespace)
//
// Every location is inside the package and every font is embedded, as the
// archival profile OFD-A (GB/T 42133) requires; docs/ofd.md says which parts
// of GB/T 33190, GB/T 33476 and GB/T 42133 are met and how each is tested.
//
// Units are millimetres. Each text item is one TextObject whose TextCode
// holds the item's characters as Unicode (so copying and searching work)
// and a DeltaX with the advance from each character to the next, as the
// layout measured them with its spacing, so that each glyph sits where the
// layout put it. Each face is embedded as the TrueType cut the PDF embeds
// ([fonts.Face.SubsetGlyphs]), whose cmap maps the characters to its glyphs.
//
// The output is reproducible: parts in a fixed order with fixed times (the
// metadata's date, never the clock), identifiers numbered in order, and the
// DocID a digest of the content.
package ofd

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/internal/decimal"
	"github.com/govreport/govreport/layout"
)

// Namespace is the namespace of every OFD part (GB/T 33190-2016).
const Namespace = "http://www.ofdspec.org/2016"

// Creator is written as DocInfo's Creator when the metadata names none.
const Creator = "govreport"

// mmPerPt converts the layout's points to OFD's millimetres.
const mmPerPt = 25.4 / 72

// defaultDate stands in for a missing meta.Date: the output must not depend
// on the clock.
var defaultDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// faceUse is one face the document draws with and the characters it needs.
type faceUse struct {
	face  *fonts.Face
	id    int
	file  string // the font file's name under Res
	seen  map[rune]bool
	runes []rune // in order of first use
	// weight is the face's OS/2 weight class to the hundred (400 when it
	// has none): each TextObject drawn with a face of another weight says
	// so (Weight), and the Font says Bold, for a reader that matches a
	// font by family and weight, as a browser does.
	weight int
}

// Render writes the pages as one OFD package. doc supplies the metadata
// (Title, Author = the agency, Subject, Keywords, Creator, Date).
//
// Every page and item is checked before anything is written, so malformed
// input returns an error naming the page and box instead of a broken file,
// and nothing is written to w unless the whole package was built. ctx is
// checked between pages.
func Render(ctx context.Context, w io.Writer, pages []layout.Page, doc *layout.Document) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("ofd: %w", err)
	}
	if len(pages) == 0 {
		return errors.New("ofd: no pages")
	}
	if doc == nil {
		return errors.New("ofd: no document")
	}
	m := doc.Meta
	for _, f := range []struct{ name, v string }{
		{"title", m.Title}, {"author", m.Author}, {"subject", m.Subject}, {"keywords", m.Keywords}, {"creator", m.Creator},
	} {
		if err := checkText(f.v); err != nil {
			return fmt.Errorf("ofd: metadata %s %q: %w", f.name, f.v, err)
		}
	}
	used, err := collect(pages)
	if err != nil {
		return err
	}
	tags := newTagger(pages, doc)
	date := m.Date
	if date.IsZero() {
		date = defaultDate
	}

	// Identifiers: fonts, then each page, its layer and its objects, in order.
	next := 0
	id := func() int { next++; return next }
	for i, u := range used {
		u.id = id()
		u.file = "font_" + strconv.Itoa(i) + ".ttf"
	}

	z := newPackage(date)
	defer z.release()
	// The DocID digests the XML parts. Font programs are not hashed: a
	// cut is a function of its face and characters, which PublicRes.xml
	// and the pages name.
	digest := sha256.New()
	put := func(name string, b []byte) error {
		if strings.HasSuffix(name, ".xml") {
			digest.Write([]byte(name))
			digest.Write(b)
		}
		return z.add(name, b)
	}

	// Fonts: each face cut to its characters.
	res := newXML("Res")
	res.attr("BaseLoc", "Res")
	res.end()
	res.open("Fonts")
	for _, u := range used {
		data, gids, err := u.face.SubsetGlyphs(u.runes)
		if err != nil {
			return fmt.Errorf("ofd: subsetting font %s: %w", u.face.Name(), err)
		}
		for i, g := range gids {
			if g == 0 {
				return fmt.Errorf("ofd: font %s: U+%04X %q was lost in the cut", u.face.Name(), u.runes[i], u.runes[i])
			}
		}
		res.start("Font")
		res.attrInt("ID", u.id)
		res.attr("FontName", u.face.Name())
		if fam := u.face.Family(); fam != "" {
			res.attr("FamilyName", fam)
		}
		if u.weight >= 600 {
			res.attr("Bold", "true")
		}
		res.end()
		res.leaf("FontFile", u.file)
		res.close("Font")
		if err := put("Doc_0/Res/"+u.file, data); err != nil {
			return err
		}
	}
	res.close("Fonts")
	res.close("Res")

	// Pages.
	fontOf := make(map[*fonts.Face]*faceUse, len(used))
	for _, u := range used {
		fontOf[u.face] = u
	}
	pageIDs := make([]int, len(pages))
	var c xmlWriter
	for i := range pages {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("ofd: page %d: %w", i+1, err)
		}
		pageIDs[i] = id()
		p := &pages[i]
		c.reset("Page")
		c.end()
		c.open("Area")
		c.leaf("PhysicalBox", box(0, 0, p.Width*mmPerPt, p.Height*mmPerPt))
		c.close("Area")
		c.open("Content")
		c.start("Layer")
		c.attrInt("ID", id())
		c.attr("Type", "Body")
		c.end()
		items := p.Items
		for len(items) > 0 {
			it := &items[0]
			switch it.Kind {
			case layout.ItemText:
				if it.Text != "" {
					oid := id()
					c.text(oid, it, fontOf[it.Face])
					tags.add(it, pageIDs[i], oid)
				}
				items = items[1:]
			case layout.ItemLine:
				// A run of rules of one width is one path: a table's
				// hundreds of rules would otherwise be as many objects.
				n := 1
				for n < len(items) && items[n].Kind == layout.ItemLine && items[n].LineWidth == it.LineWidth {
					n++
				}
				c.rules(id(), items[:n])
				items = items[n:]
			default:
				items = items[1:]
			}
		}
		c.close("Layer")
		c.close("Content")
		c.close("Page")
		if err := put(pageLoc(i), c.b); err != nil {
			return err
		}
	}
	if err := put("Doc_0/PublicRes.xml", res.b); err != nil {
		return err
	}

	// The document: common data, the pages, the outline.
	d := newXML("Document")
	d.end()
	d.open("CommonData")
	d.leaf("MaxUnitID", strconv.Itoa(next))
	d.open("PageArea")
	d.leaf("PhysicalBox", box(0, 0, pages[0].Width*mmPerPt, pages[0].Height*mmPerPt))
	d.close("PageArea")
	d.leaf("PublicRes", "PublicRes.xml")
	d.close("CommonData")
	d.open("Pages")
	for i := range pages {
		d.start("Page")
		d.attrInt("ID", pageIDs[i])
		d.attr("BaseLoc", strings.TrimPrefix(pageLoc(i), "Doc_0/"))
		d.empty()
	}
	d.close("Pages")
	if outlines(&d, pages, pageIDs) {
		d.open("VPreferences")
		d.leaf("PageMode", "UseOutlines")
		d.leaf("TabDisplay", "DocTitle")
		d.close("VPreferences")
	}
	if tags.any() {
		d.leaf("CustomTags", tagsLoc)
		if err := put("Doc_0/"+tagsLoc, tags.index()); err != nil {
			return err
		}
		if err := put("Doc_0/"+path.Dir(tagsLoc)+"/"+tagFile, tags.file()); err != nil {
			return err
		}
	}
	d.close("Document")
	if err := put("Doc_0/Document.xml", d.b); err != nil {
		return err
	}

	// The entry, last: its DocID is a digest of everything else.
	sum := digest.Sum(nil)
	o := newXML("OFD")
	o.attr("Version", "1.0")
	o.attr("DocType", "OFD")
	o.end()
	o.open("DocBody")
	o.open("DocInfo")
	o.leaf("DocID", hex.EncodeToString(sum[:16]))
	for _, f := range []struct{ name, v string }{{"Title", m.Title}, {"Author", m.Author}, {"Subject", m.Subject}} {
		if f.v != "" {
			o.leaf(f.name, f.v)
		}
	}
	o.leaf("CreationDate", date.Format(time.DateOnly))
	custom := tags.metadata(m)
	if kws := keywords(m.Keywords); len(kws) > 0 {
		o.open("Keywords")
		for _, k := range kws {
			o.leaf("Keyword", k)
		}
		o.close("Keywords")
	}
	name, version := creator(m.Creator)
	o.leaf("Creator", name)
	if version != "" {
		o.leaf("CreatorVersion", version)
	}
	if len(custom) > 0 {
		o.open("CustomDatas")
		for _, cd := range custom {
			o.start("CustomData")
			o.attr("Name", cd.name)
			o.end()
			o.escape(cd.value)
			o.close("CustomData")
		}
		o.close("CustomDatas")
	}
	o.close("DocInfo")
	o.leaf("DocRoot", "Doc_0/Document.xml")
	o.close("DocBody")
	o.close("OFD")
	if err := z.add("OFD.xml", o.b); err != nil {
		return err
	}

	b, err := z.finish()
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("ofd: %w", err)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("ofd: writing: %w", err)
	}
	return nil
}

// pageLoc is the path of page i's content (from 0) in the package.
func pageLoc(i int) string {
	return "Doc_0/Pages/Page_" + strconv.Itoa(i) + "/Content.xml"
}

// keywords splits the metadata's keywords at commas (ASCII or full-width).
func keywords(s string) []string {
	var out []string
	for _, k := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' }) {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// creator splits "govreport 1.2 (…)" into the program and its version.
func creator(s string) (name, version string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Creator, ""
	}
	name, version, _ = strings.Cut(s, " ")
	return name, strings.TrimSpace(version)
}

// collect checks every page and item and gathers, per face in order of
// first use, the characters drawn with it.
func collect(pages []layout.Page) ([]*faceUse, error) {
	var used []*faceUse
	index := map[*fonts.Face]*faceUse{}
	for i := range pages {
		p := &pages[i]
		if !finite(p.Width) || !finite(p.Height) || p.Width <= 0 || p.Height <= 0 {
			return nil, fmt.Errorf("ofd: page %d: size %g × %g pt", i+1, p.Width, p.Height)
		}
		for j := range p.Items {
			it := &p.Items[j]
			if err := it.Check(); err != nil {
				return nil, fmt.Errorf("ofd: page %d, box %q (item %d): %w", i+1, it.Box, j, err)
			}
			if it.Kind != layout.ItemText {
				continue
			}
			if err := checkText(it.Text); err != nil {
				return nil, fmt.Errorf("ofd: page %d, box %q (item %d): text %q: %w", i+1, it.Box, j, it.Text, err)
			}
			u := index[it.Face]
			if u == nil {
				u = &faceUse{face: it.Face, seen: map[rune]bool{}, weight: weightOf(it.Face)}
				index[it.Face] = u
				used = append(used, u)
			}
			for _, r := range it.Text {
				if !u.seen[r] {
					u.seen[r] = true
					u.runes = append(u.runes, r)
				}
			}
		}
		for _, o := range p.Outline {
			if err := checkText(o.Title); err != nil {
				return nil, fmt.Errorf("ofd: page %d: bookmark %q: %w", i+1, o.Title, err)
			}
			if !finite(o.Y) {
				return nil, fmt.Errorf("ofd: page %d: bookmark %q: y %g", i+1, o.Title, o.Y)
			}
		}
	}
	return used, nil
}

// weightOf is a face's weight class rounded to one of OFD's weights (100
// to 900), 400 for a face without an OS/2 table.
func weightOf(f *fonts.Face) int {
	o, ok := f.OS2()
	if !ok || o.Weight == 0 {
		return 400
	}
	return min(max(int(math.Round(float64(o.Weight)/100))*100, 100), 900)
}

// checkText refuses what XML 1.0 cannot hold and what no glyph should
// stand for: control characters and the non-characters U+FFFE, U+FFFF.
func checkText(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("not valid UTF-8")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7F || r == 0xFFFE || r == 0xFFFF {
			return fmt.Errorf("control character U+%04X", r)
		}
	}
	return nil
}

// outlines writes the bookmarks of every page (layout.Bookmarks) as nested
// OutlineElems, each going to its heading's place; it reports whether there
// were any.
func outlines(d *xmlWriter, pages []layout.Page, pageIDs []int) bool {
	es := layout.Bookmarks(pages)
	if len(es) == 0 {
		return false
	}
	d.open("Outlines")
	open := 0 // OutlineElems open
	for k, e := range es {
		for open > e.Depth {
			d.close("OutlineElem")
			open--
		}
		d.start("OutlineElem")
		d.attr("Title", e.Title)
		d.end()
		d.open("Actions")
		d.start("Action")
		d.attr("Event", "CLICK")
		d.end()
		d.open("Goto")
		d.start("Dest")
		d.attr("Type", "XYZ")
		d.attrInt("PageID", pageIDs[e.Page])
		d.attr("Left", "0")
		d.attr("Top", num(min(max(e.Y, 0), pages[e.Page].Height)*mmPerPt))
		d.empty()
		d.close("Goto")
		d.close("Action")
		d.close("Actions")
		open++
		if k+1 == len(es) || es[k+1].Depth <= e.Depth {
			d.close("OutlineElem")
			open--
		}
	}
	for ; open > 0; open-- {
		d.close("OutlineElem")
	}
	d.close("Outlines")
	return true
}

// text writes one text item as a TextObject. Its Boundary is the run's box
// from the ascent to the descent; TextCode's X and Y are the baseline's
// start within it, and DeltaX is the distance from each character to the
// next: its advance at the size plus the item's spacing, rounded so that
// rounding never accumulates along the line.
func (c *xmlWriter) text(id int, it *layout.Item, font *faceUse) {
	f := it.Face
	asc, dsc := f.Ascent()*it.Size, f.Descent()*it.Size
	if asc <= 0 {
		asc = it.Size
	}
	if dsc < 0 {
		dsc = -dsc
	}
	var rs [64]rune
	runes := rs[:0]
	for _, r := range it.Text {
		runes = append(runes, r)
	}
	// Positions of each character from the run's start, in mm, rounded.
	pos := 0.0
	width := 0.0
	var deltas []byte
	prev := 0.0
	for i, r := range runes {
		adv := f.Advance(r)*it.Size + it.Spacing
		pos += adv
		width = max(width, pos)
		if i+1 < len(runes) {
			cur := round(pos * mmPerPt)
			if len(deltas) > 0 {
				deltas = append(deltas, ' ')
			}
			deltas = appendNum(deltas, cur-prev)
			prev = cur
		}
	}
	x0 := it.X * mmPerPt
	y0 := (it.Y - asc) * mmPerPt
	c.start("TextObject")
	c.attrInt("ID", id)
	if it.Rotate == 90 {
		// Turned a quarter clockwise (a landscape page's number): the
		// run's box stands on the page, and the CTM maps the object's
		// (u, v) to (asc+dsc − v, u) within it.
		h := (asc + dsc) * mmPerPt
		c.attr("Boundary", box((it.X-dsc)*mmPerPt, it.Y*mmPerPt, h, max(width, it.Size)*mmPerPt))
		c.attr("CTM", "0 1 -1 0 "+num(h)+" 0")
	} else {
		c.attr("Boundary", box(x0, y0, max(width, it.Size)*mmPerPt, (asc+dsc)*mmPerPt))
	}
	c.attrInt("Font", font.id)
	c.attr("Size", num(it.Size*mmPerPt))
	if font.weight != 400 {
		c.attrInt("Weight", font.weight)
	}
	c.end()
	c.start("TextCode")
	c.attr("X", "0")
	c.attr("Y", num(asc*mmPerPt))
	if len(deltas) > 0 {
		c.attr("DeltaX", string(deltas))
	}
	c.end()
	c.escape(it.Text)
	c.close("TextCode")
	c.close("TextObject")
}

// rules writes rules of one width as one stroked PathObject (black, the
// default stroke colour) of a subpath each: its Boundary is their box
// widened by half the line width on every side, and the path runs within
// it.
func (c *xmlWriter) rules(id int, lines []layout.Item) {
	hw := lines[0].LineWidth / 2
	x0, y0 := math.Inf(1), math.Inf(1)
	x1, y1 := math.Inf(-1), math.Inf(-1)
	for i := range lines {
		it := &lines[i]
		x0, y0 = min(x0, it.X-hw, it.X2-hw), min(y0, it.Y-hw, it.Y2-hw)
		x1, y1 = max(x1, it.X+hw, it.X2+hw), max(y1, it.Y+hw, it.Y2+hw)
	}
	c.start("PathObject")
	c.attrInt("ID", id)
	c.attr("Boundary", box(x0*mmPerPt, y0*mmPerPt, (x1-x0)*mmPerPt, (y1-y0)*mmPerPt))
	c.attr("LineWidth", num(lines[0].LineWidth*mmPerPt))
	c.end()
	c.open("AbbreviatedData")
	for i := range lines {
		it := &lines[i]
		if i > 0 {
			c.b = append(c.b, ' ')
		}
		c.b = append(c.b, "M "...)
		c.b = appendNum(c.b, (it.X-x0)*mmPerPt)
		c.b = append(c.b, ' ')
		c.b = appendNum(c.b, (it.Y-y0)*mmPerPt)
		c.b = append(c.b, " L "...)
		c.b = appendNum(c.b, (it.X2-x0)*mmPerPt)
		c.b = append(c.b, ' ')
		c.b = appendNum(c.b, (it.Y2-y0)*mmPerPt)
	}
	c.close("AbbreviatedData")
	c.close("PathObject")
}

// round keeps 1/1000 mm, far below any device's resolution.
func round(v float64) float64 { return math.Round(v*1000) / 1000 }

// num writes v in mm with at most three decimals, without an exponent or a
// negative zero.
func num(v float64) string { return string(appendNum(nil, v)) }

// appendNum appends num(v) to b. It writes the thousandths as an integer
// with the point put in, the same digits strconv.AppendFloat(round(v), 'f',
// -1) writes (TestAppendNum), without its shortest-form search, which was a
// tenth of an OFD's CPU time.
func appendNum(b []byte, v float64) []byte {
	m := math.Round(v * 1000)
	if m == 0 {
		return append(b, '0')
	}
	if !(math.Abs(m) < 1e15) { // NaN, ±Inf and huge values: the slow way
		return strconv.AppendFloat(b, round(v), 'f', -1, 64)
	}
	return decimal.AppendMilli(b, int64(m))
}

func box(x, y, w, h float64) string {
	return num(x) + " " + num(y) + " " + num(w) + " " + num(h)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// xmlWriter writes one XML part directly: elements in the ofd: prefix,
// attributes and text escaped.
type xmlWriter struct{ b []byte }

func newXML(root string) xmlWriter {
	var w xmlWriter
	w.reset(root)
	return w
}

// reset starts a part whose root element is root, declaring the namespace;
// the caller adds attributes and ends the start tag.
func (w *xmlWriter) reset(root string) {
	w.b = append(w.b[:0], `<?xml version="1.0" encoding="UTF-8"?>`+"\n"...)
	w.start(root)
	w.attr("xmlns:ofd", Namespace)
}

func (w *xmlWriter) start(name string) {
	w.b = append(w.b, "<ofd:"...)
	w.b = append(w.b, name...)
}

func (w *xmlWriter) attr(name, v string) {
	w.b = append(w.b, ' ')
	w.b = append(w.b, name...)
	w.b = append(w.b, `="`...)
	w.escape(v)
	w.b = append(w.b, '"')
}

func (w *xmlWriter) attrInt(name string, v int) {
	w.b = append(w.b, ' ')
	w.b = append(w.b, name...)
	w.b = append(w.b, `="`...)
	w.b = strconv.AppendInt(w.b, int64(v), 10)
	w.b = append(w.b, '"')
}

func (w *xmlWriter) end()   { w.b = append(w.b, '>') }
func (w *xmlWriter) empty() { w.b = append(w.b, "/>"...) }

func (w *xmlWriter) open(name string) {
	w.start(name)
	w.end()
}

func (w *xmlWriter) close(name string) {
	w.b = append(w.b, "</ofd:"...)
	w.b = append(w.b, name...)
	w.b = append(w.b, '>')
}

func (w *xmlWriter) leaf(name, text string) {
	w.open(name)
	w.escape(text)
	w.close(name)
}

// escape appends s with the characters XML gives meaning to escaped.
func (w *xmlWriter) escape(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '"':
			esc = "&quot;"
		case '\'':
			esc = "&apos;"
		default:
			continue
		}
		w.b = append(w.b, s[last:i]...)
		w.b = append(w.b, esc...)
		last = i + 1
	}
	w.b = append(w.b, s[last:]...)
}

// pkg is the zip being built, in memory, with fixed times and one pooled
// compressor.
type pkg struct {
	buf  *bytes.Buffer // from bufPool
	zw   *zip.Writer
	date time.Time
	fw   *flate.Writer
}

// flatePool keeps compressors across documents: a new flate.Writer
// allocates hundreds of kilobytes. It is the PDF writer's Flate
// (klauspost/compress) at BestSpeed: with the standard library's at the
// default level compression took 80 % of an OFD's CPU time, and the OFD
// cost 55 ms of CPU to the PDF's 12.
var flatePool sync.Pool

// bufPool holds the buffers packages are built in: a seed report is 300 KB,
// and growing a fresh buffer to that size was a third of what a write
// allocated. The bytes are copied to the caller's writer before release.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func newPackage(date time.Time) *pkg {
	p := &pkg{date: date, buf: bufPool.Get().(*bytes.Buffer)}
	p.buf.Reset()
	p.zw = zip.NewWriter(p.buf)
	p.zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		if p.fw == nil {
			if fw, ok := flatePool.Get().(*flate.Writer); ok {
				p.fw = fw
			} else {
				var err error
				if p.fw, err = flate.NewWriter(w, flate.BestSpeed); err != nil {
					return nil, err
				}
			}
		}
		p.fw.Reset(w)
		return p.fw, nil
	})
	return p
}

func (p *pkg) add(name string, b []byte) error {
	// The document's date in UTC, never the clock or the machine's zone.
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: p.date.UTC()}
	w, err := p.zw.CreateHeader(h)
	if err != nil {
		return fmt.Errorf("ofd: %s: %w", name, err)
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("ofd: %s: %w", name, err)
	}
	return nil
}

// release returns the buffer to the pool; the package's bytes are gone.
func (p *pkg) release() {
	if p.buf != nil {
		bufPool.Put(p.buf)
		p.buf = nil
	}
}

// finish closes the zip and returns the compressor to the pool. The bytes
// are valid until release.
func (p *pkg) finish() ([]byte, error) {
	err := p.zw.Close()
	if p.fw != nil {
		flatePool.Put(p.fw)
		p.fw = nil
	}
	if err != nil {
		return nil, fmt.Errorf("ofd: %w", err)
	}
	return p.buf.Bytes(), nil
}
