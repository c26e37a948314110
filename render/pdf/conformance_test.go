package pdf_test

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/render"
)

// TestReports renders every valid test report and checks the file the way
// users' tools read it: qpdf and pdfcpu (strict) find no fault, pdffonts lists
// every font embedded, subset and with a ToUnicode map, and only the faces
// that draw text.
func TestReports(t *testing.T) {
	for _, path := range pdfcheck.ValidReports(t, "../..") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res, err := render.Render(context.Background(), data, render.Options{Format: render.PDF, ChecksWarn: true})
			if err != nil {
				t.Fatal(err)
			}
			pdfcheck.Strict(t, res.Bytes)
			file := filepath.Join(t.TempDir(), "out.pdf")
			if err := os.WriteFile(file, res.Bytes, 0o644); err != nil {
				t.Fatal(err)
			}
			if out := pdfcheck.Tool(t, "qpdf", "--check", file); !strings.Contains(out, "No syntax or stream encoding errors") {
				t.Errorf("qpdf --check:\n%s", out)
			}
			lines := strings.Split(strings.TrimSpace(pdfcheck.Tool(t, "pdffonts", file)), "\n")
			if len(lines) < 3 {
				t.Fatalf("pdffonts lists no fonts:\n%s", strings.Join(lines, "\n"))
			}
			// Exactly the faces that draw text are embedded: a role's second
			// face (cwTeX FangSong for traditional characters) only when a
			// character needs it.
			drawn := map[string]bool{}
			for _, pg := range res.Layout {
				for _, it := range pg.Items {
					if it.Text != "" && it.Face != nil {
						drawn[it.Face.Name()] = true
					}
				}
			}
			embedded := map[string]bool{}
			for _, l := range lines[2:] {
				if _, name, ok := strings.Cut(strings.Fields(l)[0], "+"); ok {
					embedded[name] = true
				}
			}
			if !maps.Equal(drawn, embedded) {
				t.Errorf("embedded fonts %v, faces drawn with %v", slices.Sorted(maps.Keys(embedded)), slices.Sorted(maps.Keys(drawn)))
			}
			for _, l := range lines[2:] {
				f := strings.Fields(l)
				if len(f) < 7 || f[len(f)-5] != "yes" || f[len(f)-4] != "yes" || f[len(f)-3] != "yes" ||
					!strings.Contains(l, "CID TrueType") || !strings.Contains(l, "Identity-H") {
					t.Errorf("font not an embedded CID TrueType subset with ToUnicode: %q", l)
				}
			}
		})
	}
}
