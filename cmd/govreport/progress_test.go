package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestProgressTerminal: on a terminal the progress is one line redrawn in
// place — at once with 0/N, at most ten times a second, always for the
// last report and for a failure, whose own line goes above it — and cleared
// at the end, so the summary starts on a clean line.
func TestProgressTerminal(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	var buf bytes.Buffer
	p := newProgressTo(&buf, 4, true, clock)
	now = now.Add(50 * time.Millisecond)
	p.step(batchFile{Input: "a.json", Pages: 7}) // within 100 ms of the first draw: not drawn
	now = now.Add(50 * time.Millisecond)
	p.step(batchFile{Input: "b\nc.json", Error: "invalid report"})
	now = now.Add(2 * time.Second)
	p.step(batchFile{Input: "d.json", Pages: 7})
	now = now.Add(10 * time.Millisecond)
	p.step(batchFile{Input: "e.json", Pages: 7}) // the last: always drawn
	p.finish()
	want := "\rrendering 0/4 (0%, 0s)\x1b[K" +
		"\r\x1b[K\"b\\nc.json\": FAILED: invalid report\n" +
		"\rrendering 2/4 (50%, 20.0 reports/s, 0s)\x1b[K" +
		"\rrendering 3/4 (75%, 1.4 reports/s, 2s)\x1b[K" +
		"\rrendering 4/4 (100%, 1.9 reports/s, 2s)\x1b[K" +
		"\r\x1b[K"
	if got := buf.String(); got != want {
		t.Errorf("terminal output\n%q\nwant\n%q", got, want)
	}
	// Not a terminal: a line per report, nothing redrawn.
	buf.Reset()
	p = newProgressTo(&buf, 2, false, clock)
	p.step(batchFile{Input: "a.json", Pages: 7, Outputs: []string{"a.pdf"}})
	p.step(batchFile{Input: "b.json", Error: "invalid report"})
	p.finish()
	if got := buf.String(); strings.Contains(got, "\r") || got != "[1/2] a.json: 7 pages → a.pdf\n[2/2] b.json: FAILED: invalid report\n" {
		t.Errorf("log output %q", got)
	}
}
