package report

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Format is one official report format, read from its file: the sections
// and their headings, the contract's field tree, the table grids with their
// labels, spans and bindings, and the 勾稽 rules. The decoder, the checks,
// the JSON Schema and the document builder are all derived from it, so no
// label, row order or sum lives in Go code: adding a format is adding a
// file (see ParseFormat).
type Format struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Source string `json:"source"` // the notice that issued it
	Issued string `json:"issued"`
	// Description describes a report in this format, for the schema.
	Description string `json:"description"`
	Years       Years  `json:"years"`
	// Preamble is the key of the blocks printed before 一, if any.
	Preamble string    `json:"preamble,omitempty"`
	Sections []Section `json:"sections"`
	Tables   []*Table  `json:"tables"`
	// Placeholders are the texts govreport init writes for the clerk to
	// replace; a report that still holds one is not finished.
	Placeholders Placeholders `json:"placeholders"`
	// Names are the words a report of this format is named with.
	Names Names `json:"names"`
	// Carry names the rows that pass from one year's report to the next,
	// for ComparePrevious; nil for a format that has none.
	Carry *Carry `json:"carry,omitempty"`

	root     *Node
	cells    map[string]*Cell // data cells by bound pointer
	tableOf  map[*Cell]*Table
	pointers []string // every cell pointer of the field tree, in document order
	rules    []rule
	numCells int
}

// Years are the reported years a format applies to.
type Years struct {
	// From is the first year; an earlier year is an error.
	From int `json:"from"`
	// Until, when set, is the last year the format was issued for; a later
	// year is accepted with a warning (archives hold later reports that
	// still use an old table), up to the current year + 1.
	Until int `json:"until,omitempty"`
	// Successor names the format that replaced this one, for the warning.
	Successor string `json:"successor,omitempty"`
}

// Placeholders say which texts are a skeleton's and not the report's.
type Placeholders struct {
	// Agency is the agency a skeleton names when none is given, e.g.
	// （机关名称）.
	Agency string `json:"agency"`
	// Marks are the words only a placeholder holds, e.g. （请填写: a text
	// (agency, title, heading, paragraph, signature agency) that contains
	// one is a placeholder. Every placeholder of the file's skeletons
	// contains one, which ParseFormat checks.
	Marks []string `json:"marks"`
}

// Names are the words a report of a format is named with, so that no
// format's words live in Go code. {agency}, {year} and {source} in them
// stand for the report's agency and year and the format's Source.
type Names struct {
	// Title is the title of a report that gives none, e.g.
	// {agency}{year}年政府信息公开工作年度报告.
	Title string `json:"title"`
	// Subject and Keywords are the document's metadata.
	Subject  string `json:"subject"`
	Keywords string `json:"keywords"`
	// TitleWords are the fixed words of the report's name: a title that
	// needs several lines may break before each (a break between the
	// agency's name and these words is preferred to one inside them).
	TitleWords []TitleWord `json:"title_words"`
	// Units are the words of agency names that a title's or the
	// signature's line never splits (人民政府办公室, 街道办事处, 管理委员会);
	// a break before or after one is as good as between organisations.
	Units []Unit `json:"units,omitempty"`
	// TablePrefix names a table with its number: 表 + 三.
	TablePrefix string `json:"table_prefix"`
}

// TitleWord is a word of the report's name a title may break before.
// Inside marks a break inside the name (工作|年度报告), taken only when
// the break before the name's first word (…人民政府|2024年) does not fit.
type TitleWord struct {
	Word   string `json:"word"`
	Inside bool   `json:"inside,omitempty"`
}

// Unit is a word of agency names no line splits. Suffix marks one that
// closes the name before it (信都区分局): no line breaks before it either.
type Unit struct {
	Word   string `json:"word"`
	Suffix bool   `json:"suffix,omitempty"`
}

// Name fills a template of Names with a report's agency and year.
func (f *Format) Name(template, agency string, year int) string {
	return strings.NewReplacer("{agency}", agency, "{year}", strconv.Itoa(year), "{source}", f.Source).Replace(template)
}

// Carry names the row of a report whose counts the next year's report
// starts from (结转下年度继续办理), and the row of this format that holds
// them (上年结转). Each is an object of cells with the same keys, one per
// column; the columns are matched by key, so a report can be compared with
// last year's in another format that has the same columns.
type Carry struct {
	From string `json:"from"` // last year's row, e.g. /applications/carried_forward
	To   string `json:"to"`   // this year's row, e.g. /applications/carried_over
}

// Section is one numbered section of the report: prose from the report's
// blocks, or a table.
type Section struct {
	Number  string `json:"number"`           // 一
	Heading string `json:"heading"`          // 一、总体情况
	Blocks  string `json:"blocks,omitempty"` // contract key of the prose
	Table   string `json:"table,omitempty"`  // table id
	// Notes is the contract pointer of the optional text printed before
	// the table.
	Notes string `json:"notes,omitempty"`
}

// Table is an official table as a grid of cells.
type Table struct {
	ID      string `json:"id"`     // contract key: applications
	Number  string `json:"number"` // 三
	Name    string `json:"name"`   // 收到和处理政府信息公开申请情况
	Columns int    `json:"columns"`
	// HeaderRows is how many leading rows repeat at the top of each page
	// the table continues on.
	HeaderRows int `json:"header_rows"`
	// Widths are relative column widths (any unit); empty means equal.
	Widths []float64 `json:"widths,omitempty"`
	Rows   []Row     `json:"rows"`
}

// Row is one grid row: its cells, left to right, leaving out the positions
// covered by a span from an earlier row.
type Row struct {
	// Bind is a pointer prefix for the row's data cells.
	Bind  string  `json:"bind,omitempty"`
	Cells []*Cell `json:"cells"`
}

// Cell is a label (Text) or a data cell (Bind).
type Cell struct {
	Text string `json:"text,omitempty"`
	// Bind is the data cell's JSON pointer into the report; relative in the
	// file (joined to the row's Bind), absolute once loaded.
	Bind string `json:"bind,omitempty"`
	CS   int    `json:"cs,omitempty"` // colspan, default 1
	RS   int    `json:"rs,omitempty"` // rowspan, default 1
	// Role is "section" for a row naming a 条例 item, "header" for a column
	// heading row inside the body; empty for plain labels and data.
	Role string `json:"role,omitempty"`

	// Breaks are where a label's words meet, in characters from its
	// start: the file marks them with WordBreak in the text, which the
	// loader takes out. A label's lines break only there (自然人 and
	// 结果维持 stay whole, 3.补正后|申请内容|仍不明确 breaks between
	// words) unless a word is wider than its cell.
	Breaks []int `json:"-"`

	Row, Col int `json:"-"` // position in the grid, from 0
}

// WordBreak marks, in a format file's label, a point between two words
// where the label's lines may break.
const WordBreak = "|"

// splitWords takes the WordBreak marks out of a label, recording where
// they stood in c.Breaks.
func (c *Cell) splitWords() error {
	if !strings.Contains(c.Text, WordBreak) {
		return nil
	}
	parts := strings.Split(c.Text, WordBreak)
	var b strings.Builder
	for i, p := range parts {
		if p == "" {
			return fmt.Errorf("label %q: a break mark %q at its start, its end or beside another", c.Text, WordBreak)
		}
		if i > 0 {
			c.Breaks = append(c.Breaks, utf8.RuneCountInString(b.String()))
		}
		b.WriteString(p)
	}
	c.Text = b.String()
	return nil
}

// Span returns the cell's column and row span (at least 1).
func (c *Cell) Span() (cols, rows int) { return max(c.CS, 1), max(c.RS, 1) }

// IsData reports whether the cell holds a report value.
func (c *Cell) IsData() bool { return c.Bind != "" }

// formatFile is a format file: the Format's public part plus the field
// tree, its named types, and the rules with the sets they range over.
type formatFile struct {
	Format
	Types  map[string]*fieldSpec `json:"types"` // named field types; a name is never a kind
	Fields []*fieldSpec          `json:"fields"`
	Sets   map[string][]string   `json:"sets"`
	Rules  []ruleSpec            `json:"rules"`
}

// fieldSpec is one field of the contract as the file writes it. Type is a
// value kind (object, string, format, year, date, blocks, count, change,
// amount, bool) or the name of an entry of the file's types, whose
// description and fields the field takes unless it gives its own.
type fieldSpec struct {
	Name        string       `json:"name"`
	Type        string       `json:"type"`
	Description string       `json:"description,omitempty"`
	Required    bool         `json:"required,omitempty"`
	Computed    bool         `json:"computed,omitempty"`
	Fields      []*fieldSpec `json:"fields,omitempty"`
	MaxLen      int          `json:"max_len,omitempty"`
	MinItems    int          `json:"min_items,omitempty"`
	Nullable    bool         `json:"nullable,omitempty"`
	Places      int          `json:"places,omitempty"`
	Role        string       `json:"role,omitempty"`
	// Skeleton is the value govreport init writes (see Node.Skeleton).
	Skeleton json.RawMessage `json:"skeleton,omitempty"`
}

// ruleSpec is a 勾稽 rule as the file writes it: target = Σ sum − Σ minus,
// once for every combination of the sets named in Each. A {name} in a term
// that Each does not bind ranges over the set: the term stands for one
// term per value.
type ruleSpec struct {
	Each   []string `json:"each,omitempty"`
	Target string   `json:"target"`
	Sum    []string `json:"sum"`
	Minus  []string `json:"minus,omitempty"`
	// Why and WhyZh say what the target should be, for the message.
	Why   string `json:"why"`
	WhyZh string `json:"why_zh"`
}

// rule is one expanded 勾稽 rule over cell pointers.
type rule struct {
	target     string
	plus       []string
	minus      []string
	why, whyZh string
	// computes marks a rule whose target may be omitted: it is then
	// computed from the terms.
	computes bool
}

var kinds = map[string]Kind{
	"object": KindObject, "string": KindString, "format": KindFormat, "year": KindYear,
	"date": KindDate, "blocks": KindBlocks, "count": KindCount, "change": KindChange,
	"amount": KindDecimal, "bool": KindBool,
}

// roles are the one-line strings the report keeps by name.
var roles = map[string]bool{"agency": true, "title": true, "signature_agency": true}

// RoleSignatureDate is the role of the date field the signature prints
// (成文日期); the format file gives it, so a date field of another role is
// validated but not printed there.
const RoleSignatureDate = "signature_date"

// ParseFormat reads a format file and checks it: the field tree, the grids
// (spans tile each grid exactly), that every cell of the field tree is
// bound by exactly one table cell and nothing else is bound, and that the
// rules name cells of the tree.
func ParseFormat(data []byte) (*Format, error) {
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	var file formatFile
	if err := dec.Decode(&file); err != nil {
		return nil, err
	}
	f := &file.Format
	if f.ID == "" {
		return nil, fmt.Errorf("no id")
	}
	f.cells = map[string]*Cell{}
	f.tableOf = map[*Cell]*Table{}
	for _, t := range f.Tables {
		if err := t.layoutGrid(); err != nil {
			return nil, fmt.Errorf("table %s: %w", t.Number, err)
		}
		for _, r := range t.Rows {
			for _, c := range r.Cells {
				if err := c.splitWords(); err != nil {
					return nil, fmt.Errorf("table %s: %w", t.Number, err)
				}
				if !c.IsData() {
					continue
				}
				if _, dup := f.cells[c.Bind]; dup {
					return nil, fmt.Errorf("table %s: %s is bound twice", t.Number, c.Bind)
				}
				f.cells[c.Bind] = c
				f.tableOf[c] = t
			}
		}
	}
	for _, m := range f.Placeholders.Marks {
		if strings.TrimSpace(m) == "" {
			return nil, fmt.Errorf("placeholders: an empty mark")
		}
	}
	if a := f.Placeholders.Agency; a != "" && !f.IsPlaceholder(a) {
		return nil, fmt.Errorf("placeholders: the agency %q holds no mark, so a report naming it would pass", a)
	}
	for _, s := range f.Sections {
		if (s.Blocks == "") == (s.Table == "") {
			return nil, fmt.Errorf("section %s: needs exactly one of blocks and table", s.Number)
		}
		if s.Table != "" && f.Table(s.Table) == nil {
			return nil, fmt.Errorf("section %s: no table %q", s.Number, s.Table)
		}
	}
	if len(file.Fields) == 0 {
		return f, nil // a grid-only file, as the grid tests write them
	}
	for name := range file.Types {
		if _, ok := kinds[name]; ok {
			return nil, fmt.Errorf("type %q has the name of a kind", name)
		}
	}
	root, err := buildNode(&fieldSpec{Type: "object", Description: f.Description, Fields: file.Fields}, file.Types, 0)
	if err != nil {
		return nil, err
	}
	f.root = root
	f.pointers = cellPointers(root)
	f.numCells = len(f.pointers)
	if err := f.checkBindings(); err != nil {
		return nil, err
	}
	for _, s := range f.Sections {
		if s.Blocks != "" && f.node("/"+s.Blocks, KindBlocks) == nil {
			return nil, fmt.Errorf("section %s: %q is not a blocks field", s.Number, s.Blocks)
		}
		if s.Notes != "" && f.node(s.Notes, KindBlocks) == nil {
			return nil, fmt.Errorf("section %s: notes %q is not a blocks field", s.Number, s.Notes)
		}
	}
	if f.Preamble != "" && f.node("/"+f.Preamble, KindBlocks) == nil {
		return nil, fmt.Errorf("preamble %q is not a blocks field", f.Preamble)
	}
	if f.rules, err = f.expandRules(file.Rules, file.Sets); err != nil {
		return nil, err
	}
	if err := f.checkCarry(); err != nil {
		return nil, err
	}
	if f.Names.Title == "" || f.Names.TablePrefix == "" {
		return nil, fmt.Errorf("names: title and table_prefix are required")
	}
	for _, w := range f.Names.TitleWords {
		if w.Word == "" {
			return nil, fmt.Errorf("names: an empty title word")
		}
	}
	for _, u := range f.Names.Units {
		if utf8.RuneCountInString(u.Word) < 2 {
			return nil, fmt.Errorf("names: unit %q is not a word of two characters or more", u.Word)
		}
	}
	if n := countRole(root, RoleSignatureDate); n != 1 {
		return nil, fmt.Errorf("%d date fields with role %s; the signature prints exactly one", n, RoleSignatureDate)
	}
	return f, nil
}

// countRole counts the nodes of a tree with the role.
func countRole(n *Node, role string) int {
	c := 0
	if n.Role == role {
		c++
	}
	for _, fl := range n.Fields {
		c += countRole(fl.Node, role)
	}
	return c
}

// checkCarry checks that the carry rows are rows of cells with the same
// columns.
func (f *Format) checkCarry() error {
	c := f.Carry
	if c == nil {
		return nil
	}
	from, to := f.node(c.From, KindObject), f.node(c.To, KindObject)
	if from == nil || to == nil {
		return fmt.Errorf("carry: %q and %q must both be objects of the field tree", c.From, c.To)
	}
	if len(from.Fields) != len(to.Fields) {
		return fmt.Errorf("carry: %s has %d columns, %s %d", c.From, len(from.Fields), c.To, len(to.Fields))
	}
	for _, fl := range to.Fields {
		other := findField(from, fl.Name)
		if other == nil || !fl.Node.IsCell() || !other.Node.IsCell() {
			return fmt.Errorf("carry: %s/%s must be a cell in both rows", c.To, fl.Name)
		}
	}
	return nil
}

func buildNode(s *fieldSpec, types map[string]*fieldSpec, depth int) (*Node, error) {
	if depth > 16 {
		return nil, fmt.Errorf("field %q: types nest too deep (a cycle?)", s.Name)
	}
	kind, ok := kinds[s.Type]
	if !ok {
		t, ok := types[s.Type]
		if !ok {
			return nil, fmt.Errorf("field %q: unknown type %q", s.Name, s.Type)
		}
		merged := *t
		merged.Name = s.Name
		if s.Description != "" {
			merged.Description = s.Description
		}
		if s.Skeleton != nil {
			merged.Skeleton = s.Skeleton
		}
		return buildNode(&merged, types, depth+1)
	}
	n := &Node{Kind: kind, Description: s.Description, MaxLen: s.MaxLen, MinItems: s.MinItems,
		Nullable: s.Nullable, Places: s.Places, Role: s.Role, Skeleton: s.Skeleton}
	if s.Role != "" && !(kind == KindString && roles[s.Role] || kind == KindDate && s.Role == RoleSignatureDate) {
		return nil, fmt.Errorf("field %q: role %q", s.Name, s.Role)
	}
	if kind == KindString && n.MaxLen <= 0 {
		return nil, fmt.Errorf("field %q: a string needs max_len", s.Name)
	}
	if (kind == KindObject) != (len(s.Fields) > 0) {
		return nil, fmt.Errorf("field %q: fields belong to objects, and an object needs fields", s.Name)
	}
	for _, fs := range s.Fields {
		child, err := buildNode(fs, types, depth+1)
		if err != nil {
			return nil, err
		}
		if findField(n, fs.Name) != nil {
			return nil, fmt.Errorf("field %q: %q twice", s.Name, fs.Name)
		}
		n.Fields = append(n.Fields, Field{Name: fs.Name, Node: child, Required: fs.Required, Computed: fs.Computed})
	}
	return n, nil
}

// cellPointers lists the JSON pointers of every table cell below n, in
// document order.
func cellPointers(n *Node) []string {
	var out []string
	var walk func(prefix string, n *Node)
	walk = func(prefix string, n *Node) {
		if n.IsCell() {
			out = append(out, prefix)
			return
		}
		for _, f := range n.Fields {
			walk(prefix+"/"+f.Name, f.Node)
		}
	}
	walk("", n)
	return out
}

func (f *Format) checkBindings() error {
	tree := map[string]bool{}
	for _, p := range f.pointers {
		tree[p] = true
		if f.cells[p] == nil {
			return fmt.Errorf("%s is not bound by any table cell", p)
		}
	}
	for p := range f.cells {
		if !tree[p] {
			return fmt.Errorf("a table cell binds %s, which is not a count or amount of the contract", p)
		}
	}
	return nil
}

// node returns the node at pointer if it has the kind.
func (f *Format) node(ptr string, kind Kind) *Node {
	n := f.root
	for _, name := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		fl := findField(n, name)
		if fl == nil {
			return nil
		}
		n = fl.Node
	}
	if n.Kind != kind {
		return nil
	}
	return n
}

// field returns the field at pointer, or nil.
func (f *Format) field(ptr string) *Field {
	n := f.root
	var fl *Field
	for _, name := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if n == nil {
			return nil
		}
		if fl = findField(n, name); fl == nil {
			return nil
		}
		n = fl.Node
	}
	return fl
}

// computed reports whether the cell at ptr may be omitted and computed:
// it or a row above it is a computed field.
func (f *Format) computed(ptr string) bool {
	n := f.root
	for _, name := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		fl := findField(n, name)
		if fl == nil {
			return false
		}
		if fl.Computed {
			return true
		}
		n = fl.Node
	}
	return false
}

var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

func (f *Format) expandRules(specs []ruleSpec, sets map[string][]string) ([]rule, error) {
	var out []rule
	for i, s := range specs {
		for _, name := range s.Each {
			if len(sets[name]) == 0 {
				return nil, fmt.Errorf("rule %d: no set %q", i+1, name)
			}
		}
		var bad error
		forEach(s.Each, sets, map[string]string{}, func(bound map[string]string) {
			r := rule{why: s.Why, whyZh: s.WhyZh}
			var err error
			if r.target, err = substitute(s.Target, bound); err != nil {
				bad = err
				return
			}
			for _, terms := range []struct {
				in  []string
				out *[]string
			}{{s.Sum, &r.plus}, {s.Minus, &r.minus}} {
				for _, t := range terms.in {
					free := map[string]bool{}
					for _, m := range placeholder.FindAllStringSubmatch(t, -1) {
						if _, ok := bound[m[1]]; !ok {
							free[m[1]] = true
						}
					}
					names := make([]string, 0, len(free))
					for n := range free {
						if len(sets[n]) == 0 {
							bad = fmt.Errorf("term %q: no set %q", t, n)
							return
						}
						names = append(names, n)
					}
					sort.Strings(names)
					all := map[string]string{}
					for k, v := range bound {
						all[k] = v
					}
					forEach(names, sets, all, func(b map[string]string) {
						p, err := substitute(t, b)
						if err != nil {
							bad = err
						}
						*terms.out = append(*terms.out, p)
					})
				}
			}
			out = append(out, r)
		})
		if bad != nil {
			return nil, fmt.Errorf("rule %d: %w", i+1, bad)
		}
	}
	for i := range out {
		r := &out[i]
		for _, p := range append(append([]string{r.target}, r.plus...), r.minus...) {
			if f.cells[p] == nil {
				return nil, fmt.Errorf("rule on %s: %s is not a table cell", r.target, p)
			}
		}
		if len(r.plus) == 0 {
			return nil, fmt.Errorf("rule on %s: no terms", r.target)
		}
		fl := f.field(r.target)
		r.computes = f.computed(r.target) && len(r.minus) == 0
		if fl.Node.Kind != KindCount {
			return nil, fmt.Errorf("rule on %s: rules sum counts", r.target)
		}
	}
	// A computed field needs a rule to compute it.
	for _, p := range f.pointers {
		if !f.computed(p) {
			continue
		}
		found := false
		for _, r := range out {
			found = found || (r.computes && r.target == p)
		}
		if !found {
			return nil, fmt.Errorf("%s may be omitted, but no rule computes it", p)
		}
	}
	return out, nil
}

// forEach calls fn once for every combination of values of the named sets,
// added to bound.
func forEach(names []string, sets map[string][]string, bound map[string]string, fn func(map[string]string)) {
	if len(names) == 0 {
		fn(bound)
		return
	}
	for _, v := range sets[names[0]] {
		bound[names[0]] = v
		forEach(names[1:], sets, bound, fn)
	}
	delete(bound, names[0])
}

func substitute(t string, bound map[string]string) (string, error) {
	var err error
	out := placeholder.ReplaceAllStringFunc(t, func(m string) string {
		v, ok := bound[m[1:len(m)-1]]
		if !ok {
			err = fmt.Errorf("%q: %s is not bound", t, m)
		}
		return v
	})
	return out, err
}

// layoutGrid places every cell in the grid, resolves relative bindings,
// and checks that the spans tile the grid exactly.
func (t *Table) layoutGrid() error {
	if t.Columns <= 0 {
		return fmt.Errorf("columns must be positive")
	}
	if len(t.Widths) != 0 && len(t.Widths) != t.Columns {
		return fmt.Errorf("%d widths for %d columns", len(t.Widths), t.Columns)
	}
	taken := make([][]bool, len(t.Rows))
	for i := range taken {
		taken[i] = make([]bool, t.Columns)
	}
	for r, row := range t.Rows {
		col := 0
		for _, c := range row.Cells {
			if (c.Text == "") == (c.Bind == "") {
				return fmt.Errorf("row %d: a cell needs exactly one of text and bind", r+1)
			}
			if c.Bind != "" && !strings.HasPrefix(c.Bind, "/") {
				if row.Bind == "" {
					return fmt.Errorf("row %d: relative bind %q without a row bind", r+1, c.Bind)
				}
				c.Bind = row.Bind + "/" + c.Bind
			}
			for col < t.Columns && taken[r][col] {
				col++
			}
			cs, rs := c.Span()
			if col+cs > t.Columns || r+rs > len(t.Rows) {
				return fmt.Errorf("row %d: cell %q overflows the grid", r+1, c.Text+c.Bind)
			}
			for dr := 0; dr < rs; dr++ {
				for dc := 0; dc < cs; dc++ {
					if taken[r+dr][col+dc] {
						return fmt.Errorf("row %d: cell %q overlaps another", r+1, c.Text+c.Bind)
					}
					taken[r+dr][col+dc] = true
				}
			}
			c.Row, c.Col = r, col
			col += cs
		}
		for c := 0; c < t.Columns; c++ {
			if !taken[r][c] {
				return fmt.Errorf("row %d: column %d is not covered", r+1, c+1)
			}
		}
	}
	return nil
}

// Root returns the root of the format's contract tree. Callers must not
// modify it.
func (f *Format) Root() *Node { return f.root }

// CellPointers lists the JSON pointers of every table cell of the contract,
// in document order. Every one is bound by exactly one cell of a table.
func (f *Format) CellPointers() []string { return append([]string(nil), f.pointers...) }

// Table returns the table with the given id, or nil.
func (f *Format) Table(id string) *Table {
	for _, t := range f.Tables {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// Bound returns the data cell bound to pointer, and its table.
func (f *Format) Bound(pointer string) (*Table, *Cell) {
	c, ok := f.cells[pointer]
	if !ok {
		return nil, nil
	}
	return f.tableOf[c], c
}

// Bindings returns every bound pointer, sorted.
func (f *Format) Bindings() []string {
	out := make([]string, 0, len(f.cells))
	for p := range f.cells {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// At returns the cell covering grid position (row, col), or nil.
func (t *Table) At(row, col int) *Cell {
	for r := min(row, len(t.Rows)-1); r >= 0; r-- {
		for _, c := range t.Rows[r].Cells {
			cs, rs := c.Span()
			if c.Row <= row && row < c.Row+rs && c.Col <= col && col < c.Col+cs {
				return c
			}
		}
	}
	return nil
}

// groupLabel names the cells under ptr when they are one row of a table
// (or, in table 四, one column group): the table and the row label all of
// them share. It returns "" for anything else.
func (f *Format) groupLabel(ptr string) (table, row string) {
	prefix := ptr + "/"
	for _, p := range f.pointers {
		if !strings.HasPrefix(p, prefix) {
			continue
		}
		t, r, _ := f.CellLabel(p)
		if r == "" || row != "" && (t != table || r != row) {
			return "", ""
		}
		table, row = t, r
	}
	return table, row
}

// CellLabel names a data cell by the official labels: the table (表三), the
// nearest label to its left (the row), and the nearest label above it (the
// column). A row with no label of its own (table 四) is named by the
// column group above the column label.
func (f *Format) CellLabel(pointer string) (table, row, column string) {
	t, c := f.Bound(pointer)
	if c == nil {
		return pointer, "", "" // not a table cell of this format
	}
	table = f.Names.TablePrefix + t.Number
	for col := c.Col - 1; col >= 0; col-- {
		if l := t.At(c.Row, col); l != nil && !l.IsData() {
			row = l.Text
			break
		}
	}
	var colCell *Cell
	for r := c.Row - 1; r >= 0; r-- {
		if l := t.At(r, c.Col); l != nil && !l.IsData() {
			colCell = l
			break
		}
	}
	if colCell != nil {
		column = colCell.Text
		if row == "" {
			for r := colCell.Row - 1; r >= 0; r-- {
				if l := t.At(r, c.Col); l != nil && !l.IsData() {
					row = l.Text
					break
				}
			}
		}
	}
	return table, row, column
}

// Rule is one expanded 勾稽 rule over cell pointers: Target should be
// Σ Plus − Σ Minus. Computes marks a rule whose target may be omitted
// and is then computed from the terms.
type Rule struct {
	Target   string   `json:"target"`
	Plus     []string `json:"plus"`
	Minus    []string `json:"minus,omitempty"`
	Why      string   `json:"why"`
	WhyZh    string   `json:"why_zh"`
	Computes bool     `json:"computes,omitempty"`
}

// Rules returns the format's 勾稽 rules, expanded over their sets, in the
// order the checks run them; for a page that shows a computed total and
// names the cells it comes from.
func (f *Format) Rules() []Rule {
	out := make([]Rule, len(f.rules))
	for i, r := range f.rules {
		out[i] = Rule{Target: r.target, Plus: append([]string(nil), r.plus...), Minus: append([]string(nil), r.minus...),
			Why: r.why, WhyZh: r.whyZh, Computes: r.computes}
	}
	return out
}
