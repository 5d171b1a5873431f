package sqlite_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/sqlite"
)

func TestSetLanguages(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	setClock(db, morning)
	as := sqlite.NewAccountService(db)
	anna := addUser(t, as, "Anna", account.Volunteer, "de koffie is klaar")
	steps := []struct {
		set  []string
		want []string
	}{
		{nil, nil},
		{[]string{"en", "tr"}, []string{"en", "tr"}},
		{[]string{"ar"}, []string{"ar"}}, // replaces, not adds
		{nil, nil},
	}
	for _, st := range steps {
		if err := as.SetLanguages(ctx, anna.ID, st.set); err != nil {
			t.Fatalf("SetLanguages(%q): %v", st.set, err)
		}
		got, err := as.Languages(ctx, anna.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, st.want) {
			t.Errorf("after SetLanguages(%q): got %q, want %q", st.set, got, st.want)
		}
	}
	if err := as.SetLanguages(ctx, anna.ID+100, []string{"en"}); !errors.Is(err, account.ErrNotFound) {
		t.Errorf("SetLanguages of no user: %v, want account.ErrNotFound", err)
	}
}

func TestOnDutyLanguages(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	advance := setClock(db, morning)
	as := sqlite.NewAccountService(db)
	speaks := func(name string, langs ...string) account.User {
		t.Helper()
		u := addUser(t, as, name, account.Volunteer, "de koffie is klaar")
		if err := as.SetLanguages(ctx, u.ID, langs); err != nil {
			t.Fatal(err)
		}
		return u
	}
	login := func(u account.User) string {
		t.Helper()
		tok, _, err := as.CreateSession(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	// Bram came this morning and has not used his phone since.
	login(speaks("Bram", "ar"))
	advance(account.OnDutyWithin + time.Minute)
	login(speaks("Anna", "en", "tr"))
	login(speaks("Eva", "tr")) // the same language twice is once
	cor := speaks("Cor", "pl")
	login(cor)
	if err := as.DisableUser(ctx, "Cor"); err != nil {
		t.Fatal(err)
	}
	dirk := speaks("Dirk", "uk")
	if err := as.DeleteSession(ctx, login(dirk)); err != nil { // logged out
		t.Fatal(err)
	}
	speaks("Fatima", "ar") // never logged in
	got, err := as.OnDutyLanguages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"en", "tr"}; !slices.Equal(got, want) {
		t.Errorf("on duty: %q, want %q", got, want)
	}
}
