package pdf

import (
	"fmt"
	"math"
	"strconv"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/internal/decimal"
	"github.com/govreport/govreport/layout"
)

// appendNum appends v as a PDF number with at most three decimals (1/1000 pt is
// far below any device's resolution), without an exponent or a negative zero.
func appendNum(b []byte, v float64) []byte {
	k := math.Round(v * 1000)
	if !(math.Abs(k) < 1e12) { // NaN too
		return appendNumFloat(b, v)
	}
	// Thousandths of a magnitude whose ulp is far below 1/1000 (a page's
	// coordinates): the shortest decimal that reads back as k/1000, which
	// strconv's float formatting finds, has k's digits. Written from the
	// integer, without it.
	return decimal.AppendMilli(b, int64(k))
}

// appendNumFloat is appendNum by way of strconv's float formatting, for
// NaN, the infinities and magnitudes of a trillion thousandths or more.
func appendNumFloat(b []byte, v float64) []byte {
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

	// The open marked-content sequence: an element's or an artifact's.
	inSeq       bool
	seqElem     *elem
	seqArtifact string
}

func (p *painter) reset(height float64) {
	*p = painter{b: p.b[:0], height: height, lineWidth: 1}
}

// open marks what follows as content of e (with a new MCID) or as an artifact,
// ending the current sequence if it is another one. Consecutive items of one
// element share a sequence.
func (p *painter) open(t *tagger, pg int, e *elem, artifact string) {
	if p.inSeq && e == p.seqElem && artifact == p.seqArtifact {
		return
	}
	p.close()
	p.inSeq, p.seqElem, p.seqArtifact = true, e, artifact
	if e == nil {
		p.b = append(p.b, artifact...)
		p.b = append(p.b, " BDC\n"...)
		return
	}
	p.b = append(p.b, '/')
	p.b = append(p.b, e.typ...)
	p.b = append(p.b, "<</MCID "...)
	p.b = strconv.AppendInt(p.b, int64(t.mark(pg, e)), 10)
	p.b = append(p.b, ">>BDC\n"...)
}

func (p *painter) close() {
	if p.inSeq {
		p.b = append(p.b, "EMC\n"...)
		p.inSeq = false
	}
}

// text draws a run as the CIDs embedFont gave its characters: Identity-H
// takes two bytes per code.
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
	if it.Rotate == 90 {
		// Turned a quarter clockwise as the page is seen: the text runs
		// down the page, its glyphs' tops to the right.
		b = append(b, "0 -1 1 0 "...)
	}
	b = appendNum(b, it.X)
	b = append(b, ' ')
	b = appendNum(b, p.height-it.Y)
	if it.Rotate == 90 {
		b = append(b, " Tm <"...)
	} else {
		b = append(b, " Td <"...)
	}
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

// page paints every item of page n (from 0) in order, each inside the
// marked-content sequence of its structure element or as an artifact.
func (p *painter) page(t *tagger, n int, pg *layout.Page, uses map[*fonts.Face]*faceUse) error {
	p.reset(pg.Height)
	for j := range pg.Items {
		it := &pg.Items[j]
		if it.Kind == layout.ItemText && it.Text == "" {
			continue
		}
		e, artifact, err := t.classify(it)
		if err != nil {
			return fmt.Errorf("pdf: page %d, item %d: %w", n+1, j, err)
		}
		p.open(t, n, e, artifact)
		switch it.Kind {
		case layout.ItemText:
			p.text(it, uses[it.Face])
		case layout.ItemLine:
			p.line(it)
		}
	}
	p.close()
	return nil
}
