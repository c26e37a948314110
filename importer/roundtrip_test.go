package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/govreport/govreport/fonts/faces"
	"github.com/govreport/govreport/importer"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render"
	"github.com/govreport/govreport/render/docx"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// validReports are testdata/reports' valid reports (the invalid-* ones
// are the decoder's fixtures).
func validReports(t testing.TB) []string {
	t.Helper()
	all, err := filepath.Glob("../testdata/reports/*.json")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range all {
		if !strings.HasPrefix(filepath.Base(p), "invalid-") {
			out = append(out, p)
		}
	}
	if len(out) < 10 {
		t.Fatalf("only %d reports in testdata/reports", len(out))
	}
	return out
}

// printed is what a report prints, block by block, as the format's builder
// makes the document: title, each paragraph's runs with their roles,
// headings, every table cell, the signature. Two reports that print the
// same are the same report to a reader, whatever JSON spelling (a heading
// block's own number, an omitted total) they were written with.
func printed(t testing.TB, r *report.Report) []string {
	t.Helper()
	f, err := templates.Lookup(r.Format.ID)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := f.Build(r, templates.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, b := range doc.Blocks {
		switch b := b.(type) {
		case *layout.Title:
			out = append(out, "title "+b.Text)
		case *layout.Heading:
			out = append(out, fmt.Sprintf("h%d %s", b.Level, b.Text))
		case *layout.Paragraph:
			s := "p"
			for _, r := range b.Runs {
				s += fmt.Sprintf(" [%v]%s", r.Role, r.Text)
			}
			out = append(out, s)
		case *layout.Table:
			for _, c := range b.Cells {
				out = append(out, fmt.Sprintf("%s (%d,%d) %s", b.Name, c.Row, c.Col, c.Text))
			}
		case *layout.Signature:
			out = append(out, "signature "+b.Agency+" "+b.Date)
		default:
			out = append(out, fmt.Sprintf("%T", b))
		}
	}
	return out
}

// TestRoundTrip renders every report to PDF and to DOCX in both font
// modes and imports each back: the same kind, format, agency, year, title,
// signature, every paragraph and every table cell, and no problem beyond
// the report's own warnings.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	writers := []struct {
		name string
		opt  render.WriteOptions
		kind importer.Kind
	}{
		{"pdf", render.WriteOptions{Format: render.PDF}, importer.KindPDF},
		{fmt.Sprint(docx.FontsOfficial), render.WriteOptions{Format: render.DOCX, DOCXFonts: docx.FontsOfficial}, importer.KindDOCX},
		{fmt.Sprint(docx.FontsEmbed), render.WriteOptions{Format: render.DOCX, DOCXFonts: docx.FontsEmbed}, importer.KindDOCX},
	}
	for _, path := range validReports(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p, err := render.Prepare(ctx, data, render.PrepareOptions{})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		want := printed(t, p.Report)
		for _, w := range writers {
			t.Run(filepath.Base(path)+"/"+w.name, func(t *testing.T) {
				var buf bytes.Buffer
				if err := p.WriteTo(ctx, &buf, w.opt); err != nil {
					t.Fatal(err)
				}
				res, err := importer.Import(ctx, buf.Bytes(), importer.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if res.Kind != w.kind {
					t.Errorf("kind %s, want %s", res.Kind, w.kind)
				}
				checkRoundTrip(t, p.Report, res, want)
			})
		}
	}
}

func checkRoundTrip(t *testing.T, in *report.Report, res *importer.Result, want []string) {
	t.Helper()
	for _, pr := range res.Problems {
		if pr.Code == "null" && pr.Severity == importer.SeverityWarning {
			continue
		}
		t.Errorf("problem: %s %s (%s)", pr.Severity, pr.String(), pr.Where)
	}
	if res.Report == nil {
		t.Fatalf("no report:\n%s", res.JSON)
	}
	out := res.Report
	if out.Format.ID != in.Format.ID || out.Agency != in.Agency || out.Year != in.Year || out.Title != in.Title ||
		out.Signature.Agency != in.Signature.Agency || out.Signature.Date != in.Signature.Date {
		t.Errorf("got %s %q %d %q %q %v, want %s %q %d %q %q %v", out.Format.ID, out.Agency, out.Year, out.Title, out.Signature.Agency, out.Signature.Date,
			in.Format.ID, in.Agency, in.Year, in.Title, in.Signature.Agency, in.Signature.Date)
	}
	got := printed(t, out)
	n := max(len(got), len(want))
	bad := 0
	for i := 0; i < n && bad < 10; i++ {
		g, w := "", ""
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("block %d:\n got %s\nwant %s", i, g, w)
			bad++
		}
	}
	for _, ptr := range in.Format.CellPointers() {
		a, _ := in.Cell(ptr)
		b, _ := out.Cell(ptr)
		if a.Text != b.Text || a.Null != b.Null || a.Int != b.Int {
			t.Errorf("%s: got %+v, want %+v", ptr, b, a)
		}
	}
}
