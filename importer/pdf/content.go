package pdf

import (
	"fmt"
	"math"
	"sort"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// glyph is one shown character code on a page, in page space with y up.
type glyph struct {
	x, y float64 // the baseline's start
	w    float64 // advance along the baseline
	size float64 // the font size as set on the page
	text string
	bold bool
	// turned: the baseline runs more up or down the page than across
	// it (a page number set down the edge of a landscape page).
	turned bool
}

// centre is the middle of the glyph's body: the point that places it in
// a table's cell.
func (g glyph) centre() (x, y float64) { return g.x + g.w/2, g.y + g.size*0.3 }

// seg is a horizontal (y0 == y1) or vertical (x0 == x1) ruling line,
// x0 <= x1 and y0 <= y1.
type seg struct{ x0, y0, x1, y1 float64 }

type page struct {
	num          int
	x0, y0, w, h float64
	glyphs       []glyph
	hs, vs       []seg
	images       int
}

// display returns the matrix from the page's user space to the page as
// it is shown: the origin at the media box's lower-left corner, turned
// clockwise by the page's Rotate (a landscape table set on a portrait page
// reads upright). It swaps the page's width and height for 90 and 270.
func (p *page) display(rotate int) matrix {
	m := matrix{1, 0, 0, 1, -p.x0, -p.y0}
	w, h := p.w, p.h
	switch rotate {
	case 90:
		m = m.mul(matrix{0, -1, 1, 0, 0, w})
		p.w, p.h = h, w
	case 180:
		m = m.mul(matrix{-1, 0, 0, -1, w, h})
	case 270:
		m = m.mul(matrix{0, 1, -1, 0, h, 0})
		p.w, p.h = h, w
	}
	return m
}

type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n (m applied first).
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return x*m[0] + y*m[2] + m[4], x*m[1] + y*m[3] + m[5]
}

type gstate struct {
	ctm                        matrix
	font                       *font
	size, tc, tw, th, tl, rise float64
	mode                       int
}

type point struct{ x, y float64 }

// interp runs content streams, collecting glyphs and ruling lines.
type interp struct {
	r     *reader
	p     *page
	codes []code
}

func (in *interp) run(content []byte, res types.Dict, ctm matrix, depth int) {
	r := in.r
	gs := gstate{ctm: ctm, th: 1}
	var stack []gstate
	var tm, tlm matrix
	var args []token
	var path [][]point // subpaths, in user space
	var rects [][4]point
	fonts := r.dict(res["Font"])
	xobjs := r.dict(res["XObject"])
	l := lexer{b: content}
	arrayDepth := 0
	var tjArray []token
	num := func(i int) float64 {
		if i < len(args) && args[i].kind == tokNum {
			return args[i].num
		}
		return 0
	}
	for {
		if r.step() != nil {
			return
		}
		t, err := l.next()
		if err != nil {
			// Skip a malformed token as readers do; the rest still counts.
			args = args[:0]
			continue
		}
		if t.kind == tokEOF {
			return
		}
		switch t.kind {
		case tokArrayOpen:
			arrayDepth++
			if arrayDepth > maxNesting {
				return
			}
			tjArray = tjArray[:0]
			continue
		case tokArrayClose:
			if arrayDepth > 0 {
				arrayDepth--
			}
			args = append(args, token{kind: tokArrayOpen}) // marks "an array was here"
			continue
		case tokDictOpen:
			// Inline dictionaries (marked-content properties): skip.
			d := 1
			for d > 0 {
				if r.step() != nil {
					return
				}
				t2, err := l.next()
				if err != nil || t2.kind == tokEOF {
					return
				}
				switch t2.kind {
				case tokDictOpen:
					d++
					if d > maxNesting {
						return
					}
				case tokDictClose:
					d--
				}
			}
			args = append(args, token{kind: tokDictOpen})
			continue
		}
		if arrayDepth > 0 {
			if len(tjArray) < 1<<16 {
				tjArray = append(tjArray, t)
			}
			continue
		}
		if t.kind != tokOp {
			if len(args) < 64 {
				args = append(args, t)
			}
			continue
		}
		op := t.s
		switch op {
		case "q":
			if len(stack) < maxNesting {
				stack = append(stack, gs)
			}
		case "Q":
			if len(stack) > 0 {
				gs = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			if len(args) == 6 {
				gs.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(gs.ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "Tf":
			if len(args) == 2 && args[0].kind == tokName {
				if fonts != nil {
					gs.font = r.fontOf(fonts[args[0].s])
				}
				gs.size = num(1)
			}
		case "Tc":
			gs.tc = num(0)
		case "Tw":
			gs.tw = num(0)
		case "Tz":
			gs.th = num(0) / 100
		case "TL":
			gs.tl = num(0)
		case "Ts":
			gs.rise = num(0)
		case "Tr":
			gs.mode = int(num(0))
		case "Td", "TD":
			if op == "TD" {
				gs.tl = -num(1)
			}
			tlm = matrix{1, 0, 0, 1, num(0), num(1)}.mul(tlm)
			tm = tlm
		case "Tm":
			if len(args) == 6 {
				tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				tm = tlm
			}
		case "T*":
			tlm = matrix{1, 0, 0, 1, 0, -gs.tl}.mul(tlm)
			tm = tlm
		case "Tj", "'", "\"":
			if op != "Tj" {
				if op == "\"" && len(args) == 3 {
					gs.tw, gs.tc = num(0), num(1)
				}
				tlm = matrix{1, 0, 0, 1, 0, -gs.tl}.mul(tlm)
				tm = tlm
			}
			if len(args) > 0 && args[len(args)-1].kind == tokStr {
				in.show(args[len(args)-1].s, &gs, &tm)
			}
		case "TJ":
			for _, e := range tjArray {
				switch e.kind {
				case tokStr:
					in.show(e.s, &gs, &tm)
				case tokNum:
					tx := -e.num / 1000 * gs.size * gs.th
					tm = matrix{1, 0, 0, 1, tx, 0}.mul(tm)
				}
			}
		case "m":
			path = append(path, []point{{num(0), num(1)}})
		case "l":
			if len(path) > 0 && len(path[len(path)-1]) < 1<<12 {
				path[len(path)-1] = append(path[len(path)-1], point{num(0), num(1)})
			}
		case "c", "v", "y":
			// Curves are no ruling lines: start a new subpath at the end.
			if len(args) >= 2 {
				path = append(path, []point{{num(len(args) - 2), num(len(args) - 1)}})
			}
		case "h":
			if len(path) > 0 && len(path[len(path)-1]) > 1 {
				sp := path[len(path)-1]
				path[len(path)-1] = append(sp, sp[0])
			}
		case "re":
			x, y, w, h := num(0), num(1), num(2), num(3)
			rc := [4]point{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}
			rects = append(rects, rc)
			path = append(path, []point{rc[0], rc[1], rc[2], rc[3], rc[0]})
		case "S", "s", "B", "B*", "b", "b*":
			in.stroke(path, gs.ctm)
			path, rects = path[:0], rects[:0]
		case "f", "F", "f*":
			// Chromium fills a cell's border of an HTML table as four
			// points each side (a trapezoid where borders meet): a
			// quadrilateral, as well as a rectangle, can be a rule.
			for _, sp := range path {
				if len(sp) == 4 {
					rects = append(rects, [4]point(sp))
				}
			}
			in.fill(rects, gs.ctm)
			path, rects = path[:0], rects[:0]
		case "n":
			path, rects = path[:0], rects[:0]
		case "Do":
			if len(args) == 1 && args[0].kind == tokName && xobjs != nil {
				in.do(xobjs[args[0].s], res, gs.ctm, depth)
			}
		case "BI":
			// Inline image: skip its dictionary and data.
			for {
				if r.step() != nil {
					return
				}
				t2, err := l.next()
				if err != nil || t2.kind == tokEOF {
					return
				}
				if t2.kind == tokOp && t2.s == "ID" {
					l.skipInlineImage()
					break
				}
			}
			in.p.images++
		}
		args = args[:0]
		if len(path) > 1<<12 {
			path = path[:0]
		}
		if len(rects) > 1<<12 {
			rects = rects[:0]
		}
	}
}

// show places the glyphs of one string.
func (in *interp) show(s string, gs *gstate, tm *matrix) {
	f := gs.font
	if f == nil {
		return
	}
	in.codes = f.codes(s, in.codes[:0])
	for _, c := range in.codes {
		trm := matrix{gs.size * gs.th, 0, 0, gs.size, 0, gs.rise}.mul(*tm).mul(gs.ctm)
		x, y := trm[4], trm[5]
		size := math.Hypot(trm[2], trm[3])
		adv := c.width / 1000 * gs.size
		tx := adv + gs.tc
		if c.n == 1 && c.c == 32 {
			tx += gs.tw
		}
		tx *= gs.th
		// The advance in page space, along the baseline.
		ex, ey := matrix{1, 0, 0, 1, adv * gs.th, 0}.mul(*tm).mul(gs.ctm).apply(0, 0)
		w := math.Hypot(ex-x, ey-y)
		*tm = matrix{1, 0, 0, 1, tx, 0}.mul(*tm)
		if c.text == "" || !(size > 0 && size <= 1e4) || !finite(x, y, w) {
			continue // nothing to place, or a place no page has
		}
		if in.r.glyph >= maxGlyphs {
			in.r.err = fmt.Errorf("pdf: more than %d characters: %w", maxGlyphs, ErrLimit)
			return
		}
		in.r.glyph++
		in.p.glyphs = append(in.p.glyphs, glyph{x: x, y: y, w: w, size: size, text: c.text, bold: f.bold || gs.mode == 2, turned: math.Abs(trm[1]) > math.Abs(trm[0])})
	}
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e7 {
			return false
		}
	}
	return true
}

func (in *interp) addSeg(x0, y0, x1, y1 float64) {
	if len(in.p.hs)+len(in.p.vs) >= maxRules || !finite(x0, y0, x1, y1) {
		return
	}
	const eps = 0.5
	switch {
	case math.Abs(y1-y0) < eps && math.Abs(x1-x0) >= 1:
		y := (y0 + y1) / 2
		in.p.hs = append(in.p.hs, seg{math.Min(x0, x1), y, math.Max(x0, x1), y})
	case math.Abs(x1-x0) < eps && math.Abs(y1-y0) >= 1:
		x := (x0 + x1) / 2
		in.p.vs = append(in.p.vs, seg{x, math.Min(y0, y1), x, math.Max(y0, y1)})
	}
}

func (in *interp) stroke(path [][]point, ctm matrix) {
	for _, sp := range path {
		for i := 1; i < len(sp); i++ {
			x0, y0 := ctm.apply(sp[i-1].x, sp[i-1].y)
			x1, y1 := ctm.apply(sp[i].x, sp[i].y)
			in.addSeg(x0, y0, x1, y1)
		}
	}
}

// fill takes a thin filled rectangle for the ruling line it draws.
func (in *interp) fill(rects [][4]point, ctm matrix) {
	for _, rc := range rects {
		xs := make([]float64, 4)
		ys := make([]float64, 4)
		for i, p := range rc {
			xs[i], ys[i] = ctm.apply(p.x, p.y)
		}
		sort.Float64s(xs)
		sort.Float64s(ys)
		w, h := xs[3]-xs[0], ys[3]-ys[0]
		switch {
		case h <= 2.5 && w > h:
			y := (ys[0] + ys[3]) / 2
			in.addSeg(xs[0], y, xs[3], y)
		case w <= 2.5 && h > w:
			x := (xs[0] + xs[3]) / 2
			in.addSeg(x, ys[0], x, ys[3])
		}
	}
}

// do draws an XObject: a form's content, or counts an image.
func (in *interp) do(o types.Object, res types.Dict, ctm matrix, depth int) {
	r := in.r
	sd, ok := r.resolve(o).(types.StreamDict)
	if !ok {
		return
	}
	switch r.name(sd.Dict["Subtype"]) {
	case "Image":
		in.p.images++
	case "Form":
		if depth >= maxFormDepth {
			return
		}
		m := identity
		if a := r.array(sd.Dict["Matrix"]); len(a) == 6 {
			for i := range m {
				m[i], _ = r.num(a[i])
			}
		}
		fres := r.dict(sd.Dict["Resources"])
		if fres == nil {
			fres = res
		}
		b := r.decode(&sd)
		if b == nil {
			return
		}
		in.run(b, fres, m.mul(ctm), depth+1)
	}
}
