// Package pdfcheck reads PDFs the way users' tools do — poppler's
// pdftotext and pdfinfo — for the tests of every renderer whose output ends
// as a PDF: ours, and LibreOffice's rendering of our DOCX. It exists so the
// two sets of checks are one.
package pdfcheck

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/govreport/govreport/report"
)

// installs says how to get each tool; scripts/test.sh installs them all.
var installs = map[string]string{
	"pdftotext":  "apt-get install -y --no-install-recommends poppler-utils",
	"pdfinfo":    "apt-get install -y --no-install-recommends poppler-utils",
	"pdffonts":   "apt-get install -y --no-install-recommends poppler-utils",
	"pdftoppm":   "apt-get install -y --no-install-recommends poppler-utils",
	"pdftocairo": "apt-get install -y --no-install-recommends poppler-utils",
	"qpdf":       "apt-get install -y --no-install-recommends qpdf",
	"soffice":    "apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk fonts-liberation2",
	"fc-match":   "apt-get install -y --no-install-recommends fontconfig",
	"node":       "apt-get install -y --no-install-recommends nodejs npm",
}

// Need fails the test if a tool is missing, with the command that
// installs it: the tests that see our output as users do never skip.
func Need(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed; run: %s (scripts/test.sh installs it)", name, installs[name])
	}
	return p
}

// toolTimeout bounds every tool run, so a hung tool fails its test
// instead of stalling the run.
const toolTimeout = 2 * time.Minute

// Tool runs a tool and returns its output, failing the test on an error.
func Tool(t testing.TB, name string, args ...string) string {
	t.Helper()
	Need(t, name)
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

var pdfcpuConfig = sync.OnceValue(func() *model.Configuration {
	model.ConfigPath = "disable" // no config file written to the user's directory
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationStrict
	return conf
})

// Strict validates a PDF with pdfcpu in strict mode (ISO 32000-1 without the
// allowances its relaxed mode makes for common faults). pdfcpu is a test-only
// dependency: only tests import this package.
func Strict(t testing.TB, pdf []byte) {
	t.Helper()
	conf := *pdfcpuConfig()
	if err := api.Validate(bytes.NewReader(pdf), &conf); err != nil {
		t.Errorf("pdfcpu validate (strict): %v", err)
	}
}

// ValidReports lists the valid reports of testdata/reports below root.
func ValidReports(t testing.TB, root string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(root, "testdata/reports/*.json"))
	var out []string
	for _, f := range files {
		if !strings.HasPrefix(filepath.Base(f), "invalid-") {
			out = append(out, f)
		}
	}
	if len(out) < 4 {
		t.Fatalf("only %d valid reports", len(out))
	}
	return out
}

// PageCount is the page count pdfinfo reports.
func PageCount(t testing.TB, pdf string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(Tool(t, "pdfinfo", pdf))
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count", pdf)
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}

// WantText is the text every rendering of a report must show: paragraphs,
// （一） headings, table notes, section headings, the tables' labels, the
// title, the agency and the date.
func WantText(r *report.Report) []string {
	f := r.Format
	var want []string
	var blocks []report.Block
	if f.Preamble != "" {
		blocks = r.Section(f.Preamble)
	}
	for _, s := range f.Sections {
		want = append(want, s.Heading)
		if s.Blocks != "" {
			blocks = append(blocks, r.Section(s.Blocks)...)
		}
		if s.Notes != "" {
			blocks = append(blocks, r.Blocks(s.Notes)...)
		}
	}
	for _, b := range blocks {
		if b.Heading != "" {
			want = append(want, b.Heading)
		}
		want = append(want, b.Paragraphs...)
	}
	for _, tb := range f.Tables {
		for _, row := range tb.Rows {
			for _, c := range row.Cells {
				if !c.IsData() {
					want = append(want, c.Text)
				}
			}
		}
	}
	return append(want, r.Title, r.Signature.Agency, r.Signature.Date.Chinese())
}

// CheckText fails the test for every wanted string that pdftotext -raw
// does not give back (white space and page numbers aside).
func CheckText(t testing.TB, pdf string, want []string) {
	t.Helper()
	text := Squash(Tool(t, "pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"))
	for _, w := range want {
		if !strings.Contains(text, Squash(w)) {
			t.Errorf("%s: pdftotext lacks %q", filepath.Base(pdf), w)
		}
	}
}

// PageNumber matches a page number — N — as pdftotext gives it.
var PageNumber = regexp.MustCompile(`—\s*\d+\s*—`)

// Squash drops white space and the page numbers a paragraph may straddle.
func Squash(s string) string {
	s = PageNumber.ReplaceAllString(s, "")
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// Line is one line of text as pdftotext -bbox-layout finds it, in points.
type Line struct {
	Page                   int // from 1
	XMin, YMin, XMax, YMax float64
	Text                   string
}

// Lines reads every line of a PDF with its position.
func Lines(t testing.TB, pdf string) []Line {
	t.Helper()
	var out []Line
	for i, pg := range bboxLayout(t, pdf) {
		for _, l := range pg.Lines {
			var text strings.Builder
			for _, w := range l.Words {
				text.WriteString(w.Text)
			}
			out = append(out, Line{Page: i + 1, XMin: l.XMin, YMin: l.YMin, XMax: l.XMax, YMax: l.YMax, Text: text.String()})
		}
	}
	return out
}

// bboxBox is a line's or a word's box in pdftotext -bbox-layout's XML.
type bboxBox struct {
	XMin float64 `xml:"xMin,attr"`
	YMin float64 `xml:"yMin,attr"`
	XMax float64 `xml:"xMax,attr"`
	YMax float64 `xml:"yMax,attr"`
}

type bboxPage struct {
	Width  float64 `xml:"width,attr"`
	Height float64 `xml:"height,attr"`
	Lines  []struct {
		bboxBox
		Words []struct {
			bboxBox
			Text string `xml:",chardata"`
		} `xml:"word"`
	} `xml:"flow>block>line"`
}

// bboxLayout reads the pages of pdftotext -bbox-layout's XML: lines, and
// the words in them, with their boxes.
func bboxLayout(t testing.TB, pdf string) []bboxPage {
	t.Helper()
	var doc struct {
		Pages []bboxPage `xml:"body>doc>page"`
	}
	dec := xml.NewDecoder(strings.NewReader(Tool(t, "pdftotext", "-bbox-layout", pdf, "-")))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%s: bbox XML: %v", pdf, err)
	}
	return doc.Pages
}

// HeaderOnEveryPage checks that every page holding rows of table 三 holds
// its header rows too, and returns how many pages hold its rows.
func HeaderOnEveryPage(t testing.TB, pdf string) int {
	t.Helper()
	pages := strings.Split(Tool(t, "pdftotext", "-raw", pdf, "-"), "\f")
	rows := []string{"一、本年新收政府信息公开申请数量", "1.属于国家秘密", "1.本机关不掌握相关政府信息", "1.信访举报投诉类申请", "3.其他", "（七）总计", "四、结转下年度继续办理"}
	withRows := 0
	for i, p := range pages {
		p = Squash(p)
		if !slices.ContainsFunc(rows, func(r string) bool { return strings.Contains(p, r) }) {
			continue
		}
		withRows++
		for _, h := range []string{"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "法人或其他组织", "商业企业", "社会公益组织", "法律服务机构"} {
			if !strings.Contains(p, h) {
				t.Errorf("%s page %d has rows of table 三 but not the header %q", filepath.Base(pdf), i+1, h)
			}
		}
	}
	return withRows
}

// Landscape says which pages of a PDF are wider than tall (from 1): the
// pages of a table set landscape (GB/T 9704 §10.2, issue 22).
func Landscape(t testing.TB, pdf string) map[int]bool {
	t.Helper()
	out := map[int]bool{}
	for i, pg := range bboxLayout(t, pdf) {
		if pg.Width > pg.Height {
			out[i+1] = true
		}
	}
	return out
}

// Assemble writes objects 1… (their dictionaries and streams, as text)
// into a PDF with a classic xref table, object 1 the catalog: the
// hand-made files of the readers' tests.
func Assemble(objs []string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}
