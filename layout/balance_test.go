package layout

import (
	"context"
	"strings"
	"testing"

	"github.com/govreport/govreport/fonts"
)

// setLabel breaks a label at 12 pt in a cell of chars characters as a
// table does, and returns its lines.
func setLabel(t *testing.T, text string, breaks []int, chars float64) (greedy, balanced []string) {
	t.Helper()
	ts := &typesetter{fonts: faces(t), style: DefaultStyle()}
	gs, starts, err := ts.shape([]Run{{Text: text, Role: fonts.RoleBody}}, 12, "label")
	if err != nil {
		t.Fatal(err)
	}
	avail := chars * 12
	us, lines, err := breakLines(context.Background(), gs, units(gs, starts, 0), avail, avail, 0.5, false)
	if err != nil {
		t.Fatal(err)
	}
	s := &setText{gs: gs, us: us}
	for _, ln := range lines {
		greedy = append(greedy, s.text(ln))
	}
	bl := balanceLabel(gs, us, avail, 0.5, len(lines), breaks)
	if bl == nil {
		t.Fatalf("%q: no balanced break", text)
	}
	for _, ln := range bl {
		balanced = append(balanced, s.text(ln))
	}
	return greedy, balanced
}

// TestBalancedLabels checks the labels: as many lines as filling
// each line needs, even, between the words the format marks, never a last
// line of one character.
func TestBalancedLabels(t *testing.T) {
	tests := []struct {
		text   string
		breaks []int
		chars  float64
		want   string
	}{
		{"5.属于三类内部事务信息", []int{4, 6, 8, 10}, 10.5, "5.属于三类|内部事务信息"},
		{"3.补正后申请内容仍不明确", []int{5, 7, 9, 11}, 10.6, "3.补正后申请|内容仍不明确"},
		{"（三）不予公开", []int{3, 5}, 4, "（三）|不予公开"},
		{"结果维持", []int{2}, 3, "结果|维持"},
		{"商业企业", []int{2}, 3, "商业|企业"},
		{"自然人", nil, 2, "自|然人"},
		// A word wider than the cell is split, still no one-character last line.
		{"社会公益组织", []int{2, 4}, 3, "社会公|益组织"},
		{"2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", []int{5, 7, 9, 11, 13, 15, 17, 20, 22, 24, 26, 28, 29, 31, 33, 35}, 10.6,
			"2.申请人逾期未按收费|通知要求缴纳费用、|行政机关不再处理|其政府信息公开申请"},
	}
	for _, tt := range tests {
		greedy, got := setLabel(t, tt.text, tt.breaks, tt.chars)
		if strings.Join(got, "|") != tt.want {
			t.Errorf("%q in %.1f characters: %q (filled: %q), want %q", tt.text, tt.chars, got, greedy, tt.want)
		}
		if len(got) != len(greedy) {
			t.Errorf("%q: %d lines, filling needs %d", tt.text, len(got), len(greedy))
		}
	}
}

// TestCountMargin: a count keeps 1.5 mm from each rule of its cell when
// the table's size allows it, even beside a label column the format makes
// wide (the counts sat 0.7 mm from the rules), and the margin never steps
// a table down a size (TestCountsNeverWrap keeps its sizes).
func TestCountMargin(t *testing.T) {
	tb := &Table{Name: "表三", Columns: 6, Rows: 2, HeaderRows: 1, Widths: []float64{20, 1, 1, 1, 1, 1}}
	for c := range 6 {
		tb.Cells = append(tb.Cells, Cell{Row: 0, Col: c, RowSpan: 1, ColSpan: 1, Text: "结果维持"})
		if c == 0 {
			tb.Cells = append(tb.Cells, Cell{Row: 1, Col: 0, RowSpan: 1, ColSpan: 1, Text: "行政事业性收费"})
		} else {
			tb.Cells = append(tb.Cells, Cell{Row: 1, Col: c, RowSpan: 1, ColSpan: 1, Text: "1234567", Kind: CellData})
		}
	}
	c, err := Compose(context.Background(), &Document{Blocks: []Block{tb}}, faces(t), DefaultStyle())
	if err != nil {
		t.Fatal(err)
	}
	ts := c.Tables[tb]
	ty := &typesetter{fonts: faces(t), style: DefaultStyle()}
	count := ty.textWidth("1234567", fonts.RoleBody, ts.Size)
	if ts.Size != 12 {
		t.Errorf("set at %v pt, want 12", ts.Size)
	}
	for col := 1; col < 6; col++ {
		if m := (ts.Widths[col] - count) / 2; m < mm(1.5)-0.01 {
			t.Errorf("column %d: the count %.2f mm from the rules, want 1.5", col, m*25.4/72)
		}
	}
}
