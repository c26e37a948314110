package pdf

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
)

// The structure tree (ISO 32000-1 14.7, PDF/UA-1) is built from the document
// tree, not guessed from positions: the title is H1, 一、 headings H2, （一）
// headings (run-in ones too) H3, paragraphs and the signature P, each table a
// Table of TR rows with TH (Scope, ColSpan, RowSpan) and TD cells. Every item
// names its element through the typed layout.Part the layout gave it (the
// block's index, the cell's index, the run): never through its Box, which is
// for people, and an item whose part does not match the document is an
// error, not a guess. Rules and page numbers are artifacts, and so is a table
// cell drawn again on a later page (repeated header rows, a label repeated
// where a page break cuts its span): the table stays one Table whose cells
// each appear once.

// elem is a structure element.
type elem struct {
	typ    string // H1, P, TD …
	parent *elem
	kids   []kid
	attrs  string // the /A dictionary, if any
	num    int    // object number, once written
}

// kid is a child element or a marked-content sequence on a page.
type kid struct {
	e          *elem
	page, mcid int
}

func newElem(typ string, parent *elem) *elem {
	e := &elem{typ: typ, parent: parent}
	if parent != nil {
		parent.kids = append(parent.kids, kid{e: e})
	}
	return e
}

// artifact kinds, as written in the content stream.
const (
	artifactNone       = ""
	artifactLayout     = "/Artifact<</Type/Layout>>"                       // rules
	artifactPagination = "/Artifact<</Type/Pagination>>"                   // page numbers, repeated table rows
	artifactWatermark  = "/Artifact<</Type/Pagination/Subtype/Watermark>>" // a draft's mark
)

// tagger maps items to structure elements.
type tagger struct {
	root   *elem // Document
	blocks []blockElems

	// parents[page][mcid] is the element a marked-content sequence belongs to.
	parents [][]*elem
}

// blockElems are the elements of one block of the document.
type blockElems struct {
	kind  layout.PartKind // the part its items must have
	e     *elem           // the block's element: H1, H2/H3, P, Table
	runIn *elem           // a paragraph's run-in heading (H3), if any
	cells []*elem         // a table's cells, by index in Table.Cells
}

func newTagger(doc *layout.Document, pages int) *tagger {
	t := &tagger{
		blocks:  make([]blockElems, len(doc.Blocks)),
		parents: make([][]*elem, pages),
	}
	t.root = newElem("Document", nil)
	for i, b := range doc.Blocks {
		be := &t.blocks[i]
		switch b := b.(type) {
		case *layout.Title:
			be.kind, be.e = layout.PartTitle, newElem("H1", t.root)
		case *layout.Heading:
			typ := "H2"
			if b.Level >= 2 {
				typ = "H3"
			}
			be.kind, be.e = layout.PartHeading, newElem(typ, t.root)
		case *layout.Paragraph:
			be.kind = layout.PartParagraph
			if len(b.Runs) > 1 && b.Runs[0].Role != fonts.RoleBody {
				be.runIn = newElem("H3", t.root)
			}
			be.e = newElem("P", t.root)
		case *layout.Table:
			be.kind = layout.PartCell
			be.e, be.cells = t.table(b)
		case *layout.Signature:
			be.kind, be.e = layout.PartSignature, newElem("P", t.root)
		}
	}
	return t
}

// table adds a Table element: a TR per row that starts a cell, each cell a TH
// with the scope the layout gives it, or a TD (a count), with its spans.
func (t *tagger) table(tb *layout.Table) (*elem, []*elem) {
	te := newElem("Table", t.root)
	scopes := tb.Scopes()
	rows := make([][]int, tb.Rows)
	for i, c := range tb.Cells {
		if c.Row >= 0 && c.Row < tb.Rows {
			rows[c.Row] = append(rows[c.Row], i)
		}
	}
	cells := make([]*elem, len(tb.Cells))
	for _, idx := range rows {
		if len(idx) == 0 {
			continue
		}
		tr := newElem("TR", te)
		for _, i := range idx {
			c := tb.Cells[i]
			typ := "TH"
			if scopes[i] == layout.ScopeNone {
				typ = "TD"
			}
			e := newElem(typ, tr)
			var a strings.Builder
			a.WriteString("/A<</O/Table")
			if typ == "TH" {
				a.WriteString("/Scope/" + scopeNames[scopes[i]])
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
			cells[i] = e
		}
	}
	return te, cells
}

var scopeNames = [...]string{layout.ScopeColumn: "Column", layout.ScopeRow: "Row", layout.ScopeBoth: "Both"}

// classify returns the element an item belongs to, or the kind of artifact it
// is. An item whose part is unset or names no element of the document is an
// error: a tagged file never guesses where text belongs.
func (t *tagger) classify(it *layout.Item) (*elem, string, error) {
	pt := it.Part
	switch pt.Kind {
	case layout.PartRule:
		if it.Kind != layout.ItemLine {
			return nil, "", fmt.Errorf("text %q is marked as a rule", it.Text)
		}
		return nil, artifactLayout, nil
	case layout.PartPageNumber:
		return nil, artifactPagination, nil
	case layout.PartDraftMark:
		return nil, artifactWatermark, nil
	case layout.PartNone:
		return nil, "", fmt.Errorf("%s item %q (box %q) has no part", it.Kind, it.Text, it.Box)
	}
	if it.Kind != layout.ItemText {
		return nil, "", fmt.Errorf("line in box %q is marked as %s", it.Box, pt.Kind)
	}
	if pt.Block < 0 || int(pt.Block) >= len(t.blocks) || t.blocks[pt.Block].kind != pt.Kind {
		return nil, "", fmt.Errorf("text %q: its part (%s of block %d) is not in the document", it.Text, pt.Kind, pt.Block)
	}
	be := &t.blocks[pt.Block]
	switch pt.Kind {
	case layout.PartParagraph:
		if pt.Run == 0 && be.runIn != nil {
			return be.runIn, artifactNone, nil
		}
	case layout.PartCell:
		if pt.Cell < 0 || int(pt.Cell) >= len(be.cells) {
			return nil, "", fmt.Errorf("text %q: block %d has no cell %d", it.Text, pt.Block, pt.Cell)
		}
		if pt.Repeat {
			return nil, artifactPagination, nil // a cell drawn again on a later page
		}
		return be.cells[pt.Cell], artifactNone, nil
	}
	return be.e, artifactNone, nil
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

	// One buffer for every element (f.object copies it), the numbers
	// written without fmt: a seed report has a thousand elements.
	var b []byte
	var write func(e *elem, parent int)
	write = func(e *elem, parent int) {
		b = append(b[:0], "<</Type/StructElem/S/"...)
		b = append(b, e.typ...)
		b = appendRef(append(b, "/P "...), parent)
		pg := -1
		for _, k := range e.kids {
			if k.e == nil {
				pg = k.page
				break
			}
		}
		if pg >= 0 {
			b = appendRef(append(b, "/Pg "...), pageObjs[pg])
		}
		b = append(b, e.attrs...)
		b = append(b, "/K["...)
		for i, k := range e.kids {
			if i > 0 {
				b = append(b, ' ')
			}
			switch {
			case k.e != nil:
				b = appendRef(b, k.e.num)
			case k.page == pg:
				b = strconv.AppendInt(b, int64(k.mcid), 10)
			default:
				b = appendRef(append(b, "<</Type/MCR/Pg "...), pageObjs[k.page])
				b = strconv.AppendInt(append(b, "/MCID "...), int64(k.mcid), 10)
				b = append(b, ">>"...)
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
	b = append(b[:0], "<</Nums["...)
	for pg, es := range t.parents {
		b = append(strconv.AppendInt(b, int64(pg), 10), '[')
		for i, e := range es {
			if i > 0 {
				b = append(b, ' ')
			}
			b = appendRef(b, e.num)
		}
		b = append(b, "]"...)
	}
	b = append(b, "]>>"...)
	f.object(parentTree, b)
	f.object(root, fmt.Appendf(nil, "<</Type/StructTreeRoot/K %d 0 R/ParentTree %d 0 R/ParentTreeNextKey %d>>",
		t.root.num, parentTree, len(t.parents)))
	return root
}

// appendRef appends an indirect reference to object num: "num 0 R".
func appendRef(b []byte, num int) []byte {
	return append(strconv.AppendInt(b, int64(num), 10), " 0 R"...)
}
