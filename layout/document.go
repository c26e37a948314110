// Package layout owns the renderer-neutral document tree and its
// typesetting: text measured from the faces' advance tables, Chinese line
// breaking (禁则) on the GB/T 9704 grid of 22 lines × 28 characters, tables
// with spans split across pages with their header rows repeated, the
// signature block and page numbers. Paginate turns a Document into Pages of
// positioned text runs and rules, which the PDF and PNG renderers paint
// without a layout decision of their own.
package layout

import (
	"time"

	"github.com/govreport/govreport/fonts"
)

// Document is a report before it is set: what to print, in order, with no
// positions.
type Document struct {
	Meta   Meta
	Blocks []Block
	// Draft, when set, is the mark printed on every page of a draft (草稿):
	// a report that still holds placeholders, printed for review.
	Draft string
}

// Meta is the document's metadata.
type Meta struct {
	Title    string
	Author   string // the issuing agency
	Subject  string
	Keywords string
	Creator  string // the program and its version
	// Date is the creation date written into the file. It comes from the
	// report (signature date) or SOURCE_DATE_EPOCH, never the clock, so
	// that output is reproducible.
	Date time.Time
}

// Block is one element of the flow: *Title, *Heading, *Paragraph, *Table
// or *Signature.
type Block interface{ block() }

// Title is the document title: 二号 小标宋, centred, broken into balanced
// lines when it is longer than one.
type Title struct {
	Text string
	// Words are the fixed words of the report's name (the format's): a
	// title that needs several lines may break before each.
	Words []TitleWord
	// Pointer is the input value the title came from, for error messages.
	Pointer string
	// Break is a preferred place to break a title that needs two lines, in
	// characters from the start (after the agency's name), so that each
	// line keeps its words whole (GB/T 9704 7.3.3: 词意完整). 0 means none.
	Break int
}

// Heading is a numbered heading on its own line: level 1 (一、) in 黑体,
// level 2 (（一）) in 楷体. It is kept with what follows it.
type Heading struct {
	Level   int
	Text    string // with its number: 一、总体情况
	Pointer string // where its text came from, for error messages
}

// Paragraph is a body paragraph: first line indented two characters,
// justified. A run-in heading is its first run, in another role.
type Paragraph struct {
	Runs    []Run
	Pointer string
}

// Run is text in one typeface role.
type Run struct {
	Text string
	Role fonts.Role
}

// Table is a grid of cells with spans. The first HeaderRows rows repeat at
// the top of every page the table continues on.
type Table struct {
	Name       string // 表三, for boxes and errors
	Columns    int
	Rows       int
	HeaderRows int
	// Widths are relative column widths; empty means equal. The layout
	// widens a column whose content cannot fit and narrows the others.
	Widths []float64
	Cells  []Cell
}

// Cell is one cell of a table.
type Cell struct {
	Row, Col         int // from 0
	RowSpan, ColSpan int // at least 1
	Text             string
	Kind             CellKind
	Pointer          string // data cells: the report value's JSON pointer
	// Breaks are where a label's words meet, in characters from its
	// start (report.Cell.Breaks): its lines break there, balanced, and
	// inside a word only when the word is wider than the cell. A label
	// without breaks is one word.
	Breaks []int
}

// CellKind says how a cell is set.
type CellKind uint8

const (
	CellLabel   CellKind = iota // a fixed label of the official grid
	CellData                    // a number from the report
	CellSection                 // a row naming a 条例 item (第二十条第（一）项), in 黑体
)

// Signature is the issuing agency and date block of GB/T 9704 7.3.5.2.
type Signature struct {
	Agency string
	Date   string // 2025年1月20日
	// Words are the units of agency names the agency's lines never split.
	Words []TitleWord
	// AgencyPointer and DatePointer are the input values they came from.
	AgencyPointer, DatePointer string
}

// TitleWord is a word of a report's name a title may break before; Inside
// marks a break inside the name, taken only when no better one fits.
//
// Unit marks a word of agency names that no line splits (人民政府办公室,
// 街道办事处): the line may break before and after it, never inside;
// Suffix, one that closes the name before it (信都区|分局 is no break).
type TitleWord struct {
	Word         string
	Inside       bool
	Unit, Suffix bool
}

func (*Title) block()     {}
func (*Heading) block()   {}
func (*Paragraph) block() {}
func (*Table) block()     {}
func (*Signature) block() {}
