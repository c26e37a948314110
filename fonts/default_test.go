package fonts

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The tests of package fonts set reports in the embedded faces, read from
// package faces's folder: faces imports fonts, so fonts's own tests cannot
// import it. The list is faces's (faces's TestSet checks its own against the
// same sources and licences).
func init() { RegisterDefault(testFaces) }

var testFaces = sync.OnceValues(func() (*Set, error) {
	files := []struct {
		role          Role
		file, license string
	}{
		{RoleTitle, "title.ttf", LicenseOFL},
		{RoleBody, "fangsong.ttf", LicenseFandol},
		{RoleBody, "fangsong-2.ttf", LicenseCwTeX},
		{RoleHei, "hei.ttf", LicenseOFL},
		{RoleKai, "kai.ttf", LicenseOFL},
		{RoleSong, "song.ttf", LicenseOFL},
	}
	stacks := make(map[Role][]*Face)
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join("faces", f.file))
		if err != nil {
			return nil, err
		}
		face, err := ParseEmbedded(string(b), "embedded:"+f.file, f.license)
		if err != nil {
			return nil, err
		}
		stacks[f.role] = append(stacks[f.role], face)
	}
	return NewSet(stacks)
})

// TestDefaultUnregistered: without package faces, Default says how to get faces.
func TestDefaultUnregistered(t *testing.T) {
	defaultMu.Lock()
	saved := defaultFaces
	defaultFaces = nil
	defaultMu.Unlock()
	defer RegisterDefault(saved)
	if s, err := Default(); s != nil || !errors.Is(err, ErrNoDefault) {
		t.Errorf("Default() = %v, %v; want ErrNoDefault", s, err)
	}
	if s, err := Load(""); s != nil || !errors.Is(err, ErrNoDefault) {
		t.Errorf("Load(\"\") = %v, %v; want ErrNoDefault", s, err)
	}
}

func TestNewSet(t *testing.T) {
	base, err := testFaces()
	if err != nil {
		t.Fatal(err)
	}
	full := func() map[Role][]*Face {
		m := map[Role][]*Face{}
		for _, r := range Roles() {
			m[r] = slices.Clone(base.Stack(r))
		}
		return m
	}
	tests := []struct {
		name    string
		change  func(map[Role][]*Face)
		wantErr string
	}{
		{"every role", func(map[Role][]*Face) {}, ""},
		{"a role without a face", func(m map[Role][]*Face) { delete(m, RoleKai) }, "role kai has no face"},
		{"an empty stack", func(m map[Role][]*Face) { m[RoleSong] = nil }, "role song has no face"},
		{"a nil face", func(m map[Role][]*Face) { m[RoleHei] = []*Face{nil} }, "role hei: a nil face"},
		{"an unknown role", func(m map[Role][]*Face) { m["fangsong"] = m[RoleBody] }, `unknown role "fangsong"`},
		{"too many faces", func(m map[Role][]*Face) { m[RoleBody] = slices.Repeat(m[RoleBody], 5) }, "10 faces, at most 9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := full()
			tt.change(m)
			s, err := NewSet(m)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				m[RoleBody][0] = nil // the set keeps its own copy
				if s.Face(RoleBody) != base.Face(RoleBody) || len(s.Stack(RoleBody)) != 2 {
					t.Errorf("NewSet's body stack = %v", s.Stack(RoleBody))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("NewSet: %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}
