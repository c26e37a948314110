package render

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/report"
)

// coverage finds every text of the document with a character no face can
// draw, before the layout would stop at the first: one problem per text,
// named by the JSON pointer of the value it came from, so that validation
// and export refuse the same reports with the same answer.
//
// A character no face of its text's role has but the fallback (宋体) has is
// printed, in another style: a name such as 王堃 in 仿宋 with 堃 in 宋体, or
// 硚口区 in a bold title with 硚 in a regular weight. Each is a warning of r
// (fallback_character), once per text and character, naming the character,
// the role and the pointer, so that check and validation say what export
// would print.
func coverage(doc *layout.Document, set *fonts.Set, r *report.Report) error {
	var probs []report.Problem
	seen := map[string]bool{}
	warned := map[string]bool{}
	for _, w := range r.Warnings { // a report prepared twice is warned once
		if w.Code == codeFallback {
			warned[w.Pointer+"\x00"+w.Message] = true
		}
	}
	check := func(text string, role fonts.Role, ptr string) {
		if seen[ptr] && ptr != "" {
			return
		}
		n := 0
		var fell map[rune]bool // warned in this text
		resolver, own := set.Resolver(role), set.Stack(role)
		for _, c := range text {
			n++
			f, ok := resolver.Resolve(c)
			if ok {
				if role != fonts.RoleSong && !fell[c] && !slices.Contains(own, f) {
					if fell == nil {
						fell = map[rune]bool{}
					}
					fell[c] = true
					w := fallbackWarning(ptr, role, n, c, f, len(set.Stack(role))+1)
					if key := ptr + "\x00" + w.Message; !warned[key] && len(r.Warnings) < report.MaxProblems {
						warned[key] = true
						r.Warnings = append(r.Warnings, w)
					}
				}
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

// codeFallback is the warning code of a character set in the fallback face.
const codeFallback = "fallback_character"

// roleNames names the roles in warnings, in English and Chinese.
var roleNames = map[fonts.Role][2]string{
	fonts.RoleTitle: {"title (bold 小标宋 stand-in)", "标题（小标宋）"},
	fonts.RoleBody:  {"body (仿宋)", "正文（仿宋）"},
	fonts.RoleHei:   {"heading (黑体)", "一级标题（黑体）"},
	fonts.RoleKai:   {"heading (楷体)", "二级标题（楷体）"},
	fonts.RoleSong:  {"宋体", "宋体"},
}

// fallbackWarning is the warning for the n-th character c of the text at ptr,
// which no face of role has and f, a fallback face, sets; next is the place in
// the role's stack of a face the user could add.
func fallbackWarning(ptr string, role fonts.Role, n int, c rune, f *fonts.Face, next int) report.Problem {
	name := roleNames[role]
	file := fmt.Sprintf("%s-%d.ttf", role, next)
	return report.Problem{
		Pointer: ptr, Code: codeFallback,
		Message: fmt.Sprintf("character %d, U+%04X %q, is in no %s face: it is printed in the fallback face, %s, in another style (a face that has it can be added to the role as %s in the font directory)",
			n, c, string(c), name[0], f.Name(), file),
		MessageZh: fmt.Sprintf("第 %d 个字符 U+%04X “%s” 在%s字体中没有，将以后备字体 %s 印出，字形风格不一致（可在字体目录中以 %s 补充含该字的字体）",
			n, c, string(c), name[1], f.Name(), file),
	}
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
