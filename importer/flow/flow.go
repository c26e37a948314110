// Package flow is the reading order of a published report, as its readers
// (HTML, DOCX, PDF) find it: paragraphs and tables, one after another, with
// the few facts of position the importer needs to tell a title from a
// heading, a signature from a paragraph, and a continued table from a new
// one.
//
// A reader reports what the document shows and no more: it does not know
// the official formats. Mapping a Doc onto a format's sections and tables is
// the importer's work (package importer), so that every reader gains from
// every improvement there.
package flow

// Doc is a document in reading order.
type Doc struct {
	// Kind is the source kind: "html", "docx" or "pdf".
	Kind   string
	Blocks []Block
}

// Block is one paragraph or one table. Exactly one of Para and Table is
// set.
type Block struct {
	Para  *Para
	Table *Table
}

// Align is a paragraph's horizontal alignment, as the source states or
// (PDF) as the glyph positions show.
type Align int

const (
	AlignUnknown Align = iota
	AlignLeft          // also justified
	AlignCenter
	AlignRight
)

// Para is one paragraph: its text with line breaks inside it removed (a
// line break of the source's layout is not part of the text; CJK text is
// joined without a space, Latin words with one).
type Para struct {
	Text  string
	Align Align
	// Size is the font size in points where known (0 if not): the title
	// is the largest text on its page.
	Size float64
	Bold bool
	// Page is the 1-based page the paragraph starts on (PDF; 0 where the
	// source has no pages).
	Page int
	// Indent is the first line's indent in em where known (PDF, DOCX),
	// −1 if unknown: a body paragraph is indented 2 em, a signature is not.
	Indent float64
}

// Table is one table as the source draws it: a grid of rows, each a list of
// cells in column order. A cell spanning several columns or rows appears
// once, in the row and at the column where it starts, with its spans;
// the rows below a row-spanning cell do not repeat it.
//
// A PDF reader joins a table that continues on the next page into one
// Table, dropping the header rows the page repeats; a row-span label that
// the continuation page prints again is dropped too, and the first page's
// cell spans the rows of both pages.
type Table struct {
	Rows []Row
	// Page is the 1-based page the table starts on (0 where the source
	// has no pages).
	Page int
}

// Row is one row of a table.
type Row struct {
	Cells []Cell
	// Page is the page the row is on (PDF), for warnings.
	Page int
}

// Cell is one cell. Text is the cell's text with the source's line breaks
// removed as for Para; Vertical marks text set one character per line
// (a row-span label printed top to bottom), which readers return already
// joined.
type Cell struct {
	Text string
	// Col is the 0-based grid column where the cell starts; ColSpan and
	// RowSpan are at least 1.
	Col, ColSpan, RowSpan int
	Vertical              bool
}

// Text returns the text of a Doc's paragraphs and table cells in reading
// order, one line per paragraph and per row (cells separated by a tab),
// for tests and for the audit's quotations.
func (d *Doc) Text() string {
	var b []byte
	for _, bl := range d.Blocks {
		switch {
		case bl.Para != nil:
			b = append(b, bl.Para.Text...)
			b = append(b, '\n')
		case bl.Table != nil:
			for _, r := range bl.Table.Rows {
				for i, c := range r.Cells {
					if i > 0 {
						b = append(b, '\t')
					}
					b = append(b, c.Text...)
				}
				b = append(b, '\n')
			}
		}
	}
	return string(b)
}
