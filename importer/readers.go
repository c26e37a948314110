package importer

import (
	"context"
	"errors"
	"fmt"

	"github.com/govreport/govreport/importer/docx"
	"github.com/govreport/govreport/importer/flow"
	"github.com/govreport/govreport/importer/html"
	"github.com/govreport/govreport/importer/pdf"
)

// The readers this package ships. Register lets a program replace one
// (or add a kind) without changing this package.
func init() {
	Register(KindDOCX, docx.Read)
	Register(KindHTML, html.Read)
	Register(KindPDF, readPDF)
}

// readPDF reads a PDF, naming a scan as ErrScanned so that every caller
// (CLI, server, audit) tells it apart without knowing the PDF reader.
func readPDF(ctx context.Context, data []byte) (*flow.Doc, error) {
	doc, err := pdf.Read(ctx, data)
	if errors.Is(err, pdf.ErrNoText) {
		return nil, fmt.Errorf("%w (%v)", ErrScanned, err)
	}
	return doc, err
}
