package report

import (
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
func Decode(data []byte, opt Options) (*Report, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	root, se := parse(data)
	if se != nil {
		line, col := lineCol(data, se.off)
		en := fmt.Sprintf("malformed JSON at line %d, column %d: %s", line, col, se.msg)
		zh := fmt.Sprintf("JSON 格式错误（第 %d 行第 %d 列）：%s", line, col, se.msg)
		if se.code == "encoding" {
			en, zh = encodingProblem(data, line, col)
		}
		return nil, &Error{Problems: []Problem{{Code: se.code, Line: line, Column: col, Message: en, MessageZh: zh}}}
	}
	if len(opt.Formats) == 0 {
		return nil, fmt.Errorf("report: no formats to decode with")
	}
	f := selectFormat(root, opt.Formats)
	if f.root == nil {
		return nil, fmt.Errorf("report: format %q has no fields", f.ID)
	}
	d := &decoder{opt: opt, f: f, r: &Report{Format: f, cells: make(map[string]Value, f.numCells), blocks: map[string][]Block{}},
		at: make(map[string]int, f.numCells+64)}
	d.object("", root, f.root)
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
		d.r.Title = fmt.Sprintf("%s%d年政府信息公开工作年度报告", d.r.Agency, d.r.Year)
	}
	if d.r.Signature.Agency == "" {
		d.r.Signature.Agency = d.r.Agency
	}
	return d.r, nil
}

// selectFormat returns the format the document's format field names, or
// the latest format when it names none (the field's own problem is raised
// when it is decoded).
func selectFormat(root *value, formats []*Format) *Format {
	if root.kind == 'o' {
		for i, k := range root.keys {
			if v := root.vals[i]; k == "format" && v.kind == 's' {
				if f := lookup(formats, v.str); f != nil {
					return f
				}
			}
		}
	}
	return Latest(formats)
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

type decoder struct {
	opt  Options
	f    *Format
	r    *Report
	errs []Problem
	// omitted counts the problems beyond MaxProblems, which are not kept:
	// a hostile body of distinct unknown keys must not become an answer a
	// hundred times its size.
	omitted int
	// last indexes the kept problem latest in the document: the one a
	// problem found later but placed earlier replaces, so the list is the
	// first MaxProblems in document order whatever order they are found in
	// (a duplicate key is found before its object's fields, a failed check
	// after every field).
	last  int
	chars int // characters of text in the report
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

func (d *decoder) typeErr(ptr string, v *value, want, wantZh string) {
	got := v.typeName()
	if v.kind == 's' {
		got = fmt.Sprintf("string %q", clip(v.str))
	}
	d.fail(ptr, v.off, "type", fmt.Sprintf("must be %s, not %s", want, got),
		fmt.Sprintf("应为%s，实为 %s", wantZh, got))
}

func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}

// object decodes v against an object node: unknown keys, duplicates and
// missing required fields are problems; known fields are decoded in the
// order they appear.
func (d *decoder) object(ptr string, v *value, n *Node) {
	if v.kind != 'o' {
		d.typeErr(ptr, v, "an object", "对象")
		return
	}
	d.mark(ptr, v.end-1)
	for i, k := range v.dupKeys {
		if d.full(v.dupOffs[i]) { // the offsets ascend
			d.omitted += len(v.dupKeys) - i
			break
		}
		p := ptr + "/" + escapePointer(k)
		d.fail(p, v.dupOffs[i], "duplicate_key", fmt.Sprintf("key %q is given more than once", k),
			fmt.Sprintf("键 %q 重复出现", k))
	}
	present := map[string]bool{}
	stale := false
	for i, k := range v.keys {
		p := ptr + "/" + escapePointer(k)
		f := findField(n, k)
		if f == nil && d.full(v.vals[i].off) {
			d.omitted++
			continue
		}
		if f == nil {
			en, zh := unknownMsg(k, n)
			if other := d.elsewhere(p); other != "" {
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
			d.fail(p, v.vals[i].off, "unknown_field", en, zh)
			continue
		}
		present[k] = true
		d.field(p, v.vals[i], f)
	}
	for _, f := range n.Fields {
		if f.Required && !present[f.Name] && !stale {
			p := ptr + "/" + f.Name
			d.fail(p, v.end-1, "required", fmt.Sprintf("%q is required", f.Name),
				fmt.Sprintf("缺少必填字段 %q", f.Name))
		}
	}
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

func (d *decoder) field(ptr string, v *value, f *Field) {
	n := f.Node
	switch n.Kind {
	case KindObject:
		d.object(ptr, v, n)
	case KindFormat:
		if v.kind != 's' {
			d.typeErr(ptr, v, "a string", "字符串")
			return
		}
		if v.str != d.f.ID {
			ids := make([]string, len(d.opt.Formats))
			for i, f := range d.opt.Formats {
				ids[i] = f.ID
			}
			sort.Strings(ids)
			list := strings.Join(ids, ", ")
			d.fail(ptr, v.off, "format", fmt.Sprintf("unknown format %q; formats: %s", clip(v.str), list),
				fmt.Sprintf("不支持的格式 %q，可用格式：%s", clip(v.str), list))
		}
	case KindString:
		s, ok := d.line(ptr, v, n.MaxLen)
		if !ok {
			return
		}
		switch n.Role {
		case "agency":
			d.r.Agency = s
		case "title":
			d.r.Title = s
		case "signature_agency":
			d.r.Signature.Agency = s
		}
	case KindYear:
		y, ok := d.integer(ptr, v)
		if !ok {
			return
		}
		d.year(ptr, v, y)
	case KindDate:
		if v.kind != 's' {
			d.typeErr(ptr, v, "a date string YYYY-MM-DD", "日期字符串 YYYY-MM-DD")
			return
		}
		date, ok := parseDate(v.str)
		if !ok {
			d.fail(ptr, v.off, "date", fmt.Sprintf("%q is not an existing date in the form YYYY-MM-DD", clip(v.str)),
				fmt.Sprintf("%q 不是有效日期（格式 YYYY-MM-DD）", clip(v.str)))
			return
		}
		d.r.Signature.Date = date
		d.mark(ptr, v.off)
	case KindBlocks:
		d.r.blocks[ptr] = d.blocks(ptr, v, n)
	case KindCount, KindDecimal, KindChange:
		d.cell(ptr, v, n)
	}
}

// year checks the reported year against the format's years: before them is
// an error, after the years the format was issued for a warning.
func (d *decoder) year(ptr string, v *value, y int64) {
	yr := d.f.Years
	if y < int64(yr.From) {
		d.fail(ptr, v.off, "range", fmt.Sprintf("year %d is before %d: the %d format applies from the %d reports", y, yr.From, yr.From, yr.From),
			fmt.Sprintf("年度 %d 早于 %d 年：%d 年格式自 %d 年度报告起适用", y, yr.From, yr.From, yr.From))
		return
	}
	if max := int64(d.opt.Now.Year() + 1); y > max {
		d.fail(ptr, v.off, "range", fmt.Sprintf("year %d is after next year (%d)", y, max),
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
		d.warn(ptr, v.off, "stale_format", en, zh)
	}
	d.r.Year = int(y)
}

// line validates a one-line string: agency, title, heading.
func (d *decoder) line(ptr string, v *value, max int) (string, bool) {
	if v.kind != 's' {
		d.typeErr(ptr, v, "a string", "字符串")
		return "", false
	}
	return v.str, d.text(ptr, v, max)
}

// text validates the characters of a string value and counts them towards
// the report's size limit.
func (d *decoder) text(ptr string, v *value, max int) bool {
	s := v.str
	if strings.TrimSpace(s) == "" {
		d.fail(ptr, v.off, "empty", "must not be empty", "不能为空")
		return false
	}
	ok := true
	if v.lone {
		d.fail(ptr, v.off, "surrogate", "a lone surrogate escape (\\ud800–\\udfff without its pair) is not a character",
			"含有不成对的代理项转义（\\ud800–\\udfff），不是有效字符")
		ok = false
	}
	n := 0
	for i, r := range s {
		n++
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			if ok {
				d.fail(ptr, v.off, "newline", fmt.Sprintf("line break at character %d: a paragraph is one line; send two paragraphs", utf8.RuneCountInString(s[:i])+1),
					fmt.Sprintf("第 %d 个字符处有换行：一个段落不能换行，请分为两个段落", utf8.RuneCountInString(s[:i])+1))
			}
			ok = false
		case unicode.IsControl(r):
			if ok {
				d.fail(ptr, v.off, "control_character", fmt.Sprintf("control character U+%04X at character %d", r, utf8.RuneCountInString(s[:i])+1),
					fmt.Sprintf("第 %d 个字符是控制字符 U+%04X", utf8.RuneCountInString(s[:i])+1, r))
			}
			ok = false
		case r > 0xFFFF:
			if ok {
				d.fail(ptr, v.off, "outside_bmp", fmt.Sprintf("character U+%X %q at character %d is outside the Basic Multilingual Plane; the PDF fonts cannot draw it", r, string(r), utf8.RuneCountInString(s[:i])+1),
					fmt.Sprintf("第 %d 个字符 U+%X “%s” 超出基本多文种平面，PDF 字体无法显示", utf8.RuneCountInString(s[:i])+1, r, string(r)))
			}
			ok = false
		}
	}
	if n > max {
		d.fail(ptr, v.off, "too_long", fmt.Sprintf("%d characters; at most %d", n, max),
			fmt.Sprintf("长度 %d 字，超过上限 %d 字", n, max))
		ok = false
	}
	d.chars += n
	return ok
}

// blocks decodes a text section: strings are paragraphs, objects are
// （一） headings with paragraphs.
func (d *decoder) blocks(ptr string, v *value, n *Node) []Block {
	if v.kind != 'a' {
		d.typeErr(ptr, v, "an array of paragraphs", "段落数组")
		return nil
	}
	if len(v.elems) < n.MinItems {
		d.fail(ptr, v.off, "empty", "must have at least one paragraph", "至少需要一个段落")
		return nil
	}
	if len(v.elems) > MaxBlocks {
		d.fail(ptr, v.off, "too_large", fmt.Sprintf("%d blocks; at most %d", len(v.elems), MaxBlocks),
			fmt.Sprintf("%d 个段落，超过上限 %d", len(v.elems), MaxBlocks))
		return nil
	}
	start := d.chars
	var out []Block
	for i, e := range v.elems {
		p := ptr + "/" + strconv.Itoa(i)
		switch e.kind {
		case 's':
			if d.text(p, e, MaxParagraphLen) {
				out = append(out, Block{Paragraphs: []string{e.str}, Pointer: p})
			}
		case 'o':
			if b, ok := d.headingBlock(p, e); ok {
				out = append(out, b)
			}
		default:
			d.typeErr(p, e, "a paragraph string or a heading object", "段落字符串或标题对象")
		}
	}
	if n := d.chars - start; n > MaxSectionChars {
		d.fail(ptr, v.off, "too_large", fmt.Sprintf("section holds %d characters; at most %d", n, MaxSectionChars),
			fmt.Sprintf("本部分共 %d 字，超过上限 %d 字", n, MaxSectionChars))
	}
	return out
}

// headingBlock decodes a （一） heading block by the shape HeadingBlock.
func (d *decoder) headingBlock(ptr string, v *value) (Block, bool) {
	b := Block{Pointer: ptr}
	ok := true
	present := map[string]bool{}
	for i, k := range v.dupKeys {
		d.fail(ptr+"/"+escapePointer(k), v.dupOffs[i], "duplicate_key", fmt.Sprintf("key %q is given more than once", k),
			fmt.Sprintf("键 %q 重复出现", k))
		ok = false
	}
	for i, k := range v.keys {
		p := ptr + "/" + escapePointer(k)
		e := v.vals[i]
		f := findField(HeadingBlock, k)
		if f == nil {
			en, zh := unknownMsg(k, HeadingBlock)
			d.fail(p, e.off, "unknown_field", en, zh)
			ok = false
			continue
		}
		present[k] = true
		switch n := f.Node; n.Kind {
		case KindString:
			s, good := d.line(p, e, n.MaxLen)
			b.Heading = s
			ok = ok && good
		case KindParagraphs:
			paras, good := d.paragraphs(p, e, n)
			b.Paragraphs = paras
			ok = ok && good
		case KindBool:
			if e.kind != 'b' {
				d.typeErr(p, e, "true or false", "布尔值 true 或 false")
				ok = false
				continue
			}
			b.RunIn = e.b
		}
	}
	for _, f := range HeadingBlock.Fields {
		if f.Required && !present[f.Name] {
			d.fail(ptr+"/"+f.Name, v.end-1, "required", fmt.Sprintf("%q is required", f.Name), fmt.Sprintf("缺少必填字段 %q", f.Name))
			ok = false
		}
	}
	return b, ok
}

// paragraphs decodes an array of paragraph strings.
func (d *decoder) paragraphs(ptr string, v *value, n *Node) ([]string, bool) {
	if v.kind != 'a' {
		d.typeErr(ptr, v, "an array of paragraph strings", "段落字符串数组")
		return nil, false
	}
	ok := true
	if len(v.elems) < n.MinItems {
		d.fail(ptr, v.off, "empty", "must have at least one paragraph", "至少需要一个段落")
		ok = false
	}
	if len(v.elems) > MaxBlocks {
		d.fail(ptr, v.off, "too_large", fmt.Sprintf("%d paragraphs; at most %d", len(v.elems), MaxBlocks),
			fmt.Sprintf("%d 个段落，超过上限 %d", len(v.elems), MaxBlocks))
		return nil, false
	}
	var out []string
	for j, pe := range v.elems {
		pp := ptr + "/" + strconv.Itoa(j)
		if pe.kind != 's' {
			d.typeErr(pp, pe, "a paragraph string", "段落字符串")
			ok = false
			continue
		}
		if d.text(pp, pe, MaxParagraphLen) {
			out = append(out, pe.str)
		} else {
			ok = false
		}
	}
	return out, ok
}

// integer decodes a JSON number that is a whole number (5, 5.0, 5e0).
func (d *decoder) integer(ptr string, v *value) (int64, bool) {
	if v.kind != 'n' {
		d.typeErr(ptr, v, "an integer", "整数")
		return 0, false
	}
	num, ok := parseNumber(v.str)
	if !ok || num.places() > 0 {
		d.fail(ptr, v.off, "integer", fmt.Sprintf("%s is not a whole number", v.str), fmt.Sprintf("%s 不是整数", v.str))
		return 0, false
	}
	i, ok := num.int64()
	if !ok || num.neg {
		d.fail(ptr, v.off, "range", fmt.Sprintf("%s is out of range", v.str), fmt.Sprintf("%s 超出范围", v.str))
		return 0, false
	}
	return i, true
}

// cell decodes a table cell: a count, a change or an amount, or null
// where the node allows it.
func (d *decoder) cell(ptr string, v *value, n *Node) {
	d.mark(ptr, v.off)
	if v.kind == 'z' && n.Nullable {
		d.r.cells[ptr] = Value{Text: "/", Null: true}
		d.warn(ptr, v.off, "null", "null: not applicable, printed as / and counted as 0",
			"null：不适用，表中显示为 /，勾稽检查按 0 计")
		return
	}
	if v.kind != 'n' {
		want, wantZh := cellWant(n)
		d.typeErr(ptr, v, want, wantZh)
		return
	}
	num, ok := parseNumber(v.str)
	if !ok {
		d.fail(ptr, v.off, "range", fmt.Sprintf("%s is out of range", v.str), fmt.Sprintf("%s 超出范围", v.str))
		return
	}
	if num.neg && !num.zero() && n.Kind != KindChange {
		d.fail(ptr, v.off, "range", fmt.Sprintf("%s is negative; counts and amounts are ≥ 0", v.str),
			fmt.Sprintf("%s 为负数；数量和金额不能为负", v.str))
		return
	}
	if num.magnitude() > 12 {
		d.fail(ptr, v.off, "range", fmt.Sprintf("%s is too large; at most 999999999999", v.str),
			fmt.Sprintf("%s 过大，上限为 999999999999", v.str))
		return
	}
	if n.Kind != KindDecimal {
		if num.places() > 0 {
			d.fail(ptr, v.off, "integer", fmt.Sprintf("%s is not a whole number; counts have no fraction", v.str),
				fmt.Sprintf("%s 不是整数；数量不能有小数", v.str))
			return
		}
		i, _ := num.int64()
		d.r.cells[ptr] = Value{Text: strconv.FormatInt(i, 10), Int: i}
		return
	}
	if num.places() > n.places() || writtenPlaces(v.str) > n.places() {
		d.fail(ptr, v.off, "decimal", fmt.Sprintf("%s has more than %d decimal places", v.str, n.places()),
			fmt.Sprintf("%s 超过 %d 位小数", v.str, n.places()))
		return
	}
	text := v.str
	if strings.ContainsAny(text, "eE-") {
		text = num.decimal()
	}
	d.r.cells[ptr] = Value{Text: text}
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
		want, wantZh = fmt.Sprintf("an amount in 万元 (a number ≥ 0, at most %d decimal places)", n.places()), fmt.Sprintf("金额（万元，非负，最多 %d 位小数）", n.places())
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
