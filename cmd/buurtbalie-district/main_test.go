package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"buurtbalie/internal/district"
	"buurtbalie/internal/outbox"
	"buurtbalie/internal/postgres"
	"buurtbalie/internal/postgres/pgtest"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/sqlite"
)

// run runs the command in-process and returns what it printed.
func run(t *testing.T, dsn string, args ...string) (string, error) {
	t.Helper()
	return runWith(t, dsn, "", args...)
}

var codePattern = regexp.MustCompile(`[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}`)

// Staff's commands: a house and its code, the list, a revocation, and
// every mistake refused with what to do.
func TestHouseCommands(t *testing.T) {
	pg := pgtest.Start(t)
	out, err := run(t, pg.DSN, "house", "add", "Huis West")
	if err != nil || !codePattern.MatchString(out) || !strings.Contains(out, "buurtbalie district join URL") {
		t.Fatalf("house add: %v\n%s", err, out)
	}
	if out, err := run(t, "", "house", "code", "Huis West", "--database", pg.DSN); err != nil || !codePattern.MatchString(out) {
		t.Fatalf("house code: %v\n%s", err, out)
	}
	out, err = run(t, pg.DSN, "houses")
	if err != nil || !strings.Contains(out, "Huis West") || !strings.Contains(out, "never") {
		t.Errorf("houses: %v\n%s", err, out)
	}
	if out, err := run(t, pg.DSN, "house", "revoke", "Huis West"); err != nil || !strings.Contains(out, "revoked") {
		t.Errorf("house revoke: %v\n%s", err, out)
	}
	if out, _ := run(t, pg.DSN, "houses"); !strings.Contains(out, "revoked") {
		t.Errorf("houses after the revocation:\n%s", out)
	}
	for _, c := range []struct {
		args []string
		dsn  string
		want string
	}{
		{[]string{"house", "revoke", "Huis Noord"}, pg.DSN, `there is no house "Huis Noord"`},
		{[]string{"house", "add"}, pg.DSN, "needs the house's name"},
		{[]string{"houses"}, "", "give the database with --database"},
		{[]string{"serve", "--tls-cert", "x.pem"}, pg.DSN, "--tls-cert and --tls-key go together"},
		{[]string{"fly"}, pg.DSN, `there is no command "fly"`},
		{[]string{"houses", "--database", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2"}, "", "cannot reach the district's database"},
	} {
		out, err := run(t, c.dsn, c.args...)
		if err == nil || !strings.Contains(out+err.Error(), c.want) {
			t.Errorf("%v: %v\n%s\nwant %q", c.args, err, out, c.want)
		}
	}
}

// server is the real district server, as a process.
type server struct {
	bin, dsn, addr string
	cmd            *exec.Cmd
}

func (d *server) start(t *testing.T) {
	t.Helper()
	d.cmd = exec.Command(d.bin, "serve", "--listen", d.addr, "--name", "Amsterdam West", "--database", d.dsn)
	stderr, _ := d.cmd.StderrPipe()
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	started := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "district server started") {
				started <- true
			}
		}
		close(started)
	}()
	if !<-started {
		d.cmd.Wait()
		t.Fatal("the district server did not start")
	}
}

func (d *server) kill(t *testing.T) {
	t.Helper()
	d.cmd.Process.Signal(syscall.SIGKILL)
	d.cmd.Wait()
}

// The district server killed (SIGKILL) while a kiosk pushes a backlog of
// 20,000 events, then started again: the kiosk keeps what was not
// confirmed, sends it again, and the district counts every event once.
func TestDistrictKilledMidPush(t *testing.T) {
	ctx := context.Background()
	pg := pgtest.Start(t)
	bin := filepath.Join(t.TempDir(), "buurtbalie-district")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	d := &server{bin: bin, dsn: pg.DSN, addr: addr}
	out, err := run(t, pg.DSN, "house", "add", "Huis West")
	if err != nil {
		t.Fatal(err)
	}
	code := codePattern.FindString(out)
	d.start(t)
	defer func() { d.kill(t) }()

	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// 2,000 hours up to now: the server's clock is the machine's, and
	// counts events of the last district.MaxEventAge only.
	start := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -90)
	at := start
	db.Now, db.Location = func() time.Time { return at }, time.UTC
	ds := sqlite.NewDistrictService(db)
	j, err := outbox.Join(ctx, &http.Client{Timeout: 10 * time.Second}, "http://"+addr, code)
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Join(ctx, "http://"+addr, j); err != nil {
		t.Fatal(err)
	}
	use := sqlite.NewScreenUse(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for h := range 2000 {
		at = start.Add(time.Duration(h) * time.Hour)
		for s := range 10 {
			use.Count(fmt.Sprint("screen-", s))
		}
	}
	if err := use.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	link, _, _ := ds.Link(ctx)
	if link.Pending != 20000 {
		t.Fatalf("%d events waiting, want 20000", link.Pending)
	}

	sender := outbox.NewSender(ds, slog.New(slog.NewTextHandler(io.Discard, nil)))
	sender.Now = time.Now
	failed, sent := 0, 0
	for sent < 20000 {
		n, err := sender.SendOnce(ctx)
		switch {
		case err != nil:
			failed++
			if failed > 20 {
				t.Fatalf("still failing after the restart: %v", err)
			}
			time.Sleep(100 * time.Millisecond)
			if failed == 1 {
				d.start(t) // back after the kill
			}
		case n == 0:
			t.Fatalf("the outbox is empty after %d of 20000", sent)
		default:
			sent += n
			if sent == 3000 {
				// The next batch goes to a server killed under it.
				go func() { time.Sleep(2 * time.Millisecond); d.kill(t) }()
			}
		}
	}
	if failed == 0 {
		t.Error("no send failed: the server was not killed in time")
	}
	pdb, err := postgres.Open(ctx, pg.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer pdb.Close()
	h, _ := pdb.HouseByName(ctx, "Huis West")
	counts, err := pdb.ScreenUse(ctx, h.ID, programme.DateOf(start), programme.DateOf(start).AddDays(100))
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range counts {
		total += c.N
	}
	if len(counts) != 20000 || total != 20000 {
		t.Errorf("the district counts %d cells adding up to %d, want 20000 of one each", len(counts), total)
	}
	t.Logf("%d sends failed around the kill; every event counted once", failed)
}

// runWith runs the command in-process with stdin as its standard input.
func runWith(t *testing.T, dsn, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &out, Getenv: func(k string) string {
		if k == "BUURTBALIE_DISTRICT_DATABASE" {
			return dsn
		}
		return ""
	}, Now: time.Now}
	err := m.Run(context.Background(), args)
	return out.String(), err
}

// The first member of staff is made on the command line, and logs in on
// the pages that serve serves beside the kiosks' API.
func TestUserAddAndLogIn(t *testing.T) {
	pg := pgtest.Start(t)
	const password = "wijk-wachtwoord-2026"
	out, err := runWith(t, pg.DSN, password+"\n", "user", "add", "Anna", "--role", "staff", "--password-stdin")
	if err != nil || !strings.Contains(out, "added staff Anna") {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	for _, c := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"user", "add", "anna", "--password-stdin"}, password + "\n", `there is already a user "Anna"`},
		{[]string{"user", "add", "Bram", "--role", "volunteer", "--password-stdin"}, password + "\n", "for staff only"},
		{[]string{"user", "add", "Bram", "--password-stdin"}, "", "standard input is empty"},
		{[]string{"user", "add", "Bram", "--password-stdin"}, "kort\n", "password"},
		{[]string{"user", "add", "Bram"}, password + "\n", "not a terminal"},
		{[]string{"user", "add"}, "", "needs the name to log in with"},
		{[]string{"user"}, "", "say add"},
	} {
		out, err := runWith(t, pg.DSN, c.stdin, c.args...)
		var usage *usageError
		if err == nil || !errors.As(err, &usage) || !strings.Contains(out+err.Error(), c.want) {
			t.Errorf("%v: %v\n%s\nwant a usage error saying %q", c.args, err, out, c.want)
		}
	}

	ctx, stop := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	var log bytes.Buffer
	m := &Main{Stdout: io.Discard, Stderr: &log, Getenv: func(string) string { return "" }, Now: time.Now,
		Ready: func(addr string) { ready <- addr }}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--database", pg.DSN}) }()
	var base string
	select {
	case addr := <-ready:
		base = "http://" + addr
	case err := <-done:
		t.Fatalf("serve: %v\n%s", err, log.String())
	}
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	read := func(resp *http.Response, err error) (*http.Response, string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	_, login := read(client.Get(base + "/login"))
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(login)
	if csrf == nil {
		t.Fatalf("the login page has no form:\n%s", login)
	}
	resp, _ := read(client.PostForm(base+"/login", url.Values{"name": {"Anna"}, "password": {password}, "csrf": {csrf[1]}}))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/houses" {
		t.Fatalf("log in: %s to %q, want 303 to /houses", resp.Status, resp.Header.Get("Location"))
	}
	resp, houses := read(client.Get(base + "/houses"))
	if resp.StatusCode != http.StatusOK || !strings.Contains(houses, "Huizen van de wijk") {
		t.Errorf("/houses: %s\n%s", resp.Status, houses)
	}
	// The kiosks' API answers on the same listener.
	resp, body := read(http.Post(base+outbox.JoinPath, "application/json", strings.NewReader(`{"code": "`+district.NewEnrolmentCode()+`"}`)))
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "bad-code") {
		t.Errorf("join with a wrong code: %s %s", resp.Status, body)
	}
}
