package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/govreport/govreport/importer"
	"github.com/govreport/govreport/internal/pdfcheck"
)

const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

func TestImport(t *testing.T) {
	s, _ := newServer(t, Config{Tokens: []string{"secret"}, BodyLimit: 1 << 20})
	docx, err := os.ReadFile("../testdata/golden/yongxing-2024.docx")
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := os.ReadFile("../testdata/golden/yongxing-2024.pdf")
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile("../importer/testdata/portal-2021-gb2312.html")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(docx)
	zw.Close()
	auth := "Bearer secret"
	tests := []struct {
		name     string
		url      string
		body     []byte
		header   []string
		status   int
		contains []string
	}{
		{"docx", "/v1/reports/import", docx, []string{"Content-Type", docxType, "Authorization", auth}, http.StatusOK,
			[]string{`"valid":true`, `"format":"gov-info-disclosure/2021"`, `"agency":"永興傣族鄉人民政府"`, `"problems":[]`}},
		{"docx gzip", "/v1/reports/import", gz.Bytes(), []string{"Content-Type", docxType, "Content-Encoding", "gzip", "Authorization", auth}, http.StatusOK,
			[]string{`"valid":true`}},
		{"html with problems", "/v1/reports/import", page, []string{"Content-Type", "text/html; charset=gb2312", "Authorization", auth}, http.StatusOK,
			[]string{`"valid":false`, `"code":"cell_text"`, `"severity":"error"`, `"where":"表四（文档第3个表格）第4行 × “结果维持”（第1列）"`, `"code":"merged_row"`}},
		{"format forced", "/v1/reports/import?format=gov-info-disclosure/2019", docx, []string{"Content-Type", docxType, "Authorization", auth}, http.StatusOK,
			[]string{`"format":"gov-info-disclosure/2019"`, `"code":"table_format"`}},
		{"unknown format", "/v1/reports/import?format=x/1", docx, []string{"Content-Type", docxType, "Authorization", auth}, http.StatusBadRequest,
			[]string{"unknown format"}},
		{"unknown parameter", "/v1/reports/import?fromat=auto", docx, []string{"Content-Type", docxType, "Authorization", auth}, http.StatusBadRequest,
			[]string{`did you mean \"format\"`}},
		{"no token", "/v1/reports/import", docx, []string{"Content-Type", docxType}, http.StatusUnauthorized, nil},
		{"other type", "/v1/reports/import", docx, []string{"Content-Type", "application/msword", "Authorization", auth}, http.StatusUnsupportedMediaType,
			[]string{"text/html"}},
		{"not a docx", "/v1/reports/import", []byte("PK\x03\x04 not a zip"), []string{"Content-Type", docxType, "Authorization", auth}, http.StatusUnprocessableEntity,
			[]string{"not a zip file"}},
		{"pdf", "/v1/reports/import", pdf, []string{"Content-Type", "application/pdf", "Authorization", auth}, http.StatusOK,
			[]string{`"valid":true`, `"format":"gov-info-disclosure/2021"`, `"agency":"永興傣族鄉人民政府"`}},
		{"pdf without text", "/v1/reports/import", blankPDF(), []string{"Content-Type", "application/pdf", "Authorization", auth}, http.StatusUnprocessableEntity,
			[]string{"no text layer"}},
		{"too large", "/v1/reports/import", bytes.Repeat([]byte("<p>x</p>"), 200000), []string{"Content-Type", "text/html", "Authorization", auth}, http.StatusRequestEntityTooLarge, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := append([]string(nil), tt.header...)
			w := do(s, http.MethodPost, tt.url, tt.body, req...)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %.2000s", w.Code, tt.status, w.Body)
			}
			if w.Code != http.StatusOK {
				problemOf(t, w)
			} else {
				var a importer.Answer
				if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil {
					t.Fatal(err)
				}
			}
			for _, c := range tt.contains {
				if !strings.Contains(w.Body.String(), c) {
					t.Errorf("answer lacks %s: %.3000s", c, w.Body)
				}
			}
		})
	}
}

// blankPDF is a well-formed one-page PDF with nothing on its page: what a
// scan looks like to a text reader.
func blankPDF() []byte {
	return pdfcheck.Assemble([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
	})
}
