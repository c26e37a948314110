package layout

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/govreport/govreport/fonts"
)

// tableLayout is a table measured for the page: column widths, row heights
// and each cell's lines.
type tableLayout struct {
	t     *Table
	colX  []float64 // left edge of each column from the table's left, and the right edge
	rowH  []float64
	cells []cellLayout
	lineH float64
	size  float64 // the type size of every cell
	digit float64 // the width (em) the columns leave each digit of a count, 0 for the face's own
	// landscape says the table is set on landscape pages of its own
	// (Style.Landscape): its counts do not fit a portrait page at 小五.
	landscape bool
	padY      float64 // Style.CellPadY
	// sections says the table is made of blocks, each opened by a
	// section row (表二's 第二十条第（X）项): pages break between blocks only.
	sections bool
	// cut are the rows before which the pagination broke a label group
	// (its text whole on both sides) not to leave a page two-fifths empty.
	cut []int
}

type cellLayout struct {
	c    *Cell
	text *setText
	need float64 // height of its lines plus padding
}

func (tl *tableLayout) headerHeight() float64 { return tl.span(0, tl.t.HeaderRows) }

// startHeight is what a table needs at the foot of a page to begin there:
// its header rows and the body rows up to the first one with data, so that
// no heading or label row stands alone.
func (tl *tableLayout) startHeight() float64 {
	end := tl.t.HeaderRows
	for end < tl.t.Rows-1 && !tl.rowHasData(end) {
		end++
	}
	if tl.sections {
		// A table of blocks (表二) starts with its whole first block.
		for end+1 < tl.t.Rows && !tl.rowIsSection(end+1) {
			end++
		}
	}
	return tl.span(0, end+1)
}

// startsIn reports whether the table starts in room (pt) at a page's foot,
// as table sets it: its header and first rows fit, and its first page has
// a break the plan takes.
func (tl *tableLayout) startsIn(room, full float64) bool {
	if room < tl.startHeight()-0.01 {
		return false
	}
	_, err := tl.plan(room, full)
	return !errors.Is(err, errNeedPage)
}

// below is the room under a row's last line of text: the cell's padding
// and the line's half-leading.
func (tl *tableLayout) below() float64 { return tl.padY + (tl.lineH-tl.size)/2 }

// rowIsSection reports whether row r starts a block: a 第二十条第（X）项 row.
func (tl *tableLayout) rowIsSection(r int) bool {
	for _, cl := range tl.cells {
		if cl.c.Kind == CellSection && cl.c.Row == r {
			return true
		}
	}
	return false
}

// span is the height of rows [a, b).
func (tl *tableLayout) span(a, b int) float64 {
	h := 0.0
	for r := a; r < b; r++ {
		h += tl.rowH[r]
	}
	return h
}

// tableSizes are the sizes a table steps down through, from the style's
// TableSize (小四) through its TableSteps (五号, 小五, 六号), until every
// count fits its column on one line.
func tableSizes(st Style) []float64 {
	out := []float64{st.TableSize}
	for _, s := range st.TableSteps {
		if s < out[len(out)-1] {
			out = append(out, s)
		}
	}
	return out
}

// countSlack (pt) is added to a count's width when its column is sized.
const countSlack = 0.4

// errTooNarrow is a table whose counts do not fit at a size.
var errTooNarrow = errors.New("the counts do not fit their columns")

// layoutTable measures a table. Column widths start from each column's
// widest count and the relative widths of the format, each count keeping
// countMargin from the rules; if the counts cannot all fit the measure,
// the whole table steps down a size (小四 → 五号 → 小五), the same for every
// cell. A table whose counts do not fit at 小五 (Style.MinTableSize) turns
// to a landscape page (GB/T 9704 §10.2) and steps down there from the
// largest size the report's other tables allow (ts.tableCap); only a table
// too wide for that either goes on to 六号, its counts nearer the rules,
// and at the smallest size wraps a count wider than its column.
func (ts *typesetter) layoutTable(ctx context.Context, t *Table) (*tableLayout, error) {
	land := ts.style.Landscape()
	for _, st := range []Style{ts.style, land} {
		var sizes []float64
		for _, size := range tableSizes(st) {
			if size >= st.MinTableSize && (ts.tableCap == 0 || size <= ts.tableCap) {
				sizes = append(sizes, size)
			}
		}
		for _, size := range sizes {
			tl, err := ts.fitTableAt(ctx, t, st, size)
			if errors.Is(err, errTooNarrow) {
				continue
			}
			return tl, err
		}
	}
	// Too wide for a landscape page at 小五: every size, the counts'
	// margin given up before a count wraps.
	sizes := tableSizes(land)
	for i, size := range sizes {
		tl, err := ts.layoutTableAt(ctx, t, land, size, countMargin, 0, false)
		if errors.Is(err, errTooNarrow) {
			tl, err = ts.layoutTableAt(ctx, t, land, size, 0, 0, i == len(sizes)-1)
		}
		if errors.Is(err, errTooNarrow) {
			continue
		}
		return tl, err
	}
	return nil, fmt.Errorf("%s: %w", t.Name, errTooNarrow)
}

// fitTableAt measures a table at one size on a page of style st, its
// counts countMargin from the rules, or says errTooNarrow. At the size the
// counts fit, their columns take the room of an office program's
// substitute digits (Style.CountDigit) where the labels leave it, so that
// a DOCX opened without the official fonts does not wrap a count. The
// room never steps the table down a size: a smaller table sets its labels
// in more lines and moves the page breaks (horgos-2024's 表三 left a page
// 40 % empty at 六号).
//
// Whether a try fits is settled by its columns (columnsAt): the cells of
// a try another replaces are never broken into lines.
func (ts *typesetter) fitTableAt(ctx context.Context, t *Table, st Style, size float64) (*tableLayout, error) {
	if _, _, err := ts.columnsAt(t, st, size, countMargin, 0, false); err != nil {
		return nil, err
	}
	if d := st.CountDigit; d > 0 {
		for _, m := range []float64{countMargin, -countMargin} {
			_, _, err := ts.columnsAt(t, st, size, m, d, false)
			if err == nil {
				return ts.layoutTableAt(ctx, t, st, size, m, d, false)
			}
			if !errors.Is(err, errTooNarrow) {
				return nil, err
			}
		}
	}
	return ts.layoutTableAt(ctx, t, st, size, countMargin, 0, false)
}

// countMargin is the room a count keeps from each rule of its cell (1.5
// mm: six- and seven-digit counts sat 0.7 mm from the rules).
var countMargin = mm(1.5)

// layoutTableAt measures a table at one size on a page of style st, its
// counts margin from the rules and each of their digits at least digit ems
// wide: its columns' widths from the cells' shaped text, then each cell
// broken in its width and the rows grown to hold them. A negative margin
// is kept from the counts' own digits, the substitute digits' room
// inside it. Before the last size, errTooNarrow says the counts do not
// fit.
func (ts *typesetter) layoutTableAt(ctx context.Context, t *Table, st Style, size, margin, digit float64, last bool) (*tableLayout, error) {
	k := tableKey{t: t, pageW: st.PageWidth, pageH: st.PageHeight, bodyW: st.BodyWidth, size: size, margin: margin, digit: digit, last: last}
	if try, ok := ts.tables[k]; ok {
		return try.tl, try.err
	}
	tl, err := ts.measureTableAt(ctx, t, st, size, margin, digit, last)
	if ctx.Err() == nil {
		if ts.tables == nil {
			ts.tables = map[tableKey]tableTry{}
		}
		ts.tables[k] = tableTry{tl, err}
	}
	return tl, err
}

// tableKey is what a table's measurement at one size depends on besides
// the typesetter's style: the page it is set on (the style or its
// Landscape, which differ in these of the fields a table reads) and
// layoutTableAt's arguments.
type tableKey struct {
	t                   *Table
	pageW, pageH, bodyW float64
	size, margin, digit float64
	last                bool
}

// tableTry is a table measured at one size, or why it could not be.
type tableTry struct {
	tl  *tableLayout
	err error
}

// measureTableAt is layoutTableAt without the memory of earlier tries.
func (ts *typesetter) measureTableAt(ctx context.Context, t *Table, st Style, size, margin, digit float64, last bool) (*tableLayout, error) {
	cols, sc, err := ts.columnsAt(t, st, size, margin, digit, last)
	if err != nil {
		return nil, err
	}
	tl := *cols // the columns' try stays as it is, for columnsAt's memory
	if err := tl.breakCells(ctx, st, sc); err != nil {
		return nil, err
	}
	tl.growSpans()
	return &tl, nil
}

// columnsAt is the first half of layoutTableAt, remembered like it: the
// table's columns at one size, from its cells shaped, or errTooNarrow.
// The cells are not yet broken into lines.
func (ts *typesetter) columnsAt(t *Table, st Style, size, margin, digit float64, last bool) (*tableLayout, *shapedCells, error) {
	k := tableKey{t: t, pageW: st.PageWidth, pageH: st.PageHeight, bodyW: st.BodyWidth, size: size, margin: margin, digit: digit, last: last}
	if c, ok := ts.columns[k]; ok {
		return c.tl, c.sc, c.err
	}
	tl, sc, err := ts.measureColumns(t, st, size, margin, digit, last)
	if ts.columns == nil {
		ts.columns = map[tableKey]columnsTry{}
	}
	ts.columns[k] = columnsTry{tl, sc, err}
	return tl, sc, err
}

// columnsTry is a table's columns at one size, or why it has none.
type columnsTry struct {
	tl  *tableLayout
	sc  *shapedCells
	err error
}

func (ts *typesetter) measureColumns(t *Table, st Style, size, margin, digit float64, last bool) (*tableLayout, *shapedCells, error) {
	if err := checkGrid(t); err != nil {
		return nil, nil, err
	}
	tl := &tableLayout{t: t, lineH: size * st.TableLeading, size: size, digit: digit, sections: hasSections(t),
		landscape: st.PageWidth > st.PageHeight, padY: st.CellPadY}
	sc, err := ts.shapeCells(t, size, margin, digit)
	if err != nil {
		return nil, nil, err
	}
	if !last {
		sc.preferLabelWidths(t, st)
	}
	if err := tl.setColumns(st, sc, last); err != nil {
		return nil, nil, err
	}
	return tl, sc, nil
}

// hasSections reports whether a body row of t is a section row (黑体 across
// the table), before which alone a page may then break.
func hasSections(t *Table) bool {
	for _, c := range t.Cells {
		if c.Kind == CellSection && c.Row >= t.HeaderRows {
			return true
		}
	}
	return false
}

// checkGrid checks that t's grid has a header and a body and that every cell
// lies within it, none spanning out of the header rows.
func checkGrid(t *Table) error {
	if t.Columns <= 0 || t.Rows <= 0 || t.HeaderRows < 0 || t.HeaderRows >= t.Rows {
		return fmt.Errorf("%s: bad grid %d×%d with %d header rows", t.Name, t.Columns, t.Rows, t.HeaderRows)
	}
	for i := range t.Cells {
		c := &t.Cells[i]
		if c.RowSpan < 1 || c.ColSpan < 1 || c.Row < 0 || c.Col < 0 || c.Row+c.RowSpan > t.Rows || c.Col+c.ColSpan > t.Columns {
			return fmt.Errorf("%s: cell at row %d, column %d lies outside the grid", t.Name, c.Row+1, c.Col+1)
		}
		if c.Row < t.HeaderRows && c.Row+c.RowSpan > t.HeaderRows {
			return fmt.Errorf("%s: cell at row %d spans out of the header rows", t.Name, c.Row+1)
		}
	}
	return nil
}

// shapedCells are a table's cells shaped at one size, and the widths their
// columns need.
type shapedCells struct {
	glyphs [][]glyph // by cell
	units  [][]unit  // by cell
	// minW is the width a column needs for its widest unbreakable unit;
	// floor what it cannot do without: two characters of a label, two
	// digits of a number. A number wider than its column (a 12-digit
	// count in table 四) wraps rather than fail the table.
	minW, floor []float64 // by column
	// words is the width a column's labels' short words need on one line
	// (自然人, 本年度): taken when the table fits with it, never a reason
	// to step down a size (issue 22).
	words []float64
}

// shapeCells shapes every cell once; its widest unbreakable unit sets a
// minimum width for its column, and a count's with margin from the rules
// and digit ems a digit.
func (ts *typesetter) shapeCells(t *Table, size, margin, digit float64) (*shapedCells, error) {
	st := ts.style
	sc := &shapedCells{
		glyphs: make([][]glyph, len(t.Cells)),
		units:  make([][]unit, len(t.Cells)),
		minW:   make([]float64, t.Columns),
		floor:  make([]float64, t.Columns),
		words:  make([]float64, t.Columns),
	}
	shaped, err := ts.shapeTable(t, size)
	if err != nil {
		return nil, err
	}
	copy(sc.glyphs, shaped.glyphs)
	copy(sc.units, shaped.units)
	for i := range t.Cells {
		c := &t.Cells[i]
		gs, us := sc.glyphs[i], sc.units[i]
		if c.ColSpan != 1 {
			continue
		}
		need, least := cellWidths(c, gs, us, size)
		if c.Kind == CellData {
			own := need
			if m := abs(margin); m > st.CellPadX {
				own += 2 * (m - st.CellPadX)
			}
			switch {
			case digit > 0 && margin < 0:
				need = max(own, float64(utf8.RuneCountInString(c.Text))*digit*size+countSlack)
			case digit > 0:
				need = max(need, float64(utf8.RuneCountInString(c.Text))*digit*size+countSlack) + (own - need)
			default:
				need = own
			}
		}
		sc.minW[c.Col] = max(sc.minW[c.Col], need+2*st.CellPadX)
		sc.floor[c.Col] = max(sc.floor[c.Col], least+2*st.CellPadX)
		if c.Kind != CellData {
			sc.words[c.Col] = max(sc.words[c.Col], labelWord(c, gs, 4)+2*st.CellPadX)
		}
	}
	return sc, nil
}

// shapedText is a table's cells shaped at one size, by cell: read only,
// shared by every try of the table at that size.
type shapedText struct {
	glyphs [][]glyph
	units  [][]unit
}

type shapeKey struct {
	t    *Table
	size float64
}

// shapeTable shapes every cell of t at size, once for a layout.
func (ts *typesetter) shapeTable(t *Table, size float64) (*shapedText, error) {
	k := shapeKey{t, size}
	if sh, ok := ts.shaped[k]; ok {
		return sh, nil
	}
	sh := &shapedText{glyphs: make([][]glyph, len(t.Cells)), units: make([][]unit, len(t.Cells))}
	for i := range t.Cells {
		c := &t.Cells[i]
		gs, starts, err := ts.shape([]Run{{Text: c.Text, Role: cellRole(c)}}, size, cellWhere(t, c))
		if err != nil {
			return nil, err
		}
		sh.glyphs[i], sh.units[i] = gs, units(gs, starts, 0)
	}
	if ts.shaped == nil {
		ts.shaped = map[shapeKey]*shapedText{}
	}
	ts.shaped[k] = sh
	return sh, nil
}

// cellWidths returns the width a one-column cell's text needs (its widest
// unbreakable unit) and the least it can do with.
func cellWidths(c *Cell, gs []glyph, us []unit, size float64) (need, least float64) {
	for _, u := range us {
		need = max(need, u.width)
	}
	switch {
	case c.Kind != CellData && runeCount(c.Text) >= 2:
		need = max(need, 2*size) // labels wrap two characters a line, never one
		least = need
		// A run that may not be parted (（五）: no line starts with
		// ）) fits a line unsqueezed, as Word and LibreOffice, which
		// cannot compress it as much, need.
		run := 0.0
		for k, u := range us {
			if k > 0 && breakAllowed(gs, us[k-1], u) {
				run = 0
			}
			run += u.width
			need = max(need, run)
		}
	case len(gs) > 0:
		least = min(need, 2*gs[0].adv)
	}
	if c.Kind == CellData {
		// A little room beyond the count's own width, so that a
		// program setting the DOCX, whose glyph positions round
		// differently, fits it too.
		need += countSlack
	}
	return need, least
}

func fitsWidths(t *Table, total float64, minW []float64) bool {
	_, err := columnWidths(t, total, minW)
	return err == nil
}

// labelWord is the width of the widest word of a label no longer than
// most characters, its words those its format marks (Cell.Breaks; a label
// without marks is one word).
func labelWord(c *Cell, gs []glyph, most int) float64 {
	widest, w, n, at := 0.0, 0.0, 0, 0
	for i, g := range gs {
		if at < len(c.Breaks) && c.Breaks[at] == i {
			if n <= most {
				widest = max(widest, w)
			}
			w, n = 0, 0
			at++
		}
		w += g.adv
		n++
	}
	if n <= most {
		widest = max(widest, w)
	}
	return widest
}

// preferLabelWidths is for the sizes before the smallest: a label column
// keeps half the width the format gives it (or its longest label's): rather
// than starve the labels to a character or two a line beside wide counts,
// the table steps down.
func (sc *shapedCells) preferLabelWidths(t *Table, st Style) {
	if len(t.Widths) != t.Columns {
		return
	}
	sum := 0.0
	for _, w := range t.Widths {
		sum += w
	}
	if sum <= 0 {
		return
	}
	for i := range t.Cells {
		c := &t.Cells[i]
		if c.ColSpan != 1 || c.Kind == CellData {
			continue
		}
		full := 0.0
		for _, g := range sc.glyphs[i] {
			full += g.adv
		}
		pref := min(0.5*t.Widths[c.Col]/sum*st.BodyWidth, full+2*st.CellPadX)
		sc.minW[c.Col] = max(sc.minW[c.Col], pref)
	}
}

// setColumns sets the columns' edges from the widths the cells need; at the
// last size, from the widths they cannot do without if those do not fit.
func (tl *tableLayout) setColumns(st Style, sc *shapedCells, last bool) error {
	t := tl.t
	// Each column as wide as its labels' short words, left to right, as
	// far as the table fits: never a reason to step down a size.
	want := slices.Clone(sc.minW)
	for i := range want {
		if sc.words[i] > want[i] {
			was := want[i]
			if want[i] = sc.words[i]; !fitsWidths(t, st.BodyWidth, want) {
				want[i] = was
			}
		}
	}
	widths, err := columnWidths(t, st.BodyWidth, want)
	if err != nil && !last {
		return errTooNarrow
	}
	if err != nil {
		widths, err = columnWidths(t, st.BodyWidth, sc.floor)
	}
	if err != nil {
		return err
	}
	tl.colX = make([]float64, t.Columns+1)
	for i, w := range widths {
		tl.colX[i+1] = tl.colX[i] + w
	}
	return nil
}

// breakCells breaks every cell's text in its width; rows grow to hold their
// one-row cells.
func (tl *tableLayout) breakCells(ctx context.Context, st Style, sc *shapedCells) error {
	t := tl.t
	tl.rowH = make([]float64, t.Rows)
	for r := range tl.rowH {
		tl.rowH[r] = tl.lineH + 2*st.CellPadY
	}
	tl.cells = make([]cellLayout, len(t.Cells))
	for i := range t.Cells {
		c := &t.Cells[i]
		inner := tl.colX[c.Col+c.ColSpan] - tl.colX[c.Col] - 2*st.CellPadX
		us, lines, err := breakLines(ctx, sc.glyphs[i], sc.units[i], inner, inner, st.CompressLimit, false)
		if err != nil {
			return err
		}
		if c.Kind != CellData && len(lines) > 1 {
			// A label: as many lines as filling each needs (rows keep
			// their heights), but even and broken between its words.
			if bl := balanceLabel(sc.glyphs[i], us, inner, st.CompressLimit, len(lines), c.Breaks); bl != nil {
				lines = bl
			}
			// A label spanning rows, or one of the header rows, may take
			// a line or two more to keep its words whole (三、|本年度|办理|
			// 结果, not 三、本|年度办|理结果; 社会|公益|组织, not 社会公|益组织
			// beside six-digit counts): the rows beside it have room, or
			// the header grows once for every page.
			if (c.RowSpan > 1 || c.Row < t.HeaderRows) && c.Kind == CellLabel {
				if wl := wordLabel(sc.glyphs[i], us, inner, st.CompressLimit, len(lines)+2, c.Breaks); wl != nil {
					lines = wl
				}
			}
		}
		cl := cellLayout{c: c, text: &setText{gs: sc.glyphs[i], us: us, lines: lines}}
		cl.need = float64(max(len(lines), 1))*tl.lineH + 2*st.CellPadY
		tl.cells[i] = cl
		if c.RowSpan == 1 {
			tl.rowH[c.Row] = max(tl.rowH[c.Row], cl.need)
		}
	}
	return nil
}

// growSpans grows the last row of each row-spanning cell whose rows are
// too short for its text.
func (tl *tableLayout) growSpans() {
	for _, cl := range tl.cells {
		c := cl.c
		if c.RowSpan > 1 {
			if have := tl.span(c.Row, c.Row+c.RowSpan); cl.need > have {
				tl.rowH[c.Row+c.RowSpan-1] += cl.need - have
			}
		}
	}
}

func cellRole(c *Cell) fonts.Role {
	if c.Kind == CellSection {
		return fonts.RoleHei
	}
	return fonts.RoleBody
}

func cellWhere(t *Table, c *Cell) string {
	if c.Pointer != "" {
		return c.Pointer
	}
	return t.Name + " row " + strconv.Itoa(c.Row+1) + ", column " + strconv.Itoa(c.Col+1)
}

// columnWidths scales the table's relative widths to the measure, then
// widens every column narrower than its content needs, taking the width
// from the columns that have room to spare, in proportion to it.
func columnWidths(t *Table, total float64, minW []float64) ([]float64, error) {
	n := t.Columns
	w := make([]float64, n)
	sum := 0.0
	for i := range w {
		w[i] = 1
		if len(t.Widths) == n && t.Widths[i] > 0 {
			w[i] = t.Widths[i]
		}
		sum += w[i]
	}
	need := 0.0
	for i := range w {
		w[i] *= total / sum
		need += minW[i]
	}
	if need > total+0.01 {
		return nil, fmt.Errorf("%s: the columns need %.0f pt, the page gives %.0f pt", t.Name, need, total)
	}
	for range n { // each pass fixes at least one column
		deficit, spare := 0.0, 0.0
		for i := range w {
			if w[i] < minW[i] {
				deficit += minW[i] - w[i]
			} else {
				spare += w[i] - minW[i]
			}
		}
		if deficit < 0.001 {
			break
		}
		// Within the tolerance above, the content may need a hair more
		// than the page: then no column has room left, and the columns
		// keep their minimum widths rather than divide by zero.
		take := min(deficit, spare)
		for i := range w {
			if w[i] < minW[i] {
				w[i] = minW[i]
			} else if spare > 0 {
				w[i] -= take * (w[i] - minW[i]) / spare
			}
		}
	}
	return w, nil
}

// segment is the run of body rows a table prints on one page, below its
// repeated header rows.
type segment struct{ from, to int }

// plan splits the body rows into pages: the first page has room first
// (pt) below the cursor, every later page the whole body height. A break
// never leaves a row-spanning label too short to hold its text on either
// side, nor a row without data (a 信息内容 row) alone at a page's foot.
func (tl *tableLayout) plan(first, full float64) ([]segment, error) {
	t := tl.t
	hdr := tl.headerHeight()
	tl.cut = tl.cut[:0]
	var segs []segment
	from := t.HeaderRows
	room := first - hdr - footSlack
	y := 0.0
	for r := from; r < t.Rows; r++ {
		if y+tl.rowH[r] <= room+0.01 {
			y += tl.rowH[r]
			continue
		}
		if r == from {
			if len(segs) == 0 && first < full {
				// Not even one row fits below the cursor: the caller
				// should have started a page; start the table on one.
				return nil, errNeedPage
			}
			return nil, fmt.Errorf("%s: row %d is %.0f pt tall, taller than a page", t.Name, r+1, tl.rowH[r]+hdr)
		}
		// The last break that keeps every label group whole; if that
		// leaves more than maxFootGap of the page empty, the last that
		// only keeps each label's text whole on both sides (the label
		// repeated on the next page). The page's empty foot is the room
		// left and the slack kept below the rows, and to a reader the
		// last row's padding and half-leading below its text too
		// (horqin-2023's page 3 ended 20.2 % empty).
		b := -1
		for cand := r; cand > from; cand-- {
			if tl.breakOK(cand) && tl.keepsGroups(cand, full) {
				b = cand
				break
			}
		}
		if b < 0 || room+footSlack+tl.below()-tl.span(from, b) > maxFootGap*full {
			for cand := r; cand > from; cand-- {
				if tl.breakOK(cand) {
					if cand > b {
						b = cand
						tl.cut = append(tl.cut, b)
					}
					break
				}
			}
		}
		if b < 0 {
			if len(segs) == 0 && first < full {
				// No good break on the first page: start the table on
				// the next one rather than strand its first rows.
				return nil, errNeedPage
			}
			b = r
		}
		segs = append(segs, segment{from, b})
		if len(segs) > 1000 {
			return nil, fmt.Errorf("%s: table does not fit", t.Name)
		}
		from, room, y = b, full-hdr-footSlack, 0
		r = b - 1
	}
	return append(segs, segment{from, t.Rows}), nil
}

var errNeedPage = fmt.Errorf("table needs a new page")

// maxFootGap is the most of a page's text block a table keeping a label
// group whole may leave empty at the page's foot (issue 22: a fifth);
// beyond it the group breaks between its rows.
const maxFootGap = 0.2

// footSlack is room a table's page leaves below its last row. Word and
// LibreOffice add the rules of a DOCX table to its rows' heights (half a
// point each outer edge, on top of the cell margins that already make up
// for the inner rules), so a table that fits the 版心 to a fraction of a
// point in the layout would push its last row, and with it the row's label
// group, to the next page there.
const footSlack = 1.0

// breakOK reports whether a page may break before body row b.
func (tl *tableLayout) breakOK(b int) bool {
	if !tl.rowHasData(b - 1) {
		return false
	}
	if tl.sections && !tl.rowIsSection(b) {
		return false
	}
	for _, cl := range tl.cells {
		c := cl.c
		if c.Row < b && b < c.Row+c.RowSpan {
			if tl.span(c.Row, b) < cl.need || tl.span(b, c.Row+c.RowSpan) < cl.need {
				return false
			}
		}
	}
	return true
}

// keepsGroups reports whether a break before row b leaves whole every
// label group that fits a page: the rows of a label that spans rows and
// no other label (（三）不予公开, （五）不予处理) stay together.
func (tl *tableLayout) keepsGroups(b int, full float64) bool {
	for i, cl := range tl.cells {
		c := cl.c
		if c.Kind != CellData && c.Row < b && b < c.Row+c.RowSpan && tl.innermost(i) &&
			tl.headerHeight()+tl.span(c.Row, c.Row+c.RowSpan) <= full+0.01 {
			return false
		}
	}
	return true
}

// innermost reports whether cell i spans rows and no other row-spanning
// label lies within its rows.
func (tl *tableLayout) innermost(i int) bool {
	c := tl.cells[i].c
	if c.RowSpan < 2 {
		return false
	}
	for j, dl := range tl.cells {
		d := dl.c
		if j != i && d.RowSpan > 1 && d.Kind != CellData && d.Row >= c.Row && d.Row+d.RowSpan <= c.Row+c.RowSpan {
			return false
		}
	}
	return true
}

// breaks says, for each row, whether a page may break before it: where
// the layout's pagination may break, label groups kept whole, and where it
// did break one — for a writer whose reader paginates (the DOCX's
// w:keepNext on every row a page may not follow), so that it breaks where
// the layout did.
func (tl *tableLayout) breaks(full float64) []bool {
	out := make([]bool, tl.t.Rows)
	for b := tl.t.HeaderRows + 1; b < tl.t.Rows; b++ {
		out[b] = tl.breakOK(b) && tl.keepsGroups(b, full)
	}
	for _, b := range tl.cut {
		out[b] = true
	}
	return out
}

func (tl *tableLayout) rowHasData(r int) bool {
	for _, cl := range tl.cells {
		if cl.c.Kind == CellData && cl.c.Row <= r && r < cl.c.Row+cl.c.RowSpan {
			return true
		}
	}
	return false
}

// draw paints the header rows and body rows [seg.from, seg.to) with the
// table's top-left corner at (x, y), appends the items to items, and
// returns them and the height.
// A cell spanning rows outside the segment is drawn over the part inside
// it, with its text again: a label cut by a page break repeats.
//
// later says the segment is not the table's first (its header rows are
// repeats); blk is the table's block index, for the items' Part.
func (tl *tableLayout) draw(items []Item, st Style, seg segment, later bool, blk int32, x, y float64) ([]Item, float64) {
	t := tl.t
	scopes := t.Scopes()
	// rowY maps the printed rows to their tops on this page.
	rowTop := map[int]float64{}
	cur := y
	printed := func(r int) bool { return r < t.HeaderRows || (seg.from <= r && r < seg.to) }
	for r := 0; r < t.Rows; r++ {
		if printed(r) {
			rowTop[r] = cur
			cur += tl.rowH[r]
		}
	}
	// Four rules and the lines of text of each cell printed: counted
	// first, so that the items are allocated once, with room for what the
	// page adds (its number, a draft mark).
	n := 4
	for _, cl := range tl.cells {
		if a, b := tl.rowsOn(cl.c, seg); a < b {
			n += 4 + len(cl.text.lines)
		}
	}
	items = slices.Grow(items, n)
	for ci, cl := range tl.cells {
		c := cl.c
		a, b := tl.rowsOn(c, seg)
		if a >= b {
			continue
		}
		top := rowTop[a]
		h := tl.span(a, b)
		left := x + tl.colX[c.Col]
		w := tl.colX[c.Col+c.ColSpan] - tl.colX[c.Col]
		box := t.Name + " r" + strconv.Itoa(c.Row+1) + "c" + strconv.Itoa(c.Col+1)
		lw := st.RuleWidth
		rule := Part{Kind: PartRule, Block: blk}
		items = append(items,
			Item{Kind: ItemLine, Box: box, Part: rule, X: round(left), Y: round(top), X2: round(left + w), Y2: round(top), LineWidth: lw},
			Item{Kind: ItemLine, Box: box, Part: rule, X: round(left), Y: round(top + h), X2: round(left + w), Y2: round(top + h), LineWidth: lw},
			Item{Kind: ItemLine, Box: box, Part: rule, X: round(left), Y: round(top), X2: round(left), Y2: round(top + h), LineWidth: lw},
			Item{Kind: ItemLine, Box: box, Part: rule, X: round(left + w), Y: round(top), X2: round(left + w), Y2: round(top + h), LineWidth: lw},
		)
		part := Part{Kind: PartCell, Block: blk, Cell: int32(ci), Row: int32(c.Row), Col: int32(c.Col),
			RowSpan: int32(max(c.RowSpan, 1)), ColSpan: int32(max(c.ColSpan, 1)), Scope: scopes[ci],
			Repeat: (c.Row < t.HeaderRows && later) || (c.Row >= t.HeaderRows && c.Row < a)}
		lines := cl.text.lines
		textH := float64(len(lines)) * tl.lineH
		ty := top + (h-textH)/2
		size := tl.size
		for i, ln := range lines {
			base := ty + float64(i)*tl.lineH + (tl.lineH-size)/2 + emBaseline*size
			items = appendPlaced(items, cl.text.gs, cl.text.us, ln, left+st.CellPadX, base, w-2*st.CellPadX, alignCenter, 0, box, part)
		}
	}
	return items, cur - y
}

// rowsOn returns the rows [a, b) of cell c printed in segment seg: all of
// a header cell's, the segment's share of a body cell's.
func (tl *tableLayout) rowsOn(c *Cell, seg segment) (a, b int) {
	a, b = c.Row, c.Row+c.RowSpan
	if c.Row >= tl.t.HeaderRows {
		a, b = max(a, seg.from), min(b, seg.to)
	}
	return a, b
}

// Scopes returns, for each cell, what it heads: ScopeNone for a count. A
// label heads its column in the header rows, in a row of labels only (表二
// repeats its column labels under each section row) and as a section row;
// beside counts it heads its row; the corner over the row labels heads
// both.
func (t *Table) Scopes() []Scope {
	rowLabels := false // do body rows carry labels in column 0?
	hasData := make([]bool, t.Rows)
	for _, c := range t.Cells {
		if c.Kind == CellData && c.Row >= 0 {
			for r := c.Row; r < min(c.Row+max(c.RowSpan, 1), t.Rows); r++ {
				hasData[r] = true
			}
		}
		if c.Row >= t.HeaderRows && c.Col == 0 && c.Kind == CellLabel {
			rowLabels = true
		}
	}
	out := make([]Scope, len(t.Cells))
	for i, c := range t.Cells {
		r := c.Row
		switch {
		case c.Kind == CellData:
			out[i] = ScopeNone
		case r < t.HeaderRows && c.Col == 0 && rowLabels && r+c.RowSpan >= t.HeaderRows:
			out[i] = ScopeBoth
		case r < t.HeaderRows, c.Kind == CellSection, r >= 0 && r < t.Rows && !hasData[r]:
			out[i] = ScopeColumn
		default:
			out[i] = ScopeRow
		}
	}
	return out
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
