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
	ChecksWarn bool       // render despite failed 勾稽 checks, as warnings
	Fonts      *fonts.Set // nil: the embedded faces
	Creator    string     // program name and version for the metadata
	// Date overrides the creation date; zero means SOURCE_DATE_EPOCH if
	// set, else the report's signature date.
	Date time.Time
	Now  time.Time // for the year check; zero means the clock
	// Page is the page a PNG preview shows, from 1 (0 means 1); DPI its
	// resolution (0 means 96).
	Page int
	DPI  float64
	// DOCXEmbeddedNames names, in a DOCX, the faces the PDF embeds instead
	// of the official font names (仿宋_GB2312 …), for machines without them.
	DOCXEmbeddedNames bool
}

// Result is a rendered report.
type Result struct {
	Bytes    []byte
	Pages    int
	Layout   []layout.Page // the laid-out pages every format was made from
	Title    string
	Warnings []report.Problem
}

// Render runs the whole pipeline on one report. A report that fails
// validation returns a *report.Error listing every problem.
func Render(ctx context.Context, data []byte, opt Options) (*Result, error) {
	f, err := templates.Lookup(report.FormatID)
	if err != nil {
		return nil, err
	}
	r, err := report.Decode(data, report.Options{Labels: f, ChecksWarn: opt.ChecksWarn, Now: opt.Now})
	if err != nil {
		return nil, err
	}
	return RenderReport(ctx, f, r, opt)
}

// RenderReport renders an already decoded report.
func RenderReport(ctx context.Context, f *templates.Format, r *report.Report, opt Options) (*Result, error) {
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
	doc, err := f.Build(r, templates.BuildOptions{Creator: opt.Creator, Date: date})
	if err != nil {
		return nil, err
	}
	pages, err := layout.Paginate(ctx, doc, set, layout.DefaultStyle())
	if err != nil {
		return nil, fmt.Errorf("layout: %w", err)
	}
	var buf bytes.Buffer
	switch opt.Format {
	case PDF, "":
		err = pdf.Render(ctx, &buf, pages, doc.Meta, pdf.Options{})
	case DOCX:
		err = docx.Render(ctx, &buf, doc, set, docx.Options{EmbeddedNames: opt.DOCXEmbeddedNames})
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
	return &Result{Bytes: buf.Bytes(), Pages: len(pages), Layout: pages, Title: r.Title, Warnings: r.Warnings}, nil
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
