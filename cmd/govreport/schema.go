package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

func cmdSchema(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("schema", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, "usage: govreport schema [FORMAT]") }
	if err := fs.Parse(args); err != nil || fs.NArg() > 1 {
		fs.Usage()
		return 2
	}
	id := report.FormatID
	if fs.NArg() == 1 {
		id = fs.Arg(0)
	}
	f, err := templates.Lookup(id)
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
