package report

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// balanced returns the seed report (format 2021) with every count of
// tables 三 and 四 replaced by random values that pass every 勾稽 rule, and
// those values by pointer.
func balanced(t *testing.T, rng *rand.Rand) (map[string]any, map[string]int64) {
	t.Helper()
	data, err := os.ReadFile("../testdata/reports/yongxing-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	f := lookup(testFormats, "gov-info-disclosure/2021")
	targets := map[string]bool{}
	for _, r := range f.rules {
		targets[r.target] = true
	}
	vals := map[string]int64{}
	for _, p := range f.CellPointers() {
		switch {
		case targets[p]:
		case strings.HasPrefix(p, "/applications/new_requests/"):
			vals[p] = 30 + rng.Int64N(40)
		case strings.HasPrefix(p, "/applications/"), strings.HasPrefix(p, "/reviews_and_litigation/"):
			vals[p] = rng.Int64N(3) // 21 outcome rows stay below the requests
		}
	}
	// Every total from its rule; the rules' order leaves some totals to a
	// later pass (a row's total before its cells' balance).
	for range 3 {
		for _, r := range f.rules {
			var s int64
			for _, p := range r.plus {
				s += vals[p]
			}
			for _, p := range r.minus {
				s -= vals[p]
			}
			vals[r.target] = s
		}
	}
	for p, v := range vals {
		if v < 0 {
			t.Fatalf("%s = %d", p, v)
		}
		put(doc, p, v)
	}
	return doc, vals
}

// put sets (v ≠ del) or deletes (v = del) a value of a decoded JSON
// document; unlike setPointer it does not encode the document.
func put(doc map[string]any, ptr string, v any) {
	parts := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	m := doc
	for _, p := range parts[:len(parts)-1] {
		m = m[p].(map[string]any)
	}
	if v == del {
		delete(m, parts[len(parts)-1])
		return
	}
	m[parts[len(parts)-1]] = v
}

// del asks put to delete.
var del = new(int)

// TestBlameProperty corrupts 1–3 cells of random balanced reports — a wrong
// value, a count typed as a string, null, or the key left out — and checks
// what a clerk is told: no correct cell is ever named as wrong (a check
// problem with breaks), every wrong value is reported, and a wrong value
// whose row and column are not both hidden by unreadable cells is named at
// its pointer with the value it should have.
func TestBlameProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(2021, 30))
	kinds := []string{"wrong", "wrong", "string", "null", "missing"}
	f := lookup(testFormats, "gov-info-disclosure/2021")
	var cells []string
	for _, p := range f.CellPointers() {
		if strings.HasPrefix(p, "/applications/") || strings.HasPrefix(p, "/reviews_and_litigation/") {
			cells = append(cells, p)
		}
	}
	inRule := map[string][]int{} // the rules each cell is in
	for i, r := range f.rules {
		for _, p := range append(append([]string{r.target}, r.plus...), r.minus...) {
			inRule[p] = append(inRule[p], i)
		}
	}
	const runs = 600
	blamed, named := 0, 0
	for run := range runs {
		doc, vals := balanced(t, rng)
		if _, probs := decode(t, mustJSON(t, doc)); probs != nil {
			t.Fatalf("run %d: the balanced report fails: %v", run, probs)
		}
		wrong := map[string]int64{} // cell → the value it should have
		unknown := map[string]bool{}
		var what []string
		for _, i := range rng.Perm(len(cells))[:1+rng.IntN(3)] {
			p, v := cells[i], vals[cells[i]]
			switch kind := kinds[rng.IntN(len(kinds))]; kind {
			case "wrong":
				d := rng.Int64N(9) - 4
				if d == 0 || v+d < 0 {
					d = 1 + rng.Int64N(4)
				}
				put(doc, p, v+d)
				wrong[p] = v
				what = append(what, fmt.Sprintf("%s %d→%d", p, v, v+d))
			case "string":
				put(doc, p, fmt.Sprint(v))
				unknown[p] = true
				what = append(what, fmt.Sprintf("%s %q", p, fmt.Sprint(v)))
			case "null":
				put(doc, p, nil)
				if v != 0 {
					wrong[p] = v // null counts as 0
				}
				what = append(what, fmt.Sprintf("%s %d→null", p, v))
			case "missing":
				put(doc, p, del)
				unknown[p] = true
				what = append(what, p+" left out")
			}
		}
		_, probs := decode(t, mustJSON(t, doc))
		var checks []Problem
		for _, p := range probs {
			if p.Code == "check" {
				checks = append(checks, p)
			}
		}
		fail := func(format string, args ...any) {
			t.Helper()
			var got []string
			for _, p := range checks {
				got = append(got, fmt.Sprintf("%s (breaks %d): %s", p.Pointer, len(p.Breaks), p.MessageZh))
			}
			t.Errorf("run %d, %s: %s\n\t%s", run, strings.Join(what, ", "), fmt.Sprintf(format, args...), strings.Join(got, "\n\t"))
		}
		for _, p := range checks {
			if len(p.Breaks) > 0 {
				if _, ok := wrong[p.Pointer]; !ok {
					fail("the correct cell %s is blamed", p.Pointer)
				}
				continue
			}
			if strings.Contains(p.MessageZh, "应为") {
				fail("%s: a problem without breaks says what the cell should be", p.Pointer)
			}
		}
		// Every wrong value is reported: at itself, or by a problem at the
		// total of a rule it is in (the rule does not hold). Unless every
		// rule it is in also holds an unreadable cell, which could take any
		// value: then the given values cannot show it.
		for c := range wrong {
			seen := false
			for _, i := range inRule[c] {
				r := f.rules[i]
				clear := true
				for _, p := range append(append([]string{r.target}, r.plus...), r.minus...) {
					clear = clear && !unknown[p]
				}
				seen = seen || clear
			}
			if !seen && !strings.HasPrefix(c, "/applications/") {
				continue
			}
			ok := false
			for _, p := range checks {
				if p.Pointer == c {
					ok = true
				}
				for _, i := range inRule[c] {
					ok = ok || p.Pointer == f.rules[i].target && len(p.Breaks) == 0
				}
			}
			if !ok {
				fail("the wrong value at %s is not reported", c)
			}
		}
		// One wrong value in table 三, with its row and its column not both
		// holding an unreadable cell, is named at its pointer.
		if len(wrong) != 1 {
			continue
		}
		for c, want := range wrong {
			if !strings.HasPrefix(c, "/applications/") {
				continue
			}
			row, col := c[:strings.LastIndexByte(c, '/')], c[strings.LastIndexByte(c, '/')+1:]
			rowHidden, colHidden := false, false
			for u := range unknown {
				rowHidden = rowHidden || strings.HasPrefix(u, row+"/")
				colHidden = colHidden || strings.HasSuffix(u, "/"+col)
			}
			if rowHidden && colHidden {
				continue
			}
			found := false
			for _, p := range checks {
				if p.Pointer == c && len(p.Breaks) > 0 && strings.Contains(p.MessageZh, fmt.Sprintf("应为 %d，", want)) {
					found = true
				}
			}
			if !found {
				fail("the wrong value at %s is not named with %d", c, want)
				continue
			}
			blamed++
			if len(unknown) > 0 {
				named++
			}
		}
	}
	t.Logf("%d runs: %d single wrong values named at the cell, %d of them beside unreadable cells", runs, blamed, named)
	if named < 20 {
		t.Errorf("only %d single wrong values beside unreadable cells were tried", named)
	}
}

func mustJSON(t *testing.T, doc map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBlameBesideTypo is the clerk's case of issue 21: one wrong total and
// one count typed as a string. The string is its own problem; the wrong
// total is named once, at itself, and the correct 结转下年度 total is not
// blamed (it was: "应为 4" for a right 5, and "应为 5" after the change).
func TestBlameBesideTypo(t *testing.T) {
	doc, vals := balanced(t, rand.New(rand.NewPCG(1, 2)))
	const total = "/applications/new_requests/total"
	const typo = "/applications/outcomes/disclosed/commercial_enterprise"
	put(doc, total, vals[total]-1)
	put(doc, typo, fmt.Sprint(vals[typo]))
	_, probs := decode(t, mustJSON(t, doc))
	var got []string
	for _, p := range probs {
		got = append(got, p.Code+" "+p.Pointer)
	}
	want := []string{"check " + total, "type " + typo}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Fatalf("problems %v, want %v", probs, want)
	}
	if !strings.Contains(probs[0].MessageZh, fmt.Sprintf("应为 %d，实为 %d", vals[total], vals[total]-1)) {
		t.Errorf("message %s", probs[0].MessageZh)
	}
}

// BenchmarkBlame decodes reports whose checks fail: three wrong counts in
// table 三 (the search tries every set of up to three values), and the
// same with a count typed as a string beside them (the rules eliminated).
func BenchmarkBlame(b *testing.B) {
	t := &testing.T{}
	for _, bm := range []struct {
		name string
		typo bool
	}{{"three wrong", false}, {"three wrong and a typo", true}} {
		b.Run(bm.name, func(b *testing.B) {
			doc, vals := balanced(t, rand.New(rand.NewPCG(1, 2)))
			for _, p := range []string{"/applications/outcomes/unable_to_provide/not_held/commercial_enterprise",
				"/applications/outcomes/unable_to_provide/still_unclear/legal_service_org",
				"/applications/outcomes/withheld/internal_affairs/research_institution"} {
				put(doc, p, vals[p]+3)
			}
			if bm.typo {
				put(doc, "/applications/carried_over/other_org", "1")
			}
			data, _ := json.Marshal(doc)
			b.ReportAllocs()
			for b.Loop() {
				Decode(data, Options{Now: now, Formats: testFormats})
			}
		})
	}
}
