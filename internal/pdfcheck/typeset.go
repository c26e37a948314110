package pdfcheck

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/govreport/govreport/report"
)

// The typesetting checks of issue 10, on any PDF of a report — ours, or
// LibreOffice's rendering of our DOCX — as pdftotext -bbox-layout reads it:
//
//   - the title's and the signature's lines break only between words;
//   - every count of the tables is one word (it never wraps in its cell);
//   - no paragraph ends on a line of one character;
//   - no page but the last ends more than a fifth empty (issue 22; it
//     was two-fifths), or on a heading or a table's note without what
//     follows it (issue 22);
//   - no gap of a justified body line takes more than a quarter em of
//     extra space (issue 22);
//   - a table label's last line holds more than one character, and its
//     lines break between the words its format marks unless they cannot
//     fit as many lines no wider (issue 22);
//   - no mark squeezed alone mid-line below ¾ em (issue 22; glyph
//     positions from pdftocairo -svg);
//   - every count keeps 1.5 mm from the rules of its cell (issue 22; our
//     PDF only, whose rules pdftocairo -svg draws as strokes).
//
// They know nothing of the layout's code: words are judged from a list of
// the names the test reports use and the rule that a number and the 年
// after it are one word.

// Page geometry of GB/T 9704 in points: the 版心's top, left and height.
const (
	bodyTop    = 37 * 72 / 25.4
	bodyLeft   = 28 * 72 / 25.4
	bodyHeight = 225 * 72 / 25.4
)

// Word is one word as pdftotext -bbox-layout finds it, in points.
type Word struct {
	Page                   int
	XMin, YMin, XMax, YMax float64
	Text                   string
}

// Words reads every word of a PDF with its position.
func Words(t testing.TB, pdf string) []Word {
	t.Helper()
	var out []Word
	for i, pg := range bboxLayout(t, pdf) {
		for _, l := range pg.Lines {
			for _, w := range l.Words {
				out = append(out, Word{Page: i + 1, XMin: w.XMin, YMin: w.YMin, XMax: w.XMax, YMax: w.YMax, Text: strings.TrimSpace(w.Text)})
			}
		}
	}
	return out
}

// Row is the words that share a baseline on a page: one printed line,
// whatever blocks pdftotext split it into.
type Row struct {
	Page                   int
	XMin, YMin, XMax, YMax float64
	Text                   string
	Words                  []Word
}

// Rows groups words into printed lines, top to bottom, left to right.
func Rows(words []Word) []Row {
	ws := slices.Clone(words)
	slices.SortStableFunc(ws, func(a, b Word) int {
		if a.Page != b.Page {
			return a.Page - b.Page
		}
		if d := a.YMax - b.YMax; d < -2 || d > 2 {
			if d < 0 {
				return -1
			}
			return 1
		}
		switch {
		case a.XMin < b.XMin:
			return -1
		case a.XMin > b.XMin:
			return 1
		}
		return 0
	})
	var rows []Row
	for _, w := range ws {
		if n := len(rows); n > 0 && rows[n-1].Page == w.Page && abs(rows[n-1].YMax-w.YMax) <= 2 {
			r := &rows[n-1]
			r.Words = append(r.Words, w)
			r.Text += w.Text
			r.XMin, r.XMax = min(r.XMin, w.XMin), max(r.XMax, w.XMax)
			r.YMin, r.YMax = min(r.YMin, w.YMin), max(r.YMax, w.YMax)
			continue
		}
		rows = append(rows, Row{Page: w.Page, XMin: w.XMin, YMin: w.YMin, XMax: w.XMax, YMax: w.YMax, Text: w.Text, Words: []Word{w}})
	}
	for i := range rows {
		slices.SortFunc(rows[i].Words, func(a, b Word) int {
			switch {
			case a.XMin < b.XMin:
				return -1
			case a.XMin > b.XMin:
				return 1
			}
			return 0
		})
		var b strings.Builder
		for _, w := range rows[i].Words {
			b.WriteString(w.Text)
		}
		rows[i].Text = b.String()
	}
	return rows
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// Whole are the words a title or signature line may not split: the place
// and organisation names of the test reports and the report name's words.
// A number and the 年 after it (2024年) are whole too.
var Whole = []string{
	"新疆维吾尔自治区", "伊犁哈萨克自治州", "霍尔果斯市", "新疆維吾爾自治區", "伊犁哈薩克自治州", "霍爾果斯市",
	"内蒙古自治区", "兴安盟", "科尔沁右翼前旗", "政务服务和数据管理局", "永兴傣族乡", "永興傣族鄉",
	"临江市", "自然资源和规划局", "新河区", "云川县", "雲川縣",
	"人民政府", "办公室", "辦公室", "政府信息公开", "政府信息公開", "年度报告", "年度報告",
	"人民政府办公室", "人民政府辦公室", "市中区", "西城区", "数据资源管理局", "住房和城乡建设局",
}

var yearWord = regexp.MustCompile(`[0-9]+年|[0-9]+月|[0-9]+日|[0-9]+`)

// splitsWord returns the whole word a break before rune i of text falls
// inside, or "".
func splitsWord(text string, i int) string {
	r := []rune(text)
	inside := func(start, n int) bool { return start < i && i < start+n }
	for _, m := range yearWord.FindAllStringIndex(text, -1) {
		if inside(utf8.RuneCountInString(text[:m[0]]), utf8.RuneCountInString(text[m[0]:m[1]])) {
			return text[m[0]:m[1]]
		}
	}
	for _, w := range Whole {
		n := utf8.RuneCountInString(w)
		for s := 0; s+n <= len(r); s++ {
			if string(r[s:s+n]) == w && inside(s, n) {
				return w
			}
		}
	}
	return ""
}

// checkBreaks fails for lines that split a word or hold one character.
func checkBreaks(t testing.TB, name, what string, lines []string) {
	t.Helper()
	text := strings.Join(lines, "")
	at := 0
	for _, ln := range lines[:len(lines)-1] {
		at += utf8.RuneCountInString(ln)
		if w := splitsWord(text, at); w != "" {
			t.Errorf("%s: the %s breaks inside %q: %q", name, what, w, lines)
		}
	}
	for _, ln := range lines {
		if utf8.RuneCountInString(ln) < 2 {
			t.Errorf("%s: the %s has a line of one character: %q", name, what, lines)
		}
	}
}

// DraftMark is the mark a draft carries on every page.
const DraftMark = "草稿"

// Typesetting runs every check on a PDF of report r and returns the
// title's and the agency's lines as found, for the caller to log or
// compare with another rendering's.
func Typesetting(t testing.TB, pdf string, r *report.Report) (title, agency []string) {
	t.Helper()
	return typesetting(t, pdf, r, MaxFootGap, true)
}

// TypesettingOf runs the checks of Typesetting on a PDF that another
// program paginated (LibreOffice's of our DOCX): a page but the last may
// end up to footGap of its text block empty.
func TypesettingOf(t testing.TB, pdf string, r *report.Report, footGap float64) (title, agency []string) {
	t.Helper()
	return typesetting(t, pdf, r, footGap, false)
}

// typesetting runs the checks; with rules, also the counts' room from
// their cells' rules: a check of our layout, where the DOCX leaves the
// cells' margins to Word's or LibreOffice's own.
func typesetting(t testing.TB, pdf string, r *report.Report, footGap float64, rules bool) (title, agency []string) {
	f := r.Format
	t.Helper()
	name := filepath.Base(pdf)
	words := Words(t, pdf)
	rows := Rows(words)
	if len(rows) == 0 {
		t.Fatalf("%s: no text", name)
	}
	pages := rows[len(rows)-1].Page
	// A draft's mark (草稿, in the 天头 of every page) is not the report's
	// text: the checks read the pages without it.
	kept := rows[:0]
	for i, row := range rows {
		if Squash(row.Text) == DraftMark && (i == 0 || rows[i-1].Page != row.Page) {
			continue
		}
		kept = append(kept, row)
	}
	rows = kept

	// The title: the first rows of page 1 that make it.
	acc := ""
	for _, row := range rows {
		if row.Page != 1 || len(acc) >= len(Squash(r.Title)) {
			break
		}
		acc += Squash(row.Text)
		title = append(title, Squash(row.Text))
	}
	if acc != Squash(r.Title) {
		t.Errorf("%s: the first lines %q are not the title %q", name, title, r.Title)
	} else {
		checkBreaks(t, name, "title", title)
	}

	// The signature: the date's row on the last page, and above it the
	// rows that make the agency, right-aligned, with text above them.
	date := r.Signature.Date.Chinese()
	di := -1
	for i := len(rows) - 1; i >= 0; i-- {
		if Squash(rows[i].Text) == date {
			di = i
			break
		}
	}
	if di < 0 {
		t.Errorf("%s: no row holds the date %s", name, date)
	} else {
		want := Squash(r.Signature.Agency)
		acc := ""
		i := di - 1
		for ; i >= 0 && len(acc) < len(want); i-- {
			acc = Squash(rows[i].Text) + acc
			agency = append([]string{Squash(rows[i].Text)}, agency...)
		}
		switch {
		case acc != want:
			t.Errorf("%s: the rows above the date %q are not the agency %q", name, agency, want)
		default:
			checkBreaks(t, name, "signature", agency)
			first := rows[i+1]
			for _, row := range rows[i+1 : di] {
				if abs(row.XMax-first.XMax) > 2 {
					t.Errorf("%s: the signature's lines are not right-aligned: %q", name, agency)
					break
				}
				if row.Page != rows[di].Page {
					t.Errorf("%s: the signature is split across pages", name)
				}
			}
			if i < 0 || rows[i].Page != rows[di].Page || PageNumber.MatchString(rows[i].Text) {
				t.Errorf("%s: the signature stands on a page without text above it", name)
			}
		}
	}

	// Every count is one word.
	have := map[string]int{}
	for _, w := range words {
		have[w.Text]++
	}
	want := map[string]int{}
	for _, tb := range f.Tables {
		for _, row := range tb.Rows {
			for _, c := range row.Cells {
				if !c.IsData() {
					continue
				}
				v, ok := r.Cell(c.Bind)
				if ok && utf8.RuneCountInString(v.Text) >= 2 {
					want[v.Text]++
				}
			}
		}
	}
	for v, n := range want {
		if have[v] < n {
			t.Errorf("%s: the count %s is printed whole %d times, the tables hold it %d times (it wraps in a cell)", name, v, have[v], n)
		}
	}

	// Table labels: no last line of one character, no break inside a
	// word where the words fit.
	checkCells(t, name, words, f)
	gs := Glyphs(t, pdf)
	checkSqueeze(t, name, rows, gs)
	if rules {
		checkCountRoom(t, name, words, gs, Rules(t, pdf))
	}

	// No paragraph ends on a line of one character: a body-size row at
	// the left margin holding one character (closing marks aside).
	for _, row := range rows {
		h := row.YMax - row.YMin
		if h < 14 || h > 20 || abs(row.XMin-bodyLeft) > 1.5 || row.YMin > bodyTop+bodyHeight {
			continue
		}
		n := 0
		for _, c := range row.Text {
			if !strings.ContainsRune("，。、；：？！）》」』】〕…”’,.;:?!)", c) {
				n++
			}
		}
		if n <= 1 {
			t.Errorf("%s page %d: a paragraph ends on a line of one character: %q", name, row.Page, row.Text)
		}
	}

	// No page but the last ends more than a fifth empty, or on a heading
	// or a note without what follows it; no justified line is loose.
	checkFootGaps(t, name, rows, pages, footGap, Landscape(t, pdf))
	checkKeeps(t, name, rows, r, pages)
	checkLoose(t, name, rows, gs)
	return title, agency
}

// String is for logs.
func (r Row) String() string { return fmt.Sprintf("p%d %.0f,%.0f %q", r.Page, r.XMin, r.YMin, r.Text) }
