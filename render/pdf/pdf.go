// Package pdf paints laid-out pages as PDF with go-pdf/fpdf, which serves only as
// the drawing back end: every run of text, rule and box arrives positioned by the
// layout, so nothing here breaks lines or measures text.
//
// Each face a document uses is embedded as a small per-document cut ([fonts.Face.Subset])
// of the face parsed once per process, because fpdf parses every font it is given and a
// full CJK face would cost tens of milliseconds per document.
//
// The output is reproducible: the same pages and metadata give the same bytes (fixed
// dates, sorted catalogs, fonts registered in order of first use, no file ID).
package pdf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
)

// Options tunes the output. It is empty for now; it exists so that switches such
// as a future PDF/A mode can be added without changing Render's signature.
type Options struct{}

// Producer is written as the document's /Producer.
const Producer = "govreport"

// defaultDate stands in for a missing meta.Date: the output must not depend on the
// clock, and fpdf would otherwise write time.Now().
var defaultDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Render writes the pages as one PDF. meta is the document's metadata (layout.Meta).
//
// Every page and item is checked before anything is drawn, so malformed input (a
// text item without a face, a character the face lacks or one above U+FFFF, a
// non-finite coordinate) returns an error naming the page and box instead of a
// broken file or a panic inside fpdf. Nothing is written to w unless the whole
// document was built. ctx is checked between pages.
//
// meta.Date becomes the creation and modification dates; fpdf writes them
// without a time zone, as the wall-clock time of the date's location (UTC for a
// date in the machine's local zone, so that the bytes do not depend on the
// machine). A zero date is written as 2000-01-01, never the clock.
func Render(ctx context.Context, w io.Writer, pages []layout.Page, meta layout.Meta, opt Options) (err error) {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if len(pages) == 0 {
		return errors.New("pdf: no pages")
	}
	info, err := encodeMeta(meta)
	if err != nil {
		return err
	}
	used, err := collect(pages)
	if err != nil {
		return err
	}

	// fpdf panics on some inputs (e.g. characters above U+FFFF when it writes the
	// fonts, or a font it cannot cut); those are checked above, but a panic in a
	// library must never take down a server.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pdf: fpdf panicked: %v", r)
		}
	}()

	first := pages[0]
	doc := fpdf.NewCustom(&fpdf.InitType{
		OrientationStr: "P",
		UnitStr:        "pt",
		Size:           fpdf.SizeType{Wd: first.Width, Ht: first.Height},
	})
	doc.SetMargins(0, 0, 0)
	doc.SetAutoPageBreak(false, 0)
	doc.SetCompression(true)
	// Sorted catalogs: fpdf otherwise writes fonts in map order.
	doc.SetCatalogSort(true)
	info.apply(doc)

	fams, err := registerFonts(doc, used)
	if err != nil {
		return err
	}

	// fpdf writes every bookmark destination against the height of the last page
	// (it reads f.h when the file is closed), so y is shifted for pages of another
	// height.
	lastH := pages[len(pages)-1].Height
	hasFont := len(used) > 0
	level := -1
	for i := range pages {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("pdf: page %d: %w", i+1, err)
		}
		p := &pages[i]
		doc.AddPageFormat("P", fpdf.SizeType{Wd: p.Width, Ht: p.Height})
		paint(doc, p, fams)
		for _, o := range p.Outline {
			// fpdf links an entry to the last one of the level above and to itself
			// when that level never occurred, so levels may rise by one at a time.
			level = max(0, min(o.Level, level+1))
			title := o.Title
			if !hasFont {
				// fpdf converts a bookmark title to UTF-16 only while a UTF-8 font
				// is current; without one it would write UTF-8 as PDFDocEncoding.
				title = utf16BE(title)
			}
			y := min(max(o.Y, 0), p.Height) + lastH - p.Height
			if y == -1 {
				y = math.Nextafter(-1, 0) // -1 means "the current position" to fpdf
			}
			doc.Bookmark(title, level, y)
		}
		if err := doc.Error(); err != nil {
			return fmt.Errorf("pdf: page %d: %w", i+1, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	// Close before Output so that an error leaves w untouched.
	doc.Close()
	if err := doc.Error(); err != nil {
		return fmt.Errorf("pdf: closing the document: %w", err)
	}
	if err := doc.Output(w); err != nil {
		return fmt.Errorf("pdf: writing: %w", err)
	}
	return nil
}

// paint draws one page's items in order. It keeps the current font, character
// spacing, line width and fill so that each operator is written only when it
// changes: body lines share one font and one spacing, and fpdf would otherwise
// write a Tf (and we two Tc) per line.
func paint(doc *fpdf.Fpdf, p *layout.Page, fams map[*fonts.Face]string) {
	var (
		fam         string
		size        float64
		tc          float64 // the content stream starts with Tc 0
		lineWidth   = -1.0
		gray        = -1
		setLine     bool
		setFillOnce bool
	)
	for j := range p.Items {
		it := &p.Items[j]
		switch it.Kind {
		case layout.ItemText:
			if it.Text == "" {
				continue
			}
			if f := fams[it.Face]; f != fam || it.Size != size {
				fam, size = f, it.Size
				doc.SetFont(fam, "", size)
			}
			// Tc is text state, which belongs to the graphics state: set outside
			// fpdf's BT…ET it holds for the following text objects until changed.
			if it.Spacing != tc {
				tc = it.Spacing
				doc.RawWriteStr(fmt.Sprintf("%.3f Tc", tc))
			}
			doc.Text(it.X, it.Y, it.Text)
		case layout.ItemLine:
			if !setLine || it.LineWidth != lineWidth {
				setLine, lineWidth = true, it.LineWidth
				doc.SetLineWidth(lineWidth)
			}
			doc.Line(it.X, it.Y, it.X2, it.Y2)
		case layout.ItemRect:
			g := int(math.Round(it.Gray * 255))
			if !setFillOnce || g != gray {
				setFillOnce, gray = true, g
				doc.SetFillColor(g, g, g)
			}
			doc.Rect(it.X, it.Y, it.W, it.H, "F")
		}
	}
	if tc != 0 {
		doc.RawWriteStr("0 Tc")
	}
}

// faceUse is one face a document draws with and the characters it needs.
type faceUse struct {
	face  *fonts.Face
	seen  [65536 / 64]uint64
	runes []rune
}

// collect checks every page and item and gathers, per face in order of first
// use, the characters drawn with it. Checking everything first keeps fpdf away
// from input it would panic on or silently draw wrong.
func collect(pages []layout.Page) ([]*faceUse, error) {
	var (
		used  []*faceUse
		index = map[*fonts.Face]*faceUse{}
	)
	for i := range pages {
		p := &pages[i]
		if !finite(p.Width, p.Height) || p.Width <= 0 || p.Height <= 0 {
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

// checkItem validates one item and, for text, records its characters in the
// face's entry (a new entry is returned for the caller to index).
func checkItem(it *layout.Item, index map[*fonts.Face]*faceUse) (*faceUse, error) {
	if !finite(it.X, it.Y) {
		return nil, fmt.Errorf("position (%g, %g)", it.X, it.Y)
	}
	switch it.Kind {
	case layout.ItemText:
		if it.Face == nil {
			return nil, fmt.Errorf("text %q has no face", it.Text)
		}
		if !finite(it.Size, it.Spacing) || it.Size <= 0 {
			return nil, fmt.Errorf("text %q: size %g, spacing %g", it.Text, it.Size, it.Spacing)
		}
		if !utf8.ValidString(it.Text) {
			return nil, fmt.Errorf("text %q is not valid UTF-8", it.Text)
		}
		u := index[it.Face]
		if u == nil {
			u = &faceUse{face: it.Face}
		}
		for _, r := range it.Text {
			if r > 0xFFFF {
				return nil, &fonts.MissingError{Rune: r, Where: fmt.Sprintf("text %q", it.Text)}
			}
			if !it.Face.Has(r) {
				// fpdf would draw .notdef (a blank or a box): a silent hole in
				// an official document. The layout resolves fallbacks per character.
				return nil, fmt.Errorf("face %s has no glyph for U+%04X %q in %q", it.Face.Name(), r, r, it.Text)
			}
			if w, b := r/64, uint64(1)<<(r%64); u.seen[w]&b == 0 {
				u.seen[w] |= b
				u.runes = append(u.runes, r)
			}
		}
		return u, nil
	case layout.ItemLine:
		if !finite(it.X2, it.Y2, it.LineWidth) || it.LineWidth < 0 {
			return nil, fmt.Errorf("line to (%g, %g), width %g", it.X2, it.Y2, it.LineWidth)
		}
	case layout.ItemRect:
		if !finite(it.W, it.H) {
			return nil, fmt.Errorf("rect %g × %g", it.W, it.H)
		}
		if !(it.Gray >= 0 && it.Gray <= 1) {
			return nil, fmt.Errorf("rect gray %g outside 0…1", it.Gray)
		}
	default:
		return nil, fmt.Errorf("unknown item kind %q", it.Kind)
	}
	return nil, nil
}

// checkTitle refuses bookmark titles fpdf would garble: it converts them to
// UTF-16 without surrogate pairs and reads past the end of truncated UTF-8.
func checkTitle(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("not valid UTF-8")
	}
	for _, r := range s {
		if r > 0xFFFF {
			return fmt.Errorf("U+%X is above U+FFFF", r)
		}
	}
	return nil
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// registerFonts cuts each used face down to the document's characters and hands
// the cuts to fpdf under the family names F1, F2, … in order of first use, which
// keeps both the resource names and the file deterministic. It returns the
// family of each face.
func registerFonts(doc *fpdf.Fpdf, used []*faceUse) (map[*fonts.Face]string, error) {
	fams := make(map[*fonts.Face]string, len(used))
	for i, u := range used {
		fam := fmt.Sprintf("F%d", i+1)
		data, err := u.face.Subset(u.runes)
		if err != nil {
			return nil, fmt.Errorf("pdf: subsetting font %s: %w", u.face.Name(), err)
		}
		doc.AddUTF8FontFromBytes(fam, "", data)
		if err := doc.Error(); err != nil {
			return nil, fmt.Errorf("pdf: font %s (%s): %w", u.face.Name(), fam, err)
		}
		// fpdf prints a font it cannot parse to stdout and registers nothing,
		// without setting its error; selecting the family turns that into
		// "undefined font". Before the first page SetFont writes nothing.
		doc.SetFont(fam, "", 10)
		if err := doc.Error(); err != nil {
			return nil, fmt.Errorf("pdf: font %s (%s) was not accepted by fpdf: %w", u.face.Name(), fam, err)
		}
		fams[u.face] = fam
	}
	return fams, nil
}

// docInfo is the document information dictionary, encoded for fpdf.
type docInfo struct {
	title, author, subject, keywords, creator string
	date                                      time.Time
}

// encodeMeta encodes the metadata as PDF text strings. fpdf's own UTF-8 option
// (SetTitle(s, true)) writes characters above U+FFFF without surrogate pairs and
// panics on truncated UTF-8, so the strings are encoded here and passed as
// already-encoded bytes.
func encodeMeta(m layout.Meta) (docInfo, error) {
	info := docInfo{date: m.Date}
	for _, f := range []struct {
		name string
		in   string
		out  *string
	}{
		{"title", m.Title, &info.title},
		{"author", m.Author, &info.author},
		{"subject", m.Subject, &info.subject},
		{"keywords", m.Keywords, &info.keywords},
		{"creator", m.Creator, &info.creator},
	} {
		if !utf8.ValidString(f.in) {
			return docInfo{}, fmt.Errorf("pdf: metadata %s %q is not valid UTF-8", f.name, f.in)
		}
		*f.out = textString(f.in)
	}
	switch {
	case info.date.IsZero():
		info.date = defaultDate
	case info.date.Location() == time.Local:
		// fpdf writes the wall-clock time without a zone; a time in the
		// machine's zone would make the bytes depend on the machine.
		info.date = info.date.UTC()
	}
	return info, nil
}

func (info docInfo) apply(doc *fpdf.Fpdf) {
	doc.SetTitle(info.title, false)
	doc.SetAuthor(info.author, false)
	doc.SetSubject(info.subject, false)
	doc.SetKeywords(info.keywords, false)
	doc.SetCreator(info.creator, false)
	doc.SetProducer(Producer, false)
	doc.SetCreationDate(info.date)
	doc.SetModificationDate(info.date)
}

// textString returns s as the bytes of a PDF text string: unchanged when it is
// printable ASCII (where PDFDocEncoding agrees), else UTF-16BE with a byte order
// mark. fpdf escapes the delimiters when it writes the string.
func textString(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7E {
			return utf16BE(s)
		}
	}
	return s
}

// utf16BE encodes s as UTF-16BE with a byte order mark, with surrogate pairs for
// characters above U+FFFF.
func utf16BE(s string) string {
	var b strings.Builder
	b.Grow(2 + 2*len(s))
	b.WriteString("\xFE\xFF")
	for _, r := range s {
		if r > 0xFFFF {
			r1, r2 := utf16.EncodeRune(r)
			b.WriteByte(byte(r1 >> 8))
			b.WriteByte(byte(r1))
			r = r2
		}
		b.WriteByte(byte(r >> 8))
		b.WriteByte(byte(r))
	}
	return b.String()
}
