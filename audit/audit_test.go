package audit

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govreport/govreport/importer"
	"github.com/govreport/govreport/render"

	_ "github.com/govreport/govreport/fonts/faces" // the faces TestPublished renders with
	"github.com/govreport/govreport/report"
	"github.com/govreport/govreport/templates"
)

func audit(t testing.TB, path string) *Result {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Audit(context.Background(), data, Options{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return res
}

// want is one expected finding; sentence, stated and table only for
// text_table.
type want struct {
	severity, code, pointer string
	sentence                string
	cells                   string
	stated, table           int64
}

// TestFixtures: reports whose tables or prose are wrong give exactly the
// findings listed, errors first.
func TestFixtures(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []want
	}{
		{"table4-total.json", []want{
			{severity: "error", code: "check", pointer: "/reviews_and_litigation/administrative_review/total"},
			{severity: "error", code: CodeTextTable, pointer: "/problems/0/paragraphs/2",
				sentence: "三是依申请公开办理质量有待提升，全年发生政府信息公开行政复议5件、行政诉讼4件，其中1件行政复议结果被纠正，反映出个别单位在答复规范性方面仍有不足。",
				cells:    "/reviews_and_litigation/administrative_review/total", stated: 5, table: 0},
		}},
		{"new-requests.json", []want{
			{severity: "error", code: CodeTextTable, pointer: "/overview/1/paragraphs/0",
				sentence: "截至12月31日，我鄉收到依申請公開政府信息的申請2件，均已按時答覆。",
				cells:    "/applications/new_requests/total", stated: 2, table: 3},
		}},
		// A 2022 report in the 2019 format (its 表二 the 2019 one): a
		// warning at the year, its prose agreeing with its tables.
		{"table2-2019.json", []want{
			{severity: "warning", code: "stale_format", pointer: "/year"},
		}},
		{"carry.json", []want{
			{severity: "error", code: CodeTextTable, pointer: "/overview/1/paragraphs/0",
				sentence: "2023年，区人民政府本级新收政府信息公开申请153件，上年结转十三件。",
				cells:    "/applications/carried_over/total", stated: 13, table: 12},
			{severity: "error", code: CodeTextTable, pointer: "/overview/1/paragraphs/0",
				sentence: "全年办结155件，其中予以公开69件，部分公开16件，不予公开24件，无法提供33件，不予处理9件，其他处理4件；结转下年度继续办理9件。",
				cells:    "/applications/carried_forward/total", stated: 9, table: 10},
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			res := audit(t, filepath.Join("testdata", tc.file))
			checkFindings(t, res.Findings, tc.want)
		})
	}
}

func checkFindings(t *testing.T, got []Finding, want []want) {
	t.Helper()
	if len(got) != len(want) {
		for _, f := range got {
			t.Logf("got %s: %s", f.Severity, f.Problem.Problem)
		}
		t.Fatalf("%d findings, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Severity != w.severity || g.Code != w.code || g.Pointer != w.pointer {
			t.Errorf("finding %d: %s %s at %s, want %s %s at %s", i, g.Severity, g.Code, g.Pointer, w.severity, w.code, w.pointer)
		}
		if w.code != CodeTextTable {
			if g.Text != nil {
				t.Errorf("finding %d: text %+v on a %s finding", i, g.Text, g.Code)
			}
			continue
		}
		if g.Text == nil {
			t.Fatalf("finding %d: no text", i)
		}
		if g.Text.Sentence != w.sentence || strings.Join(g.Text.Cells, " + ") != w.cells || g.Text.Stated != w.stated || g.Text.Table != w.table {
			t.Errorf("finding %d: %+v\nwant sentence %q cells %s stated %d table %d", i, *g.Text, w.sentence, w.cells, w.stated, w.table)
		}
		for _, msg := range []string{g.Message, g.MessageZh} {
			if !strings.Contains(msg, w.cells) {
				t.Errorf("finding %d: message %q does not name %s", i, msg, w.cells)
			}
		}
	}
}

// TestTestdataReports: the valid reports of testdata/reports have no
// errors and no text findings (their warnings are the decoder's: cells
// given as null) — but one, whose prose says 结转下年度继续办理4件 of a
// table that carries 3 forward: the audit found it there.
func TestTestdataReports(t *testing.T) {
	files, err := filepath.Glob("../testdata/reports/*.json")
	if err != nil || len(files) < 10 {
		t.Fatalf("%d reports, %v", len(files), err)
	}
	known := map[string][]want{
		"qinghe-county-2020.json": {{severity: "error", code: CodeTextTable, pointer: "/overview/1/paragraphs/0",
			sentence: "全年新收政府信息公开申请51件，上年结转4件，均在法定期限内答复，结转下年度继续办理4件。",
			cells:    "/applications/carried_forward/total", stated: 4, table: 3}},
	}
	n := 0
	for _, f := range files {
		name := filepath.Base(f)
		if strings.HasPrefix(name, "invalid-") {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			data, _ := os.ReadFile(f)
			r, _, err := templates.Decode(data, report.Options{})
			if err != nil {
				t.Fatal(err)
			}
			res := audit(t, f)
			if res.Agency != r.Agency || res.Year != r.Year || res.Format != r.Format.ID {
				t.Errorf("agency %q year %d format %q, want %q %d %q", res.Agency, res.Year, res.Format, r.Agency, r.Year, r.Format.ID)
			}
			if w, ok := known[name]; ok {
				checkFindings(t, res.Findings, w)
				return
			}
			if len(res.Findings) != len(r.Warnings) {
				for _, f := range res.Findings {
					t.Logf("%s: %s", f.Severity, f.Problem.Problem)
				}
				t.Fatalf("%d findings, want the decoder's %d warnings", len(res.Findings), len(r.Warnings))
			}
			for i, f := range res.Findings {
				if f.Severity != importer.SeverityWarning || f.Problem.Problem.Pointer != r.Warnings[i].Pointer {
					t.Errorf("finding %d: %s %s, want the warning %s", i, f.Severity, f.Problem.Problem, r.Warnings[i])
				}
			}
		})
	}
	if n < 8 {
		t.Errorf("only %d valid reports", n)
	}
}

// TestEveryProblem: an invalid report lists every problem the decoder
// finds, not the first; one whose checks fail is still read for its prose.
func TestEveryProblem(t *testing.T) {
	for _, name := range []string{"invalid-stale-format.json", "invalid-check-outcomes-total.json", "invalid-heading-block.json"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("../testdata/reports", name)
			data, _ := os.ReadFile(path)
			_, _, err := templates.Decode(data, report.Options{})
			var re *report.Error
			if !errors.As(err, &re) {
				t.Fatalf("decode: %v", err)
			}
			res := audit(t, path)
			if res.Errors() != len(re.Problems) || res.Errors() < 1 {
				t.Fatalf("%d errors, the decoder has %d", res.Errors(), len(re.Problems))
			}
			for i, p := range re.Problems {
				if got := res.Findings[i].Problem.Problem; got.Pointer != p.Pointer || got.Code != p.Code {
					t.Errorf("finding %d: %s, want %s", i, got, p)
				}
			}
			if first := res.FirstError(); first == nil || first.Pointer != re.Problems[0].Pointer {
				t.Errorf("first error %v", first)
			}
		})
	}
	// A failed check does not keep the prose from being compared.
	res := audit(t, "../testdata/reports/invalid-check-outcomes-total.json")
	if res.Agency == "" || res.Year == 0 {
		t.Errorf("a report whose checks fail was not read: agency %q year %d", res.Agency, res.Year)
	}
}

// TestUnreadable: what the importer cannot read is an error, not a
// finding.
func TestUnreadable(t *testing.T) {
	for _, data := range []string{"", "hello", "[1, 2]"} {
		if res, err := Audit(context.Background(), []byte(data), Options{}); err == nil {
			t.Errorf("%q: no error, %+v", data, res)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Audit(ctx, []byte(`{}`), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// BenchmarkAudit audits the seed report (永兴傣族乡, the report of
// /work/shared/seed as JSON: testdata/reports/yongxing-2024.json).
func BenchmarkAudit(b *testing.B) {
	data, err := os.ReadFile("../testdata/reports/yongxing-2024.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Audit(context.Background(), data, Options{})
		if err != nil || res.Errors() != 0 {
			b.Fatal(err, res.Findings)
		}
	}
}

// BenchmarkScan scans the longest paragraphs of the test reports.
func BenchmarkScan(b *testing.B) {
	data, err := os.ReadFile("../testdata/reports/long-county-2022.json")
	if err != nil {
		b.Fatal(err)
	}
	r, _, err := templates.Decode(data, report.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var paras []string
	for _, ptr := range textPointers(r) {
		for _, bl := range r.Blocks(ptr) {
			paras = append(paras, bl.Paragraphs...)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paras {
			Scan(p)
		}
	}
}

// TestPublished: the reports of TestFixtures whose prose contradicts their
// tables, published as PDF and as DOCX (rendered here) and read back by the
// importer, give the same findings as their JSON; the importer's own
// findings on a portal page (a 2019 表二 in a 2021 report, text in a count)
// are the audit's too.
func TestPublished(t *testing.T) {
	ctx := context.Background()
	for _, file := range []string{"new-requests.json", "carry.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		fromJSON, err := Audit(ctx, data, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(findingLines(fromJSON.Findings), CodeTextTable) {
			t.Fatalf("%s: no text_table finding to compare", file)
		}
		p, err := render.Prepare(ctx, data, render.PrepareOptions{})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, format := range []render.Format{render.PDF, render.DOCX} {
			t.Run(file+"/"+string(format), func(t *testing.T) {
				var buf bytes.Buffer
				if err := p.WriteTo(ctx, &buf, render.WriteOptions{Format: format}); err != nil {
					t.Fatal(err)
				}
				res, err := Audit(ctx, buf.Bytes(), Options{})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := findingLines(res.Findings), findingLines(fromJSON.Findings); got != want {
					t.Errorf("findings of the %s:\n%s\nwant (the JSON's):\n%s", format, got, want)
				}
			})
		}
	}
	for _, tc := range []struct {
		file string
		want []string // severity code pointer, each among the findings
	}{
		{"mixed-2019-table2.html", []string{"warning table_format /proactive_disclosure"}},
		{"portal-2021-gb2312.html", []string{"error cell_text /reviews_and_litigation/administrative_review/upheld"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			res := audit(t, filepath.Join("..", "importer", "testdata", tc.file))
			got := findingLines(res.Findings)
			for _, w := range tc.want {
				if !strings.Contains(got, w+"\n") {
					t.Errorf("no finding %q among:\n%s", w, got)
				}
			}
		})
	}
}

// findingLines lists findings one a line: severity, code, pointer and,
// for text_table, the sentence.
func findingLines(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Severity + " " + f.Code + " " + f.Pointer)
		if f.Text != nil {
			b.WriteString(" «" + f.Text.Sentence + "»")
		}
		b.WriteString("\n")
	}
	return b.String()
}
