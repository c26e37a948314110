// Package importer reads a published report back into report JSON: a
// portal's HTML page, a Word/WPS file, a PDF with a text layer, or report
// JSON itself. Each reader (importer/html, importer/docx, importer/pdf)
// turns its bytes into a flow.Doc; the importer maps that onto an official
// format's sections and tables, and says where it read what it read.
package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/govreport/govreport/importer/flow"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// Kind is a source kind.
type Kind string

const (
	KindAuto Kind = ""
	KindJSON Kind = "json"
	KindHTML Kind = "html"
	KindDOCX Kind = "docx"
	KindPDF  Kind = "pdf"
)

// Options adjust an import.
type Options struct {
	// Kind is the source's kind; KindAuto sniffs it from the bytes.
	Kind Kind
	// Format is the format ID to map onto ("" or "auto": told apart by
	// the tables' structure, not by the year).
	Format string
	// ChecksWarn decodes with failed 勾稽 checks as warnings (as
	// report.Options.ChecksWarn), so that Result.Report is there for a
	// report whose tables do not balance: what an audit reads.
	ChecksWarn bool
}

// Severity of a Problem.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Problem is something the importer found: an error (a cell it could not
// read, a problem of the decoded report) or a warning (what it read
// differently from the format, and what it did). Pointer names the report
// JSON value it concerns; Where names the place in the source document
// (page, table, row label, column), for a reader of the source.
type Problem struct {
	report.Problem
	Severity string `json:"severity"`
	Where    string `json:"where,omitempty"`
}

// Result is an import's outcome.
type Result struct {
	Kind Kind
	// Format is the ID of the format the document was mapped onto.
	Format string
	// JSON is the report JSON, indented, in the contract's key order.
	JSON []byte
	// Report is JSON decoded, or nil when it does not decode; its
	// problems are then among Problems.
	Report *report.Report
	// Doc is what the reader found (nil for JSON).
	Doc *flow.Doc
	// Problems, errors first, each in document order.
	Problems []Problem
}

// HasErrors reports whether any problem is an error.
func (r *Result) HasErrors() bool {
	for _, p := range r.Problems {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}

// ErrScanned is returned for a PDF with no text layer: it is refused, not
// guessed.
var ErrScanned = errors.New("the PDF has no text layer (a scan?): import reads text PDFs only")

// Sniff tells a source's kind from its first bytes.
func Sniff(data []byte) Kind {
	head := bytes.TrimLeft(data[:min(len(data), 1024)], "\xef\xbb\xbf \t\r\n")
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return KindPDF
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return KindDOCX
	case bytes.HasPrefix(head, []byte("{")):
		return KindJSON
	case bytes.HasPrefix(head, []byte("<")):
		return KindHTML
	}
	return KindAuto
}

// Import reads data as opt says.
func Import(ctx context.Context, data []byte, opt Options) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	kind := opt.Kind
	if kind == KindAuto {
		kind = Sniff(data)
	}
	switch kind {
	case KindJSON:
		return importJSON(data, opt)
	case KindAuto:
		return nil, errors.New("unknown source kind: not HTML, DOCX, PDF or JSON")
	}
	read := reader(kind)
	if read == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoReader, kind)
	}
	doc, err := read(ctx, data)
	if err != nil {
		return nil, err
	}
	if doc.Kind == "" {
		doc.Kind = string(kind)
	}
	return Map(doc, opt)
}

// Reader reads a source's bytes into a flow.Doc.
type Reader func(ctx context.Context, data []byte) (*flow.Doc, error)

var (
	readersMu sync.RWMutex
	readers   = map[Kind]Reader{}
)

// ErrNoReader is returned for a kind no reader is registered for (a
// program built without importer/pdf reading a PDF).
var ErrNoReader = errors.New("import: no reader for this kind of file in this build")

// Register makes a reader the one for kind. A reader package registers
// itself in its init (importer/pdf: Register(KindPDF, pdf.Read)), so that a
// program reads a kind by importing its package; a later registration
// replaces an earlier one.
func Register(kind Kind, read Reader) {
	readersMu.Lock()
	defer readersMu.Unlock()
	readers[kind] = read
}

// Registered reports whether a reader for kind is registered.
func Registered(kind Kind) bool { return reader(kind) != nil || kind == KindJSON }

func reader(kind Kind) Reader {
	readersMu.RLock()
	defer readersMu.RUnlock()
	return readers[kind]
}

// importJSON takes report JSON as it is: its problems are the decoder's.
func importJSON(data []byte, opt Options) (*Result, error) {
	res := &Result{Kind: KindJSON, JSON: data, Format: report.FormatID(data)}
	r, f, err := templates.Decode(data, report.Options{ChecksWarn: opt.ChecksWarn})
	if err != nil {
		var re *report.Error
		if !errors.As(err, &re) {
			return nil, err
		}
		for _, p := range re.Problems {
			res.Problems = append(res.Problems, Problem{Problem: p, Severity: SeverityError})
		}
		return res, nil
	}
	res.Report, res.Format = r, f.ID
	for _, p := range r.Warnings {
		res.Problems = append(res.Problems, Problem{Problem: p, Severity: SeverityWarning})
	}
	return res, nil
}

// Answer is an import's outcome as the CLI's --json and the HTTP API give
// it: the report JSON read (null when nothing could be read), the format it
// was mapped onto, whether it is a valid report, and every problem.
type Answer struct {
	Format   string          `json:"format,omitempty"`
	Valid    bool            `json:"valid"`
	Report   json.RawMessage `json:"report"`
	Problems []Problem       `json:"problems"`
}

// Answer returns the result as an Answer.
func (r *Result) Answer() Answer {
	a := Answer{Format: r.Format, Valid: r.Report != nil && !r.HasErrors(), Report: r.JSON, Problems: r.Problems}
	if len(a.Report) == 0 || !json.Valid(a.Report) {
		a.Report = json.RawMessage("null")
	}
	if a.Problems == nil {
		a.Problems = []Problem{}
	}
	return a
}
