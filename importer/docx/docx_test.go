package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"strings"
	"testing"
)

// docOf makes a .docx whose body is body (WordprocessingML paragraphs).
func docOf(t *testing.T, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	doc := `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`
	if _, err := w.Write([]byte(doc)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Paragraphs of the tests: a body paragraph indented 2 em, the start of
// one justified to its last line, and the rest of one (no indent).
const (
	ind  = `<w:ind w:firstLineChars="200"/>`
	cont = `<w:ind w:firstLine="0" w:firstLineChars="0"/>`
)

func p(pPr, text string) string {
	runs := strings.ReplaceAll(text, "|", `</w:t><w:br/><w:t xml:space="preserve">`)
	return `<w:p><w:pPr>` + pPr + `</w:pPr><w:r><w:t xml:space="preserve">` + runs + `</w:t></w:r></w:p>`
}

// TestLinesAndPages reads the layout's lines (w:br) and pages (a
// paragraph cut by a page break, as govreport's embed-mode DOCX and a
// document retyped from a printout have them) back into the paragraphs
// they are, and keeps apart what is not one paragraph.
func TestLinesAndPages(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want []string
	}{
		{"lines joined: CJK runs on", p(ind, "本报告根据|条例编制。"), []string{"本报告根据条例编制。"}},
		{"a space at a Latin break kept once", p(ind, "涉及Data |Catalog和JSON| Schema。"), []string{"涉及Data Catalog和JSON Schema。"}},
		{"a URL broken inside runs on", p(ind, "详见（http://www.linjiang.gov.|cn/zjj/）。"), []string{"详见（http://www.linjiang.gov.cn/zjj/）。"}},
		{"page break, distribute-justified part: joined",
			p(ind+`<w:jc w:val="distribute"/>`, "一是编制目录，明确时限；") + p(`<w:pageBreakBefore/>`+cont, "二是制定范本。"),
			[]string{"一是编制目录，明确时限；二是制定范本。"}},
		{"page break, unfinished sentence: joined",
			p(ind, "我局主动公开政府信息") + p(`<w:pageBreakBefore/>`+cont, "12863条。"),
			[]string{"我局主动公开政府信息12863条。"}},
		{"a page-break run in an empty paragraph: joined, the empty paragraph with it",
			p(ind, "我局主动公开政府信息") + `<w:p><w:r><w:br w:type="page"/></w:r></w:p>` + p(cont, "12863条。"),
			[]string{"我局主动公开政府信息12863条。"}},
		{"a page break after the text: joined",
			`<w:p><w:pPr>` + ind + `</w:pPr><w:r><w:t>我局主动公开</w:t><w:br w:type="page"/></w:r></w:p>` + p(cont, "信息。"),
			[]string{"我局主动公开信息。"}},
		{"a page break inside the text: apart",
			`<w:p><w:pPr>` + ind + `</w:pPr><w:r><w:t>我局主动</w:t><w:br w:type="page"/><w:t>公开</w:t></w:r></w:p>` + p(cont, "信息。"),
			[]string{"我局主动公开", "信息。"}},
		{"a section break: joined",
			`<w:p><w:pPr>` + ind + `<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/></w:sectPr></w:pPr><w:r><w:t>我局主动公开</w:t></w:r></w:p>` + p(cont, "信息。"),
			[]string{"我局主动公开信息。"}},
		{"a continuous section break: apart",
			`<w:p><w:pPr>` + ind + `<w:sectPr><w:type w:val="continuous"/></w:sectPr></w:pPr><w:r><w:t>我局主动公开</w:t></w:r></w:p>` + p(cont, "信息。"),
			[]string{"我局主动公开", "信息。"}},
		{"a Latin space at the page break kept",
			p(ind+`<w:jc w:val="distribute"/>`, "涉及Data ") + p(`<w:pageBreakBefore/>`+cont, "Catalog。"),
			[]string{"涉及Data Catalog。"}},
		{"sentence ended, not distributed: apart",
			p(ind, "全年未收取信息处理费。") + p(`<w:pageBreakBefore/>`+cont, "附件：目录"),
			[]string{"全年未收取信息处理费。", "附件：目录"}},
		{"no page break: apart",
			p(ind+`<w:jc w:val="distribute"/>`, "我局主动公开政府信息") + p(cont, "12863条。"),
			[]string{"我局主动公开政府信息", "12863条。"}},
		{"the next paragraph indented: apart",
			p(ind, "我局主动公开政府信息") + p(`<w:pageBreakBefore/>`+ind, "全年未收取。"),
			[]string{"我局主动公开政府信息", "全年未收取。"}},
		{"a heading (centred) is not continued",
			p(`<w:jc w:val="center"/>`, "一、总体情况") + p(`<w:pageBreakBefore/>`+cont, "全年未收取。"),
			[]string{"一、总体情况", "全年未收取。"}},
		{"an unindented document's line without a full stop: apart",
			p(cont, "一、总体情况") + p(`<w:pageBreakBefore/>`+cont, "全年未收取。"),
			[]string{"一、总体情况", "全年未收取。"}},
		{"a blank line between: apart",
			p(ind, "我局主动公开政府信息") + `<w:p/>` + p(`<w:pageBreakBefore/>`+cont, "12863条。"),
			[]string{"我局主动公开政府信息", "", "12863条。"}},
		{"three pages: one paragraph",
			p(ind+`<w:jc w:val="distribute"/>`, "第一页") + p(`<w:pageBreakBefore/>`+cont+`<w:jc w:val="distribute"/>`, "第二页。") + p(`<w:pageBreakBefore/>`+cont, "第三页。"),
			[]string{"第一页第二页。第三页。"}},
		{"a table ends the paragraph",
			p(ind, "我局主动公开政府信息") + `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>规章</w:t></w:r></w:p></w:tc></w:tr></w:tbl>` + p(`<w:pageBreakBefore/>`+cont, "12863条。"),
			[]string{"我局主动公开政府信息", "规章", "12863条。"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := Read(context.Background(), docOf(t, tc.body))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, b := range doc.Blocks {
				switch {
				case b.Para != nil:
					got = append(got, b.Para.Text)
				case b.Table != nil:
					got = append(got, b.Table.Rows[0].Cells[0].Text)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
