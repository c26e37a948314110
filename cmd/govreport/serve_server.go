//go:build server

// The HTTP server is in the binary built with -tags server (the container
// image's, and govreport-server's): its dependencies (Gin and the codecs it
// links, Prometheus) take 3–4 ms of CPU and about 350 page faults to
// initialise, which every command of a binary linking them paid (issue
// 26). Without the tag, serve hands over to govreport-server (noserve.go).

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/server"
)

// startServe runs the server with the checked flags.
func startServe(c *serveConfig, _ []string, stderr io.Writer) int {
	cfg := server.Config{
		Addr: c.Addr, BodyLimit: c.BodyLimit, MaxRenders: c.MaxRenders, QueueSize: c.QueueSize,
		RenderTimeout: c.RenderTimeout, ReadTimeout: c.ReadTimeout, WriteTimeout: c.WriteTimeout,
		IdleTimeout: c.IdleTimeout, DrainTimeout: c.DrainTimeout, Logger: c.Logger,
		Tokens: c.Tokens, TrustedProxies: c.TrustedProxies, CORSOrigins: c.CORSOrigins, NoUI: c.NoUI,
	}
	set, err := fonts.Load(c.FontDir)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	cfg.Fonts = set
	cfg.Version = readBuildInfo().Version
	if cfg.Date, err = sourceDate(); err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	tuneGC()
	srv, err := server.New(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := srv.ListenAndServe(ctx); err != nil {
		cfg.Logger.Error("serve", "error", err.Error())
		return 1
	}
	return 0
}
