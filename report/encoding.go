package report

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// A report is UTF-8 (RFC 8259), with or without a byte order mark. Files
// saved by Notepad or Excel on Chinese Windows are often GB18030 (GBK) instead, and
// "invalid UTF-8" alone does not tell a clerk what to do. So the encoding
// problem says when the bytes read as GB18030 and how to convert them, and
// ToUTF8 converts them for callers that are told the encoding.

// Encodings the input may be declared in, as ToUTF8 accepts them.
var Encodings = []string{"utf-8", "gb18030"}

// ToUTF8 converts a report in the named encoding to UTF-8. GBK and GB2312
// are subsets of GB18030, so "gbk" and "gb2312" decode as GB18030. Bytes
// that are valid UTF-8 stay as they are whatever the encoding named:
// Chinese text in GB18030 is practically never valid UTF-8, while UTF-8
// read as GB18030 would silently turn into other characters, so a folder
// of mixed files can be read with one --encoding gb18030.
func ToUTF8(data []byte, encoding string) ([]byte, error) {
	switch strings.ToLower(strings.ReplaceAll(encoding, "_", "-")) {
	case "", "utf-8", "utf8":
		return data, nil
	case "gb18030", "gbk", "gb2312", "cp936":
		if utf8.Valid(data) {
			return data, nil
		}
		out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return nil, fmt.Errorf("not GB18030: %w", err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown encoding %q (%s)", encoding, strings.Join(Encodings, ", "))
}

// encodingProblem explains bytes that are not UTF-8, found at line, col:
// when the document reads cleanly as GB18030 it says so, shows the
// line as GB18030 reads it, and how to convert.
func encodingProblem(data []byte, line, col int) (en, zh string) {
	if text, ok := asGB18030(data); ok {
		sample := sampleLine(text, line)
		return fmt.Sprintf("invalid UTF-8 at line %d, column %d; the file reads as GB18030/GBK (the usual encoding on Chinese Windows): “%s”; save it as UTF-8 (e.g. iconv -f GB18030 -t UTF-8 in.json > out.json), or give the CLI --encoding gb18030", line, col, sample),
			fmt.Sprintf("第 %d 行第 %d 列不是 UTF-8 编码；该文件按 GB18030/GBK 编码（中文 Windows 常用）可读作“%s”。请另存为 UTF-8（如 iconv -f GB18030 -t UTF-8 in.json > out.json），或在命令行加 --encoding gb18030", line, col, sample)
	}
	return fmt.Sprintf("invalid UTF-8 at line %d, column %d: save the file as UTF-8", line, col),
		fmt.Sprintf("第 %d 行第 %d 列不是有效的 UTF-8 编码，请以 UTF-8 保存文件", line, col)
}

// asGB18030 decodes data as GB18030 and reports whether it is plausibly
// Chinese text in that encoding: every byte sequence valid, nearly all
// characters beyond ASCII Chinese characters or CJK punctuation, and at
// most half of the two-byte characters with an ASCII second byte. GB18030
// maps almost any byte pair to some character, so validity alone would
// also accept, say, Latin-1, where "ü" and the letter after it read as one
// Chinese character; in Chinese text most characters (all of GB2312) have
// both bytes above 0xA0.
func asGB18030(data []byte) ([]byte, bool) {
	pairs, asciiTrail := 0, 0
	for i := 0; i < len(data); i++ {
		b := data[i]
		if b < 0x81 || b == 0xFF || i+1 == len(data) {
			continue
		}
		t := data[i+1]
		if t >= 0x30 && t <= 0x39 { // four bytes
			i += 3
			continue
		}
		pairs++
		if t < 0x80 {
			asciiTrail++
		}
		i++
	}
	if asciiTrail*2 > pairs {
		return nil, false
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return nil, false
	}
	cjk, other := 0, 0
	for _, r := range string(out) {
		switch {
		case r < utf8.RuneSelf || r == '\uFEFF':
		case unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF || r >= 0x2010 && r <= 0x2027:
			cjk++
		default:
			other++
		}
	}
	return out, cjk > 0 && other*10 <= cjk
}

// sampleLine is line n (1-based) of text, trimmed and shortened. It finds
// the line without splitting the text: a body of a million short lines
// must not cost a million strings.
func sampleLine(text []byte, n int) string {
	for ; n > 1; n-- {
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			return ""
		}
		text = text[i+1:]
	}
	if n < 1 {
		return ""
	}
	if i := bytes.IndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	}
	return clip(string(cut(bytes.TrimSpace(text), maxEchoBytes)))
}
