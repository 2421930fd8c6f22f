package handlers

// What every upload does, a message's file or a profile picture: one
// person's uploads counted, the bytes received to a temporary file, and
// the finished files put in place.

import (
	"context"
	"io"
	"sync"

	"chat/files"
	"chat/media"
)

// uploadCount counts each person's uploads under way, so that no one
// person ties up the disk and the image decoders with many at once.
type uploadCount struct {
	mu sync.Mutex
	n  map[int64]int
}

func newUploadCount() *uploadCount { return &uploadCount{n: map[int64]int{}} }

// start counts one more upload of user's, unless they have uploadsAtOnce
// under way already.
func (c *uploadCount) start(user int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[user] >= uploadsAtOnce {
		return false
	}
	c.n[user]++
	return true
}

// end counts one of user's uploads done.
func (c *uploadCount) end(user int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[user]--; c.n[user] <= 0 {
		delete(c.n, user)
	}
}

// What became of a file's bytes (receive).
type received int

const (
	receivedWhole   received = iota
	receivedNothing          // zero bytes
	receivedTooMuch          // over media.MaxSize: the rest was not read
	receiveCut               // the body ended or failed midway (err says why)
	receiveFailed            // the temporary file could not be written
)

// receive streams a form's file part to a temporary file, at most
// media.MaxSize bytes of it. The caller discards the file (nil only when
// it could not be made).
func (s *Server) receive(part io.Reader) (*files.Temp, received, error) {
	t, err := s.files.Create()
	if err != nil {
		return nil, receiveFailed, err
	}
	n, err := io.Copy(t, io.LimitReader(part, media.MaxSize+1))
	switch {
	case err != nil:
		return t, receiveCut, err
	case n > media.MaxSize:
		return t, receivedTooMuch, nil
	case n == 0:
		return t, receivedNothing, nil
	}
	return t, receivedWhole, nil
}

// keepFiles holds the finished files, then puts them in place: held
// first, so that nothing removes them before their message names them.
func (s *Server) keepFiles(ctx context.Context, kept []*files.Temp) ([]int64, error) {
	sums := make([]string, len(kept))
	for i, t := range kept {
		sum, err := t.Finish()
		if err != nil {
			return nil, err
		}
		sums[i] = sum
	}
	hold, err := s.store.HoldFiles(ctx, sums...)
	if err != nil {
		return nil, err
	}
	for _, t := range kept {
		if err := t.Keep(); err != nil {
			s.store.ReleaseFiles(ctx, hold)
			return nil, err
		}
	}
	return hold, nil
}
