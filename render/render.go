// Package render is the one pipeline every caller uses — the CLI, batch
// conversion and the HTTP server: report JSON is decoded and checked, built
// into the format's document tree, laid out, and written in the requested
// format.
package render

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render/docx"
	"github.com/govreport/govreport/render/pdf"
	"github.com/govreport/govreport/render/png"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// Format is an output format.
type Format string

const (
	PDF    Format = "pdf"
	DOCX   Format = "docx"   // Word (WordprocessingML)
	PNG    Format = "png"    // a preview of one page
	Layout Format = "layout" // the positioned page boxes as JSON
)

// PageError is a PNG preview asked for a page the report does not have.
type PageError struct {
	Page, Pages int
}

func (e *PageError) Error() string {
	return fmt.Sprintf("page %d does not exist: the report has %d pages", e.Page, e.Pages)
}

// Options adjust one render.
type Options struct {
	Format     Format
	ChecksWarn bool // render despite failed 勾稽 checks, as warnings
	// Draft renders a report that still holds init's placeholders (as
	// warnings), with 草稿 printed on every page.
	Draft   bool
	Fonts   *fonts.Set // nil: the embedded faces
	Creator string     // program name and version for the metadata
	// Date overrides the creation date; zero means SOURCE_DATE_EPOCH if
	// set, else the report's signature date.
	Date time.Time
	Now  time.Time // for the year check; zero means the clock
	// Page is the page a PNG preview shows, from 1 (0 means 1); DPI its
	// resolution (0 means 96).
	Page int
	DPI  float64
	// DOCXFonts says which fonts a DOCX names: docx.FontsOfficial (the
	// default: 仿宋_GB2312 …, or the GBK faces for text outside GB2312) or
	// docx.FontsEmbed (the PDF's faces, embedded in the file).
	DOCXFonts docx.FontMode
}

// Result is a rendered report.
type Result struct {
	Bytes    []byte
	Pages    int
	Layout   []layout.Page // the laid-out pages every format was made from
	Title    string
	Warnings []report.Problem
}

// Prepared is a report taken through every stage that does not depend on
// the output format — decoded and checked, built into the format's
// document tree, laid out — once. Every writer reads its decisions from
// it: the PDF and PNG paint Layout's pages, the DOCX takes the title's and
// signature's lines and each table's widths and size from it. Batch
// conversion into several formats prepares once; the server's validate
// runs the same stage, so a report it accepts renders.
type Prepared struct {
	Format *templates.Format
	Report *report.Report
	Doc    *layout.Document
	Layout *layout.Composed
	Fonts  *fonts.Set
}

// Prepare decodes, checks, builds and lays out one report. A report that
// fails validation returns a *report.Error listing every problem. Of opt,
// it reads ChecksWarn, Draft, Fonts, Creator, Date and Now.
func Prepare(ctx context.Context, data []byte, opt Options) (*Prepared, error) {
	r, f, err := templates.Decode(data, report.Options{ChecksWarn: opt.ChecksWarn, Draft: opt.Draft, Now: opt.Now})
	if err != nil {
		return nil, err
	}
	return PrepareReport(ctx, f, r, opt)
}

// PrepareReport builds and lays out an already decoded report. Font
// coverage and the page limit are problems of the report (*report.Error),
// so that validation refuses what an export would.
func PrepareReport(ctx context.Context, f *templates.Format, r *report.Report, opt Options) (*Prepared, error) {
	set := opt.Fonts
	if set == nil {
		var err error
		if set, err = fonts.Default(); err != nil {
			return nil, err
		}
	}
	date := opt.Date
	if date.IsZero() {
		d, err := sourceDateEpoch()
		if err != nil {
			return nil, err
		}
		date = d
	}
	doc, err := f.Build(r, templates.BuildOptions{Creator: opt.Creator, Date: date, Draft: opt.Draft})
	if err != nil {
		return nil, err
	}
	if err := coverage(doc, set); err != nil {
		return nil, err
	}
	c, err := layout.Compose(ctx, doc, set, layout.DefaultStyle())
	if err != nil {
		return nil, layoutError(err)
	}
	return &Prepared{Format: f, Report: r, Doc: doc, Layout: c, Fonts: set}, nil
}

// Write writes the prepared report in one format. Of opt, it reads Format,
// Page, DPI and DOCXFonts. It does not change p, so one Prepared
// may be written in several formats, one after another or at once.
func (p *Prepared) Write(ctx context.Context, opt Options) (*Result, error) {
	pages := p.Layout.Pages
	var buf bytes.Buffer
	var err error
	switch opt.Format {
	case PDF, "":
		err = pdf.Render(ctx, &buf, pages, p.Doc)
	case DOCX:
		err = docx.Render(ctx, &buf, p.Doc, p.Fonts, docx.Options{Fonts: opt.DOCXFonts, Layout: p.Layout})
	case PNG:
		n := max(opt.Page, 1)
		if n > len(pages) {
			return nil, &PageError{Page: n, Pages: len(pages)}
		}
		err = png.Render(ctx, &buf, pages[n-1], png.Options{DPI: opt.DPI})
	case Layout:
		err = layout.WriteJSON(&buf, pages)
	default:
		return nil, fmt.Errorf("unknown format %q", opt.Format)
	}
	if err != nil {
		return nil, err
	}
	return &Result{Bytes: buf.Bytes(), Pages: len(pages), Layout: pages, Title: p.Report.Title, Warnings: p.Report.Warnings}, nil
}

// Render runs the whole pipeline on one report: Prepare, then Write. A
// report that fails validation returns a *report.Error listing every
// problem.
func Render(ctx context.Context, data []byte, opt Options) (*Result, error) {
	p, err := Prepare(ctx, data, opt)
	if err != nil {
		return nil, err
	}
	return p.Write(ctx, opt)
}

// RenderReport renders an already decoded report.
func RenderReport(ctx context.Context, f *templates.Format, r *report.Report, opt Options) (*Result, error) {
	p, err := PrepareReport(ctx, f, r, opt)
	if err != nil {
		return nil, err
	}
	return p.Write(ctx, opt)
}

// sourceDateEPOCH reads SOURCE_DATE_EPOCH (reproducible-builds.org), the
// conventional way to pin a build's timestamps.
func sourceDateEpoch() (time.Time, error) {
	v := os.Getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a count of seconds", v)
	}
	return time.Unix(n, 0).UTC(), nil
}
