package layout

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/fonts"
)

func faces(t testing.TB) *fonts.Set {
	t.Helper()
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func paginate(t testing.TB, blocks ...Block) []Page {
	t.Helper()
	pages, err := Paginate(context.Background(), &Document{Blocks: blocks}, faces(t), DefaultStyle())
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

func para(s string) *Paragraph {
	return &Paragraph{Runs: []Run{{Text: s, Role: fonts.RoleBody}}, Pointer: "/p"}
}

// lines collects the text of each body line, in order, by box.
func lines(pages []Page, prefix string) []string {
	var out []string
	last := ""
	for _, p := range pages {
		for _, it := range p.Items {
			if it.Kind != ItemText || !strings.HasPrefix(it.Box, prefix) {
				continue
			}
			if it.Box != last {
				out = append(out, "")
				last = it.Box
			}
			out[len(out)-1] += it.Text
		}
	}
	return out
}

func TestFullLineHolds28(t *testing.T) {
	text := strings.Repeat("政务公开工作", 30) // no punctuation: every full line is exact
	got := lines(paginate(t, para(text)), "paragraph")
	if len(got) < 3 {
		t.Fatalf("lines: %q", got)
	}
	if n := runeCount(got[0]); n != 26 {
		t.Errorf("first line holds %d characters, want 26 after the two-character indent", n)
	}
	for _, l := range got[1 : len(got)-1] {
		if n := runeCount(l); n != 28 {
			t.Errorf("full line holds %d characters, want 28: %s", n, l)
		}
	}
}

func TestKinsoku(t *testing.T) {
	tests := []struct {
		name, text string
	}{
		// The 27th character of the first line is a closing mark.
		{"comma at a line start", strings.Repeat("政", 26) + "，" + strings.Repeat("务", 40)},
		{"full stop and quote", strings.Repeat("政", 25) + "“公开”。" + strings.Repeat("务", 40)},
		{"opening mark at a line end", strings.Repeat("政", 25) + "《条例》" + strings.Repeat("务", 40)},
		{"ellipsis", strings.Repeat("政", 25) + "……" + strings.Repeat("务", 40)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lines(paginate(t, para(tt.text)), "paragraph")
			for i, l := range got {
				r := []rune(l)
				if i > 0 && strings.ContainsRune(noLineStart, r[0]) {
					t.Errorf("line %d starts with %q: %s", i+1, r[0], l)
				}
				if strings.ContainsRune(noLineEnd, r[len(r)-1]) {
					t.Errorf("line %d ends with %q: %s", i+1, r[len(r)-1], l)
				}
				if strings.HasPrefix(l, "…") && i > 0 && strings.HasSuffix(got[i-1], "…") {
					t.Errorf("the ellipsis is split between lines %d and %d", i, i+1)
				}
			}
			if strings.Join(got, "") != tt.text {
				t.Errorf("text changed: %q", strings.Join(got, ""))
			}
		})
	}
}

func TestWordsNotSplit(t *testing.T) {
	for _, word := range []string{"12345", "2024", "PDF", "95.6%", "0871-12345678"} {
		for pad := 20; pad < 28; pad++ {
			text := strings.Repeat("政", pad) + word + strings.Repeat("务", 40)
			got := lines(paginate(t, para(text)), "paragraph")
			found := false
			for i, l := range got {
				if strings.Contains(l, word) {
					found = true
				}
				// A phone number may break after its hyphen when the
				// line would otherwise take more than a quarter em a
				// gap (issue 22).
				if head, tail, ok := strings.Cut(word, "-"); ok && strings.HasSuffix(l, head+"-") && i+1 < len(got) && strings.HasPrefix(got[i+1], tail) {
					found = true
				}
			}
			if !found {
				t.Errorf("%q split at pad %d: %q", word, pad, got)
			}
		}
	}
}

func TestSignatureBlock(t *testing.T) {
	st := DefaultStyle()
	c := st.cell()
	right := st.Left + st.BodyWidth - 2*c
	tests := []struct{ agency, date string }{
		{"永兴傣族乡人民政府", "2025年1月20日"},
		{"某局", "2025年12月31日"}, // a date longer than the agency
	}
	for _, tt := range tests {
		pages := paginate(t, para("正文。"), &Signature{Agency: tt.agency, Date: tt.date})
		var ag, dt []Item
		for _, it := range pages[len(pages)-1].Items {
			switch it.Box {
			case "signature agency":
				ag = append(ag, it)
			case "signature date":
				dt = append(dt, it)
			}
		}
		if len(ag) == 0 || len(dt) == 0 {
			t.Fatalf("%s: no signature", tt.agency)
		}
		end := func(its []Item) float64 {
			last := its[len(its)-1]
			w := 0.0
			for _, r := range last.Text {
				w += last.Face.Advance(r)*last.Size + last.Spacing
			}
			return last.X + w - last.Spacing
		}
		if dx := dt[0].X - ag[0].X; math.Abs(dx-2*c) > 0.5 {
			t.Errorf("%s: the date starts %.1f pt right of the agency, want two characters (%.1f)", tt.agency, dx, 2*c)
		}
		if runeCount(tt.date) > runeCount(tt.agency)+2 {
			if e := end(dt); math.Abs(e-right) > 1 {
				t.Errorf("%s: a long date ends at %.1f, want right-indented two characters (%.1f)", tt.agency, e, right)
			}
		} else if e := end(ag); math.Abs(e-right) > 1 {
			t.Errorf("%s: the agency ends at %.1f, want right-indented two characters (%.1f)", tt.agency, e, right)
		}
		if dt[0].Y-ag[0].Y < st.pitch()-0.1 {
			t.Errorf("the date is not on the line below the agency")
		}
	}
}

func TestSignatureNeverAlone(t *testing.T) {
	st := DefaultStyle()
	// 21 one-line paragraphs fill the page but one line: the last paragraph
	// and the signature go to the next page together.
	var blocks []Block
	for range 21 {
		blocks = append(blocks, para("一行。"))
	}
	blocks = append(blocks, &Signature{Agency: "某县人民政府", Date: "2025年1月20日"})
	pages := paginate(t, blocks...)
	if len(pages) != 2 {
		t.Fatalf("%d pages", len(pages))
	}
	var body, sig int
	for _, it := range pages[1].Items {
		switch {
		case strings.HasPrefix(it.Box, "paragraph"):
			body++
		case strings.HasPrefix(it.Box, "signature"):
			sig++
		}
	}
	if body == 0 || sig == 0 {
		t.Fatalf("page 2 has %d body and %d signature items; the signature must have text above it", body, sig)
	}
	_ = st
}

func TestPageNumbers(t *testing.T) {
	st := DefaultStyle()
	pages := paginate(t, para(strings.Repeat("政务公开工作", 200)))
	if len(pages) < 2 {
		t.Fatal("want two pages")
	}
	for _, p := range pages {
		var its []Item
		for _, it := range p.Items {
			if it.Box == "page-number" {
				its = append(its, it)
			}
		}
		var text string
		for _, it := range its {
			text += it.Text
		}
		if want := fmt.Sprintf("— %d —", p.Number); text != want {
			t.Errorf("page %d: number %q, want %q", p.Number, text, want)
		}
		top := its[0].Y - emBaseline*st.PageNumSize
		if want := st.Top + st.BodyHeight + mm(7); math.Abs(top-want) > 0.1 {
			t.Errorf("page number line top at %.1f pt, want 7 mm below the 版心 (%.1f)", top, want)
		}
		odd := p.Number%2 == 1
		if odd && its[0].X < st.Left+st.BodyWidth/2 || !odd && math.Abs(its[0].X-(st.Left+st.PageNumSize)) > 0.1 {
			t.Errorf("page %d: number at x %.1f on the wrong side", p.Number, its[0].X)
		}
	}
}

func longTable(rows int) *Table {
	t := &Table{Name: "表三", Columns: 3, Rows: rows, HeaderRows: 2}
	t.Cells = append(t.Cells,
		Cell{Row: 0, Col: 0, RowSpan: 2, ColSpan: 1, Text: "项目"},
		Cell{Row: 0, Col: 1, RowSpan: 1, ColSpan: 2, Text: "申请人情况"},
		Cell{Row: 1, Col: 1, RowSpan: 1, ColSpan: 1, Text: "自然人"},
		Cell{Row: 1, Col: 2, RowSpan: 1, ColSpan: 1, Text: "总计"},
		Cell{Row: 2, Col: 0, RowSpan: rows - 2, ColSpan: 1, Text: "三、本年度办理结果"},
	)
	for r := 2; r < rows; r++ {
		t.Cells = append(t.Cells,
			Cell{Row: r, Col: 1, RowSpan: 1, ColSpan: 1, Text: fmt.Sprint(r), Kind: CellData},
			Cell{Row: r, Col: 2, RowSpan: 1, ColSpan: 1, Text: fmt.Sprint(2 * r), Kind: CellData})
	}
	return t
}

func TestTableAcrossPages(t *testing.T) {
	pages := paginate(t, longTable(90))
	if len(pages) < 3 {
		t.Fatalf("%d pages; the table should cross two breaks", len(pages))
	}
	for _, p := range pages {
		text := strings.Join(lines([]Page{p}, "表三"), "|")
		for _, want := range []string{"申请人情况", "自然人", "总计", "三、"} {
			if !strings.Contains(text, want) {
				t.Errorf("page %d lacks %q (header rows and the cut label repeat): %s", p.Number, want, text)
			}
		}
	}
	// Every body row is printed exactly once.
	seen := map[string]int{}
	for _, p := range pages {
		for _, it := range p.Items {
			if it.Kind == ItemText && strings.HasSuffix(it.Box, "c2") && !strings.HasPrefix(it.Box, "表三 r1c") && !strings.HasPrefix(it.Box, "表三 r2c") {
				seen[it.Box]++
			}
		}
	}
	for r := 3; r <= 90; r++ {
		if n := seen[fmt.Sprintf("表三 r%dc2", r)]; n != 1 {
			t.Errorf("row %d printed %d times", r, n)
		}
	}
}

func TestHeadingKeptWithNext(t *testing.T) {
	var blocks []Block
	for range 21 {
		blocks = append(blocks, para("一行。"))
	}
	blocks = append(blocks, &Heading{Level: 1, Text: "二、主动公开政府信息情况"}, longTable(10))
	pages := paginate(t, blocks...)
	for _, it := range pages[0].Items {
		if strings.HasPrefix(it.Box, "heading") {
			t.Fatalf("the heading ends page 1 without its table")
		}
	}
	if len(pages[1].Outline) != 1 || pages[1].Outline[0].Title != "二、主动公开政府信息情况" {
		t.Errorf("outline of page 2: %+v", pages[1].Outline)
	}
}

// TestUnbreakableCell: a 5,000-character string in a table cell ends in a
// clear error or a correct layout, never a hang.
func TestUnbreakableCell(t *testing.T) {
	tests := []struct {
		name, text, wantErr string
	}{
		{"digits", strings.Repeat("9", 5000), "taller than a page"},
		{"hanzi", strings.Repeat("政", 5000), "taller than a page"},
		{"a closing mark chain", strings.Repeat("，", 5000), "taller than a page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := longTable(5)
			tb.Cells[len(tb.Cells)-1].Text = tt.text
			done := make(chan error, 1)
			go func() {
				_, err := Paginate(context.Background(), &Document{Blocks: []Block{tb}}, faces(t), DefaultStyle())
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("layout hangs")
			}
		})
	}
}

// TestTwelveDigitCounts: the largest valid counts fit or wrap in their
// cells; a valid report never fails in the layout.
func TestTwelveDigitCounts(t *testing.T) {
	tb := &Table{Name: "表四", Columns: 15, Rows: 2, HeaderRows: 1}
	for c := range 15 {
		tb.Cells = append(tb.Cells,
			Cell{Row: 0, Col: c, RowSpan: 1, ColSpan: 1, Text: "结果维持"},
			Cell{Row: 1, Col: c, RowSpan: 1, ColSpan: 1, Text: "999999999999", Kind: CellData})
	}
	pages := paginate(t, tb)
	if got := strings.Count(strings.Join(lines(pages, "表四 r2"), ""), "9"); got != 15*12 {
		t.Errorf("%d digits printed, want %d", got, 15*12)
	}
}

func TestLongAgencyWraps(t *testing.T) {
	agency := strings.Repeat("某某市某某区某某街道办事处", 4)
	pages := paginate(t, para("正文。"), &Signature{Agency: agency, Date: "2025年1月20日"})
	got := strings.Join(lines(pages, "signature agency"), "")
	if got != agency {
		t.Errorf("agency printed as %q", got)
	}
}

func TestMissingGlyph(t *testing.T) {
	_, err := Paginate(context.Background(), &Document{Blocks: []Block{
		&Paragraph{Runs: []Run{{Text: "私用区\ue000字", Role: fonts.RoleBody}}, Pointer: "/overview/3"},
	}}, faces(t), DefaultStyle())
	var me *fonts.MissingError
	if !errors.As(err, &me) || me.Rune != 0xE000 || !strings.Contains(err.Error(), "/overview/3") {
		t.Fatalf("err = %v, want a MissingError for U+E000 at /overview/3", err)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Paginate(ctx, &Document{Blocks: []Block{para("正文。")}}, faces(t), DefaultStyle())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestDeterministicAndDumpable(t *testing.T) {
	blocks := []Block{&Title{Text: "某县2024年政府信息公开工作年度报告"}, para(strings.Repeat("政务公开，", 100)), longTable(40),
		&Signature{Agency: "某县人民政府", Date: "2025年1月20日"}}
	a, b := paginate(t, blocks...), paginate(t, blocks...)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two layouts differ")
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, a); err != nil {
		t.Fatal(err)
	}
	var back struct{ Pages []Page }
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || len(back.Pages) != len(a) {
		t.Fatalf("dump does not read back: %v", err)
	}
	if !strings.Contains(buf.String(), `"font": "FandolFang-Regular"`) {
		t.Error("dump does not name the faces")
	}
}

func BenchmarkPaginate(b *testing.B) {
	set := faces(b)
	doc := &Document{Blocks: []Block{&Title{Text: "某县2024年政府信息公开工作年度报告"}}}
	for range 40 {
		doc.Blocks = append(doc.Blocks, para(strings.Repeat("政务公开工作，“12345”热线。", 12)))
	}
	doc.Blocks = append(doc.Blocks, longTable(28))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Paginate(context.Background(), doc, set, DefaultStyle()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestParagraphSets: Composed.Paragraphs says where each line of a body
// paragraph starts and on which page it is, as printed: a writer that
// breaks at Breaks (the DOCX in embed mode) gets the PDF's lines.
func TestParagraphSets(t *testing.T) {
	long := strings.Repeat("政府信息公开工作坚持以公开为常态、不公开为例外，2024年主动公开信息12863条。", 40)
	doc := &Document{Blocks: []Block{
		&Paragraph{Runs: []Run{{Text: "（一）主动公开情况。", Role: fonts.RoleKai}, {Text: long, Role: fonts.RoleBody}}, Pointer: "/p"},
	}}
	c, err := Compose(context.Background(), doc, faces(t), DefaultStyle())
	if err != nil {
		t.Fatal(err)
	}
	p := doc.Blocks[0].(*Paragraph)
	ps := c.Paragraphs[p]
	text := []rune("（一）主动公开情况。" + long)
	if len(ps.Breaks) < 40 || len(ps.Pages) != len(ps.Breaks)+1 {
		t.Fatalf("%d breaks, %d pages of lines", len(ps.Breaks), len(ps.Pages))
	}
	printed := map[int32]string{}
	page := map[int32]int{}
	for pi, pg := range c.Pages {
		for _, it := range pg.Items {
			if it.Kind == ItemText && it.Part.Kind == PartParagraph {
				printed[it.Part.Line] += it.Text
				page[it.Part.Line] = pi
			}
		}
	}
	if len(printed) != len(ps.Pages) {
		t.Fatalf("%d lines printed, %d in Paragraphs", len(printed), len(ps.Pages))
	}
	from := 0
	for i := range ps.Pages {
		to := len(text)
		if i < len(ps.Breaks) {
			to = ps.Breaks[i]
		}
		if to <= from {
			t.Fatalf("line %d: break %d not after %d", i+1, to, from)
		}
		if got, want := strings.ReplaceAll(printed[int32(i)], " ", ""), strings.ReplaceAll(string(text[from:to]), " ", ""); got != want {
			t.Errorf("line %d printed %q, Breaks say %q", i+1, got, want)
		}
		if page[int32(i)] != ps.Pages[i] {
			t.Errorf("line %d on page %d, Pages say %d", i+1, page[int32(i)], ps.Pages[i])
		}
		from = to
	}
}
