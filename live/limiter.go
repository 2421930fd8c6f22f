package live

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// By default each person may send defaultSendRate messages a second on
// average, in bursts of up to defaultSendBurst.
const (
	defaultSendRate  = 10
	defaultSendBurst = 20
)

// sendLimiter holds each person's message allowance.
type sendLimiter struct {
	rate  rate.Limit
	burst int

	mu       sync.Mutex
	limiters map[int64]*rate.Limiter
	swept    time.Time
}

func newSendLimiter(perSecond float64, burst int) *sendLimiter {
	if perSecond <= 0 {
		perSecond = defaultSendRate
	}
	if burst <= 0 {
		burst = defaultSendBurst
	}
	return &sendLimiter{rate: rate.Limit(perSecond), burst: burst, limiters: map[int64]*rate.Limiter{}, swept: time.Now()}
}

// allow takes one message from user's allowance, reporting whether there
// was one.
func (l *sendLimiter) allow(user int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if now.Sub(l.swept) > time.Minute {
		// A full bucket is the same as no bucket: forget those.
		for id, lim := range l.limiters {
			if lim.TokensAt(now) >= float64(l.burst) {
				delete(l.limiters, id)
			}
		}
		l.swept = now
	}
	lim := l.limiters[user]
	if lim == nil {
		lim = rate.NewLimiter(l.rate, l.burst)
		l.limiters[user] = lim
	}
	return lim.AllowN(now, 1)
}
