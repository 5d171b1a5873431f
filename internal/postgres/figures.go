package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"buurtbalie/internal/figures"
	"buurtbalie/internal/programme"
)

// The figures are read from the rollups, for one house or, with house
// id 0, the whole district; from and to are both included.

// AllHouses is the house id that reads the whole district's figures.
const AllHouses int64 = 0

// DurationBucket is how many steps of a measure's key took so many
// minutes over a run of days.
type DurationBucket struct {
	Key     string
	Minutes int
	N       int
}

// forHouse returns query for one house or, for AllHouses, the district:
// each its own statement rather than "$n = 0 OR house_id = $n", which
// would keep a cached plan from using the house's index. query ends in
// a WHERE clause with len(args) parameters; grouping follows.
func forHouse(houseID int64, query, grouping string, args ...any) (string, []any) {
	if houseID == AllHouses {
		return query + " " + grouping, args
	}
	return fmt.Sprintf("%s AND house_id = $%d %s", query, len(args)+1, grouping), append(args, houseID)
}

// Counts returns measure's counts of the days from..to, summed by day
// and key, in that order.
func (db *DB) Counts(ctx context.Context, houseID int64, measure string, from, to programme.Date) ([]figures.Count, error) {
	sql, args := forHouse(houseID, `SELECT day, key, sum(n)::bigint FROM figure_counts WHERE measure = $1 AND day BETWEEN $2 AND $3`,
		`GROUP BY day, key ORDER BY day, key`, measure, pgDate(from), pgDate(to))
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
	sql, args := forHouse(houseID, `SELECT day, key, minutes, sum(n)::bigint FROM figure_durations WHERE measure = $1 AND day BETWEEN $2 AND $3`,
		`GROUP BY day, key, minutes ORDER BY day, key, minutes`, measure, pgDate(from), pgDate(to))
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
// as a histogram: per key and minutes, how many steps took that long. A
// year of a district's steps is a few thousand rows this way, rather
// than a row per step.
func (db *DB) DurationHistogram(ctx context.Context, houseID int64, measure string, from, to programme.Date) ([]DurationBucket, error) {
	sql, args := forHouse(houseID, `SELECT key, minutes, sum(n)::bigint FROM figure_durations WHERE measure = $1 AND day BETWEEN $2 AND $3`,
		`GROUP BY key, minutes ORDER BY key, minutes`, measure, pgDate(from), pgDate(to))
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
	return out, nil
}

// ScreenUse returns how often each screen opened in the hours of the
// days from..to, summed by hour and screen, in that order.
func (db *DB) ScreenUse(ctx context.Context, houseID int64, from, to programme.Date) ([]figures.ScreenCount, error) {
	// Hours are text ("2026-12-03T14"): a day's date sorts before its
	// hours, the next day's after them.
	sql, args := forHouse(houseID, `SELECT hour, screen, sum(n)::bigint FROM screen_use WHERE hour >= $1 AND hour < $2`,
		`GROUP BY hour, screen ORDER BY hour, screen`, from.String(), to.AddDays(1).String())
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
