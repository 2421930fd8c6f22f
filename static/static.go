// Package static holds the browser files, embedded in the binary, and the
// content-hashed URLs pages use to reference them.
//
// A file's URL carries the first bytes of its SHA-256, so it can be cached
// forever: a changed file gets a new URL.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
)

//go:embed app.css app.js attach.js conversation.js favicon.svg favicon-unread.svg notify.wav vendor/*.js
var files embed.FS

// Prefix is where Handler-style servers mount these files.
const Prefix = "/static/"

// File is one embedded file.
type File struct {
	Name    string // path inside this package, e.g. "vendor/htmx-2.0.11.min.js"
	Hash    string // hex prefix of the SHA-256 of Data
	Data    []byte
	Type    string // Content-Type
	URLPath string // e.g. "/static/1a2b3c4d5e6f/app.js"
}

var byName = map[string]*File{}

func init() {
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		h := hex.EncodeToString(sum[:6])
		byName[name] = &File{
			Name:    name,
			Hash:    h,
			Data:    data,
			Type:    contentType(name),
			URLPath: Prefix + h + "/" + name,
		}
		return nil
	})
	if err != nil {
		panic("static: " + err.Error())
	}
}

// URL returns the cache-busting URL of an embedded file. It panics on an
// unknown name: that is a programming error caught by any test rendering
// the page.
func URL(name string) string {
	f, ok := byName[name]
	if !ok {
		panic("static: no file " + name)
	}
	return f.URLPath
}

// Lookup returns the embedded file with that name.
func Lookup(name string) (*File, bool) {
	f, ok := byName[name]
	return f, ok
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".wav":
		return "audio/wav"
	}
	return "application/octet-stream"
}
