package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"buurtbalie/internal/figures"
	"buurtbalie/internal/programme"
)

// The figures are read for one house from its rollups or, with house
// id 0, for the whole district from the district's summary (see fold);
// from and to are both included.

// AllHouses is the house id that reads the whole district's figures.
const AllHouses int64 = 0

// DurationBucket is how many steps of a measure's key took so many
// minutes over a run of days.
type DurationBucket struct {
	Key     string
	Minutes int
	N       int
}

// The district's reads add what is pending to the summary: a district
// read is one statement, so one snapshot, in which every accepted event
// is in exactly one of the two (see fold).
const (
	houseCounts = `SELECT day, key, sum(n)::bigint FROM figure_counts
		WHERE measure = $1 AND day BETWEEN $2 AND $3 AND house_id = $4
		GROUP BY day, key ORDER BY day, key`
	districtCounts = `SELECT day, key, sum(n)::bigint FROM (
			SELECT day, key, n FROM district_counts WHERE measure = $1 AND day BETWEEN $2 AND $3
			UNION ALL
			SELECT day, key, n FROM pending_counts WHERE measure = $1 AND day BETWEEN $2 AND $3
		) f GROUP BY day, key ORDER BY day, key`

	houseDurations = `SELECT day, key, minutes, sum(n)::bigint FROM figure_durations
		WHERE measure = $1 AND day BETWEEN $2 AND $3 AND house_id = $4
		GROUP BY day, key, minutes ORDER BY day, key, minutes`
	districtDurations = `SELECT day, key, minutes, sum(n)::bigint FROM (
			SELECT start AS day, key, minutes, n FROM district_durations
			WHERE measure = $1 AND span = 'day' AND start BETWEEN $2 AND $3
			UNION ALL
			SELECT day, key, minutes, n FROM pending_durations WHERE measure = $1 AND day BETWEEN $2 AND $3
		) f GROUP BY day, key, minutes ORDER BY day, key, minutes`

	houseHistogram = `SELECT key, minutes, sum(n)::bigint FROM figure_durations
		WHERE measure = $1 AND day BETWEEN $2 AND $3 AND house_id = $4
		GROUP BY key, minutes`
	// $4 and $5 are the spans that make up the days $2..$3 (calendarSpans).
	districtHistogram = `SELECT key, minutes, sum(n)::bigint FROM (
			SELECT key, minutes, n FROM district_durations
				JOIN unnest($4::text[], $5::date[]) AS spans (span, start) USING (span, start)
			WHERE measure = $1
			UNION ALL
			SELECT key, minutes, n FROM pending_durations WHERE measure = $1 AND day BETWEEN $2 AND $3
		) f GROUP BY key, minutes`

	// Hours are text ("2026-12-03T14"): a day's date sorts before its
	// hours, the next day's after them.
	houseScreenUse = `SELECT hour, screen, sum(n)::bigint FROM screen_use
		WHERE hour >= $1 AND hour < $2 AND house_id = $3
		GROUP BY hour, screen ORDER BY hour, screen`
	districtScreenUse = `SELECT hour, screen, sum(n)::bigint FROM (
			SELECT hour, screen, n FROM district_screen_use WHERE hour >= $1 AND hour < $2
			UNION ALL
			SELECT hour, screen, n FROM pending_screen_use WHERE hour >= $1 AND hour < $2
		) f GROUP BY hour, screen ORDER BY hour, screen`
)

// figuresQuery returns house, with houseID as its last parameter, or for
// AllHouses district, after a fold that keeps what it adds from pending
// small. Each is its own statement rather than "$n = 0 OR house_id =
// $n", which would keep a cached plan from using the house's index.
func (db *DB) figuresQuery(ctx context.Context, houseID int64, house, district string, args ...any) (string, []any, error) {
	if houseID != AllHouses {
		return house, append(args, houseID), nil
	}
	if err := db.Fold(ctx); err != nil {
		return "", nil, err
	}
	return district, args, nil
}

// Counts returns measure's counts of the days from..to, summed by day
// and key, in that order.
func (db *DB) Counts(ctx context.Context, houseID int64, measure string, from, to programme.Date) ([]figures.Count, error) {
	sql, args, err := db.figuresQuery(ctx, houseID, houseCounts, districtCounts, measure, pgDate(from), pgDate(to))
	if err != nil {
		return nil, fmt.Errorf("counts of %s: %w", measure, err)
	}
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("counts of %s: %w", measure, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (figures.Count, error) {
		var c figures.Count
		var day time.Time
		err := row.Scan(&day, &c.Key, &c.N)
		c.Day = programme.DateOf(day)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("counts of %s: %w", measure, err)
	}
	return out, nil
}

// Durations returns measure's step times of the days from..to, one per
// step, by day, key and minutes.
func (db *DB) Durations(ctx context.Context, houseID int64, measure string, from, to programme.Date) ([]figures.Duration, error) {
	sql, args, err := db.figuresQuery(ctx, houseID, houseDurations, districtDurations, measure, pgDate(from), pgDate(to))
	if err != nil {
		return nil, fmt.Errorf("durations of %s: %w", measure, err)
	}
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("durations of %s: %w", measure, err)
	}
	defer rows.Close()
	var out []figures.Duration
	for rows.Next() {
		var d figures.Duration
		var day time.Time
		var n int
		if err := rows.Scan(&day, &d.Key, &d.Minutes, &n); err != nil {
			return nil, fmt.Errorf("durations of %s: %w", measure, err)
		}
		d.Day = programme.DateOf(day)
		for range n {
			out = append(out, d)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("durations of %s: %w", measure, err)
	}
	return out, nil
}

// DurationHistogram returns measure's step times of the days from..to
// as a histogram: per key and minutes, how many steps took that long, by key and minutes. A
// year of a district's steps is a few thousand rows this way, rather
// than a row per step.
func (db *DB) DurationHistogram(ctx context.Context, houseID int64, measure string, from, to programme.Date) ([]DurationBucket, error) {
	args := []any{measure, pgDate(from), pgDate(to)}
	if houseID == AllHouses {
		spans, starts := calendarSpans(from, to)
		args = append(args, spans, starts)
	}
	sql, args, err := db.figuresQuery(ctx, houseID, houseHistogram, districtHistogram, args...)
	if err != nil {
		return nil, fmt.Errorf("durations of %s: %w", measure, err)
	}
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("durations of %s: %w", measure, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (DurationBucket, error) {
		var b DurationBucket
		err := row.Scan(&b.Key, &b.Minutes, &b.N)
		return b, err
	})
	if err != nil {
		return nil, fmt.Errorf("durations of %s: %w", measure, err)
	}
	// Sorted here: PostgreSQL's sort of a district's year (20 thousand
	// buckets a measure) took longer than its aggregation.
	slices.SortFunc(out, func(a, b DurationBucket) int {
		return cmp.Or(strings.Compare(a.Key, b.Key), a.Minutes-b.Minutes)
	})
	return out, nil
}

// calendarSpans splits the days from..to into the spans of
// district_durations that cover them with the fewest rows: whole years,
// whole months, and the days left over. It returns each span's name and
// first day.
func calendarSpans(from, to programme.Date) (spans []string, starts []time.Time) {
	end := to.AddDays(1)
	for d := from; d.Before(end); {
		span, next := "day", d.AddDays(1)
		if d.Day == 1 {
			if month := programme.NewDate(d.Year, d.Month+1, 1); !month.After(end) {
				span, next = "month", month
			}
			if year := programme.NewDate(d.Year+1, time.January, 1); d.Month == time.January && !year.After(end) {
				span, next = "year", year
			}
		}
		spans, starts = append(spans, span), append(starts, pgDate(d))
		d = next
	}
	return spans, starts
}

// ScreenUse returns how often each screen opened in the hours of the
// days from..to, summed by hour and screen, in that order.
func (db *DB) ScreenUse(ctx context.Context, houseID int64, from, to programme.Date) ([]figures.ScreenCount, error) {
	sql, args, err := db.figuresQuery(ctx, houseID, houseScreenUse, districtScreenUse, from.String(), to.AddDays(1).String())
	if err != nil {
		return nil, fmt.Errorf("screen use: %w", err)
	}
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("screen use: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (figures.ScreenCount, error) {
		var c figures.ScreenCount
		err := row.Scan(&c.Hour, &c.Screen, &c.N)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("screen use: %w", err)
	}
	return out, nil
}

// pgDate is d as PostgreSQL's date takes it.
func pgDate(d programme.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// summaryLock is the key of the advisory lock a fold holds, so that
// folds run one at a time.
const summaryLock = migrationLock + 1

// foldPending moves every pending row it sees into the district's
// summary: each DELETE … RETURNING hands exactly the rows it deleted to
// the INSERT that adds them. Step times are added to their day, month
// and year.
const foldPending = `WITH counts AS (
	DELETE FROM pending_counts RETURNING day, measure, key, n
), add_counts AS (
	INSERT INTO district_counts AS d (day, measure, key, n)
	SELECT day, measure, key, sum(n) FROM counts GROUP BY measure, day, key
	ON CONFLICT (measure, day, key) DO UPDATE SET n = d.n + excluded.n
), durations AS (
	DELETE FROM pending_durations RETURNING day, measure, key, minutes, n
), add_durations AS (
	INSERT INTO district_durations AS d (span, start, measure, key, minutes, n)
	SELECT span, date_trunc(span, day::timestamp)::date AS start, measure, key, minutes, sum(n)
	FROM durations CROSS JOIN (VALUES ('day'), ('month'), ('year')) AS spans (span)
	GROUP BY measure, span, start, key, minutes
	ON CONFLICT (measure, span, start, key, minutes) DO UPDATE SET n = d.n + excluded.n
), screens AS (
	DELETE FROM pending_screen_use RETURNING hour, screen, n
)
INSERT INTO district_screen_use AS d (hour, screen, n)
SELECT hour, screen, sum(n) FROM screens GROUP BY hour, screen
ON CONFLICT (hour, screen) DO UPDATE SET n = d.n + excluded.n`

// Fold moves what Accept left pending into the district's summary (the
// server does every few seconds, and a district read first),
// unless another fold is under way: then it returns at once, as what it
// would have moved is counted as pending by the reads, and is moved by
// the next fold.
//
// The district's figures are exact at all times, without a lock that an
// Accept or a read waits for, because in every snapshot each accepted
// event is counted in exactly one of the summary and the pending tables:
//
//   - Accept adds an event to its house's rollups and to pending in one
//     statement, so in one transaction: a snapshot has both or neither.
//   - A fold is one statement too, so its DELETEs and INSERTs see one
//     snapshot and commit at once: a snapshot has a row pending, or
//     summed, never both and never neither. An Accept that commits while
//     a fold runs is not in the fold's snapshot, so its rows are neither
//     deleted nor summed: they stay pending for the next fold. Pending
//     rows are never updated, and no other fold deletes at the same time
//     (summaryLock), so READ COMMITTED's re-check of a changed row never
//     comes into it.
//   - A district read is one statement, so one snapshot, and adds the
//     summary and pending: each event once, whichever folds and Accepts
//     committed before it.
//
// A fold that fails or dies rolls back, leaving its rows pending. As
// folds take turns, no two write the same summary rows: none waits for
// another, nor deadlocks with one.
func (db *DB) Fold(ctx context.Context) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var turn bool
		if err := tx.QueryRow(ctx, "SELECT pg_try_advisory_xact_lock($1)", int64(summaryLock)).Scan(&turn); err != nil || !turn {
			return err
		}
		_, err := tx.Exec(ctx, foldPending)
		return err
	})
	if err != nil {
		return fmt.Errorf("fold the district's figures: %w", err)
	}
	return nil
}
