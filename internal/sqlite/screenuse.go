package sqlite

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"buurtbalie/internal/district"
	"buurtbalie/internal/figures"
	"buurtbalie/internal/programme"
)

// ScreenUse counts the kiosk's screens as they open, in memory, and
// writes the totals per hour to the database now and then, off the
// kiosk's UI goroutine: counting costs a tap a map increment.
type ScreenUse struct {
	db  *DB
	log *slog.Logger

	mu      sync.Mutex
	pending map[[2]string]int // hour, screen → count
}

// NewScreenUse returns a counter writing into db.
func NewScreenUse(db *DB, log *slog.Logger) *ScreenUse {
	return &ScreenUse{db: db, log: log, pending: map[[2]string]int{}}
}

// Count notes that screen opened now.
func (u *ScreenUse) Count(screen string) {
	hour := figures.Hour(u.db.Now().In(u.db.location()))
	u.mu.Lock()
	u.pending[[2]string{hour, screen}]++
	u.mu.Unlock()
}

// Flush writes what was counted since the last flush.
func (u *ScreenUse) Flush(ctx context.Context) error {
	u.mu.Lock()
	pending := u.pending
	u.pending = map[[2]string]int{}
	u.mu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	tx, err := u.db.beginWrite(ctx)
	if err != nil {
		u.putBack(pending)
		return fmt.Errorf("screen use: %w", err)
	}
	defer tx.Rollback()
	for k, n := range pending {
		if _, err := tx.ExecContext(ctx, `INSERT INTO screen_use (hour, screen, n) VALUES (?, ?, ?)
			ON CONFLICT (hour, screen, demo) DO UPDATE SET n = n + excluded.n`, k[0], k[1], n); err != nil {
			u.putBack(pending)
			return fmt.Errorf("screen use: %w", err)
		}
		if err := shareIn(ctx, tx, district.Event{Kind: district.KindScreen, Hour: k[0], Key: k[1], N: n}); err != nil {
			u.putBack(pending)
			return fmt.Errorf("screen use: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		u.putBack(pending)
		return fmt.Errorf("screen use: %w", err)
	}
	return nil
}

// putBack keeps counts a failed flush could not write, for the next.
func (u *ScreenUse) putBack(pending map[[2]string]int) {
	u.mu.Lock()
	for k, n := range pending {
		u.pending[k] += n
	}
	u.mu.Unlock()
}

// Run flushes every interval until ctx ends, and once more then.
func (u *ScreenUse) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := u.Flush(context.Background()); err != nil && u.log != nil {
				u.log.Error("write screen use", "err", err)
			}
			return
		case <-t.C:
			if err := u.Flush(ctx); err != nil && u.log != nil {
				u.log.Error("write screen use", "err", err)
			}
		}
	}
}

// ScreenUse returns the counts of the days from..to, per hour.
func (s *FigureService) ScreenUse(ctx context.Context, from, to programme.Date) ([]figures.ScreenCount, error) {
	rows, err := s.db.db.QueryContext(ctx, `SELECT hour, screen, SUM(n) FROM screen_use WHERE hour >= ? AND hour < ? GROUP BY hour, screen ORDER BY hour, screen`,
		from.String(), to.AddDays(1).String())
	if err != nil {
		return nil, fmt.Errorf("screen use: %w", err)
	}
	defer rows.Close()
	var out []figures.ScreenCount
	for rows.Next() {
		var c figures.ScreenCount
		if err := rows.Scan(&c.Hour, &c.Screen, &c.N); err != nil {
			return nil, fmt.Errorf("screen use: %w", err)
		}
		out = append(out, c)
	}
	return out, wrapf(rows.Err(), "screen use")
}

// Occurrences is the programme of the days from..to, for the figures of
// what was held and what did not take place.
func (s *FigureService) Occurrences(ctx context.Context, from, to programme.Date) ([]programme.Occurrence, error) {
	return NewProgrammeService(s.db).Range(ctx, from, to)
}
