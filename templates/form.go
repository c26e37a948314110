package templates

import (
	"strings"

	"github.com/govreport/govreport/report"
)

// Form is what a page needs to build the form of a format without knowing
// the format: the sections in order, every field that is not a table cell
// (with its kind and limits), the table grids with each data cell's
// pointer, kind and accessible name, and the 勾稽 rules, so that a page can
// show a total left empty as computed and name the cells it comes from.
// It is derived from the same file as the validator and the schema; the
// server serves it at /v1/formats/{id}/form.
type Form struct {
	ID     string       `json:"id"`
	Title  string       `json:"title"`
	Source string       `json:"source"`
	Years  report.Years `json:"years"`
	// TitleTemplate is the title of a report that gives none
	// ({agency}{year}年…).
	TitleTemplate string              `json:"title_template"`
	Placeholders  report.Placeholders `json:"placeholders"`
	// Preamble is the key of the blocks before 一, if any.
	Preamble string           `json:"preamble,omitempty"`
	Sections []report.Section `json:"sections"`
	// Fields are the values that are not table cells, in the contract's
	// order (objects left out: their fields are listed).
	Fields []FormField `json:"fields"`
	Tables []FormTable `json:"tables"`
	Rules  []FormRule  `json:"rules"`
}

// FormField is one value of the contract that is not a table cell.
type FormField struct {
	Pointer     string `json:"pointer"`
	Kind        string `json:"kind"` // string, format, year, date, blocks, bool
	Required    bool   `json:"required,omitempty"`
	Role        string `json:"role,omitempty"`
	MaxLen      int    `json:"max_len,omitempty"`
	MinItems    int    `json:"min_items,omitempty"`
	Description string `json:"description,omitempty"`
}

// FormTable is a table's grid: its rows of cells, with the positions a
// span covers left out, as the format file writes them.
type FormTable struct {
	ID         string       `json:"id"`
	Number     string       `json:"number"`
	Name       string       `json:"name"`
	Caption    string       `json:"caption"` // 表三 收到和处理政府信息公开申请情况
	Columns    int          `json:"columns"`
	HeaderRows int          `json:"header_rows"`
	Widths     []float64    `json:"widths,omitempty"`
	Rows       [][]FormCell `json:"rows"`
}

// FormCell is a label (Text) or a data cell (Pointer).
type FormCell struct {
	Text string `json:"text,omitempty"`
	// Breaks are where the label's lines may break, in characters.
	Breaks []int  `json:"breaks,omitempty"`
	Role   string `json:"role,omitempty"` // section or header
	Row    int    `json:"row"`
	Col    int    `json:"col"`
	CS     int    `json:"cs"`
	RS     int    `json:"rs"`

	Pointer  string `json:"pointer,omitempty"`
	Kind     string `json:"kind,omitempty"` // count, change or amount
	Required bool   `json:"required,omitempty"`
	Computed bool   `json:"computed,omitempty"`
	Nullable bool   `json:"nullable,omitempty"`
	Places   int    `json:"places,omitempty"`
	// Label is the data cell's accessible name: its row labels, then its
	// column labels (（三）不予公开 1.属于国家秘密 · 自然人).
	Label string `json:"label,omitempty"`
}

// FormRule is a 勾稽 rule: Target should be Σ Plus − Σ Minus; with
// Computes, a target left out is computed so.
type FormRule struct {
	Target   string   `json:"target"`
	Plus     []string `json:"plus"`
	Minus    []string `json:"minus,omitempty"`
	WhyZh    string   `json:"why_zh"`
	Computes bool     `json:"computes,omitempty"`
}

var kindNames = map[report.Kind]string{
	report.KindObject: "object", report.KindString: "string", report.KindFormat: "format",
	report.KindYear: "year", report.KindDate: "date", report.KindBlocks: "blocks",
	report.KindCount: "count", report.KindDecimal: "amount", report.KindBool: "bool",
	report.KindChange: "change", report.KindParagraphs: "paragraphs",
}

// Form returns the format's form description.
func (f *Format) Form() *Form {
	out := &Form{
		ID: f.ID, Title: f.Title, Source: f.Source, Years: f.Years,
		TitleTemplate: f.Names.Title, Placeholders: f.Placeholders,
		Preamble: f.Preamble, Sections: f.Sections,
		Fields: []FormField{}, Tables: []FormTable{}, Rules: []FormRule{},
	}
	cells := map[string]report.Field{}
	var walk func(prefix string, n *report.Node)
	walk = func(prefix string, n *report.Node) {
		for _, fd := range n.Fields {
			p := prefix + "/" + fd.Name
			switch {
			case fd.Node.Kind == report.KindObject:
				walk(p, fd.Node)
			case fd.Node.IsCell():
				cells[p] = fd
			default:
				out.Fields = append(out.Fields, FormField{Pointer: p, Kind: kindNames[fd.Node.Kind], Required: fd.Required,
					Role: fd.Node.Role, MaxLen: fd.Node.MaxLen, MinItems: fd.Node.MinItems, Description: fd.Node.Description})
			}
		}
	}
	walk("", f.Root())
	for _, t := range f.Tables {
		ft := FormTable{ID: t.ID, Number: t.Number, Name: t.Name, Caption: f.Names.TablePrefix + t.Number + " " + t.Name,
			Columns: t.Columns, HeaderRows: t.HeaderRows, Widths: t.Widths, Rows: make([][]FormCell, len(t.Rows))}
		for i, row := range t.Rows {
			ft.Rows[i] = []FormCell{}
			for _, c := range row.Cells {
				cs, rs := c.Span()
				fc := FormCell{Text: c.Text, Breaks: c.Breaks, Role: c.Role, Row: c.Row, Col: c.Col, CS: cs, RS: rs}
				if c.IsData() {
					fd := cells[c.Bind]
					fc.Pointer, fc.Required, fc.Computed = c.Bind, fd.Required, fd.Computed
					if fd.Node != nil {
						fc.Kind, fc.Nullable, fc.Places = kindNames[fd.Node.Kind], fd.Node.Nullable, fd.Node.Places
					}
					fc.Label = cellName(t, c)
				}
				ft.Rows[i] = append(ft.Rows[i], fc)
			}
		}
		out.Tables = append(out.Tables, ft)
	}
	for _, r := range f.Rules() {
		out.Rules = append(out.Rules, FormRule{Target: r.Target, Plus: r.Plus, Minus: r.Minus, WhyZh: r.WhyZh, Computes: r.Computes})
	}
	return out
}

// cellName is a data cell's accessible name from the labels of its grid:
// the two nearest labels to its left (past the data cells beside it) (（三）不予公开 1.属于国家秘密), then
// " · ", then the labels above it up to the data above them (法人或其他组织
// 商业企业), outer first. A label over every data column (申请人情况, a
// 条例 item's heading) is left out once a narrower one names the column:
// it says nothing that tells the cells apart. A table without row labels
// (table 四) is named by its column labels alone.
func cellName(t *report.Table, c *report.Cell) string {
	lo, hi := t.Columns, -1
	for _, row := range t.Rows {
		for _, d := range row.Cells {
			if d.IsData() {
				cs, _ := d.Span()
				lo, hi = min(lo, d.Col), max(hi, d.Col+cs-1)
			}
		}
	}
	var rowLabels []string
	for col := c.Col - 1; col >= 0 && len(rowLabels) < 2; col-- {
		l := t.At(c.Row, col)
		if l == nil {
			continue
		}
		if l.IsData() {
			if len(rowLabels) > 0 {
				break
			}
			continue
		}
		rowLabels = append([]string{l.Text}, rowLabels...)
		col = l.Col
	}
	var colLabels []string
	for r := c.Row - 1; r >= 0; r-- {
		l := t.At(r, c.Col)
		if l == nil {
			continue
		}
		if l.IsData() {
			if len(colLabels) > 0 {
				break
			}
			continue
		}
		cs, _ := l.Span()
		if !(len(colLabels) > 0 && l.Col <= lo && l.Col+cs-1 >= hi) {
			colLabels = append([]string{l.Text}, colLabels...)
		}
		r = l.Row
	}
	name := strings.Join(rowLabels, " ")
	if name != "" && len(colLabels) > 0 {
		name += " · "
	}
	return name + strings.Join(colLabels, " ")
}
