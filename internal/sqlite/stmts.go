package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// maxPrepared bounds the statements a DB keeps prepared. The query texts
// that go through prepared are constants, or joined from a few constant
// parts (Queue's filters), a few dozen in all; past the bound a query is
// run unprepared, as before the cache, rather than grow it.
const maxPrepared = 128

// stmtCache keeps one *sql.Stmt per query text, prepared once, so that a
// page's reads are not parsed again on every request: SQLite's parser and
// planner were a quarter of the volunteer's slip page (issue 15).
//
// A *sql.Stmt belongs to the pool, not to one connection: database/sql
// prepares it on each connection the first time it runs there, keeps it
// there, and finalizes it when that connection is closed. The DB has one
// pool, from which read and write transactions both begin, so one cache
// serves both.
type stmtCache struct {
	stmts sync.Map // query text → *sql.Stmt

	mu     sync.Mutex // held to add to stmts, and by close
	n      int
	closed bool
}

// prepared returns query prepared on db's pool, or nil when it is not kept
// prepared (the cache is full, or db closed): run it unprepared then.
//
// The text of query must be the same for every call with the same
// statement: every value, above all anything a user typed, goes as a ?
// argument, never into the text, or each would take a place of its own.
func (db *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	c := &db.stmtCache
	if st, ok := c.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	c.mu.Lock()
	full := c.closed || c.n >= maxPrepared
	c.mu.Unlock()
	if full {
		return nil, nil
	}
	st, err := db.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.stmts.Load(query); ok { // another request prepared it meanwhile
		st.Close()
		return old.(*sql.Stmt), nil
	}
	if c.closed || c.n >= maxPrepared {
		st.Close()
		return nil, nil
	}
	c.stmts.Store(query, st)
	c.n++
	return st, nil
}

// closeStmts closes the prepared statements; prepared prepares none after
// it. Close calls it before it closes the connections.
func (db *DB) closeStmts() {
	c := &db.stmtCache
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	c.stmts.Range(func(query, st any) bool {
		st.(*sql.Stmt).Close()
		c.stmts.Delete(query)
		return true
	})
	c.n = 0
}

// reader runs reads with db's prepared statements: inside tx, or, with a
// nil tx, each query on its own, in a transaction of its own, which sees
// one snapshot like a read transaction does, without the BEGIN and
// ROLLBACK around it.
type reader struct {
	db *DB
	tx *sql.Tx
}

// read returns a reader of db's prepared statements outside a
// transaction: for reads that are one query.
func (db *DB) read() reader { return reader{db: db} }

// readIn returns a reader of db's prepared statements inside tx.
func (db *DB) readIn(tx *sql.Tx) reader { return reader{db: db, tx: tx} }

// stmt returns query's prepared statement, in r.tx when there is one
// (database/sql then runs the statement prepared on the transaction's
// connection, preparing it there the first time); nil means unprepared.
func (r reader) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := r.db.prepared(ctx, query)
	if err != nil || st == nil {
		return nil, err
	}
	if r.tx != nil {
		st = r.tx.StmtContext(ctx, st) // closed with the transaction
	}
	return st, nil
}

// QueryContext is sql.DB's or sql.Tx's QueryContext, prepared.
func (r reader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := r.stmt(ctx, query)
	switch {
	case err != nil:
		return nil, err
	case st != nil:
		return st.QueryContext(ctx, args...)
	case r.tx != nil:
		return r.tx.QueryContext(ctx, query, args...)
	}
	return r.db.db.QueryContext(ctx, query, args...)
}

// QueryRowContext is sql.DB's or sql.Tx's QueryRowContext, prepared.
func (r reader) QueryRowContext(ctx context.Context, query string, args ...any) scanner {
	st, err := r.stmt(ctx, query)
	switch {
	case err != nil:
		return errRow{err}
	case st != nil:
		return st.QueryRowContext(ctx, args...)
	case r.tx != nil:
		return r.tx.QueryRowContext(ctx, query, args...)
	}
	return r.db.db.QueryRowContext(ctx, query, args...)
}

// scanner is a row to scan: a *sql.Row, *sql.Rows, or errRow.
type scanner interface{ Scan(dest ...any) error }

// errRow is a row that could not be read: Scan returns why.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
