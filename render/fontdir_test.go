package render

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/fonts/fontstest"
	"github.com/govreport/govreport/render/docx"
	"github.com/govreport/govreport/report"
)

// TestFontDirAgreement: with a user's face that once passed check and then
// failed a writer, the check (Load, then Prepare) and every writer agree:
// the face is refused at load with a *fonts.FormatError, or the report is
// refused by Prepare with a problem, or the PDF, both DOCX modes and the
// PNG are all written. Before: a face mapping U+FEFF let a paragraph with
// it pass and the PDF fail (control character U+FEFF); composite glyphs
// that contain themselves passed and the PNG failed; a face without a name
// table, or named only in Chinese, passed and the embedding DOCX failed.
func TestFontDirAgreement(t *testing.T) {
	seed, err := os.ReadFile("../testdata/reports/yongxing-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	m := fontstest.Map()
	feff := func(tables map[string][]byte) {
		mm := make(map[rune]uint16, len(m)+1)
		for r, g := range m {
			mm[r] = g
		}
		mm[0xFEFF] = m['一']
		tables["cmap"] = fontstest.CmapOf(mm)
	}
	cycles := func(tables map[string][]byte) {
		g := fontstest.Glyphs(tables)
		for r, gid := range m {
			if r >= 0x4E00 {
				g[gid] = fontstest.Composite(gid)
			}
		}
		fontstest.SetGlyphs(tables, g)
	}
	withFEFF := strings.Replace(string(seed), `"paragraphs": [`+"\n        \"", `"paragraphs": [`+"\n        \"\ufeff", 1)
	if withFEFF == string(seed) {
		t.Fatal("the seed's first paragraph not found")
	}
	for _, tt := range []struct {
		name   string
		edit   func(map[string][]byte)
		report string
		want   string // "load", "prepare" or "write": where it must stop, if anywhere; "any": Prepare or none
	}{
		{"maps U+FEFF", feff, withFEFF, "prepare"},
		{"composites contain themselves", cycles, string(seed), "load"},
		{"no name table", func(t map[string][]byte) { delete(t, "name") }, string(seed), "load"},
		{"named only in Chinese", func(t map[string][]byte) {
			t["name"] = fontstest.Name(0x804, map[uint16]string{1: "机关仿宋", 6: "JiGuanFangSong"})
		}, string(seed), "write"},
		{"advances of 0, no ascent or descent", func(t map[string][]byte) {
			clear(t["hmtx"])
			clear(t["hhea"][4:8])
			clear(t["OS/2"][68:72])
		}, string(seed), "any"},
		{"long PostScript name", func(t map[string][]byte) {
			t["name"] = fontstest.Name(0x409, map[uint16]string{1: "Long", 6: strings.Repeat("LongFangSong", 20)})
		}, string(seed), "write"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "body.ttf"), fontstest.Edit(tt.edit), 0o644); err != nil {
				t.Fatal(err)
			}
			set, err := fonts.Load(dir)
			if tt.want == "load" {
				var fe *fonts.FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("Load: %v; want a *fonts.FormatError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p, err := Prepare(context.Background(), []byte(tt.report), PrepareOptions{Fonts: set, Now: now})
			var re *report.Error
			if tt.want == "any" && errors.As(err, &re) {
				t.Logf("refused by Prepare: %v", err)
				return
			}
			if tt.want == "prepare" {
				if !errors.As(err, &re) || re.Problems[0].Code != "unsupported_character" || re.Problems[0].Pointer != "/overview/0/paragraphs/0" {
					t.Fatalf("Prepare: %v; want unsupported_character at /overview/0/paragraphs/0", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range []WriteOptions{{Format: PDF}, {Format: DOCX}, {Format: DOCX, DOCXFonts: docx.FontsEmbed}, {Format: PNG, Page: 1}, {Format: PNG, Page: 2}} {
				if _, err := p.Write(context.Background(), o); err != nil {
					t.Errorf("%s %s: %v", o.Format, o.DOCXFonts, err)
				}
			}
		})
	}
}
