package main

import (
	"context"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govreport/govreport/fonts/fontstest"
)

// TestFontDirMalformed: a font directory whose face breaks the TrueType
// format is refused by every command that loads it — render, check, fonts
// and serve at start — with exit 2 and a message naming the file and the
// table, never a panic. Before, an odd segCountX2 in the cmap (read by our
// parser, while x/image read another subtable) panicked with index out of
// range in every one of them.
func TestFontDirMalformed(t *testing.T) {
	dir := t.TempDir()
	writeSeed(t, filepath.Join(dir, "r.json"))
	format6 := make([]byte, 12) // a (3, 10) subtable x/image reads and we do not
	binary.BigEndian.PutUint16(format6, 6)
	binary.BigEndian.PutUint16(format6[2:], 12)
	binary.BigEndian.PutUint16(format6[6:], 0x20)
	binary.BigEndian.PutUint16(format6[8:], 1)
	segs := []fontstest.Segment{{Start: 0x41, End: 0x5A, Delta: 1}, {Start: 0xFFFF, End: 0xFFFF, Delta: 1}}
	odd := fontstest.Cmap4(segs, 3, nil)[:16+4*3] // two segments, segCountX2 3
	for _, tt := range []struct {
		name, table string
		font        []byte
	}{
		{"odd segCountX2", "cmap", fontstest.Edit(func(t map[string][]byte) {
			t["cmap"] = fontstest.Cmap(fontstest.Subtable{Platform: 3, Encoding: 10, Data: format6}, fontstest.Subtable{Platform: 3, Encoding: 1, Data: odd})
		})},
		{"composite cycle", "glyf", fontstest.Edit(func(t map[string][]byte) {
			g := fontstest.Glyphs(t)
			g[5], g[6] = fontstest.Composite(6), fontstest.Composite(5)
			fontstest.SetGlyphs(t, g)
		})},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fontDir := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
			os.Mkdir(fontDir, 0o755)
			p := filepath.Join(fontDir, "body.ttf")
			if err := os.WriteFile(p, tt.font, 0o644); err != nil {
				t.Fatal(err)
			}
			want := p + `: "` + tt.table + `" table: `
			for _, args := range [][]string{
				{"render", "r.json", "-o", "r.pdf", "--font-dir", fontDir},
				{"check", "--font-dir", fontDir, "r.json"},
				{"fonts", "--font-dir", fontDir},
			} {
				_, stderr, code := runBin(t, dir, false, args...)
				if code != 2 || !strings.Contains(stderr, want) || strings.Contains(stderr, "panic") {
					t.Errorf("%s: exit %d, want 2 saying %q:\n%s", args[0], code, want, stderr)
				}
			}
			bin, err := buildBinary()
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			out, _ := exec.CommandContext(ctx, bin, "serve", "--addr", freePort(t), "--font-dir", fontDir).CombinedOutput()
			if ctx.Err() != nil {
				t.Fatalf("serve started:\n%s", out)
			}
			if !strings.Contains(string(out), want) || strings.Contains(string(out), "panic") {
				t.Errorf("serve: want %q:\n%s", want, out)
			}
		})
	}
}
