package layout

import (
	"encoding/json"
	"io"

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

// ItemKind is what an Item draws.
type ItemKind string

const (
	ItemText ItemKind = "text" // a run of characters in one face
	ItemLine ItemKind = "line" // a rule from (X, Y) to (X2, Y2)
	ItemRect ItemKind = "rect" // a filled rectangle (X, Y, W, H)
)

// Item is one positioned thing to paint.
type Item struct {
	Kind ItemKind `json:"kind"`
	// Box names what the item belongs to, for golden diffs and debugging:
	// "title", "heading", "paragraph /overview/0 line 2", "表三 r5c2",
	// "signature", "page-number".
	Box string  `json:"box"`
	X   float64 `json:"x"`
	Y   float64 `json:"y"` // text: the baseline

	// Text
	Text string      `json:"text,omitempty"`
	Size float64     `json:"size,omitempty"`
	Font string      `json:"font,omitempty"` // the face's name
	Face *fonts.Face `json:"-"`
	// Spacing is added after every character (PDF Tc): negative on the
	// GB/T 9704 grid, which squeezes 16 pt characters into 15.79 pt cells,
	// and adjusted to justify a line.
	Spacing float64 `json:"spacing,omitempty"`

	// Line
	X2        float64 `json:"x2,omitempty"`
	Y2        float64 `json:"y2,omitempty"`
	LineWidth float64 `json:"line_width,omitempty"`

	// Rect
	W    float64 `json:"w,omitempty"`
	H    float64 `json:"h,omitempty"`
	Gray float64 `json:"gray,omitempty"` // fill, 0 black … 1 white
}

// Outline is a bookmark: a heading and where it is on the page.
type Outline struct {
	Level int     `json:"level"` // 0 for 一、 headings
	Title string  `json:"title"`
	Y     float64 `json:"y"`
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
