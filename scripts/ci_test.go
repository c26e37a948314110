package scripts

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestCIRunCaches: .ci/run links into its clone every .cache folder that
// scripts/test.sh installs npm packages into, so a CI run reuses the
// checkout's packages instead of downloading them again (before, Spectral
// and the TypeScript client's tools were installed anew on every run).
func TestCIRunCaches(t *testing.T) {
	test, err := os.ReadFile("test.sh")
	if err != nil {
		t.Fatal(err)
	}
	run, err := os.ReadFile("../.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^cachedirs=\(([^)]*)\)$`).FindSubmatch(run)
	if m == nil {
		t.Fatal(".ci/run has no line cachedirs=(…) naming the .cache folders it links")
	}
	linked := strings.Fields(string(m[1]))
	var prefixes []string
	for _, p := range regexp.MustCompile(`--prefix \.cache/([A-Za-z0-9_-]+)`).FindAllSubmatch(test, -1) {
		if d := string(p[1]); !slices.Contains(prefixes, d) {
			prefixes = append(prefixes, d)
		}
	}
	if len(prefixes) < 5 {
		t.Fatalf("found only the npm prefixes %q in scripts/test.sh", prefixes)
	}
	for _, d := range prefixes {
		if !slices.Contains(linked, d) {
			t.Errorf("scripts/test.sh installs into .cache/%s, which .ci/run does not link (cachedirs=%q)", d, linked)
		}
	}
	for _, d := range linked {
		if !slices.Contains(prefixes, d) {
			t.Errorf(".ci/run links .cache/%s, which scripts/test.sh does not install into", d)
		}
	}
}
