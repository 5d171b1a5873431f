// Package postgres is the district's store in PostgreSQL: its houses,
// their kiosks and how they joined, the nonces of recent requests, and
// the figures the kiosks send up.
//
// The figures arrive as events (district.Event), each with its own id.
// Accept records every id in the events table and adds only the events
// it did not have to the rollups (figure_counts, figure_durations,
// screen_use), in one statement, so a batch sent twice, batches out of
// order, or two kiosks of one house sending the same events at once all
// count each event exactly once, and the figures pages read the rollups,
// never the raw events.
//
//	db, err := postgres.Open(ctx, "postgres://buurtbalie@localhost/buurtbalie")
//	h, err := db.AddHouse(ctx, "Huis West", now)
//	err = db.NewEnrolment(ctx, h.ID, district.HashEnrolmentCode(code), now.Add(district.EnrolmentValid))
//	h, err = db.Enrol(ctx, district.HashEnrolmentCode(code), kioskID, key, now) // the kiosk joins
//	got, err := db.Accept(ctx, h.ID, kioskID, batch.Events, now)
//	counts, err := db.Counts(ctx, 0, figures.MeasureQuestions, from, to) // the whole district
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DB is the district's database.
type DB struct {
	pool *pgxpool.Pool

	// copyBatches makes Accept send a batch with COPY into a temporary
	// table instead of as arrays; the benchmarks compare the two.
	copyBatches bool
}

// Errors callers may test with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrBadCode  = errors.New("this enrolment code does not work (unknown, used, expired, or the house is revoked): ask the district for a new code")
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the key of the advisory lock that servers starting at
// once take, so that one migrates and the others then find it done.
const migrationLock = 0x6275757274 // "buurt"

// Open connects to the database at dsn (a postgres:// URL or key=value
// string; pool_max_conns sets the pool's size) and brings its schema up
// to date.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open district database: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open district database: %w", err)
	}
	db := &DB{pool: pool}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the connections.
func (db *DB) Close() { db.pool.Close() }

// Ping says whether PostgreSQL answers.
func (db *DB) Ping(ctx context.Context) error { return db.pool.Ping(ctx) }

// migrate applies, in order, each embedded migration the database does
// not have yet, each in its own transaction with its record in
// schema_migrations.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.apply(ctx, name); err != nil {
			return fmt.Errorf("migrate district database: %s: %w", path.Base(name), err)
		}
	}
	return nil
}

func (db *DB) apply(ctx context.Context, name string) error {
	sql, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	version := strings.TrimSuffix(path.Base(name), ".sql")
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// Held until the transaction ends: a second server starting now
		// waits here and then sees the migration recorded.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    text PRIMARY KEY,
			applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var done bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)", version).Scan(&done); err != nil {
			return err
		}
		if done {
			return nil
		}
		// Simple protocol: a migration is several statements.
		if _, err := tx.Exec(ctx, string(sql), pgx.QueryExecModeSimpleProtocol); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version) VALUES ($1)", version)
		return err
	})
}

// isUniqueViolation reports whether err is PostgreSQL refusing a
// duplicate key.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// isRetryable reports whether err is a transaction PostgreSQL gave up
// on for another's sake (a deadlock or a serialization failure), which
// succeeds when tried again.
func isRetryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}
