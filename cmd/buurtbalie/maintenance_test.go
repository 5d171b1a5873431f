package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"buurtbalie/internal/clock"
	"buurtbalie/internal/disktest"
	"buurtbalie/internal/printer"
	"buurtbalie/internal/question"
	"buurtbalie/internal/retention"
	"buurtbalie/internal/sqlite"
)

// withDB opens the database in data for the test to look at or fill;
// the clock, when not nil, stamps what it writes.
func withDB(t *testing.T, data string, now func() time.Time, do func(*sqlite.DB)) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(data, "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if now != nil {
		db.Now = now
	}
	do(db)
}

// askAt stores a question as if asked at the given time.
func askAt(t *testing.T, db *sqlite.DB, text string) question.Question {
	t.Helper()
	q := question.Question{Topic: "geld", Text: text, FollowUp: question.ComeBack}
	if err := sqlite.NewQuestionService(db).Create(context.Background(), &q); err != nil {
		t.Fatal(err)
	}
	return q
}

func TestBackupAndRestoreCommands(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	var before question.Question
	withDB(t, data, nil, func(db *sqlite.DB) { before = askAt(t, db, "Voor de backup") })

	out, stderr, err := run(t, data, "backup", "--data", data)
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, stderr)
	}
	backup := strings.TrimPrefix(strings.TrimSpace(out), "backed up to ")
	if filepath.Dir(backup) != filepath.Join(data, "backups") || !regexp.MustCompile(`^buurtbalie-\d{8}-\d{6}\.db$`).MatchString(filepath.Base(backup)) {
		t.Fatalf("backup said %q, want \"backed up to %s/buurtbalie-YYYYMMDD-HHMMSS.db\"", out, filepath.Join(data, "backups"))
	}
	var after question.Question
	withDB(t, data, nil, func(db *sqlite.DB) { after = askAt(t, db, "Na de backup") })

	// The file may come after the flags or before them.
	for _, args := range [][]string{{"restore", "--data", data, backup}, {"restore", backup, "--data", data}} {
		out, stderr, err = run(t, data, args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
		if !strings.Contains(out, "restored "+backup) || !strings.Contains(out, "systemctl start buurtbalie-kiosk") {
			t.Errorf("restore said %q", out)
		}
	}
	withDB(t, data, nil, func(db *sqlite.DB) {
		qs := sqlite.NewQuestionService(db)
		if _, err := qs.ByToken(ctx, before.Token); err != nil {
			t.Errorf("the question from before the backup: %v", err)
		}
		if _, err := qs.ByToken(ctx, after.Token); !errors.Is(err, question.ErrNotFound) {
			t.Errorf("the question from after the backup is still there: %v", err)
		}
	})

	// A file that is no backup is refused, and the database is untouched.
	notes := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notes, []byte("boodschappen: melk, brood\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dbFile := filepath.Join(data, "buurtbalie.db")
	was, _ := os.ReadFile(dbFile)
	_, _, err = run(t, data, "restore", "--data", data, notes)
	var usage *usageError
	if err == nil || !strings.Contains(err.Error(), "notes.txt is not a SQLite database") || errors.As(err, &usage) {
		t.Errorf("restore of a text file: %v, want \"is not a SQLite database\" (exit status 1)", err)
	}
	if now, _ := os.ReadFile(dbFile); !bytes.Equal(now, was) {
		t.Error("a refused restore changed the database")
	}

	// Without a file it lists the backups to choose from.
	_, stderr, err = run(t, data, "restore", "--data", data)
	if !errors.As(err, &usage) || !strings.Contains(stderr, backup) {
		t.Errorf("restore without a file: %v, stderr %q; want a usage error listing %s", err, stderr, backup)
	}
}

// The backup command keeps the newest --keep backups in --to.
func TestBackupCommandKeeps(t *testing.T) {
	data, usb := t.TempDir(), t.TempDir()
	withDB(t, data, nil, func(*sqlite.DB) {})
	// Older backups, as if from earlier nights.
	for _, n := range []string{"buurtbalie-20260101-030000.db", "buurtbalie-20260102-030000.db", "buurtbalie-20260103-030000.db"} {
		if err := os.WriteFile(filepath.Join(usb, n), []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, stderr, err := run(t, data, "backup", "--data", data, "--to", usb, "--keep", "2"); err != nil {
		t.Fatalf("backup: %v\n%s", err, stderr)
	}
	names, _ := filepath.Glob(filepath.Join(usb, "buurtbalie-*.db"))
	if len(names) != 2 || filepath.Base(names[0]) != "buurtbalie-20260103-030000.db" {
		t.Errorf("backups left: %v, want the newest old one and the new one", names)
	}
}

func TestPurgeCommand(t *testing.T) {
	data := t.TempDir()
	longAgo := func(d time.Duration) func() time.Time { return func() time.Time { return time.Now().Add(-d) } }
	var old, closed, recent question.Question
	withDB(t, data, longAgo(400*retention.Day), func(db *sqlite.DB) { old = askAt(t, db, "GEHEIM oud") })
	withDB(t, data, longAgo(40*retention.Day), func(db *sqlite.DB) {
		closed = askAt(t, db, "GEHEIM gesloten")
		if _, err := sqlite.NewQuestionService(db).Apply(context.Background(), closed.ID, "Anna",
			question.Action{Kind: question.EventClosed, Outcome: question.Helped, Text: "Doorverwezen naar het buurtteam"}); err != nil {
			t.Fatal(err)
		}
	})
	withDB(t, data, nil, func(db *sqlite.DB) { recent = askAt(t, db, "GEHEIM nieuw") })
	texts := func() map[int64]string {
		m := map[int64]string{}
		withDB(t, data, nil, func(db *sqlite.DB) {
			qs := sqlite.NewQuestionService(db)
			for _, q := range []question.Question{old, closed, recent} {
				got, err := qs.ByToken(context.Background(), q.Token)
				if err == nil {
					m[q.ID] = got.Text
				}
			}
		})
		return m
	}

	out, stderr, err := run(t, data, "purge", "--data", data, "--dry-run")
	if err != nil {
		t.Fatalf("purge --dry-run: %v\n%s", err, stderr)
	}
	// The old question is open: kept, and said so.
	if want := "would erase the text of 1 closed question, delete 0 questions, 0 audit entries, 0 sessions\n"; !strings.HasPrefix(out, want) ||
		!strings.Contains(out, "kept 1 open question asked before") {
		t.Errorf("purge --dry-run said %q, want %q and the open question kept", out, want)
	}
	if got := texts(); len(got) != 3 || got[closed.ID] != "GEHEIM gesloten" {
		t.Errorf("a dry run changed the questions: %v", got)
	}

	out, stderr, err = run(t, data, "purge", "--data", data)
	if err != nil {
		t.Fatalf("purge: %v\n%s", err, stderr)
	}
	if want := "erased the text of 1 closed question, deleted 0 questions, 0 audit entries, 0 sessions\n"; !strings.HasPrefix(out, want) {
		t.Errorf("purge said %q, want %q", out, want)
	}
	if got, want := texts(), map[int64]string{old.ID: "GEHEIM oud", closed.ID: "", recent.ID: "GEHEIM nieuw"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after the purge: %v, want %v", got, want)
	}

	// A shorter policy, in days or hours.
	out, _, err = run(t, data, "purge", "--data", data, "--dry-run", "--questions-after", "1d", "--text-after", "24h")
	if err != nil || !strings.Contains(out, "delete 1 question") {
		t.Errorf("purge --questions-after 1d: %v %q", err, out)
	}
}

// A purge on a database whose newest entry is far behind the clock (a
// clock that jumped, or a kiosk that really was off for a year) changes
// nothing and says both ways out; --trust-clock is the second, and keeps
// the open questions.
func TestPurgeCommandClockFarAhead(t *testing.T) {
	data := t.TempDir()
	longAgo := func(d time.Duration) func() time.Time { return func() time.Time { return time.Now().Add(-d) } }
	var open, closed question.Question
	withDB(t, data, longAgo(500*retention.Day), func(db *sqlite.DB) { open = askAt(t, db, "GEHEIM open") })
	withDB(t, data, longAgo(400*retention.Day), func(db *sqlite.DB) {
		closed = askAt(t, db, "GEHEIM gesloten")
		if _, err := sqlite.NewQuestionService(db).Apply(context.Background(), closed.ID, "Anna",
			question.Action{Kind: question.EventClosed, Outcome: question.Helped, Text: "Doorverwezen naar het buurtteam"}); err != nil {
			t.Fatal(err)
		}
	})
	left := func() int {
		n := 0
		withDB(t, data, nil, func(db *sqlite.DB) {
			for _, q := range []question.Question{open, closed} {
				if _, err := sqlite.NewQuestionService(db).ByToken(context.Background(), q.Token); err == nil {
					n++
				}
			}
		})
		return n
	}

	for _, args := range [][]string{{"--dry-run"}, nil} {
		out, _, err := run(t, data, append([]string{"purge", "--data", data}, args...)...)
		if err == nil {
			t.Fatalf("purge %v ran with the clock 400 days past the newest entry: %q", args, out)
		}
		for _, want := range []string{"nothing was changed", "400 days after the newest entry", "timedatectl", "buurtbalie purge --trust-clock"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("purge %v: %q, want it to say %q", args, err, want)
			}
		}
		if n := left(); n != 2 {
			t.Errorf("purge %v refused, and %d of 2 questions are left", args, n)
		}
	}

	out, stderr, err := run(t, data, "purge", "--data", data, "--trust-clock")
	if err != nil {
		t.Fatalf("purge --trust-clock: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "deleted 1 question") || !strings.Contains(out, "kept 1 open question") {
		t.Errorf("purge --trust-clock said %q, want the closed question deleted and the open one kept", out)
	}
	if n := left(); n != 1 {
		t.Errorf("%d questions left, want the open one", n)
	}
	// The next purge counts from the trusted one.
	if _, _, err := run(t, data, "purge", "--data", data); err != nil {
		t.Errorf("purge after the trusted one: %v", err)
	}
}

// Bad values are refused with a message that says what to fix.
func TestMaintenanceBadInput(t *testing.T) {
	data := t.TempDir()
	withDB(t, data, nil, func(*sqlite.DB) {})
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"purge", "--text-after", "1m"}, "--text-after 1m0s is less than a day; give days, like 30d"},
		{[]string{"purge", "--text-after", "soon"}, `"soon" is not a time like 30d (days) or 720h`},
		{[]string{"purge", "--audit-after", "-5d"}, "is not a number of days like 30d"},
		{[]string{"purge", "--text-after", "400d"}, "--text-after 400d is longer than questions are kept (365d)"},
		{[]string{"purge", "--questions-after", "10d"}, "--text-after 30d is longer than questions are kept (10d)"},
		{[]string{"backup", "--keep", "-1"}, "--keep -1: give how many backups to keep"},
		{[]string{"backup", "--keep", "veel"}, `invalid value "veel" for flag -keep`},
		{[]string{"restore", "a.db", "b.db"}, "give one backup file, not 2: a.db b.db"},
		{[]string{"restore"}, "say which backup to put back"},
		{[]string{"backup", "--data", filepath.Join(data, "typo")}, "there is no database at"},
		{[]string{"purge", "--data", filepath.Join(data, "typo")}, "there is no database at"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			args := tt.args
			if !slices.Contains(args, "--data") {
				args = append(append([]string{}, args...), "--data", data)
			}
			refused(t, data, args, tt.want)
		})
	}
	if _, err := os.Stat(filepath.Join(data, "typo")); !errors.Is(err, os.ErrNotExist) {
		t.Error("a mistyped --data made a folder")
	}
	for _, cmd := range []string{"backup", "restore", "purge"} {
		_, stderr, err := run(t, data, cmd, "--help")
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr, "Usage: buurtbalie "+cmd) {
			t.Errorf("%s --help: %v\n%s", cmd, err, stderr)
		}
	}
}

func TestWaitForClock(t *testing.T) {
	var logs bytes.Buffer
	now := waitForClock(context.Background(), slog.New(slog.NewTextHandler(&logs, nil)))
	if !clock.Plausible(now) || time.Since(now) > time.Minute {
		t.Errorf("waitForClock = %s on a machine whose clock is right", now)
	}
	if logs.Len() > 0 {
		t.Errorf("a right clock logged %q", logs.String())
	}
}

func TestPrinterHealth(t *testing.T) {
	check := printerHealth(&printer.Client{URI: "ipp://127.0.0.1:9/printers/buurtbalie", Timeout: 5 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	state, err := check(ctx)
	if state != "" || err == nil {
		t.Errorf("a printer nobody answers for: %q, %v; want no state and an error", state, err)
	}
}

// serveProcess is "buurtbalie serve" running as the kiosk would run it.
type serveProcess struct {
	cmd    *exec.Cmd
	base   string
	stderr *bytes.Buffer
}

// startServe starts "buurtbalie serve" on data and waits until it
// listens.
func startServe(t *testing.T, bin, data string, env []string) *serveProcess {
	t.Helper()
	port := freePort(t)
	cmd := exec.Command(bin, "serve", "--data", data, "--listen", "127.0.0.1:"+port)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	started := make(chan bool, 1)
	go func() {
		started <- bufio.NewScanner(stdout).Scan() // "serving on …"
		io.Copy(io.Discard, stdout)
	}()
	select {
	case ok := <-started:
		if !ok {
			t.Fatalf("serve did not start:\n%s", stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start within 30 s:\n%s", stderr.String())
	}
	return &serveProcess{cmd: cmd, base: "http://127.0.0.1:" + port, stderr: &stderr}
}

// healthz fetches /healthz.
func (p *serveProcess) healthz(t *testing.T) (int, map[string]any) {
	t.Helper()
	resp, err := http.Get(p.base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("/healthz is not JSON: %v", err)
	}
	return resp.StatusCode, body
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// volunteer is a logged-in phone that does not follow redirects, so it
// sees the 303 that says a change was saved.
func volunteer(t *testing.T, base, name, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	login(t, c, base, name, password)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// The kiosk is killed (SIGKILL: a power cut, the OOM killer) while
// volunteers write notes and a backup runs. It starts again on the same
// data folder with every note it had answered "saved" for, reports
// healthy, and the backup taken meanwhile restores.
func TestRestartAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	ctx := context.Background()
	data := t.TempDir()
	bin := kioskBinary(t)
	env := append(os.Environ(), "LANG=nl_NL.UTF-8", "XDG_CONFIG_HOME="+t.TempDir())

	add := exec.Command(bin, "user", "add", "--data", data, "--name", "Ans", "--role", "volunteer", "--password-stdin")
	add.Env, add.Stdin = env, strings.NewReader("lang-wachtwoord-2026\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	var tokens []string
	withDB(t, data, nil, func(db *sqlite.DB) {
		for i := 0; i < 4; i++ {
			tokens = append(tokens, askAt(t, db, fmt.Sprintf("Vraag %d", i)).Token)
		}
	})

	srv := startServe(t, bin, data, env)
	if status, body := srv.healthz(t); status != http.StatusOK || body["database"] != "ok" || body["clock"] != "ok" {
		t.Fatalf("/healthz at first start: %d %v", status, body)
	}

	// Four phones write notes as fast as they can; each note the server
	// answered 303 for is saved.
	type note struct{ token, text string }
	var (
		mu    sync.Mutex
		saved []note
		wg    sync.WaitGroup
	)
	stop := make(chan struct{})
	for w := 0; w < 4; w++ {
		c := volunteer(t, srv.base, "Ans", "lang-wachtwoord-2026")
		token := tokens[w]
		resp, err := c.Get(srv.base + "/s/" + token)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := csrfInput.FindSubmatch(page)
		if m == nil {
			t.Fatalf("no CSRF token on the question's page:\n%s", page)
		}
		csrf := string(m[1])
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				text := fmt.Sprintf("notitie %d van telefoon %s", i, token[:6])
				resp, err := c.PostForm(srv.base+"/s/"+token, url.Values{"do": {"note"}, "text": {text}, "csrf": {csrf}})
				if err != nil {
					return // killed
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusSeeOther {
					mu.Lock()
					saved = append(saved, note{token, text})
					mu.Unlock()
				}
			}
		}()
	}
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(saved)
	}
	for count() < 20 {
		time.Sleep(5 * time.Millisecond)
	}

	// While it runs: a backup works, a restore is refused.
	usb := t.TempDir()
	backup := exec.Command(bin, "backup", "--data", data, "--to", usb)
	backup.Env = env
	out, err := backup.CombinedOutput()
	if err != nil {
		t.Fatalf("backup while serving: %v\n%s", err, out)
	}
	backupFile := strings.TrimPrefix(strings.TrimSpace(string(out)), "backed up to ")
	restore := exec.Command(bin, "restore", "--data", data, backupFile)
	restore.Env = env
	if out, err := restore.CombinedOutput(); err == nil || !strings.Contains(string(out), "stop the kiosk first") {
		t.Errorf("restore while serving: %v\n%s", err, out)
	}

	for n := count(); count() < n+20; {
		time.Sleep(5 * time.Millisecond)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.cmd.Wait()
	close(stop)
	wg.Wait()
	t.Logf("%d notes saved before the kill", len(saved))
	logs := srv.stderr.String()

	// Again, on the same folder.
	srv = startServe(t, bin, data, env)
	if status, body := srv.healthz(t); status != http.StatusOK || body["database"] != "ok" {
		t.Fatalf("/healthz after SIGKILL: %d %v\n%s", status, body, srv.stderr)
	}
	withDB(t, data, nil, func(db *sqlite.DB) {
		qs := sqlite.NewQuestionService(db)
		have := map[string]bool{}
		for _, tok := range tokens {
			q, err := qs.ByToken(ctx, tok)
			if err != nil {
				t.Fatal(err)
			}
			events, err := qs.History(ctx, q.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range events {
				have[tok+e.Text] = true
			}
		}
		for _, n := range saved {
			if !have[n.token+n.text] {
				t.Errorf("lost after SIGKILL: %q, which the server had answered saved", n.text)
			}
		}
	})
	volunteer(t, srv.base, "Ans", "lang-wachtwoord-2026") // the account survived

	// Stopped properly, the backup taken under the writes goes back in.
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := srv.cmd.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v\n%s", err, srv.stderr)
	}
	// The logs (journald) say what happened to which question, never
	// what anyone wrote, a slip's token or code, or a password.
	logs += srv.stderr.String()
	if !strings.Contains(logs, "question changed") {
		t.Errorf("the logs do not show the changes; is this the right stream?\n%s", logs)
	}
	private := []string{"notitie", "Vraag 0", "lang-wachtwoord-2026", "bb_session"}
	withDB(t, data, nil, func(db *sqlite.DB) {
		for _, tok := range tokens {
			q, err := sqlite.NewQuestionService(db).ByToken(ctx, tok)
			if err != nil {
				t.Fatal(err)
			}
			private = append(private, tok, q.Code)
		}
	})
	for _, p := range private {
		if strings.Contains(logs, p) {
			t.Errorf("the logs hold %q", p)
		}
	}
	restore = exec.Command(bin, "restore", "--data", data, backupFile)
	restore.Env = env
	if out, err := restore.CombinedOutput(); err != nil {
		t.Fatalf("restore with serve stopped: %v\n%s", err, out)
	}
	srv = startServe(t, bin, data, env)
	if status, body := srv.healthz(t); status != http.StatusOK {
		t.Errorf("/healthz after the restore: %d %v", status, body)
	}
}

// On a data folder that became read-only (Debian remounts ext4 so after
// disk errors), the commands that rescue the data still work: backup to
// another folder, export and programme. The folder is a real read-only
// bind mount.
func TestReadOnlyDataFolderRescue(t *testing.T) {
	disktest.Need(t)
	data := t.TempDir()
	if _, _, err := run(t, data, "programme", "--data", data); err != nil { // the first start: the demo programme
		t.Fatal(err)
	}
	withDB(t, data, nil, func(db *sqlite.DB) { askAt(t, db, "Waar kan ik Nederlands leren?") })
	ro := disktest.ReadOnly(t, data)

	usb := t.TempDir()
	out, _, err := run(t, ro, "backup", "--data", ro, "--to", usb)
	if err != nil || !strings.Contains(out, "backed up to "+usb) {
		t.Errorf("backup --to elsewhere: %v\n%s", err, out)
	}
	if _, _, err := run(t, ro, "backup", "--data", ro); err == nil || !strings.Contains(err.Error(), "--to") {
		t.Errorf("backup into the read-only folder: %v, want a usage error pointing to --to", err)
	}
	if out, _, err := run(t, ro, "export", "--data", ro, "--csv"); err != nil || strings.Count(out, "\n") < 2 {
		t.Errorf("export: %v\n%s", err, out)
	}
	if out, _, err := run(t, ro, "programme", "--data", ro, "--date", "2026-11-24"); err != nil || strings.Contains(out, "no activities") {
		t.Errorf("programme: %v\n%s", err, out)
	}
}
