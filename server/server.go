// Package server is govreport's HTTP export service on Gin: one endpoint
// that answers a report with its PDF or DOCX, validation, the formats and
// their JSON Schemas, health, readiness and Prometheus metrics. It renders
// through the same pipeline as the CLI (package render) and adds what a
// service needs to run for months: body and concurrency limits with a
// bounded queue, a render timeout carried by the context into the layout,
// RFC 9457 problem responses, request IDs, JSON logs, panic recovery,
// optional bearer tokens and a graceful drain on shutdown.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/govreport/govreport/fonts"
	"github.com/govreport/govreport/templates"
)

// DefaultQueue is how many requests may wait for a render by default (or
// 4 × MaxRenders, if more): a burst of 32 clients against a 2-core pod is
// queued, not refused. A seed export is under 10 ms of CPU, so the last of
// 32 waits about 160 ms on 2 cores; each waiting request holds at most its
// body (BodyLimit), 64 MiB for 32 at 2 MiB, which the Deployment's 320 MiB
// holds (deploy/README.md, measured with scripts/soak.sh). With the old
// default of 8 (4 × 2), 86 % of the PDF requests of 32 clients got 503.
const DefaultQueue = 32

// Config is the service's configuration. Zero values take the defaults.
type Config struct {
	Addr          string        // listen address, default :8080
	BodyLimit     int64         // bytes, default 2 MiB
	MaxRenders    int           // renders at once, default GOMAXPROCS
	QueueSize     int           // requests waiting for a render slot, default DefaultQueue (4 × MaxRenders if more)
	RenderTimeout time.Duration // per request from the end of its body, queue wait included; default 10 s
	ReadTimeout   time.Duration // headers and body; default 30 s
	WriteTimeout  time.Duration // from the end of the body (other requests: from the headers); default RenderTimeout + 10 s
	IdleTimeout   time.Duration // default 120 s
	DrainTimeout  time.Duration // how long a shutdown waits for admitted requests, default 30 s
	Tokens        []string      // bearer tokens; empty means no authentication
	// TrustedProxies are the addresses or CIDRs of the proxies whose
	// X-Forwarded-For and X-Real-IP name the client in logs; empty trusts
	// none, so a client cannot choose the address it is logged under.
	TrustedProxies []string
	// CORSOrigins are the origins whose pages may call the API from a
	// browser (Access-Control-Allow-Origin); "*" is any. Default none.
	CORSOrigins []string
	Fonts       *fonts.Set // nil: fonts.Default, the shipped faces when the program imports fonts/faces
	// Date, when set, is the creation date of every file (the command sets
	// it from SOURCE_DATE_EPOCH); zero means each report's signature date.
	Date    time.Time
	Version string
	Logger  *slog.Logger // nil: JSON to standard error
	// NoUI turns off the page for clerks at / (package server/ui).
	NoUI bool
}

func (c *Config) setDefaults() {
	if c.Addr == "" {
		c.Addr = ":8080"
	}
	if c.BodyLimit <= 0 {
		c.BodyLimit = 2 << 20
	}
	if c.MaxRenders <= 0 {
		c.MaxRenders = runtime.GOMAXPROCS(0)
	}
	if c.QueueSize < 0 {
		c.QueueSize = 0
	} else if c.QueueSize == 0 {
		c.QueueSize = max(DefaultQueue, 4*c.MaxRenders)
	}
	if c.RenderTimeout <= 0 {
		c.RenderTimeout = 10 * time.Second
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = 30 * time.Second
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = c.RenderTimeout + 10*time.Second
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 120 * time.Second
	}
	if c.DrainTimeout <= 0 {
		c.DrainTimeout = 30 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewJSONHandler(errWriter{}, nil))
	}
}

// Server is the HTTP service. It is safe for concurrent use.
type Server struct {
	cfg      Config
	fonts    *fonts.Set
	engine   *gin.Engine
	limit    *limiter
	metrics  *metrics
	log      *slog.Logger
	etags    *etags // recent exports' ETags, for If-None-Match
	ready    atomic.Bool
	draining atomic.Bool
}

// New builds the service: it loads and checks the fonts and templates
// first, so a server that starts is a server that can render.
func New(cfg Config) (*Server, error) {
	cfg.setDefaults()
	s := &Server{cfg: cfg, log: cfg.Logger}
	s.fonts = cfg.Fonts
	if s.fonts == nil {
		var err error
		if s.fonts, err = fonts.Default(); err != nil {
			return nil, fmt.Errorf("server: fonts: %w", err)
		}
	}
	if _, err := templates.Formats(); err != nil {
		return nil, fmt.Errorf("server: templates: %w", err)
	}
	s.limit = newLimiter(cfg.MaxRenders, cfg.QueueSize)
	s.etags = newETags(4096) // ~100 bytes an entry
	s.metrics = newMetrics(s.limit)
	s.engine = s.routes()
	if err := s.engine.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("server: trusted proxies: %w", err)
	}
	s.ready.Store(true)
	return s, nil
}

// Handler returns the HTTP handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.engine }

// Serve accepts connections on l until ctx is done, then drains: it keeps
// accepting, answers /readyz and new exports and validations with 503 and
// Retry-After (so a load balancer drops the instance and clients retry
// elsewhere, instead of meeting a refused connection), and waits for the
// requests already admitted to finish, within the drain timeout. Then it
// closes the listener and returns.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	srv := &http.Server{
		Handler:           s.engine,
		ReadHeaderTimeout: min(s.cfg.ReadTimeout, 10*time.Second),
		ReadTimeout:       s.cfg.ReadTimeout,
		// Exports and validations set their write deadline again when
		// their body has been read (extendDeadlines); this one, counted
		// from the headers, bounds every other answer.
		WriteTimeout:   s.cfg.WriteTimeout,
		IdleTimeout:    s.cfg.IdleTimeout,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	s.log.Info("serving", "addr", l.Addr().String(), "version", s.cfg.Version,
		"max_renders", s.cfg.MaxRenders, "queue", s.cfg.QueueSize, "render_timeout", s.cfg.RenderTimeout.String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.draining.Store(true)
	deadline := time.Now().Add(s.cfg.DrainTimeout)
	s.log.Info("draining", "timeout", s.cfg.DrainTimeout.String(), "in_flight", s.limit.admitted())
	// A request admitted before draining began holds its place until its
	// answer is built; one that comes later sees draining and is refused.
	for s.limit.admitted() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	dctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	if err := srv.Shutdown(dctx); err != nil {
		srv.Close()
		return fmt.Errorf("server: drain: %d requests unfinished after %s: %w", s.limit.admitted(), s.cfg.DrainTimeout, err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	s.log.Info("stopped")
	return nil
}

// ListenAndServe listens on the configured address and serves until ctx is
// done.
func (s *Server) ListenAndServe(ctx context.Context) error {
	l, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	return s.Serve(ctx, l)
}
