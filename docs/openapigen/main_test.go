package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// TestOpenAPIUpToDate fails when docs/openapi.yaml's report schemas differ
// from what the templates generate, so the document cannot drift from the
// validator.
func TestOpenAPIUpToDate(t *testing.T) {
	doc, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want, err := generate(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, want) {
		t.Fatal("docs/openapi.yaml is out of date with the templates: run go generate ./docs")
	}
	// And the generator notices a change.
	edited := bytes.Replace(doc, []byte("minimum: 2021"), []byte("minimum: 2020"), 1)
	if bytes.Equal(edited, doc) {
		t.Fatal("no year minimum in the generated schema")
	}
	if again, _ := generate(edited); !bytes.Equal(again, doc) {
		t.Error("the generator does not restore an edited schema")
	}
}

// TestPatternSurvives checks that the text pattern, respelled with YAML's
// escapes, reads back as the very pattern of the served JSON Schema.
func TestPatternSurvives(t *testing.T) {
	doc, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Pattern string `yaml:"pattern"`
				} `yaml:"properties"`
			} `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(doc, &spec); err != nil {
		t.Fatal(err)
	}
	f, err := templates.Lookup("gov-info-disclosure/2021")
	if err != nil {
		t.Fatal(err)
	}
	js, err := f.Schema(2100)
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties map[string]struct {
			Pattern string `json:"pattern"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(js, &schema); err != nil {
		t.Fatal(err)
	}
	want := schema.Properties["agency"].Pattern
	got := spec.Components.Schemas["Report2021"].Properties["agency"].Pattern
	if want == "" || got != want {
		t.Errorf("pattern %+q in openapi.yaml, %+q in the schema", got, want)
	}
}

// TestEveryFormatDocumented: each format's schema path is in the document
// (the paths are written by hand; the schemas are generated).
func TestEveryFormatDocumented(t *testing.T) {
	doc, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	all, err := templates.Formats()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		for _, want := range []string{"  /v1/formats/" + f.ID + "/schema:\n", "    " + componentName(f.ID) + ":\n"} {
			if !strings.Contains(string(doc), want) {
				t.Errorf("openapi.yaml lacks %q", strings.TrimSpace(want))
			}
		}
	}
}

func TestComponentOf(t *testing.T) {
	for def, want := range map[string]string{"count_non_null": "CountNonNull", "amount_non_null_places_2": "AmountNonNullPlaces2", "count": "Count"} {
		if got := componentOf(def); got != want {
			t.Errorf("componentOf(%q) = %q, want %q", def, got, want)
		}
	}
}

// TestCellNullability: a cell's schema allows null exactly where its format
// says the cell is nullable, so that a generated client has a pointer (Go)
// or a "| null" (TypeScript) there and a plain number where the format
// allows none. In both formats every count is nullable (the contract: null
// is "not applicable", printed /); a variant of the 2021 format whose
// counts and fee are not gets schemas without null.
func TestCellNullability(t *testing.T) {
	all, err := templates.Formats()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Components struct {
			Schemas map[string]any `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(doc, &spec); err != nil {
		t.Fatal(err)
	}
	nullable := checkNullability(t, spec.Components.Schemas, all)
	if nullable == 0 {
		t.Error("no nullable cell in the formats")
	}

	data, err := os.ReadFile("../../templates/formats/gov-info-disclosure-2021.json")
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	for _, r := range []struct{ old, new string }{
		{`"nullable_count": {"type": "count", "nullable": true,`, `"nullable_count": {"type": "count",`},
		{`"type": "amount", "nullable": true, "places": 4,`, `"type": "amount", "places": 4,`},
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
	variant := []*templates.Format{{Format: rf}}
	out, err := schemasOf(variant)
	if err != nil {
		t.Fatal(err)
	}
	var schemas map[string]any
	if err := yaml.Unmarshal(out, &schemas); err != nil {
		t.Fatal(err)
	}
	if n := checkNullability(t, schemas, variant); n != 0 {
		t.Errorf("%d nullable cells in the variant without any", n)
	}
	if c, ok := schemas["CountNonNull"].(map[string]any); !ok || c["type"] != "integer" {
		t.Errorf("CountNonNull = %v, want type integer", schemas["CountNonNull"])
	}
}

// checkNullability compares each cell's schema with its format's node and
// returns the number of nullable cells.
func checkNullability(t *testing.T, schemas map[string]any, all []*templates.Format) int {
	t.Helper()
	n := 0
	for _, f := range all {
		for _, ptr := range f.CellPointers() {
			node := f.Root()
			s, _ := schemas[componentName(f.ID)].(map[string]any)
			for _, name := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
				for _, fl := range node.Fields {
					if fl.Name == name {
						node = fl.Node
					}
				}
				props, _ := s["properties"].(map[string]any)
				s, _ = props[name].(map[string]any)
			}
			ref, _ := s["$ref"].(string)
			target, _ := schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
			if target == nil {
				t.Errorf("%s %s: no component at %q", f.ID, ptr, ref)
				continue
			}
			if got := allowsNull(target); got != node.Nullable {
				t.Errorf("%s %s: the schema allows null: %v; the format: %v", f.ID, ptr, got, node.Nullable)
			}
			if node.Nullable {
				n++
			}
		}
	}
	return n
}

// allowsNull reports whether a schema's type, or one of its oneOf, is null.
func allowsNull(s map[string]any) bool {
	switch ty := s["type"].(type) {
	case string:
		return ty == "null"
	case []any:
		for _, v := range ty {
			if v == "null" {
				return true
			}
		}
	}
	one, _ := s["oneOf"].([]any)
	for _, o := range one {
		if m, ok := o.(map[string]any); ok && allowsNull(m) {
			return true
		}
	}
	return false
}
