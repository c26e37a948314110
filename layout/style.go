package layout

import "github.com/govreport/govreport/fonts"

// mm converts millimetres to points.
func mm(v float64) float64 { return v * 72 / 25.4 }

// Style holds the page geometry and type sizes. DefaultStyle is GB/T 9704.
type Style struct {
	PageWidth, PageHeight float64 // pt
	Top, Left             float64 // margins, pt: 天头 and 订口
	BodyWidth, BodyHeight float64 // 版心, pt
	Lines, Chars          int     // lines a page, characters a full line

	BodySize  float64 // 三号
	TitleSize float64 // 二号
	TableSize float64 // 小四
	// TableSteps are the smaller sizes a table steps down through, as a
	// whole, when its counts do not fit their columns at TableSize: 五号,
	// 小五, 六号. Steps not below TableSize are skipped.
	TableSteps []float64
	// MinTableSize is the smallest size a table is set at on a portrait
	// page (小五): a table whose counts do not fit at it, their margin
	// from the rules kept, turns to a landscape page (GB/T 9704 §10.2)
	// rather than step further down or wrap a count (issue 22).
	MinTableSize  float64
	PageNumSize   float64 // 四号
	PageNumGap    float64 // from the 版心's bottom to the top of the page number line
	TableLeading  float64 // line height in table cells, as a multiple of TableSize
	CellPadX      float64
	CellPadY      float64
	RuleWidth     float64 // table rules
	MaxPages      int     // a report longer than this is an error, not a hang
	CompressLimit float64 // how much of a closing mark's width may squeeze into a full line
	// CountDigit is the width, in ems, a column leaves each digit of its
	// counts where the table's sizes allow: the widest digit of the faces
	// an office program may set a DOCX's counts in when it lacks the
	// official fonts. 仿宋_GB2312, 仿宋, SimSun and NSimSun have digits of
	// 0.5 em, like FandolFang; LibreOffice on Debian sets the counts in
	// DejaVu Sans, whose digits are 0.637 em (27 % wider), and Noto Sans
	// CJK's are 0.555 em. A table takes this room at the size its counts
	// fit in their own face's digits, where its labels leave it; it does
	// not step down a size for it.
	CountDigit float64
}

// DefaultStyle is the GB/T 9704-2012 page: A4, 天头 37 mm, 订口 28 mm,
// 版心 156 × 225 mm, 22 lines × 28 characters of 三号 text; title 二号; tables
// 小四; page numbers 四号 7 mm below the 版心.
func DefaultStyle() Style {
	return Style{
		PageWidth: 595.28, PageHeight: 841.89,
		Top: mm(37), Left: mm(28),
		BodyWidth: mm(156), BodyHeight: mm(225),
		Lines: 22, Chars: 28,
		BodySize: 16, TitleSize: 22, TableSize: 12, PageNumSize: 14,
		TableSteps:    []float64{10.5, 9, 7.5},
		MinTableSize:  9,
		PageNumGap:    mm(7),
		TableLeading:  1.3,
		CellPadX:      2.5,
		CellPadY:      3,
		RuleWidth:     0.6,
		MaxPages:      500,
		CompressLimit: 0.5,
		CountDigit:    0.637,
	}
}

// Landscape is the page a table too wide for the portrait 版心 is set on
// (GB/T 9704 §10.2, 横排表格): the portrait sheet turned a quarter clockwise
// to read it, so that bound with the others the table's head faces the
// binding, as the standard asks of odd pages, and the outer edge on even
// ones. Its margins are the portrait page's turned with it: the 订口 (28
// mm) on top, the foot (35 mm) on the left, where the page number stays
// as it prints on the portrait pages; the 版心 holds the same grid lines
// and character cells, as many as fit 225 × 156 mm.
func (s Style) Landscape() Style {
	l := s
	pitch, cell := s.pitch(), s.cell()
	l.PageWidth, l.PageHeight = s.PageHeight, s.PageWidth
	l.Top, l.Left = s.Left, s.Bottom()
	l.Lines = int(s.BodyWidth/pitch + 1e-9)
	l.Chars = int(s.BodyHeight/cell + 1e-9)
	l.BodyHeight, l.BodyWidth = float64(l.Lines)*pitch, float64(l.Chars)*cell
	return l
}

// pitch is the distance between grid lines: 225 mm / 22 ≈ 28.99 pt.
func (s *Style) pitch() float64 { return s.BodyHeight / float64(s.Lines) }

// cell is the width of one character on the grid: 156 mm / 28 ≈ 15.79 pt.
func (s *Style) cell() float64 { return s.BodyWidth / float64(s.Chars) }

// Right is the right margin (翻口), pt: what the page leaves beside the 版心.
func (s Style) Right() float64 { return s.PageWidth - s.Left - s.BodyWidth }

// Bottom is the bottom margin, pt: what the page leaves below the 版心.
func (s Style) Bottom() float64 { return s.PageHeight - s.Top - s.BodyHeight }

// LinePitch is the distance between the body's grid lines, pt.
func (s Style) LinePitch() float64 { return s.pitch() }

// CharPitch is the width of one character cell of the body's grid, pt.
func (s Style) CharPitch() float64 { return s.cell() }

// EmBaseline is where the baseline sits in a CJK em box, as a fraction of
// the em from its top: a writer that hands text to another program places
// a line by it as the layout does.
const EmBaseline = emBaseline

// emBaseline is where the baseline sits in a CJK em box, from its top. The
// ideographic em box of the faces runs from 0.88 em above the baseline to
// 0.12 em below it.
const emBaseline = 0.88

// roleOfHeading gives the face role of a heading level.
func roleOfHeading(level int) fonts.Role {
	if level <= 1 {
		return fonts.RoleHei
	}
	return fonts.RoleKai
}
