package pdfcheck

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// MinCountRoom is the least room a count keeps from each rule of its cell,
// ink to the rule's centre, in points (issue 22: 1.5 mm; six- and
// seven-digit counts sat 0.7 mm from the rules).
const MinCountRoom = 1.5 * 72 / 25.4

// Rule is a straight line a PDF strokes (a table's rule), as pdftocairo
// -svg draws it, in the glyphs' coordinates.
type Rule struct {
	Page           int
	X1, Y1, X2, Y2 float64
}

var (
	svgStroke = regexp.MustCompile(`<path style="fill:none;[^"]*" d="M ([-0-9.e]+) ([-0-9.e]+) L ([-0-9.e]+) ([-0-9.e]+) "(?: transform="matrix\(([^)]*)\)")?/>|<page>`)
)

// Rules reads the straight strokes of a PDF, page by page, from
// pdftocairo's SVG (a path of one segment; its transform applied).
func Rules(t testing.TB, pdf string) []Rule {
	t.Helper()
	var out []Rule
	for _, s := range svgPages(t, pdf) {
		out = append(out, rulesOf(s)...)
	}
	return out
}

func rulesOf(s svgPage) []Rule {
	var out []Rule
	page := 0
	for _, m := range svgStroke.FindAllStringSubmatch(s.svg, -1) {
		if m[0] == "<page>" {
			page++
			continue
		}
		pg := s.first + max(page, 1) - 1
		if s.skip[pg] {
			continue
		}
		var v [4]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(m[i+1], 64)
		}
		mx := [6]float64{1, 0, 0, 1, 0, 0}
		if m[5] != "" {
			for i, f := range strings.Split(m[5], ",") {
				if i < 6 {
					mx[i], _ = strconv.ParseFloat(strings.TrimSpace(f), 64)
				}
			}
		}
		at := func(x, y float64) (float64, float64) {
			return mx[0]*x + mx[2]*y + mx[4], mx[1]*x + mx[3]*y + mx[5]
		}
		r := Rule{Page: pg}
		r.X1, r.Y1 = at(v[0], v[1])
		r.X2, r.Y2 = at(v[2], v[3])
		out = append(out, r)
	}
	return out
}

// countWord matches a count as pdftotext gives it: digits, or the / of a
// count that does not apply.
var countWord = regexp.MustCompile(`^[0-9]+$`)

// checkCountRoom fails for a count of a table whose ink comes nearer than
// MinCountRoom to the vertical rule on either side of it: the rules that
// cross its baseline, nearest to its left and to its right.
func checkCountRoom(t testing.TB, name string, words []Word, gs []Glyph, rules []Rule) {
	t.Helper()
	for _, w := range words {
		if !tableText(w) || !countWord.MatchString(w.Text) {
			continue
		}
		y, mid := (w.YMin+w.YMax)/2, (w.XMin+w.XMax)/2
		left, right := -1e9, 1e9
		for _, r := range rules {
			if r.Page != w.Page || abs(r.X1-r.X2) > 0.1 || y < min(r.Y1, r.Y2) || y > max(r.Y1, r.Y2) {
				continue
			}
			switch x := r.X1; {
			case x <= mid:
				left = max(left, x)
			default:
				right = min(right, x)
			}
		}
		if left < -1e8 || right > 1e8 {
			continue // not in a ruled cell: a page number
		}
		row := Row{Page: w.Page, XMin: w.XMin, YMin: w.YMin, XMax: w.XMax, YMax: w.YMax, Text: w.Text}
		in := glyphsIn(row, gs, true)
		if len(in) == 0 {
			t.Errorf("%s page %d: no glyphs for the count %q", name, w.Page, w.Text)
			continue
		}
		ink0, ink1 := in[0].X, in[0].X
		for _, g := range in {
			l, r, _ := g.Ink()
			ink0, ink1 = min(ink0, g.X+l), max(ink1, g.X+r)
		}
		if room := min(ink0-left, right-ink1); room < MinCountRoom-0.05 {
			t.Errorf("%s page %d: the count %s keeps %.2f mm from a rule of its cell (at least %.1f mm)",
				name, w.Page, w.Text, room*25.4/72, MinCountRoom*25.4/72)
		}
	}
}
