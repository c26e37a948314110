package main

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// plainText reports whether s can be shown as it is on one line of text
// output: valid UTF-8 with only graphic characters (letters, marks,
// numbers, punctuation, symbols, spaces), no control or format character
// — a newline, an escape sequence, a bidirectional override — that would
// break the line, drive the terminal or hide what the name really is.
func plainText(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || !strconv.IsGraphic(r) {
			return false // RuneError: invalid UTF-8, or U+FFFD itself
		}
	}
	return true
}

// quoteName is a file name as the text output shows it: as it is when
// plain, else quoted as Go quotes strings ("a\nb.json", "\xff.json"), so
// each file stays on one line and its name can be told exactly. JSON
// output keeps the name itself (encoding/json escapes it, and writes an
// invalid byte as U+FFFD, so the JSON stays valid UTF-8).
func quoteName(name string) string {
	if plainText(name) {
		return name
	}
	return strconv.Quote(name)
}

// escapeText escapes in a message what quoteName would quote, without
// adding quotes: a message embeds a name (open a\nb.json: …) and must stay
// one line too.
func escapeText(s string) string {
	if plainText(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[i])|0x100, 16)[1:])
		case strconv.IsGraphic(r) && r != utf8.RuneError:
			b.WriteString(s[i : i+n])
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
		i += n
	}
	return b.String()
}
