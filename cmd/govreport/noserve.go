//go:build !server

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// serverBinary is the name of govreport built with -tags server, which
// serve hands over to.
const serverBinary = "govreport-server"

// startServe hands over to the server's binary: this one is built without
// the HTTP server, so that no command pays for initialising its
// dependencies (Gin and the codecs it links, Prometheus: 3–4 ms of CPU and
// about 350 page faults a process, issue 26). The server is govreport built
// with -tags server (the container image is), found beside this binary or
// on PATH; it is given the same arguments, which cmdServe has checked.
func startServe(_ *serveConfig, args []string, stderr io.Writer) int {
	bin, err := findServer()
	if err != nil {
		fmt.Fprintf(stderr, "govreport serve: %v\n"+
			"This govreport is built without the HTTP server, which every other command starts faster without.\n"+
			"Build the server beside it:  go build -tags server -o %s ./cmd/govreport\n",
			err, serverBinary)
		return 2
	}
	argv := append([]string{bin, "serve"}, args...)
	err = syscall.Exec(bin, argv, os.Environ())
	fmt.Fprintf(stderr, "govreport serve: running %s: %v\n", bin, err)
	return 1
}

// findServer returns the path of govreport-server: beside this binary,
// else on PATH.
func findServer() (string, error) {
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), serverBinary)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	p, err := exec.LookPath(serverBinary)
	if err != nil {
		return "", errors.New("no " + serverBinary + " beside this binary or on PATH")
	}
	return p, nil
}
