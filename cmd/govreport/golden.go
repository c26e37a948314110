package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/golden"
	"github.com/govreport/govreport/render"
)

// cmdGolden is golden-file testing for users: each X.json in DIR against
// X.layout.json (and X.pdf, X.docx where present).
func cmdGolden(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("golden", flag.ContinueOnError)
	fs.SetOutput(stderr)
	update := fs.Bool("update", false, "rewrite the goldens from the current rendering")
	fontDir := fs.String("font-dir", os.Getenv("GOVREPORT_FONT_DIR"), "TrueType files overriding font roles (GOVREPORT_FONT_DIR)")
	var warn checksFlag
	fs.Var(&warn, "checks", "strict or warn")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: govreport golden [--update] DIR")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	set, err := fonts.Load(*fontDir)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	results, err := golden.Run(ctx, fs.Arg(0), golden.Options{
		Update:    *update,
		Render:    render.Options{Fonts: set, ChecksWarn: bool(warn), Creator: "govreport " + version},
		PaintDiff: paintDiff,
	})
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	code := 0
	for _, r := range results {
		switch {
		case r.Err != nil:
			fmt.Fprintf(stdout, "FAIL %s: %v\n", r.Input, r.Err)
			code = 1
		case *update:
			fmt.Fprintf(stdout, "updated %s (%d files)\n", r.Input, len(r.Updated))
		case r.OK():
			fmt.Fprintf(stdout, "ok   %s\n", r.Input)
		default:
			code = 1
			fmt.Fprintf(stdout, "FAIL %s: %d differences\n", r.Input, len(r.Diffs))
			for i, d := range r.Diffs {
				if i == 20 {
					fmt.Fprintf(stdout, "     … and %d more\n", len(r.Diffs)-20)
					break
				}
				fmt.Fprintf(stdout, "     %s\n", d)
			}
			if r.DiffPNG != "" {
				fmt.Fprintf(stdout, "     see %s\n", r.DiffPNG)
			}
		}
	}
	return code
}
