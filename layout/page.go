package layout

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"unicode/utf8"

	"github.com/govreport/govreport/fonts"
)

// Page is one laid-out page: everything on it positioned, in points, from
// the top-left corner of the paper, in paint order.
type Page struct {
	Number  int       `json:"number"`
	Width   float64   `json:"width"`
	Height  float64   `json:"height"`
	Items   []Item    `json:"items"`
	Outline []Outline `json:"outline,omitempty"`
}

// Landscape reports whether the page is wider than it is tall: a page
// turned for a wide table.
func (p *Page) Landscape() bool { return p.Width > p.Height }

// ItemKind is what an Item draws.
type ItemKind string

const (
	ItemText ItemKind = "text" // a run of characters in one face
	ItemLine ItemKind = "line" // a rule from (X, Y) to (X2, Y2)
)

// Item is one positioned thing to paint.
type Item struct {
	Kind ItemKind `json:"kind"`
	// Box names what the item belongs to, for golden diffs and debugging:
	// "title", "heading", "paragraph /overview/0 line 2", "表三 r5c2",
	// "signature", "page-number".
	Box string `json:"box"`
	// Part is what the item is in the document's structure, for writers
	// that tag it (the PDF's structure tree). Box is for people; Part is
	// typed, set where the layout creates the item, and not in the dump.
	Part Part    `json:"-"`
	X    float64 `json:"x"`
	Y    float64 `json:"y"` // text: the baseline

	// Text
	Text string      `json:"text,omitempty"`
	Size float64     `json:"size,omitempty"`
	Font string      `json:"font,omitempty"` // the face's name
	Face *fonts.Face `json:"-"`
	// Spacing is added after every character (PDF Tc): negative on the
	// GB/T 9704 grid, which squeezes 16 pt characters into 15.79 pt cells,
	// and adjusted to justify a line.
	Spacing float64 `json:"spacing,omitempty"`
	// Rotate turns the text about its origin, in degrees clockwise as the
	// page is seen: 0, or 90 for a landscape page's number, which runs
	// down the page's left edge so that it prints where the numbers of
	// the portrait pages do (GB/T 9704 §10.2: 横排表格).
	Rotate int `json:"rotate,omitempty"`

	// Line
	X2        float64 `json:"x2,omitempty"`
	Y2        float64 `json:"y2,omitempty"`
	LineWidth float64 `json:"line_width,omitempty"`
}

// PartKind is the kind of structure an item belongs to.
type PartKind uint8

const (
	PartNone       PartKind = iota // not set: an item no tagged writer can place
	PartTitle                      // a line of the Title block
	PartHeading                    // a line of a Heading block
	PartParagraph                  // a line of a Paragraph block
	PartCell                       // text of a Table cell
	PartSignature                  // a line of the Signature block
	PartPageNumber                 // page furniture: an artifact
	PartRule                       // a table rule: an artifact
	PartDraftMark                  // the 草稿 mark of a draft: an artifact
)

var partNames = [...]string{"none", "title", "heading", "paragraph", "cell", "signature", "page number", "rule", "draft mark"}

func (k PartKind) String() string {
	if int(k) < len(partNames) {
		return partNames[k]
	}
	return fmt.Sprintf("PartKind(%d)", k)
}

// Scope is the cells a table header cell heads (PDF /Scope, HTML scope).
type Scope uint8

const (
	ScopeNone   Scope = iota // a data cell
	ScopeColumn              // a column label, a section row, a row of labels only
	ScopeRow                 // a row label beside counts
	ScopeBoth                // the corner over the row labels
)

// Part says which element of the Document an item draws, by the block's
// index, not by its text, so that a writer never guesses. Its numbers are
// int32 to keep Item small: a page holds hundreds of items.
type Part struct {
	Kind  PartKind
	Block int32 // the block's index in Document.Blocks; 0 for page numbers
	Line  int32 // the line within the block (title, heading, paragraph, signature), from 0
	// Run is the paragraph run the text is in: run 0 of a paragraph with
	// several is its run-in heading.
	Run   int32
	Level int32 // headings: 1 (一、) or 2 (（一）)

	// Cells: the index in Table.Cells and the cell's place, spans and
	// header scope (ScopeNone for a count).
	Cell             int32
	Row, Col         int32
	RowSpan, ColSpan int32
	Scope            Scope
	// Repeat marks a cell drawn again on a later page: a header row
	// repeated at the top, or a label whose rows a page break cut. The
	// table holds the cell once; its copies are pagination artifacts.
	Repeat bool
}

// Check reports what would make the item unpaintable: a non-finite coordinate
// or size, text without a face, a size that is not positive, text that is not
// UTF-8 or has a character the face lacks (which a renderer would draw as a
// blank or a box: a silent hole in an official document), a negative line
// width, an unknown kind. Every renderer checks every item before it draws, so
// a bad item is an error naming it, never a broken file.
func (it *Item) Check() error {
	if !finite(it.X, it.Y) {
		return fmt.Errorf("position (%g, %g)", it.X, it.Y)
	}
	switch it.Kind {
	case ItemText:
		if it.Face == nil {
			return fmt.Errorf("text %q has no face", it.Text)
		}
		if !finite(it.Size, it.Spacing) || it.Size <= 0 {
			return fmt.Errorf("text %q: size %g, spacing %g", it.Text, it.Size, it.Spacing)
		}
		if it.Rotate != 0 && it.Rotate != 90 {
			return fmt.Errorf("text %q: rotation %d", it.Text, it.Rotate)
		}
		if !utf8.ValidString(it.Text) {
			return fmt.Errorf("text %q is not valid UTF-8", it.Text)
		}
		for _, r := range it.Text {
			if r > 0xFFFF {
				return &fonts.MissingError{Rune: r, Where: fmt.Sprintf("text %q", it.Text)}
			}
			if !it.Face.Has(r) {
				return fmt.Errorf("face %s has no glyph for U+%04X %q in %q", it.Face.Name(), r, r, it.Text)
			}
		}
	case ItemLine:
		if !finite(it.X2, it.Y2, it.LineWidth) || it.LineWidth < 0 {
			return fmt.Errorf("line to (%g, %g), width %g", it.X2, it.Y2, it.LineWidth)
		}
	default:
		return fmt.Errorf("unknown item kind %q", it.Kind)
	}
	return nil
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// Outline is a bookmark: a heading and where it is on the page.
type Outline struct {
	Level int     `json:"level"` // 0 for 一、 headings
	Title string  `json:"title"`
	Y     float64 `json:"y"`
}

// Bookmark is an outline entry of the document, in reading order, with
// the page it is on and its depth in the outline tree.
type Bookmark struct {
	Outline
	Page  int // index into the pages
	Depth int // 0 at the top; at most one deeper than the entry before
}

// Bookmarks lists the outline entries of every page in order, each at its
// heading's level but never more than one deeper than the entry before,
// so that every entry has a parent: the tree a PDF's or an OFD's outline
// is written from.
func Bookmarks(pages []Page) []Bookmark {
	var out []Bookmark
	depth := 0 // the deepest an entry may be: one below the previous
	for i := range pages {
		for _, o := range pages[i].Outline {
			d := max(0, min(o.Level, depth))
			out = append(out, Bookmark{Outline: o, Page: i, Depth: d})
			depth = d + 1
		}
	}
	return out
}

// WriteJSON writes the pages as indented JSON: the layout dump used for
// golden files and debugging.
func WriteJSON(w io.Writer, pages []Page) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	return enc.Encode(struct {
		Pages []Page `json:"pages"`
	}{pages})
}
