package faces

import (
	"runtime"
	"testing"

	"github.com/govreport/govreport/fonts"
)

// TestSet: importing the package registers its faces as fonts.Default, each role's
// stack in order, with its licence.
func TestSet(t *testing.T) {
	s, err := fonts.Default()
	if err != nil {
		t.Fatal(err)
	}
	if mine, err := Set(); err != nil || mine != s {
		t.Fatalf("Set() = %p, %v; Default() = %p", mine, err, s)
	}
	want := map[fonts.Role][][2]string{
		fonts.RoleTitle: {{"embedded:title.ttf", fonts.LicenseOFL}},
		fonts.RoleBody:  {{"embedded:fangsong.ttf", fonts.LicenseFandol}, {"embedded:fangsong-2.ttf", fonts.LicenseCwTeX}},
		fonts.RoleHei:   {{"embedded:hei.ttf", fonts.LicenseOFL}},
		fonts.RoleKai:   {{"embedded:kai.ttf", fonts.LicenseOFL}},
		fonts.RoleSong:  {{"embedded:song.ttf", fonts.LicenseOFL}},
	}
	for _, role := range fonts.Roles() {
		stack := s.Stack(role)
		if len(stack) != len(want[role]) {
			t.Errorf("role %s: %d faces, want %d", role, len(stack), len(want[role]))
			continue
		}
		for i, f := range stack {
			if got := [2]string{f.Source(), f.License()}; got != want[role][i] {
				t.Errorf("role %s face %d: %q, want %q", role, i, got, want[role][i])
			}
		}
	}
}

// TestDefaultMemory reports what parsing the embedded faces costs in heap (the face
// files themselves are in the binary's read-only data, not on the heap), and
// holds it to what a face must keep: its 128 KB glyph index, not an advance
// table, a copy of loca or golang.org/x/image's parse, which only the PNG
// preview needs (826 KB for the six faces; 2,586 KB with them, issue 26).
func TestDefaultMemory(t *testing.T) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s, err := load()
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("parsed faces: heap in use +%d KB, total allocated %d KB",
		(int64(after.HeapAlloc)-int64(before.HeapAlloc))/1024, (after.TotalAlloc-before.TotalAlloc)/1024)
	if total, most := after.TotalAlloc-before.TotalAlloc, uint64(len(list))*160<<10; total > most {
		t.Errorf("parsing %d faces allocated %d KB, more than %d KB", len(list), total>>10, most>>10)
	}
	runtime.KeepAlive(s)
}

func BenchmarkDefaultFirstCall(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := load(); err != nil {
			b.Fatal(err)
		}
	}
}
