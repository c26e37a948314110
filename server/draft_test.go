package server

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/govreport/govreport/templates"
)

// TestDraft: init's skeleton is 422 with a placeholder problem at each of
// its placeholders; with draft=true it validates (placeholders as
// warnings) and exports, marked 草稿 — a PDF that differs from the one
// without the mark only by it; a bad value is 400.
func TestDraft(t *testing.T) {
	s, _ := newServer(t, Config{})
	f, err := templates.Lookup("gov-info-disclosure/2021")
	if err != nil {
		t.Fatal(err)
	}
	skeleton, err := f.Skeleton(templates.SkeletonOptions{Agency: "某某县人民政府", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	for _, route := range []string{"/v1/reports/validate", "/v1/reports/export"} {
		w := do(s, "POST", route, skeleton)
		if w.Code != 422 {
			t.Fatalf("%s of the skeleton: %d %s", route, w.Code, w.Body)
		}
		p := problemOf(t, w)
		for _, q := range p.Problems {
			if q.Code != "placeholder" {
				t.Errorf("%s: problem %+v, want placeholders only", route, q)
			}
		}
		if len(p.Problems) != strings.Count(string(skeleton), "（请") {
			t.Errorf("%s: %d problems, want one per placeholder", route, len(p.Problems))
		}
	}
	w := do(s, "POST", "/v1/reports/validate?draft=true", skeleton)
	var v struct {
		Valid    bool
		Warnings []struct{ Code string }
	}
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil || w.Code != 200 || !v.Valid || len(v.Warnings) == 0 || v.Warnings[0].Code != "placeholder" {
		t.Errorf("validate?draft=true: %d %s", w.Code, w.Body)
	}
	if w := do(s, "POST", "/v1/reports/export?draft=true", skeleton); w.Code != 200 || !strings.HasPrefix(w.Body.String(), "%PDF-") {
		t.Errorf("export?draft=true: %d %.200s", w.Code, w.Body)
	}
	// The seed has no placeholder: a draft of it differs from it (the mark).
	plain, draft := do(s, "POST", "/v1/reports/export", seed(t)), do(s, "POST", "/v1/reports/export?draft=1", seed(t))
	if plain.Code != 200 || draft.Code != 200 || plain.Body.String() == draft.Body.String() || plain.Header().Get("ETag") == draft.Header().Get("ETag") {
		t.Errorf("seed: %d and %d, the draft the same file or ETag", plain.Code, draft.Code)
	}
	if p := problemOf(t, do(s, "POST", "/v1/reports/export?draft=maybe", seed(t))); p.Status != 400 || !strings.Contains(p.Detail, "draft") {
		t.Errorf("draft=maybe: %+v", p)
	}
}
