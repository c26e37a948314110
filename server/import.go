package server

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/govreport/govreport/importer"
)

// importKinds are the media types POST /v1/reports/import reads, each
// with its source kind.
var importKinds = map[string]importer.Kind{
	"text/html":             importer.KindHTML,
	"application/xhtml+xml": importer.KindHTML,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": importer.KindDOCX,
	"application/pdf":  importer.KindPDF,
	"application/json": importer.KindJSON,
}

// importReport reads a published report (the body: a portal's page, a
// Word file, a text PDF) back into report JSON: {format, valid, report,
// problems}. It is admitted as an export is (the same body limit, token
// and render slots); a file the readers cannot read at all is 422, a
// report read with problems is 200 with valid false and the problems, each
// naming where in the document it was found.
func (s *Server) importReport(c *gin.Context) {
	if s.refuseDraining(c) {
		return
	}
	ct := c.GetHeader("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	kind, known := importKinds[mt]
	if err != nil || !known {
		s.reject(c, http.StatusUnsupportedMediaType, "unsupported_media_type", statusText(http.StatusUnsupportedMediaType),
			fmt.Sprintf("send the published report as text/html, application/vnd.openxmlformats-officedocument.wordprocessingml.document (DOCX) or application/pdf, not %q", ct))
		return
	}
	if !importer.Registered(kind) {
		s.reject(c, http.StatusUnsupportedMediaType, "unsupported_media_type", statusText(http.StatusUnsupportedMediaType),
			fmt.Sprintf("this server has no %s reader; send the report as HTML or DOCX", strings.ToUpper(string(kind))))
		return
	}
	format := c.Query("format")
	enc := strings.ToLower(strings.TrimSpace(c.GetHeader("Content-Encoding")))
	switch enc {
	case "", "identity", "gzip", "x-gzip":
	default:
		s.reject(c, http.StatusUnsupportedMediaType, "unsupported_media_type", statusText(http.StatusUnsupportedMediaType),
			fmt.Sprintf("Content-Encoding %q is not supported; send the file uncompressed or gzip", enc))
		return
	}
	if c.Request.ContentLength > s.cfg.BodyLimit {
		s.tooLarge(c)
		return
	}
	t, err := s.limit.enter()
	if err != nil {
		s.busy(c, "queue_full", "every render slot is taken and the queue is full; retry after a second")
		return
	}
	defer t.release()
	body, err := s.readBody(c, enc, nil)
	s.extendDeadlines(c)
	if err != nil {
		t.release()
		s.readFailed(c, err)
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.RenderTimeout)
	defer cancel()
	if !s.admit(c, ctx, t) {
		return
	}
	res, err := importer.Import(ctx, body, importer.Options{Kind: kind, Format: format})
	t.release()
	switch {
	case err == nil:
	case errors.Is(err, context.DeadlineExceeded):
		s.problem(c, http.StatusGatewayTimeout, "timeout", statusText(http.StatusGatewayTimeout),
			fmt.Sprintf("the import took longer than %s", s.cfg.RenderTimeout), nil)
		return
	case errors.Is(err, context.Canceled):
		c.Status(499)
		c.Abort()
		return
	case strings.Contains(err.Error(), "unknown format"):
		s.problem(c, http.StatusBadRequest, "bad_parameter", statusText(http.StatusBadRequest), err.Error(), nil)
		return
	default:
		// The readers' errors name what they could not read: a zip that
		// is not a Word file, a page beyond the limits, a scanned PDF.
		s.problem(c, http.StatusUnprocessableEntity, "unreadable", statusText(http.StatusUnprocessableEntity), err.Error(), nil)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, res.Answer())
}
