package png

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	stdpng "image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render/pdf"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// The seed report, through the real pipeline (without package render, which
// imports this one): its pages and its PDF, built once.
var seed struct {
	once  sync.Once
	pages []layout.Page
	pdf   []byte
	err   error
}

func seedPages(tb testing.TB) ([]layout.Page, []byte) {
	tb.Helper()
	seed.once.Do(func() {
		seed.pages, seed.pdf, seed.err = buildSeed()
	})
	if seed.err != nil {
		tb.Fatal(seed.err)
	}
	return seed.pages, seed.pdf
}

func buildSeed() ([]layout.Page, []byte, error) {
	ctx := context.Background()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "reports", "yongxing-2024.json"))
	if err != nil {
		return nil, nil, err
	}
	r, f, err := templates.Decode(data, report.Options{Now: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return nil, nil, fmt.Errorf("decode: %w", err)
	}
	doc, err := f.Build(r, templates.BuildOptions{})
	if err != nil {
		return nil, nil, fmt.Errorf("build: %w", err)
	}
	set, err := fonts.Default()
	if err != nil {
		return nil, nil, err
	}
	pages, err := layout.Paginate(ctx, doc, set, layout.DefaultStyle())
	if err != nil {
		return nil, nil, fmt.Errorf("paginate: %w", err)
	}
	var buf bytes.Buffer
	if err := pdf.Render(ctx, &buf, pages, doc); err != nil {
		return nil, nil, fmt.Errorf("pdf: %w", err)
	}
	return pages, buf.Bytes(), nil
}

// page returns the seed's page n (1-based), checking what the comparison relies on.
func page(tb testing.TB, n int, wantLines bool) layout.Page {
	tb.Helper()
	pages, _ := seedPages(tb)
	if len(pages) < n {
		tb.Fatalf("the seed report has %d pages, want at least %d", len(pages), n)
	}
	p := pages[n-1]
	var text, lines int
	for _, it := range p.Items {
		switch it.Kind {
		case layout.ItemText:
			text++
		case layout.ItemLine:
			lines++
		}
	}
	if text == 0 || wantLines != (lines > 0) {
		tb.Fatalf("page %d has %d text runs and %d rules: not the page the test expects", n, text, lines)
	}
	return p
}

func renderGray(tb testing.TB, p layout.Page, opt Options) *image.Gray {
	tb.Helper()
	var buf bytes.Buffer
	if err := Render(context.Background(), &buf, p, opt); err != nil {
		tb.Fatal(err)
	}
	img, err := stdpng.Decode(&buf)
	if err != nil {
		tb.Fatalf("our PNG does not decode: %v", err)
	}
	return toGray(img)
}

func toGray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	return g
}

// poppler rasterizes page n of the PDF with pdftoppm at 96 DPI, scaled to exactly
// w × h pixels.
func poppler(t *testing.T, pdfData []byte, n, w, h int) *image.Gray {
	t.Helper()
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Fatalf("pdftoppm not found (install it: apt-get install -y poppler-utils): %v", err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdfData, 0o644); err != nil {
		t.Fatal(err)
	}
	// Without -scale-to-*, pdftoppm -r 96 gives the same size for A4; the
	// explicit size keeps the pixel grids identical for any page size.
	out := filepath.Join(dir, "out")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-r", "96", "-png", "-f", fmt.Sprint(n), "-l", fmt.Sprint(n), "-singlefile",
		"-scale-to-x", fmt.Sprint(w), "-scale-to-y", fmt.Sprint(h), in, out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", cmd, err, b)
	}
	f, err := os.Open(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := stdpng.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("pdftoppm made %v, want %d × %d", b, w, h)
	}
	return toGray(img)
}

const (
	dark = 128 // a pixel darker than this is ink
	tol  = 64  // per-pixel tolerance for the overall agreement
)

type agreement struct {
	close   float64 // share of all pixels within tol
	ink     float64 // share of ink pixels (dark in either) with ink near them in both
	inkA    int     // ink pixels in a, b
	inkB    int
	inkBoth int // ink pixels (dark in either) counted as agreeing
}

// compare measures how well two same-sized grayscale images agree.
func compare(a, b *image.Gray) agreement {
	r := a.Rect
	if r != b.Rect {
		panic(fmt.Sprintf("compare: %v vs %v", r, b.Rect))
	}
	darkNear := func(g *image.Gray, x, y int) bool {
		for yy := max(y-1, r.Min.Y); yy <= min(y+1, r.Max.Y-1); yy++ {
			for xx := max(x-1, r.Min.X); xx <= min(x+1, r.Max.X-1); xx++ {
				if g.Pix[g.PixOffset(xx, yy)] < dark {
					return true
				}
			}
		}
		return false
	}
	var ag agreement
	var closeN, inkN int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			va, vb := int(a.Pix[a.PixOffset(x, y)]), int(b.Pix[b.PixOffset(x, y)])
			if abs(va-vb) <= tol {
				closeN++
			}
			da, db := va < dark, vb < dark
			if da {
				ag.inkA++
			}
			if db {
				ag.inkB++
			}
			if da || db {
				inkN++
				if darkNear(a, x, y) && darkNear(b, x, y) {
					ag.inkBoth++
				}
			}
		}
	}
	ag.close = float64(closeN) / float64(r.Dx()*r.Dy())
	if inkN > 0 {
		ag.ink = float64(ag.inkBoth) / float64(inkN)
	}
	return ag
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func shift(g *image.Gray, dx, dy int) *image.Gray {
	out := image.NewGray(g.Rect)
	for i := range out.Pix {
		out.Pix[i] = 0xFF
	}
	draw.Draw(out, g.Rect.Add(image.Pt(dx, dy)), g, g.Rect.Min, draw.Src)
	return out
}

// TestMatchesPoppler compares our preview of the seed's text page (1) and table
// page (4) with poppler's rendering of our PDF of the same pages.
func TestMatchesPoppler(t *testing.T) {
	_, pdfData := seedPages(t)
	for _, tc := range []struct {
		n     int
		lines bool
	}{{1, false}, {4, true}} {
		t.Run(fmt.Sprintf("page%d", tc.n), func(t *testing.T) {
			p := page(t, tc.n, tc.lines)
			ours := renderGray(t, p, Options{})
			w, h := ours.Rect.Dx(), ours.Rect.Dy()
			if wantW := int(math.Ceil(p.Width / 72 * 96)); w != wantW {
				t.Errorf("width %d px, want %d", w, wantW)
			}
			theirs := poppler(t, pdfData, tc.n, w, h)
			if dir := os.Getenv("PNG_PREVIEW_DIR"); dir != "" {
				writePNG(t, filepath.Join(dir, fmt.Sprintf("page%d-ours.png", tc.n)), ours)
				writePNG(t, filepath.Join(dir, fmt.Sprintf("page%d-poppler.png", tc.n)), theirs)
				writePNG(t, filepath.Join(dir, fmt.Sprintf("page%d-side.png", tc.n)), sideBySide(ours, theirs, ours.Rect))
				crop := image.Rect(100, 130, 500, 330)
				writePNG(t, filepath.Join(dir, fmt.Sprintf("page%d-crop.png", tc.n)), sideBySide(ours, theirs, crop))
			}
			ag := compare(ours, theirs)
			t.Logf("page %d, %d × %d px: %.3f%% of pixels within ±%d; ink agreement %.2f%% (%d ink pixels ours, %d poppler's)",
				tc.n, w, h, 100*ag.close, tol, 100*ag.ink, ag.inkA, ag.inkB)
			if ag.close < 0.98 {
				t.Errorf("only %.3f%% of pixels within ±%d of poppler's, want ≥ 98%%", 100*ag.close, tol)
			}
			if ag.ink < 0.90 {
				t.Errorf("ink agreement %.2f%%, want ≥ 90%%", 100*ag.ink)
			}
			if ag.inkA == 0 || ag.inkB == 0 || float64(ag.inkA)/float64(ag.inkB) < 0.7 || float64(ag.inkA)/float64(ag.inkB) > 1.4 {
				t.Errorf("ink amounts differ: %d pixels ours, %d poppler's", ag.inkA, ag.inkB)
			}

			// The check can fail: the same page 3 px off must not pass.
			moved := compare(shift(ours, 3, 0), theirs)
			t.Logf("page %d shifted 3 px right: %.3f%% within ±%d; ink agreement %.2f%%", tc.n, 100*moved.close, tol, 100*moved.ink)
			if moved.ink >= 0.90 {
				t.Errorf("a 3 px shift still passes the ink check (%.2f%%): the check is too loose", 100*moved.ink)
			}
			down := compare(shift(ours, 0, 3), theirs)
			if down.ink >= 0.90 {
				t.Errorf("a 3 px vertical shift still passes the ink check (%.2f%%)", 100*down.ink)
			}
			// And a blank page must fail both.
			blank := shift(ours, 10000, 0)
			if b := compare(blank, theirs); b.ink >= 0.90 {
				t.Errorf("a blank page passes the ink check (%.2f%%)", 100*b.ink)
			}
		})
	}
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	var buf bytes.Buffer
	if err := stdpng.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sideBySide puts the area r of a (left) and b (right) next to each other.
func sideBySide(a, b *image.Gray, r image.Rectangle) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, 2*r.Dx()+8, r.Dy()))
	for i := range out.Pix {
		out.Pix[i] = 0x80
	}
	draw.Draw(out, image.Rect(0, 0, r.Dx(), r.Dy()), a, r.Min, draw.Src)
	draw.Draw(out, image.Rect(r.Dx()+8, 0, 2*r.Dx()+8, r.Dy()), b, r.Min, draw.Src)
	return out
}

func TestCompareSanity(t *testing.T) {
	a := image.NewGray(image.Rect(0, 0, 40, 40))
	for i := range a.Pix {
		a.Pix[i] = 0xFF
	}
	for x := 5; x < 35; x++ {
		a.SetGray(x, 20, color.Gray{0})
	}
	if ag := compare(a, a); ag.close != 1 || ag.ink != 1 {
		t.Errorf("an image against itself: %+v", ag)
	}
	if ag := compare(a, shift(a, 0, 1)); ag.ink != 1 {
		t.Errorf("a one-pixel shift is within the neighbourhood, got %+v", ag)
	}
	if ag := compare(a, shift(a, 0, 3)); ag.ink != 0 {
		t.Errorf("a three-pixel shift must not agree, got %+v", ag)
	}
}

// The glyph positions are the layout's: a run drawn in one item equals its
// characters drawn one by one at X + Σ (Advance·Size + Spacing).
func TestGlyphPositionsFollowLayout(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	face := set.Face(fonts.RoleBody)
	const size, spacing = 16.0, 7.3
	text := "政府信息公开1a"
	run := layout.Page{Number: 1, Width: 300, Height: 60, Items: []layout.Item{
		{Kind: layout.ItemText, X: 10.37, Y: 40.2, Text: text, Size: size, Face: face, Spacing: spacing},
	}}
	single := layout.Page{Number: 1, Width: 300, Height: 60}
	x := 10.37
	for _, r := range text {
		single.Items = append(single.Items, layout.Item{Kind: layout.ItemText, X: x, Y: 40.2, Text: string(r), Size: size, Face: face})
		x += face.Advance(r)*size + spacing
	}
	for _, dpi := range []float64{72, 96, 150} {
		a := renderGray(t, run, Options{DPI: dpi})
		b := renderGray(t, single, Options{DPI: dpi})
		// Equal up to float32 rounding in the rasterizer (the areas differ).
		maxDiff := 0
		for i := range a.Pix {
			maxDiff = max(maxDiff, abs(int(a.Pix[i])-int(b.Pix[i])))
		}
		if maxDiff > 2 {
			t.Errorf("%g DPI: the run differs from its characters placed one by one by up to %d levels (%+v)", dpi, maxDiff, compare(a, b))
		}
		inked := 0
		for _, v := range a.Pix {
			if v < dark {
				inked++
			}
		}
		if inked == 0 {
			t.Errorf("%g DPI: nothing painted", dpi)
		}
	}
	// A different spacing moves the glyphs.
	moved := run
	moved.Items = []layout.Item{run.Items[0]}
	moved.Items[0].Spacing = 0
	if bytes.Equal(renderGray(t, run, Options{}).Pix, renderGray(t, moved, Options{}).Pix) {
		t.Error("spacing is ignored")
	}
}

func TestSize(t *testing.T) {
	a4 := layout.Page{Width: 595.28, Height: 841.89}
	for _, tc := range []struct {
		dpi  float64
		w, h int
	}{{0, 794, 1123}, {96, 794, 1123}, {72, 596, 842}, {150, 1241, 1754}, {600, 4961, 7016}} {
		w, h, err := Size(a4, Options{DPI: tc.dpi})
		if err != nil || w != tc.w || h != tc.h {
			t.Errorf("Size(A4, %g DPI) = %d × %d, %v; want %d × %d", tc.dpi, w, h, err, tc.w, tc.h)
		}
	}
	// Exact inches stay exact.
	if w, h, err := Size(layout.Page{Width: 72, Height: 144}, Options{DPI: 100}); err != nil || w != 100 || h != 200 {
		t.Errorf("1 × 2 in at 100 DPI = %d × %d, %v", w, h, err)
	}
}

func TestDeterministic(t *testing.T) {
	p := page(t, 4, true)
	var first []byte
	var mu sync.Mutex
	var wg sync.WaitGroup
	outs := make([][]byte, 8)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			if err := Render(context.Background(), &buf, p, Options{}); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			outs[i] = buf.Bytes()
			mu.Unlock()
		}()
	}
	wg.Wait()
	first = outs[0]
	if len(first) == 0 {
		t.Fatal("empty output")
	}
	for i, o := range outs[1:] {
		if !bytes.Equal(o, first) {
			t.Errorf("render %d (concurrent) differs from render 0", i+1)
		}
	}
	var again bytes.Buffer
	if err := Render(context.Background(), &again, p, Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), first) {
		t.Error("a second render differs")
	}
	if !bytes.HasPrefix(first, []byte("\x89PNG\r\n\x1a\n")) {
		t.Error("not a PNG")
	}
	cfg, err := stdpng.DecodeConfig(bytes.NewReader(first))
	if err != nil || cfg.Width != 794 || cfg.Height != 1123 {
		t.Errorf("config %+v, %v; want 794 × 1123", cfg, err)
	}
	if pal, ok := cfg.ColorModel.(color.Palette); !ok || len(pal) != 256 || !grayPalette(pal) {
		t.Errorf("color model %T, want a palette of 256 grays", cfg.ColorModel)
	}
	// The PNG decodes to exactly the painted image.
	img, err := stdpng.Decode(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	painted, err := Paint(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(toGray(img).Pix, painted.Pix) {
		t.Error("the PNG does not decode to the painted image")
	}
}

func grayPalette(pal color.Palette) bool {
	for i, c := range pal {
		if color.GrayModel.Convert(c) != (color.Gray{uint8(i)}) {
			return false
		}
		if r, g, b, a := c.RGBA(); r != g || g != b || a != 0xFFFF {
			return false
		}
	}
	return true
}

func TestErrors(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	face := set.Face(fonts.RoleBody)
	ok := layout.Item{Kind: layout.ItemText, X: 10, Y: 30, Text: "政府", Size: 16, Face: face}
	pg := func(items ...layout.Item) layout.Page {
		return layout.Page{Number: 3, Width: 200, Height: 100, Items: items}
	}
	with := func(f func(*layout.Item)) layout.Item {
		it := ok
		f(&it)
		return it
	}
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		page layout.Page
		opt  Options
		want string
	}{
		{"nil face", pg(with(func(it *layout.Item) { it.Face = nil })), Options{}, "no face"},
		{"missing glyph", pg(with(func(it *layout.Item) { it.Text = "政\uE000" })), Options{}, "U+E000"},
		{"above BMP", pg(with(func(it *layout.Item) { it.Text = "𠀀" })), Options{}, "U+20000"},
		{"bad UTF-8", pg(with(func(it *layout.Item) { it.Text = "\xff" })), Options{}, "UTF-8"},
		{"zero size", pg(with(func(it *layout.Item) { it.Size = 0 })), Options{}, "size"},
		{"NaN spacing", pg(with(func(it *layout.Item) { it.Spacing = nan })), Options{}, "spacing"},
		{"huge size", pg(with(func(it *layout.Item) { it.Size = 1e9 })), Options{}, "size"},
		{"NaN position", pg(with(func(it *layout.Item) { it.X = nan })), Options{}, "position"},
		{"infinite line", pg(layout.Item{Kind: layout.ItemLine, X2: math.Inf(1), LineWidth: 1}), Options{}, "line"},
		{"negative line width", pg(layout.Item{Kind: layout.ItemLine, X2: 10, LineWidth: -1}), Options{}, "width"},
		{"unknown kind", pg(layout.Item{Kind: "circle"}), Options{}, "circle"},
		{"zero page", layout.Page{Number: 3}, Options{}, "size"},
		{"negative page", layout.Page{Number: 3, Width: -1, Height: 100}, Options{}, "size"},
		{"NaN page", layout.Page{Number: 3, Width: nan, Height: 100}, Options{}, "size"},
		{"infinite page", layout.Page{Number: 3, Width: math.Inf(1), Height: 100}, Options{}, "size"},
		{"huge page", layout.Page{Number: 3, Width: 1e6, Height: 1e6}, Options{}, "pixels"},
		{"huge DPI", pg(ok), Options{DPI: 601}, "DPI"},
		{"negative DPI", pg(ok), Options{DPI: -96}, "DPI"},
		{"NaN DPI", pg(ok), Options{DPI: nan}, "DPI"},
		{"infinite DPI", pg(ok), Options{DPI: math.Inf(1)}, "DPI"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Render(context.Background(), &buf, tc.page, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "png: ") {
				t.Errorf("err %q lacks the package prefix", err)
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written despite the error", buf.Len())
			}
		})
	}
	// The error names the page and box.
	bad := pg(ok, with(func(it *layout.Item) { it.Face = nil; it.Box = "表三 r5c2" }))
	if err := Render(context.Background(), io.Discard, bad, Options{}); err == nil || !strings.Contains(err.Error(), "page 3") || !strings.Contains(err.Error(), "表三 r5c2") {
		t.Errorf("err = %v, want it to name page 3 and the box", err)
	}
}

// Items far off the page, huge or degenerate, paint what falls on the page and
// never panic.
func TestOddItems(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	face := set.Face(fonts.RoleBody)
	p := layout.Page{Number: 1, Width: 100, Height: 100, Items: []layout.Item{
		{Kind: layout.ItemText, X: -1e12, Y: 1e12, Text: "政府", Size: 16, Face: face},
		{Kind: layout.ItemText, X: 10, Y: 50, Text: "政府信息公开工作年度报告", Size: 5000, Face: face},
		{Kind: layout.ItemText, X: 10, Y: 50, Text: "", Size: 16, Face: face},
		{Kind: layout.ItemLine, X: -1e15, Y: 20, X2: 1e15, Y2: 20, LineWidth: 0.6},
		{Kind: layout.ItemLine, X: -1e15, Y: -1e15, X2: 1e15, Y2: 1e15, LineWidth: 1},
		{Kind: layout.ItemLine, X: 5, Y: 5, X2: 5, Y2: 5, LineWidth: 3},
		{Kind: layout.ItemLine, X: 5, Y: 90, X2: 60, Y2: 90, LineWidth: 0},
		{Kind: layout.ItemLine, X: 1e9, Y: 1e9, X2: 2e9, Y2: 3e9, LineWidth: 1},
	}}
	img := renderGray(t, p, Options{})
	at := func(x, y float64) uint8 { return img.GrayAt(int(x*96/72), int(y*96/72)).Y }
	if v := at(30, 90); v != 0 {
		t.Errorf("a zero-width rule is not one dark pixel: %d", v)
	}
}

func TestCancel(t *testing.T) {
	p := page(t, 4, true)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var buf bytes.Buffer
	err := Render(ctx, &buf, p, Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written after cancellation", buf.Len())
	}
	// A deadline that passes while painting stops the render as well.
	ctx, cancel = context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	if err := Render(ctx, io.Discard, p, Options{DPI: 600}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}

// cancelAfter is a context whose Err turns to Canceled after n calls, to stop a
// render in the middle of a page.
type cancelAfter struct {
	context.Context
	mu sync.Mutex
	n  int
}

func (c *cancelAfter) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n <= 0 {
		return context.Canceled
	}
	c.n--
	return nil
}

func TestCancelMidPage(t *testing.T) {
	p := page(t, 4, true)
	ctx := &cancelAfter{Context: context.Background(), n: 3}
	var buf bytes.Buffer
	err := Render(ctx, &buf, p, Options{})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "page 4") {
		t.Fatalf("err = %v, want context.Canceled naming page 4", err)
	}
	if ctx.n != 0 {
		t.Errorf("render finished with %d checks left", ctx.n)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written", buf.Len())
	}
}

func BenchmarkRender(b *testing.B) {
	for _, n := range []int{1, 4} {
		p := page(b, n, n == 4)
		b.Run(fmt.Sprintf("page%d-96dpi", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := Render(context.Background(), io.Discard, p, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// Cold: no pooled painter, so every glyph outline is loaded again (the first
	// render after start-up or after the garbage collector emptied the pool).
	p1 := page(b, 1, false)
	b.Run("page1-96dpi-cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			painters = new(sync.Pool)
			b.StartTimer()
			if err := Render(context.Background(), io.Discard, p1, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	p := page(b, 4, true)
	b.Run("page4-96dpi-paint-only", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Paint(context.Background(), p, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
