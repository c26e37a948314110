package pdf

import (
	"math"
	"strconv"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
)

// appendNum appends v as a PDF number with at most three decimals (1/1000 pt is
// far below any device's resolution), without an exponent or a negative zero.
func appendNum(b []byte, v float64) []byte {
	v = math.Round(v*1000) / 1000
	if v == 0 {
		return append(b, '0')
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.AppendInt(b, int64(v), 10)
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}

const hexDigits = "0123456789ABCDEF"

// painter writes one page's content stream. It keeps the graphics state it has
// set (font, size, character spacing, line width) so that each
// operator is written only when it changes: body lines share one font and
// spacing.
type painter struct {
	b      []byte
	height float64 // the page height: the layout's y grows downwards, PDF's upwards

	font      *faceUse
	size      float64
	tc        float64 // the content stream starts with Tc 0
	lineWidth float64 // PDF's initial line width is 1
}

func (p *painter) reset(height float64) {
	*p = painter{b: p.b[:0], height: height, lineWidth: 1}
}

// text draws a run as glyph indices of the face's cut: Identity-H takes two
// bytes per glyph.
func (p *painter) text(it *layout.Item, u *faceUse) {
	b := p.b
	if u != p.font || it.Size != p.size {
		p.font, p.size = u, it.Size
		b = append(b, '/')
		b = append(b, u.res...)
		b = append(b, ' ')
		b = appendNum(b, it.Size)
		b = append(b, " Tf\n"...)
	}
	// Tc is text state, part of the graphics state: set outside BT…ET it holds
	// for the following text objects until changed.
	if it.Spacing != p.tc {
		p.tc = it.Spacing
		b = appendNum(b, p.tc)
		b = append(b, " Tc\n"...)
	}
	b = append(b, "BT "...)
	b = appendNum(b, it.X)
	b = append(b, ' ')
	b = appendNum(b, p.height-it.Y)
	b = append(b, " Td <"...)
	for _, r := range it.Text {
		g := u.glyph[r]
		b = append(b, hexDigits[g>>12], hexDigits[g>>8&15], hexDigits[g>>4&15], hexDigits[g&15])
	}
	b = append(b, "> Tj ET\n"...)
	p.b = b
}

// line strokes a rule in the current stroke colour (black).
func (p *painter) line(it *layout.Item) {
	b := p.b
	if it.LineWidth != p.lineWidth {
		p.lineWidth = it.LineWidth
		b = appendNum(b, it.LineWidth)
		b = append(b, " w\n"...)
	}
	b = appendNum(b, it.X)
	b = append(b, ' ')
	b = appendNum(b, p.height-it.Y)
	b = append(b, " m "...)
	b = appendNum(b, it.X2)
	b = append(b, ' ')
	b = appendNum(b, p.height-it.Y2)
	b = append(b, " l S\n"...)
	p.b = b
}

// page paints every item of p in order.
func (p *painter) page(pg *layout.Page, uses map[*fonts.Face]*faceUse) {
	p.reset(pg.Height)
	for j := range pg.Items {
		it := &pg.Items[j]
		switch it.Kind {
		case layout.ItemText:
			if it.Text == "" {
				continue
			}
			p.text(it, uses[it.Face])
		case layout.ItemLine:
			p.line(it)
		}
	}
}
