package importer

import (
	"github.com/govreport/govreport/importer/docx"
)

// The readers this package ships; importer/pdf registers itself.
func init() {
	Register(KindDOCX, docx.Read)
}
