package server

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func promHandler(m *metrics) http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
