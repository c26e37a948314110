package templates

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/govreport/govreport/report"
)

// textPattern admits no control character, no line separator and no
// character above U+FFFF (the PDF fonts cannot draw them). The characters
// stand in the pattern literally, so ECMA-262 and RE2 engines read it alike.
var textPattern = "^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\U00010000-\U0010ffff]*$"

// Schema returns the JSON Schema (draft 2020-12) of a report in this
// format, generated from the contract tree the decoder walks (so schema and
// validator agree) and described with the template's labels. maxYear is the
// latest year the validator accepts (the current year + 1).
//
// A few rules span fields or count characters across a section and cannot
// be said in JSON Schema: the 勾稽 checks, the signature date not before
// the reported year, and the section and report size limits. The validator
// applies them; the schema's description says so.
func (f *Format) Schema(maxYear int) ([]byte, error) {
	if f.ID != report.FormatID {
		return nil, fmt.Errorf("templates: no contract for format %q", f.ID)
	}
	root := f.schemaNode("", report.Contract(), maxYear)
	root = append(obj{
		{"$schema", "https://json-schema.org/draft/2020-12/schema"},
		{"$id", "urn:govreport:schema:" + f.ID},
		{"title", f.Title + "（" + f.Source + "）"},
	}, root...)
	root = append(root, kv{"$defs", obj{
		{"paragraph", obj{
			{"type", "string"}, {"minLength", 1}, {"maxLength", report.MaxParagraphLen},
			{"pattern", textPattern}, {"description", "one paragraph: one line of text, no control characters, nothing above U+FFFF"},
		}},
		{"blocks", obj{
			{"type", "array"}, {"maxItems", report.MaxBlocks},
			{"items", obj{{"oneOf", []any{
				obj{{"$ref", "#/$defs/paragraph"}},
				obj{
					{"type", "object"},
					{"description", "a （一） heading, numbered automatically unless it starts with a number, with its paragraphs"},
					{"properties", obj{
						{"heading", obj{{"type", "string"}, {"minLength", 1}, {"maxLength", report.MaxHeadingLen}, {"pattern", textPattern}}},
						{"paragraphs", obj{{"type", "array"}, {"minItems", 1}, {"maxItems", report.MaxBlocks}, {"items", obj{{"$ref", "#/$defs/paragraph"}}}}},
						{"run_in", obj{{"type", "boolean"}, {"description", "true: the heading runs into the first paragraph"}}},
					}},
					{"required", []string{"heading", "paragraphs"}},
					{"additionalProperties", false},
				},
			}}}},
		}},
		{"count", obj{
			{"type", []string{"integer", "null"}}, {"minimum", 0}, {"maximum", report.MaxCount},
			{"description", "a count, 0 ≤ n < 10^12; null means not applicable (printed /)"},
		}},
		{"amount", obj{
			{"type", []string{"number", "null"}}, {"minimum", 0}, {"exclusiveMaximum", 1e12}, {"multipleOf", 0.0001},
			{"description", "万元, at most 4 decimal places, printed as written; null means not applicable"},
		}},
	}})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	// Spell the pattern's invisible and astral characters as escapes: the
	// same string once decoded, but readable.
	lit, _ := json.Marshal(textPattern)
	return bytes.ReplaceAll(buf.Bytes(), lit, []byte(textPatternJSON)), nil
}

// textPatternJSON is textPattern as a JSON string with every character
// outside printable ASCII escaped.
const textPatternJSON = `"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800\udc00-\udbff\udfff]*$"`

func (f *Format) schemaNode(ptr string, n *report.Node, maxYear int) obj {
	switch n.Kind {
	case report.KindObject:
		props := obj{}
		var required []string
		for _, fl := range n.Fields {
			child := f.schemaNode(ptr+"/"+fl.Name, fl.Node, maxYear)
			if fl.Computed {
				child = append(child, kv{"$comment", "may be omitted: it is then computed"})
			}
			props = append(props, kv{fl.Name, child})
			if fl.Required {
				required = append(required, fl.Name)
			}
		}
		o := obj{{"type", "object"}, {"description", n.Description}, {"properties", props}}
		if len(required) > 0 {
			o = append(o, kv{"required", required})
		}
		return append(o, kv{"additionalProperties", false})
	case report.KindString:
		return obj{{"type", "string"}, {"description", n.Description}, {"minLength", 1}, {"maxLength", n.MaxLen}, {"pattern", textPattern}}
	case report.KindFormat:
		return obj{{"const", f.ID}, {"description", n.Description}}
	case report.KindYear:
		return obj{{"type", "integer"}, {"description", n.Description}, {"minimum", report.MinYear}, {"maximum", maxYear}}
	case report.KindDate:
		return obj{{"type", "string"}, {"description", n.Description}, {"format", "date"}, {"pattern", `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`}}
	case report.KindBlocks:
		o := obj{{"$ref", "#/$defs/blocks"}, {"description", n.Description}}
		if n.MinItems > 0 {
			o = append(o, kv{"minItems", n.MinItems})
		}
		return o
	case report.KindCount, report.KindDecimal:
		def := "count"
		if n.Kind == report.KindDecimal {
			def = "amount"
		}
		o := obj{{"$ref", "#/$defs/" + def}}
		if table, row, col := f.CellLabel(ptr); row != "" || col != "" {
			o = append(o, kv{"description", strings.TrimSpace(fmt.Sprintf("%s “%s” × “%s”", table, row, col))})
		}
		return o
	case report.KindBool:
		return obj{{"type", "boolean"}}
	}
	return obj{}
}

// obj is a JSON object that keeps its keys in order, so the schema reads
// top-down like the contract and is byte-for-byte reproducible.
type obj []kv

type kv struct {
	k string
	v any
}

func (o obj) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(e.k)
		buf.Write(k)
		buf.WriteByte(':')
		var vb bytes.Buffer
		enc := json.NewEncoder(&vb)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(e.v); err != nil {
			return nil, err
		}
		buf.Write(bytes.TrimRight(vb.Bytes(), "\n"))
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
