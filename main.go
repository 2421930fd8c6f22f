// Command chat serves the chat website.
//
//	go run . [-addr :8080] [-data ./data]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"chat/db"
	"chat/handlers"
	"chat/hub"
)

type config struct {
	addr    string
	dataDir string
}

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
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
	flag.Parse()
	return c
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
	events := make(chan []db.Event, 1024)
	store, err := db.Open(ctx, filepath.Join(cfg.dataDir, "chat.db"), db.Options{Events: events})
	if err != nil {
		return err
	}
	var app *handlers.Server
	live := hub.New(hub.Options{OnPresence: func(user int64) { app.PresenceChanged(user) }})
	app = handlers.New(handlers.Config{Store: store, Hub: live, Events: events, Log: log, SessionSecret: secret})

	// Lifetimes, stopped in reverse: live updates outlast the sockets,
	// which outlast the hub's stop, which follows the HTTP server's.
	liveCtx, stopLive := context.WithCancel(context.Background())
	liveDone := make(chan struct{})
	go func() { app.Run(liveCtx); close(liveDone) }()
	hubCtx, stopHub := context.WithCancel(context.Background())
	hubDone := make(chan struct{})
	go func() { live.Run(hubCtx); close(hubDone) }()
	defer func() {
		stopHub() // every socket closes with 1012: browsers reconnect to the next server
		<-hubDone
		app.WaitSockets()
		stopLive()
		<-liveDone
		if err := store.Close(); err != nil {
			log.Error("closing database", "err", err)
		}
	}()

	srv := &http.Server{
		Handler:           app.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	log.Info("listening", "addr", ln.Addr().String(), "data_dir", cfg.dataDir)

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
