package sqlite_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/question"
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

func TestQueueByLanguage(t *testing.T) {
	qs, _ := followUp(t)
	in := func(lang, topic string) question.Question {
		t.Helper()
		q := question.Question{Topic: topic, FollowUp: question.ComeBack, Lang: lang}
		if err := qs.Create(context.Background(), &q); err != nil {
			t.Fatal(err)
		}
		return q
	}
	nl, tr, trWonen, en := in("nl", "geld"), in("tr", "geld"), in("tr", "wonen"), in("en", "geld")
	tests := []struct {
		name   string
		filter question.QueueFilter
		want   []int64
	}{
		{"all", question.QueueFilter{}, []int64{nl.ID, tr.ID, trWonen.ID, en.ID}},
		{"dutch", question.QueueFilter{Lang: "nl"}, []int64{nl.ID}},
		{"turkish", question.QueueFilter{Lang: "tr"}, []int64{tr.ID, trWonen.ID}},
		{"turkish about money", question.QueueFilter{Lang: "tr", Topic: "geld"}, []int64{tr.ID}},
		{"none in it", question.QueueFilter{Lang: "ar"}, []int64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := queueIDs(t, qs, tt.filter); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
