package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/internal/safefile"
	"github.com/govreport/govreport/render"
	"github.com/govreport/govreport/render/docx"
	"github.com/govreport/govreport/render/png"
	"github.com/govreport/govreport/report"
)

// parseFormat reads --format.
func parseFormat(s string) (render.Format, error) { return render.ParseFormat(s) }

// formatOf infers the format from an output file's extension.
func formatOf(out string) (render.Format, bool) { return render.FormatOfFile(out) }

// extension is the file extension of a format.
func extension(f render.Format) string { return f.Ext() }

func cmdRender(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("render")
	out := fs.String("o", "", "output `file`, - for standard output; default: the input's name with the format's extension (standard output for layout)")
	format := fs.String("format", "", "`format`: pdf, docx, ofd, png or layout (default: from -o's extension, else pdf)")
	page := fs.Int("page", 1, "png: the `page` to preview, 1 to the number of pages")
	dpi := fs.Float64("dpi", 96, fmt.Sprintf("png: resolution in dots per inch, more than 0 and at most %d", png.MaxDPI))
	docxFonts := fs.String("docx-fonts", "official", "docx: `fonts`: official names the fonts of a government PC (仿宋_GB2312 …, 仿宋 … for text outside GB2312); embed embeds the PDF's faces in the file")
	fontDir := fs.String("font-dir", os.Getenv("GOVREPORT_FONT_DIR"), "`directory` of TrueType files overriding font roles (title.ttf, body.ttf, hei.ttf, kai.ttf, song.ttf); env GOVREPORT_FONT_DIR")
	encoding := encodingFlag(fs)
	var warn checksFlag
	fs.Var(&warn, "checks", "`mode`: strict, a failed 勾稽 check stops the render; warn, render and report it")
	draft := fs.Bool("draft", false, "render a report that still holds init's placeholders, with 草稿 on every page")
	if done, code := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() != 1 {
		return usageError(fs, stderr, "name one report (- for standard input)")
	}
	// One render that allocates a few MB, all garbage by the exit: the
	// collector's default pace spent 15–35 % of the process's CPU on it.
	tuneGC()
	in := fs.Arg(0)
	var f render.Format
	switch {
	case *format != "":
		var err error
		if f, err = parseFormat(*format); err != nil {
			return usageError(fs, stderr, "%v", err)
		}
	case *out != "" && *out != "-":
		var ok bool
		if f, ok = formatOf(*out); !ok {
			return usageError(fs, stderr, "cannot tell the format from %q; use --format", *out)
		}
	default:
		f = render.PDF
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if f != render.PNG {
		for _, name := range []string{"page", "dpi"} {
			if set[name] {
				return usageError(fs, stderr, "--%s is for PNG previews; a %s holds every page", name, strings.ToUpper(string(f)))
			}
		}
	}
	if *page < 1 {
		return usageError(fs, stderr, "--page %d: pages are numbered from 1", *page)
	}
	if !(*dpi > 0 && *dpi <= png.MaxDPI) { // NaN too
		return usageError(fs, stderr, "--dpi %g: must be more than 0 and at most %d", *dpi, png.MaxDPI)
	}
	switch {
	case *out != "":
	case f == render.Layout:
		// The layout dump is for reading and piping; a file named
		// X.layout.json would be mistaken for the golden of X.json.
		*out = "-"
	case in == "-":
		return usageError(fs, stderr, "standard input has no name to derive the output's from: give -o FILE (or -o - for standard output)")
	default:
		*out = strings.TrimSuffix(in, filepath.Ext(in)) + extension(f)
	}
	if in != "-" && *out != "-" && safefile.Same(in, *out) {
		return usageError(fs, stderr, "-o %s is the input report; choose another output name", *out)
	}
	fontMode, err := docx.ParseFontMode(*docxFonts)
	if err != nil {
		return usageError(fs, stderr, "--docx-fonts: %v", err)
	}
	start := time.Now()
	faces, err := fonts.Load(*fontDir)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	date, err := sourceDate()
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	data, err := readInput(in, stdin, *encoding)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", escapeText(err.Error()))
		return 2
	}
	name := quoteName(displayName(in))
	res, err := render.Render(ctx, data, render.Options{Format: f, ChecksWarn: bool(warn), Draft: *draft, Fonts: faces, Creator: creator(), Date: date, Page: *page, DPI: *dpi, DOCXFonts: fontMode})
	var perr *report.Error
	var pageErr *render.PageError
	switch {
	case errors.As(err, &perr):
		for _, p := range perr.Problems {
			fmt.Fprintf(stderr, "%s: %s\n", name, p)
		}
		printOmitted(stderr, name, perr.Omitted)
		return 1
	case errors.As(err, &pageErr):
		return usageError(fs, stderr, "--page %d: %v", *page, err)
	case err != nil:
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "%s: warning: %s\n", name, w)
	}
	if *out == "-" {
		if _, err := stdout.Write(res.Bytes); err != nil {
			return 1 // run says why (stdout is a checkedWriter)
		}
		return 0
	}
	// A render killed mid-write left .out.pdf.N.tmp beside it; this one
	// writes out.pdf, so it clears that away first (see removeStaleTemps).
	removeStaleTempsOf([]string{*out}, start, stderr)
	if err := writeFileAtomic(*out, res.Bytes); err != nil {
		fmt.Fprintln(stderr, "govreport:", escapeText(err.Error()))
		return 1
	}
	fmt.Fprintf(stderr, "%s: %s → %s\n", name, plural(res.Pages, "page", "pages"), quoteName(*out))
	return 0
}

// maxReportFile bounds what the CLI reads as one report: far above any
// report the contract admits (300,000 characters of text), far below what
// would exhaust memory.
const maxReportFile = 32 << 20

// readReportFile reads a report file: only a regular file (a FIFO named
// *.json is refused at once instead of blocking), at most maxReportFile.
func readReportFile(name string) ([]byte, error) { return safefile.Read(name, maxReportFile) }

// writeFileAtomic writes to a temporary file beside name and renames it,
// so a reader never sees a half-written document; it never replaces a
// device or other non-regular file, and a replaced file keeps its mode.
func writeFileAtomic(name string, data []byte) error { return safefile.WriteAtomic(name, data) }
