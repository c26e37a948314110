package templates

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/govreport/govreport/report"
)

func format2021(t testing.TB) *Format {
	t.Helper()
	f, err := Lookup("gov-info-disclosure/2021")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// officialSpec returns testdata/official-format.md: the labels, grids and
// headings of the two notices, re-typed from them, which the tests compare
// the format files with. It is the repository's own copy, so the tests run
// on a clone with nothing beside it.
func officialSpec(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "official-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// specSection returns the part of the specification from the heading that
// starts with from to the next heading at its level or above.
func specSection(t testing.TB, spec, from string) string {
	t.Helper()
	start := strings.Index(spec, "\n"+from)
	if start < 0 {
		t.Fatalf("the specification has no section %q", from)
	}
	start++
	level := strings.Index(from, " ") // "## 2." → 2
	rest := spec[start+len(from):]
	if m := regexp.MustCompile(`(?m)^#{1,` + strconv.Itoa(level) + `} `).FindStringIndex(rest); m != nil {
		rest = rest[:m[0]]
	}
	return from + rest
}

// TestGridSizes compares each table's size with the one the specification's
// heading gives, "(4 columns × 14 rows, 10 data cells)", and its header rows.
func TestGridSizes(t *testing.T) {
	f := format2021(t)
	sizes := regexp.MustCompile(`(?m)^### 2\.\d Table (\S+) — .*\((\d+) columns × (\d+) rows, (\d+) data cells\)$`).
		FindAllStringSubmatch(specSection(t, officialSpec(t), "## 2."), -1)
	if len(sizes) != len(f.Tables) {
		t.Fatalf("the specification gives %d grid sizes for %d tables", len(sizes), len(f.Tables))
	}
	hdrs := map[string]int{"二": 0, "三": 3, "四": 3}
	for _, m := range sizes {
		var tb *report.Table
		for _, x := range f.Tables {
			if x.Number == m[1] {
				tb = x
			}
		}
		if tb == nil {
			t.Errorf("no table %s", m[1])
			continue
		}
		cols, _ := strconv.Atoi(m[2])
		rows, _ := strconv.Atoi(m[3])
		want, _ := strconv.Atoi(m[4])
		data := 0
		for _, r := range tb.Rows {
			for _, c := range r.Cells {
				if c.IsData() {
					data++
				}
			}
		}
		if tb.Columns != cols || len(tb.Rows) != rows || tb.HeaderRows != hdrs[m[1]] || data != want {
			t.Errorf("table %s: %d×%d, %d header rows, %d data cells; want %d×%d, %d, %d",
				tb.Number, tb.Columns, len(tb.Rows), tb.HeaderRows, data, cols, rows, hdrs[m[1]], want)
		}
	}
}

// TestBindings proves every table cell of the contract is bound exactly
// once and nothing else is bound.
func TestBindings(t *testing.T) {
	f := format2021(t)
	want := f.CellPointers()
	slices.Sort(want)
	got := f.Bindings()
	if !slices.Equal(got, want) {
		t.Fatalf("bindings differ from the contract:\n got %v\nwant %v", got, want)
	}
	n := 0
	for _, tb := range f.Tables {
		for _, r := range tb.Rows {
			for _, c := range r.Cells {
				if c.IsData() {
					n++
				}
			}
		}
	}
	if n != len(want) {
		t.Fatalf("%d data cells for %d contract cells: some cell is bound twice", n, len(want))
	}
}

func TestSpans(t *testing.T) {
	f := format2021(t)
	tests := []struct {
		table, text      string
		row, col, cs, rs int
	}{
		{"applications", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 0, 0, 3, 3},
		{"applications", "申请人情况", 0, 3, 7, 1},
		{"applications", "法人或其他组织", 1, 4, 5, 1},
		{"applications", "总计", 1, 9, 1, 2},
		{"applications", "三、本年度办理结果", 5, 0, 1, 22},
		{"applications", "（三）不予公开", 7, 1, 1, 8},
		{"applications", "（四）无法提供", 15, 1, 1, 3},
		{"applications", "（五）不予处理", 18, 1, 1, 5},
		{"applications", "（六）其他处理", 23, 1, 1, 3},
		{"applications", "（七）总计", 26, 1, 2, 1},
		{"applications", "四、结转下年度继续办理", 27, 0, 3, 1},
		{"proactive_disclosure", "本年收费金额（单位：万元）", 12, 1, 3, 1},
		{"reviews_and_litigation", "行政诉讼", 0, 5, 10, 1},
		{"reviews_and_litigation", "复议后起诉", 1, 10, 5, 1},
	}
	for _, tt := range tests {
		tb := f.Table(tt.table)
		c := tb.At(tt.row, tt.col)
		if c == nil || c.Text != tt.text || c.Row != tt.row || c.Col != tt.col {
			t.Errorf("%s (%d,%d) = %+v, want %q", tt.table, tt.row, tt.col, c, tt.text)
			continue
		}
		if cs, rs := c.Span(); cs != tt.cs || rs != tt.rs {
			t.Errorf("%q spans %d×%d, want %d×%d", tt.text, cs, rs, tt.cs, tt.rs)
		}
	}
}

// TestLabelsMatchSpec compares every label of the template with the labels
// the specification quotes in its section 2 (the three grids), both ways,
// and the section headings with its section 1.
func TestLabelsMatchSpec(t *testing.T) {
	s := officialSpec(t)
	cjk := regexp.MustCompile(`\p{Han}`)
	specLabels := map[string]bool{}
	for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(specSection(t, s, "## 2."), -1) {
		// Prose may quote a label path, "（六）其他处理 3.其他": each part
		// is a label.
		for _, l := range strings.Fields(m[1]) {
			if cjk.MatchString(l) {
				specLabels[l] = true
			}
		}
	}
	ours := map[string]bool{}
	f := format2021(t)
	for _, tb := range f.Tables {
		for _, r := range tb.Rows {
			for _, c := range r.Cells {
				if !c.IsData() {
					ours[c.Text] = true
				}
			}
		}
	}
	for l := range ours {
		if !specLabels[l] {
			t.Errorf("template label %q is not in the spec", l)
		}
	}
	for l := range specLabels {
		if !ours[l] {
			t.Errorf("spec label %q is missing from the template", l)
		}
	}
	// Section headings, from the spec's section 1 table.
	headings := specSection(t, s, "## 1.")
	for _, sec := range f.Sections {
		if !strings.Contains(headings, "`"+sec.Heading+"`") {
			t.Errorf("section heading %q is not in the spec", sec.Heading)
		}
	}
	if len(f.Sections) != 6 {
		t.Errorf("%d sections, want 6", len(f.Sections))
	}
}

func TestCellLabel(t *testing.T) {
	f := format2021(t)
	tests := []struct{ ptr, table, row, col string }{
		{"/applications/outcomes/total/commercial_enterprise", "表三", "（七）总计", "商业企业"},
		{"/applications/new_requests/natural_person", "表三", "一、本年新收政府信息公开申请数量", "自然人"},
		{"/applications/outcomes/withheld/state_secret/total", "表三", "1.属于国家秘密", "总计"},
		{"/proactive_disclosure/rules/in_force", "表二", "规章", "现行有效件数"},
		{"/proactive_disclosure/fee_income_wan_yuan", "表二", "行政事业性收费", "本年收费金额（单位：万元）"},
		{"/reviews_and_litigation/administrative_review/upheld", "表四", "行政复议", "结果维持"},
		{"/reviews_and_litigation/litigation_after_review/total", "表四", "复议后起诉", "总计"},
	}
	for _, tt := range tests {
		tb, row, col := f.CellLabel(tt.ptr)
		if tb != tt.table || row != tt.row || col != tt.col {
			t.Errorf("%s: %s %q × %q, want %s %q × %q", tt.ptr, tb, row, col, tt.table, tt.row, tt.col)
		}
	}
}

// TestLabelWords checks that the loader takes the word marks out of the
// labels and keeps where they stood: no label of a format prints a mark,
// and 3.补正后申请内容仍不明确 breaks only between its words.
func TestLabelWords(t *testing.T) {
	fs, err := Formats()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		for _, tb := range f.Tables {
			for _, row := range tb.Rows {
				for _, c := range row.Cells {
					if strings.Contains(c.Text, report.WordBreak) {
						t.Errorf("%s 表%s: label %q keeps its mark", f.ID, tb.Number, c.Text)
					}
					for i, b := range c.Breaks {
						if b <= 0 || b >= utf8.RuneCountInString(c.Text) || (i > 0 && b <= c.Breaks[i-1]) {
							t.Errorf("%s 表%s: label %q: breaks %v", f.ID, tb.Number, c.Text, c.Breaks)
						}
					}
				}
			}
		}
	}
	f, err := report.ParseFormat([]byte(`{"id":"x","tables":[{"id":"t","number":"一","columns":1,"rows":[{"cells":[{"text":"3.补正后|申请|内容|仍不|明确"}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	c := f.Tables[0].Rows[0].Cells[0]
	if c.Text != "3.补正后申请内容仍不明确" || !slices.Equal(c.Breaks, []int{5, 7, 9, 11}) {
		t.Errorf("got %q %v", c.Text, c.Breaks)
	}
}

func TestBadGrids(t *testing.T) {
	tests := []struct{ name, json, want string }{
		{"overflow", `{"id":"x","tables":[{"id":"t","number":"一","columns":2,"rows":[{"cells":[{"text":"a","cs":3}]}]}]}`, "overflows"},
		{"gap", `{"id":"x","tables":[{"id":"t","number":"一","columns":2,"rows":[{"cells":[{"text":"a"}]}]}]}`, "not covered"},
		{"overlap", `{"id":"x","tables":[{"id":"t","number":"一","columns":2,"rows":[{"cells":[{"text":"a","rs":2},{"text":"b"}]},{"cells":[{"text":"c"},{"text":"d"}]}]}]}`, "overflows"},
		{"twice", `{"id":"x","tables":[{"id":"t","number":"一","columns":2,"rows":[{"cells":[{"bind":"/a"},{"bind":"/a"}]}]}]}`, "bound twice"},
		{"relative", `{"id":"x","tables":[{"id":"t","number":"一","columns":1,"rows":[{"cells":[{"bind":"a"}]}]}]}`, "relative bind"},
		{"both", `{"id":"x","tables":[{"id":"t","number":"一","columns":1,"rows":[{"cells":[{"bind":"/a","text":"b"}]}]}]}`, "exactly one"},
		{"unknown key", `{"id":"x","tabels":[]}`, "unknown field"},
		{"no table", `{"id":"x","sections":[{"number":"一","heading":"h","table":"zz"}]}`, "no table"},
		{"mark at start", `{"id":"x","tables":[{"id":"t","number":"一","columns":1,"rows":[{"cells":[{"text":"|结果维持"}]}]}]}`, "break mark"},
		{"mark at end", `{"id":"x","tables":[{"id":"t","number":"一","columns":1,"rows":[{"cells":[{"text":"结果维持|"}]}]}]}`, "break mark"},
		{"two marks", `{"id":"x","tables":[{"id":"t","number":"一","columns":1,"rows":[{"cells":[{"text":"结果||维持"}]}]}]}`, "break mark"},
	}
	for _, tt := range tests {
		_, err := report.ParseFormat([]byte(tt.json))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}
