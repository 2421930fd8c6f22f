// Command chat serves the chat website, and does beside it what the
// people who run it need.
//
//	go run . [serve] [-addr :8080] [-data ./data] ...
//	go run . admin reset-password [-data ./data] [-url URL] USERNAME
//
// Each command says what it takes with -h.
package main

import (
	"context"
	"errors"
	"expvar"
	"flag"
	"fmt"
	"io"
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
	"chat/metrics"
)

type config struct {
	addr           string
	dataDir        string
	synchronous    string
	debugAddr      string
	trustedProxies string
	signupsPerHour int
	logFormat      string
	tlsCert        string
	tlsKey         string
}

func main() {
	os.Exit(runCommand(os.Args[1:], os.Stdout, os.Stderr))
}

// usage says what commands there are.
func usage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  chat [serve] [flags]                 serve the site (the default)
  chat backup FILE                     copy the database and files while it runs
  chat restore FILE -data DIR          restore a backup into an empty directory
  chat admin reset-password USERNAME   print a link that sets a new password

Run "chat COMMAND -h" for a command's flags.
`)
}

// runCommand runs the command args names (serve, when none is named) and
// returns the process's exit status.
func runCommand(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serveCommand(args, stderr)
	case "admin":
		return adminCommand(args, stdout, stderr)
	case "backup":
		return backupCommand(args, stdout, stderr)
	case "restore":
		return restoreCommand(args, stdout, stderr)
	case "help":
		usage(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "chat: there is no command %q\n\n", cmd)
	usage(stderr)
	return 2
}

// serveCommand is "chat serve": the website.
func serveCommand(args []string, stderr io.Writer) int {
	cfg, err := parseConfig(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	log, err := newLogger(cfg.logFormat, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "chat:", err)
		return 2
	}
	if os.Getenv("GOGC") == "" {
		// The live heap is small and the allocation rate high (rendering
		// every message for every viewer): at Go's default each collection
		// came every second and delayed messages for its duration. Fewer,
		// larger collections cost some memory and keep delivery steady;
		// docs/PERFORMANCE.md has the figures. GOGC and GOMEMLIMIT still
		// apply when set.
		debug.SetGCPercent(400)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, log); err != nil {
		log.Error("server stopped", "err", err)
		return 1
	}
	return 0
}

// newLogger is the one logger, writing lines of text or JSON.
func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("-log-format: %q is neither text nor json", format)
}

// parseConfig reads serve's flags, falling back to CHAT_* environment
// variables, then to the defaults.
func parseConfig(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", envOr("CHAT_ADDR", ":8080"), "listen address (env CHAT_ADDR)")
	fs.StringVar(&c.dataDir, "data", envOr("CHAT_DATA_DIR", "./data"), "directory for the database and keys (env CHAT_DATA_DIR)")
	fs.StringVar(&c.synchronous, "synchronous", envOr("CHAT_SYNCHRONOUS", db.SynchronousFull),
		"SQLite synchronous mode: FULL (durable, the default) or NORMAL (for measuring what durability costs) (env CHAT_SYNCHRONOUS)")
	fs.StringVar(&c.debugAddr, "debug-addr", os.Getenv("CHAT_DEBUG_ADDR"),
		"if set, serve Go's profiler (/debug/pprof/) on this address, e.g. 127.0.0.1:6060; keep it private (env CHAT_DEBUG_ADDR)")
	fs.StringVar(&c.trustedProxies, "trusted-proxy", os.Getenv("CHAT_TRUSTED_PROXY"),
		"addresses or networks (comma-separated) of the proxies in front of the server, whose X-Forwarded-Proto and X-Forwarded-For are believed; none by default (env CHAT_TRUSTED_PROXY)")
	fs.IntVar(&c.signupsPerHour, "signup-limit", envInt("CHAT_SIGNUP_LIMIT", 10),
		"accounts one address may make an hour; -1 for no limit (env CHAT_SIGNUP_LIMIT)")
	fs.StringVar(&c.logFormat, "log-format", envOr("CHAT_LOG_FORMAT", "text"), "log lines as text or json (env CHAT_LOG_FORMAT)")
	fs.StringVar(&c.tlsCert, "tls-cert", os.Getenv("CHAT_TLS_CERT"), "serve HTTPS with this certificate (PEM) and -tls-key (env CHAT_TLS_CERT)")
	fs.StringVar(&c.tlsKey, "tls-key", os.Getenv("CHAT_TLS_KEY"), "the private key (PEM) of -tls-cert (env CHAT_TLS_KEY)")
	err := fs.Parse(args)
	return c, err
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

// run serves the site until ctx ends, then shuts it down gracefully.
func run(ctx context.Context, cfg config, log *slog.Logger) error {
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
	// The metrics read the live layer's counts at each scrape, once it
	// runs (the debug listener starts after it).
	var updates *live.Service
	counts := metrics.New(func() live.Stats { return updates.Stats() })
	events := make(chan []db.Event, 1024)
	store, err := db.Open(ctx, filepath.Join(cfg.dataDir, "chat.db"), db.Options{
		Events: events, Files: dir, Synchronous: strings.ToUpper(cfg.synchronous), Observer: counts,
	})
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
	if (cfg.tlsCert == "") != (cfg.tlsKey == "") {
		return errors.New("-tls-cert and -tls-key go together")
	}
	updates = live.Start(live.Config{Store: store, Events: events, Log: log, Observer: counts})
	defer updates.Stop()
	app := handlers.New(handlers.Config{
		Store: store, Files: dir, Live: updates, Log: log, SessionSecret: secret, Observer: counts,
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
		go serveDebug(cfg.debugAddr, counts.Handler(), log)
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	log.Info("listening", "addr", ln.Addr().String(), "data_dir", cfg.dataDir, "synchronous", strings.ToUpper(cfg.synchronous))

	serveErr := make(chan error, 1)
	go func() {
		if cfg.tlsCert != "" {
			serveErr <- srv.ServeTLS(ln, cfg.tlsCert, cfg.tlsKey)
			return
		}
		serveErr <- srv.Serve(ln)
	}()
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
func serveDebug(addr string, metrics http.Handler, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", metrics)
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
