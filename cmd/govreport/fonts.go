package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// cmdFonts lists the face behind each role and its coverage; with a
// report, every character that falls back to another face or has none.
func cmdFonts(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fonts", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fontDir := fs.String("font-dir", os.Getenv("GOVREPORT_FONT_DIR"), "directory of TrueType files overriding roles (title.ttf, body.ttf, hei.ttf, kai.ttf, song.ttf); env GOVREPORT_FONT_DIR")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: govreport fonts [--font-dir DIR] [report.json]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() > 1 {
		return 2
	}
	set, err := fonts.Load(*fontDir)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	fmt.Fprintf(stdout, "%-6s %-26s %-7s %-7s %-30s %s\n", "role", "face", "BMP", "hanzi", "licence", "source")
	for _, role := range fonts.Roles() {
		f := set.Face(role)
		bmp, han := 0, 0
		for r := rune(0x20); r <= 0xFFFF; r++ {
			if f.Has(r) {
				bmp++
				if r >= 0x4E00 && r <= 0x9FFF {
					han++
				}
			}
		}
		fmt.Fprintf(stdout, "%-6s %-26s %-7d %-7d %-30s %s\n", role, f.Name(), bmp, han, f.License(), f.Source())
	}
	if fs.NArg() == 0 {
		return 0
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	f, err := templates.Lookup(report.FormatID)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	r, err := report.Decode(data, report.Options{Labels: f, ChecksWarn: true})
	var perr *report.Error
	if errors.As(err, &perr) {
		for _, p := range perr.Problems {
			fmt.Fprintf(stderr, "%s: %s\n", fs.Arg(0), p)
		}
		return 1
	}
	doc, err := f.Build(r, templates.BuildOptions{})
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 1
	}
	code := 0
	for role, text := range textByRole(doc) {
		fallback, missing := set.Report(role, text)
		if len(fallback) > 0 {
			fmt.Fprintf(stdout, "%s: %d characters fall back to %s: %s\n", role, len(fallback), set.Fallback().Name(), string(fallback))
		}
		if len(missing) > 0 {
			fmt.Fprintf(stdout, "%s: %d characters have no face: %s\n", role, len(missing), codePoints(missing))
			code = 1
		}
	}
	return code
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
	for _, blk := range doc.Blocks {
		switch x := blk.(type) {
		case *layout.Title:
			add(fonts.RoleTitle, x.Text)
		case *layout.Heading:
			if x.Level <= 1 {
				add(fonts.RoleHei, x.Text)
			} else {
				add(fonts.RoleKai, x.Text)
			}
		case *layout.Paragraph:
			for _, r := range x.Runs {
				add(r.Role, r.Text)
			}
		case *layout.Table:
			for _, c := range x.Cells {
				if c.Kind == layout.CellSection {
					add(fonts.RoleHei, c.Text)
				} else {
					add(fonts.RoleBody, c.Text)
				}
			}
		case *layout.Signature:
			add(fonts.RoleBody, x.Agency+x.Date)
		}
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
