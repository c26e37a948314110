package layout

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/govreport/govreport/fonts"
)

// glyph is one character, measured in the face that will draw it.
type glyph struct {
	r    rune
	face *fonts.Face
	adv  float64 // natural advance, pt
	size float64
	run  int32 // the index of the run it came from
}

// unit is what line breaking moves as a whole: one CJK character or
// punctuation mark, a Latin or digit word (2024, PDF, 95.6%, 0871-12345678),
// or a space.
type unit struct {
	start, end int     // glyphs[start:end]
	width      float64 // as set: full-width glyphs squeezed onto the grid
	space      bool
	// shrink is how much a full-width punctuation mark may give up when a
	// line must hold one more mark (标点挤压): its glyph fills only half
	// the em box.
	shrink float64
	open   bool // an opening mark: its ink sits in the right half
	// pair says the mark stands beside another that may shrink (）。,
	// ，“): only such pairs and a line's last mark squeeze (clreq's
	// 标点挤压), so a lone comma mid-line keeps its full width and never
	// reads as a Western one.
	pair bool
	// word marks a piece of a Latin or digit word; join, a piece that
	// continues the word before it: a URL, an e-mail address or a phone
	// number is cut into pieces at its natural break points (after / . -
	// _ ? & = @, UAX #14's classes BA, SY and HY), a line may end between
	// them, but no space is ever put there.
	word, join bool
}

// Line-breaking rules of Chinese typesetting (GB/T 15834, clreq): no line
// starts with a closing mark, none ends with an opening one.
const (
	noLineStart = "，。、；：？！）》」』】〕…%％·”’,.;:?!)]}"
	noLineEnd   = "（《「『【〔“‘([{"
)

// isNoStart and isNoEnd are asked of every character a line breaker
// weighs: a bit of a set made from the lists, not a scan of them. Every
// mark of either list is in the Basic Multilingual Plane.
func isNoStart(r rune) bool { return noStartSet.has(r) }
func isNoEnd(r rune) bool   { return noEndSet.has(r) }

var noStartSet, noEndSet = newBMPSet(noLineStart), newBMPSet(noLineEnd)

// bmpSet is a set of characters of the Basic Multilingual Plane, a bit
// each (8 KB).
type bmpSet [0x10000 / 64]uint64

func newBMPSet(s string) *bmpSet {
	set := new(bmpSet)
	for _, r := range s {
		if r >= 0x10000 {
			panic(fmt.Sprintf("layout: %U is outside the Basic Multilingual Plane", r))
		}
		set[r/64] |= 1 << (r % 64)
	}
	return set
}

func (s *bmpSet) has(r rune) bool {
	return uint32(r) < 0x10000 && s[r/64]&(1<<(r%64)) != 0
}

// isWordChar reports whether r belongs to a Latin or digit word, which is
// never split: ASCII letters, digits and the punctuation that sits inside
// numbers, URLs and phone numbers, and other alphabetic scripts.
func isWordChar(r rune) bool {
	switch {
	case r < 0x80:
		return r > ' ' && r != '(' && r != '[' && r != '{' && r != '"' && r != '\''
	case r < 0x2000:
		return r != 0xA0 && r != 0xB7 // Latin-1 and other alphabets, not NBSP or ·
	}
	return false
}

func isSpace(r rune) bool { return r == ' ' || r == 0xA0 }

// typesetter measures and breaks text with one set of faces.
type typesetter struct {
	fonts *fonts.Set
	style Style
	// tableCap is the largest size a table is set at, 0 for TableSize:
	// the size all of a report's tables share where they can (issue 22).
	tableCap float64
	// tables and shaped remember, for one layout, each table measured at
	// a size and the cells shaped at a size: the report's shared table
	// size, the landscape test and the table itself try the same tables
	// at the same sizes (a third of a render's layout time went to doing
	// them again). Both are pure functions of their keys.
	tables  map[tableKey]tableTry
	columns map[tableKey]columnsTry
	shaped  map[shapeKey]*shapedText
}

// shape resolves a face for every character of the runs: the role's face,
// else the fallback face; a character no face has is an error naming it.
func (ts *typesetter) shape(runs []Run, size float64, where string) ([]glyph, []int, error) {
	total := 0
	for _, run := range runs {
		total += utf8.RuneCountInString(run.Text)
	}
	gs := make([]glyph, 0, total)
	runStarts := make([]int, 0, len(runs))
	n := 0
	for ri, run := range runs {
		runStarts = append(runStarts, len(gs))
		resolver := ts.fonts.Resolver(run.Role)
		for _, r := range run.Text {
			n++
			face, ok := resolver.Resolve(r)
			if !ok {
				return nil, nil, &fonts.MissingError{Rune: r, Where: fmt.Sprintf("%s, character %d", where, n)}
			}
			gs = append(gs, glyph{r: r, face: face, adv: face.Advance(r) * size, size: size, run: int32(ri)})
		}
	}
	return gs, runStarts, nil
}

// units groups glyphs into unbreakable units. squeeze is subtracted from
// every full-width glyph: the grid's character pitch is a little under the
// type size, as in Word's document grid.
func units(gs []glyph, runStarts []int, squeeze float64) []unit {
	// A paragraph has a few runs: a look-up in runStarts costs less than
	// the map it used to fill, and a unit is at most a glyph.
	boundary := func(i int) bool { return slices.Contains(runStarts, i) }
	us := make([]unit, 0, len(gs))
	for i := 0; i < len(gs); {
		r := gs[i].r
		u := unit{start: i, end: i + 1}
		switch {
		case isSpace(r):
			u.space = true
		case isWordChar(r):
			for u.end < len(gs) && isWordChar(gs[u.end].r) && !boundary(u.end) {
				u.end++
			}
			u.word = true
		case r == '—' || r == '…':
			// A dash —— or an ellipsis …… is one mark: never split.
			for u.end < len(gs) && gs[u.end].r == r && !boundary(u.end) {
				u.end++
			}
		}
		if u.end-u.start == 1 && gs[u.start].adv >= 0.95*gs[u.start].size && (isNoStart(r) || isNoEnd(r)) && r != '…' && r != '—' {
			u.shrink = gs[u.start].adv / 2
			u.open = isNoEnd(r)
		}
		if u.word {
			for _, cut := range latinBreaks(gs, u.start, u.end) {
				p := u
				p.end = cut
				us = append(us, measured(gs, p, squeeze))
				u.start, u.join = cut, true
			}
		}
		us = append(us, measured(gs, u, squeeze))
		i = u.end
	}
	for k := range us {
		if us[k].shrink > 0 {
			us[k].pair = (k > 0 && us[k-1].shrink > 0) || (k+1 < len(us) && us[k+1].shrink > 0)
		}
	}
	return us
}

// measured sets u's width: its glyphs' advances, each full-width glyph
// squeezed onto the grid.
func measured(gs []glyph, u unit, squeeze float64) unit {
	u.width = 0
	for _, g := range gs[u.start:u.end] {
		u.width += g.adv
		if g.adv >= 0.95*g.size {
			u.width -= squeeze
		}
	}
	return u
}

// latinBreaks lists where a Latin word gs[start:end] may break: after the
// last of a run of / . - _ ? & = @ (http://|www.|example.|gov.|cn/), never
// between two digits (95.6%, 1,286) and never before the word's last
// character.
func latinBreaks(gs []glyph, start, end int) []int {
	var out []int
	for i := start + 1; i < end-1; i++ {
		a, b := gs[i-1].r, gs[i].r
		if !strings.ContainsRune(wordBreakAfter, a) || strings.ContainsRune(wordBreakAfter, b) || isNoStart(b) {
			continue
		}
		if a != '-' && i-2 >= start && isDigit(gs[i-2].r) && isDigit(b) {
			continue // a decimal point between digits
		}
		out = append(out, i)
	}
	return out
}

// wordBreakAfter are the characters a Latin word may break after.
const wordBreakAfter = "/.-_?&=@"

// breakAllowed reports whether a line may end after unit a and the next
// start with unit b.
func breakAllowed(gs []glyph, a, b unit) bool {
	if b.space || a.space {
		return true
	}
	return !isNoStart(gs[b.start].r) && !isNoEnd(gs[a.end-1].r)
}

// line is a range of units set on one line.
type line struct {
	start, end int // units[start:end], without leading or trailing spaces
	width      float64
	last       bool // the paragraph's last line: not justified
}

// fit is one way to end a line: after units[:end], at a cost. The natural
// end — the most that fits, where a break is allowed — costs 0; pushing
// units to the next line or squeezing a closing mark in costs 1, so that
// the optimiser keeps as many lines as it can exactly full.
type fit struct {
	end  int
	cost float64
}

// maxPushBack bounds the breaks before the natural one that a line may
// take: each shortens the line by a unit and loosens its spacing.
const maxPushBack = 4

// fits lists the ways a line starting at unit start can end in avail
// (pt). A closing mark may squeeze into a full line by up to compress
// times its width (its glyph fills only half the em box); it never starts
// the next line.
// The fits are appended to out[:0]; gaps are the units' gaps counted
// (newGapIndex).
func fits(gs []glyph, us []unit, gaps *gapIndex, start int, avail, compress float64, out []fit) []fit {
	const eps = 0.01
	out = out[:0]
	// widths[i] is the width of units[start:start+i], summed as badness
	// would sum it, so that it need not again for every end it weighs.
	var room [64]float64
	widths := room[:0]
	x, j := 0.0, start
	for j < len(us) && x+us[j].width <= avail+eps {
		widths = append(widths, x)
		x += us[j].width
		j++
	}
	if j == len(us) {
		return append(out, fit{len(us), 0})
	}
	widths = append(widths, x)
	for k, alts := j, 0; k > start && alts < maxPushBack; k-- {
		if breakAllowed(gs, us[k-1], us[k]) {
			c := 0.0
			if k < j {
				c = 1 + 0.01*float64(j-k)
			}
			out = append(out, fit{k, c + breakCost(gs, us, k) + badness(gs, us, gaps, widths, start, k, avail)})
			alts++
		}
	}
	// Squeeze a closing mark in, taking the room from it and from the
	// pairs of adjacent marks of the line (标点挤压); a lone mark mid-line
	// keeps its width.
	u := us[j]
	if !u.space && u.shrink > 0 && !u.open && (j+1 == len(us) || breakAllowed(gs, u, us[j+1])) &&
		lineFits(gs, us, line{start: start, end: j + 1, width: x + u.width}, avail, compress) {
		out = append(out, fit{j + 1, 1.05})
	}
	if len(out) == 0 {
		// Nothing allowed fits (a chain of marks that may not be parted):
		// break where the line is full rather than overflow.
		out = append(out, fit{max(j, start+1), 1})
	}
	return out
}

// Costs of a paragraph's breaks beside the lines' looseness: a break
// inside a URL or an e-mail address (at a natural point), and one between
// a number and the hanzi after it (2024|年, 1.2|万), and one after the
// hyphen of a phone number, which UAX #14 does not allow (HY × NU): taken
// only where the line would otherwise be too loose.
const (
	joinCost   = 0.5
	numberCost = 0.5
	phoneCost  = 3
)

func breakCost(gs []glyph, us []unit, k int) float64 {
	switch {
	case us[k].join && gs[us[k].start-1].r == '-' && isDigit(gs[us[k].start].r):
		return phoneCost // 0871-|12345678
	case us[k].join:
		return joinCost
	case us[k-1].word && !us[k].word && !us[k].space && isDigit(gs[us[k-1].end-1].r) && hanzi(gs[us[k].start].r):
		return numberCost
	}
	return 0
}

// Looseness of a justified line (issue 22): the extra space a gap takes is
// weighed as Knuth and Plass weigh badness, by its cube, so one gap of a
// quarter em costs more than a character moved to the next line, and
// more than that is worse than anything but overflow.
const (
	looseEm    = 0.25 // the most extra a gap should take, in em
	looseCost  = 5    // what a line whose gaps take looseEm costs
	tooLooseEm = 100  // and what each further looseEm costs
)

// badness is the cost of the looseness of units[start:end] justified to
// avail.
// widths[i] is the width of units[start:start+i], for i up to end-start.
func badness(gs []glyph, us []unit, gaps *gapIndex, widths []float64, start, end int, avail float64) float64 {
	for end > start && us[end-1].space {
		end--
	}
	if end <= start {
		return 0
	}
	w := widths[end-start]
	nb, no := gaps.counts(start, end)
	size := gs[us[start].start].size
	eb, eo := stretch(avail-w, nb, no, size)
	// The gaps between hanzi and Latin words are there to take the
	// space (up to looseEm): the line is as loose as its other gaps,
	// unless it has none.
	e := eo
	switch {
	case nb+no == 0:
		e = avail - w // one run that cannot break: nothing to spread it over
	case no == 0:
		e = eb
	}
	r := e / (looseEm * size)
	c := looseCost * r * r * r
	if r > 1 {
		c += tooLooseEm * (r - 1)
	}
	return c
}

// Kinds of the gap after a unit of a line, for justification.
const (
	gapNone     = iota // inside a word, or the line's end
	gapBoundary        // between a hanzi and a Latin word, or at a space
	gapOrdinary        // between hanzi, marks, or a word and a mark
)

// gapKind is the kind of the gap between units k and k+1.
func gapKind(gs []glyph, us []unit, k int) int {
	a, b := us[k], us[k+1]
	switch {
	case b.join:
		return gapNone
	case a.space || b.space:
		return gapBoundary
	case a.word && !b.word && hanzi(gs[b.start].r), b.word && !a.word && hanzi(gs[a.end-1].r):
		return gapBoundary
	}
	return gapOrdinary
}

// gapIndex counts a paragraph's gaps once, so that the line breaker,
// which weighs several ends for every line start, does not count each
// line's gaps again for each. It counts them when first asked: text that
// fits one line (most table cells) is never weighed.
type gapIndex struct {
	gs []glyph
	us []unit
	// sums[2k] and sums[2k+1] are the boundary and the ordinary gaps
	// among the first k (the gap k lies after unit k).
	sums []int32
}

// counts is gapCounts of units[start:end].
func (gi *gapIndex) counts(start, end int) (nb, no int) {
	if end-1 <= start {
		return 0, 0
	}
	if gi.sums == nil {
		n := len(gi.us)
		s := make([]int32, 2*n)
		for k := 0; k+1 < n; k++ {
			s[2*k+2], s[2*k+3] = s[2*k], s[2*k+1]
			switch gapKind(gi.gs, gi.us, k) {
			case gapBoundary:
				s[2*k+2]++
			case gapOrdinary:
				s[2*k+3]++
			}
		}
		gi.sums = s
	}
	a, b := gi.sums[2*start:2*start+2], gi.sums[2*(end-1):2*(end-1)+2]
	return int(b[0] - a[0]), int(b[1] - a[1])
}

// gapCounts counts the boundary and the ordinary gaps of units[start:end].
func gapCounts(gs []glyph, us []unit, start, end int) (nb, no int) {
	for k := start; k+1 < end; k++ {
		switch gapKind(gs, us, k) {
		case gapBoundary:
			nb++
		case gapOrdinary:
			no++
		}
	}
	return nb, no
}

// stretch shares extra (pt) among a line's nb boundary and no ordinary
// gaps as clreq recommends: the space between a hanzi and a Latin word
// takes it first, up to looseEm; the gaps between hanzi the rest; when
// that is more than a boundary gap has, every gap takes the same.
func stretch(extra float64, nb, no int, size float64) (eb, eo float64) {
	if extra <= 0 || nb+no == 0 {
		return 0, 0
	}
	if nb > 0 {
		eb = min(extra/float64(nb), looseEm*size)
	}
	rest := extra - eb*float64(nb)
	switch {
	case no == 0:
		eb += rest / float64(nb)
	default:
		eo = rest / float64(no)
		if eo > eb && nb > 0 {
			eb = extra / float64(nb+no)
			eo = eb
		}
	}
	return eb, eo
}

// hanzi reports whether r is a CJK ideograph.
func hanzi(r rune) bool {
	return (r >= 0x3400 && r <= 0x9FFF) || (r >= 0xF900 && r <= 0xFAFF) || (r >= 0x20000 && r <= 0x3FFFF)
}

// breakLines breaks units into lines: first is the first line's width,
// rest the others'. With optimize, it chooses the breaks of the whole
// paragraph that leave the fewest lines not exactly full (a small dynamic
// programme over line starts, linear in the units); otherwise it takes the
// best break line by line. Units wider than a line are split first, so
// every line makes progress and the loop ends.
func breakLines(ctx context.Context, gs []glyph, us []unit, first, rest, compress float64, optimize bool) ([]unit, []line, error) {
	narrow := min(first, rest)
	for i := 0; i < len(us); i++ {
		if us[i].width > narrow+0.01 && us[i].end-us[i].start > 1 {
			us = splitUnit(gs, us, i, narrow)
		}
	}
	skip := func(i int) int {
		for i < len(us) && us[i].space {
			i++
		}
		return i
	}
	n := len(us)
	cost := make([]float64, n+1)
	back := make([]int, n+1)
	for i := range cost {
		cost[i] = math.Inf(1)
	}
	gaps := &gapIndex{gs: gs, us: us}
	var buf [maxPushBack + 2]fit
	s0 := skip(0)
	if s0 == n {
		return us, nil, nil
	}
	cost[s0] = 0
	for i := s0; i < n; i++ {
		if math.IsInf(cost[i], 1) {
			continue
		}
		if i%256 == 255 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		avail := rest
		if i == s0 {
			avail = first
		}
		fs := fits(gs, us, gaps, i, avail, compress, buf[:0])
		if !optimize {
			best := fs[0]
			for _, f := range fs[1:] {
				if f.cost < best.cost {
					best = f
				}
			}
			fs = append(fs[:0], best)
		}
		for _, f := range fs {
			next := skip(f.end)
			c := cost[i] + f.cost + lineCost
			if optimize && next == n && i != s0 && loneLast(gs, us[i:f.end]) {
				// A last line of one character: bring one down from
				// the line above (looser spacing there) if a break allows.
				c += widowCost
			}
			if c < cost[next] {
				cost[next], back[next] = c, i
			}
		}
	}
	var starts []int
	for at := n; at != s0; at = back[at] {
		starts = append(starts, back[at])
	}
	lines := make([]line, 0, len(starts))
	for k := len(starts) - 1; k >= 0; k-- {
		start := starts[k]
		end := n
		if k > 0 {
			end = starts[k-1]
		}
		for end > start && us[end-1].space {
			end--
		}
		ln := line{start: start, end: end}
		for _, u := range us[start:end] {
			ln.width += u.width
		}
		lines = append(lines, ln)
	}
	lines[len(lines)-1].last = true
	return us, lines, nil
}

// lineCost is what every line costs: of two ways that leave as many
// lines not exactly full, the one with fewer lines wins — a closing mark
// squeezed into a line (as Word and LibreOffice do with punctuation
// compression) rather than three characters pushed to a line of their own.
const lineCost = 0.1

// widowCost is what a paragraph's last line of a single character costs:
// more than a line pushed back or squeezed, so the breaker avoids it
// whenever a break allows.
const widowCost = 3

// loneLast reports whether a line holds one character at most, closing
// marks aside (條。). It stops at the second character: the label breaker
// asks it of every line it weighs.
func loneLast(gs []glyph, us []unit) bool {
	n := 0
	for _, u := range us {
		if u.space {
			continue
		}
		for _, g := range gs[u.start:u.end] {
			if !isNoStart(g.r) {
				if n++; n > 1 {
					return false
				}
			}
		}
	}
	return true
}

// splitUnit splits unit i so that its first part fits avail (at least one
// glyph) and returns the new units.
func splitUnit(gs []glyph, us []unit, i int, avail float64) []unit {
	u := us[i]
	x, cut := 0.0, u.start
	for cut < u.end && (cut == u.start || x+gs[cut].adv <= avail) {
		x += gs[cut].adv
		cut++
	}
	if cut == u.end { // a single glyph wider than the line: it stands alone
		cut = u.start + 1
	}
	// Not inside a run of digits, unless the run fills the line.
	for c := cut; c > u.start+1; c-- {
		if !isDigit(gs[c-1].r) || !isDigit(gs[c].r) {
			cut = c
			break
		}
	}
	a := unit{start: u.start, end: cut, word: u.word, join: u.join}
	b := unit{start: cut, end: u.end, word: u.word, join: true}
	for _, g := range gs[a.start:a.end] {
		a.width += g.adv
	}
	for _, g := range gs[b.start:b.end] {
		b.width += g.adv
	}
	out := make([]unit, 0, len(us)+1)
	out = append(out, us[:i]...)
	out = append(out, a, b)
	return append(out, us[i+1:]...)
}

// align says how a line is placed in its measure.
type align uint8

const (
	alignJustify align = iota // justified, the last line flush left
	alignLeft
	alignCenter
)

// place positions the glyphs of one line: x0 is the left edge of the
// measure, width its width. It returns text items grouped by face, run and
// even spacing, each with part (its Run set from the glyphs).
func place(gs []glyph, us []unit, ln line, x0, baseline, width float64, al align, squeeze float64, box string, part Part) []Item {
	return appendPlaced(nil, gs, us, ln, x0, baseline, width, al, squeeze, box, part)
}

// appendPlaced is place appending to items, so that a caller collecting a
// block's items does not copy each line's.
func appendPlaced(items []Item, gs []glyph, us []unit, ln line, x0, baseline, width float64, al align, squeeze float64, box string, part Part) []Item {
	natural := ln.width
	extra, ratio := 0.0, 0.0
	eb, eo := 0.0, 0.0 // the extra of a boundary and an ordinary gap
	switch {
	case natural > width+0.01:
		// A squeezed line: its last mark and its pairs of adjacent marks
		// give up part of their width.
		room := 0.0
		for k := ln.start; k < ln.end; k++ {
			if squeezable(us, ln, k) {
				room += us[k].shrink
			}
		}
		if room > 0 {
			ratio = min(1, (natural-width)/room)
		}
		nb, no := gapCounts(gs, us, ln.start, ln.end)
		if rest := natural - width - room; rest > 0 && nb+no > 0 {
			// The marks cannot give it all: the gaps close a little
			// (maxTighten), evenly, the lone marks keep their width.
			extra = -rest / float64(nb+no)
			eb, eo = extra, extra
		}
	case al == alignJustify && !ln.last && ln.end-ln.start > 1:
		nb, no := gapCounts(gs, us, ln.start, ln.end)
		eb, eo = stretch(width-natural, nb, no, gs[us[ln.start].start].size)
	case al == alignCenter:
		x0 += (width - natural) / 2
	}
	type pos struct {
		g glyph
		x float64
	}
	// A line of body text is 28 characters: its positions stay on the
	// stack unless it is longer.
	var room [64]pos
	ps := room[:0]
	x := x0
	for k := ln.start; k < ln.end; k++ {
		u := us[k]
		extra = 0
		if k+1 < ln.end {
			switch gapKind(gs, us, k) {
			case gapBoundary:
				extra = eb
			case gapOrdinary:
				extra = eo
			}
		}
		cut := 0.0
		if squeezable(us, ln, k) {
			cut = u.shrink * ratio
		}
		gx := x
		if u.open {
			gx -= cut
		}
		if r0 := gs[u.start]; u.end-u.start > 1 && (r0.r == '—' || r0.r == '…') {
			pitch, left, right, ok := runPitch(r0.face, r0.r, r0.size)
			if !ok {
				pitch, left, right = r0.adv, 0, r0.adv
			}
			// A dash or an ellipsis: its glyphs drawn as one mark, the
			// ink centred in the unit's box.
			n := float64(u.end - u.start)
			gx += (u.width-((n-1)*pitch+right-left))/2 - left
			for _, g := range gs[u.start:u.end] {
				ps = append(ps, pos{g, gx})
				gx += pitch
			}
			x += u.width - cut + extra
			continue
		}
		for _, g := range gs[u.start:u.end] {
			ps = append(ps, pos{g, gx})
			gx += g.adv
		}
		x += u.width - cut + extra
	}
	for i := 0; i < len(ps); {
		it := Item{Kind: ItemText, Box: box, Part: part, X: round(ps[i].x), Y: round(baseline), Face: ps[i].g.face,
			Font: ps[i].g.face.Name(), Size: ps[i].g.size}
		it.Part.Run = ps[i].g.run
		same := func(a, b glyph) bool { return a.face == b.face && a.size == b.size && a.run == b.run }
		// The item's text in a buffer on the stack, then one string of
		// its size.
		var buf [128]byte
		b := utf8.AppendRune(buf[:0], ps[i].g.r)
		j := i + 1
		if j < len(ps) && same(ps[j].g, ps[i].g) {
			it.Spacing = ps[j].x - ps[i].x - ps[i].g.adv
			for j < len(ps) && same(ps[j].g, ps[i].g) &&
				math.Abs(ps[j].x-ps[j-1].x-ps[j-1].g.adv-it.Spacing) < 0.005 {
				b = utf8.AppendRune(b, ps[j].g.r)
				j++
			}
		}
		it.Spacing = round3(it.Spacing)
		it.Text = string(b)
		items = append(items, it)
		i = j
	}
	return items
}

// squeezable reports whether unit k of a line may give up width when the
// line is squeezed: a mark beside another, or the line's last mark.
func squeezable(us []unit, ln line, k int) bool {
	return us[k].shrink > 0 && (us[k].pair || k == ln.end-1)
}

func round(v float64) float64  { return math.Round(v*100) / 100 }
func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// setText shapes and breaks text into lines for a measure: the glyphs, units
// and lines, ready for place.
type setText struct {
	gs    []glyph
	us    []unit
	lines []line
}

// text is the characters of one line.
func (s *setText) text(ln line) string {
	var buf [128]byte
	b := buf[:0]
	for _, u := range s.us[ln.start:ln.end] {
		for _, g := range s.gs[u.start:u.end] {
			b = utf8.AppendRune(b, g.r)
		}
	}
	return string(b)
}

func (ts *typesetter) set(ctx context.Context, runs []Run, size, first, rest, squeeze float64, where string) (*setText, error) {
	gs, starts, err := ts.shape(runs, size, where)
	if err != nil {
		return nil, err
	}
	us := units(gs, starts, squeeze)
	us, lines, err := breakLines(ctx, gs, us, first, rest, ts.style.CompressLimit, squeeze > 0)
	if err != nil {
		return nil, err
	}
	return &setText{gs: gs, us: us, lines: lines}, nil
}

// textWidth is the natural width of s in one role, without breaking.
func (ts *typesetter) textWidth(s string, role fonts.Role, size float64) float64 {
	w := 0.0
	resolver := ts.fonts.Resolver(role)
	for _, r := range s {
		if f, ok := resolver.Resolve(r); ok {
			w += f.Advance(r) * size
		}
	}
	return w
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }
