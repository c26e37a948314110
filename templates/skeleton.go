package templates

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/govreport/govreport/report"
)

// SkeletonOptions fill the fields a clerk knows before writing: the agency
// and the year. Zero values take the defaults Skeleton documents.
type SkeletonOptions struct {
	Agency string
	Year   int
	// Now picks the default year; zero means time.Now.
	Now time.Time
}

// Skeleton returns a report in this format that passes every check: every
// table cell 0 (totals included, so the clerk sees them), every required
// text the placeholder the format file gives (a field's "skeleton"), the
// signature dated 20 January of the next year. Optional fields without a
// placeholder are left out. {agency} and {year} in a placeholder are
// replaced. The agency defaults to a placeholder, the year to last year
// (the report written at the start of a year) within the format's years.
func (f *Format) Skeleton(opt SkeletonOptions) ([]byte, error) {
	if opt.Agency == "" {
		opt.Agency = f.Placeholders.Agency
	}
	if opt.Year == 0 {
		if opt.Now.IsZero() {
			opt.Now = time.Now()
		}
		opt.Year = max(opt.Now.Year()-1, f.Years.From)
		if f.Years.Until != 0 {
			opt.Year = min(opt.Year, f.Years.Until)
		}
	}
	s := &skeleton{f: f, opt: opt}
	s.object(f.Root(), 0)
	s.buf.WriteByte('\n')
	if s.err != nil {
		return nil, s.err
	}
	return s.buf.Bytes(), nil
}

type skeleton struct {
	f   *Format
	opt SkeletonOptions
	buf bytes.Buffer
	err error
}

// object writes an object node's fields; a row of cells goes on one line.
func (s *skeleton) object(n *report.Node, depth int) {
	var fields []report.Field
	for _, fl := range n.Fields {
		if fl.Required || fl.Computed || fl.Node.Skeleton != nil || s.wanted(fl.Node) {
			fields = append(fields, fl)
		}
	}
	oneLine := true
	for _, fl := range fields {
		oneLine = oneLine && fl.Node.IsCell()
	}
	indent := strings.Repeat("  ", depth+1)
	s.buf.WriteByte('{')
	for i, fl := range fields {
		if i > 0 {
			s.buf.WriteByte(',')
			if oneLine {
				s.buf.WriteByte(' ')
			}
		}
		if !oneLine {
			s.buf.WriteString("\n" + indent)
		}
		s.value(fl.Name, fl.Node, depth+1)
	}
	if !oneLine && len(fields) > 0 {
		s.buf.WriteString("\n" + strings.Repeat("  ", depth))
	}
	s.buf.WriteByte('}')
}

// wanted reports whether an optional object holds a required value (the
// signature's date): then it is written.
func (s *skeleton) wanted(n *report.Node) bool {
	for _, fl := range n.Fields {
		if fl.Required || fl.Node.Skeleton != nil || s.wanted(fl.Node) {
			return true
		}
	}
	return false
}

func (s *skeleton) value(name string, n *report.Node, depth int) {
	s.buf.Write(marshal(name))
	s.buf.WriteString(": ")
	var v any
	switch {
	case n.Skeleton != nil:
		// The placeholder is JSON and {agency} stands inside one of its
		// strings: the agency goes in escaped, so a quote or a backslash in
		// it stays text.
		agency := marshal(s.opt.Agency)
		text := strings.NewReplacer("{agency}", string(agency[1:len(agency)-1]), "{year}", fmt.Sprint(s.opt.Year)).Replace(string(n.Skeleton))
		var buf bytes.Buffer
		if err := json.Indent(&buf, []byte(text), strings.Repeat("  ", depth), "  "); err != nil {
			s.err = fmt.Errorf("templates: %s: the skeleton of %q: %w", s.f.ID, name, err)
			return
		}
		s.buf.Write(buf.Bytes())
		return
	case n.Kind == report.KindObject:
		s.object(n, depth)
		return
	case n.IsCell():
		v = 0
	case n.Kind == report.KindFormat:
		v = s.f.ID
	case n.Kind == report.KindYear:
		v = s.opt.Year
	case n.Kind == report.KindDate:
		v = fmt.Sprintf("%04d-01-20", s.opt.Year+1)
	case n.Kind == report.KindString && n.Role == "agency":
		v = s.opt.Agency
	default:
		s.err = fmt.Errorf("templates: %s: the field %q is required but has no skeleton", s.f.ID, name)
		return
	}
	s.buf.Write(marshal(v))
}

// marshal is json.Marshal without HTML escaping: the clerk edits the file,
// and 某<&>局 should read as written, not as \u003c\u0026\u003e.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v) // cannot fail for a string or a number
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
