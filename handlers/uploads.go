package handlers

import "sync"

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
