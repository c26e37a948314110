package pdfcheck

import (
	"strings"
	"testing"
)

// pitch is the body grid's character pitch: 156 mm over 28 characters.
const pitch = 156 * 72 / 25.4 / 28

// fullWidth reports whether r is set on the grid's pitch: a hanzi or a
// full-width mark (quotes, dashes and ellipses aside: their width depends
// on the face).
func fullWidth(r rune) bool {
	return (r >= 0x3000 && r <= 0x303F) || (r >= 0x3400 && r <= 0x9FFF) ||
		(r >= 0xF900 && r <= 0xFAFF) || (r >= 0xFF01 && r <= 0xFF5E)
}

// squeezable are the full-width marks whose glyph fills half the em box.
const squeezable = "，。、；：？！）》」』】〕（《「『【〔"

// checkSqueeze fails for a body line that squeezes a lone mark mid-line
// below three quarters of an em: clreq's 标点挤压 takes room from a line's
// last mark and from pairs of adjacent marks (）。，“), and a comma
// squeezed alone between hanzi (制,定期) reads as a Western one. A line of
// full-width characters set at the grid's pitch is (n−1) pitches and an em
// wide; what it lacks beyond half an em for each mark of a pair was taken
// from its lone marks.
func checkSqueeze(t testing.TB, name string, rows []Row) {
	t.Helper()
	for _, row := range rows {
		size := row.YMax - row.YMin
		// Body lines: 三号 仿宋, at the left margin or the first line's
		// indent of two characters.
		if size < 15.5 || size > 16.5 || row.YMin > bodyTop+bodyHeight ||
			(abs(row.XMin-bodyLeft) > 1.5 && abs(row.XMin-bodyLeft-2*pitch) > 1.5) {
			continue
		}
		rs := []rune(row.Text)
		ok := len(rs) > 2
		for _, r := range rs {
			ok = ok && fullWidth(r)
		}
		if !ok {
			continue
		}
		natural := float64(len(rs)-1)*pitch + size
		deficit := natural - (row.XMax - row.XMin)
		if deficit < 0.1*size {
			continue
		}
		mark := func(i int) bool { return i >= 0 && i < len(rs) && strings.ContainsRune(squeezable, rs[i]) }
		allowed, lone := 0.0, 0
		for i := range rs[:len(rs)-1] {
			switch {
			case !mark(i):
			case mark(i-1) || mark(i+1):
				allowed += size / 2
			default:
				lone++
			}
		}
		if lone > 0 && (deficit-allowed)/float64(lone) > 0.25*size {
			t.Errorf("%s page %d: a line squeezes a lone mark below ¾ em (%.1f pt taken from %d lone marks): %q",
				name, row.Page, deficit-allowed, lone, row.Text)
		}
	}
}
