package templates

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/report"
)

// TestSkeleton: each format's skeleton passes every check as a draft, with
// every cell given and 0, the year defaulting to last year within the
// format's years; its placeholders are each a problem when it is not a
// draft, and warnings when it is.
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
		placeholders := strings.Count(string(b), `"（请填写`) + strings.Count(string(b), "（请补充")
		if placeholders == 0 {
			t.Fatalf("%s: no placeholder in the skeleton", f.ID)
		}
		_, _, err = Decode(b, report.Options{Now: now})
		var perr *report.Error
		if !errors.As(err, &perr) || perr.Total() != placeholders {
			t.Fatalf("%s: decoding the skeleton gives %v; want its %d placeholders", f.ID, err, placeholders)
		}
		for _, p := range perr.Problems {
			if p.Code != "placeholder" {
				t.Errorf("%s: %v", f.ID, p)
			}
		}
		r, rf, err := Decode(b, report.Options{Now: now, Draft: true})
		if err != nil {
			t.Fatalf("%s: the skeleton fails as a draft: %v\n%s", f.ID, err, b)
		}
		if rf != f || r.Agency != "某某局" || len(r.Warnings) != placeholders {
			t.Errorf("%s: format %s, agency %q, warnings %v", f.ID, rf.ID, r.Agency, r.Warnings)
		}
		for _, w := range r.Warnings {
			if w.Code != "placeholder" {
				t.Errorf("%s: warning %v", f.ID, w)
			}
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

// TestSkeletonAgencyPlaceholder: without --agency the skeleton names the
// format's agency placeholder, which is a problem at /agency (and at the
// signature's agency and title if a clerk copies it there).
func TestSkeletonAgencyPlaceholder(t *testing.T) {
	f, err := Lookup("gov-info-disclosure/2021")
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Skeleton(SkeletonOptions{Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Replace(b, []byte(`"signature": {`), []byte(`"signature": {"agency": "（机关名称）办公室",`), 1)
	_, _, err = Decode(b, report.Options{Now: time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)})
	var perr *report.Error
	if !errors.As(err, &perr) {
		t.Fatalf("want problems, got %v", err)
	}
	var at []string
	for _, p := range perr.Problems {
		if p.Code == "placeholder" && !strings.HasPrefix(p.Pointer, "/overview") && !strings.HasPrefix(p.Pointer, "/preamble") && !strings.HasPrefix(p.Pointer, "/problems") && !strings.HasPrefix(p.Pointer, "/other_matters") {
			at = append(at, p.Pointer)
		}
	}
	if strings.Join(at, " ") != "/agency /signature/agency" {
		t.Errorf("placeholder problems at %v, want /agency and /signature/agency", at)
	}
}
