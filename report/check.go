package report

import (
	"fmt"
	"strconv"
	"strings"
)

// The 勾稽 checks of a format are its rules (Format.rules, from the file):
// each says target = Σ plus − Σ minus. A rule whose target may be omitted
// also computes it. A cell that failed to decode leaves the rules that need
// it unrun: the decode problem already names it.

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

// check runs every rule whose cells all have values. A computed target
// holds by construction and is not checked against its own rule.
func (d *decoder) check() {
	for _, r := range d.f.rules {
		got, ok := d.r.cells[r.target]
		if !ok || (got.Computed && r.computes) {
			continue
		}
		want, ok := d.eval(r)
		if !ok || want == got.Int {
			continue
		}
		d.violation(r.target, want, got, r.why, r.whyZh)
	}
}

func (d *decoder) violation(ptr string, want int64, got Value, why, whyZh string) {
	table, row, col := d.f.CellLabel(ptr)
	given := got.Text
	p := Problem{
		Pointer:   ptr,
		Code:      "check",
		Message:   fmt.Sprintf("%s %q × %q: expected %d (%s), got %s", table, row, col, want, why, given),
		MessageZh: fmt.Sprintf("%s “%s” × “%s”: 应为 %d（%s），实为 %s", table, row, col, want, whyZh, given),
		off:       d.offsetOf(ptr),
	}
	switch {
	case d.opt.ChecksWarn:
		d.r.Warnings = append(d.r.Warnings, p)
	case d.full():
		d.omitted++
	default:
		d.errs = append(d.errs, p)
	}
}
