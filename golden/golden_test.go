package golden

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var opts = render.Options{Creator: "govreport golden", Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}

// TestProjectGoldens keeps the project's own layouts, PDFs and DOCX files in
// testdata/golden; `go test ./golden -update` rewrites them after an
// intended change (review the PNGs of the pages that changed).
func TestProjectGoldens(t *testing.T) {
	results, err := Run(context.Background(), "../testdata/golden", Options{Update: *update, Render: opts})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Input, r.Err)
		}
		for _, d := range r.Diffs {
			t.Errorf("%s: %s", r.Input, d)
		}
	}
}

// TestChangedNumberIsNamed changes one number of a report after taking its
// goldens: the run fails and names the page and the cell.
func TestChangedNumberIsNamed(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("../testdata/reports/xinhe-district-2023.json")
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "r.json")
	os.WriteFile(in, data, 0o644)
	if _, err := Run(context.Background(), dir, Options{Update: true, Render: opts}); err != nil {
		t.Fatal(err)
	}
	res, _ := Run(context.Background(), dir, Options{Render: opts})
	if !res[0].OK() {
		t.Fatalf("fresh goldens differ: %v %v", res[0].Diffs, res[0].Err)
	}
	// licensing_decisions 4382 → 4383: one cell of table 二.
	changed := strings.Replace(string(data), `"licensing_decisions": 4382`, `"licensing_decisions": 4383`, 1)
	if changed == string(data) {
		t.Fatal("fixture lacks the number")
	}
	os.WriteFile(in, []byte(changed), 0o644)
	res, _ = Run(context.Background(), dir, Options{Render: opts})
	if res[0].OK() || res[0].Page == 0 {
		t.Fatal("a changed number passed")
	}
	if want := `表二 r7c2: "4382" → "4383"`; !strings.Contains(res[0].Diffs[0], want) || !strings.HasPrefix(res[0].Diffs[0], "page ") {
		t.Errorf("first difference %q, want the page and %s", res[0].Diffs[0], want)
	}
}

// TestInvalidReportGolden: an invalid report's golden is its problem list;
// when the report becomes valid, --update replaces it with the layout.
func TestInvalidReportGolden(t *testing.T) {
	dir := t.TempDir()
	bad, _ := os.ReadFile("../testdata/reports/invalid-negative-count.json")
	in := filepath.Join(dir, "r.json")
	os.WriteFile(in, bad, 0o644)
	res, err := Run(context.Background(), dir, Options{Render: opts})
	if err != nil || res[0].OK() || !strings.Contains(res[0].Diffs[0], "no r.problems") {
		t.Fatalf("no golden yet: %v %+v", err, res)
	}
	if res, _ := Run(context.Background(), dir, Options{Update: true, Render: opts}); !res[0].OK() || len(res[0].Updated) != 1 {
		t.Fatalf("update: %+v", res[0])
	}
	want, _ := os.ReadFile("../testdata/reports/invalid-negative-count.problems")
	if got, _ := os.ReadFile(filepath.Join(dir, "r.problems")); string(got) != string(want) {
		t.Errorf("r.problems:\n%s\nwant the lines check prints:\n%s", got, want)
	}
	if res, _ := Run(context.Background(), dir, Options{Render: opts}); !res[0].OK() {
		t.Fatalf("same problems: %+v", res[0])
	}
	// Another problem: the run names it.
	worse := strings.Replace(string(bad), `"year": 2024`, `"year": 1990`, 1)
	os.WriteFile(in, []byte(worse), 0o644)
	res, _ = Run(context.Background(), dir, Options{Render: opts})
	if res[0].OK() || !strings.HasPrefix(res[0].Diffs[0], "new problem: /year") {
		t.Errorf("a new problem: %q", res[0].Diffs)
	}
	// Fixed: the layout becomes the golden and the problem list goes.
	good, _ := os.ReadFile("../testdata/reports/xinhe-district-2023.json")
	os.WriteFile(in, good, 0o644)
	if res, _ := Run(context.Background(), dir, Options{Update: true, Render: opts}); !res[0].OK() {
		t.Fatalf("update after the fix: %+v", res[0])
	}
	if _, err := os.Stat(filepath.Join(dir, "r.problems")); err == nil {
		t.Error("r.problems stays after the report became valid")
	}
	if _, err := os.Stat(filepath.Join(dir, "r.layout.json")); err != nil {
		t.Error(err)
	}
}

// TestStaleDiffPNG: a failing run writes X.page-N.diff.png; the next
// passing run removes it.
func TestStaleDiffPNG(t *testing.T) {
	dir := t.TempDir()
	data, _ := os.ReadFile("../testdata/reports/xinhe-district-2023.json")
	in := filepath.Join(dir, "r.json")
	os.WriteFile(in, data, 0o644)
	Run(context.Background(), dir, Options{Update: true, Render: opts})
	paint := func(context.Context, layout.Page, []Box) ([]byte, error) { return []byte("png"), nil }
	os.WriteFile(in, []byte(strings.Replace(string(data), `"licensing_decisions": 4382`, `"licensing_decisions": 4383`, 1)), 0o644)
	res, _ := Run(context.Background(), dir, Options{Render: opts, PaintDiff: paint})
	if res[0].DiffPNG == "" {
		t.Fatalf("no diff image: %+v", res[0])
	}
	if _, err := os.Stat(res[0].DiffPNG); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(in, data, 0o644)
	if res, _ := Run(context.Background(), dir, Options{Render: opts, PaintDiff: paint}); !res[0].OK() {
		t.Fatalf("restored report: %+v", res[0])
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.png")); len(m) != 0 {
		t.Errorf("stale diff images: %v", m)
	}
}

// TestPDFMetadataOnly: a PDF golden whose only difference is the program
// named in its metadata (as when another version took it) passes with a
// note; any other difference fails.
func TestPDFMetadataOnly(t *testing.T) {
	dir := t.TempDir()
	data, _ := os.ReadFile("../testdata/reports/xinhe-district-2023.json")
	in := filepath.Join(dir, "r.json")
	os.WriteFile(in, data, 0o644)
	Run(context.Background(), dir, Options{Update: true, Render: opts})
	old := opts
	old.Format, old.Creator = render.PDF, "govreport v0.9.0"
	pdf, err := render.Render(context.Background(), data, old)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "r.pdf"), pdf.Bytes, 0o644)
	res, _ := Run(context.Background(), dir, Options{Render: opts})
	if !res[0].OK() || len(res[0].Notes) != 1 || !strings.Contains(res[0].Notes[0], "only the metadata differs") || !strings.Contains(res[0].Notes[0], "govreport v0.9.0") {
		t.Fatalf("metadata only: %+v", res[0])
	}
	other := opts
	other.Format, other.Creator, other.Date = render.PDF, "govreport v0.9.0", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	pdf, _ = render.Render(context.Background(), data, other)
	os.WriteFile(filepath.Join(dir, "r.pdf"), pdf.Bytes, 0o644)
	if res, _ := Run(context.Background(), dir, Options{Render: opts}); res[0].OK() || !strings.Contains(res[0].Diffs[0], "r.pdf differs") {
		t.Fatalf("another date passed: %+v", res[0])
	}
}

// TestBytesDiffNamed: a PDF, DOCX or OFD golden that differs names where — the
// object and the page whose content it is, the part and the line and
// column, with the text around — not only "bytes differ".
func TestBytesDiffNamed(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("../testdata/reports/xinhe-district-2023.json")
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "r.json")
	os.WriteFile(in, data, 0o644)
	os.WriteFile(filepath.Join(dir, "r.pdf"), nil, 0o644) // asks --update for them
	os.WriteFile(filepath.Join(dir, "r.docx"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "r.ofd"), nil, 0o644)
	if _, err := Run(context.Background(), dir, Options{Update: true, Render: opts}); err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(data), `"licensing_decisions": 4382`, `"licensing_decisions": 4383`, 1)
	os.WriteFile(in, []byte(changed), 0o644)
	res, _ := Run(context.Background(), dir, Options{Render: opts})
	if res[0].Page == 0 {
		t.Fatalf("no page named: %v", res[0].Diffs)
	}
	var pdf, docx, ofd string
	for _, d := range res[0].Diffs {
		switch {
		case strings.HasPrefix(d, "r.ofd differs"):
			ofd = d
		case strings.HasPrefix(d, "r.pdf differs"):
			pdf = d
		case strings.HasPrefix(d, "r.docx differs"):
			docx = d
		}
	}
	if want := fmt.Sprintf("(the content of page %d)'s stream differs at line ", res[0].Page); !strings.Contains(pdf, want) {
		t.Errorf("PDF: %q, want %q", pdf, want)
	}
	if !strings.Contains(docx, "part word/document.xml differs at line 2, column ") || !regexp.MustCompile(`golden «[^»]*4382[^»]*» now «[^»]*4383`).MatchString(docx) {
		t.Errorf("DOCX: %q, want the part, the place and 4382 → 4383", docx)
	}
	if want := fmt.Sprintf("part Doc_0/Pages/Page_%d/Content.xml differs at line 2, column ", res[0].Page-1); !strings.Contains(ofd, want) ||
		!regexp.MustCompile(`golden «[^»]*4382[^»]*» now «[^»]*4383`).MatchString(ofd) {
		t.Errorf("OFD: %q, want %q and 4382 → 4383", ofd, want)
	}
	t.Logf("%s\n%s\n%s", pdf, docx, ofd)
}
