package importer

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/govreport/govreport/importer/flow"
)

func TestPageNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"— 1 —": true, "- 12 -": true, "3": true, "第4页": true, "第 4 页 共 7 页": true, "2/7": true,
		"2024年": false, "一、总体情况": false, "无。": false, "": false,
	} {
		if got := pageNumber.MatchString(s); got != want {
			t.Errorf("%q: %v, want %v", s, got, want)
		}
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"（四）無法提供":      "（四）无法提供",
		"(一) 予以公开":     "（一）予以公开",
		"商业/企业":        "商业企业",
		"3.危及“三安全一稳定”": "3.危及三安全一稳定",
		"１．本機關":        "1.本机关",
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsValueLike(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, " 12 ": true, "1,024": true, "０": true, "-3": true, "/": true, "—": true, "——": true, "-": true, "": true, "\u00a0": true, "0.50": true,
		"3件": false, "减4": false, "规章": false, "+": false, "1.属于国家秘密": false, "一、": false,
	} {
		if got := isValueLike(s); got != want {
			t.Errorf("isValueLike(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestSectionHeadings: 一、 一. 一． and （一） headings start sections;
// a paragraph that starts like one but is prose, or a number out of
// order, does not.
func TestSectionHeadings(t *testing.T) {
	doc := &flow.Doc{Kind: "html"}
	for _, s := range []string{
		"某县2024年政府信息公开工作年度报告",
		"一.总体情况", "（一）主动公开。全年公开1条。",
		"二、全年收到申请5件，均按期答复。", // prose that starts like a heading
		"二．主动公开政府信息情况",
		"（三）收到和处理政府信息公开申请情况",
		"四、政府信息公开行政复议、行政诉讼情况",
		"五、存在的主要问题及改进情况", "一、加强培训，全年组织培训三次，参训人员一百余人次，覆盖全部科室和下属单位。",
		"六、其他需要报告的事项", "无。", "某县人民政府", "— 9 —", "2025年1月20日",
	} {
		doc.Blocks = append(doc.Blocks, flow.Block{Para: &flow.Para{Text: s}})
	}
	res, err := Map(doc, Options{Format: "gov-info-disclosure/2021"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(res.JSON), `"二．主动公开政府信息情况"`) || strings.Contains(string(res.JSON), `"（三）收到和处理政府信息公开申请情况"`) {
		t.Errorf("a section heading read as text:\n%s", res.JSON)
	}
	for _, p := range res.Problems {
		if p.Code == CodeNoSection || p.Code == CodeNoSignature {
			t.Errorf("%s %s %s", p.Code, p.Pointer, p.MessageZh)
		}
	}
	want := []string{`"一、加强培训，全年组织培训三次，参训人员一百余人次，覆盖全部科室和下属单位。"`, `"二、全年收到申请5件，均按期答复。"`, `"agency": "某县人民政府"`, `"date": "2025-01-20"`}
	for _, w := range want {
		if !strings.Contains(string(res.JSON), w) {
			t.Errorf("JSON lacks %s:\n%s", w, res.JSON)
		}
	}
}

// TestSimplify: every pair of the table keeps its length in UTF-8, so an
// offset in the simplified text is one in the original (the audit quotes
// by it), and Simplify changes nothing but those characters.
func TestSimplify(t *testing.T) {
	m := t2s()
	if len(m) < 2000 {
		t.Fatalf("the table has %d pairs", len(m))
	}
	for from, to := range m {
		if utf8.RuneLen(from) != utf8.RuneLen(to) {
			t.Errorf("%c → %c changes the length", from, to)
		}
	}
	if got := Simplify("依申請公開\xff（一）ABC１"); got != "依申请公开\xff（一）ABC１" {
		t.Errorf("Simplify = %q", got)
	}
}
