// Package golden owns golden-file testing of rendered reports, for users
// (govreport golden) and for this project's own tests: each X.json in a
// directory is rendered and compared with X.layout.json — the positioned
// boxes of every page, so a difference reads as "page 3, 表三 r27c4: 0 → 1"
// — and, where present, with X.pdf, X.docx and X.ofd byte for byte. Output is
// deterministic, so any difference is a real change.
//
// An invalid report's golden is its problem list, X.problems, one problem
// a line as `govreport check` prints them: a folder of test reports holds
// the reports that must be rejected next to those that must render.
package golden

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/govreport/govreport/internal/safefile"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render"
	"github.com/govreport/govreport/report"
)

// Result is the outcome for one report.
type Result struct {
	Input   string
	Updated []string // files written with update
	// Diffs lists what changed, first difference first; empty when the
	// report matches its goldens.
	Diffs []string
	// Page is the first page whose boxes changed (1-based), 0 if none.
	Page int
	// DiffPNG is the image written to show that page's changed boxes.
	DiffPNG string
	// Notes are differences that do not fail the run, such as a PDF
	// golden whose only difference is the program named in its metadata.
	Notes []string
	// Skipped is set when the input is not a regular file (a FIFO, a
	// device, a link to one): it was not read, and Err says what it is.
	Skipped bool
	Err     error
}

// OK reports whether the report matched its goldens.
func (r Result) OK() bool { return r.Err == nil && len(r.Diffs) == 0 }

// Options adjust a run.
type Options struct {
	// Update writes the goldens instead of comparing: each whole (a
	// temporary file renamed over the old one), and only those whose
	// content changed, so an unchanged golden keeps its file and time.
	Update bool
	Render render.Options
	// PaintDiff paints the page with the changed boxes outlined, as PNG;
	// nil writes no image.
	PaintDiff func(ctx context.Context, page layout.Page, boxes []Box) ([]byte, error)
	// MaxFile bounds every file read, the report (X.json) and its goldens
	// (X.layout.json, X.pdf, X.docx, X.ofd, X.problems); 0 means DefaultMaxFile.
	// A larger file is an error, read no further.
	MaxFile int64
}

// DefaultMaxFile is the bound of Options.MaxFile: that of a report read by
// govreport render. The goldens of the largest report the contract admits
// (300,000 characters, 492 pages) are far below it: a layout dump of
// 3.5 MB, a PDF of 0.4 MB.
const DefaultMaxFile = 32 << 20

// Creator is the program the goldens' PDF and DOCX name in their metadata.
// It carries no version, so goldens taken by one release compare equal
// under the next unless the document really changed.
const Creator = "govreport golden"

// Run checks every X.json in dir (not X.layout.json) against its goldens.
// Only regular files are read, each up to its bound: an X.json that is a
// FIFO or a device is skipped (Result.Skipped), never opened for reading
// in a way that blocks. When ctx is done, Run returns the results so far
// and ctx's error.
func Run(ctx context.Context, dir string, opt Options) ([]Result, error) {
	opt.Render.Creator = Creator
	if opt.MaxFile <= 0 {
		opt.MaxFile = DefaultMaxFile
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var inputs []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, ".json") && !strings.HasSuffix(n, ".layout.json") {
			inputs = append(inputs, filepath.Join(dir, n))
		}
	}
	if len(inputs) == 0 {
		return nil, fmt.Errorf("golden: no reports (*.json) in %s", dir)
	}
	sort.Strings(inputs)
	var out []Result
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		res := one(ctx, in, opt)
		if err := ctx.Err(); err != nil {
			return out, err // res is the interrupted report's
		}
		out = append(out, res)
	}
	return out, nil
}

// one checks the report in and its goldens.
func one(ctx context.Context, in string, opt Options) Result {
	res := Result{Input: in}
	data, err := safefile.Read(in, opt.MaxFile)
	if err != nil {
		res.Err, res.Skipped = err, errors.Is(err, safefile.ErrNotRegular)
		return res
	}
	base := strings.TrimSuffix(in, ".json")
	// A diff image describes the last failing run; a new run replaces it.
	if err := removeDiffPNGs(base); err != nil {
		res.Err = err
		return res
	}
	lopt := opt.Render
	lopt.Format = render.Layout
	got, err := render.Render(ctx, data, lopt)
	var perr *report.Error
	if errors.As(err, &perr) {
		problems(&res, base, perr.Problems, opt)
		return res
	}
	if err == nil {
		err = checkLayout(ctx, &res, base, got, opt)
	}
	// Byte-for-byte goldens where present (or all formats with update if
	// the file exists).
	for _, f := range []render.Format{render.PDF, render.DOCX, render.OFD} {
		if err != nil {
			break
		}
		err = checkBytes(ctx, &res, base, data, f, opt)
	}
	res.Err = err
	return res
}

// checkLayout compares the layout got with the golden base.layout.json, or
// writes it with update; the report is valid, so a golden problem list
// (base.problems) is an error, or goes with update.
func checkLayout(ctx context.Context, res *Result, base string, got *render.Result, opt Options) error {
	problemsFile := base + ".problems"
	layoutFile := base + ".layout.json"
	if opt.Update {
		if err := writeGolden(res, layoutFile, got.Bytes, opt.MaxFile); err != nil {
			return err
		}
		// The report is valid now: its old problem list is stale.
		return removeIfExists(problemsFile)
	}
	if _, err := os.Stat(problemsFile); err == nil {
		res.Diffs = append(res.Diffs, fmt.Sprintf("the report is valid, but %s expects it to be rejected", filepath.Base(problemsFile)))
	}
	want, err := safefile.Read(layoutFile, opt.MaxFile)
	if errors.Is(err, os.ErrNotExist) {
		res.Diffs = append(res.Diffs, fmt.Sprintf("no %s: run with --update to create it", filepath.Base(layoutFile)))
		return nil
	}
	if err != nil {
		return err
	}
	diffs, page, boxes, err := compareLayouts(want, got.Bytes)
	if err != nil {
		return fmt.Errorf("%s: %w", layoutFile, err)
	}
	res.Diffs, res.Page = append(res.Diffs, diffs...), page
	if page <= 0 || page > len(got.Layout) || opt.PaintDiff == nil {
		return nil
	}
	png, err := opt.PaintDiff(ctx, got.Layout[page-1], boxes)
	if err != nil {
		return err
	}
	res.DiffPNG = fmt.Sprintf("%s.page-%d.diff.png", base, page)
	return safefile.WriteAtomic(res.DiffPNG, png)
}

// checkBytes compares the report rendered as f with its golden, if there
// is one, byte for byte, or rewrites a golden that changed with update.
func checkBytes(ctx context.Context, res *Result, base string, data []byte, f render.Format, opt Options) error {
	file := base + f.Ext()
	want, err := safefile.Read(file, opt.MaxFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	ro := opt.Render
	ro.Format = f
	got, err := render.Render(ctx, data, ro)
	if err != nil {
		return err
	}
	switch {
	case opt.Update:
		if !bytes.Equal(want, got.Bytes) {
			if err := safefile.WriteAtomic(file, got.Bytes); err != nil {
				return err
			}
			res.Updated = append(res.Updated, file)
		}
		return nil
	case bytes.Equal(want, got.Bytes):
		return nil
	case f == render.PDF && onlyCreator(ctx, res, file, want, data, ro):
		return nil
	}
	where := wherePDF(want, got.Bytes)
	if f == render.DOCX || f == render.OFD { // zip packages: the part that differs
		where = whereDOCX(want, got.Bytes)
	}
	res.Diffs = append(res.Diffs, fmt.Sprintf("%s differs (%d bytes, golden %d bytes): %s", filepath.Base(file), len(got.Bytes), len(want), where))
	return nil
}

// onlyCreator reports whether the PDF golden want was taken by a program
// that named itself differently (an older govreport put its version there)
// and is otherwise the same: the report rendered again under the golden's
// name matches it. It then notes so in res.
func onlyCreator(ctx context.Context, res *Result, file string, want, data []byte, ro render.Options) bool {
	c, ok := pdfCreator(want)
	if !ok || c == ro.Creator {
		return false
	}
	ro.Creator = c
	again, err := render.Render(ctx, data, ro)
	if err != nil || !bytes.Equal(want, again.Bytes) {
		return false
	}
	res.Notes = append(res.Notes, fmt.Sprintf("%s: only the metadata differs (Creator %q, now %q); --update rewrites it", filepath.Base(file), c, Creator))
	return true
}

// problems compares an invalid report's problems with its golden
// X.problems, or writes it with update; the goldens of a rendering are
// then stale and go.
func problems(res *Result, base string, ps []report.Problem, opt Options) {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	got := b.String()
	file := base + ".problems"
	if opt.Update {
		if err := writeGolden(res, file, []byte(got), opt.MaxFile); err != nil {
			res.Err = err
			return
		}
		for _, ext := range []string{render.Layout.Ext(), render.PDF.Ext(), render.DOCX.Ext(), render.OFD.Ext()} {
			if err := removeIfExists(base + ext); err != nil {
				res.Err = err
				return
			}
		}
		return
	}
	want, err := safefile.Read(file, opt.MaxFile)
	switch {
	case errors.Is(err, os.ErrNotExist):
		res.Diffs = append(res.Diffs, fmt.Sprintf("the report is invalid (%s) and there is no %s: run with --update to create it; first: %s",
			plural(len(ps), "problem", "problems"), filepath.Base(file), ps[0]))
		return
	case err != nil:
		res.Err = err
		return
	}
	if string(want) == got {
		return
	}
	wantLines := strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	gotLines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	for _, l := range wantLines {
		if !slices.Contains(gotLines, l) {
			res.Diffs = append(res.Diffs, "problem gone: "+l)
		}
	}
	for _, l := range gotLines {
		if !slices.Contains(wantLines, l) {
			res.Diffs = append(res.Diffs, "new problem: "+l)
		}
	}
	if len(res.Diffs) == 0 {
		res.Diffs = append(res.Diffs, fmt.Sprintf("%s: the same problems in another order", filepath.Base(file)))
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// writeGolden makes file hold data, whole (safefile.WriteAtomic: a temporary
// file renamed over it, never a regular file truncated and rewritten in
// place, nor a FIFO or device replaced), and only when its content
// differs, so that an unchanged golden keeps its file, its time and its
// links; a file written is added to res.Updated.
func writeGolden(res *Result, file string, data []byte, limit int64) error {
	if old, err := safefile.Read(file, limit); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := safefile.WriteAtomic(file, data); err != nil {
		return err
	}
	res.Updated = append(res.Updated, file)
	return nil
}

func removeIfExists(name string) error {
	if err := os.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// removeDiffPNGs removes base.page-N.diff.png left by an earlier run.
func removeDiffPNGs(base string) error {
	dir, prefix := filepath.Dir(base), filepath.Base(base)+".page-"
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && strings.HasPrefix(n, prefix) && strings.HasSuffix(n, ".diff.png") {
			if err := os.Remove(filepath.Join(dir, n)); err != nil {
				return err
			}
		}
	}
	return nil
}

// creatorPatterns find the program a PDF names in its document information
// (a literal string) or its XMP metadata.
var creatorPatterns = []*regexp.Regexp{
	regexp.MustCompile(`/Creator\s*\(((?:[^()\\]|\\.)*)\)`),
	regexp.MustCompile(`<xmp:CreatorTool>([^<]*)</xmp:CreatorTool>`),
}

// pdfCreator is the Creator a PDF names, when it is written plainly.
func pdfCreator(pdf []byte) (string, bool) {
	for _, re := range creatorPatterns {
		if m := re.FindSubmatch(pdf); m != nil {
			return string(m[1]), true
		}
	}
	return "", false
}

// dump is the layout JSON as written by layout.WriteJSON.
type dump struct {
	Pages []layout.Page `json:"pages"`
}

// Box is the extent of one named box on a page, in points.
type Box struct {
	Name                     string
	X0, Y0, X1, Y1           float64
	WantText, GotText        string
	WantX, WantY, GotX, GotY float64
}

// compareLayouts compares two layout dumps box by box, in page order, and
// returns readable differences, the first page that differs and the boxes
// that changed on it.
func compareLayouts(wantJSON, gotJSON []byte) ([]string, int, []Box, error) {
	var want, got dump
	if err := json.Unmarshal(wantJSON, &want); err != nil {
		return nil, 0, nil, err
	}
	if err := json.Unmarshal(gotJSON, &got); err != nil {
		return nil, 0, nil, err
	}
	var diffs []string
	firstPage := 0
	var boxes []Box
	if len(want.Pages) != len(got.Pages) {
		diffs = append(diffs, fmt.Sprintf("%d pages, golden %d", len(got.Pages), len(want.Pages)))
	}
	for i := 0; i < max(len(want.Pages), len(got.Pages)); i++ {
		var w, g []layout.Item
		if i < len(want.Pages) {
			w = want.Pages[i].Items
		}
		if i < len(got.Pages) {
			g = got.Pages[i].Items
		}
		changed := diffBoxes(w, g)
		if len(changed) == 0 {
			continue
		}
		for _, b := range changed {
			diffs = append(diffs, describe(i+1, b))
		}
		if firstPage == 0 {
			firstPage, boxes = i+1, changed
		}
	}
	return diffs, firstPage, boxes, nil
}

func describe(page int, b Box) string {
	switch {
	case b.WantText == "" && b.GotText == "":
		return fmt.Sprintf("page %d, %s: rules moved", page, b.Name)
	case b.WantText != b.GotText:
		return fmt.Sprintf("page %d, %s: %q → %q", page, b.Name, clip(b.WantText), clip(b.GotText))
	}
	return fmt.Sprintf("page %d, %s: moved from (%.2f, %.2f) to (%.2f, %.2f)", page, b.Name, b.WantX, b.WantY, b.GotX, b.GotY)
}

func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// diffBoxes groups the items of a page by box and returns the boxes whose
// items differ, in the order they first appear (golden first).
func diffBoxes(want, got []layout.Item) []Box {
	var order []string
	seen := map[string]bool{}
	group := func(items []layout.Item) map[string][]layout.Item {
		m := map[string][]layout.Item{}
		for _, it := range items {
			m[it.Box] = append(m[it.Box], it)
			if !seen[it.Box] {
				seen[it.Box] = true
				order = append(order, it.Box)
			}
		}
		return m
	}
	wg, gg := group(want), group(got)
	var out []Box
	for _, name := range order {
		w, g := wg[name], gg[name]
		if sameItems(w, g) {
			continue
		}
		b := Box{Name: name, WantText: text(w), GotText: text(g)}
		if len(w) > 0 {
			b.WantX, b.WantY = w[0].X, w[0].Y
		}
		if len(g) > 0 {
			b.GotX, b.GotY = g[0].X, g[0].Y
		}
		b.X0, b.Y0, b.X1, b.Y1 = extent(append(append([]layout.Item{}, w...), g...))
		out = append(out, b)
	}
	return out
}

func sameItems(a, b []layout.Item) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Kind != y.Kind || x.Text != y.Text || x.Font != y.Font || !near(x.X, y.X) || !near(x.Y, y.Y) ||
			!near(x.Size, y.Size) || !near(x.Spacing, y.Spacing) || !near(x.X2, y.X2) || !near(x.Y2, y.Y2) ||
			!near(x.LineWidth, y.LineWidth) {
			return false
		}
	}
	return true
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.005 }

func text(items []layout.Item) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString(it.Text)
	}
	return b.String()
}

// extent is the bounding box of items: text from its em box, rules and
// rectangles from their geometry.
func extent(items []layout.Item) (x0, y0, x1, y1 float64) {
	x0, y0 = math.Inf(1), math.Inf(1)
	x1, y1 = math.Inf(-1), math.Inf(-1)
	for _, it := range items {
		switch it.Kind {
		case layout.ItemText:
			w := float64(len([]rune(it.Text))) * (it.Size + it.Spacing)
			x0, x1 = min(x0, it.X), max(x1, it.X+w)
			y0, y1 = min(y0, it.Y-0.88*it.Size), max(y1, it.Y+0.12*it.Size)
		case layout.ItemLine:
			x0, x1 = min(x0, it.X, it.X2), max(x1, it.X, it.X2)
			y0, y1 = min(y0, it.Y, it.Y2), max(y1, it.Y, it.Y2)
		}
	}
	return x0, y0, x1, y1
}
