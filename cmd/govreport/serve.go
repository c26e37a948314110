package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
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

// serveEnv maps each flag of serve to its environment variable.
var serveEnv = map[string]string{
	"addr": "ADDR", "body-limit": "BODY_LIMIT", "max-renders": "MAX_RENDERS", "queue": "QUEUE",
	"render-timeout": "RENDER_TIMEOUT", "read-timeout": "READ_TIMEOUT", "write-timeout": "WRITE_TIMEOUT",
	"idle-timeout": "IDLE_TIMEOUT", "drain-timeout": "DRAIN_TIMEOUT", "font-dir": "FONT_DIR",
	"tokens": "TOKENS", "token-file": "TOKEN_FILE", "trusted-proxies": "TRUSTED_PROXIES", "log-level": "LOG_LEVEL",
	"cors-origin": "CORS_ORIGIN", "no-ui": "NO_UI",
}

func cmdServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve")
	var cfg server.Config
	fs.StringVar(&cfg.Addr, "addr", ":8080", "listen address (GOVREPORT_ADDR)")
	limit := byteSize(2 << 20)
	fs.Var(&limit, "body-limit", "largest request body, e.g. 2MiB (GOVREPORT_BODY_LIMIT)")
	fs.IntVar(&cfg.MaxRenders, "max-renders", runtime.GOMAXPROCS(0), "renders at once (GOVREPORT_MAX_RENDERS)")
	fs.IntVar(&cfg.QueueSize, "queue", 0, "requests that may wait for a render; beyond it 503 (GOVREPORT_QUEUE; default 4 × max-renders)")
	fs.DurationVar(&cfg.RenderTimeout, "render-timeout", 10*time.Second, "per-request render timeout, from the end of the body, queue wait included (GOVREPORT_RENDER_TIMEOUT)")
	fs.DurationVar(&cfg.ReadTimeout, "read-timeout", 30*time.Second, "HTTP read timeout: headers and body (GOVREPORT_READ_TIMEOUT)")
	fs.DurationVar(&cfg.WriteTimeout, "write-timeout", 0, "HTTP write timeout, from the end of the body; default render-timeout + 10s (GOVREPORT_WRITE_TIMEOUT)")
	fs.DurationVar(&cfg.IdleTimeout, "idle-timeout", 120*time.Second, "HTTP idle timeout (GOVREPORT_IDLE_TIMEOUT)")
	fs.DurationVar(&cfg.DrainTimeout, "drain-timeout", 30*time.Second, "on SIGTERM, how long requests in flight may finish (GOVREPORT_DRAIN_TIMEOUT)")
	fontDir := fs.String("font-dir", "", "TrueType files overriding font roles (GOVREPORT_FONT_DIR)")
	tokens := fs.String("tokens", "", "comma-separated bearer tokens; empty: no authentication (GOVREPORT_TOKENS)")
	tokenFile := fs.String("token-file", "", "file with one bearer token a line (GOVREPORT_TOKEN_FILE)")
	proxies := fs.String("trusted-proxies", "", "comma-separated addresses or CIDRs of proxies whose X-Forwarded-For names the client in logs; default none (GOVREPORT_TRUSTED_PROXIES)")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error (GOVREPORT_LOG_LEVEL)")
	corsOrigins := fs.String("cors-origin", "", "comma-separated origins (https://portal.example.gov.cn) whose pages may call the API from the browser, * for any; default none (GOVREPORT_CORS_ORIGIN)")
	fs.BoolVar(&cfg.NoUI, "no-ui", false, "do not serve the page for clerks at / (GOVREPORT_NO_UI)")
	if done, code := parseFlags(fs, args, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(fs, stderr, "takes no arguments, only flags")
	}
	from := map[string]string{} // flag name → where its value came from
	fs.Visit(func(f *flag.Flag) { from[f.Name] = fmt.Sprintf("%s %q", dashed(f.Name), f.Value.String()) })
	// The environment sets a flag the command line did not, as the command
	// line would: a value that is not a duration, number or size refuses
	// to start (exit 2) naming the variable, instead of silently leaving
	// the default.
	var bad error
	fs.VisitAll(func(f *flag.Flag) {
		name := "GOVREPORT_" + serveEnv[f.Name]
		v, ok := os.LookupEnv(name)
		if _, set := from[f.Name]; set || !ok || bad != nil {
			return
		}
		if err := fs.Set(f.Name, v); err != nil {
			bad = fmt.Errorf("%s=%q: %v", name, v, flagValueError(f, err))
			return
		}
		from[f.Name] = fmt.Sprintf("%s=%q", name, v)
	})
	if bad != nil {
		fmt.Fprintln(stderr, "govreport:", bad)
		return 2
	}
	// source names where a flag's value came from, for an error.
	source := func(flag string) string {
		if s, ok := from[flag]; ok {
			return s
		}
		return dashed(flag)
	}
	if err := checkServeValues(&cfg, *logLevel, source); err != nil {
		fmt.Fprintln(stderr, "govreport:", err)
		return 2
	}
	cfg.BodyLimit = int64(limit)
	var level slog.Level
	level.UnmarshalText([]byte(*logLevel)) // checked above
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
	for _, o := range strings.Split(*corsOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			if u, err := url.Parse(o); o != "*" && (err != nil || u.Scheme == "" || u.Host == "" || u.Path != "" || u.RawQuery != "") {
				fmt.Fprintf(stderr, "govreport: --cors-origin (GOVREPORT_CORS_ORIGIN): %q is not an origin such as https://portal.example.gov.cn\n", o)
				return 2
			}
			cfg.CORSOrigins = append(cfg.CORSOrigins, o)
		}
	}
	set, err := fonts.Load(*fontDir)
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

// checkServeValues refuses values that parse but cannot be meant: a
// timeout of zero or less, no render slot, a negative queue, an address
// without a port, an unknown log level. source names a flag with where
// its value came from (--render-timeout "0s", GOVREPORT_QUEUE="-1").
func checkServeValues(cfg *server.Config, logLevel string, source func(string) string) error {
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{
		{"render-timeout", cfg.RenderTimeout}, {"read-timeout", cfg.ReadTimeout},
		{"idle-timeout", cfg.IdleTimeout}, {"drain-timeout", cfg.DrainTimeout},
	} {
		if d.v <= 0 {
			return fmt.Errorf("%s: must be a positive duration such as 10s", source(d.flag))
		}
	}
	if cfg.WriteTimeout < 0 {
		return fmt.Errorf("%s: must be a positive duration, or 0 for render-timeout + 10s", source("write-timeout"))
	}
	if cfg.MaxRenders < 1 {
		return fmt.Errorf("%s: must be at least 1", source("max-renders"))
	}
	if cfg.QueueSize < 0 {
		return fmt.Errorf("%s: must be 0 (4 × max-renders) or more", source("queue"))
	}
	if _, port, err := net.SplitHostPort(cfg.Addr); err != nil || port == "" {
		return fmt.Errorf("%s: want host:port or :port, e.g. :8080", source("addr"))
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("%s: want debug, info, warn or error", source("log-level"))
	}
	return nil
}

// flagValueError says why f refused a value in words: the flag package's
// own errors for numbers and durations are "parse error" and "value out
// of range".
func flagValueError(f *flag.Flag, err error) string {
	want := ""
	if g, ok := f.Value.(flag.Getter); ok {
		switch g.Get().(type) {
		case time.Duration:
			want = "a duration such as 10s or 1m30s"
		case int:
			want = "a whole number"
		}
	}
	if want == "" {
		return err.Error()
	}
	if err.Error() == "value out of range" {
		return "out of range for " + want
	}
	return "not " + want
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
