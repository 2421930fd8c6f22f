package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"chat/db"
)

// adminCommand is "chat admin ...": what the people who run the site do
// for the people who use it, beside the running server.
func adminCommand(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "reset-password" {
		fmt.Fprintln(stderr, "Usage: chat admin reset-password [-data DIR] [-url URL] USERNAME")
		return 2
	}
	fs := flag.NewFlagSet("admin reset-password", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dataDir := fs.String("data", envOr("CHAT_DATA_DIR", "./data"), "the server's data directory (env CHAT_DATA_DIR)")
	site := fs.String("url", envOr("CHAT_URL", "http://localhost:8080"), "the site's address as people reach it, for the link (env CHAT_URL)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: chat admin reset-password [-data DIR] [-url URL] USERNAME")
		fmt.Fprintln(stderr, "Prints a link that sets a new password for USERNAME, once, within an hour,")
		fmt.Fprintln(stderr, "and signs them out everywhere. Send it to them by a way you trust.")
		fs.PrintDefaults()
	}
	if code, ok := parseArgs(fs, args[1:], 1); !ok {
		return code
	}
	link, err := resetLink(context.Background(), filepath.Join(*dataDir, "chat.db"), fs.Arg(0), *site)
	if err != nil {
		fmt.Fprintln(stderr, "chat admin reset-password:", err)
		return 1
	}
	fmt.Fprintln(stdout, link)
	return 0
}

// resetLink records a one-time password reset for username in the
// database at path, and returns its link on site.
func resetLink(ctx context.Context, path, username, site string) (string, error) {
	store, err := db.Open(ctx, path, db.Options{})
	if err != nil {
		return "", err
	}
	defer store.Close()
	u, err := store.UserByUsername(ctx, username)
	if errors.Is(err, db.ErrNotFound) {
		return "", fmt.Errorf("there is no one with the username %q", username)
	}
	if err != nil {
		return "", err
	}
	token := make([]byte, 32)
	rand.Read(token)
	text := hex.EncodeToString(token)
	if err := store.CreatePasswordReset(ctx, u.ID, []byte(text)); err != nil {
		return "", err
	}
	return strings.TrimSuffix(site, "/") + "/reset/" + text, nil
}
