// Package audit checks a published report the way an upper-level 政务公开
// office reads it: import it (HTML, DOCX, PDF or report JSON, through
// importer.Import), list every problem the import and the decoder find —
// failed 勾稽 checks among them, all of them, not the first — and compare
// the figures the prose states in the standard phrasings (新收政府信息公开
// 申请N件, 上年结转N件, 结转下年度继续办理N件, 行政复议N件, 行政诉讼N件)
// with the tables' totals.
package audit

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/govreport/govreport/importer"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// CodeTextTable is the code of a finding whose prose contradicts a table.
const CodeTextTable = "text_table"

// Options adjust an audit.
type Options struct {
	// Kind is the source's kind; importer.KindAuto sniffs it.
	Kind importer.Kind
}

// Finding is one problem of an audited report: the importer's and the
// decoder's, and the disagreements of the prose with the tables.
type Finding struct {
	importer.Problem
	// Text is set for a text_table finding.
	Text *TextMismatch `json:"text,omitempty"`
}

// TextMismatch is a figure the prose states that the table does not have.
type TextMismatch struct {
	// Sentence is the sentence quoted, as written.
	Sentence string `json:"sentence"`
	// Cells are the table cells the figure is (their sum: 行政诉讼 is
	// two totals).
	Cells []string `json:"cells"`
	// Stated is the figure the sentence states; Table the tables'.
	Stated int64 `json:"stated"`
	Table  int64 `json:"table"`
}

// Result is an audit's outcome.
type Result struct {
	Kind   importer.Kind
	Format string
	// Agency and Year are the report's, when they could be read.
	Agency string
	Year   int
	// Findings: errors first, then warnings, each in document order.
	Findings []Finding
}

// Errors counts the findings that are errors.
func (r *Result) Errors() int { return r.count(importer.SeverityError) }

// Warnings counts the findings that are warnings.
func (r *Result) Warnings() int { return r.count(importer.SeverityWarning) }

func (r *Result) count(sev string) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == sev {
			n++
		}
	}
	return n
}

// FirstError is the first error, or nil.
func (r *Result) FirstError() *Finding {
	for i := range r.Findings {
		if r.Findings[i].Severity == importer.SeverityError {
			return &r.Findings[i]
		}
	}
	return nil
}

// Audit imports data and checks it. The error is for a source that cannot
// be read at all (an unknown kind, a scanned PDF); everything wrong with a
// report that can be read is a finding.
func Audit(ctx context.Context, data []byte, opt Options) (*Result, error) {
	imp, err := importer.Import(ctx, data, importer.Options{Kind: opt.Kind})
	if err != nil {
		return nil, err
	}
	res := &Result{Kind: imp.Kind, Format: imp.Format}
	for _, p := range imp.Problems {
		res.Findings = append(res.Findings, Finding{Problem: p})
	}
	r := imp.Report
	if r == nil && imp.JSON != nil {
		// The import failed on the decoder's problems (a failed 勾稽
		// check is an error there): read the report as published, checks
		// as warnings, to compare its prose with its tables all the same.
		// Its problems are already listed.
		r, _, _ = templates.Decode(imp.JSON, report.Options{ChecksWarn: true, Draft: true})
	}
	if r != nil {
		res.Agency, res.Year = r.Agency, r.Year
		if res.Format == "" && r.Format != nil {
			res.Format = r.Format.ID
		}
		res.Findings = append(res.Findings, TextAgainstTables(r)...)
	}
	// Errors first, each kind in the order found (the importer lists its
	// problems in document order; the text findings follow the prose).
	slices.SortStableFunc(res.Findings, func(a, b Finding) int {
		return severityRank(a.Severity) - severityRank(b.Severity)
	})
	return res, nil
}

func severityRank(s string) int {
	if s == importer.SeverityError {
		return 0
	}
	return 1
}

// figureCells are the cells each figure is, by format-independent
// pointers: a format without one of them has nothing to compare with.
var figureCells = map[Figure][]string{
	NewRequests:    {"/applications/new_requests/total"},
	CarriedOver:    {"/applications/carried_over/total"},
	CarriedForward: {"/applications/carried_forward/total"},
	Reviews:        {"/reviews_and_litigation/administrative_review/total"},
	Lawsuits:       {"/reviews_and_litigation/litigation_direct/total", "/reviews_and_litigation/litigation_after_review/total"},
}

// figureNames name a figure in messages, English and Chinese.
var figureNames = map[Figure][2]string{
	NewRequests:    {"new applications", "本年新收政府信息公开申请"},
	CarriedOver:    {"applications carried over from last year", "上年结转政府信息公开申请"},
	CarriedForward: {"applications carried forward to next year", "结转下年度继续办理"},
	Reviews:        {"administrative reviews", "行政复议"},
	Lawsuits:       {"lawsuits", "行政诉讼"},
}

// TextAgainstTables compares the figures r's prose states with its
// tables: a finding (an error, code text_table) for each disagreement, at
// the paragraph's pointer, quoting the sentence.
func TextAgainstTables(r *report.Report) []Finding {
	var out []Finding
	for _, ptr := range textPointers(r) {
		for _, b := range r.Blocks(ptr) {
			for i, para := range b.Paragraphs {
				for _, st := range Scan(para) {
					if f, ok := compare(r, st, b.ParagraphPointer(i)); ok {
						out = append(out, f)
					}
				}
			}
		}
	}
	return out
}

// textPointers lists the report's text sections in print order: the
// preamble, the numbered sections' blocks and the notes before tables.
func textPointers(r *report.Report) []string {
	f := r.Format
	var out []string
	if f.Preamble != "" {
		out = append(out, "/"+f.Preamble)
	}
	for _, s := range f.Sections {
		switch {
		case s.Blocks != "":
			out = append(out, "/"+s.Blocks)
		case s.Notes != "":
			out = append(out, s.Notes)
		}
	}
	return out
}

func compare(r *report.Report, st Statement, paragraph string) (Finding, bool) {
	cells := figureCells[st.Figure]
	var sum int64
	for _, c := range cells {
		v, ok := r.Cell(c)
		if !ok || v.Null {
			return Finding{}, false // the format has no such cell, or it is not applicable
		}
		sum += v.Int
	}
	if sum == st.Value {
		return Finding{}, false
	}
	name := figureNames[st.Figure]
	table, zhTable := tableName(r, cells[0])
	quote := clip(st.Sentence, 120)
	cellList := strings.Join(cells, " + ")
	f := Finding{
		Problem: importer.Problem{
			Problem: report.Problem{
				Pointer: paragraph,
				Code:    CodeTextTable,
				// The sentence is quoted once, in the Chinese message
				// (String prints both); Text holds it whole.
				Message: fmt.Sprintf("the text states %d %s; %s has %d (%s)",
					st.Value, name[0], table, sum, cellList),
				MessageZh: fmt.Sprintf("正文称%s%d件（“%s”），%s为%d件（%s）",
					name[1], st.Value, quote, zhTable, sum, cellList),
			},
			Severity: importer.SeverityError,
		},
		Text: &TextMismatch{Sentence: st.Sentence, Cells: cells, Stated: st.Value, Table: sum},
	}
	return f, true
}

// tableName names the table a cell is in: table 三 / 表三.
func tableName(r *report.Report, cell string) (en, zh string) {
	if t, _ := r.Format.Bound(cell); t != nil {
		return "table " + t.Number, "表" + t.Number
	}
	return "the table", "表格"
}

// clip shortens a long sentence for a message; the finding's Text keeps
// it whole.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
