package pdf_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/render"
)

// TestSharedGlyphs renders the seed with a preamble holding characters that
// share a glyph in the body face (兀 U+5140 and its compatibility ideograph
// U+FA0C draw alike in FandolFang) and checks that pdftotext gives each back
// as itself, not both as the first, and that the file is still PDF/A-2u.
func TestSharedGlyphs(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	const a, b = '\u5140', '\uFA0C'
	body := set.Face(fonts.RoleBody)
	if !body.Has(a) || !body.Has(b) || body.GlyphIndex(a) != body.GlyphIndex(b) {
		t.Fatalf("the body face %s no longer draws U+5140 and U+FA0C with one glyph: pick another pair", body.Name())
	}
	data, err := os.ReadFile("../../testdata/reports/yongxing-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	var r map[string]any
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	marker := "突" + string(a) + "甲" + string(b) + "乙" + string(b) + string(a) + "丙"
	r["preamble"] = []any{r["preamble"].([]any)[0].(string) + marker}
	data, err = json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	res, err := render.Render(context.Background(), data, render.Options{Format: render.PDF, ChecksWarn: true})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "shared.pdf")
	if err := os.WriteFile(file, res.Bytes, 0o644); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdfcheck.Tool(t, "pdftotext", "-enc", "UTF-8", file, "-")), "")
	if !strings.Contains(text, marker) {
		i := strings.Index(text, "突")
		t.Errorf("pdftotext does not give back %q (U+5140 and U+FA0C each as itself); near it: %q",
			marker, text[max(i, 0):min(max(i, 0)+60, len(text))])
	}
	if out := pdfcheck.Tool(t, "qpdf", "--check", file); !strings.Contains(out, "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check:\n%s", out)
	}
	checkPDFA(t, res.Bytes)
}
