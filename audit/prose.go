package audit

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/govreport/govreport/importer"
)

// Figure is what a figure stated in the prose counts: one of the totals of
// 表三 and 表四 the standard phrasings of a report's prose repeat.
type Figure int

const (
	// NewRequests is 本年新收政府信息公开申请数量 (表三 一、 总计):
	// 新收政府信息公开申请N件, 收到申请N件, 未收到…申请.
	NewRequests Figure = iota + 1
	// CarriedOver is 上年结转政府信息公开申请数量 (表三 二、 总计): 上年结转N件.
	CarriedOver
	// CarriedForward is 结转下年度继续办理 (表三 四、 总计):
	// 结转下年度继续办理N件.
	CarriedForward
	// Reviews is 行政复议 总计 (表四): 被申请行政复议N件.
	Reviews
	// Lawsuits is 行政诉讼, 未经复议直接起诉 总计 plus 复议后起诉 总计
	// (表四): 被提起行政诉讼N件.
	Lawsuits
)

// Statement is a figure the prose states, and the sentence that states it.
type Statement struct {
	Figure Figure
	Value  int64
	// Sentence is the sentence as written (up to its 。！？), trimmed.
	Sentence string
}

// The phrasings, matched on the text folded to simplified characters
// (fold) within one clause: a clause never holds a ，。； so that a
// number is read only next to the words that name it. A number followed
// by 余, 多 or a decimal point (十余万件, 5.3万余条) is an estimate and
// is not read; a clause that says 其中 counts a part, and is not read.
var (
	number = `([0-9０-９]{1,3}(?:,[0-9]{3})+|[0-9０-９]+|[零〇一二两三四五六七八九十百千万亿]+)`
	// The unit follows the number at once: 十余件, 1.2万件 and 约20件
	// do not match.
	// Each phrasing has a word it cannot match without, looked for
	// first: most clauses hold none, and a substring search is far
	// cheaper than the expression.
	phrasings = []struct {
		figure Figure
		word   string
		re     *regexp.Regexp
	}{
		{NewRequests, "申请", regexp.MustCompile(`(?:新收|收到|接收|接到)(?:各类|群众|公民)?(?:政府信息公开|依申请公开|信息公开)?(?:政府信息)?(?:的)?申请(?:数量)?(?:共|共计|总计|合计)?(?:为)?` + number + `(件)`)},
		{CarriedOver, "结转", regexp.MustCompile(`上一?年度?结转(?:的|下来的)?(?:政府信息公开|依申请公开)?(?:申请)?(?:数量)?(?:共|共计)?(?:为)?` + number + `(件)`)},
		{CarriedForward, "结转", regexp.MustCompile(`结转(?:至|到)?下一?年度?(?:继续)?(?:办理|处理)?(?:的)?(?:申请)?(?:共|共计)?(?:为)?` + number + `(件)`)},
		{Reviews, "行政复议", regexp.MustCompile(`行政复议(?:案件|申请)?(?:共|共计|总计|合计)?(?:为)?` + number + `(件|起)`)},
		{Lawsuits, "行政诉讼", regexp.MustCompile(`行政诉讼(?:案件)?(?:共|共计|总计|合计)?(?:为)?` + number + `(件|起)`)},
	}
	// none says a figure is nought: 未收到…申请, 未发生行政复议、行政诉讼,
	// 无上年结转; the negation opens the clause's statement and the named
	// figure closes the clause, so that 未发生行政复议被纠错的情况 (a part,
	// not the total) is not read as nought.
	noneApplications = regexp.MustCompile(`(?:未|没有|尚未)(?:收到|新收|接到|接收)[^0-9０-９]{0,16}?申请(?:的?情况|事项)?$`)
	noneCases        = regexp.MustCompile(`(?:未|没有|无)(?:发生|收到|出现|产生|有)?[^0-9０-９]{0,16}?(行政复议|行政诉讼)(?:(?:、|和|及|与|或|以及|或者)(?:被提起|被申请|提起)?(行政复议|行政诉讼))?(?:案件|事项)?(?:的?情况|情形)?$`)
	noneCarriedOver  = regexp.MustCompile(`^(?:无|没有)上一?年度?结转(?:的)?(?:申请)?$|^上一?年度?(?:无|没有)结转(?:的)?(?:申请)?$`)
	noneForward      = regexp.MustCompile(`^(?:无|没有)(?:需)?结转(?:至|到)?下一?年度?(?:继续)?(?:办理|处理)?(?:的)?(?:申请)?$`)
)

// isSentenceEnd tells the runes that end a sentence; isClauseEnd those
// that end a clause.
func isSentenceEnd(r rune) bool { return r == '。' || r == '！' || r == '？' }

func isClauseEnd(r rune) bool {
	switch r {
	case '，', '；', ';', '：', ':', '（', '）', '(', ')', '“', '”', '"':
		return true
	}
	return isSentenceEnd(r)
}

// Scan finds the figures a paragraph states in the standard phrasings, in
// order. It reads conservatively: a figure stated another way, or
// approximately, is not found rather than found wrong.
func Scan(paragraph string) []Statement {
	folded := fold(paragraph)
	var out []Statement
	for start := 0; start < len(folded); {
		end := indexFunc(folded, start, isSentenceEnd)
		sentence := folded[start:end]
		quote := strings.TrimSpace(paragraph[start:end])
		if end < len(paragraph) {
			_, n := utf8.DecodeRuneInString(paragraph[end:])
			quote = strings.TrimSpace(paragraph[start : end+n])
			end += n
		}
		out = append(out, scanSentence(sentence, quote)...)
		start = end
	}
	return out
}

func scanSentence(s, quote string) []Statement {
	var out []Statement
	seen := map[Figure]bool{}
	add := func(f Figure, v int64, sub string) {
		// 收到申请N件 counts the carried-over too when the sentence says
		// so (含上年结转); 新收 in the same sentence says it exactly.
		if f == NewRequests && !strings.HasPrefix(sub, "新收") &&
			(strings.Contains(s, "含上年结转") || strings.Contains(s, "包括上年结转") || strings.Contains(s, "新收")) {
			return
		}
		// 行政复议 and 行政诉讼 are 表四's when the sentence says they
		// concern information disclosure: a 司法局's report also counts
		// the reviews it decides (办理行政复议案件120件).
		if (f == Reviews || f == Lawsuits) && !strings.Contains(s, "信息公开") && !strings.Contains(s, "依申请公开") {
			return
		}
		if seen[f] {
			return // the first statement of a figure in a sentence is the one; later ones are its parts
		}
		seen[f] = true
		out = append(out, Statement{Figure: f, Value: v, Sentence: quote})
	}
	for cstart := 0; cstart < len(s); {
		cend := indexFunc(s, cstart, isClauseEnd)
		clause := s[cstart:cend]
		if cend < len(s) {
			_, n := utf8.DecodeRuneInString(s[cend:])
			cend += n
		}
		cstart = cend
		if strings.Contains(clause, "其中") {
			continue
		}
		for _, h := range scanClause(clause) {
			add(h.f, h.v, h.sub)
		}
	}
	return out
}

// hit is a figure found in a clause: at its offset, f is v; sub is the
// clause from the phrasing on.
type hit struct {
	at  int
	f   Figure
	v   int64
	sub string
}

// scanClause finds the figures of one clause, in the clause's order.
func scanClause(clause string) []hit {
	hasApplication := strings.Contains(clause, "申请")
	hasCase := strings.Contains(clause, "行政复议") || strings.Contains(clause, "行政诉讼")
	hasCarry := strings.Contains(clause, "结转")
	if !hasApplication && !hasCase && !hasCarry {
		return nil
	}
	var hits []hit
	for _, p := range phrasings {
		if !strings.Contains(clause, p.word) {
			continue
		}
		for _, m := range p.re.FindAllStringSubmatchIndex(clause, -1) {
			v, ok := parseCount(clause[m[2]:m[3]])
			// 3件次 counts visits, not cases.
			if !ok || strings.HasPrefix(clause[m[1]:], "次") {
				continue
			}
			hits = append(hits, hit{m[0], p.figure, v, clause[m[0]:]})
		}
	}
	if hasApplication {
		if m := noneApplications.FindStringIndex(clause); m != nil {
			hits = append(hits, hit{m[0], NewRequests, 0, "新收"})
		}
	}
	if hasCase {
		if m := noneCases.FindStringSubmatchIndex(clause); m != nil {
			for _, g := range [][2]int{{m[2], m[3]}, {m[4], m[5]}} {
				if g[0] < 0 {
					continue
				}
				f := Reviews
				if clause[g[0]:g[1]] == "行政诉讼" {
					f = Lawsuits
				}
				hits = append(hits, hit{m[0], f, 0, ""})
			}
		}
	}
	if hasCarry {
		if m := noneCarriedOver.FindStringIndex(clause); m != nil {
			hits = append(hits, hit{m[0], CarriedOver, 0, ""})
		}
		if m := noneForward.FindStringIndex(clause); m != nil {
			hits = append(hits, hit{m[0], CarriedForward, 0, ""})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.at - b.at })
	return hits
}

// indexFunc returns the index of the first rune in s at or after from
// for which end is true, or len(s).
func indexFunc(s string, from int, end func(rune) bool) int {
	if i := strings.IndexFunc(s[from:], end); i >= 0 {
		return from + i
	}
	return len(s)
}

// parseCount reads a count written in Arabic (full-width too, with
// thousands separators) or Chinese numerals (三, 十二, 一百零五, 两千);
// anything else (an empty string, a number too large) is not a count.
func parseCount(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if r >= '0' && r <= '9' || r >= '０' && r <= '９' {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r >= '０' && r <= '９':
				b.WriteByte(byte('0' + r - '０'))
			case r != ',':
				b.WriteRune(r)
			}
		}
		if b.Len() > 12 {
			return 0, false
		}
		v, err := strconv.ParseInt(b.String(), 10, 64)
		return v, err == nil
	}
	return parseChinese(s)
}

var chineseDigits = map[rune]int64{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// parseChinese reads a count in Chinese numerals: 十二, 一百零五, 三千二百万.
// A string that is not a well-formed numeral (十十, 二二百) is not a count.
func parseChinese(s string) (int64, bool) {
	var total, section, digit int64
	hasDigit := false
	lastUnit := int64(1 << 62)
	for _, r := range s {
		if d, ok := chineseDigits[r]; ok {
			if hasDigit && d != 0 && digit != 0 {
				return 0, false // two digits in a row: 二二
			}
			digit, hasDigit = d, true
			continue
		}
		var unit int64
		switch r {
		case '十':
			unit = 10
		case '百':
			unit = 100
		case '千':
			unit = 1000
		case '万':
			unit = 1e4
		case '亿':
			unit = 1e8
		default:
			return 0, false
		}
		if unit >= 1e4 {
			section += digit
			if section == 0 {
				return 0, false
			}
			total += section * unit
			if total >= 1e12 {
				return 0, false
			}
			section, digit, hasDigit, lastUnit = 0, 0, false, 1<<62
			continue
		}
		if unit >= lastUnit {
			return 0, false // 十百, 十十
		}
		if !hasDigit {
			if unit != 10 || section != 0 {
				return 0, false // 百 alone; 十 alone opens a number (十二)
			}
			digit = 1
		}
		section += digit * unit
		digit, hasDigit, lastUnit = 0, false, unit
	}
	return total + section + digit, true
}

// fold maps s to simplified characters (importer.Simplify, OpenCC's
// table), so that a report in traditional characters (and a portal's
// converted page) reads as one in simplified; byte offsets are kept.
func fold(s string) string { return importer.Simplify(s) }
