package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"buurtbalie/internal/district"
	"buurtbalie/internal/figures"
	"buurtbalie/internal/programme"
)

// readTime reads a time this package wrote (RFC 3339 in UTC); a time
// that does not parse reads as zero, shown as "never".
func readTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// shareIn puts e in the outbox in tx, when this kiosk belongs to a
// district that has not revoked it: in the same transaction as the
// change e tells of, so the two are kept or lost together.
func shareIn(ctx context.Context, tx *sql.Tx, e district.Event) error {
	e.ID = district.NewEventID()
	body, err := json.Marshal(e)
	if err != nil {
		return err
	}
	cell := district.Cell(e)
	res, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, body, cell)
		SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM district_link WHERE revoked_at IS NULL)`, e.ID, string(body), cell)
	if err != nil || cell == "" {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err // joined to no district: nothing to count either
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox_cells (cell, n) VALUES (?, ?)
		ON CONFLICT (cell) DO UPDATE SET n = n + excluded.n`, cell, district.Weight(e))
	return err
}

// sendable is the condition on an outbox row o that it may leave: no
// cell, or a cell that has reached the small-cell rule's five.
var sendable = `(o.cell = '' OR (SELECT n FROM outbox_cells c WHERE c.cell = o.cell) >= ` + strconv.Itoa(figures.MinCount) + `)`

// DistrictService keeps this kiosk's tie to its district: the link made
// by joining, and the outbox of what is still to be sent.
type DistrictService struct{ db *DB }

// NewDistrictService returns the district tie of db.
func NewDistrictService(db *DB) *DistrictService { return &DistrictService{db: db} }

// Link returns the district this kiosk joined, and false when it has
// joined none.
func (s *DistrictService) Link(ctx context.Context) (district.Link, bool, error) {
	var l district.Link
	var joined string
	var revoked, sent sql.NullString
	err := s.db.db.QueryRowContext(ctx, `SELECT url, kiosk, key, house, district, joined_at, revoked_at, last_sent_at, last_error,
		(SELECT COUNT(*) FROM outbox o WHERE `+sendable+`), (SELECT COUNT(*) FROM outbox) FROM district_link`).
		Scan(&l.URL, &l.Kiosk, &l.Key, &l.House, &l.District, &joined, &revoked, &sent, &l.LastError, &l.Pending, &l.Held)
	if errors.Is(err, sql.ErrNoRows) {
		return district.Link{}, false, nil
	}
	if err != nil {
		return district.Link{}, false, fmt.Errorf("district link: %w", err)
	}
	l.Held -= l.Pending
	l.Joined = readTime(joined)
	if revoked.Valid {
		l.Revoked = readTime(revoked.String)
	}
	if sent.Valid {
		l.LastSent = readTime(sent.String)
	}
	return l, true, nil
}

// Join keeps the district this kiosk has just joined at url, and puts
// into the outbox, in the same transaction, the figures the house
// counted before it joined (its demo figures left out), so that the
// district's figures of this house are the house's own from the start.
func (s *DistrictService) Join(ctx context.Context, url string, j district.Joined) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("join district: %w", err)
	}
	defer tx.Rollback()
	var had int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM district_link`).Scan(&had); err != nil {
		return fmt.Errorf("join district: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM district_link`); err != nil {
		return fmt.Errorf("join district: %w", err)
	}
	for _, q := range append([]string{`DELETE FROM outbox`, `DELETE FROM outbox_cells`}, forgetSharing...) {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("join district: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO district_link (only, url, kiosk, key, house, district, joined_at)
		VALUES (1, ?, ?, ?, ?, ?, ?)`, url, j.Kiosk, j.Key, j.House, j.District, s.db.now()); err != nil {
		return fmt.Errorf("join district: %w", err)
	}
	if err := s.shareWhatWasCounted(ctx, tx); err != nil {
		return fmt.Errorf("join district: %w", err)
	}
	return tx.Commit()
}

// shareWhatWasCounted puts the house's figures so far into the outbox.
func (s *DistrictService) shareWhatWasCounted(ctx context.Context, tx *sql.Tx) error {
	var events []district.Event
	read := func(query string, scan func(*sql.Rows) (district.Event, error)) error {
		rows, err := tx.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scan(rows)
			if err != nil {
				return err
			}
			events = append(events, e)
		}
		return rows.Err()
	}
	if err := read(`SELECT day, measure, key, n FROM figure_counts WHERE demo = 0 AND n > 0`, func(r *sql.Rows) (district.Event, error) {
		e := district.Event{Kind: district.KindCount}
		return e, r.Scan(&e.Day, &e.Measure, &e.Key, &e.N)
	}); err != nil {
		return err
	}
	if err := read(`SELECT day, measure, key, minutes FROM figure_durations WHERE demo = 0`, func(r *sql.Rows) (district.Event, error) {
		e := district.Event{Kind: district.KindDuration}
		return e, r.Scan(&e.Day, &e.Measure, &e.Key, &e.Minutes)
	}); err != nil {
		return err
	}
	if err := read(`SELECT hour, screen, n FROM screen_use WHERE demo = 0 AND n > 0`, func(r *sql.Rows) (district.Event, error) {
		e := district.Event{Kind: district.KindScreen}
		return e, r.Scan(&e.Hour, &e.Key, &e.N)
	}); err != nil {
		return err
	}
	for _, e := range events {
		if err := shareIn(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}

// Leave forgets the district and what was still to be sent to it.
func (s *DistrictService) Leave(ctx context.Context) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("leave district: %w", err)
	}
	defer tx.Rollback()
	for _, q := range append([]string{`DELETE FROM district_link`, `DELETE FROM outbox`, `DELETE FROM outbox_cells`}, forgetSharing...) {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("leave district: %w", err)
		}
	}
	return tx.Commit()
}

// Pending returns up to n events still to be sent, oldest first.
func (s *DistrictService) Pending(ctx context.Context, n int) ([]district.Event, error) {
	out, err := bodies[district.Event](ctx, s.db.db, `SELECT body FROM outbox o WHERE `+sendable+` ORDER BY seq LIMIT ?`, n)
	return out, wrapf(err, "outbox")
}

// bodies decodes the JSON of the one column the query's rows have.
func bodies[T any](ctx context.Context, q querier, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var v T
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Sent takes the events the district has accepted out of the outbox,
// and notes when.
func (s *DistrictService) Sent(ctx context.Context, ids []string, at time.Time) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	defer tx.Rollback()
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, id); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE district_link SET last_sent_at = ?, last_error = ''`, at.UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if err := s.dropOldCells(ctx, tx, at); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return tx.Commit()
}

// Failed notes why the last try to reach the district failed.
func (s *DistrictService) Failed(ctx context.Context, why string) error {
	_, err := s.db.db.ExecContext(ctx, `UPDATE district_link SET last_error = ?`, why)
	return wrapf(err, "district link")
}

// Revoked notes that the district has revoked this kiosk: nothing more
// is put into the outbox, and what is there stays until staff join again
// or leave.
func (s *DistrictService) Revoked(ctx context.Context, at time.Time, why string) error {
	_, err := s.db.db.ExecContext(ctx, `UPDATE district_link SET revoked_at = ?, last_error = ?`,
		at.UTC().Format(time.RFC3339), why)
	return wrapf(err, "district link")
}

// MoveTo notes that the district is now reached at url (it moved, or
// its address was mistyped), keeping the kiosk's id, key and outbox.
func (s *DistrictService) MoveTo(ctx context.Context, url string) error {
	_, err := s.db.db.ExecContext(ctx, `UPDATE district_link SET url = ?`, url)
	return wrapf(err, "district link")
}

// keepCells is how long a cell is kept: a cell that has not reached five
// within a quarter will not (a week's figures hardly change after it),
// and what it held never leaves.
const keepCells = 13 * 7 * 24 * time.Hour

// dropOldCells drops the cells of weeks more than keepCells before at,
// with the events they still held.
func (s *DistrictService) dropOldCells(ctx context.Context, tx *sql.Tx, at time.Time) error {
	// A cell ends in its ISO week, "2026-W49", which sorts as time does.
	before := figures.WeekOf(programme.DateOf(at.Add(-keepCells).In(s.db.location())))
	old := `substr(cell, length(cell) - 7) < ?`
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE cell != '' AND `+old, before); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM outbox_cells WHERE `+old, before)
	return err
}
