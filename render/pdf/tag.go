package pdf

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
)

// The structure tree (ISO 32000-1 14.7, PDF/UA-1) is built from the document
// tree, not guessed from positions: the title is H1, 一、 headings H2, （一）
// headings (run-in ones too) H3, paragraphs and the signature P, each table a
// Table of TR rows with TH (Scope, ColSpan, RowSpan) and TD cells. Items find
// their element through the name the layout gave their box ("title",
// "heading 一、总体情况", "paragraph /overview/0 line 2", "表三 r5c2",
// "signature date", "page-number"). Rules and page numbers are artifacts, and
// so is a table cell drawn again on a later page (repeated header rows, a
// label repeated where a page break cuts its span): the table stays one Table
// whose cells each appear once.

// elem is a structure element.
type elem struct {
	typ    string // H1, P, TD …
	parent *elem
	kids   []kid
	attrs  string // the /A dictionary, if any
	num    int    // object number, once written

	firstPage int // the first page with content of the element, -1 before
	runes     int // paragraphs: characters seen so far (to find a run-in heading's end)
}

// kid is a child element or a marked-content sequence on a page.
type kid struct {
	e          *elem
	page, mcid int
}

func newElem(typ string, parent *elem) *elem {
	e := &elem{typ: typ, parent: parent, firstPage: -1}
	if parent != nil {
		parent.kids = append(parent.kids, kid{e: e})
	}
	return e
}

// artifact kinds, as written in the content stream.
const (
	artifactNone       = ""
	artifactLayout     = "/Artifact<</Type/Layout>>"     // rules
	artifactPagination = "/Artifact<</Type/Pagination>>" // page numbers, repeated table rows
)

// tagger maps items to structure elements.
type tagger struct {
	root *elem // Document

	title     *elem
	headings  map[string][]*elem // by text, in document order
	paras     map[string]*para   // by pointer
	cells     map[string]*elem   // by box: "表三 r5c2"
	signature *elem

	lastBox  string
	lastElem *elem
	cur      *elem // the element of the latest block matched, where unknown boxes go

	// parents[page][mcid] is the element a marked-content sequence belongs to.
	parents [][]*elem
}

// para is a paragraph's element and, for a paragraph led by a run-in
// heading, the heading's element and length.
type para struct {
	p, runIn *elem
	runInLen int
}

func newTagger(doc *layout.Document, pages int) *tagger {
	t := &tagger{
		headings: map[string][]*elem{},
		paras:    map[string]*para{},
		cells:    map[string]*elem{},
		parents:  make([][]*elem, pages),
	}
	t.root = newElem("Document", nil)
	t.cur = t.root
	for _, b := range doc.Blocks {
		switch b := b.(type) {
		case *layout.Title:
			t.title = newElem("H1", t.root)
		case *layout.Heading:
			typ := "H2"
			if b.Level >= 2 {
				typ = "H3"
			}
			t.headings[b.Text] = append(t.headings[b.Text], newElem(typ, t.root))
		case *layout.Paragraph:
			pa := &para{}
			if len(b.Runs) > 1 && b.Runs[0].Role != fonts.RoleBody {
				pa.runIn = newElem("H3", t.root)
				pa.runInLen = utf8.RuneCountInString(b.Runs[0].Text)
			}
			pa.p = newElem("P", t.root)
			t.paras[b.Pointer] = pa
		case *layout.Table:
			t.table(b)
		case *layout.Signature:
			t.signature = newElem("P", t.root)
		}
	}
	return t
}

// table adds a Table element: a TR per row that starts a cell, each cell a TH
// or a TD (a count), with its spans. A label heads its column (Scope Column)
// in the header rows, in a row of labels only (表二 repeats its column labels
// under each section row) and as a section row; beside counts it heads its
// row (Scope Row); the corner over the row labels heads both.
func (t *tagger) table(tb *layout.Table) {
	te := newElem("Table", t.root)
	rows := make([][]layout.Cell, tb.Rows)
	rowLabels := false // do body rows carry labels in column 0?
	hasData := make([]bool, tb.Rows)
	for _, c := range tb.Cells {
		if c.Row >= 0 && c.Row < tb.Rows {
			rows[c.Row] = append(rows[c.Row], c)
			if c.Kind == layout.CellData {
				for r := c.Row; r < min(c.Row+max(c.RowSpan, 1), tb.Rows); r++ {
					hasData[r] = true
				}
			}
		}
		if c.Row >= tb.HeaderRows && c.Col == 0 && c.Kind == layout.CellLabel {
			rowLabels = true
		}
	}
	for r, cells := range rows {
		if len(cells) == 0 {
			continue
		}
		tr := newElem("TR", te)
		for _, c := range cells {
			typ, scope := "TH", "Row"
			switch {
			case c.Kind == layout.CellData:
				typ = "TD"
			case r < tb.HeaderRows && c.Col == 0 && rowLabels && r+c.RowSpan >= tb.HeaderRows:
				scope = "Both" // the corner over the row labels
			case r < tb.HeaderRows, c.Kind == layout.CellSection, !hasData[r]:
				scope = "Column"
			}
			e := newElem(typ, tr)
			var a strings.Builder
			a.WriteString("/A<</O/Table")
			if typ == "TH" {
				a.WriteString("/Scope/" + scope)
			}
			if c.RowSpan > 1 {
				a.WriteString("/RowSpan " + strconv.Itoa(c.RowSpan))
			}
			if c.ColSpan > 1 {
				a.WriteString("/ColSpan " + strconv.Itoa(c.ColSpan))
			}
			a.WriteString(">>")
			if a.Len() > len("/A<</O/Table>>") {
				e.attrs = a.String()
			}
			t.cells[fmt.Sprintf("%s r%dc%d", tb.Name, c.Row+1, c.Col+1)] = e
		}
	}
}

// classify returns the element an item belongs to, or the kind of artifact it
// is, on page pg (from 0).
func (t *tagger) classify(pg int, it *layout.Item) (*elem, string) {
	if it.Kind != layout.ItemText {
		return nil, artifactLayout
	}
	if it.Box == "page-number" {
		return nil, artifactPagination
	}
	box := it.Box
	e := t.match(box, it)
	if e == nil {
		// A box the tagger does not know still reads in order: as a
		// paragraph after the latest block.
		if box == t.lastBox && t.lastElem != nil {
			e = t.lastElem
		} else {
			e = newElemAfter("P", t.cur)
		}
	}
	t.lastBox, t.lastElem = box, e
	if e.parent != nil && (e.parent.typ == "TR") && e.firstPage >= 0 && e.firstPage < pg {
		return nil, artifactPagination // a cell drawn again on a later page
	}
	if e.firstPage < 0 {
		e.firstPage = pg
	}
	return e, artifactNone
}

// match finds the element of a known box.
func (t *tagger) match(box string, it *layout.Item) *elem {
	switch {
	case box == "title":
		return t.settle(t.title)
	case strings.HasPrefix(box, "heading "):
		if box == t.lastBox && t.lastElem != nil {
			return t.lastElem
		}
		q := t.headings[strings.TrimPrefix(box, "heading ")]
		if len(q) == 0 {
			return nil
		}
		t.headings[strings.TrimPrefix(box, "heading ")] = q[1:]
		return t.settle(q[0])
	case strings.HasPrefix(box, "paragraph "):
		ptr, _, _ := strings.Cut(strings.TrimPrefix(box, "paragraph "), " line ")
		pa := t.paras[ptr]
		if pa == nil {
			return nil
		}
		e := pa.p
		if pa.runIn != nil && pa.p.runes < pa.runInLen {
			e = pa.runIn
		}
		pa.p.runes += utf8.RuneCountInString(it.Text)
		return t.settle(e)
	case strings.HasPrefix(box, "signature "):
		return t.settle(t.signature)
	}
	if e := t.cells[box]; e != nil {
		t.cur = e.parent.parent
		return e
	}
	return nil
}

// settle notes e's place in the reading order: text of an unknown box goes
// after it.
func (t *tagger) settle(e *elem) *elem {
	if e != nil {
		t.cur = e
	}
	return e
}

// newElemAfter inserts a new element right after sibling in its parent (at the
// end of the document if sibling is the root).
func newElemAfter(typ string, sibling *elem) *elem {
	parent := sibling.parent
	if parent == nil || parent.typ != "Document" {
		for parent != nil && parent.typ != "Document" {
			sibling, parent = parent, parent.parent
		}
		if parent == nil {
			return newElem(typ, sibling)
		}
	}
	e := &elem{typ: typ, parent: parent, firstPage: -1}
	for i, k := range parent.kids {
		if k.e == sibling {
			parent.kids = append(parent.kids[:i+1], append([]kid{{e: e}}, parent.kids[i+1:]...)...)
			return e
		}
	}
	parent.kids = append(parent.kids, kid{e: e})
	return e
}

// mark starts a marked-content sequence for e on page pg and returns its
// MCID.
func (t *tagger) mark(pg int, e *elem) int {
	id := len(t.parents[pg])
	t.parents[pg] = append(t.parents[pg], e)
	e.kids = append(e.kids, kid{page: pg, mcid: id})
	return id
}

// write writes the structure tree and returns the StructTreeRoot's object
// number. pageObjs are the pages' objects.
func (t *tagger) write(f *file, pageObjs []int) int {
	root := f.alloc()
	var number func(e *elem)
	number = func(e *elem) {
		e.num = f.alloc()
		for _, k := range e.kids {
			if k.e != nil {
				number(k.e)
			}
		}
	}
	number(t.root)

	var write func(e *elem, parent int)
	write = func(e *elem, parent int) {
		b := make([]byte, 0, 96)
		b = append(b, "<</Type/StructElem/S/"...)
		b = append(b, e.typ...)
		b = fmt.Appendf(b, "/P %d 0 R", parent)
		pg := -1
		for _, k := range e.kids {
			if k.e == nil {
				pg = k.page
				break
			}
		}
		if pg >= 0 {
			b = fmt.Appendf(b, "/Pg %d 0 R", pageObjs[pg])
		}
		b = append(b, e.attrs...)
		b = append(b, "/K["...)
		for i, k := range e.kids {
			if i > 0 {
				b = append(b, ' ')
			}
			switch {
			case k.e != nil:
				b = fmt.Appendf(b, "%d 0 R", k.e.num)
			case k.page == pg:
				b = strconv.AppendInt(b, int64(k.mcid), 10)
			default:
				b = fmt.Appendf(b, "<</Type/MCR/Pg %d 0 R/MCID %d>>", pageObjs[k.page], k.mcid)
			}
		}
		b = append(b, "]>>"...)
		f.object(e.num, b)
		for _, k := range e.kids {
			if k.e != nil {
				write(k.e, e.num)
			}
		}
	}
	write(t.root, root)

	// The parent tree: for each page (its /StructParents), the element of each
	// MCID.
	parentTree := f.alloc()
	b := []byte("<</Nums[")
	for pg, es := range t.parents {
		b = fmt.Appendf(b, "%d[", pg)
		for i, e := range es {
			if i > 0 {
				b = append(b, ' ')
			}
			b = fmt.Appendf(b, "%d 0 R", e.num)
		}
		b = append(b, "]"...)
	}
	b = append(b, "]>>"...)
	f.object(parentTree, b)
	f.object(root, fmt.Appendf(nil, "<</Type/StructTreeRoot/K %d 0 R/ParentTree %d 0 R/ParentTreeNextKey %d>>",
		t.root.num, parentTree, len(t.parents)))
	return root
}
