package report

import "fmt"

// ComparePrevious compares a report with the same agency's report of the
// year before, as a reviewing office does first: the two agencies, the
// two years, and this year's carried-over counts (上年结转) with last
// year's carried-forward ones (结转下年度继续办理), column by column. The
// rows are the formats' Carry rows, so a report can follow one in another
// format (a 2021 report after a 2020 report in the 2019 format); the
// columns are matched by key, and a total that may be computed is left
// out, as it follows from the columns (the 勾稽 checks see to it). A null
// count is 0, as in the checks.
//
// Each disagreement is a problem with code previous at this report's
// pointer, naming last year's value and prevName, the name of last year's
// file. When the years do not follow each other the counts are not
// compared: they would only disagree.
func ComparePrevious(prev, cur *Report, prevName string) []Problem {
	var out []Problem
	add := func(ptr, en, zh string) {
		out = append(out, Problem{Pointer: ptr, Code: "previous", Message: en, MessageZh: zh})
	}
	if prev.Agency != cur.Agency {
		add("/agency", fmt.Sprintf("the agency is %q, but last year's report %s is by %q; compare with the same agency's report",
			clip(cur.Agency), prevName, clip(prev.Agency)),
			fmt.Sprintf("机关名称为“%s”，而上年报告 %s 为“%s”；请与本机关的上年报告比对", clip(cur.Agency), prevName, clip(prev.Agency)))
	}
	if prev.Year != cur.Year-1 {
		add("/year", fmt.Sprintf("this report is for %d, but last year's report %s is for %d, not %d; the carried-over counts were not compared",
			cur.Year, prevName, prev.Year, cur.Year-1),
			fmt.Sprintf("本报告为 %d 年度，而上年报告 %s 为 %d 年度，不是 %d 年度；未比对上年结转数", cur.Year, prevName, prev.Year, cur.Year-1))
		return out
	}
	pc, cc := prev.Format.Carry, cur.Format.Carry
	if pc == nil || cc == nil {
		f := cur.Format
		if cc != nil {
			f = prev.Format
		}
		add("", fmt.Sprintf("format %s names no carried-forward row (carry), so the carried-over counts cannot be compared", f.ID),
			fmt.Sprintf("格式 %s 未指定结转行（carry），无法比对上年结转数", f.ID))
		return out
	}
	to := cur.Format.node(cc.To, KindObject)
	for _, fl := range to.Fields {
		if fl.Computed {
			continue
		}
		ptr, from := cc.To+"/"+fl.Name, pc.From+"/"+fl.Name
		got, ok1 := cur.Cell(ptr)
		want, ok2 := prev.Cell(from)
		if !ok1 || !ok2 || got.Int == want.Int {
			continue
		}
		table, row, col := cur.Format.CellLabel(ptr)
		_, prow, pcol := prev.Format.CellLabel(from)
		add(ptr, fmt.Sprintf("%s %q × %q: %s, but last year's report %s carried forward %s (%q × %q)",
			table, row, col, got.Text, prevName, want.Text, prow, pcol),
			fmt.Sprintf("%s “%s” × “%s”: 实为 %s，而上年报告 %s 的“%s” × “%s”为 %s",
				table, row, col, got.Text, prevName, prow, pcol, want.Text))
	}
	return out
}
