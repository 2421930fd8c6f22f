package live

import (
	"cmp"
	"slices"
)

// limitTabs closes the oldest tabs of t's login, then of its person,
// while there are more open than the caps allow: one person opening tab
// after tab (by mistake or on purpose) holds a bounded share of the
// server. The tabs closed are told why.
func (s *Service) limitTabs(t *Tab) {
	s.closeOldest(s.tabs.Group(t.session), s.maxTabsPerLogin)
	s.closeOldest(s.tabsOf(t.user.ID), s.maxTabsPerPerson)
}

func (s *Service) closeOldest(tabs []*Tab, limit int) {
	open := slices.DeleteFunc(tabs, func(t *Tab) bool { return t.evicted.Load() })
	if len(open) <= limit {
		return
	}
	slices.SortFunc(open, func(a, b *Tab) int { return cmp.Compare(a.id, b.id) })
	for _, old := range open[:len(open)-limit] {
		if old.evicted.CompareAndSwap(false, true) {
			s.log.Info("tab closed", "reason", "too_many_tabs", "user_id", old.user.ID)
			old.sock.Close(closeTooManyTabs, "too many tabs open")
		}
	}
}
