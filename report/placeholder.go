package report

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// IsPlaceholder reports whether a text holds one of the format's
// placeholder marks: it is a skeleton's text the clerk has not replaced.
func (f *Format) IsPlaceholder(text string) bool {
	for _, m := range f.Placeholders.Marks {
		if strings.Contains(text, m) {
			return true
		}
	}
	return false
}

// placeholder reports a text that still holds a placeholder of init's
// skeleton: an error, as such a report must not be published, or, with
// Options.Draft, a warning (a draft renders with its mark on every page).
func (d *decoder) placeholder(at ref, off int, text string) {
	if !d.f.IsPlaceholder(text) {
		return
	}
	ptr := at.String()
	quoted := text
	if utf8.RuneCountInString(quoted) > 24 {
		quoted = string([]rune(quoted)[:23]) + "…"
	}
	en := fmt.Sprintf("still holds the placeholder %q of govreport init: write the report's own text (or render with --draft for a draft)", quoted)
	zh := fmt.Sprintf("仍是模板占位文字“%s”，请填写实际内容（如需草稿，可用 --draft 输出）", quoted)
	if d.opt.Draft {
		// A draft's placeholders are warnings, as many as problems may be
		// listed: a report of 10⁴ placeholder paragraphs must not answer
		// with 10⁴ warnings.
		if d.draftWarnings++; d.draftWarnings <= MaxProblems {
			d.warn(ptr, off, "placeholder", en, zh)
		}
		return
	}
	d.fail(ptr, off, "placeholder", en, zh)
}
