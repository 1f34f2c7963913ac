package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vernost/vernost"
)

// healthz answers a load balancer: 200 when both database pools answer a
// ping within two seconds, 503 otherwise.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	for _, pool := range []interface{ PingContext(context.Context) error }{s.db.W, s.db.R} {
		if err := pool.PingContext(ctx); err != nil {
			return &vernost.Error{Code: vernost.EUnavailable, Message: "the database does not answer", Err: err}
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": s.db.Dialect})
	return nil
}

// metrics are the server's Prometheus metrics, in a registry of its own so
// that several servers (tests) do not collide.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	handler  http.Handler
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vernost_http_requests_total",
			Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "vernost_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
	}
	m.registry.MustRegister(m.requests, m.duration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
	return m
}

func (m *metrics) observe(route string, status int, took time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(took.Seconds())
}

// metricsPage serves /metrics to an admin session or, when
// Config.MetricsToken is set, to a scraper presenting it as a bearer token.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) error {
	s.metrics.handler.ServeHTTP(w, r)
	return nil
}

// Registry returns the server's Prometheus registry, so that other parts of
// the program (workers, the job queue) can add their metrics to /metrics.
func (s *Server) Registry() *prometheus.Registry { return s.metrics.registry }
