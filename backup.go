package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"chat/db"
	"chat/files"
)

// filesBeside is where a backup's files go: a directory beside it.
func filesBeside(backup string) string { return backup + ".files" }

// backupCommand is "chat backup FILE": a consistent copy of the running
// server's database, and the files it names beside it.
func backupCommand(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("backup", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dataDir := fset.String("data", envOr("CHAT_DATA_DIR", "./data"), "the server's data directory (env CHAT_DATA_DIR)")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "Usage: chat backup [-data DIR] FILE")
		fmt.Fprintln(stderr, "Copies the database, as it is at one moment, to FILE while the server runs,")
		fmt.Fprintln(stderr, "and the files its messages and pictures name to FILE.files.")
		fset.PrintDefaults()
	}
	if code, ok := parseArgs(fset, args, 1); !ok {
		return code
	}
	ctx := context.Background()
	to := fset.Arg(0)
	if err := db.Backup(ctx, filepath.Join(*dataDir, "chat.db"), to); err != nil {
		fmt.Fprintln(stderr, "chat backup:", err)
		return 1
	}
	copied, missing, err := copyNamedFiles(ctx, to, files.At(filepath.Join(*dataDir, "files")))
	if err != nil {
		fmt.Fprintln(stderr, "chat backup:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: the database, and %d files in %s\n", to, copied, filesBeside(to))
	if missing > 0 {
		// Deleted by their people between the copy of the database and
		// of the files: the messages that named them are gone since.
		fmt.Fprintf(stdout, "%d files named at the moment of the copy were deleted since\n", missing)
	}
	return 0
}

// copyNamedFiles copies the files the backup at path names from src to
// beside the backup.
func copyNamedFiles(ctx context.Context, path string, src *files.Dir) (copied, missing int, err error) {
	sums, err := db.FilesNamed(ctx, path)
	if err != nil {
		return 0, 0, err
	}
	dst, err := files.Open(filesBeside(path))
	if err != nil {
		return 0, 0, err
	}
	for _, sum := range sums {
		err := src.CopyTo(dst, sum)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			missing++
		case err != nil:
			return copied, missing, err
		default:
			copied++
		}
	}
	return copied, missing, os.RemoveAll(filepath.Join(filesBeside(path), "tmp"))
}

// restoreCommand is "chat restore FILE -data DIR": a backup made by chat
// backup, into an empty data directory.
func restoreCommand(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("restore", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dataDir := fset.String("data", envOr("CHAT_DATA_DIR", "./data"), "the data directory to restore into; it must be empty (env CHAT_DATA_DIR)")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "Usage: chat restore [-data DIR] FILE")
		fmt.Fprintln(stderr, "Restores a backup (FILE and FILE.files) into the empty data directory DIR,")
		fmt.Fprintln(stderr, "checking the database. The server then starts from it with -data DIR.")
		fset.PrintDefaults()
	}
	if code, ok := parseArgs(fset, args, 1); !ok {
		return code
	}
	if err := restore(context.Background(), fset.Arg(0), *dataDir); err != nil {
		fmt.Fprintln(stderr, "chat restore:", err)
		return 1
	}
	fmt.Fprintf(stdout, "restored %s into %s\n", fset.Arg(0), *dataDir)
	return 0
}

// restore copies the backup at path into the empty directory dataDir.
func restore(ctx context.Context, path, dataDir string) error {
	if err := db.Check(ctx, path); err != nil {
		return err
	}
	if entries, err := os.ReadDir(dataDir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty: restore only into an empty data directory", dataDir)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return err
	}
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(filepath.Join(dataDir, "chat.db"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	from := files.At(filesBeside(path))
	names, err := from.Names()
	if err != nil {
		return err
	}
	to, err := files.Open(filepath.Join(dataDir, "files"))
	if err != nil {
		return err
	}
	for _, sum := range names {
		if err := from.CopyTo(to, sum); err != nil {
			return err
		}
	}
	return db.Check(ctx, filepath.Join(dataDir, "chat.db"))
}

// parseArgs parses a command's flags, which must leave n arguments: the
// exit status and false when the command is not to run.
func parseArgs(fset *flag.FlagSet, args []string, n int) (int, bool) {
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return 2, false
	}
	if fset.NArg() != n {
		fset.Usage()
		return 2, false
	}
	return 0, true
}
