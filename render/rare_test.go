package render

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/layout"
	"github.com/govreport/govreport/report"
)

// rareReport is city-bureau-2024 for an agency of 武汉市硚口区 (硚, U+785A, is a
// 通用规范汉字表 character outside GB2312 and Big5) whose preamble names three
// people with rare characters (堃, 喆, 赟).
func rareReport(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("../testdata/reports/city-bureau-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(data), "临江市自然资源和规划局", "武汉市硚口区自然资源和规划局")
	s2 := strings.Replace(s, `"preamble": [`+"\n    \"", `"preamble": [`+"\n    \"本报告联系人：王堃、李喆、张赟。", 1)
	if s == string(data) || s2 == s {
		t.Fatal("city-bureau-2024.json: agency or preamble not found")
	}
	return []byte(s2)
}

// TestRareCharacters: 硚 in the title is set in the title face (bold), not in the
// fallback 宋体 of a regular weight as when title.ttf held only GB2312 and Big5;
// a character of the body role no 仿宋 face has (堃, 喆, 赟, and 硚: FandolFang and
// cwTeX FangSong lack them, see fonts/testdata/tgh-fallback.txt) is set in the
// fallback and is a fallback_character warning naming the character, the role
// and the pointer; the title warns of nothing.
func TestRareCharacters(t *testing.T) {
	set, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	p, err := Prepare(context.Background(), rareReport(t), PrepareOptions{Now: now, Fonts: set})
	if err != nil {
		t.Fatal(err)
	}
	// Where each character is drawn, by the part of the page it is in.
	drawn := map[layout.PartKind]map[rune]*fonts.Face{}
	for _, pg := range p.Layout.Pages {
		for _, it := range pg.Items {
			if it.Kind != layout.ItemText {
				continue
			}
			for _, c := range it.Text {
				if strings.ContainsRune("硚堃喆赟", c) {
					if drawn[it.Part.Kind] == nil {
						drawn[it.Part.Kind] = map[rune]*fonts.Face{}
					}
					drawn[it.Part.Kind][c] = it.Face
				}
			}
		}
	}
	for _, tt := range []struct {
		part     layout.PartKind
		c        rune
		role     fonts.Role
		fallback bool   // set in the fallback face, with a warning at ptr
		ptr      string // the first text the character is in
	}{
		{layout.PartTitle, '硚', fonts.RoleTitle, false, ""},
		{layout.PartParagraph, '硚', fonts.RoleBody, true, "/preamble/1"},
		{layout.PartParagraph, '堃', fonts.RoleBody, true, "/preamble/0"},
		{layout.PartParagraph, '喆', fonts.RoleBody, true, "/preamble/0"},
		{layout.PartParagraph, '赟', fonts.RoleBody, true, "/preamble/0"},
	} {
		f := drawn[tt.part][tt.c]
		if f == nil {
			t.Errorf("%c: not drawn in a %s part", tt.c, tt.part)
			continue
		}
		inStack := slices.Contains(set.Stack(tt.role), f)
		if inStack == tt.fallback || (tt.fallback && f != set.Fallback()) {
			t.Errorf("%c in a %s part: set in %s (in the %s stack: %v), want fallback %v", tt.c, tt.part, f.Name(), tt.role, inStack, tt.fallback)
		}
		var warned []report.Problem
		for _, w := range p.Report.Warnings {
			if w.Code == "fallback_character" && strings.Contains(w.Message, string(tt.c)) {
				warned = append(warned, w)
			}
		}
		if !tt.fallback {
			continue
		}
		if len(warned) == 0 {
			t.Errorf("%c in the %s role: no fallback_character warning; warnings %v", tt.c, tt.role, p.Report.Warnings)
			continue
		}
		w := warned[0]
		if w.Pointer != tt.ptr || !strings.Contains(w.Message, "body (仿宋)") || !strings.Contains(w.MessageZh, "正文（仿宋）") ||
			!strings.Contains(w.MessageZh, string(tt.c)) || !strings.Contains(w.Message, "body-3.ttf") {
			t.Errorf("%c: warning %v, want it at %s naming the character and the body (仿宋) role", tt.c, w, tt.ptr)
		}
	}
	for _, w := range p.Report.Warnings {
		if w.Code == "fallback_character" && !strings.Contains(w.Message, "body (仿宋)") {
			t.Errorf("a warning for another role than the body's: %v", w)
		}
	}
	// Prepared again, the report is not warned twice.
	n := len(p.Report.Warnings)
	if err := coverage(p.Doc, set, p.Report); err != nil || len(p.Report.Warnings) != n {
		t.Errorf("coverage again: %v, %d warnings, want %d", err, len(p.Report.Warnings), n)
	}
}
