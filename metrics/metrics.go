// Package metrics counts what the people who run the site watch, for
// Prometheus: open sockets, messages stored, commits and their time,
// publishing latency, dropped slow sockets, logins refused, HTTP requests
// by route, and Go's own runtime. It observes the store, the live layer
// and the HTTP side through the small interfaces each of them defines,
// so none of them knows of Prometheus. One Metrics a server: its own
// registry, no global state.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"chat/live"
)

// Metrics is a server's metrics, and what it observes.
type Metrics struct {
	registry          *prometheus.Registry
	messagesStored    prometheus.Counter
	commitSeconds     prometheus.Histogram
	writesPerCommit   prometheus.Histogram
	publishSeconds    prometheus.Histogram
	loginsFailed      prometheus.Counter
	loginsThrottled   prometheus.Counter
	requests          *prometheus.CounterVec
	requestSeconds    *prometheus.HistogramVec
	messagesPerCommit prometheus.Histogram
}

// New makes the metrics of one server; live, when set, is read for the
// open tabs and dropped sockets at each scrape.
func New(stats func() live.Stats) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		messagesStored: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "chat_messages_stored_total", Help: "Messages stored (committed).",
		}),
		commitSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "chat_commit_seconds", Help: "Time in COMMIT: writing the log and its fsync (synchronous=FULL).",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 12),
		}),
		writesPerCommit: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "chat_writes_per_commit", Help: "Writes (messages and other changes) sharing one commit.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 10),
		}),
		messagesPerCommit: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "chat_messages_per_commit", Help: "Messages stored by one commit.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 10),
		}),
		publishSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "chat_publish_seconds", Help: "From a message's being stored to its being published to the tabs.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}),
		loginsFailed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "chat_logins_failed_total", Help: "Logins refused for a wrong username or password.",
		}),
		loginsThrottled: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "chat_logins_throttled_total", Help: "Logins refused for too many failures.",
		}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chat_http_requests_total", Help: "HTTP requests answered, by route pattern and status.",
		}, []string{"route", "status"}),
		requestSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "chat_http_request_seconds", Help: "Time to answer an HTTP request, by route pattern.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}, []string{"route"}),
	}
	m.registry.MustRegister(m.messagesStored, m.commitSeconds, m.writesPerCommit, m.messagesPerCommit, m.publishSeconds,
		m.loginsFailed, m.loginsThrottled, m.requests, m.requestSeconds,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if stats != nil {
		m.registry.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "chat_open_tabs", Help: "Pages with a live connection (one socket each)."},
				func() float64 { return float64(stats().Tabs) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "chat_online_people", Help: "People with at least one open page."},
				func() float64 { return float64(stats().People) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "chat_sockets_dropped_total", Help: "Sockets closed because they read too slowly."},
				func() float64 { return float64(stats().Dropped) }),
		)
	}
	return m
}

// Handler serves the metrics, for the private debug listener.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Committed counts a commit of the store (db.Observer).
func (m *Metrics) Committed(took time.Duration, writes, messages int) {
	m.commitSeconds.Observe(took.Seconds())
	m.writesPerCommit.Observe(float64(writes))
	if messages > 0 {
		m.messagesPerCommit.Observe(float64(messages))
		m.messagesStored.Add(float64(messages))
	}
}

// Published counts a message published to the tabs (live.Observer).
func (m *Metrics) Published(sinceStored time.Duration) {
	m.publishSeconds.Observe(sinceStored.Seconds())
}

// Request counts a request answered (handlers.Observer); one that no
// route took counts under "unmatched", never its path.
func (m *Metrics) Request(route string, status int, took time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.requestSeconds.WithLabelValues(route).Observe(took.Seconds())
}

// LoginFailed counts a login refused for a wrong password.
func (m *Metrics) LoginFailed() { m.loginsFailed.Inc() }

// LoginThrottled counts a login refused for too many failures.
func (m *Metrics) LoginThrottled() { m.loginsThrottled.Inc() }
