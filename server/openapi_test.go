package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/govreport/govreport/docs"
)

// The contract test: docs/openapi.yaml, read by a real OpenAPI 3.1 library
// (pb33f/libopenapi and its validator), must describe every request the
// tests send and every answer the server gives: the status is listed for
// the operation, the content type is listed for the status, the body
// matches the schema and the required headers are there. So the document
// cannot drift from the code.

type contract struct {
	v       validator.Validator
	problem *base.Schema
	schemas schema_validation.SchemaValidator
}

var loadContract = sync.OnceValues(func() (*contract, error) {
	doc, err := libopenapi.NewDocument(docs.OpenAPI)
	if err != nil {
		return nil, err
	}
	if v := doc.GetVersion(); !strings.HasPrefix(v, "3.1") {
		return nil, fmt.Errorf("openapi %s, want 3.1", v)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		return nil, err
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		return nil, fmt.Errorf("%v", errs)
	}
	if ok, errs := v.ValidateDocument(); !ok {
		return nil, fmt.Errorf("docs/openapi.yaml is not valid OpenAPI: %s", describe(errs))
	}
	p := model.Model.Components.Schemas.GetOrZero("Problem")
	if p == nil {
		return nil, fmt.Errorf("no Problem schema")
	}
	return &contract{v: v, problem: p.Schema(), schemas: schema_validation.NewSchemaValidator()}, nil
})

func describe(errs []*liberrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "\n  %s: %s", e.Message, e.Reason)
		for _, se := range e.SchemaValidationErrors {
			fmt.Fprintf(&b, "\n    %s at %s (%s)", se.Reason, se.FieldPath, se.KeywordLocation)
		}
	}
	return b.String()
}

// requestIs says what the document should think of a request.
type requestIs int

const (
	conforms  requestIs = iota // the request follows the document
	violates                   // the request breaks it (the server must refuse it too)
	unchecked                  // either (e.g. a body the schema cannot judge)
)

type exchange struct {
	name    string
	method  string
	url     string
	body    []byte
	header  []string // name, value, …
	status  int
	request requestIs
	// undocumented: the path or method is not in the document (404, 405),
	// so only the body is checked, against the Problem schema.
	undocumented bool
	check        func(t *testing.T, resp *http.Response, body []byte)
}

func (c *contract) run(t *testing.T, s *Server, x exchange) {
	t.Helper()
	newReq := func() *http.Request {
		var body io.Reader = http.NoBody
		if x.body != nil {
			body = bytes.NewReader(x.body)
		}
		req := httptest.NewRequest(x.method, x.url, body)
		if x.body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(x.header); i += 2 {
			req.Header.Set(x.header[i], x.header[i+1])
		}
		return req
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, newReq())
	resp := w.Result()
	body := w.Body.Bytes()
	if resp.StatusCode != x.status {
		t.Fatalf("%s: status %d, want %d: %.300s", x.name, resp.StatusCode, x.status, body)
	}
	if resp.Header.Get("X-Request-ID") == "" {
		t.Errorf("%s: no X-Request-ID", x.name)
	}
	if x.check != nil {
		x.check(t, resp, body)
	}

	if x.undocumented {
		if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("%s: Content-Type %q, want application/problem+json", x.name, ct)
		}
		if ok, errs := c.schemas.ValidateSchemaBytesWithVersion(c.problem, body, 3.1); !ok {
			t.Errorf("%s: the body is not a Problem: %s", x.name, describe(errs))
		}
		return
	}

	req := newReq()
	ok, errs := c.v.ValidateHttpRequestSync(req)
	switch {
	case x.request == conforms && !ok:
		t.Errorf("%s: the document rejects the request: %s", x.name, describe(errs))
	case x.request == violates && ok:
		t.Errorf("%s: the document accepts a request the server refuses with %d", x.name, x.status)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if ok, errs := c.v.ValidateHttpResponse(newReq(), resp); !ok {
		t.Errorf("%s: the %d answer does not follow the document: %s", x.name, x.status, describe(errs))
	}
}

func testReport(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/reports/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func isPDF(t *testing.T, resp *http.Response, body []byte) {
	if !bytes.HasPrefix(body, []byte("%PDF-")) {
		t.Errorf("not a PDF: %.20q", body)
	}
}

func TestOpenAPIContract(t *testing.T) {
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	seedReport := seed(t)
	checkFails := testReport(t, "invalid-check-row-total.json")
	s, _ := newServer(t, Config{})
	for _, x := range []exchange{
		{name: "export PDF", method: "POST", url: "/v1/reports/export?format=pdf", body: seedReport, status: 200, check: isPDF},
		{name: "export PDF by default", method: "POST", url: "/v1/reports/export", body: seedReport, status: 200, check: isPDF},
		{name: "export DOCX by Accept", method: "POST", url: "/v1/reports/export", body: seedReport, status: 200,
			header: []string{"Accept", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if !bytes.HasPrefix(body, []byte("PK")) {
					t.Errorf("not a DOCX: %.20q", body)
				}
			}},
		{name: "export with a client's request id", method: "POST", url: "/v1/reports/export?checks=strict", body: seedReport, status: 200,
			header: []string{"X-Request-ID", "portal-42"},
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if resp.Header.Get("X-Request-ID") != "portal-42" {
					t.Errorf("X-Request-ID %q, want portal-42", resp.Header.Get("X-Request-ID"))
				}
			}},
		{name: "export DOCX with embedded fonts", method: "POST", url: "/v1/reports/export?format=docx&docx_fonts=embed", body: seedReport, status: 200,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if !bytes.Contains(body, []byte("word/fonts/font1.odttf")) {
					t.Error("docx_fonts=embed: no embedded font in the file")
				}
			}},
		{name: "export with warnings", method: "POST", url: "/v1/reports/export?checks=warn", body: checkFails, status: 200,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if resp.Header.Get("X-Report-Warnings") == "" {
					t.Error("no X-Report-Warnings")
				}
			}},
		{name: "validate", method: "POST", url: "/v1/reports/validate", body: seedReport, status: 200},
		{name: "validate a fee given as a decimal string", method: "POST", url: "/v1/reports/validate",
			body: bytes.Replace(seedReport, []byte(`"fee_income_wan_yuan": 0`), []byte(`"fee_income_wan_yuan": "123456.7891"`), 1), status: 200},
		{name: "a decimal string of 5 places", method: "POST", url: "/v1/reports/validate", request: violates,
			body: bytes.Replace(seedReport, []byte(`"fee_income_wan_yuan": 0`), []byte(`"fee_income_wan_yuan": "1.23456"`), 1), status: 422},
		{name: "a decimal string with a sign", method: "POST", url: "/v1/reports/validate", request: violates,
			body: bytes.Replace(seedReport, []byte(`"fee_income_wan_yuan": 0`), []byte(`"fee_income_wan_yuan": "+1"`), 1), status: 422},
		{name: "validate with warnings", method: "POST", url: "/v1/reports/validate?checks=warn", body: checkFails, status: 200,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if !bytes.Contains(body, []byte(`"code":"check"`)) {
					t.Errorf("no warnings: %s", body)
				}
			}},
		{name: "formats", method: "GET", url: "/v1/formats", status: 200},
		{name: "schema", method: "GET", url: "/v1/formats/gov-info-disclosure/2021/schema", status: 200},
		{name: "schema 2019", method: "GET", url: "/v1/formats/gov-info-disclosure/2019/schema", status: 200},
		{name: "form", method: "GET", url: "/v1/formats/gov-info-disclosure/2021/form", status: 200},
		{name: "skeleton", method: "GET", url: "/v1/formats/gov-info-disclosure/2021/skeleton", status: 200},
		{name: "no such format's form", method: "GET", url: "/v1/formats/gov-info-disclosure/2016/form", status: 404, undocumented: true},
		{name: "validate 2019", method: "POST", url: "/v1/reports/validate", body: testReport(t, "qinghe-county-2020.json"), status: 200},
		{name: "export 2019", method: "POST", url: "/v1/reports/export?format=docx", body: testReport(t, "qinghe-county-2020.json"), status: 200},
		{name: "stale 表二", method: "POST", url: "/v1/reports/validate", body: testReport(t, "invalid-stale-format.json"), status: 422, request: violates,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if !bytes.Contains(body, []byte(`belongs to format gov-info-disclosure/2019`)) {
					t.Errorf("no hint at the 2019 format: %.300s", body)
				}
			}},
		{name: "openapi", method: "GET", url: "/v1/openapi.yaml", status: 200,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if !bytes.Equal(body, docs.OpenAPI) {
					t.Error("/v1/openapi.yaml is not docs/openapi.yaml")
				}
			}},
		{name: "healthz", method: "GET", url: "/healthz", status: 200},
		{name: "readyz", method: "GET", url: "/readyz", status: 200},
		{name: "metrics", method: "GET", url: "/metrics", status: 200},

		{name: "malformed JSON", method: "POST", url: "/v1/reports/export", body: testReport(t, "invalid-syntax.json"), status: 400, request: unchecked,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if !bytes.Contains(body, []byte(`"line":`)) {
					t.Errorf("no line: %s", body)
				}
			}},
		{name: "malformed JSON, validate", method: "POST", url: "/v1/reports/validate", body: []byte(`{"format":`), status: 400, request: unchecked},
		{name: "bad checks parameter", method: "POST", url: "/v1/reports/export?checks=lenient", body: seedReport, status: 400, request: violates},
		{name: "bad checks parameter, validate", method: "POST", url: "/v1/reports/validate?checks=lenient", body: seedReport, status: 400, request: violates},
		{name: "unknown format", method: "POST", url: "/v1/reports/export?format=odt", body: seedReport, status: 406, request: violates},
		{name: "unacceptable Accept", method: "POST", url: "/v1/reports/export", body: seedReport, status: 406, header: []string{"Accept", "text/html"}},
		{name: "OFD", method: "POST", url: "/v1/reports/export?format=ofd", body: seedReport, status: 200,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if resp.Header.Get("Content-Type") != "application/ofd" || !bytes.HasPrefix(body, []byte("PK")) {
					t.Errorf("not an OFD: %s, %.20q", resp.Header.Get("Content-Type"), body)
				}
			}},
		{name: "OFD by Accept", method: "POST", url: "/v1/reports/export", body: seedReport, status: 200, header: []string{"Accept", "application/ofd"}},
		{name: "PNG preview", method: "POST", url: "/v1/reports/export?format=png&page=2", body: seedReport, status: 200,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if !bytes.HasPrefix(body, []byte("\x89PNG")) {
					t.Errorf("not a PNG: %.20q", body)
				}
			}},
		{name: "PNG by Accept", method: "POST", url: "/v1/reports/export", body: seedReport, status: 200, header: []string{"Accept", "image/png"}},
		{name: "PNG by Accept image/*", method: "POST", url: "/v1/reports/export", body: seedReport, status: 200, header: []string{"Accept", "image/*"},
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if !bytes.HasPrefix(body, []byte("\x89PNG")) {
					t.Errorf("not a PNG: %.20q", body)
				}
			}},
		{name: "Accept refusing PDF by q=0", method: "POST", url: "/v1/reports/export", body: seedReport, status: 406, header: []string{"Accept", "application/pdf;q=0"}},
		{name: "gzip body", method: "POST", url: "/v1/reports/validate", body: gzipBytes(seedReport), status: 200, request: unchecked, header: []string{"Content-Encoding", "gzip"}},
		{name: "unsupported Content-Encoding", method: "POST", url: "/v1/reports/validate", body: seedReport, status: 415, request: unchecked, header: []string{"Content-Encoding", "br"}},
		{name: "no such page", method: "POST", url: "/v1/reports/export?format=png&page=99", body: seedReport, status: 400},
		{name: "page 0", method: "POST", url: "/v1/reports/export?format=png&page=0", body: seedReport, status: 400, request: violates},
		{name: "docx_fonts unknown", method: "POST", url: "/v1/reports/export?format=docx&docx_fonts=names", body: seedReport, status: 400, request: violates},
		{name: "wrong content type", method: "POST", url: "/v1/reports/export", body: seedReport, status: 415, request: violates,
			header: []string{"Content-Type", "text/plain"}},
		{name: "wrong content type, validate", method: "POST", url: "/v1/reports/validate", body: seedReport, status: 415, request: violates,
			header: []string{"Content-Type", "application/xml"}},
		{name: "invalid report", method: "POST", url: "/v1/reports/export", body: testReport(t, "invalid-string-count.json"), status: 422, request: violates},
		{name: "invalid report, validate", method: "POST", url: "/v1/reports/validate", body: testReport(t, "invalid-missing-required.json"), status: 422, request: violates},
		// The 勾稽 checks span tables: JSON Schema cannot say them, so the
		// request follows the document and the server answers 422.
		{name: "failed check", method: "POST", url: "/v1/reports/export", body: checkFails, status: 422,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if !bytes.Contains(body, []byte(`"code":"check"`)) {
					t.Errorf("no check problem: %s", body)
				}
			}},
		{name: "failed check, validate", method: "POST", url: "/v1/reports/validate", body: checkFails, status: 422},
		{name: "one wrong value, two checks", method: "POST", url: "/v1/reports/validate", body: testReport(t, "invalid-check-row-total.json"), status: 422,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if !bytes.Contains(body, []byte(`"breaks":["/applications/carried_over/total","/applications/carried_forward/total"]`)) {
					t.Errorf("no breaks: %.400s", body)
				}
			}},
		{name: "many problems, validate", method: "POST", url: "/v1/reports/validate", body: unknownKeys(seedReport, 1000), status: 422, request: violates,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if !bytes.Contains(body, []byte(`"problems_omitted":900`)) {
					t.Errorf("no problems_omitted: %.300s", body)
				}
			}},

		{name: "no such endpoint", method: "GET", url: "/v2/reports", status: 404, undocumented: true},
		{name: "no such format", method: "GET", url: "/v1/formats/gov-info-disclosure/2016/schema", status: 404, undocumented: true},
		{name: "wrong method", method: "GET", url: "/v1/reports/export", status: 405, undocumented: true},
	} {
		t.Run(x.name, func(t *testing.T) { c.run(t, s, x) })
	}

	t.Run("tokens", func(t *testing.T) {
		s, _ := newServer(t, Config{Tokens: []string{"secret"}})
		for _, x := range []exchange{
			{name: "export without a token", method: "POST", url: "/v1/reports/export", body: seedReport, status: 401,
				check: func(t *testing.T, resp *http.Response, body []byte) {
					if resp.Header.Get("WWW-Authenticate") == "" {
						t.Error("no WWW-Authenticate")
					}
				}},
			{name: "validate with a wrong token", method: "POST", url: "/v1/reports/validate", body: seedReport, status: 401,
				header: []string{"Authorization", "Bearer guess"}},
			{name: "formats without a token", method: "GET", url: "/v1/formats", status: 401},
			{name: "schema without a token", method: "GET", url: "/v1/formats/gov-info-disclosure/2021/schema", status: 401},
			{name: "export with the token", method: "POST", url: "/v1/reports/export", body: seedReport, status: 200,
				header: []string{"Authorization", "Bearer secret"}, check: isPDF},
			{name: "export with the scheme in lower case", method: "POST", url: "/v1/reports/export", body: seedReport, status: 200,
				header: []string{"Authorization", "bearer secret"}, check: isPDF},
			{name: "openapi needs no token", method: "GET", url: "/v1/openapi.yaml", status: 200},
			{name: "health needs no token", method: "GET", url: "/healthz", status: 200},
			{name: "metrics need no token", method: "GET", url: "/metrics", status: 200},
		} {
			t.Run(x.name, func(t *testing.T) { c.run(t, s, x) })
		}
	})

	t.Run("limits", func(t *testing.T) {
		small, _ := newServer(t, Config{BodyLimit: 1000})
		c.run(t, small, exchange{name: "body too large", method: "POST", url: "/v1/reports/export", body: seedReport, status: 413, request: unchecked})
		c.run(t, small, exchange{name: "body too large, validate", method: "POST", url: "/v1/reports/validate", body: seedReport, status: 413, request: unchecked})

		busy, _ := newServer(t, Config{MaxRenders: 1, QueueSize: -1})
		release, _, err := busy.limit.acquire(context.Background()) // the only slot
		if err != nil {
			t.Fatal(err)
		}
		c.run(t, busy, exchange{name: "queue full", method: "POST", url: "/v1/reports/export", body: seedReport, status: 503,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if resp.Header.Get("Retry-After") == "" {
					t.Error("no Retry-After")
				}
			}})
		c.run(t, busy, exchange{name: "queue full, validate", method: "POST", url: "/v1/reports/validate", body: seedReport, status: 503})
		release()

		// A deadline passed before the render starts: the render's own
		// cancellation check answers 504 however fast the machine renders.
		slow, _ := newServer(t, Config{RenderTimeout: time.Nanosecond, MaxRenders: 1})
		c.run(t, slow, exchange{name: "render timeout", method: "POST", url: "/v1/reports/export", body: testReport(t, "long-county-2022.json"), status: 504})

		draining, _ := newServer(t, Config{})
		draining.draining.Store(true)
		c.run(t, draining, exchange{name: "draining, export", method: "POST", url: "/v1/reports/export", body: seedReport, status: 503})
		c.run(t, draining, exchange{name: "draining, validate", method: "POST", url: "/v1/reports/validate", body: seedReport, status: 503})
		c.run(t, draining, exchange{name: "draining, readyz", method: "GET", url: "/readyz", status: 503})
	})

	t.Run("internal error", func(t *testing.T) {
		s, _ := newServer(t, Config{})
		s.engine.GET("/v1/test-panic", func(*gin.Context) { panic("boom") })
		c.run(t, s, exchange{name: "panic", method: "GET", url: "/v1/test-panic", status: 500, undocumented: true,
			check: func(t *testing.T, resp *http.Response, body []byte) {
				if bytes.Contains(body, []byte("boom")) {
					t.Errorf("the panic leaks to the client: %s", body)
				}
			}})
	})

	// Every valid report of the corpus follows the Report schema and
	// exports: the schema is no stricter than the validator.
	t.Run("corpus", func(t *testing.T) {
		files, _ := filepath.Glob("../testdata/reports/*.json")
		n := 0
		for _, f := range files {
			if strings.HasPrefix(filepath.Base(f), "invalid-") {
				continue
			}
			n++
			body, _ := os.ReadFile(f)
			c.run(t, s, exchange{name: filepath.Base(f), method: "POST", url: "/v1/reports/validate", body: body, status: 200})
		}
		if n < 3 {
			t.Fatalf("only %d valid reports", n)
		}
	})
}

// TestOpenAPIContractCanFail makes sure the contract test would notice
// drift: an undocumented status, an undocumented content type, a missing
// required header and a body that breaks its schema are all caught.
func TestOpenAPIContractCanFail(t *testing.T) {
	c, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	respond := func(status int, contentType, body string, header ...string) *http.Response {
		h := http.Header{"Content-Type": {contentType}, "X-Request-Id": {"x"}}
		for i := 0; i+1 < len(header); i += 2 {
			h.Set(header[i], header[i+1])
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body))}
	}
	post := func(url string) *http.Request {
		req := httptest.NewRequest("POST", url, strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
		return req
	}
	problem := `{"type":"urn:govreport:problem:invalid","title":"t","status":%d,"instance":"x"}`
	pdfHeaders := []string{"Content-Disposition", `attachment; filename="report.pdf"; filename*=UTF-8''r.pdf`, "ETag", `"0123456789abcdef0123456789abcdef"`, "X-Report-Pages", "3"}
	for _, bad := range []struct {
		name string
		req  *http.Request
		resp *http.Response
	}{
		{"undocumented status", post("/v1/reports/validate"), respond(406, "application/problem+json", fmt.Sprintf(problem, 406))},
		{"undocumented content type", post("/v1/reports/export"), respond(200, "image/gif", "GIF89a", pdfHeaders...)},
		{"missing ETag", post("/v1/reports/export"), respond(200, "application/pdf", "%PDF-", pdfHeaders[:2]...)},
		{"error as plain JSON", post("/v1/reports/export"), respond(422, "application/json", fmt.Sprintf(problem, 422))},
		{"problem without a title", post("/v1/reports/export"), respond(422, "application/problem+json", `{"type":"urn:govreport:problem:invalid","status":422,"instance":"x"}`)},
		{"validation without totals", post("/v1/reports/validate"), respond(200, "application/json", `{"valid":true,"title":"t","warnings":[]}`)},
	} {
		if ok, _ := c.v.ValidateHttpResponse(bad.req, bad.resp); ok {
			t.Errorf("%s: the contract test would not notice", bad.name)
		}
	}
	// And the good versions pass, so the failures above are for the reason given.
	if ok, errs := c.v.ValidateHttpResponse(post("/v1/reports/export"), respond(200, "application/pdf", "%PDF-", pdfHeaders...)); !ok {
		t.Errorf("a well-formed PDF answer fails: %s", describe(errs))
	}
}

// unknownKeys puts n distinct unknown keys before the report's own.
func unknownKeys(report []byte, n int) []byte {
	var b bytes.Buffer
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, `"k%d":0,`, i)
	}
	b.Write(bytes.TrimPrefix(bytes.TrimSpace(report), []byte("{")))
	return b.Bytes()
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}
