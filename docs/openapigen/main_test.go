package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

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
