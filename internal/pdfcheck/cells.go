package pdfcheck

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/govreport/govreport/report"
)

// Cell is the lines of one table cell as pdftotext finds them: words of
// the table's size, one above the other at the table's leading, sharing
// their centre (labels are centred).
type Cell struct {
	Page  int
	Lines []Word
}

// Text is the cell's lines joined.
func (c Cell) Text() string {
	var b strings.Builder
	for _, w := range c.Lines {
		b.WriteString(w.Text)
	}
	return b.String()
}

func (c Cell) String() string {
	s := make([]string, len(c.Lines))
	for i, w := range c.Lines {
		s[i] = w.Text
	}
	return fmt.Sprintf("p%d %q", c.Page, s)
}

// tableText says whether a word is set at a table's size (小四 to 六号)
// rather than the body's 三号, inside the 版心.
func tableText(w Word) bool {
	h := w.YMax - w.YMin
	return h >= 6 && h < 13.5 && w.YMin < bodyTop+bodyHeight
}

// Cells groups the table words into cells of more than one line: a word
// whose centre is another's and whose top is 1.2–1.4 of the size below
// it continues that word's cell (a cell's lines are 1.3 sizes apart; the
// next cell's text is at least its padding further down).
func Cells(words []Word) []Cell {
	var ws []Word
	for _, w := range words {
		if tableText(w) {
			ws = append(ws, w)
		}
	}
	slices.SortStableFunc(ws, func(a, b Word) int {
		if a.Page != b.Page {
			return a.Page - b.Page
		}
		switch {
		case a.YMin < b.YMin:
			return -1
		case a.YMin > b.YMin:
			return 1
		}
		return 0
	})
	used := make([]bool, len(ws))
	var out []Cell
	for i := range ws {
		if used[i] {
			continue
		}
		c := Cell{Page: ws[i].Page, Lines: []Word{ws[i]}}
		used[i] = true
		for j := i + 1; j < len(ws) && ws[j].Page == c.Page; j++ {
			last := c.Lines[len(c.Lines)-1]
			h := last.YMax - last.YMin
			dy := ws[j].YMin - last.YMin
			if dy > 1.4*h {
				break
			}
			if used[j] || dy < 1.2*h || abs(ws[j].YMax-ws[j].YMin-h) > 0.1 ||
				abs((ws[j].XMin+ws[j].XMax)/2-(last.XMin+last.XMax)/2) > 0.5 {
				continue
			}
			c.Lines = append(c.Lines, ws[j])
			used[j] = true
		}
		if len(c.Lines) > 1 {
			out = append(out, c)
		}
	}
	return out
}

// closing are the marks that do not count as a line's character.
const closing = "，。、；：？！）》」』】〕…”’,.;:?!)"

// charCount is the characters of s, closing marks aside.
func charCount(s string) int {
	n := 0
	for _, r := range s {
		if !strings.ContainsRune(closing, r) {
			n++
		}
	}
	return n
}

// emWidth estimates the width of s in ems: a digit or Latin letter half an
// em, a full stop or comma of them a quarter, anything else a whole em.
func emWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case r == '.' || r == ',':
			w += 0.28
		case r < 0x80:
			w += 0.5
		default:
			w += 1
		}
	}
	return w
}

// labelWords maps each label of the format's tables to where its words
// meet (report.Cell.Breaks), and says which labels may take two lines
// more than filling needs to break only there: a header row's, whose
// rows grow once a page, and one spanning rows, beside which there is
// room (issue 22).
func labelWords(f *report.Format) (breaks map[string][]int, roomy map[string]bool) {
	breaks, roomy = map[string][]int{}, map[string]bool{}
	for _, tb := range f.Tables {
		for _, row := range tb.Rows {
			for _, c := range row.Cells {
				if !c.IsData() {
					breaks[c.Text] = c.Breaks
					if c.Row < tb.HeaderRows || c.RS > 1 {
						roomy[c.Text] = true
					}
				}
			}
		}
	}
	return breaks, roomy
}

// wordBreakFits reports whether text can be broken between its words
// (breaks) into n lines none wider than width ems.
func wordBreakFits(text string, breaks []int, n int, width float64) bool {
	r := []rune(text)
	pts := append(append([]int{0}, breaks...), len(r))
	// fewest[k]: the fewest lines that set r[:pts[k]].
	fewest := make([]int, len(pts))
	for k := 1; k < len(pts); k++ {
		fewest[k] = len(r) + 1
		for j := k - 1; j >= 0; j-- {
			if emWidth(string(r[pts[j]:pts[k]])) > width+0.05 {
				break
			}
			fewest[k] = min(fewest[k], fewest[j]+1)
		}
	}
	return fewest[len(pts)-1] <= n
}

// checkCells fails for a table label whose last line holds one character,
// and for one that breaks inside a word of the format's labels where its
// lines could have broken between words: in as many lines, none wider
// than its widest printed line — or two lines more, for a header's label
// or one spanning rows (社会|公益|组织, not 社会公|益组织).
func checkCells(t testing.TB, name string, words []Word, f *report.Format) {
	t.Helper()
	labels, roomy := labelWords(f)
	for _, c := range Cells(words) {
		last := c.Lines[len(c.Lines)-1].Text
		if charCount(last) <= 1 {
			t.Errorf("%s: a table cell ends on a line of one character: %s", name, c)
		}
		text := c.Text()
		breaks, ok := labels[text]
		if !ok {
			continue
		}
		widest := 0.0
		for _, w := range c.Lines {
			widest = max(widest, (w.XMax-w.XMin)/(w.YMax-w.YMin))
		}
		n := len(c.Lines)
		if roomy[text] {
			n += 2
		}
		at := 0
		for _, w := range c.Lines[:len(c.Lines)-1] {
			at += utf8.RuneCountInString(w.Text)
			if !slices.Contains(breaks, at) && wordBreakFits(text, breaks, n, widest) {
				t.Errorf("%s: a table label breaks inside a word, though its words fit %d lines: %s", name, n, c)
				break
			}
		}
	}
}
