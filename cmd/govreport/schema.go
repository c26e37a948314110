package main

import (
	"fmt"
	"io"
	"time"

	"github.com/govreport/govreport/templates"
)

func cmdSchema(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("schema")
	if done, code := parseFlags(fs, args, stdout, stderr); done {
		return code
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
	stdout.Write(b)
	return 0
}
