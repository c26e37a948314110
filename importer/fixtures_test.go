package importer_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govreport/govreport/importer"
	"github.com/govreport/govreport/internal/pdfcheck"
)

var update = flag.Bool("update", false, "rewrite the fixtures' golden .json and .problems files")

// want is a problem a fixture must give: severity, code and pointer.
type want struct {
	severity, code, pointer string
	where                   string // a part of Where, if not empty
}

const (
	W = importer.SeverityWarning
	E = importer.SeverityError
)

// TestFixtures imports the hand-made fixtures, each a way agencies
// publish that differs from govreport's own output: each problem listed
// must be found, and the whole JSON and problem list must equal the
// golden files beside the fixture (go test ./importer -update rewrites
// them).
func TestFixtures(t *testing.T) {
	for _, tt := range fixtures {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res, err := importer.Import(context.Background(), data, importer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, res, true)
			golden(t, path+".json", res.JSON)
			golden(t, path+".problems", []byte(problemLines(res)))
		})
	}
}

// fixture is a hand-made published report and what its import must give.
type fixture struct {
	file   string
	format string
	valid  bool // decodes (no error)
	want   []want
}

// check checks the format, validity and wanted problems of an import of
// the fixture; where compares the problems' Where too (a PDF's names
// pages, not the document's tables).
func (tt fixture) check(t *testing.T, res *importer.Result, where bool) {
	t.Helper()
	if res.Format != tt.format {
		t.Errorf("format %s, want %s", res.Format, tt.format)
	}
	if res.HasErrors() == tt.valid {
		t.Errorf("has errors: %v, want %v", res.HasErrors(), !tt.valid)
	}
	for _, w := range tt.want {
		found := false
		for _, p := range res.Problems {
			if p.Severity == w.severity && p.Code == w.code && p.Pointer == w.pointer && (!where || strings.Contains(p.Where, w.where)) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s %s at %q (where %q)", w.severity, w.code, w.pointer, w.where)
		}
	}
}

// checkPDF imports a PDF made of the fixture (by an office program or a
// browser): the format, validity and problems of the fixture, and its
// very JSON.
func (tt fixture) checkPDF(t *testing.T, data []byte) {
	t.Helper()
	res, err := importer.Import(context.Background(), data, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Kind != importer.KindPDF {
		t.Fatalf("kind %s", res.Kind)
	}
	tt.check(t, res, false)
	want, err := os.ReadFile(filepath.Join("testdata", tt.file+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if string(res.JSON) != string(want) {
		t.Errorf("the PDF's JSON differs from the fixture's:\n%s", res.JSON)
	}
}

var fixtures = []fixture{
	{file: "portal-2021-gb2312.html", format: "gov-info-disclosure/2021", want: []want{
		// "3件" in a count cell
		{E, importer.CodeCellText, "/reviews_and_litigation/administrative_review/upheld", "表四（文档第3个表格）第4行 × “结果维持”"},
		// the page's footer and publication line
		{W, importer.CodeSkipped, "", "【打印本页】"},
		{W, importer.CodeSkipped, "", "发布日期"},
		// &nbsp; in a count cell
		{W, importer.CodeBlankCell, "/proactive_disclosure/coercion_decisions", "“行政强制”"},
		{W, importer.CodeBlankCell, "/applications/outcomes/withheld/state_secret/natural_person", "“1.属于国家秘密” × “自然人”"},
		// 总计 left blank
		{W, importer.CodeBlankTotal, "/applications/outcomes/disclosed/total", "第6行“（一）予以公开” × “总计”"},
		{W, importer.CodeBlankTotal, "/reviews_and_litigation/administrative_review/total", "× “总计”"},
		// a label with a wrong character
		{W, importer.CodeLabel, "/applications/outcomes/withheld/prohibited_by_law", "“2.其他法律行政止公开”"},
		// （六） as one row
		{W, importer.CodeMergedRow, "/applications/outcomes/other_handling/other", "第24行“（六）其他处理”"},
	}},
	{file: "mixed-2019-table2.html", format: "gov-info-disclosure/2021", valid: true, want: []want{
		{W, importer.CodeTableFormat, "/proactive_disclosure", "表二"},
		{W, importer.CodeTableFormat, "/proactive_disclosure/rules/issued", "第3行“规章”"},
		{W, importer.CodeLabel, "/proactive_disclosure/normative_documents", "“规范性文件”"},
		{W, importer.CodeTableFormat, "/proactive_disclosure/fee_income_wan_yuan", "“行政事业性收费”"},
	}},
	// written by python-docx (testdata/make-docx.py): a heading table,
	// bold headings, other widths, merges by gridSpan, vMerge and
	// hMerge, a table in the prose
	{file: "word-python-docx.docx", format: "gov-info-disclosure/2021", valid: true, want: []want{
		{W, importer.CodeLabel, "/applications/outcomes/not_processed/confirmation", "第23行“5.要求行政机关确认或重新出具已获信息”"},
		{W, importer.CodeSkipped, "/other_matters", "六、其他需要报告的事项"},
	}},
	// the same, with the variants of the tables agencies publish (written
	// by make-docx.py too): "/", "—" and "-" read as null, the labels in
	// traditional characters (本機關, 無法) mapped without a word
	{file: "word-python-docx-variants.docx", format: "gov-info-disclosure/2021", want: []want{
		{E, importer.CodeCellText, "/reviews_and_litigation/administrative_review/upheld", "表四（文档第3个表格）第4行 × “结果维持”"},
		{W, importer.CodeBlankCell, "/proactive_disclosure/coercion_decisions", "“行政强制”"},
		{W, importer.CodeBlankCell, "/applications/outcomes/withheld/state_secret/natural_person", "“1.属于国家秘密” × “自然人”"},
		{W, importer.CodeBlankTotal, "/applications/outcomes/disclosed/total", "第6行“（一）予以公开” × “总计”"},
		{W, importer.CodeBlankTotal, "/reviews_and_litigation/administrative_review/total", "× “总计”"},
		{W, importer.CodeLabel, "/applications/outcomes/withheld/prohibited_by_law", "“2.其他法律行政止公开”"},
		{W, importer.CodeMergedRow, "/applications/outcomes/other_handling/other", "“（六）其他处理”"},
	}},
}

// utf8Page writes the HTML page at path into dir in UTF-8, its meta tag
// saying so. LibreOffice reads charset=gb2312 as GB2312 proper, so the
// GBK characters of a page so labelled (the traditional labels of
// portal-2021-gb2312.html) come out as other characters in its PDF;
// browsers read gb2312 as GBK (WHATWG Encoding), and the page is given to
// LibreOffice as they show it.
func utf8Page(t *testing.T, path, dir string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(data) {
		if data, err = simplifiedchinese.GB18030.NewDecoder().Bytes(data); err != nil {
			t.Fatal(err)
		}
	}
	data = regexp.MustCompile(`(?i)charset\s*=\s*["']?[a-z0-9_-]+`).ReplaceAll(data, []byte("charset=utf-8"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, filepath.Base(path))
	if err := os.WriteFile(out, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

func problemLines(res *importer.Result) string {
	var b strings.Builder
	for _, p := range res.Problems {
		fmt.Fprintf(&b, "%s %s %s: %s | %s\n", p.Severity, p.Code, p.Pointer, p.MessageZh, p.Where)
	}
	return b.String()
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./importer -update writes it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs (go test ./importer -update rewrites it):\n%s", path, got)
	}
}

// TestFixturesPDF converts the hand-made fixtures to PDF with
// LibreOffice (an office-made PDF of a document laid out otherwise than
// ours, as an agency exports its Word file or prints its portal page)
// and imports that: the same format, the same problems at the same
// pointers, the same report JSON as the fixture itself gives.
func TestFixturesPDF(t *testing.T) {
	pdfcheck.Need(t, "soffice")
	dir := t.TempDir()
	var paths []string
	var docs []fixture
	for _, tt := range fixtures {
		path := filepath.Join("testdata", tt.file)
		if strings.HasSuffix(tt.file, ".html") {
			path = utf8Page(t, path, filepath.Join(dir, "in"))
		}
		paths = append(paths, path)
		docs = append(docs, tt)
	}
	if len(docs) == 0 {
		t.Fatal("no fixtures")
	}
	args := append([]string{"-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(dir, "profile")),
		"--headless", "--convert-to", "pdf", "--outdir", dir}, paths...)
	pdfcheck.Tool(t, "soffice", args...)
	for _, tt := range docs {
		t.Run(tt.file, func(t *testing.T) {
			base := strings.TrimSuffix(tt.file, filepath.Ext(tt.file))
			data, err := os.ReadFile(filepath.Join(dir, base+".pdf"))
			if err != nil {
				t.Fatal(err)
			}
			tt.checkPDF(t, data)
		})
	}
}

// TestFixturesChromium prints the HTML fixtures from Chromium, as a
// reader saves a portal's page as PDF, and imports that: the same format,
// problems and JSON as the page itself gives. (Chromium fills a table's
// borders as trapezoids, draws each cell's box apart from the next where
// the table keeps its default cell spacing, and sets the page's footer on
// a page of its own.) It prints with the machine's fonts, which decide
// where the pages break; TestFixturesPrinted reads the layouts of known
// fonts on any machine.
func TestFixturesChromium(t *testing.T) {
	n := 0
	for _, tt := range fixtures {
		if !strings.HasSuffix(tt.file, ".html") {
			continue
		}
		n++
		t.Run(tt.file, func(t *testing.T) {
			tt.checkPDF(t, printChromium(t, filepath.Join("testdata", tt.file), nil))
		})
	}
	if n == 0 {
		t.Fatal("no HTML fixtures")
	}
}

// printChromium prints the HTML page at path from Chromium, with the
// environment env added to the test's, and returns the PDF.
func printChromium(t *testing.T, path string, env []string) []byte {
	t.Helper()
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("no Chromium at %s (apt-get install chromium): %v", chromium, err)
	}
	page, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "page.pdf")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// The flags keep Chromium off the network, which this machine's
	// closed network would refuse at every start.
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--no-pdf-header-footer", "--user-data-dir="+t.TempDir(), "--print-to-pdf="+out, "file://"+page)
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var reprint = flag.Bool("reprint", false, "print the committed Chromium PDFs of TestFixturesPrinted again (needs Chromium and the fonts each names)")

// printedPDFs are PDFs of the HTML fixtures that Chromium printed with known
// fonts, committed so that every machine reads their layouts whatever
// fonts it has: the fonts set the page breaks. Each was printed as
// TestFixturesChromium prints, Chromium given the font directories under
// /usr/share/fonts that fonts keeps (go test ./importer -run
// TestFixturesPrinted -reprint prints them again).
var printedPDFs = []struct {
	pdf, fixture string
	fonts        func(dir string) bool
	serif        string // the family fontconfig gives for Times New Roman, Chromium's default
}{
	// Liberation Serif (Debian's fonts-liberation2, which CI installs
	// for LibreOffice): 表三's header row, its 科研机构 four lines in a
	// narrow column, is cut at the foot of page 1 with no rule at the
	// cut and goes on at the top of page 2.
	{"portal-2021-gb2312.chromium-liberation.pdf", "portal-2021-gb2312.html",
		func(string) bool { return true }, "Liberation Serif"},
	// Without Liberation (Chromium sets Latin text in DejaVu): 表三's
	// header whole at the foot of page 1.
	{"portal-2021-gb2312.chromium-dejavu.pdf", "portal-2021-gb2312.html",
		func(dir string) bool { return !strings.HasPrefix(filepath.Base(dir), "liberation") }, "DejaVu Serif"},
}

// TestFixturesPrinted imports the committed Chromium PDFs of the HTML
// fixtures: the same format, problems and JSON as the page itself gives.
func TestFixturesPrinted(t *testing.T) {
	for _, tt := range printedPDFs {
		t.Run(tt.pdf, func(t *testing.T) {
			i := slices.IndexFunc(fixtures, func(f fixture) bool { return f.file == tt.fixture })
			if i < 0 {
				t.Fatalf("no fixture %s", tt.fixture)
			}
			path := filepath.Join("testdata", tt.pdf)
			if *reprint {
				conf := fontConfig(t, tt.fonts, tt.serif)
				data := printChromium(t, filepath.Join("testdata", tt.fixture), []string{"FONTCONFIG_FILE=" + conf})
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./importer -run TestFixturesPrinted -reprint prints it)", err)
			}
			fixtures[i].checkPDF(t, data)
		})
	}
}

// fontConfig writes a fontconfig file that gives the font directories
// under /usr/share/fonts (two levels down: truetype/dejavu) that keep
// says to keep, and checks that it substitutes serif for Times New
// Roman.
func fontConfig(t *testing.T, keep func(dir string) bool, serif string) string {
	t.Helper()
	dirs, err := filepath.Glob("/usr/share/fonts/*/*")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n<fontconfig>\n")
	for _, d := range dirs {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() && keep(d) {
			fmt.Fprintf(&b, "\t<dir>%s</dir>\n", d)
		}
	}
	fmt.Fprintf(&b, "\t<include ignore_missing=\"yes\">/etc/fonts/conf.d</include>\n\t<cachedir>%s</cachedir>\n</fontconfig>\n", filepath.Join(tmp, "cache"))
	conf := filepath.Join(tmp, "fonts.conf")
	if err := os.WriteFile(conf, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "fc-match", "-f", "%{family}", "Times New Roman")
	cmd.Env = append(os.Environ(), "FONTCONFIG_FILE="+conf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("fc-match: %v", err)
	}
	if got := strings.Split(string(out), ",")[0]; got != serif {
		t.Fatalf("fontconfig gives %q for Times New Roman, want %q (fonts missing?)\n%s", got, serif, b.String())
	}
	return conf
}
