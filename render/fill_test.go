package render

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// TestPagesFill moves every test report's blocks down the page a line at
// a time (0 … 21 one-line paragraphs after the title), so that every
// table and heading meets every page foot, and checks that no page but
// the last ends more than two-fifths empty (but a landscape page and the
// page before it: issue 22), or on a heading or a table's note without
// what follows it.
func TestPagesFill(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	st := layout.DefaultStyle()
	for _, file := range pdfcheck.ValidReports(t, "..") {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		r, f, err := templates.Decode(data, report.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		doc, err := f.Build(r, templates.BuildOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for k := range 22 {
			d := *doc
			d.Blocks = append([]layout.Block{doc.Blocks[0]}, make([]layout.Block, k)...)
			for i := range k {
				d.Blocks[1+i] = &layout.Paragraph{Runs: []layout.Run{{Text: "一行。", Role: fonts.RoleBody}}, Pointer: "/pad"}
			}
			d.Blocks = append(d.Blocks, doc.Blocks[1:]...)
			c, err := layout.Compose(context.Background(), &d, set, st)
			if err != nil {
				t.Fatal(err)
			}
			first := func(p layout.Page) layout.Part {
				top, part := math.Inf(1), layout.Part{}
				for _, it := range p.Items {
					if it.Kind == layout.ItemText && it.Box != "page-number" && it.Y < top {
						top, part = it.Y, it.Part
					}
				}
				return part
			}
			for i, p := range c.Pages[:len(c.Pages)-1] {
				low, lowText, last := 0.0, 0.0, layout.Part{}
				for _, it := range p.Items {
					if it.Box == "page-number" {
						continue
					}
					if it.Y >= lowText && it.Kind == layout.ItemText {
						lowText, last = it.Y, it.Part
					}
					low = max(low, it.Y, it.Y2)
				}
				// A heading, or a table's note, never ends a page
				// without what follows it (issue 22).
				if last.Kind == layout.PartHeading {
					t.Errorf("%s with %d lines more: page %d of %d ends on a heading", filepath.Base(file), k, p.Number, len(c.Pages))
				}
				if last.Kind == layout.PartParagraph && int(last.Block)+1 < len(d.Blocks) {
					if _, ok := d.Blocks[last.Block+1].(*layout.Table); ok && first(c.Pages[i+1]).Block == last.Block+1 {
						t.Errorf("%s with %d lines more: page %d of %d ends on the note of a table", filepath.Base(file), k, p.Number, len(c.Pages))
					}
				}
				// A landscape page of a wide table ends where the table
				// does, and the page before it where the turn is.
				turn := p.Landscape() || c.Pages[i+1].Landscape()
				if empty := (st.Top + st.BodyHeight - low) / st.BodyHeight; empty > 0.4 && !turn {
					t.Errorf("%s with %d lines more: page %d of %d ends %.0f%% empty", filepath.Base(file), k, p.Number, len(c.Pages), 100*empty)
				}
			}
		}
	}
}
