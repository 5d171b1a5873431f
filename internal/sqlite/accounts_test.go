package sqlite_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

// at sets db's clock to t and returns a function that moves it on.
func setClock(db *sqlite.DB, t time.Time) (advance func(time.Duration)) {
	db.Now = func() time.Time { return t }
	return func(d time.Duration) { t = t.Add(d) }
}

var morning = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

// addUser adds a user or fails the test.
func addUser(t *testing.T, as *sqlite.AccountService, name string, role account.Role, pw string) account.User {
	t.Helper()
	u, err := as.CreateUser(context.Background(), name, role, pw)
	if err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return u
}

func TestCreateUser(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	setClock(db, morning)
	as := sqlite.NewAccountService(db)
	anna := addUser(t, as, "  Anna de Vries ", account.Volunteer, "de koffie is klaar")
	if anna.ID == 0 || anna.Name != "Anna de Vries" || anna.Role != account.Volunteer || anna.Disabled || !anna.Created.Equal(morning) {
		t.Errorf("created %+v, want id, trimmed name, volunteer, enabled, created at %s", anna, morning)
	}
	addUser(t, as, "Bram", account.Staff, "402917")

	tests := []struct {
		name, role, pw string
		want           error
		msg            string
	}{
		{"anna DE vries", "volunteer", "de thee is klaar", account.ErrNameTaken, `there is already a user "anna DE vries"`},
		{"Cor", "admin", "de thee is klaar", account.ErrInvalid, `there is no role "admin"; choose staff or volunteer`},
		{"Cor", "volunteer", "geheim", account.ErrInvalid, "use at least 10 characters, or a PIN of at least 6 digits"},
		{"", "volunteer", "de thee is klaar", account.ErrInvalid, "the name is empty"},
		{"Co\nr", "volunteer", "de thee is klaar", account.ErrInvalid, "control character"},
	}
	for _, tt := range tests {
		_, err := as.CreateUser(ctx, tt.name, account.Role(tt.role), tt.pw)
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("CreateUser(%q, %q): %v, want %v saying %q", tt.name, tt.role, err, tt.want, tt.msg)
		}
	}

	users, err := as.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range users {
		got = append(got, u.Name+"/"+string(u.Role))
	}
	if want := "Anna de Vries/volunteer Bram/staff"; strings.Join(got, " ") != want {
		t.Errorf("users %q, want %q", strings.Join(got, " "), want)
	}
	if u, err := as.User(ctx, "BRAM"); err != nil || u.Name != "Bram" {
		t.Errorf("User(BRAM) = %+v, %v; want Bram", u, err)
	}
	if _, err := as.User(ctx, "Dirk"); !errors.Is(err, account.ErrNotFound) {
		t.Errorf("User(Dirk): %v, want ErrNotFound", err)
	}
	if err := as.DisableUser(ctx, "Dirk"); !errors.Is(err, account.ErrNotFound) {
		t.Errorf("DisableUser(Dirk): %v, want ErrNotFound", err)
	}
	if err := as.SetPassword(ctx, "Dirk", "de thee is klaar"); !errors.Is(err, account.ErrNotFound) {
		t.Errorf("SetPassword(Dirk): %v, want ErrNotFound", err)
	}
}

// Every failed login is the same ErrBadLogin, and each attempt is
// audited without the password and without unknown names.
func TestLogin(t *testing.T) {
	ctx := context.Background()
	db, path := open(t)
	setClock(db, morning)
	as := sqlite.NewAccountService(db)
	anna := addUser(t, as, "Anna", account.Volunteer, "de koffie is klaar")
	addUser(t, as, "Bram", account.Staff, "402917")
	if err := as.DisableUser(ctx, "Bram"); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, user, pw string
		want           error
		audit          account.Entry
	}{
		{"ok", "Anna", "de koffie is klaar", nil, account.Entry{Actor: "Anna", Action: "login"}},
		{"any case", " aNNA ", "de koffie is klaar", nil, account.Entry{Actor: "Anna", Action: "login"}},
		{"wrong password", "Anna", "de thee is klaar", account.ErrBadLogin, account.Entry{Actor: "Anna", Action: "login_failed", Detail: "wrong password"}},
		{"unknown name", "Cor", "de koffie is klaar", account.ErrBadLogin, account.Entry{Action: "login_failed", Detail: "unknown name"}},
		{"password in the name field", "mijn geheime zin", "", account.ErrBadLogin, account.Entry{Action: "login_failed", Detail: "unknown name"}},
		{"impossible name", strings.Repeat("x", 50), "de koffie is klaar", account.ErrBadLogin, account.Entry{Action: "login_failed", Detail: "unknown name"}},
		{"disabled", "Bram", "402917", account.ErrBadLogin, account.Entry{Actor: "Bram", Action: "login_failed", Detail: "account disabled"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := as.Login(ctx, tt.user, tt.pw)
			if err != tt.want { // the sentinel itself: nothing to tell them apart
				t.Fatalf("Login(%q) error %v, want %v", tt.user, err, tt.want)
			}
			if err == nil && (u.ID != anna.ID || u.Name != "Anna" || u.Role != account.Volunteer) {
				t.Errorf("Login(%q) = %+v, want Anna", tt.user, u)
			}
			log, err := as.AuditLog(ctx, 1)
			if err != nil || len(log) != 1 {
				t.Fatalf("audit log: %v %v", log, err)
			}
			got := log[0]
			if got.Actor != tt.audit.Actor || got.Action != tt.audit.Action || got.Detail != tt.audit.Detail || got.QuestionID != 0 {
				t.Errorf("audited %+v, want %+v", got, tt.audit)
			}
		})
	}
	db.Close()
	for _, secret := range []string{"de koffie is klaar", "de thee is klaar", "402917", "mijn geheime zin"} {
		if where := inDBFiles(t, path, secret); where != "" {
			t.Errorf("%q is stored in %s", secret, where)
		}
	}
}

// inDBFiles returns which of the database's files (the file and its WAL)
// hold s, or "".
func inDBFiles(t *testing.T, path, s string) string {
	t.Helper()
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(s)) {
			return p
		}
	}
	return ""
}

func TestSessionIdleExpiry(t *testing.T) {
	ctx := context.Background()
	db, path := open(t)
	advance := setClock(db, morning)
	as := sqlite.NewAccountService(db)
	anna := addUser(t, as, "Anna", account.Volunteer, "de koffie is klaar")
	token, csrf, err := as.CreateSession(ctx, anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !account.ValidToken(token) || !account.ValidToken(csrf) || token == csrf {
		t.Fatalf("token %q, csrf %q: want two different tokens", token, csrf)
	}
	lastSeen := func() string {
		var s string
		if err := raw(t, path).QueryRow(`SELECT last_seen FROM sessions`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	tests := []struct {
		after    time.Duration // since the step before
		want     error
		lastSeen string // afterwards
	}{
		{30 * time.Second, nil, "2026-11-23T09:30:00Z"},               // not written again within the minute
		{11 * time.Hour, nil, "2026-11-23T20:30:30Z"},                 // used: idle time starts again
		{account.SessionIdle, nil, "2026-11-24T08:30:30Z"},            // exactly 12 h idle is still fine
		{account.SessionIdle + time.Second, account.ErrNoSession, ""}, // one second more is not
		{time.Second, account.ErrNoSession, ""},
	}
	for i, tt := range tests {
		advance(tt.after)
		u, gotCSRF, err := as.Session(ctx, token)
		if err != tt.want {
			t.Fatalf("step %d: Session error %v, want %v", i, err, tt.want)
		}
		if err != nil {
			continue
		}
		if u.ID != anna.ID || gotCSRF != csrf {
			t.Errorf("step %d: session of %+v with csrf %q, want Anna's with %q", i, u, gotCSRF, csrf)
		}
		if got := lastSeen(); got != tt.lastSeen {
			t.Errorf("step %d: last_seen %s, want %s", i, got, tt.lastSeen)
		}
	}
	var n int
	raw(t, path).QueryRow(`SELECT count(*) FROM sessions`).Scan(&n)
	if n != 0 {
		t.Errorf("%d sessions left after expiry, want the expired one deleted", n)
	}
}

func TestSessionRefused(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	setClock(db, morning)
	as := sqlite.NewAccountService(db)
	anna := addUser(t, as, "Anna", account.Volunteer, "de koffie is klaar")
	bram := addUser(t, as, "Bram", account.Staff, "402917")
	newSession := func(id int64) string {
		t.Helper()
		token, _, err := as.CreateSession(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	annas, brams := newSession(anna.ID), newSession(bram.ID)
	brams2 := newSession(bram.ID)
	tests := []struct {
		name   string
		change func() error
		token  string
	}{
		{"unknown token", func() error { return nil }, strings.Repeat("A", 43)},
		{"malformed token", func() error { return nil }, "x' OR 1=1 --"},
		{"logged out", func() error { return as.DeleteSession(ctx, annas) }, annas},
		{"disabled", func() error { return as.DisableUser(ctx, "bram") }, brams},
		{"disabled, other phone", func() error { return nil }, brams2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.change(); err != nil {
				t.Fatal(err)
			}
			if u, _, err := as.Session(ctx, tt.token); err != account.ErrNoSession {
				t.Errorf("Session = %+v, %v; want ErrNoSession", u, err)
			}
		})
	}
	if _, _, err := as.CreateSession(ctx, bram.ID); err == nil {
		t.Errorf("CreateSession for a disabled user: no error")
	}
	if _, _, err := as.CreateSession(ctx, 999); !errors.Is(err, account.ErrNotFound) {
		t.Errorf("CreateSession for no user: %v, want ErrNotFound", err)
	}
	// Logging out twice is fine.
	if err := as.DeleteSession(ctx, annas); err != nil {
		t.Errorf("second logout: %v", err)
	}
}

func TestSetPasswordEndsSessions(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	setClock(db, morning)
	as := sqlite.NewAccountService(db)
	anna := addUser(t, as, "Anna", account.Volunteer, "de koffie is klaar")
	token, _, err := as.CreateSession(ctx, anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := as.SetPassword(ctx, "anna", "kort"); !errors.Is(err, account.ErrInvalid) {
		t.Errorf("SetPassword with 4 characters: %v, want ErrInvalid", err)
	}
	if _, _, err := as.Session(ctx, token); err != nil {
		t.Fatalf("a refused change ended the session: %v", err)
	}
	if err := as.SetPassword(ctx, "anna", "de thee is klaar"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := as.Session(ctx, token); err != account.ErrNoSession {
		t.Errorf("session after a password change: %v, want ErrNoSession", err)
	}
	if _, err := as.Login(ctx, "Anna", "de koffie is klaar"); err != account.ErrBadLogin {
		t.Errorf("old password: %v, want ErrBadLogin", err)
	}
	if _, err := as.Login(ctx, "Anna", "de thee is klaar"); err != nil {
		t.Errorf("new password: %v", err)
	}
}

// The database keeps only a hash of the session token: a copy of the
// file holds no session anyone can use.
func TestSessionTokenStoredHashed(t *testing.T) {
	ctx := context.Background()
	db, path := open(t)
	as := sqlite.NewAccountService(db)
	anna := addUser(t, as, "Anna", account.Volunteer, "de koffie is klaar")
	token, _, err := as.CreateSession(ctx, anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := raw(t, path).Query(`SELECT id_hash, user_id, csrf, created_at, last_seen FROM sessions`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		var cols [5]string
		if err := rows.Scan(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4]); err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			if strings.Contains(c, token) {
				t.Errorf("the sessions table holds the token: %q", cols)
			}
		}
		if got, want := cols[0], account.HashToken(token); got != want {
			t.Errorf("id_hash %q, want SHA-256 %q", got, want)
		}
	}
	if n != 1 {
		t.Errorf("%d sessions, want 1", n)
	}
	if where := inDBFiles(t, path, token); where != "" {
		t.Errorf("the token is in %s", where)
	}
}

func TestAuditLog(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	advance := setClock(db, morning)
	as := sqlite.NewAccountService(db)
	q := question.Question{Topic: "geld", FollowUp: question.Waiting}
	if err := sqlite.NewQuestionService(db).Create(ctx, &q); err != nil {
		t.Fatal(err)
	}
	entries := []account.Entry{
		{Action: account.ActionUserAdded, Detail: "Anna, volunteer"},
		{Actor: "Anna", Action: "viewed", QuestionID: q.ID},
		{Actor: "Anna", Action: "claimed", QuestionID: q.ID},
		{Actor: "Anna", Action: "referred", QuestionID: q.ID, Detail: "Schuldhulp"},
		{Action: account.ActionUserDisabled, Detail: "Bram"}, // after a reboot with the clock in 1970
	}
	for i, e := range entries {
		switch i {
		case 2: // the same second
		case 4:
			setClock(db, time.Unix(0, 0))
		default:
			advance(time.Minute)
		}
		if err := as.Audit(ctx, e); err != nil {
			t.Fatalf("audit %+v: %v", e, err)
		}
	}
	for _, bad := range []account.Entry{
		{Actor: "Anna"}, // no action
		{Actor: "Anna", Action: "viewed", QuestionID: 99}, // no such question
	} {
		if err := as.Audit(ctx, bad); err == nil {
			t.Errorf("Audit(%+v): no error", bad)
		}
	}
	tests := []struct {
		limit int
		want  []string
	}{
		{0, []string{"user_disabled", "referred", "claimed", "viewed", "user_added"}},
		{2, []string{"user_disabled", "referred"}},
		{10, []string{"user_disabled", "referred", "claimed", "viewed", "user_added"}},
	}
	for _, tt := range tests {
		log, err := as.AuditLog(ctx, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range log {
			got = append(got, e.Action)
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("AuditLog(%d) = %q, want %q", tt.limit, got, tt.want)
		}
	}
	log, _ := as.AuditLog(ctx, 0)
	if got, want := log[1], (account.Entry{ID: log[1].ID, At: morning.Add(3 * time.Minute), Actor: "Anna", Action: "referred", QuestionID: q.ID, Detail: "Schuldhulp"}); got != want {
		t.Errorf("newest entry %+v, want %+v", got, want)
	}
	if got := log[4]; got.QuestionID != 0 || got.Actor != "" || !got.At.Equal(morning.Add(time.Minute)) {
		t.Errorf("oldest entry %+v, want no question, no actor, at %s", got, morning.Add(time.Minute))
	}
}

func TestPurgeSessions(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	advance := setClock(db, morning)
	as := sqlite.NewAccountService(db)
	anna := addUser(t, as, "Anna", account.Volunteer, "de koffie is klaar")
	old, _, _ := as.CreateSession(ctx, anna.ID)
	advance(6 * time.Hour)
	fresh, _, _ := as.CreateSession(ctx, anna.ID)
	advance(6*time.Hour + time.Second)
	n, err := as.PurgeSessions(ctx)
	if err != nil || n != 1 {
		t.Errorf("PurgeSessions = %d, %v; want 1", n, err)
	}
	if _, _, err := as.Session(ctx, fresh); err != nil {
		t.Errorf("the fresh session was purged: %v", err)
	}
	if _, _, err := as.Session(ctx, old); err != account.ErrNoSession {
		t.Errorf("the idle session: %v, want ErrNoSession", err)
	}
}
