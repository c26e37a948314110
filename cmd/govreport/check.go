package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/render"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
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
	// ProblemsOmitted counts the problems beyond the first
	// report.MaxProblems, which are not listed (as in the HTTP API).
	ProblemsOmitted int              `json:"problems_omitted,omitempty"`
	Warnings        []report.Problem `json:"warnings,omitempty"`
	Totals          map[string]int64 `json:"totals,omitempty"`

	report *report.Report // the decoded report, when valid
}

func cmdCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("check")
	var warn checksFlag
	fs.Var(&warn, "checks", "`mode`: strict, a failed 勾稽 check is an error; warn, a warning")
	draft := fs.Bool("draft", false, "accept texts that still hold init's placeholders, as warnings (a draft, to render with --draft)")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	encoding := encodingFlag(fs)
	fontDir := fs.String("font-dir", os.Getenv("GOVREPORT_FONT_DIR"), "`directory` of TrueType files overriding font roles, as render takes them; env GOVREPORT_FONT_DIR")
	previous := fs.String("previous", "", "`file` of the same agency's report of the year before: its 结转下年度 counts must equal this year's 上年结转, its agency this report's, its year this year − 1")
	if done, code := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() == 0 {
		return usageError(fs, stderr, "name at least one report (- for standard input)")
	}
	if n := slices.Index(fs.Args(), "-"); n >= 0 && (slices.Contains(fs.Args()[n+1:], "-") || *previous == "-") {
		return usageError(fs, stderr, "standard input (-) can be read only once")
	}
	var prev *report.Report
	if *previous != "" {
		var err error
		if prev, err = readPrevious(*previous, stdin, *encoding); err != nil {
			fmt.Fprintf(stderr, "govreport: --previous %s: %s\n", quoteName(displayName(*previous)), escapeText(err.Error()))
			return 2
		}
	}
	// The faces render will use: font coverage and the page count depend
	// on them, so a report that passes here renders there.
	set, err := fonts.Load(*fontDir)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	code := 0
	var results []checkResult
	for _, name := range fs.Args() {
		res := checkFile(name, stdin, *encoding, render.PrepareOptions{ChecksWarn: bool(warn), Draft: *draft, Fonts: set})
		if prev != nil && res.Valid {
			comparePrevious(&res, prev, displayName(*previous), bool(warn))
		}
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
			return 1 // run says why (stdout is a checkedWriter)
		}
	}
	return code
}

func checkFile(name string, stdin io.Reader, encoding string, opt render.PrepareOptions) checkResult {
	res := checkResult{File: displayName(name)}
	data, err := readInput(name, stdin, encoding)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	// Laid out too: a report check passes is a report render renders (font
	// coverage and the page limit are checked by the layout).
	p, err := render.Prepare(context.Background(), data, opt)
	var perr *report.Error
	switch {
	case errors.As(err, &perr):
		res.Problems, res.ProblemsOmitted = perr.Problems, perr.Omitted
	case err != nil:
		res.Error = err.Error()
	default:
		res.Valid = true
		res.report = p.Report
		res.Warnings = p.Report.Warnings
		res.Totals = p.Report.Computed()
	}
	return res
}

// readPrevious reads last year's report for --previous. It is read as
// published, so its own failed 勾稽 checks and placeholders do not stop
// the comparison; a report that cannot be read at all does.
func readPrevious(name string, stdin io.Reader, encoding string) (*report.Report, error) {
	data, err := readInput(name, stdin, encoding)
	if err != nil {
		return nil, err
	}
	r, _, err := templates.Decode(data, report.Options{ChecksWarn: true, Draft: true})
	return r, err
}

// comparePrevious adds the disagreements of a valid report with last
// year's (report.ComparePrevious) to its result: problems, or warnings
// with --checks warn, as the 勾稽 checks are.
func comparePrevious(res *checkResult, prev *report.Report, prevName string, warn bool) {
	probs := report.ComparePrevious(prev, res.report, prevName)
	switch {
	case len(probs) == 0:
	case warn:
		res.Warnings = append(res.Warnings, probs...)
	default:
		res.Valid, res.Problems, res.Warnings, res.Totals = false, probs, nil, nil
	}
}

func printCheck(stdout, stderr io.Writer, res checkResult) {
	res.File = quoteName(res.File)
	switch {
	case res.Error != "":
		fmt.Fprintf(stderr, "%s: %s\n", res.File, escapeText(res.Error))
	case res.Valid:
		fmt.Fprintf(stdout, "%s: ok", res.File)
		if n := len(res.Warnings); n > 0 {
			fmt.Fprintf(stdout, " (%s)", plural(n, "warning", "warnings"))
		}
		if n := len(res.Totals); n > 0 {
			fmt.Fprintf(stdout, " (%s computed)", plural(n, "total", "totals"))
		}
		fmt.Fprintln(stdout)
		for _, w := range res.Warnings {
			fmt.Fprintf(stdout, "%s: warning: %s\n", res.File, w)
		}
	default:
		for _, p := range res.Problems {
			fmt.Fprintf(stdout, "%s: %s\n", res.File, p)
		}
		printOmitted(stdout, res.File, res.ProblemsOmitted)
	}
}

// printOmitted says how many problems were found beyond those listed, so
// that a clerk who fixes the listed ones is not surprised by more.
func printOmitted(w io.Writer, name string, n int) {
	if n > 0 {
		word := "problems"
		if n == 1 {
			word = "problem"
		}
		fmt.Fprintf(w, "%s: … and %d more %s, not listed (only the first %d are); fix these and check again\n",
			name, n, word, report.MaxProblems)
	}
}
