package sqlite_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/district"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

// sumOf adds up the outbox's events per kind and measure, as the
// district will count them.
func sumOf(events []district.Event) map[string]int {
	out := map[string]int{}
	for _, e := range events {
		switch e.Kind {
		case district.KindDuration:
			out[e.Kind+" "+e.Measure]++
		default:
			out[e.Kind+" "+e.Measure+" "+e.Key] += e.N
		}
	}
	return out
}

// A kiosk that has joined no district keeps no outbox; joining puts what
// the house counted so far into it (and never its demo year); from then
// on every count goes into the outbox in the same transaction. An event
// may leave only once its cell (measure and key in its ISO week) has
// reached five, as the house's own figures show no cell under five;
// screen use leaves at once. What the district accepted leaves the
// outbox. Nothing in it holds a question's text, token or code.
func TestOutbox(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	clock := newClock(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) // a Monday
	db.Now = clock.Now
	qs := sqlite.NewQuestionService(db)
	ds := sqlite.NewDistrictService(db)
	ask := func(topic, text string) question.Question {
		t.Helper()
		q := question.Question{Topic: topic, FollowUp: question.Waiting, Lang: "tr", Text: text}
		if err := qs.Create(ctx, &q); err != nil {
			t.Fatal(err)
		}
		return q
	}
	pending := func() []district.Event {
		t.Helper()
		p, err := ds.Pending(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}

	first := ask("geld", "Mijn huur is te hoog, mijn naam is Ayşe")
	if p := pending(); len(p) != 0 {
		t.Fatalf("before joining the outbox holds %d events, want none", len(p))
	}
	if _, joined, err := ds.Link(ctx); err != nil || joined {
		t.Fatalf("joined before joining (%v)", err)
	}
	if err := ds.Join(ctx, "https://wijk.example.nl", district.Joined{Kiosk: strings.Repeat("a", 32), Key: district.NewKey(), House: "Huis West", District: "West"}); err != nil {
		t.Fatal(err)
	}
	l, _, _ := ds.Link(ctx)
	if p := pending(); len(p) != 0 || l.Held != 4 || l.Pending != 0 {
		t.Errorf("after joining with one question: %d may leave, link %d pending %d held; want its 4 counts held", len(p), l.Pending, l.Held)
	}

	// Four more that week: five questions about money, in Turkish, of
	// visitors waiting: those cells may leave, all five in each.
	for range 4 {
		clock.Add(24 * time.Hour)
		ask("geld", "")
	}
	want := map[string]int{"count questions geld": 5, "count questions.language tr": 5, "count questions.topic_lang geld|tr": 5,
		"count questions.follow_up waiting": 5}
	if got := sumOf(pending()); !equalCounts(got, want) {
		t.Errorf("after five questions: %v may leave, want %v (no_text has four: held)", got, want)
	}
	// One about housing: its own cells are held; the language's and the
	// follow-up's cells are past five, so those go.
	ask("wonen", "")
	want["count questions.language tr"], want["count questions.follow_up waiting"] = 6, 6
	if got := sumOf(pending()); !equalCounts(got, want) {
		t.Errorf("after a sixth in another topic: %v may leave, want %v", got, want)
	}
	// Screen use leaves at once: an hour's count points to nobody.
	use := sqlite.NewScreenUse(db, nil)
	use.Count("today")
	if err := use.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	want["screen  today"] = 1
	p := pending()
	if got := sumOf(p); !equalCounts(got, want) {
		t.Errorf("after a screen opened: %v may leave, want %v", got, want)
	}
	ids := map[string]bool{}
	for _, e := range p {
		if err := e.Check(); err != nil {
			t.Errorf("the outbox holds an event the district refuses: %v", err)
		}
		if ids[e.ID] {
			t.Errorf("event id %s twice", e.ID)
		}
		ids[e.ID] = true
		for _, secret := range []string{"Ayşe", first.Token, first.Code} {
			if strings.Contains(e.Key, secret) || strings.Contains(e.Measure, secret) {
				t.Errorf("an event holds %q: %+v", secret, e)
			}
		}
	}

	// The district took the first three.
	sent := []string{p[0].ID, p[1].ID, p[2].ID}
	if err := ds.Sent(ctx, sent, clock.Now()); err != nil {
		t.Fatal(err)
	}
	left := pending()
	if len(left) != len(p)-3 || left[0].ID != p[3].ID {
		t.Errorf("after sending three, %d are left; want %d starting %s", len(left), len(p)-3, p[3].ID)
	}
	l, _, err := ds.Link(ctx)
	if err != nil || l.Pending != len(left) || !l.LastSent.Equal(clock.Now()) || l.House != "Huis West" {
		t.Errorf("link %+v (%v): want %d pending, last sent %s", l, err, len(left), clock.Now())
	}
	// A cell once at five lets the next event go at once, even when its
	// others were sent; and this fifth "Sla over" lets that cell's five go.
	ask("geld", "")
	if got := len(pending()) - len(left); got != 4+5 {
		t.Errorf("a question in cells past five, and the fifth without text: %d events may leave, want 4+5", got)
	}

	// A quarter on, the housing cells that never reached five are dropped
	// with what they held: those never leave.
	clock.Add(14 * 7 * 24 * time.Hour)
	if err := ds.Sent(ctx, nil, clock.Now()); err != nil {
		t.Fatal(err)
	}
	if l, _, _ := ds.Link(ctx); l.Held != 0 {
		t.Errorf("a quarter on, %d events are still held", l.Held)
	}

	// Revoked: nothing more goes in; what is there stays.
	before := len(pending())
	if err := ds.Revoked(ctx, clock.Now(), "revoked"); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		ask("geld", "nog een")
	}
	if after := len(pending()); after != before {
		t.Errorf("a revoked kiosk put %d events in its outbox", after-before)
	}
	if err := ds.Leave(ctx); err != nil {
		t.Fatal(err)
	}
	if after := pending(); len(after) != 0 {
		t.Errorf("after leaving, %d events are left", len(after))
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
