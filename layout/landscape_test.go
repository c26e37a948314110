package layout

import (
	"context"
	"math"
	"strings"
	"testing"
)

// TestLandscapeTable: a table whose counts do not fit a portrait page at
// 小五 turns to a landscape page with the heading that leads into it; the
// text after it starts a portrait page again; the landscape page's number
// runs down its left edge, where the sheet's foot is, 7 mm below the
// turned 版心 and one character in from its end on the odd side (GB/T
// 9704 §10.2); the report's other tables share its size (issue 22).
func TestLandscapeTable(t *testing.T) {
	st := DefaultStyle()
	small := countsTable(6, "12")
	small.Name = "表三"
	wide := countsTable(15, "1234567")
	head := &Heading{Text: "四、政府信息公开行政复议、行政诉讼情况", Level: 1, Pointer: "/h"}
	doc := &Document{Blocks: []Block{para("一行。"), small, para("一行。"), head, wide, para("之后的一段。")}}
	c, err := Compose(context.Background(), doc, faces(t), st)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Tables[wide].Landscape || c.Tables[small].Landscape {
		t.Fatalf("landscape: 表四 %v, 表三 %v; want only 表四", c.Tables[wide].Landscape, c.Tables[small].Landscape)
	}
	if a, b := c.Tables[wide].Size, c.Tables[small].Size; a != b || a < st.MinTableSize {
		t.Errorf("sizes 表四 %v, 表三 %v: want one, at least %v", a, b, st.MinTableSize)
	}
	if len(c.Pages) != 3 {
		t.Fatalf("%d pages, want 3: portrait, landscape, portrait", len(c.Pages))
	}
	land := st.Landscape()
	for i, p := range c.Pages {
		if p.Landscape() != (i == 1) {
			t.Errorf("page %d: landscape %v", p.Number, p.Landscape())
		}
		for _, it := range p.Items {
			switch {
			case i == 1 && strings.HasPrefix(it.Box, "heading"):
				if it.X < land.Left || it.Y > land.Top+land.BodyHeight {
					t.Errorf("heading at (%.1f, %.1f), outside the landscape 版心", it.X, it.Y)
				}
			case i == 1 && it.Kind == ItemLine:
				if it.X < land.Left-0.01 || it.X2 > land.Left+land.BodyWidth+0.01 || it.Y2 > land.Top+land.BodyHeight+0.01 {
					t.Errorf("a rule from (%.1f, %.1f) to (%.1f, %.1f) leaves the landscape 版心", it.X, it.Y, it.X2, it.Y2)
				}
			case i == 2 && strings.HasPrefix(it.Box, "paragraph"):
				if it.Text != "之后的一段。" {
					t.Errorf("page 3 holds %q", it.Text)
				}
			}
		}
	}
	// The page number of page 2 (even): on a portrait page, its line's
	// top 7 mm below the 版心 and its start one character in from the
	// 版心's left; turned, the same spot of the sheet.
	var num []Item
	for _, it := range c.Pages[1].Items {
		if it.Box == "page-number" {
			num = append(num, it)
		}
	}
	if len(num) == 0 {
		t.Fatal("page 2 has no number")
	}
	top := st.Top + st.BodyHeight + st.PageNumGap
	wantX := st.PageHeight - (top + emBaseline*st.PageNumSize)
	wantY := st.Left + st.PageNumSize
	if it := num[0]; it.Rotate != 90 || math.Abs(it.X-wantX) > 0.01 || math.Abs(it.Y-wantY) > 0.01 {
		t.Errorf("page 2's number %q at (%.2f, %.2f) turned %d°, want (%.2f, %.2f) turned 90°", it.Text, it.X, it.Y, it.Rotate, wantX, wantY)
	}
	for _, p := range []Page{c.Pages[0], c.Pages[2]} {
		for _, it := range p.Items {
			if it.Rotate != 0 {
				t.Errorf("page %d: %q turned on a portrait page", p.Number, it.Text)
			}
		}
	}
}
