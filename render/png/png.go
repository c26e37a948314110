// Package png paints one laid-out page as a PNG preview with golang.org/x/image, from
// the same pages as the PDF: every glyph, rule and box is where the layout put it, so
// nothing here measures text or breaks lines.
//
// Glyph outlines come from the face's [sfnt.Font], which package fonts parses once
// per process and shares read-only ([fonts.Face.SFNT]); nothing is parsed per render.
// Character i of a text run is placed at X + Σ_{k<i} (Advance(r_k)·Size + Spacing), the
// positions the PDF viewer computes from the same advances and Tc, never at a
// font.Drawer's rounded advances. Outlines are unhinted and antialiased by
// x/image/vector.
//
// Axis-aligned rules are snapped to whole device pixels and are at least one pixel
// wide, as PDF viewers do (poppler's stroke adjustment): a 0.6 pt table rule is 0.8 px
// at 96 DPI, which antialiasing would smear into two light-grey rows. Other rules and
// all glyphs and boxes are antialiased at their exact positions.
//
// The output is a PNG of 256 gray levels (8-bit indexed, palette entry i = gray i;
// see encoder), deterministic: the same page and options give the same bytes.
package png

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"sync"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
)

// DefaultDPI is the resolution used when Options.DPI is zero.
const DefaultDPI = 96

// MaxDPI is the highest resolution Render accepts.
const MaxDPI = 600

// maxPixels bounds the image (A3 at 600 DPI is 70 million pixels).
const maxPixels = 80_000_000

// Options tunes the preview.
type Options struct {
	DPI float64 // pixels per inch; 0 means DefaultDPI; at most MaxDPI
}

// Size returns the pixel size of page at opt's resolution: the page's size in
// inches times the DPI, rounded up to whole pixels (as poppler's pdftoppm does).
func Size(page layout.Page, opt Options) (width, height int, err error) {
	dpi := opt.DPI
	if dpi == 0 {
		dpi = DefaultDPI
	}
	if !(dpi > 0 && dpi <= MaxDPI) {
		return 0, 0, fmt.Errorf("png: DPI %g outside (0, %d]", opt.DPI, MaxDPI)
	}
	if !finite(page.Width, page.Height) || page.Width <= 0 || page.Height <= 0 {
		return 0, 0, fmt.Errorf("png: page %d: size %g × %g pt", page.Number, page.Width, page.Height)
	}
	fw, fh := pixels(page.Width*dpi/72), pixels(page.Height*dpi/72)
	if fw*fh > maxPixels {
		return 0, 0, fmt.Errorf("png: page %d: %g × %g pt at %g DPI is %.0f × %.0f pixels, more than %d",
			page.Number, page.Width, page.Height, dpi, fw, fh, maxPixels)
	}
	return int(fw), int(fh), nil
}

// pixels rounds a length in pixels up, ignoring float noise just above an integer.
func pixels(v float64) float64 {
	return max(1, math.Ceil(v-1e-6))
}

// Render paints page as a PNG (white background, black ink, antialiased), width =
// page.Width/72*DPI pixels rounded up.
//
// Malformed items (a text run without a face or with a character its face lacks,
// non-finite coordinates, a gray outside 0…1) return an error naming the page and
// box; nothing is written to w unless the whole image was encoded. ctx is checked
// while painting.
func Render(ctx context.Context, w io.Writer, page layout.Page, opt Options) error {
	img, err := Paint(ctx, page, opt)
	if err != nil {
		return err
	}
	p := getPainter()
	defer putPainter(p)
	p.out.Reset()
	// The gray levels as palette indices: the same bytes, no copy.
	pal := &image.Paletted{Pix: img.Pix, Stride: img.Stride, Rect: img.Rect, Palette: grays}
	if err := encoder.Encode(&p.out, pal); err != nil {
		return fmt.Errorf("png: page %d: encoding: %w", page.Number, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("png: page %d: %w", page.Number, err)
	}
	if _, err := w.Write(p.out.Bytes()); err != nil {
		return fmt.Errorf("png: page %d: writing: %w", page.Number, err)
	}
	return nil
}

// grays is the palette of the PNG: index i is gray level i.
var grays = func() color.Palette {
	p := make(color.Palette, 256)
	for i := range p {
		p[i] = color.Gray{Y: uint8(i)}
	}
	return p
}()

// encoder uses a fixed compression level so that the bytes depend only on the
// image (and the Go release). BestSpeed: previews are transient and a page of
// mostly white compresses well anyway.
//
// The image is written as 8-bit indexed color with a gray palette rather than as
// 8-bit grayscale: image/png searches the best of five filters for every row of
// a grayscale image but none for a paletted one, which halves the encoding time
// (A4 at 96 DPI: 6 ms instead of 15) and makes the file slightly smaller.
var encoder = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &bufferPool{}}

type bufferPool struct{ p sync.Pool }

func (b *bufferPool) Get() *png.EncoderBuffer {
	e, _ := b.p.Get().(*png.EncoderBuffer)
	return e
}
func (b *bufferPool) Put(e *png.EncoderBuffer) { b.p.Put(e) }

// Paint paints page into a new grayscale image (0 black, 255 white), as Render
// does before encoding.
func Paint(ctx context.Context, page layout.Page, opt Options) (*image.Gray, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("png: page %d: %w", page.Number, err)
	}
	pw, ph, err := Size(page, opt)
	if err != nil {
		return nil, err
	}
	dpi := opt.DPI
	if dpi == 0 {
		dpi = DefaultDPI
	}
	img := image.NewGray(image.Rect(0, 0, pw, ph))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	p := getPainter()
	defer putPainter(p)
	p.dst = img
	p.scale = dpi / 72
	// Work is clipped to the page plus a margin of one pixel, so that huge
	// or far-away items cost nothing and stay within the rasterizer's range.
	p.clip = img.Rect.Inset(-1)
	defer func() { p.dst = nil }()
	for j := range page.Items {
		if j%32 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("png: page %d: %w", page.Number, err)
			}
		}
		it := &page.Items[j]
		if err := p.item(it); err != nil {
			return nil, fmt.Errorf("png: page %d, box %q (item %d): %w", page.Number, it.Box, j, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("png: page %d: %w", page.Number, err)
	}
	return img, nil
}

// painter holds the per-render scratch state. Pooled: a render uses one at a time,
// and nothing in it outlives the render except reusable buffers.
type painter struct {
	dst   *image.Gray
	scale float64 // pixels per point
	clip  image.Rectangle

	buf    sfnt.Buffer
	cache  map[glyphKey]outline
	segs   []seg
	glyphs []placed
	z      vector.Rasterizer
	mask   image.Alpha
	path   []pathOp
	out    bytes.Buffer
}

// painters is a pointer so that tests can start from an empty pool.
var painters = new(sync.Pool)

func getPainter() *painter {
	if p, _ := painters.Get().(*painter); p != nil {
		return p
	}
	return new(painter)
}

func putPainter(p *painter) {
	p.dst = nil
	if p.out.Cap() > 16<<20 {
		p.out = bytes.Buffer{}
	}
	painters.Put(p)
}

// pathOp is one segment of a rule's or box's outline in device pixels: a
// MoveTo or a LineTo.
type pathOp struct {
	op  sfnt.SegmentOp
	pts [1][2]float64
}

// box is a bounding box in device pixels.
type box struct{ x0, y0, x1, y1 float64 }

func emptyBox() box { return box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)} }

func (b *box) add(x, y float64) {
	b.x0, b.y0 = min(b.x0, x), min(b.y0, y)
	b.x1, b.y1 = max(b.x1, x), max(b.y1, y)
}

// pixels returns the whole pixels touched by b.
func (b box) pixels() image.Rectangle {
	if !(b.x0 <= b.x1 && b.y0 <= b.y1) {
		return image.Rectangle{}
	}
	return image.Rect(int(math.Floor(b.x0)), int(math.Floor(b.y0)), int(math.Ceil(b.x1)), int(math.Ceil(b.y1)))
}

func (p *painter) item(it *layout.Item) error {
	if err := it.Check(); err != nil {
		return err
	}
	switch it.Kind {
	case layout.ItemText:
		return p.text(it)
	default:
		return p.line(it)
	}
}

// glyphPPEM is the scale at which outlines are loaded: 64 pixels per em, so that a
// segment coordinate v (26.6 fixed point) is v/4096 em, whatever the face's units
// per em, without overflowing sfnt's int32 arithmetic.
const (
	glyphPPEM = fixed.Int26_6(64 << 6)
	glyphUnit = 1.0 / (64 << 6)
)

// maxTextSize refuses nonsense sizes that would make outlines too large for the
// rasterizer's fixed-point range.
const maxTextSize = 10_000 // pt

func (p *painter) text(it *layout.Item) error {
	if it.Size > maxTextSize {
		return fmt.Errorf("text %q: size %g", it.Text, it.Size)
	}
	if it.Face.SFNT() == nil {
		return fmt.Errorf("face %s has no outlines", it.Face.Name())
	}
	em := it.Size * p.scale // pixels per em
	clip := box{float64(p.clip.Min.X), float64(p.clip.Min.Y), float64(p.clip.Max.X), float64(p.clip.Max.Y)}
	p.glyphs = p.glyphs[:0]
	bb := emptyBox()
	// A text turned a quarter clockwise (a landscape page's number) runs
	// down the page: its advance is along y, and a glyph's point (u, v)
	// is drawn at (−v, u) from its origin.
	turned := it.Rotate == 90
	x, y := it.X, it.Y
	for _, r := range it.Text {
		g := it.Face.GlyphIndex(r) // not 0: Check saw that the face has r
		ox, oy := x*p.scale, y*p.scale
		if turned {
			y += it.Face.Advance(r)*it.Size + it.Spacing
		} else {
			x += it.Face.Advance(r)*it.Size + it.Spacing
		}
		o, err := p.outline(it.Face, g)
		if err != nil {
			return fmt.Errorf("face %s: glyph %d (U+%04X %q): %w", it.Face.Name(), g, r, r, err)
		}
		if o.start == o.end {
			continue // a space
		}
		gb := box{ox + float64(o.bounds[0])*em, oy + float64(o.bounds[1])*em, ox + float64(o.bounds[2])*em, oy + float64(o.bounds[3])*em}
		if turned {
			gb = box{ox - float64(o.bounds[3])*em, oy + float64(o.bounds[0])*em, ox - float64(o.bounds[1])*em, oy + float64(o.bounds[2])*em}
		}
		if gb.x1 < clip.x0 || gb.x0 > clip.x1 || gb.y1 < clip.y0 || gb.y0 > clip.y1 {
			continue // off the page
		}
		bb.add(gb.x0, gb.y0)
		bb.add(gb.x1, gb.y1)
		p.glyphs = append(p.glyphs, placed{o, ox, oy})
	}
	r, ok := p.begin(bb)
	if !ok {
		return nil
	}
	fx, fy := float64(r.Min.X), float64(r.Min.Y)
	z := &p.z
	for _, pg := range p.glyphs {
		// Coordinates relative to the painted area, in float32 for the rasterizer.
		dx, dy := pg.ox-fx, pg.oy-fy
		pt := func(q [2]float32) (float32, float32) {
			if turned {
				return float32(dx - float64(q[1])*em), float32(dy + float64(q[0])*em)
			}
			return float32(dx + float64(q[0])*em), float32(dy + float64(q[1])*em)
		}
		open := false
		for _, s := range p.segs[pg.o.start:pg.o.end] {
			switch s.op {
			case sfnt.SegmentOpMoveTo:
				if open {
					z.ClosePath()
				}
				open = true
				z.MoveTo(pt(s.pts[0]))
			case sfnt.SegmentOpLineTo:
				z.LineTo(pt(s.pts[0]))
			case sfnt.SegmentOpQuadTo:
				bx, by := pt(s.pts[0])
				cx, cy := pt(s.pts[1])
				z.QuadTo(bx, by, cx, cy)
			case sfnt.SegmentOpCubeTo:
				bx, by := pt(s.pts[0])
				cx, cy := pt(s.pts[1])
				ex, ey := pt(s.pts[2])
				z.CubeTo(bx, by, cx, cy, ex, ey)
			}
		}
		if open {
			z.ClosePath()
		}
	}
	p.finish(r, 0)
	return nil
}

// placed is a glyph outline at its origin (pixels) on the page.
type placed struct {
	o      outline
	ox, oy float64
}

// outline is a glyph's segments, p.segs[start:end], in em with y down, and their
// bounds (x0, y0, x1, y1; control points included).
type outline struct {
	start, end int
	bounds     [4]float32
}

type glyphKey struct {
	face *fonts.Face
	gid  uint16
}

// seg is an outline segment in em.
type seg struct {
	op  sfnt.SegmentOp
	pts [3][2]float32
}

// maxCachedSegs bounds a painter's outline cache (about 28 bytes a segment; a
// CJK glyph has some 20–100): past it the cache starts again.
const maxCachedSegs = 1 << 19

// outline returns the outline of glyph g of face, loading it on first use. A
// painter keeps the outlines it loaded for later renders (it is pooled), since a
// page repeats characters and documents repeat pages.
func (p *painter) outline(face *fonts.Face, g uint16) (outline, error) {
	k := glyphKey{face, g}
	if o, ok := p.cache[k]; ok {
		return o, nil
	}
	segs, err := face.SFNT().LoadGlyph(&p.buf, sfnt.GlyphIndex(g), glyphPPEM, nil)
	if err != nil {
		return outline{}, err
	}
	if p.cache == nil || len(p.segs)+len(segs) > maxCachedSegs {
		p.cache = make(map[glyphKey]outline)
		p.segs = p.segs[:0]
	}
	o := outline{start: len(p.segs)}
	b := emptyBox()
	for _, s := range segs {
		sg := seg{op: s.Op}
		for j := range npts(s.Op) {
			x, y := float32(float64(s.Args[j].X)*glyphUnit), float32(float64(s.Args[j].Y)*glyphUnit)
			sg.pts[j] = [2]float32{x, y}
			b.add(float64(x), float64(y))
		}
		p.segs = append(p.segs, sg)
	}
	o.end = len(p.segs)
	if o.end > o.start {
		o.bounds = [4]float32{float32(b.x0), float32(b.y0), float32(b.x1), float32(b.y1)}
	}
	p.cache[k] = o
	return o, nil
}

func npts(op sfnt.SegmentOp) int {
	switch op {
	case sfnt.SegmentOpQuadTo:
		return 2
	case sfnt.SegmentOpCubeTo:
		return 3
	}
	return 1
}

func (p *painter) line(it *layout.Item) error {
	x0, y0, x1, y1 := it.X*p.scale, it.Y*p.scale, it.X2*p.scale, it.Y2*p.scale
	// A zero-width rule is the thinnest line the device can show (PDF 8.4.3.2);
	// none is narrower than a pixel.
	w := max(it.LineWidth*p.scale, 1)
	p.path = p.path[:0]
	switch {
	case x0 == x1 && y0 == y1:
		return nil // butt caps: a zero-length rule paints nothing
	case y0 == y1:
		lo, hi := snap(y0-w/2, y0+w/2)
		a, b := snapEnds(x0, x1)
		p.rectPath(a, lo, b, hi)
	case x0 == x1:
		lo, hi := snap(x0-w/2, x0+w/2)
		a, b := snapEnds(y0, y1)
		p.rectPath(lo, a, hi, b)
	default:
		// Clip to the page first: the rasterizer works relative to the
		// painted area and a far endpoint would leave its range.
		var ok bool
		if x0, y0, x1, y1, ok = clipSegment(x0, y0, x1, y1, p.clip.Inset(-int(math.Ceil(w)))); !ok {
			return nil
		}
		dx, dy := x1-x0, y1-y0
		n := math.Hypot(dx, dy)
		nx, ny := -dy/n*w/2, dx/n*w/2
		p.path = append(p.path,
			pathOp{op: sfnt.SegmentOpMoveTo, pts: [1][2]float64{{x0 + nx, y0 + ny}}},
			pathOp{op: sfnt.SegmentOpLineTo, pts: [1][2]float64{{x1 + nx, y1 + ny}}},
			pathOp{op: sfnt.SegmentOpLineTo, pts: [1][2]float64{{x1 - nx, y1 - ny}}},
			pathOp{op: sfnt.SegmentOpLineTo, pts: [1][2]float64{{x0 - nx, y0 - ny}}},
		)
	}
	bb := emptyBox()
	for _, op := range p.path {
		bb.add(op.pts[0][0], op.pts[0][1])
	}
	return p.fill(bb, 0)
}

// snap moves the edges of a rule across its length to whole pixels, keeping at
// least one pixel: the pixel under the centre when the rule is thinner.
func snap(lo, hi float64) (float64, float64) {
	a, b := math.Round(lo), math.Round(hi)
	if b <= a {
		a = math.Floor((lo + hi) / 2)
		b = a + 1
	}
	return a, b
}

// snapEnds rounds a rule's ends to whole pixels, in order.
func snapEnds(a, b float64) (float64, float64) {
	a, b = min(a, b), max(a, b)
	ra, rb := math.Round(a), math.Round(b)
	if rb <= ra {
		ra = math.Floor((a + b) / 2)
		rb = ra + 1
	}
	return ra, rb
}

func (p *painter) rectPath(x0, y0, x1, y1 float64) {
	// Clamped to the clip: rules may be drawn far beyond the page.
	c := p.clip
	x0, x1 = max(x0, float64(c.Min.X)), min(x1, float64(c.Max.X))
	y0, y1 = max(y0, float64(c.Min.Y)), min(y1, float64(c.Max.Y))
	if !(x0 < x1 && y0 < y1) {
		return
	}
	p.path = append(p.path,
		pathOp{op: sfnt.SegmentOpMoveTo, pts: [1][2]float64{{x0, y0}}},
		pathOp{op: sfnt.SegmentOpLineTo, pts: [1][2]float64{{x1, y0}}},
		pathOp{op: sfnt.SegmentOpLineTo, pts: [1][2]float64{{x1, y1}}},
		pathOp{op: sfnt.SegmentOpLineTo, pts: [1][2]float64{{x0, y1}}},
	)
}

// fill rasterizes p.path, whose points lie in bb, and paints it in gray ink over
// the page.
func (p *painter) fill(bb box, ink uint8) error {
	if len(p.path) == 0 {
		return nil
	}
	r, ok := p.begin(bb)
	if !ok {
		return nil
	}
	ox, oy := float64(r.Min.X), float64(r.Min.Y)
	z := &p.z
	pt := func(q [2]float64) (float32, float32) { return float32(q[0] - ox), float32(q[1] - oy) }
	open := false
	for _, op := range p.path {
		switch op.op {
		case sfnt.SegmentOpMoveTo:
			if open {
				z.ClosePath()
			}
			open = true
			z.MoveTo(pt(op.pts[0]))
		case sfnt.SegmentOpLineTo:
			z.LineTo(pt(op.pts[0]))
		default:
			return fmt.Errorf("unexpected path operator %d", op.op)
		}
	}
	if open {
		z.ClosePath()
	}
	p.finish(r, ink)
	return nil
}

// begin prepares the rasterizer for the pixels of bb that fall within the clip,
// returning them; ok is false when there are none.
func (p *painter) begin(bb box) (r image.Rectangle, ok bool) {
	r = bb.pixels().Intersect(p.clip)
	if r.Empty() {
		return r, false
	}
	p.z.Reset(r.Dx(), r.Dy())
	return r, true
}

// finish turns the path added since begin into coverage, in a scratch mask the
// size of r (the rasterizer's fast path), and composites ink through it onto
// the page.
func (p *painter) finish(r image.Rectangle, ink uint8) {
	w, h := r.Dx(), r.Dy()
	if n := w * h; cap(p.mask.Pix) < n {
		p.mask.Pix = make([]uint8, n)
	} else {
		p.mask.Pix = p.mask.Pix[:n]
	}
	p.mask.Stride, p.mask.Rect = w, image.Rect(0, 0, w, h)
	p.z.DrawOp = draw.Src
	p.z.Draw(&p.mask, p.mask.Rect, image.Opaque, image.Point{})

	vis := r.Intersect(p.dst.Rect)
	g := uint32(ink)
	for y := vis.Min.Y; y < vis.Max.Y; y++ {
		m := p.mask.Pix[(y-r.Min.Y)*w+(vis.Min.X-r.Min.X):][:vis.Dx()]
		d := p.dst.Pix[p.dst.PixOffset(vis.Min.X, y):][:vis.Dx()]
		for i, a := range m {
			switch a {
			case 0:
			case 0xFF:
				d[i] = ink
			default:
				a := uint32(a)
				d[i] = uint8((uint32(d[i])*(255-a) + g*a + 127) / 255)
			}
		}
	}
}

// clipSegment clips the segment to r (Liang–Barsky); ok is false when nothing of
// it is inside.
func clipSegment(x0, y0, x1, y1 float64, r image.Rectangle) (ax, ay, bx, by float64, ok bool) {
	t0, t1 := 0.0, 1.0
	dx, dy := x1-x0, y1-y0
	for _, c := range [4][2]float64{
		{-dx, x0 - float64(r.Min.X)},
		{dx, float64(r.Max.X) - x0},
		{-dy, y0 - float64(r.Min.Y)},
		{dy, float64(r.Max.Y) - y0},
	} {
		pp, q := c[0], c[1]
		if pp == 0 {
			if q < 0 {
				return 0, 0, 0, 0, false
			}
			continue
		}
		t := q / pp
		if pp < 0 {
			t0 = max(t0, t)
		} else {
			t1 = min(t1, t)
		}
		if t0 > t1 {
			return 0, 0, 0, 0, false
		}
	}
	return x0 + t0*dx, y0 + t0*dy, x0 + t1*dx, y0 + t1*dy, true
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
