package templates

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/report"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSchemaCellVariants: a format file whose counts may not be null and
// whose fee has 2 decimal places gets a schema that says so, and schema
// and decoder accept and refuse the same values.
func TestSchemaCellVariants(t *testing.T) {
	data, err := formatFiles.ReadFile("formats/gov-info-disclosure-2021.json")
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	for _, r := range []struct{ old, new string }{
		{`"nullable_count": {"type": "count", "nullable": true,`, `"nullable_count": {"type": "count",`},
		{`"type": "amount", "nullable": true, "places": 4,`, `"type": "amount", "places": 2,`},
	} {
		if !strings.Contains(src, r.old) {
			t.Fatalf("the 2021 format file no longer has %s", r.old)
		}
		src = strings.Replace(src, r.old, r.new, 1)
	}
	rf, err := report.ParseFormat([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	f := &Format{rf}
	raw, err := f.Schema(2027)
	if err != nil {
		t.Fatal(err)
	}
	for _, def := range []string{`"count_non_null"`, `"amount_non_null_places_2"`, `"multipleOf": 0.01`} {
		if !bytes.Contains(raw, []byte(def)) {
			t.Errorf("schema lacks %s", def)
		}
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("variant.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("variant.schema.json")
	if err != nil {
		t.Fatal(err)
	}

	seed, err := os.ReadFile("../testdata/reports/yongxing-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(m map[string]any)
		valid bool
	}{
		{"as is", func(map[string]any) {}, true},
		{"a null count", func(m map[string]any) {
			m["proactive_disclosure"].(map[string]any)["rules"].(map[string]any)["issued"] = nil
		}, false},
		{"a fee of 3 places", func(m map[string]any) {
			m["proactive_disclosure"].(map[string]any)["fee_income_wan_yuan"] = 1.234
		}, false},
		{"a fee of 2 places", func(m map[string]any) {
			m["proactive_disclosure"].(map[string]any)["fee_income_wan_yuan"] = 1.25
		}, true},
		{"a fee of string 1.25", func(m map[string]any) {
			m["proactive_disclosure"].(map[string]any)["fee_income_wan_yuan"] = "1.25"
		}, true},
		{"a fee of string 1.20", func(m map[string]any) {
			m["proactive_disclosure"].(map[string]any)["fee_income_wan_yuan"] = "1.20"
		}, true},
		{"a fee of string 0", func(m map[string]any) {
			m["proactive_disclosure"].(map[string]any)["fee_income_wan_yuan"] = "0"
		}, true},
		{"a fee of string 999999999999.99", func(m map[string]any) {
			m["proactive_disclosure"].(map[string]any)["fee_income_wan_yuan"] = "999999999999.99"
		}, true},
		{"a fee of string 1.234", func(m map[string]any) {
			m["proactive_disclosure"].(map[string]any)["fee_income_wan_yuan"] = "1.234"
		}, false},
		{"a fee of string 1.250", func(m map[string]any) {
			m["proactive_disclosure"].(map[string]any)["fee_income_wan_yuan"] = "1.250"
		}, false},
		{"a fee of string -1", func(m map[string]any) {
			m["proactive_disclosure"].(map[string]any)["fee_income_wan_yuan"] = "-1"
		}, false},
		{"a fee of string 1e2", func(m map[string]any) {
			m["proactive_disclosure"].(map[string]any)["fee_income_wan_yuan"] = "1e2"
		}, false},
		{"a fee of string 01", func(m map[string]any) {
			m["proactive_disclosure"].(map[string]any)["fee_income_wan_yuan"] = "01"
		}, false},
		{"a fee of string 1.", func(m map[string]any) {
			m["proactive_disclosure"].(map[string]any)["fee_income_wan_yuan"] = "1."
		}, false},
		{"a fee of empty string", func(m map[string]any) {
			m["proactive_disclosure"].(map[string]any)["fee_income_wan_yuan"] = ""
		}, false},
		{"a fee of string 1000000000000", func(m map[string]any) {
			m["proactive_disclosure"].(map[string]any)["fee_income_wan_yuan"] = "1000000000000"
		}, false},
		{"a fee of string 一", func(m map[string]any) {
			m["proactive_disclosure"].(map[string]any)["fee_income_wan_yuan"] = "一"
		}, false},
	} {
		var m map[string]any
		if err := json.Unmarshal(seed, &m); err != nil {
			t.Fatal(err)
		}
		tc.edit(m)
		b, _ := json.Marshal(m)
		_, derr := report.Decode(b, report.Options{Formats: []*report.Format{rf}, Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
		inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		serr := schema.Validate(inst)
		if (derr == nil) != tc.valid || (serr == nil) != tc.valid {
			t.Errorf("%s: decoder says %v, schema says %v; want valid=%v", tc.name, derr, serr, tc.valid)
		}
	}
}
