// Package templates owns the official report formats as data files (one per
// format, embedded) and everything derived from them: the table grids with
// their labels, spans, header rows and data bindings; the labels that name
// cells in check messages; the JSON Schema of a format's report; and the
// builder from a validated report to a layout document.
//
// No table structure lives in Go code: adding a format is adding a file.
package templates

import (
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/govreport/govreport/report"
)

var _ report.Labeler = (*Format)(nil)

//go:embed formats/*.json
var formatFiles embed.FS

// Format is one official report format.
type Format struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Source   string    `json:"source"` // the notice that issued it
	Issued   string    `json:"issued"`
	Sections []Section `json:"sections"`
	Tables   []*Table  `json:"tables"`

	cells map[string]*Cell // data cells by bound pointer
}

// Section is one numbered section of the report: prose from the report's
// blocks, or a table.
type Section struct {
	Number  string `json:"number"`           // 一
	Heading string `json:"heading"`          // 一、总体情况
	Blocks  string `json:"blocks,omitempty"` // contract key of the prose
	Table   string `json:"table,omitempty"`  // table id
}

// Table is an official table as a grid of cells.
type Table struct {
	ID      string `json:"id"`     // contract key: applications
	Number  string `json:"number"` // 三
	Name    string `json:"name"`   // 收到和处理政府信息公开申请情况
	Columns int    `json:"columns"`
	// HeaderRows is how many leading rows repeat at the top of each page
	// the table continues on.
	HeaderRows int `json:"header_rows"`
	// Widths are relative column widths (any unit); empty means equal.
	Widths []float64 `json:"widths,omitempty"`
	Rows   []Row     `json:"rows"`
}

// Row is one grid row: its cells, left to right, leaving out the positions
// covered by a span from an earlier row.
type Row struct {
	// Bind is a pointer prefix for the row's data cells.
	Bind  string  `json:"bind,omitempty"`
	Cells []*Cell `json:"cells"`
}

// Cell is a label (Text) or a data cell (Bind).
type Cell struct {
	Text string `json:"text,omitempty"`
	// Bind is the data cell's JSON pointer into the report; relative in the
	// file (joined to the row's Bind), absolute once loaded.
	Bind string `json:"bind,omitempty"`
	CS   int    `json:"cs,omitempty"` // colspan, default 1
	RS   int    `json:"rs,omitempty"` // rowspan, default 1
	// Role is "section" for a row naming a 条例 item, "header" for a column
	// heading row inside the body; empty for plain labels and data.
	Role string `json:"role,omitempty"`

	Row, Col int `json:"-"` // position in the grid, from 0
}

// Span returns the cell's column and row span (at least 1).
func (c *Cell) Span() (cols, rows int) { return max(c.CS, 1), max(c.RS, 1) }

// IsData reports whether the cell holds a report value.
func (c *Cell) IsData() bool { return c.Bind != "" }

var (
	loadOnce sync.Once
	formats  map[string]*Format
	loadErr  error
)

// Formats returns every embedded format, sorted by id. The files are parsed
// and checked once per process.
func Formats() ([]*Format, error) {
	loadOnce.Do(func() { formats, loadErr = loadAll() })
	if loadErr != nil {
		return nil, loadErr
	}
	out := make([]*Format, 0, len(formats))
	for _, f := range formats {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Lookup returns the format with the given id.
func Lookup(id string) (*Format, error) {
	all, err := Formats()
	if err != nil {
		return nil, err
	}
	for _, f := range all {
		if f.ID == id {
			return f, nil
		}
	}
	return nil, fmt.Errorf("templates: unknown format %q", id)
}

func loadAll() (map[string]*Format, error) {
	entries, err := formatFiles.ReadDir("formats")
	if err != nil {
		return nil, err
	}
	out := map[string]*Format{}
	for _, e := range entries {
		data, err := formatFiles.ReadFile(path.Join("formats", e.Name()))
		if err != nil {
			return nil, err
		}
		f, err := parseFormat(data)
		if err != nil {
			return nil, fmt.Errorf("templates: %s: %w", e.Name(), err)
		}
		out[f.ID] = f
	}
	return out, nil
}

// parseFormat decodes a format file and checks its grids.
func parseFormat(data []byte) (*Format, error) {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	var f Format
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	f.cells = map[string]*Cell{}
	for _, t := range f.Tables {
		if err := t.layoutGrid(); err != nil {
			return nil, fmt.Errorf("table %s: %w", t.Number, err)
		}
		for _, r := range t.Rows {
			for _, c := range r.Cells {
				if !c.IsData() {
					continue
				}
				if _, dup := f.cells[c.Bind]; dup {
					return nil, fmt.Errorf("table %s: %s is bound twice", t.Number, c.Bind)
				}
				f.cells[c.Bind] = c
			}
		}
	}
	for _, s := range f.Sections {
		if (s.Blocks == "") == (s.Table == "") {
			return nil, fmt.Errorf("section %s: needs exactly one of blocks and table", s.Number)
		}
		if s.Table != "" && f.Table(s.Table) == nil {
			return nil, fmt.Errorf("section %s: no table %q", s.Number, s.Table)
		}
	}
	return &f, nil
}

// layoutGrid places every cell in the grid, resolves relative bindings,
// and checks that the spans tile the grid exactly.
func (t *Table) layoutGrid() error {
	if t.Columns <= 0 {
		return fmt.Errorf("columns must be positive")
	}
	if len(t.Widths) != 0 && len(t.Widths) != t.Columns {
		return fmt.Errorf("%d widths for %d columns", len(t.Widths), t.Columns)
	}
	taken := make([][]bool, len(t.Rows))
	for i := range taken {
		taken[i] = make([]bool, t.Columns)
	}
	for r, row := range t.Rows {
		col := 0
		for _, c := range row.Cells {
			if (c.Text == "") == (c.Bind == "") {
				return fmt.Errorf("row %d: a cell needs exactly one of text and bind", r+1)
			}
			if c.Bind != "" && !strings.HasPrefix(c.Bind, "/") {
				if row.Bind == "" {
					return fmt.Errorf("row %d: relative bind %q without a row bind", r+1, c.Bind)
				}
				c.Bind = row.Bind + "/" + c.Bind
			}
			for col < t.Columns && taken[r][col] {
				col++
			}
			cs, rs := c.Span()
			if col+cs > t.Columns || r+rs > len(t.Rows) {
				return fmt.Errorf("row %d: cell %q overflows the grid", r+1, c.Text+c.Bind)
			}
			for dr := 0; dr < rs; dr++ {
				for dc := 0; dc < cs; dc++ {
					if taken[r+dr][col+dc] {
						return fmt.Errorf("row %d: cell %q overlaps another", r+1, c.Text+c.Bind)
					}
					taken[r+dr][col+dc] = true
				}
			}
			c.Row, c.Col = r, col
			col += cs
		}
		for c := 0; c < t.Columns; c++ {
			if !taken[r][c] {
				return fmt.Errorf("row %d: column %d is not covered", r+1, c+1)
			}
		}
	}
	return nil
}

// Table returns the table with the given id, or nil.
func (f *Format) Table(id string) *Table {
	for _, t := range f.Tables {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// Bound returns the data cell bound to pointer, and its table.
func (f *Format) Bound(pointer string) (*Table, *Cell) {
	c, ok := f.cells[pointer]
	if !ok {
		return nil, nil
	}
	for _, t := range f.Tables {
		for _, r := range t.Rows {
			for _, rc := range r.Cells {
				if rc == c {
					return t, c
				}
			}
		}
	}
	return nil, nil
}

// Bindings returns every bound pointer, sorted.
func (f *Format) Bindings() []string {
	out := make([]string, 0, len(f.cells))
	for p := range f.cells {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// at returns the cell covering grid position (row, col), or nil.
func (t *Table) at(row, col int) *Cell {
	for r := row; r >= 0; r-- {
		for _, c := range t.Rows[r].Cells {
			cs, rs := c.Span()
			if c.Row <= row && row < c.Row+rs && c.Col <= col && col < c.Col+cs {
				return c
			}
		}
	}
	return nil
}

// CellLabel names a data cell by the official labels: the table (表三), the
// nearest label to its left (the row), and the nearest label above it (the
// column). A row with no label of its own (table 四) is named by the
// column group above the column label. It implements report.Labeler.
func (f *Format) CellLabel(pointer string) (table, row, column string) {
	t, c := f.Bound(pointer)
	if c == nil {
		return pointer, "", "" // not a table cell of this format
	}
	table = "表" + t.Number
	for col := c.Col - 1; col >= 0; col-- {
		if l := t.at(c.Row, col); l != nil && !l.IsData() {
			row = l.Text
			break
		}
	}
	var colCell *Cell
	for r := c.Row - 1; r >= 0; r-- {
		if l := t.at(r, c.Col); l != nil && !l.IsData() {
			colCell = l
			break
		}
	}
	if colCell != nil {
		column = colCell.Text
		if row == "" {
			for r := colCell.Row - 1; r >= 0; r-- {
				if l := t.at(r, c.Col); l != nil && !l.IsData() {
					row = l.Text
					break
				}
			}
		}
	}
	return table, row, column
}
