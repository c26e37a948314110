package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/importer/docx"
	"github.com/govreport/govreport/importer/html"
)

func zipOf(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestHostile gives the readers files made to exhaust them: each is
// refused with an error naming the limit, quickly, and never a panic.
func TestHostile(t *testing.T) {
	bomb := zipOf(t, map[string][]byte{"word/document.xml": bytes.Repeat([]byte(" "), docx.MaxPartSize+10)})
	// The same bomb with its declared size lowered: the reader must count
	// what it inflates, not trust the header.
	lying := append([]byte(nil), bomb...)
	if i := bytes.LastIndex(lying, []byte("PK\x01\x02")); i > 0 {
		// central directory: uncompressed size at offset 24
		lying[i+24], lying[i+25], lying[i+26], lying[i+27] = 0x10, 0, 0, 0
	}
	deep := "<w:document xmlns:w=\"w\"><w:body>" + strings.Repeat("<w:sdt>", docx.MaxDepth+5) + "</w:body></w:document>"
	nested := "<w:document xmlns:w=\"w\"><w:body>" + strings.Repeat("<w:tbl><w:tr><w:tc>", docx.MaxNesting+2) + "</w:body></w:document>"
	tests := []struct {
		name string
		kind Kind
		data []byte
		want string
	}{
		{"zip bomb", KindDOCX, bomb, "declares"},
		{"zip bomb, size lied", KindDOCX, lying, ""},
		{"not a zip", KindDOCX, []byte("PK\x03\x04garbage"), "not a zip"},
		{"no document", KindDOCX, zipOf(t, map[string][]byte{"a.txt": []byte("x")}), "no word/document.xml"},
		{"deep xml", KindDOCX, zipOf(t, map[string][]byte{"word/document.xml": []byte(deep)}), "nested deeper"},
		{"nested tables", KindDOCX, zipOf(t, map[string][]byte{"word/document.xml": []byte(nested)}), "tables nested deeper"},
		{"deep html", KindHTML, []byte(strings.Repeat("<div>", html.MaxDepth+10)), "nested deeper"},
		{"huge html", KindHTML, bytes.Repeat([]byte("<p>a</p>"), html.MaxSize/8+1), "at most"},
		{"html text", KindHTML, []byte("<p>" + strings.Repeat("字", html.MaxText/3+10)), "bytes of text"},
		{"wide table", KindHTML, []byte(`<table><tr><td colspan="1000">1</td><td colspan="1000">2</td></tr></table>`), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			start := time.Now()
			_, err := Import(ctx, tt.data, Options{Kind: tt.kind})
			if time.Since(start) > 10*time.Second {
				t.Errorf("took %v", time.Since(start))
			}
			if tt.want == "" {
				return // any answer, in time and without a panic
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
			if strings.Contains(tt.want, "deeper") || tt.want == "declares" || tt.want == "bytes of text" || tt.want == "at most" {
				if !errors.Is(err, docx.ErrLimit) && !errors.Is(err, html.ErrLimit) {
					t.Errorf("%v is not a limit error", err)
				}
			}
		})
	}
}
