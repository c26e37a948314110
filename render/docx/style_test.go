package docx

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render/pdf"
)

// otherStyle is a page unlike GB/T 9704's in every size: a B5 page, other
// margins, 20 lines of 22 小三 characters, a smaller title, tables from
// 五号, page numbers in 小四 6 mm below the 版心.
func otherStyle() layout.Style {
	return layout.Style{
		PageWidth: 516, PageHeight: 729,
		Top: 80, Left: 70,
		BodyWidth: 341, BodyHeight: 540,
		Lines: 20, Chars: 22,
		BodySize: 15, TitleSize: 20, TableSize: 10.5, PageNumSize: 12,
		TableSteps:    []float64{9, 7.5},
		PageNumGap:    17,
		TableLeading:  1.25,
		CellPadX:      2,
		CellPadY:      2.5,
		RuleWidth:     0.5,
		MaxPages:      500,
		CompressLimit: 0.5,
	}
}

// TestStyle renders a report with a style other than DefaultStyle and
// checks that the DOCX takes every size from it: the page, margins, grid
// and type sizes in its parts, and, set by LibreOffice, the same page
// size, margins, type sizes, line pitch, page count and page-number
// placement as our PDF of the same layout.
func TestStyle(t *testing.T) {
	pdfcheck.Need(t, "soffice")
	pdfcheck.Need(t, "pdftocairo")
	pdfcheck.Need(t, "pdfinfo")
	st := otherStyle()
	_, doc := buildDoc(t, filepath.Join(root, "testdata/reports/yongxing-2024.json"))
	set := defaultSet(t)
	laid, err := layout.Compose(context.Background(), doc, set, st)
	if err != nil {
		t.Fatal(err)
	}
	var docx bytes.Buffer
	if err := Render(context.Background(), &docx, doc, set, Options{Layout: laid, Fonts: FontsEmbed}); err != nil {
		t.Fatal(err)
	}
	ps := parts(t, docx.Bytes())
	d, styles := string(ps["word/document.xml"]), string(ps["word/styles.xml"])
	tw := func(pt float64) int { return int(math.Round(pt * 20)) }
	for _, want := range []string{
		fmt.Sprintf(`<w:pgSz w:w="%d" w:h="%d"/>`, tw(st.PageWidth), tw(st.PageHeight)),
		fmt.Sprintf(`<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d"`, tw(st.Top), tw(st.Right()), tw(st.Bottom())-pageSpare, tw(st.Left)), // embed mode: pageSpare lower
		// The grid's pitch, a twip short of filling the 版心 (geometryOf).
		fmt.Sprintf(`w:linePitch="%d"`, (tw(st.PageHeight)-tw(st.Top)-tw(st.Bottom())-1)/st.Lines),
	} {
		if !strings.Contains(d, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	for what, size := range map[string]float64{"body": st.BodySize, "title": st.TitleSize, "table": st.TableSize, "page number": st.PageNumSize} {
		if want := fmt.Sprintf(`<w:sz w:val="%d"/>`, int(math.Round(size*2))); !strings.Contains(styles, want) {
			t.Errorf("styles.xml lacks the %s size %s", what, want)
		}
	}
	for _, b := range doc.Blocks {
		if tb, ok := b.(*layout.Table); ok && laid.Tables[tb].Size != st.TableSize {
			if want := fmt.Sprintf(`<w:sz w:val="%d"/>`, int(math.Round(laid.Tables[tb].Size*2))); !strings.Contains(d, want) {
				t.Errorf("%s, set at %v pt, has no %s", tb.Name, laid.Tables[tb].Size, want)
			}
		}
	}
	// None of GB/T 9704's sizes is left.
	for _, stale := range []string{`w:w="11906"`, `w:top="2098"`, `w:linePitch="579"`, `<w:sz w:val="32"/>`, `<w:sz w:val="44"/>`, `<w:sz w:val="28"/>`} {
		if strings.Contains(d+styles, stale) {
			t.Errorf("the DOCX of another style has the default's %s", stale)
		}
	}

	dir := t.TempDir()
	ours := filepath.Join(dir, "ours.pdf")
	var pb bytes.Buffer
	if err := pdf.Render(context.Background(), &pb, laid.Pages, doc); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ours, pb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "style.docx")
	if err := os.WriteFile(in, docx.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	pdfcheck.Tool(t, "soffice", "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")), "--headless", "--convert-to", "pdf", "--outdir", filepath.Join(dir, "lo"), in)
	lo := filepath.Join(dir, "lo", "style.pdf")

	a, b := measure(t, ours, st), measure(t, lo, st)
	t.Logf("ours %+v", a)
	t.Logf("LibreOffice %+v", b)
	if a.pages != len(laid.Pages) || b.pages != a.pages {
		t.Errorf("pages: LibreOffice %d, our PDF %d (layout %d)", b.pages, a.pages, len(laid.Pages))
	}
	for _, c := range []struct {
		what     string
		got, our float64
		tol      float64
	}{
		{"page width", b.width, a.width, 0.5},
		{"page height", b.height, a.height, 0.5},
		{"left margin (leftmost body glyph)", b.left, a.left, 1},
		{"title size (advance of its characters)", b.title, a.title, 0.3},
		{"body character pitch", b.body, a.body, 0.3},
		{"body line pitch", b.pitch, a.pitch, 0.2},
		{"page number baseline", b.numY, a.numY, 1},
		{"odd page number's last glyph", b.oddX, a.oddX, 1},
		{"even page number's first glyph", b.evenX, a.evenX, 1},
	} {
		if math.Abs(c.got-c.our) > c.tol {
			t.Errorf("%s: LibreOffice %.2f, our PDF %.2f", c.what, c.got, c.our)
		}
	}
	// Our PDF is the style's, so the comparison compares with the style.
	if math.Abs(a.width-st.PageWidth) > 0.5 || math.Abs(a.title-st.TitleSize) > 0.3 || math.Abs(a.pitch-st.LinePitch()) > 0.2 {
		t.Errorf("our PDF is not of the style: %+v", a)
	}
}

// pageMeasures are what TestStyle compares between two PDFs (pt).
type pageMeasures struct {
	pages         int
	width, height float64
	left          float64 // the leftmost glyph origin of the body (pages 2 and on)
	title         float64 // the median advance in the title's first line
	body          float64 // the median advance in body lines
	pitch         float64 // the median distance between body baselines
	numY          float64 // the page number's baseline
	oddX, evenX   float64 // page 1's number's last glyph, page 2's first
}

func measure(t *testing.T, file string, st layout.Style) pageMeasures {
	t.Helper()
	var m pageMeasures
	info := pdfcheck.Tool(t, "pdfinfo", file)
	if s := regexp.MustCompile(`Page size:\s+([\d.]+) x ([\d.]+) pts`).FindStringSubmatch(info); s != nil {
		fmt.Sscan(s[1], &m.width)
		fmt.Sscan(s[2], &m.height)
	}
	m.pages = pdfcheck.PageCount(t, file)
	byPage := map[int][]pdfcheck.Glyph{}
	for _, g := range pdfcheck.Glyphs(t, file) {
		byPage[g.Page] = append(byPage[g.Page], g)
	}
	// rows groups a page's glyphs by baseline, top to bottom.
	rows := func(gs []pdfcheck.Glyph) [][]pdfcheck.Glyph {
		gs = slices.Clone(gs)
		slices.SortStableFunc(gs, func(a, b pdfcheck.Glyph) int {
			if math.Abs(a.Y-b.Y) > 0.5 {
				return cmpf(a.Y, b.Y)
			}
			return cmpf(a.X, b.X)
		})
		var out [][]pdfcheck.Glyph
		for _, g := range gs {
			if n := len(out); n > 0 && math.Abs(out[n-1][0].Y-g.Y) <= 0.5 {
				out[n-1] = append(out[n-1], g)
				continue
			}
			out = append(out, []pdfcheck.Glyph{g})
		}
		return out
	}
	advances := func(row []pdfcheck.Glyph) []float64 {
		var d []float64
		for i := 1; i < len(row); i++ {
			d = append(d, row[i].X-row[i-1].X)
		}
		return d
	}
	p1 := rows(byPage[1])
	if len(p1) < 2 {
		t.Fatalf("%s: page 1 has %d lines", file, len(p1))
	}
	m.title = median(advances(p1[0]))
	last := p1[len(p1)-1] // the page number, below the 版心
	m.numY = last[0].Y
	m.oddX = last[len(last)-1].X
	if p2 := rows(byPage[2]); len(p2) > 0 {
		num := p2[len(p2)-1]
		m.evenX = num[0].X
	}
	m.left = math.Inf(1)
	var body, pitch []float64
	for p := 2; p <= m.pages; p++ {
		rs := rows(byPage[p])
		for i, r := range rs[:max(len(rs)-1, 0)] { // not the page number
			m.left = min(m.left, r[0].X)
			// A full body line: as many glyphs as the grid holds, less the
			// indent and a squeezed mark.
			if len(r) >= st.Chars-2 && len(r) <= st.Chars+1 {
				body = append(body, advances(r)...)
				if i > 0 && len(rs[i-1]) >= st.Chars-2 {
					pitch = append(pitch, r[0].Y-rs[i-1][0].Y)
				}
			}
		}
	}
	m.body, m.pitch = median(body), median(pitch)
	return m
}

func cmpf(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	v = slices.Clone(v)
	slices.Sort(v)
	return v[len(v)/2]
}
