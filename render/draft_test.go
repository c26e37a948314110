package render

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render/docx"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// TestDraft: init's skeleton, with its placeholders, does not render; with
// Draft it renders with 草稿 on every page — in the PDF (as pdftotext reads
// each page, and as an artifact the structure tree leaves out), in the DOCX
// as LibreOffice prints it, and in the PNG — and a report without
// placeholders has no mark unless it is asked for.
func TestDraft(t *testing.T) {
	pdfcheck.Need(t, "pdftotext")
	pdfcheck.Need(t, "pdfinfo")
	pdfcheck.Need(t, "soffice")
	f, err := templates.Lookup("gov-info-disclosure/2021")
	if err != nil {
		t.Fatal(err)
	}
	skeleton, err := f.Skeleton(templates.SkeletonOptions{Agency: "某某县人民政府", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, err = Render(ctx, skeleton, Options{Now: now})
	var perr *report.Error
	if !errors.As(err, &perr) {
		t.Fatalf("the skeleton renders without Draft: %v", err)
	}
	for _, p := range perr.Problems {
		if p.Code != "placeholder" {
			t.Errorf("problem %v, want only placeholders", p)
		}
	}
	if perr.Problems[0].Pointer != "/preamble/0" {
		t.Errorf("first problem at %s, want /preamble/0", perr.Problems[0].Pointer)
	}

	dir := t.TempDir()
	pdfPath := filepath.Join(dir, "draft.pdf")
	res, err := Render(ctx, skeleton, Options{Now: now, Draft: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != len(perr.Problems) {
		t.Errorf("%d warnings, want the %d placeholders", len(res.Warnings), len(perr.Problems))
	}
	if err := os.WriteFile(pdfPath, res.Bytes, 0o644); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= res.Pages; i++ {
		page := pdfcheck.Tool(t, "pdftotext", "-f", strconv.Itoa(i), "-l", strconv.Itoa(i), pdfPath, "-")
		if strings.Count(page, "草稿") != 1 {
			t.Errorf("PDF page %d holds 草稿 %d times, want once:\n%.200s", i, strings.Count(page, "草稿"), page)
		}
	}
	if s := pdfcheck.Tool(t, "pdfinfo", "-struct-text", pdfPath); strings.Contains(s, "草稿") {
		t.Error("the draft mark is in the structure tree; it is an artifact")
	}
	pdfcheck.Strict(t, res.Bytes)

	// The DOCX, as LibreOffice prints it.
	d, err := Render(ctx, skeleton, Options{Now: now, Draft: true, Format: DOCX, DOCXFonts: docx.FontsEmbed})
	if err != nil {
		t.Fatal(err)
	}
	docxPath := filepath.Join(dir, "draft.docx")
	if err := os.WriteFile(docxPath, d.Bytes, 0o644); err != nil {
		t.Fatal(err)
	}
	pdfcheck.Tool(t, "soffice", "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--headless", "--convert-to", "pdf", "--outdir", filepath.Join(dir, "lo"), docxPath)
	lo := filepath.Join(dir, "lo", "draft.pdf")
	n := pdfcheck.PageCount(t, lo)
	if n != res.Pages {
		t.Errorf("LibreOffice sets the draft DOCX on %d pages, our PDF has %d", n, res.Pages)
	}
	for i := 1; i <= n; i++ {
		page := pdfcheck.Tool(t, "pdftotext", "-f", strconv.Itoa(i), "-l", strconv.Itoa(i), lo, "-")
		if strings.Count(page, "草稿") != 1 {
			t.Errorf("LibreOffice's page %d of the DOCX holds 草稿 %d times, want once", i, strings.Count(page, "草稿"))
		}
	}

	// A finished report: no mark, unless asked for; in the PNG, ink where
	// the layout puts the mark only then.
	seed, err := os.ReadFile("../testdata/reports/yongxing-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	ink := map[bool]int{}
	for _, draft := range []bool{false, true} {
		r, err := Render(ctx, seed, Options{Now: now, Draft: draft, Format: PNG, Page: 3})
		if err != nil {
			t.Fatal(err)
		}
		marks := 0
		var box [4]float64 // x0, y0, x1, y1 in points
		for _, it := range r.Layout[2].Items {
			if it.Part.Kind == layout.PartDraftMark {
				marks++
				box = [4]float64{it.X, it.Y - it.Size, it.X + 2*it.Size, it.Y + 0.2*it.Size}
			}
		}
		if draft != (marks > 0) {
			t.Errorf("draft %v: %d items of the mark on page 3", draft, marks)
		}
		if !draft {
			st := layout.DefaultStyle()
			box = [4]float64{st.Left + st.BodyWidth - 2*st.BodySize, st.Top - st.PageNumGap - st.BodySize, st.Left + st.BodyWidth, st.Top - st.PageNumGap + 0.2*st.BodySize}
		}
		img, err := png.Decode(bytes.NewReader(r.Bytes))
		if err != nil {
			t.Fatal(err)
		}
		scale := 96.0 / 72
		for y := int(box[1] * scale); y < int(box[3]*scale); y++ {
			for x := int(box[0] * scale); x < int(box[2]*scale); x++ {
				if r, g, b, _ := img.At(x, y).RGBA(); r+g+b < 3*0x8000 {
					ink[draft]++
				}
			}
		}
	}
	if ink[false] != 0 || ink[true] < 20 {
		t.Errorf("ink where the mark goes: %d dark pixels without Draft, %d with; want none, then the mark", ink[false], ink[true])
	}
}
