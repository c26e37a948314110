package report

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestEncodingProblem(t *testing.T) {
	utf8Text := "{\n  \"agency\": \"永兴傣族乡人民政府（“政府信息公开”）\",\n  \"year\": 2024\n}\n"
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String(utf8Text)
	latin1, _ := charmap.ISO8859_1.NewEncoder().String("{\"agency\": \"Amt für Stadtentwicklung, Zürich\"}")
	tests := []struct {
		name, data string
		gb         bool
	}{
		{"GB18030", gb, true},
		{"Latin-1", latin1, false},
		{"stray bytes", "{\"agency\": \"\xff\xfe\"}", false},
		{"broken GB18030", gb[:strings.Index(gb, "\"year\"")] + "\xb0\"year\": 2024}", false},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.data), Options{})
		e, ok := err.(*Error)
		if !ok || e.Problems[0].Code != "encoding" {
			t.Fatalf("%s: %v, want an encoding problem", tt.name, err)
		}
		p := e.Problems[0]
		if got := strings.Contains(p.Message, "GB18030/GBK") && strings.Contains(p.MessageZh, "GB18030/GBK"); got != tt.gb {
			t.Errorf("%s: names GB18030 = %v, want %v: %s", tt.name, got, tt.gb, p)
		}
		if tt.gb && !strings.Contains(p.Message, "永兴傣族乡人民政府") {
			t.Errorf("%s: the message does not show the line as GB18030 reads it: %s", tt.name, p.Message)
		}
	}
}

func TestToUTF8(t *testing.T) {
	want := "{\"agency\": \"永兴傣族乡\"}"
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String(want)
	for _, enc := range []string{"gb18030", "GBK", "gb2312", "cp936"} {
		if got, err := ToUTF8([]byte(gb), enc); err != nil || string(got) != want {
			t.Errorf("%s: %q, %v", enc, got, err)
		}
		// UTF-8 stays UTF-8, BOM and all.
		if got, err := ToUTF8([]byte("\xef\xbb\xbf"+want), enc); err != nil || string(got) != "\xef\xbb\xbf"+want {
			t.Errorf("%s of UTF-8: %q, %v", enc, got, err)
		}
	}
	if got, err := ToUTF8([]byte(gb), "utf-8"); err != nil || string(got) != gb {
		t.Errorf("utf-8 converted the bytes: %q, %v", got, err)
	}
	if _, err := ToUTF8(nil, "big5"); err == nil {
		t.Error("big5 accepted")
	}
}
