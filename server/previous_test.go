package server

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"strings"
	"testing"
)

// part is one part of a multipart/form-data body.
type part struct{ name, file, contentType string }

// form builds a multipart/form-data body of the parts, each with its data,
// and returns it with its Content-Type.
func form(t *testing.T, parts []part, data ...[]byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for i, p := range parts {
		h := textproto.MIMEHeader{}
		disp := `form-data; name="` + p.name + `"`
		if p.file != "" {
			disp += `; filename="` + p.file + `"`
		}
		h.Set("Content-Disposition", disp)
		if p.contentType != "" {
			h.Set("Content-Type", p.contentType)
		}
		pw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		pw.Write(data[i])
	}
	w.Close()
	return b.Bytes(), w.FormDataContentType()
}

func readTestdata(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/" + path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestValidatePrevious: validate takes last year's report as the part
// previous of a multipart/form-data body and compares it as check
// --previous does; every exchange follows docs/openapi.yaml.
func TestValidatePrevious(t *testing.T) {
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newServer(t, Config{})
	last := readTestdata(t, "reports/xinhe-district-2023.json")
	this := readTestdata(t, "previous/xinhe-district-2024.json")
	var m map[string]any
	json.Unmarshal(last, &m)
	m["applications"].(map[string]any)["carried_forward"].(map[string]any)["natural_person"] = 7
	lastWrong, _ := json.Marshal(m)
	both := []part{{"report", "2024.json", "application/json"}, {"previous", "2023.json", "application/json; charset=utf-8"}}

	problems := func(code, pointer, message string) func(t *testing.T, resp *http.Response, body []byte) {
		return func(t *testing.T, resp *http.Response, body []byte) {
			var p struct {
				Title    string `json:"title"`
				Detail   string `json:"detail"`
				Problems []struct{ Pointer, Code, Message string }
				Warnings []struct{ Pointer, Code, Message string }
			}
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatal(err)
			}
			list := append(p.Problems, p.Warnings...)
			for _, q := range list {
				if q.Code == code && q.Pointer == pointer && strings.Contains(q.Message, message) {
					return
				}
			}
			t.Errorf("no %s problem at %s saying %q: %s", code, pointer, message, body)
		}
	}
	none := func(t *testing.T, resp *http.Response, body []byte) {
		if bytes.Contains(body, []byte(`"previous"`)) {
			t.Errorf("a previous problem: %s", body)
		}
	}
	// The validator does not judge the parts of a multipart body (it
	// accepts any), so the requests the server refuses are unchecked.
	type tc struct {
		name   string
		url    string
		parts  []part
		data   [][]byte
		status int
		req    requestIs
		check  func(t *testing.T, resp *http.Response, body []byte)
	}
	for _, x := range []tc{
		{name: "follows", parts: both, data: [][]byte{this, last}, status: 200, check: none},
		{name: "follows across formats", parts: both,
			data: [][]byte{readTestdata(t, "previous/qinghe-county-2021.json"), readTestdata(t, "reports/qinghe-county-2020.json")}, status: 200, check: none},
		{name: "the report alone", parts: both[:1], data: [][]byte{this}, status: 200, check: none},
		{name: "parts without a content type", parts: []part{{"previous", "", ""}, {"report", "", ""}}, data: [][]byte{last, this}, status: 200, check: none},
		{name: "a count differs", parts: both, data: [][]byte{this, lastWrong}, status: 422,
			check: problems("previous", "/applications/carried_over/natural_person", "8, but last year's report 2023.json carried forward 7")},
		{name: "a count differs, warn", url: "?checks=warn", parts: both, data: [][]byte{this, lastWrong}, status: 200,
			check: problems("previous", "/applications/carried_over/natural_person", "carried forward 7")},
		{name: "no file name", parts: []part{{"report", "", ""}, {"previous", "", ""}}, data: [][]byte{this, lastWrong}, status: 422,
			check: problems("previous", "/applications/carried_over/natural_person", "last year's report previous carried forward 7")},
		{name: "years", parts: both, data: [][]byte{this, this}, status: 422,
			check: problems("previous", "/year", "is for 2024, not 2023")},
		{name: "previous unreadable", parts: both, data: [][]byte{this, []byte(`{"format": `)}, status: 422,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if !bytes.Contains(body, []byte("The previous report is invalid")) || !bytes.Contains(body, []byte(`"code":"syntax"`)) {
					t.Errorf("%s", body)
				}
			}},
		{name: "unknown part", parts: append(both, part{"notes", "", ""}), data: [][]byte{this, last, []byte("x")}, status: 400, req: unchecked},
		{name: "no report", parts: both[1:], data: [][]byte{last}, status: 400, req: unchecked},
		{name: "a part twice", parts: []part{both[0], both[0]}, data: [][]byte{this, this}, status: 400, req: unchecked},
		{name: "a part not JSON", parts: []part{both[0], {"previous", "", "image/png"}}, data: [][]byte{this, last}, status: 400, req: unchecked},
		{name: "parts as files of unknown type", parts: []part{{"report", "a.json", "application/octet-stream"}, {"previous", "b.json", "text/plain; charset=utf-8"}},
			data: [][]byte{this, last}, status: 200, check: none},
	} {
		body, ct := form(t, x.parts, x.data...)
		check := x.check
		if x.status == 400 {
			name := x.name
			check = func(t *testing.T, resp *http.Response, b []byte) {
				if !bytes.Contains(b, []byte("part")) {
					t.Errorf("%s: the answer does not name the part: %s", name, b)
				}
			}
		}
		c.run(t, s, exchange{name: x.name, method: "POST", url: "/v1/reports/validate" + x.url, body: body,
			header: []string{"Content-Type", ct}, status: x.status, request: x.req, check: check})
	}
	// Export takes one report: a form is not one.
	body, ct := form(t, both, this, last)
	c.run(t, s, exchange{name: "export refuses a form", method: "POST", url: "/v1/reports/export", body: body,
		header: []string{"Content-Type", ct}, status: 415, request: violates})
}
