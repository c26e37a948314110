package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/internal/safefile"
	"github.com/govreport/govreport/render"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// cmdInit writes a report skeleton a clerk fills in: every field of the
// format, every count 0, placeholder text the validator accepts. It never
// overwrites a file unless told to.
func cmdInit(args []string, stdout, stderr io.Writer) int {
	flags := newFlagSet("init")
	all, err := templates.Formats()
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 1
	}
	latest, err := templates.Latest()
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 1
	}
	ids := ""
	for i, f := range all {
		if i > 0 {
			ids += ", "
		}
		ids += f.ID
	}
	format := flags.String("format", latest.ID, "the report format: "+ids)
	agency := flags.String("agency", "", "the reporting agency; empty writes a placeholder")
	year := flags.Int("year", 0, "the reported year; 0 is last year, within the format's years")
	out := flags.String("o", "-", "the file to write; - is standard output")
	force := flags.Bool("force", false, "overwrite the file if it exists")
	fontDir := flags.String("font-dir", os.Getenv("GOVREPORT_FONT_DIR"), "`directory` of TrueType files overriding font roles, as check and render take them; env GOVREPORT_FONT_DIR")
	if done, code := parseFlags(flags, args, stdout, stderr); done {
		return code
	}
	if flags.NArg() > 0 {
		return usageError(flags, stderr, "takes no arguments; name the file with -o")
	}
	f, err := templates.Lookup(*format)
	if err != nil {
		return usageError(flags, stderr, "unknown format %q; formats: %s", *format, ids)
	}
	b, err := f.Skeleton(templates.SkeletonOptions{Agency: *agency, Year: *year})
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 1
	}
	// The skeleton must pass check --draft (its placeholders are the
	// clerk's to replace): a wrong --year or --agency is told now,
	// not when the clerk has filled in the numbers. Laid out as check lays
	// it out, with the same faces, so an agency name with a character no
	// face has is refused here (unsupported_character), not by check.
	set, err := fonts.Load(*fontDir)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	p, err := render.Prepare(context.Background(), b, render.PrepareOptions{Fonts: set, Draft: true})
	if err != nil {
		var perr *report.Error
		if errors.As(err, &perr) {
			for _, p := range perr.Problems {
				fmt.Fprintf(stderr, "govreport init: %s\n", p)
			}
			return 2
		}
		fmt.Fprintln(stderr, "govreport:", err)
		return 1
	}
	r := p.Report
	// A year past the format's years (a 2019-format report for 2022) is
	// accepted with a warning: say it now too.
	for _, w := range r.Warnings {
		if w.Code != "placeholder" { // the clerk's to replace; check lists them
			fmt.Fprintf(stderr, "govreport init: warning: %s\n", w)
		}
	}
	if *out == "-" {
		// A skeleton cut short by a full disk or a closed pipe is a
		// failure, not a file to fill in.
		if _, err := stdout.Write(b); err != nil {
			return 1 // run says why (stdout is a checkedWriter)
		}
		return 0
	}
	if *force {
		err = writeFileAtomic(*out, b)
	} else {
		err = safefile.WriteNew(*out, b)
	}
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(stderr, "govreport init: %s exists; use --force to overwrite it\n", *out)
		return 1
	}
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 1
	}
	fmt.Fprintf(stderr, "%s: a %s report to fill in; then govreport check %s\n", *out, f.ID, *out)
	return 0
}
