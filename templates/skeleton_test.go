package templates

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/report"
)

// TestSkeleton: each format's skeleton passes every check, with every cell
// given and 0, the year defaulting to last year within the format's years.
func TestSkeleton(t *testing.T) {
	all, err := Formats()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	for _, f := range all {
		b, err := f.Skeleton(SkeletonOptions{Agency: "某某局", Now: now})
		if err != nil {
			t.Fatalf("%s: %v", f.ID, err)
		}
		r, rf, err := Decode(b, report.Options{Now: now})
		if err != nil {
			t.Fatalf("%s: the skeleton fails: %v\n%s", f.ID, err, b)
		}
		if rf != f || r.Agency != "某某局" || len(r.Warnings) != 0 {
			t.Errorf("%s: format %s, agency %q, warnings %v", f.ID, rf.ID, r.Agency, r.Warnings)
		}
		want := 2025
		if f.Years.Until != 0 {
			want = f.Years.Until
		}
		if r.Year != want {
			t.Errorf("%s: year %d, want %d", f.ID, r.Year, want)
		}
		for _, p := range f.CellPointers() {
			if v, ok := r.Cell(p); !ok || v.Int != 0 || v.Computed || v.Null {
				t.Errorf("%s: cell %s = %+v, want a given 0", f.ID, p, v)
			}
		}
		if !bytes.Contains(b, []byte("统计期限自"+strconv.Itoa(want)+"年1月1日")) {
			t.Errorf("%s: {year} not replaced in the preamble", f.ID)
		}
	}
}

// TestSkeletonAgencyEscaped: {agency} in a placeholder is replaced inside
// a JSON string, so an agency with a quote or a backslash stays one string
// instead of breaking the skeleton or adding keys to it.
func TestSkeletonAgencyEscaped(t *testing.T) {
	data, err := formatFiles.ReadFile("formats/gov-info-disclosure-2021.json")
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte(`"skeleton": ["本报告根据`), []byte(`"skeleton": ["{agency}本报告根据`), 1)
	rf, err := report.ParseFormat(data)
	if err != nil {
		t.Fatal(err)
	}
	f := &Format{rf}
	for _, agency := range []string{`某"局`, `某\局`, `某局", "extra": "x`, "某<&>局"} {
		b, err := f.Skeleton(SkeletonOptions{Agency: agency, Year: 2024})
		if err != nil {
			t.Errorf("agency %q: %v", agency, err)
			continue
		}
		if bytes.Contains(b, []byte(`\u00`)) {
			t.Errorf("agency %q: escaped more than JSON needs: %.200s", agency, b)
		}
		var doc struct {
			Preamble []string `json:"preamble"`
			Extra    any      `json:"extra"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Errorf("agency %q: %v", agency, err)
			continue
		}
		if len(doc.Preamble) != 1 || !strings.HasPrefix(doc.Preamble[0], agency+"本报告根据") || doc.Extra != nil {
			t.Errorf("agency %q: preamble %q, extra %v", agency, doc.Preamble, doc.Extra)
		}
	}
}
