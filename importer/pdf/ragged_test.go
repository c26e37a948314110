package pdf

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// cjkLine is a line of a hand-made CJK page: where it starts and its text.
type cjkLine struct {
	page    int
	x, y    float64
	text    string
	rules   string // ruling lines drawn on the page with the line
	fontPts float64
}

// cjkPDF makes a PDF of lines set in a Type0 font whose every glyph is an
// em wide, its ToUnicode mapping the codes to the lines' characters.
func cjkPDF(lines []cjkLine) []byte {
	codes := map[rune]int{}
	var order []rune
	pages := 0
	for _, l := range lines {
		pages = max(pages, l.page)
		for _, r := range l.text {
			if _, ok := codes[r]; !ok {
				order = append(order, r)
				codes[r] = len(order)
			}
		}
	}
	var tu strings.Builder
	fmt.Fprintf(&tu, "begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange\n%d beginbfchar\n", len(order))
	for i, r := range order {
		fmt.Fprintf(&tu, "<%04X> <%04X>\n", i+1, r)
	}
	tu.WriteString("endbfchar endcmap")
	contents := make([]strings.Builder, pages)
	for _, l := range lines {
		c := &contents[l.page-1]
		c.WriteString(l.rules)
		if l.text == "" {
			continue
		}
		size := l.fontPts
		if size == 0 {
			size = 16
		}
		fmt.Fprintf(c, "BT /F1 %g Tf %g %g Td <", size, l.x, l.y)
		for _, r := range l.text {
			fmt.Fprintf(c, "%04X", codes[r])
		}
		c.WriteString("> Tj ET\n")
	}
	kids := make([]string, pages)
	for i := range kids {
		kids[i] = fmt.Sprintf("%d 0 R", 7+2*i)
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> >>", strings.Join(kids, " "), pages),
		"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", tu.Len(), tu.String()),
		"<< >>", // unused
	}
	for i := range contents {
		objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /Contents %d 0 R >>", 8+2*i),
			fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", contents[i].Len(), contents[i].String()))
	}
	return assemble(objs)
}

// TestRagged reads a page set as python-docx's documents are, left
// aligned and ragged: paragraphs told apart by their first-line indent
// and by a last line the next word would have fitted after, the text
// block's edges measured on its widest lines although most lines start
// at the indent; a title at the body's size wrapped over two centred
// lines; a line that cannot start with "，" taking the character before
// it along; a heading number after a short line.
func TestRagged(t *testing.T) {
	n := func(k int) string { return strings.Repeat("文", k) }
	d, err := Read(context.Background(), cjkPDF([]cjkLine{
		{page: 1, x: 90, y: 780, text: "某某局" + n(20) + "年度报"}, // 26 em: the block's width
		{page: 1, x: 290, y: 760, text: "告"},
		// indented, full; then ragged: 25 em, the next line's "止。"
		// would not have fitted
		{page: 1, x: 122, y: 730, text: "本" + n(23)},
		{page: 1, x: 90, y: 710, text: "数" + n(24)},
		{page: 1, x: 90, y: 690, text: "止。"},
		{page: 1, x: 122, y: 670, text: "短段落。"},
		{page: 1, x: 122, y: 650, text: "又一段" + n(21)},
		{page: 1, x: 90, y: 630, text: "左边短行。"},
		{page: 1, x: 90, y: 610, text: "另起一段不缩进。"}, // "另" fitted after the line above
		{page: 1, x: 122, y: 590, text: "再一段" + n(19) + "，"},
		{page: 1, x: 90, y: 570, text: "（三）标题后的短行。"}, // 1 em short, yet a heading
		{page: 1, x: 122, y: 550, text: "末段" + n(22)},
		{page: 1, x: 90, y: 530, text: "（四）" + n(23)}, // a full line before: goes on
		{page: 1, x: 90, y: 510, text: "完。"},
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := "某某局" + n(20) + "年度报告\n" +
		"本" + n(23) + "数" + n(24) + "止。\n" +
		"短段落。\n" +
		"又一段" + n(21) + "左边短行。\n" +
		"另起一段不缩进。\n" +
		"再一段" + n(19) + "，\n" +
		"（三）标题后的短行。\n" +
		"末段" + n(22) + "（四）" + n(23) + "完。\n"
	if got := d.Text(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if p := d.Blocks[0].Para; p.Align != 2 {
		t.Errorf("title align %d, want centred", p.Align)
	}
}

// TestSplitRow reads a table whose row the writer split at a page break
// (Word and LibreOffice do unless a row is kept whole): the label that
// filled its cell's last line goes on at the top of the next page, in a
// row of its own with blank counts, and is joined back. A label that ended
// short is whole: the row after the next page break, blank too, stays a
// row.
func TestSplitRow(t *testing.T) {
	rules := func(hs ...float64) string {
		var b strings.Builder
		b.WriteString("0.5 w ")
		for _, y := range hs {
			fmt.Fprintf(&b, "100 %g m 250 %g l S ", y, y)
		}
		for _, x := range []float64{100, 150, 250} {
			fmt.Fprintf(&b, "%g %g m %g 700 l S ", x, hs[len(hs)-1], x)
		}
		return b.String()
	}
	cell := func(page int, x, y float64, text string) cjkLine {
		return cjkLine{page: page, x: x, y: y, text: text, fontPts: 10}
	}
	lines := []cjkLine{
		{page: 1, rules: rules(700, 680, 640)},
		cell(1, 105, 686, "项目"), cell(1, 155, 686, "数"),
		cell(1, 105, 666, "甲乙丙丁"), cell(1, 105, 654, "（一）予"), cell(1, 155, 666, "3"),
		{page: 2, rules: rules(700, 670, 640)},
		cell(2, 105, 688, "以公开"),
		cell(2, 105, 658, "不予"), cell(2, 155, 658, "1"),
		{page: 3, rules: rules(700, 670)},
		cell(3, 105, 688, "其他"),
	}
	d, err := Read(context.Background(), cjkPDF(lines))
	if err != nil {
		t.Fatal(err)
	}
	want := `T p1
  p1 [0+1x1 项目] [1+1x1 数]
  p1 [0+1x1 甲乙丙丁（一）予以公开] [1+1x1 3]
  p2 [0+1x1 不予] [1+1x1 1]
  p3 [0+1x1 其他] [1+1x1 ]
`
	if got := dumpDoc(d); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestCutRow reads a table whose header row a page break cut as
// Chromium cuts it: no rule at the cut, the vertical rules running on to
// the page's margin, and on the next page none above the rest of the
// row either. The narrow column's label, one character a line, runs on
// to the next page and is joined back (a vertical cell); the other
// labels of the row stay whole. Vertical rules that run past the last rule with no text
// between (page 2's foot) add no row.
func TestCutRow(t *testing.T) {
	d, err := Read(context.Background(), cutRowPDF())
	if err != nil {
		t.Fatal(err)
	}
	want := `T p1
  p1 [0+1x1 项目] [1+1x1 类] [2+1x1 数]
  p1 [0+1x1 商业企业] [1+1x1 V 科研机构] [2+1x1 ]
  p2 [0+1x1 新收] [1+1x1 1] [2+1x1 3]
`
	if got := dumpDoc(d); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// cutRowPDF is TestCutRow's table, a FuzzRead seed too.
func cutRowPDF() []byte {
	xs := []float64{100, 150, 166, 250}
	rules := func(hs []float64, top, bottom float64) string {
		var b strings.Builder
		b.WriteString("0.5 w ")
		for _, y := range hs {
			fmt.Fprintf(&b, "100 %g m 250 %g l S ", y, y)
		}
		for _, x := range xs {
			fmt.Fprintf(&b, "%g %g m %g %g l S ", x, top, x, bottom)
		}
		return b.String()
	}
	cell := func(page int, x, y float64, text string) cjkLine {
		return cjkLine{page: page, x: x, y: y, text: text, fontPts: 10}
	}
	lines := []cjkLine{
		{page: 1, rules: rules([]float64{700, 680}, 700, 620)},
		cell(1, 103, 686, "项目"), cell(1, 153, 686, "类"), cell(1, 169, 686, "数"),
		cell(1, 103, 666, "商业"), cell(1, 103, 654, "企业"), cell(1, 153, 666, "科"), cell(1, 153, 654, "研"),
		{page: 2, rules: rules([]float64{730, 700}, 760, 690)},
		cell(2, 153, 748, "机"), cell(2, 153, 736, "构"),
		cell(2, 103, 712, "新收"), cell(2, 153, 712, "1"), cell(2, 169, 712, "3"),
	}
	return cjkPDF(lines)
}

// TestSpacedParagraphs reads paragraphs set flush left without an indent,
// most of them one line, told apart only by the space between them: the
// leading is the step inside the paragraphs of two lines, not the more
// common step between paragraphs.
func TestSpacedParagraphs(t *testing.T) {
	n := func(k int) string { return strings.Repeat("文", k) }
	var ls []cjkLine
	y := 780.0
	var want strings.Builder
	for i := range 6 {
		full := fmt.Sprint(i) + n(25)
		ls = append(ls, cjkLine{page: 1, x: 90, y: y, text: full})
		want.WriteString(full)
		if i%3 == 0 {
			y -= 20
			ls = append(ls, cjkLine{page: 1, x: 90, y: y, text: full})
			want.WriteString(full)
		}
		want.WriteString("\n")
		y -= 32
	}
	d, err := Read(context.Background(), cjkPDF(ls))
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Text(); got != want.String() {
		t.Errorf("got\n%s\nwant\n%s", got, want.String())
	}
}

// TestHangingAndStretched reads two things Word and LibreOffice do to a
// justified paragraph: a line's last ，or 。 hung past the right margin
// (which must not move the text block's right edge, or the full lines
// that end at the margin look short and a paragraph ends before their
// next line's （二）), and a line stretched across the block because the
// next word, a URL, cannot break (its 「（」 at the left edge and the URL's
// first part at the right, far apart: one line, not two).
func TestHangingAndStretched(t *testing.T) {
	n := func(k int) string { return strings.Repeat("文", k) }
	d, err := Read(context.Background(), cjkPDF([]cjkLine{
		{page: 1, x: 122, y: 780, text: "甲" + n(23) + "，"}, // the comma hangs: 506–522
		{page: 1, x: 90, y: 760, text: n(26) + "。"},
		{page: 1, x: 90, y: 740, text: n(26)}, // full: ends at the margin, 506
		{page: 1, x: 90, y: 720, text: "（二）" + n(10) + "。"},
		{page: 1, x: 122, y: 690, text: "乙" + n(23)},
		{page: 1, x: 90, y: 670, text: "（"},
		{page: 1, x: 506 - 15*16, y: 670, text: "https://a.cn/b/"},
		{page: 1, x: 90, y: 650, text: "c.html）。"},
		{page: 1, x: 122, y: 620, text: "丙" + n(23)},
		{page: 1, x: 90, y: 600, text: "完。"},
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := "甲" + n(23) + "，" + n(26) + "。" + n(26) + "（二）" + n(10) + "。\n" +
		"乙" + n(23) + "（https://a.cn/b/c.html）。\n" +
		"丙" + n(23) + "完。\n"
	if got := d.Text(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
