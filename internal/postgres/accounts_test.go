package postgres

import (
	"context"
	"errors"
	"testing"
	"time"

	"buurtbalie/internal/account"
)

// TestAccounts takes the district's staff accounts through what the web
// pages do with them, on real PostgreSQL: a user made, a login audited,
// a session kept, aged and ended, a disabled user shut out.
func TestAccounts(t *testing.T) {
	ctx := context.Background()
	a := open(t).Accounts()
	now := t0
	a.Now = func() time.Time { return now }

	u, err := a.CreateUser(ctx, "  Fatma ", account.Staff, "wijkkantoor-west-2026")
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Fatma" || u.Role != account.Staff {
		t.Fatalf("created %+v", u)
	}
	if _, err := a.CreateUser(ctx, "fatma", account.Volunteer, "een-ander-wachtwoord-9"); !errors.Is(err, account.ErrNameTaken) {
		t.Errorf("second fatma: %v, want ErrNameTaken", err)
	}
	if _, err := a.CreateUser(ctx, "Piet", account.Staff, "1234"); err == nil {
		t.Error("a weak password was accepted")
	}

	for _, bad := range []struct{ name, password string }{{"Fatma", "fout"}, {"Niemand", "wijkkantoor-west-2026"}} {
		if _, err := a.Login(ctx, bad.name, bad.password); !errors.Is(err, account.ErrBadLogin) {
			t.Errorf("login %s/%s: %v, want ErrBadLogin", bad.name, bad.password, err)
		}
	}
	got, err := a.Login(ctx, "FATMA", "wijkkantoor-west-2026")
	if err != nil || got.ID != u.ID {
		t.Fatalf("login: %+v, %v", got, err)
	}
	log, err := a.AuditLog(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, e := range log {
		details = append(details, e.Action+":"+e.Detail)
	}
	want := []string{"login:", "login_failed:unknown name", "login_failed:wrong password"}
	if len(details) != len(want) {
		t.Fatalf("audit %q, want %q", details, want)
	}
	for i := range want {
		if details[i] != want[i] {
			t.Errorf("audit %q, want %q", details, want)
		}
	}

	token, csrf, err := a.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if su, sc, err := a.Session(ctx, token); err != nil || su.ID != u.ID || sc != csrf {
		t.Fatalf("session: %+v %q %v", su, sc, err)
	}
	if err := a.SetLanguages(ctx, u.ID, []string{"tr", "ar"}); err != nil {
		t.Fatal(err)
	}
	if on, err := a.OnDutyLanguages(ctx); err != nil || len(on) != 2 || on[0] != "ar" {
		t.Errorf("on duty: %q %v", on, err)
	}
	// Used within the idle time, the session lasts past it.
	now = now.Add(account.SessionIdle - time.Minute)
	if _, _, err := a.Session(ctx, token); err != nil {
		t.Fatalf("session after %s in use: %v", account.SessionIdle-time.Minute, err)
	}
	now = now.Add(account.SessionIdle - time.Minute)
	if _, _, err := a.Session(ctx, token); err != nil {
		t.Fatalf("session kept in use: %v", err)
	}
	now = now.Add(account.SessionIdle + time.Second)
	if _, _, err := a.Session(ctx, token); !errors.Is(err, account.ErrNoSession) {
		t.Fatalf("idle session: %v, want ErrNoSession", err)
	}

	token, _, err = a.CreateSession(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.DisableUser(ctx, "fatma"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Session(ctx, token); !errors.Is(err, account.ErrNoSession) {
		t.Errorf("session of a disabled user: %v, want ErrNoSession", err)
	}
	if _, err := a.Login(ctx, "Fatma", "wijkkantoor-west-2026"); !errors.Is(err, account.ErrBadLogin) {
		t.Errorf("login of a disabled user: %v", err)
	}
	if _, _, err := a.CreateSession(ctx, u.ID); !errors.Is(err, account.ErrBadLogin) {
		t.Errorf("session for a disabled user: %v", err)
	}
	if err := a.DeleteSession(ctx, token); err != nil {
		t.Errorf("logging out twice: %v", err)
	}
}
