package pdf

import (
	"encoding/xml"
	"math"
	"strings"
	"testing"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
)

// TestLandscapePage: a landscape page of the layout (a table too wide
// for 小五, issue 22) gets a landscape MediaBox, and its page number, turned
// a quarter clockwise, runs down the page's left edge where the layout put
// it, as poppler reads it.
func TestLandscapePage(t *testing.T) {
	s := mustFonts(t)
	body, song := s.Face(fonts.RoleBody), s.Face(fonts.RoleSong)
	num := text("page-number", song, 67, 93, 14, 0, "— 2 —")
	num.Rotate = 90
	pages := []layout.Page{
		{Number: 1, Width: a4W, Height: a4H, Items: []layout.Item{text("p", body, 80, 120, 16, 0, "竖排的一页。")}},
		{Number: 2, Width: a4H, Height: a4W, Items: []layout.Item{text("p", body, 100, 100, 9, 0, "横排的表格"), num}},
	}
	p := writeTemp(t, render(t, pages, testMeta))
	info := tool(t, nil, "pdfinfo", "-f", "1", "-l", "2", p)
	for _, want := range []string{"Page    1 size:  595.28 x 841.89 pts", "Page    2 size:  841.89 x 595.28 pts"} {
		if !strings.Contains(info, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
	var doc struct {
		Pages []struct {
			Words []struct {
				XMin float64 `xml:"xMin,attr"`
				YMin float64 `xml:"yMin,attr"`
				XMax float64 `xml:"xMax,attr"`
				YMax float64 `xml:"yMax,attr"`
				Text string  `xml:",chardata"`
			} `xml:"word"`
		} `xml:"body>doc>page"`
	}
	out := tool(t, nil, "pdftotext", "-bbox", "-f", "2", "-l", "2", p, "-")
	dec := xml.NewDecoder(strings.NewReader(out))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range doc.Pages[0].Words {
		if strings.TrimSpace(w.Text) != "2" {
			continue
		}
		found = true
		// Turned: the digit's box is about as wide as the face is tall
		// from the baseline (x 67 pt) rightwards, and lies below the
		// dash and space before it (y from 93 pt down).
		if w.XMin < 60 || w.XMax > 84 || w.YMin < 93+14 || w.YMax > 93+14*3 || math.Abs(w.XMax-w.XMin) < w.YMax-w.YMin {
			t.Errorf("the page number's digit at x %.1f–%.1f, y %.1f–%.1f: not turned down the left edge", w.XMin, w.XMax, w.YMin, w.YMax)
		}
	}
	if !found {
		t.Errorf("page 2's number not found: %s", out)
	}
}
