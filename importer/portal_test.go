package importer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"strings"
	"testing"

	"github.com/govreport/govreport/importer"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/render"
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

// portalPage writes a report as a portal's article page would show it:
// navigation above, the title in an <h1>, paragraphs as <p> indented with
// ideographic spaces, tables with rowspan and colspan, the signature right
// aligned, a footer below.
func portalPage(t testing.TB, r *report.Report) string {
	t.Helper()
	f, err := templates.Lookup(r.Format.ID)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := f.Build(r, templates.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
	b.WriteString(html.EscapeString(r.Title))
	b.WriteString("</title><script>var x = '<p>not text</p>';</script></head><body>\n")
	b.WriteString("<div class=\"nav\">当前位置：首页 &gt; 政务公开 &gt; 年度报告</div>\n<div class=\"article\">\n")
	for _, bl := range doc.Blocks {
		switch bl := bl.(type) {
		case *layout.Title:
			fmt.Fprintf(&b, "<h1 style=\"text-align:center\">%s</h1>\n<div class=\"info\">发布时间：%s 来源：%s</div>\n", html.EscapeString(bl.Text), r.Signature.Date, html.EscapeString(r.Agency))
		case *layout.Heading:
			fmt.Fprintf(&b, "<p style=\"text-indent:2em\"><strong>%s</strong></p>\n", html.EscapeString(bl.Text))
		case *layout.Paragraph:
			b.WriteString("<p>　　")
			for _, run := range bl.Runs {
				b.WriteString(html.EscapeString(run.Text))
			}
			b.WriteString("</p>\n")
		case *layout.Table:
			b.WriteString("<table border=\"1\">\n<tbody>\n")
			row := -1
			for _, c := range bl.Cells {
				if c.Row != row {
					if row >= 0 {
						b.WriteString("</tr>\n")
					}
					for row++; row < c.Row; row++ {
						b.WriteString("<tr></tr>\n")
					}
					b.WriteString("<tr>")
				}
				b.WriteString("<td")
				if c.ColSpan > 1 {
					fmt.Fprintf(&b, " colspan=\"%d\"", c.ColSpan)
				}
				if c.RowSpan > 1 {
					fmt.Fprintf(&b, " rowspan=\"%d\"", c.RowSpan)
				}
				b.WriteString(">")
				// the label's words on lines of their own, as a page
				// wraps them
				text := []rune(c.Text)
				last := 0
				for _, k := range c.Breaks {
					if k > last && k < len(text) {
						b.WriteString(html.EscapeString(string(text[last:k])) + "<br>\n")
						last = k
					}
				}
				b.WriteString(html.EscapeString(string(text[last:])))
				b.WriteString("</td>")
			}
			b.WriteString("</tr>\n</tbody>\n</table>\n")
		case *layout.Signature:
			fmt.Fprintf(&b, "<p style=\"text-align:right\">%s</p>\n<p align=\"right\">%s</p>\n", html.EscapeString(bl.Agency), bl.Date)
		}
	}
	b.WriteString("</div>\n<div class=\"footer\">主办单位：某市人民政府办公室</div>\n</body></html>\n")
	return b.String()
}

// TestRoundTripHTML writes every report as a portal page and imports it
// back.
func TestRoundTripHTML(t *testing.T) {
	ctx := context.Background()
	for _, path := range validReports(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p, err := render.Prepare(ctx, data, render.PrepareOptions{})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		t.Run(path, func(t *testing.T) {
			page := portalPage(t, p.Report)
			res, err := importer.Import(ctx, []byte(page), importer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var probs []importer.Problem
			for _, pr := range res.Problems {
				// the page's navigation and footer, skipped
				if pr.Code != importer.CodeSkipped {
					probs = append(probs, pr)
				}
			}
			res.Problems = probs
			checkRoundTrip(t, p.Report, res, printed(t, p.Report))
		})
	}
}

// TestChecksWarn: a page whose 表四 总计 disagrees with its parts is an
// error at that cell, or with ChecksWarn a warning beside the decoded
// report (what an audit reads).
func TestChecksWarn(t *testing.T) {
	ctx := context.Background()
	data, err := os.ReadFile("../testdata/reports/yongxing-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	m["reviews_and_litigation"].(map[string]any)["administrative_review"].(map[string]any)["total"] = 999
	data, _ = json.Marshal(m)
	p, err := render.Prepare(ctx, data, render.PrepareOptions{ChecksWarn: true})
	if err != nil {
		t.Fatal(err)
	}
	page := []byte(portalPage(t, p.Report))
	find := func(res *importer.Result) *importer.Problem {
		for i, p := range res.Problems {
			if p.Code == "check" && p.Pointer == "/reviews_and_litigation/administrative_review/total" {
				return &res.Problems[i]
			}
		}
		return nil
	}
	strict, err := importer.Import(ctx, page, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p := find(strict); p == nil || p.Severity != importer.SeverityError || strict.Report != nil {
		t.Errorf("strict: %+v, report %v", p, strict.Report != nil)
	}
	warn, err := importer.Import(ctx, page, importer.Options{ChecksWarn: true})
	if err != nil {
		t.Fatal(err)
	}
	if p := find(warn); p == nil || p.Severity != importer.SeverityWarning || warn.Report == nil {
		t.Errorf("warn: %+v, report %v", p, warn.Report != nil)
	}
}
