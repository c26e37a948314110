package report

import (
	"fmt"
	"strconv"
	"strings"
)

// The 勾稽 checks of the official format (spec §3), each a sum over cells.
// A cell that failed to decode leaves the checks that need it unrun: the
// decode problem already names it.

const (
	appl     = "/applications"
	outTotal = "/applications/outcomes/total"
)

// applicantRows are the pointers of every row of table 三, in order.
func applicantRows() []string {
	rows := []string{appl + "/new_requests", appl + "/carried_over"}
	for _, r := range OutcomeRows {
		rows = append(rows, appl+"/outcomes/"+r)
	}
	return append(rows, outTotal, appl+"/carried_forward")
}

// sumRule says that target is the sum of terms: the 勾稽 checks 2 to 4
// and the totals computed when omitted.
type sumRule struct {
	target     string
	terms      []string
	why, whyZh string
}

// balanceRule is check 1 for one column: carried_forward = new_requests +
// carried_over − outcomes.total.
type balanceRule struct {
	target, plus1, plus2, minus string
}

// The rules, built once: pointers are concatenated here, not per request.
var (
	rowRules, outcomeRules, reviewRules = buildSumRules()
	balanceRules                        = buildBalanceRules()
)

func buildSumRules() (rows, outcomes, reviews []sumRule) {
	six := ApplicantColumns[:6]
	for _, row := range applicantRows() {
		rows = append(rows, sumRule{row + "/total", prefixed(row+"/", six),
			"the sum of the six applicant columns", "六类申请人之和"})
	}
	for _, c := range ApplicantColumns {
		var terms []string
		for _, r := range OutcomeRows {
			terms = append(terms, appl+"/outcomes/"+r+"/"+c)
		}
		outcomes = append(outcomes, sumRule{outTotal + "/" + c, terms, "the sum of the outcome rows", "各办理结果之和"})
	}
	for _, g := range ReviewGroups {
		p := "/reviews_and_litigation/" + g + "/"
		reviews = append(reviews, sumRule{p + "total", prefixed(p, ReviewColumns[:4]),
			"upheld + corrected + other + pending", "结果维持、结果纠正、其他结果、尚未审结之和"})
	}
	return rows, outcomes, reviews
}

func buildBalanceRules() []balanceRule {
	var out []balanceRule
	for _, c := range ApplicantColumns {
		out = append(out, balanceRule{appl + "/carried_forward/" + c, appl + "/new_requests/" + c,
			appl + "/carried_over/" + c, outTotal + "/" + c})
	}
	return out
}

// computeTotals fills the totals that were omitted: row totals of table 三,
// then （七）总计 from the outcome rows, then the totals of table 四.
func (d *decoder) computeTotals() {
	for _, rules := range [][]sumRule{rowRules, outcomeRules, reviewRules} {
		for _, r := range rules {
			d.computeSum(r.target, r.terms)
		}
	}
}

func prefixed(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

// computeSum sets target to the sum of terms if target was omitted (and
// its row was not rejected) and every term decoded.
func (d *decoder) computeSum(target string, terms []string) {
	if _, ok := d.r.cells[target]; ok || d.rejected(target) {
		return
	}
	sum, ok := d.sum(terms)
	if !ok {
		return
	}
	d.r.cells[target] = Value{Text: strconv.FormatInt(sum, 10), Int: sum, Computed: true}
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

func (d *decoder) sum(terms []string) (int64, bool) {
	var s int64
	for _, t := range terms {
		v, ok := d.r.cells[t]
		if !ok {
			return 0, false
		}
		s += v.Int
	}
	return s, true
}

// check runs the four 勾稽 checks: 3. the 总计 column is the sum of the six
// applicant columns; 2. （七）总计 is the sum of the 21 outcome rows; 1.
// 第一项加第二项之和，等于第三项加第四项之和, for every column; 4. each table 四
// group's total is the sum of its four results.
func (d *decoder) check() {
	for _, rules := range [][]sumRule{rowRules, outcomeRules} {
		for _, r := range rules {
			d.checkSum(r)
		}
	}
	for _, b := range balanceRules {
		got, ok1 := d.r.cells[b.target]
		n, ok2 := d.sum([]string{b.plus1, b.plus2})
		t, ok3 := d.sum([]string{b.minus})
		if !ok1 || !ok2 || !ok3 {
			continue
		}
		if want := n - t; want != got.Int {
			d.violation(b.target, want, got,
				"item 一 plus item 二 minus item 三 (一 + 二 = 三 + 四)", "第一项加第二项之和减第三项")
		}
	}
	for _, r := range reviewRules {
		d.checkSum(r)
	}
}

func (d *decoder) checkSum(r sumRule) {
	got, ok := d.r.cells[r.target]
	if !ok || got.Computed {
		return
	}
	want, ok := d.sum(r.terms)
	if !ok || want == got.Int {
		return
	}
	d.violation(r.target, want, got, r.why, r.whyZh)
}

func (d *decoder) violation(ptr string, want int64, got Value, why, whyZh string) {
	table, row, col := d.opt.Labels.CellLabel(ptr)
	given := got.Text
	p := Problem{
		Pointer:   ptr,
		Code:      "check",
		Message:   fmt.Sprintf("%s %q × %q: expected %d (%s), got %s", table, row, col, want, why, given),
		MessageZh: fmt.Sprintf("%s “%s” × “%s”: 应为 %d（%s），实为 %s", table, row, col, want, whyZh, given),
		off:       d.offsetOf(ptr),
	}
	if d.opt.ChecksWarn {
		d.r.Warnings = append(d.r.Warnings, p)
		return
	}
	d.errs = append(d.errs, p)
}

// keyLabels names cells by their contract keys when no template labels
// are given.
type keyLabels struct{}

func (keyLabels) CellLabel(ptr string) (table, row, column string) {
	parts := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	if len(parts) < 2 {
		return ptr, "", ""
	}
	return parts[0], strings.Join(parts[1:len(parts)-1], "/"), parts[len(parts)-1]
}
