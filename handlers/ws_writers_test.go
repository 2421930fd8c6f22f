package handlers

import (
	"testing"
	"time"

	"chat/hub"
)

// Sockets that open at the same moment, as every page does when it
// reconnects after a restart, are pinged spread over the period, each
// once, instead of all in one burst.
func TestPingsOfSocketsOpenedTogetherAreSpread(t *testing.T) {
	w := newWriters()
	h := hub.New(hub.Options{})
	const sockets = 1200
	for range sockets {
		c := w.newConn(nil, h.NewConn())
		c.release()
	}
	ticks := int(pingPeriod / pingTick)
	fair := sockets / ticks // pings per tick if perfectly even
	start := time.Now()
	total, busiest := 0, 0
	// The ticks of one period: every socket is due exactly once.
	for k := 1; k <= ticks; k++ {
		n := w.markPings(start.Add(time.Duration(k) * pingTick))
		total += n
		busiest = max(busiest, n)
	}
	if total != sockets {
		t.Errorf("%d pings over one period for %d sockets, want one each", total, sockets)
	}
	// Random first pings: a tick gets about fair of them; four times that
	// is far out in the tail (all at once would be 1200).
	if busiest > 4*fair {
		t.Errorf("one tick pinged %d sockets; even spread is %d a tick", busiest, fair)
	}
	if got := len(w.ready); got != sockets {
		t.Errorf("%d sockets waiting for a writer, want %d", got, sockets)
	}
}
