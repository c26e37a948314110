package importer

import (
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// t2s maps a traditional character to its simplified form (t2s_table.go,
// generated from OpenCC's table by importer/internal/gent2s).
var t2s = sync.OnceValue(func() map[rune]rune {
	m := make(map[rune]rune, utf8.RuneCountInString(t2sPairs)/2)
	rs := []rune(t2sPairs)
	for i := 0; i+1 < len(rs); i += 2 {
		m[rs[i]] = rs[i+1]
	}
	return m
})

// Simplify maps the traditional characters of s to simplified ones, one
// character for one (OpenCC's character table, t2s_table.go), and changes
// nothing else. Every pair of the table has the same length in UTF-8, so a
// byte offset into the result is one into s: the audit quotes the
// original sentence at the offsets it matched in the simplified one.
func Simplify(s string) string {
	m := t2s()
	var b []byte
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if t, ok := m[r]; ok {
			if b == nil {
				b = append(make([]byte, 0, len(s)), s[:i]...)
			}
			b = utf8.AppendRune(b, t)
		} else if b != nil {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	if b == nil {
		return s
	}
	return string(b)
}

// fold makes a label comparable: traditional characters simplified,
// full-width ASCII made half-width, brackets made full-width (the formats
// write （一）), and spaces, line-break marks and quotes dropped, so that
// 雲川縣 matches 云川县, (一) matches （一） and a wrapped 商业/企业 matches
// 商业企业.
func fold(s string) string {
	m := t2s()
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E && r != '（' && r != '）' {
			r -= 0xFEE0
		}
		switch r {
		case '(':
			r = '（'
		case ')':
			r = '）'
		case '．', '。':
			if r == '．' {
				r = '.'
			}
		case '“', '”', '"', '‘', '’', '\'', '|', '/', '\u00a0', '\u3000':
			continue
		}
		if unicode.IsSpace(r) {
			continue
		}
		if s, ok := m[r]; ok {
			r = s
		}
		b.WriteRune(r)
	}
	return b.String()
}

// similarity is 1 − the edit distance of a and b (in characters) over the
// longer one's length: 1 for equal strings, 0 for nothing in common.
func similarity(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 && len(rb) == 0 {
		return 1
	}
	n := max(len(ra), len(rb))
	return 1 - float64(editDistance(ra, rb))/float64(n)
}

func editDistance(a, b []rune) int {
	var bufs [2][64]int
	var prev, cur []int
	if len(b) < 64 {
		prev, cur = bufs[0][:len(b)+1], bufs[1][:len(b)+1]
	} else {
		prev, cur = make([]int, len(b)+1), make([]int, len(b)+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c = min(c, prev[j], cur[j-1]) + 1
			} else {
				c = min(c, prev[j]+1, cur[j-1]+1)
			}
			cur[j] = c
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// chineseDigits reads 一 … 九十九 (and Arabic digits).
func chineseNumeral(s string) int {
	if s == "" {
		return 0
	}
	digit := map[rune]int{'〇': 0, '零': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	n, cur := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			cur = cur*10 + int(r-'0')
		case r == '十':
			if cur == 0 {
				cur = 1
			}
			n += cur * 10
			cur = 0
		default:
			d, ok := digit[r]
			if !ok {
				return 0
			}
			cur = cur*10 + d
		}
	}
	return n + cur
}

// sortedKeys returns a map's keys sorted.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
