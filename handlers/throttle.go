package handlers

import (
	"strings"
	"sync"
	"time"
)

// Failed-login rule: failures are counted within loginWindow under three
// keys, each with its own limit; once a key reaches its limit, attempts
// under it are refused until its oldest failure leaves the window.
//
//   - one username from one address: 5 (the common case of a guesser)
//   - one address, any usernames: 20 (one machine trying many accounts)
//   - one username, any addresses: 50 (a spread-out attack on one account)
//
// The per-pair limit is the low one so that a stranger failing on purpose
// cannot lock the real owner out from their own address for long. Each
// attempt also costs a bcrypt comparison, so guessing is slow below the
// limits too.
const (
	loginWindow        = 15 * time.Minute
	loginPairFailLimit = 5
	loginAddrFailLimit = 20
	loginUserFailLimit = 50
	// throttleMaxKeys bounds memory: past it, keys with no recent failure
	// are swept.
	throttleMaxKeys = 100_000
)

// throttleKey is one counter and its limit.
type throttleKey struct {
	name  string
	limit int
}

// Sign-up rule: at most signupAddrLimit accounts a signupWindow from one
// address, so one machine cannot make accounts by the hundred; a family
// or an office behind one address still has room.
const (
	signupWindow    = time.Hour
	signupAddrLimit = 10
)

// signupKeys are the counters a sign-up is checked against, with the
// server's limit (Config.SignupsPerHour).
func (s *Server) signupKeys(addr string) []throttleKey {
	if s.signupCap < 0 {
		return nil
	}
	return []throttleKey{{"signup:" + addr, s.signupCap}}
}

// loginKeys are the counters a login attempt is checked against.
func loginKeys(username, addr string) []throttleKey {
	u := strings.ToLower(username)
	return []throttleKey{
		{"pair:" + u + "\x00" + addr, loginPairFailLimit},
		{"addr:" + addr, loginAddrFailLimit},
		{"user:" + u, loginUserFailLimit},
	}
}

// throttle counts attempts under keys over a sliding window; a key that
// reached its limit is refused until its oldest attempt leaves the window.
type throttle struct {
	window   time.Duration
	mu       sync.Mutex
	now      func() time.Time
	failures map[string][]time.Time
}

func newThrottle(window time.Duration) *throttle {
	return &throttle{window: window, now: time.Now, failures: map[string][]time.Time{}}
}

// blocked returns how long the caller must wait before trying again, or 0.
func (t *throttle) blocked(keys []throttleKey) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	for _, k := range keys {
		recent := t.recent(k.name, now)
		if len(recent) >= k.limit {
			wait = max(wait, recent[0].Add(t.window).Sub(now))
		}
	}
	return wait
}

// fail records one attempt (a failed login, a sign-up) against every key.
func (t *throttle) fail(keys []throttleKey) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if len(t.failures) >= throttleMaxKeys {
		for k := range t.failures {
			t.recent(k, now)
		}
	}
	for _, k := range keys {
		t.failures[k.name] = append(t.recent(k.name, now), now)
	}
}

// reset forgets the failures of a key after a successful login.
func (t *throttle) reset(k throttleKey) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, k.name)
}

// recent drops the failures of key older than the window and returns the
// rest, oldest first. Callers hold t.mu.
func (t *throttle) recent(key string, now time.Time) []time.Time {
	list := t.failures[key]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= t.window {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(t.failures, key)
		return nil
	}
	t.failures[key] = list
	return list
}
