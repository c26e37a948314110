package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// cmdHealthcheck asks a running server whether it is alive: GET the URL
// with a 2 s timeout, exit 0 on 200, else 1. It is the container's
// HEALTHCHECK, so it needs no shell and no curl in the image.
func cmdHealthcheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("healthcheck")
	addr := fs.String("addr", env("ADDR", ":8080"), "the server's listen address, as given to serve --addr; the check asks /healthz on its port at 127.0.0.1 (GOVREPORT_ADDR)")
	url := fs.String("url", "", "URL to GET instead, e.g. http://10.0.0.5:9000/healthz")
	timeout := fs.Duration("timeout", 2*time.Second, "how long to wait for the answer")
	if done, code := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, "takes no arguments, only flags")
	}
	if *url == "" {
		*url = defaultHealthURL(*addr)
	}
	client := &http.Client{Timeout: *timeout}
	resp, err := client.Get(*url)
	if err != nil {
		fmt.Fprintln(stderr, "govreport: healthcheck:", err)
		return 1
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "govreport: healthcheck: %s answered %s\n", *url, resp.Status)
		return 1
	}
	fmt.Fprintln(stdout, "ok")
	return 0
}

// defaultHealthURL turns a listen address (":8080", "0.0.0.0:8080",
// "10.0.0.5:9000") into the URL of its /healthz, on loopback when the
// server listens on every interface.
func defaultHealthURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		// A bare port, "9000", as some deployments write it.
		host, port = "", strings.TrimPrefix(addr, ":")
		if _, err := strconv.Atoi(port); err != nil {
			port = "8080"
		}
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz"
}
