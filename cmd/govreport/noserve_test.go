//go:build !server

package main

import (
	"strings"
	"testing"
)

// TestServeWithoutServer: the command built without the server, with no
// govreport-server beside it or on PATH, says how to build one (exit 2)
// instead of starting nothing silently.
func TestServeWithoutServer(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, errOut, code := runCLI(t, "serve", "--addr", "127.0.0.1:0")
	if code != 2 || !strings.Contains(errOut, "go build -tags server -o govreport-server ./cmd/govreport") {
		t.Errorf("exit %d, want 2 naming the build:\n%s", code, errOut)
	}
}
