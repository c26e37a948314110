package report

import (
	"errors"
	"strings"
	"testing"
)

// TestPlaceholders: a text holding a placeholder mark is a problem at its
// pointer, wherever it is (agency, title, heading, paragraph, signature);
// with Draft a warning, at most MaxProblems of them.
func TestPlaceholders(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           string
	}{
		{"agency", `"agency": "测试县人民政府"`, `"agency": "（机关名称）"`, "/agency"},
		{"title", `"year": 2024,`, `"year": 2024, "title": "（机关名称）2024年报告",`, "/title"},
		{"heading", `{"heading": "存在问题"`, `{"heading": "存在问题（请填写）"`, "/problems/0/heading"},
		{"paragraph", `"paragraphs": ["问题。"]`, `"paragraphs": ["问题。", "（请补充联系方式。）"]`, "/problems/0/paragraphs/1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := strings.Replace(minimal, tt.old, tt.new, 1)
			if data == minimal {
				t.Fatalf("%q is not in the test report", tt.old)
			}
			_, probs := decode(t, []byte(data))
			if len(probs) != 1 || probs[0].Code != "placeholder" || probs[0].Pointer != tt.want {
				t.Fatalf("problems %v, want one placeholder at %s", probs, tt.want)
			}
			r, err := Decode([]byte(data), Options{Now: now, Formats: testFormats, Draft: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Warnings) != 1 || r.Warnings[0].Pointer != tt.want {
				t.Errorf("draft warnings %v, want one at %s", r.Warnings, tt.want)
			}
		})
	}

	// Many placeholders: every one a problem (listed up to MaxProblems),
	// and a draft's warnings capped as problems are.
	many := `"paragraphs": ["问题。"` + strings.Repeat(`, "（请填写）"`, 3*MaxProblems) + `]`
	data := strings.Replace(minimal, `"paragraphs": ["问题。"]`, many, 1)
	_, err := Decode([]byte(data), Options{Now: now, Formats: testFormats})
	var perr *Error
	if !errors.As(err, &perr) || perr.Total() != 3*MaxProblems {
		t.Fatalf("%v: want %d placeholder problems", err, 3*MaxProblems)
	}
	r, err := Decode([]byte(data), Options{Now: now, Formats: testFormats, Draft: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) != MaxProblems {
		t.Errorf("%d draft warnings, want %d", len(r.Warnings), MaxProblems)
	}
}
