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
// pages write; Watch tells a screen when anyone committed a change. Every
// commit is on the disk when it returns (synchronous FULL), Checkpoints
// keeps the -wal file short, and Health tells when the disk or the files
// under the open database stop holding what was saved.
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
	"syscall"
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

// ErrReadOnly is returned by every write to a database opened read-only:
// its folder or file cannot be written (a file system that Debian remounted
// read-only after disk errors, say), so only reading commands work.
var ErrReadOnly = errors.New("database is read-only")

// DB is an open Buurtbalie database.
type DB struct {
	db        *sql.DB
	path      string
	readOnly  string        // why the database is open read-only; "" when it is not
	done      chan struct{} // closed by Close, ends Watch and Checkpoints
	closeOnce sync.Once

	stmtCache stmtCache // see prepared

	// keep is a connection held from Open to Close. While it is open,
	// SQLite never deletes the -wal file on its own (it does so only when
	// the last connection closes), so a -wal that is missing or another
	// file was removed by someone else; Health checks that.
	keep  *sql.Conn
	seen  seen
	probe string // see probePath; "" when it could not be made

	// Now returns the current time; tests replace it. It stamps
	// created_at and updated_at.
	Now func() time.Time

	// Location is the house's time zone, in which occurrences are placed.
	Location *time.Location
}

// maxIdleConns is how many connections the pool keeps open unused.
const maxIdleConns = 64

// Open opens the database file at path, creating it and its directory when
// missing, and brings its tables up to date.
//
// When the file or its folder cannot be written (a read-only file system),
// Open opens it read-only, so that backup, export and programme can still
// rescue what it holds; every write then fails with ErrReadOnly. A file
// another program made (tables, but not Buurtbalie's) is refused with
// ErrNotBuurtbalie before anything is written to it. A database whose
// schema is current is opened without taking the write lock, so reading
// commands work while another process writes.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" {
		return nil, fmt.Errorf("open database: need a file path, not %q", path)
	}
	loc, err := time.LoadLocation(HouseZone)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	readOnly, fsReadOnly := unwritable(path)
	if readOnly == "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
	}
	source := dsn(path)
	if readOnly != "" {
		source = readOnlyDSN(path)
	}
	if fsReadOnly {
		if _, err := os.Stat(path + "-wal"); errors.Is(err, fs.ErrNotExist) {
			// SQLite reads a WAL database only with a -shm file it can
			// make, unless told the file cannot change, which on a
			// read-only file system is true. Without a -wal every
			// commit is in the file itself.
			source += "&immutable=1"
		}
	}
	sdb, err := sql.Open("sqlite", source)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// Each new connection runs the DSN's pragmas and prepares every
	// statement again: under 50 volunteers at once, with only 4 kept
	// idle, opening connections was a quarter of the slip page's CPU.
	// Keep as many idle as a busy web app uses at once, and let those
	// not used for a while go. No cap on open connections: a function
	// that reads outside its transaction must not wait for itself.
	sdb.SetMaxIdleConns(maxIdleConns)
	sdb.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{db: sdb, path: path, readOnly: readOnly, done: make(chan struct{}), Now: time.Now, Location: loc}
	if err := db.migrate(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("open database %s: %w", path, notDatabase(err))
	}
	if err := db.hold(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// unwritable says why the database at path cannot be written, or "" when
// it can, and whether that is because its file system takes no writes. SQLite writes the file and, in WAL mode, the -wal and -shm files
// next to it, so a folder it cannot write counts too, unless those two are
// there already and writable. A path that does not exist yet is writable
// if it can be made.
func unwritable(path string) (why string, fsReadOnly bool) {
	if _, err := os.Stat(path); err != nil {
		return "", false // a new database: Open makes it, or says why it cannot
	}
	var st syscall.Statfs_t
	if syscall.Statfs(filepath.Dir(path), &st) == nil && st.Flags&stRDOnly != 0 {
		return fmt.Sprintf("%s is on a read-only file system", path), true
	}
	const wOK = 2 // access(2)'s W_OK
	if err := syscall.Access(path, wOK); err != nil {
		return fmt.Sprintf("%s cannot be written: %v", path, err), errors.Is(err, syscall.EROFS)
	}
	dir := filepath.Dir(path)
	if err := syscall.Access(dir, wOK); err != nil {
		for _, side := range []string{path + "-wal", path + "-shm"} {
			if syscall.Access(side, wOK) != nil {
				return fmt.Sprintf("%s cannot be written: %v", dir, err), false
			}
		}
	}
	// ext4 after a disk error passes access(2) and still refuses every
	// write; see probePath.
	if err := touch(probePath(path)); errors.Is(err, syscall.EROFS) {
		return fmt.Sprintf("%s refuses writes, perhaps after disk errors: %v", dir, err), true
	}
	return "", false
}

// ReadOnly says why the database is open read-only, or "" when it is not.
func (db *DB) ReadOnly() string { return db.readOnly }

// busyTimeout is how long a write waits for another writer. Every write
// Buurtbalie makes is a short transaction (a question, a follow-up, a
// staff change, the final step of an import), so the wait is normally a
// few milliseconds; 30 s covers the slowest honest case, a write behind a
// checkpoint or an import on a slow SSD of a cheap PC, so that a visitor's
// question waits and is saved instead of being refused with "database is
// locked". A lock held longer than that is a bug, and failing then is
// right.
const busyTimeout = 30 * time.Second

// dsn returns the data source name for the file at path. Pragmas go in the
// DSN so that every pooled connection gets them, not just the first. The
// journal mode is not among them: it is a property of the file, and
// setting it writes to it, so migrate sets it once it knows the file is
// Buurtbalie's.
// _txlock=immediate makes write transactions take the write lock at BEGIN,
// waiting up to busy_timeout for another writer, instead of failing with
// SQLITE_BUSY when a read inside them turns into a write; read
// transactions (TxOptions.ReadOnly) still begin deferred.
//
// synchronous(FULL) makes every commit wait for fsync of the -wal file:
// a question is on the disk before its slip prints. With NORMAL a commit
// only reached the page cache, and simulated power cuts lost every
// question acknowledged in the 30 s before them (issue 11); FULL costs one
// fsync per commit (see BenchmarkCreateQuestion and TestPowerCut).
func dsn(path string) string {
	return fileURI(path) +
		"?_pragma=foreign_keys(1)" +
		fmt.Sprintf("&_pragma=busy_timeout(%d)", busyTimeout.Milliseconds()) +
		"&_pragma=synchronous(FULL)" +
		"&_txlock=immediate"
}

// readOnlyDSN opens the file at path for reading only. It sets no journal
// mode (that would be a write); a WAL database on a read-only file system
// is still read with its -wal file, which holds the latest commits.
func readOnlyDSN(path string) string {
	return fileURI(path) + "?mode=ro" +
		"&_pragma=foreign_keys(1)" +
		fmt.Sprintf("&_pragma=busy_timeout(%d)", busyTimeout.Milliseconds()) +
		"&_txlock=deferred"
}

// fileURI is path as a file: URI, in which '?' and '#' would end the
// path, and '%' starts an escape.
func fileURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
}

// notDatabase turns SQLite's "file is not a database" into ErrNotDatabase.
func notDatabase(err error) error {
	var serr *sqlite.Error
	if errors.As(err, &serr) && serr.Code()&0xff == sqlite3.SQLITE_NOTADB {
		return fmt.Errorf("%w: the file is damaged or of another kind; restore a backup or move it away: %v", ErrNotDatabase, err)
	}
	return err
}

// Close checkpoints the database and closes it, ending any Watch and
// Checkpoints. The checkpoint moves every commit from the -wal file into
// the database file and empties the -wal, so that a clean exit leaves
// nothing that a lost -wal file could take with it.
func (db *DB) Close() error {
	var err error // a second Close does nothing
	db.closeOnce.Do(func() {
		close(db.done)
		err = db.close()
	})
	return err
}

func (db *DB) close() error {
	var errs []error
	// The statements first: closing one finalizes it on each connection
	// it was prepared on, while the connections are still open.
	db.closeStmts()
	if db.keep != nil {
		if db.readOnly == "" {
			// A reader in another process (a backup) keeps it from
			// finishing; rather than wait busy_timeout for it, give up
			// after a second and leave the rest in the -wal, where the
			// next start finds it.
			ctx := context.Background()
			_, err := db.keep.ExecContext(ctx, `PRAGMA busy_timeout = 1000`)
			if err == nil {
				_, err = db.keep.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
			}
			if err != nil && !busy(err) {
				errs = append(errs, fmt.Errorf("checkpoint: %w", err))
			}
		}
		db.keep.Close()
	}
	if err := db.db.Close(); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
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
	if db.readOnly != "" {
		return nil, fmt.Errorf("%w: %s", ErrReadOnly, db.readOnly)
	}
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
//
// It first reads the schema in a read transaction, which takes no lock: a
// database that is current (every start but the first after an upgrade)
// is opened without waiting for a writer in another process, and a file
// that is not Buurtbalie's is refused before anything is written to it.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	v, err := db.schemaVersion(ctx, len(ms))
	if err != nil {
		return err
	}
	if db.readOnly == "" {
		if err := db.useWAL(ctx); err != nil {
			return err
		}
	}
	if v == len(ms) {
		return nil
	}
	if db.readOnly != "" {
		return fmt.Errorf("%w: it has schema version %d and this Buurtbalie needs %d, which means writing to it, but %s; "+
			"use the Buurtbalie that made it to back it up", ErrReadOnly, v, len(ms), db.readOnly)
	}
	for _, m := range ms[v:] {
		if err := db.applyMigration(ctx, m); err != nil {
			return fmt.Errorf("migration %s: %w", filepath.Base(m.name), err)
		}
	}
	return nil
}

// useWAL puts the database in WAL mode, in which the kiosk screen reads
// while the web pages write, unless it is in it already (every start but
// the first), which asking costs no lock.
func (db *DB) useWAL(ctx context.Context) error {
	var mode string
	if err := db.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return fmt.Errorf("read journal mode: %w", err)
	}
	if mode == "wal" {
		return nil
	}
	if err := db.db.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode); err != nil {
		return fmt.Errorf("set journal mode: %w", err)
	}
	if mode != "wal" {
		return fmt.Errorf("set journal mode: got %q, want wal", mode)
	}
	return nil
}

// schemaVersion reads, in one read transaction, the number of migrations
// the database has had: 0 for a new, empty one. It refuses a database a
// newer Buurtbalie migrated past known, and one made by another program.
func (db *DB) schemaVersion(ctx context.Context, known int) (int, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	tables, err := listTables(ctx, tx)
	if err != nil {
		return 0, err
	}
	if len(tables) == 0 {
		return 0, nil
	}
	if !tables["migrations"] {
		return 0, refuse(ErrNotBuurtbalie, "%s is not a Buurtbalie database but another program's (it has the tables %s); "+
			"Buurtbalie leaves it alone: give Buurtbalie a data folder of its own with --data, or move the file away",
			db.path, tableNames(tables))
	}
	var v int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM migrations`).Scan(&v); err != nil {
		return 0, refuse(ErrNotBuurtbalie, "%s is not a Buurtbalie database: its migrations table is not ours: %v", db.path, err)
	}
	if v > known {
		return 0, fmt.Errorf("%w: its schema version is %d and this version knows up to %d; "+
			"install the Buurtbalie that made it, or restore a backup", ErrNewerSchema, v, known)
	}
	if err := checkSchema(ctx, tx, db.path, tables); err != nil && !(v == 0 && errors.Is(err, ErrNotBuurtbalie) && len(tables) == 1) {
		return 0, err
	}
	return v, nil
}

// tableNames lists a few of tables, for a message.
func tableNames(tables map[string]bool) string {
	names := make([]string, 0, len(tables))
	for t := range tables {
		names = append(names, t)
	}
	sort.Strings(names)
	if len(names) > 5 {
		names = append(names[:5], "…")
	}
	return strings.Join(names, ", ")
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

	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
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
