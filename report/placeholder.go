package report

import (
	"fmt"
	"strings"
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
	// A draft's placeholders are warnings, as many as problems may be
	// listed (a report of 10⁴ placeholder paragraphs must not answer with
	// 10⁴ warnings); a final's are problems, counted once the list is full.
	switch {
	case d.opt.Draft && d.draftWarnings >= MaxProblems:
		return
	case !d.opt.Draft && d.full(off):
		d.omitted++
		return
	}
	quoted := clip(text)
	en := fmt.Sprintf("still holds the placeholder %q of govreport init: write the report's own text (or render with --draft for a draft)", quoted)
	zh := fmt.Sprintf("仍是模板占位文字“%s”，请填写实际内容（如需草稿，可用 --draft 输出）", quoted)
	if d.opt.Draft {
		d.draftWarnings++
		d.warn(at.String(), off, "placeholder", en, zh)
		return
	}
	d.fail(at.String(), off, "placeholder", en, zh)
}
