package importer

import (
	"math/rand"
	"testing"
	"time"

	"github.com/govreport/govreport/importer/flow"
)

// TestMapAnyGrid maps Docs whose tables no reader would make (negative
// columns, spans of 0, spans past the grid): never a panic, never slow.
func TestMapAnyGrid(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	alpha := []string{"一、总体情况", "（一）", "3件", "/", "", "规章", "（六）其他处理", "2025年1月20日", "x", "报告"}
	for n := 0; n < 300; n++ {
		rows, cols := rng.Intn(41), rng.Intn(21)
		cs, rs := rng.Intn(20)-10, rng.Intn(20)-10
		texts := make([]string, 5)
		for i := range texts {
			texts[i] = alpha[rng.Intn(len(alpha))]
		}
		tbl := &flow.Table{}
		for i := 0; i < rows; i++ {
			var r flow.Row
			for j := 0; j < cols; j++ {
				r.Cells = append(r.Cells, flow.Cell{Text: texts[(i+j)%5], Col: j + cs%3, ColSpan: 1 + cs%4, RowSpan: 1 + rs%5})
			}
			tbl.Rows = append(tbl.Rows, r)
		}
		doc := &flow.Doc{Kind: "html"}
		for _, s := range []string{texts[0] + "2024年工作年度报告", "一、总体情况", texts[1], "二、主动公开政府信息情况"} {
			doc.Blocks = append(doc.Blocks, flow.Block{Para: &flow.Para{Text: s}})
		}
		doc.Blocks = append(doc.Blocks, flow.Block{Table: tbl}, flow.Block{Para: &flow.Para{Text: texts[2]}}, flow.Block{Table: tbl},
			flow.Block{Para: &flow.Para{Text: texts[3]}}, flow.Block{Para: &flow.Para{Text: texts[4] + "2025年1月20日"}})
		start := time.Now()
		if _, err := Map(doc, Options{}); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%v for %d×%d cells, spans %d %d, %q", d, rows, cols, cs, rs, texts)
		}
	}
}
