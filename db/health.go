package db

import "context"

// CheckWrite writes to the database and commits, through the writer as
// every write does: nil when the database takes writes.
func (s *Store) CheckWrite(ctx context.Context) error {
	err := s.w.do(ctx, func(tx *Tx) error {
		_, err := tx.Exec(`INSERT INTO health (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`, now())
		return err
	})
	return wrapUnlessDomain("check write", err)
}
