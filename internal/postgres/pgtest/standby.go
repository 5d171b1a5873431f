package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Standby starts a hot standby of s by streaming replication, as a
// district would keep one on a second machine: pg_basebackup of s, then
// a server that follows s's write-ahead log and answers reads. Its DSN
// is s.DSN's database on the standby. With synchronous, s then waits at
// each commit until the standby has the commit too (synchronous_commit
// on, synchronous_standby_names '*'), so that a failover loses nothing
// a client was told was committed.
//
// The standby is stopped and its data removed when the test ends.
func (s *Server) Standby(t testing.TB, synchronous bool) *Server {
	t.Helper()
	sb := &Server{initdb: s.initdb, postgres: s.postgres, credential: s.credential}
	if err := sb.makeDataDir("pgtest-standby-"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sb.stop()
		_ = os.RemoveAll(sb.root)
	})
	// -R writes standby.signal and how to reach s; -X stream copies the
	// log written while the copy is made. initdb's pg_hba.conf lets
	// replication in from loopback.
	cmd := sb.command(filepath.Join(binDir, "pg_basebackup"), "-h", "127.0.0.1", "-p", s.Port, "-U", superuser,
		"-D", sb.Dir, "-R", "-X", "stream", "--no-sync", "--checkpoint=fast")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pgtest: pg_basebackup: %v\n%s", err, out)
	}
	if err := sb.startOnFreePort(); err != nil {
		t.Fatalf("pgtest: start the standby: %v", err)
	}
	if s.DSN != "" {
		u, err := url.Parse(s.DSN)
		if err != nil {
			t.Fatal(err)
		}
		sb.DSN = sb.dsn(strings.TrimPrefix(u.Path, "/"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), ReadyLimit)
	defer cancel()
	setting := "''"
	if synchronous {
		setting = "'*'"
	}
	for _, sql := range []string{"ALTER SYSTEM SET synchronous_standby_names = " + setting, "SELECT pg_reload_conf()"} {
		if err := s.exec(ctx, sql); err != nil {
			t.Fatalf("pgtest: %s: %v", sql, err)
		}
	}
	want := "async"
	if synchronous {
		want = "sync"
	}
	if err := s.waitFor(ctx, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND sync_state = '"+want+"'"); err != nil {
		t.Fatalf("pgtest: the standby is not streaming %s: %v\n%s", want, err, sb.Log())
	}
	return sb
}

// waitFor waits until query, which counts something, counts one or more.
func (s *Server) waitFor(ctx context.Context, query string) error {
	for {
		n, err := s.count(ctx, query)
		if err == nil && n > 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %v (last error %v)", query, ctx.Err(), err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (s *Server) count(ctx context.Context, query string) (int64, error) {
	var n int64
	err := s.queryRow(ctx, query, &n)
	return n, err
}

// queryRow runs query, which gives one row, on a connection of its own
// to the postgres database, into dest.
func (s *Server) queryRow(ctx context.Context, query string, dest ...any) error {
	conn, err := pgx.Connect(ctx, s.dsn("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return conn.QueryRow(ctx, query).Scan(dest...)
}

// Promote makes a standby the primary, as an operator does when the
// primary's machine is lost, and waits until it takes writes.
func (s *Server) Promote(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ReadyLimit)
	defer cancel()
	if err := s.exec(ctx, "SELECT pg_promote(true, 30)"); err != nil {
		t.Fatalf("pgtest: promote: %v\n%s", err, s.Log())
	}
	if err := s.waitFor(ctx, "SELECT count(*) WHERE NOT pg_is_in_recovery()"); err != nil {
		t.Fatalf("pgtest: promote: %v\n%s", err, s.Log())
	}
}

// CaughtUp waits until the standby sb has replayed all that s has
// written so far. A synchronous standby has each commit flushed when s
// acknowledges it (synchronous_commit on), but replays it a moment
// later: a read on sb right after a commit on s may not see it yet.
func (s *Server) CaughtUp(t testing.TB, sb *Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), ReadyLimit)
	defer cancel()
	lsn, err := s.currentLSN(ctx)
	if err != nil {
		t.Fatalf("pgtest: the primary's log position: %v", err)
	}
	if err := sb.waitFor(ctx, "SELECT count(*) WHERE pg_last_wal_replay_lsn() >= '"+lsn+"'::pg_lsn"); err != nil {
		t.Fatalf("pgtest: the standby did not catch up: %v\n%s", err, sb.Log())
	}
}

// currentLSN is where s's write-ahead log ends now.
func (s *Server) currentLSN(ctx context.Context) (string, error) {
	var lsn string
	err := s.queryRow(ctx, "SELECT pg_current_wal_lsn()::text", &lsn)
	return lsn, err
}

// Behind reports how many bytes of s's write-ahead log the standby sb
// has not replayed yet (0 when caught up).
func (s *Server) Behind(ctx context.Context, sb *Server) (int64, error) {
	primary, err := s.currentLSN(ctx)
	if err != nil {
		return 0, err
	}
	return sb.count(ctx, "SELECT greatest(0, '"+primary+"'::pg_lsn - pg_last_wal_replay_lsn())::bigint")
}
