package docx

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render/pdf"
)

// maxLineDiff is the share of body lines that LibreOffice may break
// otherwise than our PDF in the embed-mode DOCX (TestLibreOfficePages),
// for all reports and for any one. The goal is 5 % (issue 23); measured
// are 49.9 % of 653 lines, 23–59 % a report: our PDF breaks whole
// paragraphs at once and squeezes punctuation, LibreOffice fills each line
// in turn, condenses every character by the same 0.3 pt and adds 3.2 pt
// between Chinese and digits. The bounds keep the breaks from drifting
// further until the breakers agree.
const (
	maxLineDiff       = 0.52
	maxLineDiffReport = 0.62
)

// TestLibreOfficePages converts every test report's DOCX, in both font
// modes, with LibreOffice (one call a mode), and checks what a clerk who
// opens it sees against our PDF of the same layout:
//   - as many pages as our PDF (in official mode, where LibreOffice sets
//     the official fonts' substitutes, within one);
//   - on pages that are ours, every label the layout printed again on a
//     continuation page (三、本年度办理结果 of 表三) is on each page
//     LibreOffice continues the table on;
//   - no count wraps: every count of the tables is one word of its PDF;
//   - in embed mode, the share of body lines LibreOffice breaks otherwise
//     than our PDF is at most maxLineDiff.
func TestLibreOfficePages(t *testing.T) {
	pdfcheck.Need(t, "soffice")
	pdfcheck.Need(t, "pdftotext")
	set := defaultSet(t)
	type job struct {
		b    built
		mode FontMode
		laid *layout.Composed
		ours string
	}
	dir := t.TempDir()
	var jobs []job
	var paths []string
	for _, file := range pdfcheck.ValidReports(t, root) {
		r, doc := buildDoc(t, file)
		laid, err := layout.Compose(context.Background(), doc, set, layout.DefaultStyle())
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		var pb bytes.Buffer
		if err := pdf.Render(context.Background(), &pb, laid.Pages, doc); err != nil {
			t.Fatal(err)
		}
		ours := filepath.Join(dir, name+".pdf")
		if err := os.WriteFile(ours, pb.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, mode := range []FontMode{FontsEmbed, FontsOfficial} {
			b := built{name: name + "-" + string(mode), report: r, doc: doc}
			var buf bytes.Buffer
			if err := Render(context.Background(), &buf, doc, set, Options{Fonts: mode, Layout: laid}); err != nil {
				t.Fatal(err)
			}
			b.docx = buf.Bytes()
			p := filepath.Join(dir, b.name+".docx")
			if err := os.WriteFile(p, b.docx, 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
			jobs = append(jobs, job{b, mode, laid, ours})
		}
	}
	// One LibreOffice for each mode: a session keeps the fonts the files
	// it opened embedded, and would set an official-mode file's missing
	// fonts in another report's subsets.
	outDir := filepath.Join(dir, "lo")
	for m, mode := range []FontMode{FontsEmbed, FontsOfficial} {
		var these []string
		for i, j := range jobs {
			if j.mode == mode {
				these = append(these, paths[i])
			}
		}
		pdfcheck.Tool(t, "soffice", append([]string{"-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(dir, fmt.Sprint("profile", m))),
			"--headless", "--convert-to", "pdf", "--outdir", outDir}, these...)...)
	}
	var lines, differ int
	for _, j := range jobs {
		t.Run(j.b.name, func(t *testing.T) {
			lo := filepath.Join(outDir, j.b.name+".pdf")
			loPages := pageTexts(t, lo)
			checkCounts(t, j.b.doc, j.laid, j.mode, lo)
			// With the PDF's faces embedded LibreOffice sets the pages
			// ours are; with substitutes for the official fonts the body
			// text breaks otherwise and may gain a page, and a table
			// breaks elsewhere than the layout restarted its labels.
			n := len(j.laid.Pages)
			switch {
			case len(loPages) == n:
				if j.mode == FontsEmbed && knownPageDiff[j.b.name] != "" {
					t.Errorf("LibreOffice now sets the %d pages ours are: take %s out of knownPageDiff", n, j.b.name)
				}
				checkContinued(t, j.b.doc, j.laid, loPages, knownBreakDiff[strings.TrimSuffix(strings.TrimSuffix(j.b.name, "-embed"), "-official")])
			case j.mode == FontsEmbed && knownPageDiff[j.b.name] != "" && len(loPages) == n+1:
				t.Logf("LibreOffice sets %d pages, our PDF %d: known, %s", len(loPages), n, knownPageDiff[j.b.name])
			case j.mode == FontsEmbed:
				t.Errorf("LibreOffice sets %d pages, our PDF %d", len(loPages), n)
			case len(loPages) < n-1 || len(loPages) > n+1:
				t.Errorf("LibreOffice sets %d pages with substitute fonts, our PDF %d", len(loPages), n)
			default:
				t.Logf("with substitute fonts LibreOffice sets %d pages, our PDF %d: continued labels not checked", len(loPages), n)
			}
			n, d := lineDiff(t, j.b.doc, j.ours, lo)
			t.Logf("%d pages; body lines broken otherwise than our PDF: %d of %d (%.1f %%)", len(loPages), d, n, 100*float64(d)/float64(max(n, 1)))
			if j.mode == FontsEmbed {
				lines += n
				differ += d
				if n == 0 || float64(d) > maxLineDiffReport*float64(n) {
					t.Errorf("LibreOffice breaks %d of %d body lines otherwise than our PDF (%.1f %%, at most %.0f %%)", d, n, 100*float64(d)/float64(max(n, 1)), 100*maxLineDiffReport)
				}
			}
		})
	}
	t.Logf("embed mode: %d of %d body lines broken otherwise than our PDF (%.1f %%)", differ, lines, 100*float64(differ)/float64(max(lines, 1)))
	if lines == 0 || float64(differ) > maxLineDiff*float64(lines) {
		t.Errorf("embed mode: LibreOffice breaks %d of %d body lines otherwise than our PDF (at most %.0f %%)", differ, lines, 100*maxLineDiff)
	}
}

// pageTexts is each page's text as pdftotext gives it, white space
// dropped.
func pageTexts(t *testing.T, file string) []string {
	t.Helper()
	pages := strings.Split(pdfcheck.Tool(t, "pdftotext", "-raw", "-enc", "UTF-8", file, "-"), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	for i, p := range pages {
		pages[i] = pdfcheck.Squash(p)
	}
	return pages
}

// checkContinued checks that each label the layout cut (a cell spanning a
// row the layout starts a continuation page with) is on every page after
// the first that holds its table's rows in LibreOffice's PDF. A table's
// rows are found by its body labels found in no other table.
//
// known says why LibreOffice is known to break a table elsewhere than the
// layout (knownBreakDiff): a continuation page without the first column's
// label is then logged, and a table set right fails until known is taken
// out.
func checkContinued(t *testing.T, doc *layout.Document, laid *layout.Composed, pages []string, known string) {
	t.Helper()
	missed := false
	defer func() {
		if known != "" && !missed {
			t.Errorf("LibreOffice now continues the tables with their labels: take this report out of knownBreakDiff")
		}
	}()
	seen := map[string]int{}
	var tables []*layout.Table
	for _, b := range doc.Blocks {
		if tb, ok := b.(*layout.Table); ok {
			tables = append(tables, tb)
			for _, c := range tb.Cells {
				seen[pdfcheck.Squash(c.Text)]++
			}
		}
	}
	for _, tb := range tables {
		ts := laid.Tables[tb]
		// The labels a split cuts. Those of the first column (三、本年度办理结果)
		// span the table's whole body and must be on every continuation
		// page. A nested one (（三）不予公开) is on it only where LibreOffice
		// breaks at the layout's row: since the layout breaks a group between
		// its rows rather than leave a fifth of a page empty (issue 22),
		// LibreOffice, whose body lines differ (see lineDiff), may break a
		// few rows later, and the restarted label stands mid-page; that is
		// logged, not failed, until the DOCX breaks where the layout did
		// (issue 23).
		var cut []string
		nested := map[string]bool{}
		for _, c := range tb.Cells {
			for _, s := range ts.Splits {
				if c.Row >= tb.HeaderRows && c.Row < s && s < c.Row+c.RowSpan {
					cut = append(cut, pdfcheck.Squash(c.Text))
					nested[pdfcheck.Squash(c.Text)] = c.Col > 0
					break
				}
			}
		}
		if len(cut) == 0 {
			continue
		}
		var rows []string // labels of body rows unique to the table
		for _, c := range tb.Cells {
			if s := pdfcheck.Squash(c.Text); c.Row >= tb.HeaderRows && c.Kind != layout.CellData && utf8.RuneCountInString(s) >= 6 && seen[s] == 1 {
				rows = append(rows, s)
			}
		}
		var on []int
		for i, p := range pages {
			for _, r := range rows {
				if strings.Contains(p, r) {
					on = append(on, i)
					break
				}
			}
		}
		if len(on) < 2 {
			t.Errorf("%s: the layout breaks it, LibreOffice sets its rows on pages %v", tb.Name, on)
			continue
		}
		for _, p := range on[1:] {
			for _, label := range cut {
				switch {
				case strings.Contains(pages[p], label):
				case nested[label]:
					t.Logf("%s: page %d continues the table without the nested label %s (LibreOffice broke elsewhere than the layout)", tb.Name, p+1, label)
				case known != "":
					missed = true
					t.Logf("%s: page %d continues the table without the label %s: known, %s", tb.Name, p+1, label, known)
				default:
					t.Errorf("%s: page %d continues the table without the label %s", tb.Name, p+1, label)
				}
			}
		}
	}
}

// word is a run of digits that pdftotext -bbox gives as one word.
var bboxWord = regexp.MustCompile(`<word [^>]*>([^<]*)</word>`)

// checkCounts checks that every count of the tables (of two digits or
// more) is a word of the PDF as often as the tables hold it: a count that
// wraps in its cell (2146|47) is two words. In official mode LibreOffice
// sets the counts in a substitute (DejaVu Sans, 27 % wider digits than
// the PDF's), which only the tables the layout gave room for it hold (its
// CountDigit): the others are checked in embed mode alone, and logged.
func checkCounts(t *testing.T, doc *layout.Document, laid *layout.Composed, mode FontMode, file string) {
	t.Helper()
	words := map[string]int{}
	for _, m := range bboxWord.FindAllStringSubmatch(pdfcheck.Tool(t, "pdftotext", "-bbox", file, "-"), -1) {
		words[m[1]]++
	}
	want := map[string]int{}
	for _, b := range doc.Blocks {
		if tb, ok := b.(*layout.Table); ok {
			if d := laid.Tables[tb].CountDigit; mode == FontsOfficial && d < layout.DefaultStyle().CountDigit {
				t.Logf("%s: its columns have no room for substitute digits at the size its counts fit (CountDigit %v): not checked in official mode", tb.Name, d)
				continue
			}
			for _, c := range tb.Cells {
				if c.Kind == layout.CellData && len(c.Text) >= 2 {
					want[c.Text]++
				}
			}
		}
	}
	var wrapped []string
	for v, n := range want {
		if words[v] < n {
			wrapped = append(wrapped, fmt.Sprintf("%s (%d of %d whole)", v, words[v], n))
		}
	}
	if len(wrapped) > 0 {
		t.Errorf("counts wrapped in their cells: %v", wrapped)
	}
}

// lineDiff finds the lines of every body paragraph in two PDFs and returns
// how many lines the first has and how many of them the second does not
// break at the same two places.
func lineDiff(t *testing.T, doc *layout.Document, ours, theirs string) (n, differ int) {
	t.Helper()
	var paras []string
	for _, b := range doc.Blocks {
		if p, ok := b.(*layout.Paragraph); ok {
			var s strings.Builder
			for _, r := range p.Runs {
				s.WriteString(r.Text)
			}
			paras = append(paras, pdfcheck.Squash(s.String()))
		}
	}
	a, b := paraLines(t, paras, ours), paraLines(t, paras, theirs)
	for i, segs := range a {
		other := map[[2]int]bool{}
		for _, s := range b[i] {
			other[s] = true
		}
		for _, s := range segs {
			n++
			if !other[s] {
				differ++
			}
		}
	}
	return n, differ
}

// paraLines returns, for each paragraph, its lines in a PDF as the
// [start, end) byte offsets of their text in the paragraph's.
func paraLines(t *testing.T, paras []string, file string) [][][2]int {
	t.Helper()
	var lines []string
	for _, l := range pdfcheck.Lines(t, file) {
		if s := pdfcheck.Squash(l.Text); s != "" {
			lines = append(lines, s)
		}
	}
	out := make([][][2]int, len(paras))
	at := 0
	for i, p := range paras {
		// The paragraph's first line is the next line it starts with.
		j := at
		for j < len(lines) && !(strings.HasPrefix(p, lines[j]) && (len(lines[j]) >= 9 || len(lines[j]) == len(p))) {
			j++
		}
		if j == len(lines) {
			continue
		}
		off := 0
		for ; j < len(lines) && off < len(p); j++ {
			if !strings.HasPrefix(p[off:], lines[j]) {
				continue // a table row, a heading or a page number between
			}
			out[i] = append(out[i], [2]int{off, off + len(lines[j])})
			off += len(lines[j])
		}
		at = j
	}
	return out
}

// TestSpaceAfterTables: the block after a table starts where the PDF
// starts it, on the next grid line: its space before is the rest of the
// line the table ends in (TableSet.After, less the two outer rules
// LibreOffice sets inside the table), never a heading on the table's rule.
func TestSpaceAfterTables(t *testing.T) {
	set := defaultSet(t)
	seen := 0
	for _, b := range buildAll(t) {
		laid, err := layout.Compose(context.Background(), b.doc, set, layout.DefaultStyle())
		if err != nil {
			t.Fatal(err)
		}
		doc := string(parts(t, renderDOCX(t, b.doc, Options{Layout: laid}))["word/document.xml"])
		after := regexp.MustCompile(`</w:tbl><w:p><w:pPr>(?:<w:pStyle w:val="[^"]+"/>)?(?:<w:keepNext/>)?(?:<w:spacing w:before="(\d+)"/>)?`).FindAllStringSubmatch(doc, -1)
		var tables []*layout.Table
		for i, bl := range b.doc.Blocks {
			if tb, ok := bl.(*layout.Table); ok && i+1 < len(b.doc.Blocks) {
				tables = append(tables, tb)
			}
		}
		if len(after) != len(tables) {
			t.Fatalf("%s: %d tables followed by a paragraph with properties, want %d", b.name, len(after), len(tables))
		}
		pitch := layout.DefaultStyle().LinePitch()
		for i, tb := range tables {
			a := laid.Tables[tb].After
			if a < 0 || a >= pitch {
				t.Errorf("%s %s: After %.2f pt, not within a line", b.name, tb.Name, a)
			}
			want := max(int(math.Round(a*20))-(2*4*20+7)/8, 0)
			if turns(b.doc, laid, tb) {
				want = 0 // a section break: the next block starts a page
			}
			var got int
			fmt.Sscan(after[i][1], &got)
			if got != want {
				t.Errorf("%s %s: space before the next block %d twips, want %d (After %.2f pt)", b.name, tb.Name, got, want, a)
			}
			if got > 0 {
				seen++
			}
		}
	}
	if seen == 0 {
		t.Error("no block after a table has space before it")
	}
}

// knownPageDiff names the embed-mode reports LibreOffice sets on one page
// more than our PDF, and why; issue 23 is open for them. A report that
// comes right fails until it is taken out.
var knownPageDiff = map[string]string{
	"latin-preamble-2024-embed": "表三 starts on page 5 after its note's last two lines in the PDF; " +
		"LibreOffice's rows of 表三 break two rows earlier, so 表四 moves to page 7 and the rest follows a page later",
	"xicheng-district-2024-embed": "LibreOffice's page 3 holds only the first row of 表三, the PDF's several " +
		"(its body lines above break otherwise), so 表三 ends on page 5 and 表四's landscape page is page 6 (issue 22)",
}

// knownBreakDiff names the reports whose 表三 LibreOffice breaks at another
// row than the layout, so that a continuation page lacks 三、本年度办理结果
// (the DOCX restarts a label only where the layout split its rows), and
// why; issue 23 is open for them.
var knownBreakDiff = map[string]string{
	"horgos-2024": "LibreOffice's page 3 ends before （三）不予公开, the PDF's inside it (its body lines above " +
		"break otherwise), and with 表四 on a landscape page of its own the rest of 表三 spreads over pages 4 and 5 " +
		"otherwise than the layout's (issue 22)",
}

// turns reports whether the page turns after table tb (issue 22): it is
// set landscape, or the next table, close after it, is.
func turns(doc *layout.Document, laid *layout.Composed, tb *layout.Table) bool {
	if laid.Tables[tb].Landscape {
		return true
	}
	for i, bl := range doc.Blocks {
		if bl != layout.Block(tb) {
			continue
		}
		for _, next := range doc.Blocks[i+1 : min(i+4, len(doc.Blocks))] {
			if nt, ok := next.(*layout.Table); ok {
				return laid.Tables[nt].Landscape
			}
		}
	}
	return false
}
