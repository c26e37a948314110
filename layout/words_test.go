package layout

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// whole are words no title or agency line may split: place names,
// organisations, years and the report name's words.
var whole = []string{
	"新疆维吾尔自治区", "伊犁哈萨克自治州", "霍尔果斯市", "新疆維吾爾自治區", "伊犁哈薩克自治州", "霍爾果斯市",
	"内蒙古自治区", "兴安盟", "科尔沁右翼前旗", "政务服务和数据管理局", "人民政府", "办公室", "辦公室",
	"广州市", "市场监督管理局", "永兴傣族乡", "2024年", "2023年", "政府信息公开", "政府信息公開", "年度报告", "年度報告",
}

// splits reports the first whole word a break at rune i of text falls
// inside, or "".
func splits(text string, i int) string {
	for _, w := range whole {
		wr := []rune(w)
		for at := strings.Index(text, w); at >= 0; {
			start := len([]rune(text[:at]))
			if start < i && i < start+len(wr) {
				return w
			}
			next := strings.Index(text[at+len(w):], w)
			if next < 0 {
				break
			}
			at += len(w) + next
		}
	}
	return ""
}

func checkWordLines(t *testing.T, text string, got []string, maxLines int) {
	t.Helper()
	if strings.Join(got, "") != text {
		t.Fatalf("lines %q do not make %q", got, text)
	}
	if len(got) > maxLines {
		t.Errorf("%d lines, want at most %d: %q", len(got), maxLines, got)
	}
	at := 0
	for _, ln := range got[:len(got)-1] {
		at += len([]rune(ln))
		if w := splits(text, at); w != "" {
			t.Errorf("break after %q splits %q: %q", ln, w, got)
		}
	}
	for _, ln := range got {
		if n := len([]rune(ln)); n <= 1 {
			t.Errorf("a line of %d character: %q", n, got)
		}
	}
}

// reportWords are the words of the report's name as the format files give
// them (names.title_words).
var reportWords = []TitleWord{{Word: "政府信息公开"}, {Word: "政府信息公開"}, {Word: "工作年度报告"}, {Word: "工作年度報告"},
	{Word: "年度报告", Inside: true}, {Word: "年度報告", Inside: true}}

func TestTitleBreaksBetweenWords(t *testing.T) {
	for _, tt := range []struct {
		title    string
		hint     int // the agency's length
		maxLines int
		want     []string // when the layout is settled
	}{
		{"永兴傣族乡2024年政府信息公开工作年度报告", 5, 2, []string{"永兴傣族乡", "2024年政府信息公开工作年度报告"}},
		{"新疆維吾爾自治區伊犁哈薩克自治州霍爾果斯市人民政府辦公室2024年政府信息公開工作年度報告", 28, 3, nil},
		{"新疆维吾尔自治区伊犁哈萨克自治州霍尔果斯市人民政府办公室2024年政府信息公开工作年度报告", 28, 3, nil},
		{"内蒙古自治区兴安盟科尔沁右翼前旗政务服务和数据管理局2023年政府信息公开工作年度报告", 26, 3, nil},
		{"广州市市场监督管理局2024年政府信息公开工作年度报告", 10, 2, nil},
		{"2024年政府信息公开工作年度报告", 0, 1, nil},
	} {
		t.Run(tt.title, func(t *testing.T) {
			c, err := Compose(context.Background(), &Document{Blocks: []Block{&Title{Text: tt.title, Words: reportWords, Break: tt.hint}}}, faces(t), DefaultStyle())
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, ts := range c.Titles {
				got = ts.Lines
			}
			checkWordLines(t, tt.title, got, tt.maxLines)
			if tt.want != nil && strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("lines %q, want %q", got, tt.want)
			}
			// Balanced: a trapezoid or a diamond, the shortest line at
			// least a third of the longest.
			if len(got) > 1 {
				var ws []float64
				ts := &typesetter{fonts: faces(t), style: DefaultStyle()}
				for _, ln := range got {
					ws = append(ws, ts.textWidth(ln, "title", 22))
				}
				if !trapezoidOrDiamond(ws) {
					t.Errorf("lines %q are an hourglass", got)
				}
			}
			// The PDF's lines are the same.
			if pl := lines(c.Pages, "title"); len(pl) != 1 || pl[0] != tt.title {
				t.Errorf("title items %q", pl)
			}
		})
	}
}

func TestSignatureBreaksBetweenWords(t *testing.T) {
	st := DefaultStyle()
	c := st.cell()
	for _, agency := range []string{
		"新疆維吾爾自治區伊犁哈薩克自治州霍爾果斯市人民政府辦公室",
		"内蒙古自治区兴安盟科尔沁右翼前旗政务服务和数据管理局",
	} {
		sig := &Signature{Agency: agency, Date: "2025年1月9日"}
		comp, err := Compose(context.Background(), &Document{Blocks: []Block{para("正文。"), sig}}, faces(t), st)
		if err != nil {
			t.Fatal(err)
		}
		ss := comp.Signatures[sig]
		checkWordLines(t, agency, ss.Agency, 2)
		if len(ss.Agency) != 2 {
			t.Errorf("%s: %d lines", agency, len(ss.Agency))
		}
		// Right-aligned two characters in; the date starts two characters
		// right of the first line's first character.
		var ag, dt []Item
		for _, it := range comp.Pages[len(comp.Pages)-1].Items {
			switch it.Box {
			case "signature agency":
				ag = append(ag, it)
			case "signature date":
				dt = append(dt, it)
			}
		}
		if d := ss.AgencyRight - 2*c; d < -0.5 || d > 0.5 {
			t.Errorf("%s: agency right indent %.1f pt, want %.1f", agency, ss.AgencyRight, 2*c)
		}
		if d := dt[0].X - ag[0].X - 2*c; d < -0.5 || d > 0.5 {
			t.Errorf("%s: the date starts %.1f pt right of the agency, want %.1f", agency, dt[0].X-ag[0].X, 2*c)
		}
	}
}

func TestWordBreaksRanks(t *testing.T) {
	for _, tt := range []struct {
		text string
		at   int // a break before rune at
		rank int // -1: no break
	}{
		{"广州市市场监督管理局", 2, -1}, // 广州|市
		{"广州市市场监督管理局", 3, rankPlace},
		{"广州市市场监督管理局", 4, -1}, // 市|场
		{"某县人民政府办公室", 6, rankInside},
		{"某县人民政府2024年", 6, rankYear},
		{"某县人民政府2024年", 8, -1},
		{"某县人民政府2024年", 10, -1}, // 2024|年
	} {
		b := wordBreaks([]rune(tt.text), reportWords, 0)
		r, ok := b[tt.at]
		if !ok {
			r = -1
		}
		if r != tt.rank {
			t.Errorf("%s before rune %d: rank %d, want %d", tt.text, tt.at, r, tt.rank)
		}
	}
}

// TestLongSignatureKeptWithText: a two-line agency, its date and the
// blank line need four lines; with three left, the last paragraph's line
// goes over with the whole block.
func TestLongSignatureKeptWithText(t *testing.T) {
	var blocks []Block
	for range 18 {
		blocks = append(blocks, para("一行。"))
	}
	blocks = append(blocks, para("最后一段。"), &Signature{Agency: "新疆维吾尔自治区伊犁哈萨克自治州霍尔果斯市人民政府办公室", Date: "2025年1月9日"})
	pages := paginate(t, blocks...)
	if len(pages) != 2 {
		t.Fatalf("%d pages", len(pages))
	}
	var sig, last int
	for _, it := range pages[1].Items {
		switch {
		case strings.HasPrefix(it.Box, "signature"):
			sig++
		case strings.HasPrefix(it.Box, "paragraph") && strings.Contains(it.Text, "最后一段"):
			last++
		}
	}
	if last == 0 || sig < 3 {
		t.Errorf("page 2 holds %d items of the last paragraph and %d of the signature; want the paragraph's line and the whole block", last, sig)
	}
	for _, it := range pages[0].Items {
		if strings.HasPrefix(it.Box, "signature") {
			t.Errorf("part of the signature on page 1: %q", it.Text)
		}
	}
}

// TestVeryLongTitle: a title of ten lines (a joint title of many
// agencies) takes the dynamic programme, and still breaks between words.
func TestVeryLongTitle(t *testing.T) {
	title := strings.Repeat("伊犁哈萨克自治州人民政府", 14) + "2024年政府信息公开工作年度报告"
	c, err := Compose(context.Background(), &Document{Blocks: []Block{&Title{Text: title, Words: reportWords}}}, faces(t), DefaultStyle())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ts := range c.Titles {
		got = ts.Lines
	}
	if strings.Join(got, "") != title || len(got) < 8 {
		t.Fatalf("lines %q", got)
	}
	at := 0
	for _, ln := range got[:len(got)-1] {
		at += len([]rune(ln))
		if w := splits(title, at); w != "" {
			t.Errorf("break after %q splits %q", ln, w)
		}
		if !strings.HasSuffix(ln, "州") && !strings.HasSuffix(ln, "政府") && !strings.HasSuffix(ln, "年") {
			t.Errorf("line %q does not end at a word", ln)
		}
	}
}

// nameUnits are the format files' units of agency names (names.units).
var nameUnits = []TitleWord{
	{Word: "人民政府办公室", Unit: true}, {Word: "管理委员会", Unit: true}, {Word: "街道办事处", Unit: true},
	{Word: "办事处", Unit: true, Suffix: true}, {Word: "分局", Unit: true, Suffix: true}, {Word: "办公室", Unit: true, Suffix: true},
}

// TestUnitsNotSplit: a title's and the signature's lines never split a
// unit of agency names, nor break before one that closes the name before
// it (issue 22). Without the units the first title broke 人民政府|办公室
// and the second 分局|办公室.
func TestUnitsNotSplit(t *testing.T) {
	for _, agency := range []string{
		"内蒙古自治区兴安盟科尔沁右翼前旗人民政府办公室",
		"河北省邢台市自然资源和规划局信都区分局办公室",
		"新疆维吾尔自治区乌鲁木齐经济技术开发区管理委员会",
		"北京市西城区人民政府西长安街街道办事处",
		"新疆维吾尔自治区伊犁哈萨克自治州霍尔果斯市人民政府办公室",
		"河北省邢台市自然资源和规划局信都区分局邢台市自然资源和规划局信都区分局",
	} {
		title := agency + "2025年政府信息公开工作年度报告"
		doc := &Document{Blocks: []Block{
			&Title{Text: title, Words: append(slices.Clone(reportWords), nameUnits...), Break: len([]rune(agency))},
			para("正文。"),
			&Signature{Agency: agency, Date: "2025年1月20日", Words: nameUnits},
		}}
		c, err := Compose(context.Background(), doc, faces(t), DefaultStyle())
		if err != nil {
			t.Fatal(err)
		}
		check := func(what string, lines []string) {
			text := strings.Join(lines, "")
			at := 0
			for _, ln := range lines[:len(lines)-1] {
				at += len([]rune(ln))
				for _, u := range nameUnits {
					for s := 0; s+len([]rune(u.Word)) <= len([]rune(text)); s++ {
						if string([]rune(text)[s:s+len([]rune(u.Word))]) != u.Word {
							continue
						}
						if (s < at && at < s+len([]rune(u.Word))) || (u.Suffix && s == at) {
							t.Errorf("the %s breaks at %q: %q", what, u.Word, lines)
						}
					}
				}
			}
		}
		for _, ts := range c.Titles {
			check("title", ts.Lines)
		}
		for _, ss := range c.Signatures {
			check("signature", ss.Agency)
		}
	}
}

// TestRuneClasses checks the line breaker's quick character classes
// against their definitions for every code point: the lists of marks that
// may not start or end a line, and Unicode's decimal digits.
func TestRuneClasses(t *testing.T) {
	classes := []struct {
		name       string
		fast, slow func(rune) bool
	}{
		{"isNoStart", isNoStart, func(r rune) bool { return strings.ContainsRune(noLineStart, r) }},
		{"isNoEnd", isNoEnd, func(r rune) bool { return strings.ContainsRune(noLineEnd, r) }},
		{"isDigit", isDigit, func(r rune) bool { return r >= '0' && r <= '9' || unicode.Is(unicode.Nd, r) }},
	}
	for _, c := range classes {
		for r := rune(0); r <= unicode.MaxRune; r++ {
			if got, want := c.fast(r), c.slow(r); got != want {
				t.Errorf("%s(%U) = %v, want %v", c.name, r, got, want)
			}
		}
	}
}
