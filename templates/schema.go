package templates

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/govreport/govreport/report"
)

// textPattern admits no control character, no line separator and no
// character above U+FFFF (the PDF fonts cannot draw them). It lists what is
// admitted, as ranges whose ends stand in the pattern literally, so that
// ECMA-262 engines with or without the u flag and RE2 read it alike:
// without u, JavaScript sees a character above U+FFFF as two surrogates,
// which no range here holds, and RE2 knows no \u escape. (A negated class
// of the excluded ranges, the obvious spelling, needs the u flag for its
// astral range.)
var textPattern = "^[ -~\u00a0-\u2027\u202a-\ud7ff\ue000-\uffff]*$"

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
	root := f.schemaNode("", f.Root(), maxYear)
	root = append(obj{
		{"$schema", "https://json-schema.org/draft/2020-12/schema"},
		{"$id", "urn:govreport:schema:" + f.ID},
		{"title", f.Title + "（" + f.Source + "）"},
	}, root...)
	defs := obj{
		{"paragraph", obj{
			{"type", "string"}, {"minLength", 1}, {"maxLength", report.MaxParagraphLen},
			{"pattern", textPattern}, {"description", "one paragraph: one line of text, no control characters, nothing above U+FFFF"},
		}},
	}
	for _, min := range f.blocksMinItems() {
		b := obj{{"type", "array"}}
		if min > 0 {
			b = append(b, kv{"minItems", min})
		}
		b = append(b, kv{"maxItems", report.MaxBlocks}, kv{"items", obj{{"oneOf", []any{
			obj{{"$ref", "#/$defs/paragraph"}},
			f.schemaNode("", report.HeadingBlock, maxYear),
		}}}})
		defs = append(defs, kv{blocksDef(min), b})
	}
	root = append(root, kv{"$defs", append(defs, f.cellDefs()...)})
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
const textPatternJSON = `"^[ -~\u00a0-\u2027\u202a-\ud7ff\ue000-\uffff]*$"`

// decimalPattern is the form of an amount sent as a string, as the decoder
// takes it: at most 12 digits before the point, no leading zero, at most
// places after it, no sign or exponent.
func decimalPattern(places int) string {
	return fmt.Sprintf(`^(0|[1-9][0-9]{0,11})(\.[0-9]{1,%d})?$`, places)
}

// blocksDef names the $defs entry of a section of at least min blocks:
// blocks, nonempty_blocks, blocks_min_items_2 … A section's own minItems
// would stand beside its $ref, where OpenAPI tools ignore it.
func blocksDef(min int) string {
	switch min {
	case 0:
		return "blocks"
	case 1:
		return "nonempty_blocks"
	}
	return fmt.Sprintf("blocks_min_items_%d", min)
}

// blocksMinItems lists the fewest blocks the format's sections take, each
// once, ascending: the blocks definitions the schema needs.
func (f *Format) blocksMinItems() []int {
	seen := map[int]bool{}
	var walk func(n *report.Node)
	walk = func(n *report.Node) {
		if n.Kind == report.KindBlocks {
			seen[n.MinItems] = true
		}
		for _, fl := range n.Fields {
			walk(fl.Node)
		}
	}
	walk(f.Root())
	var out []int
	for min := range seen {
		out = append(out, min)
	}
	sort.Ints(out)
	return out
}

// cellDefs are the definitions of the table cells the format uses: count,
// change, amount, and a variant of each for cells the format makes
// non-nullable or gives other decimal places, so the schema says of every
// cell what the decoder accepts.
func (f *Format) cellDefs() obj {
	nodes := map[string]*report.Node{}
	var names []string
	for _, p := range f.CellPointers() {
		n := f.node(p)
		if name := cellDef(n); nodes[name] == nil {
			nodes[name] = n
			names = append(names, name)
		}
	}
	kindOrder := map[report.Kind]int{report.KindCount: 0, report.KindChange: 1, report.KindDecimal: 2}
	sort.Slice(names, func(i, j int) bool {
		ki, kj := kindOrder[nodes[names[i]].Kind], kindOrder[nodes[names[j]].Kind]
		if ki != kj {
			return ki < kj
		}
		return names[i] < names[j]
	})
	var out obj
	places := map[int]bool{}
	for _, name := range names {
		out = append(out, kv{name, cellSchema(nodes[name])})
		if n := nodes[name]; n.Kind == report.KindDecimal {
			places[cellPlaces(n)] = true
		}
	}
	for _, p := range slices.Sorted(maps.Keys(places)) {
		out = append(out,
			kv{decimalDef("string", p), obj{{"type", "string"}, {"format", "decimal"}, {"pattern", decimalPattern(p)},
				{"description", "an amount as a decimal string, kept exactly, trailing zeros included (\"2.00\" prints 2.00): the form for clients whose numbers are binary floating point"}}},
			kv{decimalDef("number", p), obj{{"type", "number"}, {"format", "double"}, {"minimum", 0}, {"exclusiveMaximum", 1e12}, {"multipleOf", math.Pow10(-p)},
				{"description", "an amount as a number, printed as written in the JSON; a client holding it as an IEEE 754 double keeps at most 15 significant digits and sends 2.00 as 2"}}})
	}
	return out
}

// decimalDef names the $defs entry of an amount's string or number form:
// decimal_string, decimal_number_places_2 …
func decimalDef(form string, places int) string {
	if places == report.MaxDecimalPlaces {
		return "decimal_" + form
	}
	return fmt.Sprintf("decimal_%s_places_%d", form, places)
}

// cellSchema describes a cell as the decoder reads it.
func cellSchema(n *report.Node) obj {
	types := func(t string) any {
		if n.Nullable {
			return []string{t, "null"}
		}
		return t
	}
	null := ""
	switch {
	case n.Nullable && n.Kind == report.KindDecimal:
		null = "; null means not applicable"
	case n.Nullable:
		null = "; null means not applicable (printed /)"
	}
	switch n.Kind {
	case report.KindChange:
		return obj{
			{"type", types("integer")}, {"minimum", -report.MaxCount}, {"maximum", report.MaxCount},
			{"description", "a change over last year (本年增/减), negative for a decrease, |n| < 10^12" + null},
		}
	case report.KindDecimal:
		// One of a decimal string and a number, each a definition of its
		// own, so that client generators give each a type that holds it
		// and a name: a string (exact, trailing zeros kept) or a double
		// (format double; a number without format is a float32 to
		// oapi-codegen, 123456.79 for 123456.7891).
		p := cellPlaces(n)
		one := []any{
			obj{{"$ref", "#/$defs/" + decimalDef("string", p)}},
			obj{{"$ref", "#/$defs/" + decimalDef("number", p)}},
		}
		if n.Nullable {
			one = append(one, obj{{"type", "null"}})
		}
		return obj{
			{"description", fmt.Sprintf("万元, at most %d decimal places, printed as written%s", p, null)},
			{"oneOf", one},
		}
	}
	return obj{
		{"type", types("integer")}, {"minimum", 0}, {"maximum", report.MaxCount},
		{"description", "a count, 0 ≤ n < 10^12" + null},
	}
}

// cellPlaces is the most decimal places of an amount cell.
func cellPlaces(n *report.Node) int {
	if n.Places > 0 {
		return n.Places
	}
	return report.MaxDecimalPlaces
}

// node returns the contract node at a pointer.
func (f *Format) node(ptr string) *report.Node {
	n := f.Root()
	for _, name := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		for _, fl := range n.Fields {
			if fl.Name == name {
				n = fl.Node
				break
			}
		}
	}
	return n
}

// cellDef names the $defs entry of a cell node: count, change or amount
// for the usual cell (nullable; an amount with 4 places), with a suffix
// for what sets another apart (count_non_null, amount_places_2).
func cellDef(n *report.Node) string {
	name := "count"
	switch n.Kind {
	case report.KindChange:
		name = "change"
	case report.KindDecimal:
		name = "amount"
	}
	if !n.Nullable {
		name += "_non_null"
	}
	if p := cellPlaces(n); n.Kind == report.KindDecimal && p != report.MaxDecimalPlaces {
		name += fmt.Sprintf("_places_%d", p)
	}
	return name
}

func (f *Format) schemaNode(ptr string, n *report.Node, maxYear int) obj {
	switch n.Kind {
	case report.KindObject:
		props := obj{}
		var required []string
		for _, fl := range n.Fields {
			child := f.schemaNode(ptr+"/"+fl.Name, fl.Node, maxYear)
			if fl.Computed {
				// In the description, not a $comment: nothing but a
				// description stands beside a cell's $ref, and client
				// generators copy descriptions into the code.
				child = appendDescription(child, "may be omitted: it is then computed")
			}
			props = append(props, kv{fl.Name, child})
			if fl.Required {
				required = append(required, fl.Name)
			}
		}
		o := describe(obj{{"type", "object"}}, n, kv{"properties", props})
		if len(required) > 0 {
			o = append(o, kv{"required", required})
		}
		return append(o, kv{"additionalProperties", false})
	case report.KindString:
		return describe(obj{{"type", "string"}}, n, kv{"minLength", 1}, kv{"maxLength", n.MaxLen}, kv{"pattern", textPattern})
	case report.KindFormat:
		return describe(obj{{"const", f.ID}}, n)
	case report.KindYear:
		return describe(obj{{"type", "integer"}}, n, kv{"minimum", f.Years.From}, kv{"maximum", maxYear})
	case report.KindDate:
		return describe(obj{{"type", "string"}}, n, kv{"format", "date"}, kv{"pattern", `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`})
	case report.KindBlocks:
		return describe(obj{{"$ref", "#/$defs/" + blocksDef(n.MinItems)}}, n)
	case report.KindParagraphs:
		return obj{{"type", "array"}, {"minItems", n.MinItems}, {"maxItems", report.MaxBlocks}, {"items", obj{{"$ref", "#/$defs/paragraph"}}}}
	case report.KindCount, report.KindDecimal, report.KindChange:
		o := obj{{"$ref", "#/$defs/" + cellDef(n)}}
		if table, row, col := f.CellLabel(ptr); row != "" || col != "" {
			o = append(o, kv{"description", strings.TrimSpace(fmt.Sprintf("%s “%s” × “%s”", table, row, col))})
		}
		return o
	case report.KindBool:
		return describe(obj{{"type", "boolean"}}, n)
	}
	return obj{}
}

// appendDescription adds text to o's description, or gives o one.
func appendDescription(o obj, text string) obj {
	for i, e := range o {
		if e.k == "description" {
			o[i].v = e.v.(string) + "; " + text
			return o
		}
	}
	return append(o, kv{"description", text})
}

// describe adds the node's description, if any, and then the rest.
func describe(o obj, n *report.Node, rest ...kv) obj {
	if n.Description != "" {
		o = append(o, kv{"description", n.Description})
	}
	return append(o, rest...)
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
