package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"buurtbalie/internal/question"
	"buurtbalie/internal/retention"
)

// openStmts opens a fresh database for the statement cache's tests.
func openStmts(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// A query is prepared once, and its statement runs outside a transaction
// and inside read and write ones alike, on whichever connection they have.
func TestPrepared(t *testing.T) {
	ctx := context.Background()
	db := openStmts(t)
	const query = `SELECT count(*) FROM topics WHERE hidden = ?`
	a, err := db.prepared(ctx, query)
	if err != nil || a == nil {
		t.Fatalf("prepared: %v, %v", a, err)
	}
	if b, _ := db.prepared(ctx, query); b != a {
		t.Fatalf("prepared again: got another statement")
	}
	var want int
	if err := db.db.QueryRowContext(ctx, query, false).Scan(&want); err != nil || want == 0 {
		t.Fatalf("unprepared: %d, %v", want, err)
	}
	check := func(what string, r reader) {
		t.Helper()
		var n int
		if err := r.QueryRowContext(ctx, query, false).Scan(&n); err != nil || n != want {
			t.Errorf("%s: got %d, %v, want %d", what, n, err, want)
		}
		rows, err := r.QueryContext(ctx, query, false)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		defer rows.Close()
		if !rows.Next() || rows.Scan(&n) != nil || n != want {
			t.Errorf("%s rows: got %d, %v, want %d", what, n, rows.Err(), want)
		}
	}
	check("outside a transaction", db.read())
	rtx, err := db.beginRead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	check("in a read transaction", db.readIn(rtx))
	rtx.Rollback()
	wtx, err := db.beginWrite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The write transaction sees its own change through the statement.
	if _, err := wtx.ExecContext(ctx, `UPDATE topics SET hidden = 1 WHERE key = 'geld'`); err != nil {
		t.Fatal(err)
	}
	want--
	check("in a write transaction", db.readIn(wtx))
	wtx.Rollback()
	want++
	check("after the rollback", db.read())
	if n := db.stmtCache.n; n != 1 {
		t.Errorf("%d statements kept, want 1", n)
	}
}

// Past maxPrepared queries run unprepared, and still run.
func TestPreparedBounded(t *testing.T) {
	ctx := context.Background()
	db := openStmts(t)
	for i := range maxPrepared + 10 {
		var n int
		if err := db.read().QueryRowContext(ctx, fmt.Sprintf(`SELECT %d + ?`, i), 1).Scan(&n); err != nil || n != i+1 {
			t.Fatalf("query %d: %d, %v", i, n, err)
		}
	}
	if n := db.stmtCache.n; n != maxPrepared {
		t.Errorf("%d statements kept, want %d", n, maxPrepared)
	}
}

// A query that does not compile is an error, and nothing is kept.
func TestPreparedError(t *testing.T) {
	ctx := context.Background()
	db := openStmts(t)
	var n int
	if err := db.read().QueryRowContext(ctx, `SELECT nothing FROM nowhere`).Scan(&n); err == nil {
		t.Error("query of a missing table: no error")
	}
	if _, err := db.read().QueryContext(ctx, `SELECT nothing FROM nowhere`); err == nil {
		t.Error("query of a missing table: no error")
	}
	if n := db.stmtCache.n; n != 0 {
		t.Errorf("%d statements kept, want 0", n)
	}
}

// Many readers at once, on several connections, while questions are
// added; then Backup (VACUUM INTO), Purge (its own connection, and a
// checkpoint) and Close (closing the statements before the connections,
// and a checkpoint that empties the -wal) work as before.
func TestPreparedConcurrentThenMaintenance(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "buurtbalie.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	qs := NewQuestionService(db)
	first := question.Question{Topic: "geld", Text: "Vraag", FollowUp: question.Waiting}
	if err := qs.Create(ctx, &first); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if _, err := qs.ByToken(ctx, first.Token); err != nil {
					errs <- err
					return
				}
				if _, err := qs.History(ctx, first.ID); err != nil {
					errs <- err
					return
				}
				if _, err := qs.Queue(ctx, question.QueueFilter{}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			q := question.Question{Topic: "wonen", Text: "Nog een vraag", FollowUp: question.ComeBack}
			if err := qs.Create(ctx, &q); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	items, err := qs.Queue(ctx, question.QueueFilter{})
	if err != nil || len(items) != 21 {
		t.Fatalf("queue: %d items, %v, want 21", len(items), err)
	}

	if _, err := db.Backup(ctx, filepath.Join(dir, "backups"), 2); err != nil {
		t.Errorf("backup: %v", err)
	}
	if _, err := db.Purge(ctx, retention.Default(), false); err != nil {
		t.Errorf("purge: %v", err)
	}
	if _, err := qs.History(ctx, first.ID); err != nil {
		t.Errorf("history after the purge: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if st, err := db.prepared(ctx, `SELECT 1`); st != nil || err != nil {
		t.Errorf("prepared after Close: %v, %v, want nothing", st, err)
	}
	if _, err := qs.ByToken(ctx, first.Token); err == nil {
		t.Error("ByToken after Close: no error")
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() != 0 {
		t.Errorf("-wal after Close: %d bytes, want none", fi.Size())
	}
}
