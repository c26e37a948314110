package report

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting of the input. The formats nest five levels;
// anything far deeper is an attack or a mistake, and would only cost stack
// in the parser that skips it.
const maxDepth = 64

// The input is read in two passes over the bytes, and never held as a tree.
// The first (scan) checks the syntax of the whole document (RFC 8259) and
// finds the format its format field names; the second (the decoder in
// decode.go) walks the format's field tree along the document, reading the
// values the format expects and skipping the rest. A value the format
// does not expect (an unknown key's, a duplicate's, a wrong type's, an
// array past its limit) costs time in proportion to its size and no memory,
// so what a request costs is bounded by the format, not by the body.

// syntaxError is a malformed document: the problem and where it is.
type syntaxError struct {
	msg   string
	msgZh string // msg in Chinese, when it has one; else msg is shown
	off   int
	code  string
}

// parser reads JSON values from data at pos. It is a small hand-written
// reader rather than encoding/json's Decoder.Token, which costs five times
// as much, allocates for every token and reports positions only for some
// errors. Its methods are the primitives both passes use: the first reads
// every value with skip, the second reads the values it wants with str,
// number and members, and skips the others.
type parser struct {
	data []byte
	pos  int
	err  *syntaxError // the first error; every method stops once it is set
	buf  []byte       // scratch for strings with escapes
}

// scan checks that data is one JSON value and returns the string its
// top-level format key holds (the first one, if given twice), cut to what
// a format id could be.
func scan(data []byte) (format string, err *syntaxError) {
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return "", &syntaxError{msg: "invalid UTF-8", off: off, code: "encoding"}
	}
	p := newParser(data)
	if p.peek() == '{' {
		seen := false
		p.members(1, func(key []byte, _ int) {
			if string(key) == "format" && !seen && p.peek() == '"' {
				seen = true
				s, _, _ := p.str(maxEchoBytes)
				format = string(s)
				return
			}
			seen = seen || string(key) == "format"
			p.skip(1)
		})
	} else {
		p.skip(0)
	}
	p.end()
	return format, p.err
}

// newParser returns a parser at the start of data's first value, past a
// byte order mark.
func newParser(data []byte) *parser {
	p := &parser{data: data}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		p.pos = 3
	}
	return p
}

// end checks that nothing but white space follows the document.
func (p *parser) end() {
	if p.peek(); p.err == nil && p.pos < len(p.data) {
		p.fail("unexpected %s after the report object", p.what())
	}
}

func (p *parser) fail(format string, args ...any) {
	if p.err == nil {
		msg := fmt.Sprintf(format, args...)
		en, zh := p.hint()
		p.err = &syntaxError{msg: msg + en, msgZh: msg + zh, off: p.pos, code: "syntax"}
	}
}

// comma reads the comma at pos that follows a member or an element of a
// container closed by end, and reports whether another member or element
// follows. A comma before end is JSON's commonest mistake (JavaScript and
// most editors allow it); it is named at the comma, which is what is to be
// deleted, not at the bracket after it.
func (p *parser) comma(end byte) bool {
	off := p.pos
	p.pos++
	if p.peek() != end || p.err != nil {
		return p.err == nil
	}
	p.pos = off
	p.err = &syntaxError{
		msg:   fmt.Sprintf("trailing comma before '%c': delete it (JSON allows no comma after the last item)", end),
		msgZh: fmt.Sprintf("多余的逗号（'%c' 之前）：请删除（JSON 最后一项之后不能有逗号）", end),
		off:   off,
		code:  "syntax",
	}
	return false
}

// failString fails inside the string literal whose text starts at start.
// A string that runs to a line break or the end of the input was meant to
// end at a curly quote (a quote Word changed, or one typed with a Chinese
// input method) when nothing but JSON's punctuation follows that quote
// (某局”, then the line break): the quote is named, with the fix. A curly
// quote inside the text (受理“12345”热线) is no such sign.
func (p *parser) failString(start int, format string, args ...any) {
	if p.err != nil {
		return
	}
	p.fail(format, args...)
	text := p.data[start:p.pos]
	i := max(bytes.LastIndex(text, []byte("”")), bytes.LastIndex(text, []byte("“")))
	if i < 0 || len(bytes.Trim(text[i+len("”"):], " \t,:]}")) > 0 {
		return
	}
	line, col := lineCol(p.data, start+i)
	q, _ := utf8.DecodeRune(p.data[start+i:])
	p.err.msg += fmt.Sprintf("; if the curly quote %c at line %d, column %d was meant to end the string, replace it with a straight quote \"", q, line, col)
	p.err.msgZh += fmt.Sprintf("；如第 %d 行第 %d 列的弯引号 %c 是字符串的结束引号，请改为直引号 \"", line, col, q)
}

// hint names the fix for a character at pos that a word processor or a
// Chinese input method puts where JSON needs an ASCII one: curly quotes
// around a string (Word's AutoFormat), full-width digits, minus and point
// in a number. It returns nothing for any other character.
func (p *parser) hint() (en, zh string) {
	if p.pos >= len(p.data) {
		return "", ""
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	switch r {
	case '“', '”':
		return "; replace the curly quotes “ ” with straight quotes \"",
			"；请将弯引号 “ ” 改为直引号 \""
	case '‘', '’':
		return "; replace the curly quotes ‘ ’ with straight quotes \"",
			"；请将弯引号 ‘ ’ 改为直引号 \""
	case '，':
		return "; replace the full-width comma ， with ,", "；请将全角逗号 ， 改为半角 ,"
	case '：':
		return "; replace the full-width colon ： with :", "；请将全角冒号 ： 改为半角 :"
	}
	if _, ok := halfWidth(r); !ok || r < utf8.RuneSelf {
		return "", ""
	}
	// The number around it, ASCII and full-width characters alike, as
	// it should be written.
	start := p.pos
	for start > 0 && p.pos-start < 4*MaxEcho {
		r, n := utf8.DecodeLastRune(p.data[:start])
		if _, ok := halfWidth(r); !ok {
			break
		}
		start -= n
	}
	var b strings.Builder
	for i := start; i < len(p.data) && b.Len() < MaxEcho; {
		r, n := utf8.DecodeRune(p.data[i:])
		c, ok := halfWidth(r)
		if !ok {
			break
		}
		b.WriteByte(c)
		i += n
	}
	return fmt.Sprintf("; full-width digits: write %s", b.String()),
		fmt.Sprintf("；全角数字：请写作 %s", b.String())
}

// halfWidth returns the ASCII digit, minus or point that r is, or is the
// full-width form of (０–９, －, ．).
func halfWidth(r rune) (byte, bool) {
	switch {
	case '0' <= r && r <= '9' || r == '-' || r == '.':
		return byte(r), true
	case '０' <= r && r <= '９' || r == '－' || r == '．':
		return byte(r - 0xFEE0), true
	}
	return 0, false
}

// what names the byte at the current position for an error message.
func (p *parser) what() string {
	if p.pos >= len(p.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	return fmt.Sprintf("character %q", r)
}

// peek skips white space and returns the next byte, or 0 at the end of the
// input or after an error.
func (p *parser) peek() byte {
	for p.pos < len(p.data) {
		switch c := p.data[p.pos]; c {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			if p.err != nil {
				return 0
			}
			return c
		}
	}
	return 0
}

// kind names the JSON type of the value that starts with c, as a problem
// says it.
func kind(c byte) string {
	switch {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == '-' || '0' <= c && c <= '9':
		return "number"
	case c == 't' || c == 'f':
		return "boolean"
	}
	return "null"
}

// skip reads one value at depth (the root is 0) without keeping anything.
// It loops over a stack of the containers open rather than recursing
// through members and elements, as it reads every byte of every body (in
// scan) and is the parser's hottest path; it fails as they do.
func (p *parser) skip(depth int) {
	var open [maxDepth + 1]byte // the closing bracket of each container open
	n := 0
	for {
		switch c := p.peek(); {
		case p.err != nil:
			return
		case c == '{' || c == '[':
			end := byte('}')
			if c == '[' {
				end = ']'
			}
			p.pos++
			if p.peek() == end {
				p.pos++
				break
			}
			if depth+n+1 > maxDepth {
				p.fail("nesting deeper than %d levels", maxDepth)
				return
			}
			open[n] = end
			n++
			if end == '}' && p.key(0) == nil {
				return
			}
			continue
		case c == '"':
			p.str(0)
		case c == '-' || '0' <= c && c <= '9':
			p.number()
		case c == 't':
			p.literal("true")
		case c == 'f':
			p.literal("false")
		case c == 'n':
			p.literal("null")
		case p.pos >= len(p.data):
			p.fail("unexpected end of input, expecting a value")
		default:
			p.fail("unexpected %s, expecting a value", p.what())
		}
		// After a value: the next one, or the end of the containers it
		// closes.
	next:
		for {
			if n == 0 || p.err != nil {
				return
			}
			switch c := p.peek(); {
			case c == ',':
				if !p.comma(open[n-1]) {
					return
				}
				if open[n-1] == '}' && p.key(0) == nil {
					return
				}
				break next
			case c == open[n-1]:
				p.pos++
				n--
			case open[n-1] == '}':
				p.fail("unexpected %s in an object, expecting ',' or '}'", p.what())
			default:
				p.fail("unexpected %s in an array, expecting ',' or ']'", p.what())
			}
		}
	}
}

// key reads an object's key and the colon after it, and returns the key
// cut to max bytes as str does, or nil after an error.
func (p *parser) key(max int) []byte {
	if p.peek() != '"' {
		if p.err == nil {
			p.fail("unexpected %s, expecting a key string", p.what())
		}
		return nil
	}
	off := p.pos
	key, _, _ := p.str(max)
	if p.err != nil {
		return nil
	}
	if p.peek() != ':' {
		if p.err == nil {
			end := p.pos
			p.pos = off
			k, _, _ := p.str(maxEchoBytes)
			p.pos = end
			p.fail("unexpected %s after key %q, expecting ':'", p.what(), clip(string(k)))
		}
		return nil
	}
	p.pos++
	if key == nil {
		key = []byte{}
	}
	return key
}

// count returns the number of elements of the array at pos, which it
// leaves unread: an array is measured against the format's limit before a
// byte of it is kept.
func (p *parser) count(depth int) int {
	start, n := p.pos, 0
	p.elements(depth, func(int) { n++; p.skip(depth) })
	p.pos = start
	return n
}

func (p *parser) literal(lit string) {
	if !bytes.HasPrefix(p.data[p.pos:], []byte(lit)) {
		p.fail("unexpected %s, expecting a value", p.what())
		return
	}
	p.pos += len(lit)
}

// members reads the object at pos, whose values are at depth, calling fn
// with each key (valid until the next read) and its offset; fn reads the
// value.
func (p *parser) members(depth int, fn func(key []byte, off int)) {
	p.pos++ // {
	if p.peek() == '}' {
		p.pos++
		return
	}
	if depth > maxDepth {
		p.fail("nesting deeper than %d levels", maxDepth)
		return
	}
	for p.err == nil {
		p.peek()
		off := p.pos
		key := p.key(-1)
		if key == nil {
			return
		}
		if p.peek(); p.err != nil {
			return
		}
		fn(key, off)
		switch p.peek() {
		case ',':
			if !p.comma('}') {
				return
			}
		case '}':
			p.pos++
			return
		default:
			p.fail("unexpected %s in an object, expecting ',' or '}'", p.what())
		}
	}
}

// elements reads the array at pos, whose elements are at depth, calling fn
// with each index; fn reads the element.
func (p *parser) elements(depth int, fn func(i int)) {
	p.pos++ // [
	if p.peek() == ']' {
		p.pos++
		return
	}
	if depth > maxDepth {
		p.fail("nesting deeper than %d levels", maxDepth)
		return
	}
	for i := 0; p.err == nil; i++ {
		if p.peek(); p.err != nil {
			return
		}
		fn(i)
		switch p.peek() {
		case ',':
			if !p.comma(']') {
				return
			}
		case ']':
			p.pos++
			return
		default:
			if p.err == nil {
				p.fail("unexpected %s in an array, expecting ',' or ']'", p.what())
			}
		}
	}
}

// str reads the string literal at pos (which holds the opening quote) and
// returns its text, valid until the next read: all of it for max < 0, none
// for max 0, else at most max bytes, cut at a character. whole reports
// that nothing was cut. lone marks a lone surrogate escape (\ud800 without
// its pair): JSON's grammar allows it, but it is no character, so the text
// holds U+FFFD there (as encoding/json does) and the decoder reports it.
func (p *parser) str(max int) (s []byte, whole, lone bool) {
	p.pos++
	start := p.pos
	// Fast path: no escapes; the text is the input's bytes.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := p.data[start:p.pos]
			p.pos++
			if max >= 0 && len(s) > max {
				return cut(s, max), false, false
			}
			return s, true, false
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			p.failString(start, "control character U+%04X in a string literal (escape it)", c)
			return nil, false, false
		}
		p.pos++
	}
	buf := p.buf[:0]
	whole = true
	add := func(b []byte) {
		if !whole {
			return
		}
		if max >= 0 && len(buf)+len(b) > max {
			buf = append(buf, cut(b, max-len(buf))...)
			whole = false
			return
		}
		buf = append(buf, b...)
	}
	add(p.data[start:p.pos])
	var rb [utf8.UTFMax]byte
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			p.buf = buf
			return buf, whole, lone
		case c < 0x20:
			p.failString(start, "control character U+%04X in a string literal (escape it)", c)
			return nil, false, false
		case c != '\\':
			run := p.pos
			for p.pos < len(p.data) && p.data[p.pos] != '"' && p.data[p.pos] != '\\' && p.data[p.pos] >= 0x20 {
				p.pos++
			}
			add(p.data[run:p.pos])
			continue
		}
		if p.pos+1 >= len(p.data) {
			break
		}
		esc := p.data[p.pos+1]
		p.pos += 2
		var r rune
		switch esc {
		case '"', '\\', '/':
			r = rune(esc)
		case 'b':
			r = '\b'
		case 'f':
			r = '\f'
		case 'n':
			r = '\n'
		case 'r':
			r = '\r'
		case 't':
			r = '\t'
		case 'u':
			var ok bool
			r, ok = p.hex4()
			if !ok {
				p.pos -= 2
				p.fail("invalid \\u escape")
				return nil, false, false
			}
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				save := p.pos
				if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
					p.pos += 2
					if lo, ok := p.hex4(); ok {
						r2 = lo
					}
				}
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					r = dec
				} else {
					r = utf8.RuneError
					p.pos = save
					lone = true
				}
			}
		default:
			p.pos -= 2
			p.fail("invalid escape \\%c in a string literal", esc)
			return nil, false, false
		}
		add(rb[:utf8.EncodeRune(rb[:], r)])
	}
	p.failString(start, "unexpected end of input in a string literal")
	return nil, false, false
}

// cut returns the longest prefix of s of at most max bytes that ends at a
// character boundary.
func cut(s []byte, max int) []byte {
	if len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max]
}

func (p *parser) hex4() (rune, bool) {
	if p.pos+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

// number reads a number literal by the JSON grammar and returns it as
// written, valid until the input changes.
func (p *parser) number() []byte {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && '0' <= p.data[p.pos] && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(p.data) && p.data[p.pos] == '0' {
		p.pos++
		if p.pos < len(p.data) && '0' <= p.data[p.pos] && p.data[p.pos] <= '9' {
			p.fail("leading zero in a number")
			return nil
		}
	} else if digits() == 0 {
		p.fail("unexpected %s in a number", p.what())
		return nil
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			p.fail("unexpected %s after the decimal point", p.what())
			return nil
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			p.fail("unexpected %s in an exponent", p.what())
			return nil
		}
	}
	return p.data[start:p.pos]
}

// lineCol converts a byte offset into a 1-based line and column (in
// characters), as editors count them.
func lineCol(data []byte, off int) (line, col int) {
	if off > len(data) {
		off = len(data)
	}
	line = 1 + bytes.Count(data[:off], []byte{'\n'})
	lineStart := bytes.LastIndexByte(data[:off], '\n') + 1
	col = 1 + utf8.RuneCount(data[lineStart:off])
	return line, col
}

// FormatID returns the value of a report's top-level format member, "" if
// it has none or the input is not well-formed JSON: what Decode reads first
// to pick the format, for a caller that loads formats on demand.
func FormatID(data []byte) string {
	id, err := scan(data)
	if err != nil {
		return ""
	}
	return id
}
