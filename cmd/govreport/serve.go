package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/govreport/govreport/internal/safefile"
)

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

// serveConfig is what serve's flags and environment set: the fields of
// server.Config they fill. serve's flags are parsed and checked in every
// build, so that a usage error is the same with or without the server;
// startServe (serve_server.go with -tags server, noserve.go without) then
// runs the server or hands over to the binary that has it.
type serveConfig struct {
	Addr                                                                string
	BodyLimit                                                           int64
	MaxRenders, QueueSize                                               int
	RenderTimeout, ReadTimeout, WriteTimeout, IdleTimeout, DrainTimeout time.Duration
	Logger                                                              *slog.Logger
	Tokens, TrustedProxies, CORSOrigins                                 []string
	FontDir                                                             string
	NoUI                                                                bool
}

func cmdServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("serve")
	var cfg serveConfig
	fs.StringVar(&cfg.Addr, "addr", ":8080", "listen address (GOVREPORT_ADDR)")
	limit := byteSize(2 << 20)
	fs.Var(&limit, "body-limit", "largest request body, e.g. 2MiB (GOVREPORT_BODY_LIMIT)")
	fs.IntVar(&cfg.MaxRenders, "max-renders", runtime.GOMAXPROCS(0), "renders at once (GOVREPORT_MAX_RENDERS)")
	fs.IntVar(&cfg.QueueSize, "queue", 0, "requests that may wait for a render; beyond it 503 (GOVREPORT_QUEUE; default 32, or 4 × max-renders if more)")
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
	cfg.FontDir = *fontDir
	return startServe(&cfg, args, stderr)
}

// checkServeValues refuses values that parse but cannot be meant: a
// timeout of zero or less, no render slot, a negative queue, an address
// without a port, an unknown log level. source names a flag with where
// its value came from (--render-timeout "0s", GOVREPORT_QUEUE="-1").
func checkServeValues(cfg *serveConfig, logLevel string, source func(string) string) error {
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
		return fmt.Errorf("%s: must be 0 (the default: 32, or 4 × max-renders if more) or more", source("queue"))
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
