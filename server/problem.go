package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/govreport/govreport/report"
)

// Problem is an RFC 9457 problem detail, with every problem of the report
// listed in problems.
type Problem struct {
	Type     string           `json:"type"`
	Title    string           `json:"title"`
	Status   int              `json:"status"`
	Detail   string           `json:"detail,omitempty"`
	Instance string           `json:"instance,omitempty"` // the request id
	Problems []report.Problem `json:"problems,omitempty"`
	// ProblemsOmitted counts the problems found beyond the first
	// report.MaxProblems, or beyond those that fit in maxProblemBytes,
	// which are not listed.
	ProblemsOmitted int `json:"problems_omitted,omitempty"`
}

// typeBase is the start of every problem type, a stable URI naming the
// error class (urn:govreport:problem:invalid_report).
const typeBase = "urn:govreport:problem:"

// maxProblemBytes bounds a problem answer, whatever the input echoed in
// it: a body of hostile keys must not become an answer many times its size
// (a 2 MB body of long unknown keys once answered 48 MB).
const maxProblemBytes = 64 << 10

// maxEchoBytes bounds each string of a problem answer: the detail and
// each problem's pointer and messages (the longest the checks write, a
// derived-check message naming several rules, is under 1 KiB). A problem
// still larger than maxProblemBytes/4 encoded (an escape takes up to six
// bytes a byte) has its strings shortened to minEchoBytes.
const (
	maxEchoBytes = 4 << 10
	minEchoBytes = 512
)

// problem writes a problem+json response and ends the request.
func (s *Server) problem(c *gin.Context, status int, kind, title, detail string, probs []report.Problem, omitted ...int) {
	s.writeProblem(c, status, s.problemBody(c, status, kind, title, detail, probs, omitted...))
}

// problemBody builds a problem answer of at most maxProblemBytes.
func (s *Server) problemBody(c *gin.Context, status int, kind, title, detail string, probs []report.Problem, omitted ...int) []byte {
	p := Problem{
		Type: typeBase + kind, Title: title, Status: status, Detail: detail,
		Instance: requestID(c), Problems: probs,
	}
	if len(omitted) > 0 {
		p.ProblemsOmitted = omitted[0]
	}
	return p.encode(maxProblemBytes)
}

// encode marshals p in at most limit bytes: its strings are shortened
// with an ellipsis, and the problems that do not fit are left out and
// counted in ProblemsOmitted. Each problem is encoded once, so the cost
// is linear in what is listed.
func (p Problem) encode(limit int) []byte {
	p.Detail = clip(p.Detail, maxEchoBytes)
	all := p.Problems
	p.Problems = nil
	// An upper bound of the answer without its problems: the envelope,
	// the array's brackets and the omitted count's field.
	size := len(marshal(p)) + len(`,"problems":[]`) + len(`,"problems_omitted":`) + 20
	listed := make([]report.Problem, 0, len(all))
	for _, q := range all {
		q = clipProblem(q, maxEchoBytes)
		n := len(marshal(q))
		if n > limit/4 {
			q = clipProblem(q, minEchoBytes)
			n = len(marshal(q))
		}
		if size+n+1 > limit { // +1: the comma
			break
		}
		size += n + 1
		listed = append(listed, q)
	}
	p.Problems = listed
	p.ProblemsOmitted += len(all) - len(listed)
	return marshal(p)
}

// clipProblem shortens q's strings to n bytes.
func clipProblem(q report.Problem, n int) report.Problem {
	q.Pointer = clip(q.Pointer, n)
	q.Message = clip(q.Message, n)
	q.MessageZh = clip(q.MessageZh, n)
	if len(q.Breaks) > 0 {
		breaks := make([]string, len(q.Breaks))
		for i, b := range q.Breaks {
			breaks[i] = clip(b, n)
		}
		q.Breaks = breaks
	}
	return q
}

// marshal is json.Marshal without HTML escaping: an echoed < is one byte,
// not six.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // cannot happen for these types
		return []byte(`{"type":"about:blank","status":500}`)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// clip shortens s to at most n bytes, cut at a character boundary and
// ended with an ellipsis.
func clip(s string, n int) string {
	const ellipsis = "…"
	if len(s) <= n {
		return s
	}
	cut := n - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}

// writeProblem writes a problem answer built by problemBody and ends the
// request.
func (s *Server) writeProblem(c *gin.Context, status int, body []byte) {
	c.Header("Content-Type", "application/problem+json")
	c.Header("Content-Length", strconv.Itoa(len(body)))
	c.Status(status)
	c.Writer.Write(body)
	c.Abort()
}

// reject counts a refusal and answers with a problem.
func (s *Server) reject(c *gin.Context, status int, reason, title, detail string) {
	s.metrics.rejections.WithLabelValues(reason).Inc()
	s.problem(c, status, reason, title, detail, nil)
}

func statusText(code int) string { return http.StatusText(code) }
