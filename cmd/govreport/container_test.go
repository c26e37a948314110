package main

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// nonroot is the uid and gid of distroless's nonroot user, the USER of the
// Dockerfile.
const nonroot = 65532

// notRootMessage is TestContainerReadOnlyNonRoot's failure when not run as
// root: a test that cannot check what it is for fails, saying how to run it.
const notRootMessage = "needs root, to run the binary as another user and to chroot: " +
	"run as root: sudo go test -run TestContainerReadOnlyNonRoot ./cmd/govreport (go test -short leaves it out)"

// TestContainerReadOnlyNonRoot checks what the container image relies on,
// without Docker: the binary built as the Dockerfile builds it is static,
// and it serves, renders and answers its healthcheck as uid 65532 inside
// a read-only root that holds nothing but the binary and a report (a
// chroot standing in for distroless's read-only root filesystem), with no
// HOME and a TMPDIR that does not exist. So the image needs no writable
// filesystem and no root.
func TestContainerReadOnlyNonRoot(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if os.Geteuid() != 0 {
		t.Fatal(notRootMessage)
	}

	build := t.TempDir()
	bin := filepath.Join(build, "govreport")
	// As the Dockerfile builds it, less -trimpath: trimming the recorded
	// source paths changes nothing this test checks, but it would compile
	// every package again instead of reusing what the tests compiled
	// (scripts/test.sh builds with CGO_ENABLED=0 too, for the same reason).
	cmd := testCommand(t, buildTimeout, "go", "build", "-tags", "server", "-ldflags", "-s -w -X main.version=container-test", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	assertStatic(t, bin)

	// The image's root: the binary and an input, all read-only, owned by
	// root, in a directory nobody may write.
	root, err := os.MkdirTemp("", "govreport-root")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(root, 0o755); os.RemoveAll(root) })
	copyFile(t, bin, filepath.Join(root, "govreport"), 0o555)
	copyFile(t, "../../testdata/reports/yongxing-2024.json", filepath.Join(root, "report.json"), 0o444)
	if err := os.Chmod(root, 0o555); err != nil {
		t.Fatal(err)
	}

	chroot := true
	run := func(args ...string) *exec.Cmd {
		c := testCommand(t, toolTimeout, "/govreport", args...)
		c.Path = "/govreport"
		c.Dir = "/"
		c.Env = []string{"TMPDIR=/nonexistent/tmp", "GOVREPORT_LOG_LEVEL=info"} // no HOME, no PATH
		c.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nonroot, Gid: nonroot}}
		if chroot {
			c.SysProcAttr.Chroot = root
		} else {
			c.Path = filepath.Join(root, "govreport")
			c.Args[0] = c.Path
		}
		return c
	}
	// Is chroot permitted here? A container without CAP_SYS_CHROOT falls
	// back to running the binary from the read-only directory with / as
	// its working directory.
	if err := run("version").Run(); err != nil {
		if !errors.Is(err, syscall.EPERM) {
			t.Fatalf("govreport version in the chroot: %v", err)
		}
		t.Logf("chroot not permitted (%v): running from the read-only directory instead", err)
		chroot = false
	}

	// render -o - as the nonroot user.
	c := run("render", "/report.json", "-o", "-")
	if !chroot {
		c.Args[2] = filepath.Join(root, "report.json")
	}
	var out, errOut bytes.Buffer
	c.Stdout, c.Stderr = &out, &errOut
	if err := c.Run(); err != nil {
		t.Fatalf("render as uid %d: %v\n%s", nonroot, err, errOut.String())
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("%PDF-")) {
		t.Fatalf("render -o - wrote %.20q, not a PDF", out.Bytes())
	}

	// serve as the nonroot user; export a report over HTTP.
	addr := freePort(t)
	var logs bytes.Buffer
	srv := run("serve", "--addr", addr)
	srv.Stderr = &logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	base := "http://" + addr
	waitReady(t, base, &logs)
	resp, body := post(t, base+"/v1/reports/export?format=pdf", "../../testdata/reports/yongxing-2024.json")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(body, []byte("%PDF-")) {
		t.Fatalf("export: %d %s %.80q\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body, logs.String())
	}
	resp, body = post(t, base+"/v1/reports/export?format=docx", "../../testdata/reports/yongxing-2024.json")
	if resp.StatusCode != 200 || !bytes.HasPrefix(body, []byte("PK")) {
		t.Fatalf("export docx: %d %.80q", resp.StatusCode, body)
	}

	// The image's HEALTHCHECK, run the same way (it reads GOVREPORT_ADDR).
	hc := run("healthcheck")
	hc.Env = append(hc.Env, "GOVREPORT_ADDR="+addr)
	if out, err := hc.CombinedOutput(); err != nil {
		t.Fatalf("healthcheck: %v\n%s", err, out)
	}
	// The process runs as 65532, not root.
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", srv.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "Uid:") || strings.HasPrefix(line, "Gid:") {
			if f := strings.Fields(line); len(f) < 5 || f[1] != "65532" || f[2] != "65532" || f[3] != "65532" || f[4] != "65532" {
				t.Errorf("server runs with %q, want 65532 throughout", line)
			}
		}
	}
	if strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("errors in the log:\n%s", logs.String())
	}
	// Nothing was written into the root.
	entries, _ := os.ReadDir(root)
	if len(entries) != 2 {
		t.Errorf("the root holds %d entries, want the binary and the report", len(entries))
	}
}

// assertStatic fails unless the ELF file asks for no interpreter and no
// shared library: it runs on distroless/static, which has no libc.
func assertStatic(t *testing.T, path string) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("%s has a %v program header: not a static binary", path, p.Type)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("%s needs shared libraries %v", path, libs)
	}
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(to, mode); err != nil {
		t.Fatal(err)
	}
}
