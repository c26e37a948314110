package templates

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// validatorOnly lists the invalid reports whose problem JSON Schema cannot
// express: the 勾稽 checks (sums across cells), a date compared with the
// year, a character budget across a section, and duplicate keys (JSON
// parsers keep one value). An independent validator accepts these; every
// other invalid report it must reject. Files that are not JSON at all
// (syntax, encoding) are outside any schema's reach.
var validatorOnly = map[string]bool{
	"invalid-check-carried-forward.json": true,
	"invalid-check-outcomes-total.json":  true,
	"invalid-check-row-total.json":       true,
	"invalid-check-table4.json":          true,
	"invalid-date-before-year.json":      true,
	"invalid-too-large-section.json":     true,
	"invalid-duplicate-key.json":         true,
}

var notJSON = map[string]bool{
	"invalid-syntax.json":            true,
	"invalid-encoding.json":          true,
	"invalid-encoding-gb18030.json":  true,
	"invalid-trailing-comma.json":    true,
	"invalid-curly-quotes.json":      true,
	"invalid-full-width-digits.json": true,
}

// TestSchemaWithIndependentValidator compiles `govreport schema` with a
// JSON Schema 2020-12 implementation that is not ours and runs the whole
// corpus through it.
func TestSchemaWithIndependentValidator(t *testing.T) {
	all, err := Formats()
	if err != nil {
		t.Fatal(err)
	}
	schemas := map[string]*jsonschema.Schema{}
	for _, f := range all {
		raw, err := f.Schema(2027)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: schema is not JSON: %v", f.ID, err)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource("report.schema.json", doc); err != nil {
			t.Fatal(err)
		}
		if schemas[f.ID], err = c.Compile("report.schema.json"); err != nil {
			t.Fatalf("%s: schema does not compile: %v", f.ID, err)
		}
	}
	// The corpus includes the design's example report, yongxing-2024.json.
	files, _ := filepath.Glob("../testdata/reports/*.json")
	var checked int
	for _, file := range files {
		name := filepath.Base(file)
		if notJSON[name] {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The schema of the format the report names; the latest for a
		// format that does not exist.
		sch := schemas["gov-info-disclosure/2021"]
		if m, ok := inst.(map[string]any); ok {
			if id, ok := m["format"].(string); ok && schemas[id] != nil {
				sch = schemas[id]
			}
		}
		verr := sch.Validate(inst)
		wantValid := !strings.HasPrefix(name, "invalid-") || validatorOnly[name]
		if wantValid && verr != nil {
			t.Errorf("%s: schema rejects it: %v", name, verr)
		}
		if !wantValid && verr == nil {
			t.Errorf("%s: schema accepts an invalid report", name)
		}
		checked++
	}
	if checked < 25 {
		t.Fatalf("only %d reports checked", checked)
	}
}

func TestSchemaDeterministic(t *testing.T) {
	f := format2021(t)
	a, _ := f.Schema(2027)
	b, _ := f.Schema(2027)
	if !bytes.Equal(a, b) {
		t.Fatal("two schemas differ")
	}
	var v map[string]any
	if err := json.Unmarshal(a, &v); err != nil {
		t.Fatal(err)
	}
	if v["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %v", v["$schema"])
	}
	if !bytes.Contains(a, []byte(`表三 “（七）总计” × “商业企业”`)) {
		t.Error("cells are not described with their official labels")
	}
}
