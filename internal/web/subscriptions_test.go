package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"buurtbalie/assets"
	"buurtbalie/internal/calendar"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/feed"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/subscription"
	"buurtbalie/internal/web"
)

var _ web.Subscriptions = (*sqlite.SubscriptionService)(nil)

// feedServer serves importICS, or an error status a test sets.
type feedServer struct {
	*httptest.Server
	mu     sync.Mutex
	status int
	hits   int
}

func (f *feedServer) answer(status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status = status
}

// allowLoopback is the feed's own policy, but for loopback, where the
// tests' calendar server is; the kiosk's own policy refuses it.
func allowLoopback(a netip.AddrPort) error {
	if a.Addr().Unmap().IsLoopback() {
		return nil
	}
	return feed.CheckAddress(a)
}

// newSubscriptionEnv is newProgrammeEnv with the subscription pages, a
// real refresher and a calendar server, on loopback, which the refresher
// is allowed to fetch from.
func newSubscriptionEnv(t *testing.T) (*env, *sqlite.ProgrammeService, *feedServer) {
	e, ps, fs, _ := newSubscriptionEnvAllowing(t, allowLoopback)
	return e, ps, fs
}

// newSubscriptionEnvAllowing is newSubscriptionEnv with the refresher's
// policy of which addresses to fetch from (nil: the kiosk's), and its log.
func newSubscriptionEnvAllowing(t *testing.T, allow func(netip.AddrPort) error) (*env, *sqlite.ProgrammeService, *feedServer, *syncBuffer) {
	t.Helper()
	e, ps := newProgrammeEnv(t)
	fs := &feedServer{status: http.StatusOK}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		status := fs.status
		fs.hits++
		fs.mu.Unlock()
		if status != http.StatusOK {
			http.Error(w, "nee", status)
			return
		}
		w.Header().Set("Content-Type", "text/calendar")
		w.Write([]byte(importICS))
	}))
	t.Cleanup(fs.Close)
	subs := sqlite.NewSubscriptionService(e.db)
	client := feed.NewClient()
	client.Allow = allow
	logs := &syncBuffer{}
	r := &subscription.Refresher{Store: subs, Fetch: client.Fetch, Now: e.clock.Now, Log: slog.New(slog.NewTextHandler(logs, nil))}
	e.srv.Close()
	e.handler = web.New(web.Config{Now: e.clock.Now, Programme: ps, Subscriptions: subs, RefreshSubscription: r.Refresh},
		e.qs, e.as, e.throttle, e.cat, nil).Handler()
	e.srv = httptest.NewServer(e.handler)
	t.Cleanup(e.srv.Close)
	return e, ps, fs, logs
}

func TestSubscriptionsStaffOnly(t *testing.T) {
	e, _, fs := newSubscriptionEnv(t)
	v := e.volunteer()
	wantStatus(t, "GET as volunteer", v.get("/programme/subscriptions"), http.StatusForbidden)
	wantStatus(t, "POST as volunteer", v.post("/programme/subscriptions", url.Values{"url": {fs.URL}, "interval": {"60"}}), http.StatusForbidden)

	s := e.staff()
	s.get("/programme/subscriptions")
	for _, csrf := range []string{"", "wrong", s.csrf + "x"} {
		form := url.Values{"url": {fs.URL + "/huis.ics"}, "interval": {"60"}}
		if csrf != "" {
			form.Set("csrf", csrf)
		}
		wantStatus(t, "POST with csrf "+csrf, s.do("POST", "/programme/subscriptions", form), http.StatusForbidden)
	}
	if !strings.Contains(s.get("/programme/subscriptions").body, "Het programma volgt nog geen agenda.") {
		t.Error("a refused post added a subscription")
	}
}

func TestSubscriptionsAddRefreshRemove(t *testing.T) {
	e, ps, fs := newSubscriptionEnv(t)
	ctx := context.Background()
	c := e.staff()
	wantStatus(t, "GET", c.get("/programme/subscriptions"), http.StatusOK)

	bad := c.post("/programme/subscriptions", url.Values{"url": {"ftp://agenda.example.org/huis.ics"}, "interval": {"60"}})
	wantStatus(t, "bad URL", bad, http.StatusUnprocessableEntity)
	if !strings.Contains(bad.body, "Het adres moet beginnen met https://") {
		t.Errorf("no Dutch message for a bad address:\n%s", bad.body)
	}
	if !strings.Contains(bad.body, `value="ftp://agenda.example.org/huis.ics"`) {
		t.Error("the typed address is lost")
	}

	r := c.post("/programme/subscriptions", url.Values{"url": {fs.URL + "/huis.ics"}, "interval": {"30"}})
	wantStatus(t, "add", r, http.StatusSeeOther)
	page := c.get(r.location())
	// 09:30 UTC is 10:30 in Amsterdam.
	for _, want := range []string{"De agenda wordt gevolgd.", "Laatst bijgewerkt om 10:30", "elke 30 minuten", "Nu bijwerken"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("page lacks %q:\n%s", want, page.body)
		}
	}
	acts, _ := ps.Activities(ctx)
	if len(acts) != 1 || acts[0].Title != "Koffieochtend" || !strings.HasPrefix(acts[0].Source, "sub:") {
		t.Fatalf("after adding: %+v, want Koffieochtend of the subscription", acts)
	}
	if week := c.get("/programme"); !strings.Contains(week.body, "Laatst bijgewerkt om 10:30") {
		t.Errorf("the week lacks the feed's status:\n%s", week.body)
	}
	dup := c.post("/programme/subscriptions", url.Values{"url": {fs.URL + "/huis.ics"}, "interval": {"60"}})
	if wantStatus(t, "twice", dup, http.StatusUnprocessableEntity); !strings.Contains(dup.body, "Deze agenda wordt al gevolgd.") {
		t.Errorf("no message for an address followed already:\n%s", dup.body)
	}

	// The server fails an hour later: the programme stays, staff read why.
	e.clock.Add(time.Hour)
	fs.answer(http.StatusNotFound)
	subs, _ := sqlite.NewSubscriptionService(e.db).Subscriptions(ctx)
	id := itoa(subs[0].ID)
	r = c.post("/programme/subscriptions/"+id+"/refresh", nil)
	wantStatus(t, "refresh", r, http.StatusSeeOther)
	page = c.get(r.location())
	for _, want := range []string{"Laatst bijgewerkt om 10:30", "Bijwerken lukte niet (vandaag, 11:30)", "Klopt het adres nog?", "Het programma blijft zoals het was."} {
		if !strings.Contains(page.body, want) {
			t.Errorf("page lacks %q:\n%s", want, page.body)
		}
	}
	if week := c.get("/programme"); !strings.Contains(week.body, "Bijwerken lukte niet") {
		t.Error("the week does not say the feed failed")
	}
	if acts, _ := ps.Activities(ctx); len(acts) != 1 {
		t.Errorf("after a failed refresh %d activities, want the 1 of before", len(acts))
	}

	wantStatus(t, "remove unknown", c.post("/programme/subscriptions/999/delete", nil), http.StatusNotFound)
	r = c.post("/programme/subscriptions/"+id+"/delete", nil)
	wantStatus(t, "remove", r, http.StatusSeeOther)
	if acts, _ := ps.Activities(ctx); len(acts) != 0 {
		t.Errorf("after removing %d activities, want 0", len(acts))
	}
	log, _ := e.as.AuditLog(ctx, 10)
	if len(log) < 2 || log[0].Action != "subscription_removed" || log[1].Action != "subscription_added" {
		t.Errorf("audit log = %+v", log)
	}
	if strings.Contains(log[1].Detail, "?") && strings.Contains(log[1].Detail, "token") {
		t.Errorf("the audit log shows the query: %s", log[1].Detail)
	}
}

// A calendar on the kiosk itself is not fetched, and staff read the same
// plain reason, in their language, as for a port where nothing listens:
// subscribing tells them nothing about which ports are open.
func TestSubscriptionUnreachableSaysOneThing(t *testing.T) {
	e, ps, fs, logs := newSubscriptionEnvAllowing(t, nil) // the kiosk's own policy
	gone := httptest.NewServer(http.NotFoundHandler())
	closed := gone.URL + "/huis.ics"
	gone.Close()
	c := e.staff()
	c.get("/programme/subscriptions")
	for _, u := range []string{fs.URL + "/huis.ics?token=geheim", closed} {
		wantStatus(t, "add "+u, c.post("/programme/subscriptions", url.Values{"url": {u}, "interval": {"60"}}), http.StatusSeeOther)
	}
	fs.mu.Lock()
	hits := fs.hits
	fs.mu.Unlock()
	if hits != 0 {
		t.Errorf("the calendar on loopback was asked %d times", hits)
	}
	if acts, _ := ps.Activities(context.Background()); len(acts) != 0 {
		t.Errorf("%d activities from a calendar the kiosk may not fetch", len(acts))
	}
	failures := regexp.MustCompile(`<p class="error">([^<]*)</p>\s*<details><summary>[^<]*</summary><p class="meta">([^<]*)</p>`)
	for _, tt := range []struct{ lang, why string }{
		{"nl", "Deze agenda is niet te bereiken. Controleer het adres, of vraag het de beheerder van de agenda."},
		{"en", "This calendar cannot be reached. Check the address, or ask whoever manages the calendar."},
	} {
		page := c.get("/programme/subscriptions?lang=" + tt.lang).body
		got := failures.FindAllStringSubmatch(page, -1)
		if len(got) != 2 {
			t.Fatalf("%s: %d failures on the page, want 2:\n%s", tt.lang, len(got), page)
		}
		if got[0][1] != got[1][1] || got[0][2] != got[1][2] {
			t.Errorf("%s: the calendar on loopback and the closed port read differently:\n%q\n%q", tt.lang, got[0][1:], got[1][1:])
		}
		if !strings.Contains(got[0][1], tt.why) {
			t.Errorf("%s: %q does not say %q", tt.lang, got[0][1], tt.why)
		}
		for _, tell := range []string{"refused", "loopback", "dial", "127.0.0.1:", "geheim"} {
			if strings.Contains(got[0][1]+got[0][2], tell) || strings.Contains(got[1][1]+got[1][2], tell) {
				t.Errorf("%s: the page tells %q: %q", tt.lang, tell, got)
			}
		}
	}
	// The administrator's log has the cause, not the token.
	if l := logs.String(); !strings.Contains(l, "loopback") || strings.Contains(l, "geheim") {
		t.Errorf("the log lacks the cause or shows the query:\n%s", l)
	}
}

// A failure recorded before there was one reason for every unreachable
// server, with its cause, is shown as that reason, without the cause.
func TestSubscriptionOldNetworkFailurePlain(t *testing.T) {
	e, _, fs := newSubscriptionEnv(t)
	ctx := context.Background()
	subs := sqlite.NewSubscriptionService(e.db)
	sub, err := subs.AddSubscription(ctx, fs.URL+"/huis.ics", time.Hour, "Sanne")
	if err != nil {
		t.Fatal(err)
	}
	old := subscription.Failure{Reason: subscription.ReasonNetwork, Detail: "fetch " + fs.URL + "/huis.ics: connection refused"}
	if err := subs.Failed(ctx, sub.ID, old); err != nil {
		t.Fatal(err)
	}
	c := e.staff()
	page := c.get("/programme/subscriptions").body
	if !strings.Contains(page, "Deze agenda is niet te bereiken.") || strings.Contains(page, "connection refused") {
		t.Errorf("an old network failure is not shown plainly:\n%s", page)
	}
}

// A file the import refuses is explained in Dutch, with its line.
func TestImportRefusedInDutch(t *testing.T) {
	e, _ := newProgrammeEnv(t)
	c := e.staff()
	c.get("/programme/import")
	bad := c.upload("/programme/import", nil, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Kapot\r\n")
	wantStatus(t, "malformed", bad, http.StatusUnprocessableEntity)
	if !strings.Contains(bad.body, "De agenda is beschadigd of onvolledig.") || !strings.Contains(bad.body, "regel ") {
		t.Errorf("the refusal is not in Dutch with its line:\n%s", bad.body)
	}
	if strings.Contains(bad.body, "malformed") {
		t.Errorf("the refusal shows English:\n%s", bad.body)
	}
}

// A file that would flood the programme is refused with how many it
// would add, written as Dutch writes numbers.
func TestImportTooManyNamesTheCount(t *testing.T) {
	e, _ := newProgrammeEnv(t)
	c := e.staff()
	c.get("/programme/import")
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n")
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:e%d\r\nSUMMARY:Om de dag %d\r\nDTSTART:20260105T%02d%02d00Z\r\nDURATION:PT30M\r\nRRULE:FREQ=DAILY;INTERVAL=2\r\nEND:VEVENT\r\n", i, i, 8+i%10, i%60)
	}
	b.WriteString("END:VCALENDAR\r\n")
	bad := c.upload("/programme/import", nil, b.String())
	wantStatus(t, "too many", bad, http.StatusUnprocessableEntity)
	if !strings.Contains(bad.body, "Dit bestand zou minstens ") || !strings.Contains(bad.body, "activiteiten toevoegen") ||
		!strings.Contains(bad.body, "hooguit 5.000") || !regexp.MustCompile(`minstens \d{1,3}(\.\d{3})+ activiteiten`).MatchString(bad.body) {
		t.Errorf("the refusal does not say how many in Dutch:\n%s", bad.body)
	}
}

// Every reason an import or a feed may give has a text in the catalogue.
func TestReasonsTranslated(t *testing.T) {
	cat, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range cat.Languages() {
		l := cat.For(lang)
		for _, r := range calendar.Reasons {
			if _, ok := l.Lookup("import." + r); !ok {
				t.Errorf("%s: no import.%s", lang, r)
			}
		}
		for _, r := range subscription.FetchReasons {
			if _, ok := l.Lookup("web.subscriptions.error." + r); !ok {
				t.Errorf("%s: no web.subscriptions.error.%s", lang, r)
			}
		}
	}
}
