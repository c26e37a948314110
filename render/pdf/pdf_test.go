package pdf

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/fonts/fontstest"
	"github.com/govreport/govreport/layout"
)

// A4 in points, as the layout produces it.
const (
	a4W = 595.28
	a4H = 841.89

	left   = 79.37  // 28 mm
	top    = 104.88 // 37 mm
	body   = 16.0   // 三号
	squeze = -0.207 // 28 characters of 16 pt in 442.2 pt
)

// The justified line: 28 characters of 16 pt with spacing −0.207 span 442.2 pt.
var justified = []rune("本机关坚持以习近平新时代中国特色社会主义思想为指导全面贯彻落实条例")[:28]

var testMeta = layout.Meta{
	Title:    "某某市人民政府办公室2024年政府信息公开工作年度报告",
	Author:   "某某市人民政府办公室",
	Subject:  "政府信息公开工作年度报告",
	Keywords: "政府信息公开, 年度报告, 2024",
	Creator:  "govreport 0.1 (测试)",
	Date:     time.Date(2025, 1, 20, 9, 30, 0, 0, time.UTC),
}

func mustFonts(tb testing.TB) *fonts.Set {
	tb.Helper()
	s, err := fonts.Default()
	if err != nil {
		tb.Fatalf("fonts.Default: %v", err)
	}
	return s
}

func text(box string, f *fonts.Face, x, y, size, spacing float64, s string) layout.Item {
	return layout.Item{Kind: layout.ItemText, Box: box, X: x, Y: y, Text: s, Size: size,
		Font: f.Name(), Face: f, Spacing: spacing}
}

// samplePages builds two A4 pages in the shape the layout produces: title,
// headings in 黑体 and 楷体, a justified body line, a table with rules and a
// header, page numbers, and bookmarks with Chinese titles.
func samplePages(tb testing.TB) []layout.Page {
	s := mustFonts(tb)
	title, bodyF, hei, kai, song := s.Face(fonts.RoleTitle), s.Face(fonts.RoleBody),
		s.Face(fonts.RoleHei), s.Face(fonts.RoleKai), s.Face(fonts.RoleSong)
	p1 := layout.Page{Number: 1, Width: a4W, Height: a4H,
		Items: []layout.Item{
			text("title", title, 121.7, top+22, 22, 0, "某某市人民政府办公室2024年"),
			text("title", title, 143.7, top+22+36, 22, 0, "政府信息公开工作年度报告"),
			text("heading", hei, left, top+120, body, squeze, "一、总体情况"),
			text("paragraph /overview/0 line 0", bodyF, left, top+149, body, squeze, string(justified)),
			text("paragraph /overview/0 line 1", bodyF, left, top+178, body, squeze, "政府信息，切实保障人民群众依法获取政府信息。"),
			text("heading", kai, left+2*15.793, top+207, body, squeze, "（一）主动公开情况"),
			{Kind: layout.ItemLine, Box: "rule", X: left, Y: top + 230, X2: left + 442.2, Y2: top + 230, LineWidth: 0.5},
			text("page-number", song, 460, 790, 14, 0, "— 1 —"),
		},
		Outline: []layout.Outline{
			{Level: 0, Title: "一、总体情况", Y: top + 120 - body},
			{Level: 1, Title: "（一）主动公开情况", Y: top + 207 - body},
		},
	}
	p2 := layout.Page{Number: 2, Width: a4W, Height: a4H, Outline: []layout.Outline{
		{Level: 0, Title: "二、收到和处理政府信息公开申请情况", Y: top - body + 4},
	}}
	p2.Items = append(p2.Items,
		text("heading", hei, left, top+4, body, squeze, "二、收到和处理政府信息公开申请情况"),
	)
	for r := 0; r <= 4; r++ {
		y := top + 20 + float64(r)*24
		p2.Items = append(p2.Items, layout.Item{Kind: layout.ItemLine, Box: fmt.Sprintf("表三 r%d rule", r),
			X: left, Y: y, X2: left + 442.2, Y2: y, LineWidth: 0.75})
	}
	for r, row := range [][2]string{{"本年新收政府信息公开申请数量", "12"}, {"上年结转政府信息公开申请数量", "0"}, {"予以公开", "9"}} {
		y := top + 20 + float64(r+1)*24 + 17
		p2.Items = append(p2.Items,
			text(fmt.Sprintf("表三 r%dc0", r+1), bodyF, left+6, y, 10.5, 0, row[0]),
			text(fmt.Sprintf("表三 r%dc1", r+1), bodyF, left+400, y, 10.5, 0, row[1]))
	}
	p2.Items = append(p2.Items, text("page-number", song, 80, 790, 14, 0, "— 2 —"))
	pages := []layout.Page{p1, p2}
	docFor(pages, layout.Meta{}) // the items' parts
	return pages
}

// docFor makes the Document that hand-made pages stand for, and gives their
// items the parts the layout would: each text item its own paragraph, page
// numbers and rules artifacts. The same pages get the same parts every time.
func docFor(pages []layout.Page, meta layout.Meta) *layout.Document {
	doc := &layout.Document{Meta: meta}
	for i := range pages {
		for j := range pages[i].Items {
			it := &pages[i].Items[j]
			switch {
			case it.Kind == layout.ItemLine:
				it.Part = layout.Part{Kind: layout.PartRule}
			case it.Box == "page-number":
				it.Part = layout.Part{Kind: layout.PartPageNumber}
			default:
				it.Part = layout.Part{Kind: layout.PartParagraph, Block: int32(len(doc.Blocks))}
				doc.Blocks = append(doc.Blocks, &layout.Paragraph{Runs: []layout.Run{{Text: it.Text, Role: fonts.RoleBody}}})
			}
		}
	}
	return doc
}

func render(tb testing.TB, pages []layout.Page, meta layout.Meta) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := Render(context.Background(), &buf, pages, docFor(pages, meta)); err != nil {
		tb.Fatalf("Render: %v", err)
	}
	return buf.Bytes()
}

// tool runs one of the PDF tools on the file. A missing tool fails the test: the
// checks are the point, and scripts/test.sh installs them.
func tool(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not on PATH: run scripts/test.sh or apt-get install -y --no-install-recommends poppler-utils qpdf", name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func writeTemp(t *testing.T, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestQPDFCheck(t *testing.T) {
	p := writeTemp(t, render(t, samplePages(t), testMeta))
	out := tool(t, nil, "qpdf", "--check", p)
	if !strings.Contains(out, "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check:\n%s", out)
	}
}

func TestInfo(t *testing.T) {
	for _, tc := range []struct {
		name string
		meta layout.Meta
		want map[string]string
	}{
		{"chinese", testMeta, map[string]string{
			"Title": testMeta.Title, "Author": testMeta.Author, "Subject": testMeta.Subject,
			"Keywords": testMeta.Keywords, "Creator": testMeta.Creator, "Producer": Producer,
			"CreationDate": "2025-01-20T09:30:00", "ModDate": "2025-01-20T09:30:00",
		}},
		// A rare place-name character above U+FFFF needs a surrogate pair in
		// the UTF-16BE text string.
		{"supplementary", layout.Meta{Title: "𬌗口乡2024年报告", Author: "ASCII (agency)"}, map[string]string{
			"Title": "𬌗口乡2024年报告", "Author": "ASCII (agency)",
			"CreationDate": "2000-01-01T00:00:00",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeTemp(t, render(t, samplePages(t), tc.meta))
			out := tool(t, []string{"TZ=UTC"}, "pdfinfo", "-isodates", p)
			got := map[string]string{}
			for _, line := range strings.Split(out, "\n") {
				if k, v, ok := strings.Cut(line, ":"); ok {
					got[k] = strings.TrimSpace(v)
				}
			}
			for k, v := range tc.want {
				// A date without a zone comes back with or without one,
				// depending on the poppler version.
				if g := strings.TrimSuffix(got[k], "Z"); g != v && !strings.HasPrefix(g, v) {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			if got["Pages"] != "2" {
				t.Errorf("Pages = %q, want 2", got["Pages"])
			}
			if got["Page size"] != "595.28 x 841.89 pts (A4)" {
				t.Errorf("Page size = %q", got["Page size"])
			}
		})
	}
}

func TestFonts(t *testing.T) {
	p := writeTemp(t, render(t, samplePages(t), testMeta))
	out := tool(t, nil, "pdffonts", p)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts:\n%s", out)
	}
	fontLines := lines[2:]
	if len(fontLines) != 5 {
		t.Errorf("%d fonts, want 5 (one per face):\n%s", len(fontLines), out)
	}
	for _, l := range fontLines {
		f := strings.Fields(l)
		// name type… encoding emb sub uni object ID
		if len(f) < 7 {
			t.Errorf("short line %q", l)
			continue
		}
		emb, uni := f[len(f)-5], f[len(f)-3]
		if emb != "yes" || uni != "yes" || !strings.Contains(l, "CID TrueType") || !strings.Contains(l, "Identity-H") {
			t.Errorf("font not embedded CID TrueType with ToUnicode: %q", l)
		}
	}
}

func TestText(t *testing.T) {
	pages := samplePages(t)
	p := writeTemp(t, render(t, pages, testMeta))
	out := tool(t, nil, "pdftotext", "-layout", "-enc", "UTF-8", p, "-")
	// poppler does not extract space glyphs; it infers spaces from gaps, and
	// between the dashes of "— 1 —" it infers none. The spaces are in the file.
	noSpace := strings.NewReplacer(" ", "")
	for _, pg := range pages {
		for _, it := range pg.Items {
			if it.Kind != layout.ItemText {
				continue
			}
			if want := it.Text; strings.Contains(want, " ") {
				if !strings.Contains(noSpace.Replace(out), noSpace.Replace(want)) {
					t.Errorf("%s: %q (spaces aside) not in pdftotext output", it.Box, want)
				}
			} else if !strings.Contains(out, want) {
				t.Errorf("%s: %q not in pdftotext output", it.Box, want)
			}
		}
	}
	if t.Failed() {
		t.Logf("pdftotext -layout:\n%s", out)
	}
}

var wordRE = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)

// TestGlyphPositions checks that the characters of the justified line land where
// the layout put them, X + Σ(advance·size + spacing): the Tc operator written
// around the text objects must take effect.
func TestGlyphPositions(t *testing.T) {
	pages := samplePages(t)
	var line layout.Item
	for _, it := range pages[0].Items {
		if it.Text == string(justified) {
			line = it
		}
	}
	xs := make([]float64, len(justified)+1)
	xs[0] = line.X
	for i, r := range justified {
		xs[i+1] = xs[i] + line.Face.Advance(r)*line.Size + line.Spacing
	}
	if got := xs[28] - xs[0]; math.Abs(got-442.2) > 0.01 {
		t.Fatalf("test line spans %.3f pt, want 442.2", got)
	}

	p := writeTemp(t, render(t, pages, testMeta))
	out := tool(t, nil, "pdftotext", "-bbox", "-f", "1", "-l", "1", "-enc", "UTF-8", p, "-")
	// poppler makes one word of the run and gives its box: xMin is the left
	// edge of the first character and xMax the right edge of the last, whose
	// box is its advance (Tc moves the next character, not this one's edge).
	var found bool
	for _, m := range wordRE.FindAllStringSubmatch(out, -1) {
		if m[5] != string(justified) {
			continue
		}
		found = true
		xMin, _ := strconv.ParseFloat(m[1], 64)
		xMax, _ := strconv.ParseFloat(m[3], 64)
		last := xMax - line.Face.Advance(justified[27])*line.Size
		if math.Abs(xMin-xs[0]) > 0.5 {
			t.Errorf("character 1 (%c) at x %.2f, want %.2f", justified[0], xMin, xs[0])
		}
		if math.Abs(last-xs[27]) > 0.5 {
			t.Errorf("character 28 (%c) at x %.2f, want %.2f (without Tc it would be at %.2f)",
				justified[27], last, xs[27], xs[0]+27*line.Size)
		}
	}
	if !found {
		t.Fatalf("justified line not found in pdftotext -bbox output:\n%s", out)
	}
}

// TestOutline reads the bookmarks back with qpdf: titles decoded (UTF-16BE with
// a byte order mark), nesting by level, and target pages.
func TestOutline(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pages func(testing.TB) []layout.Page
		want  []string // "depth:page:title"
	}{
		{"sample", samplePages, []string{
			"0:1:一、总体情况", "1:1:（一）主动公开情况", "0:2:二、收到和处理政府信息公开申请情况"}},
		// A first entry at level 1 has no parent: it is raised to level 0.
		{"no text", func(tb testing.TB) []layout.Page {
			return []layout.Page{{Width: a4W, Height: a4H, Outline: []layout.Outline{
				{Level: 1, Title: "（一）主动公开", Y: 100}, {Level: 3, Title: "1. 深层", Y: 200}}}}
		}, []string{"0:1:（一）主动公开@741.89", "1:1:1. 深层@641.89"}},
		// A rare place-name character above U+FFFF takes a surrogate pair.
		{"supplementary", func(tb testing.TB) []layout.Page {
			return []layout.Page{{Width: a4W, Height: a4H, Outline: []layout.Outline{{Title: "𬌗口乡", Y: 100}}}}
		}, []string{"0:1:𬌗口乡"}},
		// Each destination is measured from the top of its own page.
		{"mixed sizes", func(tb testing.TB) []layout.Page {
			return []layout.Page{
				{Width: a4W, Height: a4H, Outline: []layout.Outline{{Title: "一、总体情况", Y: 100}}},
				{Width: a4H, Height: a4W, Outline: []layout.Outline{{Title: "二、表格", Y: 50}}},
			}
		}, []string{"0:1:一、总体情况@741.89", "0:2:二、表格@545.28"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeTemp(t, render(t, tc.pages(t), testMeta))
			out := tool(t, nil, "qpdf", "--json", "--json-key=outlines", p)
			var doc struct {
				Outlines []outline `json:"outlines"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("qpdf json: %v\n%s", err, out)
			}
			var got []string
			var walk func([]outline, int)
			walk = func(os []outline, depth int) {
				for _, o := range os {
					e := fmt.Sprintf("%d:%d:%s", depth, o.Page, o.Title)
					if strings.Contains(tc.want[0], "@") && len(o.Dest) == 5 {
						e += "@" + string(o.Dest[3])
					}
					got = append(got, e)
					walk(o.Kids, depth+1)
				}
			}
			walk(doc.Outlines, 0)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("outline:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

type outline struct {
	Title string            `json:"title"`
	Page  int               `json:"destpageposfrom1"`
	Dest  []json.RawMessage `json:"dest"` // [page /XYZ left top zoom]
	Kids  []outline         `json:"kids"`
}

func TestDeterministic(t *testing.T) {
	pages := samplePages(t)
	a := render(t, pages, testMeta)
	for i := range 3 {
		if b := render(t, pages, testMeta); !bytes.Equal(a, b) {
			t.Fatalf("render %d differs from the first (%d vs %d bytes)", i+2, len(b), len(a))
		}
	}
	// A date in the machine's zone is written in UTC, so the zone does not leak
	// into the bytes.
	m := testMeta
	m.Date = testMeta.Date.Local()
	if b := render(t, pages, m); !bytes.Equal(a, b) {
		t.Errorf("a local date gives other bytes than the same instant in UTC")
	}
	// The file ID is a digest of the content: present (PDF/A-2 6.1.3), the same
	// for the same document, different for another.
	m.Date = time.Date(2025, 1, 21, 9, 30, 0, 0, time.UTC)
	b := render(t, pages, m)
	ida, idb := idRE.Find(a), idRE.Find(b)
	if ida == nil || idb == nil || bytes.Equal(ida, idb) {
		t.Errorf("file IDs %q and %q: want two different ones", ida, idb)
	}
}

var idRE = regexp.MustCompile(`/ID\[<[0-9a-f]{32}><[0-9a-f]{32}>\]`)

// TestConcurrent renders in parallel: the writer keeps only pools and a profile
// built once, and the faces are shared, so a server may render documents at once.
// The four renders share one set of pages and one document, which Render only
// reads (docFor, which gives the items their parts, runs once, before them), so
// under -race this also proves Render writes nothing it is given.
func TestConcurrent(t *testing.T) {
	pages := samplePages(t)
	doc := docFor(pages, testMeta)
	want := render(t, pages, testMeta)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			var buf bytes.Buffer
			err := Render(context.Background(), &buf, pages, doc)
			if err == nil && !bytes.Equal(buf.Bytes(), want) {
				err = errors.New("concurrent render gave other bytes")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestErrors(t *testing.T) {
	s := mustFonts(t)
	bodyF := s.Face(fonts.RoleBody)
	page := func(items ...layout.Item) []layout.Page {
		return []layout.Page{samplePages(t)[0], {Width: a4W, Height: a4H, Items: items}}
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		pages []layout.Page
		meta  layout.Meta
		want  []string
	}{
		{"nil face", nil, page(layout.Item{Kind: layout.ItemText, Box: "表三 r5c2", X: 10, Y: 10, Size: 10, Text: "五"}),
			testMeta, []string{"page 2", "表三 r5c2", "no face"}},
		{"above U+FFFF", nil, page(text("paragraph /x/0 line 3", bodyF, 10, 10, 16, 0, "乡名𬌗")),
			testMeta, []string{"page 2", "paragraph /x/0 line 3", "U+2C317", "above U+FFFF"}},
		{"missing glyph", nil, page(text("cell", bodyF, 10, 10, 16, 0, "a\uE000")),
			testMeta, []string{"page 2", `"cell"`, "U+E000"}},
		{"invalid UTF-8", nil, page(text("cell", bodyF, 10, 10, 16, 0, "a\xff")),
			testMeta, []string{"page 2", "UTF-8"}},
		{"NaN", nil, page(layout.Item{Kind: layout.ItemLine, Box: "rule", X: math.NaN(), LineWidth: 1}),
			testMeta, []string{"page 2", "rule", "NaN"}},
		{"line width", nil, page(layout.Item{Kind: layout.ItemLine, Box: "rule", LineWidth: -1}),
			testMeta, []string{"page 2", "rule", "width -1"}},
		{"kind", nil, page(layout.Item{Kind: "image", Box: "logo"}),
			testMeta, []string{"page 2", "logo", "image"}},
		{"page size", nil, []layout.Page{{Width: 0, Height: a4H}}, testMeta, []string{"page 1", "size"}},
		{"no pages", nil, nil, testMeta, []string{"no pages"}},
		{"bookmark not UTF-8", nil, []layout.Page{{Width: a4W, Height: a4H,
			Outline: []layout.Outline{{Title: "\xe4\xb8"}}}}, testMeta, []string{"page 1", "bookmark"}},
		{"control character", nil, page(text("cell", bodyF, 10, 10, 16, 0, "a\x01")),
			testMeta, []string{"page 2", "U+0001"}},
		{"metadata control character", nil, samplePages(t), layout.Meta{Author: "a\tb"}, []string{"author", "U+0009"}},
		{"metadata", nil, samplePages(t), layout.Meta{Title: "\xe4\xb8"}, []string{"title", "UTF-8"}},
		{"cancelled", cancelled, samplePages(t), testMeta, []string{"context canceled"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := tc.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			var buf bytes.Buffer
			err := Render(ctx, &buf, tc.pages, docFor(tc.pages, tc.meta))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written despite the error", buf.Len())
			}
		})
	}
	t.Run("parts", func(t *testing.T) {
		// A tagged file never guesses where text belongs: an item without a
		// part, or whose part names no block of the document, is refused.
		pages := samplePages(t)
		err := Render(context.Background(), &bytes.Buffer{}, pages, &layout.Document{Meta: testMeta})
		if err == nil || !strings.Contains(err.Error(), "not in the document") {
			t.Errorf("a part naming a missing block: err = %v", err)
		}
		pages[1].Items[0].Part = layout.Part{}
		err = Render(context.Background(), &bytes.Buffer{}, pages, docFor(samplePages(t), testMeta))
		if err == nil || !strings.Contains(err.Error(), "page 2, item 0") || !strings.Contains(err.Error(), "no part") {
			t.Errorf("an item without a part: err = %v", err)
		}
	})
	t.Run("cancel is errors.Is", func(t *testing.T) {
		err := Render(cancelled, &bytes.Buffer{}, samplePages(t), docFor(samplePages(t), testMeta))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("above U+FFFF is a MissingError", func(t *testing.T) {
		pg := page(text("p", bodyF, 10, 10, 16, 0, "𬌗"))
		err := Render(context.Background(), &bytes.Buffer{}, pg, docFor(pg, testMeta))
		if me := (*fonts.MissingError)(nil); !errors.As(err, &me) || me.Rune != 0x2C317 {
			t.Errorf("err = %v, want a *fonts.MissingError for U+2C317", err)
		}
	})
}

// cancelAfter is a context that reports cancellation after n checks, to show
// that Render checks between pages and not only on entry.
type cancelAfter struct {
	context.Context
	n int
}

func (c *cancelAfter) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return nil
}

func TestCancelBetweenPages(t *testing.T) {
	ctx := &cancelAfter{Context: context.Background(), n: 2} // entry, page 1
	var buf bytes.Buffer
	err := Render(ctx, &buf, samplePages(t), docFor(samplePages(t), testMeta))
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "page 2") {
		t.Errorf("err = %v, want cancellation at page 2", err)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written", buf.Len())
	}
}

// benchPages is a 6-page report in the proportions of a real one: per page a
// 一、 heading in 黑体 and a （一） heading in 楷体, then body lines of 28
// characters (25 lines in all) running through the seed report's text, and a
// page number. With five faces, page 1 also has a two-line title and the page
// numbers are in 宋体; with three, everything else is in the body face.
func benchPages(tb testing.TB, five bool) []layout.Page {
	s := mustFonts(tb)
	src, err := os.ReadFile("../../fonts/testdata/seed.txt")
	if err != nil {
		tb.Fatal(err)
	}
	bodyF, hei, kai := s.Face(fonts.RoleBody), s.Face(fonts.RoleHei), s.Face(fonts.RoleKai)
	pageF := bodyF
	if five {
		pageF = s.Face(fonts.RoleSong)
	}
	var pool []rune
	for _, r := range string(src) {
		if r > 0x2000 && bodyF.Has(r) && hei.Has(r) && kai.Has(r) {
			pool = append(pool, r)
		}
	}
	k := 0
	next := func(n int) string {
		line := make([]rune, n)
		for i := range line {
			line[i] = pool[k%len(pool)]
			k++
		}
		return string(line)
	}
	var pages []layout.Page
	for n := 1; n <= 6; n++ {
		p := layout.Page{Number: n, Width: a4W, Height: a4H}
		y := top
		if n == 1 && five {
			p.Items = append(p.Items,
				text("title", s.Face(fonts.RoleTitle), 121.7, y, 22, 0, "某某市人民政府办公室2024年"),
				text("title", s.Face(fonts.RoleTitle), 143.7, y+36, 22, 0, "政府信息公开工作年度报告"))
			y += 72
		}
		for l := 0; l < 25; l++ {
			switch l {
			case 0:
				h := fmt.Sprintf("%s、%s", []string{"一", "二", "三", "四", "五", "六"}[n-1], next(10))
				p.Items = append(p.Items, text("heading", hei, left, y, body, squeze, h))
				p.Outline = append(p.Outline, layout.Outline{Level: 0, Title: h, Y: y - body})
			case 12:
				h := "（一）" + next(8)
				p.Items = append(p.Items, text("heading", kai, left+2*15.793, y, body, squeze, h))
				p.Outline = append(p.Outline, layout.Outline{Level: 1, Title: h, Y: y - body})
			default:
				p.Items = append(p.Items, text(fmt.Sprintf("paragraph line %d", l), bodyF, left, y, body, squeze, next(28)))
			}
			y += 28.95
		}
		p.Items = append(p.Items,
			layout.Item{Kind: layout.ItemLine, Box: "rule", X: left, Y: y, X2: left + 442.2, Y2: y, LineWidth: 0.5},
			text("page-number", pageF, 460, 790, 14, 0, fmt.Sprintf("— %d —", n)))
		pages = append(pages, p)
	}
	docFor(pages, layout.Meta{}) // the items' parts
	return pages
}

func BenchmarkRender(b *testing.B) {
	for _, bc := range []struct {
		name string
		five bool
	}{
		{"faces=3", false},
		{"faces=5", true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			pages := benchPages(b, bc.five)
			doc := docFor(pages, testMeta)
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := Render(context.Background(), &buf, pages, doc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "pdf-bytes")
		})
	}
}

// FuzzRender builds a valid layout from the fuzzer's bytes — pages of any size,
// text in any face and size with any spacing, rules, boxes and bookmarks at any
// level, anywhere — and checks that the writer accepts it and qpdf finds no fault
// in the file. `go test` runs the seeds; `go test -fuzz FuzzRender` explores.
func FuzzRender(f *testing.F) {
	f.Add([]byte("seed"), uint8(1))
	f.Add([]byte("\x00\xff\x10\x80 table header 表三 r1c1"), uint8(3))
	f.Add(bytes.Repeat([]byte{0x9c, 0x42, 0x07}, 40), uint8(7))
	s := mustFonts(f)
	faces := []*fonts.Face{s.Face(fonts.RoleTitle), s.Face(fonts.RoleBody), s.Face(fonts.RoleHei),
		s.Face(fonts.RoleKai), s.Face(fonts.RoleSong)}
	var pool []rune
	for _, r := range "一、总体情况（一）主动公开政府信息收到和处理申请表三自然人法人或其他组织本年新收—0123456789./，。：abcXYZ " {
		pool = append(pool, r)
	}
	f.Fuzz(func(t *testing.T, data []byte, npages uint8) {
		next := func() int {
			if len(data) == 0 {
				return 0
			}
			b := int(data[0])
			data = data[1:]
			return b
		}
		pages := make([]layout.Page, int(npages%4)+1)
		for i := range pages {
			p := &pages[i]
			p.Number = i + 1
			p.Width, p.Height = 100+float64(next()*4), 100+float64(next()*4)
			for n := next() % 12; n > 0; n-- {
				x, y := float64(next()-40)*3, float64(next()-40)*4
				switch next() % 2 {
				case 0:
					face := faces[next()%len(faces)]
					var rs []rune
					for k := next() % 20; k > 0; k-- {
						if r := pool[next()%len(pool)]; face.Has(r) {
							rs = append(rs, r)
						}
					}
					p.Items = append(p.Items, text("t", face, x, y, 1+float64(next()%40), float64(next()-128)/50, string(rs)))
				case 1:
					p.Items = append(p.Items, layout.Item{Kind: layout.ItemLine, Box: "rule", X: x, Y: y,
						X2: x + float64(next()-128), Y2: y + float64(next()-128), LineWidth: float64(next()) / 100})
				}
			}
			for n := next() % 3; n > 0; n-- {
				p.Outline = append(p.Outline, layout.Outline{Level: next() % 4, Title: string(pool[next()%len(pool):][:1]) + "（)\\",
					Y: float64(next()*4 - 100)})
			}
		}
		var buf bytes.Buffer
		if err := Render(context.Background(), &buf, pages, docFor(pages, testMeta)); err != nil {
			t.Fatalf("a valid layout was refused: %v", err)
		}
		p := writeTemp(t, buf.Bytes())
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, "qpdf", "--check", p).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "No syntax or stream encoding errors") {
			t.Fatalf("qpdf --check: %v\n%s", err, out)
		}
	})
}

// TestLongPostScriptName: a user's face whose PostScript name is 200
// bytes long (127 of them kept by the loader) is named by at most 63 of
// them, so every name the file holds stays within a PDF name's 127 bytes
// (before, /BaseFont was 207 bytes, and with the loader's 127, 134).
func TestLongPostScriptName(t *testing.T) {
	long := strings.Repeat("VeryLongAgencyFangSong", 10)[:200]
	p := filepath.Join(t.TempDir(), "long.ttf")
	font := fontstest.Edit(func(t map[string][]byte) {
		t["name"] = fontstest.Name(0x409, map[uint16]string{1: "Long", 6: long})
	})
	if err := os.WriteFile(p, font, 0o644); err != nil {
		t.Fatal(err)
	}
	face, err := fonts.LoadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if face.Name() != long[:127] { // the loader keeps 127 characters
		t.Fatalf("name %q", face.Name())
	}
	pages := []layout.Page{{Number: 1, Width: a4W, Height: a4H, Items: []layout.Item{
		text("paragraph", face, left, top, body, 0, "一二三年度报告"),
	}}}
	pdf := writeTemp(t, render(t, pages, testMeta))
	tool(t, nil, "qpdf", "--check", pdf)
	qdf := filepath.Join(t.TempDir(), "qdf.pdf")
	tool(t, nil, "qpdf", "--qdf", "--object-streams=disable", pdf, qdf)
	b, err := os.ReadFile(qdf)
	if err != nil {
		t.Fatal(err)
	}
	names := regexp.MustCompile(`/(?:BaseFont|FontName)\s*/([^\s/<>\[\]()]+)`).FindAllSubmatch(b, -1)
	if len(names) != 3 {
		t.Fatalf("%d font names, want 3", len(names))
	}
	for _, n := range names {
		if len(n[1]) > 127 || !strings.HasSuffix(string(n[1]), "+"+long[:63]) {
			t.Errorf("font name of %d bytes: %s", len(n[1]), n[1])
		}
	}
}
