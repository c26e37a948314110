package docx

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"unicode/utf8"
)

// xw builds XML text. Markup is written raw; text and attribute values go
// through encoding/xml's escaping (&, <, >, quotes, white space controls;
// characters XML cannot hold become U+FFFD).
type xw struct{ b bytes.Buffer }

func (x *xw) raw(s string) { x.b.WriteString(s) }

func (x *xw) int(n int) { x.b.WriteString(strconv.Itoa(n)) }

// text writes s escaped for character data or an attribute value.
func (x *xw) text(s string) {
	if !needsEscape(s) {
		x.b.WriteString(s)
		return
	}
	xml.EscapeText(&x.b, []byte(s)) // a bytes.Buffer never fails
}

// needsEscape reports whether s holds anything encoding/xml would escape or
// replace; most text does not, and is copied as it is.
func needsEscape(s string) bool {
	for _, r := range s {
		switch {
		case r == '&' || r == '<' || r == '>' || r == '"' || r == '\'' || r == '\t' || r == '\n' || r == '\r':
			return true
		case r < 0x20 || r == utf8.RuneError || (r >= 0xD800 && r <= 0xDFFF) || r == 0xFFFE || r == 0xFFFF:
			return true
		}
	}
	return false
}

// attr writes ` name="value"` with value escaped.
func (x *xw) attr(name, value string) {
	x.b.WriteByte(' ')
	x.b.WriteString(name)
	x.b.WriteString(`="`)
	x.text(value)
	x.b.WriteByte('"')
}

// attrInt writes ` name="n"`.
func (x *xw) attrInt(name string, n int) {
	x.b.WriteByte(' ')
	x.b.WriteString(name)
	x.b.WriteString(`="`)
	x.int(n)
	x.b.WriteByte('"')
}

// t writes a w:t element, keeping leading and trailing spaces.
func (x *xw) t(s string) {
	if s == "" {
		return
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		x.raw(`<w:t xml:space="preserve">`)
	} else {
		x.raw(`<w:t>`)
	}
	x.text(s)
	x.raw(`</w:t>`)
}
