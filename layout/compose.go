package layout

import (
	"context"
	"errors"

	"github.com/govreport/govreport/fonts"
)

// Composed is a document set on pages together with the decisions the
// layout took on the way: where the title and the signature break, how far
// the signature's lines sit from the right edge, each table's column widths
// and type size. A writer that paints the pages (PDF, PNG) needs only
// Pages; a writer that hands the flow to another program (the DOCX, which
// Word and LibreOffice set themselves) reads the decisions here, so that
// every format breaks the same lines and draws the same grids, and none
// re-derives them.
type Composed struct {
	// Style is the page geometry and the type sizes the document was set
	// with: a writer sizes its pages, margins, grid and type from it, not
	// from DefaultStyle, so that every format of one layout matches.
	Style      Style
	Pages      []Page
	Titles     map[*Title]TitleSet
	Signatures map[*Signature]SignatureSet
	Tables     map[*Table]TableSet
	// Paragraphs are the body paragraphs (and table notes) as set: a
	// writer that keeps the PDF's lines (the DOCX in embed mode) breaks
	// them where the layout did, since no office program's line breaker
	// (greedy, without 标点挤压 as the layout does it) finds the same
	// breaks.
	Paragraphs map[*Paragraph]ParagraphSet
}

// ParagraphSet is how a paragraph was set: where each line after the
// first starts, as an index of a character (rune) in the text of its runs
// taken together, and the page (index into Pages) each line is on.
type ParagraphSet struct {
	Breaks []int
	Pages  []int
}

// TitleSet is how a title was set: its lines, in order, as printed.
type TitleSet struct {
	Lines []string
}

// SignatureSet is how the signature block was set (GB/T 9704 7.3.5.2):
// the agency's lines, right-aligned, and the date below them, each with
// its distance from the right edge of the 版心 in points. The layout breaks
// the agency between words, so its Lines are the only breaks a writer may
// use.
type SignatureSet struct {
	Agency      []string
	AgencyRight float64 // pt from the 版心's right edge to the agency lines' right edge
	Date        string
	DateRight   float64 // pt from the 版心's right edge to the date's right edge
	// Size and Cell are the type size and the grid's character pitch the
	// distances were computed with, so that a writer can give them in
	// characters (w:rightChars) too.
	Size, Cell float64
}

// TableSet is how a table was set: the width of each column in points and
// the type size of every cell, the same for the whole table.
type TableSet struct {
	Widths []float64
	Size   float64
	// Landscape says the table is set on landscape pages of its own,
	// with what leads into it (Style.Landscape): a writer whose reader
	// paginates starts a landscape section before them and a portrait
	// one after.
	Landscape bool
	// Breaks says, for each row, whether a page may break before it
	// (never inside a 表二 block, after a row without counts, or where
	// either part of a cut label could not hold its text). A writer whose
	// reader paginates keeps every other row with the next.
	Breaks []bool
	// Lines are each cell's lines, in the order of Table.Cells, as
	// printed: a writer whose reader breaks lines itself (the DOCX) takes
	// a label's breaks from here, so that Word breaks it between its
	// words too (3.补正后申请|内容仍不明确, never 3.补正后申请内容仍不明|确).
	Lines [][]string
	// Splits are the body rows that begin a continuation page, in order:
	// where the layout broke the table. A label whose rows a split cuts is
	// printed again on the next page, below the repeated header rows; a
	// writer whose reader paginates ends a vertical merge before a split
	// and starts another with the label's text.
	Splits []int
	// CountDigit is the width (em) its columns leave each digit of a
	// count: Style.CountDigit where a size had room for it, else 0 (the
	// digits of the face the PDF sets them in).
	CountDigit float64
	// After is the space from the table's bottom rule to the grid line the
	// next block starts on (pt): the rest of the line the table ends in.
	After float64
}

// Compose lays the document out once: the pages and the decisions behind
// them. Like Paginate, it is a pure function of its arguments.
func Compose(ctx context.Context, doc *Document, set *fonts.Set, style Style) (*Composed, error) {
	if set == nil {
		return nil, errors.New("layout: no fonts")
	}
	if doc == nil {
		return nil, errors.New("layout: no document")
	}
	p := &paginator{ctx: ctx, st: style, base: style, ts: &typesetter{fonts: set, style: style}, out: &Composed{
		Style:      style,
		Titles:     map[*Title]TitleSet{},
		Signatures: map[*Signature]SignatureSet{},
		Tables:     map[*Table]TableSet{},
		Paragraphs: map[*Paragraph]ParagraphSet{},
	}}
	if err := p.shareTableSize(doc); err != nil {
		return nil, err
	}
	if err := p.newPage(); err != nil {
		return nil, err
	}
	for i, b := range doc.Blocks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var next Block
		if i+1 < len(doc.Blocks) {
			next = doc.Blocks[i+1]
		}
		p.blk = int32(i)
		if err := p.block(b, next, doc.Blocks[i+1:]); err != nil {
			return nil, err
		}
	}
	if err := p.pageNumbers(); err != nil {
		return nil, err
	}
	if doc.Draft != "" {
		if err := p.draftMarks(doc.Draft); err != nil {
			return nil, err
		}
	}
	p.out.Pages = p.pages
	return p.out, nil
}

// shareTableSize sets the size the report's tables share where they can
// (issue 22: 表四 at 小五 beside 表三 at 小四 read as two documents): the
// smallest each needs, not below Style.MinTableSize; a table too wide at
// that on a portrait page is set landscape at it.
func (p *paginator) shareTableSize(doc *Document) error {
	least := 0.0
	for _, b := range doc.Blocks {
		t, ok := b.(*Table)
		if !ok {
			continue
		}
		tl, err := p.layoutTable(t)
		if err != nil {
			return err
		}
		if least == 0 || tl.size < least {
			least = tl.size
		}
	}
	p.ts.tableCap = max(least, p.st.MinTableSize)
	p.tables = nil
	return nil
}
