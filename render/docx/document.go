package docx

import (
	"context"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
)

// gen writes the parts that depend on the document and the fonts.
type gen struct {
	ctx   context.Context
	set   *fonts.Set
	names names        // the font each role's style names
	style layout.Style // the layout's
	geo   geometry     // style in the DOCX's units
	land  geometry     // the landscape page of a wide table (layout.Style.Landscape)
	mode  FontMode
	laid  *layout.Composed // the layout's decisions
	// spans are the first and last page (index into laid.Pages) each
	// block is on, -1 where it prints nothing.
	spans [][2]int
	tag   string // with FontsEmbed, the subsets' name tag

	// With FontsEmbed, the faces the text is set in, in order of first use.
	usedBy map[*fonts.Face]*embedded
	used   []*embedded
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
	landscape := false
	for i, b := range doc.Blocks {
		if err := g.ctx.Err(); err != nil {
			return nil, fmt.Errorf("docx: %w", err)
		}
		var next layout.Block
		if i+1 < len(doc.Blocks) {
			next = doc.Blocks[i+1]
		}
		// The block after a table starts on the grid line after the
		// table's bottom rule, as in the PDF: the rest of the line the
		// table ends in is space before it.
		before := 0
		if i > 0 {
			if t, ok := doc.Blocks[i-1].(*layout.Table); ok {
				before = g.afterTable(t)
			}
		}
		// In embed mode the pages are the layout's: a block the layout
		// began a page with starts one (w:pageBreakBefore), so Word and
		// LibreOffice need not find the layout's reasons (a heading kept
		// with a table's first rows, a note with its table).
		newPage := g.mode == FontsEmbed && i > 0 && g.spans[i-1][1] >= 0 && g.spans[i][0] > g.spans[i-1][1]
		// A table set landscape, with what leads into it, is a section
		// of its own: its page turned (w:orient), the sections before and
		// after it portrait (GB/T 9704 §10.2; issue 22).
		if land := g.landscapeAt(doc, i); land != landscape {
			if land {
				g.sectionBreak(&x, doc, g.geo)
			} else {
				g.sectionBreak(&x, doc, g.land)
			}
			landscape = land
			before = 0      // the block starts a page
			newPage = false // the section's own page break: no second one
		}
		switch b := b.(type) {
		case *layout.Title:
			g.title(&x, b)
		case *layout.Heading:
			style := styleHeading1
			if b.Level > 1 {
				style = styleHeading2
			}
			role := fonts.RoleHei
			if b.Level > 1 {
				role = fonts.RoleKai
			}
			x.raw(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/>`)
			if newPage {
				x.raw(`<w:pageBreakBefore/>`)
			}
			spaceBefore(&x, before)
			x.raw(`</w:pPr>`)
			g.text(&x, role, role, nil, b.Text)
			x.raw(`</w:p>`)
		case *layout.Paragraph:
			// A paragraph before the signature, or a table's note,
			// keeps with what follows it (issue 22).
			_, sigNext := next.(*layout.Signature)
			_, tableNext := next.(*layout.Table)
			g.paragraph(&x, b, sigNext || tableNext, tableNext, newPage, before)
		case *layout.Table:
			if err := g.table(&x, b); err != nil {
				return nil, err
			}
			// Word needs a paragraph between two tables and before the
			// section properties: one as high as the space the PDF
			// leaves after the table.
			if _, ok := next.(*layout.Table); ok || next == nil {
				x.raw(`<w:p><w:pPr><w:spacing`)
				x.attrInt("w:line", max(g.afterTable(b), 1))
				x.raw(` w:lineRule="exact"/></w:pPr></w:p>`)
			}
		case *layout.Signature:
			g.signature(&x, b)
		default:
			return nil, fmt.Errorf("docx: unknown block %T", b)
		}
	}
	g.sectPr(&x, doc, g.geo, false)
	x.raw(`</w:body></w:document>`)
	return x.b.Bytes(), nil
}

// sectPr writes a section's properties: the page of geo, its footers
// (the page numbers) and grid; with next, the section is not the last and
// the next starts on a new page.
func (g *gen) sectPr(x *xw, doc *layout.Document, geo geometry, next bool) {
	x.raw(`<w:sectPr>`)
	if doc.Draft != "" {
		x.raw(`<w:headerReference w:type="default" r:id="` + ridDraftHeader + `"/>`)
		x.raw(`<w:headerReference w:type="even" r:id="` + ridDraftHeader + `"/>`)
	}
	x.raw(`<w:footerReference w:type="default" r:id="` + ridOddFooter + `"/>`)
	x.raw(`<w:footerReference w:type="even" r:id="` + ridEvenFooter + `"/>`)
	if next {
		x.raw(`<w:type w:val="nextPage"/>`)
	}
	x.raw(`<w:pgSz`)
	x.attrInt("w:w", geo.pageW)
	x.attrInt("w:h", geo.pageH)
	if geo.pageW > geo.pageH {
		x.raw(` w:orient="landscape"`)
	}
	x.raw(`/><w:pgMar`)
	x.attrInt("w:top", geo.marTop)
	x.attrInt("w:right", geo.marRight)
	bottom := geo.marBottom
	if g.mode == FontsEmbed {
		// Every page break is the layout's (w:pageBreakBefore, a
		// paragraph a page, a table's rows kept between its splits),
		// so a page may hold a little more than the layout's without
		// taking more: the 版心 reaches pageSpare lower, for the
		// points LibreOffice sets a table taller than the layout.
		bottom -= pageSpare
	}
	x.attrInt("w:bottom", bottom)
	x.attrInt("w:left", geo.marLeft)
	header := 851 // Word's default; there is no header but a draft's
	if doc.Draft != "" {
		header = g.headerDist()
	}
	x.attrInt("w:header", header)
	x.attrInt("w:footer", geo.footer)
	x.attrInt("w:gutter", 0)
	x.raw(`/><w:cols w:space="425"/>`)
	if g.mode == FontsEmbed {
		// No grid: LibreOffice centres the grid's lines in the 版心,
		// which would move every line down by half of pageSpare.
		x.raw(`<w:docGrid`)
		x.attrInt("w:linePitch", geo.linePitch)
	} else {
		x.raw(`<w:docGrid w:type="linesAndChars"`)
		x.attrInt("w:linePitch", geo.linePitch)
		x.attrInt("w:charSpace", geo.charSpace)
	}
	x.raw(`/></w:sectPr>`)
}

// sectionBreak ends the section being written with an empty paragraph
// holding its properties (geo's page): before the blocks of a table the
// layout set landscape, and after them.
func (g *gen) sectionBreak(x *xw, doc *layout.Document, geo geometry) {
	x.raw(`<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>`)
	g.sectPr(x, doc, geo, true)
	x.raw(`</w:pPr></w:p>`)
}

// landscapeAt reports whether block i of doc is set on a landscape page:
// a table the layout set landscape, or the heading and note that lead
// into it (layout's paginator turns them with it).
func (g *gen) landscapeAt(doc *layout.Document, i int) bool {
	for j := i; j < len(doc.Blocks) && j <= i+2; j++ {
		switch b := doc.Blocks[j].(type) {
		case *layout.Table:
			return g.laid.Tables[b].Landscape
		case *layout.Heading:
			if j > i {
				return false
			}
		case *layout.Paragraph:
			if j > i+1 || (j > i && !isHeading(doc.Blocks[i])) {
				return false
			}
		default:
			return false
		}
	}
	return false
}

func isHeading(b layout.Block) bool { _, ok := b.(*layout.Heading); return ok }

// title writes the title centred, broken where the layout broke it, and
// the blank line after it.
func (g *gen) title(x *xw, t *layout.Title) {
	x.raw(`<w:p><w:pPr><w:pStyle w:val="` + styleTitle + `"/></w:pPr>`)
	lines := g.laid.Titles[t].Lines
	if len(lines) == 0 {
		lines = []string{t.Text}
	}
	g.text(x, fonts.RoleTitle, fonts.RoleTitle, nil, lines...)
	x.raw(`</w:p><w:p/>`)
}

// afterTable is the space (twips) from a table's bottom to the grid line
// the next block starts on in the PDF. LibreOffice sets a table's rows a
// little lower than the layout does (0.7 pt in 表四 of long-county-2022:
// the outer rules lie inside its cells, where the layout centres them on
// the edges), so the space gives up the two outer rules (rounded up), and
// what follows the table does not lose a line at the page's foot.
func (g *gen) afterTable(t *layout.Table) int {
	return max(twips(g.laid.Tables[t].After)-(2*g.geo.rule*20+7)/8, 0)
}

// spaceBefore writes a paragraph's space before it (twips), if any.
func spaceBefore(x *xw, tw int) {
	if tw > 0 {
		x.raw(`<w:spacing`)
		x.attrInt("w:before", tw)
		x.raw(`/>`)
	}
}

// paragraph writes a body paragraph (with before twips of space before
// it); a run in another role (a run-in
// 楷体 heading) gets its font. The paragraph before the signature is kept
// with it; a table's note too, with widow control, so that a long note
// splits with its last two lines on the table's page, as the layout
// splits it (issue 22).
func (g *gen) paragraph(x *xw, p *layout.Paragraph, keepNext, widows, newPage bool, before int) {
	pPr := func(keepNext, widows, newPage, cont, last bool, before int) {
		if !keepNext && !widows && !newPage && !cont && last && before == 0 {
			return
		}
		x.raw(`<w:pPr>`)
		if keepNext {
			x.raw(`<w:keepNext/>`)
		}
		if newPage {
			x.raw(`<w:pageBreakBefore/>`)
		}
		if widows {
			x.raw(`<w:widowControl/>`)
		}
		spaceBefore(x, before)
		if cont {
			x.raw(`<w:ind w:firstLine="0" w:firstLineChars="0"/>`)
		}
		if !last {
			x.raw(`<w:jc w:val="distribute"/>`)
		}
		x.raw(`</w:pPr>`)
	}
	ps, ok := g.laid.Paragraphs[p]
	if !ok || g.mode != FontsEmbed {
		if ok && len(ps.Pages) > 0 && ps.Pages[0] != ps.Pages[len(ps.Pages)-1] {
			// The layout split it across pages. Word splits a kept
			// paragraph as the layout does, but LibreOffice moves it
			// whole to the next page, with the heading kept with it
			// (latin-preamble-2024's note to 表三: five lines left empty
			// and a page more); not kept, both set it whole where it
			// begins, which the layout's split leaves room for.
			keepNext = false
		}
		var extra []byte
		if ok {
			extra = g.flowSpacing(paraChars(p), ps.Breaks)
		}
		x.raw(`<w:p>`)
		pPr(keepNext, widows, newPage, false, true, before)
		for _, r := range p.Runs {
			if r.Text != "" {
				g.text(x, runRole(r), fonts.RoleBody, extra, r.Text)
			}
		}
		x.raw(`</w:p>`)
		return
	}
	// In embed mode a paragraph the layout split across pages is a
	// paragraph a page, each after the first starting its page without
	// an indent, each but the last justified to its last line
	// (w:jc distribute): Word and LibreOffice cannot be told to break a
	// paragraph's page at a line (LibreOffice makes a paragraph of the
	// text after a w:br w:type="page", indented), and what keeps the
	// layout's split (a note's last two lines with its table) each does
	// otherwise.
	cs := paraChars(p)
	from := 0
	for i := 0; i <= len(ps.Breaks); i++ {
		last := i == len(ps.Breaks)
		if !last && !(i+1 < len(ps.Pages) && ps.Pages[i+1] != ps.Pages[i]) {
			continue // the page goes on after line i
		}
		to := len(cs)
		if !last {
			to = ps.Breaks[i]
		}
		first := from == 0
		x.raw(`<w:p>`)
		if first {
			pPr(keepNext && last, widows && last, newPage, false, last, before)
		} else {
			pPr(keepNext && last, false, true, true, last, 0)
		}
		// The breaks inside this part, relative to its start.
		var in []int
		for _, bk := range ps.Breaks {
			if bk > from && bk < to {
				in = append(in, bk-from)
			}
		}
		g.lines(x, cs[from:to], in, first)
		x.raw(`</w:p>`)
		from = to
	}
}

// paraChars is a paragraph's text as characters, each with its run's role.
func paraChars(p *layout.Paragraph) []char {
	var cs []char
	for _, r := range p.Runs {
		for _, c := range r.Text {
			cs = append(cs, char{c, runRole(r)})
		}
	}
	return cs
}

// runRole is the role a paragraph's run is set in.
func runRole(r layout.Run) fonts.Role {
	if r.Role == "" {
		return fonts.RoleBody
	}
	return r.Role
}

// autoSpace is the space (pt per em) LibreOffice puts between Chinese and
// Latin or digits: its DOCX import ignores w:autoSpaceDE/DN (Word honours
// them), and it gives 3.2 pt at 三号; taken a little wider here.
const autoSpace = 0.4

// lines writes a body paragraph (in embed mode) as the layout set it: a
// manual break (w:br) before each of its lines after the first, each line
// condensed so that it fits the line's width in Word and in LibreOffice.
// Word and LibreOffice justify a line that ends in a manual break
// (w:doNotExpandShiftReturn is not set), so every line but the last is as
// wide as the PDF's whatever the condensing; it only keeps a line that the
// PDF fits by squeezing its punctuation (标点挤压), or that LibreOffice
// widens by its space around digits, from wrapping again.
func (g *gen) lines(x *xw, cs []char, breaks []int, indented bool) {
	size := g.style.BodySize
	for i, from := 0, 0; from < len(cs); i++ {
		to := len(cs)
		if i < len(breaks) {
			to = min(max(breaks[i], from), len(cs))
		}
		line := cs[from:to]
		room := float64(g.geo.textW)/20 - lineSpare*size
		if i == 0 && indented {
			room -= 2 * g.geo.charTwips / 20
		}
		_, extra := g.condense(line, size, room, g.geo.squeeze)
		if i > 0 {
			x.raw(`<w:r><w:br/></w:r>`)
		}
		for k := 0; k < len(line); {
			e := k
			var b strings.Builder
			for ; e < len(line) && line[e].role == line[k].role; e++ {
				b.WriteRune(line[e].r)
			}
			g.text(x, line[k].role, fonts.RoleBody, extra, b.String())
			k = e
		}
		from = to
	}
}

// flowSpacing returns the run properties (w:spacing) of a body paragraph
// in official mode, whose lines Word and LibreOffice break, or nil where
// the Normal style's squeeze does: where a line the layout set (cs broken
// at breaks) would not fit LibreOffice's line, which puts flowAuto beside
// each run of digits or Latin letters and squeezes no punctuation, the
// whole paragraph is condensed until every one of those lines fits, so
// that LibreOffice, filling each line in turn, needs no more lines than
// the layout. Word, which adds no such space, then has a little more room
// than the layout in that paragraph; never so much that a line holds a
// character more than the grid's Chars.
func (g *gen) flowSpacing(cs []char, breaks []int) []byte {
	size := g.style.BodySize
	spacing := g.geo.squeeze
	for i, from := 0, 0; from < len(cs); i++ {
		to := len(cs)
		if i < len(breaks) {
			to = min(max(breaks[i], from), len(cs))
		}
		room := float64(g.geo.textW-squeezeSpare) / 20
		if i == 0 {
			room -= 2 * g.geo.charTwips / 20
		}
		if n := to - from; n > 0 {
			need := int(math.Floor((room - g.lineWidth(cs[from:to], size, flowAuto)) * 20 / float64(n)))
			spacing = min(spacing, need)
		}
		from = to
	}
	if spacing >= g.geo.squeeze {
		return nil
	}
	// Never so far that Chars+1 characters of the body fit a line.
	least := int(math.Floor(float64(g.geo.textW)/float64(max(g.style.Chars, 1)+1)-size*20)) + 1
	spacing = max(spacing, least)
	var e xw
	e.raw(`<w:spacing`)
	e.attrInt("w:val", spacing)
	e.raw(`/>`)
	return e.b.Bytes()
}

// flowAuto is the space LibreOffice puts between Chinese and a run of
// digits or Latin letters, in ems (3.2 pt at 三号, measured), as
// official-mode paragraphs are condensed for it.
const flowAuto = 0.2

// lineSpare is what a line of a paragraph in embed mode leaves of its
// width before it is justified, in ems: LibreOffice, which sets a line
// 0.7 pt right of the margin and rounds every advance, wraps a line of
// the grid's 28 characters, fonts changing in it, that fits by 1.5 pt.
const lineSpare = 0.25

// char is a character of a line and the role it is set in.
type char struct {
	r    rune
	role fonts.Role
}

// condense returns the character spacing (twips) and the run properties
// (w:spacing) that fit a line of characters set at size into room (pt) in
// Word and in LibreOffice, or def and nil if the spacing its style gives
// (def) does: the line's
// natural width in the faces the text is set in, with LibreOffice's space
// around Latin and digits (autoSpace), spread over its characters.
func (g *gen) condense(line []char, size, room float64, def int) (spacing int, rPr []byte) {
	width := g.lineWidth(line, size, autoSpace)
	spacing = def
	if n := len(line); n > 0 {
		if need := int(math.Floor((room - width) * 20 / float64(n))); need < spacing {
			spacing = max(need, -int(maxCondense*size))
		}
	}
	if spacing == def {
		return def, nil
	}
	var e xw
	e.raw(`<w:spacing`)
	e.attrInt("w:val", spacing)
	e.raw(`/>`)
	return spacing, e.b.Bytes()
}

// lineWidth is the natural width (pt) of a line of characters set at size
// in the faces the layout set them in, with auto ems of space wherever
// Chinese meets Latin letters or digits, as LibreOffice spaces them.
func (g *gen) lineWidth(line []char, size, auto float64) float64 {
	width := 0.0
	for k, c := range line {
		f, ok := g.set.Resolve(c.role, c.r)
		if !ok {
			f = g.set.Fallback()
		}
		width += f.Advance(c.r) * size
		if k > 0 && isLatin(c.r) != isLatin(line[k-1].r) && !isSpace(c.r) && !isSpace(line[k-1].r) {
			width += auto * size
		}
	}
	return width
}

// pageSpare is how much lower (twips) the 版心 of an embed-mode DOCX
// reaches than the layout's: 3 pt, a tenth of a line.
const pageSpare = 60

// countSpare is what a count leaves of its cell in official mode where
// the layout had no room for substitute digits, pt.
const countSpare = 0.5

// cellSpare is what a label's line leaves of its cell's width, in ems.
const cellSpare = 0.1

// maxCondense is the most a line's characters are condensed, twips per
// point of type size (4 pt at 三号): a line that needs more wraps again.
const maxCondense = 5.0

// isLatin reports whether LibreOffice sets r as Western text: Latin
// letters and digits, next to which it spaces Chinese.
func isLatin(r rune) bool {
	return r < 0x2000 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '%' || r == '-' || r == '(' || r == ')')
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }

// text writes lines (joined by w:br) set in role, in a paragraph whose
// style names base's font, as runs with extra (run properties after the
// fonts, e.g. a size). With FontsOfficial it is one run, naming role's font
// if it is not base's. With FontsEmbed each stretch of characters one face
// sets is a run naming that face (cwTeX FangSong inside FandolFang text,
// the 宋体 fallback), as in the PDF, and the characters are recorded for
// the face's embedded subset.
func (g *gen) text(x *xw, role, base fonts.Role, extra []byte, lines ...string) {
	type seg struct {
		name  string
		latin string // the font of its digits and Latin letters
		text  string
		br    bool // a line break before text
	}
	var segs []seg
	if g.mode != FontsEmbed {
		for i, ln := range lines {
			segs = append(segs, seg{g.names[role], latinName(role, g.names[role]), ln, i > 0})
		}
	} else {
		for i, ln := range lines {
			br := i > 0
			var cur *fonts.Face // the face of the stretch's first character
			from := 0
			for j, r := range ln {
				f, ok := g.set.Resolve(role, r)
				if !ok {
					f = g.set.Fallback() // the layout refuses such text before
				}
				if cur != nil && f.Family() != cur.Family() {
					segs = append(segs, seg{g.faceName(cur), g.faceName(cur), ln[from:j], br})
					br, from = false, j
				}
				if cur == nil || f.Family() != cur.Family() {
					cur = f
				}
				g.use(f, r)
			}
			if cur == nil {
				cur = g.set.Face(role)
			}
			segs = append(segs, seg{g.faceName(cur), g.faceName(cur), ln[from:], br})
		}
	}
	for i := 0; i < len(segs); {
		name := segs[i].name
		x.raw(`<w:r>`)
		if name != g.names[base] || extra != nil {
			x.raw(`<w:rPr>`)
			if name != g.names[base] {
				g.rFontsName(x, name, segs[i].latin)
			}
			x.raw(string(extra))
			x.raw(`</w:rPr>`)
		}
		for ; i < len(segs) && segs[i].name == name; i++ {
			if segs[i].br {
				x.raw(`<w:br/>`)
			}
			x.t(segs[i].text)
		}
		x.raw(`</w:r>`)
	}
}

// rFonts names a role's face for every script (in official mode,
// latinName's font for its digits and Latin letters); Chinese text takes
// it from w:eastAsia.
func (g *gen) rFonts(x *xw, role fonts.Role) {
	n := g.names[role]
	latin := n
	if g.mode != FontsEmbed {
		latin = latinName(role, n)
	}
	g.rFontsName(x, n, latin)
}

func (g *gen) rFontsName(x *xw, n, latin string) {
	x.raw(`<w:rFonts`)
	x.attr("w:ascii", latin)
	x.attr("w:hAnsi", latin)
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
		c := g.geo.charTwips / 20
		ss = layout.SignatureSet{Agency: []string{s.Agency}, Date: s.Date, AgencyRight: 2 * c, DateRight: 2 * c, Cell: c}
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
		x.raw(` w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="right"/></w:pPr>`)
		g.text(x, fonts.RoleBody, fonts.RoleBody, nil, lines...)
		x.raw(`</w:p>`)
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
		b.attrInt("w:val", halfPoints(tset.Size))
		b.raw(`/><w:szCs`)
		b.attrInt("w:val", halfPoints(tset.Size))
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
		x.int(g.geo.rule)
		x.raw(`" w:space="0" w:color="000000"/>`)
	}
	x.raw(`</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>`)
	for _, m := range []struct {
		side string
		w    int
	}{{"top", g.geo.cellPadY}, {"left", g.geo.cellPadX}, {"bottom", g.geo.cellPadY}, {"right", g.geo.cellPadX}} {
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
	// Word and LibreOffice paginate the DOCX themselves: every row the
	// layout would not let a page follow is kept with the next, so they
	// break the table where the layout may, and where it did.
	//
	// Where the layout did break the table, a label whose rows the break
	// cuts is printed on both pages (the PDF repeats it); a vertical merge
	// cannot cross a page in Word or LibreOffice, which leave the
	// continuation empty, so the merge ends before the split and a new
	// one starts there with the label's text. Where the rows are as high
	// as the layout's (embed mode), the office program fills the page as
	// the layout did and breaks there. The table is not kept to the
	// layout's splits alone: where a program's rows are taller (other
	// fonts), it must break earlier, and LibreOffice, held by a chain of
	// rows longer than the page, drops the rows that overflow it.
	split := make([]bool, t.Rows)
	for _, r := range tset.Splits {
		if r > t.HeaderRows && r < t.Rows {
			split[r] = true
		}
	}
	keep := make([]bool, t.Rows)
	for r := 0; r+1 < t.Rows; r++ {
		keep[r] = r+1 < len(tset.Breaks) && !tset.Breaks[r+1]
		if g.mode == FontsEmbed {
			// Rows as high as the layout's: each page's rows are
			// kept together, so the table breaks at the layout's
			// splits and nowhere else.
			keep[r] = !split[r+1]
		}
	}
	// starts says whether a cell's text is printed in row r: in its first
	// row, or in a row the layout begins a page with; end is the row the
	// merge started there ends before.
	starts := func(c *layout.Cell, r int) bool {
		return r == c.Row || c.Row >= t.HeaderRows && split[r]
	}
	end := func(c *layout.Cell, r int) int {
		e := r + 1
		for e < c.Row+c.RowSpan && !split[e] {
			e++
		}
		return e
	}
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
			first := starts(c, r)
			switch {
			case first && end(c, r) > r+1:
				x.raw(`<w:vMerge w:val="restart"/>`)
			case !first:
				x.raw(`<w:vMerge/>`)
			}
			// In official mode a count the layout had no room for in an
			// office program's substitute digits (no size had it:
			// TableSet.CountDigit 0) takes its whole cell, and as much
			// condensing as those digits need, up to a tenth of an em.
			var countRPr []byte
			if g.mode != FontsEmbed && c.Kind == layout.CellData && tset.CountDigit == 0 && g.style.CountDigit > 0 {
				n := utf8.RuneCountInString(c.Text)
				need := float64(n) * g.style.CountDigit * tset.Size
				if room := float64(w-2*g.geo.cellPadX) / 20; need > room-countSpare {
					x.raw(`<w:tcMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tcMar>`)
					if room = float64(w)/20 - countSpare; need > room {
						sp := max(int(math.Floor((room-need)*20/float64(n))), -int(math.Round(tset.Size*2)))
						var e xw
						e.raw(`<w:spacing`)
						e.attrInt("w:val", sp)
						e.raw(`/>`)
						countRPr = e.b.Bytes()
					}
				}
			}
			x.raw(`<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="` + styleTable + `"/>`)
			if keep[r] {
				x.raw(`<w:keepNext/>`)
			}
			if sz != nil {
				x.raw(`<w:spacing w:line="`)
				x.int(twips(tset.Size * g.style.TableLeading))
				x.raw(`" w:lineRule="exact"/><w:rPr>`)
				x.raw(string(sz))
				x.raw(`</w:rPr>`)
			}
			x.raw(`</w:pPr>`)
			if first && c.Text != "" {
				role := fonts.RoleBody
				if c.Kind == layout.CellSection {
					role = fonts.RoleHei
				}
				// A label takes the layout's lines, broken between its
				// words; a count is one line anyway.
				lines := []string{c.Text}
				if ci := owner[r*t.Columns+col]; c.Kind != layout.CellData && ci < len(tset.Lines) && len(tset.Lines[ci]) > 0 {
					lines = tset.Lines[ci]
				}
				if c.Kind == layout.CellData {
					g.text(x, role, fonts.RoleBody, append(countRPr, sz...), lines...)
				} else {
					// Each line of a label condensed where it would not
					// fit its cell in LibreOffice (本年|度 for 本年度),
					// which would make the row taller than the layout's
					// and break the table elsewhere.
					// All its lines as condensed as the one that
					// needs it most.
					room := float64(w-2*g.geo.cellPadX)/20 - cellSpare*tset.Size
					var extra []byte
					least := 0
					for _, ln := range lines {
						var cs []char
						for _, r := range ln {
							cs = append(cs, char{r, role})
						}
						if sp, e := g.condense(cs, tset.Size, room, 0); sp < least {
							least, extra = sp, e
						}
					}
					if sz != nil {
						extra = append(extra, sz...)
					}
					g.text(x, role, fonts.RoleBody, extra, lines...)
				}
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

// sz writes a run's size in half-points, for CJK and Latin text alike.
func sz(x *xw, halfPoints int) {
	x.raw(`<w:sz`)
	x.attrInt("w:val", halfPoints)
	x.raw(`/><w:szCs`)
	x.attrInt("w:val", halfPoints)
	x.raw(`/>`)
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
	x.raw(`<w:kern w:val="2"/>`)
	sz(&x, g.geo.szBody)
	x.raw(`<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>`)
	x.raw(`<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr></w:pPrDefault></w:docDefaults>`)

	bodyIndent := int(math.Round(2 * g.geo.charTwips))
	x.raw(`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>`)
	x.raw(`<w:pPr><w:widowControl w:val="0"/><w:overflowPunct w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:snapToGrid w:val="0"/><w:spacing w:line="`)
	x.int(g.geo.linePitch)
	x.raw(`" w:lineRule="exact"/><w:ind`)
	x.attrInt("w:firstLine", bodyIndent)
	x.raw(` w:firstLineChars="200"/><w:jc w:val="both"/></w:pPr><w:rPr>`)
	g.rFonts(&x, fonts.RoleBody)
	x.raw(`<w:spacing w:val="`)
	x.int(g.geo.squeeze)
	x.raw(`"/>`)
	sz(&x, g.geo.szBody)
	x.raw(`</w:rPr></w:style>`)

	x.raw(`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>`)

	x.raw(`<w:style w:type="paragraph" w:styleId="` + styleTitle + `"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>`)
	x.raw(`<w:pPr><w:snapToGrid w:val="0"/><w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="center"/><w:outlineLvl w:val="9"/></w:pPr><w:rPr>`)
	g.rFonts(&x, fonts.RoleTitle)
	if o, _ := g.set.Face(fonts.RoleTitle).OS2(); g.mode == FontsEmbed && o.Bold {
		x.raw(`<w:b/><w:bCs/>`)
	}
	x.raw(`<w:spacing w:val="0"/>`)
	sz(&x, g.geo.szTitle)
	x.raw(`</w:rPr></w:style>`)

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
	x.int(g.geo.cellLine)
	x.raw(`" w:lineRule="exact"/><w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="center"/></w:pPr>`)
	x.raw(`<w:rPr><w:spacing w:val="0"/>`)
	sz(&x, g.geo.szTable)
	x.raw(`</w:rPr></w:style>`)

	x.raw(`<w:style w:type="paragraph" w:styleId="` + styleFooter + `"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>`)
	x.raw(`<w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="`)
	x.int(g.geo.footerLine)
	x.raw(`" w:lineRule="exact"/><w:ind w:firstLine="0" w:firstLineChars="0"/></w:pPr><w:rPr>`)
	g.rFonts(&x, fonts.RoleSong)
	x.raw(`<w:spacing w:val="0"/>`)
	sz(&x, g.geo.szPageNum)
	x.raw(`</w:rPr></w:style>`)

	x.raw(`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>`)
	x.raw(`<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>`)
	x.raw(`</w:styles>`)
	return x.b.Bytes()
}

// footer is an odd (right, one 四号 character in) or even (left) page's
// footer: `— N —` with a PAGE field, 四号 宋体.
func (g *gen) footer(odd bool) []byte {
	var x xw
	x.raw(xmlHeader)
	x.raw(`<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr><w:pStyle w:val="` + styleFooter + `"/>`)
	in := twips(g.style.PageNumSize)
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

// headerDist puts a draft's mark where the PDF prints it: its baseline as
// far above the 版心 as the page number's top is below it (twips from the
// page's top edge to the header line's top).
func (g *gen) headerDist() int {
	st := g.style
	return twips(st.Top - st.PageNumGap - layout.EmBaseline*st.BodySize)
}

// draftHeader is the header of every page of a draft: its mark in 三号 黑体
// at the right, one exact line so that the baseline sits where headerDist
// puts it.
func (g *gen) draftHeader(mark string) []byte {
	var x xw
	x.raw(xmlHeader)
	x.raw(`<w:hdr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr><w:spacing w:before="0" w:after="0" w:lineRule="exact"`)
	x.attrInt("w:line", twips(g.style.BodySize))
	x.raw(`/><w:jc w:val="right"/></w:pPr><w:r><w:rPr>`)
	name := g.names[fonts.RoleHei]
	x.raw(`<w:rFonts`)
	x.attr("w:ascii", name)
	x.attr("w:hAnsi", name)
	x.attr("w:eastAsia", name)
	x.raw(`/>`)
	sz(&x, g.geo.szBody)
	x.raw(`</w:rPr><w:t>`)
	x.text(mark)
	x.raw(`</w:t></w:r></w:p></w:hdr>`)
	return x.b.Bytes()
}

// fontTable is word/fontTable.xml: every font the document names, each
// described by panose, character set and coverage (w:sig) so that Word can
// match a missing one. With FontsOfficial each official name is followed
// by the next to try (仿宋_GB2312 → 仿宋 → FangSong, …). With FontsEmbed every
// face the text is set in is embedded as a subset of the characters it
// sets (obfuscated, word/fonts/fontN.odttf), the bold member of a family
// (the title's Noto Serif CJK SC Bold) as its w:embedBold; files are those
// parts and rels fontTable.xml's relationships to them.
func (g *gen) fontTable() (table, rels []byte, files []part, err error) {
	if g.mode != FontsEmbed {
		return g.officialFontTable(), nil, nil, nil
	}
	return g.embeddedFontTable()
}

// writeFontEntry writes the w:font element of a font named name, with inner (its
// w:embed… elements) inside.
func writeFontEntry(x *xw, name string, info fontInfo, inner string) {
	x.raw(`<w:font`)
	x.attr("w:name", name)
	x.raw(`>`)
	if info.alt != "" && info.alt != name {
		x.raw(`<w:altName`)
		x.attr("w:val", info.alt)
		x.raw(`/>`)
	}
	x.raw(`<w:panose1 w:val="` + info.panose + `"/><w:charset w:val="` + info.charset + `"/><w:family w:val="` + info.family + `"/><w:pitch w:val="` + info.pitch + `"/><w:sig`)
	for i, a := range []string{"w:usb0", "w:usb1", "w:usb2", "w:usb3", "w:csb0", "w:csb1"} {
		x.attr(a, fmt.Sprintf("%08X", info.sig[i]))
	}
	x.raw(`/>`)
	x.raw(inner)
	x.raw(`</w:font>`)
}

// officialFontTable names the fonts of a government PC the styles name, each
// followed by its fallbacks (w:altName).
func (g *gen) officialFontTable() []byte {
	var x xw
	x.raw(xmlHeader)
	x.raw(`<w:fonts xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">`)
	var order []string
	seen := map[string]bool{}
	var add func(n string)
	add = func(n string) {
		if _, ok := officialFonts[n]; !ok || seen[n] {
			return
		}
		seen[n] = true
		order = append(order, n)
		for _, alt := range strings.Split(officialFonts[n].alt, ",") {
			add(alt)
		}
	}
	for _, r := range fonts.Roles() {
		add(g.names[r])
	}
	add(latinFont)
	for _, n := range order {
		writeFontEntry(&x, n, officialFonts[n], "")
	}
	x.raw(`</w:fonts>`)
	return x.b.Bytes()
}

// fontFamilies returns the families in the order the styles name them, then
// as the text uses them, and each family's embedded faces.
func (g *gen) fontFamilies() (families []string, faces map[string][]*embedded) {
	faces = map[string][]*embedded{}
	add := func(fam string) {
		if _, ok := faces[fam]; !ok {
			faces[fam] = nil
			families = append(families, fam)
		}
	}
	for _, r := range fonts.Roles() {
		add(g.names[r])
	}
	for _, e := range g.used {
		fam := g.faceName(e.face)
		add(fam)
		faces[fam] = append(faces[fam], e)
	}
	return families, faces
}

// regularBold returns a family's regular and bold face. A second regular or
// bold face of one family (possible only with a font directory) cannot be
// told apart by name: the first wins.
func regularBold(faces []*embedded) (regular, bold *embedded) {
	for _, e := range faces {
		switch {
		case e.bold && bold == nil:
			bold = e
		case !e.bold && regular == nil:
			regular = e
		}
	}
	return regular, bold
}

// familyInfo describes family fam: from its regular face, else its bold one,
// else the face of the set a style names it for.
func (g *gen) familyInfo(fam string, regular, bold *embedded) fontInfo {
	switch {
	case regular != nil:
		return faceInfo(regular.face)
	case bold != nil:
		return faceInfo(bold.face)
	}
	for _, r := range fonts.Roles() {
		if f := g.set.Face(r); g.faceName(f) == fam {
			return faceInfo(f)
		}
	}
	return fontInfo{panose: "00000000000000000000", charset: "86", family: "auto", pitch: "variable"}
}

// embedFace returns the obfuscated subset of the characters e sets and its key.
func (g *gen) embedFace(e *embedded) (obf []byte, key string, err error) {
	data, err := e.face.Subset(e.runes)
	if err == nil {
		data, err = fonts.Tagged(data, g.tag)
	}
	if err != nil {
		return nil, "", fmt.Errorf("docx: embedding %s: %w", e.face.Name(), err)
	}
	key = fontKey(data)
	obf, err = obfuscate(data, key)
	return obf, key, err
}

// embeddedFontTable lists every family the document uses with the subsets
// of its regular and bold faces embedded, and returns the table's
// relationships and the font parts.
func (g *gen) embeddedFontTable() (table, rels []byte, files []part, err error) {
	var x, rx xw
	x.raw(xmlHeader)
	x.raw(`<w:fonts xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">`)
	rx.raw(xmlHeader)
	rx.raw(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	families, faces := g.fontFamilies()
	for _, fam := range families {
		regular, bold := regularBold(faces[fam])
		var inner strings.Builder
		for _, em := range []struct {
			elem string
			e    *embedded
		}{{"w:embedRegular", regular}, {"w:embedBold", bold}} {
			if em.e == nil {
				continue
			}
			obf, key, err := g.embedFace(em.e)
			if err != nil {
				return nil, nil, nil, err
			}
			id := fmt.Sprintf("rId%d", len(files)+1)
			target := fmt.Sprintf("fonts/font%d.odttf", len(files)+1)
			files = append(files, part{"word/" + target, obf})
			inner.WriteString(`<` + em.elem + ` r:id="` + id + `" w:fontKey="` + key + `" w:subsetted="1"/>`)
			rx.raw(`<Relationship Id="` + id + `" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/font" Target="` + target + `"/>`)
		}
		writeFontEntry(&x, fam, g.familyInfo(fam, regular, bold), inner.String())
	}
	x.raw(`</w:fonts>`)
	rx.raw(`</Relationships>`)
	return x.b.Bytes(), rx.b.Bytes(), files, nil
}
