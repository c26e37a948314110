package report

import (
	"cmp"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Options adjust decoding.
type Options struct {
	// Formats are the formats a report may name in its format field. A
	// report that names none of them is checked against the latest (the
	// one for the latest years) to list its other problems too.
	Formats []*Format
	// Now is the time against which the year is checked (year ≤ Now's
	// year + 1). Zero means time.Now.
	Now time.Time
	// ChecksWarn turns failed 勾稽 checks into warnings (checks=warn).
	ChecksWarn bool
	// Draft accepts texts that still hold a placeholder of govreport
	// init's skeleton, as warnings (a draft is printed with a mark).
	Draft bool
}

// Latest returns the format for the latest years among formats, or nil.
func Latest(formats []*Format) *Format {
	var out *Format
	for _, f := range formats {
		if out == nil || f.Years.From > out.Years.From {
			out = f
		}
	}
	return out
}

// Decode parses and validates a report in the format its format field
// names. It returns the report, or an *Error listing every problem in
// document order.
//
// The input is never held as a tree: it is scanned once for its syntax and
// its format, then read along the format's field tree, and what the format
// does not expect is skipped (see parse.go). So decoding allocates at most
// a small multiple of the input's size whatever the input holds
// (TestDecodeMemory).
func Decode(data []byte, opt Options) (*Report, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	id, se := scan(data)
	if se != nil {
		line, col := lineCol(data, se.off)
		en := fmt.Sprintf("malformed JSON at line %d, column %d: %s", line, col, se.msg)
		zh := fmt.Sprintf("JSON 格式错误（第 %d 行第 %d 列）：%s", line, col, cmp.Or(se.msgZh, se.msg))
		if se.code == "encoding" {
			en, zh = encodingProblem(data, line, col)
		}
		return nil, &Error{Problems: []Problem{{Code: se.code, Line: line, Column: col, Message: en, MessageZh: zh}}}
	}
	if len(opt.Formats) == 0 {
		return nil, fmt.Errorf("report: no formats to decode with")
	}
	// A report that names no known format is read as the latest; its
	// format field's own problem is raised when it is decoded.
	f := lookup(opt.Formats, id)
	if f == nil {
		f = Latest(opt.Formats)
	}
	if f.root == nil {
		return nil, fmt.Errorf("report: format %q has no fields", f.ID)
	}
	d := &decoder{opt: opt, f: f, p: newParser(data), r: &Report{Format: f, cells: make(map[string]Value, f.numCells), blocks: map[string][]Block{}},
		at: make(map[string]int, f.numCells+64)}
	d.object("", f.root)
	if err := d.p.err; err != nil {
		// scan read the same bytes without error: a bug, not the input's.
		return nil, fmt.Errorf("report: decoding at offset %d: %s", err.off, err.msg)
	}
	if len(d.errs) == 0 {
		d.crossField()
	}
	d.computeTotals()
	d.check()
	sortProblems(d.errs)
	sortProblems(d.r.Warnings)
	if len(d.errs) > 0 {
		return nil, &Error{Problems: d.errs, Omitted: d.omitted}
	}
	if d.r.Title == "" {
		d.r.Title = f.Name(f.Names.Title, d.r.Agency, d.r.Year)
		d.r.TitleFrom = d.agencyFrom
	}
	if d.r.Signature.Agency == "" {
		d.r.Signature.Agency, d.r.Signature.AgencyFrom = d.r.Agency, d.agencyFrom
	}
	return d.r, nil
}

func lookup(formats []*Format, id string) *Format {
	for _, f := range formats {
		if f.ID == id {
			return f
		}
	}
	return nil
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].off < ps[j].off })
}

// decoder reads a document along a format's field tree. Each of its
// reading methods reads exactly one value at the parser's position.
type decoder struct {
	opt  Options
	f    *Format
	p    *parser
	r    *Report
	errs []Problem
	// omitted counts the problems beyond MaxProblems, which are not kept:
	// a hostile body of distinct unknown keys must not become an answer a
	// hundred times its size.
	omitted int
	// last indexes the kept problem latest in the document: the one a
	// problem found later but placed earlier replaces, so the list is the
	// first MaxProblems in document order whatever order they are found in
	// (a section's size is found after its paragraphs, a failed check
	// after every field).
	last  int
	chars int // characters of text in the report
	// draftWarnings counts the placeholders of a draft (Options.Draft).
	draftWarnings int
	agencyFrom    string // the pointer of the agency's value
	// at records each decoded cell's offset, to order check problems.
	at map[string]int
}

func (d *decoder) fail(ptr string, off int, code, en, zh string) {
	if d.full(off) {
		d.omitted++
		return
	}
	d.keep(Problem{Pointer: ptr, Code: code, Message: en, MessageZh: zh, off: off})
}

// full reports whether a problem at offset off would not be listed:
// MaxProblems problems are kept already, none of them after off. Callers
// test it before they spend time on a message that would be dropped.
// Every problem is found at or before the position being read, so once
// full is true at an offset it is true at every later one.
func (d *decoder) full(off int) bool {
	return len(d.errs) >= MaxProblems && off >= d.errs[d.last].off
}

// keep adds a problem to the list, or, when the list is full, puts it in
// the place of the latest one (which is then counted as omitted).
func (d *decoder) keep(p Problem) {
	if len(d.errs) < MaxProblems {
		d.errs = append(d.errs, p)
		if p.off >= d.errs[d.last].off {
			d.last = len(d.errs) - 1
		}
		return
	}
	d.omitted++
	d.errs[d.last] = p
	for i := range d.errs {
		if d.errs[i].off >= d.errs[d.last].off {
			d.last = i
		}
	}
}

func (d *decoder) warn(ptr string, off int, code, en, zh string) {
	d.r.Warnings = append(d.r.Warnings, Problem{Pointer: ptr, Code: code, Message: en, MessageZh: zh, off: off})
}

// typeErr reports and skips a value of the wrong type: the type it has,
// and a string's text, cut to MaxEcho characters.
func (d *decoder) typeErr(ptr string, want, wantZh string) {
	p := d.p
	c, off := p.peek(), p.pos
	if d.full(off) {
		d.omitted++
		p.skip(0)
		return
	}
	got := kind(c)
	if c == '"' {
		s, _, _ := p.str(maxEchoBytes)
		got = fmt.Sprintf("string %q", clip(string(s)))
	} else {
		p.skip(0)
	}
	d.fail(ptr, off, "type", fmt.Sprintf("must be %s, not %s", want, got),
		fmt.Sprintf("应为%s，实为 %s", wantZh, got))
}

// MaxEcho is the most characters of a key or a value that a problem
// quotes, in its pointer and its messages: a longer one is cut there and
// ends in …, so the answer to a report does not grow with what it holds.
const MaxEcho = 64

// maxEchoBytes is enough bytes of a string for clip to see that it is
// longer than MaxEcho characters.
const maxEchoBytes = (MaxEcho + 1) * utf8.UTFMax

// clip cuts s to MaxEcho characters, marking the cut with an ellipsis.
func clip(s string) string {
	n := 0
	for i := range s {
		if n == MaxEcho {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// object decodes the object at the parser against an object node of the
// format.
func (d *decoder) object(ptr string, n *Node) {
	d.members(ptr, n, true, func(ptr string, f *Field) bool {
		d.field(ptr, f)
		return true
	})
}

// members decodes the object at the parser against an object node:
// unknown keys, duplicates and missing required fields are problems; known
// fields are decoded by known, in the order they appear, the first time
// they appear. An unknown key's value and a repeat's are skipped, never
// kept: each is one problem, counted, and listed only while fewer than
// MaxProblems are. With hint, a key that another format has here says so,
// instead of a required problem for each of this format's keys. members
// reports whether the object had no problem of its own and known returned
// true for every field.
func (d *decoder) members(ptr string, n *Node, hint bool, known func(ptr string, f *Field) bool) bool {
	p := d.p
	if p.peek() != '{' {
		d.typeErr(ptr, "an object", "对象")
		return false
	}
	ok, stale := true, false
	seen := make([]bool, len(n.Fields))
	// listed are the unknown keys listed so far, to tell their repeats;
	// once the list is full, nothing needs telling apart (see full).
	var listed map[string]bool
	p.members(1, func(key []byte, koff int) {
		if i := fieldIndex(n, key); i >= 0 && !seen[i] {
			seen[i] = true
			f := &n.Fields[i]
			if !known(ptr+"/"+escapePointer(f.Name), f) {
				ok = false
			}
			return
		} else if i >= 0 || listed[string(key)] {
			ok = false
			if d.full(koff) {
				d.omitted++
			} else {
				k := clip(string(key))
				d.fail(ptr+"/"+escapePointer(k), koff, "duplicate_key", fmt.Sprintf("key %q is given more than once", k),
					fmt.Sprintf("键 %q 重复出现", k))
			}
			p.skip(0)
			return
		}
		ok = false
		off := p.pos
		if d.full(off) {
			d.omitted++
			p.skip(0)
			return
		}
		key0 := string(key)
		if listed == nil {
			listed = map[string]bool{}
		}
		listed[key0] = true
		k := clip(key0)
		at := ptr + "/" + escapePointer(k)
		en, zh := unknownMsg(k, n)
		other := ""
		if hint && len(key0) <= maxEchoBytes { // no format has a longer key
			other = d.elsewhere(ptr + "/" + escapePointer(key0))
		}
		if other != "" {
			// Another format's key: say so, and name this format's keys
			// here instead of a required problem for each.
			stale = true
			var names []string
			for _, f := range n.Fields {
				names = append(names, f.Name)
			}
			here := strings.Join(names, ", ")
			en = fmt.Sprintf("unknown field %q in format %s: it belongs to format %s; set \"format\" to %q, or use this format's keys here: %s", k, d.f.ID, other, other, here)
			zh = fmt.Sprintf("格式 %s 中没有字段 %q：该字段属于格式 %s；请将 \"format\" 设为 %q，或改用本格式此处的字段：%s", d.f.ID, k, other, other, here)
		}
		d.fail(at, off, "unknown_field", en, zh)
		p.skip(0)
	})
	end := p.pos
	d.mark(ptr, end-1)
	for i, f := range n.Fields {
		if f.Required && !seen[i] && !stale {
			d.missing(ptr+"/"+f.Name, f.Name, end-1)
			ok = false
		}
	}
	return ok
}

// missing reports a required field that is not given. A table's cell is
// named by its table, row and column, as the 勾稽 problems name it, and a
// row (or table 四's column group) given not at all by its label: a clerk
// reads the printed grid, not the JSON keys.
func (d *decoder) missing(ptr, name string, off int) {
	if d.full(off) {
		d.omitted++
		return
	}
	en, zh := fmt.Sprintf("%q is required", name), fmt.Sprintf("缺少必填字段 %q", name)
	if table, row, col := d.f.CellLabel(ptr); row != "" || col != "" {
		en = fmt.Sprintf("%s %q × %q: missing (%s)", table, row, col, en)
		zh = fmt.Sprintf("%s “%s” × “%s”: 缺少此项（必填字段 %q）", table, row, col, name)
	} else if table, row := d.f.groupLabel(ptr); row != "" {
		en = fmt.Sprintf("%s %q: missing (%s)", table, row, en)
		zh = fmt.Sprintf("%s “%s”: 缺少此项（必填字段 %q）", table, row, name)
	}
	d.fail(ptr, off, "required", en, zh)
}

// elsewhere returns the id of another format whose contract has the field
// at ptr: a report in one format that uses another's keys (the 2019 表二
// still turns up in later reports) is told which format the keys belong to.
func (d *decoder) elsewhere(ptr string) string {
	for _, f := range d.opt.Formats {
		if f != d.f && f.root != nil && f.field(ptr) != nil {
			return f.ID
		}
	}
	return ""
}

func findField(n *Node, name string) *Field {
	for i := range n.Fields {
		if n.Fields[i].Name == name {
			return &n.Fields[i]
		}
	}
	return nil
}

// fieldIndex returns the index of the field named key, or -1.
func fieldIndex(n *Node, key []byte) int {
	for i := range n.Fields {
		if n.Fields[i].Name == string(key) {
			return i
		}
	}
	return -1
}

// unknownMsg names the unknown key and, when it is a near miss, the key
// that was probably meant.
func unknownMsg(k string, n *Node) (en, zh string) {
	names := make([]string, len(n.Fields))
	for i, f := range n.Fields {
		names[i] = f.Name
	}
	for _, name := range names {
		if editDistance(k, name) <= 2 {
			return fmt.Sprintf("unknown field %q; did you mean %q?", k, name),
				fmt.Sprintf("未知字段 %q，是否应为 %q？", k, name)
		}
	}
	return fmt.Sprintf("unknown field %q (allowed: %s)", k, strings.Join(names, ", ")),
		fmt.Sprintf("未知字段 %q（可用字段：%s）", k, strings.Join(names, ", "))
}

// editDistance is the Levenshtein distance of two short keys, to suggest
// the key a typo meant.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return len(a) + len(b)
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// field decodes the value at the parser as field f.
func (d *decoder) field(ptr string, f *Field) {
	p := d.p
	n := f.Node
	switch n.Kind {
	case KindObject:
		d.object(ptr, n)
	case KindFormat:
		if p.peek() != '"' {
			d.typeErr(ptr, "a string", "字符串")
			return
		}
		off := p.pos
		s, whole, _ := p.str(maxEchoBytes)
		if !whole || string(s) != d.f.ID {
			ids := make([]string, len(d.opt.Formats))
			for i, f := range d.opt.Formats {
				ids[i] = f.ID
			}
			sort.Strings(ids)
			list := strings.Join(ids, ", ")
			got := clip(string(s))
			d.fail(ptr, off, "format", fmt.Sprintf("unknown format %q; formats: %s", got, list),
				fmt.Sprintf("不支持的格式 %q，可用格式：%s", got, list))
		}
	case KindString:
		s, ok := d.line(ptr, n.MaxLen)
		if !ok {
			return
		}
		switch n.Role {
		case "agency":
			d.r.Agency, d.agencyFrom = s, ptr
		case "title":
			d.r.Title, d.r.TitleFrom = s, ptr
		case "signature_agency":
			d.r.Signature.Agency, d.r.Signature.AgencyFrom = s, ptr
		}
	case KindYear:
		off := p.pos
		y, ok := d.integer(ptr)
		if !ok {
			return
		}
		d.year(ptr, off, y)
	case KindDate:
		if p.peek() != '"' {
			d.typeErr(ptr, "a date string YYYY-MM-DD", "日期字符串 YYYY-MM-DD")
			return
		}
		off := p.pos
		s, _, _ := p.str(maxEchoBytes)
		date, ok := parseDate(string(s))
		if !ok {
			got := clip(string(s))
			d.fail(ptr, off, "date", fmt.Sprintf("%q is not an existing date in the form YYYY-MM-DD", got),
				fmt.Sprintf("%q 不是有效日期（格式 YYYY-MM-DD）", got))
			return
		}
		if n.Role == RoleSignatureDate {
			d.r.Signature.Date, d.r.Signature.DateFrom = date, ptr
		}
		d.mark(ptr, off)
	case KindBlocks:
		d.r.blocks[ptr] = d.blocks(ptr, n)
	case KindCount, KindDecimal, KindChange:
		d.cell(ptr, n)
	default:
		p.skip(0)
	}
}

// year checks the reported year against the format's years: before them is
// an error, after the years the format was issued for a warning.
func (d *decoder) year(ptr string, off int, y int64) {
	yr := d.f.Years
	if y < int64(yr.From) {
		d.fail(ptr, off, "range", fmt.Sprintf("year %d is before %d: the %d format applies from the %d reports", y, yr.From, yr.From, yr.From),
			fmt.Sprintf("年度 %d 早于 %d 年：%d 年格式自 %d 年度报告起适用", y, yr.From, yr.From, yr.From))
		return
	}
	if max := int64(d.opt.Now.Year() + 1); y > max {
		d.fail(ptr, off, "range", fmt.Sprintf("year %d is after next year (%d)", y, max),
			fmt.Sprintf("年度 %d 晚于明年（%d 年）", y, max))
		return
	}
	if yr.Until != 0 && y > int64(yr.Until) {
		en := fmt.Sprintf("format %s was issued for the %d–%d reports; a %d report is accepted (archives hold such reports)", d.f.ID, yr.From, yr.Until, y)
		zh := fmt.Sprintf("格式 %s 适用于 %d—%d 年度报告；%d 年度报告仍予接受（存档中有此类报告）", d.f.ID, yr.From, yr.Until, y)
		if yr.Successor != "" {
			en += fmt.Sprintf(", but from %d the format is %s", yr.Until+1, yr.Successor)
			zh += fmt.Sprintf("，但自 %d 年度起应使用格式 %s", yr.Until+1, yr.Successor)
		}
		d.warn(ptr, off, "stale_format", en, zh)
	}
	d.r.Year = int(y)
}

// line reads and validates a one-line string: agency, title, heading.
func (d *decoder) line(ptr string, max int) (string, bool) {
	p := d.p
	if p.peek() != '"' {
		d.typeErr(ptr, "a string", "字符串")
		return "", false
	}
	off := p.pos
	b, _, lone := p.str(-1)
	s := string(b)
	return s, d.text(ref{ptr, -1}, off, s, lone, max)
}

// text validates the characters of a string value at off and counts them
// towards the report's size limit. Its problems are at ref, a pointer built
// only when one of them is listed.
func (d *decoder) text(at ref, off int, s string, lone bool, max int) bool {
	n, ok := clean(s, lone, max)
	if ok {
		d.chars += n
		d.placeholder(at, off, s)
		return true
	}
	if strings.TrimSpace(s) == "" {
		if d.full(off) {
			d.omitted++
		} else {
			d.fail(at.String(), off, "empty", "must not be empty", "不能为空")
		}
		return false
	}
	d.chars += n
	if d.full(off) {
		// Every problem of the string is at off: count them only.
		d.omitted += textProblems(s, lone, n, max)
		return false
	}
	ptr := at.String()
	if lone {
		d.fail(ptr, off, "surrogate", "a lone surrogate escape (\\ud800–\\udfff without its pair) is not a character",
			"含有不成对的代理项转义（\\ud800–\\udfff），不是有效字符")
	}
	ok = !lone // a character's problem is listed unless the string has one already
	for i, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			if ok {
				d.fail(ptr, off, "newline", fmt.Sprintf("line break at character %d: a paragraph is one line; send two paragraphs", utf8.RuneCountInString(s[:i])+1),
					fmt.Sprintf("第 %d 个字符处有换行：一个段落不能换行，请分为两个段落", utf8.RuneCountInString(s[:i])+1))
			}
			ok = false
		case unicode.IsControl(r):
			if ok {
				d.fail(ptr, off, "control_character", fmt.Sprintf("control character U+%04X at character %d", r, utf8.RuneCountInString(s[:i])+1),
					fmt.Sprintf("第 %d 个字符是控制字符 U+%04X", utf8.RuneCountInString(s[:i])+1, r))
			}
			ok = false
		case r > 0xFFFF:
			if ok {
				d.fail(ptr, off, "outside_bmp", fmt.Sprintf("character U+%X %q at character %d is outside the Basic Multilingual Plane; the PDF fonts cannot draw it", r, string(r), utf8.RuneCountInString(s[:i])+1),
					fmt.Sprintf("第 %d 个字符 U+%X “%s” 超出基本多文种平面，PDF 字体无法显示", utf8.RuneCountInString(s[:i])+1, r, string(r)))
			}
			ok = false
		}
	}
	if n > max {
		d.fail(ptr, off, "too_long", fmt.Sprintf("%d characters; at most %d", n, max),
			fmt.Sprintf("长度 %d 字，超过上限 %d 字", n, max))
	}
	return false
}

// textProblems is the number of problems text reports for a string that
// is not blank, of n characters: a lone surrogate, or else the first
// character a line may not hold; and its length.
func textProblems(s string, lone bool, n, max int) int {
	count := 0
	if lone {
		count++
	} else {
		for _, r := range s {
			if r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' || r > 0xFFFF || unicode.IsControl(r) {
				count++
				break
			}
		}
	}
	if n > max {
		count++
	}
	return count
}

// ref is a JSON pointer built only when a problem names it: ptr, or, when
// i ≥ 0, element i of the array at ptr.
type ref struct {
	ptr string
	i   int
}

func (r ref) String() string {
	if r.i < 0 {
		return r.ptr
	}
	return r.ptr + "/" + strconv.Itoa(r.i)
}

// clean reports whether text has none of the problems text reports, with
// its length in characters. It is text's fast path: most strings are
// clean, and then no pointer need be built for them.
func clean(s string, lone bool, max int) (n int, ok bool) {
	blank, bad := true, false
	for _, r := range s {
		n++
		if r < 0x20 || r >= 0x7F && (r == '\u2028' || r == '\u2029' || r > 0xFFFF || unicode.IsControl(r)) {
			bad = true
		}
		if blank && !unicode.IsSpace(r) {
			blank = false
		}
	}
	return n, !lone && !bad && !blank && n <= max
}

// elementPointer is the pointer of element i of the array at ptr.
func elementPointer(ptr string, i int) string { return ptr + "/" + strconv.Itoa(i) }

// blocks decodes a text section: strings are paragraphs, objects are
// （一） headings with paragraphs. The array is counted before it is read:
// one past the limit is one problem, and none of it is kept.
func (d *decoder) blocks(ptr string, n *Node) []Block {
	p := d.p
	if p.peek() != '[' {
		d.typeErr(ptr, "an array of paragraphs", "段落数组")
		return nil
	}
	off := p.pos
	count := p.count(1)
	if count < n.MinItems {
		d.fail(ptr, off, "empty", "must have at least one paragraph", "至少需要一个段落")
		p.skip(0)
		return nil
	}
	if count > MaxBlocks {
		d.fail(ptr, off, "too_large", fmt.Sprintf("%d blocks; at most %d", count, MaxBlocks),
			fmt.Sprintf("%d 个段落，超过上限 %d", count, MaxBlocks))
		p.skip(0)
		return nil
	}
	start := d.chars
	out := make([]Block, 0, count)
	p.elements(1, func(i int) {
		switch eoff := p.pos; p.peek() {
		case '"':
			b, _, lone := p.str(-1)
			s := string(b)
			if d.text(ref{ptr, i}, eoff, s, lone, MaxParagraphLen) {
				out = append(out, Block{Paragraphs: []string{s}, Pointer: elementPointer(ptr, i)})
			}
		case '{':
			if b, ok := d.headingBlock(elementPointer(ptr, i)); ok {
				out = append(out, b)
			}
		default:
			if d.full(eoff) {
				d.omitted++
				p.skip(0)
				return
			}
			d.typeErr(elementPointer(ptr, i), "a paragraph string or a heading object", "段落字符串或标题对象")
		}
	})
	if n := d.chars - start; n > MaxSectionChars {
		d.fail(ptr, off, "too_large", fmt.Sprintf("section holds %d characters; at most %d", n, MaxSectionChars),
			fmt.Sprintf("本部分共 %d 字，超过上限 %d 字", n, MaxSectionChars))
	}
	return out
}

// headingBlock decodes a （一） heading block by the shape HeadingBlock.
func (d *decoder) headingBlock(ptr string) (Block, bool) {
	p := d.p
	b := Block{Pointer: ptr}
	ok := d.members(ptr, HeadingBlock, false, func(ptr string, f *Field) bool {
		switch n := f.Node; n.Kind {
		case KindString:
			s, ok := d.line(ptr, n.MaxLen)
			b.Heading = s
			return ok
		case KindParagraphs:
			paras, ok := d.paragraphs(ptr, n)
			b.Paragraphs = paras
			return ok
		case KindBool:
			c := p.peek()
			if c != 't' && c != 'f' {
				d.typeErr(ptr, "true or false", "布尔值 true 或 false")
				return false
			}
			b.RunIn = c == 't'
		}
		p.skip(0)
		return true
	})
	return b, ok
}

// paragraphs decodes an array of paragraph strings, counted before it is
// read as blocks' is.
func (d *decoder) paragraphs(ptr string, n *Node) ([]string, bool) {
	p := d.p
	if p.peek() != '[' {
		d.typeErr(ptr, "an array of paragraph strings", "段落字符串数组")
		return nil, false
	}
	off := p.pos
	ok := true
	count := p.count(1)
	if count < n.MinItems {
		d.fail(ptr, off, "empty", "must have at least one paragraph", "至少需要一个段落")
		ok = false
	}
	if count > MaxBlocks {
		d.fail(ptr, off, "too_large", fmt.Sprintf("%d paragraphs; at most %d", count, MaxBlocks),
			fmt.Sprintf("%d 个段落，超过上限 %d", count, MaxBlocks))
		p.skip(0)
		return nil, false
	}
	var out []string
	if count > 0 {
		out = make([]string, 0, count)
	}
	p.elements(1, func(j int) {
		eoff := p.pos
		if p.peek() != '"' {
			ok = false
			if d.full(eoff) {
				d.omitted++
				p.skip(0)
				return
			}
			d.typeErr(elementPointer(ptr, j), "a paragraph string", "段落字符串")
			return
		}
		b, _, lone := p.str(-1)
		s := string(b)
		if d.text(ref{ptr, j}, eoff, s, lone, MaxParagraphLen) {
			out = append(out, s)
		} else {
			ok = false
		}
	})
	return out, ok
}

// integer decodes a JSON number that is a whole number (5, 5.0, 5e0).
func (d *decoder) integer(ptr string) (int64, bool) {
	p := d.p
	if c := p.peek(); c != '-' && (c < '0' || c > '9') {
		d.typeErr(ptr, "an integer", "整数")
		return 0, false
	}
	off := p.pos
	lit := string(p.number())
	num, ok := parseNumber(lit)
	if !ok || num.places() > 0 {
		d.fail(ptr, off, "integer", fmt.Sprintf("%s is not a whole number", clip(lit)), fmt.Sprintf("%s 不是整数", clip(lit)))
		return 0, false
	}
	i, ok := num.int64()
	if !ok || num.neg {
		d.fail(ptr, off, "range", fmt.Sprintf("%s is out of range", clip(lit)), fmt.Sprintf("%s 超出范围", clip(lit)))
		return 0, false
	}
	return i, true
}

// cell decodes a table cell: a count, a change or an amount, or null
// where the node allows it.
func (d *decoder) cell(ptr string, n *Node) {
	p := d.p
	c, off := p.peek(), p.pos
	d.mark(ptr, off)
	if c == 'n' && n.Nullable {
		p.skip(0)
		d.r.cells[ptr] = Value{Text: "/", Null: true}
		d.warn(ptr, off, "null", "null: not applicable, printed as / and counted as 0",
			"null：不适用，表中显示为 /，勾稽检查按 0 计")
		return
	}
	if c == '"' && n.Kind == KindDecimal {
		d.decimalString(ptr, n, off)
		return
	}
	if c != '-' && (c < '0' || c > '9') {
		want, wantZh := cellWant(n)
		d.typeErr(ptr, want, wantZh)
		return
	}
	lit := string(p.number())
	echo := clip(lit)
	num, ok := parseNumber(lit)
	if !ok {
		d.fail(ptr, off, "range", fmt.Sprintf("%s is out of range", echo), fmt.Sprintf("%s 超出范围", echo))
		return
	}
	if num.neg && !num.zero() && n.Kind != KindChange {
		d.fail(ptr, off, "range", fmt.Sprintf("%s is negative; counts and amounts are ≥ 0", echo),
			fmt.Sprintf("%s 为负数；数量和金额不能为负", echo))
		return
	}
	if num.magnitude() > 12 {
		d.fail(ptr, off, "range", fmt.Sprintf("%s is too large; at most 999999999999", echo),
			fmt.Sprintf("%s 过大，上限为 999999999999", echo))
		return
	}
	if n.Kind != KindDecimal {
		if num.places() > 0 {
			d.fail(ptr, off, "integer", fmt.Sprintf("%s is not a whole number; counts have no fraction", echo),
				fmt.Sprintf("%s 不是整数；数量不能有小数", echo))
			return
		}
		i, _ := num.int64()
		d.r.cells[ptr] = Value{Text: strconv.FormatInt(i, 10), Int: i}
		return
	}
	if num.places() > n.places() || writtenPlaces(lit) > n.places() {
		d.fail(ptr, off, "decimal", fmt.Sprintf("%s has more than %d decimal places", echo, n.places()),
			fmt.Sprintf("%s 超过 %d 位小数", echo, n.places()))
		return
	}
	text := lit
	if strings.ContainsAny(text, "eE-") {
		text = num.decimal()
	}
	d.r.cells[ptr] = Value{Text: text}
}

// decimalString decodes an amount sent as a decimal string ("123456.7891"):
// the form generated clients send, since their number types (float32,
// float64, JavaScript's number) round and drop trailing zeros. It is held
// to the form of the schema's pattern, plain digits with at most one point
// and no sign or exponent, and to the same range and places as a number;
// it prints as written, like a number.
func (d *decoder) decimalString(ptr string, n *Node, off int) {
	s, whole, _ := d.p.str(maxEchoBytes)
	lit := string(s)
	echo := clip(lit)
	if !whole || !plainDecimal(lit) {
		d.fail(ptr, off, "decimal", fmt.Sprintf("%q is not a decimal such as \"2.02\": digits with at most one point, no sign, exponent or spaces", echo),
			fmt.Sprintf("%q 不是 \"2.02\" 这样的小数：只能是数字和一个小数点，不能有正负号、指数或空格", echo))
		return
	}
	num, _ := parseNumber(lit)
	if num.magnitude() > 12 {
		d.fail(ptr, off, "range", fmt.Sprintf("%q is too large; at most 999999999999", echo),
			fmt.Sprintf("%q 过大，上限为 999999999999", echo))
		return
	}
	if writtenPlaces(lit) > n.places() {
		d.fail(ptr, off, "decimal", fmt.Sprintf("%q has more than %d decimal places", echo, n.places()),
			fmt.Sprintf("%q 超过 %d 位小数", echo, n.places()))
		return
	}
	d.r.cells[ptr] = Value{Text: lit}
}

// plainDecimal reports whether s is a JSON number literal without sign or
// exponent: 0, 12, 0.5, 2.00 (not 012, .5, 5., -1, 1e3).
func plainDecimal(s string) bool {
	intPart, frac, point := strings.Cut(s, ".")
	if intPart == "" || (point && frac == "") || (len(intPart) > 1 && intPart[0] == '0') {
		return false
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
		}
	}
	return true
}

// writtenPlaces is the number of decimal places of a plain literal as
// written, trailing zeros included: 1.00000 would print as is, so it is
// refused like 1.00001. An exponent form is printed canonically and counts
// 0 here.
func writtenPlaces(lit string) int {
	if strings.ContainsAny(lit, "eE") {
		return 0
	}
	if i := strings.IndexByte(lit, '.'); i >= 0 {
		return len(lit) - i - 1
	}
	return 0
}

// cellWant says what a cell accepts, for a type error.
func cellWant(n *Node) (want, wantZh string) {
	switch n.Kind {
	case KindDecimal:
		want, wantZh = fmt.Sprintf("an amount in 万元 (a number ≥ 0 or a decimal string such as \"2.02\", at most %d decimal places)", n.places()), fmt.Sprintf("金额（万元，非负数或 \"2.02\" 这样的小数字符串，最多 %d 位小数）", n.places())
	case KindChange:
		want, wantZh = "a change (a whole number, negative for a decrease)", "增减数（整数，减少为负）"
	default:
		want, wantZh = "a count (a whole number ≥ 0)", "数量（非负整数）"
	}
	if n.Nullable {
		want, wantZh = want+" or null", wantZh+"或 null"
	}
	return want, wantZh
}

// crossField checks rules that span fields.
func (d *decoder) crossField() {
	if sd := d.r.Signature.Date; sd.Year != 0 && sd.Year < d.r.Year {
		d.fail("/signature/date", d.offsetOf("/signature/date"), "range",
			fmt.Sprintf("the signature date %s is before the reported year %d", sd, d.r.Year),
			fmt.Sprintf("成文日期 %s 早于报告年度 %d 年", sd, d.r.Year))
	}
	if d.chars > MaxReportChars {
		d.fail("", 0, "too_large", fmt.Sprintf("the report holds %d characters of text; at most %d", d.chars, MaxReportChars),
			fmt.Sprintf("报告正文共 %d 字，超过上限 %d 字", d.chars, MaxReportChars))
	}
}

func (d *decoder) mark(ptr string, off int) { d.at[ptr] = off }

// offsetOf returns the input offset of the value at ptr or, for a value
// that was omitted, of its nearest given ancestor's end.
func (d *decoder) offsetOf(ptr string) int {
	for {
		if off, ok := d.at[ptr]; ok {
			return off
		}
		i := strings.LastIndexByte(ptr, '/')
		if i < 0 {
			return 0
		}
		ptr = ptr[:i]
	}
}

func parseDate(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, false
	}
	return Date{t.Year(), int(t.Month()), t.Day()}, true
}
