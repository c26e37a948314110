package report

import (
	"strings"
	"testing"
)

// TestParseFormatErrors: a format file that contradicts itself is refused
// at load, naming what is wrong.
func TestParseFormatErrors(t *testing.T) {
	grid := `"tables":[{"id":"t","number":"一","columns":2,"rows":[{"bind":"/t","cells":[{"bind":"a"},{"bind":"b"}]}]}]`
	tests := []struct{ name, json, want string }{
		{"no id", `{"fields":[]}`, "no id"},
		{"unknown type", `{"id":"x","fields":[{"name":"t","type":"nope"}],` + grid + `}`, `unknown type "nope"`},
		{"type named like a kind", `{"id":"x","types":{"count":{"type":"count"}},"fields":[{"name":"a","type":"count"}]}`, "name of a kind"},
		{"string without max_len", `{"id":"x","fields":[{"name":"s","type":"string"}]}`, "max_len"},
		{"object without fields", `{"id":"x","fields":[{"name":"o","type":"object"}]}`, "needs fields"},
		{"bad role", `{"id":"x","fields":[{"name":"n","type":"count","role":"agency"}]}`, "role"},
		{"unbound cell", `{"id":"x","fields":[{"name":"t","type":"object","fields":[{"name":"a","type":"count"},{"name":"b","type":"count"},{"name":"c","type":"count"}]}],` + grid + `}`, "/t/c is not bound"},
		{"bound non-cell", `{"id":"x","fields":[{"name":"t","type":"object","fields":[{"name":"a","type":"count"}]}],` + grid + `}`, "/t/b, which is not"},
		{"rule on a non-cell", `{"id":"x","fields":[{"name":"t","type":"object","fields":[{"name":"a","type":"count"},{"name":"b","type":"count"}]}],` + grid +
			`,"rules":[{"target":"/t/a","sum":["/t/z"],"why":"w","why_zh":"w"}]}`, "/t/z is not a table cell"},
		{"unknown set", `{"id":"x","fields":[{"name":"t","type":"object","fields":[{"name":"a","type":"count"},{"name":"b","type":"count"}]}],` + grid +
			`,"rules":[{"each":["q"],"target":"/t/a","sum":["/t/b"],"why":"w","why_zh":"w"}]}`, `no set "q"`},
		{"computed without a rule", `{"id":"x","fields":[{"name":"t","type":"object","fields":[{"name":"a","type":"count","computed":true},{"name":"b","type":"count"}]}],` + grid + `}`, "no rule computes it"},
		{"carry from a missing row", `{"id":"x","carry":{"from":"/u","to":"/t"},"fields":[{"name":"t","type":"object","fields":[{"name":"a","type":"count"},{"name":"b","type":"count"}]}],` + grid + `}`, `carry: "/u" and "/t" must both be objects`},
		{"carry to a cell", `{"id":"x","carry":{"from":"/t","to":"/t/a"},"fields":[{"name":"t","type":"object","fields":[{"name":"a","type":"count"},{"name":"b","type":"count"}]}],` + grid + `}`, "must both be objects"},
		{"section blocks", `{"id":"x","sections":[{"number":"一","heading":"h","blocks":"t"}],"fields":[{"name":"t","type":"object","fields":[{"name":"a","type":"count"},{"name":"b","type":"count"}]}],` + grid + `}`, "not a blocks field"},
	}
	for _, tt := range tests {
		_, err := ParseFormat([]byte(tt.json))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}
