package render

import (
	"errors"
	"fmt"
	"strings"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/report"
)

// coverage finds every text of the document with a character no face can
// draw, before the layout would stop at the first: one problem per text,
// named by the JSON pointer of the value it came from, so that validation
// and export refuse the same reports with the same answer.
func coverage(doc *layout.Document, r *report.Report, set *fonts.Set) error {
	var probs []report.Problem
	seen := map[string]bool{}
	check := func(text string, role fonts.Role, ptr string) {
		if seen[ptr] && ptr != "" {
			return
		}
		n := 0
		for _, c := range text {
			n++
			if _, ok := set.Resolve(role, c); ok {
				continue
			}
			seen[ptr] = true
			probs = append(probs, report.Problem{
				Pointer: ptr, Code: "unsupported_character",
				Message:   fmt.Sprintf("character %d, U+%04X %q, is in no font the documents use (Arabic, Hebrew, bidirectional and zero-width controls and U+FFFD among others); remove or replace it", n, c, string(c)),
				MessageZh: fmt.Sprintf("第 %d 个字符 U+%04X “%s” 在文档所用字体中都没有，无法显示；请删除或替换", n, c, string(c)),
			})
			return
		}
	}
	for _, b := range doc.Blocks {
		switch b := b.(type) {
		case *layout.Title:
			check(b.Text, fonts.RoleTitle, titlePointer(r))
		case *layout.Heading:
			role := fonts.RoleKai
			if b.Level <= 1 {
				role = fonts.RoleHei
			}
			check(b.Text, role, b.Pointer)
		case *layout.Paragraph:
			for i, run := range b.Runs {
				ptr := b.Pointer
				if i == 0 && len(b.Runs) > 1 { // a run-in heading
					ptr = strings.TrimSuffix(ptr, "/paragraphs/0") + "/heading"
				}
				check(run.Text, run.Role, ptr)
			}
		case *layout.Table:
			for _, c := range b.Cells {
				role := fonts.RoleBody
				if c.Kind == layout.CellSection {
					role = fonts.RoleHei
				}
				check(c.Text, role, c.Pointer)
			}
		case *layout.Signature:
			ptr := "/signature/agency"
			if b.Agency == r.Agency {
				ptr = "/agency" // the signature repeats the agency unless given
			}
			check(b.Agency, fonts.RoleBody, ptr)
			check(b.Date, fonts.RoleBody, "/signature/date")
		}
	}
	if len(probs) == 0 {
		return nil
	}
	if len(probs) > report.MaxProblems {
		return &report.Error{Problems: probs[:report.MaxProblems], Omitted: len(probs) - report.MaxProblems}
	}
	return &report.Error{Problems: probs}
}

// titlePointer is where the printed title came from: the title, or the
// agency's name when the title was omitted and made from it.
func titlePointer(r *report.Report) string {
	if r.Title == fmt.Sprintf("%s%d年政府信息公开工作年度报告", r.Agency, r.Year) {
		return "/agency"
	}
	return "/title"
}

// layoutError turns what the layout refuses into problems of the report: a
// report too long to print is too_large at the whole document (""), as the
// report-wide size limit is; a character no face has (which coverage should
// have found first) is named where the layout met it.
func layoutError(err error) error {
	var pl *layout.PageLimitError
	var missing *fonts.MissingError
	switch {
	case errors.As(err, &pl):
		return &report.Error{Problems: []report.Problem{{
			Code:      "too_large",
			Message:   fmt.Sprintf("the report would print on more than %d pages; at most %d (too many or too long paragraphs)", pl.Max, pl.Max),
			MessageZh: fmt.Sprintf("报告排版超过 %d 页上限（段落过多或过长）", pl.Max),
		}}}
	case errors.As(err, &missing):
		ptr := missing.Where
		if i := strings.Index(ptr, ","); i >= 0 {
			ptr = ptr[:i]
		}
		if !strings.HasPrefix(ptr, "/") {
			ptr = ""
		}
		return &report.Error{Problems: []report.Problem{{
			Pointer: ptr, Code: "unsupported_character",
			Message:   missing.Error(),
			MessageZh: fmt.Sprintf("字符 U+%04X “%s” 在文档所用字体中都没有，无法显示", missing.Rune, string(missing.Rune)),
		}}}
	}
	return fmt.Errorf("layout: %w", err)
}
