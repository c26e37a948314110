package layout

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/govreport/govreport/fonts"
)

// TestLatinBreaks: a URL, an e-mail address or a phone number breaks only
// after / . - _ ? & = @ (the last of a run of them), never between two
// digits, never before its last character (issue 22).
func TestLatinBreaks(t *testing.T) {
	ts := &typesetter{fonts: faces(t), style: DefaultStyle()}
	tests := []struct {
		text string
		want []string
	}{
		{"http://www.example.gov.cn/a_b/index.html?id=1&p=2",
			[]string{"http://", "www.", "example.", "gov.", "cn/", "a_", "b/", "index.", "html?", "id=", "1&", "p=2"}},
		{"sjjbgs@linjiang.gov.cn", []string{"sjjbgs@", "linjiang.", "gov.", "cn"}},
		{"0871-12345678", []string{"0871-", "12345678"}},
		{"95.6%", []string{"95.6%"}},
		{"1,286,400", []string{"1,286,400"}},
		{"e-License", []string{"e-", "License"}},
		{"v1.2.3", []string{"v1.2.3"}},
	}
	for _, tt := range tests {
		gs, starts, err := ts.shape([]Run{{Text: tt.text, Role: fonts.RoleBody}}, 16, "test")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for i, u := range units(gs, starts, 0) {
			if u.join != (i > 0) || !u.word {
				t.Errorf("%q: piece %d: word %v, join %v", tt.text, i, u.word, u.join)
			}
			var b strings.Builder
			for _, g := range gs[u.start:u.end] {
				b.WriteRune(g.r)
			}
			got = append(got, b.String())
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q breaks as %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestStretch: a line's extra space goes to the gaps between hanzi and
// Latin words first, up to a quarter em each, then to the gaps between
// hanzi; when those would take more than the boundaries, all take the
// same.
func TestStretch(t *testing.T) {
	tests := []struct {
		extra  float64
		nb, no int
		eb, eo float64
	}{
		{0, 2, 20, 0, 0},
		{-1, 2, 20, 0, 0},
		{6, 2, 20, 3, 0},
		{10, 2, 20, 4, 0.1},
		{8, 0, 20, 0, 0.4},
		{12, 2, 0, 6, 0},
		{100, 2, 8, 10, 10},
		{5, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		eb, eo := stretch(tt.extra, tt.nb, tt.no, 16)
		if math.Abs(eb-tt.eb) > 1e-9 || math.Abs(eo-tt.eo) > 1e-9 {
			t.Errorf("stretch(%v, %d, %d) = %v, %v; want %v, %v", tt.extra, tt.nb, tt.no, eb, eo, tt.eb, tt.eo)
		}
	}
}

// TestNoLooseLines: paragraphs with URLs, e-mail addresses, phone
// numbers and English words are broken so that no justified line gives a
// gap more than a quarter em of extra space, where the text allows it
// (issue 22): not a line of fewer than four gaps. On the breaker that did not count looseness, the URL lines
// took 0.9 to 12 em a gap.
func TestNoLooseLines(t *testing.T) {
	ts := &typesetter{fonts: faces(t), style: DefaultStyle()}
	st := ts.style
	paras := []string{
		"本报告电子版可在临江市人民政府门户网站（http://www.linjiang.gov.cn/zwgk/xxgkzl/xxgknb/index.html）和临江市数据资源管理局网站（https://sjj.linjiang.gov.cn/col/col1229540821/index.html?uid=5613245&pageNum=2）查阅和下载，提供网页、PDF和OFD三种格式。",
		"如对本报告有任何疑问，请与临江市数据资源管理局办公室联系（地址：临江市滨江大道1288号市民中心B座12楼；邮政编码：361012；联系电话：0592-25012345、0592-25012346；传真：0592-25012399；电子邮箱：sjjbgs@linjiang.gov.cn；政务服务热线：12345）。",
		"我局在GitHub（https://github.com/linjiang-data/open-data-standards）公开了数据标准规范草案，接受社会公众通过电子邮箱opendata-feedback@linjiang.gov.cn提出意见和建议；全年收到意见建议1,024条，采纳率达到63.7%，涉及Data Catalog、Metadata Schema和JSON Schema等技术规范。",
		"燃气安全提示42期。相关信息详见（https://mp.weixin.qq.com/s/LinjiangZJJ2024-annual）。全年受理政府信息公开申请158件，全部在法定期限内答复，咨询电话0592-25018888。相关信息详见（mailto:zjjxxgk@linjiang.gov.cn）。",
	}
	for _, text := range paras {
		indent := 2 * st.cell()
		set, err := ts.set(context.Background(), []Run{{Text: text, Role: fonts.RoleBody}}, st.BodySize, st.BodyWidth-indent, st.BodyWidth, st.BodySize-st.cell(), "/p")
		if err != nil {
			t.Fatal(err)
		}
		for i, ln := range set.lines {
			if ln.last {
				continue
			}
			avail := st.BodyWidth
			if i == 0 {
				avail -= indent
			}
			nb, no := gapCounts(set.gs, set.us, ln.start, ln.end)
			eb, eo := stretch(avail-ln.width, nb, no, st.BodySize)
			// A line that is most of a URL has too few gaps to
			// spread a character's width over: let be, as a line of
			// one run that cannot break.
			if e := max(eb, eo) / st.BodySize; e > looseEm+1e-9 && nb+no >= 4 {
				t.Errorf("line %d takes %.2f em a gap: %q", i+1, e, set.text(ln))
			}
		}
	}
}
