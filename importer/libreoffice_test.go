package importer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govreport/govreport/importer"
	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/render"
	"github.com/govreport/govreport/report"
)

// TestRoundTripLibreOffice saves every report's DOCX again with
// LibreOffice, as DOCX, as HTML and as PDF (as an agency that opens and saves it in an office suite
// does: its own styles, merges and runs) and imports that back.
func TestRoundTripLibreOffice(t *testing.T) {
	pdfcheck.Need(t, "soffice")
	ctx := context.Background()
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.Mkdir(in, 0o755); err != nil {
		t.Fatal(err)
	}
	reports := map[string]*report.Report{}
	var paths []string
	for _, path := range validReports(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p, err := render.Prepare(ctx, data, render.PrepareOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := p.WriteTo(ctx, &buf, render.WriteOptions{Format: render.DOCX}); err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		out := filepath.Join(in, name+".docx")
		if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		reports[name] = p.Report
		paths = append(paths, out)
	}
	outDir := filepath.Join(dir, "lo")
	args := append([]string{"-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(dir, "profile")),
		"--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", outDir}, paths...)
	pdfcheck.Tool(t, "soffice", args...)
	// And as the HTML page Writer saves (what a portal's editor often
	// pastes): title lines split by <br>, fonts by <font>, the footer's
	// page number in a <div>.
	args = append([]string{"-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(dir, "profile")),
		"--headless", "--convert-to", "html", "--outdir", outDir}, paths...)
	pdfcheck.Tool(t, "soffice", args...)
	// And as the PDF an office suite exports (its own line breaks and
	// page breaks, its own fonts' ToUnicode maps).
	args = append([]string{"-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(dir, "profile")),
		"--headless", "--convert-to", "pdf", "--outdir", outDir}, paths...)
	pdfcheck.Tool(t, "soffice", args...)
	for name, r := range reports {
		for _, ext := range []string{".docx", ".html", ".pdf"} {
			t.Run(name+ext, func(t *testing.T) {
				data, err := os.ReadFile(filepath.Join(outDir, name+ext))
				if err != nil {
					t.Fatal(err)
				}
				res, err := importer.Import(ctx, data, importer.Options{})
				if err != nil {
					t.Fatal(err)
				}
				checkRoundTrip(t, r, res, printed(t, r))
			})
		}
	}
}
