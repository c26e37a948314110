package templates

import (
	"strings"
	"testing"
)

// TestFormat2019 checks the 2019 trial format against the specification's
// section 3: table 二 on a 5-column grid with the 2019 labels, table 三 with
// a single （六）其他处理 row (26 rows), table 四 as in 2021, section 五's
// 2019 wording.
func TestFormat2019(t *testing.T) {
	f, err := Lookup("gov-info-disclosure/2019")
	if err != nil {
		t.Fatal(err)
	}
	f21 := format2021(t)
	tests := []struct {
		id               string
		cols, rows, hdrs int
		data             int
	}{
		{"proactive_disclosure", 5, 18, 0, 22},
		{"applications", 10, 26, 3, 161},
		{"reviews_and_litigation", 15, 4, 3, 15},
	}
	for _, tt := range tests {
		tb := f.Table(tt.id)
		data := 0
		for _, r := range tb.Rows {
			for _, c := range r.Cells {
				if c.IsData() {
					data++
				}
			}
		}
		if tb.Columns != tt.cols || len(tb.Rows) != tt.rows || tb.HeaderRows != tt.hdrs || data != tt.data {
			t.Errorf("table %s: %d×%d, %d header rows, %d data cells; want %d×%d, %d, %d",
				tb.Number, tb.Columns, len(tb.Rows), tb.HeaderRows, data, tt.cols, tt.rows, tt.hdrs, tt.data)
		}
	}
	sec2019 := specSection(t, officialSpec(t), "## 3.")
	labels := func(f *Format, table string) map[string]bool {
		out := map[string]bool{}
		for _, r := range f.Table(table).Rows {
			for _, c := range r.Cells {
				if !c.IsData() {
					out[c.Text] = true
				}
			}
		}
		return out
	}
	two := labels(f, "proactive_disclosure")
	for _, l := range []string{"本年新制作数量", "本年新公开数量", "对外公开总数量", "规章", "规范性文件",
		"上一年项目数量", "本年增/减", "处理决定数量", "行政许可", "其他对外管理服务事项", "行政处罚", "行政强制",
		"行政事业性收费", "第二十条第（九）项", "采购项目数量", "采购总金额", "政府集中采购"} {
		if !strings.Contains(sec2019, "`"+l+"`") && !strings.Contains(sec2019, l) {
			t.Errorf("label %q is not in the spec's section 3", l)
		}
		if !two[l] {
			t.Errorf("table 二 lacks the 2019 label %q", l)
		}
	}
	for l := range two {
		if strings.HasPrefix(l, "第二十条") || l == "信息内容" {
			continue
		}
		if !strings.Contains(sec2019, l) {
			t.Errorf("table 二 label %q is not in the spec's section 3", l)
		}
	}
	// Tables 三 and 四: the 2021 labels less the three （六） sub-rows.
	for _, id := range []string{"applications", "reviews_and_litigation"} {
		got, want := labels(f, id), labels(f21, id)
		for l := range want {
			if strings.Contains(l, "申请人无正当理由逾期不补正") || strings.Contains(l, "逾期未按收费通知") || l == "3.其他" {
				delete(want, l)
			}
		}
		if len(got) != len(want) {
			t.Errorf("table %s: %d labels, want %d", id, len(got), len(want))
		}
		for l := range want {
			if !got[l] {
				t.Errorf("table %s lacks %q", id, l)
			}
		}
	}
	if c := f.Table("applications").At(5, 0); c == nil || c.Text != "三、本年度办理结果" || c.RS != 20 {
		t.Errorf("三、本年度办理结果 = %+v, want rs=20", c)
	}
	if _, row, _ := f.CellLabel("/applications/outcomes/other_handling/total"); row != "（六）其他处理" {
		t.Errorf("the （六） row is labelled %q", row)
	}
	if h := f.Sections[4].Heading; h != "五、政府信息公开工作存在的主要问题及改进情况" || !strings.Contains(sec2019, h) {
		t.Errorf("section 五 = %q", h)
	}
	if f.Years.From != 2019 || f.Years.Until != 2020 || f.Years.Successor != f21.ID {
		t.Errorf("years = %+v", f.Years)
	}
}

func TestSchema2019(t *testing.T) {
	f, err := Lookup("gov-info-disclosure/2019")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := f.Schema(2027)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"const": "gov-info-disclosure/2019"`, `"minimum": 2019`, `"$ref": "#/$defs/change"`,
		`表二 “政府集中采购” × “采购总金额”`, `表三 “（六）其他处理” × “自然人”`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("the 2019 schema lacks %s", want)
		}
	}
	if strings.Contains(string(raw), "overdue_fee") || strings.Contains(string(raw), "fee_income_wan_yuan") {
		t.Error("the 2019 schema has 2021 keys")
	}
}
