package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/govreport/govreport/importer/flow"
	"github.com/govreport/govreport/report"
)

// A fmtRow is a data row of a format's table: the label that names it
// (its leaf, the rightmost label), its group's label where a row-span
// label stands left of it, and its data cells left to right.
type fmtRow struct {
	leaf      string // folded
	leafRunes []rune
	label     string // as the format prints it
	group     *fmtGroup
	cells     []*report.Cell
	header    []string // folded column heading of each data cell
}

// A fmtGroup is a row-span label over several data rows (（六）其他处理
// over its three sub-rows): a report may print it as one row.
type fmtGroup struct {
	label string
	leaf  string // folded
	first int    // index of its first row
	n     int
}

// tableShape is a format table made ready for matching.
type tableShape struct {
	t    *report.Table
	rows []fmtRow
}

func shapeOf(t *report.Table) *tableShape {
	s := &tableShape{t: t}
	grid := make([][]*report.Cell, len(t.Rows))
	for r := range grid {
		grid[r] = make([]*report.Cell, t.Columns)
	}
	for _, row := range t.Rows {
		for _, c := range row.Cells {
			cs, rs := c.Span()
			for i := c.Row; i < c.Row+rs && i < len(grid); i++ {
				for j := c.Col; j < c.Col+cs && j < t.Columns; j++ {
					grid[i][j] = c
				}
			}
		}
	}
	groups := map[*report.Cell]*fmtGroup{}
	for r, row := range t.Rows {
		var data []*report.Cell
		for _, c := range row.Cells {
			if c.IsData() {
				data = append(data, c)
			}
		}
		if len(data) == 0 {
			continue
		}
		fr := fmtRow{cells: data}
		first := data[0].Col
		var labels []*report.Cell
		for j := 0; j < first; j++ {
			if c := grid[r][j]; c != nil && (len(labels) == 0 || labels[len(labels)-1] != c) {
				labels = append(labels, c)
			}
		}
		if n := len(labels); n > 0 {
			fr.label = labels[n-1].Text
			fr.leaf = fold(fr.label)
			fr.leafRunes = []rune(fr.leaf)
			if n > 1 {
				g := labels[n-2]
				if _, rs := g.Span(); rs > 1 {
					if groups[g] == nil {
						groups[g] = &fmtGroup{label: g.Text, leaf: fold(g.Text), first: len(s.rows)}
					}
					fr.group = groups[g]
					fr.group.n++
				}
			}
		}
		// A data cell's heading: the nearest label above it in its column
		// that is not a section row.
		for _, c := range data {
			h := ""
			for i := r - 1; i >= 0; i-- {
				a := grid[i][c.Col]
				if a == nil || a.Role == "section" {
					break
				}
				if a.IsData() {
					continue
				}
				if a.Text != "" {
					h = a.Text
					break
				}
			}
			fr.header = append(fr.header, fold(h))
		}
		s.rows = append(s.rows, fr)
	}
	return s
}

// srcCell is a source cell with its place in the source's grid.
type srcCell struct {
	flow.Cell
	row int
}

// srcRow is a source table row made ready for matching.
type srcRow struct {
	own    []srcCell // the cells that start in this row, left to right
	labels []string  // texts of every cell covering the row, left to right, without the data cells
	cover  []*srcCell
	page   int
}

type srcTable struct {
	rows []srcRow
	page int
	num  int // the table's number in the document, from 1
	cols int

	infos map[[2]int]*rowInfo
}

func newSrcTable(t *flow.Table, num int) *srcTable {
	st := &srcTable{page: t.Page, num: num}
	cols := 0
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			cols = max(cols, max(c.Col, 0)+max(c.ColSpan, 1))
		}
	}
	cols = min(cols, 256)
	st.cols = cols
	cover := make([][]*srcCell, len(t.Rows))
	for i := range cover {
		cover[i] = make([]*srcCell, cols)
	}
	for i, r := range t.Rows {
		sr := srcRow{page: r.Page}
		for _, c := range r.Cells {
			// a reader's cell as the grid takes it: within the grid,
			// spans at least 1
			c.Col = min(max(c.Col, 0), cols)
			c.ColSpan = min(max(c.ColSpan, 1), cols)
			c.RowSpan = min(max(c.RowSpan, 1), len(t.Rows))
			sc := srcCell{Cell: c, row: i}
			sr.own = append(sr.own, sc)
		}
		st.rows = append(st.rows, sr)
	}
	for i := range st.rows {
		for k := range st.rows[i].own {
			c := &st.rows[i].own[k]
			for a := i; a < i+max(c.RowSpan, 1) && a < len(cover); a++ {
				for b := c.Col; b < c.Col+max(c.ColSpan, 1) && b < cols; b++ {
					if b >= 0 {
						cover[a][b] = c
					}
				}
			}
		}
	}
	for i := range st.rows {
		st.rows[i].cover = cover[i]
	}
	return st
}

// values returns the row's last k own cells (its data, when the row is a
// data row with k cells) and the label texts left of them.
func (r *srcRow) split(k int) (vals []srcCell, labels []string, ok bool) {
	if len(r.own) < k {
		// fewer cells than the format's row: the label's and what
		// follows (a table laid out as another format's)
		k = max(len(r.own)-1, 0)
		if k == 0 {
			return nil, nil, false
		}
	}
	vals = r.own[len(r.own)-k:]
	firstCol := 1 << 30
	if k > 0 {
		firstCol = vals[0].Col
	}
	var last *srcCell
	for j, c := range r.cover {
		if j >= firstCol || c == nil || c == last {
			continue
		}
		last = c
		labels = append(labels, c.Text)
	}
	return vals, labels, true
}

// leaf is the rightmost non-empty label.
func leafOf(labels []string) string {
	for i := len(labels) - 1; i >= 0; i-- {
		if t := trimCell(labels[i]); t != "" && !isValueLike(t) {
			return t
		}
	}
	return ""
}

// valueLike reports whether a cell's text reads as a value (a number, a
// null mark, blank), not as a label.
// It is called for every cell and row the alignment tries, so it is
// written out rather than a regular expression.
func isValueLike(s string) bool {
	t := trimCell(s)
	switch t {
	case "", "/", "／", "-", "－", "–":
		return true
	}
	if strings.Trim(t, "—") == "" {
		return true
	}
	for i, r := range t {
		switch {
		case r >= '0' && r <= '9', r >= '０' && r <= '９':
		case i == 0 && (r == '+' || r == '-' || r == '−'):
			if len(t) == utf8.RuneLen(r) {
				return false
			}
		case i > 0 && (r == ',' || r == '，' || r == '.'):
		default:
			return false
		}
	}
	first, _ := utf8.DecodeRuneInString(strings.TrimLeft(t, "+-−"))
	return first >= '0' && first <= '9' || first >= '０' && first <= '９'
}

// rowMatch is how one source row was matched.
type rowMatch struct {
	src   int
	fmt   int     // the format row, or the group's first row for a group match
	group bool    // the source row is the group's one row
	sim   float64 // label similarity
}

const minSimilarity = 0.5

// rowInfo is what the alignment needs of a source row read with k data
// cells: its folded leaf label, and the share of its cells that read as
// values.
type rowInfo struct {
	ok     bool
	leaf   []rune
	values float64
}

// info returns row i read with k data cells, computed once.
func (st *srcTable) info(i, k int) *rowInfo {
	key := [2]int{i, k}
	if ri, ok := st.infos[key]; ok {
		return ri
	}
	ri := &rowInfo{}
	if vals, labels, ok := st.rows[i].split(k); ok {
		ri.ok = true
		ri.leaf = []rune(fold(leafOf(labels)))
		n := 0
		for _, v := range vals {
			if isValueLike(v.Text) {
				n++
			}
		}
		if len(vals) > 0 {
			ri.values = float64(n) / float64(len(vals))
		}
	}
	if st.infos == nil {
		st.infos = map[[2]int]*rowInfo{}
	}
	st.infos[key] = ri
	return ri
}

// runeSimilarity is similarity on runes.
func runeSimilarity(a, b []rune) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	n := max(len(a), len(b))
	if d := abs(len(a) - len(b)); 2*d > n {
		// the distance is at least the difference in length: below
		// any similarity the importer takes
		return 1 - float64(d)/float64(n)
	}
	return 1 - float64(editDistance(a, b))/float64(n)
}

// rowScore is the similarity of source row i to format row fr.
func (st *srcTable) rowScore(i int, fr *fmtRow) float64 {
	ri := st.info(i, len(fr.cells))
	if !ri.ok {
		return 0
	}
	if fr.leaf == "" {
		// A row of data only (表四): no label before the cells, most of
		// them values.
		if len(ri.leaf) != 0 || ri.values < 0.5 {
			return 0
		}
		return ri.values
	}
	if len(ri.leaf) == 0 {
		return 0
	}
	return runeSimilarity(ri.leaf, fr.leafRunes)
}

// align matches source rows to format rows in order (a sequence
// alignment maximizing the summed label similarity), so that a label with
// a missing or wrong character still finds its row, a header row finds
// none, and a group printed as one row (（六）其他处理) finds its group.
func align(st *srcTable, sh *tableShape) (matches []rowMatch, score float64) {
	n, m := len(st.rows), len(sh.rows)
	type cell struct {
		v    float64
		move int8 // 0 skip source, 1 skip format, 2 match, 3 group
		k    int
		sim  float64
	}
	dp := make([][]cell, n+1)
	for i := range dp {
		dp[i] = make([]cell, m+1)
	}
	for i := n; i >= 0; i-- {
		for j := m; j >= 0; j-- {
			if i == n && j == m {
				continue
			}
			best := cell{v: -1e9}
			if i < n {
				best = cell{v: dp[i+1][j].v, move: 0}
			}
			if j < m {
				if v := dp[i][j+1].v - 0.5; v > best.v {
					best = cell{v: v, move: 1}
				}
			}
			if i < n && j < m {
				if s := st.rowScore(i, &sh.rows[j]); s >= minSimilarity {
					if v := dp[i+1][j+1].v + s; v > best.v {
						best = cell{v: v, move: 2, sim: s}
					}
				}
				if g := sh.rows[j].group; g != nil && g.first == j && j+g.n <= m {
					if ri := st.info(i, len(sh.rows[j].cells)); ri.ok {
						if s := runeSimilarity(ri.leaf, []rune(g.leaf)); s >= 0.7 {
							if v := dp[i+1][j+g.n].v + s - 0.1; v > best.v {
								best = cell{v: v, move: 3, k: g.n, sim: s}
							}
						}
					}
				}
			}
			dp[i][j] = best
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		c := dp[i][j]
		switch c.move {
		case 0:
			i++
		case 1:
			j++
		case 2:
			matches = append(matches, rowMatch{src: i, fmt: j, sim: c.sim})
			i++
			j++
		case 3:
			matches = append(matches, rowMatch{src: i, fmt: j, group: true, sim: c.sim})
			i++
			j += c.k
		}
	}
	return matches, dp[0][0].v
}

// cellValue is one data cell read from the source.
type cellValue struct {
	raw  string // the JSON value; "" when the cell is omitted
	text string // as the source shows it
}

var (
	countText   = regexp.MustCompile(`^[0-9]+$`)
	decimalText = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	changeText  = regexp.MustCompile(`^[+\-]?[0-9]+$`)
)

// normalizeNumber takes full-width digits, thousands separators and
// spaces out of a cell's text.
func normalizeNumber(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune(r - '０' + '0')
		case r == '，' || r == ',' || r == ' ' || r == '\u00a0' || r == '\u3000' || r == '\t':
		case r == '．':
			b.WriteByte('.')
		case r == '−' || r == '－':
			b.WriteByte('-')
		case r == '＋':
			b.WriteByte('+')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isNullMark(s string) bool {
	switch s {
	case "/", "／", "-", "－", "—", "——", "–", "−", "\\", "无":
		return true
	}
	return false
}

// trimCell trims spaces, &nbsp; and ideographic spaces.
func trimCell(s string) string {
	return strings.Trim(s, " \t\r\n\u00a0\u3000")
}

// clipLabel shortens a label for a message.
func clipLabel(s string) string {
	if utf8.RuneCountInString(s) <= 30 {
		return s
	}
	return string([]rune(s)[:30]) + "…"
}

func pageWhere(page int) string {
	if page <= 0 {
		return ""
	}
	return fmt.Sprintf("第%d页 ", page)
}

func itoa(n int) string { return strconv.Itoa(n) }

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
