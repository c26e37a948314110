package ui_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestJSONModule runs testdata/json_test.mjs, the tests of the page's
// JSON module (static/json.js), in node.
func TestJSONModule(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("no node (apt-get install nodejs): %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, node, "testdata/json_test.mjs").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Fatalf("node testdata/json_test.mjs: %v\n%s", err, out)
	}
}
