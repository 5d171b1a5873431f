package sqlite_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/clock"
	"buurtbalie/internal/question"
	"buurtbalie/internal/retention"
	"buurtbalie/internal/sqlite"
)

// testClock is a clock the test sets; safe for the writer goroutines.
type testClock = clock.Settable

func newClock(t time.Time) *testClock { return clock.NewSettable(t) }

// night is when the nightly backup runs in the tests: 03:00 in Amsterdam.
var night = time.Date(2026, time.November, 24, 2, 0, 0, 0, time.UTC)

// readOnly opens the database file at path for reading only, without
// changing it or writing files next to it.
func readOnly(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t testing.TB, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// A backup taken while another connection keeps adding questions is one
// consistent snapshot, opens with its migrations intact, and a restore
// brings exactly its data back.
func TestBackupRestoreUnderWrites(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "data", "buurtbalie.db")
	backups := filepath.Join(dir, "usb")

	// The kiosk: its own connection pool, writing as fast as it can.
	kiosk, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	kqs := sqlite.NewQuestionService(kiosk)
	var (
		mu     sync.Mutex
		tokens []string // of the questions Create reported saved, in order
	)
	saved := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(tokens)
	}
	stop := make(chan struct{})
	done := make(chan error)
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			q := question.Question{Topic: "geld", Text: "Brief van de belasting " + string(rune('a'+i%26)), FollowUp: question.ComeBack}
			if err := kqs.Create(ctx, &q); err != nil {
				done <- err
				return
			}
			mu.Lock()
			tokens = append(tokens, q.Token)
			mu.Unlock()
		}
	}()

	// The nightly backup: another process's pool on the same file.
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	clock := newClock(night)
	db.Now = clock.Now
	type taken struct {
		path          string
		before, after int
	}
	var made []taken
	for i := 0; i < 3; i++ {
		for saved() < 20*(i+1) {
			time.Sleep(time.Millisecond)
		}
		before := saved()
		p, err := db.Backup(ctx, backups, 14)
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, taken{p, before, saved()})
		clock.Add(24 * time.Hour)
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatalf("writer: %v", err)
	}

	for _, b := range made {
		if want := "buurtbalie-" + night.Format("20060102") + "-030000.db"; b.path == made[0].path && filepath.Base(b.path) != want {
			t.Errorf("first backup named %s, want %s (03:00 in Amsterdam)", filepath.Base(b.path), want)
		}
		r := readOnly(t, b.path)
		if got, want := count(t, r, `SELECT count(*) FROM migrations`), migrationCount(t); got != want {
			t.Errorf("%s: %d migrations, want %d", b.path, got, want)
		}
		// One writer adds questions one by one: a snapshot has 1..n with
		// no gap, and n lies between what was saved before and after
		// (plus the one committed but not yet counted).
		n := count(t, r, `SELECT count(*) FROM questions`)
		if max := count(t, r, `SELECT COALESCE(MAX(id), 0) FROM questions`); max != n {
			t.Errorf("%s: %d questions but the highest id is %d", b.path, n, max)
		}
		t.Logf("%s: %d questions, %d before, %d after", filepath.Base(b.path), n, b.before, b.after)
		if n < b.before || n > b.after+1 {
			t.Errorf("%s: %d questions, want between %d and %d", b.path, n, b.before, b.after+1)
		}
		var check string
		if err := r.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
			t.Errorf("%s: integrity_check %q, %v", b.path, check, err)
		}
		if info, err := os.Stat(b.path); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v (%v), want 0600: backups hold the questions", b.path, info.Mode(), err)
		}
	}

	// Restoring the second backup over the newer database.
	db.Close()
	kiosk.Close()
	chosen := made[1]
	want := count(t, readOnly(t, chosen.path), `SELECT count(*) FROM questions`)
	if err := sqlite.Restore(ctx, chosen.path, path); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(path + suffix); err == nil {
			t.Errorf("%s left behind by the restore", filepath.Base(path+suffix))
		}
	}
	restored := openAt(t, path)
	rqs := sqlite.NewQuestionService(restored)
	if got, err := rqs.Count(ctx); err != nil || got != want {
		t.Fatalf("restored %d questions (%v), want %d", got, err, want)
	}
	for i, tok := range tokens[:want] {
		if _, err := rqs.ByToken(ctx, tok); err != nil {
			t.Fatalf("question %d of the backup: %v", i+1, err)
		}
	}
	if _, err := rqs.ByToken(ctx, tokens[want]); !errors.Is(err, question.ErrNotFound) {
		t.Errorf("a question saved after the backup is still there after the restore: %v", err)
	}
	// Restored, it is a working database again.
	q := question.Question{Topic: "wonen", Text: "Na het terugzetten", FollowUp: question.Waiting}
	if err := rqs.Create(ctx, &q); err != nil {
		t.Fatal(err)
	}
}

// A database file copied as it lies (the kiosk stopped, no -wal) is a
// backup too.
func TestRestoreCopiedFile(t *testing.T) {
	ctx := context.Background()
	db, path := open(t)
	qs := sqlite.NewQuestionService(db)
	q := ask(t, qs, "taal", question.ComeBack)
	db.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(copied, data, 0o600); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "new", "buurtbalie.db") // a fresh PC
	if err := sqlite.Restore(ctx, copied, target); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.NewQuestionService(openAt(t, target)).ByToken(ctx, q.Token); err != nil {
		t.Errorf("question not restored: %v", err)
	}
	if info, err := os.Stat(target); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("new database: mode %v (%v), want 0600", info.Mode(), err)
	}
}

// Restore refuses what is not a whole Buurtbalie database, with a
// message that says so, and leaves the database alone.
func TestRestoreRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src, _ := open(t)
	ask(t, sqlite.NewQuestionService(src), "geld", question.Waiting)
	good, err := src.Backup(ctx, filepath.Join(dir, "backups"), 0)
	if err != nil {
		t.Fatal(err)
	}
	goodBytes, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	// variant copies the good backup and changes it with SQL.
	variant := func(name string, stmts ...string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, goodBytes, 0o600); err != nil {
			t.Fatal(err)
		}
		r := raw(t, p)
		for _, s := range stmts {
			if _, err := r.Exec(s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		r.Close()
		return p
	}
	file := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	garbage := make([]byte, 8192)
	rand.Read(garbage)
	other := filepath.Join(dir, "other.db")
	o := raw(t, other)
	if _, err := o.Exec(`CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('erwtensoep')`); err != nil {
		t.Fatal(err)
	}
	o.Close()
	// A damaged backup: a page of the questions table overwritten.
	damaged := append([]byte(nil), goodBytes...)
	copy(damaged[len(damaged)-4096+100:], bytes.Repeat([]byte{0xA5}, 2000))
	for i := 5 * 4096; i < 6*4096 && i < len(damaged); i++ {
		damaged[i] ^= 0x5A
	}
	withWAL := file("live.db", goodBytes)
	file("live.db-wal", []byte("frames of a live database"))

	tests := []struct {
		name   string
		backup string
		is     error
		msg    string
	}{
		{"garbage", file("garbage.db", garbage), sqlite.ErrNotDatabase, "garbage.db is not a SQLite database"},
		{"text", file("notes.txt", []byte("Dit is geen database.\nMaar een briefje.\n")), sqlite.ErrNotDatabase, "notes.txt is not a SQLite database"},
		{"empty", file("empty.db", nil), sqlite.ErrNotDatabase, "empty.db is not a SQLite database: it is empty"},
		{"short", file("short.db", []byte("SQLite format 3\x00")), sqlite.ErrNotDatabase, "is not a SQLite database"},
		{"another program's", other, sqlite.ErrNotBuurtbalie, "other.db is not a Buurtbalie database: it has no migrations table"},
		{"foreign migrations", variant("foreign.db", `UPDATE migrations SET name = '001_init.sql' WHERE version = 1`),
			sqlite.ErrNotBuurtbalie, `its migration 1 is "001_init.sql"`},
		{"no migrations", variant("nomig.db", `DELETE FROM migrations`), sqlite.ErrNotBuurtbalie, "records no migrations"},
		{"extra table", variant("extra.db", `CREATE TABLE visitors (name TEXT, phone TEXT)`),
			sqlite.ErrNotBuurtbalie, "it has tables Buurtbalie does not make: visitors"},
		{"newer", variant("newer.db", `INSERT INTO migrations VALUES (99, '099_future.sql', '2030-01-01T00:00:00Z')`),
			sqlite.ErrNotBuurtbalie, "skip from"},
		{"newer schema", variant("newer2.db", `INSERT INTO migrations SELECT MAX(version) + 1, 'NNN_future.sql', '2030-01-01T00:00:00Z' FROM migrations`),
			sqlite.ErrNewerSchema, "was made by a newer Buurtbalie"},
		{"damaged", file("damaged.db", damaged), sqlite.ErrDamaged, "damaged.db is damaged"},
		{"live", withWAL, sqlite.ErrInUse, "live.db-wal next to it"},
		{"missing", filepath.Join(dir, "nowhere.db"), os.ErrNotExist, "nowhere.db"},
		{"a folder", dir, sqlite.ErrNotDatabase, "is not a SQLite database: it is not a file"},
	}

	db, target := open(t)
	ask(t, sqlite.NewQuestionService(db), "wonen", question.ComeBack)
	db.Close()
	before := snapshotDir(t, filepath.Dir(target))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sqlite.Restore(ctx, tt.backup, target)
			if !errors.Is(err, tt.is) {
				t.Fatalf("Restore: %v, want an error matching %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Restore: %q, want it to say %q", err, tt.msg)
			}
			if after := snapshotDir(t, filepath.Dir(target)); !reflect.DeepEqual(after, before) {
				t.Errorf("the data folder changed: %v, was %v", keys(after), keys(before))
			}
		})
	}
	// And the good one goes in.
	if err := sqlite.Restore(ctx, good, target); err != nil {
		t.Fatalf("good backup: %v", err)
	}
}

// snapshotDir returns the contents of every file in dir.
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// Restoring over a database a program has open is refused, even when it
// is only open and reading nothing; once it is closed the restore goes.
func TestRestoreRefusesWhileOpen(t *testing.T) {
	ctx := context.Background()
	src, _ := open(t)
	backup, err := src.Backup(ctx, t.TempDir(), 1)
	if err != nil {
		t.Fatal(err)
	}
	kiosk, target := open(t)
	qs := sqlite.NewQuestionService(kiosk)
	q := ask(t, qs, "gezondheid", question.Waiting)

	err = sqlite.Restore(ctx, backup, target)
	if !errors.Is(err, sqlite.ErrInUse) || !strings.Contains(err.Error(), "stop the kiosk first") {
		t.Fatalf("Restore over an open database: %v, want ErrInUse saying to stop the kiosk", err)
	}
	if _, err := qs.ByToken(ctx, q.Token); err != nil {
		t.Fatalf("the open database lost its question: %v", err)
	}
	// A reader in the middle of a transaction.
	reader := raw(t, target)
	tx, err := reader.Begin()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	tx.QueryRow(`SELECT count(*) FROM questions`).Scan(&n)
	kiosk.Close()
	if err := sqlite.Restore(ctx, backup, target); !errors.Is(err, sqlite.ErrInUse) {
		t.Fatalf("Restore under a reader: %v, want ErrInUse", err)
	}
	tx.Rollback()
	reader.Close()

	if err := sqlite.Restore(ctx, backup, target); err != nil {
		t.Fatalf("Restore once closed: %v", err)
	}
	if _, err := sqlite.NewQuestionService(openAt(t, target)).ByToken(ctx, q.Token); !errors.Is(err, question.ErrNotFound) {
		t.Errorf("after the restore the question asked since is still there: %v", err)
	}
}

func TestBackupKeep(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	clock := newClock(night)
	db.Now = clock.Now
	dir := t.TempDir()

	// Files that are not backups, whatever their names suggest.
	strangers := []string{"buurtbalie.db", "buurtbalie-20200101-000000.db.bak", "buurtbalie-notes.txt", "other-20200101-000000.db", "buurtbalie-2020011-000000.db"}
	for _, n := range strangers {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("keep me"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "buurtbalie-20000101-000000.db"), 0o750); err != nil {
		t.Fatal(err)
	}
	// Unfinished backups: one from a crash long ago, one being written.
	stale := filepath.Join(dir, ".buurtbalie-20260101-030000.db.tmp")
	fresh := filepath.Join(dir, ".buurtbalie-20261124-025959.db.tmp")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(stale, long, long); err != nil {
		t.Fatal(err)
	}

	backups := func() []string {
		var names []string
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Type().IsRegular() && strings.HasPrefix(e.Name(), "buurtbalie-2026") && strings.HasSuffix(e.Name(), ".db") {
				names = append(names, e.Name())
			}
		}
		return names
	}
	for i := 0; i < 5; i++ {
		if _, err := db.Backup(ctx, dir, 3); err != nil {
			t.Fatal(err)
		}
		clock.Add(24 * time.Hour)
	}
	want := []string{"buurtbalie-20261126-030000.db", "buurtbalie-20261127-030000.db", "buurtbalie-20261128-030000.db"}
	if got := backups(); !reflect.DeepEqual(got, want) {
		t.Errorf("after 5 backups keeping 3: %v, want %v", got, want)
	}
	for _, n := range append(strangers, "buurtbalie-20000101-000000.db", filepath.Base(fresh)) {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("%s was removed: %v", n, err)
		}
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the stale unfinished backup is still there: %v", err)
	}

	// Twice in the same second: the name is taken.
	clock.Set(night.Add(4 * 24 * time.Hour))
	if _, err := db.Backup(ctx, dir, 3); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("second backup in the same second: %v, want \"exists already\"", err)
	}
	// The clock put back: the new backup is kept all the same, and the
	// others make room for it.
	clock.Set(night.Add(-24 * time.Hour))
	made, err := db.Backup(ctx, dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"buurtbalie-20261123-030000.db", "buurtbalie-20261128-030000.db"}
	if got := backups(); !reflect.DeepEqual(got, want) || filepath.Base(made) != want[0] {
		t.Errorf("after a backup with the clock put back: %v (made %s), want %v", got, made, want)
	}
	// Keep 0 keeps them all.
	clock.Set(night.Add(10 * 24 * time.Hour))
	if _, err := db.Backup(ctx, dir, 0); err != nil {
		t.Fatal(err)
	}
	if got := backups(); len(got) != 3 {
		t.Errorf("keep 0 left %v, want all 3", got)
	}
	if _, err := db.Backup(ctx, dir, -1); err == nil {
		t.Error("keep -1: no error")
	}
}

// purgeFixture is a database with a question for every retention rule,
// built on a clock the test moves.
type purgeFixture struct {
	db    *sqlite.DB
	path  string
	clock *testClock
	qs    *sqlite.QuestionService
	as    *sqlite.AccountService
	ids   map[string]int64
}

// now is when the fixture's purge runs.
var purgeNow = time.Date(2027, time.March, 1, 2, 0, 0, 0, time.UTC)

func days(n int) time.Duration { return time.Duration(n) * retention.Day }

func newPurgeFixture(t *testing.T) *purgeFixture {
	t.Helper()
	ctx := context.Background()
	db, path := open(t)
	f := &purgeFixture{db: db, path: path, clock: newClock(purgeNow), ids: map[string]int64{},
		qs: sqlite.NewQuestionService(db), as: sqlite.NewAccountService(db)}
	db.Now = f.clock.Now
	at := func(ago time.Duration) { f.clock.Set(purgeNow.Add(-ago)) }
	askAt := func(name string, ago time.Duration) int64 {
		at(ago)
		q := question.Question{Topic: "geld", Text: "GEHEIM-" + name, FollowUp: question.ComeBack}
		if err := f.qs.Create(ctx, &q); err != nil {
			t.Fatal(err)
		}
		f.ids[name] = q.ID
		return q.ID
	}
	act := func(id int64, ago time.Duration, kind question.EventKind, text string) {
		at(ago)
		a := question.Action{Kind: kind, Text: text}
		switch kind {
		case question.EventReferred:
			a.Partner = 1
		case question.EventClosed:
			a.Outcome = question.Helped
		}
		apply(t, f.qs, id, "Anna", a)
	}
	closeAt := func(id int64, ago time.Duration, name string) {
		act(id, ago, question.EventNote, "NOTITIE-"+name)
		act(id, ago, question.EventMessage, "BERICHT-"+name)
		act(id, ago, question.EventClosed, "UITKOMST-"+name)
	}

	// Asked over a year ago: deleted when closed; the open one stays,
	// whatever its age.
	askAt("old-open", days(400))
	closeAt(askAt("old-closed", days(400)), days(399), "old-closed")
	// Closed 40 days ago: text erased.
	closeAt(askAt("closed-40", days(60)), days(40), "closed-40")
	// Closed 40 days ago but looked at since: views do not count.
	id := askAt("viewed-since", days(60))
	closeAt(id, days(40), "viewed-since")
	at(days(5))
	if err := f.qs.Viewed(ctx, id, "Bram"); err != nil {
		t.Fatal(err)
	}
	// Closed 40 days ago, a note since: kept.
	id = askAt("note-since", days(60))
	closeAt(id, days(40), "note-since")
	act(id, days(10), question.EventNote, "LATER-note-since")
	// Closed 20 days ago: kept.
	closeAt(askAt("closed-20", days(60)), days(20), "closed-20")
	// Open, worked on 40 days ago: kept, however old the notes.
	id = askAt("open-40", days(60))
	act(id, days(40), question.EventClaimed, "")
	act(id, days(40), question.EventNote, "NOTITIE-open-40")
	act(id, days(40), question.EventReferred, "")

	// Audit entries: two over two years old, one about a question that
	// goes, one recent.
	for _, e := range []struct {
		ago time.Duration
		e   account.Entry
	}{
		{days(800), account.Entry{Actor: "Bram", Action: account.ActionLogin}},
		{days(731), account.Entry{Actor: "Bram", Action: account.ActionLogout}},
		{days(400), account.Entry{Actor: "Anna", Action: "viewed", QuestionID: f.ids["old-closed"]}},
		{days(1), account.Entry{Actor: "Anna", Action: account.ActionLogin}},
	} {
		at(e.ago)
		if err := f.as.Audit(ctx, e.e); err != nil {
			t.Fatal(err)
		}
	}
	// Sessions: one idle for 13 hours, one seen an hour ago.
	at(days(30))
	u, err := f.as.CreateUser(ctx, "Anna", account.Volunteer, "de koffie is klaar")
	if err != nil {
		t.Fatal(err)
	}
	for _, ago := range []time.Duration{13 * time.Hour, time.Hour} {
		at(ago)
		if _, _, err := f.as.CreateSession(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Set(purgeNow)
	return f
}

// dump is everything a purge may touch, as text, to compare.
func (f *purgeFixture) dump(t *testing.T) string {
	t.Helper()
	r := raw(t, f.path)
	var b strings.Builder
	for _, q := range []string{
		`SELECT id, text, visitor_message, outcome, status FROM questions ORDER BY id`,
		`SELECT id, question_id, kind, text FROM events ORDER BY id`,
		`SELECT id, at, action, COALESCE(question_id, 0) FROM audit ORDER BY id`,
		`SELECT id_hash, last_seen FROM sessions ORDER BY id_hash`,
	} {
		rows, err := r.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%v", v)
				b.WriteByte('|')
			}
			b.WriteByte('\n')
		}
		rows.Close()
	}
	return b.String()
}

func TestPurge(t *testing.T) {
	ctx := context.Background()
	f := newPurgeFixture(t)
	want := sqlite.PurgeReport{
		Cutoffs:    retention.Default().Cutoffs(purgeNow),
		TextErased: 2, // closed-40, viewed-since
		Questions:  1, // old-closed
		Audit:      2,
		Sessions:   1,
		OpenKept:   1, // old-open
	}

	// A dry run reports what would go and changes nothing.
	before := f.dump(t)
	dry, err := f.db.Purge(ctx, retention.Default(), true)
	if err != nil {
		t.Fatal(err)
	}
	wantDry := want
	wantDry.DryRun = true
	if dry != wantDry {
		t.Errorf("dry run reported %+v, want %+v", dry, wantDry)
	}
	if after := f.dump(t); after != before {
		t.Errorf("a dry run changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	got, err := f.db.Purge(ctx, retention.Default(), false)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("purge reported %+v, want %+v", got, want)
	}

	r := raw(t, f.path)
	for name, id := range f.ids {
		var (
			n                      int
			text, message, outcome string
		)
		err := r.QueryRow(`SELECT count(*), COALESCE(MAX(text), ''), COALESCE(MAX(visitor_message), ''), COALESCE(MAX(outcome), '')
			FROM questions WHERE id = ?`, id).Scan(&n, &text, &message, &outcome)
		if err != nil {
			t.Fatal(err)
		}
		notes := count(t, r, `SELECT count(*) FROM events WHERE question_id = ? AND text <> '' AND kind IN ('note', 'message', 'closed')`, id)
		switch name {
		case "old-open":
			if n != 1 || text != "GEHEIM-old-open" {
				t.Errorf("old-open: row %d, text %q; want an open question kept whole, however old", n, text)
			}
		case "old-closed":
			if n != 0 || count(t, r, `SELECT count(*) FROM events WHERE question_id = ?`, id) != 0 {
				t.Errorf("%s: still there, or its history is", name)
			}
		case "closed-40", "viewed-since":
			if n != 1 || text != "" || message != "" || outcome != "" || notes != 0 {
				t.Errorf("%s: row %d, text %q, message %q, outcome %q, %d notes; want the row without text", name, n, text, message, outcome, notes)
			}
		default:
			if n != 1 || text != "GEHEIM-"+name || notes == 0 {
				t.Errorf("%s: row %d, text %q, %d notes; want it kept whole", name, n, text, notes)
			}
		}
	}
	// The audit entry of a deleted question stays, without the link;
	// the purge wrote its own.
	if n := count(t, r, `SELECT count(*) FROM audit WHERE action = 'viewed' AND question_id IS NULL`); n != 1 {
		t.Errorf("%d unlinked audit entries of the deleted question, want 1", n)
	}
	log, err := f.as.AuditLog(ctx, 1)
	if err != nil || len(log) != 1 || log[0].Action != "purge" || !strings.Contains(log[0].Detail, "1 questions") {
		t.Errorf("newest audit entry %+v (%v), want the purge's", log, err)
	}
	if n := count(t, r, `SELECT count(*) FROM sessions`); n != 1 {
		t.Errorf("%d sessions left, want 1", n)
	}

	// What was erased is gone from the files, not just from view.
	f.db.Close()
	for _, p := range []string{f.path, f.path + "-wal"} {
		data, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"GEHEIM-old-closed", "GEHEIM-closed-40", "NOTITIE-viewed-since", "BERICHT-closed-40", "UITKOMST-old-closed"} {
			if bytes.Contains(data, []byte(secret)) {
				t.Errorf("%s still holds %q", filepath.Base(p), secret)
			}
		}
		if p == f.path && !bytes.Contains(data, []byte("GEHEIM-closed-20")) {
			t.Errorf("%s lost a question it keeps (or the test looks in the wrong place)", filepath.Base(p))
		}
	}
}

// A second purge finds nothing new to do and says so.
func TestPurgeTwice(t *testing.T) {
	ctx := context.Background()
	f := newPurgeFixture(t)
	if _, err := f.db.Purge(ctx, retention.Default(), false); err != nil {
		t.Fatal(err)
	}
	entries := count(t, raw(t, f.path), `SELECT count(*) FROM audit`)
	got, err := f.db.Purge(ctx, retention.Default(), false)
	if err != nil {
		t.Fatal(err)
	}
	if got.TextErased+got.Questions+got.Audit+got.Sessions != 0 {
		t.Errorf("second purge reported %+v, want nothing", got)
	}
	if n := count(t, raw(t, f.path), `SELECT count(*) FROM audit`); n != entries {
		t.Errorf("a purge that did nothing wrote to the audit log (%d entries, was %d)", n, entries)
	}
}

// Each rule on its own: the tightest setting of one rule moves only its
// own count.
func TestPurgeRules(t *testing.T) {
	ctx := context.Background()
	long := retention.Policy{TextAfter: days(3000), QuestionAfter: days(3000), AuditAfter: days(3000)}
	tests := []struct {
		name string
		p    func(retention.Policy) retention.Policy
		want sqlite.PurgeReport
	}{
		{"nothing old enough", func(p retention.Policy) retention.Policy { return p }, sqlite.PurgeReport{Sessions: 1}},
		{"text after 30 days", func(p retention.Policy) retention.Policy { p.TextAfter = days(30); return p },
			sqlite.PurgeReport{TextErased: 3, Sessions: 1}}, // with old-closed
		{"text after 15 days", func(p retention.Policy) retention.Policy { p.TextAfter = days(15); return p },
			sqlite.PurgeReport{TextErased: 4, Sessions: 1}}, // and closed-20
		{"questions after 50 days", func(p retention.Policy) retention.Policy { p.TextAfter, p.QuestionAfter = days(50), days(50); return p },
			sqlite.PurgeReport{Questions: 5, Sessions: 1, OpenKept: 2}}, // not old-open, open-40
		{"audit after 1 year", func(p retention.Policy) retention.Policy { p.AuditAfter = days(365); return p },
			sqlite.PurgeReport{Audit: 3, Sessions: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newPurgeFixture(t)
			p := tt.p(long)
			got, err := f.db.Purge(ctx, p, true)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.DryRun, tt.want.Cutoffs = true, p.Cutoffs(purgeNow)
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
	f := newPurgeFixture(t)
	if _, err := f.db.Purge(ctx, retention.Policy{TextAfter: time.Minute, QuestionAfter: days(1), AuditAfter: days(1)}, false); !errors.Is(err, retention.ErrInvalid) {
		t.Errorf("a one-minute policy: %v, want retention.ErrInvalid", err)
	}
}

func TestHealth(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	if err := db.Health(ctx); err != nil {
		t.Fatalf("Health of an open database: %v", err)
	}
	if err := sqlite.NewQuestionService(db).Health(ctx); err != nil {
		t.Fatalf("Health through the question store: %v", err)
	}
	db.Close()
	if err := db.Health(ctx); err == nil {
		t.Error("Health of a closed database: nil")
	}
}
