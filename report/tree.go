package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// maxDepth bounds the nesting of the input. The contract nests five levels;
// anything far deeper is an attack or a mistake, and would only cost stack.
const maxDepth = 64

// value is one node of a parsed JSON document, kept with its byte offset so
// problems can be reported in document order and with line and column.
type value struct {
	kind  byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null
	off   int  // offset of the value's first byte
	end   int  // offset just past the value (objects: past the closing brace)
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

// parse reads one JSON value from data, keeping key order, offsets and
// number literals as written. Duplicate keys are reported as problems (the
// first value wins), because a duplicated count silently hides a number.
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
	p := &parser{dec: json.NewDecoder(bytes.NewReader(data)), data: data}
	p.dec.UseNumber()
	v, err := p.value(0)
	if err != nil {
		return nil, p.syntax(err)
	}
	off := p.start()
	if _, err := p.dec.Token(); err != io.EOF {
		if err != nil {
			if se := p.syntax(err); se != nil {
				return nil, se
			}
		}
		return nil, &syntaxError{msg: "unexpected data after the report object", off: off, code: "syntax"}
	}
	return v, nil
}

type parser struct {
	dec  *json.Decoder
	data []byte
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// start returns the offset of the next token, skipping white space and the
// separators the decoder has not consumed yet.
func (p *parser) start() int {
	off := int(p.dec.InputOffset())
	for off < len(p.data) && (isSpace(p.data[off]) || p.data[off] == ',' || p.data[off] == ':') {
		off++
	}
	return off
}

func (p *parser) syntax(err error) *syntaxError {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return &syntaxError{msg: se.Error(), off: int(se.Offset), code: "syntax"}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &syntaxError{msg: "unexpected end of input", off: len(p.data), code: "syntax"}
	case errors.Is(err, errTooDeep):
		return &syntaxError{msg: err.Error(), off: p.start(), code: "syntax"}
	}
	return &syntaxError{msg: err.Error(), off: p.start(), code: "syntax"}
}

var errTooDeep = fmt.Errorf("nesting deeper than %d levels", maxDepth)

func (p *parser) value(depth int) (*value, error) {
	if depth > maxDepth {
		return nil, errTooDeep
	}
	off := p.start()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, err
	}
	v := &value{off: off}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			v.kind = 'o'
			seen := map[string]bool{}
			for p.dec.More() {
				koff := p.start()
				kt, err := p.dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := kt.(string)
				if !ok {
					return nil, &json.SyntaxError{Offset: int64(koff)}
				}
				child, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				if seen[key] {
					v.dupKeys = append(v.dupKeys, key)
					v.dupOffs = append(v.dupOffs, koff)
					continue
				}
				seen[key] = true
				v.keys = append(v.keys, key)
				v.vals = append(v.vals, child)
			}
		case '[':
			v.kind = 'a'
			for p.dec.More() {
				child, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				v.elems = append(v.elems, child)
			}
		default: // a closing delimiter where a value should start
			return nil, &json.SyntaxError{Offset: int64(off)}
		}
		if _, err := p.dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
	case string:
		v.kind, v.str = 's', t
	case json.Number:
		v.kind, v.str = 'n', string(t)
	case bool:
		v.kind, v.b = 'b', t
	case nil:
		v.kind = 'z'
	}
	v.end = int(p.dec.InputOffset())
	return v, nil
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
