package render

import (
	"testing"

	"github.com/govreport/govreport/internal/pdfcheck"
)

// TestTypesetting runs the typesetting checks of issue 10 on our PDF of
// every test report, as pdftotext -bbox-layout reads it: title and
// signature lines break only between words, every count is one word, no
// paragraph ends on a line of one character, no page but the last ends
// two-fifths empty; table labels break between their words and never end
// on a line of one character; no lone mark is squeezed below ¾ em; ——
// and …… are drawn as one mark; every count keeps 1.5 mm from the rules
// of its cell, on portrait and landscape pages (issue 22).
func TestTypesetting(t *testing.T) {
	pdfcheck.Need(t, "pdftotext")
	for _, r := range renderAll(t) {
		t.Run(r.report.Agency, func(t *testing.T) {
			title, agency := pdfcheck.Typesetting(t, r.pdf, r.report)
			pdfcheck.Marks(t, r.pdf)
			t.Logf("title %q, signature %q", title, agency)
		})
	}
}
