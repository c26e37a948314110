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

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/render"
	"github.com/govreport/govreport/report"
)

// formatFlag parses --format.
func parseFormat(s string) (render.Format, error) {
	switch f := render.Format(strings.ToLower(s)); f {
	case render.PDF, render.DOCX, render.PNG, render.Layout:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q (pdf, docx, png, layout)", s)
}

// formatOf infers the format from an output file's extension.
func formatOf(out string) (render.Format, bool) {
	switch strings.ToLower(filepath.Ext(out)) {
	case ".pdf":
		return render.PDF, true
	case ".docx":
		return render.DOCX, true
	case ".png":
		return render.PNG, true
	case ".json":
		return render.Layout, true
	}
	return "", false
}

// extension is the file extension of a format.
func extension(f render.Format) string {
	if f == render.Layout {
		return ".layout.json"
	}
	return "." + string(f)
}

func cmdRender(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "output file (- for standard output); default: the input's name with the format's extension")
	format := fs.String("format", "", "pdf, docx, png or layout (default: from -o's extension, else pdf)")
	page := fs.Int("page", 1, "png: the page to preview")
	dpi := fs.Float64("dpi", 96, "png: resolution")
	embedded := fs.Bool("docx-embedded-fonts", false, "docx: name the faces the PDF embeds instead of the official fonts (仿宋_GB2312 …)")
	fontDir := fs.String("font-dir", os.Getenv("GOVREPORT_FONT_DIR"), "directory of TrueType files overriding font roles (title.ttf, body.ttf, hei.ttf, kai.ttf, song.ttf); env GOVREPORT_FONT_DIR")
	var warn checksFlag
	fs.Var(&warn, "checks", "strict: a failed 勾稽 check stops the render; warn: render and report it")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: govreport render report.json [-o out.pdf|out.docx|page.png|-] [--format pdf|docx|png|layout] [--page N] [--dpi 96] [--checks warn] [--font-dir DIR]")
		fs.PrintDefaults()
	}
	// Allow flags after the file name, as users type them.
	var files []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(files) != 1 {
		fs.Usage()
		return 2
	}
	in := files[0]
	var f render.Format
	switch {
	case *format != "":
		var err error
		if f, err = parseFormat(*format); err != nil {
			fmt.Fprintln(stderr, "govreport:", err)
			return 2
		}
	case *out != "" && *out != "-":
		var ok bool
		if f, ok = formatOf(*out); !ok {
			fmt.Fprintf(stderr, "govreport: cannot tell the format from %q; use --format\n", *out)
			return 2
		}
	default:
		f = render.PDF
	}
	if *out == "" {
		*out = strings.TrimSuffix(in, filepath.Ext(in)) + extension(f)
	}
	set, err := fonts.Load(*fontDir)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	data, err := os.ReadFile(in)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	res, err := render.Render(ctx, data, render.Options{Format: f, ChecksWarn: bool(warn), Fonts: set, Creator: "govreport " + version, Page: *page, DPI: *dpi, DOCXEmbeddedNames: *embedded})
	var perr *report.Error
	switch {
	case errors.As(err, &perr):
		for _, p := range perr.Problems {
			fmt.Fprintf(stderr, "%s: %s\n", in, p)
		}
		return 1
	case err != nil:
		fmt.Fprintf(stderr, "%s: %v\n", in, err)
		return 1
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "%s: warning: %s\n", in, w)
	}
	if *out == "-" {
		if _, err := stdout.Write(res.Bytes); err != nil {
			fmt.Fprintln(stderr, "govreport:", err)
			return 1
		}
		return 0
	}
	if err := writeFileAtomic(*out, res.Bytes); err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 1
	}
	fmt.Fprintf(stderr, "%s: %d pages → %s\n", in, res.Pages, *out)
	return 0
}

// writeFileAtomic writes to a temporary file beside name and renames it,
// so a reader never sees a half-written document.
func writeFileAtomic(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
