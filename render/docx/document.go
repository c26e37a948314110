package docx

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
)

// gen writes the parts that depend on the document and the fonts.
type gen struct {
	ctx      context.Context
	set      *fonts.Set
	names    names
	style    layout.Style
	embedded bool
	laid     *layout.Composed // the layout's decisions
}

// Paragraph styles (styles.xml).
const (
	styleTitle    = "Title"
	styleHeading1 = "Heading1"
	styleHeading2 = "Heading2"
	styleTable    = "TableText"
	styleFooter   = "Footer"
)

// document is word/document.xml.
func (g *gen) document(doc *layout.Document) ([]byte, error) {
	var x xw
	x.b.Grow(64 << 10)
	x.raw(xmlHeader)
	x.raw(`<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>`)
	for i, b := range doc.Blocks {
		if err := g.ctx.Err(); err != nil {
			return nil, fmt.Errorf("docx: %w", err)
		}
		var next layout.Block
		if i+1 < len(doc.Blocks) {
			next = doc.Blocks[i+1]
		}
		switch b := b.(type) {
		case *layout.Title:
			g.title(&x, b)
		case *layout.Heading:
			style := styleHeading1
			if b.Level > 1 {
				style = styleHeading2
			}
			x.raw(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr><w:r>`)
			x.t(b.Text)
			x.raw(`</w:r></w:p>`)
		case *layout.Paragraph:
			_, sigNext := next.(*layout.Signature)
			g.paragraph(&x, b, sigNext)
		case *layout.Table:
			if err := g.table(&x, b); err != nil {
				return nil, err
			}
			// Word needs a paragraph between two tables and before the
			// section properties.
			if _, ok := next.(*layout.Table); ok || next == nil {
				x.raw(`<w:p/>`)
			}
		case *layout.Signature:
			g.signature(&x, b)
		default:
			return nil, fmt.Errorf("docx: unknown block %T", b)
		}
	}
	x.raw(`<w:sectPr>`)
	x.raw(`<w:footerReference w:type="default" r:id="` + ridOddFooter + `"/>`)
	x.raw(`<w:footerReference w:type="even" r:id="` + ridEvenFooter + `"/>`)
	x.raw(`<w:pgSz`)
	x.attrInt("w:w", pageW)
	x.attrInt("w:h", pageH)
	x.raw(`/><w:pgMar`)
	x.attrInt("w:top", marTop)
	x.attrInt("w:right", marRight)
	x.attrInt("w:bottom", marBottom)
	x.attrInt("w:left", marLeft)
	x.attrInt("w:header", 851)
	x.attrInt("w:footer", footerDist)
	x.attrInt("w:gutter", 0)
	x.raw(`/><w:cols w:space="425"/><w:docGrid w:type="linesAndChars"`)
	x.attrInt("w:linePitch", linePitch)
	x.attrInt("w:charSpace", charSpace)
	x.raw(`/></w:sectPr></w:body></w:document>`)
	return x.b.Bytes(), nil
}

// title writes the title centred, broken where the layout broke it, and
// the blank line after it.
func (g *gen) title(x *xw, t *layout.Title) {
	x.raw(`<w:p><w:pPr><w:pStyle w:val="` + styleTitle + `"/></w:pPr><w:r>`)
	lines := g.laid.Titles[t].Lines
	if len(lines) == 0 {
		lines = []string{t.Text}
	}
	for i, ln := range lines {
		if i > 0 {
			x.raw(`<w:br/>`)
		}
		x.t(ln)
	}
	x.raw(`</w:r></w:p><w:p/>`)
}

// paragraph writes a body paragraph; a run in another role (a run-in
// 楷体 heading) gets its font. The paragraph before the signature is kept
// with it.
func (g *gen) paragraph(x *xw, p *layout.Paragraph, keepNext bool) {
	x.raw(`<w:p>`)
	if keepNext {
		x.raw(`<w:pPr><w:keepNext/></w:pPr>`)
	}
	for _, r := range p.Runs {
		if r.Text == "" {
			continue
		}
		x.raw(`<w:r>`)
		if r.Role != fonts.RoleBody && r.Role != "" {
			x.raw(`<w:rPr>`)
			g.rFonts(x, r.Role)
			x.raw(`</w:rPr>`)
		}
		x.t(r.Text)
		x.raw(`</w:r>`)
	}
	x.raw(`</w:p>`)
}

// rFonts names a role's face for every script; Chinese text takes it from
// w:eastAsia.
func (g *gen) rFonts(x *xw, role fonts.Role) {
	n := g.names[role]
	x.raw(`<w:rFonts`)
	x.attr("w:ascii", n)
	x.attr("w:hAnsi", n)
	x.attr("w:eastAsia", n)
	x.attr("w:cs", n)
	x.raw(`/>`)
}

// signature writes the block of GB/T 9704 7.3.5.2 as the layout set it:
// a blank line, the agency's lines right-aligned (broken where the layout
// broke them), the date below at the layout's indent, which puts its first
// character two characters right of the agency's. Indents are in
// characters (w:rightChars) with the same in twips for readers that ignore
// them. The block is kept with the paragraph before it.
func (g *gen) signature(x *xw, s *layout.Signature) {
	ss, ok := g.laid.Signatures[s]
	if !ok {
		ss = layout.SignatureSet{Agency: []string{s.Agency}, Date: s.Date, AgencyRight: 2 * charTwips / 20, DateRight: 2 * charTwips / 20, Cell: charTwips / 20}
	}
	x.raw(`<w:p><w:pPr><w:keepNext/></w:pPr></w:p>`)
	line := func(lines []string, right float64, keepNext bool) {
		x.raw(`<w:p><w:pPr>`)
		if keepNext {
			x.raw(`<w:keepNext/>`)
		}
		x.raw(`<w:ind`)
		x.attrInt("w:right", int(math.Round(right*20)))
		x.attrInt("w:rightChars", int(math.Round(right/ss.Cell*100)))
		x.raw(` w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="right"/></w:pPr><w:r>`)
		for i, ln := range lines {
			if i > 0 {
				x.raw(`<w:br/>`)
			}
			x.t(ln)
		}
		x.raw(`</w:r></w:p>`)
	}
	line(ss.Agency, ss.AgencyRight, true)
	line([]string{ss.Date}, ss.DateRight, false)
}

// table writes a table with its grid: the PDF's column widths, every grid
// position a cell (w:gridSpan across columns, w:vMerge restart and
// continue down rows), header rows repeated on each page, no row split
// across pages, all cells centred.
func (g *gen) table(x *xw, t *layout.Table) error {
	tset, ok := g.laid.Tables[t]
	if !ok || len(tset.Widths) != t.Columns {
		return fmt.Errorf("docx: %s was not laid out", t.Name)
	}
	widths := tset.Widths
	// A table the layout set smaller than the style's 小四 (so that every
	// count fits its column) gets the same size and line height here.
	var sz []byte
	if tset.Size != g.style.TableSize {
		var b xw
		b.raw(`<w:sz`)
		b.attrInt("w:val", int(math.Round(tset.Size*2)))
		b.raw(`/><w:szCs`)
		b.attrInt("w:val", int(math.Round(tset.Size*2)))
		b.raw(`/>`)
		sz = b.b.Bytes()
	}
	// Column widths in twips, rounded at the edges so that they add up.
	tw := make([]int, len(widths))
	edge, prev := 0.0, 0
	for i, w := range widths {
		edge += w
		e := int(math.Round(edge * 20))
		tw[i] = e - prev
		prev = e
	}
	owner, err := grid(t)
	if err != nil {
		return err
	}

	x.raw(`<w:tbl><w:tblPr><w:tblW`)
	x.attrInt("w:w", prev)
	x.raw(` w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		x.raw(`<w:` + side + ` w:val="single" w:sz="`)
		x.int(ruleWidth)
		x.raw(`" w:space="0" w:color="000000"/>`)
	}
	x.raw(`</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>`)
	for _, m := range []struct {
		side string
		w    int
	}{{"top", cellPadY}, {"left", cellPadX}, {"bottom", cellPadY}, {"right", cellPadX}} {
		x.raw(`<w:` + m.side)
		x.attrInt("w:w", m.w)
		x.raw(` w:type="dxa"/>`)
	}
	x.raw(`</w:tblCellMar><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, w := range tw {
		x.raw(`<w:gridCol`)
		x.attrInt("w:w", w)
		x.raw(`/>`)
	}
	x.raw(`</w:tblGrid>`)
	for r := 0; r < t.Rows; r++ {
		x.raw(`<w:tr><w:trPr><w:cantSplit/>`)
		if r < t.HeaderRows {
			x.raw(`<w:tblHeader/>`)
		}
		x.raw(`</w:trPr>`)
		for col := 0; col < t.Columns; {
			c := &t.Cells[owner[r*t.Columns+col]]
			w := 0
			for _, cw := range tw[c.Col : c.Col+c.ColSpan] {
				w += cw
			}
			x.raw(`<w:tc><w:tcPr><w:tcW`)
			x.attrInt("w:w", w)
			x.raw(` w:type="dxa"/>`)
			if c.ColSpan > 1 {
				x.raw(`<w:gridSpan`)
				x.attrInt("w:val", c.ColSpan)
				x.raw(`/>`)
			}
			first := r == c.Row
			switch {
			case c.RowSpan > 1 && first:
				x.raw(`<w:vMerge w:val="restart"/>`)
			case !first:
				x.raw(`<w:vMerge/>`)
			}
			x.raw(`<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="` + styleTable + `"/>`)
			if sz != nil {
				x.raw(`<w:spacing w:line="`)
				x.int(int(math.Round(tset.Size * g.style.TableLeading * 20)))
				x.raw(`" w:lineRule="exact"/><w:rPr>`)
				x.raw(string(sz))
				x.raw(`</w:rPr>`)
			}
			x.raw(`</w:pPr>`)
			if first && c.Text != "" {
				x.raw(`<w:r>`)
				if c.Kind == layout.CellSection || sz != nil {
					x.raw(`<w:rPr>`)
					if c.Kind == layout.CellSection {
						g.rFonts(x, fonts.RoleHei)
					}
					x.raw(string(sz))
					x.raw(`</w:rPr>`)
				}
				x.t(c.Text)
				x.raw(`</w:r>`)
			}
			x.raw(`</w:p></w:tc>`)
			col += c.ColSpan
		}
		x.raw(`</w:tr>`)
	}
	x.raw(`</w:tbl>`)
	return nil
}

// grid maps every position of the table (row*Columns + column) to the
// index of the cell covering it, and checks that each is covered once.
func grid(t *layout.Table) ([]int, error) {
	owner := make([]int, t.Rows*t.Columns)
	for i := range owner {
		owner[i] = -1
	}
	for i, c := range t.Cells {
		for r := c.Row; r < c.Row+c.RowSpan; r++ {
			for col := c.Col; col < c.Col+c.ColSpan; col++ {
				p := r*t.Columns + col
				if owner[p] >= 0 {
					return nil, fmt.Errorf("docx: %s: cells overlap at row %d, column %d", t.Name, r+1, col+1)
				}
				owner[p] = i
			}
		}
	}
	for p, o := range owner {
		if o < 0 {
			return nil, fmt.Errorf("docx: %s: no cell at row %d, column %d", t.Name, p/t.Columns+1, p%t.Columns+1)
		}
	}
	return owner, nil
}

// styles is word/styles.xml: the body as the Normal style (三号 仿宋 on the
// grid's 28.95 pt lines, first line indented two characters, justified),
// the title, the two heading levels with their outline levels, table text
// and the footer.
func (g *gen) styles() []byte {
	var x xw
	x.raw(xmlHeader)
	x.raw(`<w:styles xmlns:w="` + nsW + `"><w:docDefaults><w:rPrDefault><w:rPr>`)
	g.rFonts(&x, fonts.RoleBody)
	x.raw(`<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>`)
	x.raw(`<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:pPrDefault></w:docDefaults>`)

	bodyIndent := int(math.Round(2 * charTwips))
	x.raw(`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>`)
	x.raw(`<w:pPr><w:widowControl w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:snapToGrid w:val="0"/><w:spacing w:line="`)
	x.int(linePitch)
	x.raw(`" w:lineRule="exact"/><w:ind`)
	x.attrInt("w:firstLine", bodyIndent)
	x.raw(` w:firstLineChars="200"/><w:jc w:val="both"/></w:pPr><w:rPr>`)
	g.rFonts(&x, fonts.RoleBody)
	x.raw(`<w:spacing w:val="`)
	x.int(gridSqueeze)
	x.raw(`"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>`)

	x.raw(`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>`)

	x.raw(`<w:style w:type="paragraph" w:styleId="` + styleTitle + `"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>`)
	x.raw(`<w:pPr><w:snapToGrid w:val="0"/><w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="center"/><w:outlineLvl w:val="9"/></w:pPr><w:rPr>`)
	g.rFonts(&x, fonts.RoleTitle)
	if g.embedded && strings.Contains(g.set.Face(fonts.RoleTitle).Name(), "Bold") {
		x.raw(`<w:b/><w:bCs/>`)
	}
	x.raw(`<w:spacing w:val="0"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>`)

	for _, h := range []struct {
		id, name string
		level    int
		role     fonts.Role
	}{{styleHeading1, "heading 1", 0, fonts.RoleHei}, {styleHeading2, "heading 2", 1, fonts.RoleKai}} {
		x.raw(`<w:style w:type="paragraph" w:styleId="` + h.id + `"><w:name w:val="` + h.name + `"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>`)
		x.raw(`<w:pPr><w:keepNext/><w:outlineLvl`)
		x.attrInt("w:val", h.level)
		x.raw(`/></w:pPr><w:rPr>`)
		g.rFonts(&x, h.role)
		x.raw(`</w:rPr></w:style>`)
	}

	x.raw(`<w:style w:type="paragraph" w:customStyle="1" w:styleId="` + styleTable + `"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/>`)
	x.raw(`<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="`)
	x.int(cellLine)
	x.raw(`" w:lineRule="exact"/><w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="center"/></w:pPr>`)
	x.raw(`<w:rPr><w:spacing w:val="0"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>`)

	x.raw(`<w:style w:type="paragraph" w:styleId="` + styleFooter + `"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>`)
	x.raw(`<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="`)
	x.int(footerLine)
	x.raw(`" w:lineRule="exact"/><w:ind w:firstLine="0" w:firstLineChars="0"/></w:pPr><w:rPr>`)
	g.rFonts(&x, fonts.RoleSong)
	x.raw(`<w:spacing w:val="0"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>`)

	x.raw(`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>`)
	x.raw(`<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>`)
	x.raw(`</w:styles>`)
	return x.b.Bytes()
}

// footerLine is the page number's line height (twips): the 四号 type and a
// little room, exact so that the number sits where footerDist puts it.
const footerLine = 320

// footer is an odd (right, one 四号 character in) or even (left) page's
// footer: `— N —` with a PAGE field, 四号 宋体.
func (g *gen) footer(odd bool) []byte {
	var x xw
	x.raw(xmlHeader)
	x.raw(`<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr><w:pStyle w:val="` + styleFooter + `"/>`)
	in := int(math.Round(g.style.PageNumSize * 20))
	if odd {
		x.raw(`<w:ind`)
		x.attrInt("w:right", in)
		x.raw(`/><w:jc w:val="right"/>`)
	} else {
		x.raw(`<w:ind`)
		x.attrInt("w:left", in)
		x.raw(`/><w:jc w:val="left"/>`)
	}
	x.raw(`</w:pPr>`)
	x.raw(`<w:r><w:t xml:space="preserve">— </w:t></w:r>`)
	x.raw(`<w:r><w:fldChar w:fldCharType="begin"/></w:r>`)
	x.raw(`<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>`)
	x.raw(`<w:r><w:fldChar w:fldCharType="separate"/></w:r>`)
	x.raw(`<w:r><w:t>1</w:t></w:r>`)
	x.raw(`<w:r><w:fldChar w:fldCharType="end"/></w:r>`)
	x.raw(`<w:r><w:t xml:space="preserve"> —</w:t></w:r>`)
	x.raw(`</w:p></w:ftr>`)
	return x.b.Bytes()
}

// fontTable is word/fontTable.xml: every name the document uses, each
// with the next name to try on a machine that lacks it (仿宋_GB2312 → 仿宋 →
// FangSong, …), as GB2312 fonts.
func (g *gen) fontTable() []byte {
	var x xw
	x.raw(xmlHeader)
	x.raw(`<w:fonts xmlns:w="` + nsW + `">`)
	seen := map[string]bool{}
	font := func(name, alt string) {
		if seen[name] {
			return
		}
		seen[name] = true
		x.raw(`<w:font`)
		x.attr("w:name", name)
		x.raw(`>`)
		if alt != "" && alt != name {
			x.raw(`<w:altName`)
			x.attr("w:val", alt)
			x.raw(`/>`)
		}
		x.raw(`<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>`)
	}
	if g.embedded {
		for _, r := range fonts.Roles() {
			font(g.names[r], officialNames[r])
		}
	}
	for _, f := range fallbacks {
		font(f[0], f[1])
	}
	for _, f := range fallbacks {
		font(f[1], "")
	}
	x.raw(`</w:fonts>`)
	return x.b.Bytes()
}
