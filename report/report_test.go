package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// now fixes the clock of every test: the year bound depends on it.
var now = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// testFormats are the format files, read as the templates package embeds
// them.
var testFormats = func() []*Format {
	files, err := filepath.Glob("../templates/formats/*.json")
	if err != nil || len(files) == 0 {
		panic(fmt.Sprintf("no format files: %v", err))
	}
	var out []*Format
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			panic(err)
		}
		f, err := ParseFormat(data)
		if err != nil {
			panic(fmt.Sprintf("%s: %v", file, err))
		}
		out = append(out, f)
	}
	return out
}()

func decode(t testing.TB, data []byte) (*Report, []Problem) {
	t.Helper()
	r, err := Decode(data, Options{Now: now, Formats: testFormats})
	if err == nil {
		return r, nil
	}
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("Decode returned %T %v, want *Error", err, err)
	}
	return nil, perr.Problems
}

func reportFiles(t testing.TB, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "reports", pattern))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files %s: %v", pattern, err)
	}
	return files
}

func validFiles(t testing.TB) []string {
	var out []string
	for _, f := range reportFiles(t, "*.json") {
		if !strings.HasPrefix(filepath.Base(f), "invalid-") {
			out = append(out, f)
		}
	}
	return out
}

func TestValidReports(t *testing.T) {
	files := validFiles(t)
	if len(files) < 4 {
		t.Fatalf("want the seed and at least three more valid reports, have %d", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r, probs := decode(t, data)
			if probs != nil {
				t.Fatalf("valid report rejected: %v", probs)
			}
			if r.Title == "" || r.Signature.Agency == "" || r.Signature.Date.Year == 0 {
				t.Errorf("defaults not applied: title %q, signature %+v", r.Title, r.Signature)
			}
			for _, p := range r.Format.CellPointers() {
				if _, ok := r.Cell(p); !ok {
					t.Errorf("cell %s has no value", p)
				}
			}
		})
	}
}

func TestSeedReport(t *testing.T) {
	data, err := os.ReadFile("../testdata/reports/yongxing-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	r, probs := decode(t, data)
	if probs != nil {
		t.Fatal(probs)
	}
	if got, want := r.Signature.Date.Chinese(), "2025年1月20日"; got != want {
		t.Errorf("date = %q, want %q", got, want)
	}
	if len(r.Section("overview")) != 5 || !r.Section("overview")[0].RunIn || r.Section("overview")[0].Heading != "主動公開情況" {
		t.Errorf("overview = %+v", r.Section("overview"))
	}
	if got := r.Section("overview")[2].ParagraphPointer(0); got != "/overview/2/paragraphs/0" {
		t.Errorf("pointer = %q", got)
	}
	if len(r.Warnings) != 0 || len(r.Computed()) != 0 {
		t.Errorf("warnings %v, computed %v", r.Warnings, r.Computed())
	}
}

// minimal is a valid report to mutate in tests.
const minimal = `{
  "format": "gov-info-disclosure/2021",
  "agency": "测试县人民政府",
  "year": 2024,
  "overview": ["概述。"],
  "proactive_disclosure": {
    "rules": {"issued": 1, "repealed": 0, "in_force": 3},
    "normative_documents": {"issued": 2, "repealed": 1, "in_force": 9},
    "licensing_decisions": 316441, "penalty_decisions": 12, "coercion_decisions": 0,
    "fee_income_wan_yuan": 2.00
  },
  "applications": {
    "new_requests":    {"natural_person": 3, "commercial_enterprise": 1, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
    "carried_over":    {"natural_person": 1, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
    "outcomes": {
      "disclosed":           {"natural_person": 2, "commercial_enterprise": 1, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
      "partially_disclosed": {"natural_person": 1, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
      "withheld": {
        "state_secret": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
        "prohibited_by_law": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
        "three_security_one_stability": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
        "third_party_rights": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
        "internal_affairs": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
        "process_information": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
        "enforcement_files": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
        "administrative_query": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0}
      },
      "unable_to_provide": {
        "not_held": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
        "needs_creation": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
        "still_unclear": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0}
      },
      "not_processed": {
        "petition_or_complaint": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
        "duplicate": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
        "publication": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
        "excessive_repeated": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
        "confirmation": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0}
      },
      "other_handling": {
        "overdue_correction": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
        "overdue_fee": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
        "other": {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0}
      }
    },
    "carried_forward": {"natural_person": 1, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0}
  },
  "reviews_and_litigation": {
    "administrative_review":   {"upheld": 1, "corrected": 1, "other": 0, "pending": 1},
    "litigation_direct":       {"upheld": 0, "corrected": 0, "other": 0, "pending": 2, "total": 2},
    "litigation_after_review": {"upheld": 0, "corrected": 0, "other": 0, "pending": 0}
  },
  "problems": [{"heading": "存在问题", "paragraphs": ["问题。"]}],
  "other_matters": ["无。"],
  "signature": {"date": "2025-01-20"}
}`

// TestDecimalString: an amount may be sent as a decimal string, the form
// generated clients send; it prints as written, like the number it spells,
// trailing zeros included.
func TestDecimalString(t *testing.T) {
	for _, tt := range []struct{ lit, text string }{
		{`2.00`, "2.00"},
		{`"2.00"`, "2.00"},
		{`"123456.7891"`, "123456.7891"},
		{`123456.7891`, "123456.7891"},
		{`"999999999999.9999"`, "999999999999.9999"},
		{`"0"`, "0"},
		{`"0.5"`, "0.5"},
	} {
		r, probs := decode(t, []byte(strings.Replace(minimal, `"fee_income_wan_yuan": 2.00`, `"fee_income_wan_yuan": `+tt.lit, 1)))
		if probs != nil {
			t.Fatalf("%s: %v", tt.lit, probs)
		}
		if v, _ := r.Cell("/proactive_disclosure/fee_income_wan_yuan"); v.Text != tt.text || v.Null {
			t.Errorf("%s: %+v, want %s", tt.lit, v, tt.text)
		}
	}
}

func TestComputedTotals(t *testing.T) {
	r, probs := decode(t, []byte(minimal))
	if probs != nil {
		t.Fatal(probs)
	}
	tests := []struct {
		ptr  string
		text string
	}{
		{"/applications/new_requests/total", "4"},
		{"/applications/outcomes/total/natural_person", "3"},
		{"/applications/outcomes/total/commercial_enterprise", "1"},
		{"/applications/outcomes/total/total", "4"},
		{"/applications/carried_forward/total", "1"},
		{"/reviews_and_litigation/administrative_review/total", "3"},
		{"/proactive_disclosure/fee_income_wan_yuan", "2.00"},
		{"/proactive_disclosure/licensing_decisions", "316441"},
	}
	for _, tt := range tests {
		v, ok := r.Cell(tt.ptr)
		if !ok || v.Text != tt.text {
			t.Errorf("%s = %+v, want %s", tt.ptr, v, tt.text)
		}
	}
	if v, _ := r.Cell("/reviews_and_litigation/litigation_direct/total"); v.Computed {
		t.Error("a given total is marked computed")
	}
	if got := len(r.Computed()); got != 24+7+2 {
		t.Errorf("%d totals computed, want %d", got, 24+7+2)
	}
	if r.Title != "测试县人民政府2024年政府信息公开工作年度报告" || r.Signature.Agency != "测试县人民政府" {
		t.Errorf("defaults: %q %q", r.Title, r.Signature.Agency)
	}
}

// TestProblems names each error class at its pointer, independently of the
// golden files.
func TestProblems(t *testing.T) {
	tests := []struct {
		name, old, new string
		pointer, code  string
	}{
		{"string count", `"licensing_decisions": 316441`, `"licensing_decisions": "减4"`, "/proactive_disclosure/licensing_decisions", "type"},
		{"negative", `"penalty_decisions": 12`, `"penalty_decisions": -12`, "/proactive_disclosure/penalty_decisions", "range"},
		{"fraction", `"penalty_decisions": 12`, `"penalty_decisions": 1.5`, "/proactive_disclosure/penalty_decisions", "integer"},
		{"huge exponent", `"penalty_decisions": 12`, `"penalty_decisions": 1e999999999`, "/proactive_disclosure/penalty_decisions", "range"},
		{"too large", `"penalty_decisions": 12`, `"penalty_decisions": 1e12`, "/proactive_disclosure/penalty_decisions", "range"},
		{"fee places", `2.00`, `2.00001`, "/proactive_disclosure/fee_income_wan_yuan", "decimal"},
		{"fee places written", `2.00`, `1.00000`, "/proactive_disclosure/fee_income_wan_yuan", "decimal"},
		{"fee string places", `2.00`, `"2.00001"`, "/proactive_disclosure/fee_income_wan_yuan", "decimal"},
		{"fee string places written", `2.00`, `"1.00000"`, "/proactive_disclosure/fee_income_wan_yuan", "decimal"},
		{"fee string sign", `2.00`, `"-2"`, "/proactive_disclosure/fee_income_wan_yuan", "decimal"},
		{"fee string exponent", `2.00`, `"2e3"`, "/proactive_disclosure/fee_income_wan_yuan", "decimal"},
		{"fee string leading zero", `2.00`, `"02"`, "/proactive_disclosure/fee_income_wan_yuan", "decimal"},
		{"fee string bare point", `2.00`, `"2."`, "/proactive_disclosure/fee_income_wan_yuan", "decimal"},
		{"fee string words", `2.00`, `"两万"`, "/proactive_disclosure/fee_income_wan_yuan", "decimal"},
		{"fee string empty", `2.00`, `""`, "/proactive_disclosure/fee_income_wan_yuan", "decimal"},
		{"fee string too large", `2.00`, `"1000000000000"`, "/proactive_disclosure/fee_income_wan_yuan", "range"},
		{"count string", `"penalty_decisions": 12`, `"penalty_decisions": "12"`, "/proactive_disclosure/penalty_decisions", "type"},
		{"unknown key", `"year": 2024,`, `"year": 2024, "yaer": 2024,`, "/yaer", "unknown_field"},
		{"duplicate key", `"year": 2024,`, `"year": 2024, "year": 2024,`, "/year", "duplicate_key"},
		{"impossible date", `2025-01-20`, `2026-02-30`, "/signature/date", "date"},
		{"date format", `2025-01-20`, `2025-1-20`, "/signature/date", "date"},
		{"date before year", `2025-01-20`, `2023-12-31`, "/signature/date", "range"},
		{"year too early", `"year": 2024`, `"year": 2020`, "/year", "range"},
		{"year too late", `"year": 2024`, `"year": 2028`, "/year", "range"},
		{"year fraction", `"year": 2024`, `"year": 2024.5`, "/year", "integer"},
		{"outside BMP", `"概述。"`, `"概述𠀀。"`, "/overview/0", "outside_bmp"},
		{"control", `"概述。"`, `"概述\u0001。"`, "/overview/0", "control_character"},
		{"newline", `"概述。"`, `"概述\n。"`, "/overview/0", "newline"},
		{"lone surrogate", `"概述。"`, `"概述\ud800。"`, "/overview/0", "surrogate"},
		{"lone low surrogate", `"概述。"`, `"概述\udc00\u0041。"`, "/overview/0", "surrogate"},
		{"empty paragraph", `"概述。"`, `"  "`, "/overview/0", "empty"},
		{"empty section", `"other_matters": ["无。"]`, `"other_matters": []`, "/other_matters", "empty"},
		{"missing", `"signature": {"date": "2025-01-20"}`, `"signature": {}`, "/signature/date", "required"},
		{"format", `"gov-info-disclosure/2021"`, `"gov-info-disclosure/2016"`, "/format", "format"},
		{"heading type", `"paragraphs": ["问题。"]`, `"paragraphs": "问题。"`, "/problems/0/paragraphs", "type"},
		{"run_in type", `"paragraphs": ["问题。"]`, `"paragraphs": ["问题。"], "run_in": 1`, "/problems/0/run_in", "type"},
		{"block type", `"other_matters": ["无。"]`, `"other_matters": [42]`, "/other_matters/0", "type"},
		{"one wrong cell in table 三", `"disclosed":           {"natural_person": 2, "commercial_enterprise": 1`, `"disclosed":           {"natural_person": 2, "commercial_enterprise": 2`, "/applications/outcomes/disclosed/commercial_enterprise", ""},
		{"wrong given total", `"pending": 2, "total": 2`, `"pending": 2, "total": 3`, "/reviews_and_litigation/litigation_direct/total", "check"},
		{"syntax", `"year": 2024,`, `"year": 2024,,`, "", "syntax"},
		{"null top", minimal, `null`, "", "type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(minimal, tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			data := strings.Replace(minimal, tt.old, tt.new, 1)
			_, probs := decode(t, []byte(data))
			if len(probs) == 0 {
				t.Fatal("accepted")
			}
			if tt.code == "" { // the wrong cell breaks sums: a check names it
				found := false
				for _, p := range probs {
					if p.Code == "check" && p.Pointer == "/applications/carried_forward/commercial_enterprise" {
						found = true
					}
				}
				if !found {
					t.Fatalf("no check problem at the carried-forward column: %v", probs)
				}
				return
			}
			for _, p := range probs {
				if p.Pointer == tt.pointer && p.Code == tt.code {
					if p.Message == "" || p.MessageZh == "" {
						t.Errorf("message missing: %+v", p)
					}
					return
				}
			}
			t.Fatalf("want %s at %q, got %v", tt.code, tt.pointer, probs)
		})
	}
}

// TestProblemCap sends 170,000 distinct unknown keys: the error lists the
// first MaxProblems in document order and counts the rest, so the answer
// stays small however hostile the input.
func TestProblemCap(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{`)
	const n = 170000
	for i := range n {
		fmt.Fprintf(&b, `"k%d":0,`, i)
	}
	data := strings.Replace(minimal, "{", b.String(), 1)
	_, err := Decode([]byte(data), Options{Now: now, Formats: testFormats})
	var perr *Error
	if !errors.As(err, &perr) {
		t.Fatalf("want *Error, got %v", err)
	}
	if len(perr.Problems) != MaxProblems || perr.Total() != n {
		t.Fatalf("%d problems listed, %d in all; want %d of %d", len(perr.Problems), perr.Total(), MaxProblems, n)
	}
	if perr.Problems[0].Pointer != "/k0" || perr.Problems[MaxProblems-1].Pointer != fmt.Sprintf("/k%d", MaxProblems-1) {
		t.Errorf("not the first problems: %s … %s", perr.Problems[0].Pointer, perr.Problems[MaxProblems-1].Pointer)
	}
	if !strings.Contains(perr.Error(), fmt.Sprint(n)) {
		t.Errorf("the message does not count every problem: %v", perr)
	}
}

// TestProblemCapDocumentOrder: the problems listed are the first
// MaxProblems in document order even when a later one is found first: a
// duplicate key (found before the object's fields) or a failed 勾稽 check
// (found after every field) does not take the place of an earlier problem,
// nor lose its own to later ones.
func TestProblemCapDocumentOrder(t *testing.T) {
	var unknown strings.Builder
	for i := range MaxProblems + 50 {
		fmt.Fprintf(&unknown, `"k%d":0,`, i)
	}
	wrongCheck := strings.Replace(minimal, `"commercial_enterprise": 1, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
      "partially_disclosed"`, `"commercial_enterprise": 1, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
      "total": {"natural_person": 3, "commercial_enterprise": 4, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0, "total": 7},
      "partially_disclosed"`, 1)
	_, checks := decode(t, []byte(wrongCheck))
	if len(checks) == 0 || checks[0].Code != "check" {
		t.Fatalf("the wrong value gives %v", checks)
	}
	end := strings.LastIndex(wrongCheck, "}")
	tests := []struct {
		name, data  string
		extra       int // problems besides the unknown keys
		first, last string
	}{
		{"duplicate key at the end", strings.Replace(minimal, "{", "{"+unknown.String(), 1)[:len(minimal)+unknown.Len()-1] + `, "agency": "重复"}`,
			1, "/k0", fmt.Sprintf("/k%d", MaxProblems-1)},
		{"failed check before many unknown keys", wrongCheck[:end] + "," + strings.TrimSuffix(unknown.String(), ",") + "}",
			len(checks), checks[0].Pointer, fmt.Sprintf("/k%d", MaxProblems-1-len(checks))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.data), Options{Now: now, Formats: testFormats})
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("want *Error, got %v", err)
			}
			if len(perr.Problems) != MaxProblems || perr.Total() != MaxProblems+50+tt.extra {
				t.Fatalf("%d problems listed, %d in all; want %d of %d", len(perr.Problems), perr.Total(), MaxProblems, MaxProblems+50+tt.extra)
			}
			if got := perr.Problems[0].Pointer + " … " + perr.Problems[MaxProblems-1].Pointer; got != tt.first+" … "+tt.last {
				t.Errorf("listed %s, want %s … %s", got, tt.first, tt.last)
			}
		})
	}
}

func TestWrongCellNamedByPointer(t *testing.T) {
	data := strings.Replace(minimal, `"commercial_enterprise": 1, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
      "partially_disclosed"`, `"commercial_enterprise": 1, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0},
      "total": {"natural_person": 3, "commercial_enterprise": 4, "research_institution": 0, "social_welfare_org": 0, "legal_service_org": 0, "other_org": 0, "total": 7},
      "partially_disclosed"`, 1)
	_, probs := decode(t, []byte(data))
	want := "/applications/outcomes/total/commercial_enterprise"
	for _, p := range probs {
		if p.Pointer == want && p.Code == "check" && strings.Contains(p.MessageZh, "实为 4，而各办理结果之和为 1") {
			return
		}
	}
	t.Fatalf("no check problem at %s naming expected and given values: %v", want, probs)
}

func TestAllProblemsInDocumentOrder(t *testing.T) {
	data := strings.NewReplacer(`"year": 2024`, `"year": "2024"`, `"penalty_decisions": 12`, `"penalty_decisions": -1`,
		`"date": "2025-01-20"`, `"date": "2025-13-01"`).Replace(minimal)
	_, probs := decode(t, []byte(data))
	var got []string
	for _, p := range probs {
		got = append(got, p.Pointer)
	}
	want := []string{"/year", "/proactive_disclosure/penalty_decisions", "/signature/date"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("problems %v, want %v", got, want)
	}
}

func TestSyntaxLineColumn(t *testing.T) {
	_, probs := decode(t, []byte("{\n  \"format\": \"x\",\n  \"year\": 20 24\n}"))
	if len(probs) != 1 || probs[0].Line != 3 || probs[0].Column != 14 || probs[0].Code != "syntax" {
		t.Fatalf("got %+v", probs)
	}
	_, probs = decode(t, []byte(`{"agency": "a`))
	if len(probs) != 1 || probs[0].Code != "syntax" || probs[0].Line != 1 {
		t.Fatalf("truncated: %+v", probs)
	}
	_, probs = decode(t, []byte("{}\n{}"))
	if len(probs) != 1 || probs[0].Code != "syntax" || probs[0].Line != 2 || probs[0].Column != 1 {
		t.Fatalf("trailing: %+v", probs)
	}
	_, probs = decode(t, []byte("{\"a\": \"\xff\"}"))
	if len(probs) != 1 || probs[0].Code != "encoding" || probs[0].Column != 8 {
		t.Fatalf("encoding: %+v", probs)
	}
	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	_, probs = decode(t, []byte(deep))
	if len(probs) != 1 || probs[0].Code != "syntax" {
		t.Fatalf("deep: %+v", probs)
	}
}

func TestNullAndChecksWarn(t *testing.T) {
	data := strings.Replace(minimal, `"issued": 1, "repealed": 0`, `"issued": null, "repealed": 0`, 1)
	data = strings.Replace(data, `"pending": 2, "total": 2`, `"pending": 2, "total": 5`, 1)
	if _, probs := decode(t, []byte(data)); len(probs) != 1 || probs[0].Code != "check" {
		t.Fatalf("strict: %v", probs)
	}
	r, err := Decode([]byte(data), Options{Now: now, ChecksWarn: true, Formats: testFormats})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, w := range r.Warnings {
		codes = append(codes, w.Pointer+" "+w.Code)
	}
	want := "/proactive_disclosure/rules/issued null,/reviews_and_litigation/litigation_direct/total check"
	if strings.Join(codes, ",") != want {
		t.Fatalf("warnings %v, want %s", codes, want)
	}
	if v, _ := r.Cell("/proactive_disclosure/rules/issued"); !v.Null || v.Text != "/" {
		t.Errorf("null cell = %+v", v)
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		lit    string
		places int
		mag    int
		dec    string
	}{
		{"0", 0, 0, "0"},
		{"2.02", 2, 1, "2.02"},
		{"2.00", 0, 1, "2"},
		{"316441", 0, 6, "316441"},
		{"1e3", 0, 4, "1000"},
		{"1.5E-3", 4, -2, "0.0015"},
		{"0.0001", 4, -3, "0.0001"},
		{"999999999999", 0, 12, "999999999999"},
	}
	for _, tt := range tests {
		n, ok := parseNumber(tt.lit)
		if !ok || n.places() != tt.places || n.magnitude() != tt.mag || n.decimal() != tt.dec {
			t.Errorf("%s: places %d mag %d dec %s", tt.lit, n.places(), n.magnitude(), n.decimal())
		}
	}
}

func BenchmarkDecodeSeed(b *testing.B) {
	data, err := os.ReadFile("../testdata/reports/yongxing-2024.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data, Options{Now: now, Formats: testFormats}); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, file := range reportFiles(f, "*.json") {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		// Large seeds starve the mutator (each execution copies and
		// compares the whole input); the size limits have unit tests.
		if len(data) <= 32<<10 {
			f.Add(data)
		}
	}
	f.Add([]byte(minimal))
	f.Add([]byte(`{"year": 1e999999999, "format": -0.0e-5}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Decode(data, Options{Now: now, Formats: testFormats})
		if err == nil {
			if r == nil || r.Title == "" {
				t.Fatal("accepted without a title")
			}
			for _, p := range r.Format.CellPointers() {
				if _, ok := r.Cell(p); !ok {
					t.Fatalf("accepted with cell %s missing", p)
				}
			}
			return
		}
		var perr *Error
		if !errors.As(err, &perr) || len(perr.Problems) == 0 {
			t.Fatalf("error without problems: %v", err)
		}
		for _, p := range perr.Problems {
			if p.Code == "" || p.Message == "" || p.MessageZh == "" {
				t.Fatalf("incomplete problem %+v", p)
			}
		}
	})
}

// FuzzParse checks the hand-written JSON parser against encoding/json: the
// same documents are valid, and read with the primitives the decoder uses,
// they hold the same values; a string cut to a length is a prefix of its
// text ending at a character, and count counts an array's elements.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"a":[1,-2.5e3,true,false,null,"x\u00e9\ud83d\ude00\n"]}`, `[`, `{"a" 1}`, `"\ud800"`, `01`, `-`, `1.`, `{"a":1,}`, "\"\t\"", `["永兴\u00e9x", [], {}]`, `{“a”: ‘b’}`, `[－１２．５, 1２]`, "{\"a\": \"x”,\n}", `{"a"：1，}`, `[1,]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := scan(data)
		if !utf8.Valid(data) || bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) || bytes.Count(data, []byte("[")) > maxDepth || bytes.Count(data, []byte("{")) > maxDepth {
			return // we accept a BOM and limit depth; encoding/json does neither
		}
		valid := json.Valid(data)
		if (err == nil) != valid {
			t.Fatalf("scan error %v, json.Valid %v, for %q", err, valid, data)
		}
		if err != nil {
			return
		}
		var want any
		if json.Unmarshal(data, &want) != nil {
			return // a number beyond float64: valid JSON, not comparable
		}
		p := newParser(data)
		got := build(t, p)
		if p.end(); p.err != nil {
			t.Fatalf("reading %q: %s at %d", data, p.err.msg, p.err.off)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("parse = %#v, encoding/json = %#v", got, want)
		}
	})
}

// build reads the value at the parser into what encoding/json gives for
// any (nil for an object with a repeated key: the first wins here, the
// last there, so keys compare only when unique).
func build(t *testing.T, p *parser) any {
	switch c := p.peek(); {
	case c == '{':
		m := map[string]any{}
		dup := false
		p.members(1, func(key []byte, _ int) {
			k := string(key)
			if _, ok := m[k]; ok {
				dup = true
				p.skip(0)
				return
			}
			m[k] = build(t, p)
		})
		if dup {
			return nil
		}
		return m
	case c == '[':
		n := p.count(1)
		a := []any{}
		p.elements(1, func(int) { a = append(a, build(t, p)) })
		if n != len(a) {
			t.Fatalf("count %d, %d elements", n, len(a))
		}
		return a
	case c == '"':
		start := p.pos
		s, whole, _ := p.str(-1)
		full := string(s)
		if !whole {
			t.Fatalf("str(-1) of %q cut", full)
		}
		for _, max := range []int{0, 1, 2, 5} {
			end := p.pos
			p.pos = start
			s, whole, _ := p.str(max)
			if p.pos != end || len(s) > max || !strings.HasPrefix(full, string(s)) || !utf8.Valid(s) || whole != (len(full) <= max) {
				t.Fatalf("str(%d) of %q = %q, whole %v", max, full, s, whole)
			}
		}
		return full
	case c == '-' || '0' <= c && c <= '9':
		f, _ := strconv.ParseFloat(string(p.number()), 64)
		return f
	case c == 't' || c == 'f':
		p.skip(0)
		return c == 't'
	}
	p.skip(0)
	return nil
}

// TestFormat2019 decodes reports in the 2019 trial format: its own table
// 二 (a change may be negative, a count may not), its years (before 2019
// an error, after 2020 a stale_format warning), and a hint at the format
// a stray key belongs to.
func TestFormat2019(t *testing.T) {
	data, err := os.ReadFile("../testdata/reports/qinghe-county-2020.json")
	if err != nil {
		t.Fatal(err)
	}
	r, probs := decode(t, data)
	if probs != nil {
		t.Fatalf("rejected: %v", probs)
	}
	if r.Format.ID != "gov-info-disclosure/2019" || len(r.Warnings) != 0 {
		t.Errorf("format %s, warnings %v", r.Format.ID, r.Warnings)
	}
	if v, _ := r.Cell("/proactive_disclosure/licensing/items_change"); v.Int != -2 || v.Text != "-2" {
		t.Errorf("items_change = %+v", v)
	}
	if v, _ := r.Cell("/applications/outcomes/other_handling/total"); v.Int != 1 {
		t.Errorf("other_handling total = %+v", v)
	}
	edit := func(old, new string) []byte {
		t.Helper()
		if !bytes.Contains(data, []byte(old)) {
			t.Fatalf("%q not in the report", old)
		}
		return bytes.Replace(data, []byte(old), []byte(new), 1)
	}
	tests := []struct {
		name, old, new string
		ptr, code      string
		warn           bool
	}{
		{"later year", `"year": 2020`, `"year": 2021`, "/year", "stale_format", true},
		{"earlier year", `"year": 2020`, `"year": 2018`, "/year", "range", false},
		{"negative count", `"made": 3`, `"made": -3`, "/proactive_disclosure/normative_documents/made", "range", false},
		{"2021 key", `"fees": {`, `"fee_income_wan_yuan": 0, "fees": {`, "/proactive_disclosure/fee_income_wan_yuan", "unknown_field", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, probs := decode(t, edit(tt.old, tt.new))
			if tt.warn {
				if probs != nil {
					t.Fatalf("problems %v; want one %s warning at %s", probs, tt.code, tt.ptr)
				}
				if len(r.Warnings) != 1 || r.Warnings[0].Pointer != tt.ptr || r.Warnings[0].Code != tt.code {
					t.Fatalf("warnings %v; want one %s warning at %s", r.Warnings, tt.code, tt.ptr)
				}
				if !strings.Contains(r.Warnings[0].Message, "gov-info-disclosure/2021") {
					t.Errorf("the warning does not name the successor: %s", r.Warnings[0].Message)
				}
				return
			}
			if len(probs) != 1 || probs[0].Pointer != tt.ptr || probs[0].Code != tt.code {
				t.Fatalf("problems %v; want one %s at %s", probs, tt.code, tt.ptr)
			}
			if tt.code == "unknown_field" && !strings.Contains(probs[0].Message, "belongs to format gov-info-disclosure/2021") {
				t.Errorf("no hint at the key's format: %s", probs[0].Message)
			}
		})
	}
}

// TestStaleFormatHint: a 2021 report whose 表二 uses the 2019 keys is told
// which format the keys belong to.
func TestStaleFormatHint(t *testing.T) {
	data, err := os.ReadFile("../testdata/reports/invalid-stale-format.json")
	if err != nil {
		t.Fatal(err)
	}
	_, probs := decode(t, data)
	hinted := 0
	for _, p := range probs {
		if p.Code == "unknown_field" {
			if !strings.Contains(p.Message, "belongs to format gov-info-disclosure/2019") || !strings.Contains(p.MessageZh, "该字段属于格式 gov-info-disclosure/2019") {
				t.Errorf("%s: no hint: %s", p.Pointer, p.Message)
			}
			hinted++
		}
	}
	if hinted == 0 {
		t.Fatalf("no unknown_field problem: %v", probs)
	}
}

// TestOneWrongCell changes each table cell of a report whose totals are all
// given, one at a time: the failure is reported once, at that cell, with
// the value it should have, and no correct cell is blamed. In table 四 a
// cell is in one rule only, so any of the group's five cells could be the
// wrong one: the failure is reported at the group's total.
func TestOneWrongCell(t *testing.T) {
	for _, file := range []string{"qinghe-county-2020.json", "yongxing-2024.json"} {
		data, err := os.ReadFile("../testdata/reports/" + file)
		if err != nil {
			t.Fatal(err)
		}
		r, probs := decode(t, data)
		if probs != nil {
			t.Fatal(probs)
		}
		if len(r.Computed()) != 0 {
			t.Fatalf("%s: the test needs every total given", file)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, ptr := range r.Format.CellPointers() {
			if !strings.HasPrefix(ptr, "/applications/") && !strings.HasPrefix(ptr, "/reviews_and_litigation/") {
				continue
			}
			n++
			v, _ := r.Cell(ptr)
			changed := setPointer(t, doc, ptr, v.Int+3)
			_, probs := decode(t, changed)
			setPointer(t, doc, ptr, v.Int)
			want := ptr
			if strings.HasPrefix(ptr, "/reviews_and_litigation/") {
				want = ptr[:strings.LastIndexByte(ptr, '/')] + "/total"
			}
			if len(probs) != 1 || probs[0].Pointer != want || probs[0].Code != "check" {
				t.Errorf("%s: %s + 3 gives %v; want one check problem at %s", file, ptr, probs, want)
				continue
			}
			if strings.HasPrefix(ptr, "/applications/") && len(probs[0].Breaks) < 2 {
				t.Errorf("%s: %s: breaks %v; want the totals of the rules it breaks", file, ptr, probs[0].Breaks)
			}
			if strings.HasPrefix(ptr, "/applications/") && !strings.Contains(probs[0].Message, fmt.Sprintf("expected %d, got %d", v.Int, v.Int+3)) {
				t.Errorf("%s: %s: %s", file, ptr, probs[0].Message)
			}
		}
		if n < 150 {
			t.Fatalf("%s: only %d cells changed", file, n)
		}
	}
}

// TestWrongCellWithComputedTotals: with every total omitted, a wrong count
// only shows in the balance of 一 + 二 = 三 + 四, where any count of its
// column could be the wrong one; the failures are reported at the balance's
// cells, as before, and the search stays bounded.
func TestWrongCellWithComputedTotals(t *testing.T) {
	data, err := os.ReadFile("../testdata/reports/qinghe-county-2020.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var strip func(v any)
	strip = func(v any) {
		if m, ok := v.(map[string]any); ok {
			delete(m, "total")
			for _, c := range m {
				strip(c)
			}
		}
	}
	strip(doc["applications"])
	setPointer(t, doc, "/applications/outcomes/disclosed/natural_person", 18.0)
	setPointer(t, doc, "/applications/outcomes/withheld/state_secret/other_org", 2.0)
	b, _ := json.Marshal(doc)
	start := time.Now()
	_, probs := decode(t, b)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("decoding took %v", d)
	}
	var ptrs []string
	for _, p := range probs {
		ptrs = append(ptrs, p.Pointer)
	}
	want := []string{"/applications/carried_forward/natural_person", "/applications/carried_forward/other_org", "/applications/carried_forward/total"}
	if !reflect.DeepEqual(ptrs, want) {
		t.Errorf("problems at %v, want %v", ptrs, want)
	}
}

// setPointer sets a value of a decoded JSON document and returns the
// document encoded.
func setPointer(t *testing.T, doc map[string]any, ptr string, v any) []byte {
	t.Helper()
	parts := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	m := doc
	for _, p := range parts[:len(parts)-1] {
		m = m[p].(map[string]any)
	}
	switch x := v.(type) {
	case int64:
		m[parts[len(parts)-1]] = float64(x)
	default:
		m[parts[len(parts)-1]] = v
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTwoWrongCells: two wrong values, in different rows and columns, in
// one row, in a row and a balance, or in two tables, are each reported
// once at the value; a table 四 value at its group's total.
func TestTwoWrongCells(t *testing.T) {
	data, err := os.ReadFile("../testdata/reports/qinghe-county-2020.json")
	if err != nil {
		t.Fatal(err)
	}
	r, probs := decode(t, data)
	if probs != nil {
		t.Fatal(probs)
	}
	const np = "/applications/outcomes/disclosed/natural_person"
	tests := []struct{ changed, want [2]string }{
		{[2]string{np, "/applications/outcomes/withheld/state_secret/other_org"}, [2]string{np, "/applications/outcomes/withheld/state_secret/other_org"}},
		{[2]string{np, "/applications/outcomes/disclosed/other_org"}, [2]string{np, "/applications/outcomes/disclosed/other_org"}},
		{[2]string{np, "/applications/new_requests/natural_person"}, [2]string{"/applications/new_requests/natural_person", np}},
		{[2]string{np, "/reviews_and_litigation/administrative_review/upheld"}, [2]string{np, "/reviews_and_litigation/administrative_review/total"}},
	}
	for _, tt := range tests {
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		var b []byte
		for _, p := range tt.changed {
			v, _ := r.Cell(p)
			b = setPointer(t, doc, p, v.Int+2)
		}
		_, probs := decode(t, b)
		var got []string
		for _, p := range probs {
			got = append(got, p.Pointer)
		}
		if !reflect.DeepEqual(got, tt.want[:]) {
			t.Errorf("%v changed: problems at %v, want %v", tt.changed, got, tt.want)
		}
	}
}

// TestEchoCapped: a problem quotes at most MaxEcho characters of a key or a
// value, in its pointer and both messages, cut at a character and marked
// with …, so a problem's size does not grow with the input's.
func TestEchoCapped(t *testing.T) {
	long := strings.Repeat("永", 10000)
	digits := strings.Repeat("9", 10000)
	gb := "{\"agency\": \"" + strings.Repeat("\xd3\xc0", 5000) + "\"}"
	tests := []struct {
		name, old, new string
		ptr, code      string
	}{
		{"unknown key", `"agency"`, `"` + long + `": 1, "agency"`, "/" + strings.Repeat("永", MaxEcho) + "…", "unknown_field"},
		{"unknown key in a table", `"disclosed":`, `"` + long + `": 1, "disclosed":`, "/applications/outcomes/" + strings.Repeat("永", MaxEcho) + "…", "unknown_field"},
		{"unknown key in a heading", `"paragraphs": ["问题。"]`, `"paragraphs": ["问题。"], "` + long + `": 1`, "/problems/0/" + strings.Repeat("永", MaxEcho) + "…", "unknown_field"},
		{"duplicate unknown key", `"agency"`, `"` + long + `": 1, "` + long + `": 2, "agency"`, "/" + strings.Repeat("永", MaxEcho) + "…", "duplicate_key"},
		{"key with slashes", `"agency"`, `"` + strings.Repeat("/", 10000) + `": 1, "agency"`, "/" + strings.Repeat("~1", MaxEcho) + "…", "unknown_field"},
		{"long number", `"year": 2024`, `"year": ` + digits, "/year", "range"},
		{"long fraction", `"issued": 1`, `"issued": 1.` + digits, "/proactive_disclosure/rules/issued", "integer"},
		{"long string for a count", `"issued": 1`, `"issued": "` + long + `"`, "/proactive_disclosure/rules/issued", "type"},
		{"long format", `"gov-info-disclosure/2021"`, `"` + long + `"`, "/format", "format"},
		{"long date", `"2025-01-20"`, `"` + long + `"`, "/signature/date", "date"},
		{"syntax after a long key", `"agency":`, `"` + long + `" 1, "agency":`, "", "syntax"},
		{"GB18030", minimal, gb, "", "encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(minimal, tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			_, probs := decode(t, []byte(strings.Replace(minimal, tt.old, tt.new, 1)))
			found := false
			for _, p := range probs {
				for _, s := range []string{p.Pointer, p.Message, p.MessageZh} {
					if len(s) > 1000 || !utf8.ValidString(s) {
						t.Errorf("%s: %d bytes: %.200q…", p.Code, len(s), s)
					}
					if strings.Contains(s, strings.Repeat("永", MaxEcho+1)) || strings.Contains(s, strings.Repeat("9", MaxEcho+1)) {
						t.Errorf("%s: more than %d characters quoted: %.200q…", p.Code, MaxEcho, s)
					}
				}
				if p.Pointer == tt.ptr && p.Code == tt.code {
					found = true
					if tt.code != "syntax" && tt.code != "encoding" && !strings.Contains(p.Message, "…") {
						t.Errorf("no ellipsis in %q", p.Message)
					}
				}
			}
			if !found {
				t.Errorf("no %s at %.100q in %.500v", tt.code, tt.ptr, probs)
			}
		})
	}
}

// TestArrayLimits: an array longer than the format allows is one problem
// at its pointer, counting its elements, and nothing in it is read: a
// million elements of the wrong type give no more problems.
func TestArrayLimits(t *testing.T) {
	many := func(n int, elem string) string {
		return "[" + strings.TrimSuffix(strings.Repeat(elem+",", n), ",") + "]"
	}
	tests := []struct {
		name, old, new string
		ptr, msg       string
	}{
		{"blocks", `"other_matters": ["无。"]`, `"other_matters": ` + many(1000000, "0"), "/other_matters", "1000000 blocks; at most 500"},
		{"paragraphs", `"paragraphs": ["问题。"]`, `"paragraphs": ` + many(501, "{}"), "/problems/0/paragraphs", "501 paragraphs; at most 500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(minimal, tt.old) {
				t.Fatalf("fixture lacks %q", tt.old)
			}
			_, err := Decode([]byte(strings.Replace(minimal, tt.old, tt.new, 1)), Options{Now: now, Formats: testFormats})
			var perr *Error
			if !errors.As(err, &perr) || perr.Total() != 1 || perr.Problems[0].Pointer != tt.ptr || perr.Problems[0].Code != "too_large" || perr.Problems[0].Message != tt.msg {
				t.Fatalf("got %v; want one too_large problem at %s: %s", err, tt.ptr, tt.msg)
			}
		})
	}
}
