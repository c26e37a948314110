package report

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// The 勾稽 checks of a format are its rules (Format.rules, from the file):
// each says target = Σ plus − Σ minus. A rule whose target may be omitted
// also computes it. A cell that failed to decode leaves the rules that need
// it unrun: the decode problem already names it.
//
// One wrong value usually breaks several rules at once (a count in table
// 三 is in its row's total and its column's total), and naming each broken
// rule at its total would blame totals that are right. So failures are
// first explained by the fewest values that, changed, make every rule hold
// (the Fellegi–Holt principle of statistical data editing):
//
//   - the broken rules that share values are taken together;
//   - for one, two, then three values, every set that makes all the rules
//     hold when those values change (and no value turns negative) is found;
//   - a value in every smallest such set must be wrong: it is reported once,
//     at its pointer, with the value that makes the rules hold (when every
//     explanation agrees on it) and the rules it breaks;
//   - a broken rule that no such value explains (any of its cells could be
//     the wrong one, as in a table 四 group) is reported at its total, as
//     the rule says what the total should be.

// computeTotals fills the totals that were omitted, rule by rule in the
// file's order (row totals before the totals of totals).
func (d *decoder) computeTotals() {
	for _, r := range d.f.rules {
		if r.computes {
			d.computeSum(r)
		}
	}
}

// computeSum sets the rule's target to the sum of its terms if the target
// was omitted (and its row was not rejected) and every term decoded.
func (d *decoder) computeSum(r rule) {
	if _, ok := d.r.cells[r.target]; ok || d.rejected(r.target) {
		return
	}
	sum, ok := d.eval(r)
	if !ok {
		return
	}
	d.r.cells[r.target] = Value{Text: strconv.FormatInt(sum, 10), Int: sum, Computed: true}
}

// rejected reports whether a problem was already raised at or below the
// cell's row, so that a computed value would only hide it.
func (d *decoder) rejected(ptr string) bool {
	for _, p := range d.errs {
		if p.Pointer == ptr || strings.HasPrefix(ptr, p.Pointer+"/") {
			return true
		}
	}
	return false
}

// eval returns Σ plus − Σ minus, if every term has a value.
func (d *decoder) eval(r rule) (int64, bool) {
	var s int64
	for _, t := range r.plus {
		v, ok := d.r.cells[t]
		if !ok {
			return 0, false
		}
		s += v.Int
	}
	for _, t := range r.minus {
		v, ok := d.r.cells[t]
		if !ok {
			return 0, false
		}
		s -= v.Int
	}
	return s, true
}

// checked is one rule that was run: given − expected is its residual.
type checked struct {
	rule     rule
	want     int64
	got      Value
	residual int64
	form     map[string]int64 // target − plus + minus, computed cells expanded
}

// check runs every rule whose cells all have values, and reports the
// broken ones (see the comment at the top of this file). A computed target
// holds by construction: its rule is a definition, not a check.
func (d *decoder) check() {
	// Most reports pass: find that out without allocating.
	failed := false
	for _, r := range d.f.rules {
		got, ok := d.r.cells[r.target]
		if !ok || got.Computed && r.computes {
			continue
		}
		if want, ok := d.eval(r); ok && want != got.Int {
			failed = true
			break
		}
	}
	if !failed {
		return
	}
	var runs []*checked
	complete := true
	for _, r := range d.f.rules {
		got, ok := d.r.cells[r.target]
		if ok && got.Computed && r.computes {
			continue
		}
		want, ok2 := d.eval(r)
		if !ok || !ok2 {
			complete = false
			continue
		}
		runs = append(runs, &checked{rule: r, want: want, got: got, residual: got.Int - want})
	}
	var broken []*checked
	for _, c := range runs {
		if c.residual != 0 {
			broken = append(broken, c)
		}
	}
	if len(broken) == 0 {
		return
	}
	explained := map[*checked]bool{}
	if complete {
		for _, b := range d.explain(runs, broken) {
			d.wrongValue(b)
			for _, c := range b.breaks {
				explained[c] = true
			}
		}
	}
	for _, c := range broken {
		if !explained[c] {
			d.violation(c.rule.target, c.want, c.got, c.rule.why, c.rule.whyZh)
		}
	}
}

// blame is a value that must be wrong and the rules it breaks.
type blame struct {
	ptr    string
	want   int64
	sure   bool // want is known
	breaks []*checked
}

// explain finds the values every smallest explanation of the broken rules
// changes.
func (d *decoder) explain(runs, broken []*checked) []blame {
	defs := map[string]rule{}
	for _, r := range d.f.rules {
		if v := d.r.cells[r.target]; v.Computed && r.computes {
			defs[r.target] = r
		}
	}
	memo := map[string]map[string]int64{}
	var expand func(ptr string, coef int64, into map[string]int64)
	expand = func(ptr string, coef int64, into map[string]int64) {
		def, ok := defs[ptr]
		if !ok {
			into[ptr] += coef
			return
		}
		m, ok := memo[ptr]
		if !ok {
			m = map[string]int64{}
			for _, t := range def.plus {
				expand(t, 1, m)
			}
			memo[ptr] = m
		}
		for p, c := range m {
			into[p] += coef * c
		}
	}
	byCell := map[string][]*checked{}
	for _, c := range runs {
		c.form = map[string]int64{}
		expand(c.rule.target, 1, c.form)
		for _, t := range c.rule.plus {
			expand(t, -1, c.form)
		}
		for _, t := range c.rule.minus {
			expand(t, 1, c.form)
		}
		for p, coef := range c.form {
			if coef == 0 {
				delete(c.form, p)
				continue
			}
			byCell[p] = append(byCell[p], c)
		}
	}

	// Group the broken rules that rules share values with: a change that
	// mends one group cannot touch another. Satisfied rules link groups too,
	// as a change must keep them holding.
	group := map[*checked]int{}
	var groups [][]*checked
	for _, b := range broken {
		if _, ok := group[b]; ok {
			continue
		}
		g := len(groups)
		groups = append(groups, nil)
		queue := []*checked{b}
		group[b] = g
		for len(queue) > 0 {
			c := queue[0]
			queue = queue[1:]
			if c.residual != 0 {
				groups[g] = append(groups[g], c)
			}
			for p := range c.form {
				for _, o := range byCell[p] {
					if _, seen := group[o]; !seen {
						group[o] = g
						queue = append(queue, o)
					}
				}
			}
		}
	}
	var out []blame
	for _, g := range groups {
		out = append(out, d.explainGroup(g, byCell)...)
	}
	return out
}

// maxSearch bounds the sets of values tried for one group of broken rules.
const maxSearch = 50000

func (d *decoder) explainGroup(broken []*checked, byCell map[string][]*checked) []blame {
	seen := map[string]bool{}
	var cands []string
	for _, b := range broken {
		for p := range b.form {
			if !seen[p] {
				seen[p] = true
				cands = append(cands, p)
			}
		}
	}
	sort.Strings(cands)
	type solution struct {
		cells  []string
		deltas []int64
	}
	var sols []solution
	tried := 0
	for k := 1; k <= 3 && len(sols) == 0 && tried < maxSearch; k++ {
		subsets(len(cands), k, func(idx []int) bool {
			tried++
			if tried > maxSearch {
				return false
			}
			cells := make([]string, k)
			for i, j := range idx {
				cells[i] = cands[j]
			}
			// Every broken rule must hold one of the values.
			for _, b := range broken {
				hit := false
				for _, c := range cells {
					hit = hit || b.form[c] != 0
				}
				if !hit {
					return true
				}
			}
			if deltas, ok := d.solve(cells, byCell); ok {
				sols = append(sols, solution{cells, deltas})
			}
			return true
		})
	}
	if len(sols) == 0 || tried > maxSearch {
		return nil
	}
	// The values in every smallest explanation.
	count := map[string]int{}
	delta := map[string]map[int64]bool{}
	for _, s := range sols {
		for i, c := range s.cells {
			count[c]++
			if delta[c] == nil {
				delta[c] = map[int64]bool{}
			}
			delta[c][s.deltas[i]] = true
		}
	}
	var out []blame
	for _, c := range sols[0].cells {
		if count[c] != len(sols) {
			continue
		}
		b := blame{ptr: c}
		if len(delta[c]) == 1 {
			for dv := range delta[c] {
				b.want, b.sure = d.r.cells[c].Int+dv, true
			}
		}
		for _, x := range broken {
			if x.form[c] != 0 {
				b.breaks = append(b.breaks, x)
			}
		}
		out = append(out, b)
	}
	return out
}

// subsets calls fn with every k-subset of 0…n−1 in order, until fn
// returns false.
func subsets(n, k int, fn func([]int) bool) {
	idx := make([]int, k)
	var rec func(pos, from int) bool
	rec = func(pos, from int) bool {
		if pos == k {
			return fn(idx)
		}
		for i := from; i <= n-(k-pos); i++ {
			idx[pos] = i
			if !rec(pos+1, i+1) {
				return false
			}
		}
		return true
	}
	rec(0, 0)
}

// solve finds the changes of the given values that make every rule they
// take part in hold: residual + Σ coef·δ = 0 for each. Each δ must be a
// non-zero whole number that leaves the value ≥ 0.
func (d *decoder) solve(cells []string, byCell map[string][]*checked) ([]int64, bool) {
	k := len(cells)
	seen := map[*checked]bool{}
	var rows [][]float64
	var eqs []*checked
	for _, c := range cells {
		for _, r := range byCell[c] {
			if seen[r] {
				continue
			}
			seen[r] = true
			eqs = append(eqs, r)
			row := make([]float64, k+1)
			for i, x := range cells {
				row[i] = float64(r.form[x])
			}
			row[k] = float64(-r.residual)
			rows = append(rows, row)
		}
	}
	// Gaussian elimination with partial pivoting; the answer is checked in
	// whole numbers below.
	x := make([]float64, k)
	pivotRow := 0
	pivots := make([]int, 0, k)
	for col := 0; col < k && pivotRow < len(rows); col++ {
		best := pivotRow
		for r := pivotRow + 1; r < len(rows); r++ {
			if math.Abs(rows[r][col]) > math.Abs(rows[best][col]) {
				best = r
			}
		}
		if rows[best][col] == 0 {
			return nil, false // a value free to take any change: not the fewest
		}
		rows[pivotRow], rows[best] = rows[best], rows[pivotRow]
		for r := range rows {
			if r == pivotRow || rows[r][col] == 0 {
				continue
			}
			f := rows[r][col] / rows[pivotRow][col]
			for c := col; c <= k; c++ {
				rows[r][c] -= f * rows[pivotRow][c]
			}
		}
		pivots = append(pivots, col)
		pivotRow++
	}
	if len(pivots) < k {
		return nil, false
	}
	for i, col := range pivots {
		x[col] = rows[i][k] / rows[i][col]
	}
	deltas := make([]int64, k)
	for i := range x {
		if math.Abs(x[i]) > 1e13 || math.Abs(x[i]-math.Round(x[i])) > 1e-6 {
			return nil, false
		}
		deltas[i] = int64(math.Round(x[i]))
		if deltas[i] == 0 || d.r.cells[cells[i]].Int+deltas[i] < 0 {
			return nil, false
		}
	}
	for _, r := range eqs {
		s := r.residual
		for i, c := range cells {
			s += r.form[c] * deltas[i]
		}
		if s != 0 {
			return nil, false
		}
	}
	return deltas, true
}

// wrongValue reports a value that must be wrong, once, with the rules it
// breaks.
func (d *decoder) wrongValue(b blame) {
	table, row, col := d.f.CellLabel(b.ptr)
	got := d.r.cells[b.ptr].Text
	var rules, rulesZh []string
	for _, c := range b.breaks {
		_, tr, tc := d.f.CellLabel(c.rule.target)
		rules = append(rules, fmt.Sprintf("%q × %q = %s", tr, tc, c.rule.why))
		rulesZh = append(rulesZh, fmt.Sprintf("“%s” × “%s” = %s", tr, tc, c.rule.whyZh))
	}
	en := fmt.Sprintf("%s %q × %q: got %s", table, row, col, got)
	zh := fmt.Sprintf("%s “%s” × “%s”: 实为 %s", table, row, col, got)
	if b.sure {
		en = fmt.Sprintf("%s %q × %q: expected %d, got %s", table, row, col, b.want, got)
		zh = fmt.Sprintf("%s “%s” × “%s”: 应为 %d，实为 %s", table, row, col, b.want, got)
	}
	n := len(b.breaks)
	en += fmt.Sprintf("; this one value breaks %d %s: %s", n, plural(n, "check", "checks"), strings.Join(rules, "; "))
	zh += fmt.Sprintf("；此值使 %d 项勾稽关系不成立：%s", n, strings.Join(rulesZh, "；"))
	breaks := make([]string, len(b.breaks))
	for i, c := range b.breaks {
		breaks[i] = c.rule.target
	}
	d.report(Problem{Pointer: b.ptr, Code: "check", Message: en, MessageZh: zh, Breaks: breaks, off: d.offsetOf(b.ptr)})
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (d *decoder) violation(ptr string, want int64, got Value, why, whyZh string) {
	table, row, col := d.f.CellLabel(ptr)
	given := got.Text
	d.report(Problem{
		Pointer:   ptr,
		Code:      "check",
		Message:   fmt.Sprintf("%s %q × %q: expected %d (%s), got %s", table, row, col, want, why, given),
		MessageZh: fmt.Sprintf("%s “%s” × “%s”: 应为 %d（%s），实为 %s", table, row, col, want, whyZh, given),
		off:       d.offsetOf(ptr),
	})
}

// report records a failed check: a problem, or a warning with checks=warn.
func (d *decoder) report(p Problem) {
	switch {
	case d.opt.ChecksWarn:
		d.r.Warnings = append(d.r.Warnings, p)
	case d.full(p.off):
		d.omitted++
	default:
		d.keep(p)
	}
}
