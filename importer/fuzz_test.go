package importer

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/govreport/govreport/importer/docx"
	"github.com/govreport/govreport/importer/flow"
	"github.com/govreport/govreport/importer/html"
)

// seeds adds the fixtures of testdata to a fuzz target's corpus.
func seeds(f *testing.F, pattern string) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds %s: %v", pattern, err)
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// FuzzHTML: any bytes give a Doc or an error, within a second, and the
// Doc maps without a panic.
func FuzzHTML(f *testing.F) {
	seeds(f, "*.html")
	f.Add([]byte("<table><tr><td rowspan=0 colspan=99999>1</td></tr></table>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		doc, err := html.Read(ctx, data)
		if err != nil {
			return
		}
		if _, err := Map(doc, Options{}); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzDOCX: any bytes give a Doc or an error.
func FuzzDOCX(f *testing.F) {
	seeds(f, "*.docx")
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		doc, err := docx.Read(ctx, data)
		if err != nil {
			return
		}
		if _, err := Map(doc, Options{}); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzDocumentXML fuzzes the DOCX reader's XML, the part a zip's checks
// do not guard, inside a valid zip.
func FuzzDocumentXML(f *testing.F) {
	f.Add([]byte(`<w:document xmlns:w="w"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/><w:gridSpan w:val="3"/></w:tcPr><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr></w:tc></w:tr></w:tbl></w:body></w:document>`))
	f.Fuzz(func(t *testing.T, xml []byte) {
		data := zipOf(t, map[string][]byte{"word/document.xml": xml})
		doc, err := docx.Read(context.Background(), data)
		if err != nil {
			return
		}
		if _, err := Map(doc, Options{}); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzMap maps Docs made of fuzzed texts in a fuzzed grid.
func FuzzMap(f *testing.F) {
	f.Add("一、总体情况", "（一）主动公开。全年公开1条。", "三、收到和处理政府信息公开申请情况", "（六）其他处理", "3件", 3, 2, 1, 2)
	f.Add("二．主动公开政府信息情况", "规章", "/", "—", "", 1, 4, 0, 1)
	f.Fuzz(func(t *testing.T, a, b, c, d, e string, rows, cols, cs, rs int) {
		rows, cols = min(max(rows, 0), 40), min(max(cols, 0), 20)
		texts := []string{a, b, c, d, e}
		tbl := &flow.Table{}
		for i := 0; i < rows; i++ {
			var r flow.Row
			for j := 0; j < cols; j++ {
				r.Cells = append(r.Cells, flow.Cell{Text: texts[(i+j)%5], Col: j + cs%3, ColSpan: 1 + cs%4, RowSpan: 1 + rs%5})
			}
			tbl.Rows = append(tbl.Rows, r)
		}
		doc := &flow.Doc{Kind: "html"}
		for _, s := range []string{a + "2024年工作年度报告", "一、总体情况", b, "二、主动公开政府信息情况"} {
			doc.Blocks = append(doc.Blocks, flow.Block{Para: &flow.Para{Text: s}})
		}
		doc.Blocks = append(doc.Blocks, flow.Block{Table: tbl}, flow.Block{Para: &flow.Para{Text: c}}, flow.Block{Table: tbl},
			flow.Block{Para: &flow.Para{Text: d}}, flow.Block{Para: &flow.Para{Text: e + "2025年1月20日"}})
		if _, err := Map(doc, Options{}); err != nil {
			t.Fatal(err)
		}
	})
}
