package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/govreport/govreport/audit"
	"github.com/govreport/govreport/importer"
	"github.com/govreport/govreport/internal/safefile"
)

// auditFile is one input's outcome: a line of the summary.
type auditFile struct {
	File     string `json:"file"`
	Agency   string `json:"agency,omitempty"`
	Year     int    `json:"year,omitempty"`
	Format   string `json:"format,omitempty"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	// FirstError is the first error found, as audit prints it.
	FirstError string `json:"first_error,omitempty"`

	unreadable string          // why the file could not be audited at all
	audited    bool            // false if the run was interrupted first
	findings   []audit.Finding // errors first
}

type auditSummary struct {
	Reports []auditFile `json:"reports"`
	// Failed counts the reports with an error (unreadable ones too).
	Failed      int  `json:"failed"`
	Interrupted bool `json:"interrupted,omitempty"`
}

// auditKinds are the names a walked folder is searched for.
var auditKinds = []string{".json", ".html", ".htm", ".docx", ".pdf"}

func isAuditInput(name string) bool {
	return slices.Contains(auditKinds, strings.ToLower(filepath.Ext(name))) && !strings.HasSuffix(name, ".layout.json")
}

func cmdAudit(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("audit")
	summaryFile := fs.String("summary", "", "also write one line per report (file, agency, year, format, errors, warnings, first error) to this `file`: CSV if it ends in .csv, JSON if in .json")
	jobs := fs.Int("j", 0, "reports audited in parallel (default: the number of cores)")
	if done, code := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() == 0 {
		return usageError(fs, stderr, "name the reports: files (report JSON, HTML, DOCX, PDF), folders or globs")
	}
	if slices.Contains(fs.Args(), "-") {
		return usageError(fs, stderr, "audit reads files; save standard input to a file first")
	}
	if *jobs < 0 {
		return usageError(fs, stderr, "-j %d: must be 1 or more (0: the number of cores)", *jobs)
	}
	summaryCSV := false
	if *summaryFile != "" {
		switch strings.ToLower(filepath.Ext(*summaryFile)) {
		case ".csv":
			summaryCSV = true
		case ".json":
		default:
			return usageError(fs, stderr, "--summary %s: name a .csv or a .json file", *summaryFile)
		}
	}
	inputs, skipped, err := expandInputsOf(fs.Args(), isAuditInput)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	if *summaryFile != "" {
		if msg := summaryClash(*summaryFile, inputs, skipped, nil, "", nil); msg != "" {
			return usageError(fs, stderr, "%s", msg)
		}
	}
	if *jobs == 0 {
		*jobs = defaultJobs()
	}

	// One list in name order, as batch reports: the files to audit and
	// those the walk could not take, each failed where it falls.
	files := make([]auditFile, 0, len(inputs)+len(skipped))
	for _, in := range inputs {
		files = append(files, auditFile{File: in})
	}
	for _, s := range skipped {
		files = append(files, auditFile{File: s.Input, unreadable: s.Error})
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].File < files[j].File })

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	if *summaryFile != "" {
		removeStaleTempsOf([]string{*summaryFile}, start, stderr)
	}
	f, ok := stderr.(*os.File)
	p := newProgressOf(stderr, len(files), ok && term.IsTerminal(int(f.Fd())), time.Now, "auditing", true)
	runAudit(ctx, files, *jobs, p, func(r auditFile) {
		p.above(func() { printAudit(stdout, stderr, r) })
	})
	p.finish()

	sum := auditSummary{Reports: files, Interrupted: ctx.Err() != nil}
	for _, r := range files {
		if r.Errors > 0 {
			sum.Failed++
		}
	}
	fmt.Fprintf(stdout, "audited %s: %d with errors, %.1fs", plural(len(files), "report", "reports"), sum.Failed, time.Since(start).Seconds())
	if sum.Interrupted {
		fmt.Fprint(stdout, ", interrupted")
	}
	fmt.Fprintln(stdout)
	if *summaryFile != "" {
		var data []byte
		if summaryCSV {
			data = auditCSV(files)
		} else {
			data, _ = json.MarshalIndent(sum, "", "  ")
			data = append(data, '\n')
		}
		if err := writeFileAtomic(*summaryFile, data); err != nil {
			fmt.Fprintln(stderr, "govreport:", err)
			return 1
		}
	}
	if sum.Failed > 0 || sum.Interrupted {
		return 1
	}
	return 0
}

// runAudit audits files with jobs workers and hands each outcome to done
// in the files' order, as soon as it and those before it are known, so
// that the output is the same whatever -j.
func runAudit(ctx context.Context, files []auditFile, jobs int, p *progress, done func(auditFile)) {
	finished := make([]chan struct{}, len(files))
	for i := range finished {
		finished[i] = make(chan struct{})
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(jobs, max(len(files), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				auditOne(ctx, &files[i])
				p.advance(files[i].File, files[i].FirstError, func() string { return "" })
				close(finished[i])
			}
		}()
	}
	go func() {
		defer close(work)
		for i := range files {
			if ctx.Err() == nil { // select picks at random when both are ready
				select {
				case work <- i:
					continue
				case <-ctx.Done():
				}
			}
			for _, c := range finished[i:] {
				close(c)
			}
			return
		}
	}()
	for i := range files {
		<-finished[i]
		if !files[i].audited {
			// Interrupted before its turn: in the summary, not a line
			// each (the closing line says the run was interrupted).
			files[i].unreadable = "not audited: interrupted"
			files[i].Errors, files[i].FirstError = 1, files[i].unreadable
			continue
		}
		done(files[i])
		files[i].findings = nil // printed: only the summary's line is kept, so memory does not grow with the archive
	}
	wg.Wait()
}

// auditOne reads and audits one file, within the size render reads.
func auditOne(ctx context.Context, r *auditFile) {
	r.audited = true
	if r.unreadable != "" {
		r.Errors, r.FirstError = 1, r.unreadable
		return
	}
	data, err := readReportFile(r.File)
	var big *safefile.TooLargeError
	if errors.As(err, &big) {
		// Said without the name again: the line starts with it.
		r.unreadable = fmt.Sprintf("larger than %d bytes (%d MiB), the most a report may be: not read", big.Limit, big.Limit>>20)
		r.Errors, r.FirstError = 1, r.unreadable
		return
	}
	if err != nil {
		r.unreadable = err.Error()
		r.Errors, r.FirstError = 1, r.unreadable
		return
	}
	res, err := audit.Audit(ctx, data, audit.Options{})
	if err != nil {
		r.unreadable = err.Error()
		r.Errors, r.FirstError = 1, r.unreadable
		return
	}
	r.Agency, r.Year, r.Format = res.Agency, res.Year, res.Format
	r.Errors, r.Warnings = res.Errors(), res.Warnings()
	if first := res.FirstError(); first != nil {
		r.FirstError = findingText(*first)
	}
	r.findings = res.Findings
}

// findingText is a finding as check prints a problem — pointer, code,
// Chinese and English message — with where in the source it was found.
func findingText(f audit.Finding) string {
	s := f.Problem.Problem.String()
	if f.Where != "" {
		s += " [" + f.Where + "]"
	}
	return s
}

// printAudit prints a report's findings as check prints its problems: a
// line per error, a line per warning, ok when there is no error; a file
// that could not be audited at all is said on standard error.
func printAudit(stdout, stderr io.Writer, r auditFile) {
	name := quoteName(r.File)
	if r.unreadable != "" {
		fmt.Fprintf(stderr, "%s: %s\n", name, escapeText(r.unreadable))
		return
	}
	if r.Errors == 0 {
		fmt.Fprintf(stdout, "%s: ok", name)
		if r.Warnings > 0 {
			fmt.Fprintf(stdout, " (%s)", plural(r.Warnings, "warning", "warnings"))
		}
		fmt.Fprintln(stdout)
	}
	for _, f := range r.findings {
		if f.Severity == importer.SeverityWarning {
			fmt.Fprintf(stdout, "%s: warning: %s\n", name, escapeText(findingText(f)))
		} else {
			fmt.Fprintf(stdout, "%s: %s\n", name, escapeText(findingText(f)))
		}
	}
}

// auditCSV is the summary as CSV, for a spreadsheet: UTF-8 with a byte
// order mark (without it, Excel and WPS on a Chinese system read the file
// as GBK), a header line, a line per report. A field that a spreadsheet
// would take for a formula (=, +, -, @ first) is prefixed with ', as the
// agency and the first error come from the audited documents.
func auditCSV(files []auditFile) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.Write([]string{"file", "agency", "year", "format", "errors", "warnings", "first_error"})
	for _, r := range files {
		year := ""
		if r.Year != 0 {
			year = strconv.Itoa(r.Year)
		}
		w.Write([]string{csvText(r.File), csvText(r.Agency), year, csvText(r.Format),
			strconv.Itoa(r.Errors), strconv.Itoa(r.Warnings), csvText(r.FirstError)})
	}
	w.Flush()
	return b.Bytes()
}

func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
