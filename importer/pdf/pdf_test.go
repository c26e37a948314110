package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/govreport/govreport/fonts"
	_ "github.com/govreport/govreport/fonts/faces"
	"github.com/govreport/govreport/importer/flow"
	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render/docx"
	rpdf "github.com/govreport/govreport/render/pdf"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

const root = "../.."

var now = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

var dump = flag.Bool("dump", false, "log the flow read from each PDF")

type built struct {
	name string
	doc  *layout.Document
	pdf  []byte
	docx []byte
	// embed is the DOCX with the PDF's faces embedded (docx.FontsEmbed).
	embed []byte
}

var fontSet = sync.OnceValues(fonts.Default)

// build lays out a report and renders it to PDF and DOCX as
// govreport render does.
func build(t testing.TB, file string) built {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	r, f, err := templates.Decode(data, report.Options{Now: now})
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	doc, err := f.Build(r, templates.BuildOptions{Creator: "govreport test"})
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	set, err := fontSet()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	pages, err := layout.Paginate(ctx, doc, set, layout.DefaultStyle())
	if err != nil {
		t.Fatal(err)
	}
	var p, d, e bytes.Buffer
	if err := rpdf.Render(ctx, &p, pages, doc); err != nil {
		t.Fatal(err)
	}
	if err := docx.Render(ctx, &d, doc, set, docx.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := docx.Render(ctx, &e, doc, set, docx.Options{Fonts: docx.FontsEmbed}); err != nil {
		t.Fatal(err)
	}
	return built{name: strings.TrimSuffix(filepath.Base(file), ".json"), doc: doc, pdf: p.Bytes(), docx: d.Bytes(), embed: e.Bytes()}
}

// TestRoundTrip reads back every valid report rendered by govreport and
// by LibreOffice from our DOCX in both font modes (official names, and the
// faces embedded): every paragraph's text is one Para, in
// order, and every table's grid is the layout's, cell by cell, with its
// spans, one Table however many pages it crosses.
func TestRoundTrip(t *testing.T) {
	pdfcheck.Need(t, "soffice")
	files := pdfcheck.ValidReports(t, root)
	dir := t.TempDir()
	var bs []built
	var paths []string
	for _, f := range files {
		b := build(t, f)
		bs = append(bs, b)
		for name, data := range map[string][]byte{b.name: b.docx, b.name + "-embed": b.embed} {
			p := filepath.Join(dir, name+".docx")
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
	}
	outDir := filepath.Join(dir, "lo")
	profile := "file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	pdfcheck.Tool(t, "soffice", append([]string{"-env:UserInstallation=" + profile, "--headless", "--convert-to", "pdf", "--outdir", outDir}, paths...)...)
	if !slicesContain(files, "qinghe-county-2020.json") {
		t.Errorf("the 2019-format report qinghe-county-2020 is not among the valid reports")
	}
	for _, b := range bs {
		t.Run(b.name+"/govreport", func(t *testing.T) {
			checkFlow(t, b.doc, b.pdf, false)
		})
		for _, mode := range []string{"", "-embed"} {
			t.Run(b.name+"/libreoffice"+mode, func(t *testing.T) {
				lo, err := os.ReadFile(filepath.Join(outDir, b.name+mode+".pdf"))
				if err != nil {
					t.Fatal(err)
				}
				checkFlow(t, b.doc, lo, true)
			})
		}
	}
}

func slicesContain(files []string, base string) bool {
	for _, f := range files {
		if filepath.Base(f) == base {
			return true
		}
	}
	return false
}

// want is one block the flow must hold: a paragraph's text or a table.
type want struct {
	text  string
	kind  string // title, heading, paragraph, signature
	table *layout.Table
}

func wants(doc *layout.Document) []want {
	var ws []want
	for _, b := range doc.Blocks {
		switch b := b.(type) {
		case *layout.Title:
			ws = append(ws, want{text: b.Text, kind: "title"})
		case *layout.Heading:
			ws = append(ws, want{text: b.Text, kind: "heading"})
		case *layout.Paragraph:
			var s strings.Builder
			for _, r := range b.Runs {
				s.WriteString(r.Text)
			}
			ws = append(ws, want{text: s.String(), kind: "paragraph"})
		case *layout.Table:
			ws = append(ws, want{table: b})
		case *layout.Signature:
			ws = append(ws, want{text: b.Agency, kind: "signature"}, want{text: b.Date, kind: "signature"})
		}
	}
	return ws
}

// hanging is the punctuation LibreOffice may leave out of its PDF where
// it hangs a line's last character past the margin (pdftotext does not
// find it either): in LibreOffice's PDFs a paragraph may lack it.
var hanging = strings.NewReplacer("。", "", "，", "", "、", "")

func checkFlow(t *testing.T, doc *layout.Document, data []byte, libreOffice bool) {
	t.Helper()
	d, err := Read(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	if *dump {
		t.Log("\n" + dumpDoc(d))
	}
	k := 0
	for _, w := range wants(doc) {
		found := -1
		for i := k; i < len(d.Blocks) && found < 0; i++ {
			b := d.Blocks[i]
			switch {
			case w.table == nil && b.Para != nil && b.Para.Text == w.text:
				found = i
			case w.table == nil && b.Para != nil && libreOffice && hanging.Replace(b.Para.Text) == hanging.Replace(w.text):
				t.Logf("LibreOffice left out punctuation: %q", b.Para.Text)
				found = i
			case w.table != nil && b.Table != nil:
				if diff := gridDiff(w.table, b.Table); diff != "" {
					t.Errorf("table %s (block %d): %s", w.table.Name, i, diff)
				}
				found = i
			}
		}
		if found < 0 {
			if w.table != nil {
				t.Errorf("table %s: no table after block %d", w.table.Name, k)
			} else {
				t.Errorf("no paragraph %q after block %d", w.text, k)
			}
			continue
		}
		if p := d.Blocks[found].Para; p != nil {
			if msg := checkPara(w.kind, p); msg != "" {
				t.Errorf("%s %q: %s", w.kind, w.text, msg)
			}
		}
		k = found + 1
	}
	// A title, a heading, the signature: one paragraph each, nothing
	// else between them but what the report holds.
	if n := len(d.Blocks); n != len(wants(doc)) {
		t.Errorf("%d blocks, want %d", n, len(wants(doc)))
	}
}

// checkPara checks what the importer tells a title, a heading, a body
// paragraph and the signature by: the title is centred and larger than the
// body (三号, 16 pt); headings and paragraphs are indented two characters;
// the signature's agency and date are set off to the right.
func checkPara(kind string, p *flow.Para) string {
	switch kind {
	case "title":
		if p.Align != flow.AlignCenter || p.Size < 20 || p.Page != 1 {
			return fmt.Sprintf("align %d, size %g, page %d; want centred (%d), at least 20 pt, page 1", p.Align, p.Size, p.Page, flow.AlignCenter)
		}
	case "heading", "paragraph":
		if p.Align != flow.AlignLeft || p.Size != 16 || p.Indent < 1.8 || p.Indent > 2.2 {
			return fmt.Sprintf("align %d, size %g, indent %g; want left (%d), 16 pt, 2 em", p.Align, p.Size, p.Indent, flow.AlignLeft)
		}
	case "signature":
		if p.Size != 16 || p.Indent < 6 {
			return fmt.Sprintf("size %g, indent %g; want 16 pt, at least 6 em", p.Size, p.Indent)
		}
	}
	return ""
}

type cellKey struct{ r, c int }

type cellVal struct {
	text   string
	rs, cs int
}

// gridDiff compares a table read back with the layout's.
func gridDiff(lt *layout.Table, ft *flow.Table) string {
	want := map[cellKey]cellVal{}
	for _, c := range lt.Cells {
		want[cellKey{c.Row, c.Col}] = cellVal{c.Text, c.RowSpan, c.ColSpan}
	}
	got := map[cellKey]cellVal{}
	for ri, r := range ft.Rows {
		for _, c := range r.Cells {
			got[cellKey{ri, c.Col}] = cellVal{c.Text, c.RowSpan, c.ColSpan}
		}
	}
	var diffs []string
	if len(ft.Rows) != lt.Rows {
		diffs = append(diffs, fmt.Sprintf("%d rows, want %d", len(ft.Rows), lt.Rows))
	}
	for k, w := range want {
		if g, ok := got[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("row %d col %d: missing, want %+v", k.r, k.c, w))
		} else if g != w {
			diffs = append(diffs, fmt.Sprintf("row %d col %d: %+v, want %+v", k.r, k.c, g, w))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("row %d col %d: extra %+v", k.r, k.c, g))
		}
	}
	if len(diffs) > 8 {
		diffs = append(diffs[:8], fmt.Sprintf("and %d more", len(diffs)-8))
	}
	return strings.Join(diffs, "; ")
}

func dumpDoc(d *flow.Doc) string {
	var s strings.Builder
	for _, bl := range d.Blocks {
		if q := bl.Para; q != nil {
			fmt.Fprintf(&s, "P p%d align=%d size=%.1f bold=%v indent=%.1f %s\n", q.Page, q.Align, q.Size, q.Bold, q.Indent, q.Text)
			continue
		}
		fmt.Fprintf(&s, "T p%d\n", bl.Table.Page)
		for _, r := range bl.Table.Rows {
			fmt.Fprintf(&s, "  p%d", r.Page)
			for _, c := range r.Cells {
				v := ""
				if c.Vertical {
					v = " V"
				}
				fmt.Fprintf(&s, " [%d+%dx%d%s %s]", c.Col, c.ColSpan, c.RowSpan, v, c.Text)
			}
			s.WriteByte('\n')
		}
	}
	return s.String()
}

// imagePDF is a one-page PDF holding only an image, as a scanner makes.
func imagePDF(t testing.TB) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 40, 40))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	img.Set(3, 3, color.Black)
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, img, nil); err != nil {
		t.Fatal(err)
	}
	content := "q 400 0 0 400 100 200 cm /Im0 Do Q"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width 40 /Height 40 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream", jb.Len(), jb.Bytes()),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
	}
	return assemble(objs)
}

// assemble writes objects 1… into a PDF with a classic xref table.
func assemble(objs []string) []byte { return pdfcheck.Assemble(objs) }

func TestScanned(t *testing.T) {
	_, err := Read(context.Background(), imagePDF(t))
	if !errors.Is(err, ErrNoText) {
		t.Fatalf("Read of an image-only PDF: %v, want ErrNoText", err)
	}
}

func handMade() []byte {
	tu := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"2 beginbfrange <0001> <0002> <653F> <0003> <0004> [<5E9C> <4FE1>] endbfrange\n1 beginbfchar <0005> <606F> endbfchar endcmap end end"
	c1 := "BT /F1 9 Tf 72 800 Td (Annual report) Tj ET BT /F1 12 Tf 72 700 Td (Caf\\351 au lait) Tj ET BT /F2 16 Tf 72 650 Td <00010003000400050002> Tj ET BT /F1 10 Tf 290 40 Td (- 1 -) Tj ET"
	c2 := "BT /F1 9 Tf 72 800 Td (Annual report) Tj ET BT /F1 12 Tf 72 700 Td [(x)-3000(y)] TJ ET BT /F1 10 Tf 290 40 Td (- 2 -) Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
		"<< /Type /Page /Parent 2 0 R /Contents 9 0 R >>",
		"<< /Type /Page /Parent 2 0 R /Contents 10 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding /WinAnsiEncoding /Differences [120 /uni6587] >> >>",
		"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [7 0 R] /ToUnicode 8 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(tu), tu),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(c1), c1),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(c2), c2),
	}
	return assemble(objs)
}

// TestHandMade reads a hand-made PDF: a WinAnsi Helvetica line with
// Differences, a Type0 Identity-H font with a ToUnicode CMap (bfrange in
// both forms), a running head and page numbers (dropped), on two pages
// whose paragraph does not go on (its last line is short); CJK and Latin
// join without a space.
func TestHandMade(t *testing.T) {
	d, err := Read(context.Background(), handMade())
	if err != nil {
		t.Fatal(err)
	}
	got := d.Text()
	want := "Café au lait\n政府信息敀\n文y\n"
	if got != want {
		t.Errorf("text %q, want %q", got, want)
	}
}

// TestEncrypted reads a PDF encrypted with an empty user password (as
// "restrict printing" files are) and refuses one that needs a password.
func TestEncrypted(t *testing.T) {
	bt := build(t, filepath.Join(root, "testdata/reports/yongxing-2024.json"))
	plain, err := Read(context.Background(), bt.pdf)
	if err != nil {
		t.Fatal(err)
	}
	encrypt := func(user string) []byte {
		var b bytes.Buffer
		conf := model.NewAESConfiguration(user, "owner-secret", 256)
		if err := api.Encrypt(bytes.NewReader(bt.pdf), &b, conf); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	d, err := Read(context.Background(), encrypt(""))
	if err != nil {
		t.Fatalf("empty user password: %v", err)
	}
	if d.Text() != plain.Text() {
		t.Errorf("empty user password: the text differs from the plain file's")
	}
	if _, err := Read(context.Background(), encrypt("secret")); !errors.Is(err, ErrEncrypted) {
		t.Errorf("a user password: %v, want ErrEncrypted", err)
	}
}

// TestLimits: a decompression bomb, a flood of operators and a cancelled
// context each stop the reader with a clear error, not a hang or a crash.
func TestLimits(t *testing.T) {
	page := func(content []byte, filter string) []byte {
		return assemble([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
			fmt.Sprintf("<< /Length %d %s >>\nstream\n%s\nendstream", len(content), filter, content),
			"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		})
	}
	deflate := func(b []byte) []byte {
		var z bytes.Buffer
		w := zlib.NewWriter(&z)
		w.Write(b)
		w.Close()
		return z.Bytes()
	}
	bomb := deflate(bytes.Repeat([]byte("BT ET "), 8<<20)) // 48 MiB
	flood := deflate(bytes.Repeat([]byte("n "), maxOps+10))
	for _, tc := range []struct {
		name string
		pdf  []byte
	}{
		{"bomb", page(bomb, "/Filter /FlateDecode")},
		{"operators", page(flood, "/Filter /FlateDecode")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Read(context.Background(), tc.pdf); !errors.Is(err, ErrLimit) {
				t.Errorf("got %v, want ErrLimit", err)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	bt := build(t, filepath.Join(root, "testdata/reports/yongxing-2024.json"))
	if _, err := Read(ctx, bt.pdf); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
}

// TestRotated reads a landscape page set as a portrait one turned by
// /Rotate 90, its content drawn turned back, as office suites write a
// landscape section.
func TestRotated(t *testing.T) {
	c := "q 0 1 -1 0 595 0 cm BT /F1 12 Tf 72 500 Td (first line) Tj ET BT /F1 12 Tf 72 480 Td (second) Tj ET Q"
	d, err := Read(context.Background(), assemble([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] /Rotate 90 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(c), c),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.Text(), "first line\nsecond\n"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}

// TestFileStructure reads the seed PDF rewritten with object streams and
// an xref stream, and with an incremental update that replaces page 1's
// content: the newest revision is the one read.
func TestFileStructure(t *testing.T) {
	bt := build(t, filepath.Join(root, "testdata/reports/yongxing-2024.json"))
	plain, err := Read(context.Background(), bt.pdf)
	if err != nil {
		t.Fatal(err)
	}
	var packed bytes.Buffer
	conf := model.NewDefaultConfiguration()
	conf.WriteObjectStream, conf.WriteXRefStream = true, true
	if err := api.Optimize(bytes.NewReader(bt.pdf), &packed, conf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(packed.Bytes(), []byte("/ObjStm")) || !bytes.Contains(packed.Bytes(), []byte("/XRef")) {
		t.Fatal("the rewritten file has no object stream or no xref stream")
	}
	d, err := Read(context.Background(), packed.Bytes())
	if err != nil {
		t.Fatalf("object streams: %v", err)
	}
	if d.Text() != plain.Text() {
		t.Errorf("object streams: the text differs from the plain file's")
	}

	// An update appended to the hand-made file of TestHandMade's kind.
	base := assemble([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		"<< /Length 34 >>\nstream\nBT /F1 12 Tf 72 700 Td (old) Tj ET\nendstream",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	})
	prev := bytes.LastIndex(base, []byte("startxref\n"))
	var prevOff int
	fmt.Sscan(string(base[prev+len("startxref\n"):]), &prevOff)
	var b bytes.Buffer
	b.Write(base)
	off := b.Len()
	content := "BT /F1 12 Tf 72 700 Td (new) Tj ET"
	fmt.Fprintf(&b, "4 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n", len(content), content)
	x := b.Len()
	fmt.Fprintf(&b, "xref\n4 1\n%010d 00000 n \ntrailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", off, prevOff, x)
	d, err = Read(context.Background(), b.Bytes())
	if err != nil {
		t.Fatalf("incremental update: %v", err)
	}
	if got := d.Text(); got != "new\n" {
		t.Errorf("incremental update: %q, want the new revision's \"new\\n\"", got)
	}
}

// TestConcurrent reads one PDF from several goroutines, as the server does
// (run with -race): the reader shares nothing between reads.
func TestConcurrent(t *testing.T) {
	bt := build(t, filepath.Join(root, "testdata/reports/yongxing-2024.json"))
	want, err := Read(context.Background(), bt.pdf)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			d, err := Read(context.Background(), bt.pdf)
			if err != nil {
				t.Error(err)
				return
			}
			if d.Text() != want.Text() {
				t.Error("a concurrent read gave another text")
			}
		})
	}
	wg.Wait()
}

// TestChromium reads a third producer's PDF: Chromium's (Skia) print of
// testdata/chromium.html, a report's opening, a table with row- and
// column-span labels, and a signature. Its fonts' ToUnicode give radicals
// for shared glyphs (⼈ for 人), which read as the ideographs.
func TestChromium(t *testing.T) {
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("no Chromium at %s (apt-get install chromium): %v", chromium, err)
	}
	html, err := filepath.Abs("testdata/chromium.html")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "chromium.pdf")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--no-pdf-header-footer", "--user-data-dir="+t.TempDir(), "--print-to-pdf="+out, "file://"+html)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Read(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	want := `P p1 align=2 size=22.0 bold=true indent=0.4 某某县人民政府2024年政府信息公开工作年度报告
P p1 align=1 size=16.0 bold=false indent=2.0 本报告根据《中华人民共和国政府信息公开条例》和国办公开办函〔2021〕30号要求编制，全年共收到政府信息公开申请12件，结转下年度办理1件，相关信息详见https://www.example.gov.cn/xxgk/index.html页面。
P p1 align=1 size=16.0 bold=false indent=2.0 一、总体情况
T p1
  p1 [0+3x2 （本列数据的勾稽关系）] [3+2x1 申请人情况]
  p1 [3+1x1 自然人] [4+1x1 总计]
  p1 [0+1x3 三、本年度办理结果] [1+2x1 （一）予以公开] [3+1x1 3] [4+1x1 3]
  p1 [1+1x2 （三）不予公开] [2+1x1 1.属于国家秘密] [3+1x1 0] [4+1x1 0]
  p1 [2+1x1 2.其他法律行政法规禁止公开] [3+1x1 1] [4+1x1 1]
P p1 align=3 size=16.0 bold=false indent=20.6 某某县人民政府
P p1 align=3 size=16.0 bold=false indent=20.8 2025年1月20日
`
	// Indents and weights depend on the fonts installed: not compared.
	loose := regexp.MustCompile(` (bold|indent)=\S+`)
	if got := loose.ReplaceAllString(dumpDoc(d), ""); got != loose.ReplaceAllString(want, "") {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestParagraphSpacing: paragraphs set without a first-line indent, told
// apart by the space between them (as many Word documents are), are not
// run together; the lines of each are.
func TestParagraphSpacing(t *testing.T) {
	full := strings.TrimSpace(strings.Repeat("abcd ", 12))
	var c strings.Builder
	for _, l := range []struct {
		y    float64
		text string
	}{{700, full}, {685, "end one"}, {660, full}, {645, full}, {620, full}, {605, "end three"}} {
		fmt.Fprintf(&c, "BT /F1 12 Tf 72 %g Td (%s) Tj ET ", l.y, l.text)
	}
	d, err := Read(context.Background(), assemble([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595 842] >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", c.Len(), c.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}))
	if err != nil {
		t.Fatal(err)
	}
	// The second paragraph's last line is full: only the space after it
	// ends it.
	want := full + " end one\n" + full + " " + full + "\n" + full + " end three\n"
	if got := d.Text(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestRadicals: the radicals Chromium's and many Chinese fonts' ToUnicode
// give for shared glyphs read as the ideographs (人民 written ⼈⺠, 见 ⻅,
// 工作 ⼯作 in a Chromium PDF).
func TestRadicals(t *testing.T) {
	for in, want := range map[string]string{
		"⼈⺠政府": "人民政府", "⼯作": "工作", "详⻅⻚⾯": "详见页面", "⾏政法规禁⽌": "行政法规禁止",
		"已是人民": "已是人民", "⺠": "民",
	} {
		if got := unifyRadicals(in); got != want {
			t.Errorf("unifyRadicals(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkRead(b *testing.B) {
	bt := build(b, filepath.Join(root, "testdata/reports/yongxing-2024.json"))
	ctx := context.Background()
	b.SetBytes(int64(len(bt.pdf)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(ctx, bt.pdf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadParallel is the throughput of reads on every core (the
// issue's figure is PDFs a second on 2 cores: 1e9 / ns/op).
func BenchmarkReadParallel(b *testing.B) {
	bt := build(b, filepath.Join(root, "testdata/reports/yongxing-2024.json"))
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := Read(ctx, bt.pdf); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func FuzzRead(f *testing.F) {
	bt := build(f, filepath.Join(root, "testdata/reports/yongxing-2024.json"))
	f.Add(bt.pdf)
	f.Add(imagePDF(f))
	f.Add(handMade())
	f.Add(handMadeTable())
	f.Add(cutRowPDF())
	f.Add([]byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj trailer << /Root 1 0 R >> %%EOF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		d, err := Read(ctx, data)
		if err == nil && d == nil {
			t.Fatal("nil doc without an error")
		}
	})
}

func handMadeTable() []byte {
	tu := "begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"1 beginbfrange <0001> <0004> [<529E> <7406> <7ED3> <679C>] endbfrange endcmap"
	rules := func(hs [][3]float64, vs [][3]float64) string {
		var b strings.Builder
		b.WriteString("0.5 w ")
		for _, h := range hs {
			fmt.Fprintf(&b, "%g %g m %g %g l S ", h[1], h[0], h[2], h[0])
		}
		for _, v := range vs {
			fmt.Fprintf(&b, "%g %g m %g %g l S ", v[0], v[1], v[0], v[2])
		}
		return b.String()
	}
	label := func(ys ...float64) string {
		var b strings.Builder
		for i, y := range ys {
			fmt.Fprintf(&b, "BT /F2 8 Tf 121 %g Td <%04x> Tj ET ", y, i+1)
		}
		return b.String()
	}
	head := "BT /F1 10 Tf 110 685 Td (Item) Tj ET BT /F1 10 Tf 190 685 Td (Count) Tj ET "
	c1 := head + rules([][3]float64{{700, 100, 250}, {680, 100, 250}, {640, 150, 250}, {600, 100, 250}},
		[][3]float64{{100, 600, 700}, {150, 600, 700}, {250, 600, 700}}) +
		label(665, 650, 635, 620) + "BT /F1 10 Tf 200 655 Td (1) Tj ET BT /F1 10 Tf 200 615 Td (2) Tj ET"
	c2 := head + rules([][3]float64{{700, 100, 250}, {680, 100, 250}, {640, 100, 250}},
		[][3]float64{{100, 640, 700}, {150, 640, 700}, {250, 640, 700}}) +
		label(668, 659, 650, 641) + "BT /F1 10 Tf 200 655 Td (3) Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
		"<< /Type /Page /Parent 2 0 R /Contents 9 0 R >>",
		"<< /Type /Page /Parent 2 0 R /Contents 10 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Font /Subtype /Type0 /BaseFont /SimHei /Encoding /Identity-H /DescendantFonts [7 0 R] /ToUnicode 8 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /SimHei /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /W [1 [1000 1000] 3 4 1000] >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(tu), tu),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(c1), c1),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(c2), c2),
	}
	return assemble(objs)
}

// TestHandMadeTable reads a table as Word or WPS draws one: continued on
// a second page that repeats its header row, with a row-span label set
// one character per line that the second page prints again.
func TestHandMadeTable(t *testing.T) {
	d, err := Read(context.Background(), handMadeTable())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.Text(), "Item\tCount\n办理结果\t1\n2\n3\n"; got != want {
		t.Errorf("text %q, want %q\n%s", got, want, dumpDoc(d))
	}
	if len(d.Blocks) != 1 || d.Blocks[0].Table == nil {
		t.Fatalf("want one table:\n%s", dumpDoc(d))
	}
	tb := d.Blocks[0].Table
	if c := tb.Rows[1].Cells[0]; c.RowSpan != 3 || !c.Vertical || c.Col != 0 {
		t.Errorf("label cell %+v, want a vertical cell spanning 3 rows at column 0", c)
	}
	if tb.Rows[3].Page != 2 || tb.Page != 1 {
		t.Errorf("pages: table %d, last row %d; want 1 and 2", tb.Page, tb.Rows[3].Page)
	}
}

// TestLandscapePage: a landscape page among portrait ones is measured
// with its own text block (its heading indented 2 em from its own left
// margin, which its table shows), and the page number turned down its
// left edge is dropped as the margin's.
func TestLandscapePage(t *testing.T) {
	full := strings.TrimSpace(strings.Repeat("abcd ", 12))
	var p1, p2 strings.Builder
	for i := range 14 {
		x := 72
		if i%2 == 0 {
			x = 96 // a paragraph's first line, indented 2 em
		}
		fmt.Fprintf(&p1, "BT /F1 12 Tf %d %d Td (%s.) Tj ET ", x, 760-20*i, full)
	}
	// The landscape page: text block 100–742, heading indented 2 em,
	// a two-cell table, the number turned a quarter down the left edge.
	p2.WriteString("BT /F1 12 Tf 124 540 Td (Heading four) Tj ET ")
	p2.WriteString("0.5 w 100 520 m 742 520 l S 100 500 m 742 500 l S 100 480 m 742 480 l S ")
	p2.WriteString("100 520 m 100 480 l S 421 520 m 421 480 l S 742 520 m 742 480 l S ")
	p2.WriteString("BT /F1 10 Tf 110 505 Td (left) Tj ET BT /F1 10 Tf 431 505 Td (right) Tj ET ")
	p2.WriteString("BT /F1 10 Tf 110 485 Td (one) Tj ET BT /F1 10 Tf 431 485 Td (two) Tj ET ")
	p2.WriteString("BT /F1 12 Tf 0 -1 1 0 40 320 Tm (- 2 -) Tj ET ")
	d, err := Read(context.Background(), assemble([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", p1.Len(), p1.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Resources << /Font << /F1 5 0 R >> >> /Contents 7 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", p2.Len(), p2.String()),
	}))
	if err != nil {
		t.Fatal(err)
	}
	var heading *flow.Para
	for _, b := range d.Blocks {
		if b.Para != nil && b.Para.Page == 2 {
			if heading != nil {
				t.Errorf("a second paragraph on the landscape page: %q", b.Para.Text)
				continue
			}
			heading = b.Para
		}
	}
	switch {
	case heading == nil:
		t.Fatalf("no heading on the landscape page:\n%s", d.Text())
	case heading.Text != "Heading four" || heading.Indent != 2:
		t.Errorf("landscape heading %q indented %.1f em, want %q at 2 em", heading.Text, heading.Indent, "Heading four")
	}
	if n := len(d.Blocks); n == 0 || d.Blocks[n-1].Table == nil || d.Blocks[n-1].Table.Rows[1].Cells[1].Text != "two" {
		t.Errorf("the landscape table is not the last block:\n%s", d.Text())
	}
}
