package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// corpus writes copies of the seed (and one other report, and invalid
// ones) into dir, spread over two folders with clashing names.
func corpus(t *testing.T, dir string, copies int, invalid bool) {
	t.Helper()
	seed, _ := os.ReadFile("../../testdata/reports/yongxing-2024.json")
	other, _ := os.ReadFile("../../testdata/reports/xinhe-district-2023.json")
	for i := range copies {
		sub := filepath.Join(dir, fmt.Sprintf("county-%d", i%2))
		os.MkdirAll(sub, 0o755)
		os.WriteFile(filepath.Join(sub, fmt.Sprintf("report-%02d.json", i/2)), seed, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "xinhe.json"), other, 0o644)
	if invalid {
		bad, _ := os.ReadFile("../../testdata/reports/invalid-negative-count.json")
		os.WriteFile(filepath.Join(dir, "broken.json"), bad, 0o644)
	}
}

func listFiles(t *testing.T, dir string) (outputs, stray []string) {
	t.Helper()
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			switch {
			case strings.HasSuffix(p, ".pdf") || strings.HasSuffix(p, ".docx"):
				outputs = append(outputs, p)
			case !strings.HasSuffix(p, ".json"):
				stray = append(stray, p)
			}
		}
		return nil
	})
	return outputs, stray
}

func TestBatch(t *testing.T) {
	in, out := t.TempDir(), t.TempDir()
	corpus(t, in, 40, true)
	summary := filepath.Join(out, "summary.json")
	stdout, _, code := runCLI(t, "batch", "-o", out, "-j", "2", "--format", "pdf,docx", "--summary", summary, in)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (one invalid report)\n%s", code, stdout)
	}
	outputs, stray := listFiles(t, out)
	var pdfs, docxs int
	for _, o := range outputs {
		if strings.HasSuffix(o, ".pdf") {
			pdfs++
		} else {
			docxs++
		}
	}
	if pdfs != 41 || docxs != 41 || len(stray) != 0 {
		t.Fatalf("%d PDFs and %d DOCX (want 41 each), stray files %v", pdfs, docxs, stray)
	}
	// Same names in two folders do not overwrite each other.
	for _, want := range []string{"county-0/report-00.pdf", "county-1/report-00.pdf", "county-1/report-00.docx", "xinhe.pdf"} {
		if _, err := os.Stat(filepath.Join(out, want)); err != nil {
			t.Errorf("missing %s", want)
		}
	}
	var sum batchSummary
	b, err := os.ReadFile(summary)
	if err != nil || json.Unmarshal(b, &sum) != nil {
		t.Fatalf("summary: %v", err)
	}
	if sum.Done != 41 || sum.Failed != 1 || sum.Pages == 0 {
		t.Errorf("summary: done %d failed %d pages %d", sum.Done, sum.Failed, sum.Pages)
	}
	named := false
	for _, f := range sum.Files {
		if strings.HasSuffix(f.Input, "broken.json") && strings.Contains(f.Error, "/applications/carried_over/other_org") {
			named = true
		}
	}
	if !named || !strings.Contains(stdout, "broken.json") {
		t.Errorf("the invalid file is not named with its first problem:\n%s", stdout)
	}
}

func TestBatchShards(t *testing.T) {
	in := t.TempDir()
	corpus(t, in, 30, false)
	all, _, err := expandInputs([]string{in})
	if err != nil {
		t.Fatal(err)
	}
	var union []string
	for k := range 3 {
		part := shardOf(all, k, 3)
		if len(part) == 0 || len(part) == len(all) {
			t.Errorf("shard %d/3 has %d of %d inputs", k, len(part), len(all))
		}
		union = append(union, part...)
	}
	sort.Strings(union)
	if strings.Join(union, "\n") != strings.Join(all, "\n") {
		t.Error("the shards do not partition the inputs")
	}
	for _, bad := range []string{"3/3", "-1/2", "1", "a/b", "0/0"} {
		if _, _, err := parseShard(bad); err == nil {
			t.Errorf("--shard %s accepted", bad)
		}
	}
	// A glob and a file given twice are expanded once.
	got, _, err := expandInputs([]string{filepath.Join(in, "county-*", "report-0*.json"), filepath.Join(in, "xinhe.json"), filepath.Join(in, "xinhe.json")})
	if err != nil || len(got) != 21 {
		t.Errorf("expandInputs: %d files, %v", len(got), err)
	}
}

// TestBatchSIGTERM stops a batch of the real binary midway: it exits
// promptly and leaves only complete outputs, no temporary files.
func TestBatchSIGTERM(t *testing.T) {
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	in, out := t.TempDir(), t.TempDir()
	corpus(t, in, 200, false)
	cmd := testCommand(t, toolTimeout, bin, "batch", "-o", out, "-j", "2", in)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if outs, _ := listFiles(t, out); len(outs) >= 5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no outputs appeared")
		}
	}
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	err = cmd.Wait()
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("took %v to stop", took)
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("exit: %v, want 1 (interrupted)", err)
	}
	outputs, stray := listFiles(t, out)
	if len(stray) != 0 {
		t.Errorf("temporary files left: %v", stray)
	}
	if len(outputs) == 0 || len(outputs) >= 201 {
		t.Fatalf("%d outputs: the batch was not interrupted midway", len(outputs))
	}
	for _, o := range outputs {
		b, err := os.ReadFile(o)
		if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b[max(0, len(b)-32):], []byte("%%EOF")) {
			t.Errorf("%s is not a complete PDF", o)
		}
	}
	if !strings.Contains(stdout.String(), "interrupted") {
		t.Errorf("summary does not say interrupted:\n%s", stdout.String())
	}
	t.Logf("stopped after %d of 201 reports in %v", len(outputs), time.Since(start))
}

// TestBatchNeverReplacesAnInput: a report named like an output (r.pdf)
// fails instead of being replaced by its own PDF, as render -o refuses.
func TestBatchNeverReplacesAnInput(t *testing.T) {
	dir := t.TempDir()
	report, err := os.ReadFile("../../testdata/reports/yongxing-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "r.pdf")
	os.WriteFile(in, report, 0o644)
	stdout, _, code := runCLI(t, "batch", in)
	if code != 1 || !strings.Contains(stdout, "would replace the input") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	if b, _ := os.ReadFile(in); !bytes.Equal(b, report) {
		t.Errorf("the input was replaced: %.20q", b)
	}
	out := filepath.Join(dir, "out")
	if _, _, code := runCLI(t, "batch", "-o", out, in); code != 0 {
		t.Errorf("with -o: exit %d", code)
	}
}
