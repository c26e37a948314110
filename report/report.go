// Package report owns the input contract of govreport: a government
// information-disclosure annual report as JSON, in one of the official
// formats (gov-info-disclosure/2021, gov-info-disclosure/2019). It decodes
// strictly, validates, runs the format's 勾稽 checks, computes omitted
// totals, and names every problem by JSON pointer, in document order, all
// at once.
//
// A format is data (Format, read from a format file by ParseFormat): its
// contract is a tree of Nodes, its tables are grids, its checks are sums
// over cells. The decoder walks the tree and the JSON Schema is generated
// from it, so schema and validator agree; the report's format field picks
// the format.
package report

import (
	"fmt"
	"strconv"
	"strings"
)

// Report is a decoded, validated report. Text is taken as given; table
// cells are addressed by JSON pointer (see CellPointers), with omitted totals
// computed.
type Report struct {
	// Format is the format the report's format field named.
	Format *Format
	Agency string
	Year   int
	// Title is the given title, or the default
	// {agency}{year}年政府信息公开工作年度报告.
	Title string
	// TitleFrom is the pointer the title came from: the title's, or the
	// agency's when it was made from the format's Names.Title.
	TitleFrom string
	Signature Signature
	// Warnings are problems that do not stop a render: cells given as null
	// (not applicable) and, with Options.ChecksWarn, failed 勾稽 checks.
	Warnings []Problem

	cells  map[string]Value
	blocks map[string][]Block // text sections by pointer
}

// Block is one block of a text section: a paragraph (Heading empty, one
// paragraph) or a （一） heading with its paragraphs.
type Block struct {
	Heading    string
	Paragraphs []string
	// RunIn sets the heading at the start of the first paragraph,
	// followed by 。, instead of on its own line.
	RunIn bool
	// Pointer is where the block came from, e.g. /overview/0.
	Pointer string
}

// ParagraphPointer returns the JSON pointer of paragraph i of the block.
func (b Block) ParagraphPointer(i int) string {
	if b.Heading == "" {
		return b.Pointer
	}
	return b.Pointer + "/paragraphs/" + strconv.Itoa(i)
}

// Signature is the issuing agency and date block.
type Signature struct {
	Agency string
	Date   Date
	// AgencyFrom and DateFrom are the pointers of the values they came
	// from (the agency's when the signature names none), so that a
	// problem found later (a character no face has) names the input.
	AgencyFrom, DateFrom string
}

// Date is a calendar date.
type Date struct{ Year, Month, Day int }

// String returns the ISO form, 2025-01-20.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Chinese returns the date as GB/T 9704 7.3.5.4 prints it: Arabic numerals,
// no leading zeros, 2025年1月20日.
func (d Date) Chinese() string { return fmt.Sprintf("%d年%d月%d日", d.Year, d.Month, d.Day) }

// Value is one table cell.
type Value struct {
	// Text is the cell as printed: a count in decimal, the fee as written
	// in the JSON (2.02, 2.00), or / for null.
	Text string
	// Int is the count; 0 for null and for the fee.
	Int int64
	// Null marks "not applicable": printed /, counted as 0 by the checks.
	Null bool
	// Computed marks a total that was omitted and computed.
	Computed bool
}

// Cell returns the value of the cell at pointer, e.g.
// /applications/outcomes/total/commercial_enterprise.
func (r *Report) Cell(pointer string) (Value, bool) {
	v, ok := r.cells[pointer]
	return v, ok
}

// Computed returns the totals that were omitted and computed, by pointer.
func (r *Report) Computed() map[string]int64 {
	out := map[string]int64{}
	for p, v := range r.cells {
		if v.Computed {
			out[p] = v.Int
		}
	}
	return out
}

// Section returns the blocks of a text section by its contract key, e.g.
// overview or problems.
func (r *Report) Section(key string) []Block { return r.blocks["/"+key] }

// Blocks returns the blocks at a pointer, e.g. /table_notes/applications.
func (r *Report) Blocks(pointer string) []Block { return r.blocks[pointer] }

// Problem is one thing wrong with a report.
type Problem struct {
	// Pointer is the JSON pointer (RFC 6901) of the offending value; for a
	// missing field, the pointer it should have.
	Pointer string `json:"pointer"`
	// Code is stable: syntax, encoding, type, unknown_field,
	// duplicate_key, required, empty, format, stale_format, range, integer,
	// decimal, date, control_character, newline, outside_bmp, surrogate,
	// too_long, too_large, unsupported_character, fallback_character (a
	// warning of render: a character printed in the fallback face), null,
	// check, placeholder, previous (ComparePrevious).
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageZh string `json:"message_zh"`
	// Breaks, for a check problem at a value that must be wrong, lists the
	// totals of the 勾稽 rules the value breaks: the one problem stands for
	// all of them.
	Breaks []string `json:"breaks,omitempty"`
	// Line and Column locate syntax and encoding errors (1-based).
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`

	off int // byte offset, to sort in document order
}

// String formats the problem as the CLI prints it: pointer, Chinese and
// English message.
func (p Problem) String() string {
	where := p.Pointer
	if where == "" {
		where = "/"
	}
	if p.Line > 0 {
		where = fmt.Sprintf("%s (line %d, column %d)", where, p.Line, p.Column)
	}
	return fmt.Sprintf("%s: %s: %s (%s)", where, p.Code, p.MessageZh, p.Message)
}

// Error is the error Decode returns for an invalid report: every problem
// found, in document order.
type Error struct {
	Problems []Problem // at most MaxProblems
	Omitted  int       // problems found beyond MaxProblems and not listed
}

// Total is the number of problems found, listed or not.
func (e *Error) Total() int { return len(e.Problems) + e.Omitted }

func (e *Error) Error() string {
	if e.Total() == 1 {
		return "invalid report: " + e.Problems[0].String()
	}
	return fmt.Sprintf("invalid report: %d problems, the first: %s", e.Total(), e.Problems[0].String())
}

// escapePointer escapes one reference token (RFC 6901).
func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
