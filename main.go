// Command chat serves the chat website.
//
//	go run . [-addr :8080] [-data ./data]
package main

import (
	"context"
	"errors"
	"expvar"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"chat/db"
	"chat/files"
	"chat/handlers"
	"chat/live"
)

type config struct {
	addr           string
	dataDir        string
	synchronous    string
	debugAddr      string
	trustedProxies string
	signupsPerHour int
}

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if os.Getenv("GOGC") == "" {
		// The live heap is small and the allocation rate high (rendering
		// every message for every viewer): at Go's default each collection
		// came every second and delayed messages for its duration. Fewer,
		// larger collections cost some memory and keep delivery steady;
		// docs/PERFORMANCE.md has the figures. GOGC and GOMEMLIMIT still
		// apply when set.
		debug.SetGCPercent(400)
	}
	if err := run(parseConfig(), log); err != nil {
		log.Error("server stopped", "err", err)
		os.Exit(1)
	}
}

// parseConfig reads the flags, falling back to CHAT_* environment
// variables, then to the defaults.
func parseConfig() config {
	var c config
	flag.StringVar(&c.addr, "addr", envOr("CHAT_ADDR", ":8080"), "listen address (env CHAT_ADDR)")
	flag.StringVar(&c.dataDir, "data", envOr("CHAT_DATA_DIR", "./data"), "directory for the database and keys (env CHAT_DATA_DIR)")
	flag.StringVar(&c.synchronous, "synchronous", envOr("CHAT_SYNCHRONOUS", db.SynchronousFull),
		"SQLite synchronous mode: FULL (durable, the default) or NORMAL (for measuring what durability costs) (env CHAT_SYNCHRONOUS)")
	flag.StringVar(&c.debugAddr, "debug-addr", os.Getenv("CHAT_DEBUG_ADDR"),
		"if set, serve Go's profiler (/debug/pprof/) on this address, e.g. 127.0.0.1:6060; keep it private (env CHAT_DEBUG_ADDR)")
	flag.StringVar(&c.trustedProxies, "trusted-proxy", os.Getenv("CHAT_TRUSTED_PROXY"),
		"addresses or networks (comma-separated) of the proxies in front of the server, whose X-Forwarded-Proto and X-Forwarded-For are believed; none by default (env CHAT_TRUSTED_PROXY)")
	flag.IntVar(&c.signupsPerHour, "signup-limit", envInt("CHAT_SIGNUP_LIMIT", 10),
		"accounts one address may make an hour; -1 for no limit (env CHAT_SIGNUP_LIMIT)")
	flag.Parse()
	return c
}

func envInt(name string, fallback int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return fallback
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func run(cfg config, log *slog.Logger) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := os.MkdirAll(cfg.dataDir, 0o700); err != nil {
		return err
	}
	secret, err := handlers.LoadSessionSecret(cfg.dataDir, os.Getenv("CHAT_SESSION_KEY"))
	if err != nil {
		return fmt.Errorf("session key: %w", err)
	}
	// The files messages carry, each named by its SHA-256.
	dir, err := files.Open(filepath.Join(cfg.dataDir, "files"))
	if err != nil {
		return err
	}
	events := make(chan []db.Event, 1024)
	store, err := db.Open(ctx, filepath.Join(cfg.dataDir, "chat.db"), db.Options{Events: events, Files: dir, Synchronous: strings.ToUpper(cfg.synchronous)})
	if err != nil {
		return err
	}
	// Stopped in reverse: the HTTP server first (below), then the live
	// layer, whose sockets close with 1012 so browsers reconnect to the
	// next server, then the store, once nothing writes to it.
	defer func() {
		if err := store.Close(); err != nil {
			log.Error("closing database", "err", err)
		}
	}()
	proxies, err := handlers.ParseTrustedProxies(cfg.trustedProxies)
	if err != nil {
		return fmt.Errorf("-trusted-proxy: %w", err)
	}
	if cfg.signupsPerHour == 0 {
		return errors.New("-signup-limit: 0 would refuse every sign-up; -1 means no limit")
	}
	updates := live.Start(live.Config{Store: store, Events: events, Log: log})
	defer updates.Stop()
	app := handlers.New(handlers.Config{
		Store: store, Files: dir, Live: updates, Log: log, SessionSecret: secret,
		TrustedProxies: proxies, SignupsPerHour: cfg.signupsPerHour,
	})

	srv := &http.Server{
		Handler:           app.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if cfg.debugAddr != "" {
		expvar.Publish("db_writer", expvar.Func(func() any { return store.WriterStats() }))
		go serveDebug(cfg.debugAddr, log)
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	log.Info("listening", "addr", ln.Addr().String(), "data_dir", cfg.dataDir, "synchronous", strings.ToUpper(cfg.synchronous))

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}

	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// serveDebug serves the profiler and counters (/debug/vars) on their own
// listener, never on the site's.
func serveDebug(addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/debug/vars", expvar.Handler())
	log.Info("profiler listening", "addr", addr)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		log.Error("profiler stopped", "err", err)
	}
}
