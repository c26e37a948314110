package pdf

import (
	"errors"
	"strconv"
)

// The lexer reads the PDF syntax of content streams and CMaps: numbers,
// names, strings, arrays, dictionaries and operators. It never allocates
// more than the input's size and nests at most maxNesting deep, so a
// hostile stream costs time linear in its length.

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokNum
	tokName
	tokStr // literal or hex string, decoded to bytes
	tokOp  // an operator (keyword)
	tokArrayOpen
	tokArrayClose
	tokDictOpen
	tokDictClose
)

type token struct {
	kind tokKind
	num  float64
	s    string // name (without /), operator, or string bytes
}

type lexer struct {
	b   []byte
	pos int
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

var errSyntax = errors.New("syntax error")

// next returns the next token; tokEOF at the end.
func (l *lexer) next() (token, error) {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		if isSpace(c) {
			l.pos++
			continue
		}
		if c == '%' {
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		break
	}
	if l.pos >= len(l.b) {
		return token{kind: tokEOF}, nil
	}
	c := l.b[l.pos]
	switch {
	case c == '/':
		l.pos++
		start := l.pos
		for l.pos < len(l.b) && !isSpace(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
			l.pos++
		}
		return token{kind: tokName, s: unhashName(l.b[start:l.pos])}, nil
	case c == '(':
		s, err := l.literal()
		return token{kind: tokStr, s: s}, err
	case c == '<':
		if l.pos+1 < len(l.b) && l.b[l.pos+1] == '<' {
			l.pos += 2
			return token{kind: tokDictOpen}, nil
		}
		s, err := l.hex()
		return token{kind: tokStr, s: s}, err
	case c == '>':
		if l.pos+1 < len(l.b) && l.b[l.pos+1] == '>' {
			l.pos += 2
			return token{kind: tokDictClose}, nil
		}
		l.pos++
		return token{}, errSyntax
	case c == '[':
		l.pos++
		return token{kind: tokArrayOpen}, nil
	case c == ']':
		l.pos++
		return token{kind: tokArrayClose}, nil
	case c == '{' || c == '}' || c == ')':
		l.pos++
		return token{kind: tokOp, s: string(c)}, nil
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		start := l.pos
		l.pos++
		for l.pos < len(l.b) && !isSpace(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
			l.pos++
		}
		f, ok := parseNum(l.b[start:l.pos])
		if !ok {
			return token{kind: tokOp, s: string(l.b[start:l.pos])}, nil
		}
		return token{kind: tokNum, num: f}, nil
	}
	start := l.pos
	for l.pos < len(l.b) && !isSpace(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
		l.pos++
	}
	return token{kind: tokOp, s: string(l.b[start:l.pos])}, nil
}

// parseNum reads a PDF number, also the malformed ones writers produce
// (1.2.3, --5, a lone sign) as 0 where a reader would.
func parseNum(b []byte) (float64, bool) {
	if len(b) > 64 {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err == nil {
		return f, true
	}
	for _, c := range b {
		if !(c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9')) {
			return 0, false
		}
	}
	return 0, true
}

func unhashName(b []byte) string {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) {
			if h, ok := unhex(b[i+1]); ok {
				if l, ok := unhex(b[i+2]); ok {
					out = append(out, h<<4|l)
					i += 2
					continue
				}
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func (l *lexer) hex() (string, error) {
	l.pos++ // <
	out := make([]byte, 0, 16)
	var hi byte
	half := false
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		if c == '>' {
			if half {
				out = append(out, hi<<4)
			}
			return string(out), nil
		}
		if isSpace(c) {
			continue
		}
		v, ok := unhex(c)
		if !ok {
			return "", errSyntax
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	return "", errSyntax
}

func (l *lexer) literal() (string, error) {
	l.pos++ // (
	depth := 1
	out := make([]byte, 0, 16)
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return string(out), nil
			}
		case '\\':
			if l.pos >= len(l.b) {
				return "", errSyntax
			}
			e := l.b[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.pos < len(l.b) && l.b[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; k++ {
						v = v*8 + int(l.b[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return "", errSyntax
}

// skipInlineImage moves past an inline image's data, after its ID
// operator: to the EI that follows white space and is followed by white
// space or the end.
func (l *lexer) skipInlineImage() {
	if l.pos < len(l.b) {
		l.pos++ // the single white space after ID
	}
	for i := l.pos; i+1 < len(l.b); i++ {
		if l.b[i] == 'E' && l.b[i+1] == 'I' && i > 0 && isSpace(l.b[i-1]) && (i+2 == len(l.b) || isSpace(l.b[i+2])) {
			l.pos = i + 2
			return
		}
	}
	l.pos = len(l.b)
}
