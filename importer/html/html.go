// Package html reads a portal's article page (HTML) into a flow.Doc: its
// paragraphs and tables in reading order. The charset is the meta tag's, or
// found from the bytes (UTF-8, else GB18030); the page is parsed by
// golang.org/x/net/html, as a browser would, so unclosed <p> and <td>,
// tables without <tbody> and the like read as they show. A table that lays
// out the page (its cells hold other tables or whole articles) is looked
// through; a data table gives its cells with their row and column spans,
// placed as a browser places them.
//
// Limits keep a hostile page bounded: its size, its elements' nesting and
// the text it holds; beyond them Read returns an error.
package html

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/govreport/govreport/importer/flow"
)

// Limits on a page.
const (
	MaxSize   = 16 << 20 // bytes of HTML
	MaxDepth  = 512      // element nesting
	MaxText   = 4 << 20  // bytes of text
	MaxBlocks = 100000   // paragraphs, rows and cells
	maxSpan   = 1000     // a cell's rowspan or colspan
	maxCols   = 256      // a table's columns
)

// ErrLimit is wrapped by the errors for a page beyond a limit.
var ErrLimit = errors.New("html: beyond the limits")

// Read reads an HTML page.
func Read(ctx context.Context, data []byte) (*flow.Doc, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%w: %d bytes (at most %d)", ErrLimit, len(data), MaxSize)
	}
	text, err := decode(data)
	if err != nil {
		return nil, err
	}
	root, err := html.Parse(strings.NewReader(text))
	if err != nil {
		if strings.Contains(err.Error(), "open stack") {
			// the parser's own bound on nesting
			return nil, fmt.Errorf("%w: elements nested deeper than %d (%v)", ErrLimit, MaxDepth, err)
		}
		return nil, fmt.Errorf("html: %w", err)
	}
	r := &reader{ctx: ctx, doc: &flow.Doc{Kind: "html"}}
	if err := r.walk(root, 0, style{}); err != nil {
		return nil, err
	}
	r.flush()
	return r.doc, nil
}

var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_\-]+)`)

// decode turns the page's bytes into UTF-8: the charset its meta tag
// names, unless the bytes are UTF-8 while the tag says GBK (a page saved
// again without its tag fixed); without a tag, UTF-8 if the bytes are,
// else GB18030.
func decode(data []byte) (string, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var enc encoding.Encoding
	name := ""
	if m := metaCharset.FindSubmatch(data[:min(len(data), 4096)]); m != nil {
		name = strings.ToLower(string(m[1]))
	}
	switch name {
	case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312":
		if !utf8.Valid(data) {
			enc = simplifiedchinese.GB18030
		}
	case "big5", "big5-hkscs", "x-x-big5":
		if !utf8.Valid(data) {
			enc = traditionalchinese.Big5
		}
	case "", "utf-8", "utf8":
		if !utf8.Valid(data) {
			enc = simplifiedchinese.GB18030
		}
	default:
		if !utf8.Valid(data) {
			return "", fmt.Errorf("html: charset %q is not one govreport reads (UTF-8, GBK/GB18030, Big5)", name)
		}
	}
	if enc == nil {
		return string(data), nil
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("html: the page is not %s: %w", name, err)
	}
	return string(out), nil
}

// style is what a paragraph inherits from its elements.
type style struct {
	align flow.Align
	size  float64
	bold  bool
	// cell: inside a data table's cell, where a <br> or a block ends a
	// line, not a paragraph.
	cell bool
}

type reader struct {
	ctx     context.Context
	doc     *flow.Doc
	buf     strings.Builder
	st      style
	started bool // the paragraph being collected has text
	text    int
	blocks  int
	err     error
}

// flush ends the paragraph being collected.
func (r *reader) flush() {
	t := collapse(r.buf.String())
	r.buf.Reset()
	r.started = false
	if strings.Trim(t, " \u00a0\u3000") == "" {
		return
	}
	r.doc.Blocks = append(r.doc.Blocks, flow.Block{Para: &flow.Para{
		Text: strings.TrimSpace(t), Align: r.st.align, Size: r.st.size, Bold: r.st.bold, Indent: -1,
	}})
}

func (r *reader) count() error {
	r.blocks++
	if r.blocks > MaxBlocks {
		return fmt.Errorf("%w: more than %d paragraphs and cells", ErrLimit, MaxBlocks)
	}
	if r.blocks&255 == 0 {
		return r.ctx.Err()
	}
	return nil
}

var (
	styleAlign  = regexp.MustCompile(`(?i)text-align\s*:\s*(left|center|right|justify)`)
	styleSize   = regexp.MustCompile(`(?i)font-size\s*:\s*([0-9.]+)\s*(pt|px|em|rem)?`)
	styleWeight = regexp.MustCompile(`(?i)font-weight\s*:\s*(bold|[6-9]00)`)
)

// styled returns the style an element gives its content.
func styled(n *html.Node, s style) style {
	for _, a := range n.Attr {
		switch a.Key {
		case "align":
			s.align = alignOf(a.Val)
		case "style":
			if m := styleAlign.FindStringSubmatch(a.Val); m != nil {
				s.align = alignOf(m[1])
			}
			if m := styleSize.FindStringSubmatch(a.Val); m != nil {
				if v, err := strconv.ParseFloat(m[1], 64); err == nil && v > 0 && v < 1000 {
					switch strings.ToLower(m[2]) {
					case "px":
						s.size = v * 0.75
					case "em", "rem":
						s.size = v * 12
					default:
						s.size = v
					}
				}
			}
			if styleWeight.MatchString(a.Val) {
				s.bold = true
			}
		}
	}
	switch n.DataAtom {
	case atom.Center:
		s.align = flow.AlignCenter
	case atom.B, atom.Strong:
		s.bold = true
	case atom.H1:
		s.size, s.bold = max(s.size, 24), true
	case atom.H2:
		s.size, s.bold = max(s.size, 18), true
	case atom.H3:
		s.size, s.bold = max(s.size, 14), true
	case atom.H4, atom.H5, atom.H6:
		s.bold = true
	}
	return s
}

func alignOf(v string) flow.Align {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "center", "middle":
		return flow.AlignCenter
	case "right":
		return flow.AlignRight
	case "left", "justify":
		return flow.AlignLeft
	}
	return flow.AlignUnknown
}

// block elements end the paragraph before and after them.
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li, atom.Ul, atom.Ol,
		atom.Section, atom.Article, atom.Center, atom.Blockquote, atom.Pre, atom.Dl, atom.Dt, atom.Dd,
		atom.Header, atom.Footer, atom.Main, atom.Aside, atom.Form, atom.Hr, atom.Address, atom.Figure,
		atom.Body, atom.Html, atom.Caption:
		return true
	}
	return false
}

// skipped elements hold no article text.
func skipped(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Head, atom.Title, atom.Noscript, atom.Iframe, atom.Select, atom.Option,
		atom.Button, atom.Textarea, atom.Template, atom.Object, atom.Svg, atom.Math:
		return true
	}
	return false
}

func (r *reader) walk(n *html.Node, depth int, s style) error {
	if depth > MaxDepth {
		return fmt.Errorf("%w: elements nested deeper than %d", ErrLimit, MaxDepth)
	}
	switch n.Type {
	case html.TextNode:
		r.text += len(n.Data)
		if r.text > MaxText {
			return fmt.Errorf("%w: more than %d bytes of text", ErrLimit, MaxText)
		}
		if !r.started && strings.TrimSpace(n.Data) != "" {
			// the paragraph's style is its first text's
			r.st, r.started = s, true
		}
		r.buf.WriteString(n.Data)
		return nil
	case html.ElementNode:
		if skipped(n.DataAtom) {
			return nil
		}
		if n.DataAtom == atom.Table {
			r.flush()
			return r.table(n, depth, s)
		}
		if n.DataAtom == atom.Br {
			if s.cell {
				r.buf.WriteString("\u2028")
			} else {
				r.flush()
			}
			return nil
		}
	case html.CommentNode, html.DoctypeNode:
		return nil
	}
	ns := s
	if n.Type == html.ElementNode {
		ns = styled(n, s)
	}
	block := n.Type == html.ElementNode && isBlock(n.DataAtom)
	if block {
		if err := r.count(); err != nil {
			return err
		}
		if s.cell {
			r.buf.WriteString("\u2028")
		} else {
			r.flush()
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if err := r.walk(c, depth+1, ns); err != nil {
			return err
		}
	}
	if block {
		if s.cell {
			r.buf.WriteString("\u2028")
		} else {
			r.flush()
		}
	}
	return nil
}

// rows returns a table's rows in order (thead, tbody, tfoot, or rows
// directly under the table), not those of nested tables.
func rows(t *html.Node) []*html.Node {
	var out []*html.Node
	for c := t.FirstChild; c != nil; c = c.NextSibling {
		switch c.DataAtom {
		case atom.Tr:
			out = append(out, c)
		case atom.Thead, atom.Tbody, atom.Tfoot:
			for tr := c.FirstChild; tr != nil; tr = tr.NextSibling {
				if tr.DataAtom == atom.Tr {
					out = append(out, tr)
				}
			}
		}
	}
	return out
}

func cells(tr *html.Node) []*html.Node {
	var out []*html.Node
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.DataAtom == atom.Td || c.DataAtom == atom.Th {
			out = append(out, c)
		}
	}
	return out
}

// isLayout reports whether a table lays out the page rather than holding
// data: a cell of it holds another table or an article's worth of text.
func isLayout(t *html.Node, depth int) bool {
	for _, tr := range rows(t) {
		for _, td := range cells(tr) {
			n := 0
			found := false
			var visit func(x *html.Node, d int)
			visit = func(x *html.Node, d int) {
				if found || d > MaxDepth {
					return
				}
				if x.Type == html.ElementNode && x.DataAtom == atom.Table {
					found = true
					return
				}
				if x.Type == html.TextNode {
					n += utf8.RuneCountInString(strings.TrimSpace(x.Data))
				}
				for c := x.FirstChild; c != nil; c = c.NextSibling {
					visit(c, d+1)
				}
			}
			for c := td.FirstChild; c != nil; c = c.NextSibling {
				visit(c, depth+2)
			}
			if found || n > 400 {
				return true
			}
		}
	}
	return false
}

// table reads a data table, placing each cell at the first grid column
// its row leaves free (the HTML table model), or looks through a layout
// table.
func (r *reader) table(t *html.Node, depth int, s style) error {
	if s.cell || isLayout(t, depth) {
		if s.cell {
			// a table inside a data cell: its text joins the cell's.
			for c := t.FirstChild; c != nil; c = c.NextSibling {
				if err := r.walk(c, depth+1, s); err != nil {
					return err
				}
			}
			return nil
		}
		for _, tr := range rows(t) {
			for _, td := range cells(tr) {
				ns := styled(td, s)
				r.flush()
				for c := td.FirstChild; c != nil; c = c.NextSibling {
					if err := r.walk(c, depth+3, ns); err != nil {
						return err
					}
				}
				r.flush()
			}
		}
		return nil
	}
	ft := &flow.Table{}
	taken := map[[2]int]bool{}
	for i, tr := range rows(t) {
		if err := r.count(); err != nil {
			return err
		}
		row := flow.Row{}
		col := 0
		for _, td := range cells(tr) {
			if err := r.count(); err != nil {
				return err
			}
			for taken[[2]int{i, col}] {
				col++
			}
			if col >= maxCols {
				return fmt.Errorf("%w: a table wider than %d columns", ErrLimit, maxCols)
			}
			cs, rs := span(td, "colspan"), span(td, "rowspan")
			cs = min(cs, maxCols-col)
			text, err := r.cellText(td, depth, s)
			if err != nil {
				return err
			}
			row.Cells = append(row.Cells, flow.Cell{Text: text, Col: col, ColSpan: cs, RowSpan: rs})
			for a := i; a < i+rs; a++ {
				for b := col; b < col+cs; b++ {
					taken[[2]int{a, b}] = true
				}
			}
			col += cs
		}
		ft.Rows = append(ft.Rows, row)
	}
	// A row span beyond the last row ends there.
	for i := range ft.Rows {
		for k := range ft.Rows[i].Cells {
			c := &ft.Rows[i].Cells[k]
			c.RowSpan = min(c.RowSpan, len(ft.Rows)-i)
		}
	}
	if len(ft.Rows) > 0 {
		r.doc.Blocks = append(r.doc.Blocks, flow.Block{Table: ft})
	}
	return nil
}

func span(td *html.Node, key string) int {
	for _, a := range td.Attr {
		if a.Key == key {
			v, err := strconv.Atoi(strings.TrimSpace(a.Val))
			if err != nil || v < 1 {
				return 1
			}
			return min(v, maxSpan)
		}
	}
	return 1
}

// cellText is a cell's text, its lines joined.
func (r *reader) cellText(td *html.Node, depth int, s style) (string, error) {
	saved := r.buf.String()
	savedSt, savedStarted := r.st, r.started
	r.buf.Reset()
	cs := styled(td, s)
	cs.cell = true
	for c := td.FirstChild; c != nil; c = c.NextSibling {
		if err := r.walk(c, depth+1, cs); err != nil {
			return "", err
		}
	}
	raw := r.buf.String()
	r.buf.Reset()
	r.buf.WriteString(saved)
	r.st, r.started = savedSt, savedStarted
	var b strings.Builder
	for _, line := range strings.Split(raw, "\u2028") {
		line = collapse(line)
		line = strings.Trim(line, " ")
		if line == "" {
			continue
		}
		join(&b, line)
	}
	return b.String(), nil
}

// collapse collapses HTML white space: a run of it is one space, and no
// space is kept beside a CJK character (a line break in the source
// between two characters is not a space). &nbsp; is kept.
func collapse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pending := false
	var last rune
	for _, c := range s {
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u2028' {
			pending = true
			continue
		}
		if pending && last != 0 && !cjk(last) && !cjk(c) {
			b.WriteByte(' ')
		}
		pending = false
		b.WriteRune(c)
		last = c
	}
	return b.String()
}

func cjk(r rune) bool {
	return r >= 0x2E80 || unicode.Is(unicode.Han, r)
}

// join appends a line to a cell's text: CJK runs on, Latin words get a
// space.
func join(b *strings.Builder, s string) {
	if b.Len() > 0 {
		l, _ := utf8.DecodeLastRuneInString(b.String())
		f, _ := utf8.DecodeRuneInString(s)
		if !cjk(l) && !cjk(f) && l != '\u00a0' && f != '\u00a0' {
			b.WriteByte(' ')
		}
	}
	b.WriteString(s)
}
