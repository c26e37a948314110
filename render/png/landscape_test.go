package png

import (
	"bytes"
	"context"
	"testing"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render/pdf"
)

// TestTurnedText: a landscape page's number, turned a quarter clockwise
// (issue 22), is drawn where poppler draws it from our PDF: the page
// number of a landscape page of the layout, down its left edge.
func TestTurnedText(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	// A document of one table too wide for a portrait page at 小五.
	tb := &layout.Table{Name: "表四", Columns: 15, Rows: 2, HeaderRows: 1}
	for c := range 15 {
		tb.Cells = append(tb.Cells,
			layout.Cell{Row: 0, Col: c, RowSpan: 1, ColSpan: 1, Text: "结果维持"},
			layout.Cell{Row: 1, Col: c, RowSpan: 1, ColSpan: 1, Text: "1234567", Kind: layout.CellData})
	}
	doc := &layout.Document{Blocks: []layout.Block{tb}}
	pages, err := layout.Paginate(context.Background(), doc, set, layout.DefaultStyle())
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 || !pages[0].Landscape() {
		t.Fatalf("%d pages, the first landscape: %v; want one landscape page", len(pages), len(pages) > 0 && pages[0].Landscape())
	}
	// The page number alone, so that the comparison is of the turned text.
	p := pages[0]
	var items []layout.Item
	for _, it := range p.Items {
		if it.Box == "page-number" {
			if it.Rotate != 90 {
				t.Fatalf("the page number %q is not turned", it.Text)
			}
			items = append(items, it)
		}
	}
	p.Items = items
	var buf bytes.Buffer
	if err := pdf.Render(context.Background(), &buf, []layout.Page{p}, &layout.Document{}); err != nil {
		t.Fatal(err)
	}
	ours := renderGray(t, p, Options{})
	if w, h := ours.Rect.Dx(), ours.Rect.Dy(); w <= h {
		t.Fatalf("a landscape page drawn %d × %d px", w, h)
	}
	theirs := poppler(t, buf.Bytes(), 1, ours.Rect.Dx(), ours.Rect.Dy())
	ag := compare(ours, theirs)
	t.Logf("%.3f%% of pixels within ±%d; ink agreement %.2f%% (%d ink pixels ours, %d poppler's)", 100*ag.close, tol, 100*ag.ink, ag.inkA, ag.inkB)
	if ag.inkA == 0 || ag.ink < 0.90 {
		t.Errorf("ink agreement %.2f%% (%d ink pixels ours, %d poppler's), want ≥ 90%%", 100*ag.ink, ag.inkA, ag.inkB)
	}
	if moved := compare(shift(ours, 0, 3), theirs); moved.ink >= 0.90 {
		t.Errorf("a 3 px shift along the text still passes (%.2f%%)", 100*moved.ink)
	}
}
