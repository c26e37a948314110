package render

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govreport/govreport/internal/pdfcheck"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// TestThirdFormat: everything a report is named with is the format file's —
// the default title, the document's subject and keywords, the words a title
// breaks before, the tables' prefix, which date the signature prints — so a
// third format file that changes them all renders with no change in Go.
func TestThirdFormat(t *testing.T) {
	pdfcheck.Need(t, "pdftotext")
	pdfcheck.Need(t, "pdfinfo")
	base, err := os.ReadFile("../templates/formats/gov-info-disclosure-2021.json")
	if err != nil {
		t.Fatal(err)
	}
	edits := []struct{ old, new string }{
		{`"id": "gov-info-disclosure/2021"`, `"id": "test/third"`},
		{`"title": "{agency}{year}年政府信息公开工作年度报告"`, `"title": "{agency}{year}年度政务公开报告"`},
		{`"subject": "{year}年政府信息公开工作年度报告（{source}）"`, `"subject": "测试格式 {year} {source}"`},
		{`"keywords": "政府信息公开, 年度报告, {year}, {agency}"`, `"keywords": "测试, {agency}"`},
		{`"table_prefix": "表"`, `"table_prefix": "附表"`},
		{`"title_words": [`, `"title_words": [{"word": "年度政务公开报告"}, `},
		// The signature prints issued_on; date is another date, not printed.
		{`{"name": "date", "type": "date", "role": "signature_date", "required": true,`,
			`{"name": "issued_on", "type": "date", "role": "signature_date", "required": true}, {"name": "date", "type": "date", "required": true,`},
	}
	data := base
	for _, e := range edits {
		if !bytes.Contains(data, []byte(e.old)) {
			t.Fatalf("the 2021 format has no %s", e.old)
		}
		data = bytes.Replace(data, []byte(e.old), []byte(e.new), 1)
	}
	rf, err := report.ParseFormat(data)
	if err != nil {
		t.Fatal(err)
	}
	f := &templates.Format{Format: rf}

	seed, err := os.ReadFile("../testdata/reports/yongxing-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(seed, &doc); err != nil {
		t.Fatal(err)
	}
	doc["format"] = "test/third"
	delete(doc, "title") // the format's default title
	doc["signature"].(map[string]any)["issued_on"] = "2025-02-03"
	in, _ := json.Marshal(doc)
	opt := report.Options{Now: now, Formats: []*report.Format{rf}}
	r, err := report.Decode(in, opt)
	if err != nil {
		t.Fatalf("decoding with the third format: %v", err)
	}
	if r.Title != "永興傣族鄉人民政府2024年度政务公开报告" || r.TitleFrom != "/agency" {
		t.Errorf("default title %q from %s", r.Title, r.TitleFrom)
	}
	if r.Signature.Date != (report.Date{Year: 2025, Month: 2, Day: 3}) || r.Signature.DateFrom != "/signature/issued_on" {
		t.Errorf("signature date %v from %s, want issued_on's", r.Signature.Date, r.Signature.DateFrom)
	}
	p, err := PrepareReport(context.Background(), f, r, PrepareOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Write(context.Background(), WriteOptions{Format: PDF})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "third.pdf")
	if err := os.WriteFile(file, res.Bytes, 0o644); err != nil {
		t.Fatal(err)
	}
	text := pdfcheck.Squash(pdfcheck.Tool(t, "pdftotext", file, "-"))
	for _, want := range []string{"永興傣族鄉人民政府2024年度政务公开报告", "2025年2月3日"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %s", want)
		}
	}
	if strings.Contains(text, "2025年1月20日") {
		t.Error("the PDF prints the date without the signature's role")
	}
	info := pdfcheck.Tool(t, "pdfinfo", file)
	if !strings.Contains(info, "测试格式 2024 国办公开办函") || !strings.Contains(info, "测试, 永興傣族鄉人民政府") {
		t.Errorf("metadata:\n%s", info)
	}

	// A failed check names the table with the format's prefix.
	doc["reviews_and_litigation"].(map[string]any)["litigation_direct"].(map[string]any)["upheld"] = 5
	bad, _ := json.Marshal(doc)
	_, err = report.Decode(bad, opt)
	var perr *report.Error
	if !errors.As(err, &perr) || !strings.Contains(perr.Problems[0].MessageZh, "附表四") {
		t.Errorf("check problem %v, want it to name 附表四", err)
	}
}

// TestNoEnvironment: the library reads no environment — SOURCE_DATE_EPOCH
// is the commands' to read (they pass PrepareOptions.Date) — so a program
// that embeds render gets the same bytes whatever its environment.
func TestNoEnvironment(t *testing.T) {
	data, err := os.ReadFile("../testdata/reports/yongxing-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	before, err := Render(context.Background(), data, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "0")
	after, err := Render(context.Background(), data, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before.Bytes, after.Bytes) {
		t.Error("SOURCE_DATE_EPOCH changed the library's PDF")
	}
}
