package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// cmdFonts lists the faces of each role's stack and their coverage; with a
// report, per role how many characters each face of the stack sets (naming
// those set by a later face), and every character that falls back to the
// 宋体 face or has none.
func cmdFonts(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("fonts")
	fontDir := fs.String("font-dir", os.Getenv("GOVREPORT_FONT_DIR"), "`directory` of TrueType files for the roles (title.ttf, body.ttf, hei.ttf, kai.ttf, song.ttf; body-2.ttf … the N-th face of a role's stack); env GOVREPORT_FONT_DIR")
	encoding := encodingFlag(fs)
	if done, code := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 1 {
		return usageError(fs, stderr, "name at most one report")
	}
	set, err := fonts.Load(*fontDir)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	fmt.Fprintf(stdout, "%-7s %-26s %-7s %-7s %-38s %s\n", "role", "face", "BMP", "hanzi", "licence", "source")
	for _, role := range fonts.Roles() {
		for i, f := range set.Stack(role) {
			bmp, han := 0, 0
			for r := rune(0x20); r <= 0xFFFF; r++ {
				if f.Has(r) {
					bmp++
					if r >= 0x4E00 && r <= 0x9FFF {
						han++
					}
				}
			}
			fmt.Fprintf(stdout, "%-7s %-26s %-7d %-7d %-38s %s\n", stackName(role, i), f.Name(), bmp, han, f.License(), f.Source())
		}
	}
	if fs.NArg() == 0 {
		return 0
	}
	name := quoteName(displayName(fs.Arg(0)))
	data, err := readInput(fs.Arg(0), stdin, *encoding)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", escapeText(err.Error()))
		return 2
	}
	r, f, err := templates.Decode(data, report.Options{ChecksWarn: true, Draft: true})
	var perr *report.Error
	if errors.As(err, &perr) {
		for _, p := range perr.Problems {
			fmt.Fprintf(stderr, "%s: %s\n", name, p)
		}
		printOmitted(stderr, name, perr.Omitted)
		return 1
	}
	doc, err := f.Build(r, templates.BuildOptions{})
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 1
	}
	code := 0
	texts := textByRole(doc)
	fmt.Fprintln(stdout)
	for _, role := range fonts.Roles() {
		text, ok := texts[role]
		if !ok {
			continue
		}
		var counts []string
		var later []string
		fallback := 0
		for _, u := range set.Uses(role, text) {
			switch {
			case u.Face == nil:
				later = append(later, fmt.Sprintf("%s no face: %s", plural(len(u.Runes), "has", "have"), codePoints(u.Runes)))
				code = 1
			case u.Fallback:
				fallback += len(u.Runes)
				later = append(later, fmt.Sprintf("%s back to %s: %s", plural(len(u.Runes), "falls", "fall"), u.Face.Name(), string(u.Runes)))
			default:
				i := slices.Index(set.Stack(role), u.Face)
				counts = append(counts, fmt.Sprintf("%d in %s", len(u.Runes), u.Face.Name()))
				if i > 0 {
					later = append(later, fmt.Sprintf("%d set by %s (%s): %s", len(u.Runes), u.Face.Name(), stackName(role, i), string(u.Runes)))
				}
			}
		}
		if fallback == 0 {
			counts = append(counts, "0 fall back")
		}
		fmt.Fprintf(stdout, "%s: %s\n", role, strings.Join(counts, ", "))
		for _, l := range later {
			fmt.Fprintf(stdout, "  %s\n", l)
		}
	}
	return code
}

// stackName names the i-th face of a role's stack as a font directory does:
// body, body-2, body-3 …
func stackName(role fonts.Role, i int) string {
	if i == 0 {
		return string(role)
	}
	return fmt.Sprintf("%s-%d", role, i+1)
}

// textByRole gathers the document's text by the role that sets it, in the
// fixed order of fonts.Roles.
func textByRole(doc *layout.Document) map[fonts.Role]string {
	var b = map[fonts.Role]*strings.Builder{}
	add := func(role fonts.Role, s string) {
		if b[role] == nil {
			b[role] = &strings.Builder{}
		}
		b[role].WriteString(s)
	}
	for t := range doc.Texts() {
		add(t.Role, t.Text)
	}
	add(fonts.RoleSong, "— 0123456789 —")
	out := map[fonts.Role]string{}
	for _, role := range fonts.Roles() {
		if b[role] != nil {
			out[role] = b[role].String()
		}
	}
	return out
}

func codePoints(rs []rune) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("U+%04X %q", r, string(r))
	}
	return strings.Join(parts, ", ")
}
