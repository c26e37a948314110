package report

import (
	"strings"
	"testing"
)

// TestSyntaxHints: the syntax errors a clerk makes in Word or by hand are
// named at the character to fix, with the fix: a trailing comma at the
// comma, not at the bracket after it; curly quotes used as string
// delimiters; full-width digits, minus and point in a number.
func TestSyntaxHints(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		line, col int
		en, zh    string
	}{
		{"trailing comma in the report", "{\"year\": 2024,\n}", 1, 14, "trailing comma before '}'", "多余的逗号"},
		{"trailing comma in a nested object", `{"x": {"a": 1, }}`, 1, 14, "trailing comma before '}'", "多余的逗号"},
		{"trailing comma in an array", "{\"x\": [1, 2,\n  ]}", 1, 12, "trailing comma before ']'", "多余的逗号"},
		{"trailing comma in a nested array", `{"x": [[1,], 2]}`, 1, 10, "trailing comma before ']'", "多余的逗号"},
		{"trailing comma before a blank line", "{\"x\": 1,\n\n  \t}", 1, 8, "trailing comma", "多余的逗号"},
		{"curly key", `{“format”: "x"}`, 1, 2, `replace the curly quotes “ ” with straight quotes "`, `请将弯引号 “ ” 改为直引号 "`},
		{"curly value", `{"agency": “某局”}`, 1, 12, `replace the curly quotes “ ” with straight quotes "`, "弯引号"},
		{"curly value in an array", `{"x": ["a", ”b”]}`, 1, 13, "curly quotes", "弯引号"},
		{"single curly quotes", `{"agency": ‘某局’}`, 1, 12, "replace the curly quotes ‘ ’ with straight quotes \"", "弯引号 ‘ ’"},
		{"full-width number", `{"year": ２０２４}`, 1, 10, "full-width digits: write 2024", "全角数字：请写作 2024"},
		{"full-width digit inside a number", `{"a": {"b": 20２4, "c": 1}}`, 1, 15, "full-width digits: write 2024", "请写作 2024"},
		{"full-width minus and point", `{"x": [－１２．５]}`, 1, 8, "full-width digits: write -12.5", "请写作 -12.5"},
		{"full-width point", `{"fee": 1．50}`, 1, 10, "full-width digits: write 1.50", "请写作 1.50"},
		{"closed by a curly quote", "{\"agency\": \"某局”,\n  \"year\": 2024}", 1, 17,
			`if the curly quote ” at line 1, column 15 was meant to end the string, replace it with a straight quote "`, `如第 1 行第 15 列的弯引号 ” 是字符串的结束引号，请改为直引号 "`},
		{"closed by a curly quote at the end", `{"agency": "某局”}`, 1, 17, "curly quote ” at line 1, column 15", "弯引号 ”"},
		{"full-width comma", "{\"year\": 2024，\n\"agency\": \"某局\"}", 1, 14, "replace the full-width comma ， with ,", "全角逗号"},
		{"full-width colon", `{"year"：2024}`, 1, 8, "replace the full-width colon ： with :", "全角冒号"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, probs := decode(t, []byte(tt.in))
			if len(probs) != 1 {
				t.Fatalf("%d problems, want 1: %+v", len(probs), probs)
			}
			p := probs[0]
			if p.Code != "syntax" || p.Line != tt.line || p.Column != tt.col {
				t.Errorf("%s at line %d, column %d; want syntax at %d, %d: %s", p.Code, p.Line, p.Column, tt.line, tt.col, p.Message)
			}
			if !strings.Contains(p.Message, tt.en) || !strings.Contains(p.MessageZh, tt.zh) {
				t.Errorf("messages\n%s\n%s\nwant %q and %q", p.Message, p.MessageZh, tt.en, tt.zh)
			}
		})
	}
}

// TestSyntaxNoFalseHints: a curly quote or a full-width digit inside a
// string is text, and an error elsewhere says nothing of them.
func TestSyntaxNoFalseHints(t *testing.T) {
	for _, in := range []string{
		`{"agency": "“某局”２０２４", "year": 2024,, }`,
		`{"agency": "１２", "x": [1 2]}`,
		`{"x": [1, 2] ]`,
		"{\"overview\": [\"受理“12345”热线36件，\n全年办结。\"]}",
	} {
		_, probs := decode(t, []byte(in))
		if len(probs) != 1 || probs[0].Code != "syntax" {
			t.Fatalf("%s: %+v", in, probs)
		}
		if m := probs[0].Message; strings.Contains(m, "curly") || strings.Contains(m, "full-width") || strings.Contains(m, "trailing") {
			t.Errorf("%s: %s", in, m)
		}
	}
}

// TestMissingCellNamed: a count left out is named by its table, row and
// column, as the 勾稽 problems name cells, not by its JSON key alone; a
// row or column group left out whole is named by its label; a field that
// is no cell keeps its key.
func TestMissingCellNamed(t *testing.T) {
	tests := []struct {
		name, old, new string
		pointer        string
		en, zh         string
	}{
		{"count", `"carried_over":    {"natural_person": 1, `, `"carried_over":    {`, "/applications/carried_over/natural_person",
			`表三 "二、上年结转政府信息公开申请数量" × "自然人": missing ("natural_person" is required)`,
			`表三 “二、上年结转政府信息公开申请数量” × “自然人”: 缺少此项（必填字段 "natural_person"）`},
		{"table 四 count", `{"upheld": 1, "corrected": 1,`, `{"corrected": 1,`, "/reviews_and_litigation/administrative_review/upheld",
			`表四 "行政复议" × "结果维持": missing`, `表四 “行政复议” × “结果维持”: 缺少此项`},
		{"table 二 count", `"rules": {"issued": 1, `, `"rules": {`, "/proactive_disclosure/rules/issued",
			`表二 "规章" × "本年制发件数": missing`, `表二 “规章” × “本年制发件数”: 缺少此项`},
		{"row", `"carried_over":    {"natural_person": 1, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},`, ``, "/applications/carried_over",
			`表三 "二、上年结转政府信息公开申请数量": missing ("carried_over" is required)`, `表三 “二、上年结转政府信息公开申请数量”: 缺少此项（必填字段 "carried_over"）`},
		{"column group", `"litigation_direct":       {"upheld": 0, "corrected": 0, "other": 0, "pending": 2, "total": 2},`, ``, "/reviews_and_litigation/litigation_direct",
			`表四 "未经复议直接起诉": missing`, `表四 “未经复议直接起诉”: 缺少此项`},
		{"not a cell", `"signature": {"date": "2025-01-20"}`, `"signature": {}`, "/signature/date",
			`"date" is required`, `缺少必填字段 "date"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(minimal, tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			_, probs := decode(t, []byte(strings.Replace(minimal, tt.old, tt.new, 1)))
			if len(probs) != 1 {
				t.Fatalf("%d problems, want 1: %+v", len(probs), probs)
			}
			p := probs[0]
			if p.Pointer != tt.pointer || p.Code != "required" {
				t.Errorf("%s at %s, want required at %s", p.Code, p.Pointer, tt.pointer)
			}
			if !strings.HasPrefix(p.Message, tt.en) || !strings.HasPrefix(p.MessageZh, tt.zh) {
				t.Errorf("messages\n%s\n%s\nwant\n%s\n%s", p.Message, p.MessageZh, tt.en, tt.zh)
			}
		})
	}
}
