// Package docx writes the document tree as a Word file (WordprocessingML) in
// the page and type of the layout's style — GB/T 9704's by default: A4 with
// the 版心 of 156 × 225 mm, a document grid of 22 lines × 28 characters —
// with the title, body and heading styles, the three
// tables with their real structure (grid, horizontal and vertical merges,
// header rows repeated on every page, rows that never split), the signature
// block of 7.3.5.2 and page numbers `— N —` at the right of odd pages and the
// left of even ones.
//
// The OOXML is written directly with encoding/xml escaping and archive/zip;
// elements follow the schema's order, which Word (unlike LibreOffice)
// enforces. The output is reproducible: the same tree gives the same bytes
// (fixed part order, timestamps from the document's date).
package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/klauspost/compress/flate"
	"io"
	"math"
	"sync"
	"time"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
)

// Options tunes the output.
type Options struct {
	// Fonts says which fonts the file names: FontsOfficial (the default)
	// the official ones, FontsEmbed the PDF's faces, embedded.
	Fonts FontMode
	// Layout is the document as the layout set it, whose decisions the
	// DOCX repeats: the title's and the signature's lines and indents,
	// each table's column widths and type size. Nil means Render lays the
	// document out itself (render.Prepare passes the one it made).
	Layout *layout.Composed
}

// Application is written as the document's application (docProps/app.xml).
const Application = "govreport"

// geometry is the page, grid and type of a layout.Style in the units of
// WordprocessingML: twips (1/20 pt), half-points, eighths of a point. Every
// size the DOCX gives comes from here, so that a PDF and a DOCX of one
// layout have the same pages whatever its Style.
type geometry struct {
	pageW, pageH                         int // twips
	marTop, marBottom, marLeft, marRight int // twips
	textW, textH                         int // twips: the 版心
	// linePitch is the grid pitch: the largest whole twip count that
	// fits Lines lines in the 版心 with room to spare (28.95 pt for GB/T
	// 9704's 22, what Word shows).
	linePitch int
	// charSpace is Word's docGrid character pitch adjustment, in 1/4096
	// pt relative to the body size: the largest pitch at which Chars
	// body characters fit the text width, as Word's 文档网格 dialog
	// computes it.
	charSpace int
	// charTwips is one character of the grid, in twips (≈ 15.79 pt).
	charTwips float64
	// squeeze condenses body characters (twips) so that a line holds
	// Chars characters, as on the PDF's grid, whose cell (15.79 pt) is a
	// little narrower than the character. Word would squeeze characters
	// onto the docGrid by itself, but LibreOffice gives a character wider
	// than a grid cell two cells (a line of 14); so body paragraphs do not
	// snap to the grid (w:snapToGrid off: their lines are exact anyway)
	// and are condensed instead, to the whole twip at which Chars
	// characters leave 1.5 pt of the line (LibreOffice sets a line 0.7 pt
	// right of the margin, and rounds advances): by 0.3 pt at 三号, which
	// gives 28 characters a line in both.
	squeeze int
	// The page number's line: its top where the PDF puts the top of the
	// number's em box (PageNumGap below the 版心), exactly as high as the
	// em box over its baseline, so that a program which puts a fixed
	// line's extra room above the text (LibreOffice) sets the baseline
	// where the PDF does; footer is w:pgMar's w:footer, the distance from
	// the page's bottom edge to the line's bottom.
	footer, footerLine int
	// Table cells, as the layout's: padding CellPadX × CellPadY, lines
	// TableLeading × TableSize. Word and LibreOffice add a row's
	// horizontal rule to its height, where the layout draws the rule on
	// the row's edge, so the top and bottom margins give up half a rule
	// each, rounded down: a row is 21.6 pt high in both, and a 26-row 表三
	// does not grow by a row's height (the 2019 skeleton of init: 5 pages
	// in LibreOffice, 4 in the PDF). The rule is the style's in eighths
	// of a point (w:sz), rounded down (0.5 pt for the PDF's 0.6).
	rule                         int // eighths of a point
	cellPadX, cellPadY, cellLine int // twips
	// Type sizes in half-points.
	szTitle, szBody, szTable, szPageNum int
}

// squeezeSpare is what a full body line leaves of the 版心's width in the
// DOCX, twips (1.5 pt).
const squeezeSpare = 30

// twips converts points to whole twips.
func twips(pt float64) int { return int(math.Round(pt * 20)) }

// halfPoints converts a type size to half-points (w:sz).
func halfPoints(pt float64) int { return int(math.Round(pt * 2)) }

func geometryOf(st layout.Style) geometry {
	g := geometry{
		pageW: twips(st.PageWidth), pageH: twips(st.PageHeight),
		marTop: twips(st.Top), marBottom: twips(st.Bottom()),
		marLeft: twips(st.Left), marRight: twips(st.Right()),
		szTitle: halfPoints(st.TitleSize), szBody: halfPoints(st.BodySize),
		szTable: halfPoints(st.TableSize), szPageNum: halfPoints(st.PageNumSize),
	}
	g.textW = g.pageW - g.marLeft - g.marRight
	g.textH = g.pageH - g.marTop - g.marBottom
	// Strictly less than the 版心 over Lines: LibreOffice centres a grid
	// that it finds one line short in the 版心 (13.5 pt lower where Lines
	// lines fill it to the twip).
	g.linePitch = (g.textH - 1) / max(st.Lines, 1)
	chars := float64(max(st.Chars, 1))
	g.charTwips = float64(g.textW) / chars
	pitch := float64(g.textW) / 20 / chars // pt
	// The largest whole unit strictly below the fit: at an exact fit
	// LibreOffice finds the line a character short and centres the grid
	// half a character right.
	g.charSpace = int(math.Ceil((pitch-float64(g.szBody)/2)*4096)) - 1
	g.squeeze = int(math.Floor((float64(g.textW)-squeezeSpare)/chars - st.BodySize*20))
	g.footerLine = twips(st.PageNumSize / layout.EmBaseline)
	g.footer = g.pageH - twips(st.Top+st.BodyHeight+st.PageNumGap) - g.footerLine
	g.rule = max(int(math.Floor(st.RuleWidth*8+1e-9)), 2) // w:sz is at least 2
	g.cellPadX = twips(st.CellPadX)
	g.cellPadY = int(math.Floor(st.CellPadY*20 - float64(g.rule)*20/8/2 + 1e-9))
	g.cellLine = twips(st.TableSize * st.TableLeading)
	return g
}

// names gives the font name of each role.
type names map[fonts.Role]string

// Render writes doc as a .docx package to w, with the line breaks, indents
// and table grids of its layout (opt.Layout). set supplies the faces the
// layout used and, with FontsEmbed, the faces named and embedded. Nothing is written to w unless
// the whole package was built.
func Render(ctx context.Context, w io.Writer, doc *layout.Document, set *fonts.Set, opt Options) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	if doc == nil || len(doc.Blocks) == 0 {
		return errors.New("docx: empty document")
	}
	if set == nil {
		return errors.New("docx: no font set")
	}
	laid := opt.Layout
	if laid == nil {
		var err error
		if laid, err = layout.Compose(ctx, doc, set, layout.DefaultStyle()); err != nil {
			return fmt.Errorf("docx: %w", err)
		}
	}
	mode, err := ParseFontMode(string(opt.Fonts))
	if err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	g := &gen{ctx: ctx, set: set, style: laid.Style, geo: geometryOf(laid.Style), land: geometryOf(laid.Style.Landscape()), laid: laid, mode: mode}
	g.spans = blockSpans(doc, laid)
	if mode == FontsEmbed {
		g.tag = subsetTag(doc, set)
		g.names = names{}
		for _, r := range fonts.Roles() {
			g.names[r] = g.faceName(set.Face(r))
		}
		g.usedBy = map[*fonts.Face]*embedded{}
	} else {
		g.names = officialNames(doc)
	}
	document, err := g.document(doc)
	if err != nil {
		return err
	}
	if mode == FontsEmbed && doc.Draft != "" {
		for _, r := range doc.Draft {
			if f, ok := set.Resolve(fonts.RoleHei, r); ok {
				g.use(f, r)
			}
		}
	}
	if mode == FontsEmbed {
		// The footers' `— N —`, any page number.
		for _, r := range "— 0123456789" {
			if f, ok := set.Resolve(fonts.RoleSong, r); ok {
				g.use(f, r)
			}
		}
	}
	fontTable, fontRels, fontFiles, err := g.fontTable()
	if err != nil {
		return err
	}
	ct := contentTypes
	if len(fontFiles) > 0 {
		ct = contentTypesEmbedded
	}
	parts := []part{
		{"[Content_Types].xml", []byte(ct)},
		{"_rels/.rels", []byte(rootRels)},
		{"docProps/core.xml", core(doc.Meta)},
		{"docProps/app.xml", []byte(app)},
		{"word/document.xml", document},
		{"word/styles.xml", g.styles()},
		{"word/settings.xml", settings(len(fontFiles) > 0)},
		{"word/fontTable.xml", fontTable},
		{"word/footer1.xml", g.footer(true)},
		{"word/footer2.xml", g.footer(false)},
		{"word/_rels/document.xml.rels", []byte(documentRels)},
	}
	if len(fontFiles) > 0 {
		parts[len(parts)-1].data = []byte(documentRelsLicenses)
	}
	if doc.Draft != "" {
		// The draft's header: its part, its content type, its relationship.
		parts[0].data = bytes.Replace(parts[0].data, []byte(`</Types>`), []byte(`<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>`), 1)
		rels := parts[len(parts)-1].data
		parts[len(parts)-1].data = bytes.Replace(rels, []byte(`</Relationships>`), []byte(`<Relationship Id="`+ridDraftHeader+`" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/></Relationships>`), 1)
		parts = append(parts, part{"word/header1.xml", g.draftHeader(doc.Draft)})
	}
	if len(fontFiles) > 0 {
		parts = append(parts, part{"word/_rels/fontTable.xml.rels", fontRels})
		parts = append(parts, fontFiles...)
		parts = append(parts, part{"customXml/item1.xml", g.licenses()})
	}
	modified := zipTime(doc.Meta.Date)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, fastDeflate)
	for _, p := range parts {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return fmt.Errorf("docx: %w", err)
		}
		if _, err := fw.Write(p.data); err != nil {
			return fmt.Errorf("docx: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// fastDeflate compresses at flate.BestSpeed with writers reused across
// documents: the parts are small and repetitive, so the default level
// costs half the render for a file a few per cent smaller. The deflate is
// klauspost/compress's, as the PDF writer's: measured side by side on the
// seed (2 cores, loaded; docs/pdf-writer.md), the embed-mode DOCX takes
// 23–30 ms with it against 54–86 ms with compress/flate, for 314,461
// bytes against 319,347 (official mode 12,844 against 13,354 bytes, time
// within the noise); the PDF 18–22 against 24–29 ms of CPU.
func fastDeflate(w io.Writer) (io.WriteCloser, error) {
	fw, _ := flatePool.Get().(*flate.Writer)
	if fw == nil {
		var err error
		if fw, err = flate.NewWriter(w, flate.BestSpeed); err != nil {
			return nil, err
		}
	} else {
		fw.Reset(w)
	}
	return &pooledFlate{fw}, nil
}

var flatePool sync.Pool

type pooledFlate struct{ fw *flate.Writer }

func (p *pooledFlate) Write(b []byte) (int, error) { return p.fw.Write(b) }

func (p *pooledFlate) Close() error {
	err := p.fw.Close()
	flatePool.Put(p.fw)
	return err
}

// zipTime is the entries' modification time: the document's date as a wall
// clock in UTC (zip stores no zone), never before 1980 (MS-DOS dates).
func zipTime(d time.Time) time.Time {
	floor := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	if d.IsZero() {
		return floor
	}
	d = d.UTC()
	if d.Before(floor) {
		return floor
	}
	return d.Truncate(2 * time.Second)
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const (
	nsW = `http://schemas.openxmlformats.org/wordprocessingml/2006/main`
	nsR = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
)

// part is one file of the package.
type part struct {
	name string
	data []byte
}

const contentTypes = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` + contentOverrides

// contentTypesEmbedded adds the obfuscated fonts' type.
const contentTypesEmbedded = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Default Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"/>` + contentOverrides

const contentOverrides = `` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const rootRels = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

// The footers' relationship ids are used by the section properties.
const (
	ridOddFooter   = "rId4"
	ridEvenFooter  = "rId5"
	ridDraftHeader = "rId7"
)

const documentRels = documentRelsStart + `</Relationships>`

// documentRelsLicenses adds the custom XML part with the embedded fonts'
// licences.
const documentRelsLicenses = documentRelsStart +
	`<Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml" Target="../customXml/item1.xml"/>` +
	`</Relationships>`

const documentRelsStart = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>` +
	`<Relationship Id="` + ridOddFooter + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
	`<Relationship Id="` + ridEvenFooter + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>`

const app = xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
	`<Application>` + Application + `</Application>` +
	`</Properties>`

// settings: with embedded fonts, Word is told to load (and keep) them as
// subsets; odd and even footers differ; punctuation is not compressed, so
// that a full line holds 28 characters as in the PDF; Word 2013+ layout
// (compatibility mode 15), which puts a table's border, not its text, at
// the margin.
func settings(embedFonts bool) []byte {
	s := xmlHeader + `<w:settings xmlns:w="` + nsW + `">`
	if embedFonts {
		s += `<w:embedTrueTypeFonts/><w:saveSubsetFonts/>`
	}
	return []byte(s + `<w:defaultTabStop w:val="420"/>` +
		`<w:evenAndOddHeaders/>` +
		`<w:characterSpacingControl w:val="doNotCompress"/>` +
		`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
		`<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>` +
		`</w:settings>`)
}

// core is docProps/core.xml: title, subject, keywords, the agency as the
// creator, and the document's date (W3CDTF, UTC) as created and modified.
func core(m layout.Meta) []byte {
	var x xw
	x.raw(xmlHeader)
	x.raw(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	elem := func(name, v string) {
		if v == "" {
			return
		}
		x.raw("<" + name + ">")
		x.text(v)
		x.raw("</" + name + ">")
	}
	elem("dc:title", m.Title)
	elem("dc:subject", m.Subject)
	elem("dc:creator", m.Author)
	elem("cp:keywords", m.Keywords)
	elem("cp:lastModifiedBy", m.Author)
	d := zipTime(m.Date).Format("2006-01-02T15:04:05Z")
	x.raw(`<dcterms:created xsi:type="dcterms:W3CDTF">` + d + `</dcterms:created>`)
	x.raw(`<dcterms:modified xsi:type="dcterms:W3CDTF">` + d + `</dcterms:modified>`)
	x.raw(`</cp:coreProperties>`)
	return x.b.Bytes()
}

// blockSpans returns the first and last page each block of doc is on in
// its layout, -1 for a block that prints nothing.
func blockSpans(doc *layout.Document, laid *layout.Composed) [][2]int {
	spans := make([][2]int, len(doc.Blocks))
	for i := range spans {
		spans[i] = [2]int{-1, -1}
	}
	for pi, pg := range laid.Pages {
		for _, it := range pg.Items {
			switch it.Part.Kind {
			case layout.PartTitle, layout.PartHeading, layout.PartParagraph, layout.PartCell, layout.PartSignature:
			default:
				continue
			}
			b := int(it.Part.Block)
			if b < 0 || b >= len(spans) {
				continue
			}
			if spans[b][0] < 0 {
				spans[b][0] = pi
			}
			spans[b][1] = pi
		}
	}
	return spans
}
