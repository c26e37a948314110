// Command bench writes, for scripts/bench.sh, the documents other tools
// typeset in the comparison with govreport, from the same report: a Typst
// source equivalent to the PDF govreport sets (the same text, headings,
// tables with their spans and repeated header rows, signature; A4 with
// GB/T 9704's margins, 三号 仿宋 on a 28.95 pt line; the same embedded
// faces, passed to Typst as font files), and a list of the faces' files.
//
//	go run ./scripts/bench -typst out.typ -fonts DIR report.json
//
// DIR receives the embedded faces' files, for Typst's font search path.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/govreport/govreport/fonts"
	_ "github.com/govreport/govreport/fonts/faces"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

func main() {
	out := flag.String("typst", "", "write the Typst source here")
	fontDir := flag.String("fonts", "", "write the faces' files here")
	flag.Parse()
	if flag.NArg() != 1 || *out == "" || *fontDir == "" {
		fmt.Fprintln(os.Stderr, "usage: bench -typst out.typ -fonts DIR report.json")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *out, *fontDir); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(in, out, fontDir string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	r, f, err := templates.Decode(data, report.Options{ChecksWarn: true})
	if err != nil {
		return err
	}
	doc, err := f.Build(r, templates.BuildOptions{})
	if err != nil {
		return err
	}
	set, err := fonts.Default()
	if err != nil {
		return err
	}
	family := map[fonts.Role]string{}
	if err := os.MkdirAll(fontDir, 0o755); err != nil {
		return err
	}
	for _, role := range fonts.Roles() {
		var fams []string
		for i, face := range set.Stack(role) {
			fams = append(fams, fmt.Sprintf("%q", face.Family()))
			name := fmt.Sprintf("%s-%d.ttf", role, i)
			if err := os.WriteFile(filepath.Join(fontDir, name), face.Bytes(), 0o644); err != nil {
				return err
			}
		}
		family[role] = "(" + strings.Join(fams, ", ") + ",)"
	}
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	// GB/T 9704: A4, top 37 mm, left 28 mm, text block 156 × 225 mm, 三号
	// (16 pt) 仿宋, 22 lines of 28 characters; page number — N — in 宋体.
	w("#set document(title: %s)\n", str(doc.Meta.Title))
	w("#set page(paper: \"a4\", margin: (top: 37mm, left: 28mm, right: 26mm, bottom: 35mm),\n")
	w("  footer: context align(center, text(font: %s, size: 14pt)[— #counter(page).display() —]))\n", family[fonts.RoleSong])
	w("#set text(font: %s, size: 16pt, lang: \"zh\", region: \"cn\")\n", family[fonts.RoleBody])
	w("#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 12.95pt, spacing: 12.95pt)\n")
	w("#set table(stroke: 0.5pt, inset: 3pt)\n")
	for _, bl := range doc.Blocks {
		switch bl := bl.(type) {
		case *layout.Title:
			w("#align(center, text(font: %s, weight: \"bold\", size: 22pt)[%s])\n\n", family[fonts.RoleTitle], esc(bl.Text))
		case *layout.Heading:
			role := fonts.RoleHei
			if bl.Level > 1 {
				role = fonts.RoleKai
			}
			w("#block(sticky: true, par(first-line-indent: 2em, text(font: %s)[%s]))\n\n", family[role], esc(bl.Text))
		case *layout.Paragraph:
			for _, run := range bl.Runs {
				if run.Role == fonts.RoleBody {
					w("%s", esc(run.Text))
				} else {
					w("#text(font: %s)[%s]", family[run.Role], esc(run.Text))
				}
			}
			w("\n\n")
		case *layout.Table:
			table(&b, bl, family)
		case *layout.Signature:
			w("#v(2em)\n#align(right, block[#align(center)[%s \\ %s]])\n\n", esc(bl.Agency), esc(bl.Date))
		}
	}
	return os.WriteFile(out, []byte(b.String()), 0o644)
}

// table writes a table with its spans; the header rows repeat on every
// page the table continues on, as govreport's do.
func table(b *strings.Builder, t *layout.Table, family map[fonts.Role]string) {
	cols := "auto"
	if len(t.Widths) == t.Columns {
		var ws []string
		for _, x := range t.Widths {
			ws = append(ws, fmt.Sprintf("%gfr", x))
		}
		cols = "(" + strings.Join(ws, ", ") + ",)"
	} else {
		cols = fmt.Sprint(t.Columns)
	}
	fmt.Fprintf(b, "#text(size: 12pt, table(columns: %s, align: center + horizon,\n", cols)
	for part := range 2 {
		if part == 0 {
			if t.HeaderRows == 0 {
				continue
			}
			b.WriteString("  table.header(\n")
		}
		for _, c := range t.Cells {
			if (c.Row < t.HeaderRows) != (part == 0) {
				continue
			}
			body := "[" + esc(c.Text) + "]"
			if c.Kind == layout.CellSection {
				body = fmt.Sprintf("text(font: %s)[%s]", family[fonts.RoleHei], esc(c.Text))
			}
			fmt.Fprintf(b, "  table.cell(x: %d, y: %d, rowspan: %d, colspan: %d, par(first-line-indent: 0pt, justify: false, %s)),\n",
				c.Col, c.Row, max(c.RowSpan, 1), max(c.ColSpan, 1), body)
		}
		if part == 0 {
			b.WriteString("  ),\n")
		}
	}
	b.WriteString("))\n\n")
}

// esc escapes text for Typst markup.
func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\#*_[]$<>@~`+"`"+`=/-+"'`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// str is a Typst string literal.
func str(s string) string { return fmt.Sprintf("%q", s) }
