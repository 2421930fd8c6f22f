// Package media decides what a file people send is, from its bytes, and
// makes the images shown in chats: each image decoded and written again
// (which leaves its metadata, EXIF and GPS, behind), turned upright, and
// a thumbnail for the conversation. Pure Go: image/jpeg, image/png,
// image/gif and golang.org/x/image for WebP and scaling.
package media

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
)

// Limits of what is taken.
const (
	// MaxSize is the largest file, in bytes.
	MaxSize = 20 << 20
	// MaxPixels is the largest image, in pixels (a 48-megapixel phone
	// photo fits): the header of a "decompression bomb" claims far more,
	// and it is refused from the header, before any pixel is decoded.
	MaxPixels = 50_000_000
)

// What can be wrong with a file.
var (
	ErrEmpty    = errors.New("media: empty file")
	ErrNotImage = errors.New("media: not a readable image")
)

// TooLargeError is an image with more than MaxPixels pixels.
type TooLargeError struct{ Width, Height int }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("media: image of %d × %d pixels", e.Width, e.Height)
}

// Image types shown in chats.
const (
	JPEG = "image/jpeg"
	PNG  = "image/png"
	GIF  = "image/gif"
	WebP = "image/webp"
)

// SniffLen is how many of a file's first bytes Sniff looks at.
const SniffLen = 512

// Sniff returns the media type of a file from its first bytes (up to
// SniffLen), as browsers would decide it.
func Sniff(head []byte) string {
	// DetectContentType knows WebP only with its VP8 chunk next; any
	// RIFF WEBP file is one.
	if len(head) >= 12 && bytes.Equal(head[:4], []byte("RIFF")) && bytes.Equal(head[8:12], []byte("WEBP")) {
		return WebP
	}
	return http.DetectContentType(head)
}

// IsImage reports whether files of media type typ are shown as images:
// decoded, written again, with a thumbnail.
func IsImage(typ string) bool {
	switch typ {
	case JPEG, PNG, GIF, WebP:
		return true
	}
	return false
}

// ClaimsImage reports whether an upload says it is an image of a type
// shown in chats, by its name or the type its browser declared: such a
// file that is not one is refused, rather than sent as a file the
// recipient would take for a picture.
func ClaimsImage(name, declared string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".jfif", ".png", ".gif", ".webp":
		return true
	}
	return IsImage(strings.ToLower(strings.TrimSpace(declared)))
}

// served are the types other files keep when they are served: types that
// a browser only shows or plays, never runs. Anything else (HTML, XML,
// scripts, what was not recognised) is served as bytes to save.
var served = map[string]bool{
	"application/pdf":           true,
	"application/zip":           true,
	"application/x-gzip":        true,
	"text/plain; charset=utf-8": true,
	"audio/mpeg":                true,
	"audio/wave":                true,
	"audio/ogg":                 true,
	"audio/aiff":                true,
	"audio/midi":                true,
	"video/mp4":                 true,
	"video/webm":                true,
	"video/avi":                 true,
	"image/bmp":                 true,
	"image/x-icon":              true,
}

// ServedType is the type a file that is not shown as an image is stored
// and served with, given what Sniff found.
func ServedType(sniffed string) string {
	if served[sniffed] {
		return sniffed
	}
	return "application/octet-stream"
}

// readerAt reads all of an io.ReaderAt of known size as a stream.
func reader(src io.ReaderAt, size int64) io.Reader { return io.NewSectionReader(src, 0, size) }
