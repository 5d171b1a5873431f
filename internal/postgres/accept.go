package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"buurtbalie/internal/district"
)

// addNew is the heart of Accept: one statement, so one transaction and
// one round trip, that records the batch's event ids and adds to the
// rollups only the events whose ids were new. The batch comes in as the
// relation named batch (see acceptArrays and acceptCopy).
//
// Exactly once under concurrency: a kiosk sending an event that another
// kiosk's uncommitted batch holds waits at the events' primary key until
// that commits, and then finds the event known. Ids are inserted in id
// order and rollup rows in key order, so two such batches lock in the
// same order and cannot deadlock each other.
//
// What it adds to the house's rollups it also appends to the district's
// pending tables, which fold moves into the district's summary: in the
// same statement, so the summary and pending together always hold what
// the rollups do. Those tables have no key, so houses pushing at once
// never wait for each other there.
const addNew = `
fresh AS (
	INSERT INTO events (house_id, id, kiosk_id, kind, received_at)
	SELECT $1, id, $2, kind, $3 FROM batch ORDER BY id
	ON CONFLICT (house_id, id) DO NOTHING
	RETURNING id
), new AS (
	SELECT b.* FROM batch b JOIN fresh USING (id)
), new_counts AS (
	SELECT day::date AS day, measure, key, sum(n)::bigint AS n FROM new WHERE kind = 'count'
	GROUP BY day, measure, key
), counts AS (
	INSERT INTO figure_counts AS f (house_id, day, measure, key, n)
	SELECT $1, day, measure, key, n FROM new_counts ORDER BY day, measure, key
	ON CONFLICT (house_id, day, measure, key) DO UPDATE SET n = f.n + excluded.n
), counts_pending AS (
	INSERT INTO pending_counts (day, measure, key, n) SELECT day, measure, key, n FROM new_counts
), new_durations AS (
	SELECT day::date AS day, measure, key, minutes, count(*) AS n FROM new WHERE kind = 'duration'
	GROUP BY day, measure, key, minutes
), durations AS (
	INSERT INTO figure_durations AS f (house_id, day, measure, key, minutes, n)
	SELECT $1, day, measure, key, minutes, n FROM new_durations ORDER BY day, measure, key, minutes
	ON CONFLICT (house_id, day, measure, key, minutes) DO UPDATE SET n = f.n + excluded.n
), durations_pending AS (
	INSERT INTO pending_durations (day, measure, key, minutes, n) SELECT day, measure, key, minutes, n FROM new_durations
), new_screens AS (
	SELECT hour, key AS screen, sum(n)::bigint AS n FROM new WHERE kind = 'screen'
	GROUP BY hour, key
), screens AS (
	INSERT INTO screen_use AS f (house_id, hour, screen, n)
	SELECT $1, hour, screen, n FROM new_screens ORDER BY hour, screen
	ON CONFLICT (house_id, hour, screen) DO UPDATE SET n = f.n + excluded.n
), screens_pending AS (
	INSERT INTO pending_screen_use (hour, screen, n) SELECT hour, screen, n FROM new_screens
), seen AS (
	UPDATE kiosks SET last_seen_at = $3 WHERE id = $2
)
SELECT count(*) FROM fresh`

// The batch as arrays, one per column, turned back into rows by unnest.
const acceptArrays = `WITH batch AS (
	SELECT * FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int8[], $11::int4[])
		AS b (id, kind, day, hour, measure, key, n, minutes)
), ` + addNew

// The batch in a temporary table of the connection's, filled by COPY.
const (
	acceptBatchTable = `CREATE TEMPORARY TABLE IF NOT EXISTS batch (
		id text, kind text, day text, hour text, measure text, key text, n int8, minutes int4
	) ON COMMIT DELETE ROWS`
	acceptCopy = `WITH ` + addNew
)

var batchColumns = []string{"id", "kind", "day", "hour", "measure", "key", "n", "minutes"}

// Accept adds a batch of the house's events, sent by kioskID, to the
// figures: those the district already has (sent before, by this kiosk
// or another of the house) count once. The caller has checked the batch
// (district.Batch.Check).
func (db *DB) Accept(ctx context.Context, houseID int64, kioskID string, events []district.Event, now time.Time) (district.Accepted, error) {
	// Events past district.MaxEventAge are not counted: their ids may be
	// forgotten already (ForgetEvents), so a resend would count twice.
	recent := slices.DeleteFunc(slices.Clone(events), func(e district.Event) bool { return e.TooOld(now) })
	tooOld := len(events) - len(recent)
	if len(recent) == 0 {
		// Still a report from the kiosk, for the houses page.
		if _, err := db.pool.Exec(ctx, "UPDATE kiosks SET last_seen_at = $2 WHERE id = $1", kioskID, now); err != nil {
			return district.Accepted{}, fmt.Errorf("accept %d events of house %d: %w", len(events), houseID, err)
		}
		return district.Accepted{TooOld: tooOld}, nil
	}
	slices.SortFunc(recent, func(a, b district.Event) int { return strings.Compare(a.ID, b.ID) }) // a copy of its own already
	events = recent
	var fresh int
	var err error
	// The lock order rules deadlocks out; the retry is for what
	// PostgreSQL might still decide, since a sender's retry would cost a
	// whole backoff.
	for attempt := 1; attempt <= 3; attempt++ {
		if db.copyBatches {
			fresh, err = db.acceptByCopy(ctx, houseID, kioskID, events, now)
		} else {
			fresh, err = db.acceptByArrays(ctx, houseID, kioskID, events, now)
		}
		if !isRetryable(err) {
			break
		}
	}
	if err != nil {
		return district.Accepted{}, fmt.Errorf("accept %d events of house %d: %w", len(events), houseID, err)
	}
	if fresh > 0 {
		// The houses fold what they push, so that a district page finds
		// little left to fold. The events are in whatever the fold does:
		// one that fails leaves them pending, where the reads count them
		// and the next fold takes them, so its error is not Accept's.
		_ = db.Fold(ctx)
	}
	return district.Accepted{New: fresh, Known: len(events) - fresh, TooOld: tooOld}, nil
}

// ForgetEvents forgets the ids of the events received more than
// district.ForgetAfter before now, and returns how many. An event that
// came that long ago is past district.MaxEventAge, so Accept no longer
// counts it again whatever its id: the ids need not be kept, and the
// table of them stays at half a year of events instead of growing
// without end (208 bytes an event: 6 GB a year of 200 houses).
func (db *DB) ForgetEvents(ctx context.Context, now time.Time) (int64, error) {
	tag, err := db.pool.Exec(ctx, "DELETE FROM events WHERE received_at < $1", now.Add(-district.ForgetAfter))
	if err != nil {
		return 0, fmt.Errorf("forget old event ids: %w", err)
	}
	return tag.RowsAffected(), nil
}

func (db *DB) acceptByArrays(ctx context.Context, houseID int64, kioskID string, events []district.Event, now time.Time) (int, error) {
	n := len(events)
	ids, kinds, days, hours, measures, keys := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	ns, minutes := make([]int64, n), make([]int32, n)
	for i, e := range events {
		ids[i], kinds[i], days[i], hours[i], measures[i], keys[i] = e.ID, e.Kind, e.Day, e.Hour, e.Measure, e.Key
		ns[i], minutes[i] = int64(e.N), int32(e.Minutes)
	}
	var fresh int
	err := db.pool.QueryRow(ctx, acceptArrays, houseID, kioskID, now, ids, kinds, days, hours, measures, keys, ns, minutes).Scan(&fresh)
	return fresh, err
}

func (db *DB) acceptByCopy(ctx context.Context, houseID int64, kioskID string, events []district.Event, now time.Time) (int, error) {
	var fresh int
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, acceptBatchTable); err != nil {
			return err
		}
		rows := pgx.CopyFromSlice(len(events), func(i int) ([]any, error) {
			e := events[i]
			return []any{e.ID, e.Kind, e.Day, e.Hour, e.Measure, e.Key, int64(e.N), int32(e.Minutes)}, nil
		})
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"batch"}, batchColumns, rows); err != nil {
			return err
		}
		return tx.QueryRow(ctx, acceptCopy, houseID, kioskID, now).Scan(&fresh)
	})
	return fresh, err
}
