package main

// End-to-end tests of issue 20 (hardening, second round): init refuses what check rejects.

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInitUnsupportedAgency: an agency with a character no face has is
// refused by init with the problem check would give the skeleton (exit 2,
// nothing written), as a year outside the format's is.
func TestInitUnsupportedAgency(t *testing.T) {
	dir := t.TempDir()
	agency := "مرحبا县人民政府"
	// The skeleton check would see: init's for a plain agency, renamed.
	plain, _, code := runBin(t, dir, false, "init", "--agency", "甲县人民政府", "--year", "2024")
	if code != 0 {
		t.Fatalf("init: exit %d", code)
	}
	os.WriteFile(filepath.Join(dir, "r.json"), []byte(strings.ReplaceAll(plain, "甲县人民政府", agency)), 0o644)
	// As a draft: the skeleton's placeholders are not what this is about.
	checked, _, code := runBin(t, dir, false, "check", "--draft", "r.json")
	if code != 1 || !strings.HasPrefix(checked, "r.json: ") {
		t.Fatalf("check of the skeleton: exit %d\n%s", code, checked)
	}
	var want []string
	sc := bufio.NewScanner(strings.NewReader(checked))
	for sc.Scan() {
		want = append(want, "govreport init: "+strings.TrimPrefix(sc.Text(), "r.json: "))
	}
	if !strings.Contains(checked, "unsupported_character") {
		t.Fatalf("check does not reject the agency:\n%s", checked)
	}
	stdout, stderr, code := runBin(t, dir, false, "init", "--agency", agency, "--year", "2024", "-o", "new.json")
	if code != 2 || stdout != "" || strings.TrimSuffix(stderr, "\n") != strings.Join(want, "\n") {
		t.Errorf("init: exit %d, want 2 with check's problems\n%s\nwant:\n%s", code, stderr, strings.Join(want, "\n"))
	}
	if _, err := os.Stat(filepath.Join(dir, "new.json")); err == nil {
		t.Error("init wrote the skeleton")
	}
}
