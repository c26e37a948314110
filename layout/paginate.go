package layout

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/govreport/govreport/fonts"
)

// Paginate sets the document on pages. It is a pure function of its
// arguments: the same document, faces and style give the same pages. Every
// loop makes progress or fails, and ctx is honoured between blocks, lines
// and table rows.
func Paginate(ctx context.Context, doc *Document, set *fonts.Set, style Style) ([]Page, error) {
	c, err := Compose(ctx, doc, set, style)
	if err != nil {
		return nil, err
	}
	return c.Pages, nil
}

type paginator struct {
	ctx context.Context
	// st is the page being set's style: base, or base.Landscape() on the
	// pages of a table set landscape.
	st    Style
	base  Style
	ts    *typesetter
	pages []Page
	y     float64 // the cursor: how much of the current page's body is used, pt
	// tables caches each table's measurements: keeping a heading with a
	// table measures it before the table is set.
	tables map[*Table]*tableLayout
	out    *Composed // the decisions taken, for writers that set the flow themselves
	sigs   map[*Signature]*sigLayout
	blk    int32 // the index of the block being set, for the items' Part
}

func (p *paginator) layoutTable(t *Table) (*tableLayout, error) {
	if tl, ok := p.tables[t]; ok {
		return tl, nil
	}
	tl, err := p.ts.layoutTable(p.ctx, t)
	if err != nil {
		return nil, err
	}
	if p.tables == nil {
		p.tables = map[*Table]*tableLayout{}
	}
	p.tables[t] = tl
	return tl, nil
}

// PageLimitError is a document longer than Style.MaxPages: a report that
// passes validation by its sizes but is still too long to print (many short
// paragraphs), reported rather than laid out without end.
type PageLimitError struct{ Max int }

func (e *PageLimitError) Error() string { return fmt.Sprintf("layout: more than %d pages", e.Max) }

func (p *paginator) page() *Page { return &p.pages[len(p.pages)-1] }

func (p *paginator) newPage() error {
	if len(p.pages) >= p.st.MaxPages {
		return &PageLimitError{Max: p.st.MaxPages}
	}
	p.pages = append(p.pages, Page{Number: len(p.pages) + 1, Width: p.st.PageWidth, Height: p.st.PageHeight})
	p.y = 0
	return nil
}

// gridLine is the index of the first free grid line at the cursor.
func (p *paginator) gridLine() int {
	return int(math.Ceil(p.y/p.st.pitch() - 1e-6))
}

// room is the height left on the page from the next grid line.
func (p *paginator) room() float64 {
	return p.st.BodyHeight - float64(p.gridLine())*p.st.pitch()
}

// linesLeft is how many grid lines are free on the page.
func (p *paginator) linesLeft() int { return p.st.Lines - p.gridLine() }

// lineBaseline takes the next grid line (starting a page if needed) and
// returns the baseline for type of the given size centred in it.
func (p *paginator) lineBaseline(size float64) (float64, error) {
	if p.linesLeft() <= 0 {
		if err := p.newPage(); err != nil {
			return 0, err
		}
	}
	k := p.gridLine()
	pitch := p.st.pitch()
	p.y = float64(k+1) * pitch
	return p.st.Top + float64(k)*pitch + (pitch-size)/2 + emBaseline*size, nil
}

func (p *paginator) block(b, next Block, rest []Block) error {
	land, err := p.leadsToLandscape(b, rest)
	if err != nil {
		return err
	}
	if err := p.turn(land); err != nil {
		return err
	}
	switch b := b.(type) {
	case *Title:
		return p.title(b)
	case *Heading:
		return p.heading(b, rest)
	case *Paragraph:
		sig, _ := next.(*Signature)
		t, _ := next.(*Table)
		return p.paragraph(b, sig, t)
	case *Table:
		return p.table(b)
	case *Signature:
		return p.signature(b)
	}
	return fmt.Errorf("layout: unknown block %T", b)
}

// title sets the title in balanced centred lines broken between words at
// the top of the 版心, with a blank line after it.
func (p *paginator) title(t *Title) error {
	set, err := p.ts.wordLines(p.ctx, t.Text, t.Words, fonts.RoleTitle, p.st.TitleSize, p.st.BodyWidth, 0, t.Break, "title")
	if err != nil {
		return err
	}
	if err := p.titleLines(t, set); err != nil {
		return err
	}
	p.y += p.st.pitch() // the blank line
	return nil
}

func (p *paginator) titleLines(t *Title, set *setText) error {
	st := p.st
	size := st.TitleSize
	for i, ln := range set.lines {
		ts := p.out.Titles[t]
		ts.Lines = append(ts.Lines, set.text(ln))
		p.out.Titles[t] = ts
		base, err := p.lineBaseline(size)
		if err != nil {
			return err
		}
		p.emit(place(set.gs, set.us, ln, st.Left, base, st.BodyWidth, alignCenter, 0, "title", Part{Kind: PartTitle, Block: p.blk, Line: int32(i)})...)
	}
	return nil
}

// fitsAfter reports whether the start of the blocks fits in room (pt) at
// the foot of a page, so a heading is kept with what follows it: the next
// heading, a table's first rows (through its note: issue 22), a
// paragraph's first line, or the signature with the line before it.
func (p *paginator) fitsAfter(rest []Block, room float64, depth int) (bool, error) {
	if len(rest) == 0 || depth > 4 {
		return true, nil
	}
	pitch := p.st.pitch()
	switch b := rest[0].(type) {
	case *Heading:
		return p.fitsAfter(rest[1:], room-pitch, depth+1)
	case *Table:
		tl, err := p.layoutTable(b)
		if err != nil {
			return false, err
		}
		if tl.landscape {
			return true, nil // what leads into it turns with it
		}
		return tl.startsIn(room, p.st.BodyHeight), nil
	case *Paragraph:
		if len(rest) > 1 {
			if _, ok := rest[1].(*Table); ok {
				// A table's note goes whole with the table's start, or
				// splits (noteSplits).
				set, err := p.ts.set(p.ctx, b.Runs, p.st.BodySize, p.st.BodyWidth-2*p.st.cell(), p.st.BodyWidth, p.st.BodySize-p.st.cell(), b.Pointer)
				if err != nil {
					return false, err
				}
				fits, err := p.fitsAfter(rest[1:], room-pitch*float64(len(set.lines)), depth+1)
				return fits || p.noteSplits(len(set.lines), room), err
			}
			if sig, ok := rest[1].(*Signature); ok {
				sl, err := p.signatureLayout(sig)
				if err != nil {
					return false, err
				}
				// The paragraph's last line goes with the signature:
				// a one-line paragraph needs room for all of it.
				set, err := p.ts.set(p.ctx, b.Runs, p.st.BodySize, p.st.BodyWidth-2*p.st.cell(), p.st.BodyWidth, p.st.BodySize-p.st.cell(), b.Pointer)
				if err != nil {
					return false, err
				}
				if len(set.lines) == 1 {
					return room >= pitch*float64(1+sl.lines())-0.01, nil
				}
			}
		}
		return room >= pitch-0.01, nil
	case *Signature:
		sl, err := p.signatureLayout(b)
		if err != nil {
			return false, err
		}
		return room >= pitch*float64(sl.lines())-0.01, nil
	}
	return true, nil
}

// heading sets a heading on its own lines, on a new page if what follows
// it would not start on this one.
func (p *paginator) heading(h *Heading, rest []Block) error {
	st := p.st
	role := roleOfHeading(h.Level)
	set, err := p.ts.set(p.ctx, []Run{{Text: h.Text, Role: role}}, st.BodySize, st.BodyWidth-2*st.cell(), st.BodyWidth, st.BodySize-st.cell(), h.Pointer)
	if err != nil {
		return err
	}
	fits, err := p.fitsAfter(rest, p.room()-float64(len(set.lines))*st.pitch(), 0)
	if err != nil {
		return err
	}
	if !fits && p.gridLine() > 0 {
		if err := p.newPage(); err != nil {
			return err
		}
	}
	for i, ln := range set.lines {
		base, err := p.lineBaseline(st.BodySize)
		if err != nil {
			return err
		}
		if i == 0 && h.Level <= 1 {
			p.page().Outline = append(p.page().Outline, Outline{Level: 0, Title: h.Text, Y: round(base - emBaseline*st.BodySize)})
		}
		x, w := st.Left, st.BodyWidth
		if i == 0 {
			x, w = st.Left+2*st.cell(), st.BodyWidth-2*st.cell()
		}
		p.emit(place(set.gs, set.us, ln, x, base, w, alignJustify, 0, "heading "+h.Text,
			Part{Kind: PartHeading, Block: p.blk, Line: int32(i), Level: int32(h.Level)})...)
	}
	return nil
}

// paragraph sets a body paragraph on the grid. When the signature follows,
// its last line goes with the signature, so the signature never stands on
// a page without text above it. When a table follows (the paragraph is
// its note), the note goes whole with the table's start (issue 22), or
// splits with its last lines there (noteSplits).
func (p *paginator) paragraph(para *Paragraph, sig *Signature, t *Table) error {
	st := p.st
	sigLines := 0
	if sig != nil {
		sl, err := p.signatureLayout(sig)
		if err != nil {
			return err
		}
		sigLines = sl.lines()
	}
	indent := 2 * st.cell()
	set, err := p.ts.set(p.ctx, para.Runs, st.BodySize, st.BodyWidth-indent, st.BodyWidth, st.BodySize-st.cell(), para.Pointer)
	if err != nil {
		return err
	}
	var tl *tableLayout
	if t != nil {
		var err error
		if tl, err = p.layoutTable(t); err != nil {
			return err
		}
		if !tl.startsIn(st.BodyHeight-float64(len(set.lines))*st.pitch(), st.BodyHeight) {
			tl = nil // a note too long to start a page with its table
		}
	}
	split := false // a note split, its last lines with the table
	for i, ln := range set.lines {
		if i%32 == 31 {
			if err := p.ctx.Err(); err != nil {
				return err
			}
		}
		if sig != nil && ln.last && p.linesLeft() < 1+sigLines {
			if err := p.newPage(); err != nil {
				return err
			}
		}
		if tl != nil && i == 0 && p.gridLine() > 0 && !tl.startsIn(p.room()-float64(len(set.lines))*st.pitch(), st.BodyHeight) {
			split = p.noteSplits(len(set.lines), p.room())
			if !split {
				if err := p.newPage(); err != nil {
					return err
				}
			}
		}
		if split && i == len(set.lines)-noteTail && !tl.startsIn(p.room()-noteTail*st.pitch(), st.BodyHeight) {
			if err := p.newPage(); err != nil {
				return err
			}
		}
		base, err := p.lineBaseline(st.BodySize)
		if err != nil {
			return err
		}
		x, w := st.Left, st.BodyWidth
		if i == 0 {
			x, w = st.Left+indent, st.BodyWidth-indent
		}
		ps := p.out.Paragraphs[para]
		if i > 0 {
			ps.Breaks = append(ps.Breaks, set.us[ln.start].start)
		}
		ps.Pages = append(ps.Pages, len(p.pages)-1)
		p.out.Paragraphs[para] = ps
		box := "paragraph " + para.Pointer + " line " + strconv.Itoa(i+1)
		items := p.items()
		*items = appendPlaced(*items, set.gs, set.us, ln, x, base, w, alignJustify, st.BodySize-st.cell(), box,
			Part{Kind: PartParagraph, Block: p.blk, Line: int32(i)})
	}
	return nil
}

// noteTail is how many of a split note's last lines go with its table:
// as many as Word's and LibreOffice's widow control keeps.
const noteTail = 2

// noteSplits reports whether a table's note of n lines that cannot go
// whole with the table's start in room (pt) splits, its last noteTail
// lines going with the table, rather than all move to the next page:
// when the move would leave more than a fifth of the page empty (issue
// 22), and the note is long enough to leave a line or more behind.
func (p *paginator) noteSplits(n int, room float64) bool {
	return n > noteTail && room > maxFootGap*p.st.BodyHeight
}

// sigLayout is the signature block set for the page, before it is placed.
type sigLayout struct {
	agency, date *setText
	ax, dx       float64 // the date's left edge; the agency lines' right edge is ax
}

// lines is how many grid lines the block takes: the blank line, the
// agency's lines and the date.
func (sl *sigLayout) lines() int { return 1 + len(sl.agency.lines) + 1 }

// signatureLayout sets the agency and date per GB/T 9704 7.3.5.2: the
// agency right-indented two characters, its lines (a long name breaks
// between words into balanced lines) right-aligned; the date below,
// starting two characters right of the agency's first character (首字, the
// first line's); a date longer than that is right-indented two characters
// and the agency moves left to keep the offset.
func (p *paginator) signatureLayout(s *Signature) (*sigLayout, error) {
	if sl, ok := p.sigs[s]; ok {
		return sl, nil
	}
	st := p.st
	size, c := st.BodySize, st.cell()
	squeeze := size - c
	// The agency's lines leave room for the date's offset.
	measure := st.BodyWidth - 4*c
	agency, err := p.ts.wordLines(p.ctx, s.Agency, s.Words, fonts.RoleBody, size, measure, squeeze, 0, "/signature/agency")
	if err != nil {
		return nil, err
	}
	date, err := p.ts.set(p.ctx, []Run{{Text: s.Date, Role: fonts.RoleBody}}, size, measure, measure, squeeze, "/signature/date")
	if err != nil {
		return nil, err
	}
	if len(agency.lines) == 0 || len(date.lines) != 1 {
		return nil, fmt.Errorf("layout: the signature needs an agency and a one-line date")
	}
	right := st.Left + st.BodyWidth - 2*c
	first := agency.lines[0].width
	dw := date.lines[0].width
	ax := right
	dx := ax - first + 2*c
	if dx+dw > right {
		dx = right - dw
		ax = dx - 2*c + first
	}
	sl := &sigLayout{agency: agency, date: date, ax: ax, dx: dx}
	if p.sigs == nil {
		p.sigs = map[*Signature]*sigLayout{}
	}
	p.sigs[s] = sl
	return sl, nil
}

// signature places the block: one blank line below the text, then the
// agency's lines and the date, all on one page.
func (p *paginator) signature(s *Signature) error {
	st := p.st
	size, c := st.BodySize, st.cell()
	squeeze := size - c
	sl, err := p.signatureLayout(s)
	if err != nil {
		return err
	}
	if need := sl.lines(); p.linesLeft() < need {
		if err := p.newPage(); err != nil {
			return err
		}
	}
	if p.gridLine() > 0 {
		p.y += st.pitch()
	}
	for i, ln := range sl.agency.lines {
		base, err := p.lineBaseline(size)
		if err != nil {
			return err
		}
		p.emit(place(sl.agency.gs, sl.agency.us, ln, sl.ax-ln.width, base, ln.width, alignLeft, squeeze, "signature agency",
			Part{Kind: PartSignature, Block: p.blk, Line: int32(i)})...)
	}
	base, err := p.lineBaseline(size)
	if err != nil {
		return err
	}
	dl := sl.date.lines[0]
	p.emit(place(sl.date.gs, sl.date.us, dl, sl.dx, base, dl.width, alignLeft, squeeze, "signature date",
		Part{Kind: PartSignature, Block: p.blk, Line: int32(len(sl.agency.lines))})...)
	edge := st.Left + st.BodyWidth
	sig := SignatureSet{Date: sl.date.text(dl), DateRight: edge - sl.dx - dl.width, AgencyRight: edge - sl.ax, Size: size, Cell: c}
	for _, ln := range sl.agency.lines {
		sig.Agency = append(sig.Agency, sl.agency.text(ln))
	}
	p.out.Signatures[s] = sig
	return nil
}

// table sets a table from the next grid line, splitting it between rows
// across pages with the header rows repeated.
func (p *paginator) table(t *Table) error {
	st := p.st
	tl, err := p.layoutTable(t)
	if err != nil {
		return err
	}
	w := make([]float64, t.Columns)
	for i := range w {
		w[i] = tl.colX[i+1] - tl.colX[i]
	}
	lines := make([][]string, len(tl.cells))
	for i, cl := range tl.cells {
		for _, ln := range cl.text.lines {
			lines[i] = append(lines[i], cl.text.text(ln))
		}
	}
	var splits []int
	defer func() {
		after := float64(p.gridLine())*st.pitch() - p.y
		p.out.Tables[t] = TableSet{Widths: w, Size: tl.size, Landscape: tl.landscape, Breaks: tl.breaks(st.BodyHeight), Lines: lines, Splits: splits, CountDigit: tl.digit, After: max(after, 0)}
	}()
	top := float64(p.gridLine()) * st.pitch()
	if p.gridLine() >= st.Lines || top+tl.startHeight() > st.BodyHeight+0.01 {
		if err := p.newPage(); err != nil {
			return err
		}
		top = 0
	}
	segs, err := tl.plan(st.BodyHeight-top, st.BodyHeight)
	if errors.Is(err, errNeedPage) {
		if err := p.newPage(); err != nil {
			return err
		}
		top = 0
		segs, err = tl.plan(st.BodyHeight, st.BodyHeight)
	}
	if err != nil {
		return err
	}
	for i, seg := range segs {
		if err := p.ctx.Err(); err != nil {
			return err
		}
		if i > 0 {
			if err := p.newPage(); err != nil {
				return err
			}
			top = 0
			splits = append(splits, seg.from)
		}
		// Drawn straight onto the page's items, not into a slice of its
		// own that emit would copy.
		pg := p.page()
		var h float64
		pg.Items, h = tl.draw(pg.Items, st, seg, i > 0, p.blk, st.Left, st.Top+top)
		p.y = top + h
	}
	return nil
}

// leadsToLandscape reports whether block b is set on a landscape page: a
// table set landscape, or a heading or note that leads into one (the
// heading and its note go with the table, issue 22).
func (p *paginator) leadsToLandscape(b Block, rest []Block) (bool, error) {
	var t *Table
	switch b := b.(type) {
	case *Table:
		t = b
	case *Heading, *Paragraph:
		for i, r := range rest {
			if i > 1 {
				break
			}
			if rt, ok := r.(*Table); ok {
				t = rt
				break
			}
			if _, ok := r.(*Paragraph); !ok || i > 0 {
				break
			}
			if _, ok := b.(*Paragraph); ok {
				break // two paragraphs: the first is body text
			}
		}
	}
	if t == nil {
		return false, nil
	}
	tl, err := p.layoutTable(t)
	if err != nil {
		return false, err
	}
	return tl.landscape, nil
}

// turn starts a landscape page for a wide table and what leads into it, or
// a portrait page for what follows it, when the page being set is the
// other way.
func (p *paginator) turn(land bool) error {
	if land == (p.st.PageWidth > p.st.PageHeight) {
		return nil
	}
	if land {
		p.st = p.base.Landscape()
	} else {
		p.st = p.base
	}
	if pg := p.page(); len(pg.Items) == 0 && p.y == 0 {
		pg.Width, pg.Height = p.st.PageWidth, p.st.PageHeight // nothing on it yet
		return nil
	}
	return p.newPage()
}

// pageNumbers adds `— N —` in 四号 宋体 7 mm below the 版心: odd pages at the
// right, even pages at the left, one character in from the edge.
func (p *paginator) pageNumbers() error {
	st := p.base
	size := st.PageNumSize
	for i := range p.pages {
		pg := &p.pages[i]
		text := "— " + strconv.Itoa(pg.Number) + " —"
		set, err := p.ts.set(p.ctx, []Run{{Text: text, Role: fonts.RoleSong}}, size, st.BodyWidth, st.BodyWidth, 0, "page number")
		if err != nil {
			return err
		}
		ln := set.lines[0]
		base := st.Top + st.BodyHeight + st.PageNumGap + emBaseline*size
		x := st.Left + size
		if pg.Number%2 == 1 {
			x = st.Left + st.BodyWidth - size - ln.width
		}
		items := place(set.gs, set.us, ln, x, base, ln.width, alignLeft, 0, "page-number", Part{Kind: PartPageNumber})
		if pg.Landscape() {
			turnItems(items, st.PageHeight)
		}
		pg.Items = append(pg.Items, items...)
	}
	return nil
}

// draftMarks prints a draft's mark in 三号 黑体 in the 天头 of every page,
// ending at the 版心's right edge, its baseline as far above the 版心 as the
// page number's top is below it: where nothing of the report is printed,
// so a draft's pages are the final pages with a mark.
func (p *paginator) draftMarks(mark string) error {
	st := p.base
	size := st.BodySize
	set, err := p.ts.set(p.ctx, []Run{{Text: mark, Role: fonts.RoleHei}}, size, st.BodyWidth, st.BodyWidth, 0, "draft mark")
	if err != nil {
		return err
	}
	if len(set.lines) != 1 {
		return fmt.Errorf("the draft mark %q does not fit on one line", mark)
	}
	ln := set.lines[0]
	base := st.Top - st.PageNumGap
	x := st.Left + st.BodyWidth - ln.width
	for i := range p.pages {
		pg := &p.pages[i]
		items := place(set.gs, set.us, ln, x, base, ln.width, alignLeft, 0, "draft-mark", Part{Kind: PartDraftMark})
		if pg.Landscape() {
			turnItems(items, st.PageHeight)
		}
		pg.Items = append(pg.Items, items...)
	}
	return nil
}

// turnItems moves text placed on a portrait page of height h to where the
// same spot of the sheet is on a landscape page (the sheet turned a
// quarter clockwise, Style.Landscape), the text turned with it: what a
// portrait page prints at its foot runs down a landscape page's left edge.
func turnItems(items []Item, h float64) {
	for i := range items {
		it := &items[i]
		it.X, it.Y = round(h-it.Y), it.X
		it.Rotate = 90
	}
}

// pageItems is the room a page's items start with: a page of prose holds
// about 50, so it is filled without the slice doubling six times.
const pageItems = 64

// items is the current page's items, to append a paragraph's line to
// without a slice of its own.
func (p *paginator) items() *[]Item {
	pg := p.page()
	if pg.Items == nil {
		pg.Items = make([]Item, 0, pageItems)
	}
	return &pg.Items
}

// emit adds items to the current page. A page's first large batch
// becomes its slice, not a copy. (A table draws its parts straight onto
// the page's items.)
func (p *paginator) emit(items ...Item) {
	pg := p.page()
	switch {
	case pg.Items == nil && len(items) >= pageItems:
		pg.Items = items
		return
	case pg.Items == nil:
		pg.Items = make([]Item, 0, pageItems)
	}
	pg.Items = append(pg.Items, items...)
}
