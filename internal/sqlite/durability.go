package sqlite

// Keeping what was acknowledged: checkpoints, and noticing when the disk
// or the files under the running program stop holding it.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// ErrDiskFull is matched by Health's error when the disk holding the
// database has too little room left for the next writes.
var ErrDiskFull = errors.New("disk full")

// ErrLost is matched by Health's error when files under the open database
// were removed, replaced or cut short: what was saved may be gone, or will
// be at the next start.
var ErrLost = errors.New("database files changed under buurtbalie")

// lowDisk is the free space below which Health reports the disk full. A
// question takes a few kilobytes in the -wal file, and SQLite needs room
// for a few pages more when it grows the file; below a megabyte the next
// write may fail, so staff hear of it before visitors do.
const lowDisk = 1 << 20

// stRDOnly is statfs's flag for a file system mounted read-only
// (ST_RDONLY), as Debian remounts ext4 after disk errors.
const stRDOnly = 1

// diskError is a Health error that no write can succeed until someone
// acts on the disk. Its Disk method ("full", "read-only") lets the web
// pages warn staff in their words without importing this package.
type diskError struct {
	kind string
	err  error
}

func (e diskError) Error() string { return e.err.Error() }
func (e diskError) Unwrap() error { return e.err }
func (e diskError) Disk() string  { return e.kind }

// seen is what this process has seen of the database's files, against
// which Health compares what they are now.
type seen struct {
	mu    sync.Mutex
	file  os.FileInfo // the database file at Open
	wal   os.FileInfo // the -wal file at Open; nil when there was none (read-only)
	pages int64       // the most pages the database has had
}

// hold takes the connection kept from Open to Close and records the files
// as they are. Reading through it makes SQLite open (and, in WAL mode,
// create) the -wal file.
func (db *DB) hold(ctx context.Context) error {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return err
	}
	var pages int64
	if err := conn.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		conn.Close()
		return err
	}
	file, err := os.Stat(db.path)
	if err != nil {
		conn.Close()
		return err
	}
	wal, err := os.Stat(db.path + "-wal")
	if err != nil {
		wal = nil // read-only, without a -wal: nothing to watch
	}
	db.keep, db.seen.file, db.seen.wal, db.seen.pages = conn, file, wal, pages
	if probe := probePath(db.path); db.readOnly == "" && touch(probe) == nil {
		db.probe = probe
	}
	return nil
}

// touch opens the file at path for writing, making it if missing, and
// closes it, writing nothing.
func touch(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	return f.Close()
}

// probePath is the empty file next to the database at path that Health
// opens for writing to learn whether the file system still takes writes.
// It cannot be the database or its -wal or -shm: closing any descriptor
// of a file drops the process's POSIX locks on it, SQLite's among them.
func probePath(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+"-probe")
}

// durability reports what keeps the database from holding the next write
// or what it held. It looks at what SQLite itself does not check:
//
//   - The file system: read-only (remounted after disk errors while the
//     kiosk ran; see probePath), or with less than lowDisk free. statfs
//     costs no write, where a probe write in a rolled-back transaction
//     would tell nothing: SQLite writes to the -wal only at commit.
//   - The -wal file. In WAL mode the latest commits live only there until
//     a checkpoint copies them into the database file. This process keeps
//     a connection open, so SQLite never removes the -wal itself; if the
//     path now names no file or another file, someone removed it, and the
//     next start would open the database without those commits, silently.
//     Until then the open connections still hold the removed file, so
//     durability checkpoints at once: what it held reaches the database
//     file, and only a restart gives SQLite a -wal it can find again.
//   - The database file: replaced by another file, or fewer pages than
//     it has had. Without auto_vacuum and with no VACUUM on the live file
//     (Buurtbalie runs none; Backup writes VACUUM INTO another file),
//     SQLite never gives pages back, so a smaller database lost data.
//
// What it cannot tell is a -wal lost while no Buurtbalie had the database
// open (after a crash): nothing but that file held those commits, so the
// next start cannot know they were there. Checkpoints bounds that loss to
// one interval, and Close leaves an empty -wal.
func (db *DB) durability(ctx context.Context) error {
	if db.readOnly != "" {
		return diskError{"read-only", fmt.Errorf("%w: %s", ErrReadOnly, db.readOnly)}
	}
	dir := filepath.Dir(db.path)
	// ext4 that met a disk error (errors=remount-ro) refuses writes with
	// EROFS, but recent kernels mark it "emergency_ro" rather than
	// read-only, which statfs does not show; opening a file for writing
	// (and writing nothing) meets the refusal.
	if db.probe != "" {
		f, err := os.OpenFile(db.probe, os.O_WRONLY, 0)
		if errors.Is(err, syscall.EROFS) {
			return diskError{"read-only", fmt.Errorf("%w: the file system of %s refuses writes, perhaps after disk errors; "+
				"nothing can be saved until the disk is checked and the PC restarted", ErrReadOnly, dir)}
		}
		if err == nil {
			f.Close()
		}
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err == nil {
		if st.Flags&stRDOnly != 0 {
			return diskError{"read-only", fmt.Errorf("%w: the file system of %s became read-only, perhaps after disk errors; "+
				"nothing can be saved until the disk is checked and the PC restarted", ErrReadOnly, dir)}
		}
		if free := st.Bavail * uint64(st.Bsize); free < lowDisk {
			return diskError{"full", fmt.Errorf("%w: only %d KiB free on the disk of %s; questions may not be saved until room is made",
				ErrDiskFull, free>>10, dir)}
		}
	}

	db.seen.mu.Lock()
	defer db.seen.mu.Unlock()
	if file, err := os.Stat(db.path); err != nil || !os.SameFile(file, db.seen.file) {
		return fmt.Errorf("%w: %s was removed or replaced while Buurtbalie had it open; "+
			"stop Buurtbalie, make sure the right file is in place (buurtbalie restore), and start it again", ErrLost, db.path)
	}
	if db.seen.wal != nil {
		if wal, err := os.Stat(db.path + "-wal"); err != nil || !os.SameFile(wal, db.seen.wal) {
			// Passive: it never waits for the busy timeout, which would
			// hang the health check.
			_, cerr := db.Checkpoint(ctx)
			saved := "what it held was copied into the database file"
			if cerr != nil {
				saved = fmt.Sprintf("copying what it held into the database file failed (%v)", cerr)
			}
			return fmt.Errorf("%w: %s was removed while Buurtbalie had the database open; %s; "+
				"restart Buurtbalie so that it saves into a new one", ErrLost, filepath.Base(db.path)+"-wal", saved)
		}
	}
	var pages int64
	if err := db.db.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		return err
	}
	if pages < db.seen.pages {
		return fmt.Errorf("%w: the database shrank from %d to %d pages while Buurtbalie had it open, so it lost what it held; "+
			"stop Buurtbalie and restore the newest backup", ErrLost, db.seen.pages, pages)
	}
	db.seen.pages = pages
	return nil
}

// Checkpoint copies the commits in the -wal file into the database file,
// as far as no reader still needs the older pages (a passive checkpoint:
// it never waits, and never makes a writer wait). It reports whether it
// copied them all.
func (db *DB) Checkpoint(ctx context.Context) (complete bool, err error) {
	if db.readOnly != "" {
		return false, fmt.Errorf("checkpoint: %w: %s", ErrReadOnly, db.readOnly)
	}
	var busy, log, copied int
	if err := db.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &copied); err != nil {
		return false, fmt.Errorf("checkpoint: %w", err)
	}
	return busy == 0 && copied == log, nil
}

// Checkpoints checkpoints every interval until ctx is done or the database
// is closed, calling failed (from its goroutine) when a checkpoint fails.
//
// SQLite checkpoints on its own only once the -wal file has grown to
// 1000 pages, which a quiet kiosk may take weeks to write; until then the
// questions of those weeks exist only in the -wal, and a -wal file lost
// (removed by hand, a copy of the database file alone) takes them all.
// Checkpointing every interval bounds that to one interval.
func (db *DB) Checkpoints(ctx context.Context, every time.Duration, failed func(error)) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-db.done:
			return
		case <-tick.C:
		}
		if _, err := db.Checkpoint(ctx); err != nil && ctx.Err() == nil {
			failed(err)
		}
	}
}
