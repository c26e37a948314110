package server

import (
	"bytes"
	"mime/multipart"
	"testing"
)

// FuzzReadForm: validate's multipart body is user bytes; any body either
// splits into parts within the limit or is an error, never a panic or a
// part larger than the body limit allows.
func FuzzReadForm(f *testing.F) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.SetBoundary("xyz")
	p, _ := w.CreateFormField("report")
	p.Write([]byte(`{"format": "gov-info-disclosure/2021"}`))
	p, _ = w.CreateFormFile("previous", "last.json")
	p.Write([]byte(`{}`))
	w.Close()
	f.Add(b.Bytes(), "xyz")
	f.Add([]byte("--xyz\r\nContent-Disposition: form-data; name=\"report\"\r\nContent-Type: application/json; charset=gb18030\r\n\r\n\xb0\xa1\r\n--xyz--\r\n"), "xyz")
	f.Add([]byte("--xyz\r\n\r\n--xyz--"), "xyz")
	s, _ := newServer(f, Config{BodyLimit: 4096})
	f.Fuzz(func(t *testing.T, body []byte, boundary string) {
		if len(body) > 4096 {
			return // the body is read within the limit before it is split
		}
		cur, prev, err := s.readForm(body, boundary)
		if err != nil {
			return
		}
		if len(cur) > 4096 || prev != nil && len(prev.data) > 4096 {
			t.Fatalf("a part of %d / %v bytes from a body of %d", len(cur), prev, len(body))
		}
	})
}
