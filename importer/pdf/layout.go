package pdf

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/govreport/govreport/importer/flow"
)

// Layout: glyphs become lines (one baseline), lines become paragraphs
// (line spacing, indentation, the text block's edges), and ruling lines
// become tables whose cells take the glyphs inside them.

type line struct {
	page            int
	x0, x1, y, size float64
	text            string
	bold            bool
	chars           int
	ph, pw          float64 // the page's height and width
	// word is the width of the line's first word (its first character
	// if that is CJK): a line that ends short of the right edge still
	// goes on if this word would not have fitted there.
	word float64
	// edge is where the line's text ends for finding the text block's
	// right edge: x1, or where a last mark that may hang (，。、．) starts.
	// Word and LibreOffice hang such a mark past the margin (overflowing
	// punctuation): lines that end in one would set the edge a character
	// right of the lines that fill the block, which then look short.
	edge float64
}

// grid is one table as a page draws it.
type grid struct {
	page   int
	xs, ys []float64 // column edges left to right, row edges top to bottom
	top    float64
	rows   []flow.Row
	b      *gridBuild // while it is built
	// runOn holds the left edges of the cells of the last row whose
	// last line reaches the cell's right side: their text may go on at
	// the top of the next page, in a row the writer split there.
	runOn []float64
}

// item is a line or a table on a page, in reading order.
type item struct {
	top  float64
	line *line
	grid *grid
}

func buildFlow(ctx context.Context, pages []*page) (*flow.Doc, error) {
	var perPage [][]item
	var all []*line
	for _, p := range pages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		grids, err := tables(p)
		if err != nil {
			return nil, err
		}
		var free []glyph
		for _, g := range p.glyphs {
			// Turned text outside the tables is the margin's, not the
			// flow's: a page number or running head set along the edge
			// of a landscape page (GB/T 9704 §10.2), a stamp.
			if !placeInGrid(grids, g) && !g.turned {
				free = append(free, g)
			}
		}
		var items []item
		for _, gr := range grids {
			gr.finish()
			if len(gr.rows) > 0 {
				items = append(items, item{top: gr.top, grid: gr})
			}
		}
		for _, l := range lines(free, p.num) {
			l.ph, l.pw = p.h, p.w
			if dropLine(l, p) {
				continue
			}
			all = append(all, l)
			items = append(items, item{top: l.y + l.size*0.8, line: l})
		}
		sort.SliceStable(items, func(i, j int) bool { return items[i].top > items[j].top })
		perPage = append(perPage, items)
	}
	dropRunning(perPage)
	geo := blocks(pages, perPage, all)
	joinStretched(perPage, geo)
	return paragraphs(perPage, all, geo), nil
}

// joinStretched joins the two parts of a justified line that a word too
// long to break (a URL, an address) stretched across the text block:
// Word and LibreOffice move such a word to a line of its own and spread
// what stays before it over the whole line (（ at the left edge, the URL's
// first part at the right, twelve characters apart), which lines splits
// at the gap. The left part starts at the block's left edge or the
// paragraph's indent, the right part is Latin text that ends at its
// right edge.
func joinStretched(perPage [][]item, geo map[int]textBlock) {
	for p, items := range perPage {
		out := items[:0]
		for i := 0; i < len(items); i++ {
			it := items[i]
			if i+1 < len(items) && it.line != nil && items[i+1].line != nil {
				a, b := it.line, items[i+1].line
				blk, ok := geo[a.page]
				rb, _ := utf8.DecodeRuneInString(b.text)
				if ok && a.page == b.page && a.size == b.size && math.Abs(a.y-b.y) < 0.3*a.size && a.x1 < b.x0 &&
					a.x0 < blk.left+2.5*a.size && b.x1 >= blk.right-0.7*b.size && rb < 0x80 && !unicode.IsSpace(rb) {
					a.text = joinLines(a.text, b.text)
					a.x1, a.edge = b.x1, b.edge
					a.chars += b.chars
					out = append(out, it)
					i++
					continue
				}
			}
			out = append(out, it)
		}
		perPage[p] = out
	}
}

// headingStart is a heading's number at the start of a line: 一、 （二）
// (三) 1. 2、 — not a decimal number.
var headingStart = regexp.MustCompile(`^\s*([一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]|\d+(、|．|\.\D))`)

// dateLine is a date on its own line: the signature's 成文日期.
var dateLine = regexp.MustCompile(`^\s*(\d{4}|[〇零○一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日\s*$`)

var pageNumber = regexp.MustCompile(`^[-—–－―一\s]*\d{1,4}[-—–－―一\s]*$|^第\s*\d+\s*页(\s*[,，]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$|^-?\s*\d+\s*-?$`)

// dropLine says whether a line is a page number at the page's foot or
// head.
func dropLine(l *line, p *page) bool {
	if l.y > p.h*0.15 && l.y < p.h*0.88 {
		return false
	}
	return pageNumber.MatchString(strings.TrimSpace(l.text))
}

// dropRunning removes running heads and feet: the same text in the top or
// bottom tenth of two or more pages.
func dropRunning(perPage [][]item) {
	if len(perPage) < 2 {
		return
	}
	count := map[string]int{}
	edge := func(it item) bool {
		return it.line != nil && (it.line.y > it.line.ph*0.9 || it.line.y < it.line.ph*0.1)
	}
	for _, items := range perPage {
		seen := map[string]bool{}
		for _, it := range items {
			if edge(it) && !seen[it.line.text] {
				seen[it.line.text] = true
				count[it.line.text]++
			}
		}
	}
	for i, items := range perPage {
		out := items[:0]
		for _, it := range items {
			if edge(it) && count[it.line.text] >= 2 {
				continue
			}
			out = append(out, it)
		}
		perPage[i] = out
	}
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) ||
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '—' || r == '…' || r == '·'
}

// joinLines appends line b to line a: as join, but without a space
// where a Latin word was broken (a number, a URL, a hyphenated word).
func joinLines(a, b string) string {
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	if unicode.IsDigit(ra) && unicode.IsDigit(rb) || strings.ContainsRune("/-_:?&=#%@~+", ra) {
		return a + b
	}
	if i := strings.LastIndexFunc(a, func(r rune) bool { return r == ' ' || isCJK(r) }); unicode.IsLetter(rb) || unicode.IsDigit(rb) {
		last := a[i+1:]
		if strings.Contains(last, "/") || strings.Contains(last, "www.") || strings.Contains(last, "@") {
			return a + b // a URL or an address goes on
		}
	}
	return join(a, b)
}

// join appends b to a, with a space when both sides of the join are
// Latin (not CJK, not space).
func join(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	if ra == ' ' || rb == ' ' || isCJK(ra) || isCJK(rb) {
		return a + b
	}
	return a + " " + b
}

// lines groups glyphs into lines: one baseline, left to right, split where
// a gap is wider than five characters.
func lines(gs []glyph, pageNum int) []*line {
	if len(gs) == 0 {
		return nil
	}
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].y > gs[j].y })
	var out []*line
	for i := 0; i < len(gs); {
		j := i + 1
		for j < len(gs) && math.Abs(gs[j].y-gs[i].y) < 0.3*math.Max(gs[i].size, gs[j].size) {
			j++
		}
		row := slices.Clone(gs[i:j])
		sort.SliceStable(row, func(a, b int) bool { return row[a].x < row[b].x })
		start := 0
		for k := 1; k <= len(row); k++ {
			if k == len(row) || row[k].x-(row[k-1].x+row[k-1].w) > 5*row[k].size {
				if l := makeLine(row[start:k], pageNum); l != nil {
					out = append(out, l)
				}
				start = k
			}
		}
		i = j
	}
	return out
}

func makeLine(gs []glyph, pageNum int) *line {
	l := &line{page: pageNum, x0: math.Inf(1), x1: math.Inf(-1)}
	var b strings.Builder
	var prev *glyph
	var sizes []float64
	bold, total := 0, 0
	for k := range gs {
		g := &gs[k]
		if prev != nil && g.text == prev.text && math.Abs(g.x-prev.x) < 0.2*g.size {
			continue // drawn twice (a fake bold, a shadow)
		}
		if prev != nil {
			gap := g.x - (prev.x + prev.w)
			rp, _ := utf8.DecodeLastRuneInString(prev.text)
			rg, _ := utf8.DecodeRuneInString(g.text)
			if gap > 0.2*g.size && rp != ' ' && rg != ' ' && !isCJK(rp) && !isCJK(rg) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(g.text)
		l.x0 = math.Min(l.x0, g.x)
		l.x1 = math.Max(l.x1, g.x+g.w)
		l.y = g.y
		if strings.TrimSpace(g.text) != "" {
			sizes = append(sizes, g.size)
			total++
			if g.bold {
				bold++
			}
		}
		prev = g
	}
	l.text = dropPunctSpaces(strings.Join(strings.Fields(b.String()), " "))
	if l.text == "" {
		return nil
	}
	// The text's edges, without the spaces around it.
	for k := range gs {
		if strings.TrimSpace(gs[k].text) != "" {
			l.x0 = gs[k].x
			break
		}
	}
	for k := len(gs) - 1; k >= 0; k-- {
		if strings.TrimSpace(gs[k].text) != "" {
			l.x1 = gs[k].x + gs[k].w
			l.edge = l.x1
			if k > 0 && strings.ContainsAny(gs[k].text, "，。、．") {
				l.edge = gs[k].x
			}
			break
		}
	}
	l.word = firstWord(gs)
	slices.Sort(sizes)
	l.size = math.Round(sizes[len(sizes)/2]*2) / 2
	l.bold = bold*2 > total
	l.chars = utf8.RuneCountInString(l.text)
	return l
}

// cjkPunct says whether r is full-width punctuation (、，。：（）《》…),
// which carries its own space.
func cjkPunct(r rune) bool {
	switch {
	case r >= 0x3000 && r <= 0x303f:
		return true
	case r >= 0xff01 && r <= 0xff65:
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}
	return false
}

// dropPunctSpaces removes a space beside full-width punctuation: a
// writer's rendering of a line break in the source (a portal page's
// HTML broken after "，", which LibreOffice and browsers print as a
// space), not a space of the text.
func dropPunctSpaces(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	var b strings.Builder
	var prev rune
	for i, r := range s {
		if r == ' ' {
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if cjkPunct(prev) || cjkPunct(next) {
				continue
			}
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

func firstWord(gs []glyph) float64 {
	start := -1
	for k := range gs {
		g := gs[k]
		r, _ := utf8.DecodeRuneInString(g.text)
		if start < 0 {
			if r == ' ' {
				continue
			}
			start = k
			if isCJK(r) {
				return cjkWord(gs[k:])
			}
			continue
		}
		prev := gs[k-1]
		if r == ' ' || isCJK(r) || g.x-(prev.x+prev.w) > 0.2*g.size {
			return prev.x + prev.w - gs[start].x
		}
	}
	if start < 0 {
		return 0
	}
	return gs[len(gs)-1].x + gs[len(gs)-1].w - gs[start].x
}

// textEdges measures the text block on its lines. The left edge is the
// leftmost place where a good share of the lines start — not the place
// most lines start at, which in a report of short indented paragraphs
// (a ragged left-aligned document) is the first-line indent. The right
// edge is where the widest lines end: justified lines all end there, and
// in ragged text the widest lines end within a character of it. A single
// line reaching further (a long URL, a line set into the margin) does
// not count; the edge needs a second line ending within an em of it.
func textEdges(ls []*line, body float64) (left, right float64) {
	if len(ls) == 0 {
		return 0, 400
	}
	x0s := make([]float64, 0, len(ls))
	for _, l := range ls {
		x0s = append(x0s, l.x0)
	}
	slices.Sort(x0s)
	// Starts within a fifth of an em of each other are one place (a
	// page's footer set a point or two out), at its most common value.
	need := max(2, len(ls)/10)
	left = mode(x0s, 1)
	for i := 0; i < len(x0s); {
		j := i + 1
		for j < len(x0s) && x0s[j]-x0s[j-1] < 0.2*body {
			j++
		}
		if j-i >= need {
			left = mode(x0s[i:j], 1)
			break
		}
		i = j
	}
	x1s := make([]float64, 0, len(ls))
	for _, l := range ls {
		if l.x1-left > 200 {
			x1s = append(x1s, l.edge)
		}
	}
	slices.Sort(x1s)
	right = left + 400
	if len(x1s) > 0 {
		right = x1s[len(x1s)-1] // no two lines end near each other
	}
	for i := len(x1s) - 1; i > 0; i-- {
		if x1s[i]-x1s[i-1] < body {
			right = x1s[i]
			break
		}
	}
	return left, right
}

// cjkWord is the width of what starts a line of CJK text: its first
// character, with the characters a line may not start with that follow
// it (，。、）》 …: a writer that cannot fit them moves the character before
// them down too), and after an opening bracket or quote the character it
// opens.
func cjkWord(gs []glyph) float64 {
	k := 0
	for k+1 < len(gs) && strings.ContainsAny(gs[k].text, "（《「『【〈“‘([") {
		k++
	}
	for k+1 < len(gs) && strings.ContainsAny(gs[k+1].text, "，。、；：？！）》」』】〉”’…—%,.;:?!)]") {
		k++
	}
	return gs[k].x + gs[k].w - gs[0].x
}

// leading returns the smallest step between lines that is common: taken
// at least twice and at least a quarter as often as the most common.
func leading(steps []float64) float64 {
	c := map[float64]int{}
	most := 0
	for _, v := range steps {
		k := math.Round(v/0.5) * 0.5
		c[k]++
		most = max(most, c[k])
	}
	best := 0.0
	for k, n := range c {
		if n >= max(2, most/4) && (best == 0 || k < best) {
			best = k
		}
	}
	return best
}

// mode returns the most frequent value of vs rounded to step.
func mode(vs []float64, step float64) float64 {
	c := map[float64]int{}
	best, bn := 0.0, 0
	for _, v := range vs {
		k := math.Round(v/step) * step
		c[k]++
		if c[k] > bn || (c[k] == bn && k < best) {
			best, bn = k, c[k]
		}
	}
	return best
}

// textBlock is the text block (版心) of the pages of one size and
// orientation: the left edge, the right edge and their middle.
type textBlock struct{ left, right, mid float64 }

// pageSize tells pages of one size and orientation from others.
type pageSize [2]int

func sizeOf(w, h float64) pageSize { return pageSize{int(math.Round(w)), int(math.Round(h))} }

// blocks finds the text block of each page: the left edge most lines of
// the pages of its size start at, the right edge most full lines end at.
// Pages of another size or orientation (a landscape page for a wide
// table among portrait ones) have margins of their own, so each size is
// measured on its own pages. A size with too few lines to tell (a
// landscape page holding a heading, a note and the table) takes its edges
// from its tables instead, as far inside them as the text block of the
// main size is inside that size's tables (0 when the writer sets tables
// to the text block's width, as govreport does, a few points where
// Word and LibreOffice set the cell's padding out into the margin).
func blocks(pages []*page, perPage [][]item, all []*line) map[int]textBlock {
	bySize := map[pageSize][]*line{}
	tablesOf := map[pageSize][][2]float64{}
	sizeOfPage := map[int]pageSize{}
	for i, p := range pages {
		k := sizeOf(p.w, p.h)
		sizeOfPage[p.num] = k
		for _, it := range perPage[i] {
			if it.grid != nil {
				tablesOf[k] = append(tablesOf[k], [2]float64{it.grid.xs[0], it.grid.xs[len(it.grid.xs)-1]})
			}
		}
	}
	for _, l := range all {
		k := sizeOf(l.pw, l.ph)
		bySize[k] = append(bySize[k], l)
	}
	// The main size: the one with the most lines.
	var main pageSize
	for k, ls := range bySize {
		if len(ls) > len(bySize[main]) || (len(ls) == len(bySize[main]) && (k[0] < main[0] || k[0] == main[0] && k[1] < main[1])) {
			main = k
		}
	}
	measured := func(ls []*line) textBlock {
		sizes := make([]float64, 0, len(ls))
		for _, l := range ls {
			sizes = append(sizes, l.size)
		}
		left, right := textEdges(ls, mode(sizes, 0.5))
		if right <= left {
			right = left + 400
		}
		return textBlock{left, right, (left + right) / 2}
	}
	out := map[int]textBlock{}
	byKey := map[pageSize]textBlock{}
	mainBlock := measured(bySize[main])
	byKey[main] = mainBlock
	// How far inside its tables the main size's text block lies.
	inL, inR := 0.0, 0.0
	if ts := tablesOf[main]; len(ts) > 0 {
		var ls, rs []float64
		for _, t := range ts {
			ls = append(ls, mainBlock.left-t[0])
			rs = append(rs, t[1]-mainBlock.right)
		}
		inL, inR = mode(ls, 0.5), mode(rs, 0.5)
		if math.Abs(inL) > 20 || math.Abs(inR) > 20 {
			inL, inR = 0, 0 // tables narrower than the text block
		}
	}
	for k, ls := range bySize {
		if k == main {
			continue
		}
		if len(ls) >= minLinesToMeasure || len(tablesOf[k]) == 0 {
			byKey[k] = measured(ls)
			continue
		}
		// The widest table's edges; a line starting further left (a
		// note's second line) moves the left edge out to it.
		var tl, tr float64
		for i, t := range tablesOf[k] {
			if i == 0 || t[1]-t[0] > tr-tl {
				tl, tr = t[0], t[1]
			}
		}
		left, right := tl+inL, tr-inR
		for _, l := range ls {
			if l.x0 < left-0.5 && l.x0 > tl-l.size {
				left = l.x0
			}
		}
		byKey[k] = textBlock{left, right, (left + right) / 2}
	}
	for num, k := range sizeOfPage {
		b, ok := byKey[k]
		if !ok {
			b = mainBlock
		}
		out[num] = b
	}
	return out
}

// minLinesToMeasure is how many lines a page size needs for its text
// block to be measured on them alone.
const minLinesToMeasure = 12

func paragraphs(perPage [][]item, all []*line, geo map[int]textBlock) *flow.Doc {
	doc := &flow.Doc{Kind: "pdf"}
	if len(all) == 0 && len(perPage) == 0 {
		return doc
	}
	// The body's size.
	var sizes []float64
	for _, l := range all {
		sizes = append(sizes, l.size)
	}
	body := mode(sizes, 0.5)
	// The body's leading: the smallest common step between two lines of
	// the body's size on a page. A larger step is a paragraph's space
	// before or after, which some writers use instead of an indent — and
	// in a document of one-line paragraphs the most common step.
	var steps []float64
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.page == b.page && a.size == body && b.size == body && a.y > b.y && a.y-b.y < 3*body {
			steps = append(steps, a.y-b.y)
		}
	}
	lead := leading(steps)
	if lead <= 0 {
		lead = 2.2 * body
	}
	tb := func(l *line) textBlock {
		if b, ok := geo[l.page]; ok {
			return b
		}
		return textBlock{0, 400, 200}
	}

	full := func(l *line) bool { return l.x1 >= tb(l).right-0.7*l.size }
	centered := func(l *line) bool {
		b := tb(l)
		return l.x0 > b.left+2.5*l.size && math.Abs((l.x0+l.x1)/2-b.mid) < 1.0*l.size
	}
	// A title's lines are centred; the longest may fill the line.
	titleLine := func(l *line) bool {
		return l.size >= 1.2*body && math.Abs((l.x0+l.x1)/2-tb(l).mid) < 1.0*l.size
	}
	// A block set off to the right (a signature's agency on two lines)
	// shares its lines' right edge or centre; a date ends it.
	offset := func(a, b *line) bool {
		return !full(a) && !full(b) && a.x0 > tb(a).left+3*a.size && b.x0 > tb(b).left+3*b.size && !dateLine.MatchString(b.text) &&
			(math.Abs(a.x1-b.x1) < 0.5*a.size || math.Abs(a.x0+a.x1-b.x0-b.x1) < a.size)
	}
	atLeft := func(l *line) bool { return math.Abs(l.x0-tb(l).left) < 0.5*l.size }
	// cutAtPage: a body paragraph (its first line indented) whose page
	// ends in a line past the middle of the text block that does not end
	// a sentence goes on in l, at the next page's left edge: the rest of
	// a paragraph a writer set as one paragraph a page, its first part
	// not justified to the edge (LibreOffice's PDF of a DOCX that cuts a
	// paragraph so, Word's of a document retyped from a printout).
	cutAtPage := func(ls []*line, l *line) bool {
		first, last := ls[0], ls[len(ls)-1]
		b := tb(last)
		return first.x0 > tb(first).left+0.5*first.size && last.x1 > b.mid && !endsSentence(last.text)
	}
	// goesOn: the line before l ends where l's first word would not have
	// fitted after it.
	goesOn := func(last, l *line) bool {
		return full(last) || last.x1+l.word > tb(last).right-0.2*l.size
	}
	// A line set in the right half (a date, a signature, flush right)
	// is no paragraph's first line that goes on at the left margin
	// (last.x0 < mid below).
	//
	// A line that ends short of the right edge is a paragraph's last
	// when the next starts with a heading's number, however wide that is.
	newHead := func(last, l *line) bool { return !full(last) && headingStart.MatchString(l.text) }
	// A centred paragraph wrapped over lines (a title at the body's size,
	// or the last line of a large one narrower than the rest): the line
	// before is as wide as the block but for less than the next line's
	// first word, and the next line is centred and set in.
	centredWrap := func(a, b *line) bool {
		t := tb(a)
		return math.Abs((a.x0+a.x1)/2-t.mid) < a.size && centered(b) && a.x1-a.x0+b.word > t.right-t.left-0.2*b.size
	}

	var cur *flow.Para
	var last *line
	var curLines []*line
	flush := func() {
		if cur == nil {
			return
		}
		finishPara(cur, curLines, tb(curLines[0]), centered)
		doc.Blocks = append(doc.Blocks, flow.Block{Para: cur})
		cur, last, curLines = nil, nil, nil
	}
	var lastTable *flow.Table
	var lastXs []float64
	var lastPage int
	var lastRunOn []float64
	for _, items := range perPage {
		for _, it := range items {
			if it.grid != nil {
				flush()
				if lastTable != nil && continues(lastXs, lastPage, it.grid) {
					u := unify(lastXs, it.grid.xs)
					remap(lastTable.Rows, lastXs, u)
					remap(it.grid.rows, it.grid.xs, u)
					runsOn := func(c *flow.Cell) bool {
						return slices.ContainsFunc(lastRunOn, func(x float64) bool { return math.Abs(x-u[c.Col]) < 2 })
					}
					mergeTable(lastTable, it.grid.rows, runsOn)
					lastXs, lastPage, lastRunOn = u, it.grid.page, it.grid.runOn
					continue
				}
				t := &flow.Table{Rows: it.grid.rows, Page: it.grid.page}
				doc.Blocks = append(doc.Blocks, flow.Block{Table: t})
				lastTable, lastXs, lastPage, lastRunOn = t, it.grid.xs, it.grid.page, it.grid.runOn
				continue
			}
			l := it.line
			lastTable = nil
			if cur != nil {
				same := math.Abs(l.size-last.size) < 0.6 && l.bold == last.bold
				var cont bool
				switch {
				case l.page == last.page:
					gap := last.y - l.y
					limit := 2.2 * l.size
					if l.size == body {
						limit = min(limit, lead*1.15)
					}
					cont = same && gap > 0 && gap < limit &&
						(goesOn(last, l) && last.x0 < tb(last).mid && atLeft(l) && !newHead(last, l) ||
							(titleLine(last) && titleLine(l)) || offset(last, l) || centredWrap(last, l))
				case l.page == last.page+1:
					cont = same && atLeft(l) && !newHead(last, l) && last.x0 < tb(last).mid &&
						(goesOn(last, l) || cutAtPage(curLines, l))
				}
				if !cont {
					flush()
				}
			}
			if cur == nil {
				cur = &flow.Para{Page: l.page, Size: l.size, Bold: l.bold}
			}
			cur.Text = joinLines(cur.Text, l.text)
			curLines = append(curLines, l)
			last = l
		}
	}
	flush()
	for _, b := range doc.Blocks {
		if b.Table != nil {
			joinLabels(b.Table)
		}
	}
	return doc
}

// endsSentence reports whether s ends a sentence: its last character,
// closing quotes and brackets aside, is one of 。！？；：… or their Latin
// forms.
func endsSentence(s string) bool {
	s = strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("”’」』）)]》〉\"'", r)
	})
	l, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune("。！？；：…!?;:.", l)
}

func finishPara(p *flow.Para, ls []*line, b textBlock, centered func(*line) bool) {
	left, right, mid := b.left, b.right, b.mid
	first := ls[0]
	p.Indent = math.Round((first.x0-left)/first.size*10) / 10
	// Centred: every line's centre is the text block's, and one line at
	// least is set in from the left edge (a title's longest line may fill
	// the measure). Right: every line starts in the right half (a
	// signature, a date).
	allCentered, inset := true, false
	for _, l := range ls {
		if math.Abs((l.x0+l.x1)/2-mid) >= l.size {
			allCentered = false
		}
		if centered(l) {
			inset = true
		}
	}
	switch {
	case allCentered && inset:
		p.Align = flow.AlignCenter
	case !slices.ContainsFunc(ls, func(l *line) bool { return l.x0 <= mid-l.size || l.x1 >= right+l.size }):
		p.Align = flow.AlignRight
	default:
		p.Align = flow.AlignLeft
	}
	var sizes []float64
	bold := 0
	for _, l := range ls {
		sizes = append(sizes, l.size)
		if l.bold {
			bold++
		}
	}
	slices.Sort(sizes)
	p.Size = sizes[len(sizes)/2]
	p.Bold = bold*2 > len(ls)
}

// tables finds the tables a page's ruling lines draw: sets of horizontal
// and vertical lines that meet, at least two of each.
func tables(p *page) ([]*grid, error) {
	hs := mergeSegs(p.hs, true)
	vs := mergeSegs(p.vs, false)
	if len(hs) < 2 || len(vs) < 2 {
		return nil, nil
	}
	// Pairing the lines costs their product: bound it.
	if len(hs)*len(vs) > maxRulePairs {
		return nil, fmt.Errorf("pdf: page %d: %d horizontal and %d vertical ruling lines: %w", p.num, len(hs), len(vs), ErrLimit)
	}
	const tol = 2.0
	n := len(hs) + len(vs)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, h := range hs {
		for j, v := range vs {
			if v.x0 >= h.x0-tol && v.x0 <= h.x1+tol && h.y0 >= v.y0-tol && h.y0 <= v.y1+tol {
				parent[find(i)] = find(len(hs) + j)
			}
		}
	}
	groups := map[int][2][]seg{}
	var order []int
	for i := 0; i < n; i++ {
		k := find(i)
		g, ok := groups[k]
		if !ok {
			order = append(order, k)
		}
		if i < len(hs) {
			g[0] = append(g[0], hs[i])
		} else {
			g[1] = append(g[1], vs[i-len(hs)])
		}
		groups[k] = g
	}
	var out []*grid
	for _, k := range order {
		g := groups[k]
		if len(g[0]) < 2 || len(g[1]) < 2 {
			continue
		}
		gr := &grid{page: p.num, xs: edges(g[1], false), ys: edges(g[0], true)}
		slices.Reverse(gr.ys)
		if len(gr.xs) < 2 || len(gr.ys) < 2 || (len(gr.xs) == 2 && len(gr.ys) == 2) {
			continue
		}
		gr.cutRows(g[1], p.glyphs)
		gr.top = gr.ys[0]
		if (len(gr.xs)-1)*(len(gr.ys)-1)*(len(g[0])+len(g[1])) > maxRulePairs {
			return nil, fmt.Errorf("pdf: page %d: a table of %d×%d cells: %w", p.num, len(gr.ys)-1, len(gr.xs)-1, ErrLimit)
		}
		gr.build(g[0], g[1])
		out = append(out, gr)
	}
	return out, nil
}

// cutRows adds the edges of the rows a page break cut without a rule:
// Chromium splits a row taller than what is left of the page (a header
// whose labels wrap on more lines in a narrow column than the page
// holds) and draws no rule at the cut, its vertical rules running on to
// the page's margin; the rest of the row, on the next page, may have no
// rule above it either. Where both outer vertical rules go on more than
// 3 pt past the table's last (or first) horizontal rule and a glyph lies
// between, the end of the shorter of them is a row edge: without it the
// cut row's text falls out of the table and reads as a paragraph.
func (gr *grid) cutRows(vs []seg, gs []glyph) {
	// reach is how far the vertical rules at x that cross y go down and up.
	reach := func(x, y float64) (lo, hi float64) {
		lo, hi = y, y
		for _, v := range vs {
			if math.Abs(v.x0-x) < 3 && v.y0 <= y+2 && v.y1 >= y-2 {
				lo, hi = min(lo, v.y0), max(hi, v.y1)
			}
		}
		return lo, hi
	}
	left, right := gr.xs[0], gr.xs[len(gr.xs)-1]
	textIn := func(lo, hi float64) bool {
		return slices.ContainsFunc(gs, func(g glyph) bool {
			cx, cy := g.centre()
			return cx > left && cx < right && cy > lo && cy < hi && strings.TrimSpace(g.text) != ""
		})
	}
	top, bottom := gr.ys[0], gr.ys[len(gr.ys)-1]
	loL, _ := reach(left, bottom)
	loR, _ := reach(right, bottom)
	if end := max(loL, loR); end < bottom-3 && textIn(end, bottom) {
		gr.ys = append(gr.ys, end)
	}
	_, hiL := reach(left, top)
	_, hiR := reach(right, top)
	if end := min(hiL, hiR); end > top+3 && textIn(top, end) {
		gr.ys = slices.Insert(gr.ys, 0, end)
	}
}

// mergeSegs joins collinear segments that touch or overlap: segments
// within 1 pt of a line's position (sorted by it) form one line, whose
// intervals are merged.
func mergeSegs(ss []seg, horizontal bool) []seg {
	pos := func(s seg) float64 {
		if horizontal {
			return s.y0
		}
		return s.x0
	}
	span := func(s seg) (float64, float64) {
		if horizontal {
			return s.x0, s.x1
		}
		return s.y0, s.y1
	}
	s := slices.Clone(ss)
	slices.SortFunc(s, func(a, b seg) int { return cmp.Compare(pos(a), pos(b)) })
	var out []seg
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && pos(s[j])-pos(s[i]) <= 1 {
			j++
		}
		group := s[i:j]
		slices.SortFunc(group, func(a, b seg) int {
			a0, _ := span(a)
			b0, _ := span(b)
			return cmp.Compare(a0, b0)
		})
		at := pos(group[0])
		var lo, hi float64
		for k, g := range group {
			g0, g1 := span(g)
			if k > 0 && g0 <= hi+1.5 {
				hi = max(hi, g1)
				continue
			}
			if k > 0 {
				out = append(out, makeSeg(horizontal, at, lo, hi))
			}
			lo, hi = g0, g1
		}
		out = append(out, makeSeg(horizontal, at, lo, hi))
		i = j
	}
	return out
}

func makeSeg(horizontal bool, at, lo, hi float64) seg {
	if horizontal {
		return seg{lo, at, hi, at}
	}
	return seg{at, lo, at, hi}
}

// edges returns the distinct positions of lines, ascending. Lines less
// than 3 pt apart are one edge: the two borders of neighbouring cells an
// HTML table draws apart by its default cell spacing (2 px) in a
// browser's PDF.
func edges(ss []seg, horizontal bool) []float64 {
	var ps []float64
	for _, s := range ss {
		if horizontal {
			ps = append(ps, s.y0)
		} else {
			ps = append(ps, s.x0)
		}
	}
	return merged(ps, 3)
}

// merged sorts ps and keeps the first of each run of positions less than
// tol apart.
func merged(ps []float64, tol float64) []float64 {
	slices.Sort(ps)
	var out []float64
	for _, p := range ps {
		if len(out) > 0 && p-out[len(out)-1] < tol {
			continue
		}
		out = append(out, p)
	}
	return out
}

// cellBox is a cell of a grid while it is built.
type cellBox struct {
	r, c, rs, cs int
	glyphs       []glyph
}

type gridBuild struct {
	cells []*cellBox
	at    [][]*cellBox // [row][col]
}

func (gr *grid) build(hs, vs []seg) {
	rows, cols := len(gr.ys)-1, len(gr.xs)-1
	hasV := func(x, yTop, yBot float64) bool {
		m := (yTop + yBot) / 2
		for _, v := range vs {
			if math.Abs(v.x0-x) < 2 && v.y0 <= m && v.y1 >= m {
				return true
			}
		}
		return false
	}
	hasH := func(y, xl, xr float64) bool {
		m := (xl + xr) / 2
		for _, h := range hs {
			if math.Abs(h.y0-y) < 2 && h.x0 <= m && h.x1 >= m {
				return true
			}
		}
		return false
	}
	b := &gridBuild{at: make([][]*cellBox, rows)}
	for r := range b.at {
		b.at[r] = make([]*cellBox, cols)
	}
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			if b.at[r][c] != nil {
				continue
			}
			cs := 1
			for c+cs < cols && b.at[r][c+cs] == nil && !hasV(gr.xs[c+cs], gr.ys[r], gr.ys[r+1]) {
				cs++
			}
			rs := 1
		down:
			for r+rs < rows {
				for cc := c; cc < c+cs; cc++ {
					if hasH(gr.ys[r+rs], gr.xs[cc], gr.xs[cc+1]) || b.at[r+rs][cc] != nil {
						break down
					}
				}
				rs++
			}
			cb := &cellBox{r: r, c: c, rs: rs, cs: cs}
			b.cells = append(b.cells, cb)
			for rr := r; rr < r+rs; rr++ {
				for cc := c; cc < c+cs; cc++ {
					b.at[rr][cc] = cb
				}
			}
		}
	}
	gr.b = b
}

// placeInGrid gives a glyph to the cell its centre is in.
func placeInGrid(grids []*grid, g glyph) bool {
	cx, cy := g.centre()
	for _, gr := range grids {
		if cx < gr.xs[0] || cx > gr.xs[len(gr.xs)-1] || cy > gr.ys[0] || cy < gr.ys[len(gr.ys)-1] {
			continue
		}
		c := sort.SearchFloat64s(gr.xs, cx) - 1
		c = max(0, min(c, len(gr.xs)-2))
		// ys descend: the row is the last edge above the centre.
		r := sort.Search(len(gr.ys), func(i int) bool { return gr.ys[i] < cy }) - 1
		r = max(0, min(r, len(gr.ys)-2))
		cb := gr.b.at[r][c]
		cb.glyphs = append(cb.glyphs, g)
		return true
	}
	return false
}

// finish turns the grid's cells into rows.
func (gr *grid) finish() {
	b := gr.b
	gr.b = nil
	gr.rows = make([]flow.Row, len(gr.ys)-1)
	for i := range gr.rows {
		gr.rows[i].Page = gr.page
	}
	for _, cb := range b.cells {
		ls := lines(cb.glyphs, gr.page)
		var text string
		vertical := len(ls) >= 2
		for _, l := range ls {
			text = joinLines(text, l.text)
			if l.chars != 1 {
				vertical = false
			}
		}
		if cb.r+cb.rs == len(gr.rows) && runsOn(ls, gr.xs[cb.c], gr.xs[cb.c+cb.cs]) {
			gr.runOn = append(gr.runOn, gr.xs[cb.c])
		}
		gr.rows[cb.r].Cells = append(gr.rows[cb.r].Cells, flow.Cell{
			Text: text, Col: cb.c, ColSpan: cb.cs, RowSpan: cb.rs, Vertical: vertical,
		})
	}
}

// runsOn says whether a cell's text, its lines ls, fills its last line:
// a character more would not fit before the cell's right padding (taken
// to be its left padding, at most an em).
func runsOn(ls []*line, x0, x1 float64) bool {
	if len(ls) == 0 {
		return false
	}
	pad := math.Inf(1)
	for _, l := range ls {
		pad = min(pad, l.x0-x0)
	}
	last := ls[len(ls)-1]
	pad = max(0, min(pad, last.size))
	return last.x1+last.size > x1-pad-0.1*last.size
}

// continues says whether grid b, at the top of a page, continues the
// table of the page before: the same outer edges. Inner column edges may
// differ (a page's rows may not show every column), so the columns are
// unified when the grids are merged.
func continues(xs []float64, lastPage int, b *grid) bool {
	return b.page == lastPage+1 &&
		math.Abs(xs[0]-b.xs[0]) <= 2 && math.Abs(xs[len(xs)-1]-b.xs[len(b.xs)-1]) <= 2
}

// unify returns the union of two sets of column edges.
func unify(a, b []float64) []float64 {
	return merged(slices.Concat(a, b), 2)
}

// remap moves cells set on the column edges from onto the edges to.
func remap(rows []flow.Row, from, to []float64) {
	idx := func(x float64) int {
		best := 0
		for i, y := range to {
			if math.Abs(y-x) < math.Abs(to[best]-x) {
				best = i
			}
		}
		return best
	}
	for ri := range rows {
		for ci := range rows[ri].Cells {
			c := &rows[ri].Cells[ci]
			a, b := idx(from[c.Col]), idx(from[c.Col+c.ColSpan])
			c.Col, c.ColSpan = a, max(1, b-a)
		}
	}
}

func sameRow(a, b flow.Row) bool {
	if len(a.Cells) != len(b.Cells) {
		return false
	}
	for i := range a.Cells {
		x, y := a.Cells[i], b.Cells[i]
		if x.Text != y.Text || x.Col != y.Col || x.ColSpan != y.ColSpan || x.RowSpan != y.RowSpan {
			return false
		}
	}
	return true
}

// mergeTable appends the continuation rows to t: without the header
// rows the page repeats, and with a row-span label printed again on the
// new page merged into the one it continues.
func mergeTable(t *flow.Table, rows []flow.Row, runsOn func(*flow.Cell) bool) {
	k := 0
	for k < len(rows)-1 && k < len(t.Rows) && sameRow(t.Rows[k], rows[k]) {
		k++
	}
	// A header row can span rows of the header; keep whole header rows
	// only: the rows dropped must not reach past k.
	rows = rows[k:]
	if len(rows) > 1 && joinSplitRow(t, rows[0], runsOn) {
		rows = rows[1:]
	}
	if len(rows) > 0 {
		first := &rows[0]
		n := len(t.Rows)
		kept := first.Cells[:0]
		for _, c := range first.Cells {
			if o := openCell(t, n, c); o != nil && c.Text == "" && o.Text != "" && (o.RowSpan > 1 || o.Vertical) {
				o.RowSpan += c.RowSpan
				o.Vertical = o.Vertical || c.Vertical
				continue
			}
			kept = append(kept, c)
		}
		first.Cells = kept
	}
	t.Rows = append(t.Rows, rows...)
}

// joinSplitRow joins the first row of a continuation page to the last
// row of the page before when it is the rest of that row, which the
// writer split at the page break (Word and LibreOffice do, unless the
// row is kept whole): every cell of it with text goes on from a cell of
// the last row whose text filled its last line, or from an empty cell
// (a count set lower in its cell), and one does go on from a label. A
// row of its own has a label that starts afresh below a label that
// ended short, or counts under counts.
func joinSplitRow(t *flow.Table, first flow.Row, runsOn func(*flow.Cell) bool) bool {
	n := len(t.Rows)
	if n == 0 {
		return false
	}
	open := make([]*flow.Cell, len(first.Cells))
	goesOn := false
	for i, c := range first.Cells {
		o := openCell(t, n, c)
		if o == nil {
			return false
		}
		open[i] = o
		switch {
		case c.Text == "" || o.Text == "":
		case labelText(o.Text) && runsOn(o):
			goesOn = true
		default:
			return false
		}
	}
	if !goesOn {
		return false
	}
	for i, c := range first.Cells {
		o := open[i]
		o.Text = joinLines(o.Text, c.Text)
		o.RowSpan += c.RowSpan - 1
		o.Vertical = o.Vertical || c.Vertical
	}
	return true
}

// joinLabels merges a row-span label printed again below itself (on a
// continuation page, or by a writer that restarts a merged cell where
// its layout broke the page) into the one cell it is.
func joinLabels(t *flow.Table) {
	joinSplit(t)
	for ri := range t.Rows {
		for ci := range t.Rows[ri].Cells {
			c := &t.Rows[ri].Cells[ci]
			if !labelText(c.Text) {
				continue
			}
			for {
				below := ri + c.RowSpan
				if below >= len(t.Rows) {
					break
				}
				cells := t.Rows[below].Cells
				k := slices.IndexFunc(cells, func(d flow.Cell) bool {
					return d.Col == c.Col && d.ColSpan == c.ColSpan && d.Text == c.Text
				})
				if k < 0 && c.RowSpan > 1 && t.Rows[below].Page > t.Rows[ri].Page {
					// A label that crossed a page break and is followed,
					// on a later page, by an empty cell of its columns:
					// the rest of the merged cell, which LibreOffice
					// draws closed off from it in its PDF of a DOCX
					// that restarts the merge on the page (govreport's
					// embed mode). No table of the formats leaves a
					// label cell empty.
					k = slices.IndexFunc(cells, func(d flow.Cell) bool {
						return d.Col == c.Col && d.ColSpan == c.ColSpan && strings.TrimSpace(d.Text) == ""
					})
				}
				if k < 0 {
					break
				}
				c.RowSpan += cells[k].RowSpan
				c.Vertical = c.Vertical || cells[k].Vertical
				t.Rows[below].Cells = slices.Delete(cells, k, k+1)
			}
		}
	}
}

// openCell returns the cell of t that reaches t's last row at c's columns.
func openCell(t *flow.Table, n int, c flow.Cell) *flow.Cell {
	for ri := len(t.Rows) - 1; ri >= 0; ri-- {
		for i := range t.Rows[ri].Cells {
			o := &t.Rows[ri].Cells[i]
			if o.Col == c.Col && o.ColSpan == c.ColSpan && ri+o.RowSpan == n {
				return o
			}
		}
	}
	return nil
}

// joinSplit joins a label LibreOffice split over a page break — the part
// on one page, the rest at the top of the next, in cells one above the
// other — when the joined text is a label of the same column elsewhere in
// the table (the label the writer repeated).
func joinSplit(t *flow.Table) {
	labels := map[[2]int]map[string]bool{}
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			k := [2]int{c.Col, c.ColSpan}
			if labels[k] == nil {
				labels[k] = map[string]bool{}
			}
			labels[k][c.Text] = true
		}
	}
	for ri := range t.Rows {
		for ci := range t.Rows[ri].Cells {
			c := &t.Rows[ri].Cells[ci]
			below := ri + c.RowSpan
			if !labelText(c.Text) || below >= len(t.Rows) || t.Rows[below].Page != t.Rows[below-1].Page+1 {
				continue
			}
			cells := t.Rows[below].Cells
			k := slices.IndexFunc(cells, func(d flow.Cell) bool {
				return d.Col == c.Col && d.ColSpan == c.ColSpan && labelText(d.Text)
			})
			if k < 0 || !labels[[2]int{c.Col, c.ColSpan}][c.Text+cells[k].Text] {
				continue
			}
			c.Text += cells[k].Text
			c.RowSpan += cells[k].RowSpan
			c.Vertical = c.Vertical || cells[k].Vertical
			t.Rows[below].Cells = slices.Delete(cells, k, k+1)
		}
	}
}

// labelText says whether a cell's text is a label (not a count, not a
// dash): a label printed twice in adjacent rows is one label.
func labelText(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
