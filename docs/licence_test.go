package docs

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestLicences checks that the code's licence is the whole Apache-2.0 text
// and that every font file the binary embeds is listed in the README's font
// table, with a licence text that exists, and in NOTICE, so a face added or
// moved cannot go out without its licence.
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

	// The font files the binary embeds, from the go command's own list.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// A file of the project is named by its path in the repository; one
	// of a dependency's (pdfcpu embeds a Roboto for its forms) by module
	// path, version and path in the module, the same on every machine.
	out, err := exec.CommandContext(ctx, "go", "list", "-deps", "-f",
		`{{if not .Standard}}{{$d := .Dir}}{{$m := .Module}}{{range .EmbedFiles}}{{$d}}/{{.}}{{"\t"}}{{if $m}}{{if not $m.Main}}{{$m.Path}}@{{$m.Version}}{{"\t"}}{{$m.Dir}}{{end}}{{end}}{{"\n"}}{{end}}{{end}}`,
		"../cmd/govreport").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	var faces []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		file, base, prefix := f[0], abs, ""
		if len(f) == 3 && f[1] != "" {
			base, prefix = f[2], f[1]+"/"
		}
		switch strings.ToLower(filepath.Ext(file)) {
		case ".ttf", ".otf", ".ttc":
			rel, err := filepath.Rel(base, file)
			if err != nil {
				t.Fatal(err)
			}
			faces = append(faces, prefix+filepath.ToSlash(rel))
		}
	}
	if len(faces) == 0 {
		t.Fatal("the binary embeds no font files")
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
