package handlers

import (
	"context"
	"net/http"
	"time"
)

// readyWithin is how long /readyz waits for the database to take a write.
const readyWithin = 2 * time.Second

// healthz answers 200 while the process runs: for a supervisor that
// restarts it when it stops answering. No session, no data.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// readyz answers 200 when the server can do its work: the database takes
// a write within readyWithin and the live layer runs; 503 otherwise, for
// a load balancer to send people elsewhere meanwhile.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	wrote := make(chan error, 1)
	go func() { wrote <- s.store.CheckWrite(context.WithoutCancel(r.Context())) }()
	var problem string
	select {
	case err := <-wrote:
		if err != nil {
			problem = "the database cannot take a write"
			s.log.Warn("not ready", "err", err)
		}
	case <-time.After(readyWithin):
		problem = "the database did not take a write in time"
		s.log.Warn("not ready", "reason", "write_timeout")
	}
	if problem == "" && !s.live.Running() {
		problem = "the live layer is stopped"
	}
	if problem != "" {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("not ready: " + problem + "\n"))
		return
	}
	w.Write([]byte("ready\n"))
}
