package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/govreport/govreport/importer/flow"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// Problem codes of the mapping (the decoder's are report's).
const (
	CodeLabel       = "label_mismatch" // a label read as the format's nearest label
	CodeBlankCell   = "blank_cell"     // a blank count read as 0
	CodeBlankTotal  = "blank_total"    // a blank total left to the decoder to compute
	CodeCellText    = "cell_text"      // text where a count belongs (error)
	CodeMergedRow   = "merged_row"     // a group printed as one row
	CodeTableFormat = "table_format"   // a table laid out as another format's
	CodeMissingRow  = "missing_row"    // a format row not found (error)
	CodeMissingCell = "missing_cell"   // a row with fewer cells than the format's (error)
	CodeNoTable     = "missing_table"  // a table not found (error)
	CodeNoSection   = "missing_section"
	CodeSkipped     = "skipped_text" // text the importer did not take (a table in the prose, a page's navigation)
	CodeNoSignature = "missing_signature"
)

// para is a paragraph of the flow with its place.
type para struct {
	flow.Para
	block int
}

// segment is the flow cut at the format's section headings.
type segment struct {
	pre      []para
	sections [][]flow.Block // by the format's section index
	found    []bool
	where    []string
}

// mapper maps one Doc onto one format.
type mapper struct {
	f     *templates.Format
	doc   *flow.Doc
	vals  map[string]json.RawMessage
	probs []Problem
	// reported are the pointers a mapping problem names, whose decoder
	// problems (a missing required value) would repeat it.
	reported map[string]bool
	score    float64
	// fields by pointer, for Computed and Kind.
	fields   map[string]*report.Field
	roles    map[string]string // role or kind → pointer
	tableNum int
}

// Map maps a read document onto a format's sections and tables (opt.Format,
// or the format whose tables the document's fit best), writes report JSON
// in the contract's key order and decodes it, so that the problems of the
// result are the mapping's and the decoder's.
func Map(doc *flow.Doc, opt Options) (*Result, error) {
	if doc == nil {
		return nil, errors.New("import: no document")
	}
	var cands []*templates.Format
	if opt.Format == "" || opt.Format == "auto" {
		all, err := templates.Formats()
		if err != nil {
			return nil, err
		}
		cands = all
	} else {
		f, err := templates.Lookup(opt.Format)
		if err != nil {
			return nil, err
		}
		cands = []*templates.Format{f}
	}
	all, err := templates.Formats()
	if err != nil {
		return nil, err
	}
	var best *mapper
	var shapes = map[string]map[string]*tableShape{}
	for _, f := range all {
		shapes[f.ID] = map[string]*tableShape{}
		for _, t := range f.Tables {
			shapes[f.ID][t.ID] = shapeOf(t)
		}
	}
	for _, f := range cands {
		m := &mapper{f: f, doc: doc, vals: map[string]json.RawMessage{}, reported: map[string]bool{}}
		m.index()
		m.run(shapes, all)
		if best == nil || m.score > best.score {
			best = m
		}
	}
	return best.result(Kind(doc.Kind), opt)
}

// index finds the pointers of the contract's fields.
func (m *mapper) index() {
	m.fields = map[string]*report.Field{}
	m.roles = map[string]string{}
	var walk func(n *report.Node, ptr string)
	walk = func(n *report.Node, ptr string) {
		for i := range n.Fields {
			fl := &n.Fields[i]
			p := ptr + "/" + fl.Name
			m.fields[p] = fl
			switch {
			case fl.Node.Role != "":
				m.roles[fl.Node.Role] = p
			case fl.Node.Kind == report.KindFormat:
				m.roles["format"] = p
			case fl.Node.Kind == report.KindYear:
				m.roles["year"] = p
			}
			if fl.Node.Kind == report.KindObject {
				walk(fl.Node, p)
			}
		}
	}
	walk(m.f.Root(), "")
}

func (m *mapper) warn(ptr, where, code, zh, en string) {
	m.probs = append(m.probs, Problem{Problem: report.Problem{Pointer: ptr, Code: code, Message: en, MessageZh: zh}, Severity: SeverityWarning, Where: where})
}

func (m *mapper) fail(ptr, where, code, zh, en string) {
	m.reported[ptr] = true
	m.probs = append(m.probs, Problem{Problem: report.Problem{Pointer: ptr, Code: code, Message: en, MessageZh: zh}, Severity: SeverityError, Where: where})
}

func (m *mapper) set(ptr string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	m.vals[ptr] = b
}

// sectionHeading matches a numbered heading: 一、 一. 一． or （一）.
var sectionHeading = regexp.MustCompile(`^\s*(?:([一二三四五六七八九十]+)\s*[、.．，,]|[（(]([一二三四五六七八九十]+)[）)])\s*(.*)$`)

// segment cuts the flow at the format's section headings, in order.
func (m *mapper) segment() *segment {
	secs := m.f.Sections
	s := &segment{sections: make([][]flow.Block, len(secs)), found: make([]bool, len(secs)), where: make([]string, len(secs))}
	cur := -1
	for bi, b := range m.doc.Blocks {
		if b.Para != nil && pageNumber.MatchString(b.Para.Text) {
			// a page's number (— 1 —, 第1页): not the report's text
			continue
		}
		if b.Para != nil {
			if k := m.sectionOf(b.Para.Text, cur); k > cur {
				cur = k
				s.found[k] = true
				s.where[k] = pageWhere(b.Para.Page) + "“" + clipLabel(b.Para.Text) + "”"
				continue
			}
			if cur < 0 {
				s.pre = append(s.pre, para{Para: *b.Para, block: bi})
				continue
			}
		}
		if cur < 0 {
			// A table before 一 (a heading table): its cells are
			// paragraphs.
			for _, p := range tableParas(b.Table) {
				s.pre = append(s.pre, para{Para: p, block: bi})
			}
			continue
		}
		s.sections[cur] = append(s.sections[cur], b)
	}
	return s
}

// sectionOf returns the index of the section a paragraph heads, after
// cur, or -1.
func (m *mapper) sectionOf(text string, cur int) int {
	sm := sectionHeading.FindStringSubmatch(text)
	if sm == nil {
		return -1
	}
	num := sm[1]
	paren := num == ""
	if paren {
		num = sm[2]
	}
	n := chineseNumeral(num)
	rest := fold(sm[3])
	for k := cur + 1; k < len(m.f.Sections); k++ {
		sec := m.f.Sections[k]
		if chineseNumeral(sec.Number) != n {
			continue
		}
		want := sec.Heading
		if h := sectionHeading.FindStringSubmatch(want); h != nil {
			want = h[3]
		}
		sim := similarity(rest, fold(want))
		short := utf8.RuneCountInString(rest) <= 30 && !strings.Contains(rest, "。")
		if sim >= 0.6 || (!paren && k == cur+1 && short && sim >= 0.2) {
			return k
		}
	}
	return -1
}

// tableParas turns a table found where prose belongs into paragraphs,
// one per non-empty cell.
func tableParas(t *flow.Table) []flow.Para {
	var out []flow.Para
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			if s := trimCell(c.Text); s != "" {
				out = append(out, flow.Para{Text: s, Align: flow.AlignUnknown, Page: r.Page, Indent: -1})
			}
		}
	}
	return out
}

func (m *mapper) run(shapes map[string]map[string]*tableShape, cands []*templates.Format) {
	seg := m.segment()
	for k, ok := range seg.found {
		if ok {
			m.score += 0.5
		}
		_ = k
	}
	m.set(m.roles["format"], m.f.ID)
	// The end block: the signature's agency and date close the last
	// section.
	last := -1
	for k := range m.f.Sections {
		if seg.found[k] {
			last = k
		}
	}
	sigAgency, date := "", report.Date{}
	if last >= 0 {
		seg.sections[last], sigAgency, date = m.endBlock(seg.sections[last])
	}
	title := m.titleAndPreamble(seg.pre)
	// Agency and year: the signature names the agency; the title holds
	// the year.
	agency := sigAgency
	year := 0
	if ym := titleYear.FindStringSubmatchIndex(title); ym != nil {
		year, _ = strconv.Atoi(title[ym[2]:ym[3]])
		if agency == "" {
			agency = strings.TrimSpace(title[:ym[0]])
		}
	} else if date.Year > 0 {
		year = date.Year - 1
		m.warn(m.roles["year"], "", "year_from_date", fmt.Sprintf("标题中没有年份，按成文日期取 %d 年", year), fmt.Sprintf("the title names no year: %d taken from the date", year))
	}
	if agency != "" {
		m.set(m.roles["agency"], agency)
	}
	if year > 0 {
		m.set(m.roles["year"], year)
	}
	if title != "" && title != m.f.Name(m.f.Names.Title, agency, year) {
		m.set(m.roles["title"], title)
	}
	if sigAgency != "" {
		// written out even when it is the agency: the document prints it
		m.set(m.roles["signature_agency"], sigAgency)
	}
	if date.Year > 0 {
		m.set(m.roles["signature_date"], date.String())
	}
	for k, sec := range m.f.Sections {
		if !seg.found[k] {
			ptr := "/" + sec.Blocks
			if sec.Table != "" {
				ptr = "/" + sec.Table
			}
			m.fail(ptr, "", CodeNoSection, fmt.Sprintf("未找到“%s”", sec.Heading), fmt.Sprintf("no section %q found", sec.Heading))
			continue
		}
		if sec.Blocks != "" {
			var ps []para
			for bi, b := range seg.sections[k] {
				if b.Para != nil {
					ps = append(ps, para{Para: *b.Para, block: bi})
					continue
				}
				m.warn("/"+sec.Blocks, pageWhere(b.Table.Page)+sec.Heading+" 中的表格", CodeSkipped,
					"正文中的表格按段落读入（每个单元格一段）", "a table inside the prose was read as paragraphs, one per cell")
				for _, p := range tableParas(b.Table) {
					ps = append(ps, para{Para: p, block: bi})
				}
			}
			if blocks := m.prose(ps); len(blocks) > 0 {
				m.set("/"+sec.Blocks, blocks)
			}
			continue
		}
		m.tableSection(sec, seg.sections[k], shapes, cands)
	}
}

// pageNumber matches a page's number printed at its foot: — 1 —, - 2 -,
// 3, 第4页, 第4页 共7页.
var pageNumber = regexp.MustCompile(`^[\s\x{a0}\x{3000}]*(?:[-—–－]*[\s\x{a0}]*[0-9]{1,4}[\s\x{a0}]*[-—–－]*|第\s*[0-9]{1,4}\s*页(?:\s*[，,/]?\s*共\s*[0-9]{1,4}\s*页)?|[0-9]{1,4}\s*/\s*[0-9]{1,4})[\s\x{a0}\x{3000}]*$`)

var titleYear = regexp.MustCompile(`([0-9]{4})\s*年`)

// junk matches the lines of a portal page around an article: navigation,
// dates of publication, font-size switches.
var junk = regexp.MustCompile(`^(当前位置|您当前的位置|首页|发布时间|发布日期|来源|信息来源|索引号|发文机关|字号|浏览次数|【|\[|打印|关闭)|字号[:：]|分享到`)

// titleAndPreamble takes the title (the largest text before 一, else the
// line that names a 报告) and the preamble (what follows it).
func (m *mapper) titleAndPreamble(pre []para) string {
	// The title: a line without 。 that names a 报告, the largest such;
	// else the largest line without 。.
	ti := -1
	for _, want := range []bool{true, false} {
		for i, p := range pre {
			t := trimCell(p.Text)
			if t == "" || strings.Contains(t, "。") || utf8.RuneCountInString(t) > report.MaxTitleLen || junk.MatchString(t) {
				continue
			}
			if want && !strings.Contains(fold(t), "报告") {
				continue
			}
			if ti < 0 || p.Size > pre[ti].Size {
				ti = i
			}
		}
		if ti >= 0 {
			break
		}
	}
	title := ""
	start := 0
	if ti >= 0 {
		title = trimCell(pre[ti].Text)
		// A title a page wrote as several lines: the agency's above the
		// name, each set alike.
		for k := ti - 1; k >= 0; k-- {
			prev := pre[k]
			t := trimCell(prev.Text)
			if prev.Align != pre[ti].Align || prev.Size != pre[ti].Size || prev.Align != flow.AlignCenter || t == "" ||
				strings.ContainsAny(t, "。：:") || junk.MatchString(t) || titleYear.MatchString(t) {
				break
			}
			title = t + title
		}
		start = ti + 1
	}
	var body []para
	for _, p := range pre[start:] {
		t := trimCell(p.Text)
		if t == "" {
			continue
		}
		if junk.MatchString(t) {
			m.warn("", pageWhere(p.Page)+"“"+clipLabel(t)+"”", CodeSkipped, "网页导航或发布信息，未读入", "a page's navigation or publication line: not read")
			continue
		}
		body = append(body, p)
	}
	if m.f.Preamble != "" && len(body) > 0 {
		if blocks := m.prose(body); len(blocks) > 0 {
			m.set("/"+m.f.Preamble, blocks)
		}
	}
	return title
}

// dateText matches a signature date: 2025年1月20日, also in Chinese
// numerals (二〇二五年一月二十日).
var dateText = regexp.MustCompile(`^(.*?)\s*([0-9０-９]{4}|[〇零一二三四五六七八九]{4})\s*年\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*日$`)

// endBlock takes the signature's agency and date off the end of the last
// section: the date is its last line, the agency the short line above it.
// Lines after the date (a page's footer) are dropped.
func (m *mapper) endBlock(blocks []flow.Block) ([]flow.Block, string, report.Date) {
	for i := len(blocks) - 1; i >= 0 && i >= len(blocks)-8; i-- {
		b := blocks[i]
		if b.Para == nil {
			continue
		}
		t := trimCell(b.Para.Text)
		dm := dateText.FindStringSubmatch(t)
		if dm == nil {
			continue
		}
		y, mo, d := chineseNumeral(normalizeNumber(dm[2])), chineseNumeral(normalizeNumber(dm[3])), chineseNumeral(normalizeNumber(dm[4]))
		if y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31 {
			continue
		}
		date := report.Date{Year: y, Month: mo, Day: d}
		for _, x := range blocks[i+1:] {
			if x.Para != nil && trimCell(x.Para.Text) != "" {
				m.warn("", pageWhere(x.Para.Page)+"“"+clipLabel(x.Para.Text)+"”", CodeSkipped, "成文日期之后的文字，未读入", "text after the signature's date: not read")
			}
		}
		agency := strings.TrimSpace(dm[1])
		rest := blocks[:i]
		if agency == "" {
			// the agency: the last non-empty short line above, and the
			// lines above it set right as it is (a long name the page
			// broke).
			var first *flow.Para
			for j := i - 1; j >= 0; j-- {
				p := blocks[j].Para
				if p == nil {
					break
				}
				s := trimCell(p.Text)
				if s == "" {
					if first == nil {
						continue
					}
					break
				}
				if utf8.RuneCountInString(s) > 60 || strings.ContainsAny(s, "。；;，,：:") || sectionHeading.MatchString(s) {
					break
				}
				if first != nil && (first.Align != flow.AlignRight || p.Align != flow.AlignRight || utf8.RuneCountInString(agency+s) > report.MaxTitleLen) {
					break
				}
				if first == nil {
					first = p
				}
				agency = s + agency
				rest = blocks[:j]
			}
		}
		for len(rest) > 0 && rest[len(rest)-1].Para != nil && trimCell(rest[len(rest)-1].Para.Text) == "" {
			rest = rest[:len(rest)-1]
		}
		if agency == "" {
			m.warn(m.roles["signature_agency"], "", CodeNoSignature, "未找到落款机关，按标题中的机关名称", "no signing agency found: the title's agency is taken")
		}
		return rest, agency, date
	}
	m.fail(m.roles["signature_date"], "", CodeNoSignature, "未找到落款和成文日期（如 2025年1月20日）", "no signature with a date (2025年1月20日) found at the end")
	return blocks, "", report.Date{}
}

// headingBlock is a （一） heading block in the contract's key order.
type headingBlock struct {
	Heading    string   `json:"heading"`
	Paragraphs []string `json:"paragraphs"`
	RunIn      bool     `json:"run_in,omitempty"`
}

var level2 = regexp.MustCompile(`^[（(]([一二三四五六七八九十]+)[）)]\s*(.*)$`)

// prose reads a section's paragraphs back into blocks: a （一） line is a
// heading (run in when its paragraph continues after 。 on the same line),
// the paragraphs after it are its paragraphs; paragraphs before the first
// heading are blocks of their own.
func (m *mapper) prose(ps []para) []any {
	var out []any
	var cur *headingBlock
	n := 0
	flush := func() {
		if cur != nil {
			if len(cur.Paragraphs) == 0 {
				// A heading with no paragraph is a paragraph.
				out = append(out, cur.Heading)
			} else {
				out = append(out, *cur)
			}
			cur = nil
		}
	}
	for _, p := range ps {
		t := trimCell(p.Text)
		if t == "" {
			continue
		}
		if sm := level2.FindStringSubmatch(t); sm != nil && utf8.RuneCountInString(sm[2]) > 0 {
			n++
			own := chineseNumeral(sm[1]) != n
			head, body := sm[2], ""
			if i := strings.IndexAny(sm[2], "。：:"); i >= 0 {
				sep, size := utf8.DecodeRuneInString(sm[2][i:])
				if rest := strings.TrimSpace(sm[2][i+size:]); rest != "" && utf8.RuneCountInString(sm[2][:i]) < report.MaxHeadingLen {
					head, body = sm[2][:i], rest
					if sep != '。' {
						head += string(sep)
					}
				}
			}
			if utf8.RuneCountInString(head) >= report.MaxHeadingLen {
				flush()
				out = append(out, t)
				continue
			}
			if own {
				head = t[:len(t)-len(sm[2])] + head
			}
			flush()
			cur = &headingBlock{Heading: head}
			if body != "" {
				cur.RunIn = true
				cur.Paragraphs = append(cur.Paragraphs, body)
			}
			continue
		}
		if cur != nil {
			cur.Paragraphs = append(cur.Paragraphs, t)
			continue
		}
		out = append(out, t)
	}
	flush()
	return out
}

// tableSection maps a table section: the paragraphs before the table are
// its notes, the tables are its grid (a table a page split in two is
// joined).
func (m *mapper) tableSection(sec report.Section, blocks []flow.Block, shapes map[string]map[string]*tableShape, cands []*templates.Format) {
	var notes []para
	var tables []*flow.Table
	after := false
	for bi, b := range blocks {
		if b.Table != nil {
			m.tableNum++
			if isHeadingTable(b.Table) {
				for _, p := range tableParas(b.Table) {
					notes = append(notes, para{Para: p, block: bi})
				}
				continue
			}
			tables = append(tables, b.Table)
			continue
		}
		if trimCell(b.Para.Text) == "" {
			continue
		}
		if len(tables) > 0 {
			after = true
		}
		notes = append(notes, para{Para: *b.Para, block: bi})
	}
	if sec.Notes != "" && len(notes) > 0 {
		if after {
			m.warn(sec.Notes, sec.Heading, CodeSkipped, "表格之后的说明文字作为表前说明读入", "text after the table was read as the table's note (printed before it)")
		}
		if bl := m.prose(notes); len(bl) > 0 {
			m.set(sec.Notes, bl)
		}
	}
	sh := shapes[m.f.ID][sec.Table]
	tbl := m.f.Table(sec.Table)
	name := m.f.Names.TablePrefix + tbl.Number
	if len(tables) == 0 {
		m.fail("/"+sec.Table, sec.Heading, CodeNoTable, fmt.Sprintf("“%s”下未找到%s", sec.Heading, name), fmt.Sprintf("no table %s under %q", name, sec.Heading))
		return
	}
	joined := &flow.Table{Page: tables[0].Page}
	for _, t := range tables {
		joined.Rows = append(joined.Rows, t.Rows...)
	}
	st := newSrcTable(joined, m.tableNum-len(tables)+1)
	matches, score := align(st, sh)
	m.score += score
	// Is the table another format's (a 2021 report with the 2019 表二)?
	byHeader := false
	for _, o := range cands {
		if o.ID == m.f.ID {
			continue
		}
		osh := shapes[o.ID][sec.Table]
		if osh == nil || sameShape(osh, sh) || score >= float64(len(sh.rows))-1e-9 {
			// the same table, or one this format's fits perfectly
			continue
		}
		if _, os := align(st, osh); os > score+0.5 {
			byHeader = true
			m.warn("/"+sec.Table, pageWhere(st.page)+name, CodeTableFormat,
				fmt.Sprintf("%s是 %s 格式的表格，与 %s 格式不同：按行、列标签对应读入，对应不上的单元格记为 /（null）", name, o.ID, m.f.ID),
				fmt.Sprintf("%s is laid out as in format %s, not %s: cells mapped by their row and column labels, those without a counterpart set to null", name, o.ID, m.f.ID))
		}
	}
	matched := make([]bool, len(sh.rows))
	for _, mt := range matches {
		sr := &st.rows[mt.src]
		if mt.group {
			g := sh.rows[mt.fmt].group
			lastRow := &sh.rows[g.first+g.n-1]
			vals, labels, _ := sr.split(len(lastRow.cells))
			where := m.rowWhere(st, mt.src, name, leafOf(labels))
			m.warn(lastRow.cells[0].Bind[:strings.LastIndex(lastRow.cells[0].Bind, "/")], where, CodeMergedRow,
				fmt.Sprintf("“%s”只有一行，格式中分为%d行：数字计入“%s”，其余各行记 0", g.label, g.n, lastRow.label),
				fmt.Sprintf("%q is one row where the format has %d: its counts go to %q, the other rows are 0", g.label, g.n, lastRow.label))
			for r := g.first; r < g.first+g.n; r++ {
				matched[r] = true
				fr := &sh.rows[r]
				if r == g.first+g.n-1 {
					m.cells(st, mt.src, fr, vals, where, false)
					continue
				}
				for _, c := range fr.cells {
					if !m.fields[c.Bind].Computed {
						m.set(c.Bind, 0)
					}
				}
			}
			continue
		}
		fr := &sh.rows[mt.fmt]
		matched[mt.fmt] = true
		vals, labels, _ := sr.split(len(fr.cells))
		src := leafOf(labels)
		where := m.rowWhere(st, mt.src, name, src)
		if fr.leaf != "" && fold(src) != fr.leaf {
			m.warn(rowPointer(fr), where, CodeLabel,
				fmt.Sprintf("行标签“%s”按格式的“%s”读入", src, fr.label),
				fmt.Sprintf("row label %q read as the format's %q", src, fr.label))
		}
		m.cells(st, mt.src, fr, vals, where, byHeader)
	}
	for r := range sh.rows {
		if matched[r] {
			continue
		}
		fr := &sh.rows[r]
		if byHeader {
			for _, c := range fr.cells {
				if !m.fields[c.Bind].Computed {
					m.set(c.Bind, nil)
				}
			}
			m.warn(rowPointer(fr), pageWhere(st.page)+name, CodeTableFormat,
				fmt.Sprintf("%s中没有“%s”行：记为 /（null）", name, fr.label),
				fmt.Sprintf("%s has no row %q: set to null", name, fr.label))
			continue
		}
		label := fr.label
		if label == "" {
			label = "数据行"
		}
		m.fail(rowPointer(fr), pageWhere(st.page)+name, CodeMissingRow,
			fmt.Sprintf("%s中未找到“%s”行", name, label), fmt.Sprintf("%s: row %q not found", name, label))
	}
}

// sameShape reports whether two formats' tables are laid out alike.
func sameShape(a, b *tableShape) bool {
	if len(a.rows) != len(b.rows) {
		return false
	}
	for i := range a.rows {
		if a.rows[i].leaf != b.rows[i].leaf || len(a.rows[i].cells) != len(b.rows[i].cells) {
			return false
		}
	}
	return true
}

// isHeadingTable reports whether a table is a layout table holding text
// (a title set in a one-cell table), not a grid of counts.
func isHeadingTable(t *flow.Table) bool {
	for _, r := range t.Rows {
		for _, c := range r.Cells {
			if t := trimCell(c.Text); t != "" && isValueLike(t) {
				return false
			}
		}
	}
	return len(t.Rows) <= 2
}

func rowPointer(fr *fmtRow) string {
	p := fr.cells[0].Bind
	if len(fr.cells) == 1 {
		return p
	}
	return p[:strings.LastIndex(p, "/")]
}

func (m *mapper) rowWhere(st *srcTable, i int, name, label string) string {
	page := st.rows[i].page
	if page == 0 {
		page = st.page
	}
	w := fmt.Sprintf("%s%s（文档第%d个表格）第%d行", pageWhere(page), name, st.num, i+1)
	if label != "" {
		w += "“" + clipLabel(label) + "”"
	}
	return w
}

// cells reads a matched row's data cells: by position, or, for a table
// laid out as another format's, by the column heading each value stands
// under.
func (m *mapper) cells(st *srcTable, i int, fr *fmtRow, vals []srcCell, where string, byHeader bool) {
	if byHeader {
		// every own cell of the row that is a value, with its heading
		sr := &st.rows[i]
		type hv struct {
			head string
			c    srcCell
		}
		var cand []hv
		for _, c := range sr.own {
			if !isValueLike(c.Text) {
				continue
			}
			cand = append(cand, hv{fold(st.heading(i, c.Col)), c})
		}
		for k, c := range fr.cells {
			bestSim, best := 0.0, -1
			for j, h := range cand {
				if s := similarity(h.head, fr.header[k]); s > bestSim {
					bestSim, best = s, j
				}
			}
			if best >= 0 && bestSim >= 0.6 {
				m.cell(c, cand[best].c, where)
				continue
			}
			if !m.fields[c.Bind].Computed {
				m.set(c.Bind, nil)
			}
			_, _, col := m.f.CellLabel(c.Bind)
			m.warn(c.Bind, where, CodeTableFormat,
				fmt.Sprintf("该行没有“%s”列：记为 /（null）", col), fmt.Sprintf("the row has no column %q: set to null", col))
		}
		return
	}
	for k, c := range fr.cells {
		if k >= len(vals) {
			m.fail(c.Bind, where, CodeMissingCell, "该行单元格少于格式", "the row has fewer cells than the format's")
			continue
		}
		m.cell(c, vals[k], where)
	}
}

// heading is the text above column col of row i: the nearest non-empty
// cell of an earlier row covering it.
func (st *srcTable) heading(i, col int) string {
	for r := i - 1; r >= 0; r-- {
		if col >= 0 && col < len(st.rows[r].cover) {
			if c := st.rows[r].cover[col]; c != nil && trimCell(c.Text) != "" && !isValueLike(c.Text) {
				return c.Text
			}
		}
	}
	return ""
}

// cell reads one value.
func (m *mapper) cell(c *report.Cell, v srcCell, rowWhere string) {
	fl := m.fields[c.Bind]
	// where names the cell, for a problem; built only for one.
	where := func() string {
		_, _, col := m.f.CellLabel(c.Bind)
		w := rowWhere + " × “" + col + "”"
		if v.Col >= 0 {
			w += fmt.Sprintf("（第%d列）", v.Col+1)
		}
		return w
	}
	t := trimCell(v.Text)
	if t == "" {
		if fl.Computed {
			m.warn(c.Bind, where(), CodeBlankTotal, "总计为空：由各项计算", "a blank total: computed from its parts")
			return
		}
		m.set(c.Bind, 0)
		m.warn(c.Bind, where(), CodeBlankCell, "空白单元格按 0 读入", "a blank cell read as 0")
		return
	}
	if isNullMark(t) {
		m.vals[c.Bind] = json.RawMessage("null")
		return
	}
	n := normalizeNumber(t)
	var ok bool
	switch fl.Node.Kind {
	case report.KindDecimal:
		ok = decimalText.MatchString(n)
	case report.KindChange:
		ok = changeText.MatchString(n)
		n = strings.TrimPrefix(n, "+")
	default:
		ok = countText.MatchString(n)
	}
	if ok {
		n = strings.TrimLeft(n, "0")
		if n == "" || n[0] == '.' {
			n = "0" + n
		}
		if strings.HasPrefix(n, "-") {
			if d := strings.TrimLeft(n[1:], "0"); d == "" {
				n = "0"
			} else {
				n = "-" + d
			}
		}
		if len(n) > 30 {
			ok = false
		}
	}
	if !ok {
		m.fail(c.Bind, where(), CodeCellText,
			fmt.Sprintf("单元格“%s”不是数字", clipLabel(t)), fmt.Sprintf("the cell %q is not a number", clipLabel(t)))
		return
	}
	m.vals[c.Bind] = json.RawMessage(n)
}

// result writes the JSON in the contract's key order and decodes it.
func (m *mapper) result(kind Kind, opt Options) (*Result, error) {
	var buf bytes.Buffer
	m.write(&buf, m.f.Root(), "", 0)
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", "  "); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	out.WriteByte('\n')
	res := &Result{Kind: kind, Format: m.f.ID, JSON: out.Bytes(), Doc: m.doc}
	var errs, warns []Problem
	for _, p := range m.probs {
		if p.Severity == SeverityError {
			errs = append(errs, p)
		} else {
			warns = append(warns, p)
		}
	}
	r, _, err := templates.Decode(res.JSON, report.Options{ChecksWarn: opt.ChecksWarn})
	if err != nil {
		var re *report.Error
		if !errors.As(err, &re) {
			return nil, err
		}
		for _, p := range re.Problems {
			if m.reported[p.Pointer] || m.reportedParent(p.Pointer) {
				continue
			}
			errs = append(errs, Problem{Problem: p, Severity: SeverityError})
		}
	} else {
		res.Report = r
		for _, p := range r.Warnings {
			warns = append(warns, Problem{Problem: p, Severity: SeverityWarning})
		}
	}
	res.Problems = append(errs, warns...)
	return res, nil
}

// reportedParent reports whether a mapping problem names a value that
// holds ptr (a missing row's cells).
func (m *mapper) reportedParent(ptr string) bool {
	for p := range m.reported {
		if p != "" && (strings.HasPrefix(ptr, p+"/") || strings.HasPrefix(p, ptr+"/")) {
			return true
		}
	}
	return false
}

// write writes the object n at ptr with the values found, in field order.
func (m *mapper) write(b *bytes.Buffer, n *report.Node, ptr string, depth int) bool {
	b.WriteByte('{')
	first := true
	for _, fl := range n.Fields {
		p := ptr + "/" + fl.Name
		if v, ok := m.vals[p]; ok {
			if !first {
				b.WriteByte(',')
			}
			first = false
			k, _ := json.Marshal(fl.Name)
			b.Write(k)
			b.WriteByte(':')
			b.Write(v)
			continue
		}
		if fl.Node.Kind == report.KindObject && m.has(p) {
			if !first {
				b.WriteByte(',')
			}
			first = false
			k, _ := json.Marshal(fl.Name)
			b.Write(k)
			b.WriteByte(':')
			m.write(b, fl.Node, p, depth+1)
		}
	}
	b.WriteByte('}')
	return !first
}

func (m *mapper) has(prefix string) bool {
	for p := range m.vals {
		if strings.HasPrefix(p, prefix+"/") {
			return true
		}
	}
	return false
}
