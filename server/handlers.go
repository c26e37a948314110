package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/govreport/govreport/docs"
	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/render"
	"github.com/govreport/govreport/render/docx"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/server/ui"
	"github.com/govreport/govreport/templates"
)

// mediaTypes maps the formats the API serves (not the layout dump) to
// their media types, as render names them.
var mediaTypes = map[string]string{
	string(render.PDF):  render.PDF.MediaType(),
	string(render.DOCX): render.DOCX.MediaType(),
	string(render.PNG):  render.PNG.MediaType(),
	string(render.OFD):  render.OFD.MediaType(),
}

func (s *Server) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.Use(s.withRequestID, s.withLog, s.withRecovery, s.withCORS)
	e.NoRoute(func(c *gin.Context) {
		s.problem(c, http.StatusNotFound, "not_found", statusText(http.StatusNotFound), "no such endpoint: "+c.Request.URL.Path, nil)
	})
	e.NoMethod(func(c *gin.Context) {
		s.problem(c, http.StatusMethodNotAllowed, "method_not_allowed", statusText(http.StatusMethodNotAllowed), c.Request.Method+" is not allowed here", nil)
	})
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.HEAD("/healthz", s.healthz) // load balancers probe with HEAD
	e.HEAD("/readyz", s.readyz)
	e.GET("/metrics", gin.WrapH(promHandler(s.metrics)))
	// The API's description needs no token, like health and metrics.
	e.GET("/v1/openapi.yaml", func(c *gin.Context) { c.Data(http.StatusOK, "application/yaml", docs.OpenAPI) })
	if !s.cfg.NoUI {
		// The page for clerks needs no token, like the API's description:
		// it asks for one and sends it with its requests.
		page := gin.WrapH(ui.Handler())
		e.GET("/", page)
		e.HEAD("/", page)
		e.GET("/ui/*file", page)
		e.HEAD("/ui/*file", page)
	}
	v1 := e.Group("/v1", s.withAuth, s.withKnownParams)
	v1.POST("/reports/export", s.export)
	v1.POST("/reports/validate", s.validate)
	v1.POST("/reports/import", s.importReport)
	v1.GET("/formats", s.formats)
	v1.GET("/formats/*rest", s.schema)
	return e
}

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

func (s *Server) readyz(c *gin.Context) {
	switch {
	case s.draining.Load():
		c.Header("Retry-After", "1")
		c.Header("Connection", "close")
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "draining"})
	case !s.ready.Load():
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "starting"})
	default:
		c.JSON(http.StatusOK, gin.H{"status": "ready", "fonts": len(fonts.Roles()), "version": s.cfg.Version})
	}
}

func (s *Server) formats(c *gin.Context) {
	all, err := templates.Formats()
	if err != nil {
		s.internal(c, fmt.Errorf("formats: %w", err))() // checked at start-up
		return
	}
	type entry struct {
		ID     string       `json:"id"`
		Title  string       `json:"title"`
		Source string       `json:"source"`
		Issued string       `json:"issued"`
		Years  report.Years `json:"years"`
		Schema string       `json:"schema"`
		// Form and Skeleton are the paths of the format's form
		// description and of govreport init's report in it.
		Form     string `json:"form"`
		Skeleton string `json:"skeleton"`
	}
	var out []entry
	for _, f := range all {
		out = append(out, entry{f.ID, f.Title, f.Source, f.Issued, f.Years, "/v1/formats/" + f.ID + "/schema",
			"/v1/formats/" + f.ID + "/form", "/v1/formats/" + f.ID + "/skeleton"})
	}
	c.JSON(http.StatusOK, gin.H{"formats": out})
}

// schema serves /v1/formats/{id}/schema, /v1/formats/{id}/form and
// /v1/formats/{id}/skeleton; a format id holds a slash. The form is what
// a page needs to build the format's form (templates.Form: sections,
// fields, grids with each cell's pointer and accessible name, rules); the
// skeleton is govreport init's report, the page's start.
func (s *Server) schema(c *gin.Context) {
	rest := strings.TrimPrefix(c.Param("rest"), "/")
	id, what := rest, ""
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		id, what = rest[:i], rest[i+1:]
	}
	f, err := templates.Lookup(id)
	if err != nil || what != "schema" && what != "form" && what != "skeleton" {
		s.problem(c, http.StatusNotFound, "not_found", "Unknown format", fmt.Sprintf("no format %q; see /v1/formats", id), nil)
		return
	}
	var b []byte
	ct := "application/json"
	switch what {
	case "schema":
		b, err = f.Schema(time.Now().Year() + 1)
		ct = "application/schema+json"
	case "form":
		b, err = json.Marshal(f.Form())
	case "skeleton":
		b, err = f.Skeleton(templates.SkeletonOptions{})
	}
	if err != nil {
		s.internal(c, fmt.Errorf("%s of %s: %w", what, id, err))()
		return
	}
	c.Data(http.StatusOK, ct, b)
}

// readReport admits the request and reads its body, or answers and
// returns ok false. Everything that needs no byte of the body is checked
// first: draining, the content type and charset, the encoding and a
// declared length over the limit. Then the request takes its place in the
// queue (or is refused with 503), and only then is the body read, decoded
// and decompressed, so at most MaxRenders+QueueSize bodies are in memory
// however many clients send one. The decoded body is capped while it
// streams: a gzip body that inflates past the limit is refused as soon as
// it does, without waiting for the rest or the gzip trailer. The caller
// owns the ticket and must release it.
//
// With form, a multipart/form-data body is accepted too (validate's report
// with last year's): its boundary is returned, and the body is read as
// sent, for readForm to split.
func (s *Server) readReport(c *gin.Context, form bool) (body []byte, boundary string, t *ticket, ok bool) {
	if s.refuseDraining(c) {
		return nil, "", nil, false
	}
	ct := c.GetHeader("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	var charset encoding.Encoding
	switch {
	case form && err == nil && mt == "multipart/form-data" && params["boundary"] != "":
		boundary = params["boundary"]
	case err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")):
		also := ""
		if form {
			also = " (or multipart/form-data with the parts report and previous)"
		}
		s.reject(c, http.StatusUnsupportedMediaType, "unsupported_media_type", statusText(http.StatusUnsupportedMediaType),
			fmt.Sprintf("send the report as application/json%s, not %q", also, ct))
		return nil, "", nil, false
	default:
		var known bool
		if charset, known = charsets[strings.ToLower(strings.TrimSpace(params["charset"]))]; !known {
			s.reject(c, http.StatusUnsupportedMediaType, "unsupported_media_type", statusText(http.StatusUnsupportedMediaType),
				fmt.Sprintf("charset %q is not supported; send the report as UTF-8, or declare charset=gb18030, gbk or gb2312", params["charset"]))
			return nil, "", nil, false
		}
	}
	enc := strings.ToLower(strings.TrimSpace(c.GetHeader("Content-Encoding")))
	switch enc {
	case "", "identity", "gzip", "x-gzip":
	default:
		s.reject(c, http.StatusUnsupportedMediaType, "unsupported_media_type", statusText(http.StatusUnsupportedMediaType),
			fmt.Sprintf("Content-Encoding %q is not supported; send the report uncompressed or gzip", enc))
		return nil, "", nil, false
	}
	// A declared length over the limit is refused before a byte is read:
	// with Expect: 100-continue the client then never sends the body, and
	// a huge length with no body does not hold the connection.
	if c.Request.ContentLength > s.cfg.BodyLimit {
		s.tooLarge(c)
		return nil, "", nil, false
	}
	t, err = s.limit.enter()
	if err != nil {
		s.busy(c, "queue_full", "every render slot is taken and the queue is full; retry after a second")
		return nil, "", nil, false
	}
	body, err = s.readBody(c, enc, charset)
	// The write deadline counts from the end of the read, not from the
	// headers: a slow upload that the read timeout allows still has the
	// whole write timeout for its queue wait, render and answer.
	s.extendDeadlines(c)
	if err != nil {
		t.release()
		s.readFailed(c, err)
		return nil, "", nil, false
	}
	return body, boundary, t, true
}

// charsets are the charset parameters of Content-Type the API decodes,
// each with its decoder (nil: UTF-8 as it is). GBK and GB2312 are subsets
// of GB18030, so its decoder reads all three.
var charsets = map[string]encoding.Encoding{
	"":        nil,
	"utf-8":   nil,
	"utf8":    nil,
	"gb18030": simplifiedchinese.GB18030,
	"gbk":     simplifiedchinese.GB18030,
	"gb2312":  simplifiedchinese.GB18030,
}

// errTooLarge is a body whose decoded form outgrows the limit.
var errTooLarge = errors.New("server: body over the limit")

// readBody reads the body through its content encoding and charset. The
// limit holds for the bytes sent and for the decoded report alike; the
// read stops as soon as either is crossed.
func (s *Server) readBody(c *gin.Context, enc string, charset encoding.Encoding) ([]byte, error) {
	limit := s.cfg.BodyLimit
	var r io.Reader = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	hint := c.Request.ContentLength
	if enc == "gzip" || enc == "x-gzip" {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, err
		}
		r, hint = zr, 0
	}
	if charset != nil {
		r, hint = transform.NewReader(r, charset.NewDecoder()), 0
	}
	return readCapped(r, limit, hint)
}

// readCapped reads r to its end, or stops with errTooLarge as soon as it
// has read more than limit bytes. hint, when positive, is the expected
// size: the buffer is made that size at once instead of grown.
func readCapped(r io.Reader, limit, hint int64) ([]byte, error) {
	size := int64(32 << 10)
	if hint > 0 {
		size = hint + 1 // room to see the end without growing
	}
	buf := make([]byte, 0, min(size, limit+1))
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, int(min(2*int64(cap(buf)), limit+1))-len(buf))
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, errTooLarge
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// extendDeadlines sets the connection's read and write deadlines to the
// write timeout from now. The server's own write deadline starts with the
// request's headers; the read deadline also bounds the background read
// that notices a client hanging up, which would otherwise cancel a render
// that outlives the read timeout.
func (s *Server) extendDeadlines(c *gin.Context) {
	rc := http.NewResponseController(c.Writer)
	deadline := time.Now().Add(s.cfg.WriteTimeout)
	rc.SetWriteDeadline(deadline) // not supported by test recorders: no deadline there
	rc.SetReadDeadline(deadline)
}

// tooLarge answers a body over the limit.
func (s *Server) tooLarge(c *gin.Context) {
	c.Header("Connection", "close") // the rest of the body is not read
	s.reject(c, http.StatusRequestEntityTooLarge, "body_too_large", statusText(http.StatusRequestEntityTooLarge),
		fmt.Sprintf("the report is larger than %d bytes", s.cfg.BodyLimit))
}

// refuseDraining answers 503 while the server drains, and reports whether
// it did.
func (s *Server) refuseDraining(c *gin.Context) bool {
	if !s.draining.Load() {
		return false
	}
	c.Header("Retry-After", "1")
	c.Header("Connection", "close")
	s.reject(c, http.StatusServiceUnavailable, "draining", statusText(http.StatusServiceUnavailable), "the server is shutting down; retry on another instance")
	return true
}

// readFailed answers an error reading the body: over the limit, or a
// body that is not what its Content-Encoding says (gzip: invalid header).
func (s *Server) readFailed(c *gin.Context, err error) {
	var tooBig *http.MaxBytesError
	if errors.Is(err, errTooLarge) || errors.As(err, &tooBig) {
		s.tooLarge(c)
		return
	}
	c.Header("Connection", "close")
	detail := "reading the request body: " + err.Error()
	if errors.Is(err, os.ErrDeadlineExceeded) { // not the connection's addresses
		detail = fmt.Sprintf("the body did not arrive within the read timeout, %s", s.cfg.ReadTimeout)
	}
	s.problem(c, http.StatusBadRequest, "malformed", statusText(http.StatusBadRequest), detail, nil)
}

// checksWarn reads ?checks=strict|warn.
func (s *Server) checksWarn(c *gin.Context) (bool, bool) {
	switch c.DefaultQuery("checks", "strict") {
	case "strict":
		return false, true
	case "warn":
		return true, true
	}
	s.problem(c, http.StatusBadRequest, "bad_parameter", statusText(http.StatusBadRequest), "checks must be strict or warn", nil)
	return false, false
}

// draft reads ?draft=true|false: a report that still holds init's
// placeholders is accepted (as warnings) and printed with 草稿 on every page.
func (s *Server) draft(c *gin.Context) (bool, bool) {
	v := c.DefaultQuery("draft", "false")
	d, err := strconv.ParseBool(v)
	if err != nil {
		s.problem(c, http.StatusBadRequest, "bad_parameter", statusText(http.StatusBadRequest), "draft must be true or false", nil)
		return false, false
	}
	return d, true
}

// invalid builds the answer to a report that failed decoding or checks:
// 400 for JSON that does not parse (with line and column), 422 for the
// rest.
func (s *Server) invalid(c *gin.Context, perr *report.Error) func() {
	status, kind, title := http.StatusUnprocessableEntity, "invalid", "The report is invalid"
	if code := perr.Problems[0].Code; code == "syntax" || code == "encoding" {
		status, kind, title = http.StatusBadRequest, "malformed", "The request body is not valid JSON"
	}
	s.metrics.rejections.WithLabelValues(kind).Inc()
	detail := fmt.Sprintf("%d problems; the first: %s", perr.Total(), perr.Problems[0].Message)
	if perr.Total() == 1 {
		detail = "1 problem: " + perr.Problems[0].Message
	}
	if perr.Omitted > 0 {
		detail = fmt.Sprintf("%d problems, the first %d listed; the first: %s", perr.Total(), len(perr.Problems), perr.Problems[0].Message)
	}
	body := s.problemBody(c, status, kind, title, detail, perr.Problems, perr.Omitted)
	return func() { s.writeProblem(c, status, body) }
}

func (s *Server) validate(c *gin.Context) {
	if s.refuseDraining(c) {
		return
	}
	warn, ok := s.checksWarn(c)
	if !ok {
		return
	}
	draft, ok := s.draft(c)
	if !ok {
		return
	}
	// Validation costs what a render costs: the same admission.
	body, boundary, t, ok := s.readReport(c, true)
	if !ok {
		return
	}
	defer t.release()
	var prev *formPart
	if boundary != "" {
		var err error
		if body, prev, err = s.readForm(body, boundary); err != nil {
			s.problem(c, http.StatusBadRequest, "malformed", statusText(http.StatusBadRequest), err.Error(), nil)
			return
		}
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.RenderTimeout)
	defer cancel()
	if !s.admit(c, ctx, t) {
		return
	}
	// The same stage as an export's, short of writing a file: a report
	// valid here lays out, so it renders.
	prep, err := render.Prepare(ctx, body, render.PrepareOptions{ChecksWarn: warn, Draft: draft, Fonts: s.fonts, Creator: "govreport " + s.cfg.Version, Date: s.cfg.Date})
	answer := s.failed(c, err) // built inside the slot, so its memory is bounded too
	if answer == nil && prev != nil {
		answer = s.comparePrevious(c, prep.Report, prev, warn)
	}
	t.release()
	if answer != nil {
		answer()
		return
	}
	r := prep.Report
	warnings := r.Warnings
	if warnings == nil {
		warnings = []report.Problem{}
	}
	c.JSON(http.StatusOK, gin.H{"valid": true, "title": r.Title, "pages": len(prep.Layout.Pages), "warnings": warnings, "totals": r.Computed()})
}

// formPart is a part of a multipart/form-data body: its text (UTF-8) and
// the file name it was sent with, if any.
type formPart struct {
	data []byte
	name string
}

// readForm splits validate's multipart/form-data body into the report (the
// part named report) and last year's report (previous, optional). Each
// part is JSON (sent as such, or as a file of unknown type), in UTF-8 or
// the charset its Content-Type declares, and the two together are within
// the body limit (the body was read within it; a charset's decoding is
// capped there too). Another part, a repeated one or a part that is not
// JSON is an error naming it.
func (s *Server) readForm(body []byte, boundary string) (cur []byte, prev *formPart, err error) {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var rep *formPart
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("the multipart/form-data body: %w", err)
		}
		name := p.FormName()
		var into **formPart
		switch name {
		case "report":
			into = &rep
		case "previous":
			into = &prev
		default:
			return nil, nil, fmt.Errorf("unknown part %q: the parts are report (the report) and previous (last year's report)", clip(name, 200))
		}
		if *into != nil {
			return nil, nil, fmt.Errorf("the part %s is given twice", name)
		}
		var charset encoding.Encoding
		if ct := p.Header.Get("Content-Type"); ct != "" {
			mt, params, err := mime.ParseMediaType(ct)
			var known bool
			charset, known = charsets[strings.ToLower(strings.TrimSpace(params["charset"]))]
			if err != nil || !partTypes[mt] && !strings.HasSuffix(mt, "+json") || !known {
				return nil, nil, fmt.Errorf("the part %s is %q; send it as application/json (UTF-8, or charset=gb18030, gbk or gb2312)", name, clip(ct, 200))
			}
		}
		var r io.Reader = p
		if charset != nil {
			r = transform.NewReader(r, charset.NewDecoder())
		}
		data, err := readCapped(r, s.cfg.BodyLimit, 0)
		if err != nil {
			return nil, nil, fmt.Errorf("the part %s: %w", name, err)
		}
		*into = &formPart{data: data, name: p.FileName()}
	}
	if rep == nil {
		return nil, nil, fmt.Errorf("no part named report: send the report as the part report, last year's as previous")
	}
	return rep.data, prev, nil
}

// partTypes are the media types a part of validate's form may have: JSON,
// and what a client sends a file as when it does not know it is JSON
// (curl -F and Go's CreateFormFile send application/octet-stream).
var partTypes = map[string]bool{"application/json": true, "application/octet-stream": true, "text/plain": true}

// comparePrevious compares a valid report with last year's (the part
// previous; report.ComparePrevious) and returns the answer when they
// disagree, or nil: the disagreements are problems (422), or warnings with
// checks=warn, which it adds to r's. Last year's report is read as
// published, its own failed checks and placeholders aside; one that cannot
// be read is 422 with its problems, which then point into it.
func (s *Server) comparePrevious(c *gin.Context, r *report.Report, prev *formPart, warn bool) func() {
	last, _, err := templates.Decode(prev.data, report.Options{ChecksWarn: true, Draft: true})
	var perr *report.Error
	switch {
	case errors.As(err, &perr):
		s.metrics.rejections.WithLabelValues("invalid").Inc()
		detail := fmt.Sprintf("the previous report (the part previous) cannot be read: %s; the problems point into it", perr.Problems[0].Message)
		body := s.problemBody(c, http.StatusUnprocessableEntity, "invalid", "The previous report is invalid", detail, perr.Problems, perr.Omitted)
		return func() { s.writeProblem(c, http.StatusUnprocessableEntity, body) }
	case err != nil:
		return s.failed(c, err)
	}
	name := "previous"
	if prev.name != "" {
		name = clip(prev.name, 200)
	}
	probs := report.ComparePrevious(last, r, name)
	switch {
	case len(probs) == 0:
		return nil
	case warn:
		r.Warnings = append(r.Warnings, probs...)
		return nil
	}
	return s.invalid(c, &report.Error{Problems: probs})
}

// failed builds the answer to a render or validation that failed, or
// returns nil if it did not: an invalid report is 400 or 422 with its
// problems, a timeout 504; anything else is a bug (500). The answer is
// built at once, while the request holds its slot, and written by calling
// the function returned, after the slot is released: a client that does
// not read its answer then holds a connection, not a slot.
func (s *Server) failed(c *gin.Context, err error) func() {
	var perr *report.Error
	var pageErr *render.PageError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &perr):
		return s.invalid(c, perr)
	case errors.As(err, &pageErr):
		body := s.problemBody(c, http.StatusBadRequest, "bad_parameter", statusText(http.StatusBadRequest), pageErr.Error(), nil)
		return func() { s.writeProblem(c, http.StatusBadRequest, body) }
	case errors.Is(err, context.DeadlineExceeded):
		s.metrics.rejections.WithLabelValues("timeout").Inc()
		body := s.problemBody(c, http.StatusGatewayTimeout, "timeout", statusText(http.StatusGatewayTimeout),
			fmt.Sprintf("the render took longer than %s", s.cfg.RenderTimeout), nil)
		return func() { s.writeProblem(c, http.StatusGatewayTimeout, body) }
	case errors.Is(err, context.Canceled):
		return func() {
			c.Status(499) // the client went away; nobody reads the answer
			c.Abort()
		}
	default:
		return s.internal(c, fmt.Errorf("render: %w", err))
	}
}

// internal logs err, a bug, with the request id, and returns the function
// that answers 500 with a problem saying nothing of the internals: the
// answer withRecovery gives a panic, without a panic to give it.
func (s *Server) internal(c *gin.Context, err error) func() {
	s.log.Error("internal error", "id", requestID(c), "err", err.Error())
	status := http.StatusInternalServerError
	body := s.problemBody(c, status, "internal", statusText(status),
		"an internal error occurred; quote the request id "+requestID(c), nil)
	return func() { s.writeProblem(c, status, body) }
}

// negotiate picks the output format: ?format=, else the Accept header,
// else PDF.
func (s *Server) negotiate(c *gin.Context) (string, bool) {
	if f := strings.ToLower(c.Query("format")); f != "" {
		if _, ok := mediaTypes[f]; ok {
			return f, true
		}
		s.reject(c, http.StatusNotAcceptable, "not_acceptable", statusText(http.StatusNotAcceptable),
			fmt.Sprintf("unknown format %q; formats: pdf, docx, png, ofd", f))
		return "", false
	}
	accept := c.GetHeader("Accept")
	if strings.TrimSpace(accept) == "" {
		return "pdf", true
	}
	if f := acceptable(accept); f != "" {
		return f, true
	}
	s.reject(c, http.StatusNotAcceptable, "not_acceptable", statusText(http.StatusNotAcceptable),
		"none of "+accept+" can be produced; ask for application/pdf, "+mediaTypes["docx"]+", image/png or application/ofd")
	return "", false
}

// formatOrder is the preference among formats the client values equally.
var formatOrder = []string{"pdf", "docx", "png", "ofd"}

// acceptable picks the format the Accept header values most (RFC 9110
// 12.5.1): each format takes the q of the most specific range that matches
// it (application/pdf over application/* over */*), q=0 refuses it, and
// ties go to PDF, then DOCX, then PNG, then OFD. It returns "" if none is acceptable.
func acceptable(accept string) string {
	best, bestQ := "", 0.0
	for _, f := range formatOrder {
		typ, _, _ := strings.Cut(mediaTypes[f], "/")
		q, specificity := 0.0, -1
		for _, part := range strings.Split(accept, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			sp := -1
			switch mt {
			case mediaTypes[f]:
				sp = 2
			case typ + "/*":
				sp = 1
			case "*/*":
				sp = 0
			}
			if sp <= specificity {
				continue
			}
			pq := 1.0
			if v, ok := params["q"]; ok {
				n, err := strconv.ParseFloat(v, 64)
				if err != nil || n < 0 || n > 1 {
					continue
				}
				pq = n
			}
			q, specificity = pq, sp
		}
		if q > bestQ {
			best, bestQ = f, q
		}
	}
	return best
}

func (s *Server) export(c *gin.Context) {
	if s.refuseDraining(c) {
		return
	}
	format, ok := s.negotiate(c)
	if !ok {
		return
	}
	c.Set("format", format)
	page := 1
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.problem(c, http.StatusBadRequest, "bad_parameter", statusText(http.StatusBadRequest), "page must be a page number from 1", nil)
			return
		}
		page = n
	}
	warn, ok := s.checksWarn(c)
	if !ok {
		return
	}
	draft, ok := s.draft(c)
	if !ok {
		return
	}
	docxFonts, err := docx.ParseFontMode(c.Query("docx_fonts"))
	if err != nil {
		s.problem(c, http.StatusBadRequest, "bad_parameter", statusText(http.StatusBadRequest), "docx_fonts must be official or embed", nil)
		return
	}
	body, _, t, ok := s.readReport(c, false)
	if !ok {
		return
	}
	defer t.release()
	// A file the client holds already (If-None-Match names the ETag this
	// body and these parameters gave) is 304, without a render slot.
	key := exportKey(body, format, c.Request.URL.Query())
	if inm := c.GetHeader("If-None-Match"); inm != "" {
		if etag, ok := s.etags.get(key); ok && matches(inm, etag) {
			t.release()
			c.Header("ETag", etag)
			c.Header("Cache-Control", "no-store")
			c.Status(http.StatusNotModified)
			return
		}
	}

	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.RenderTimeout)
	defer cancel()
	if !s.admit(c, ctx, t) {
		return
	}
	start := time.Now()
	res, err := render.Render(ctx, body, render.Options{
		Format: render.Format(format), ChecksWarn: warn, Draft: draft, Fonts: s.fonts, Creator: "govreport " + s.cfg.Version, Date: s.cfg.Date, Page: page,
		DOCXFonts: docxFonts,
	})
	answer := s.failed(c, err) // built inside the slot, so its memory is bounded too
	t.release()
	s.metrics.duration.WithLabelValues(format).Observe(time.Since(start).Seconds())
	if answer != nil {
		answer()
		return
	}
	s.metrics.pages.WithLabelValues(format).Add(float64(res.Pages))

	sum := sha256.Sum256(res.Bytes)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	s.etags.put(key, etag)
	c.Header("ETag", etag)
	if matches(c.GetHeader("If-None-Match"), etag) { // the same file, not remembered
		c.Header("Cache-Control", "no-store")
		c.Status(http.StatusNotModified)
		return
	}
	c.Header("X-Report-Pages", strconv.Itoa(res.Pages))
	if len(res.Warnings) > 0 {
		c.Header("X-Report-Warnings", strconv.Itoa(len(res.Warnings)))
	}
	c.Header("Content-Disposition", contentDisposition(res.Title, format))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, mediaTypes[format], res.Bytes)
}

// admit waits for a render slot for the admitted request t; when none
// comes it releases t, answers 503 and returns false.
func (s *Server) admit(c *gin.Context, ctx context.Context, t *ticket) bool {
	waited, err := t.wait(ctx)
	s.metrics.queueWait.Observe(waited.Seconds())
	if err == nil {
		return true
	}
	t.release()
	if errors.Is(err, context.Canceled) {
		c.Status(499) // the client went away while queued; nobody reads the answer
		c.Abort()
		return false
	}
	s.busy(c, "timeout", fmt.Sprintf("no render slot came free within %s; retry after a second", s.cfg.RenderTimeout))
	return false
}

// busy answers 503 with Retry-After: every render slot is taken and the
// queue is full, or the request timed out waiting in it.
func (s *Server) busy(c *gin.Context, reason, detail string) {
	c.Header("Retry-After", "1")
	c.Header("Connection", "close") // the body may be unread
	s.reject(c, http.StatusServiceUnavailable, reason, "The service is busy", detail)
}

// contentDisposition names the file after the report's title: an ASCII
// fallback for old clients and the UTF-8 name as an RFC 8187 ext-value,
// in which only attr-chars stay unescaped.
func contentDisposition(title, ext string) string {
	var ascii strings.Builder
	for _, r := range title {
		if r < 0x80 && (r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			ascii.WriteRune(r)
		}
	}
	fallback := "report"
	if a := ascii.String(); a != "" {
		fallback = "report-" + a
	}
	return fmt.Sprintf(`attachment; filename="%s.%s"; filename*=UTF-8''%s`, fallback, ext, extValue(title+"."+ext))
}

// extValue percent-encodes s as the value-chars of an RFC 8187 ext-value:
// every byte but ALPHA, DIGIT and !#$&+-.^_`|~ is escaped.
func extValue(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
