package render

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/layout"
)

// TestTextsMatchPages: the roles layout.Document.Texts gives — which the
// coverage check, the DOCX's fonts and `govreport fonts` go by — are the
// roles the pages are set in: every character of every text item on every
// page of every test report is in the face its Texts role resolves to.
func TestTextsMatchPages(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range pdfcheck.ValidReports(t, "..") {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Prepare(context.Background(), data, PrepareOptions{Now: now, Fonts: set})
			if err != nil {
				t.Fatal(err)
			}
			index := map[layout.Block]int32{}
			for i, b := range p.Doc.Blocks {
				index[b] = int32(i)
			}
			type key struct{ block, index int32 }
			roles := map[key]fonts.Role{}
			for tx := range p.Doc.Texts() {
				roles[key{index[tx.Block], int32(tx.Index)}] = tx.Role
			}
			n := 0
			for pi, pg := range p.Layout.Pages {
				for _, it := range pg.Items {
					if it.Kind != layout.ItemText {
						continue
					}
					k := key{it.Part.Block, 0}
					switch it.Part.Kind {
					case layout.PartPageNumber:
						continue
					case layout.PartParagraph:
						k.index = it.Part.Run
					case layout.PartCell:
						k.index = it.Part.Cell
					}
					role, ok := roles[k]
					if !ok {
						t.Fatalf("page %d, %s %q: no text of Texts is block %d, index %d", pi+1, it.Part.Kind, it.Text, k.block, k.index)
					}
					for _, c := range it.Text {
						n++
						if f, _ := set.Resolve(role, c); f != it.Face {
							want := "no face"
							if f != nil {
								want = f.Name()
							}
							t.Errorf("page %d, %s %q: %q is set in %s, Texts' role %s gives %s", pi+1, it.Part.Kind, it.Text, c, it.Face.Name(), role, want)
							break
						}
					}
				}
			}
			if n == 0 {
				t.Fatal("no text items")
			}
		})
	}
}
