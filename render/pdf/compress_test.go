package pdf

import (
	"bytes"
	"io"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/klauspost/compress/zlib"

	"github.com/govreport/govreport/fonts"
)

// TestFontProgramsHuffmanOnly: every font program (FontFile2) is
// Huffman-coded with its face's code — its bytes are what the code of one of
// the faces drawn with makes of the program, and not what level 1 makes of
// it — while the other streams (the pages' content, ToUnicode, the object
// streams) stay at compressLevel. See docs/pdf-writer.md for the measured
// trade-off.
func TestFontProgramsHuffmanOnly(t *testing.T) {
	pages := samplePages(t)
	var faces []*fonts.Face
	for _, p := range pages {
		for _, it := range p.Items {
			if it.Face != nil && !slices.Contains(faces, it.Face) {
				faces = append(faces, it.Face)
			}
		}
	}
	pdf := render(t, pages, testMeta)
	stream := regexp.MustCompile(`<<(/Length1 (\d+))?[^>]*?/Filter/FlateDecode/Length (\d+)>>\nstream\n`)
	programs, others := 0, 0
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
		if m[2] >= 0 {
			programs++
			if l1, _ := strconv.Atoi(string(pdf[m[4]:m[5]])); l1 != len(data) {
				t.Errorf("font program of %d bytes, /Length1 %d", len(data), l1)
			}
			if bytes.Equal(body, deflated(t, data, compressLevel)) {
				t.Errorf("font program of %d bytes deflated at level %d", len(data), compressLevel)
			}
			if !slices.ContainsFunc(faces, func(f *fonts.Face) bool {
				return bytes.Equal(body, f.DeflateCode().AppendZlib(nil, data))
			}) {
				t.Errorf("font program of %d bytes (%d compressed) not coded with the code of any of the %d faces", len(data), len(body), len(faces))
			}
			continue
		}
		others++
		if want := deflated(t, data, compressLevel); !bytes.Equal(body, want) {
			t.Errorf("stream at byte %d: %d bytes, not level %d's %d", m[0], len(body), compressLevel, len(want))
		}
	}
	if programs == 0 || others == 0 {
		t.Fatalf("%d font programs and %d other compressed streams found", programs, others)
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
