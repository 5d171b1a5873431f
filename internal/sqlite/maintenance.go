package sqlite

// The appliance's upkeep: nightly backups, restoring one, purging by the
// retention policy, and the health check.

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"buurtbalie/internal/account"
	"buurtbalie/internal/retention"
)

// ErrNotBuurtbalie is matched by Restore's error for a SQLite database
// that some other program made.
var ErrNotBuurtbalie = errors.New("not a buurtbalie database")

// ErrDamaged is matched by Restore's error for a backup that fails
// SQLite's integrity check.
var ErrDamaged = errors.New("database damaged")

// ErrInUse is matched by Restore's error when the database to replace is
// open in another program (the kiosk), or the backup looks like a live
// database.
var ErrInUse = errors.New("database in use")

// refusal is an error with a message for people that still matches a
// sentinel with errors.Is.
type refusal struct {
	err error
	msg string
}

func refuse(err error, format string, args ...any) error {
	return &refusal{err: err, msg: fmt.Sprintf(format, args...)}
}

func (r *refusal) Error() string { return r.msg }
func (r *refusal) Unwrap() error { return r.err }

// Backup files are named buurtbalie-YYYYMMDD-HHMMSS.db in the house's
// time, so staff find last night's and the names sort by age. Only files
// named so are ever deleted; one being written is hidden under a dot and
// ends in .tmp, so that a half backup never looks like a whole one.
const backupStamp = "20060102-150405"

var (
	backupName = regexp.MustCompile(`^buurtbalie-[0-9]{8}-[0-9]{6}\.db$`)
	backupTemp = regexp.MustCompile(`^\.buurtbalie-[0-9]{8}-[0-9]{6}\.db\.tmp$`)
)

// staleTemp is how long an unfinished backup file lies untouched before
// Backup takes it for the leftover of a crash and removes it.
const staleTemp = time.Hour

// Backup copies the database into a new file buurtbalie-YYYYMMDD-HHMMSS.db
// in dir (made if missing) with VACUUM INTO, which reads one snapshot and
// lets the kiosk go on writing meanwhile. The copy is written under a
// temporary name, flushed to disk, read back and only then renamed, so a
// power cut never leaves a half backup with a backup's name. Then it
// deletes the oldest backups in dir beyond keep (0 keeps them all),
// never the one just made and never a file not named like one.
//
// A backup holds what the database holds: text erased by Purge stays in
// older backups until they are deleted in turn.
func (db *DB) Backup(ctx context.Context, dir string, keep int) (string, error) {
	if keep < 0 {
		return "", fmt.Errorf("backup: keep %d: want the number of backups to keep, or 0 for all", keep)
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	name := "buurtbalie-" + db.Now().In(db.Location).Format(backupStamp) + ".db"
	path := filepath.Join(dir, name)
	if _, err := os.Lstat(path); err == nil {
		return "", fmt.Errorf("backup: %s exists already; wait a second and try again", path)
	}
	// Made empty here, for its owner only (it holds the questions), so
	// that no one can open it while VACUUM INTO fills it.
	tmp := filepath.Join(dir, "."+name+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("backup: another backup is being written to %s; wait for it", tmp)
	}
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	f.Close()
	if err := db.vacuumInto(ctx, tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("backup to %s: %w", dir, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("backup: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	if err := pruneBackups(dir, name, keep); err != nil {
		return path, fmt.Errorf("backup %s made, but not every old one removed: %w", path, err)
	}
	return path, nil
}

// vacuumInto writes a copy of the database into the empty file tmp,
// flushes it and reads it back.
func (db *DB) vacuumInto(ctx context.Context, tmp string) error {
	if _, err := db.db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return err
	}
	// SQLite does not flush what VACUUM INTO wrote.
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := checkBackup(ctx, tmp, "quick_check"); err != nil {
		return fmt.Errorf("the copy does not read back: %w", err)
	}
	return nil
}

// pruneBackups deletes the oldest backups in dir beyond keep, sparing
// made, and unfinished ones left by a crash.
func pruneBackups(dir, made string, keep int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var (
		old  []string
		errs []error
	)
	for _, e := range entries {
		switch n := e.Name(); {
		case !e.Type().IsRegular() || n == made:
		case backupName.MatchString(n):
			old = append(old, n)
		case backupTemp.MatchString(n):
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleTemp {
				errs = append(errs, removeIfExists(filepath.Join(dir, n)))
			}
		}
	}
	if keep == 0 {
		return errors.Join(errs...)
	}
	// Newest first. Sparing made even when its name sorts older (the
	// clock was put back) keeps the newest data whatever the clock says.
	sort.Sort(sort.Reverse(sort.StringSlice(old)))
	for _, n := range old[min(keep-1, len(old)):] {
		errs = append(errs, removeIfExists(filepath.Join(dir, n)))
	}
	return errors.Join(errs...)
}

// Restore replaces the database file target with a copy of backup, after
// checking that backup is a whole Buurtbalie database this version can
// open (an older schema is fine: Open brings it up to date).
//
// The kiosk must be stopped first (systemctl stop buurtbalie-kiosk):
// Restore takes an exclusive lock on target to make sure no program has
// it open and refuses with an error matching ErrInUse when one does. The
// copy is written next to target, flushed, and renamed over it, after
// removing target's -wal and -shm files, whose pages belong to the old
// database.
//
// A file that is not a SQLite database gives an error matching
// ErrNotDatabase; another program's database ErrNotBuurtbalie; a newer
// Buurtbalie's ErrNewerSchema; a damaged one ErrDamaged. Each leaves
// target untouched.
func Restore(ctx context.Context, backup, target string) error {
	if err := checkBackup(ctx, backup, "integrity_check"); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if a, err := os.Stat(backup); err == nil {
		if b, err := os.Stat(target); err == nil && os.SameFile(a, b) {
			return fmt.Errorf("restore: %s is the database itself; choose a backup", backup)
		}
	}
	if err := checkIdle(ctx, target); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := replaceFile(backup, target); err != nil {
		return fmt.Errorf("restore %s: %w", backup, err)
	}
	return nil
}

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// checkBackup reports whether the file at path is a whole Buurtbalie
// database this version can open: a SQLite file, with Buurtbalie's
// migrations and tables only, that passes check ("integrity_check", or
// the cheaper "quick_check"). It only reads the file.
func checkBackup(ctx context.Context, path, check string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return refuse(ErrNotDatabase, "%s is not a SQLite database: it is not a file", path)
	}
	if err := checkHeader(path, info.Size()); err != nil {
		return err
	}
	// A live database keeps its latest changes in the -wal file; a copy
	// of the main file alone misses them.
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		return refuse(ErrInUse, "%s has a %s next to it, so it may be a database in use and the copy would miss "+
			"what is in that file; make a backup with \"buurtbalie backup\" and restore that", path, filepath.Base(path)+"-wal")
	}
	// immutable: read the file as it is, take no locks, write no -shm or
	// -wal next to it (on a USB stick, say).
	base, _, _ := strings.Cut(dsn(path), "?")
	sdb, err := sql.Open("sqlite", base+"?mode=ro&immutable=1")
	if err != nil {
		return err
	}
	defer sdb.Close()
	sdb.SetMaxOpenConns(1)
	tables, err := listTables(ctx, sdb)
	if err != nil {
		if errors.Is(notDatabase(err), ErrNotDatabase) {
			return refuse(ErrNotDatabase, "%s is not a SQLite database: %v", path, err)
		}
		return refuse(ErrDamaged, "%s is damaged: %v", path, err)
	}
	if err := checkSchema(ctx, sdb, path, tables); err != nil {
		return err
	}
	return checkIntegrity(ctx, sdb, path, check)
}

// checkHeader reads the first bytes of the file at path, of the given
// size: an empty file would open as an empty database.
func checkHeader(path string, size int64) error {
	if size == 0 {
		return refuse(ErrNotDatabase, "%s is not a SQLite database: it is empty", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 100) // the database header
	if _, err := io.ReadFull(f, head); err != nil || !bytes.HasPrefix(head, sqliteHeader) {
		return refuse(ErrNotDatabase, "%s is not a SQLite database but another kind of file; "+
			"a backup is a file named like buurtbalie-20261123-030000.db", path)
	}
	return nil
}

// querier is a database or a transaction, to read from.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// listTables returns the names of the database's own tables.
func listTables(ctx context.Context, sdb querier) (map[string]bool, error) {
	rows, err := sdb.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tables := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		tables[n] = true
	}
	return tables, rows.Err()
}

// checkSchema reports whether a database with the given tables is one
// Buurtbalie made: its migrations are ours, numbered from 1, none newer
// than this version knows, and it has no table ours do not make.
func checkSchema(ctx context.Context, sdb querier, path string, tables map[string]bool) error {
	if !tables["migrations"] {
		return refuse(ErrNotBuurtbalie, "%s is not a Buurtbalie database: it has no migrations table", path)
	}
	ms, err := migrations()
	if err != nil {
		return err
	}
	rows, err := sdb.QueryContext(ctx, `SELECT version, name FROM migrations ORDER BY version`)
	if err != nil {
		return refuse(ErrNotBuurtbalie, "%s is not a Buurtbalie database: its migrations table is not ours: %v", path, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var (
			v    int
			name string
		)
		if err := rows.Scan(&v, &name); err != nil {
			return refuse(ErrNotBuurtbalie, "%s is not a Buurtbalie database: its migrations table is not ours: %v", path, err)
		}
		n++
		switch {
		case v != n:
			return refuse(ErrNotBuurtbalie, "%s is not a Buurtbalie database: its migrations skip from %d to %d", path, n-1, v)
		case v > len(ms):
			return refuse(ErrNewerSchema, "%s was made by a newer Buurtbalie (schema version %d or more; this one knows up to %d): "+
				"install that version, or choose an older backup", path, v, len(ms))
		case name != filepath.Base(ms[v-1].name):
			return refuse(ErrNotBuurtbalie, "%s is not a Buurtbalie database: its migration %d is %q where Buurtbalie has %q",
				path, v, name, filepath.Base(ms[v-1].name))
		}
	}
	if err := rows.Err(); err != nil {
		return refuse(ErrDamaged, "%s is damaged: %v", path, err)
	}
	if n == 0 {
		return refuse(ErrNotBuurtbalie, "%s is not a Buurtbalie database: it records no migrations", path)
	}
	known, err := knownTables()
	if err != nil {
		return err
	}
	var strange []string
	for t := range tables {
		if !known[t] {
			strange = append(strange, t)
		}
	}
	if len(strange) > 0 {
		sort.Strings(strange)
		return refuse(ErrNotBuurtbalie, "%s is not a Buurtbalie database: it has tables Buurtbalie does not make: %s",
			path, strings.Join(strange, ", "))
	}
	return nil
}

var createTable = regexp.MustCompile(`(?i)\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?["'\x60]?(\w+)`)

// knownTables returns the tables Buurtbalie's migrations make.
func knownTables() (map[string]bool, error) {
	ms, err := migrations()
	if err != nil {
		return nil, err
	}
	known := map[string]bool{"migrations": true}
	for _, m := range ms {
		text, err := migrationFiles.ReadFile(m.name)
		if err != nil {
			return nil, err
		}
		for _, sm := range createTable.FindAllSubmatch(text, -1) {
			known[string(sm[1])] = true
		}
	}
	return known, nil
}

// checkIntegrity runs check ("integrity_check" or "quick_check"), which
// answers one row "ok", or rows describing what is broken.
func checkIntegrity(ctx context.Context, sdb *sql.DB, path, check string) error {
	rows, err := sdb.QueryContext(ctx, `PRAGMA `+check)
	if err != nil {
		return refuse(ErrDamaged, "%s is damaged: %v", path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return refuse(ErrDamaged, "%s is damaged: %v", path, err)
		}
		// A line "*** in database main ***" heads the problems.
		for _, line := range strings.Split(p, "\n") {
			if line != "ok" && !strings.HasPrefix(line, "*** ") && len(problems) < 3 {
				problems = append(problems, line)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return refuse(ErrDamaged, "%s is damaged: %v", path, err)
	}
	if len(problems) > 0 {
		return refuse(ErrDamaged, "%s is damaged; SQLite's %s says: %s", path, check, strings.Join(problems, "; "))
	}
	return nil
}

// inUse is how long checkIdle waits for another program's lock to go.
const inUse = time.Second

// checkIdle makes sure no program has the database at target open. In
// WAL mode a plain BEGIN EXCLUSIVE does not notice readers, or a kiosk
// that merely has the file open; in exclusive locking mode SQLite needs
// the whole file to itself, which it cannot get while any other
// connection is open. A target that is missing, or so damaged that
// SQLite cannot read it, is in no one's use.
func checkIdle(ctx context.Context, target string) error {
	if _, err := os.Stat(target); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	base, _, _ := strings.Cut(dsn(target), "?")
	sdb, err := sql.Open("sqlite", fmt.Sprintf("%s?_pragma=busy_timeout(%d)&_pragma=locking_mode(EXCLUSIVE)", base, inUse.Milliseconds()))
	if err != nil {
		return err
	}
	defer sdb.Close()
	conn, err := sdb.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.ExecContext(ctx, `BEGIN EXCLUSIVE`)
	if err == nil {
		_, err = conn.ExecContext(ctx, `ROLLBACK`)
	}
	switch {
	case err == nil, errors.Is(notDatabase(err), ErrNotDatabase):
		return nil
	case busy(err):
		return refuse(ErrInUse, "%s is in use: stop the kiosk first (systemctl stop buurtbalie-kiosk), then restore", target)
	}
	return fmt.Errorf("lock %s: %w", target, err)
}

// busy reports whether err is SQLite's "database is locked".
func busy(err error) bool {
	var serr *sqlite.Error
	if !errors.As(err, &serr) {
		return false
	}
	code := serr.Code() & 0xff
	return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
}

// replaceFile copies src next to target and renames the copy over
// target, keeping target's owner and permissions. It removes target's
// -wal, -shm and -journal files first: SQLite would otherwise read the
// old database's pages into the new one.
func replaceFile(src, target string) (err error) {
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, "."+filepath.Base(target)+".restore-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			out.Close()
			os.Remove(out.Name())
		}
	}()
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	if err := likeTarget(out, target); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := removeIfExists(target + suffix); err != nil {
			return err
		}
	}
	if err := os.Rename(out.Name(), target); err != nil {
		return err
	}
	return syncDir(dir)
}

// likeTarget gives f the permissions and owner of the file at target, so
// that the kiosk's user can still open a database restored by root; a new
// database is for its owner only.
func likeTarget(f *os.File, target string) error {
	info, err := os.Stat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return f.Chmod(0o600)
	}
	if err != nil {
		return err
	}
	if err := f.Chmod(info.Mode().Perm()); err != nil {
		return err
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if err := f.Chown(int(st.Uid), int(st.Gid)); err != nil {
		return fmt.Errorf("give the restored file the owner of %s (user %d): %w; run restore as root or as that user", target, st.Uid, err)
	}
	return nil
}

func removeIfExists(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// syncDir flushes a directory, so that a rename in it survives a power
// cut.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) { // some file systems cannot
		return err
	}
	return nil
}

// PurgeReport says what Purge erased and deleted, or with DryRun what it
// would have.
type PurgeReport struct {
	DryRun     bool
	Cutoffs    retention.Cutoffs
	TextErased int64 // closed questions whose texts were erased
	Questions  int64 // questions deleted, with their history
	Audit      int64 // audit entries deleted
	Sessions   int64 // login sessions idle too long, deleted
	// OpenKept counts the open questions asked before the question
	// cutoff: kept, since an open question never goes for its age
	// alone, and worth staff's look.
	OpenKept int64
}

// actionPurge is the audit log's entry for a purge.
const actionPurge = "purge"

// Purge applies the retention policy p at db.Now, in one transaction:
//
//   - closed questions last worked on (closed, or a note written after
//     closing; views do not count) before the text cutoff lose what was
//     written: the visitor's text, the message for the visitor, the
//     outcome, and the text of their note, message and closed events;
//   - closed questions asked before the question cutoff are deleted,
//     with their history; their audit entries stay, without the link.
//     Open questions are never deleted for their age (OpenKept counts
//     the old ones);
//   - audit entries older than the audit cutoff are deleted;
//   - login sessions idle for longer than account.SessionIdle are
//     deleted.
//
// Counts leave out what there is nothing left to do to, so a nightly
// purge reports only news. With dryRun it does all of it and rolls back:
// the report is exactly what a real purge would do now, and nothing
// changes. A real purge writes an audit entry "purge" with the counts,
// and records that it ran (purge_runs), changes or not.
//
// Purge believes db.Now only when retention.CheckClock does: near the
// last purge and the newest entry in the database. Otherwise it changes
// nothing, a dry run included, and returns an error matching
// retention.ErrClock that says what the clock says and what it was
// compared with. For a clock staff have checked see PurgeTrustingClock.
//
// What is deleted is overwritten in the file (secure_delete) and the WAL
// is truncated afterwards, so the text is gone from the disk, not only
// from view; older backups keep it until they are deleted in turn.
func (db *DB) Purge(ctx context.Context, p retention.Policy, dryRun bool) (PurgeReport, error) {
	return db.purge(ctx, p, dryRun, false)
}

// PurgeTrustingClock is Purge for a clock staff have checked: after the
// PC really was off for months, the clock is far past the last purge and
// right all the same. It skips the comparison with what the database
// last saw, but not clock.Check's floor and ceiling, and the run it
// records is marked trusted; the next night's purge is compared with it.
// Open questions are kept all the same, so a wrong clock trusted by
// mistake costs closed questions, not the ones volunteers work on.
func (db *DB) PurgeTrustingClock(ctx context.Context, p retention.Policy, dryRun bool) (PurgeReport, error) {
	return db.purge(ctx, p, dryRun, true)
}

func (db *DB) purge(ctx context.Context, p retention.Policy, dryRun, trust bool) (PurgeReport, error) {
	if err := p.Validate(); err != nil {
		return PurgeReport{}, fmt.Errorf("purge: %w", err)
	}
	now := db.Now()
	r := PurgeReport{DryRun: dryRun, Cutoffs: p.Cutoffs(now)}
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return PurgeReport{}, fmt.Errorf("purge: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return PurgeReport{}, fmt.Errorf("purge: %w", err)
	}
	// Back in the pool the connection need not overwrite.
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA secure_delete = OFF`)

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return PurgeReport{}, fmt.Errorf("purge: %w", err)
	}
	defer tx.Rollback()
	// Read in the purge's own transaction, so that what it checked is
	// what it purges.
	seen, err := purgeSeen(ctx, tx)
	if err != nil {
		return PurgeReport{}, fmt.Errorf("purge: %w", err)
	}
	if trust {
		seen = retention.Seen{}
	}
	if err := retention.CheckClock(now, seen); err != nil {
		return PurgeReport{}, fmt.Errorf("purge: nothing was changed: %w", err)
	}
	if err := purge(ctx, tx, &r, now); err != nil {
		return PurgeReport{}, fmt.Errorf("purge: %w", err)
	}
	if dryRun {
		return r, nil // rolled back
	}
	if err := recordPurge(ctx, tx, r, now, trust); err != nil {
		return PurgeReport{}, fmt.Errorf("purge: record the run: %w", err)
	}
	if r.TextErased+r.Questions+r.Audit+r.Sessions > 0 {
		e := account.Entry{Action: actionPurge, Detail: fmt.Sprintf("text of %d closed questions erased; %d questions, %d audit entries, %d sessions deleted",
			r.TextErased, r.Questions, r.Audit, r.Sessions)}
		if err := insertAudit(ctx, tx, now.UTC().Format(time.RFC3339), e); err != nil {
			return PurgeReport{}, fmt.Errorf("purge: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return PurgeReport{}, fmt.Errorf("purge: %w", err)
	}
	// Older copies of the pages may still be in the WAL file; truncating
	// it leaves them nowhere. A reader in the way makes this a no-op,
	// which the next purge repeats.
	conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return r, nil
}

// oldClosed selects, from questions q, the closed ones last worked on
// before the cutoff given as its one parameter. Events are stamped with
// a fixed width, so they compare as text; created_at, the fallback for
// a question closed with no event, only to within a second.
const oldClosed = `q.status = 'closed' AND COALESCE(
	(SELECT MAX(e.at) FROM events e WHERE e.question_id = q.id AND e.kind <> 'viewed'),
	q.created_at) < ?`

// textEvents are the kinds of events whose text volunteers wrote, here
// or, for a referral in, at the house that referred it.
const textEvents = `('note', 'message', 'closed', 'referred_in')`

func purge(ctx context.Context, tx *sql.Tx, r *PurgeReport, now time.Time) error {
	var err error
	// Deleted first, so a question is counted once: deleted, not erased.
	// Only closed ones: an open question may still be followed up, and
	// its age is only as right as the clock.
	asked := stamp(r.Cutoffs.Question)
	if r.Questions, err = affected(tx.ExecContext(ctx, `DELETE FROM questions WHERE created_at < ? AND status = 'closed'`, asked)); err != nil {
		return fmt.Errorf("delete old questions: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM questions WHERE created_at < ?`, asked).Scan(&r.OpenKept); err != nil {
		return fmt.Errorf("count old open questions: %w", err)
	}
	text := stamp(r.Cutoffs.Text)
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM questions q WHERE `+oldClosed+`
		AND (q.text <> '' OR q.visitor_message <> '' OR q.outcome <> ''
			OR EXISTS (SELECT 1 FROM events e WHERE e.question_id = q.id AND e.kind IN `+textEvents+` AND e.text <> '')
			OR EXISTS (SELECT 1 FROM referrals_in ri WHERE ri.question_id = q.id AND ri.note <> ''))`,
		text).Scan(&r.TextErased); err != nil {
		return fmt.Errorf("count closed questions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE events SET text = '' WHERE kind IN `+textEvents+` AND text <> ''
		AND question_id IN (SELECT q.id FROM questions q WHERE `+oldClosed+`)`, text); err != nil {
		return fmt.Errorf("erase notes: %w", err)
	}
	// The note of the house that referred a question here is a
	// volunteer's text like any other.
	if _, err := tx.ExecContext(ctx, `UPDATE referrals_in SET note = '' WHERE note <> ''
		AND question_id IN (SELECT q.id FROM questions q WHERE `+oldClosed+`)`, text); err != nil {
		return fmt.Errorf("erase notes of referrals: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE questions AS q SET text = '', visitor_message = '', outcome = ''
		WHERE `+oldClosed+` AND (q.text <> '' OR q.visitor_message <> '' OR q.outcome <> '')`, text); err != nil {
		return fmt.Errorf("erase texts: %w", err)
	}
	// audit.at and sessions.last_seen are RFC 3339 to the second.
	if r.Audit, err = affected(tx.ExecContext(ctx, `DELETE FROM audit WHERE at < ?`, r.Cutoffs.Audit.UTC().Format(time.RFC3339))); err != nil {
		return fmt.Errorf("delete old audit entries: %w", err)
	}
	idle := now.Add(-account.SessionIdle).UTC().Format(time.RFC3339)
	if r.Sessions, err = affected(tx.ExecContext(ctx, `DELETE FROM sessions WHERE last_seen < ?`, idle)); err != nil {
		return fmt.Errorf("delete idle sessions: %w", err)
	}
	return nil
}

// keptRuns is how many purge runs are kept: a year and a bit of nightly
// ones, counted rather than dated so that a wrong clock cannot empty it.
const keptRuns = 400

// recordPurge records that a purge ran at now.
func recordPurge(ctx context.Context, tx *sql.Tx, r PurgeReport, now time.Time, trusted bool) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO purge_runs (at, trusted, text_erased, questions, audit, sessions) VALUES (?, ?, ?, ?, ?, ?)`,
		now.UTC().Format(time.RFC3339), trusted, r.TextErased, r.Questions, r.Audit, r.Sessions); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM purge_runs WHERE id <= (SELECT MAX(id) FROM purge_runs) - ?`, keptRuns)
	return err
}

// seenColumns are the moments people and the appliance write, the newest
// of which is retention.Seen.Newest: each column holds one format of RFC
// 3339, so MAX of the text is the newest.
var seenColumns = []struct{ table, column string }{
	{"questions", "created_at"},
	{"events", "at"},
	{"audit", "at"},
	{"sessions", "last_seen"},
	{"activities", "updated_at"},
	{"imports", "at"},
	{"subscriptions", "last_try_at"},
	{"purge_runs", "at"},
}

// purgeSeen reads what the database last saw: its newest entry and the
// last purge. A stamp that does not read as a time is left out rather
// than trusted.
func purgeSeen(ctx context.Context, tx *sql.Tx) (retention.Seen, error) {
	var seen retention.Seen
	for _, c := range seenColumns {
		var v sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT MAX(`+c.column+`) FROM `+c.table+` WHERE `+c.column+` <> ''`).Scan(&v); err != nil {
			return seen, fmt.Errorf("newest %s: %w", c.table, err)
		}
		t, err := time.Parse(time.RFC3339Nano, v.String)
		if !v.Valid || err != nil {
			continue
		}
		if t.After(seen.Newest) {
			seen.Newest = t
		}
		if c.table == "purge_runs" {
			seen.LastRun = t
		}
	}
	return seen, nil
}

func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Health reports whether the database answers and can take what people
// entrust to it, cheaply enough for a health check every few seconds. Its
// error matches ErrReadOnly or ErrDiskFull when writes cannot succeed,
// and ErrLost when data may have been lost under the running program (see
// DB.durability).
func (db *DB) Health(ctx context.Context) error {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM migrations`).Scan(&n); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if n == 0 {
		return errors.New("database: no migrations recorded")
	}
	if err := db.durability(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	return nil
}

// Health is the database's Health, so that a web server given only the
// stores can report on it.
func (s *QuestionService) Health(ctx context.Context) error { return s.db.Health(ctx) }
