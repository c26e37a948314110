package layout

import (
	"strings"
	"testing"

	"github.com/govreport/govreport/fonts"
)

// glyphX is where each character of the body's lines is drawn, line by
// line: the items' runs expanded with their spacing.
func glyphX(pages []Page) [][]struct {
	r rune
	x float64
} {
	var out [][]struct {
		r rune
		x float64
	}
	last := ""
	for _, p := range pages {
		for _, it := range p.Items {
			if it.Kind != ItemText || !strings.HasPrefix(it.Box, "paragraph") {
				continue
			}
			if it.Box != last {
				out = append(out, nil)
				last = it.Box
			}
			x := it.X
			for _, r := range it.Text {
				out[len(out)-1] = append(out[len(out)-1], struct {
					r rune
					x float64
				}{r, x})
				x += it.Face.Advance(r)*it.Size + it.Spacing
			}
		}
	}
	return out
}

// TestLoneMarkKeepsItsWidth: a line that must take one character more, a
// closing mark, squeezes its last mark and its pairs of marks, then closes
// its gaps a little; a comma alone mid-line keeps at least ¾ em (it was
// squeezed to ½ em, and read as a Western comma: 制,定期).
func TestLoneMarkKeepsItsWidth(t *testing.T) {
	text := strings.Repeat("政", 12) + "，" + strings.Repeat("务", 13) + "，" + strings.Repeat("公开", 13) + "公。"
	ls := glyphX(paginate(t, para(text)))
	first := ls[0]
	if len(first) != 27 {
		t.Fatalf("first line holds %d characters, want 27 (26 after the indent, and the closing mark pushed in)", len(first))
	}
	for i, g := range first[:len(first)-1] {
		if g.r == '，' {
			if adv := first[i+1].x - g.x; adv < 0.75*16 {
				t.Errorf("the comma at %d is %.2f pt wide, less than ¾ em", i, adv)
			}
		}
	}
}

// TestEllipsisAndDashContinuous: the two halves of …… and —— are drawn as
// one mark: the six dots evenly spaced, the dash's strokes meeting.
func TestEllipsisAndDashContinuous(t *testing.T) {
	ls := glyphX(paginate(t, para("政务……公开——工作")))
	set := faces(t)
	for _, ln := range ls {
		for i := 0; i+1 < len(ln); i++ {
			r := ln[i].r
			if (r != '…' && r != '—') || ln[i+1].r != r {
				continue
			}
			f, _ := set.Resolve(fonts.RoleBody, r)
			pitch, left, right, ok := runPitch(f, r, 16)
			if !ok {
				t.Fatalf("%c: no outline to measure", r)
			}
			got := ln[i+1].x - ln[i].x
			if abs := got - pitch; abs > 0.02 || abs < -0.02 {
				t.Errorf("%c%c: halves %.2f pt apart, want %.2f (ink %.2f–%.2f)", r, r, got, pitch, left, right)
			}
			if r == '—' && ln[i].x+right < ln[i+1].x+left {
				t.Errorf("——: a gap of %.2f pt between the strokes", ln[i+1].x+left-ln[i].x-right)
			}
			i++
		}
	}
}
