package server

import (
	"container/list"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// HTTP details a portal meets: CORS for pages that call the API from the
// browser, query parameters checked by name, and conditional exports.

// exposedHeaders are the answer's headers a page's script may read.
const exposedHeaders = "Content-Disposition, ETag, Retry-After, X-Report-Pages, X-Report-Warnings, X-Request-ID"

// withCORS answers the origins of Config.CORSOrigins (none by default): it
// names the origin in Access-Control-Allow-Origin on every answer to it,
// and answers a preflight (OPTIONS with Access-Control-Request-Method)
// itself with 204. A preflight from another origin is 403, so that the
// refusal is plain in the browser's console and the server's log.
func (s *Server) withCORS(c *gin.Context) {
	origin := c.GetHeader("Origin")
	preflight := c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != ""
	if origin == "" || !s.corsAllowed(origin) {
		if preflight && origin != "" {
			s.problem(c, http.StatusForbidden, "cors_origin", statusText(http.StatusForbidden),
				fmt.Sprintf("origin %q may not call this API from a browser (serve --cors-origin)", clip(origin, 200)), nil)
			return
		}
		c.Next()
		return
	}
	h := c.Writer.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	if preflight {
		h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST")
		h.Set("Access-Control-Allow-Headers", "Accept, Authorization, Content-Encoding, Content-Type, If-None-Match")
		h.Set("Access-Control-Max-Age", "600")
		c.AbortWithStatus(http.StatusNoContent)
		return
	}
	h.Set("Access-Control-Expose-Headers", exposedHeaders)
	c.Next()
}

func (s *Server) corsAllowed(origin string) bool {
	return slices.Contains(s.cfg.CORSOrigins, "*") || slices.Contains(s.cfg.CORSOrigins, origin)
}

// queryParams are the query parameters each route takes; any other is a
// mistake (?fromat=docx would otherwise give a PDF) and is answered 400.
var queryParams = map[string][]string{
	"/v1/reports/export":   {"checks", "docx_fonts", "draft", "format", "page"},
	"/v1/reports/validate": {"checks", "draft"},
	"/v1/reports/import":   {"format"},
}

// withKnownParams refuses a query parameter the route does not take,
// naming it and the nearest one it does take.
func (s *Server) withKnownParams(c *gin.Context) {
	known := queryParams[c.FullPath()]
	var unknown []string
	for name := range c.Request.URL.Query() {
		if !slices.Contains(known, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		c.Next()
		return
	}
	sort.Strings(unknown)
	name := unknown[0]
	detail := fmt.Sprintf("unknown query parameter %q", clip(name, 64))
	if near := nearest(name, known); near != "" {
		detail += fmt.Sprintf("; did you mean %q?", near)
	} else if len(known) > 0 {
		detail += "; parameters: " + strings.Join(known, ", ")
	} else {
		detail += "; this endpoint takes none"
	}
	s.problem(c, http.StatusBadRequest, "bad_parameter", statusText(http.StatusBadRequest), detail, nil)
}

// nearest is the word of words within two edits of w, or "".
func nearest(w string, words []string) string {
	best, bestD := "", 3
	for _, k := range words {
		if d := editDistance(w, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein (optimal string alignment)
// distance, so a swap of two letters (fromat) is one edit.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// etags remembers the ETag of recent exports by a hash of what made them
// (the body and the parameters), so that an export whose If-None-Match
// names it is answered 304 without rendering. It is an LRU of at most
// max entries: memory is bounded whatever the traffic.
type etags struct {
	mu    sync.Mutex
	max   int
	order *list.List // of etagEntry, most recent first
	byKey map[[32]byte]*list.Element
}

type etagEntry struct {
	key  [32]byte
	etag string
}

func newETags(max int) *etags {
	return &etags{max: max, order: list.New(), byKey: map[[32]byte]*list.Element{}}
}

// exportKey hashes what an export's file depends on: the report's bytes
// and the query (its parameters, sorted), with the negotiated format.
func exportKey(body []byte, format string, q url.Values) [32]byte {
	h := sha256.New()
	h.Write(body)
	fmt.Fprintf(h, "\x00%s\x00%s", format, q.Encode())
	var k [32]byte
	h.Sum(k[:0])
	return k
}

func (e *etags) get(k [32]byte) (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	el, ok := e.byKey[k]
	if !ok {
		return "", false
	}
	e.order.MoveToFront(el)
	return el.Value.(etagEntry).etag, true
}

func (e *etags) put(k [32]byte, etag string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if el, ok := e.byKey[k]; ok {
		el.Value = etagEntry{k, etag}
		e.order.MoveToFront(el)
		return
	}
	e.byKey[k] = e.order.PushFront(etagEntry{k, etag})
	for e.order.Len() > e.max {
		last := e.order.Back()
		delete(e.byKey, last.Value.(etagEntry).key)
		e.order.Remove(last)
	}
}

// matches reports whether an If-None-Match field names etag (or is *),
// comparing weakly as RFC 9110 13.1.2 says.
func matches(ifNoneMatch, etag string) bool {
	for _, t := range strings.Split(ifNoneMatch, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}
