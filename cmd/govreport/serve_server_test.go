//go:build server

package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestServeRefusesBadSettings: a setting serve cannot use, from a flag or
// its GOVREPORT_ variable, refuses to start with exit 2 naming where the
// value came from and the value; none is silently replaced by a default.
// The listen address is one no machine has, so a server that starts
// anyway fails at once (exit 1) instead of serving.
func TestServeRefusesBadSettings(t *testing.T) {
	const nowhere = "256.0.0.1:1"
	for _, tt := range []struct {
		env  string // NAME=value, or empty
		args []string
		want string
	}{
		{"GOVREPORT_RENDER_TIMEOUT=abc", nil, `GOVREPORT_RENDER_TIMEOUT="abc": not a duration`},
		{"GOVREPORT_RENDER_TIMEOUT=10", nil, `GOVREPORT_RENDER_TIMEOUT="10": not a duration`},
		{"GOVREPORT_RENDER_TIMEOUT=0s", nil, `GOVREPORT_RENDER_TIMEOUT="0s": must be a positive duration`},
		{"GOVREPORT_READ_TIMEOUT=30", nil, `GOVREPORT_READ_TIMEOUT="30": not a duration`},
		{"GOVREPORT_READ_TIMEOUT=-1s", nil, `GOVREPORT_READ_TIMEOUT="-1s": must be a positive duration`},
		{"GOVREPORT_WRITE_TIMEOUT=soon", nil, `GOVREPORT_WRITE_TIMEOUT="soon"`},
		{"GOVREPORT_IDLE_TIMEOUT=2 minutes", nil, `GOVREPORT_IDLE_TIMEOUT="2 minutes"`},
		{"GOVREPORT_DRAIN_TIMEOUT=0", nil, `GOVREPORT_DRAIN_TIMEOUT="0": must be a positive duration`},
		{"GOVREPORT_MAX_RENDERS=two", nil, `GOVREPORT_MAX_RENDERS="two": not a whole number`},
		{"GOVREPORT_MAX_RENDERS=0", nil, `GOVREPORT_MAX_RENDERS="0": must be at least 1`},
		{"GOVREPORT_MAX_RENDERS=99999999999999999999", nil, `GOVREPORT_MAX_RENDERS="99999999999999999999": out of range`},
		{"GOVREPORT_QUEUE=8.5", nil, `GOVREPORT_QUEUE="8.5": not a whole number`},
		{"GOVREPORT_QUEUE=-1", nil, `GOVREPORT_QUEUE="-1": must be 0`},
		{"GOVREPORT_BODY_LIMIT=2XB", nil, `GOVREPORT_BODY_LIMIT="2XB"`},
		{"GOVREPORT_LOG_LEVEL=loud", nil, `GOVREPORT_LOG_LEVEL="loud": want debug, info, warn or error`},
		{"GOVREPORT_ADDR=8080", nil, `GOVREPORT_ADDR="8080": want host:port`},
		{"", []string{"--render-timeout", "-5s"}, `--render-timeout "-5s": must be a positive duration`},
		{"", []string{"--max-renders", "0"}, `--max-renders "0": must be at least 1`},
		{"", []string{"--log-level", "loud"}, `--log-level "loud"`},
	} {
		t.Run(tt.env+strings.Join(tt.args, " "), func(t *testing.T) {
			args := []string{"serve"}
			if name, value, ok := strings.Cut(tt.env, "="); ok {
				t.Setenv(name, value)
			}
			if !strings.HasPrefix(tt.env, "GOVREPORT_ADDR=") {
				args = append(args, "--addr", nowhere)
			}
			var stdout, stderr bytes.Buffer
			code := run(append(args, tt.args...), strings.NewReader(""), &stdout, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, want 2 saying %s:\n%s", code, tt.want, stderr.String())
			}
		})
	}
	// A flag on the command line wins over its variable, which is then
	// not read.
	t.Setenv("GOVREPORT_RENDER_TIMEOUT", "abc")
	var stderr bytes.Buffer
	if code := run([]string{"serve", "--addr", nowhere, "--render-timeout", "1s"}, strings.NewReader(""), io.Discard, &stderr); code != 1 || strings.Contains(stderr.String(), "GOVREPORT_RENDER_TIMEOUT") {
		t.Errorf("--render-timeout 1s with a bad GOVREPORT_RENDER_TIMEOUT: exit %d (want 1: nowhere to listen):\n%s", code, stderr.String())
	}
}

// TestServeBadCORSOrigin: an origin must be scheme://host[:port]; a bare
// host or a URL with a path refuses to start, naming it.
func TestServeBadCORSOrigin(t *testing.T) {
	for _, o := range []string{"portal.example.gov.cn", "https://portal.example.gov.cn/app"} {
		_, errOut, code := runCLI(t, "serve", "--addr", "127.0.0.1:0", "--cors-origin", o)
		if code != 2 || !strings.Contains(errOut, "--cors-origin") || !strings.Contains(errOut, o) {
			t.Errorf("--cors-origin %s: exit %d: %s", o, code, errOut)
		}
	}
}
