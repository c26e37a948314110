package docs

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// refSiblings are the keys that may stand beside a $ref: OpenAPI 3.1 lets a
// reference override its target's summary and description; other keywords
// beside a $ref (required, minItems …) are ignored by the tools that read
// the document as OpenAPI 3.0 does, so a client generated from it would
// not know them.
var refSiblings = []string{"$ref", "description", "summary"}

// TestRefAlone: nothing but a description or summary beside a $ref.
func TestRefAlone(t *testing.T) {
	if bad := refsWithSiblings(t, OpenAPI); len(bad) > 0 {
		t.Errorf("docs/openapi.yaml has keywords beside $ref, which generators ignore:\n%s", strings.Join(bad, "\n"))
	}
	// And the test sees one.
	broken := strings.Replace(string(OpenAPI), "            $ref: \"#/components/schemas/Report\"\n",
		"            $ref: \"#/components/schemas/Report\"\n            required: [format]\n", 1)
	if bad := refsWithSiblings(t, []byte(broken)); len(bad) != 1 {
		t.Errorf("a required beside a $ref not found: %q", bad)
	}
}

func refsWithSiblings(t *testing.T, doc []byte) []string {
	t.Helper()
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		t.Fatal(err)
	}
	var bad []string
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, fmt.Sprintf("%s/%d", path, i))
			}
		case yaml.MappingNode:
			var keys []string
			for i := 0; i+1 < len(n.Content); i += 2 {
				keys = append(keys, n.Content[i].Value)
				walk(n.Content[i+1], path+"/"+n.Content[i].Value)
			}
			if slices.Contains(keys, "$ref") {
				for _, k := range keys {
					if !slices.Contains(refSiblings, k) {
						bad = append(bad, fmt.Sprintf("line %d: %s beside $ref at %s", n.Line, k, path))
					}
				}
			}
		}
	}
	walk(&root, "")
	return bad
}

// TestPatternsPortable: every pattern of the document compiles in Go's
// RE2 and in ECMA-262 both without and with the u flag (node's RegExp), and
// means the same in each on a few texts: JSON Schema says ECMA-262, Go
// validators use RE2, and linters such as Spectral compile without u.
func TestPatternsPortable(t *testing.T) {
	var root yaml.Node
	if err := yaml.Unmarshal(OpenAPI, &root); err != nil {
		t.Fatal(err)
	}
	var patterns []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "pattern" && n.Content[i+1].Kind == yaml.ScalarNode && !slices.Contains(patterns, n.Content[i+1].Value) {
				patterns = append(patterns, n.Content[i+1].Value)
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&root)
	if len(patterns) < 5 {
		t.Fatalf("only %d patterns in the document", len(patterns))
	}
	texts := []string{"", "永兴傣族乡人民政府", "abc", "2025-01-20", "a\tb", "a\nb", "\u2028", "\u00a0", "𠀀", "x😀", "\ufffd", "12.5", "urn:govreport:problem:invalid"}
	var goMatch [][]bool
	for _, p := range patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			t.Errorf("pattern %+q is not RE2: %v", p, err)
			continue
		}
		var row []bool
		for _, s := range texts {
			row = append(row, re.MatchString(s))
		}
		goMatch = append(goMatch, row)
	}
	if t.Failed() {
		return
	}
	in, _ := json.Marshal(map[string]any{"patterns": patterns, "texts": texts})
	const script = `
const {patterns, texts} = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = [];
for (const flags of ["", "u"]) {
  for (const p of patterns) {
    try { const re = new RegExp(p, flags); out.push({flags, p, match: texts.map(s => re.test(s))}); }
    catch (e) { out.push({flags, p, error: String(e)}); }
  }
}
process.stdout.write(JSON.stringify(out));`
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "-e", script)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node (apt-get install nodejs): %v", err)
	}
	var results []struct {
		Flags, P, Error string
		Match           []bool
	}
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatal(err)
	}
	for i, r := range results {
		want := goMatch[i%len(patterns)]
		switch {
		case r.Error != "":
			t.Errorf("pattern %+q with flags %q is not ECMA-262: %s", r.P, r.Flags, r.Error)
		case !slices.Equal(r.Match, want):
			t.Errorf("pattern %+q with flags %q matches %v of %+q, RE2 %v", r.P, r.Flags, r.Match, texts, want)
		}
	}
}
