package report

import "encoding/json"

// Size limits. They keep a render bounded (a report is a few pages, never a
// book), hold for every format, and are documented in the README and the
// JSON Schema.
const (
	MaxTitleLen      = 200      // characters in title or agency
	MaxHeadingLen    = 100      // characters in a (一) heading
	MaxParagraphLen  = 5000     // characters in one paragraph
	MaxBlocks        = 500      // blocks in one section, paragraphs in one block
	MaxSectionChars  = 100000   // characters in one section (all its blocks)
	MaxReportChars   = 300000   // characters of text in the whole report
	MaxCount         = 1e12 - 1 // a count is 0 ≤ n < 10^12
	MaxDecimalPlaces = 4        // an amount in 万元 has at most 4 decimal places
	// MaxProblems is how many problems an invalid report lists; the rest
	// are only counted (Error.Omitted), so the answer to a hostile input
	// stays small.
	MaxProblems = 100
)

// Kind is the kind of value a contract node accepts.
type Kind uint8

const (
	KindObject     Kind = iota // a JSON object with the listed fields, no others
	KindString                 // a one-line string (agency, title, heading)
	KindFormat                 // the format's id
	KindYear                   // an integer year
	KindDate                   // an ISO date YYYY-MM-DD that exists
	KindBlocks                 // an array of paragraphs and (一) heading blocks
	KindCount                  // a table count: integer 0 ≤ n < 10^12, or null
	KindDecimal                // a table amount: decimal ≥ 0 with ≤ 4 places (a number or a decimal string), or null
	KindBool                   // true or false
	KindChange                 // a table change (本年增/减): integer, |n| < 10^12, or null
	KindParagraphs             // an array of paragraph strings (a heading block's)
)

// Node describes one value of the contract. The decoder walks this tree, and
// the JSON Schema is generated from it, so the two cannot disagree. A
// format's tree comes from its file (Format.Root); the shape of a heading
// block is HeadingBlock.
type Node struct {
	Kind        Kind
	Description string  // English, for the schema
	Fields      []Field // for KindObject, in document order
	MaxLen      int     // for KindString
	MinItems    int     // for KindBlocks and KindParagraphs
	// Nullable lets a table cell be null: not applicable, printed /.
	Nullable bool
	// Places is the most decimal places of a KindDecimal (0: MaxDecimalPlaces).
	Places int
	// Role names a one-line string the report keeps: agency, title,
	// signature_agency.
	Role string
	// Skeleton is the JSON value a new report starts with (govreport
	// init), placeholder text the validator accepts; {agency} and {year}
	// stand for the report's.
	Skeleton json.RawMessage
}

// Field is one key of an object node.
type Field struct {
	Name     string
	Node     *Node
	Required bool
	// Computed marks a table total that may be omitted: it is then computed
	// from the cells it sums.
	Computed bool
}

// IsCell reports whether the node is a table cell: a count, a change or an
// amount.
func (n *Node) IsCell() bool {
	return n.Kind == KindCount || n.Kind == KindDecimal || n.Kind == KindChange
}

// places is the most decimal places an amount may have.
func (n *Node) places() int {
	if n.Places > 0 {
		return n.Places
	}
	return MaxDecimalPlaces
}

// HeadingBlock is the shape of a （一） heading block within a text
// section, the same in every format: the decoder reads it and the schema
// describes it from this one node.
var HeadingBlock = &Node{Kind: KindObject,
	Description: "a （一） heading, numbered automatically unless it starts with a number, with its paragraphs",
	Fields: []Field{
		{Name: "heading", Node: &Node{Kind: KindString, MaxLen: MaxHeadingLen}, Required: true},
		{Name: "paragraphs", Node: &Node{Kind: KindParagraphs, MinItems: 1}, Required: true},
		{Name: "run_in", Node: &Node{Kind: KindBool, Description: "true: the heading runs into the first paragraph"}},
	},
}
