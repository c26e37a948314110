package golden

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"unicode/utf8"
)

// maxPart bounds what a difference is looked for in: a DOCX part or a PDF
// stream inflated. The goldens are the project's own files, but a golden
// folder is also where a mistaken zip bomb would be found.
const maxPart = 64 << 20

// whereDOCX names the first part of two DOCX files that differs, and where
// in it: "part word/document.xml differs at line 1, column 4,210: golden
// «…» now «…»", or a part only one of them has.
func whereDOCX(want, got []byte) string {
	wz, err1 := zip.NewReader(bytes.NewReader(want), int64(len(want)))
	gz, err2 := zip.NewReader(bytes.NewReader(got), int64(len(got)))
	if err1 != nil || err2 != nil {
		return "not a zip file"
	}
	for i := 0; i < max(len(wz.File), len(gz.File)); i++ {
		switch {
		case i >= len(wz.File):
			return fmt.Sprintf("part %s is new", gz.File[i].Name)
		case i >= len(gz.File):
			return fmt.Sprintf("part %s is gone", wz.File[i].Name)
		case wz.File[i].Name != gz.File[i].Name:
			return fmt.Sprintf("part %s is where the golden has %s", gz.File[i].Name, wz.File[i].Name)
		}
		w, err1 := readPart(wz.File[i])
		g, err2 := readPart(gz.File[i])
		if err1 != nil || err2 != nil {
			return fmt.Sprintf("part %s cannot be read", wz.File[i].Name)
		}
		if !bytes.Equal(w, g) {
			return fmt.Sprintf("part %s differs %s", wz.File[i].Name, textDiff(w, g))
		}
		if a, b := wz.File[i].FileHeader, gz.File[i].FileHeader; a.Modified != b.Modified || a.Method != b.Method {
			return fmt.Sprintf("part %s has the same content but another date or compression", wz.File[i].Name)
		}
	}
	return "the parts are the same; the compression differs"
}

func readPart(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, maxPart))
}

// textDiff says where two texts first differ: line and column, and a few
// characters of each around it.
func textDiff(want, got []byte) string {
	n := 0
	for n < len(want) && n < len(got) && want[n] == got[n] {
		n++
	}
	for n > 0 && !utf8.RuneStart(want[min(n, len(want)-1)]) {
		n-- // start the quote on a character
	}
	line := 1 + bytes.Count(want[:n], []byte("\n"))
	col := 1 + utf8.RuneCount(want[bytes.LastIndexByte(want[:n], '\n')+1:n])
	from := max(n-12, 0) // a little of what is the same, to recognise the place
	for from > 0 && !utf8.RuneStart(want[from]) {
		from--
	}
	return fmt.Sprintf("at line %d, column %d: golden «%s» now «%s»", line, col, around(want, from), around(got, from))
}

// around quotes up to 52 bytes from n, cut on a character boundary.
func around(b []byte, n int) string {
	if n >= len(b) {
		return "(end)"
	}
	end := min(n+52, len(b))
	for end < len(b) && !utf8.RuneStart(b[end]) {
		end++
	}
	return strconv.Quote(string(b[n:end]))[1 : len(strconv.Quote(string(b[n:end])))-1]
}

var (
	objStart  = regexp.MustCompile(`(\d+) 0 obj`)
	pageRef   = regexp.MustCompile(`/Type\s*/Page\b`)
	contentRe = regexp.MustCompile(`/Contents\s+(\d+) 0 R`)
)

// pdfObject is one indirect object of a PDF as govreport writes it: its
// number, its dictionary and, for a stream, its data inflated.
type pdfObject struct {
	num  int
	dict []byte
	data []byte
}

// pdfObjects lists the objects of a PDF written by govreport's writer
// (render/pdf): top-level objects in file order, and the objects of each
// object stream after it, inflated. It reads what our writer writes, not
// any PDF.
func pdfObjects(pdf []byte) []pdfObject {
	var out []pdfObject
	locs := objStart.FindAllSubmatchIndex(pdf, -1)
	for i, l := range locs {
		num, _ := strconv.Atoi(string(pdf[l[2]:l[3]]))
		end := len(pdf)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		body := pdf[l[1]:end]
		obj := pdfObject{num: num, dict: body}
		if s := bytes.Index(body, []byte("stream")); s >= 3 && !bytes.HasPrefix(body[s-3:], []byte("end")) {
			obj.dict = body[:s]
			data := body[s+len("stream"):]
			data = bytes.TrimLeft(data, "\r\n")
			if e := bytes.LastIndex(data, []byte("endstream")); e >= 0 {
				data = bytes.TrimRight(data[:e], "\r\n")
			}
			if bytes.Contains(obj.dict, []byte("/FlateDecode")) {
				if zr, err := zlib.NewReader(bytes.NewReader(data)); err == nil {
					if inflated, err := io.ReadAll(io.LimitReader(zr, maxPart)); err == nil {
						data = inflated
					}
				}
			}
			obj.data = data
		}
		out = append(out, obj)
		if bytes.Contains(obj.dict, []byte("/ObjStm")) {
			out = append(out, objStmObjects(obj)...)
		}
	}
	return out
}

// objStmObjects splits an object stream (PDF 7.5.7): N pairs of object
// number and offset, then the objects from /First.
func objStmObjects(s pdfObject) []pdfObject {
	first := regexp.MustCompile(`/First\s+(\d+)`).FindSubmatch(s.dict)
	if first == nil {
		return nil
	}
	f, _ := strconv.Atoi(string(first[1]))
	if f > len(s.data) {
		return nil
	}
	head := bytes.Fields(s.data[:f])
	var out []pdfObject
	for i := 0; i+1 < len(head); i += 2 {
		num, _ := strconv.Atoi(string(head[i]))
		off, _ := strconv.Atoi(string(head[i+1]))
		end := len(s.data) - f
		if i+3 < len(head) {
			end, _ = strconv.Atoi(string(head[i+3]))
		}
		if f+off > len(s.data) || f+end > len(s.data) || off > end {
			return out
		}
		out = append(out, pdfObject{num: num, dict: s.data[f+off : f+end]})
	}
	return out
}

// wherePDF names the first object of two PDFs of govreport's writer that
// differs — by number, with the page whose content stream it is — and
// where in it.
func wherePDF(want, got []byte) string {
	w, g := pdfObjects(want), pdfObjects(got)
	pages := map[int]int{} // content stream → page, from the golden's page objects in order
	n := 0
	for _, o := range w {
		if pageRef.Match(o.dict) {
			n++
			if m := contentRe.FindSubmatch(o.dict); m != nil {
				c, _ := strconv.Atoi(string(m[1]))
				pages[c] = n
			}
		}
	}
	for i := 0; i < max(len(w), len(g)); i++ {
		switch {
		case i >= len(w):
			return fmt.Sprintf("object %d is new", g[i].num)
		case i >= len(g):
			return fmt.Sprintf("object %d is gone", w[i].num)
		}
		a, b := w[i], g[i]
		what := fmt.Sprintf("object %d", a.num)
		if p, ok := pages[a.num]; ok {
			what = fmt.Sprintf("object %d (the content of page %d)", a.num, p)
		}
		switch {
		case a.num != b.num:
			return fmt.Sprintf("object %d is where the golden has object %d", b.num, a.num)
		case bytes.Contains(a.dict, []byte("/ObjStm")):
			continue // its objects follow, one by one
		case !bytes.Equal(a.data, b.data): // before the dictionary, whose /Length follows it
			return fmt.Sprintf("%s's stream differs %s", what, textDiff(a.data, b.data))
		case !bytes.Equal(a.dict, b.dict):
			return fmt.Sprintf("%s differs %s", what, textDiff(a.dict, b.dict))
		}
	}
	return "the objects are the same; the bytes between them differ"
}
