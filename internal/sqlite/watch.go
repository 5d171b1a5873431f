package sqlite

import (
	"context"
	"database/sql"
	"time"
)

// Watch calls changed whenever a change to the database was committed
// through another connection: the web pages, the staff mode, another
// process on the same file. It checks every interval, with one tiny query
// (PRAGMA data_version) on a connection of its own, and returns when ctx is
// done or the database is closed.
//
// A screen runs it in a goroutine and reloads what it shows in changed;
// changed is called from Watch's goroutine.
func (db *DB) Watch(ctx context.Context, every time.Duration, changed func()) {
	tick := time.NewTicker(every)
	defer tick.Stop()

	// The baseline is taken now, so a commit before the first tick counts.
	// On failure conn is nil and the loop tries again.
	conn, last, _ := db.watchConn(ctx)
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-db.done:
			return
		case <-tick.C:
		}
		if conn == nil {
			// data_version is only comparable on one connection, so a
			// new connection starts a new baseline; what was committed
			// while there was none may have been missed, so report a
			// change.
			c, v, err := db.watchConn(ctx)
			if err != nil {
				continue // try again on the next tick
			}
			conn, last = c, v
			changed()
			continue
		}
		v, err := dataVersion(ctx, conn)
		if err != nil {
			conn.Close()
			conn = nil
			continue
		}
		if v != last {
			last = v
			changed()
		}
	}
}

// watchConn takes a connection out of the pool for Watch and reads its
// first data_version.
func (db *DB) watchConn(ctx context.Context) (*sql.Conn, int64, error) {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return nil, 0, err
	}
	v, err := dataVersion(ctx, conn)
	if err != nil {
		conn.Close()
		return nil, 0, err
	}
	return conn, v, nil
}

func dataVersion(ctx context.Context, conn *sql.Conn) (int64, error) {
	var v int64
	err := conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v)
	return v, err
}
