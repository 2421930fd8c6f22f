package live

import (
	"context"
	"errors"
	"time"

	"chat/db"
)

// Last seen: when a person's last page closes, the time is stored, and
// then their friends' pages say "last seen today at 14:05" instead of
// "offline", unless one of the two turned it off.

// recordLastSeen stores that user went offline now, then has their
// presence published (through seen) so that the pages show the stored
// time. Not waited for here: the writer may be waiting for this loop.
func (s *Service) recordLastSeen(user int64) {
	at := time.Now().UnixMilli()
	go func() {
		err := s.store.SetLastSeen(context.Background(), user, at)
		if err != nil && !errors.Is(err, db.ErrClosed) {
			s.log.Error("live: record last seen", "err", err, "user_id", user)
		}
		select {
		case s.seen <- user:
		default: // the loop is far behind: the next change shows it
		}
	}()
}

// publishLastSeenSetting shows user's friends their last seen, or no
// longer; and user their friends', which they see only while they show
// theirs.
func (s *Service) publishLastSeenSetting(user int64) {
	s.publishPresence(user)
	frames := map[int64]*localized{}
	for _, t := range s.tabsOf(user) {
		if t.page != PageChat {
			continue
		}
		f, ok := frames[t.peer.ID]
		if !ok {
			f, _ = s.peerFrames(user, t.peer, nil, false)
			frames[t.peer.ID] = f
		}
		f.deliver(t, 0)
	}
}
