package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
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

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/internal/safefile"
	"github.com/govreport/govreport/render"
	"github.com/govreport/govreport/render/docx"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// batchFile is one input's outcome, as the summary reports it.
type batchFile struct {
	Input   string   `json:"input"`
	Outputs []string `json:"outputs,omitempty"`
	Pages   int      `json:"pages,omitempty"`
	Error   string   `json:"error,omitempty"` // the first problem
	Errors  int      `json:"problems,omitempty"`
	// Warnings are the checks that failed with --checks warn: the report
	// was rendered, but a number is probably wrong.
	Warnings []string `json:"warnings,omitempty"`
}

type batchSummary struct {
	Done        int         `json:"done"`
	Failed      int         `json:"failed"`
	Pages       int         `json:"pages"`
	Seconds     float64     `json:"seconds"`
	Interrupted bool        `json:"interrupted,omitempty"`
	Shard       string      `json:"shard,omitempty"`
	Files       []batchFile `json:"files"`
}

func cmdBatch(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("batch")
	outDir := fs.String("o", "", "output directory (default: beside each input); the inputs' folders are mirrored below it")
	formats := fs.String("format", "pdf", "comma-separated output formats: pdf, docx, ofd")
	jobs := fs.Int("j", 0, "renders in parallel (default: the number of cores)")
	var warn checksFlag
	fs.Var(&warn, "checks", "`mode`: strict, a report that fails a 勾稽 check fails; warn, it is rendered and its warnings listed")
	draft := fs.Bool("draft", false, "render reports that still hold init's placeholders, with 草稿 on every page")
	summaryFile := fs.String("summary", "", "also write the summary as JSON to this file")
	shard := fs.String("shard", "", "K/N: process only the inputs of shard K (0 ≤ K < N), chosen by a hash of the path, so N machines split the work (e.g. JOB_COMPLETION_INDEX/N)")
	fontDir := fs.String("font-dir", os.Getenv("GOVREPORT_FONT_DIR"), "TrueType files overriding font roles (GOVREPORT_FONT_DIR)")
	docxFonts := fs.String("docx-fonts", "official", "docx: `fonts`: official (仿宋_GB2312 …) or embed (the PDF's faces, embedded)")
	encoding := encodingFlag(fs)
	if done, code := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() == 0 {
		return usageError(fs, stderr, "name the reports: files, folders or globs")
	}
	if slices.Contains(fs.Args(), "-") {
		return usageError(fs, stderr, "batch reads files; for a report on standard input use govreport render - -o FILE")
	}
	var fmts []render.Format
	for _, f := range strings.Split(*formats, ",") {
		rf, err := parseFormat(strings.TrimSpace(f))
		if err != nil || rf == render.Layout {
			fmt.Fprintf(stderr, "govreport: --format: %q is not pdf, docx or ofd\n", f)
			return 2
		}
		fmts = append(fmts, rf)
	}
	k, n, err := parseShard(*shard)
	if err != nil {
		fmt.Fprintln(stderr, "govreport: --shard:", err)
		return 2
	}
	inputs, skipped, err := expandInputs(fs.Args())
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	all := inputs
	if n > 0 {
		inputs = shardOf(inputs, k, n)
		var mine []batchFile
		for _, s := range skipped {
			if len(shardOf([]string{s.Input}, k, n)) == 1 {
				mine = append(mine, s)
			}
		}
		skipped = mine
	}
	fontMode, err := docx.ParseFontMode(*docxFonts)
	if err != nil {
		return usageError(fs, stderr, "--docx-fonts: %v", err)
	}
	if *summaryFile != "" {
		if msg := summaryClash(*summaryFile, all, skipped, inputs, *outDir, fmts); msg != "" {
			return usageError(fs, stderr, "%s", msg)
		}
	}
	set, err := fonts.Load(*fontDir)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	if *jobs <= 0 {
		*jobs = defaultJobs()
	}
	tuneGC() // a batch is a throughput workload, like the server

	date, err := sourceDate()
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	removeStaleTemps(inputs, fmts, *outDir, *summaryFile, start, stderr)
	progress := newProgress(stderr, len(inputs))
	opt := render.Options{Fonts: set, Creator: creator(), Date: date, DOCXFonts: fontMode, Draft: *draft}
	results := runBatch(ctx, inputs, fmts, *outDir, *jobs, bool(warn), *encoding, opt, progress)
	progress.finish()
	results = append(results, skipped...)
	sort.SliceStable(results, func(i, j int) bool { return results[i].Input < results[j].Input })

	sum := batchSummary{Files: results, Seconds: time.Since(start).Seconds(), Interrupted: ctx.Err() != nil}
	if n > 0 {
		sum.Shard = fmt.Sprintf("%d/%d", k, n)
	}
	for _, r := range results {
		if r.Error != "" {
			sum.Failed++
		} else if len(r.Outputs) > 0 {
			sum.Done++
			sum.Pages += r.Pages
		}
	}
	printSummary(stdout, sum)
	if *summaryFile != "" {
		b, _ := json.MarshalIndent(sum, "", "  ")
		if err := writeFileAtomic(*summaryFile, append(b, '\n')); err != nil {
			fmt.Fprintln(stderr, "govreport:", err)
			return 1
		}
	}
	if sum.Failed > 0 || sum.Interrupted {
		return 1
	}
	return 0
}

// parseShard reads K/N.
func parseShard(s string) (k, n int, err error) {
	if s == "" {
		return 0, 0, nil
	}
	a, b, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 0 || k >= n {
		return 0, 0, fmt.Errorf("%q is not K/N with 0 ≤ K < N", s)
	}
	return k, n, nil
}

// shardOf keeps the inputs whose path hashes to shard k of n: stable
// whatever else is in the archive, and the same on every machine.
func shardOf(inputs []string, k, n int) []string {
	var out []string
	for _, in := range inputs {
		h := fnv.New32a()
		h.Write([]byte(filepath.ToSlash(filepath.Clean(in))))
		if int(h.Sum32()%uint32(n)) == k {
			out = append(out, in)
		}
	}
	return out
}

// expandInputs turns files, directories (recursively, *.json) and globs
// into a sorted list of files without duplicates. What cannot be an input
// is reported in skipped and the rest goes on: a FIFO or device named
// *.json (reading it would block or never end) and a folder that cannot be
// read. A path that does not exist is an error.
func expandInputs(args []string) (inputs []string, skipped []batchFile, err error) {
	return expandInputsOf(args, isReportJSON)
}

// isReportJSON tells a report (*.json) from the layouts render writes
// beside them (*.layout.json) in a walked folder.
func isReportJSON(name string) bool {
	return strings.EqualFold(filepath.Ext(name), ".json") && !strings.HasSuffix(name, ".layout.json")
}

// expandInputsOf is expandInputs for the files that accept names: a
// folder is walked for them; a file named is taken whatever its name.
func expandInputsOf(args []string, accept func(name string) bool) (inputs []string, skipped []batchFile, err error) {
	seen := map[string]bool{}
	add := func(p string) {
		p = filepath.Clean(p)
		if !seen[p] {
			seen[p] = true
			inputs = append(inputs, p)
		}
	}
	skip := func(p string, err error) {
		p = filepath.Clean(p)
		if !seen[p] {
			seen[p] = true
			skipped = append(skipped, batchFile{Input: p, Error: "skipped: " + err.Error(), Errors: 1})
		}
	}
	// addFile adds p if it is a regular file (after symbolic links).
	addFile := func(p string) {
		if err := safefile.CheckRegular(p); err != nil {
			skip(p, err)
			return
		}
		add(p)
	}
	for _, a := range args {
		st, err := os.Stat(a)
		switch {
		case err == nil && st.IsDir():
			filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					skip(p, err) // an unreadable folder: reported, the walk goes on
					return nil
				}
				if !d.IsDir() && accept(p) {
					if d.Type().IsRegular() {
						add(p)
					} else {
						addFile(p)
					}
				}
				return nil
			})
		case err == nil:
			addFile(a)
		case strings.ContainsAny(a, "*?["):
			matches, err := filepath.Glob(a)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %w", a, err)
			}
			if len(matches) == 0 {
				return nil, nil, fmt.Errorf("%s: no files match", a)
			}
			for _, m := range matches {
				addFile(m)
			}
		default:
			return nil, nil, err
		}
	}
	sort.Strings(inputs)
	return inputs, skipped, nil
}

// outputPath mirrors an input below dir, relative to root, with the
// format's extension; without dir, the output goes beside the input.
func outputPath(in, root, dir string, f render.Format) string {
	base := strings.TrimSuffix(in, filepath.Ext(in)) + extension(f)
	if dir == "" {
		return base
	}
	rel, err := filepath.Rel(root, abs(base)) // root is absolute
	if err != nil || strings.HasPrefix(rel, "..") {
		rel = filepath.Base(base)
	}
	return filepath.Join(dir, rel)
}

// commonDir is the deepest directory holding every input, so that two
// inputs with the same name in different folders keep apart below -o.
func commonDir(inputs []string) string {
	if len(inputs) == 0 {
		return "."
	}
	root := filepath.Dir(abs(inputs[0]))
	for _, in := range inputs[1:] {
		d := filepath.Dir(abs(in))
		for !strings.HasPrefix(d+string(filepath.Separator), root+string(filepath.Separator)) {
			parent := filepath.Dir(root)
			if parent == root {
				break
			}
			root = parent
		}
	}
	return root
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// collisions finds the inputs whose outputs would be one file — the same
// name in two folders flattened, dup.json beside dup.JSON, names that
// differ only in case on a case-insensitive disk — and fails each of them
// naming the other: an output is never silently overwritten by another
// input's. An output that would replace an input (a report named r.pdf,
// as render -o refuses too) fails its input.
func collisions(inputs []string, root, outDir string, fmts []render.Format) map[int]string {
	owner := map[string]int{}
	failed := map[int]string{}
	isInput := map[string]string{}
	for _, in := range inputs {
		isInput[strings.ToLower(abs(in))] = in
	}
	for i, in := range inputs {
		for _, f := range fmts {
			out := outputPath(in, root, outDir, f)
			key := strings.ToLower(abs(out))
			if other, ok := isInput[key]; ok || safefile.Same(in, out) {
				if !ok {
					other = in
				}
				failed[i] = fmt.Sprintf("output %s would replace the input %s; rename the input to .json or use -o DIR", out, other)
				continue
			}
			j, taken := owner[key]
			if !taken {
				owner[key] = i
				continue
			}
			if j == i {
				continue
			}
			failed[i] = fmt.Sprintf("output %s would also be the output of %s; rename one of them or convert them separately", out, inputs[j])
			if _, ok := failed[j]; !ok {
				failed[j] = fmt.Sprintf("output %s would also be the output of %s; rename one of them or convert them separately", out, in)
			}
		}
	}
	return failed
}

// removeStaleTemps removes the temporary files an earlier run killed
// mid-write (kill -9, a crash) left beside this run's outputs — hidden
// files named like .r.pdf.123456.tmp, which no run would ever remove
// otherwise. Only those of this run's own outputs and summary, made before
// this run started, are touched (safefile.RemoveStaleTemps): never a
// user's file, nor a file another run writing elsewhere in the folder is
// making now. What cannot be removed is said and left.
func removeStaleTemps(inputs []string, fmts []render.Format, outDir, summary string, start time.Time, stderr io.Writer) {
	var outputs []string
	root := commonDir(inputs)
	for _, in := range inputs {
		for _, f := range fmts {
			outputs = append(outputs, outputPath(in, root, outDir, f))
		}
	}
	if summary != "" {
		outputs = append(outputs, summary)
	}
	removeStaleTempsOf(outputs, start, stderr)
}

// removeStaleTempsOf removes the stale temporary files of the files named,
// reading each folder once, and says what it removed.
func removeStaleTempsOf(files []string, start time.Time, stderr io.Writer) {
	byDir := map[string]map[string]bool{}
	for _, name := range files {
		dir := filepath.Dir(name)
		if byDir[dir] == nil {
			byDir[dir] = map[string]bool{}
		}
		byDir[dir][filepath.Base(name)] = true
	}
	dirs := make([]string, 0, len(byDir))
	for d := range byDir {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		names := byDir[dir]
		removed, err := safefile.RemoveStaleTemps(dir, func(target string) bool { return names[target] }, start)
		for _, r := range removed {
			fmt.Fprintf(stderr, "govreport: removed %s, left by an interrupted run\n", quoteName(r))
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(stderr, "govreport: %s\n", escapeText(err.Error()))
		}
	}
}

// summaryClash says why the summary file may not be written where asked —
// over an input (of any shard, or one skipped) or over an output of this
// run — or returns "". Names are compared as collisions compares outputs:
// ignoring case, and through links to the same file.
func summaryClash(summary string, inputs []string, skipped []batchFile, mine []string, outDir string, fmts []render.Format) string {
	same := func(a, b string) bool {
		return strings.EqualFold(abs(a), abs(b)) || safefile.Same(a, b)
	}
	for _, in := range inputs {
		if same(summary, in) {
			return fmt.Sprintf("--summary %s is the input %s; the summary would replace it: choose another file", summary, in)
		}
	}
	for _, s := range skipped {
		if same(summary, s.Input) {
			return fmt.Sprintf("--summary %s is the input %s; the summary would replace it: choose another file", summary, s.Input)
		}
	}
	root := commonDir(mine)
	for _, in := range mine {
		for _, f := range fmts {
			if out := outputPath(in, root, outDir, f); same(summary, out) {
				return fmt.Sprintf("--summary %s is the output %s of %s; the summary would replace it: choose another file", summary, out, in)
			}
		}
	}
	return ""
}

func runBatch(ctx context.Context, inputs []string, fmts []render.Format, outDir string, jobs int, warn bool, encoding string, opt render.Options, p *progress) []batchFile {
	results := make([]batchFile, len(inputs))
	root := commonDir(inputs)
	clash := collisions(inputs, root, outDir, fmts)
	for i, msg := range clash {
		results[i] = batchFile{Input: inputs[i], Error: msg, Errors: 1}
		p.step(results[i])
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				res := batchOne(ctx, inputs[i], root, fmts, outDir, warn, encoding, opt)
				results[i] = res
				p.step(res)
			}
		}()
	}
feed:
	for i := range inputs {
		if _, ok := clash[i]; ok {
			continue
		}
		select {
		case work <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	for i := range results {
		if results[i].Input == "" {
			results[i] = batchFile{Input: inputs[i]}
		}
	}
	return results
}

// batchOne renders one input in every format; outputs appear only whole.
func batchOne(ctx context.Context, in, root string, fmts []render.Format, outDir string, warn bool, encoding string, opt render.Options) batchFile {
	res := batchFile{Input: in}
	fail := func(err error) batchFile {
		var perr *report.Error
		if errors.As(err, &perr) {
			res.Error, res.Errors = perr.Problems[0].String(), perr.Total()
		} else {
			res.Error, res.Errors = err.Error(), 1
		}
		res.Outputs = nil
		return res
	}
	data, err := readInput(in, nil, encoding)
	if err != nil {
		return fail(err)
	}
	r, f, err := templates.Decode(data, report.Options{ChecksWarn: warn, Draft: opt.Draft})
	if err != nil {
		return fail(err)
	}
	for _, w := range r.Warnings {
		res.Warnings = append(res.Warnings, w.String())
	}
	// Decoded, built and laid out once; each format is written from the
	// same prepared document.
	prep, err := render.PrepareReport(ctx, f, r, opt.Prepare())
	if err != nil {
		return fail(err)
	}
	for _, format := range fmts {
		opt.Format = format
		out, err := prep.Write(ctx, opt.Write())
		if err != nil {
			return fail(err)
		}
		name := outputPath(in, root, outDir, format)
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return fail(err)
		}
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		if err := writeFileAtomic(name, out.Bytes); err != nil {
			return fail(err)
		}
		res.Outputs = append(res.Outputs, name)
		res.Pages = out.Pages
	}
	return res
}

func printSummary(w io.Writer, s batchSummary) {
	fmt.Fprintf(w, "done %d, failed %d, pages %d, %.1fs", s.Done, s.Failed, s.Pages, s.Seconds)
	if s.Seconds > 0 && s.Done > 0 {
		fmt.Fprintf(w, " (%.1f reports/s)", float64(s.Done)/s.Seconds)
	}
	if s.Interrupted {
		fmt.Fprint(w, ", interrupted")
	}
	fmt.Fprintln(w)
	// One line per entry whatever the names hold: a name with a newline
	// or bytes that are not UTF-8 is quoted (see quoteName).
	for _, f := range s.Files {
		if f.Error != "" {
			fmt.Fprintf(w, "failed: %s: %s\n", quoteName(f.Input), escapeText(f.Error))
		}
		for _, warning := range f.Warnings {
			fmt.Fprintf(w, "warning: %s: %s\n", quoteName(f.Input), escapeText(warning))
		}
	}
}

// progress shows a bar on a terminal and plain lines elsewhere.
// progress reports a batch's reports as they are done: on a terminal, one
// line redrawn in place (count, rate, elapsed), with a failed report's line
// printed above it, and the line cleared at the end; otherwise a line per
// report, for logs.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	n, of int
	start time.Time
	drawn time.Time // when the line was last drawn
	clock func() time.Time
	// verb says what is being done to the reports: rendering, auditing.
	verb string
	// barOnly draws the terminal line and nothing else, for a command
	// that prints each report's outcome itself (audit): no line per
	// failure above the bar, no line per report off a terminal.
	barOnly bool
}

func newProgress(w io.Writer, total int) *progress {
	f, ok := w.(*os.File)
	return newProgressTo(w, total, ok && term.IsTerminal(int(f.Fd())), time.Now)
}

func newProgressTo(w io.Writer, total int, tty bool, clock func() time.Time) *progress {
	return newProgressOf(w, total, tty, clock, "rendering", false)
}

// newProgressOf is newProgressTo for a command that is not rendering: verb
// says what it does; barOnly, see progress.
func newProgressOf(w io.Writer, total int, tty bool, clock func() time.Time, verb string, barOnly bool) *progress {
	p := &progress{w: w, tty: tty, of: total, clock: clock, start: clock(), verb: verb, barOnly: barOnly}
	if tty {
		p.draw() // at once, so that the rate counts from the start
	}
	return p
}

// draw writes the terminal line: carriage return, the text, erase to the
// end of the line.
func (p *progress) draw() {
	elapsed := p.clock().Sub(p.start)
	rate := ""
	if s := elapsed.Seconds(); p.n > 0 && s > 0 {
		rate = fmt.Sprintf(", %.1f reports/s", float64(p.n)/s)
	}
	fmt.Fprintf(p.w, "\r%s %d/%d (%d%%%s, %s)\x1b[K", p.verb, p.n, p.of, p.n*100/max(p.of, 1), rate, elapsed.Round(time.Second))
	p.drawn = p.clock()
}

func (p *progress) step(r batchFile) {
	p.advance(r.Input, r.Error, func() string {
		outs := make([]string, len(r.Outputs))
		for i, o := range r.Outputs {
			outs[i] = quoteName(o)
		}
		status := fmt.Sprintf("%s → %s", plural(r.Pages, "page", "pages"), strings.Join(outs, ", "))
		if n := len(r.Warnings); n > 0 {
			status += fmt.Sprintf(" (%s)", plural(n, "warning", "warnings"))
		}
		return status
	})
}

// advance counts one report done: name, and failure (why it failed) or
// status (what was made of it, for the log line off a terminal).
func (p *progress) advance(name, failure string, status func() string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if p.tty {
		if failure != "" && !p.barOnly {
			fmt.Fprintf(p.w, "\r\x1b[K%s: FAILED: %s\n", quoteName(name), escapeText(failure))
		} else if p.n < p.of && p.clock().Sub(p.drawn) < 100*time.Millisecond {
			return // at most ten redraws a second
		}
		p.draw()
		return
	}
	if p.barOnly {
		return
	}
	line := status()
	if failure != "" {
		line = "FAILED: " + escapeText(failure)
	}
	fmt.Fprintf(p.w, "[%d/%d] %s: %s\n", p.n, p.of, quoteName(name), line)
}

// above runs print, which writes whole lines to the terminal the bar is
// on, with the bar cleared first and drawn again below them.
func (p *progress) above(print func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.tty {
		print()
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K")
	print()
	p.draw()
}

// finish clears the terminal line; the summary follows.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
