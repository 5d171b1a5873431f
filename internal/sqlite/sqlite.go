// Package sqlite stores Buurtbalie's data in one SQLite file, through the
// pure-Go driver modernc.org/sqlite, so the kiosk needs no C toolchain and
// no database server.
//
// Open creates or upgrades the file; the services (ProgrammeService, …)
// each wrap one transaction per method:
//
//	db, err := sqlite.Open(ctx, "/var/lib/buurtbalie/buurtbalie.db")
//	if err != nil {
//		return err
//	}
//	defer db.Close()
//	progs := sqlite.NewProgrammeService(db)
//	today, err := progs.Day(ctx, programme.DateOf(db.Now().In(db.Location)))
//
// The database runs in WAL mode, so the kiosk screen reads while the web
// pages write; Watch tells a screen when anyone committed a change.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the kiosk PC may have no zoneinfo

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// HouseZone is the time zone the programme's wall-clock times are in.
const HouseZone = "Europe/Amsterdam"

// ErrNewerSchema is returned by Open for a database written by a newer
// Buurtbalie than this one: its tables may hold what this version does not
// understand, so it is left alone.
var ErrNewerSchema = errors.New("database made by a newer buurtbalie")

// ErrNotDatabase is returned by Open for a file that is not a SQLite
// database (another kind of file, or one damaged beyond reading).
var ErrNotDatabase = errors.New("not a sqlite database")

// ErrNotFound is returned when a requested row (an activity, an exception)
// does not exist.
var ErrNotFound = errors.New("not found")

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB is an open Buurtbalie database.
type DB struct {
	db        *sql.DB
	path      string
	done      chan struct{} // closed by Close, ends Watch
	closeOnce sync.Once

	// Now returns the current time; tests replace it. It stamps
	// created_at and updated_at.
	Now func() time.Time

	// Location is the house's time zone, in which occurrences are placed.
	Location *time.Location
}

// Open opens the database file at path, creating it and its directory when
// missing, and brings its tables up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" {
		return nil, fmt.Errorf("open database: need a file path, not %q", path)
	}
	loc, err := time.LoadLocation(HouseZone)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sdb, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// Each new connection runs the DSN's pragmas; keep a few idle ones.
	sdb.SetMaxIdleConns(4)
	db := &DB{db: sdb, path: path, done: make(chan struct{}), Now: time.Now, Location: loc}
	if err := db.migrate(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("open database %s: %w", path, notDatabase(err))
	}
	return db, nil
}

// dsn returns the data source name for the file at path. Pragmas go in the
// DSN so that every pooled connection gets them, not just the first.
// _txlock=immediate makes write transactions take the write lock at BEGIN,
// waiting up to busy_timeout for another writer, instead of failing with
// SQLITE_BUSY when a read inside them turns into a write; read
// transactions (TxOptions.ReadOnly) still begin deferred.
func dsn(path string) string {
	// In a file: URI, '?' and '#' would end the path, and '%' starts an
	// escape.
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
	return "file:" + p +
		"?_pragma=foreign_keys(1)" +
		"&_pragma=busy_timeout(5000)" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)" +
		"&_txlock=immediate"
}

// notDatabase turns SQLite's "file is not a database" into ErrNotDatabase.
func notDatabase(err error) error {
	var serr *sqlite.Error
	if errors.As(err, &serr) && serr.Code()&0xff == sqlite3.SQLITE_NOTADB {
		return fmt.Errorf("%w: the file is damaged or of another kind; restore a backup or move it away: %v", ErrNotDatabase, err)
	}
	return err
}

// Close closes the database, ending any Watch.
func (db *DB) Close() error {
	db.closeOnce.Do(func() { close(db.done) })
	if err := db.db.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// Path returns the database file's path, as given to Open.
func (db *DB) Path() string { return db.path }

// beginRead starts a read-only transaction: it sees one snapshot of the
// database and never waits for writers.
func (db *DB) beginRead(ctx context.Context) (*sql.Tx, error) {
	return db.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
}

// beginWrite starts a write transaction, which holds the write lock from
// its start.
func (db *DB) beginWrite(ctx context.Context) (*sql.Tx, error) {
	return db.db.BeginTx(ctx, nil)
}

// now returns the current time, as stored in created_at and updated_at.
func (db *DB) now() string {
	return db.Now().UTC().Format(time.RFC3339)
}

// migration is one numbered .sql file.
type migration struct {
	version int
	name    string
}

// migrations lists the embedded migrations in order. Their names are
// NNN_what.sql, numbered from 001 without gaps.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := filepath.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNN_what.sql", base)
		}
		ms = append(ms, migration{version: v, name: name})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: want number %03d", m.name, i+1)
		}
	}
	return ms, nil
}

// migrate applies the migrations the database has not had yet, each in its
// own transaction that also records it, so a failure leaves the database
// at the last complete version.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	if err := db.checkVersion(ctx, len(ms)); err != nil {
		return err
	}
	for _, m := range ms {
		if err := db.applyMigration(ctx, m); err != nil {
			return fmt.Errorf("migration %s: %w", filepath.Base(m.name), err)
		}
	}
	return nil
}

// checkVersion refuses a database that a newer Buurtbalie has migrated
// past the known version.
func (db *DB) checkVersion(ctx context.Context, known int) error {
	var v int
	if err := db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM migrations`).Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v > known {
		return fmt.Errorf("%w: its schema version is %d and this version knows up to %d; "+
			"install the Buurtbalie that made it, or restore a backup", ErrNewerSchema, v, known)
	}
	return nil
}

// applyMigration applies m unless it is recorded already; another process
// opening the same file at the same time waits for the write lock and then
// finds it recorded.
func (db *DB) applyMigration(ctx context.Context, m migration) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	text, err := migrationFiles.ReadFile(m.name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(text)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, filepath.Base(m.name), db.now()); err != nil {
		return err
	}
	return tx.Commit()
}
