package pdfcheck

import (
	"slices"
	"testing"
	"unicode"

	"github.com/govreport/govreport/report"
)

// The checks of issue 22 on the flow of the text: how loose a justified
// line is, what a page ends on, and how much of it is left empty.

const (
	// bodyWidth is the 版心's width, 156 mm; bodyCell its 28th, the step
	// between two hanzi of a body line set without extra space.
	bodyWidth = 156 * 72 / 25.4
	bodyCell  = bodyWidth / 28
	bodySize  = 16 // 三号
	// MaxLoose is the most extra space a gap of a justified body line may
	// take, in em (issue 22).
	MaxLoose = 0.25
	// MaxFootGap is the most of the text block a page but the last may
	// leave empty at its foot (issue 22).
	MaxFootGap = 0.2
)

// checkLoose fails for a justified body line (one that reaches the right
// edge of the 版心) with more than MaxLoose em of extra space in a gap: the
// step from a hanzi to the next hanzi or to a Latin character, less the
// grid's step. A line holding a single run that cannot break (fewer than
// two hanzi, a long URL) is let be: there is nothing to spread the space
// over but its edges.
func checkLoose(t testing.TB, name string, rows []Row, gs []Glyph) {
	t.Helper()
	for _, row := range rows {
		h := row.YMax - row.YMin
		if h < 14 || h > 20 || row.YMin > bodyTop+bodyHeight {
			continue
		}
		if abs(row.XMin-bodyLeft) > 1.5 && abs(row.XMin-bodyLeft-2*bodyCell) > 1.5 {
			continue
		}
		if abs(row.XMax-bodyLeft-bodyWidth) > 1.5 {
			continue // a paragraph's last line, or a heading: not justified
		}
		rs, in := inkedGlyphs(row, gs)
		if in == nil {
			t.Errorf("%s page %d: cannot pair the glyphs of %q with its characters", name, row.Page, row.Text)
			continue
		}
		n := 0
		for _, r := range rs {
			if hanzi(r) {
				n++
			}
		}
		if n < 2 {
			continue
		}
		worst, at := 0.0, 0
		for i := 0; i+1 < len(rs); i++ {
			if !hanzi(rs[i]) || !(hanzi(rs[i+1]) || latin(rs[i+1])) {
				continue
			}
			if extra := in[i+1].X - in[i].X - bodyCell; extra > worst {
				worst, at = extra, i
			}
		}
		if worst > MaxLoose*bodySize {
			t.Errorf("%s page %d: %.2f em of extra space after %q in a justified line (at most %.2f): %q",
				name, row.Page, worst/bodySize, rs[at], MaxLoose, row.Text)
		}
	}
}

// latin reports whether r is a letter or digit of the Latin script.
func latin(r rune) bool { return r < 0x250 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

// inkedGlyphs pairs a row's characters, spaces left out, with the glyphs
// that have ink on its baseline, left to right; nil if they do not pair up.
func inkedGlyphs(row Row, gs []Glyph) ([]rune, []Glyph) {
	var rs []rune
	for _, r := range row.Text {
		if !unicode.IsSpace(r) {
			rs = append(rs, r)
		}
	}
	in := glyphsIn(row, gs, true)
	if len(in) != len(rs) {
		return nil, nil
	}
	return rs, in
}

// leadIns are the texts that must not end a page without what they lead
// into: the section headings, the headings of the text blocks, and the
// notes printed before a table.
func leadIns(r *report.Report) []string {
	var out []string
	for _, s := range r.Format.Sections {
		out = append(out, Squash(s.Heading))
		var blocks []report.Block
		if s.Blocks != "" {
			blocks = append(blocks, r.Section(s.Blocks)...)
		}
		if s.Notes != "" {
			blocks = append(blocks, r.Blocks(s.Notes)...)
		}
		for _, b := range blocks {
			if b.Heading != "" && !b.RunIn {
				out = append(out, Squash(b.Heading))
			}
			if s.Blocks == "" {
				for _, p := range b.Paragraphs {
					out = append(out, Squash(p))
				}
			}
		}
	}
	return out
}

// checkKeeps fails for a page but the last that ends on a heading or a
// table's note: what they lead into starts on the next page without them.
func checkKeeps(t testing.TB, name string, rows []Row, r *report.Report, pages int) {
	t.Helper()
	lead := leadIns(r)
	for p := 1; p < pages; p++ {
		var body []Row
		for _, row := range rows {
			if row.Page == p && row.YMin < bodyTop+bodyHeight && !PageNumber.MatchString(row.Text) {
				body = append(body, row)
			}
		}
		tail := ""
		for i := len(body) - 1; i >= 0 && i >= len(body)-8; i-- {
			tail = Squash(body[i].Text) + tail
			if slices.Contains(lead, tail) {
				t.Errorf("%s page %d of %d ends on %q without what follows it", name, p, pages, tail)
				break
			}
		}
	}
}

// checkFootGaps fails for a page but the last whose text ends more than
// limit of the text block above its foot. A landscape page (land) ends
// where its table does, and the page before it where the turn is.
func checkFootGaps(t testing.TB, name string, rows []Row, pages int, limit float64, land map[int]bool) {
	t.Helper()
	bottom := make([]float64, pages+1)
	for _, row := range rows {
		if row.YMin > bodyTop+bodyHeight || PageNumber.MatchString(row.Text) {
			continue
		}
		bottom[row.Page] = max(bottom[row.Page], row.YMax)
	}
	for p := 1; p < pages; p++ {
		if land[p] || land[p+1] {
			continue
		}
		if empty := (bodyTop + bodyHeight - bottom[p]) / bodyHeight; empty > limit {
			t.Errorf("%s page %d of %d ends %.0f%% empty (at most %.0f%%)", name, p, pages, 100*empty, 100*limit)
		}
	}
}
