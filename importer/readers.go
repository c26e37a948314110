package importer

import (
	"github.com/govreport/govreport/importer/docx"
	"github.com/govreport/govreport/importer/html"
)

// The readers this package ships; importer/pdf registers itself.
func init() {
	Register(KindDOCX, docx.Read)
	Register(KindHTML, html.Read)
}
