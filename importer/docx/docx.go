// Package docx reads a Word/WPS document (.docx, WordprocessingML) into a
// flow.Doc: its paragraphs and tables in reading order, with the
// alignment, type size, boldness and first-line indent each paragraph
// shows, and each table's cells with their spans (w:gridSpan, w:vMerge,
// the legacy w:hMerge). It reads any .docx, not only govreport's: styles
// are resolved through styles.xml, merges made either way are rebuilt,
// nested tables give their text to the cell that holds them.
//
// Pages and lines are the layout's, not the text's: a body paragraph's
// manual line breaks (w:br) are joined away (see bodyText), and a
// paragraph a page break cut in two, as govreport's embed-mode DOCX keeps
// the PDF's pages, is read as the one paragraph it is (see continues).
//
// It reads through archive/zip and encoding/xml only, within fixed limits
// (entry sizes, declared and actual; nesting; text), so that a hostile file
// gets a clear error, not a hang or an exhausted memory.
package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/govreport/govreport/importer/flow"
)

// Limits on what a file may hold.
const (
	MaxPartSize = 64 << 20 // bytes of document.xml or styles.xml, uncompressed
	MaxText     = 4 << 20  // bytes of text in the document
	MaxBlocks   = 100000   // paragraphs, rows and cells
	MaxDepth    = 256      // XML element nesting
	MaxNesting  = 8        // tables within tables
	maxFiles    = 10000    // entries in the zip
	maxSpan     = 1000     // a cell's grid span
	maxCols     = 4096     // a table's grid columns
)

// ErrLimit is wrapped by the errors for a file beyond a limit.
var ErrLimit = errors.New("docx: beyond the limits")

// Read reads a .docx.
func Read(ctx context.Context, data []byte) (*flow.Doc, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("docx: not a zip file: %w", err)
	}
	if len(zr.File) > maxFiles {
		return nil, fmt.Errorf("%w: %d entries in the zip (at most %d)", ErrLimit, len(zr.File), maxFiles)
	}
	var docPart, stylePart *zip.File
	for _, f := range zr.File {
		switch strings.TrimPrefix(f.Name, "/") {
		case "word/document.xml":
			docPart = f
		case "word/styles.xml":
			stylePart = f
		}
	}
	if docPart == nil {
		return nil, errors.New("docx: no word/document.xml: not a Word document")
	}
	st := styles{byID: map[string]*style{}}
	if stylePart != nil {
		b, err := readPart(stylePart)
		if err != nil {
			return nil, err
		}
		if err := st.parse(b); err != nil {
			return nil, fmt.Errorf("docx: styles.xml: %w", err)
		}
	}
	b, err := readPart(docPart)
	if err != nil {
		return nil, err
	}
	r := &reader{ctx: ctx, st: &st, doc: &flow.Doc{Kind: "docx"}}
	if err := r.read(b); err != nil {
		return nil, err
	}
	return r.doc, nil
}

// readPart reads a zip entry within MaxPartSize, checking the declared size
// and the bytes actually inflated (a zip bomb may declare a small size).
func readPart(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > MaxPartSize {
		return nil, fmt.Errorf("%w: %s declares %d bytes (at most %d)", ErrLimit, f.Name, f.UncompressedSize64, MaxPartSize)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("docx: %s: %w", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, MaxPartSize+1))
	if err != nil {
		return nil, fmt.Errorf("docx: %s: %w", f.Name, err)
	}
	if len(b) > MaxPartSize {
		return nil, fmt.Errorf("%w: %s inflates beyond %d bytes", ErrLimit, f.Name, MaxPartSize)
	}
	return b, nil
}

// props are the paragraph and run properties the reader uses.
type props struct {
	jc     string
	sz     float64 // points
	bold   int8    // 0 unknown, 1 bold, -1 not
	indent float64 // em, -1 unknown
	first  float64 // twips, for an indent given in twips
	hasInd bool
	// pageBefore is w:pageBreakBefore: 0 unknown, 1 set, -1 cleared.
	pageBefore int8
}

type style struct {
	basedOn string
	p       props
	name    string
}

type styles struct {
	byID        map[string]*style
	defaults    props
	defaultPara string
}

func (s *styles) parse(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	var cur *style
	inDefaults := false
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > MaxDepth {
				return fmt.Errorf("%w: elements nested deeper than %d", ErrLimit, MaxDepth)
			}
			switch t.Name.Local {
			case "docDefaults":
				inDefaults = true
			case "style":
				cur = &style{p: props{indent: -1}}
				id := attr(t, "styleId")
				s.byID[id] = cur
				if attr(t, "type") == "paragraph" && attr(t, "default") == "1" {
					s.defaultPara = id
				}
			case "basedOn":
				if cur != nil {
					cur.basedOn = attr(t, "val")
				}
			case "name":
				if cur != nil {
					cur.name = attr(t, "val")
				}
			default:
				switch {
				case cur != nil:
					applyProp(&cur.p, t)
				case inDefaults:
					applyProp(&s.defaults, t)
				}
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "docDefaults":
				inDefaults = false
			case "style":
				cur = nil
			}
		}
	}
}

// resolve returns a paragraph style's properties with those it is based on.
func (s *styles) resolve(id string) props {
	p := props{indent: -1}
	seen := map[string]bool{}
	var chain []*style
	for id != "" && !seen[id] && len(chain) < 20 {
		seen[id] = true
		st := s.byID[id]
		if st == nil {
			break
		}
		chain = append(chain, st)
		id = st.basedOn
	}
	merge(&p, s.defaults)
	for i := len(chain) - 1; i >= 0; i-- {
		merge(&p, chain[i].p)
	}
	return p
}

func merge(dst *props, src props) {
	if src.jc != "" {
		dst.jc = src.jc
	}
	if src.sz > 0 {
		dst.sz = src.sz
	}
	if src.bold != 0 {
		dst.bold = src.bold
	}
	if src.hasInd {
		dst.indent, dst.first, dst.hasInd = src.indent, src.first, true
	}
	if src.pageBefore != 0 {
		dst.pageBefore = src.pageBefore
	}
}

// applyProp reads one property element into p.
func applyProp(p *props, t xml.StartElement) {
	switch t.Name.Local {
	case "jc":
		p.jc = attr(t, "val")
	case "sz":
		if v, err := strconv.ParseFloat(attr(t, "val"), 64); err == nil && v > 0 && v < 10000 {
			p.sz = v / 2
		}
	case "b":
		if on(t) {
			p.bold = 1
		} else {
			p.bold = -1
		}
	case "pageBreakBefore":
		if on(t) {
			p.pageBefore = 1
		} else {
			p.pageBefore = -1
		}
	case "ind":
		p.hasInd = true
		p.indent, p.first = -1, 0
		if v, err := strconv.ParseFloat(attr(t, "firstLineChars"), 64); err == nil {
			p.indent = v / 100
			if v == 0 {
				p.indent = -1
				p.first = 0
			}
		}
		if p.indent < 0 {
			if v, err := strconv.ParseFloat(attr(t, "firstLine"), 64); err == nil {
				p.first = v
				p.indent = -2 // in twips, made em with the size
			} else if v, err := strconv.ParseFloat(attr(t, "hanging"), 64); err == nil {
				p.first = -v
				p.indent = -2
			} else {
				p.indent = 0
			}
		}
	}
}

// on reports whether a toggle property (w:b, w:pageBreakBefore) is set:
// no w:val, or a true one.
func on(t xml.StartElement) bool {
	v := attr(t, "val")
	return v == "" || v == "1" || v == "true" || v == "on"
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// reader walks document.xml.
type reader struct {
	ctx    context.Context
	st     *styles
	doc    *flow.Doc
	text   int
	blocks int

	// The paragraph a paragraph after a page break may continue (see
	// continues), nil when the last block is not a body paragraph.
	cand           *flow.Para
	candDistribute bool // cand's last part is justified to its last line
	candSpace      bool // cand's last part ends in a space
	// pageBreak is a page break since cand's text: one after its text,
	// an empty paragraph's, or a section's that starts a page.
	pageBreak bool
}

// para collects a paragraph.
type paraState struct {
	b       strings.Builder
	style   string
	own     props // the paragraph's own pPr
	runSize float64
	bold    int8 // 1 all text runs bold so far, -1 some not
	hasText bool
	// Page breaks (w:br w:type="page") before its text and after it,
	// and a section break that starts a page (w:sectPr in w:pPr).
	brBefore, brAfter, sect bool
}

type runState struct {
	p props
}

// tableState collects a table.
type tableState struct {
	t       *flow.Table
	row     *flow.Row
	col     int
	cell    *cellState
	vmerge  map[int]int // grid column → index of the row holding the merge's first cell
	hmerge  bool
	skipRow bool
}

type cellState struct {
	b      strings.Builder
	span   int
	vmerge string // "", "restart", "continue"
	hmerge string
	paras  int
}

func (r *reader) addText(b *strings.Builder, s string) error {
	r.text += len(s)
	if r.text > MaxText {
		return fmt.Errorf("%w: more than %d bytes of text", ErrLimit, MaxText)
	}
	b.WriteString(s)
	return nil
}

// join appends s to b as a continuation: CJK text runs on, Latin words
// get a space.
func join(b *strings.Builder, s string) {
	cur := b.String()
	if cur != "" && s != "" {
		l, _ := utf8.DecodeLastRuneInString(cur)
		f, _ := utf8.DecodeRuneInString(s)
		if l < 0x2E80 && f < 0x2E80 && !unicode.IsSpace(l) && !unicode.IsSpace(f) && (unicode.IsLetter(l) || unicode.IsDigit(l) || unicode.IsPunct(l)) && (unicode.IsLetter(f) || unicode.IsDigit(f)) {
			b.WriteByte(' ')
		}
	}
	b.WriteString(s)
}

func (r *reader) read(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	var (
		tables []*tableState // open tables, innermost last
		p      *paraState
		run    *runState
		depth  int
		inPPr  bool
		inRPr  bool
		inTcPr bool
		inTrPr bool
		inText bool
		inSect bool
		skip   int // depth of an element whose text is not the document's (deleted text, field code)
		inBody bool
	)
	lineBreak := "\u2028" // a marker joined away when the paragraph ends
	for {
		if r.blocks&1023 == 0 {
			if err := r.ctx.Err(); err != nil {
				return err
			}
		}
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("docx: document.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > MaxDepth {
				return fmt.Errorf("%w: elements nested deeper than %d", ErrLimit, MaxDepth)
			}
			if skip > 0 {
				continue
			}
			switch t.Name.Local {
			case "body":
				inBody = true
			case "del", "instrText", "delText", "footnoteReference", "endnoteReference", "txbxContent", "Fallback", "moveFrom":
				skip = depth
			case "p":
				if !inBody {
					continue
				}
				r.blocks++
				if r.blocks > MaxBlocks {
					return fmt.Errorf("%w: more than %d paragraphs and cells", ErrLimit, MaxBlocks)
				}
				p = &paraState{own: props{indent: -1}}
			case "pPr":
				inPPr = true
			case "rPr":
				inRPr = true
			case "tcPr":
				inTcPr = true
			case "trPr":
				inTrPr = true
			case "pStyle":
				if p != nil && inPPr && !inRPr {
					p.style = attr(t, "val")
				}
			case "r":
				run = &runState{}
			case "t":
				inText = run != nil || p != nil
			case "tab":
				if p != nil && !inPPr && run != nil {
					if err := r.addText(&p.b, " "); err != nil {
						return err
					}
				}
			case "br", "cr":
				if p == nil || run == nil {
					continue
				}
				switch attr(t, "type") {
				case "page":
					if p.hasText {
						p.brAfter = true
					} else {
						p.brBefore = true
					}
				case "column":
				default:
					if err := r.addText(&p.b, lineBreak); err != nil {
						return err
					}
				}
			case "sectPr":
				if p != nil && inPPr {
					inSect = true
					p.sect = true
				}
			case "type":
				// A continuous section break does not start a page.
				if inSect && p != nil && attr(t, "val") == "continuous" {
					p.sect = false
				}
			case "tbl":
				if len(tables) >= MaxNesting {
					return fmt.Errorf("%w: tables nested deeper than %d", ErrLimit, MaxNesting)
				}
				tables = append(tables, &tableState{t: &flow.Table{}, vmerge: map[int]int{}})
			case "tr":
				if ts := top(tables); ts != nil {
					r.blocks++
					ts.t.Rows = append(ts.t.Rows, flow.Row{})
					ts.row = &ts.t.Rows[len(ts.t.Rows)-1]
					ts.col = 0
				}
			case "gridBefore":
				if ts := top(tables); ts != nil && inTrPr {
					if v, err := strconv.Atoi(attr(t, "val")); err == nil && v > 0 && v < maxSpan {
						ts.col += v
					}
				}
			case "tc":
				if ts := top(tables); ts != nil {
					r.blocks++
					if r.blocks > MaxBlocks {
						return fmt.Errorf("%w: more than %d paragraphs and cells", ErrLimit, MaxBlocks)
					}
					ts.cell = &cellState{span: 1}
				}
			case "gridSpan":
				if ts := top(tables); ts != nil && ts.cell != nil && inTcPr {
					if v, err := strconv.Atoi(attr(t, "val")); err == nil && v > 0 {
						ts.cell.span = min(v, maxSpan)
					}
				}
			case "vMerge":
				if ts := top(tables); ts != nil && ts.cell != nil && inTcPr {
					if attr(t, "val") == "restart" {
						ts.cell.vmerge = "restart"
					} else {
						ts.cell.vmerge = "continue"
					}
				}
			case "hMerge":
				if ts := top(tables); ts != nil && ts.cell != nil && inTcPr {
					if attr(t, "val") == "restart" {
						ts.cell.hmerge = "restart"
					} else {
						ts.cell.hmerge = "continue"
					}
				}
			default:
				if inSect {
					continue
				}
				if inPPr && p != nil && !inRPr {
					applyProp(&p.own, t)
				} else if inRPr && run != nil && !inPPr {
					applyProp(&run.p, t)
				}
			}
		case xml.EndElement:
			if skip > 0 {
				if depth == skip {
					skip = 0
				}
				depth--
				continue
			}
			depth--
			switch t.Name.Local {
			case "pPr":
				inPPr = false
			case "sectPr":
				inSect = false
			case "rPr":
				inRPr = false
			case "tcPr":
				inTcPr = false
			case "trPr":
				inTrPr = false
			case "t":
				inText = false
			case "r":
				if p != nil && run != nil && run.hasText(p) {
					if run.p.sz > p.runSize {
						p.runSize = run.p.sz
					}
					switch {
					case run.p.bold == 1 && p.bold >= 0:
						p.bold = 1
					case run.p.bold == -1:
						p.bold = -1
					case run.p.bold == 0 && p.bold == 0:
						p.bold = 2 // style decides
					}
				}
				run = nil
			case "p":
				if p == nil {
					continue
				}
				if ts := top(tables); ts != nil && ts.cell != nil {
					text := cleanText(p.b.String())
					if text != "" {
						join(&ts.cell.b, text)
					}
					ts.cell.paras++
				} else if len(tables) == 0 {
					r.endPara(p)
				}
				p = nil
			case "tc":
				ts := top(tables)
				if ts == nil || ts.cell == nil {
					continue
				}
				if ts.col >= maxCols {
					return fmt.Errorf("%w: a table wider than %d columns", ErrLimit, maxCols)
				}
				r.endCell(ts)
				ts.cell = nil
			case "tbl":
				ts := top(tables)
				if ts == nil {
					continue
				}
				tables = tables[:len(tables)-1]
				if outer := top(tables); outer != nil && outer.cell != nil {
					// A nested table gives its text to its cell.
					for _, row := range ts.t.Rows {
						for _, c := range row.Cells {
							if c.Text != "" {
								join(&outer.cell.b, c.Text)
							}
						}
					}
					continue
				}
				if len(ts.t.Rows) > 0 {
					r.doc.Blocks = append(r.doc.Blocks, flow.Block{Table: ts.t})
					r.cand, r.pageBreak = nil, false
				}
			}
		case xml.CharData:
			if skip > 0 || !inText || p == nil {
				continue
			}
			if err := r.addText(&p.b, string(t)); err != nil {
				return err
			}
			p.hasText = true
			if strings.TrimSpace(string(t)) != "" {
				p.brAfter = false // the page break was inside the text
			}
		}
	}
	return nil
}

func (rs *runState) hasText(p *paraState) bool { return p.hasText }

func top(ts []*tableState) *tableState {
	if len(ts) == 0 {
		return nil
	}
	return ts[len(ts)-1]
}

// endCell places a finished cell in its row, or, for the continuation of
// a vertical (or legacy horizontal) merge, extends the cell it continues.
func (r *reader) endCell(ts *tableState) {
	c := ts.cell
	col := ts.col
	ts.col += c.span
	if len(ts.t.Rows) == 0 {
		// a cell outside any row: it opens one
		ts.t.Rows = append(ts.t.Rows, flow.Row{})
	}
	rows := ts.t.Rows
	ri := len(rows) - 1
	switch {
	case c.vmerge == "continue":
		if start, ok := ts.vmerge[col]; ok && start < ri {
			for k := range rows[start].Cells {
				if rows[start].Cells[k].Col == col {
					rows[start].Cells[k].RowSpan = ri - start + 1
					if t := cleanText(c.b.String()); t != "" {
						join2(&rows[start].Cells[k].Text, t)
					}
					return
				}
			}
		}
	case c.hmerge == "continue":
		if n := len(rows[ri].Cells); n > 0 {
			prev := &rows[ri].Cells[n-1]
			if prev.Col+prev.ColSpan == col {
				prev.ColSpan += c.span
				return
			}
		}
	}
	if c.vmerge == "restart" {
		ts.vmerge[col] = ri
	} else {
		delete(ts.vmerge, col)
	}
	rows[ri].Cells = append(rows[ri].Cells, flow.Cell{Text: cleanText(c.b.String()), Col: col, ColSpan: c.span, RowSpan: 1})
}

func join2(s *string, t string) {
	var b strings.Builder
	b.WriteString(*s)
	join(&b, t)
	*s = b.String()
}

// cleanText joins a paragraph's lines: a line break is not part of the
// text.
func cleanText(s string) string {
	if !strings.Contains(s, "\u2028") {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	for i, line := range strings.Split(s, "\u2028") {
		if i == 0 {
			b.WriteString(line)
			continue
		}
		join(&b, line)
	}
	return strings.TrimSpace(b.String())
}

// endPara adds a finished paragraph of the body to the document, or
// joins it to the paragraph it continues (see continues).
func (r *reader) endPara(p *paraState) {
	fp, pr := r.para(p)
	raw := bodyText(p.b.String())
	broken := r.pageBreak || p.brBefore || pr.pageBefore == 1
	if fp.Text == "" {
		// An empty paragraph carrying a page or section break is how
		// Word and WPS start a page; one without is a blank line, which
		// ends the paragraph before it.
		if broken || p.brAfter || p.sect {
			r.pageBreak = true
		} else {
			r.cand, r.pageBreak = nil, false
		}
		r.doc.Blocks = append(r.doc.Blocks, flow.Block{Para: fp})
		return
	}
	distribute := pr.jc == "distribute"
	if broken && r.cand != nil && continues(r.cand, r.candDistribute, fp) {
		// The parts are joined as the lines within a part are (see
		// bodyText): a space at the page break is kept as one.
		if r.candSpace || startsSpace(raw) {
			r.cand.Text += " "
		}
		r.cand.Text += fp.Text
		r.candDistribute, r.candSpace = distribute, endsSpace(raw)
		r.pageBreak = p.brAfter || p.sect
		// Empty paragraphs between the parts (the page break's own)
		// go with the break.
		for n := len(r.doc.Blocks); n > 0 && r.doc.Blocks[n-1].Para != r.cand; n-- {
			r.doc.Blocks = r.doc.Blocks[:n-1]
		}
		return
	}
	r.doc.Blocks = append(r.doc.Blocks, flow.Block{Para: fp})
	r.cand, r.candDistribute = nil, false
	if fp.Align == flow.AlignLeft && !fp.Bold {
		r.cand, r.candDistribute, r.candSpace = fp, distribute, endsSpace(raw)
	}
	r.pageBreak = p.brAfter || p.sect
}

// continues reports whether p, which starts a page, is the rest of q, a
// body paragraph the page break cut: a paragraph set across pages as one
// paragraph a page (as govreport's embed-mode DOCX sets it, and as a
// document retyped from a printout or a PDF often is). The rule: p starts
// without a first-line indent, in q's size and weight, left-aligned or
// justified as q; and q either ends its page justified to its last line
// (w:jc="distribute", which a paragraph's real last line never is) or q is
// indented as a body paragraph and does not end a sentence (its last
// character, closing quotes and brackets aside, is none of 。！？；：…
// and their Latin forms). A heading, a title or a signature is never
// continued, nor continues one.
func continues(q *flow.Para, distribute bool, p *flow.Para) bool {
	if p.Indent < -0.25 || p.Indent > 0.25 || p.Align != flow.AlignLeft || p.Bold != q.Bold {
		return false
	}
	if q.Size > 0 && p.Size > 0 && math.Abs(q.Size-p.Size) > 0.5 {
		return false
	}
	if distribute {
		return true
	}
	return q.Indent > 0.5 && !endsSentence(q.Text)
}

// endsSentence reports whether s ends a sentence.
func endsSentence(s string) bool {
	s = strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("”’」』）)]》〉\"'", r)
	})
	l, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune("。！？；：…!?;:.", l)
}

// bodyText joins a body paragraph's lines. A manual line break (w:br)
// there is the layout's, as in govreport's embed-mode DOCX, which keeps
// the PDF's lines: the text on either side is the source's, spaces and
// all, so the lines are joined as they stand (CJK text runs on, a space
// at the break stays one space, a URL broken inside runs on). A table
// cell's lines are joined by join instead: a hand-made table breaks a
// label where a word ends.
func bodyText(s string) string {
	if !strings.Contains(s, "\u2028") {
		return s
	}
	var b strings.Builder
	for i, line := range strings.Split(s, "\u2028") {
		if i > 0 && endsSpace(b.String()) {
			line = strings.TrimLeftFunc(line, unicode.IsSpace)
		}
		b.WriteString(line)
	}
	return b.String()
}

func endsSpace(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return s != "" && unicode.IsSpace(r)
}

func startsSpace(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && unicode.IsSpace(r)
}

// para makes a flow paragraph: the style's properties under the
// paragraph's own, the runs' size and boldness over both.
func (r *reader) para(p *paraState) (*flow.Para, props) {
	id := p.style
	if id == "" {
		id = r.st.defaultPara
	}
	pr := r.st.resolve(id)
	merge(&pr, p.own)
	out := &flow.Para{Text: strings.TrimSpace(bodyText(p.b.String())), Indent: -1}
	switch pr.jc {
	case "center":
		out.Align = flow.AlignCenter
	case "right", "end":
		out.Align = flow.AlignRight
	case "left", "start", "both", "distribute", "justify":
		out.Align = flow.AlignLeft
	default:
		out.Align = flow.AlignLeft
	}
	out.Size = pr.sz
	if p.runSize > 0 {
		out.Size = p.runSize
	}
	out.Bold = p.bold == 1 || (p.bold == 2 && pr.bold == 1)
	switch {
	case !pr.hasInd:
		out.Indent = 0
	case pr.indent >= 0:
		out.Indent = pr.indent
	case pr.indent == -2 && pr.first == 0:
		out.Indent = 0 // no indent, whatever the size
	case pr.indent == -2 && out.Size > 0:
		out.Indent = pr.first / 20 / out.Size
	}
	return out, pr
}
