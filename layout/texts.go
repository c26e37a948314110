package layout

import (
	"iter"

	"github.com/govreport/govreport/fonts"
)

// A Text is a stretch of the document's text and the face role the layout
// sets it in. Whatever asks which faces a document needs — the check that
// every character has a face, the DOCX's font names and embedded subsets,
// `govreport fonts` — walks these, so it cannot disagree with the pages.
type Text struct {
	Text  string
	Role  fonts.Role
	Block Block // the block the text belongs to
	// Index tells the stretches of one block apart: a paragraph's run, a
	// table's cell, the signature's agency (0) and date (1).
	Index int
}

// Texts yields every stretch of text of the document in reading order.
// Page numbers are not in it: the pagination adds them.
func (d *Document) Texts() iter.Seq[Text] {
	return func(yield func(Text) bool) {
		for _, b := range d.Blocks {
			switch x := b.(type) {
			case *Title:
				if !yield(Text{Text: x.Text, Role: fonts.RoleTitle, Block: b}) {
					return
				}
			case *Heading:
				if !yield(Text{Text: x.Text, Role: roleOfHeading(x.Level), Block: b}) {
					return
				}
			case *Paragraph:
				for i, r := range x.Runs {
					if !yield(Text{Text: r.Text, Role: r.Role, Block: b, Index: i}) {
						return
					}
				}
			case *Table:
				for i := range x.Cells {
					c := &x.Cells[i]
					if !yield(Text{Text: c.Text, Role: cellRole(c), Block: b, Index: i}) {
						return
					}
				}
			case *Signature:
				if !yield(Text{Text: x.Agency, Role: fonts.RoleBody, Block: b}) ||
					!yield(Text{Text: x.Date, Role: fonts.RoleBody, Block: b, Index: 1}) {
					return
				}
			}
		}
	}
}
