package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	stdpng "image/png"

	"github.com/govreport/govreport/golden"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render/png"
)

// paintDiff paints the page as the preview does and outlines in red the
// boxes that changed, so a reviewer sees the difference at a glance.
func paintDiff(ctx context.Context, page layout.Page, boxes []golden.Box) ([]byte, error) {
	const dpi = 96
	gray, err := png.Paint(ctx, page, png.Options{DPI: dpi})
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(gray.Bounds())
	draw.Draw(img, img.Bounds(), gray, image.Point{}, draw.Src)
	red := color.RGBA{R: 220, A: 255}
	px := func(pt float64) int { return int(pt * dpi / 72) }
	for _, b := range boxes {
		r := image.Rect(px(b.X0)-3, px(b.Y0)-3, px(b.X1)+3, px(b.Y1)+3).Intersect(img.Bounds())
		for w := 0; w < 2; w++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				img.Set(x, r.Min.Y+w, red)
				img.Set(x, r.Max.Y-1-w, red)
			}
			for y := r.Min.Y; y < r.Max.Y; y++ {
				img.Set(r.Min.X+w, y, red)
				img.Set(r.Max.X-1-w, y, red)
			}
		}
	}
	var buf bytes.Buffer
	if err := stdpng.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
