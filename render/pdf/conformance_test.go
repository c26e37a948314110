package pdf_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/render"
)

// TestReports renders every valid test report and checks the file the way
// users' tools read it: qpdf and pdfcpu (strict) find no fault, pdffonts lists
// every font embedded, subset and with a ToUnicode map.
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
