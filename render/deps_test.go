package render

import (
	"context"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestNoEmbeddedFaces: a program that imports render does not link the 48 MB
// of embedded faces; only importing package fonts/faces does (a program that
// renders with its own faces is 6.2 MB instead of 53.5 MB). The embedded files
// of render's dependencies are listed by go list, whose faces would be .ttf.
func TestNoEmbeddedFaces(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	cmd := exec.CommandContext(ctx, goTool, "list", "-deps", "-f", "{{.ImportPath}} {{.EmbedFiles}}", ".")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for line := range strings.Lines(string(out)) {
		if strings.Contains(strings.ToLower(line), ".ttf") {
			t.Errorf("render links a face: %s", strings.TrimSpace(line))
		}
	}
	if !strings.Contains(string(out), "github.com/govreport/govreport/fonts ") {
		t.Errorf("go list names no package fonts among render's dependencies:\n%s", out)
	}
}
