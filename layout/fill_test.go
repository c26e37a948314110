package layout

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// TestNoOneCharacterLastLine: a paragraph one character over its last
// full line brings a character down rather than end on a line of one.
func TestNoOneCharacterLastLine(t *testing.T) {
	for _, extra := range []int{1, 2} {
		text := strings.Repeat("政", 26+28+extra) + "。"
		got := lines(paginate(t, para(text)), "paragraph")
		last := []rune(got[len(got)-1])
		if len(last) < 3 { // two characters and the full stop
			t.Errorf("%d over: last line %q of %q", extra, string(last), got)
		}
		if strings.Join(got, "") != text {
			t.Errorf("lines %q lose text", got)
		}
	}
}

// countsTable is a one-row table of n columns of counts under labels.
func countsTable(n int, count string) *Table {
	tb := &Table{Name: "表四", Columns: n, Rows: 2, HeaderRows: 1}
	for c := range n {
		tb.Cells = append(tb.Cells,
			Cell{Row: 0, Col: c, RowSpan: 1, ColSpan: 1, Text: "结果维持"},
			Cell{Row: 1, Col: c, RowSpan: 1, ColSpan: 1, Text: count, Kind: CellData})
	}
	return tb
}

// TestCountsNeverWrap: counts too wide for 小四 in 15 columns, 1.5 mm
// from the rules, step the whole table down to a size where every count
// is one line; below 小五 the table turns to a landscape page and steps
// down there (issue 22). The room for an office program's substitute
// digits (Style.CountDigit) does not step it down further.
func TestCountsNeverWrap(t *testing.T) {
	own := DefaultStyle()
	own.CountDigit = 0
	for _, tt := range []struct {
		count     string
		size      float64
		landscape bool
		style     Style
	}{
		{"123", 12, false, DefaultStyle()}, {"1234", 9, false, DefaultStyle()},
		{"12345", 12, true, DefaultStyle()}, {"123456", 10.5, true, DefaultStyle()}, {"12345678", 9, true, DefaultStyle()},
		{"123", 12, false, own}, {"1234", 9, false, own}, {"12345", 12, true, own}, {"123456", 10.5, true, own},
	} {
		tb := countsTable(15, tt.count)
		c, err := Compose(context.Background(), &Document{Blocks: []Block{tb}}, faces(t), tt.style)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Tables[tb].Size; got != tt.size {
			t.Errorf("%s: table set at %v pt, want %v", tt.count, got, tt.size)
		}
		if got := c.Tables[tb].Landscape; got != tt.landscape || len(c.Pages) != 1 || c.Pages[0].Landscape() != tt.landscape {
			t.Errorf("%s: landscape %v on %d pages (the first landscape: %v), want %v on one", tt.count, got, len(c.Pages), c.Pages[0].Landscape(), tt.landscape)
		}
		for col := 1; col <= 15; col++ {
			box := "表四 r2c" + strconv.Itoa(col)
			var items []Item
			for _, it := range c.Pages[0].Items {
				if it.Kind == ItemText && it.Box == box {
					items = append(items, it)
				}
			}
			if len(items) != 1 || items[0].Text != tt.count || items[0].Size != tt.size {
				t.Errorf("%s: column %d printed as %+v", tt.count, col, items)
				break
			}
		}
	}
}

// TestCountRoom: a table's count columns take the room of substitute
// digits (Style.CountDigit) at the largest size that leaves it, and say
// so (TableSet.CountDigit); where no size does, the table keeps the size
// its counts fit in their own digits and says 0.
func TestCountRoom(t *testing.T) {
	st := DefaultStyle()
	for _, tt := range []struct {
		columns int
		count   string
		digit   float64
	}{
		{8, "1234", st.CountDigit}, {15, "12345", 0}, {15, "12", st.CountDigit},
	} {
		tb := countsTable(tt.columns, tt.count)
		c, err := Compose(context.Background(), &Document{Blocks: []Block{tb}}, faces(t), st)
		if err != nil {
			t.Fatal(err)
		}
		ts := c.Tables[tb]
		if ts.CountDigit != tt.digit {
			t.Errorf("%d columns of %s: CountDigit %v, want %v", tt.columns, tt.count, ts.CountDigit, tt.digit)
		}
		if tt.digit > 0 {
			need := float64(len(tt.count))*tt.digit*ts.Size + 2*st.CellPadX
			for i, w := range ts.Widths {
				if w < need {
					t.Errorf("%d columns of %s: column %d is %.2f pt, the substitute digits need %.2f", tt.columns, tt.count, i+1, w, need)
				}
			}
		}
	}
}

// blocksTable is a 表二-like table: blocks of a section row, a label row
// and data rows.
func blocksTable(blocks, rows int) *Table {
	tb := &Table{Name: "表二", Columns: 2}
	r := 0
	for b := range blocks {
		tb.Cells = append(tb.Cells, Cell{Row: r, Col: 0, RowSpan: 1, ColSpan: 2, Text: fmt.Sprintf("第二十条第（%d）项", b+1), Kind: CellSection})
		tb.Cells = append(tb.Cells, Cell{Row: r + 1, Col: 0, RowSpan: 1, ColSpan: 1, Text: "信息内容"}, Cell{Row: r + 1, Col: 1, RowSpan: 1, ColSpan: 1, Text: "本年处理决定数量"})
		r += 2
		for range rows {
			tb.Cells = append(tb.Cells, Cell{Row: r, Col: 0, RowSpan: 1, ColSpan: 1, Text: "行政许可"}, Cell{Row: r, Col: 1, RowSpan: 1, ColSpan: 1, Text: "12", Kind: CellData})
			r++
		}
	}
	tb.Rows = r
	return tb
}

// TestTableBreaksBetweenBlocks: a table of blocks that does not fit the
// rest of the page starts there and breaks before a block, never inside.
func TestTableBreaksBetweenBlocks(t *testing.T) {
	var blocks []Block
	for range 12 {
		blocks = append(blocks, para("一行。"))
	}
	tb := blocksTable(4, 3)
	blocks = append(blocks, tb)
	pages := paginate(t, blocks...)
	if len(pages) != 2 {
		t.Fatalf("%d pages", len(pages))
	}
	rowsOn := func(p Page) map[int]bool {
		out := map[int]bool{}
		for _, it := range p.Items {
			var r, c int
			if _, err := fmt.Sscanf(it.Box, "表二 r%dc%d", &r, &c); err == nil {
				out[r] = true
			}
		}
		return out
	}
	first, second := rowsOn(pages[0]), rowsOn(pages[1])
	if len(first) == 0 {
		t.Fatal("the table left page 1 whole, though its first blocks fit")
	}
	// The second page starts with a section row (rows 1, 6, 11, 16).
	lo := 1 << 30
	for r := range second {
		lo = min(lo, r)
		if first[r] {
			t.Errorf("row %d on both pages", r)
		}
	}
	if (lo-1)%5 != 0 {
		t.Errorf("page 2 starts at row %d, inside a block", lo)
	}
}

// TestLabelKeepsMarksTogether: beside wide counts, a label column still
// holds （五） on one line unsqueezed, so no reader of the DOCX starts a line
// with ）.
func TestLabelKeepsMarksTogether(t *testing.T) {
	tb := &Table{Name: "表三", Columns: 8, Rows: 2, HeaderRows: 1, Widths: []float64{1, 10, 10, 10, 10, 10, 10, 10}}
	for c := range 8 {
		tb.Cells = append(tb.Cells, Cell{Row: 0, Col: c, RowSpan: 1, ColSpan: 1, Text: "自然人"})
		text, kind := "1234567", CellData
		if c == 0 {
			text, kind = "（五）不予处理", CellLabel
		}
		tb.Cells = append(tb.Cells, Cell{Row: 1, Col: c, RowSpan: 1, ColSpan: 1, Text: text, Kind: kind})
	}
	c, err := Compose(context.Background(), &Document{Blocks: []Block{tb}}, faces(t), DefaultStyle())
	if err != nil {
		t.Fatal(err)
	}
	ts := c.Tables[tb]
	if need := 3*ts.Size + 2*DefaultStyle().CellPadX; ts.Widths[0] < need-0.01 {
		t.Errorf("label column %.1f pt, narrower than （五） (%.1f pt) at %v pt", ts.Widths[0], need, ts.Size)
	}
	for _, ln := range lines(c.Pages, "表三 r2c1") {
		if strings.HasPrefix(ln, "）") {
			t.Errorf("a label line starts with ）: %q", ln)
		}
	}
}
