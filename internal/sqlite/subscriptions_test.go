package sqlite_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/calendar"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/subscription"
)

var _ subscription.Store = (*sqlite.SubscriptionService)(nil)

// feedICS is a feed of a weekly coffee morning and, with extra, a
// one-off party.
func feedICS(extra bool) string {
	s := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//NL\r\n" +
		"BEGIN:VEVENT\r\nUID:koffie@feed\r\nSUMMARY:Koffieochtend\r\nLOCATION:Zaal 1\r\n" +
		"DTSTART;TZID=Europe/Amsterdam:20260303T100000\r\nDTEND;TZID=Europe/Amsterdam:20260303T113000\r\n" +
		"RRULE:FREQ=WEEKLY;BYDAY=TU\r\nEND:VEVENT\r\n"
	if extra {
		s += "BEGIN:VEVENT\r\nUID:feest@feed\r\nSUMMARY:Buurtfeest\r\n" +
			"DTSTART;TZID=Europe/Amsterdam:20260320T160000\r\nDTEND;TZID=Europe/Amsterdam:20260320T200000\r\nEND:VEVENT\r\n"
	}
	return s + "END:VCALENDAR\r\n"
}

// owned parses a feed as the subscription id's.
func owned(t *testing.T, id int64, text string) calendar.Import {
	t.Helper()
	imp := parseICS(t, text)
	imp.Own(subscription.Owner(id))
	return imp
}

func TestSubscriptionsAddListRemove(t *testing.T) {
	db, path := open(t)
	ctx := context.Background()
	subs := sqlite.NewSubscriptionService(db)

	a, err := subs.AddSubscription(ctx, " webcal://Agenda.Example.org/huis.ics?token=geheim ", time.Hour, "Sanne")
	if err != nil {
		t.Fatal(err)
	}
	if a.URL != "https://agenda.example.org/huis.ics?token=geheim" || a.Interval != time.Hour || a.AddedBy != "Sanne" || a.AddedAt.IsZero() {
		t.Errorf("added %+v", a)
	}
	refused := []struct {
		url      string
		interval time.Duration
		reason   string
	}{
		{"ftp://example.org/a.ics", time.Hour, "url_scheme"},
		{"agenda.example.org/a.ics", time.Hour, "url_scheme"},
		{"https:///a.ics", time.Hour, "url_host"},
		{"", time.Hour, "url_required"},
		{"https://example.org/b.ics", 5 * time.Minute, "interval_out_of_range"},
		{"https://example.org/b.ics", 25 * time.Hour, "interval_out_of_range"},
		{"https://agenda.example.org/huis.ics?token=geheim", 2 * time.Hour, "url_twice"},
	}
	for _, tt := range refused {
		_, err := subs.AddSubscription(ctx, tt.url, tt.interval, "Sanne")
		var inv *subscription.InvalidError
		if !errors.As(err, &inv) || inv.Reason != tt.reason {
			t.Errorf("add %q every %v: err = %v, want reason %s", tt.url, tt.interval, err, tt.reason)
		}
	}
	b, err := subs.AddSubscription(ctx, "http://example.org/b.ics", 15*time.Minute, "Sanne")
	if err != nil {
		t.Fatal(err)
	}
	list, err := subs.Subscriptions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID || !list[0].LastTry.IsZero() || list[0].Failed() {
		t.Fatalf("list = %+v, want a and b, never tried", list)
	}

	// Each has its activities; removing a takes only a's.
	if _, err := subs.Refreshed(ctx, a.ID, owned(t, a.ID, feedICS(true))); err != nil {
		t.Fatal(err)
	}
	if _, err := subs.Refreshed(ctx, b.ID, owned(t, b.ID, feedICS(false))); err != nil {
		t.Fatal(err)
	}
	n, err := subs.RemoveSubscription(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("removing a removed %d activities, want 2", n)
	}
	if got := countSource(t, path, subscription.Owner(a.ID)); got != 0 {
		t.Errorf("%d activities of a left", got)
	}
	if got := countSource(t, path, subscription.Owner(b.ID)); got != 1 {
		t.Errorf("%d activities of b, want 1", got)
	}
	if _, err := subs.RemoveSubscription(ctx, a.ID); !errors.Is(err, sqlite.ErrNotFound) {
		t.Errorf("removing a twice: err = %v, want ErrNotFound", err)
	}
	if _, err := subs.Refreshed(ctx, a.ID, owned(t, a.ID, feedICS(true))); !errors.Is(err, sqlite.ErrNotFound) {
		t.Errorf("refreshing a removed one: err = %v, want ErrNotFound", err)
	}
	if got := countSource(t, path, subscription.Owner(a.ID)); got != 0 {
		t.Errorf("a refresh after removal brought back %d activities", got)
	}
}

func TestSubscriptionRefreshFollowsTheFeed(t *testing.T) {
	db, s, path := withDemo(t)
	ctx := context.Background()
	subs := sqlite.NewSubscriptionService(db)
	sub, err := subs.AddSubscription(ctx, "https://example.org/huis.ics", time.Hour, "Sanne")
	if err != nil {
		t.Fatal(err)
	}
	// The same calendar uploaded once: a subscription never touches it.
	if _, err := s.ApplyImport(ctx, parseICS(t, feedICS(true)), false); err != nil {
		t.Fatal(err)
	}
	uploaded := countSource(t, path, "ics:")

	rep, err := subs.Refreshed(ctx, sub.ID, owned(t, sub.ID, feedICS(true)))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 2 || rep.Removed != 0 {
		t.Errorf("first refresh: %+v, want 2 added", rep)
	}
	findTitle(t, s, programme.NewDate(2026, time.March, 3), "Koffieochtend")

	// The party is dropped from the feed: it goes.
	rep, err = subs.Refreshed(ctx, sub.ID, owned(t, sub.ID, feedICS(false)))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Removed != 1 || rep.Unchanged != 1 || rep.Added != 0 {
		t.Errorf("refresh without the party: %+v, want 1 removed, 1 unchanged", rep)
	}
	if got := countSource(t, path, subscription.Owner(sub.ID)); got != 1 {
		t.Errorf("%d activities of the subscription, want 1", got)
	}
	if got := countSource(t, path, "ics:"); got != uploaded {
		t.Errorf("the uploaded import's activities: %d, want %d as they were", got, uploaded)
	}
	got, err := subs.Subscription(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.LastOK.IsZero() || !got.LastOK.Equal(got.LastTry) || got.Failed() || got.Report.Removed != 1 {
		t.Errorf("recorded %+v, want a good refresh with 1 removed", got)
	}

	// A failure keeps the programme and the last good time, and says why.
	before := snapshot(t, db, path)
	if err := subs.Failed(ctx, sub.ID, subscription.Failure{Reason: "status", Detail: "the server answered 404 Not Found"}); err != nil {
		t.Fatal(err)
	}
	after, err := subs.Subscription(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !after.Failed() || after.Failure.Reason != "status" || !after.LastOK.Equal(got.LastOK) || after.Report.Removed != 1 {
		t.Errorf("after a failure: %+v", after)
	}
	if snapshot(t, db, path) != before {
		t.Error("a failed refresh changed the programme")
	}
}

// An import that is not wholly the subscription's is refused whole.
func TestSubscriptionRefreshRefusesOthers(t *testing.T) {
	db, path := open(t)
	ctx := context.Background()
	subs := sqlite.NewSubscriptionService(db)
	sub, err := subs.AddSubscription(ctx, "https://example.org/huis.ics", time.Hour, "Sanne")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := subs.Refreshed(ctx, sub.ID, parseICS(t, feedICS(true))); err == nil || !strings.Contains(err.Error(), "owned") {
		t.Errorf("an unowned import: err = %v, want refused", err)
	}
	imp := owned(t, sub.ID, feedICS(true))
	imp.Sources[1].Key = "ics:feest@feed"
	if _, err := subs.Refreshed(ctx, sub.ID, imp); err == nil {
		t.Error("an import with a source of another owner was applied")
	}
	if got := countSource(t, path, ""); got != 0 {
		t.Errorf("%d activities stored, want 0", got)
	}
}
