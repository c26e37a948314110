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
func coverage(doc *layout.Document, set *fonts.Set) error {
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
	for t := range doc.Texts() {
		check(t.Text, t.Role, textPointer(t))
	}
	if len(probs) == 0 {
		return nil
	}
	if len(probs) > report.MaxProblems {
		return &report.Error{Problems: probs[:report.MaxProblems], Omitted: len(probs) - report.MaxProblems}
	}
	return &report.Error{Problems: probs}
}

// textPointer is the JSON pointer of the input value a text of the
// document came from, as the document tree carries it.
func textPointer(t layout.Text) string {
	switch b := t.Block.(type) {
	case *layout.Title:
		return b.Pointer
	case *layout.Heading:
		return b.Pointer
	case *layout.Paragraph:
		if t.Index == 0 && len(b.Runs) > 1 { // a run-in heading
			return strings.TrimSuffix(b.Pointer, "/paragraphs/0") + "/heading"
		}
		return b.Pointer
	case *layout.Table:
		return b.Cells[t.Index].Pointer
	case *layout.Signature:
		if t.Index == 1 {
			return b.DatePointer
		}
		return b.AgencyPointer
	}
	return ""
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
