package pdf

import (
	"bytes"
	"io"
	"regexp"
	"strconv"
	"testing"

	"github.com/klauspost/compress/zlib"
)

// TestFontProgramsHuffmanOnly: every font program (FontFile2) is written at
// fontLevel — its bytes are what a fontLevel compressor makes of the
// program, and not what level 1 makes of it — while the other streams (the
// pages' content, ToUnicode, the object streams) stay at compressLevel. See
// docs/pdf-writer.md for the measured trade-off.
func TestFontProgramsHuffmanOnly(t *testing.T) {
	pdf := render(t, samplePages(t), testMeta)
	stream := regexp.MustCompile(`<<(/Length1 (\d+))?[^>]*?/Filter/FlateDecode/Length (\d+)>>\nstream\n`)
	fonts, others := 0, 0
	for _, m := range stream.FindAllSubmatchIndex(pdf, -1) {
		n, _ := strconv.Atoi(string(pdf[m[6]:m[7]]))
		body := pdf[m[1] : m[1]+n]
		zr, err := zlib.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		level := compressLevel
		if m[2] >= 0 {
			fonts++
			level = fontLevel
			if l1, _ := strconv.Atoi(string(pdf[m[4]:m[5]])); l1 != len(data) {
				t.Errorf("font program of %d bytes, /Length1 %d", len(data), l1)
			}
			if bytes.Equal(body, deflated(t, data, compressLevel)) {
				t.Errorf("font program of %d bytes deflated at level %d", len(data), compressLevel)
			}
		} else {
			others++
		}
		if want := deflated(t, data, level); !bytes.Equal(body, want) {
			t.Errorf("stream at byte %d (font program: %v): %d bytes, not level %d's %d", m[0], m[2] >= 0, len(body), level, len(want))
		}
	}
	if fonts == 0 || others == 0 {
		t.Fatalf("%d font programs and %d other compressed streams found", fonts, others)
	}
}

func deflated(t *testing.T, data []byte, level int) []byte {
	var b bytes.Buffer
	zw, err := zlib.NewWriterLevel(&b, level)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}
