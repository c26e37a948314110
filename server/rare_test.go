package server

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestValidateFallbackCharacter: a report whose body text holds a character no
// 仿宋 face has (堃) is valid, with a fallback_character warning naming the
// character, the role and the pointer, as `govreport check` gives it.
func TestValidateFallbackCharacter(t *testing.T) {
	s, _ := newServer(t, Config{})
	city, err := os.ReadFile("../testdata/reports/city-bureau-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(string(city), `"preamble": [`+"\n    \"", `"preamble": [`+"\n    \"本报告联系人：王堃。", 1)
	if body == string(city) {
		t.Fatal("city-bureau-2024.json: preamble not found")
	}
	w := do(s, "POST", "/v1/reports/validate", []byte(body))
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	var v struct {
		Valid    bool
		Warnings []struct{ Pointer, Code, Message, Message_zh string }
	}
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, x := range v.Warnings {
		if x.Code != "fallback_character" {
			continue
		}
		n++
		if x.Pointer != "/preamble/0" || !strings.Contains(x.Message, `U+5803 "堃"`) || !strings.Contains(x.Message, "body (仿宋)") || !strings.Contains(x.Message_zh, "“堃”") {
			t.Errorf("warning %+v, want 堃 in the body (仿宋) role at /preamble/0", x)
		}
	}
	if !v.Valid || n != 1 {
		t.Errorf("valid %v, %d fallback_character warnings, want 1: %s", v.Valid, n, w.Body)
	}
}
