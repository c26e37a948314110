package render

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// TestLabelWordsWhole: in every test report's tables, a short label (up
// to four characters: 自然人, 商业企业) or one spanning rows (三、本年度办理
// 结果) breaks only where its format marks its words (a label without
// marks is one word), when those are no longer than four characters:
// never 自|然人, nor 三、|本|年度… (issue 22). A column is widened for its
// labels' short words when the table fits (not beside six-digit counts,
// as in horgos's 表三: 三、|本|年度|办理|结果 stays), and a label spanning
// rows takes the lines its words need. A longer label in a row of its own still
// splits a word where the row's height (its lines as filled) holds no
// other break (社会公|益组织 beside six-digit counts): growing the rows is
// left for later.
func TestLabelWordsWhole(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range pdfcheck.ValidReports(t, "..") {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		r, f, err := templates.Decode(data, report.Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		doc, err := f.Build(r, templates.BuildOptions{})
		if err != nil {
			t.Fatal(err)
		}
		c, err := layout.Compose(context.Background(), doc, set, layout.DefaultStyle())
		if err != nil {
			t.Fatal(err)
		}
		for tb, ts := range c.Tables {
			// Beside counts of six digits or more the label columns
			// have no room to widen.
			wide := false
			for i, cell := range tb.Cells {
				if cell.Kind == layout.CellData && i < len(ts.Lines) && len(ts.Lines[i]) > 0 && len(ts.Lines[i][0]) >= 6 {
					wide = true
				}
			}
			for i, cell := range tb.Cells {
				if cell.Kind == layout.CellData || i >= len(ts.Lines) || len(ts.Lines[i]) < 2 {
					continue
				}
				words := map[int]bool{0: true, utf8.RuneCountInString(cell.Text): true}
				for _, b := range cell.Breaks {
					words[b] = true
				}
				longest, last := 0, 0
				for at := 1; at <= utf8.RuneCountInString(cell.Text); at++ {
					if words[at] {
						longest, last = max(longest, at-last), at
					}
				}
				if longest > 4 || (utf8.RuneCountInString(cell.Text) > 4 && cell.RowSpan < 2) {
					continue // a long label in a row of its own: see below
				}
				if wide {
					continue // no room to widen the column
				}
				at := 0
				for _, ln := range ts.Lines[i][:len(ts.Lines[i])-1] {
					at += utf8.RuneCountInString(ln)
					if !words[at] {
						t.Errorf("%s %s: label %q breaks inside a word: %q", filepath.Base(file), tb.Name, cell.Text, ts.Lines[i])
						break
					}
				}
			}
		}
	}
}
