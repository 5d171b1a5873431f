package pgtest_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"buurtbalie/internal/postgres/pgtest"
)

// count returns how many rows table t has in the database at dsn.
func count(t *testing.T, dsn string) (int, error) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, "SELECT count(*) FROM kept").Scan(&n)
	return n, err
}

func exec(t *testing.T, dsn, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatal(err)
	}
}

func TestStopStartKeepsCommittedData(t *testing.T) {
	srv := pgtest.Start(t)
	exec(t, srv.DSN, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (1), (2)")
	srv.Stop(t)
	if _, err := count(t, srv.DSN); err == nil {
		t.Fatal("connected to a stopped server")
	}
	srv.Start(t)
	if n, err := count(t, srv.DSN); err != nil || n != 2 {
		t.Fatalf("after Stop and Start: got %d rows, %v; want 2", n, err)
	}
	srv.Kill(t)
	srv.Start(t)
	if n, err := count(t, srv.DSN); err != nil || n != 2 {
		t.Fatalf("after Kill and Start: got %d rows, %v; want 2", n, err)
	}
}

func TestSharedGivesFreshDatabases(t *testing.T) {
	a, b := pgtest.Shared(t), pgtest.Shared(t)
	if a == b {
		t.Fatalf("two Shared calls gave the same database %s", a)
	}
	exec(t, a, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (1)")
	if _, err := count(t, b); err == nil {
		t.Fatal("the second database has the first one's table")
	}
}
