package templates

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestForm: every format's form description names every cell of the
// contract once, at its grid position, with an accessible name that
// tells it apart from every other cell, and lists every other field.
func TestForm(t *testing.T) {
	all, err := Formats()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		form := f.Form()
		names := map[string]string{}
		var pointers []string
		for _, tb := range form.Tables {
			if tb.Caption == "" || len(tb.Rows) != len(f.Table(tb.ID).Rows) {
				t.Errorf("%s %s: caption %q, %d rows", f.ID, tb.ID, tb.Caption, len(tb.Rows))
			}
			for _, row := range tb.Rows {
				for _, c := range row {
					if c.Pointer == "" {
						if c.Text == "" {
							t.Errorf("%s %s: a cell at %d,%d with neither text nor pointer", f.ID, tb.ID, c.Row, c.Col)
						}
						continue
					}
					pointers = append(pointers, c.Pointer)
					if c.Label == "" || c.Kind == "" {
						t.Errorf("%s %s: label %q, kind %q", f.ID, c.Pointer, c.Label, c.Kind)
					}
					if other, ok := names[c.Label]; ok {
						t.Errorf("%s: %s and %s have the same name %q", f.ID, other, c.Pointer, c.Label)
					}
					names[c.Label] = c.Pointer
				}
			}
		}
		want := f.CellPointers()
		slices.Sort(pointers)
		slices.Sort(want)
		if !slices.Equal(pointers, want) {
			t.Errorf("%s: the grids bind %d cells, the contract has %d", f.ID, len(pointers), len(want))
		}
		for _, p := range []string{"/agency", "/year", "/signature/date"} {
			if !slices.ContainsFunc(form.Fields, func(x FormField) bool { return x.Pointer == p }) {
				t.Errorf("%s: no field %s", f.ID, p)
			}
		}
		if len(form.Rules) == 0 || len(form.Sections) != len(f.Sections) {
			t.Errorf("%s: %d rules, %d sections", f.ID, len(form.Rules), len(form.Sections))
		}
		if _, err := json.Marshal(form); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCellNames: a cell is named by its row labels, then its column
// labels, as a screen reader should read it; the labels over every data
// column (申请人情况) are left out.
func TestCellNames(t *testing.T) {
	for _, x := range []struct{ format, pointer, name string }{
		{"gov-info-disclosure/2021", "/applications/outcomes/withheld/state_secret/natural_person", "（三）不予公开 1.属于国家秘密 · 自然人"},
		{"gov-info-disclosure/2021", "/applications/new_requests/commercial_enterprise", "一、本年新收政府信息公开申请数量 · 法人或其他组织 商业企业"},
		{"gov-info-disclosure/2021", "/applications/outcomes/total/total", "三、本年度办理结果 （七）总计 · 总计"},
		{"gov-info-disclosure/2021", "/proactive_disclosure/normative_documents/repealed", "行政规范性文件 · 本年废止件数"},
		{"gov-info-disclosure/2021", "/proactive_disclosure/fee_income_wan_yuan", "行政事业性收费 · 本年收费金额（单位：万元）"},
		{"gov-info-disclosure/2021", "/reviews_and_litigation/litigation_after_review/pending", "行政诉讼 复议后起诉 尚未审结"},
		{"gov-info-disclosure/2019", "/proactive_disclosure/procurement/projects", "政府集中采购 · 采购项目数量"},
	} {
		f, err := Lookup(x.format)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, tb := range f.Form().Tables {
			for _, row := range tb.Rows {
				for _, c := range row {
					if c.Pointer == x.pointer {
						got = c.Label
					}
				}
			}
		}
		if got != x.name {
			t.Errorf("%s: %q, want %q", x.pointer, got, x.name)
		}
	}
}
