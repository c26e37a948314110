package layout

import (
	"math"
	"slices"
)

// Costs of the label breaker, in pt² like the balance it weighs: a last
// line of one character (自然|人) and a break inside a word (结果维|持) each
// outweigh any evenness, the lone last character more; a line of one
// character before the last costs a hundredth of a lone last one.
const (
	splitWordCost = 1e8
	loneLineCost  = 1e9
)

// balanceLabel breaks a table label into at most n lines — n is what the
// breaker that fills each line before starting the next needs, so a row
// never grows — with lines as even as possible (the sum of the squares of
// each line's room left, last line included), breaking between the
// label's words (words: where they meet, in characters from its start; a
// label without them is one word) and never leaving a line of one
// character, unless nothing else fits. It returns nil when no break
// within n lines fits avail, for the caller to keep the filled lines.
func balanceLabel(gs []glyph, us []unit, avail, compress float64, n int, words []int) []line {
	// Lines that fit as set first: Word and LibreOffice, which set the
	// DOCX's label lines, neither squeeze marks nor close gaps, and would
	// wrap a squeezed line again.
	if lines := balance(gs, us, avail, compress, n, words, false, false); lines != nil {
		return lines
	}
	return balance(gs, us, avail, compress, n, words, true, false)
}

// wordLabel breaks a label that spans rows, whose height is not the
// filled lines' (三、本年度办理结果 beside ten rows), between its words
// only, in at most n lines; nil if its words do not fit (issue 22).
func wordLabel(gs []glyph, us []unit, avail, compress float64, n int, words []int) []line {
	return balance(gs, us, avail, compress, n, words, false, true)
}

func balance(gs []glyph, us []unit, avail, compress float64, n int, words []int, squeeze, strict bool) []line {
	m := len(us)
	if m == 0 || n <= 0 {
		return nil
	}
	// chars[j]: the characters of units[:j] that loneLast counts, so
	// that a line's are chars[end]-chars[start], not counted again for
	// every line weighed.
	chars := make([]int, m+1)
	for j, u := range us {
		chars[j+1] = chars[j]
		if u.space {
			continue
		}
		for _, g := range gs[u.start:u.end] {
			if !isNoStart(g.r) {
				chars[j+1]++
			}
		}
	}
	// cost[k][j]: the best way to set units[:j] in k lines.
	inf := math.Inf(1)
	cost := make([][]float64, n+1)
	back := make([][]int, n+1)
	costs, backs := make([]float64, (n+1)*(m+1)), make([]int, (n+1)*(m+1))
	for k := range cost {
		cost[k], costs = costs[:m+1:m+1], costs[m+1:]
		back[k], backs = backs[:m+1:m+1], backs[m+1:]
		for j := range cost[k] {
			cost[k][j] = inf
		}
	}
	cost[0][0] = 0
	for k := 1; k <= n; k++ {
		for i := 0; i < m; i++ {
			if math.IsInf(cost[k-1][i], 1) {
				continue
			}
			if i > 0 && !breakAllowed(gs, us[i-1], us[i]) {
				continue
			}
			c0 := cost[k-1][i]
			if i > 0 && !us[i-1].space && !us[i].space && !slices.Contains(words, us[i].start) {
				if strict {
					continue
				}
				c0 += splitWordCost
			}
			// The line us[i:j] trimmed of spaces, as trimmed makes it,
			// its width summed in the same order as j grows.
			start := i
			for start < m && us[start].space {
				start++
			}
			ln, w := line{start: start}, 0.0
			for j := start + 1; j <= m; j++ {
				u := &us[j-1]
				w += u.width
				if !u.space {
					ln.end, ln.width = j, w
				}
				if ln.width > avail+0.01 && (!squeeze || !lineFits(gs, us, ln, avail, compress)) {
					break
				}
				c := c0 + (avail-ln.width)*(avail-ln.width)
				if chars[ln.end]-chars[ln.start] <= 1 && m > 1 {
					// A lone character ends the label worse than it
					// starts it (自|然人, not 自然|人).
					c += loneLineCost / 100
					if j == m {
						c += loneLineCost
					}
				}
				if c < cost[k][j] {
					cost[k][j], back[k][j] = c, i
				}
			}
		}
	}
	for k := 1; k <= n; k++ {
		if math.IsInf(cost[k][m], 1) {
			continue
		}
		lines := make([]line, k)
		for at, kk := m, k; kk > 0; kk-- {
			i := back[kk][at]
			lines[kk-1] = trimmed(us, i, at)
			at = i
		}
		lines[k-1].last = true
		return lines
	}
	return nil
}

// trimmed is units[i:j] as a line, without leading or trailing spaces.
func trimmed(us []unit, i, j int) line {
	for i < j && us[i].space {
		i++
	}
	for j > i && us[j-1].space {
		j--
	}
	ln := line{start: i, end: j}
	for _, u := range us[i:j] {
		ln.width += u.width
	}
	return ln
}

// maxTighten is how much, in ems, each gap of a line may close when a
// closing mark is pushed in at its end (推入) and the line's marks cannot
// give the room: a 29th mark in a line of 28 characters with a lone comma
// takes 0.29 pt from each gap rather than half the comma's width.
const maxTighten = 0.025

// lineFits reports whether a line fits avail: as set, or with the closing
// mark at its end and the pairs of adjacent marks in it squeezed (标点挤压),
// then its gaps closed by up to maxTighten.
func lineFits(gs []glyph, us []unit, ln line, avail, compress float64) bool {
	const eps = 0.01
	if ln.width <= avail+eps {
		return true
	}
	last := us[ln.end-1]
	if last.space || last.shrink == 0 || last.open {
		return false
	}
	room := 0.0
	for k := ln.start; k < ln.end; k++ {
		if squeezable(us, ln, k) {
			room += us[k].shrink * compress * 2
		}
	}
	room += maxTighten * gs[us[ln.start].start].size * float64(ln.end-ln.start-1)
	return ln.width-avail <= room+eps
}
