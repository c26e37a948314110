package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/govreport/govreport/render"
	"github.com/govreport/govreport/report"
)

// checksFlag parses --checks strict|warn.
type checksFlag bool

func (c *checksFlag) String() string {
	if *c {
		return "warn"
	}
	return "strict"
}

func (c *checksFlag) Set(s string) error {
	switch s {
	case "strict":
		*c = false
	case "warn":
		*c = true
	default:
		return fmt.Errorf("must be strict or warn")
	}
	return nil
}

type checkResult struct {
	File     string           `json:"file"`
	Valid    bool             `json:"valid"`
	Error    string           `json:"error,omitempty"`
	Problems []report.Problem `json:"problems,omitempty"`
	Warnings []report.Problem `json:"warnings,omitempty"`
	Totals   map[string]int64 `json:"totals,omitempty"`
}

func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var warn checksFlag
	fs.Var(&warn, "checks", "strict: a failed 勾稽 check is an error; warn: a warning")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: govreport check [--checks warn] [--json] report.json...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	code := 0
	var results []checkResult
	for _, name := range fs.Args() {
		res := checkFile(name, bool(warn))
		switch {
		case res.Error != "":
			code = 2
		case !res.Valid && code == 0:
			code = 1
		}
		if *asJSON {
			results = append(results, res)
			continue
		}
		printCheck(stdout, stderr, res)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(results); err != nil {
			fmt.Fprintln(stderr, "govreport:", err)
			return 2
		}
	}
	return code
}

func checkFile(name string, warn bool) checkResult {
	res := checkResult{File: name}
	data, err := os.ReadFile(name)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	// Laid out too: a report check passes is a report render renders (font
	// coverage and the page limit are checked by the layout).
	p, err := render.Prepare(context.Background(), data, render.Options{ChecksWarn: warn})
	var perr *report.Error
	switch {
	case errors.As(err, &perr):
		res.Problems = perr.Problems
	case err != nil:
		res.Error = err.Error()
	default:
		res.Valid = true
		res.Warnings = p.Report.Warnings
		res.Totals = p.Report.Computed()
	}
	return res
}

func printCheck(stdout, stderr io.Writer, res checkResult) {
	switch {
	case res.Error != "":
		fmt.Fprintf(stderr, "%s: %s\n", res.File, res.Error)
	case res.Valid:
		fmt.Fprintf(stdout, "%s: ok", res.File)
		if n := len(res.Warnings); n > 0 {
			fmt.Fprintf(stdout, " (%d warnings)", n)
		}
		if n := len(res.Totals); n > 0 {
			fmt.Fprintf(stdout, " (%d totals computed)", n)
		}
		fmt.Fprintln(stdout)
		for _, w := range res.Warnings {
			fmt.Fprintf(stdout, "%s: warning: %s\n", res.File, w)
		}
	default:
		for _, p := range res.Problems {
			fmt.Fprintf(stdout, "%s: %s\n", res.File, p)
		}
	}
}
