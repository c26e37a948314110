package layout

import (
	"math"
	"slices"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/govreport/govreport/fonts"
)

// A dash —— and an ellipsis …… are one mark of two em boxes (GB/T 15834):
// drawn as two glyphs at their advance, a face whose glyph does not fill
// its box (FandolFang's … sits three dots in the middle of the em) leaves
// a gap between the halves, and the mark reads as two. runPitch is how
// far apart the glyphs of such a run are drawn, in pt: for a dash its
// ink's length, so that the strokes meet; for an ellipsis three times the
// pitch of its dots, so that the six dots are even. ok is false for a
// glyph without ink or contours to measure.
func runPitch(face *fonts.Face, r rune, size float64) (pitch, left, right float64, ok bool) {
	const ppem = 1000
	var buf sfnt.Buffer
	segs, err := face.SFNT().LoadGlyph(&buf, sfnt.GlyphIndex(face.GlyphIndex(r)), fixed.I(ppem), nil)
	if err != nil || len(segs) == 0 {
		return 0, 0, 0, false
	}
	// The x extent of each contour, in ems.
	type span struct{ lo, hi float64 }
	var spans []span
	for _, s := range segs {
		if s.Op == sfnt.SegmentOpMoveTo {
			spans = append(spans, span{1e9, -1e9})
		}
		n := 1
		switch s.Op {
		case sfnt.SegmentOpQuadTo:
			n = 2
		case sfnt.SegmentOpCubeTo:
			n = 3
		}
		if len(spans) == 0 {
			return 0, 0, 0, false
		}
		sp := &spans[len(spans)-1]
		for _, p := range s.Args[:n] {
			x := float64(p.X) / 64 / ppem
			sp.lo, sp.hi = min(sp.lo, x), max(sp.hi, x)
		}
	}
	left, right = 1e9, -1e9
	for _, sp := range spans {
		left, right = min(left, sp.lo), max(right, sp.hi)
	}
	if right <= left {
		return 0, 0, 0, false
	}
	if r == '…' {
		// The dots: the contours' left edges, distinct (a dot may be
		// drawn as more than one contour), evenly spaced.
		var los []float64
		for _, sp := range spans {
			los = append(los, sp.lo)
		}
		slices.Sort(los)
		los = slices.CompactFunc(los, func(a, b float64) bool { return math.Abs(b-a) < 0.02 })
		if len(los) < 2 {
			return 0, 0, 0, false
		}
		d := (los[len(los)-1] - los[0]) / float64(len(los)-1)
		return float64(len(los)) * d * size, left * size, right * size, true
	}
	// A dash: the strokes overlap by a hundredth of an em, so that no
	// seam shows between them.
	return (right - left - 0.01) * size, left * size, right * size, true
}
