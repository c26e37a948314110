// Package render is the one pipeline every caller uses — the CLI, batch
// conversion and the HTTP server: report JSON is decoded and checked, built
// into the format's document tree, laid out, and written in the requested
// format.
//
// In one call:
//
//	res, err := render.Render(ctx, data, render.Options{Format: render.PDF})
//
// or in two stages, the layout made once for several formats:
//
//	p, err := render.Prepare(ctx, data, render.PrepareOptions{Fonts: faces})
//	err = p.WriteTo(ctx, w, render.WriteOptions{Format: render.DOCX})
//
// A report that fails validation is a *report.Error listing every problem
// by JSON pointer. The package reads no environment and no clock for its
// output: the dates written come from the report or PrepareOptions.Date.
package render

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render/docx"
	"github.com/govreport/govreport/render/ofd"
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
	OFD    Format = "ofd"    // GB/T 33190-2016, China's fixed-layout format
)

// Formats are the output formats, in the order they are listed.
var Formats = []Format{PDF, DOCX, PNG, Layout, OFD}

// ParseFormat reads a format's name (pdf, docx, png, layout, ofd), in any case.
func ParseFormat(name string) (Format, error) {
	f := Format(strings.ToLower(name))
	if f.Ext() == "" {
		return "", fmt.Errorf("unknown format %q (pdf, docx, png, layout, ofd)", name)
	}
	return f, nil
}

// FormatOfFile infers the format from a file name's extension: .pdf, .docx,
// .png, .ofd, or .json for the layout.
func FormatOfFile(name string) (Format, bool) {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".json" {
		return Layout, true
	}
	for _, f := range Formats {
		if f.Ext() == ext {
			return f, true
		}
	}
	return "", false
}

// Ext is the format's file name extension (.layout.json for the layout, so
// that it is not taken for a report); "" for an unknown format.
func (f Format) Ext() string {
	switch f {
	case PDF, DOCX, PNG, OFD:
		return "." + string(f)
	case Layout:
		return ".layout.json"
	}
	return ""
}

// MediaType is the format's media type; "" for an unknown format.
func (f Format) MediaType() string {
	switch f {
	case PDF:
		return "application/pdf"
	case DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case PNG:
		return "image/png"
	case Layout:
		return "application/json"
	case OFD:
		return "application/ofd"
	}
	return ""
}

// PageError is a PNG preview asked for a page the report does not have.
type PageError struct {
	Page, Pages int
}

func (e *PageError) Error() string {
	return fmt.Sprintf("page %d does not exist: the report has %d pages", e.Page, e.Pages)
}

// PrepareOptions adjust the stages that do not depend on the output
// format: decoding, checks, the document tree and the layout.
type PrepareOptions struct {
	ChecksWarn bool // render despite failed 勾稽 checks, as warnings
	// Draft renders a report that still holds init's placeholders (as
	// warnings), with 草稿 printed on every page.
	Draft   bool
	Fonts   *fonts.Set // nil: fonts.Default, the shipped faces when the program imports fonts/faces
	Creator string     // program name and version for the metadata
	// Date is the creation date written into the files; zero means the
	// report's signature date, so that output never depends on the clock
	// (a command may set it from SOURCE_DATE_EPOCH).
	Date time.Time
	Now  time.Time // for the year check; zero means the clock
}

// WriteOptions adjust the writing of one format.
type WriteOptions struct {
	Format Format
	// Page is the page a PNG preview shows, from 1 (0 means 1); DPI its
	// resolution (0 means 96).
	Page int
	DPI  float64
	// DOCXFonts says which fonts a DOCX names: docx.FontsOfficial (the
	// default: 仿宋_GB2312 …, or the GBK faces for text outside GB2312) or
	// docx.FontsEmbed (the PDF's faces, embedded in the file).
	DOCXFonts docx.FontMode
}

// Options are both stages' options, for Render, which runs both.
type Options struct {
	Format     Format
	ChecksWarn bool
	Draft      bool
	Fonts      *fonts.Set
	Creator    string
	Date       time.Time
	Now        time.Time
	Page       int
	DPI        float64
	DOCXFonts  docx.FontMode
}

// Prepare is the options' part for Prepare.
func (o Options) Prepare() PrepareOptions {
	return PrepareOptions{ChecksWarn: o.ChecksWarn, Draft: o.Draft, Fonts: o.Fonts, Creator: o.Creator, Date: o.Date, Now: o.Now}
}

// Write is the options' part for Write.
func (o Options) Write() WriteOptions {
	return WriteOptions{Format: o.Format, Page: o.Page, DPI: o.DPI, DOCXFonts: o.DOCXFonts}
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
// fails validation returns a *report.Error listing every problem.
func Prepare(ctx context.Context, data []byte, opt PrepareOptions) (*Prepared, error) {
	r, f, err := templates.Decode(data, report.Options{ChecksWarn: opt.ChecksWarn, Draft: opt.Draft, Now: opt.Now})
	if err != nil {
		return nil, err
	}
	return PrepareReport(ctx, f, r, opt)
}

// PrepareReport builds and lays out an already decoded report. Font
// coverage and the page limit are problems of the report (*report.Error),
// so that validation refuses what an export would.
func PrepareReport(ctx context.Context, f *templates.Format, r *report.Report, opt PrepareOptions) (*Prepared, error) {
	set := opt.Fonts
	if set == nil {
		var err error
		if set, err = fonts.Default(); err != nil {
			return nil, err
		}
	}
	doc, err := f.Build(r, templates.BuildOptions{Creator: opt.Creator, Date: opt.Date, Draft: opt.Draft})
	if err != nil {
		return nil, err
	}
	if err := coverage(doc, set, r); err != nil {
		return nil, err
	}
	c, err := layout.Compose(ctx, doc, set, layout.DefaultStyle())
	if err != nil {
		return nil, layoutError(err)
	}
	return &Prepared{Format: f, Report: r, Doc: doc, Layout: c, Fonts: set}, nil
}

// WriteTo writes the prepared report in one format to w. It does not
// change p, so one Prepared may be written in several formats, one after
// another or at once. Nothing is written to w unless the whole file was
// made: a writer's error leaves w untouched.
func (p *Prepared) WriteTo(ctx context.Context, w io.Writer, opt WriteOptions) error {
	pages := p.Layout.Pages
	switch opt.Format {
	case PDF, "":
		return pdf.Render(ctx, w, pages, p.Doc)
	case DOCX:
		return docx.Render(ctx, w, p.Doc, p.Fonts, docx.Options{Fonts: opt.DOCXFonts, Layout: p.Layout})
	case OFD:
		return ofd.Render(ctx, w, pages, p.Doc)
	case PNG:
		n := max(opt.Page, 1)
		if n > len(pages) {
			return &PageError{Page: n, Pages: len(pages)}
		}
		return png.Render(ctx, w, pages[n-1], png.Options{DPI: opt.DPI})
	case Layout:
		var buf bytes.Buffer // whole, or nothing
		if err := layout.WriteJSON(&buf, pages); err != nil {
			return err
		}
		_, err := buf.WriteTo(w)
		return err
	}
	return fmt.Errorf("unknown format %q", opt.Format)
}

// Write writes the prepared report in one format into memory: the file and
// what a caller reports with it (pages, title, warnings).
func (p *Prepared) Write(ctx context.Context, opt WriteOptions) (*Result, error) {
	var buf bytes.Buffer
	if err := p.WriteTo(ctx, &buf, opt); err != nil {
		return nil, err
	}
	pages := p.Layout.Pages
	return &Result{Bytes: buf.Bytes(), Pages: len(pages), Layout: pages, Title: p.Report.Title, Warnings: p.Report.Warnings}, nil
}

// Render runs the whole pipeline on one report: Prepare, then Write. A
// report that fails validation returns a *report.Error listing every
// problem.
func Render(ctx context.Context, data []byte, opt Options) (*Result, error) {
	p, err := Prepare(ctx, data, opt.Prepare())
	if err != nil {
		return nil, err
	}
	return p.Write(ctx, opt.Write())
}

// RenderReport renders an already decoded report.
func RenderReport(ctx context.Context, f *templates.Format, r *report.Report, opt Options) (*Result, error) {
	p, err := PrepareReport(ctx, f, r, opt.Prepare())
	if err != nil {
		return nil, err
	}
	return p.Write(ctx, opt.Write())
}
