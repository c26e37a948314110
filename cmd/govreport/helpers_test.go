package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Every subprocess a test starts has a deadline, so a hung tool fails the
// test instead of stalling the run: builds get buildTimeout (a cold build
// of the binary took under two minutes on a busy 2-core machine), tools
// and servers toolTimeout.
const (
	buildTimeout = 10 * time.Minute
	toolTimeout  = 2 * time.Minute
)

// testCommand is exec.Command with a deadline: the process is killed when it
// runs longer than timeout or when the test ends.
func testCommand(t *testing.T, timeout time.Duration, name string, args ...string) *exec.Cmd {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	return exec.CommandContext(ctx, name, args...)
}

// buildBinary builds govreport once for the end-to-end tests, as a user
// has it: the command, and beside it govreport-server (-tags server),
// which its serve hands over to.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "govreport-e2e")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "govreport")
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	for _, b := range [][]string{{"-o", bin}, {"-tags", "server", "-o", filepath.Join(dir, "govreport-server")}} {
		out, err := exec.CommandContext(ctx, "go", append(append([]string{"build"}, b...), ".")...).CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("go build %s: %v\n%s", strings.Join(b, " "), err, out)
		}
	}
	return bin, nil
})

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startServer runs the real binary on a loopback port and waits until it
// is ready.
func startServer(t *testing.T, args ...string) (string, *exec.Cmd, *bytes.Buffer) {
	t.Helper()
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	addr := freePort(t)
	var logs bytes.Buffer
	cmd := testCommand(t, toolTimeout, bin, append([]string{"serve", "--addr", addr}, args...)...)
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := "http://" + addr
	waitReady(t, base, &logs)
	return base, cmd, &logs
}

// waitReady polls /readyz until the server answers 200.
func waitReady(t *testing.T, base string, logs *bytes.Buffer) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready: %v\n%s", err, logs.String())
		}
	}
}

func post(t *testing.T, url, file string) (*http.Response, []byte) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(url, "application/json", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}
