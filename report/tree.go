package report

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds the nesting of the input. The contract nests five levels;
// anything far deeper is an attack or a mistake, and would only cost stack.
const maxDepth = 64

// value is one node of a parsed JSON document, kept with its byte offset so
// problems can be reported in document order and with line and column.
type value struct {
	kind byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null
	// lone marks a string with a lone surrogate escape (\ud800 without its
	// pair): JSON's grammar allows it, but it is no character, so str holds
	// U+FFFD there (as encoding/json does) and the decoder reports it.
	lone  bool
	off   int // offset of the value's first byte
	end   int // offset just past the value (objects: past the closing brace)
	str   string
	b     bool
	keys  []string
	vals  []*value
	elems []*value
	// dupKeys are keys given more than once (only the first value is kept),
	// with the offsets of the repeats.
	dupKeys []string
	dupOffs []int
}

func (v *value) typeName() string {
	switch v.kind {
	case 'o':
		return "object"
	case 'a':
		return "array"
	case 's':
		return "string"
	case 'n':
		return "number"
	case 'b':
		return "boolean"
	}
	return "null"
}

// syntaxError is a malformed document: the problem and where it is.
type syntaxError struct {
	msg  string
	off  int
	code string
}

// parse reads one JSON value (RFC 8259) from data, keeping key order,
// offsets and number literals as written. It is a small recursive-descent
// parser rather than encoding/json's Decoder.Token, which costs five times
// as much and reports positions only for some errors. Duplicate keys are
// kept for the decoder to report (the first value wins), because a
// duplicated count silently hides a number.
func parse(data []byte) (*value, *syntaxError) {
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return nil, &syntaxError{msg: "invalid UTF-8", off: off, code: "encoding"}
	}
	p := &parser{data: data}
	p.skipBOM()
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(data) {
		return nil, p.errorf("unexpected %s after the report object", p.what())
	}
	return v, nil
}

type parser struct {
	data []byte
	pos  int
	lone bool    // the last string read had a lone surrogate escape
	slab []value // nodes are carved from here: one allocation per 256
}

func (p *parser) node(off int) *value {
	if len(p.slab) == 0 {
		p.slab = make([]value, 256)
	}
	v := &p.slab[0]
	p.slab = p.slab[1:]
	v.off = off
	return v
}

func (p *parser) skipBOM() {
	if bytes.HasPrefix(p.data, []byte("\xef\xbb\xbf")) {
		p.pos = 3
	}
}

func (p *parser) errorf(format string, args ...any) *syntaxError {
	return &syntaxError{msg: fmt.Sprintf(format, args...), off: p.pos, code: "syntax"}
}

// what names the byte at the current position for an error message.
func (p *parser) what() string {
	if p.pos >= len(p.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	return fmt.Sprintf("character %q", r)
}

func (p *parser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (*value, *syntaxError) {
	if depth > maxDepth {
		return nil, p.errorf("nesting deeper than %d levels", maxDepth)
	}
	p.space()
	if p.pos >= len(p.data) {
		return nil, p.errorf("unexpected end of input, expecting a value")
	}
	v := p.node(p.pos)
	switch c := p.data[p.pos]; {
	case c == '{':
		v.kind = 'o'
		p.pos++
		p.space()
		if p.pos < len(p.data) && p.data[p.pos] == '}' {
			p.pos++
			break
		}
		var seen map[string]bool
		for {
			p.space()
			koff := p.pos
			if p.pos >= len(p.data) || p.data[p.pos] != '"' {
				return nil, p.errorf("unexpected %s, expecting a key string", p.what())
			}
			key, err := p.string()
			if err != nil {
				return nil, err
			}
			p.space()
			if p.pos >= len(p.data) || p.data[p.pos] != ':' {
				return nil, p.errorf("unexpected %s after key %q, expecting ':'", p.what(), key)
			}
			p.pos++
			child, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			if seen == nil {
				seen = make(map[string]bool, 8)
			}
			if seen[key] {
				v.dupKeys = append(v.dupKeys, key)
				v.dupOffs = append(v.dupOffs, koff)
			} else {
				seen[key] = true
				v.keys = append(v.keys, key)
				v.vals = append(v.vals, child)
			}
			p.space()
			if p.pos < len(p.data) && p.data[p.pos] == ',' {
				p.pos++
				continue
			}
			if p.pos < len(p.data) && p.data[p.pos] == '}' {
				p.pos++
				break
			}
			return nil, p.errorf("unexpected %s in an object, expecting ',' or '}'", p.what())
		}
	case c == '[':
		v.kind = 'a'
		p.pos++
		p.space()
		if p.pos < len(p.data) && p.data[p.pos] == ']' {
			p.pos++
			break
		}
		for {
			child, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			v.elems = append(v.elems, child)
			p.space()
			if p.pos < len(p.data) && p.data[p.pos] == ',' {
				p.pos++
				continue
			}
			if p.pos < len(p.data) && p.data[p.pos] == ']' {
				p.pos++
				break
			}
			return nil, p.errorf("unexpected %s in an array, expecting ',' or ']'", p.what())
		}
	case c == '"':
		s, err := p.string()
		if err != nil {
			return nil, err
		}
		v.kind, v.str, v.lone = 's', s, p.lone
	case c == '-' || '0' <= c && c <= '9':
		lit, err := p.number()
		if err != nil {
			return nil, err
		}
		v.kind, v.str = 'n', lit
	case c == 't' && bytes.HasPrefix(p.data[p.pos:], []byte("true")):
		v.kind, v.b = 'b', true
		p.pos += 4
	case c == 'f' && bytes.HasPrefix(p.data[p.pos:], []byte("false")):
		v.kind = 'b'
		p.pos += 5
	case c == 'n' && bytes.HasPrefix(p.data[p.pos:], []byte("null")):
		v.kind = 'z'
		p.pos += 4
	default:
		return nil, p.errorf("unexpected %s, expecting a value", p.what())
	}
	v.end = p.pos
	return v, nil
}

// string reads a string literal at p.pos (which holds the opening quote).
func (p *parser) string() (string, *syntaxError) {
	p.pos++
	p.lone = false
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := string(p.data[start:p.pos])
			p.pos++
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errorf("control character U+%04X in a string literal (escape it)", c)
		}
		p.pos++
	}
	buf := append([]byte(nil), p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf), nil
		case c < 0x20:
			return "", p.errorf("control character U+%04X in a string literal (escape it)", c)
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.data) {
			break
		}
		esc := p.data[p.pos+1]
		p.pos += 2
		switch esc {
		case '"', '\\', '/':
			buf = append(buf, esc)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				p.pos -= 2
				return "", p.errorf("invalid \\u escape")
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
					p.lone = true
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			p.pos -= 2
			return "", p.errorf("invalid escape \\%c in a string literal", esc)
		}
	}
	return "", p.errorf("unexpected end of input in a string literal")
}

func (p *parser) hex4() (rune, bool) {
	if p.pos+4 > len(p.data) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(p.data[p.pos:p.pos+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	p.pos += 4
	return rune(n), true
}

// number reads a number literal by the JSON grammar and returns it as written.
func (p *parser) number() (string, *syntaxError) {
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
			return "", p.errorf("leading zero in a number")
		}
	} else if digits() == 0 {
		return "", p.errorf("unexpected %s in a number", p.what())
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return "", p.errorf("unexpected %s after the decimal point", p.what())
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return "", p.errorf("unexpected %s in an exponent", p.what())
		}
	}
	return string(p.data[start:p.pos]), nil
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
