package pdf_test

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	stdpng "image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/render"
	"github.com/govreport/govreport/render/png"
)

// TestPagesMatchLayout rasterizes every page of the seed and the long report
// with poppler at 110 dpi and compares it with the layout's own painting of the
// same page (render/png, which places every glyph and rule where the layout
// says): the file must draw the layout, not a byte golden of an older writer.
// Ink is compared, allowing one pixel for the two rasterizers' antialiasing:
// nearly every dark pixel of either image has a dark pixel within one pixel in
// the other, and both have as many dark pixels. (Where each glyph lands is
// checked exactly by TestGlyphPositions.)
func TestPagesMatchLayout(t *testing.T) {
	const dpi = 110
	bin := pdfcheck.Need(t, "pdftoppm")
	for _, name := range []string{"yongxing-2024", "long-county-2022"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile("../../testdata/reports/" + name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			res, err := render.Render(context.Background(), data, render.Options{Format: render.PDF, ChecksWarn: true})
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			in := filepath.Join(dir, "in.pdf")
			if err := os.WriteFile(in, res.Bytes, 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			if out, err := exec.CommandContext(ctx, bin, "-r", fmt.Sprint(dpi), "-gray", "-png", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
				t.Fatalf("pdftoppm: %v\n%s", err, out)
			}
			for i, page := range res.Layout {
				ours, err := png.Paint(context.Background(), page, png.Options{DPI: dpi})
				if err != nil {
					t.Fatal(err)
				}
				theirs := readGray(t, filepath.Join(dir, fmt.Sprintf("p-%0*d.png", len(fmt.Sprint(len(res.Layout))), i+1)))
				if theirs.Bounds() != ours.Bounds() {
					t.Fatalf("page %d: poppler %v, layout %v", i+1, theirs.Bounds(), ours.Bounds())
				}
				agree, inkA, inkB := inkAgreement(ours, theirs)
				// Measured: 97.7–100 % per page; the rest is the two
				// rasterizers' antialiasing of thin strokes in small table
				// text, where a dark pixel in one is a mid gray in the other.
				if agree < 0.97 || inkA == 0 || math.Abs(float64(inkA-inkB)) > 0.03*float64(inkA) {
					t.Errorf("page %d: %.2f%% of the ink agrees (layout %d dark pixels, poppler %d)", i+1, 100*agree, inkA, inkB)
				}
			}
		})
	}
}

func readGray(t *testing.T, path string) *image.Gray {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := stdpng.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	return g
}

// inkAgreement returns the share of dark pixels (of either image) that have a
// dark pixel within one pixel in both images, and the dark pixels of each.
func inkAgreement(a, b *image.Gray) (float64, int, int) {
	const dark = 128
	r := a.Rect
	near := func(g *image.Gray, x, y int) bool {
		for yy := max(y-1, r.Min.Y); yy <= min(y+1, r.Max.Y-1); yy++ {
			for xx := max(x-1, r.Min.X); xx <= min(x+1, r.Max.X-1); xx++ {
				if g.Pix[g.PixOffset(xx, yy)] < dark {
					return true
				}
			}
		}
		return false
	}
	var both, any, inkA, inkB int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			da, db := a.Pix[a.PixOffset(x, y)] < dark, b.Pix[b.PixOffset(x, y)] < dark
			if da {
				inkA++
			}
			if db {
				inkB++
			}
			if da || db {
				any++
				if near(a, x, y) && near(b, x, y) {
					both++
				}
			}
		}
	}
	if any == 0 {
		return 1, 0, 0
	}
	return float64(both) / float64(any), inkA, inkB
}
