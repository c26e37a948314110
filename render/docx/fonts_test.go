package docx

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math/bits"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font/sfnt"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/templates"
)

func TestParseFontMode(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want FontMode
		err  bool
	}{{"", FontsOfficial, false}, {"official", FontsOfficial, false}, {"embed", FontsEmbed, false}, {"Embed", "", true}, {"names", "", true}} {
		got, err := ParseFontMode(tt.in)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("ParseFontMode(%q) = %q, %v", tt.in, got, err)
		}
	}
	_, doc := buildDoc(t, filepath.Join(root, "testdata/reports/yongxing-2024.json"))
	if err := Render(context.Background(), io.Discard, doc, defaultSet(t), Options{Fonts: "names"}); err == nil || !strings.Contains(err.Error(), "official or embed") {
		t.Errorf("Render with an unknown font mode: %v", err)
	}
}

func TestInGB2312(t *testing.T) {
	gb := []rune(strings.TrimSpace(readFile(t, filepath.Join(root, "fonts/testdata/gb2312-hanzi.txt"))))
	if len(gb) != 6763 {
		t.Fatalf("%d GB2312 hanzi in the list", len(gb))
	}
	for _, r := range gb {
		if !inGB2312(r) {
			t.Fatalf("%U %c is GB2312", r, r)
		}
	}
	for _, r := range "aZ09，。、；：？！“”‘’（）《》〔〕【】—…·①㈠ⅠΑа" {
		if !inGB2312(r) {
			t.Errorf("%U %c is GB2312", r, r)
		}
	}
	// Traditional characters, and what GBK added in GB2312's own rows
	// (€, ⅰ–ⅹ, the vertical forms ︵︶, ńňǹɑɡ), which a _GB2312 face
	// lacks.
	for _, r := range "為眾產戶線強內別夠決興鄉報開㎡℉𪛖€ⅰⅹ︵︶︱ńňǹɑɡ" {
		if inGB2312(r) {
			t.Errorf("%U %c is not GB2312", r, r)
		}
	}
	// GB2312 encodes 682 symbols and 6763 hanzi.
	n := 0
	for _, w := range gb2312() {
		n += bits.OnesCount64(w)
	}
	if n != 7445 {
		t.Errorf("the GB2312 set holds %d characters, want 7445", n)
	}
}

func readFile(t testing.TB, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fontEntry is a w:font of fontTable.xml.
type fontEntry struct {
	Name    string `xml:"name,attr"`
	AltName *struct {
		Val string `xml:"val,attr"`
	} `xml:"altName"`
	Panose *struct {
		Val string `xml:"val,attr"`
	} `xml:"panose1"`
	Charset *struct {
		Val string `xml:"val,attr"`
	} `xml:"charset"`
	Sig *struct {
		Usb0 string `xml:"usb0,attr"`
		Csb0 string `xml:"csb0,attr"`
	} `xml:"sig"`
	Embeds []embedRef `xml:",any"`
}

type embedRef struct {
	XMLName xml.Name
	ID      string `xml:"id,attr"`
	Key     string `xml:"fontKey,attr"`
}

func fontTableEntries(t *testing.T, data []byte) []fontEntry {
	t.Helper()
	var ft struct {
		Fonts []fontEntry `xml:"font"`
	}
	if err := xml.Unmarshal(data, &ft); err != nil {
		t.Fatal(err)
	}
	for _, f := range ft.Fonts {
		charset := "86" // GB2312: every Chinese face
		if f.Name == latinFont {
			charset = "00" // ANSI
		}
		if f.Panose == nil || len(f.Panose.Val) != 20 || f.Charset == nil || f.Charset.Val != charset || f.Sig == nil || len(f.Sig.Usb0) != 8 || len(f.Sig.Csb0) != 8 {
			t.Errorf("font %s lacks panose1, charset %s or sig", f.Name, charset)
		}
	}
	return ft.Fonts
}

// TestOfficialFonts: the official names follow the characters present (a
// traditional-character report gets the GBK faces), and the font table
// describes every name.
func TestOfficialFonts(t *testing.T) {
	for _, tt := range []struct {
		report string
		names  []string // title, body, kai
	}{
		{"yongxing-2024", []string{"方正小标宋_GBK", "仿宋", "楷体"}},
		{"long-county-2022", []string{"方正小标宋_GBK", "仿宋", "楷体"}},
		{"xinhe-district-2023", []string{"方正小标宋简体", "仿宋_GB2312", "楷体_GB2312"}},
		{"city-bureau-2024", []string{"方正小标宋简体", "仿宋_GB2312", "楷体_GB2312"}},
	} {
		t.Run(tt.report, func(t *testing.T) {
			_, doc := buildDoc(t, filepath.Join(root, "testdata/reports", tt.report+".json"))
			ps := parts(t, renderDOCX(t, doc, Options{}))
			styles := string(ps["word/styles.xml"])
			for _, n := range append(tt.names, "黑体", "宋体") {
				if !strings.Contains(styles, `w:eastAsia="`+n+`"`) {
					t.Errorf("styles.xml does not name %s", n)
				}
			}
			var names []string
			for _, f := range fontTableEntries(t, ps["word/fontTable.xml"]) {
				names = append(names, f.Name)
			}
			for _, n := range append(tt.names, "黑体", "宋体", latinFont) {
				if !slices.Contains(names, n) {
					t.Errorf("fontTable.xml lacks %s: %v", n, names)
				}
			}
			// Digits and Latin letters: Times New Roman in the body,
			// headings and tables; the title's and the page number's
			// own faces.
			for _, n := range []string{tt.names[1], tt.names[2], "黑体"} {
				if want := `w:ascii="` + latinFont + `" w:hAnsi="` + latinFont + `" w:eastAsia="` + n + `"`; !strings.Contains(styles, want) {
					t.Errorf("styles.xml does not name %s for %s's digits", latinFont, n)
				}
			}
			for _, n := range []string{tt.names[0], "宋体"} {
				if want := `w:ascii="` + n + `" w:hAnsi="` + n + `" w:eastAsia="` + n + `"`; !strings.Contains(styles, want) {
					t.Errorf("styles.xml does not keep %s for its own digits", n)
				}
			}
			// The title's face falls back to 华文中宋, which Office installs
			// and which has traditional characters, described in the table.
			title := tt.names[0]
			for _, f := range fontTableEntries(t, ps["word/fontTable.xml"]) {
				if f.Name == title && (f.AltName == nil || !slices.Contains(strings.Split(f.AltName.Val, ","), "华文中宋")) {
					t.Errorf("the title's font %s does not fall back to 华文中宋: %+v", title, f.AltName)
				}
			}
			if !slices.Contains(names, "华文中宋") {
				t.Errorf("fontTable.xml does not describe 华文中宋: %v", names)
			}
			for _, other := range []string{"仿宋_GB2312", "楷体_GB2312"} {
				if !slices.Contains(tt.names, other) && strings.Contains(styles, other) {
					t.Errorf("styles.xml names %s for a report with characters outside GB2312", other)
				}
			}
			for name := range ps {
				if strings.HasPrefix(name, "word/fonts/") {
					t.Errorf("official fonts embed %s", name)
				}
			}
		})
	}
}

// TestFontsEmbed: with FontsEmbed every face the text is set in is in the
// package, obfuscated as ECMA-376 says, and the de-obfuscated font is a
// TrueType font of the family its entry names, holding every character the
// runs that name it set.
func TestFontsEmbed(t *testing.T) {
	_, doc := buildDoc(t, filepath.Join(root, "testdata/reports/yongxing-2024.json"))
	data := renderDOCX(t, doc, Options{Fonts: FontsEmbed})
	ps := parts(t, data)
	if !bytes.Contains(ps["[Content_Types].xml"], []byte(`<Default Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"/>`)) {
		t.Error("no content type for .odttf")
	}
	if !bytes.Contains(ps["word/settings.xml"], []byte(`<w:embedTrueTypeFonts/><w:saveSubsetFonts/>`)) {
		t.Error("settings do not ask to keep the embedded fonts")
	}
	rels := string(ps["word/_rels/fontTable.xml.rels"])
	set := defaultSet(t)
	wantFamilies := map[string]bool{}
	for _, r := range fonts.Roles() {
		for _, f := range set.Stack(r) {
			wantFamilies[f.Family()] = true
		}
	}
	// The characters each family's runs set.
	runFonts := regexp.MustCompile(`<w:r>(?:<w:rPr><w:rFonts w:ascii="([^"]*)"[^>]*/>[^<]*(?:<w:[a-zA-Z]+ [^>]*/>)*</w:rPr>)?((?:<w:t[^>]*>[^<]*</w:t>|<w:br/>)*)</w:r>`)
	text := regexp.MustCompile(`<w:t[^>]*>([^<]*)</w:t>`)
	docXML := string(ps["word/document.xml"])
	setBy := map[string]string{}
	for _, m := range runFonts.FindAllStringSubmatch(docXML, -1) {
		if m[1] == "" {
			continue // the style's font
		}
		for _, tm := range text.FindAllStringSubmatch(m[2], -1) {
			setBy[untag(t, m[1])] += tm[1]
		}
	}
	if !strings.Contains(setBy["cwTeXFangSong"], "眾") {
		t.Errorf("眾 is not in a cwTeXFangSong run: %q", setBy["cwTeXFangSong"])
	}
	families := map[string]bool{}
	for _, f := range fontTableEntries(t, ps["word/fontTable.xml"]) {
		f.Name = untag(t, f.Name)
		families[f.Name] = true
		if !wantFamilies[f.Name] {
			t.Errorf("font table names %s, not a face of the set", f.Name)
		}
		embeds := slices.DeleteFunc(f.Embeds, func(e embedRef) bool { return !strings.HasPrefix(e.XMLName.Local, "embed") })
		if len(embeds) == 0 {
			t.Errorf("%s is not embedded", f.Name)
		}
		for _, e := range embeds {
			m := regexp.MustCompile(`Id="` + e.ID + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/font" Target="(fonts/font\d+\.odttf)"`).FindStringSubmatch(rels)
			if m == nil {
				t.Fatalf("%s %s: no relationship %s", f.Name, e.XMLName.Local, e.ID)
			}
			obf := ps["word/"+m[1]]
			plain, err := obfuscate(obf, e.Key)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(plain[:32], obf[:32]) || !bytes.Equal(plain[32:], obf[32:]) {
				t.Errorf("%s: only the first 32 bytes are obfuscated", m[1])
			}
			ft, err := sfnt.Parse(plain)
			if err != nil {
				t.Fatalf("%s (%s): %v", m[1], f.Name, err)
			}
			fam, _ := ft.Name(nil, sfnt.NameIDTypographicFamily)
			if fam == "" {
				fam, _ = ft.Name(nil, sfnt.NameIDFamily)
			}
			if fam = untag(t, fam); fam != f.Name {
				t.Errorf("%s embeds family %q under the name %q", m[1], fam, f.Name)
			}
			if e.XMLName.Local == "embedRegular" {
				for _, r := range setBy[f.Name] {
					if g, err := ft.GlyphIndex(nil, r); err != nil || g == 0 {
						t.Errorf("%s lacks %q, which a run naming it sets", f.Name, r)
					}
				}
			}
		}
	}
	if !families["cwTeXFangSong"] || !families["FandolFang"] {
		t.Errorf("embedded families %v", families)
	}
	// The licences travel with the fonts: every embedded face is listed in
	// the custom XML part, with the full text of its licence.
	var lic struct {
		Fonts []struct {
			Name        string `xml:"name,attr"`
			License     string `xml:"license,attr"`
			LicenseText string `xml:"licenseText,attr"`
		} `xml:"font"`
		Texts []struct {
			Name string `xml:"name,attr"`
			Text string `xml:",chardata"`
		} `xml:"licenseText"`
	}
	if !strings.Contains(string(ps["word/_rels/document.xml.rels"]), `Target="../customXml/item1.xml"`) {
		t.Error("document.xml.rels does not reach the licences")
	}
	if err := xml.Unmarshal(ps["customXml/item1.xml"], &lic); err != nil {
		t.Fatalf("customXml/item1.xml: %v", err)
	}
	texts := map[string]string{}
	for _, x := range lic.Texts {
		texts[x.Name] = x.Text
	}
	for _, f := range lic.Fonts {
		if !families[untag(t, f.Name)] || f.License == "" || !strings.Contains(texts[f.LicenseText], "GNU GENERAL PUBLIC LICENSE") && !strings.Contains(texts[f.LicenseText], "SIL OPEN FONT LICENSE Version 1.1") {
			t.Errorf("licence of %s (%s, %s) missing", f.Name, f.License, f.LicenseText)
		}
	}
	if len(lic.Fonts) < len(families) || !strings.Contains(texts["LICENSE-cwTeX.txt"], "As a special exception") {
		t.Errorf("licences for %d faces, %d families; texts %d", len(lic.Fonts), len(families), len(texts))
	}
	// A report without traditional characters does not carry cwTeX FangSong.
	_, doc = buildDoc(t, filepath.Join(root, "testdata/reports/xinhe-district-2023.json"))
	other := parts(t, renderDOCX(t, doc, Options{Fonts: FontsEmbed}))
	if bytes.Contains(other["word/fontTable.xml"], []byte("cwTeX")) {
		t.Error("xinhe's DOCX names cwTeX FangSong")
	}
	// Another report's subsets have other names (LibreOffice keeps the first
	// font of a name it loads for the rest of its session).
	tag := func(ft []byte) string {
		return regexp.MustCompile(`w:name="([A-Z]{6})\+`).FindStringSubmatch(string(ft))[1]
	}
	if tag(other["word/fontTable.xml"]) == tag(ps["word/fontTable.xml"]) {
		t.Error("two reports' embedded subsets have the same names")
	}
}

// untag strips the subset tag (ABCDEF+) from an embedded face's name.
func untag(t *testing.T, name string) string {
	t.Helper()
	tag, rest, ok := strings.Cut(name, "+")
	if !ok || !regexp.MustCompile(`^[A-Z]{6}$`).MatchString(tag) {
		t.Errorf("%q has no subset tag", name)
	}
	return rest
}

func TestObfuscate(t *testing.T) {
	data := make([]byte, 40)
	for i := range data {
		data[i] = byte(i)
	}
	key := "{01234567-89AB-CDEF-0123-456789ABCDEF}"
	obf, err := obfuscate(data, key)
	if err != nil {
		t.Fatal(err)
	}
	// The key's bytes last first: EF CD AB 89 67 45 23 01 EF CD AB 89 67 45 23 01.
	if obf[0] != 0^0xEF || obf[1] != 1^0xCD || obf[15] != 15^0x01 || obf[16] != 16^0xEF || obf[31] != 31^0x01 || obf[32] != 32 {
		t.Errorf("obfuscated % X", obf)
	}
	back, _ := obfuscate(obf, key)
	if !bytes.Equal(back, data) {
		t.Error("obfuscating twice does not give the font back")
	}
	if _, err := obfuscate(data[:10], key); err == nil {
		t.Error("a 10-byte font was obfuscated")
	}
	if got := fontKey([]byte("x")); !regexp.MustCompile(`^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$`).MatchString(got) {
		t.Errorf("fontKey = %s", got)
	}
}

// TestKeepNext: in 表二 every row without counts is kept with the next, so a
// block never loses its counts to the next page; in 表三 the rows of
// （三）不予公开 … （六）其他处理 are kept together; the last rows never.
func TestKeepNext(t *testing.T) {
	_, doc := buildDoc(t, filepath.Join(root, "testdata/reports/yongxing-2024.json"))
	var tables []*layout.Table
	for _, b := range doc.Blocks {
		if tb, ok := b.(*layout.Table); ok {
			tables = append(tables, tb)
		}
	}
	if len(tables) != 3 {
		t.Fatalf("%d tables", len(tables))
	}
	rowText := func(tb *layout.Table, r int) string {
		var s []string
		for _, c := range tb.Cells {
			if c.Row == r {
				s = append(s, c.Text)
			}
		}
		return strings.Join(s, "|")
	}
	laid, err := layout.Compose(context.Background(), doc, defaultSet(t), layout.DefaultStyle())
	if err != nil {
		t.Fatal(err)
	}
	// The DOCX keeps a row with the next where the layout would not let a
	// page break the table after it.
	keep := func(tb *layout.Table) []bool {
		br := laid.Tables[tb].Breaks
		k := make([]bool, tb.Rows)
		for r := 0; r+1 < tb.Rows; r++ {
			k[r] = !br[r+1]
		}
		return k
	}
	ps0 := string(parts(t, renderDOCX(t, doc, Options{}))["word/document.xml"])
	rows := regexp.MustCompile(`<w:tr>.*?</w:tr>`).FindAllString(ps0, -1)
	at := 0
	for _, tb := range tables {
		for r, k := range keep(tb) {
			if has := strings.Contains(rows[at+r], `<w:keepNext/>`); has != k {
				t.Errorf("%s row %d: keepNext %v, the layout's %v", tb.Name, r+1, has, k)
			}
		}
		at += tb.Rows
	}
	two := keep(tables[0])
	kept := 0
	for r, k := range two {
		if k {
			kept++
		}
		if r == len(two)-1 && k {
			t.Error("表二's last row is kept with what follows")
		}
	}
	if kept == 0 || kept == len(two) {
		t.Errorf("表二: %d of %d rows kept with the next", kept, len(two))
	}
	three := keep(tables[1])
	for _, label := range []string{"（三）不予公开", "（五）不予处理", "（六）其他处理"} {
		found := false
		for _, c := range tables[1].Cells {
			if c.Text != label {
				continue
			}
			found = true
			for r := c.Row; r < c.Row+c.RowSpan-1; r++ {
				if !three[r] {
					t.Errorf("表三 %s row %d (%s) is not kept with the next", label, r, rowText(tables[1], r))
				}
			}
		}
		if !found {
			t.Errorf("表三 has no cell %s", label)
		}
	}
	// The outer label 三、本年度办理结果 may break between its groups (in
	// the layout; the DOCX breaks where the layout did).
	broken := 0
	for r := tables[1].HeaderRows; r < tables[1].Rows-1; r++ {
		if laid.Tables[tables[1]].Breaks[r+1] {
			broken++
		}
	}
	if len(laid.Tables[tables[1]].Splits) == 0 {
		t.Error("the layout does not break 表三 of yongxing-2024; the test needs a table it breaks")
	}
	if broken < 4 {
		t.Errorf("表三 may break after only %d rows", broken)
	}
	ps := parts(t, renderDOCX(t, doc, Options{}))
	if n := bytes.Count(ps["word/document.xml"], []byte(`<w:pStyle w:val="TableText"/><w:keepNext/>`)); n == 0 {
		t.Error("no table paragraph is kept with the next")
	}
	if !bytes.Contains(ps["word/styles.xml"], []byte(`<w:overflowPunct w:val="0"/>`)) {
		t.Error("punctuation may hang past the margin in Word")
	}
}

// skeletons writes init's skeleton of every format into dir: a report of
// placeholders and zero counts, whose tables are as tall as they get.
// 2019's 表三 once filled its page to 0.6 pt in the layout and spilled a
// row group in LibreOffice, which makes each row 0.5 pt taller unless the
// cell margins give up the rule.
func skeletons(t *testing.T, dir string) []string {
	t.Helper()
	fs, err := templates.Formats()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		b, err := f.Skeleton(templates.SkeletonOptions{Agency: "清河县人民政府", Now: now})
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "skeleton-"+filepath.Base(f.ID)+".json")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// TestEmbedLibreOffice converts the DOCX of each report, rendered with
// FontsEmbed, with LibreOffice on a font configuration that has none of
// our faces (DejaVu only): its PDF must use the embedded faces alone and
// have as many pages as our PDF.
func TestEmbedLibreOffice(t *testing.T) {
	pdfcheck.Need(t, "soffice")
	pdfcheck.Need(t, "pdffonts")
	const dejavu = "/usr/share/fonts/truetype/dejavu"
	if _, err := os.Stat(dejavu); err != nil {
		t.Fatalf("%s: %v; run: apt-get install -y fonts-dejavu-core", dejavu, err)
	}
	set := defaultSet(t)
	ours := map[string]bool{}
	for _, r := range fonts.Roles() {
		for _, f := range set.Stack(r) {
			ours[f.Name()] = true
		}
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "fonts.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>%s</dir><cachedir>%s</cachedir></fontconfig>
`, dejavu, filepath.Join(dir, "fc-cache")), 0o644); err != nil {
		t.Fatal(err)
	}
	var paths []string
	var bs []built
	for _, file := range append(pdfcheck.ValidReports(t, root), skeletons(t, dir)...) {
		r, doc := buildDoc(t, file)
		b := built{name: strings.TrimSuffix(filepath.Base(file), ".json"), report: r, doc: doc, docx: renderDOCX(t, doc, Options{Fonts: FontsEmbed})}
		p := filepath.Join(dir, b.name+".docx")
		if err := os.WriteFile(p, b.docx, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
		bs = append(bs, b)
	}
	outDir := filepath.Join(dir, "lo")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "soffice", append([]string{"-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(dir, "profile")),
		"--headless", "--convert-to", "pdf", "--outdir", outDir}, paths...)...)
	cmd.Env = append(os.Environ(), "HOME="+filepath.Join(dir, "home"), "FONTCONFIG_FILE="+conf, "XDG_CACHE_HOME="+filepath.Join(dir, "cache"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	for _, b := range bs {
		t.Run(b.name, func(t *testing.T) {
			lo := filepath.Join(outDir, b.name+".pdf")
			out := pdfcheck.Tool(t, "pdffonts", lo)
			var names []string
			for _, line := range strings.Split(out, "\n")[2:] {
				f := strings.Fields(line)
				if len(f) == 0 {
					continue
				}
				name := f[0]
				// LibreOffice's subset tag, then ours.
				if i := strings.LastIndexByte(name, '+'); i >= 0 {
					name = name[i+1:]
				}
				names = append(names, name)
				if !ours[name] {
					t.Errorf("LibreOffice used %s, not an embedded face", name)
				}
			}
			if !slices.Contains(names, "FandolFang-Regular") {
				t.Errorf("LibreOffice's PDF has no FandolFang: %v", names)
			}
			pages, err := layout.Paginate(context.Background(), b.doc, set, layout.DefaultStyle())
			if err != nil {
				t.Fatal(err)
			}
			if n := pdfcheck.PageCount(t, lo); n != len(pages) {
				// A long note the layout splits before its table (its
				// last two lines with the table, as Word's widow control
				// does with w:keepNext) LibreOffice moves whole.
				if n == len(pages)+1 && splitsNote(b.doc, pages) {
					t.Logf("LibreOffice sets %d pages, our PDF %d: it moves a note the layout splits", n, len(pages))
				} else if why := knownPageDiff[b.name+"-embed"]; n == len(pages)+1 && why != "" {
					t.Logf("LibreOffice sets %d pages, our PDF %d: known, %s", n, len(pages), why)
				} else {
					t.Errorf("LibreOffice sets %d pages, our PDF %d", n, len(pages))
				}
			}
			t.Logf("fonts %v, %d pages", names, len(pages))
			// The typesetting checks of our PDF hold in LibreOffice's,
			// but for its page feet: LibreOffice paginates the DOCX
			// itself, its rows a little taller than ours.
			title, agency := pdfcheck.TypesettingOf(t, lo, b.report, 0.4)
			t.Logf("title %q, signature %q", title, agency)
		})
	}
}

// splitsNote reports whether the layout split a table's note between two
// pages.
func splitsNote(doc *layout.Document, pages []layout.Page) bool {
	for i, b := range doc.Blocks[:len(doc.Blocks)-1] {
		if _, ok := b.(*layout.Paragraph); !ok {
			continue
		}
		if _, ok := doc.Blocks[i+1].(*layout.Table); !ok {
			continue
		}
		on := map[int]bool{}
		for _, p := range pages {
			for _, it := range p.Items {
				if it.Part.Kind == layout.PartParagraph && int(it.Part.Block) == i {
					on[p.Number] = true
				}
			}
		}
		if len(on) > 1 {
			return true
		}
	}
	return false
}
