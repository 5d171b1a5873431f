package districtweb_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/account"
	fake "buurtbalie/internal/clock"
	"buurtbalie/internal/district"
	"buurtbalie/internal/districtweb"
	"buurtbalie/internal/figures"
	"buurtbalie/internal/outbox"
	"buurtbalie/internal/postgres"
	"buurtbalie/internal/postgres/pgtest"
	"buurtbalie/internal/programme"
)

// site is the district server as it serves its listener, the kiosks'
// API and the staff's pages, on a fresh database of a real PostgreSQL.
type site struct {
	db    *postgres.DB
	srv   *httptest.Server
	clock *clock
	log   *bytes.Buffer
}

// staffPassword is every test account's password.
const staffPassword = "wijk-wachtwoord-2026"

func newSite(t *testing.T) *site {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.Shared(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	s := &site{db: db, clock: fake.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), log: &bytes.Buffer{}}
	log := slog.New(slog.NewTextHandler(s.log, nil))
	api := &districtweb.API{Store: db, District: "Amsterdam West", Log: log, Now: s.clock.Now}
	h, err := districtweb.NewSite(districtweb.SiteConfig{DB: db, API: api, Log: log, Now: s.clock.Now,
		Throttle: &account.Throttle{Now: s.clock.Now}})
	if err != nil {
		t.Fatal(err)
	}
	s.srv = httptest.NewServer(h)
	t.Cleanup(s.srv.Close)
	return s
}

// user adds an account.
func (s *site) user(t *testing.T, name string, role account.Role) {
	t.Helper()
	if _, err := s.db.Accounts().CreateUser(context.Background(), name, role, staffPassword); err != nil {
		t.Fatal(err)
	}
}

// browser is one person's browser: its cookies, and the CSRF token of
// the last page it was shown.
type browser struct {
	s    *site
	c    *http.Client
	csrf string
}

// page is an answer as the browser got it, redirects not followed.
type page struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (s *site) browser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{s: s, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) do(t *testing.T, req *http.Request) page {
	t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	p := page{status: resp.StatusCode, body: string(body), location: resp.Header.Get("Location"), header: resp.Header}
	if m := csrfField.FindStringSubmatch(p.body); m != nil {
		b.csrf = m[1]
	}
	return p
}

func (b *browser) get(t *testing.T, path string) page {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.s.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b.do(t, req)
}

// post posts form to path with the CSRF token of the last page, unless
// form has one.
func (b *browser) post(t *testing.T, path string, form url.Values) page {
	t.Helper()
	if !form.Has("csrf") {
		form.Set("csrf", b.csrf)
	}
	req, err := http.NewRequest(http.MethodPost, b.s.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(t, req)
}

// logIn logs name in with password and returns the answer to the login.
func (b *browser) logIn(t *testing.T, name, password string) page {
	t.Helper()
	b.get(t, "/login")
	return b.post(t, "/login", url.Values{"name": {name}, "password": {password}, "next": {""}})
}

// staff returns a browser logged in as a member of staff.
func (s *site) staff(t *testing.T) *browser {
	t.Helper()
	s.user(t, "Fatima", account.Staff)
	b := s.browser(t)
	if p := b.logIn(t, "Fatima", staffPassword); p.status != http.StatusSeeOther || p.location != "/houses" {
		t.Fatalf("log in: got %d to %q, want 303 to /houses", p.status, p.location)
	}
	b.get(t, "/houses") // for the session's CSRF token
	return b
}

// audited checks that the audit log has each action so often, done by
// the staff member Fatima.
func (s *site) audited(t *testing.T, want map[string]int) {
	t.Helper()
	log, err := s.db.Accounts().AuditLog(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	did := map[string]int{}
	for _, e := range log {
		if e.Actor == "Fatima" {
			did[e.Action]++
		}
	}
	for action, n := range want {
		if did[action] != n {
			t.Errorf("audit log: %d × %s by Fatima, want %d", did[action], action, n)
		}
	}
}

func wantStatus(t *testing.T, what string, p page, status int) {
	t.Helper()
	if p.status != status {
		t.Fatalf("%s: got %d, want %d\n%s", what, p.status, status, p.body)
	}
}

func wantBody(t *testing.T, what string, p page, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(p.body, s) {
			t.Errorf("%s: the page does not say %q", what, s)
		}
	}
}

func TestLogin(t *testing.T) {
	s := newSite(t)
	s.user(t, "Fatima", account.Staff)
	b := s.browser(t)
	login := b.get(t, "/login")
	wantStatus(t, "login page", login, http.StatusOK)
	wantBody(t, "login page", login, "Voor de medewerkers van de wijk.", "buurtbalie-district user add")

	p := b.post(t, "/login", url.Values{"name": {"Fatima"}, "password": {"niet-het-wachtwoord"}})
	wantStatus(t, "wrong password", p, http.StatusUnauthorized)
	wantBody(t, "wrong password", p, "De naam of het wachtwoord klopt niet")

	// Past the free failures, the throttle holds the next attempts
	// back, the right password too, until its wait is over.
	for range account.FreeFailures - 1 {
		b.post(t, "/login", url.Values{"name": {"Fatima"}, "password": {"niet-het-wachtwoord"}})
	}
	p = b.post(t, "/login", url.Values{"name": {"Fatima"}, "password": {staffPassword}})
	wantStatus(t, "throttled", p, http.StatusTooManyRequests)
	wantBody(t, "throttled", p, "Wacht")

	s.clock.Add(account.MaxDelay)
	p = b.post(t, "/login", url.Values{"name": {"Fatima"}, "password": {staffPassword}})
	if p.status != http.StatusSeeOther || p.location != "/houses" {
		t.Fatalf("right password after the wait: got %d to %q, want 303 to /houses", p.status, p.location)
	}
	for _, path := range []string{"/", "/houses"} {
		p = b.get(t, path)
		if path == "/" {
			if p.location != "/houses" {
				t.Errorf("/: got to %q, want /houses", p.location)
			}
			continue
		}
		wantStatus(t, path, p, http.StatusOK)
		wantBody(t, path, p, "Huizen van de wijk", "Sociale kaart", "Doorverwijzingen", "Cijfers", "Fatima")
		if strings.Contains(p.body, `href="/queue"`) {
			t.Errorf("%s: the menu links to the queue, which the district has not", path)
		}
	}
	// The district has no volunteers' pages.
	for _, path := range []string{"/queue", "/code", "/s/abc", "/me"} {
		wantStatus(t, path, b.get(t, path), http.StatusNotFound)
	}
	health := b.get(t, "/healthz")
	wantStatus(t, "/healthz", health, http.StatusOK)
	wantBody(t, "/healthz", health, `"database":"ok"`)
	// English on asking.
	wantBody(t, "English", b.get(t, "/houses?lang=en"), "The district&#39;s houses", "Partner directory")
}

func TestStaffOnly(t *testing.T) {
	s := newSite(t)
	pages := []string{"/houses", "/figures", "/figures/csv?table=0", "/figures/pdf", "/partners", "/partners/new", "/referrals", "/users", "/audit"}
	out := s.browser(t)
	for _, path := range pages {
		p := out.get(t, path)
		if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login?next=") {
			t.Errorf("%s logged out: got %d to %q, want 303 to the login", path, p.status, p.location)
		}
	}
	p := out.post(t, "/houses", url.Values{"name": {"Buurthuis De Linde"}})
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login") {
		t.Errorf("add a house logged out: got %d to %q, want 303 to the login", p.status, p.location)
	}

	s.user(t, "Karim", account.Volunteer)
	vol := s.browser(t)
	vol.logIn(t, "Karim", staffPassword)
	for _, path := range pages {
		wantStatus(t, path+" as a volunteer", vol.get(t, path), http.StatusForbidden)
	}
	wantStatus(t, "add a house as a volunteer", vol.post(t, "/houses", url.Values{"name": {"Buurthuis De Linde"}}), http.StatusForbidden)

	staff := s.staff(t)
	staff.get(t, "/houses")
	wantStatus(t, "add a house without the CSRF token", staff.post(t, "/houses", url.Values{"name": {"Buurthuis De Linde"}, "csrf": {"nep"}}), http.StatusForbidden)
	hs, err := s.db.Houses(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 0 {
		t.Errorf("refused forms added %d houses, want none", len(hs))
	}
	// Another site's form is refused whatever it carries.
	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/houses", strings.NewReader(url.Values{"name": {"X"}, "csrf": {staff.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	wantStatus(t, "another site's form", staff.do(t, req), http.StatusForbidden)
}

var (
	codePattern    = regexp.MustCompile(`<p class="code status-big" id="code">([^<]+)</p>`)
	commandPattern = regexp.MustCompile(`<code id="command">([^<]+)</code>`)
)

// enrolmentCode reads the code off the code page, and checks the command
// the page gives for the kiosk.
func (s *site) enrolmentCode(t *testing.T, p page) string {
	t.Helper()
	wantStatus(t, "code page", p, http.StatusOK)
	m := codePattern.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("the code page shows no code:\n%s", p.body)
	}
	cmd := commandPattern.FindStringSubmatch(p.body)
	if want := "buurtbalie district join " + s.srv.URL + " " + m[1]; cmd == nil || cmd[1] != want {
		t.Errorf("the command on the code page: got %v, want %q", cmd, want)
	}
	return m[1]
}

// push sends events as the kiosk of link does, and returns the
// district's answer.
func (s *site) push(t *testing.T, link district.Link, events []district.Event) (int, outbox.Problem) {
	t.Helper()
	body, err := json.Marshal(district.Batch{Events: events})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, s.srv.URL+outbox.EventsPath, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	outbox.Sign(req, link, s.clock.Now(), body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var prob outbox.Problem
	if resp.StatusCode != http.StatusOK {
		json.NewDecoder(resp.Body).Decode(&prob)
	}
	return resp.StatusCode, prob
}

// join joins a kiosk with code, as "buurtbalie district join" does.
func (s *site) join(t *testing.T, code string) district.Link {
	t.Helper()
	j, err := outbox.Join(context.Background(), http.DefaultClient, s.srv.URL, code)
	if err != nil {
		t.Fatalf("join with the page's code: %v", err)
	}
	return district.Link{URL: s.srv.URL, Kiosk: j.Kiosk, Key: j.Key, House: j.House}
}

// questions are n questions on topic on day, one event each.
func questions(day, topic string, n int) []district.Event {
	var out []district.Event
	for range n {
		out = append(out, district.Event{ID: district.NewEventID(), Kind: district.KindCount, Day: day, Measure: figures.MeasureQuestions, Key: topic, N: 1})
	}
	return out
}

func TestHouses(t *testing.T) {
	s := newSite(t)
	b := s.staff(t)
	wantBody(t, "no houses", b.get(t, "/houses"), "Er zijn nog geen huizen")

	bad := b.post(t, "/houses", url.Values{"name": {"  "}})
	wantStatus(t, "empty name", bad, http.StatusUnprocessableEntity)
	wantBody(t, "empty name", bad, "Geef het huis een naam")
	long := strings.Repeat("Buurthuis ", 13)
	bad = b.post(t, "/houses", url.Values{"name": {long}})
	wantStatus(t, "long name", bad, http.StatusUnprocessableEntity)
	wantBody(t, "long name keeps what was typed", bad, `value="`+long+`"`)

	added := b.post(t, "/houses", url.Values{"name": {"Buurthuis De Linde"}})
	wantBody(t, "added", added, "Buurthuis De Linde is toegevoegd.", "maar één keer")
	code := s.enrolmentCode(t, added)
	again := b.post(t, "/houses", url.Values{"name": {"Buurthuis De Linde"}})
	wantStatus(t, "the same name again", again, http.StatusUnprocessableEntity)
	wantBody(t, "the same name again", again, "Er is al een huis met de naam Buurthuis De Linde")

	houses := b.get(t, "/houses")
	wantBody(t, "before joining", houses, "nog geen kiosk aangemeld", "Nog nooit iets gestuurd")

	// The page's code joins a kiosk, once.
	link := s.join(t, code)
	if link.House != "Buurthuis De Linde" {
		t.Errorf("joined house %q, want Buurthuis De Linde", link.House)
	}
	if _, err := outbox.Join(context.Background(), http.DefaultClient, s.srv.URL, code); err == nil {
		t.Error("the code joined a second kiosk")
	}
	s.clock.Add(90 * time.Minute)
	if status, prob := s.push(t, link, questions("2026-03-02", "geld", 5)); status != http.StatusOK {
		t.Fatalf("push: %d %s", status, prob.Message)
	}
	s.clock.Add(3 * time.Hour)
	houses = b.get(t, "/houses")
	// Sent at 10:30 UTC, 11:30 in Amsterdam, three hours before the
	// page.
	wantBody(t, "after a report", houses, "1 kiosk", "Laatste bericht: vandaag, 11:30 (3 uur geleden)", "Doet mee")

	// A second code for a second kiosk, from the houses page.
	hs, err := s.db.Houses(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(hs[0].ID, 10)
	second := s.enrolmentCode(t, b.post(t, "/houses/"+id+"/code", url.Values{}))
	if second == code {
		t.Error("the second code is the first")
	}
	s.join(t, second)
	wantBody(t, "two kiosks", b.get(t, "/houses"), "2 kiosken")

	// Revoking asks first, and then the API refuses the house's kiosks.
	confirm := b.get(t, "/houses/"+id+"/revoke")
	wantStatus(t, "confirm", confirm, http.StatusOK)
	wantBody(t, "confirm", confirm, "Buurthuis De Linde intrekken?", "Ja, trek Buurthuis De Linde in", "kan niet ongedaan")
	if status, _ := s.push(t, link, questions("2026-03-02", "geld", 1)); status != http.StatusOK {
		t.Fatalf("the confirm page revoked the house already: %d", status)
	}
	done := b.post(t, "/houses/"+id+"/revoke", url.Values{})
	if done.status != http.StatusSeeOther {
		t.Fatalf("revoke: got %d, want 303", done.status)
	}
	revoked := b.get(t, done.location)
	wantBody(t, "revoked", revoked, "Buurthuis De Linde is ingetrokken: de kiosken van het huis worden vanaf nu geweigerd.", "Ingetrokken op vandaag")
	status, prob := s.push(t, link, questions("2026-03-02", "geld", 1))
	if status != http.StatusForbidden || prob.Code != "revoked" {
		t.Errorf("push after revoking: got %d %q, want 403 revoked", status, prob.Code)
	}
	wantStatus(t, "a code for a revoked house", b.post(t, "/houses/"+id+"/code", url.Values{}), http.StatusConflict)
	wantStatus(t, "a house that is not", b.get(t, "/houses/99999/revoke"), http.StatusNotFound)

	// Each action is in the audit log, with who did it.
	s.audited(t, map[string]int{districtweb.ActionHouseAdded: 1, districtweb.ActionHouseCode: 2, districtweb.ActionHouseRevoked: 1})
	audit := b.get(t, "/audit")
	wantBody(t, "audit page", audit, "trok een huis in", "maakte een aanmeldcode")
	if strings.Contains(s.log.String(), code) {
		t.Error("the server's log holds an enrolment code")
	}
}

func TestPartners(t *testing.T) {
	s := newSite(t)
	b := s.staff(t)
	wantBody(t, "empty", b.get(t, "/partners"), "Er staan nog geen organisaties")
	wantStatus(t, "form", b.get(t, "/partners/new"), http.StatusOK)

	// A bad entry says what is wrong and keeps what was typed.
	typed := url.Values{"id": {"0"}, "name": {"Schuldhulp West"}, "helps_with": {""}, "languages": {"nl, tr"}, "hours": {"di 10:00–12:00"}, "contact": {"020 123 4567"}}
	bad := b.post(t, "/partners", typed)
	wantStatus(t, "no helps_with", bad, http.StatusUnprocessableEntity)
	wantBody(t, "no helps_with", bad, "zeg waarmee ze helpen", `value="Schuldhulp West"`, `value="nl, tr"`, "di 10:00–12:00", "020 123 4567")
	typed.Set("helps_with", "Hulp bij schulden en post")
	typed.Set("languages", "nl, Turks")
	bad = b.post(t, "/partners", typed)
	wantStatus(t, "bad language", bad, http.StatusUnprocessableEntity)
	wantBody(t, "bad language", bad, "taal turks: geef talen als codes", "Hulp bij schulden en post", `value="nl, Turks"`)

	typed.Set("languages", "nl, TR")
	p := b.post(t, "/partners", typed)
	if p.status != http.StatusSeeOther {
		t.Fatalf("add: got %d, want 303\n%s", p.status, p.body)
	}
	list := b.get(t, p.location)
	wantBody(t, "added", list, "Schuldhulp West is opgeslagen.", "Hulp bij schulden en post", "nl, tr", "020 123 4567")
	ps, err := s.db.Partners(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Name != "Schuldhulp West" || strings.Join(ps[0].Languages, ",") != "nl,tr" {
		t.Fatalf("partners after adding: %+v", ps)
	}
	id := strconv.FormatInt(ps[0].ID, 10)

	edit := b.get(t, "/partners/"+id)
	wantBody(t, "edit form", edit, "Schuldhulp West wijzigen", `value="Schuldhulp West"`, `name="id" value="`+id+`"`)
	typed.Set("id", id)
	typed.Set("name", "Schuldhulp Amsterdam West")
	typed.Set("contact", "")
	typed.Set("hours", "")
	bad = b.post(t, "/partners", typed)
	wantStatus(t, "no way to reach them", bad, http.StatusUnprocessableEntity)
	wantBody(t, "no way to reach them", bad, "geef een spreekuur of een contact", `value="Schuldhulp Amsterdam West"`)
	typed.Set("contact", "schuldhulp.example")
	if p := b.post(t, "/partners", typed); p.status != http.StatusSeeOther {
		t.Fatalf("edit: got %d\n%s", p.status, p.body)
	}
	ps, err = s.db.Partners(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Name != "Schuldhulp Amsterdam West" || ps[0].Contact != "schuldhulp.example" {
		t.Fatalf("partners after editing: %+v", ps)
	}

	wantStatus(t, "an unknown partner", b.get(t, "/partners/99999"), http.StatusNotFound)
	if p := b.post(t, "/partners/"+id+"/delete", url.Values{}); p.status != http.StatusSeeOther {
		t.Fatalf("delete: got %d\n%s", p.status, p.body)
	}
	list = b.get(t, "/partners?deleted=1")
	wantBody(t, "deleted", list, "De organisatie is van de sociale kaart gehaald.", "Er staan nog geen organisaties")
	wantStatus(t, "delete again", b.post(t, "/partners/"+id+"/delete", url.Values{}), http.StatusNotFound)

	s.audited(t, map[string]int{districtweb.ActionPartnerAdded: 1, districtweb.ActionPartnerChanged: 1, districtweb.ActionPartnerDeleted: 1})
}

func TestReferrals(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	b := s.staff(t)
	wantBody(t, "none", b.get(t, "/referrals"), "Er zijn nog geen vragen naar een ander huis doorverwezen.")
	from, err := s.db.AddHouse(ctx, "Buurthuis De Linde", s.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.AddHouse(ctx, "Huis van de Wijk Osdorp", s.clock.Now()); err != nil {
		t.Fatal(err)
	}
	r := district.Referral{ID: district.NewEventID(), ToHouse: "Huis van de Wijk Osdorp", Topic: "geld", Language: "tr",
		Text: "Ik heb een brief van de belasting", Code: "K7M4QX", At: s.clock.Now()}
	acc, err := s.db.Refer(ctx, from.ID, []district.Referral{r}, s.clock.Now())
	if err != nil || len(acc.Accepted) != 1 {
		t.Fatalf("refer: %+v, %v", acc, err)
	}
	p := b.get(t, "/referrals")
	wantStatus(t, "referrals", p, http.StatusOK)
	wantBody(t, "referrals", p, "Buurthuis De Linde", "Huis van de Wijk Osdorp", "Turks", "vandaag, 10:00", "wacht tot het huis hem ophaalt")
	for _, secret := range []string{r.Text, r.Code, "K7M-4QX"} {
		if strings.Contains(p.body, secret) {
			t.Errorf("the referrals page shows %q", secret)
		}
	}
	wantBody(t, "in English", b.get(t, "/referrals?lang=en"), "Turkish", "From", "waiting for the house")
}

// readCSV reads a figures CSV as rows of cells, without its byte order
// mark.
func readCSV(t *testing.T, p page) [][]string {
	t.Helper()
	wantStatus(t, "csv", p, http.StatusOK)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(p.body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// totals are a CSV's rows by their first cell, as their last.
func csvTotals(rows [][]string) map[string]string {
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[r[0]] = r[len(r)-1]
	}
	return out
}

func TestFigures(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	b := s.staff(t)
	cat, err := districtweb.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	name := figures.NewNamer("en", cat.For("en"), nil, nil, func(s string) string { return s }).Topic

	// Two houses, each a kiosk, with enough questions that nothing is
	// hidden as "< 5".
	linde := s.join(t, s.enrolmentCode(t, b.post(t, "/houses", url.Values{"name": {"Buurthuis De Linde"}})))
	osdorp := s.join(t, s.enrolmentCode(t, b.post(t, "/houses", url.Values{"name": {"Huis van de Wijk Osdorp"}})))
	for _, push := range []struct {
		link   district.Link
		events []district.Event
	}{
		{linde, append(questions("2026-02-10", "geld", 7), questions("2026-03-01", "wonen", 6)...)},
		{osdorp, append(questions("2026-02-11", "geld", 5), questions("2026-02-12", "zorg", 8)...)},
	} {
		if status, prob := s.push(t, push.link, push.events); status != http.StatusOK {
			t.Fatalf("push: %d %s", status, prob.Message)
		}
	}
	hs, err := s.db.Houses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	from, to := programme.NewDate(2026, 1, 1), programme.NewDate(2026, 3, 2)
	period := "&from=" + from.String() + "&to=" + to.String() + "&per=year"

	page := b.get(t, "/figures?lang=en")
	wantStatus(t, "figures", page, http.StatusOK)
	wantBody(t, "figures", page, `<option value="all" selected>All houses of Amsterdam West</option>`, "Buurthuis De Linde", "Huis van de Wijk Osdorp",
		`href="/figures/pdf?from=`)
	for _, choice := range []struct {
		house string
		id    int64
	}{{"all", postgres.AllHouses}, {strconv.FormatInt(hs[0].ID, 10), hs[0].ID}, {strconv.FormatInt(hs[1].ID, 10), hs[1].ID}} {
		counts, err := s.db.Counts(ctx, choice.id, figures.MeasureQuestions, from, to)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{}
		total := 0
		for _, c := range counts {
			want[name(c.Key)] += c.N
			total += c.N
		}
		p := b.get(t, "/figures?house="+choice.house+period)
		wantStatus(t, "figures of "+choice.house, p, http.StatusOK)
		wantBody(t, "figures of "+choice.house, p, `selected>`, "csv?from=", "house="+choice.house)
		got := csvTotals(readCSV(t, b.get(t, "/figures/csv?table=0&headings=en&house="+choice.house+period)))
		for topic, n := range want {
			if got[topic] != strconv.Itoa(n) {
				t.Errorf("house %s, %s: the CSV says %q, PostgreSQL %d", choice.house, topic, got[topic], n)
			}
		}
		if got["total"] != strconv.Itoa(total) {
			t.Errorf("house %s: the CSV's total is %q, PostgreSQL's %d (%v)", choice.house, got["total"], total, got)
		}
		pdf := b.get(t, "/figures/pdf?house="+choice.house+period)
		if pdf.status != http.StatusOK || !strings.HasPrefix(pdf.body, "%PDF") {
			t.Errorf("PDF of house %s: %d, %.20q", choice.house, pdf.status, pdf.body)
		}
	}
	// The district is the sum of its houses: 12 on money, 6 on housing,
	// 8 on care.
	got := csvTotals(readCSV(t, b.get(t, "/figures/csv?table=0&headings=en&house=all"+period)))
	for topic, n := range map[string]string{name("geld"): "12", name("wonen"): "6", name("zorg"): "8"} {
		if got[topic] != n {
			t.Errorf("all houses, %s: got %q, want %s", topic, got[topic], n)
		}
	}
	wantStatus(t, "a house that is not", b.get(t, "/figures?house=99999"), http.StatusNotFound)
	wantStatus(t, "a bad period", b.get(t, "/figures?house=all&from=gisteren"), http.StatusUnprocessableEntity)
}

// The adapter reads what PostgreSQL reads, step times included.
func TestHouseFigures(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	b := s.staff(t)
	link := s.join(t, s.enrolmentCode(t, b.post(t, "/houses", url.Values{"name": {"Buurthuis De Linde"}})))
	var events []district.Event
	for i := range 9 {
		events = append(events, district.Event{ID: district.NewEventID(), Kind: district.KindDuration, Day: "2026-02-10",
			Measure: figures.MeasureContact, Key: "geld", Minutes: 10 * (i % 3)})
	}
	if status, prob := s.push(t, link, events); status != http.StatusOK {
		t.Fatalf("push: %d %s", status, prob.Message)
	}
	hs, err := s.db.Houses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	from, to := programme.NewDate(2026, 1, 1), programme.NewDate(2026, 12, 31)
	for _, id := range []int64{postgres.AllHouses, hs[0].ID} {
		ds, err := districtweb.HouseFigures{Store: s.db, House: id}.Durations(ctx, figures.MeasureContact, from, to)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.db.Durations(ctx, id, figures.MeasureContact, from, to)
		if err != nil {
			t.Fatal(err)
		}
		minutes := func(ds []figures.Duration) map[int]int {
			m := map[int]int{}
			for _, d := range ds {
				m[d.Minutes] += max(d.Weight, 1)
			}
			return m
		}
		if g, w := minutes(ds), minutes(want); g[0]+g[10]+g[20] != 9 || len(g) != len(w) || g[0] != w[0] || g[10] != w[10] || g[20] != w[20] {
			t.Errorf("house %d: got %v, PostgreSQL %v", id, g, w)
		}
	}
	var none []figures.Count
	none, err = districtweb.HouseFigures{Store: s.db}.Unclaimed(ctx, from, to)
	if err != nil || none != nil {
		t.Errorf("unclaimed: %v, %v", none, err)
	}
}

// An address that keeps trying enrolment codes that do not work is
// slowed down, as wrong passwords are, and told to wait; the right code
// works once it has waited.
func TestJoinIsThrottled(t *testing.T) {
	ctx := context.Background()
	s := newSite(t)
	h, err := s.db.AddHouse(ctx, "Huis West", s.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	code := district.NewEnrolmentCode()
	if err := s.db.NewEnrolment(ctx, h.ID, district.HashEnrolmentCode(code), s.clock.Now().Add(district.EnrolmentValid)); err != nil {
		t.Fatal(err)
	}
	for i := range account.FreeFailures {
		var prob *outbox.Problem
		if _, err := outbox.Join(ctx, http.DefaultClient, s.srv.URL, district.NewEnrolmentCode()); !errors.As(err, &prob) || prob.Code != "bad-code" {
			t.Fatalf("wrong code %d: %v, want bad-code", i+1, err)
		}
	}
	var prob *outbox.Problem
	if _, err := outbox.Join(ctx, http.DefaultClient, s.srv.URL, code); !errors.As(err, &prob) || prob.Code != "throttled" ||
		prob.Status != http.StatusTooManyRequests || !strings.Contains(prob.Message, "wait") {
		t.Fatalf("after %d wrong codes: %v, want to be told to wait", account.FreeFailures, err)
	}
	s.clock.Add(time.Minute)
	if link := s.join(t, code); link.House != "Huis West" {
		t.Errorf("joined %q after waiting", link.House)
	}
}

// The district's users are staff: its pages offer no volunteer role,
// and refuse one posted all the same.
func TestDistrictUsersAreStaff(t *testing.T) {
	s := newSite(t)
	b := s.staff(t)
	p := b.get(t, "/users")
	wantStatus(t, "users", p, http.StatusOK)
	if strings.Contains(p.body, `value="volunteer"`) || !strings.Contains(p.body, `name="role" value="staff"`) {
		t.Errorf("the district's users page offers a volunteer role:\n%s", p.body)
	}
	p = b.post(t, "/users", url.Values{"name": {"Noor"}, "role": {"volunteer"}, "password": {staffPassword}})
	wantStatus(t, "a volunteer added", p, http.StatusUnprocessableEntity)
	p = b.post(t, "/users", url.Values{"name": {"Noor"}, "role": {"staff"}, "password": {staffPassword}})
	wantStatus(t, "a member of staff added", p, http.StatusSeeOther)
}
