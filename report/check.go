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
// also computes it.
//
// One wrong value usually breaks several rules at once (a count in table
// 三 is in its row's total and its column's total), and naming each broken
// rule at its total would blame totals that are right. So failures are
// first explained by the fewest values that, changed, make every rule hold
// (the Fellegi–Holt principle of statistical data editing):
//
//   - a cell that is missing or failed to decode (its own problem names it)
//     is eliminated: the rules it is in are combined into rules without it,
//     so the checks still run on every value that is known;
//   - the broken rules that share values are taken together;
//   - for one, two, then three values, every set that makes all the rules
//     hold when those values change (and no value turns negative) is found;
//   - a value in every smallest such set must be wrong: it is reported once,
//     at its pointer, with the value that makes the rules hold (when every
//     explanation agrees on it) and the rules it breaks (Problem.Breaks);
//   - a broken rule that no such value explains (any of its cells could be
//     the wrong one, as in a table 四 group) is reported at its total as a
//     rule that does not hold, given beside the sum, without Breaks: the
//     message does not say which value is wrong, as the values cannot tell.

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

// equation is a 勾稽 rule, or a combination of rules, over the values
// given: Σ form[p]·value(p) must be 0, and residual is that sum. Omitted
// totals that were computed are expanded into their terms; cells that are
// missing or not numbers have been eliminated by combining the rules they
// are in (see equations).
type equation struct {
	form     map[string]int64
	residual int64
	rules    []int    // the rules combined, as indexes into Format.rules, ascending
	hidden   []string // the cells without a value that combining eliminated
}

// check runs the 勾稽 rules and reports the broken ones (see the comment at
// the top of this file). A computed target holds by construction: its rule
// is a definition, not a check.
//
// A cell that is missing or not a number (its own problem names it) does
// not switch the search off: the rules it is in are combined so that it
// drops out (a count in row r and column c: row r's rule minus column c's
// rule holds whatever the count is), and the search runs on what the given
// values still determine. Dropping the rules instead would lose what they
// say about the other cells and blame a total for a count beside the
// missing one.
func (d *decoder) check() {
	// Most reports pass: find that out without allocating.
	failed, complete := false, true
	for _, r := range d.f.rules {
		got, ok := d.r.cells[r.target]
		if ok && got.Computed && r.computes {
			continue
		}
		want, ok2 := d.eval(r)
		switch {
		case !ok || !ok2:
			complete = false
		case want != got.Int:
			failed = true
		}
	}
	if !failed && complete {
		return
	}
	eqs := d.equations()
	var broken []*equation
	for _, e := range eqs {
		if e.residual != 0 {
			broken = append(broken, e)
		}
	}
	if len(broken) == 0 {
		return
	}
	explained := map[*equation]bool{}
	for _, b := range d.explain(eqs, broken) {
		d.wrongValue(b)
		for _, e := range b.breaks {
			explained[e] = true
		}
	}
	for _, e := range broken {
		if !explained[e] {
			d.unbalanced(e)
		}
	}
}

// equations returns the rules as equations over the cells that have values:
// computed totals expanded into their terms, and each cell without a value
// eliminated by Gaussian elimination over the integers (the rule with the
// fewest terms that holds the cell is added to or subtracted from every
// other one that does, then dropped: it only fixes the cell's value).
func (d *decoder) equations() []*equation {
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
			for _, t := range def.minus {
				expand(t, -1, m)
			}
			memo[ptr] = m
		}
		for p, c := range m {
			into[p] += coef * c
		}
	}
	var eqs []*equation
	unknown := map[string]bool{}
	for i, r := range d.f.rules {
		if v := d.r.cells[r.target]; v.Computed && r.computes {
			continue
		}
		form := map[string]int64{}
		expand(r.target, 1, form)
		for _, t := range r.plus {
			expand(t, -1, form)
		}
		for _, t := range r.minus {
			expand(t, 1, form)
		}
		prune(form)
		if len(form) == 0 {
			continue
		}
		for p := range form {
			if _, ok := d.r.cells[p]; !ok {
				unknown[p] = true
			}
		}
		eqs = append(eqs, &equation{form: form, rules: []int{i}})
	}
	hidden := make([]string, 0, len(unknown))
	for p := range unknown {
		hidden = append(hidden, p)
	}
	sort.Strings(hidden)
	for _, u := range hidden {
		pivot := -1
		for i, e := range eqs {
			if e.form[u] != 0 && (pivot < 0 || len(e.form) < len(eqs[pivot].form)) {
				pivot = i
			}
		}
		if pivot < 0 {
			continue
		}
		pv := eqs[pivot]
		kept := eqs[:0]
		for i, e := range eqs {
			switch {
			case i == pivot:
				continue
			case e.form[u] == 0:
				kept = append(kept, e)
				continue
			}
			a, b := pv.form[u], e.form[u]
			form := make(map[string]int64, len(e.form)+len(pv.form))
			for p, c := range e.form {
				form[p] += a * c
			}
			for p, c := range pv.form {
				form[p] -= b * c
			}
			prune(form)
			if len(form) == 0 {
				continue // the two rules say the same
			}
			kept = append(kept, &equation{
				form:   form,
				rules:  union(e.rules, pv.rules),
				hidden: append(append(append([]string(nil), e.hidden...), pv.hidden...), u),
			})
		}
		eqs = kept
	}
	for _, e := range eqs {
		for p, c := range e.form {
			e.residual += c * d.r.cells[p].Int
		}
		sort.Strings(e.hidden)
	}
	return eqs
}

// prune drops the zero coefficients of a form and divides the rest by
// their greatest common divisor, so that combining rules keeps them small.
func prune(form map[string]int64) {
	var g int64
	for p, c := range form {
		if c == 0 {
			delete(form, p)
			continue
		}
		g = gcd(g, c)
	}
	if g > 1 {
		for p := range form {
			form[p] /= g
		}
	}
}

func gcd(a, b int64) int64 {
	if a < 0 {
		a = -a
	}
	if b < 0 {
		b = -b
	}
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// union merges two ascending lists of rule indexes.
func union(a, b []int) []int {
	out := make([]int, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	return out
}

// blame is a value that must be wrong and the equations it breaks.
type blame struct {
	ptr    string
	want   int64
	sure   bool // want is known
	breaks []*equation
}

// explain finds the values every smallest explanation of the broken
// equations changes.
func (d *decoder) explain(eqs, broken []*equation) []blame {
	byCell := map[string][]*equation{}
	for _, e := range eqs {
		for p := range e.form {
			byCell[p] = append(byCell[p], e)
		}
	}

	// Group the broken equations that share values: a change that mends
	// one group cannot touch another. Satisfied equations link groups too,
	// as a change must keep them holding.
	group := map[*equation]int{}
	var groups [][]*equation
	for _, b := range broken {
		if _, ok := group[b]; ok {
			continue
		}
		g := len(groups)
		groups = append(groups, nil)
		queue := []*equation{b}
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

func (d *decoder) explainGroup(broken []*equation, byCell map[string][]*equation) []blame {
	// Each explanation must change a value of every broken equation, so the
	// sets are built by taking, for the first broken equation no value of
	// the set is in yet, each of its values in turn (the sets that hit every
	// broken equation, not every set of candidates: three wrong counts in
	// table 三 give ~10⁵ sets of candidates but a few thousand such sets).
	cellsOf := make([][]string, len(broken))
	for i, b := range broken {
		for p := range b.form {
			cellsOf[i] = append(cellsOf[i], p)
		}
		sort.Strings(cellsOf[i])
	}
	type solution struct {
		cells  []string
		deltas []int64
	}
	var sols []solution
	tried := 0
	done := map[string]bool{}
	var chosen []string
	var grow func(k int)
	grow = func(k int) {
		if tried++; tried > maxSearch {
			return
		}
		open := -1
		for i, b := range broken {
			hit := false
			for _, c := range chosen {
				if b.form[c] != 0 {
					hit = true
					break
				}
			}
			if !hit {
				open = i
				break
			}
		}
		if open < 0 {
			cells := append([]string(nil), chosen...)
			sort.Strings(cells)
			key := strings.Join(cells, "\x00")
			if done[key] {
				return
			}
			done[key] = true
			if deltas, ok := d.solve(cells, byCell); ok {
				sols = append(sols, solution{cells, deltas})
			}
			return
		}
		if len(chosen) == k {
			return
		}
		for _, c := range cellsOf[open] {
			chosen = append(chosen, c)
			grow(k)
			chosen = chosen[:len(chosen)-1]
		}
	}
	for k := 1; k <= 3 && len(sols) == 0 && tried <= maxSearch; k++ {
		grow(k)
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

// solve finds the changes of the given values that make every rule they
// take part in hold: residual + Σ coef·δ = 0 for each. Each δ must be a
// non-zero whole number that leaves the value ≥ 0.
func (d *decoder) solve(cells []string, byCell map[string][]*equation) ([]int64, bool) {
	k := len(cells)
	seen := map[*equation]bool{}
	var rows [][]float64
	var eqs []*equation
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
	var idx []int
	for _, e := range b.breaks {
		idx = union(idx, e.rules)
	}
	rules, rulesZh := d.ruleLabels(idx)
	en := fmt.Sprintf("%s %q × %q: got %s", table, row, col, got)
	zh := fmt.Sprintf("%s “%s” × “%s”: 实为 %s", table, row, col, got)
	if b.sure {
		en = fmt.Sprintf("%s %q × %q: expected %d, got %s", table, row, col, b.want, got)
		zh = fmt.Sprintf("%s “%s” × “%s”: 应为 %d，实为 %s", table, row, col, b.want, got)
	}
	n := len(idx)
	en += fmt.Sprintf("; this one value breaks %d %s: %s", n, plural(n, "check", "checks"), strings.Join(rules, "; "))
	zh += fmt.Sprintf("；此值使 %d 项勾稽关系不成立：%s", n, strings.Join(rulesZh, "；"))
	breaks := make([]string, len(idx))
	for i, r := range idx {
		breaks[i] = d.f.rules[r].target
	}
	d.report(Problem{Pointer: b.ptr, Code: "check", Message: en, MessageZh: zh, Breaks: breaks, off: d.offsetOf(b.ptr)})
}

// ruleLabels names rules as their messages do: “row” × “column” = why.
func (d *decoder) ruleLabels(idx []int) (en, zh []string) {
	for _, i := range idx {
		r := d.f.rules[i]
		_, tr, tc := d.f.CellLabel(r.target)
		en = append(en, fmt.Sprintf("%q × %q = %s", tr, tc, r.why))
		zh = append(zh, fmt.Sprintf("“%s” × “%s” = %s", tr, tc, r.whyZh))
	}
	return en, zh
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// unbalanced reports a broken rule that no single smallest set of values
// explains (in a table 四 group any of its five cells could be the wrong
// one). It is reported at the rule's total, but says only that the rule
// does not hold, not that the total is the wrong value: the total may be
// right. A combination of rules (made to eliminate a cell without a value)
// is reported at the first of its totals that has a value.
func (d *decoder) unbalanced(e *equation) {
	if len(e.rules) == 1 {
		r := d.f.rules[e.rules[0]]
		want, _ := d.eval(r)
		got := d.r.cells[r.target]
		table, row, col := d.f.CellLabel(r.target)
		d.report(Problem{
			Pointer:   r.target,
			Code:      "check",
			Message:   fmt.Sprintf("%s %q × %q: given %s, but %s is %d; one of these values is wrong", table, row, col, got.Text, r.why, want),
			MessageZh: fmt.Sprintf("%s “%s” × “%s”: 实为 %s，而%s为 %d；其中有值填写有误", table, row, col, got.Text, r.whyZh, want),
			off:       d.offsetOf(r.target),
		})
		return
	}
	at := d.f.rules[e.rules[0]].target
	for _, i := range e.rules {
		if v, ok := d.r.cells[d.f.rules[i].target]; ok && !v.Computed {
			at = d.f.rules[i].target
			break
		}
	}
	rules, rulesZh := d.ruleLabels(e.rules)
	var hidden, hiddenZh []string
	for _, p := range e.hidden {
		table, row, col := d.f.CellLabel(p)
		hidden = append(hidden, fmt.Sprintf("%s %q × %q", table, row, col))
		hiddenZh = append(hiddenZh, fmt.Sprintf("%s “%s” × “%s”", table, row, col))
	}
	d.report(Problem{
		Pointer: at,
		Code:    "check",
		Message: fmt.Sprintf("these checks cannot all hold, whatever the value of %s (missing or not a number): %s; one of the values they add up is wrong",
			strings.Join(hidden, ", "), strings.Join(rules, "; ")),
		MessageZh: fmt.Sprintf("无论 %s 取何值（缺失或不是数字），以下勾稽关系都不能同时成立：%s；其中有值填写有误",
			strings.Join(hiddenZh, "、"), strings.Join(rulesZh, "；")),
		off: d.offsetOf(at),
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
