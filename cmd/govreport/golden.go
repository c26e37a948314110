package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/golden"
	"github.com/govreport/govreport/internal/safefile"
	"github.com/govreport/govreport/render"
)

// cmdGolden is golden-file testing for users: each X.json in DIR against
// X.layout.json (and X.pdf, X.docx where present), or, when the report is
// invalid, against its problem list X.problems.
func cmdGolden(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("golden")
	update := fs.Bool("update", false, "rewrite the goldens from the current rendering (an invalid report's: X.problems)")
	fontDir := fs.String("font-dir", os.Getenv("GOVREPORT_FONT_DIR"), "TrueType files overriding font roles (GOVREPORT_FONT_DIR)")
	var warn checksFlag
	fs.Var(&warn, "checks", "`mode`: strict, a report that fails a 勾稽 check is invalid (its golden is X.problems); warn, it renders")
	if done, code := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() != 1 {
		return usageError(fs, stderr, "name one folder of reports")
	}
	set, err := fonts.Load(*fontDir)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	removeStaleGoldenTemps(fs.Arg(0), time.Now(), stderr)
	// SIGINT or SIGTERM stops the run after the report being rendered (a
	// render notices at once); a second one ends the process as usual.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	context.AfterFunc(ctx, stop)
	results, err := golden.Run(ctx, fs.Arg(0), golden.Options{
		Update:    *update,
		Render:    render.Options{Fonts: set, ChecksWarn: bool(warn)},
		PaintDiff: paintDiff,
		MaxFile:   maxReportFile,
	})
	interrupted := err != nil && ctx.Err() != nil
	if err != nil && !interrupted {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	code := 0
	for _, r := range results {
		in := quoteName(r.Input)
		switch {
		case r.Skipped:
			fmt.Fprintf(stdout, "SKIP %s: %s\n", in, escapeText(r.Err.Error()))
			code = 1
		case r.Err != nil:
			fmt.Fprintf(stdout, "FAIL %s: %s\n", in, escapeText(r.Err.Error()))
			code = 1
		case *update && len(r.Updated) == 0:
			fmt.Fprintf(stdout, "ok   %s (goldens unchanged)\n", in)
		case *update:
			names := make([]string, len(r.Updated))
			for i, u := range r.Updated {
				names[i] = quoteName(filepath.Base(u))
			}
			fmt.Fprintf(stdout, "updated %s (%s: %s)\n", in, plural(len(r.Updated), "file", "files"), strings.Join(names, ", "))
		case r.OK():
			fmt.Fprintf(stdout, "ok   %s\n", in)
		default:
			code = 1
			fmt.Fprintf(stdout, "FAIL %s: %s\n", in, plural(len(r.Diffs), "difference", "differences"))
			for i, d := range r.Diffs {
				if i == 20 {
					fmt.Fprintf(stdout, "     … and %d more\n", len(r.Diffs)-20)
					break
				}
				fmt.Fprintf(stdout, "     %s\n", escapeText(d))
			}
			if r.DiffPNG != "" {
				fmt.Fprintf(stdout, "     see %s\n", quoteName(r.DiffPNG))
			}
		}
		for _, n := range r.Notes {
			fmt.Fprintf(stdout, "     note: %s\n", escapeText(n))
		}
	}
	if interrupted {
		fmt.Fprintf(stderr, "govreport golden: interrupted after %s\n", plural(len(results), "report", "reports"))
		return 1
	}
	return code
}

// goldenSuffixes are the files golden writes beside X.json.
var goldenSuffixes = []string{".layout.json", ".pdf", ".docx", ".problems"}

// diffPNG matches the diff images golden writes: X.page-N.diff.png.
var diffPNG = regexp.MustCompile(`^(.*)\.page-[0-9]+\.diff\.png$`)

// removeStaleGoldenTemps removes the temporary files a golden run killed
// mid-write left in dir, as batch does for its outputs: only those of the
// goldens and diff images of the reports in dir (safefile.RemoveStaleTemps).
func removeStaleGoldenTemps(dir string, start time.Time, stderr io.Writer) {
	ours := func(target string) bool {
		base := ""
		if m := diffPNG.FindStringSubmatch(target); m != nil {
			base = m[1]
		} else {
			for _, suf := range goldenSuffixes {
				if b, ok := strings.CutSuffix(target, suf); ok {
					base = b
					break
				}
			}
		}
		if base == "" {
			return false
		}
		_, err := os.Lstat(filepath.Join(dir, base+".json"))
		return err == nil
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return // golden.Run says what is wrong with it
	}
	removed, err := safefile.RemoveStaleTemps(dir, ours, start)
	for _, r := range removed {
		fmt.Fprintf(stderr, "govreport: removed %s, left by an interrupted run\n", quoteName(r))
	}
	if err != nil {
		fmt.Fprintf(stderr, "govreport: %s\n", escapeText(err.Error()))
	}
}
