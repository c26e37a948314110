package audit

import (
	"strings"
	"testing"
)

func TestScan(t *testing.T) {
	type st struct {
		f Figure
		v int64
	}
	for _, tc := range []struct {
		text string
		want []st
	}{
		// The standard phrasings.
		{"2024年，我局新收政府信息公开申请1200件，较上年增长8.6%，上年结转73件。", []st{{NewRequests, 1200}, {CarriedOver, 73}}},
		{"全年办结1211件，其中予以公开472件；结转下年度继续办理62件。", []st{{CarriedForward, 62}}},
		{"全年因政府信息公开被申请行政复议34件、提起行政诉讼22件。", []st{{Reviews, 34}, {Lawsuits, 22}}},
		{"收到申请2件。", []st{{NewRequests, 2}}},
		{"本年度共收到政府信息公开申请51件。", []st{{NewRequests, 51}}},
		{"结转至下一年度办理的申请3件。", []st{{CarriedForward, 3}}},
		{"上年度结转申请共计4件。", []st{{CarriedOver, 4}}},
		{"发生政府信息公开行政复议案件2起，行政诉讼案件1起。", []st{{Reviews, 2}, {Lawsuits, 1}}},
		{"因依申请公开答复被申请行政复议1件。", []st{{Reviews, 1}}},
		// Chinese numerals, full-width digits, thousands separators.
		{"新收政府信息公开申请十二件，上年结转三件。", []st{{NewRequests, 12}, {CarriedOver, 3}}},
		{"新收申请一百零五件。", []st{{NewRequests, 105}}},
		{"新收申请两千零一件。", []st{{NewRequests, 2001}}},
		{"新收申请１２件。", []st{{NewRequests, 12}}},
		{"新收申请1,024件。", []st{{NewRequests, 1024}}},
		{"上年结转零件。", []st{{CarriedOver, 0}}},
		// Nought as 未 and 无.
		{"截至12月31日，我乡未收到依申请公开政府信息的申请。", []st{{NewRequests, 0}}},
		{"本年度未发生因政府信息公开引起的行政复议、行政诉讼。", []st{{Reviews, 0}, {Lawsuits, 0}}},
		{"全年未发生政府信息公开行政诉讼案件。", []st{{Lawsuits, 0}}},
		{"无上年结转申请，无结转下年度继续办理的申请。", []st{{CarriedOver, 0}, {CarriedForward, 0}}},
		// Traditional characters.
		{"縣人民政府本級新收政府信息公開申請158件，上年結轉15件。", []st{{NewRequests, 158}, {CarriedOver, 15}}},
		{"全年因政府信息公開被申請行政複議7件，被提起行政訴訟7件。", []st{{Reviews, 7}, {Lawsuits, 7}}},
		{"我鄉未收到依申請公開政府信息的申請。", []st{{NewRequests, 0}}},
		// Not read: estimates, parts, other counts, other phrasings.
		{"全年新收政府信息公开申请十余万件。", nil},
		{"新收申请约20件，近百件。", nil},
		{"新收申请1.2万件。", nil},
		{"针对行政复议被纠正的4件案件，逐案分析原因。", nil},
		{"其中行政复议3件被纠正。", nil},
		{"全年新收政府信息公开申请数量较上年明显增长。", nil},
		{"其中，自然人申请1024件，法人或其他组织申请176件。", nil},
		{"全年办理政府信息公开申请162件。", nil},
		{"全年受理群众诉求9871件。", nil},
		{"全年未发生行政复议被纠错的情况。", nil},
		{"无行政复议纠错案件。", nil},
		{"收到意见建议312条。", nil},
		{"接待行政复议咨询3件次。", nil},
		// 行政复议 not of information disclosure: a 司法局's own work.
		{"全年办理行政复议案件120件，行政诉讼应诉45件。", nil},
		{"全年未发生行政复议案件。", nil},
		{"共收到申请55件（含上年结转4件）。", []st{{CarriedOver, 4}}},
		{"共收到申请55件，新收申请51件。", []st{{NewRequests, 51}}},
		{"新收申请十十件，二二件。", nil},
		// The first statement of a figure in a sentence is the figure; the
		// same figure in the next sentence is read again.
		{"新收申请5件，新收申请3件。新收申请4件。", []st{{NewRequests, 5}, {NewRequests, 4}}},
	} {
		got := Scan(tc.text)
		var g []st
		for _, s := range got {
			g = append(g, st{s.Figure, s.Value})
			if !strings.Contains(tc.text, s.Sentence) || s.Sentence == "" {
				t.Errorf("%s: sentence %q is not in the text", tc.text, s.Sentence)
			}
		}
		if len(g) != len(tc.want) {
			t.Errorf("%s: %v, want %v", tc.text, g, tc.want)
			continue
		}
		for i := range g {
			if g[i] != tc.want[i] {
				t.Errorf("%s: %v, want %v", tc.text, g, tc.want)
				break
			}
		}
	}
}

func TestParseCount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"12", 12, true}, {"１２", 12, true}, {"3,417", 3417, true},
		{"零", 0, true}, {"三", 3, true}, {"十", 10, true}, {"十二", 12, true}, {"二十", 20, true},
		{"一百零五", 105, true}, {"两千", 2000, true}, {"三万二千", 32000, true}, {"十万", 100000, true},
		{"一亿零五万", 100050000, true},
		{"", 0, false}, {"十十", 0, false}, {"百", 0, false}, {"二二", 0, false}, {"万", 0, false},
		{"9999999999999", 0, false}, {"万亿亿亿", 0, false}, {"九千九百九十九亿九千万", 999990000000, true}, {"一万亿", 0, false},
	} {
		got, ok := parseCount(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseCount(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestFold: the phrasings' traditional characters fold, invalid bytes
// stay, and the length is kept (importer's TestSimplify holds it for
// every pair).
func TestFold(t *testing.T) {
	in := "申請\xff結轉複議訴訟羣眾"
	got := fold(in)
	if got != "申请\xff结转复议诉讼群众" || len(got) != len(in) {
		t.Errorf("fold = %q", got)
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"2024年，我局新收政府信息公开申请1200件，较上年增长8.6%，上年结转73件。",
		"全年因政府信息公開被申請行政複議7件，被提起行政訴訟7件，其中2件被纠正。",
		"截至12月31日，我鄉未收到依申請公開政府信息的申請。",
		"无上年结转申请，无结转下年度继续办理的申请。新收申请一百零五件",
		"新收申请\xff十二件。",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, st := range Scan(s) {
			if st.Value < 0 || st.Value >= 1e12 {
				t.Fatalf("%q: value %d", s, st.Value)
			}
			if st.Figure < NewRequests || st.Figure > Lawsuits {
				t.Fatalf("%q: figure %d", s, st.Figure)
			}
			if !strings.Contains(s, st.Sentence) {
				t.Fatalf("%q: sentence %q not in the text", s, st.Sentence)
			}
		}
	})
}
