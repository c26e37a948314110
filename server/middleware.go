package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

const requestIDHeader = "X-Request-ID"

// goodRequestID admits a client's request id only if it is short and
// plain, so it can go into logs and headers as is.
var goodRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

func requestID(c *gin.Context) string { return c.GetString("request_id") }

// withRequestID takes the client's X-Request-ID or makes one, and echoes it.
func (s *Server) withRequestID(c *gin.Context) {
	id := c.GetHeader(requestIDHeader)
	if !goodRequestID.MatchString(id) {
		var b [8]byte
		rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Set("request_id", id)
	c.Header(requestIDHeader, id)
	c.Next()
}

// withLog writes one JSON line per request.
func (s *Server) withLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	format := c.GetString("format")
	s.metrics.requests.WithLabelValues(route, format, strconv.Itoa(status)).Inc()
	// A 503 (load shed, draining) or 504 (render timeout) is the service
	// protecting itself, a warning; any other 5xx is a bug.
	level := slog.LevelInfo
	switch {
	case status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout:
		level = slog.LevelWarn
	case status >= 500:
		level = slog.LevelError
	}
	s.log.LogAttrs(c.Request.Context(), level, "request",
		slog.String("id", requestID(c)),
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.String("format", format),
		slog.Int("status", status),
		slog.Int("bytes", max(c.Writer.Size(), 0)),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		slog.String("remote", c.ClientIP()),
	)
}

// withRecovery turns a panic into a 500 problem that says nothing of the
// internals; the log line has the stack and the request id.
func (s *Server) withRecovery(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic", "id", requestID(c), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				s.problem(c, http.StatusInternalServerError, "internal", statusText(http.StatusInternalServerError),
					"an internal error occurred; quote the request id "+requestID(c), nil)
			}
		}
	}()
	c.Next()
}

// withAuth requires a bearer token when tokens are configured.
func (s *Server) withAuth(c *gin.Context) {
	if len(s.cfg.Tokens) == 0 {
		c.Next()
		return
	}
	// The scheme is case-insensitive (RFC 9110 11.1): bearer, Bearer, BEARER.
	scheme, given, ok := strings.Cut(strings.TrimSpace(c.GetHeader("Authorization")), " ")
	if ok && strings.EqualFold(scheme, "Bearer") {
		for _, t := range s.cfg.Tokens {
			if subtle.ConstantTimeCompare([]byte(strings.TrimSpace(given)), []byte(t)) == 1 {
				c.Next()
				return
			}
		}
	}
	c.Header("WWW-Authenticate", `Bearer realm="govreport"`)
	s.reject(c, http.StatusUnauthorized, "unauthorized", statusText(http.StatusUnauthorized), "a valid bearer token is required")
}

// errWriter sends the default logger to standard error.
type errWriter struct{}

func (errWriter) Write(p []byte) (int, error) { return os.Stderr.Write(p) }
