package pdfcheck

import (
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Glyph is one glyph as pdftocairo -svg draws it: its page, its origin
// and the x extents of its outline's contours, from the origin, in points.
type Glyph struct {
	Page     int
	X, Y     float64
	Contours [][2]float64
}

// Ink is the x extent of the glyph's outline from its origin.
func (g Glyph) Ink() (left, right float64, ok bool) {
	left, right = math.Inf(1), math.Inf(-1)
	for _, c := range g.Contours {
		left, right = min(left, c[0]), max(right, c[1])
	}
	return left, right, len(g.Contours) > 0
}

var (
	svgSymbol = regexp.MustCompile(`<symbol overflow="visible" id="([^"]+)">\s*(?:<path[^>]* d="([^"]*)"/>)?`)
	svgUse    = regexp.MustCompile(`<use xlink:href="#([^"]+)" x="([-0-9.e]+)" y="([-0-9.e]+)"/>|<page>`)
)

// Glyphs reads every glyph of a PDF with its position, as pdftocairo
// draws it to SVG: the only one of poppler's tools that places each glyph
// (pdftotext gives words).
func Glyphs(t testing.TB, pdf string) []Glyph {
	t.Helper()
	var out []Glyph
	for _, s := range svgPages(t, pdf) {
		out = append(out, glyphsOf(s)...)
	}
	return out
}

// svgPage is pdftocairo's SVG of a PDF's pages from first (from 1), less
// those of skip.
type svgPage struct {
	first int
	skip  map[int]bool
	svg   string
}

// svgPages draws a PDF to SVG: all its pages at once, and each landscape
// page alone, since pdftocairo gives every page of one SVG the first
// page's size and clips what lies beyond it.
func svgPages(t testing.TB, pdf string) []svgPage {
	t.Helper()
	land := Landscape(t, pdf)
	out := []svgPage{{first: 1, skip: land, svg: Tool(t, "pdftocairo", "-svg", pdf, "-")}}
	for p := range land {
		n := strconv.Itoa(p)
		out = append(out, svgPage{first: p, svg: Tool(t, "pdftocairo", "-svg", "-f", n, "-l", n, pdf, "-")})
	}
	return out
}

func glyphsOf(s svgPage) []Glyph {
	contours := map[string][][2]float64{}
	for _, m := range svgSymbol.FindAllStringSubmatch(s.svg, -1) {
		contours[m[1]] = pathContours(m[2])
	}
	var out []Glyph
	page := 0
	for _, m := range svgUse.FindAllStringSubmatch(s.svg, -1) {
		if m[0] == "<page>" {
			page++
			continue
		}
		pg := s.first + max(page, 1) - 1
		if s.skip[pg] {
			continue
		}
		x, _ := strconv.ParseFloat(m[2], 64)
		y, _ := strconv.ParseFloat(m[3], 64)
		out = append(out, Glyph{Page: pg, X: x, Y: y, Contours: contours[m[1]]})
	}
	return out
}

// pathContours is the x extent of each contour of an SVG path of M, L, C,
// Q and Z commands with absolute coordinates, as cairo writes them.
func pathContours(d string) [][2]float64 {
	var out [][2]float64
	xy := 0 // 0 before an x, 1 before a y
	for _, f := range strings.Fields(d) {
		switch f {
		case "M":
			out = append(out, [2]float64{math.Inf(1), math.Inf(-1)})
			xy = 0
			continue
		case "L", "C", "Q", "Z":
			xy = 0
			continue
		}
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || len(out) == 0 {
			continue
		}
		if xy == 0 {
			c := &out[len(out)-1]
			c[0], c[1] = min(c[0], v), max(c[1], v)
		}
		xy = 1 - xy
	}
	return out
}

// rowGlyphs pairs a row's characters with the glyphs drawn on its
// baseline inside its box, left to right; nil if they do not pair up (a
// space, or a mark drawn as two glyphs).
func rowGlyphs(row Row, gs []Glyph) []Glyph {
	in := glyphsIn(row, gs, false)
	if len(in) != len([]rune(row.Text)) {
		return nil
	}
	return in
}

// squeezable are the full-width marks whose glyph fills half the em box.
const squeezable = "，。、；：？！）》」』】〕（《「『【〔"

// checkSqueeze fails for a line that squeezes a lone mark below ¾ em:
// clreq's 标点挤压 takes room from a line's last mark and from pairs of
// adjacent marks (）。 ，“); a comma squeezed alone between hanzi (制,定期)
// reads as a Western one.
func checkSqueeze(t testing.TB, name string, rows []Row, gs []Glyph) {
	t.Helper()
	checkMarks(t, name, rows, gs, true, false)
}

// Marks fails for a dash —— or an ellipsis …… of a PDF drawn as two
// marks: a dash's strokes meet; an ellipsis's six dots are even (the step
// from the first half's last dot to the second half's first at most a
// fifth more than the step between the dots of a half). It is not part of
// Typesetting, which also reads LibreOffice's rendering of the DOCX:
// LibreOffice draws each half at its advance (under the document grid it
// ignores a run's character spacing), and FandolFang's … leaves a gap.
func Marks(t testing.TB, pdf string) {
	t.Helper()
	checkMarks(t, filepath.Base(pdf), Rows(Words(t, pdf)), Glyphs(t, pdf), false, true)
}

func checkMarks(t testing.TB, name string, rows []Row, gs []Glyph, squeeze, halves bool) {
	t.Helper()
	for _, row := range rows {
		if row.YMin > bodyTop+bodyHeight {
			continue
		}
		rs := []rune(row.Text)
		in := rowGlyphs(row, gs)
		if in == nil {
			continue
		}
		mark := func(i int) bool { return i >= 0 && i < len(rs) && strings.ContainsRune(squeezable, rs[i]) }
		// The row's em: the median step between two hanzi (a box's
		// height depends on the face's ascent, not the size).
		var steps []float64
		for i := 0; i+1 < len(rs); i++ {
			if hanzi(rs[i]) && hanzi(rs[i+1]) {
				steps = append(steps, in[i+1].X-in[i].X)
			}
		}
		if len(steps) == 0 {
			continue
		}
		slices.Sort(steps)
		size := steps[len(steps)/2]
		for i := 0; i+1 < len(rs); i++ {
			if squeeze && mark(i) && !mark(i-1) && !mark(i+1) {
				if adv := in[i+1].X - in[i].X; adv < 0.75*size {
					t.Errorf("%s page %d: %q squeezed alone to %.2f em mid-line: %q", name, row.Page, rs[i], adv/size, row.Text)
				}
			}
			if !halves || (rs[i] != '—' && rs[i] != '…') || rs[i+1] != rs[i] {
				continue
			}
			a, b := in[i], in[i+1]
			_, ar, okA := a.Ink()
			bl, _, okB := b.Ink()
			switch {
			case !okA || !okB:
			case rs[i] == '—':
				if gap := b.X + bl - a.X - ar; gap > 0.02*size {
					t.Errorf("%s page %d: —— drawn with a gap of %.2f pt between its halves: %q", name, row.Page, gap, row.Text)
				}
			default:
				da, db := dots(a), dots(b)
				if len(da) < 2 || len(db) < 1 {
					break
				}
				step := (da[len(da)-1] - da[0]) / float64(len(da)-1)
				if across := b.X + db[0] - a.X - da[len(da)-1]; across > 1.2*step {
					t.Errorf("%s page %d: …… drawn as two marks: %.2f pt between its halves' dots, %.2f within: %q", name, row.Page, across, step, row.Text)
				}
			}
			i++
		}
	}
}

// hanzi reports whether r is a CJK ideograph.
func hanzi(r rune) bool {
	return (r >= 0x3400 && r <= 0x9FFF) || (r >= 0xF900 && r <= 0xFAFF)
}

// dots is the left edges of a glyph's contours, distinct, in order: the
// dots of an ellipsis.
func dots(g Glyph) []float64 {
	var out []float64
	for _, c := range g.Contours {
		out = append(out, c[0])
	}
	slices.Sort(out)
	return slices.CompactFunc(out, func(a, b float64) bool { return math.Abs(a-b) < 0.3 })
}

// glyphsIn returns the glyphs whose baseline is inside row's box, left to
// right; with inked, only those that draw something (no spaces).
func glyphsIn(row Row, gs []Glyph, inked bool) []Glyph {
	var in []Glyph
	for _, g := range gs {
		if (!inked || len(g.Contours) > 0) && g.Page == row.Page && g.Y >= row.YMin && g.Y <= row.YMax+1 && g.X >= row.XMin-1 && g.X <= row.XMax+1 {
			in = append(in, g)
		}
	}
	slices.SortStableFunc(in, func(a, b Glyph) int {
		switch {
		case a.X < b.X:
			return -1
		case a.X > b.X:
			return 1
		}
		return 0
	})
	return in
}
