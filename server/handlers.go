package server

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/govreport/govreport/docs"
	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/render"
	"github.com/govreport/govreport/render/docx"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// mediaTypes maps the output formats to their media types.
var mediaTypes = map[string]string{
	"pdf":  "application/pdf",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"png":  "image/png",
}

func (s *Server) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.Use(s.withRequestID, s.withLog, s.withRecovery)
	e.NoRoute(func(c *gin.Context) {
		s.problem(c, http.StatusNotFound, "not_found", statusText(http.StatusNotFound), "no such endpoint: "+c.Request.URL.Path, nil)
	})
	e.NoMethod(func(c *gin.Context) {
		s.problem(c, http.StatusMethodNotAllowed, "method_not_allowed", statusText(http.StatusMethodNotAllowed), c.Request.Method+" is not allowed here", nil)
	})
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", gin.WrapH(promHandler(s.metrics)))
	// The API's description needs no token, like health and metrics.
	e.GET("/v1/openapi.yaml", func(c *gin.Context) { c.Data(http.StatusOK, "application/yaml", docs.OpenAPI) })
	v1 := e.Group("/v1", s.withAuth)
	v1.POST("/reports/export", s.export)
	v1.POST("/reports/validate", s.validate)
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
		panic(err) // checked at start-up
	}
	type entry struct {
		ID     string       `json:"id"`
		Title  string       `json:"title"`
		Source string       `json:"source"`
		Issued string       `json:"issued"`
		Years  report.Years `json:"years"`
		Schema string       `json:"schema"`
	}
	var out []entry
	for _, f := range all {
		out = append(out, entry{f.ID, f.Title, f.Source, f.Issued, f.Years, "/v1/formats/" + f.ID + "/schema"})
	}
	c.JSON(http.StatusOK, gin.H{"formats": out})
}

// schema serves /v1/formats/{id}/schema; a format id holds a slash.
func (s *Server) schema(c *gin.Context) {
	id, ok := strings.CutSuffix(strings.TrimPrefix(c.Param("rest"), "/"), "/schema")
	f, err := templates.Lookup(id)
	if !ok || err != nil {
		s.problem(c, http.StatusNotFound, "not_found", "Unknown format", fmt.Sprintf("no format %q; see /v1/formats", id), nil)
		return
	}
	b, err := f.Schema(time.Now().Year() + 1)
	if err != nil {
		panic(err)
	}
	c.Data(http.StatusOK, "application/schema+json", b)
}

// readReport checks the content type and reads the body within the limit.
func (s *Server) readReport(c *gin.Context) ([]byte, bool) {
	if s.draining.Load() {
		c.Header("Retry-After", "1")
		s.reject(c, http.StatusServiceUnavailable, "draining", statusText(http.StatusServiceUnavailable), "the server is shutting down; retry on another instance")
		return nil, false
	}
	ct := c.GetHeader("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		s.reject(c, http.StatusUnsupportedMediaType, "unsupported_media_type", statusText(http.StatusUnsupportedMediaType),
			fmt.Sprintf("send the report as application/json, not %q", ct))
		return nil, false
	}
	tooLarge := func() {
		c.Header("Connection", "close") // the rest of the body is not read
		s.reject(c, http.StatusRequestEntityTooLarge, "body_too_large", statusText(http.StatusRequestEntityTooLarge),
			fmt.Sprintf("the report is larger than %d bytes", s.cfg.BodyLimit))
	}
	// A declared length over the limit is refused before a byte is read:
	// with Expect: 100-continue the client then never sends the body, and
	// a huge length with no body does not hold the connection.
	if c.Request.ContentLength > s.cfg.BodyLimit {
		tooLarge()
		return nil, false
	}
	var r io.Reader = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.BodyLimit)
	switch enc := strings.ToLower(strings.TrimSpace(c.GetHeader("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		// The limit holds for the compressed and the decoded body alike,
		// so a small bomb cannot inflate into memory.
		zr, err := gzip.NewReader(r)
		if err != nil {
			s.compressed(c, err, tooLarge)
			return nil, false
		}
		r = io.LimitReader(zr, s.cfg.BodyLimit+1)
	default:
		s.reject(c, http.StatusUnsupportedMediaType, "unsupported_media_type", statusText(http.StatusUnsupportedMediaType),
			fmt.Sprintf("Content-Encoding %q is not supported; send the report uncompressed or gzip", enc))
		return nil, false
	}
	body, err := io.ReadAll(r)
	if err != nil {
		s.compressed(c, err, tooLarge)
		return nil, false
	}
	if int64(len(body)) > s.cfg.BodyLimit {
		tooLarge()
		return nil, false
	}
	return body, true
}

// compressed answers an error reading the body: over the limit, or a
// body that is not what its Content-Encoding says (gzip: invalid header).
func (s *Server) compressed(c *gin.Context, err error, tooLarge func()) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		tooLarge()
		return
	}
	s.problem(c, http.StatusBadRequest, "malformed", statusText(http.StatusBadRequest), "reading the request body: "+err.Error(), nil)
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

// invalid answers a report that failed decoding or checks: 400 for JSON
// that does not parse (with line and column), 422 for the rest.
func (s *Server) invalid(c *gin.Context, perr *report.Error) {
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
	s.problem(c, status, kind, title, detail, perr.Problems, perr.Omitted)
}

func (s *Server) validate(c *gin.Context) {
	warn, ok := s.checksWarn(c)
	if !ok {
		return
	}
	if s.limit.full() { // validation costs what a render costs: the same admission
		s.busy(c, "queue_full", "every render slot is taken and the queue is full; retry after a second")
		return
	}
	body, ok := s.readReport(c)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.RenderTimeout)
	defer cancel()
	release, ok := s.admit(c, ctx)
	if !ok {
		return
	}
	// The same stage as an export's, short of writing a file: a report
	// valid here lays out, so it renders.
	prep, err := render.Prepare(ctx, body, render.Options{ChecksWarn: warn, Fonts: s.fonts, Creator: "govreport " + s.cfg.Version})
	release()
	if s.failed(c, err) {
		return
	}
	r := prep.Report
	warnings := r.Warnings
	if warnings == nil {
		warnings = []report.Problem{}
	}
	c.JSON(http.StatusOK, gin.H{"valid": true, "title": r.Title, "pages": len(prep.Layout.Pages), "warnings": warnings, "totals": r.Computed()})
}

// failed answers a render or validation that failed, and reports whether
// it did: an invalid report is 400 or 422 with its problems, a timeout 504;
// anything else is a bug (500).
func (s *Server) failed(c *gin.Context, err error) bool {
	var perr *report.Error
	var pageErr *render.PageError
	switch {
	case err == nil:
		return false
	case errors.As(err, &perr):
		s.invalid(c, perr)
	case errors.As(err, &pageErr):
		s.problem(c, http.StatusBadRequest, "bad_parameter", statusText(http.StatusBadRequest), pageErr.Error(), nil)
	case errors.Is(err, context.DeadlineExceeded):
		s.reject(c, http.StatusGatewayTimeout, "timeout", statusText(http.StatusGatewayTimeout),
			fmt.Sprintf("the render took longer than %s", s.cfg.RenderTimeout))
	case errors.Is(err, context.Canceled):
		c.Status(499) // the client went away; nobody reads the answer
		c.Abort()
	default:
		panic(fmt.Errorf("render: %w", err))
	}
	return true
}

// negotiate picks the output format: ?format=, else the Accept header,
// else PDF.
func (s *Server) negotiate(c *gin.Context) (string, bool) {
	if f := strings.ToLower(c.Query("format")); f != "" {
		if _, ok := mediaTypes[f]; ok {
			return f, true
		}
		s.reject(c, http.StatusNotAcceptable, "not_acceptable", statusText(http.StatusNotAcceptable),
			fmt.Sprintf("unknown format %q; formats: pdf, docx, png", f))
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
		"none of "+accept+" can be produced; ask for application/pdf, "+mediaTypes["docx"]+" or image/png")
	return "", false
}

// formatOrder is the preference among formats the client values equally.
var formatOrder = []string{"pdf", "docx", "png"}

// acceptable picks the format the Accept header values most (RFC 9110
// 12.5.1): each format takes the q of the most specific range that matches
// it (application/pdf over application/* over */*), q=0 refuses it, and
// ties go to PDF, then DOCX, then PNG. It returns "" if none is acceptable.
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
	docxFonts, err := docx.ParseFontMode(c.Query("docx_fonts"))
	if err != nil {
		s.problem(c, http.StatusBadRequest, "bad_parameter", statusText(http.StatusBadRequest), "docx_fonts must be official or embed", nil)
		return
	}
	if s.limit.full() { // refuse before reading the body: overload must be cheap
		s.busy(c, "queue_full", "every render slot is taken and the queue is full; retry after a second")
		return
	}
	body, ok := s.readReport(c)
	if !ok {
		return
	}

	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.RenderTimeout)
	defer cancel()
	release, ok := s.admit(c, ctx)
	if !ok {
		return
	}
	start := time.Now()
	res, err := render.Render(ctx, body, render.Options{
		Format: render.Format(format), ChecksWarn: warn, Fonts: s.fonts, Creator: "govreport " + s.cfg.Version, Page: page,
		DOCXFonts: docxFonts,
	})
	release()
	s.metrics.duration.WithLabelValues(format).Observe(time.Since(start).Seconds())

	if s.failed(c, err) {
		return
	}
	s.metrics.pages.WithLabelValues(format).Add(float64(res.Pages))

	sum := sha256.Sum256(res.Bytes)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	c.Header("ETag", etag)
	c.Header("X-Report-Pages", strconv.Itoa(res.Pages))
	if len(res.Warnings) > 0 {
		c.Header("X-Report-Warnings", strconv.Itoa(len(res.Warnings)))
	}
	c.Header("Content-Disposition", contentDisposition(res.Title, format))
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, mediaTypes[format], res.Bytes)
}

// admit waits for a render slot; when none comes it answers 503 and
// returns false.
func (s *Server) admit(c *gin.Context, ctx context.Context) (func(), bool) {
	release, waited, err := s.limit.acquire(ctx)
	s.metrics.queueWait.Observe(waited.Seconds())
	if errors.Is(err, context.Canceled) {
		c.Status(499) // the client went away while queued; nobody reads the answer
		c.Abort()
		return nil, false
	}
	if err != nil {
		if errors.Is(err, errQueueFull) {
			s.busy(c, "queue_full", "every render slot is taken and the queue is full; retry after a second")
		} else {
			s.busy(c, "timeout", fmt.Sprintf("no render slot came free within %s; retry after a second", s.cfg.RenderTimeout))
		}
		return nil, false
	}
	return release, true
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
