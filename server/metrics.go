package server

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the service's Prometheus metrics, in a registry of its own
// so that tests and embedders can run several servers in one process.
type metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	pages      *prometheus.CounterVec
	queueWait  prometheus.Histogram
	rejections *prometheus.CounterVec
}

func newMetrics(l *limiter) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "govreport_http_requests_total",
		Help: "HTTP requests by route, output format and status.",
	}, []string{"route", "format", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "govreport_render_duration_seconds",
		Help:    "Time to render one report, by output format.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"format"})
	m.pages = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "govreport_pages_rendered_total",
		Help: "Pages rendered, by output format.",
	}, []string{"format"})
	m.queueWait = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "govreport_queue_wait_seconds",
		Help:    "Time a request waited for a render slot.",
		Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	})
	m.rejections = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "govreport_rejections_total",
		Help: "Requests refused, by reason: queue_full, timeout, body_too_large, unsupported_media_type, not_acceptable, unauthorized, invalid, malformed, draining.",
	}, []string{"reason"})
	inFlight := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "govreport_renders_in_flight",
		Help: "Renders running now.",
	}, func() float64 { return float64(l.inFlight.Load()) })
	waiting := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "govreport_renders_waiting",
		Help: "Requests waiting for a render slot now.",
	}, func() float64 { return float64(l.waiting.Load()) })
	m.reg.MustRegister(m.requests, m.duration, m.pages, m.queueWait, m.rejections, inFlight, waiting,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
