package pdf

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/unicode/norm"
)

// font is what the reader needs of a PDF font: how a string's bytes split
// into codes, each code's Unicode text and its advance width.
type font struct {
	// twoByte: every code is two bytes (Identity-H and most CID fonts);
	// gbk: one byte below 0x81, else two (the predefined GBK-EUC CMaps);
	// otherwise one byte.
	twoByte, gbk bool
	// ucs2: the code is the character (predefined Uni…-UCS2/UTF16 CMaps).
	ucs2 bool
	// cid maps a code to its CID where an embedded CMap says so (nil:
	// CID = code).
	cid map[uint32]uint32
	// toUni is the ToUnicode CMap's mapping.
	toUni map[uint32]string
	// enc is a simple font's encoding (Encoding, Differences), used where
	// ToUnicode says nothing.
	enc *[256]rune
	// widths are in thousandths of the text size: by CID for a Type0
	// font, by code for a simple one.
	widths map[uint32]float64
	dw     float64
	bold   bool
	// scale turns widths into thousandths of the size (Type3's
	// FontMatrix; 1 elsewhere).
	scale float64
}

// code is one character code of a shown string.
type code struct {
	c     uint32
	n     int // bytes
	text  string
	width float64 // thousandths of the size
}

// codes splits s into codes.
func (f *font) codes(s string, out []code) []code {
	for i := 0; i < len(s); {
		var c uint32
		n := 1
		switch {
		case f.twoByte || (f.gbk && s[i] >= 0x81):
			if i+1 < len(s) {
				c = uint32(s[i])<<8 | uint32(s[i+1])
				n = 2
			} else {
				c = uint32(s[i])
			}
		default:
			c = uint32(s[i])
		}
		i += n
		out = append(out, code{c: c, n: n, text: f.text(c, n), width: f.width(c)})
	}
	return out
}

func (f *font) text(c uint32, n int) string {
	if t, ok := f.toUni[c]; ok {
		return t
	}
	switch {
	case f.ucs2:
		return string(rune(c))
	case f.gbk:
		var b []byte
		if n == 2 {
			b = []byte{byte(c >> 8), byte(c)}
		} else {
			b = []byte{byte(c)}
		}
		d, err := simplifiedchinese.GBK.NewDecoder().Bytes(b)
		if err == nil && utf8.Valid(d) {
			return string(d)
		}
		return "\uFFFD"
	case f.twoByte:
		return "\uFFFD"
	case f.enc != nil:
		if r := f.enc[c&0xff]; r != 0 {
			return string(r)
		}
	}
	return string(charmap.Windows1252.DecodeByte(byte(c)))
}

func (f *font) width(c uint32) float64 {
	k := c
	if f.cid != nil {
		k = f.cid[c]
	}
	if w, ok := f.widths[k]; ok {
		return w * f.scale
	}
	return f.dw * f.scale
}

// loadFont reads a font dictionary. A font it cannot make sense of still
// gives a font: its text is U+FFFD and its widths a default, so one bad font
// does not lose the page.
func (r *reader) loadFont(d types.Dict) *font {
	f := &font{dw: 500, scale: 1, widths: map[uint32]float64{}}
	sub := r.name(d["Subtype"])
	base := r.name(d["BaseFont"])
	f.bold = boldName(base)
	if tu := r.stream(d["ToUnicode"]); tu != nil {
		f.toUni = parseToUnicode(tu, r)
	}
	if sub == "Type0" {
		f.dw = 1000
		f.twoByte = true
		switch e := r.resolve(d["Encoding"]).(type) {
		case types.Name:
			n := string(e)
			switch {
			case strings.HasPrefix(n, "Identity"):
			case strings.HasPrefix(n, "Uni") && (strings.Contains(n, "UCS2") || strings.Contains(n, "UTF16")):
				f.ucs2 = true
			case strings.Contains(n, "EUC") || strings.HasPrefix(n, "GBK"):
				f.twoByte, f.gbk = false, true
			}
		case types.StreamDict:
			if b := r.decode(&e); b != nil {
				cs, cid := parseCIDCMap(b, r)
				f.cid = cid
				if cs == 1 {
					f.twoByte = false
				}
			}
		}
		if a := r.array(d["DescendantFonts"]); len(a) > 0 {
			if dd := r.dict(a[0]); dd != nil {
				if dw, ok := r.num(dd["DW"]); ok {
					f.dw = dw
				}
				f.cidWidths(r, r.array(dd["W"]))
				if !f.bold {
					f.bold = boldName(r.name(dd["BaseFont"])) || r.boldDescriptor(r.dict(dd["FontDescriptor"]))
				}
			}
		}
		return f
	}
	// A simple font.
	f.dw = 0
	if fd := r.dict(d["FontDescriptor"]); fd != nil {
		if mw, ok := r.num(fd["MissingWidth"]); ok {
			f.dw = mw
		}
		f.bold = f.bold || r.boldDescriptor(fd)
	}
	if f.dw == 0 {
		f.dw = 500 // the standard 14 fonts come without widths
	}
	if sub == "Type3" {
		if m := r.array(d["FontMatrix"]); len(m) > 0 {
			if s, ok := r.num(m[0]); ok {
				f.scale = s * 1000
			}
		}
	}
	first, _ := r.num(d["FirstChar"])
	for i, w := range r.array(d["Widths"]) {
		if i > 256 {
			break
		}
		if v, ok := r.num(w); ok {
			f.widths[uint32(int(first)+i)] = v
		}
	}
	f.enc = r.simpleEncoding(d["Encoding"])
	return f
}

func boldName(n string) bool {
	return strings.Contains(n, "Bold") || strings.Contains(n, "Black") || strings.Contains(n, "Heavy")
}

func (r *reader) boldDescriptor(fd types.Dict) bool {
	if fd == nil {
		return false
	}
	if w, ok := r.num(fd["FontWeight"]); ok && w >= 600 {
		return true
	}
	if fl, ok := r.num(fd["Flags"]); ok && int(fl)&(1<<18) != 0 {
		return true
	}
	return false
}

func (f *font) cidWidths(r *reader, w types.Array) {
	for i := 0; i < len(w) && len(f.widths) < maxCodes; {
		c0, ok := r.num(w[i])
		if !ok || i+1 >= len(w) {
			return
		}
		if a := r.array(w[i+1]); a != nil {
			for k, v := range a {
				if x, ok := r.num(v); ok {
					f.widths[uint32(int(c0)+k)] = x
				}
				if len(f.widths) >= maxCodes {
					return
				}
			}
			i += 2
			continue
		}
		c1, ok1 := r.num(w[i+1])
		if i+2 >= len(w) || !ok1 {
			return
		}
		x, _ := r.num(w[i+2])
		if c1-c0 > maxCodes || c1 < c0 || c0 < 0 {
			return
		}
		for c := int(c0); c <= int(c1) && len(f.widths) < maxCodes; c++ {
			f.widths[uint32(c)] = x
		}
		i += 3
	}
}

func (r *reader) simpleEncoding(o types.Object) *[256]rune {
	var enc [256]rune
	base := "StandardEncoding"
	var diffs types.Array
	switch e := r.resolve(o).(type) {
	case types.Name:
		base = string(e)
	case types.Dict:
		if b := r.name(e["BaseEncoding"]); b != "" {
			base = b
		}
		diffs = r.array(e["Differences"])
	}
	switch base {
	case "MacRomanEncoding":
		for i := range enc {
			enc[i] = charmap.Macintosh.DecodeByte(byte(i))
		}
	case "WinAnsiEncoding":
		for i := range enc {
			enc[i] = charmap.Windows1252.DecodeByte(byte(i))
		}
	default:
		for i := 32; i < 127; i++ {
			enc[i] = rune(i)
		}
		enc['\''] = '’'
		enc['`'] = '‘'
	}
	c := 0
	for _, d := range diffs {
		switch v := r.resolve(d).(type) {
		case types.Integer:
			c = int(v)
		case types.Float:
			c = int(v)
		case types.Name:
			if c >= 0 && c < 256 {
				if u := glyphRune(string(v)); u != 0 {
					enc[c] = u
				}
			}
			c++
		}
	}
	return &enc
}

// glyphRune is the character of a glyph name: the Adobe Glyph List's
// names that the reports' fonts use, and the uniXXXX and uXXXX forms.
func glyphRune(n string) rune {
	if len(n) == 1 {
		return rune(n[0])
	}
	if r, ok := glyphNames[n]; ok {
		return r
	}
	if strings.HasPrefix(n, "uni") && len(n) >= 7 {
		if v, err := strconv.ParseUint(n[3:7], 16, 32); err == nil {
			return rune(v)
		}
	}
	if strings.HasPrefix(n, "u") && len(n) >= 5 && len(n) <= 7 {
		if v, err := strconv.ParseUint(n[1:], 16, 32); err == nil && v <= utf8.MaxRune {
			return rune(v)
		}
	}
	return 0
}

var glyphNames = map[string]rune{
	"space": ' ', "exclam": '!', "quotedbl": '"', "numbersign": '#', "dollar": '$', "percent": '%',
	"ampersand": '&', "quotesingle": '\'', "parenleft": '(', "parenright": ')', "asterisk": '*',
	"plus": '+', "comma": ',', "hyphen": '-', "period": '.', "slash": '/', "zero": '0', "one": '1',
	"two": '2', "three": '3', "four": '4', "five": '5', "six": '6', "seven": '7', "eight": '8',
	"nine": '9', "colon": ':', "semicolon": ';', "less": '<', "equal": '=', "greater": '>',
	"question": '?', "at": '@', "bracketleft": '[', "backslash": '\\', "bracketright": ']',
	"asciicircum": '^', "underscore": '_', "grave": '`', "braceleft": '{', "bar": '|',
	"braceright": '}', "asciitilde": '~', "quoteleft": '‘', "quoteright": '’',
	"quotedblleft": '“', "quotedblright": '”', "endash": '–', "emdash": '—', "bullet": '•',
	"ellipsis": '…', "periodcentered": '·', "minus": '−', "nbspace": '\u00a0', "degree": '°',
	"multiply": '×', "divide": '÷', "section": '§', "copyright": '©', "registered": '®',
}

// cmapSections reads a CMap's sections: at each endX operator it calls
// section with the operands since the section began (those keep takes,
// at most 3 × maxCodes), until section says it has read enough, the
// input ends or r's budget runs out. The ToUnicode and the embedded CID
// CMaps differ only in their sections.
func cmapSections(b []byte, r *reader, keep func(token) bool, section func(op string, ops []token) (enough bool)) {
	l := lexer{b: b}
	var ops []token
	for {
		t, err := l.next()
		if err != nil || t.kind == tokEOF || r.step() != nil {
			return
		}
		switch {
		case t.kind == tokOp && strings.HasPrefix(t.s, "end"):
			if section(t.s, ops) {
				return
			}
			ops = ops[:0]
		case t.kind == tokOp && strings.HasPrefix(t.s, "begin"):
			ops = ops[:0]
		case keep(t) && len(ops) < 3*maxCodes:
			ops = append(ops, t)
		}
	}
}

// parseToUnicode reads a ToUnicode CMap's bfchar and bfrange entries.
func parseToUnicode(b []byte, r *reader) map[uint32]string {
	m := map[uint32]string{}
	keep := func(t token) bool { return t.kind == tokStr || t.kind == tokArrayOpen || t.kind == tokArrayClose }
	cmapSections(b, r, keep, func(op string, ops []token) bool {
		switch op {
		case "endbfchar":
			for i := 0; i+1 < len(ops); i += 2 {
				if ops[i].kind == tokStr && ops[i+1].kind == tokStr {
					m[bytesCode(ops[i].s)] = unifyRadicals(utf16String(ops[i+1].s))
				}
			}
		case "endbfrange":
			for i := 0; i+2 < len(ops); {
				lo, hi := ops[i], ops[i+1]
				if lo.kind != tokStr || hi.kind != tokStr {
					break
				}
				c0, c1 := bytesCode(lo.s), bytesCode(hi.s)
				if c1 < c0 || c1-c0 > maxCodes {
					break
				}
				if ops[i+2].kind == tokArrayOpen {
					j := i + 3
					for c := c0; j < len(ops) && ops[j].kind == tokStr; c++ {
						if c <= c1 {
							m[c] = unifyRadicals(utf16String(ops[j].s))
						}
						j++
					}
					i = j + 1 // past ]
					continue
				}
				if ops[i+2].kind == tokStr {
					dst := []byte(ops[i+2].s)
					for c := c0; c <= c1 && len(m) < maxCodes; c++ {
						m[c] = unifyRadicals(utf16String(string(dst)))
						if len(dst) > 0 {
							dst[len(dst)-1]++ // the last byte counts up (PDF 9.10.3)
						}
					}
				}
				i += 3
			}
		}
		return len(m) >= maxCodes
	})
	return m
}

// parseCIDCMap reads an embedded CMap: the bytes of its codes (1 or 2)
// and its cidchar and cidrange mappings.
func parseCIDCMap(b []byte, r *reader) (int, map[uint32]uint32) {
	m := map[uint32]uint32{}
	size := 2
	keep := func(t token) bool { return t.kind == tokStr || t.kind == tokNum }
	cmapSections(b, r, keep, func(op string, ops []token) bool {
		switch op {
		case "endcodespacerange":
			if len(ops) >= 2 && ops[0].kind == tokStr {
				size = len(ops[0].s)
			}
		case "endcidchar":
			for i := 0; i+1 < len(ops); i += 2 {
				m[bytesCode(ops[i].s)] = uint32(ops[i+1].num)
			}
		case "endcidrange":
			for i := 0; i+2 < len(ops); i += 3 {
				c0, c1 := bytesCode(ops[i].s), bytesCode(ops[i+1].s)
				if c1 < c0 || c1-c0 > maxCodes {
					break
				}
				for c := c0; c <= c1 && len(m) < maxCodes; c++ {
					m[c] = uint32(ops[i+2].num) + c - c0
				}
			}
		}
		return len(m) >= maxCodes
	})
	if size != 1 {
		size = 2
	}
	if len(m) == 0 {
		m = nil
	}
	return size, m
}

func bytesCode(s string) uint32 {
	var c uint32
	for i := 0; i < len(s) && i < 4; i++ {
		c = c<<8 | uint32(s[i])
	}
	return c
}

// unifyRadicals maps the radicals and compatibility ideographs a font's
// ToUnicode gives for glyphs it shares with an ideograph (Noto CJK and
// many Chinese fonts map 人 to ⼈ U+2F08, 民 to ⺠ U+2EA0, 见 to ⻅) to the
// ideograph the text means: Kangxi radicals and compatibility ideographs
// by NFKC, the CJK radicals supplement by a table of the ones that stand
// for a character.
func unifyRadicals(s string) string {
	odd := false
	for _, r := range s {
		if r >= 0x2E80 && r <= 0x2FDF || r >= 0xF900 && r <= 0xFAFF {
			odd = true
			break
		}
	}
	if !odd {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0x2F00 && r <= 0x2FDF || r >= 0xF900 && r <= 0xFAFF:
			b.WriteString(norm.NFKC.String(string(r)))
		case radicals[r] != 0:
			b.WriteRune(radicals[r])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

var radicals = map[rune]rune{
	'⺊': '卜', '⺎': '兀', '⺒': '巳', '⺓': '幺', '⺟': '母', '⺠': '民', '⺬': '示', '⺳': '网',
	'⺼': '月', '⻁': '虎', '⻄': '西', '⻅': '见', '⻆': '角', '⻉': '贝', '⻋': '车', '⻑': '長',
	'⻓': '长', '⻔': '门', '⻗': '雨', '⻘': '青', '⻚': '页', '⻛': '风', '⻜': '飞', '⻝': '食',
	'⻢': '马', '⻣': '骨', '⻤': '鬼', '⻥': '鱼', '⻦': '鸟', '⻧': '卤', '⻨': '麦', '⻩': '黄',
	'⻪': '黾', '⻫': '齐', '⻭': '齿', '⻯': '龙', '⻰': '龙', '⻳': '龟',
}

// utf16String decodes a ToUnicode destination, UTF-16BE.
func utf16String(s string) string {
	if len(s) == 1 {
		return string(rune(s[0]))
	}
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return string(utf16.Decode(u))
}
