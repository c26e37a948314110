package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/internal/safefile"
	"github.com/govreport/govreport/server"
)

// env returns the value of GOVREPORT_<name>, or def.
func env(name, def string) string {
	if v, ok := os.LookupEnv("GOVREPORT_" + name); ok {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(env(name, "")); err == nil {
		return d
	}
	return def
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(env(name, "")); err == nil {
		return n
	}
	return def
}

// byteSize parses 2097152, 2MiB, 512KiB, 2MB.
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }

func (b *byteSize) Set(s string) error {
	s = strings.TrimSpace(s)
	orig := s
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1000}, {"MB", 1000 * 1000}, {"k", 1 << 10}, {"M", 1 << 20}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.m
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return fmt.Errorf("not a size: %q", s)
	}
	if n > maxBodyLimit/mult { // also before n * mult could overflow
		return fmt.Errorf("%s%s is more than the largest limit, 1GiB", s, strings.TrimPrefix(orig, s))
	}
	*b = byteSize(n * mult)
	return nil
}

// maxBodyLimit is the largest --body-limit: a report is a few hundred KB,
// and a body is held in memory whole.
const maxBodyLimit = 1 << 30

// parseTokens reads the bearer tokens of --tokens and --token-file. A
// token source that is given but holds no token is an error: a typo in a
// Secret must not start a server open to all.
func parseTokens(list, file string) ([]string, error) {
	var tokens []string
	for _, t := range strings.Split(list, ",") {
		if t = strings.TrimSpace(t); t != "" {
			tokens = append(tokens, t)
		}
	}
	if strings.TrimSpace(list) != "" && len(tokens) == 0 {
		return nil, fmt.Errorf("--tokens (GOVREPORT_TOKENS) %q holds no token; leave it unset for no authentication", list)
	}
	if file == "" {
		return tokens, nil
	}
	b, err := safefile.Read(file, 1<<20)
	if err != nil {
		return nil, fmt.Errorf("--token-file: %w", err)
	}
	n := 0
	for _, t := range strings.Split(string(b), "\n") {
		if t = strings.TrimSpace(t); t != "" && !strings.HasPrefix(t, "#") {
			tokens = append(tokens, t)
			n++
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("--token-file %s holds no token (only blank or # lines); the server would accept anyone", file)
	}
	return tokens, nil
}

func cmdServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve")
	var cfg server.Config
	fs.StringVar(&cfg.Addr, "addr", env("ADDR", ":8080"), "listen address (GOVREPORT_ADDR)")
	limit := byteSize(2 << 20)
	if v := env("BODY_LIMIT", ""); v != "" {
		if err := limit.Set(v); err != nil {
			fmt.Fprintln(stderr, "govreport: GOVREPORT_BODY_LIMIT:", err)
			return 2
		}
	}
	fs.Var(&limit, "body-limit", "largest request body, e.g. 2MiB (GOVREPORT_BODY_LIMIT)")
	fs.IntVar(&cfg.MaxRenders, "max-renders", envInt("MAX_RENDERS", runtime.GOMAXPROCS(0)), "renders at once (GOVREPORT_MAX_RENDERS)")
	fs.IntVar(&cfg.QueueSize, "queue", envInt("QUEUE", 0), "requests that may wait for a render; beyond it 503 (GOVREPORT_QUEUE; default 4 × max-renders)")
	fs.DurationVar(&cfg.RenderTimeout, "render-timeout", envDuration("RENDER_TIMEOUT", 10*time.Second), "per-request render timeout (GOVREPORT_RENDER_TIMEOUT)")
	fs.DurationVar(&cfg.ReadTimeout, "read-timeout", envDuration("READ_TIMEOUT", 30*time.Second), "HTTP read timeout (GOVREPORT_READ_TIMEOUT)")
	fs.DurationVar(&cfg.WriteTimeout, "write-timeout", envDuration("WRITE_TIMEOUT", 0), "HTTP write timeout; default render-timeout + 10s (GOVREPORT_WRITE_TIMEOUT)")
	fs.DurationVar(&cfg.IdleTimeout, "idle-timeout", envDuration("IDLE_TIMEOUT", 120*time.Second), "HTTP idle timeout (GOVREPORT_IDLE_TIMEOUT)")
	fs.DurationVar(&cfg.DrainTimeout, "drain-timeout", envDuration("DRAIN_TIMEOUT", 30*time.Second), "on SIGTERM, how long renders in flight may finish (GOVREPORT_DRAIN_TIMEOUT)")
	fontDir := fs.String("font-dir", env("FONT_DIR", ""), "TrueType files overriding font roles (GOVREPORT_FONT_DIR)")
	tokens := fs.String("tokens", env("TOKENS", ""), "comma-separated bearer tokens; empty: no authentication (GOVREPORT_TOKENS)")
	tokenFile := fs.String("token-file", env("TOKEN_FILE", ""), "file with one bearer token a line (GOVREPORT_TOKEN_FILE)")
	proxies := fs.String("trusted-proxies", env("TRUSTED_PROXIES", ""), "comma-separated addresses or CIDRs of proxies whose X-Forwarded-For names the client in logs; default none (GOVREPORT_TRUSTED_PROXIES)")
	logLevel := fs.String("log-level", env("LOG_LEVEL", "info"), "debug, info, warn or error (GOVREPORT_LOG_LEVEL)")
	if done, code := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, "takes no arguments, only flags")
	}
	cfg.BodyLimit = int64(limit)
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintln(stderr, "govreport: --log-level:", err)
		return 2
	}
	cfg.Logger = slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))
	var err error
	if cfg.Tokens, err = parseTokens(*tokens, *tokenFile); err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			// A bad value is a usage error (exit 2) like any other flag's,
			// not a failure to serve.
			if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
				fmt.Fprintf(stderr, "govreport: --trusted-proxies (GOVREPORT_TRUSTED_PROXIES): %q is not an IP address or CIDR\n", p)
				return 2
			}
			cfg.TrustedProxies = append(cfg.TrustedProxies, p)
		}
	}
	set, err := fonts.Load(*fontDir)
	if err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	cfg.Fonts = set
	cfg.Version = readBuildInfo().Version
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

// tuneGC trades memory for CPU unless GOGC or GOMEMLIMIT say otherwise: a
// render allocates a few MB (5 MB for the seed PDF) that die at once. With
// our own PDF writer, GOGC 800 with the 250 MiB soft limit against the
// defaults (GOGC=100 GOMEMLIMIT=off), scripts/load.sh at concurrency 8 on
// two shared cores (load average 4–7, two runs each, alternated): server CPU
// per seed PDF export 6.3 and 5.7 ms against 6.9 and 6.7 ms (about 12 %
// less), 124 and 136 exports a second against 111 and 108, for a peak RSS of
// 220–255 MB against 58–66 MB.
// The soft limit makes the collector work harder before the heap outgrows
// a 300 MB container.
func tuneGC() {
	if _, ok := os.LookupEnv("GOGC"); !ok {
		debug.SetGCPercent(800)
	}
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		debug.SetMemoryLimit(250 << 20)
	}
}
