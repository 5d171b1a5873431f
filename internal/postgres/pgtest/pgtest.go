// Package pgtest runs a private PostgreSQL for tests: the real server, in
// a temporary folder, on a free loopback port, without fsync and
// full-page writes, because a test's data need not survive a power cut
// of the machine. It must survive a crash of the server (Kill), so
// synchronous_commit stays on: with fsync off it costs only a write to
// the kernel per commit, and off, a commit the client was told of could
// vanish with the killed server's WAL buffers.
//
// It needs the Debian package postgresql (PostgreSQL 15):
//
//	apt-get install -y --no-install-recommends postgresql
//
// Start fails the test, naming the package, when the programs are
// missing, and skips it under -short. PostgreSQL refuses to run as root,
// so when the tests run as root the server runs as the postgres system
// user that the package creates.
//
//	srv := pgtest.Start(t)                  // a server of this test's own
//	db, err := postgres.Open(ctx, srv.DSN)  // a fresh, empty database
//	srv.Stop(t)                             // PostgreSQL down mid-push…
//	srv.Start(t)                            // …and up again, same data
//
// Shared starts one server per test binary and hands each caller a fresh
// database on it, for packages with many small tests:
//
//	db, err := postgres.Open(ctx, pgtest.Shared(t))
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Where Debian puts PostgreSQL 15, and how to get it.
const (
	binDir      = "/usr/lib/postgresql/15/bin"
	installHint = "apt-get install -y --no-install-recommends postgresql"
	// superuser is the role initdb creates; every database belongs to it.
	superuser = "buurtbalie"
)

// ReadyLimit is how long Start waits for the server to take connections.
// A cold start takes well under a second; a loaded machine replaying
// the log after Kill takes longer.
const ReadyLimit = 30 * time.Second

// Server is a private PostgreSQL.
type Server struct {
	DSN  string // a fresh database of its own: postgres://buurtbalie@127.0.0.1:PORT/DB?sslmode=disable
	Dir  string // the data directory, which also holds the server's socket
	Port string

	root        string // temporary folder holding Dir and the server's log
	initdb      string
	postgres    string
	credential  *syscall.Credential // the postgres user, when running as root
	mu          sync.Mutex
	proc        *os.Process
	exited      chan struct{} // closed when the running server has exited
	exitErr     error         // why it exited, once exited is closed
	databaseSeq int
}

// Start starts a private PostgreSQL with a fresh database in DSN, and
// stops it and removes its data when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	if testing.Short() {
		t.Skip("pgtest: skipped with -short: needs a real PostgreSQL")
	}
	s, err := launch("pgtest-")
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		s.stop()
		_ = os.RemoveAll(s.root)
	})
	s.DSN = s.NewDatabase(t)
	return s
}

var shared struct {
	once   sync.Once
	server *Server
	err    error
}

// Shared returns the DSN of a fresh database on a server shared by all
// tests of the test binary, started on first use. The server lives as
// long as the test process: it dies with it (see start), and the next
// run's Shared removes the data a killed run left behind.
func Shared(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("pgtest: skipped with -short: needs a real PostgreSQL")
	}
	shared.once.Do(func() {
		removeStaleShared()
		shared.server, shared.err = launch(sharedPrefix)
		if shared.err == nil {
			// Mark the folder as this process's, for removeStaleShared.
			shared.err = os.WriteFile(filepath.Join(shared.server.root, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644)
		}
	})
	if shared.err != nil {
		t.Fatalf("pgtest: shared server: %v", shared.err)
	}
	return shared.server.NewDatabase(t)
}

const (
	sharedPrefix = "pgtest-shared-"
	ownerFile    = "owner.pid"
)

// removeStaleShared removes the folders of shared servers whose test
// process is gone: a shared server is never stopped by a cleanup, so its
// folder outlives the run. Only this package's own folders are touched.
func removeStaleShared() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), sharedPrefix+"*"))
	for _, dir := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue // still starting, or not ours
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
		if err != nil || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			_ = os.RemoveAll(dir)
		}
	}
}

// launch makes a data directory in a new temporary folder and starts a
// server on it, trying a few ports in case one is taken before the
// server binds it.
func launch(prefix string) (*Server, error) {
	s := &Server{initdb: filepath.Join(binDir, "initdb"), postgres: filepath.Join(binDir, "postgres")}
	var missing []string
	for _, p := range []string{s.initdb, s.postgres} {
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing %s; install PostgreSQL 15 with: %s", strings.Join(missing, ", "), installHint)
	}
	if os.Geteuid() == 0 {
		cred, err := postgresUser()
		if err != nil {
			return nil, err
		}
		s.credential = cred
	}

	if err := s.makeDataDir(prefix); err != nil {
		return nil, err
	}
	fail := func(err error) (*Server, error) {
		_ = os.RemoveAll(s.root)
		return nil, err
	}
	// --locale=C: the test databases sort and compare bytes, whatever
	// locales the machine has installed.
	cmd := s.command(s.initdb, "-D", s.Dir, "-A", "trust", "-U", superuser, "--no-sync", "-E", "UTF8", "--locale=C")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fail(fmt.Errorf("initdb: %v\n%s", err, out))
	}

	if err := s.startOnFreePort(); err != nil {
		return fail(err)
	}
	return s, nil
}

// makeDataDir makes s's folders: a new temporary one, named from prefix,
// holding the data directory.
func (s *Server) makeDataDir(prefix string) error {
	root, err := os.MkdirTemp("", prefix)
	if err != nil {
		return err
	}
	s.root, s.Dir = root, filepath.Join(root, "data")
	// The postgres user must reach the data directory through root's
	// private temporary folder, and own the data directory itself.
	err = os.Chmod(root, 0o755)
	if err == nil {
		err = os.Mkdir(s.Dir, 0o700)
	}
	if err == nil && s.credential != nil {
		err = os.Chown(s.Dir, int(s.credential.Uid), int(s.credential.Gid))
	}
	if err != nil {
		_ = os.RemoveAll(root)
	}
	return err
}

// startOnFreePort starts the server on a free loopback port, trying a
// few in case one is taken before the server binds it.
func (s *Server) startOnFreePort() error {
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return err
		}
		s.Port = port
		err = s.start()
		if err == nil {
			return nil
		}
		if attempt == 3 {
			return fmt.Errorf("start postgres: %v\n%s", err, s.Log())
		}
	}
}

// postgresUser returns the credential of the postgres system user, as
// which the server runs when the tests run as root.
func postgresUser() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL refuses to run as root and there is no postgres user to run it as (%v); the Debian package creates it: %s", err, installHint)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("postgres user: uid %q: %v", u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("postgres user: gid %q: %v", u.Gid, err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
}

// command prepares one of PostgreSQL's programs, run as the postgres
// user when we are root.
func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = s.Dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C", "LC_ALL=C", "TZ=UTC"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.credential}
	return cmd
}

// start starts the server on s.Dir and s.Port and waits until it takes
// connections.
func (s *Server) start() error {
	logf, err := os.OpenFile(filepath.Join(s.root, "postgres.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := s.command(s.postgres, "-D", s.Dir, "-k", s.Dir, "-p", s.Port,
		"-c", "listen_addresses=127.0.0.1",
		"-c", "fsync=off", "-c", "full_page_writes=off",
		// Room for the benchmarks' 200 houses pushing at once.
		"-c", "max_connections=300")
	cmd.Stdout, cmd.Stderr = logf, logf
	// Its own process group, so that Kill takes the backends down with
	// the postmaster as a crash of the machine would; and a parent-death
	// signal, so that a test binary that is killed takes its server
	// along. The kernel sends that signal when the thread that started
	// the child ends, not the process, so the child is started from a
	// goroutine locked to its thread, which stays until the child exits.
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	started := make(chan error, 1)
	exited := make(chan struct{})
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		if err := cmd.Start(); err != nil {
			started <- fmt.Errorf("run %s: %w", s.postgres, err)
			return
		}
		started <- nil
		err := cmd.Wait()
		s.mu.Lock()
		s.exitErr = err
		s.mu.Unlock()
		close(exited)
	}()
	if err := <-started; err != nil {
		return err
	}
	s.mu.Lock()
	s.proc, s.exited = cmd.Process, exited
	s.mu.Unlock()

	deadline := time.Now().Add(ReadyLimit)
	for {
		err := s.ping()
		if err == nil {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("postgres exited (%v)", s.exitErr)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.kill()
			return fmt.Errorf("postgres did not take connections within %s: %v", ReadyLimit, err)
		}
	}
}

// ping reports whether the server takes a connection.
func (s *Server) ping() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.dsn("postgres"))
	if err != nil {
		return err
	}
	return conn.Close(ctx)
}

func (s *Server) dsn(database string) string {
	return "postgres://" + superuser + "@" + net.JoinHostPort("127.0.0.1", s.Port) + "/" + database + "?sslmode=disable"
}

// NewDatabase creates another fresh database on the server and returns
// its DSN. It is dropped when the test ends.
func (s *Server) NewDatabase(t testing.TB) string {
	t.Helper()
	s.mu.Lock()
	s.databaseSeq++
	name := fmt.Sprintf("test_%d_%s", s.databaseSeq, randomHex(4))
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), ReadyLimit)
	defer cancel()
	if err := s.exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database: %v\n%s", err, s.Log())
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		// The server may be stopped or killed by now; then the whole
		// folder goes anyway.
		_ = s.exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return s.dsn(name)
}

// exec runs one statement in the server's postgres database.
func (s *Server) exec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, s.dsn("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// Stop shuts the server down as an operator would (a fast shutdown:
// open transactions are rolled back, committed ones kept) and waits for
// it. Connections fail until Start.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if !s.stop() {
		t.Fatalf("pgtest: postgres did not stop within %s\n%s", ReadyLimit, s.Log())
	}
}

// stop shuts the server down, killing it if it takes too long; it
// reports whether it stopped by itself.
func (s *Server) stop() bool {
	s.mu.Lock()
	proc, exited := s.proc, s.exited
	s.mu.Unlock()
	if proc == nil {
		return true
	}
	_ = proc.Signal(syscall.SIGINT)
	select {
	case <-exited:
		return true
	case <-time.After(ReadyLimit):
		s.kill()
		return false
	}
}

// Kill ends the server and its backends with SIGKILL, as a crash would:
// what was committed must be there after Start, and nothing else.
func (s *Server) Kill(t testing.TB) {
	t.Helper()
	s.kill()
}

func (s *Server) kill() {
	s.mu.Lock()
	proc, exited := s.proc, s.exited
	s.mu.Unlock()
	if proc == nil {
		return
	}
	_ = syscall.Kill(-proc.Pid, syscall.SIGKILL)
	<-exited
}

// Start starts the server again, on the same data and port, after Stop
// or Kill. After Kill the server replays its log first.
func (s *Server) Start(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	exited := s.exited
	s.mu.Unlock()
	if exited != nil {
		select {
		case <-exited:
		default:
			t.Fatal("pgtest: Start: the server is running; Stop or Kill it first")
		}
	}
	// After Kill the backends may take a moment to notice; a server
	// started before they are gone refuses the still-attached shared
	// memory, so try again briefly.
	var err error
	for attempt := 1; attempt <= 5; attempt++ {
		if err = s.start(); err == nil {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("pgtest: start postgres again: %v\n%s", err, s.Log())
}

// Log returns the tail of the server's log, for failure messages.
func (s *Server) Log() string {
	data, err := os.ReadFile(filepath.Join(s.root, "postgres.log"))
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return "--- postgres.log\n" + strings.Join(lines, "\n")
}

// freePort asks the kernel for a free loopback port.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	_, port, err := net.SplitHostPort(ln.Addr().String())
	return port, err
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand does not fail on Linux
	return hex.EncodeToString(b)
}
