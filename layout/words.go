package layout

import (
	"context"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/govreport/govreport/fonts"
)

// Titles and agency names break only between words (GB/T 9704 7.3.3: 回行时
// 词意完整). Chinese has no spaces, so the words of a title are found from
// what such titles are made of: an agency's name is a chain of place names
// each closed by an administrative suffix (新疆维吾尔自治区 伊犁哈萨克自治州
// 霍尔果斯市) and an organisation (人民政府 办公室), then the year (2024年) and
// the fixed words of the report's name (政府信息公开 工作 年度报告). The
// places between them are ranked; a place name or 2024年 is never broken.

// Break ranks, best first. rankAny is any other place a line may end
// (禁则 allowing): used only when the words cannot fit the measure.
const (
	rankYear   = 0 // between the agency and the year
	rankPlace  = 1 // after a place name's administrative suffix
	rankOrg    = 2 // after an organisation's suffix; between the report name's words
	rankInside = 3 // inside an organisation's name (人民政府|办公室); before 年度报告
	rankAny    = 9
)

// rankCost is what a break of each rank costs a title.
var rankCost = map[int]float64{rankYear: 0, rankPlace: 2, rankOrg: 4, rankInside: 5, rankAny: 100}

// placeSuffixes close a place name, longest first within each length.
var placeSuffixes = []string{
	"特别行政区", "特別行政區",
	"自治区", "自治州", "自治县", "自治旗", "自治區", "自治縣",
	"街道", "地区", "地區", "林区", "林區", "新区", "新區", "开发区", "開發區",
	"省", "市", "州", "盟", "县", "縣", "旗", "区", "區", "乡", "鄉", "镇", "鎮",
}

// orgSuffixes close an organisation's name.
var orgSuffixes = []string{
	"人民政府", "办公室", "辦公室", "办公厅", "辦公廳", "管理委员会", "管理委員會", "委员会", "委員會",
	"管委会", "管委會", "办事处", "辦事處", "中心", "政府", "局", "厅", "廳", "署",
}

// noBreakAfterSuffix are characters that, following a one-character
// suffix, show it was no suffix: 市场, 市政府, 区域, 区划, 县级, 乡村.
const noBreakAfterSuffix = "场場政域划劃级級村民直属屬"

// oneCharSuffix reports whether r is a one-character place or organisation
// suffix: two in a row (广州市, 市中区) are one name.
func oneCharSuffix(r rune) bool {
	return strings.ContainsRune("省市州盟县縣旗区區乡鄉镇鎮局厅廳署", r)
}

// wordBreaks ranks the places text may break at: breaks[i] is the rank of
// a break before rune i (absent: not a word boundary). hint, if above 0, is
// a break the caller knows to lie between the agency and the year; fixed
// are the words of the report's name (the format's), breaks before them.
func wordBreaks(text []rune, fixed []TitleWord, hint int) map[int]int {
	breaks := map[int]int{}
	put := func(i, rank int) {
		if i <= 0 || i >= len(text) {
			return
		}
		if old, ok := breaks[i]; !ok || rank < old {
			breaks[i] = rank
		}
	}
	// The text as a string once, and where each rune starts in it, so
	// that comparing words with it converts nothing.
	s := make([]byte, 0, len(text)*3)
	at := make([]int, len(text)+1)
	for i, r := range text {
		at[i] = len(s)
		s = utf8.AppendRune(s, r)
	}
	at[len(text)] = len(s)
	str := string(s)
	has := func(i int, w string) bool {
		return i >= 0 && strings.HasPrefix(str[at[i]:], w)
	}
	// oneOK[end] says whether a one-character suffix ending before rune
	// end closes a name: not when the next character continues a word
	// (市场, 区域), nor when it is itself a suffix that closes the name
	// (广州|市: the 州 is part of the name). Found from the right.
	oneOK := make([]bool, len(text)+1)
	for end := len(text); end >= 2; end-- {
		if !oneCharSuffix(text[end-1]) {
			continue
		}
		if end == len(text) {
			oneOK[end] = true
			continue
		}
		next := text[end]
		oneOK[end] = !strings.ContainsRune(noBreakAfterSuffix, next) && !(oneCharSuffix(next) && oneOK[end+1])
	}
	for i := range text {
		// Before a year: digits followed by 年, after something else.
		if isDigit(text[i]) && (i == 0 || !isDigit(text[i-1])) {
			j := i
			for j < len(text) && isDigit(text[j]) {
				j++
			}
			if j < len(text) && text[j] == '年' && j-i == 4 {
				put(i, rankYear)
				put(j+1, rankOrg) // 2024年|政府信息公开
			}
		}
		for _, w := range fixed {
			if has(i, w.Word) && !w.Unit {
				rank := rankOrg
				if w.Inside {
					rank = rankInside
				}
				put(i, rank)
			}
		}
		// After a suffix ending at rune i (exclusive).
		end := i + 1
		for _, list := range []struct {
			words []string
			rank  int
		}{{placeSuffixes, rankPlace}, {orgSuffixes, rankOrg}} {
			for _, suf := range list.words {
				n := utf8.RuneCountInString(suf)
				if end < n || str[at[end-n]:at[end]] != suf {
					continue
				}
				if n == 1 && !oneOK[end] {
					continue
				}
				rank := list.rank
				if list.rank == rankOrg && end < len(text) && startsOrg(str[at[end]:]) {
					rank = rankInside // 人民政府|办公室: one organisation's name
				}
				put(end, rank)
				break
			}
		}
	}
	// Never inside a unit of agency names (人民政府办公室), nor before one
	// that closes the name before it (信都区分局); after one, and before
	// one that does not, as between organisations.
	// The breaks around units first, then those inside them taken out, so
	// a unit inside another (办事处 in 街道办事处) splits neither.
	for _, w := range fixed {
		for i := range text {
			if w.Unit && has(i, w.Word) {
				if !w.Suffix {
					put(i, rankOrg)
				}
				put(i+len([]rune(w.Word)), rankOrg)
			}
		}
	}
	for _, w := range fixed {
		for i := range text {
			if !w.Unit || !has(i, w.Word) {
				continue
			}
			for k := i + 1; k < i+len([]rune(w.Word)); k++ {
				delete(breaks, k)
			}
			if w.Suffix {
				delete(breaks, i)
			}
		}
	}
	// Never inside a number or a year: 2024年, 12345.
	for i := 1; i < len(text); i++ {
		if isDigit(text[i-1]) && (isDigit(text[i]) || text[i] == '年' || text[i] == '月' || text[i] == '日') {
			delete(breaks, i)
		}
	}
	if hint > 0 && hint < len(text) {
		put(hint, rankYear)
	}
	return breaks
}

// startsOrg reports whether s starts with an organisation's suffix
// word: what follows 人民政府 in 人民政府办公室.
func startsOrg(s string) bool {
	for _, suf := range orgSuffixes {
		if len([]rune(suf)) > 1 && strings.HasPrefix(s, suf) && suf != "政府" {
			return true
		}
	}
	return false
}

func isDigit(r rune) bool {
	switch {
	case r < 0x80:
		return r >= '0' && r <= '9'
	case hanzi(r):
		return false // no digit among the ideographs: no look in the tables
	}
	return unicode.Is(unicode.Nd, r)
}

// wordLines breaks one run of text into as few lines of at most width as
// its words allow, balanced: of the ways with that many lines, the one
// whose breaks rank best, whose lines differ least in length, and whose
// shape is a trapezoid or a diamond (GB/T 9704 7.3.3: 梯形或菱形), never an
// hourglass. Only if a word is wider than the measure does it break
// elsewhere (where 禁则 allows, never inside a number).
func (ts *typesetter) wordLines(ctx context.Context, text string, fixed []TitleWord, role fonts.Role, size, width, squeeze float64, hint int, where string) (*setText, error) {
	gs, starts, err := ts.shape([]Run{{Text: text, Role: role}}, size, where)
	if err != nil {
		return nil, err
	}
	us := units(gs, starts, squeeze)
	// Units wider than the measure (a very long number) are split first.
	for i := 0; i < len(us); i++ {
		if us[i].width > width+0.01 && us[i].end-us[i].start > 1 {
			us = splitUnit(gs, us, i, width)
		}
	}
	st := &setText{gs: gs, us: us}
	if len(us) == 0 {
		return st, nil
	}
	runes := []rune(text)
	words := wordBreaks(runes, fixed, hint)
	// Candidate breaks: before unit k (1 ≤ k < len(us)).
	type cand struct {
		k    int
		rank int
	}
	var word, any []cand
	for k := 1; k < len(us); k++ {
		if !breakAllowed(gs, us[k-1], us[k]) {
			continue
		}
		if us[k].start > 0 && isDigit(gs[us[k].start-1].r) && !isDigit(gs[us[k].start].r) && strings.ContainsRune("年月日", gs[us[k].start].r) {
			continue // 2024|年
		}
		if r, ok := words[us[k].start]; ok {
			word = append(word, cand{k, r})
		}
		any = append(any, cand{k, rankAny})
		if r, ok := words[us[k].start]; ok {
			any[len(any)-1].rank = r
		}
	}
	prefix := make([]float64, len(us)+1)
	for i, u := range us {
		prefix[i+1] = prefix[i] + u.width
	}
	widthOf := func(a, b int) float64 { return prefix[b] - prefix[a] }
	if prefix[len(us)] <= width+0.01 {
		st.lines = []line{{start: 0, end: len(us), width: prefix[len(us)], last: true}}
		return st, nil
	}
	best := func(cs []cand) []int {
		// The fewest lines: greedy, taking the farthest candidate that fits.
		lines, at := 1, 0
		for {
			if widthOf(at, len(us)) <= width+0.01 {
				break
			}
			next := -1
			for _, c := range cs {
				if c.k > at && widthOf(at, c.k) <= width+0.01 {
					next = c.k
				}
			}
			if next < 0 {
				return nil
			}
			at = next
			lines++
		}
		ks := make([]int, len(cs))
		ranks := map[int]int{}
		for i, c := range cs {
			ks[i] = c.k
			ranks[c.k] = c.rank
		}
		return chooseBreaks(len(us), lines, width, widthOf, ranks, ks)
	}
	ks := best(word)
	if ks == nil {
		ks = best(any)
	}
	if ks == nil {
		// No allowed break fits (a chain of marks that may not be
		// parted): the paragraph breaker, which breaks where a line is full.
		return ts.set(ctx, []Run{{Text: text, Role: role}}, size, width, width, squeeze, where)
	}
	at := 0
	for _, k := range append(ks, len(us)) {
		st.lines = append(st.lines, line{start: at, end: k, width: widthOf(at, k)})
		at = k
	}
	st.lines[len(st.lines)-1].last = true
	return st, nil
}

// chooseBreaks picks lines-1 breaks among ks (ascending unit indexes) so
// that every line fits width, at the least cost: the breaks' ranks, the
// lines' imbalance, and a shape that is neither a trapezoid nor a diamond.
// It searches exhaustively when that is cheap (every real title), else by
// dynamic programming on the ranks and the lines' deviation from their
// mean.
func chooseBreaks(n, lines int, width float64, widthOf func(a, b int) float64, rank map[int]int, ks []int) []int {
	const eps = 0.01
	cost := func(breaks []int) float64 {
		ws := make([]float64, 0, len(breaks)+1)
		at, c := 0, 0.0
		for _, k := range append(breaks, n) {
			ws = append(ws, widthOf(at, k))
			at = k
		}
		for _, k := range breaks {
			c += rankCost[rank[k]]
		}
		mx := slices.Max(ws)
		for _, w := range ws {
			d := (mx - w) / mx
			c += 4 * d * d
		}
		if !trapezoidOrDiamond(ws) {
			c += 6
		}
		return c
	}
	if combinations(len(ks), lines-1) <= 50000 {
		var best []int
		bestCost := math.Inf(1)
		cur := make([]int, 0, lines-1)
		var rec func(from, at int)
		rec = func(from, at int) {
			if len(cur) == lines-1 {
				if widthOf(at, n) > width+eps {
					return
				}
				if c := cost(cur); c < bestCost-1e-9 {
					bestCost, best = c, slices.Clone(cur)
				}
				return
			}
			for i := from; i < len(ks); i++ {
				k := ks[i]
				if widthOf(at, k) > width+eps {
					break
				}
				cur = append(cur, k)
				rec(i+1, k)
				cur = cur[:len(cur)-1]
			}
		}
		rec(0, 0)
		return best
	}
	// Dynamic programme: cost[j][i] is the least cost of j lines ending
	// before ks[i] (or n).
	mean := widthOf(0, n) / float64(lines)
	pts := append([]int{0}, ks...)
	pts = append(pts, n)
	inf := math.Inf(1)
	dp := make([][]float64, lines+1)
	back := make([][]int, lines+1)
	for j := range dp {
		dp[j] = make([]float64, len(pts))
		back[j] = make([]int, len(pts))
		for i := range dp[j] {
			dp[j][i] = inf
		}
	}
	dp[0][0] = 0
	for j := 1; j <= lines; j++ {
		for i := 1; i < len(pts); i++ {
			for p := 0; p < i; p++ {
				if math.IsInf(dp[j-1][p], 1) {
					continue
				}
				w := widthOf(pts[p], pts[i])
				if w > width+eps {
					continue
				}
				d := (w - mean) / mean
				c := dp[j-1][p] + 4*d*d
				if i < len(pts)-1 {
					c += rankCost[rank[pts[i]]]
				}
				if c < dp[j][i] {
					dp[j][i], back[j][i] = c, p
				}
			}
		}
	}
	if math.IsInf(dp[lines][len(pts)-1], 1) {
		return nil
	}
	var out []int
	for j, i := lines, len(pts)-1; j > 1; j-- {
		i = back[j][i]
		out = append(out, pts[i])
	}
	slices.Reverse(out)
	return out
}

// trapezoidOrDiamond reports whether line lengths rise then fall (either
// part may be empty), within a character's tolerance: a trapezoid either
// way up, or a diamond — never an hourglass.
func trapezoidOrDiamond(ws []float64) bool {
	const tol = 1.0 // pt
	i := 1
	for i < len(ws) && ws[i] >= ws[i-1]-tol {
		i++
	}
	for i < len(ws) && ws[i] <= ws[i-1]+tol {
		i++
	}
	return i == len(ws)
}

func combinations(n, k int) float64 {
	if k < 0 || k > n {
		return 0
	}
	c := 1.0
	for i := 0; i < k; i++ {
		c = c * float64(n-i) / float64(i+1)
	}
	return c
}
