package golden

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
