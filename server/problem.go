package server

import (
	"encoding/json"
	"net/http"
	"strconv"

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
	// report.MaxProblems, which are not listed.
	ProblemsOmitted int `json:"problems_omitted,omitempty"`
}

// problemTypes names each error class by a stable URI.
const typeBase = "urn:govreport:problem:"

// problem writes a problem+json response and ends the request.
func (s *Server) problem(c *gin.Context, status int, kind, title, detail string, probs []report.Problem, omitted ...int) {
	p := Problem{
		Type: typeBase + kind, Title: title, Status: status, Detail: detail,
		Instance: requestID(c), Problems: probs,
	}
	if len(omitted) > 0 {
		p.ProblemsOmitted = omitted[0]
	}
	body, err := json.Marshal(p)
	if err != nil { // cannot happen for these types
		body = []byte(`{"type":"about:blank","status":500}`)
	}
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
