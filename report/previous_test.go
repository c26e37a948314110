package report

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

// decodeFile decodes a report of testdata, changed by edit (on its JSON
// as a map) when edit is not nil; the 勾稽 checks only warn, as last
// year's published report may fail them.
func decodeFile(t *testing.T, path string, edit func(m map[string]any)) *Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		if data, err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
	}
	r, err := Decode(data, Options{Now: now, Formats: testFormats, ChecksWarn: true})
	if err != nil {
		var perr *Error
		errors.As(err, &perr)
		t.Fatalf("%s: %v", path, err)
	}
	return r
}

func row(m map[string]any, name string) map[string]any {
	return m["applications"].(map[string]any)[name].(map[string]any)
}

// TestComparePrevious: this year's 上年结转 is compared with last year's
// 结转下年度 column by column, with the agencies and the years, also
// across formats; each disagreement is one previous problem at this
// report's pointer naming last year's value and file.
func TestComparePrevious(t *testing.T) {
	const (
		xinhe23  = "../testdata/reports/xinhe-district-2023.json"
		xinhe24  = "../testdata/previous/xinhe-district-2024.json"
		qinghe20 = "../testdata/reports/qinghe-county-2020.json"
		qinghe21 = "../testdata/previous/qinghe-county-2021.json"
	)
	type want struct{ pointer, en, zh string }
	tests := []struct {
		name       string
		prev, cur  string
		editPrev   func(map[string]any)
		editCur    func(map[string]any)
		want       []want
		wantFormat [2]string
	}{
		{name: "follows", prev: xinhe23, cur: xinhe24},
		{name: "follows across formats", prev: qinghe20, cur: qinghe21,
			wantFormat: [2]string{"gov-info-disclosure/2019", "gov-info-disclosure/2021"}},
		{name: "one column differs", prev: xinhe23, cur: xinhe24,
			editPrev: func(m map[string]any) { row(m, "carried_forward")["natural_person"] = 7 },
			want: []want{{"/applications/carried_over/natural_person",
				`表三 "二、上年结转政府信息公开申请数量" × "自然人": 8, but last year's report last.json carried forward 7 ("四、结转下年度继续办理" × "自然人")`,
				`表三 “二、上年结转政府信息公开申请数量” × “自然人”: 实为 8，而上年报告 last.json 的“四、结转下年度继续办理” × “自然人”为 7`}}},
		{name: "across formats, two columns differ", prev: qinghe20, cur: qinghe21,
			editCur: func(m map[string]any) {
				row(m, "carried_over")["commercial_enterprise"] = 0
				row(m, "carried_over")["other_org"] = 4
			},
			want: []want{
				{"/applications/carried_over/commercial_enterprise", "0, but last year's report last.json carried forward 1", "实为 0，而上年报告 last.json"},
				{"/applications/carried_over/other_org", "4, but last year's report last.json carried forward 0", "实为 4"}}},
		{name: "null is 0", prev: xinhe23, cur: xinhe24,
			editPrev: func(m map[string]any) { row(m, "carried_forward")["research_institution"] = nil }},
		{name: "agency", prev: xinhe23, cur: qinghe21,
			editCur: func(m map[string]any) {
				m["year"] = 2024
				m["signature"] = map[string]any{"date": "2025-01-20"}
			},
			want: []want{
				{"/agency", `the agency is "清河县自然资源局", but last year's report last.json is by "新河区人民政府"`, `机关名称为“清河县自然资源局”，而上年报告 last.json 为“新河区人民政府”`},
				{"/applications/carried_over/natural_person", "2, but last year's report last.json carried forward 8", ""},
				{"/applications/carried_over/legal_service_org", "0, but last year's report last.json carried forward 1", ""}}},
		{name: "year", prev: xinhe23, cur: xinhe24,
			editCur: func(m map[string]any) {
				m["year"] = 2025
				row(m, "carried_over")["natural_person"] = 0
			},
			want: []want{{"/year", "this report is for 2025, but last year's report last.json is for 2023, not 2024; the carried-over counts were not compared",
				"本报告为 2025 年度，而上年报告 last.json 为 2023 年度，不是 2024 年度"}}},
		{name: "the same report twice", prev: xinhe24, cur: xinhe24,
			want: []want{{"/year", "is for 2024, not 2023", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prev := decodeFile(t, tt.prev, tt.editPrev)
			cur := decodeFile(t, tt.cur, tt.editCur)
			if f := tt.wantFormat; f[0] != "" && (prev.Format.ID != f[0] || cur.Format.ID != f[1]) {
				t.Fatalf("formats %s, %s; want %s", prev.Format.ID, cur.Format.ID, f)
			}
			got := ComparePrevious(prev, cur, "last.json")
			if len(got) != len(tt.want) {
				t.Fatalf("%d problems, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				p := got[i]
				if p.Code != "previous" || p.Pointer != w.pointer || !strings.Contains(p.Message, w.en) || !strings.Contains(p.MessageZh, w.zh) {
					t.Errorf("problem %d: %s at %s:\n%s\n%s\nwant at %s:\n%s\n%s", i, p.Code, p.Pointer, p.Message, p.MessageZh, w.pointer, w.en, w.zh)
				}
			}
		})
	}
}

// TestEveryFormatCarries: the carry rows come from the format files, and
// every format has them.
func TestEveryFormatCarries(t *testing.T) {
	for _, f := range testFormats {
		if f.Carry == nil || f.node(f.Carry.From, KindObject) == nil || f.node(f.Carry.To, KindObject) == nil {
			t.Errorf("%s: carry %+v", f.ID, f.Carry)
		}
	}
}
