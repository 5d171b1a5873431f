package subscription_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"buurtbalie/internal/clock"
	"buurtbalie/internal/feed"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/subscription"
)

// fixture reads a calendar fixture of package calendar.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "calendar", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// calendarServer serves one feed whose answer a test switches.
type calendarServer struct {
	*httptest.Server
	mu    sync.Mutex
	mode  string
	body  []byte
	hits  atomic.Int32
	block chan struct{} // closed at the end, lets a "slow" answer go
}

func newCalendarServer(t *testing.T) *calendarServer {
	t.Helper()
	s := &calendarServer{mode: "ok", block: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		if r.URL.Path == "/moved.ics" {
			http.Redirect(w, r, "/huis.ics?token=geheim", http.StatusFound)
			return
		}
		s.mu.Lock()
		mode, body := s.mode, s.body
		s.mu.Unlock()
		switch mode {
		case "ok":
			w.Header().Set("Content-Type", "text/calendar")
			w.Write(body)
		case "404":
			http.NotFound(w, r)
		case "500":
			http.Error(w, "kapot", http.StatusInternalServerError)
		case "slow":
			w.Header().Set("Content-Type", "text/calendar")
			w.Write(body[:10])
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-s.block:
			}
		case "big":
			w.Header().Set("Content-Type", "text/calendar")
			w.(http.Flusher).Flush() // no Content-Length: only reading tells
			for range 100 {
				w.Write(bytes.Repeat([]byte("X"), 1024))
			}
		case "big-announced":
			w.Header().Set("Content-Length", "2000000")
			w.Write([]byte("BEGIN:VCALENDAR"))
		}
	}))
	t.Cleanup(func() { close(s.block); s.Close() })
	return s
}

func (s *calendarServer) serve(mode string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode, s.body = mode, body
}

// allowLoopback is the feed's own policy, but for loopback, where the
// tests' calendar servers are; the kiosk's own policy refuses it.
func allowLoopback(a netip.AddrPort) error {
	if a.Addr().Unmap().IsLoopback() {
		return nil
	}
	return feed.CheckAddress(a)
}

type fixedClock = clock.Settable

type env struct {
	db     *sqlite.DB
	progs  *sqlite.ProgrammeService
	subs   *sqlite.SubscriptionService
	clock  *fixedClock
	client *feed.Client
	r      *subscription.Refresher
	logs   *bytes.Buffer
	server *calendarServer
}

// newEnv is a store with the demo programme on Sunday 1 March 2026, a
// refresher and a calendar server.
func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := clock.NewSettable(time.Date(2026, time.March, 1, 11, 0, 0, 0, time.UTC))
	db.Now = c.Now
	progs := sqlite.NewProgrammeService(db)
	if _, err := progs.SeedDemo(ctx, programme.NewDate(2026, time.March, 2)); err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, progs: progs, subs: sqlite.NewSubscriptionService(db), clock: c,
		client: feed.NewClient(), logs: &bytes.Buffer{}, server: newCalendarServer(t)}
	e.client.MaxSize = 64 << 10
	e.client.Allow = allowLoopback // where the calendar server is
	e.r = &subscription.Refresher{Store: e.subs, Fetch: e.client.Fetch, Now: c.Now,
		Log: slog.New(slog.NewTextHandler(e.logs, nil))}
	return e
}

// programmeNow is every activity, written out.
func (e *env) programmeNow(t *testing.T) string {
	t.Helper()
	acts, err := e.progs.Activities(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%+v", acts)
}

func (e *env) subscription(t *testing.T, id int64) subscription.Subscription {
	t.Helper()
	s, err := e.subs.Subscription(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRefreshKeepsLastGoodProgramme(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// A user name, a password and a token that no log may show.
	url := strings.Replace(e.server.URL, "http://", "http://huis:wachtwoord@", 1) + "/huis.ics?token=geheim"
	sub, err := e.subs.AddSubscription(ctx, url, time.Hour, "Sanne")
	if err != nil {
		t.Fatal(err)
	}
	e.server.serve("ok", fixture(t, "weekly-interval.ics"))
	rep, err := e.r.Refresh(ctx, sub.ID)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if rep.Added == 0 {
		t.Fatalf("report %+v, want activities added", rep)
	}
	good := e.programmeNow(t)
	okAt := e.subscription(t, sub.ID).LastOK
	if !okAt.Equal(e.clock.Now()) {
		t.Errorf("LastOK = %v, want %v", okAt, e.clock.Now())
	}

	e.client.Timeout = 50 * time.Millisecond // the slow server never finishes
	tests := []struct {
		mode   string
		body   []byte
		reason string
	}{
		{"404", nil, subscription.ReasonStatus},
		{"500", nil, subscription.ReasonStatus},
		{"slow", fixture(t, "weekly-interval.ics"), subscription.ReasonTimeout},
		{"big", nil, subscription.ReasonTooBig},
		{"big-announced", nil, subscription.ReasonTooBig},
		{"ok", fixture(t, "garbage.ics"), "import.malformed"},
		{"ok", []byte("Dit is geen agenda."), "import.unknown_format"},
		{"ok", []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//leeg//NL\r\nEND:VCALENDAR\r\n"), subscription.ReasonEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.mode+" "+tt.reason, func(t *testing.T) {
			e.clock.Add(time.Hour)
			e.server.serve(tt.mode, tt.body)
			_, err := e.r.Refresh(ctx, sub.ID)
			var f *subscription.Failure
			if !errors.As(err, &f) || f.Reason != tt.reason {
				t.Fatalf("refresh: err = %v, want a failure %s", err, tt.reason)
			}
			if got := e.programmeNow(t); got != good {
				t.Errorf("the programme changed:\n got %s\nwant %s", got, good)
			}
			s := e.subscription(t, sub.ID)
			if !s.Failed() || s.Failure.Reason != tt.reason || !s.LastTry.Equal(e.clock.Now()) || !s.LastOK.Equal(okAt) {
				t.Errorf("recorded %+v, want failure %s now, last good %v", s, tt.reason, okAt)
			}
			if s.Report.Added != rep.Added {
				t.Errorf("the last good report went: %+v", s.Report)
			}
		})
	}
	e.client.Timeout = feed.DefaultTimeout
	for _, secret := range []string{"geheim", "wachtwoord"} {
		if strings.Contains(e.logs.String(), secret) {
			t.Errorf("the log shows %q:\n%s", secret, e.logs)
		}
		if s := e.subscription(t, sub.ID); strings.Contains(s.Failure.Detail, secret) {
			t.Errorf("the recorded failure shows %q: %s", secret, s.Failure.Detail)
		}
	}

	// Good again: the failure is gone.
	e.server.serve("ok", fixture(t, "weekly-interval.ics"))
	if _, err := e.r.Refresh(ctx, sub.ID); err != nil {
		t.Fatal(err)
	}
	if s := e.subscription(t, sub.ID); s.Failed() || !s.LastOK.Equal(e.clock.Now()) {
		t.Errorf("after a good refresh: %+v", s)
	}
}

func TestRefreshFollowsRedirect(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sub, err := e.subs.AddSubscription(ctx, e.server.URL+"/moved.ics", time.Hour, "Sanne")
	if err != nil {
		t.Fatal(err)
	}
	e.server.serve("ok", fixture(t, "monthly.ics"))
	if rep, err := e.r.Refresh(ctx, sub.ID); err != nil || rep.Added == 0 {
		t.Errorf("refresh = %+v, %v; want activities added", rep, err)
	}
}

// A server that cannot be reached, because the kiosk does not fetch from
// its address or because nothing answers there, is one failure with one
// detail, so that staff cannot learn from it whether a port is open; the
// log has the cause.
func TestRefreshUnreachable(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.server.serve("ok", fixture(t, "monthly.ics"))
	gone := httptest.NewServer(http.NotFoundHandler())
	closed := gone.URL + "/huis.ics"
	gone.Close()
	before := e.programmeNow(t)
	strict := feed.NewClient()
	tests := []struct {
		name   string
		client *feed.Client
		url    string
		cause  string
	}{
		{"calendar on loopback", strict, e.server.URL + "/huis.ics?token=geheim", "loopback"},
		{"closed port on loopback", strict, closed, "loopback"},
		{"closed port, loopback allowed", e.client, closed, "connection refused"},
	}
	var recorded []subscription.Failure
	for _, tt := range tests {
		e.logs.Reset()
		e.r.Fetch = tt.client.Fetch
		sub, err := e.subs.AddSubscription(ctx, tt.url, time.Hour, "Sanne")
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.r.Refresh(ctx, sub.ID)
		var f *subscription.Failure
		if !errors.As(err, &f) || f.Reason != subscription.ReasonUnreachable || f.Detail != subscription.UnreachableDetail {
			t.Errorf("%s: err = %#v, want it unreachable", tt.name, err)
		}
		s := e.subscription(t, sub.ID)
		if s.Failure == nil {
			t.Fatalf("%s: no failure recorded", tt.name)
		}
		recorded = append(recorded, *s.Failure)
		if !strings.Contains(e.logs.String(), tt.cause) || strings.Contains(e.logs.String(), "geheim") {
			t.Errorf("%s: the log does not say %q, or shows the query:\n%s", tt.name, tt.cause, e.logs)
		}
		if e.programmeNow(t) != before {
			t.Errorf("%s: the programme changed", tt.name)
		}
		if _, err := e.subs.RemoveSubscription(ctx, sub.ID); err != nil { // the next has the same address
			t.Fatal(err)
		}
	}
	want := subscription.Failure{Reason: subscription.ReasonUnreachable, Detail: subscription.UnreachableDetail}
	for i, f := range recorded {
		if f != want {
			t.Errorf("%s: recorded %#v, want %#v", tests[i].name, f, want)
		}
	}
	if n := e.server.hits.Load(); n != 0 {
		t.Errorf("the calendar on loopback was asked %d times", n)
	}
}

func TestRefreshDue(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.server.serve("ok", fixture(t, "monthly.ics"))
	if _, err := e.subs.AddSubscription(ctx, e.server.URL+"/huis.ics", 15*time.Minute, "Sanne"); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		after time.Duration
		hits  int32
	}{
		{0, 1},                // never tried
		{10 * time.Minute, 1}, // not yet due
		{5 * time.Minute, 2},  // 15 minutes on
		{time.Minute, 2},
	}
	for _, s := range steps {
		e.clock.Add(s.after)
		e.r.RefreshDue(ctx)
		if got := e.server.hits.Load(); got != s.hits {
			t.Errorf("after %v more: %d fetches, want %d", s.after, got, s.hits)
		}
	}
}

func TestRunEndsWithContext(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		e.r.Run(ctx)
		close(done)
	}()
	cancel()
	<-done
}

func TestCheckURL(t *testing.T) {
	tests := []struct{ in, want, reason string }{
		{"https://example.org/a.ics", "https://example.org/a.ics", ""},
		{"  HTTP://Example.ORG/a.ics#top ", "http://example.org/a.ics", ""},
		{"webcal://example.org/a.ics", "https://example.org/a.ics", ""},
		{"file:///etc/passwd", "", "url_scheme"},
		{"javascript:alert(1)", "", "url_scheme"},
		{"example.org/a.ics", "", "url_scheme"},
		{"https://", "", "url_host"},
		{"https://exa mple.org/", "", "url_format"},
		{"", "", "url_required"},
	}
	for _, tt := range tests {
		got, err := subscription.CheckURL(tt.in)
		var inv *subscription.InvalidError
		switch {
		case tt.reason == "" && (err != nil || got != tt.want):
			t.Errorf("CheckURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		case tt.reason != "" && (!errors.As(err, &inv) || inv.Reason != tt.reason):
			t.Errorf("CheckURL(%q): err = %v, want reason %s", tt.in, err, tt.reason)
		}
	}
	if got, want := subscription.Redact("https://u:p@example.org/cal/a.ics?token=x"), "https://example.org/cal/a.ics?…"; got != want {
		t.Errorf("Redact = %q, want %q", got, want)
	}
}
