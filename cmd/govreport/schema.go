package main

import (
	"fmt"
	"io"
	"time"

	"github.com/govreport/govreport/templates"
)

func cmdSchema(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("schema")
	list := fs.Bool("list", false, "list the formats: id, years, title and the notice that issued it")
	if done, code := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if *list {
		all, err := templates.Formats()
		if err != nil {
			fmt.Fprintln(stderr, "govreport:", err)
			return 1
		}
		for _, f := range all {
			years := fmt.Sprintf("%d–", f.Years.From)
			if f.Years.Until != 0 {
				years = fmt.Sprintf("%d–%d", f.Years.From, f.Years.Until)
			}
			fmt.Fprintf(stdout, "%s\t%s\t%s（%s）\n", f.ID, years, f.Title, f.Source)
		}
		return 0
	}
	if fs.NArg() > 1 {
		return usageError(fs, stderr, "name at most one format")
	}
	f, err := templates.Latest()
	if fs.NArg() == 1 {
		f, err = templates.Lookup(fs.Arg(0))
	}
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	b, err := f.Schema(time.Now().Year() + 1)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 1
	}
	if _, err := stdout.Write(b); err != nil {
		return 1 // run says why (stdout is a checkedWriter)
	}
	return 0
}
