package docs

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLicences checks that the code's licence is the whole Apache-2.0 text
// and that every font file the repository ships (the binary embeds them) is
// listed in the README's font table, with a licence text that exists, and
// in NOTICE, so a face added or moved cannot go out without its licence.
func TestLicences(t *testing.T) {
	const root = ".."
	licence, err := os.ReadFile(filepath.Join(root, "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Apache License", "Version 2.0, January 2004",
		"TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
		"9. Accepting Warranty or Additional Liability.", "END OF TERMS AND CONDITIONS"} {
		if !strings.Contains(string(licence), want) {
			t.Errorf("LICENSE is not the whole Apache-2.0 text: it lacks %q", want)
		}
	}
	notice := read(t, filepath.Join(root, "NOTICE"))
	if !strings.Contains(notice, "Copyright 2026 The govreport authors") {
		t.Error("NOTICE lacks the copyright line")
	}
	readme := read(t, filepath.Join(root, "README.md"))

	var faces []string
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", ".cache", "testdata", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".ttf", ".otf", ".ttc":
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			faces = append(faces, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(faces) == 0 {
		t.Fatal("no font files found")
	}
	licenceText := regexp.MustCompile("`([^`]*LICENSE[^`]*)`")
	for _, face := range faces {
		var row string
		for _, line := range strings.Split(readme, "\n") {
			if strings.HasPrefix(line, "|") && strings.Contains(line, "`"+face+"`") {
				row = line
			}
		}
		if row == "" {
			t.Errorf("%s is not in the README's font table", face)
			continue
		}
		m := licenceText.FindStringSubmatch(row)
		if m == nil {
			t.Errorf("README: %s has no licence text", face)
			continue
		}
		if _, err := os.Stat(filepath.Join(root, m[1])); err != nil {
			t.Errorf("README: the licence of %s: %v", face, err)
		}
		if !strings.Contains(notice, filepath.Base(face)) || !strings.Contains(notice, m[1]) {
			t.Errorf("NOTICE does not list %s with %s", face, m[1])
		}
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
