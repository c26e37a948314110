package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govreport/govreport/internal/pdfcheck"
)

// TestSourceDateEpoch: render writes SOURCE_DATE_EPOCH as the creation
// date (the signature date otherwise); a value that is not a count of
// seconds is refused, exit 2, naming it.
func TestSourceDateEpoch(t *testing.T) {
	pdfcheck.Need(t, "pdfinfo")
	dir := t.TempDir()
	in, _ := filepath.Abs("../../testdata/reports/yongxing-2024.json")
	out := filepath.Join(dir, "r.pdf")
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000") // 2023-11-14 22:13:20 UTC
	if _, errOut, code := runCLI(t, "render", in, "-o", out); code != 0 {
		t.Fatalf("render: exit %d: %s", code, errOut)
	}
	if info := pdfcheck.Tool(t, "pdfinfo", "-isodates", out); !strings.Contains(info, "2023-11-14T22:13:20") {
		t.Errorf("creation date not SOURCE_DATE_EPOCH's:\n%s", info)
	}
	os.Remove(out)
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	if _, errOut, code := runCLI(t, "render", in, "-o", out); code != 2 || !strings.Contains(errOut, `SOURCE_DATE_EPOCH="yesterday"`) {
		t.Errorf("bad SOURCE_DATE_EPOCH: exit %d: %s", code, errOut)
	}
}
