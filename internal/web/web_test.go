package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"buurtbalie/assets"
	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
	fake "buurtbalie/internal/clock"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/web"
)

// The real stores are what the pages are made for.
var (
	_ web.Questions = (*sqlite.QuestionService)(nil)
	_ web.Accounts  = (*sqlite.AccountService)(nil)
)

// clock is a fake time shared by the database, the throttle and the
// pages; handlers read it from the server's goroutines.
type clock = fake.Settable

// The users every test has.
const (
	volunteer   = "Anna"
	staff       = "Sanne"
	password    = "zonnebloem in mei"
	pinOfStaff  = "482915"
	scriptAlert = "<script>alert(1)</script>"
)

// env is a server over a fresh database in a temp dir.
type env struct {
	t        testing.TB
	clock    *clock
	db       *sqlite.DB
	qs       *sqlite.QuestionService
	as       *sqlite.AccountService
	throttle *account.Throttle
	cat      *catalogue.Catalogue
	logs     *syncBuffer
	handler  http.Handler
	srv      *httptest.Server
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvIn(t, t.TempDir())
}

// newEnvIn is newEnv with the database in dir.
func newEnvIn(t testing.TB, dir string) *env {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	return newEnvWith(t, db, cat)
}

// newEnvWith is newEnv over db with the catalogue cat.
func newEnvWith(t testing.TB, db *sqlite.DB, cat *catalogue.Catalogue) *env {
	t.Helper()
	ctx := context.Background()
	c := fake.NewSettable(time.Date(2026, time.November, 23, 9, 30, 0, 0, time.UTC))
	db.Now = c.Now
	e := &env{
		t: t, clock: c, db: db, cat: cat,
		qs:       sqlite.NewQuestionService(db),
		as:       sqlite.NewAccountService(db),
		throttle: &account.Throttle{Now: c.Now},
		logs:     &syncBuffer{},
	}
	if _, err := e.as.CreateUser(ctx, volunteer, account.Volunteer, password); err != nil {
		t.Fatal(err)
	}
	if _, err := e.as.CreateUser(ctx, staff, account.Staff, pinOfStaff); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e.handler = web.New(web.Config{Now: c.Now}, e.qs, e.as, e.throttle, cat, log).Handler()
	e.srv = httptest.NewServer(e.handler)
	t.Cleanup(e.srv.Close)
	return e
}

// ask stores a visitor's question as the kiosk does.
func (e *env) ask(text string, f question.FollowUp) question.Question {
	e.t.Helper()
	q := question.Question{Topic: "geld", Text: text, FollowUp: f}
	if err := e.qs.Create(context.Background(), &q); err != nil {
		e.t.Fatal(err)
	}
	return q
}

// client is a browser: it keeps cookies, does not follow redirects, and
// remembers the last CSRF token a page gave it.
type client struct {
	t    testing.TB
	base string
	hc   *http.Client
	csrf string
}

func (e *env) client() *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &client{t: e.t, base: e.srv.URL, hc: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type result struct {
	status int
	body   string
	header http.Header
}

func (r result) location() string { return r.header.Get("Location") }

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) do(method, path string, form url.Values) result {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if m := csrfField.FindSubmatch(b); m != nil {
		c.csrf = html.UnescapeString(string(m[1]))
	}
	return result{status: resp.StatusCode, body: string(b), header: resp.Header}
}

func (c *client) get(path string) result {
	c.t.Helper()
	return c.do(http.MethodGet, path, nil)
}

// post sends form with the client's CSRF token, unless form has one.
func (c *client) post(path string, form url.Values) result {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf)
	}
	return c.do(http.MethodPost, path, form)
}

// login logs in as name, failing the test unless that works.
func (c *client) login(name, pw string) {
	c.t.Helper()
	if r := c.tryLogin(name, pw, ""); r.status != http.StatusSeeOther {
		c.t.Fatalf("login as %s: status %d, want 303\n%s", name, r.status, r.body)
	}
	c.get("/queue") // for the session's CSRF token
}

func (c *client) tryLogin(name, pw, next string) result {
	c.t.Helper()
	c.get("/login")
	return c.post("/login", url.Values{"name": {name}, "password": {pw}, "next": {next}})
}

func (e *env) volunteer() *client {
	c := e.client()
	c.login(volunteer, password)
	return c
}

func (e *env) staff() *client {
	c := e.client()
	c.login(staff, pinOfStaff)
	return c
}

func wantStatus(t *testing.T, what string, r result, want int) {
	t.Helper()
	if r.status != want {
		t.Errorf("%s: status %d, want %d\n%s", what, r.status, want, r.body)
	}
}

func TestAnonymousRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := e.ask("Mijn huur is te hoog", question.Waiting)
	tests := []struct {
		method, path string
	}{
		{"GET", "/queue"},
		{"GET", "/queue?topic=geld&status=new"},
		{"GET", "/queue/version"},
		{"GET", "/code"},
		{"POST", "/code"},
		{"POST", "/s/" + q.Token},
		{"POST", "/logout"},
		{"GET", "/audit"},
		{"GET", "/users"},
		{"POST", "/users"},
		{"POST", "/users/disable"},
	}
	c := e.client()
	for _, tt := range tests {
		form := url.Values{"code": {q.Code}, "do": {"claim"}, "name": {volunteer}, "csrf": {"x"}}
		if tt.method == "GET" {
			form = nil
		}
		r := c.do(tt.method, tt.path, form)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location(), "/login?next=") {
			t.Errorf("%s %s: status %d, location %q; want 303 to /login?next=…", tt.method, tt.path, r.status, r.location())
		}
		if tt.method == "GET" {
			if got, _ := url.Parse(r.location()); got.Query().Get("next") != tt.path {
				t.Errorf("%s %s: next=%q, want %q", tt.method, tt.path, got.Query().Get("next"), tt.path)
			}
		}
		if strings.Contains(r.body, q.Text) {
			t.Errorf("%s %s: shows the question's text", tt.method, tt.path)
		}
	}
	if v, _ := e.qs.VisitorView(context.Background(), q.Token); v.Status != question.New {
		t.Errorf("status after anonymous posts: %s, want new", v.Status)
	}
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := e.ask("Brief van de gemeente", question.ComeBack)
	s := e.staff()
	tests := []struct {
		path string
		form url.Values
	}{
		{"/s/" + q.Token, url.Values{"do": {"claim"}}},
		{"/s/" + q.Token, url.Values{"do": {"note"}, "text": {"notitie"}}},
		{"/s/" + q.Token, url.Values{"do": {"close"}, "outcome": {"helped"}, "text": {"klaar"}}},
		{"/code", url.Values{"code": {q.Code}}},
		{"/users", url.Values{"name": {"Bram"}, "role": {"volunteer"}, "password": {password}}},
		{"/users/disable", url.Values{"name": {volunteer}}},
		{"/logout", url.Values{}},
	}
	for _, csrf := range []string{"", "wrong", s.csrf + "x", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		for _, tt := range tests {
			form := url.Values{}
			for k, v := range tt.form {
				form[k] = v
			}
			if csrf != "" {
				form.Set("csrf", csrf)
			}
			r := s.do("POST", tt.path, form)
			wantStatus(t, fmt.Sprintf("POST %s with csrf %q", tt.path, csrf), r, http.StatusForbidden)
		}
	}
	ctx := context.Background()
	if h, _ := e.qs.History(ctx, q.ID); len(h) != 0 {
		t.Errorf("history after refused posts: %v, want none", h)
	}
	if users, _ := e.as.Users(ctx); len(users) != 2 || users[0].Disabled || users[1].Disabled {
		t.Errorf("users after refused posts: %+v", users)
	}
	// Still logged in: the logout was refused too.
	wantStatus(t, "queue after refused logout", s.get("/queue"), http.StatusOK)

	// The login form's token is a double-submit cookie.
	c := e.client()
	wantStatus(t, "login without the login cookie", c.post("/login", url.Values{"name": {volunteer}, "password": {password}, "csrf": {"x"}}), http.StatusForbidden)
	c.get("/login")
	wantStatus(t, "login with a wrong token", c.post("/login", url.Values{"name": {volunteer}, "password": {password}, "csrf": {c.csrf + "x"}}), http.StatusForbidden)
	wantStatus(t, "login with the token", c.post("/login", url.Values{"name": {volunteer}, "password": {password}}), http.StatusSeeOther)
}

func TestEscaped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := e.ask(scriptAlert, question.Waiting)
	c := e.volunteer()
	for _, do := range []string{"note", "message", "close"} {
		r := c.post("/s/"+q.Token, url.Values{"do": {do}, "outcome": {"other"}, "text": {scriptAlert}})
		wantStatus(t, do, r, http.StatusSeeOther)
	}
	escaped := html.EscapeString(scriptAlert)
	pages := map[string]result{"volunteer view": c.get("/s/" + q.Token), "visitor view": e.client().get("/s/" + q.Token)}
	for name, r := range pages {
		if strings.Contains(r.body, scriptAlert) {
			t.Errorf("%s holds the script unescaped", name)
		}
		if !strings.Contains(r.body, escaped) && !strings.Contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s does not show the text escaped", name)
		}
	}
}

func TestLockout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	for i := 1; i <= account.FreeFailures; i++ {
		wantStatus(t, fmt.Sprintf("wrong password %d", i), c.tryLogin(volunteer, "verkeerd wachtwoord", ""), http.StatusUnauthorized)
	}
	r := c.tryLogin(volunteer, password, "")
	wantStatus(t, "right password after 5 failures", r, http.StatusTooManyRequests)
	if !strings.Contains(r.body, "Wacht 1 seconde") {
		t.Errorf("lockout page does not say how long to wait:\n%s", r.body)
	}
	// Only this account on this address: another account from the same
	// address goes ahead (issue 15; see throttle_test.go).
	wantStatus(t, "another account from the same address", e.client().tryLogin(staff, pinOfStaff, ""), http.StatusSeeOther)

	e.clock.Add(time.Second)
	wantStatus(t, "right password after the wait", c.tryLogin(volunteer, password, ""), http.StatusSeeOther)

	log, err := e.as.AuditLog(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, en := range log {
		if en.Action == account.ActionLoginFailed && en.Actor == volunteer {
			failed++
		}
	}
	if failed != account.FreeFailures {
		t.Errorf("audit log has %d failed logins for %s, want %d", failed, volunteer, account.FreeFailures)
	}
}

func TestLoginDelaysGrow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	for i := 0; i < account.FreeFailures; i++ {
		c.tryLogin("Niemand", "verkeerd wachtwoord", "")
	}
	for _, want := range []string{"Wacht 1 seconde", "Wacht 2 seconden", "Wacht 4 seconden"} {
		r := c.tryLogin("Niemand", "verkeerd wachtwoord", "")
		if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, want) {
			t.Fatalf("status %d, want 429 with %q\n%s", r.status, want, r.body)
		}
		e.clock.Add(time.Minute) // wait long enough, then fail again
		wantStatus(t, "after the wait", c.tryLogin("Niemand", "verkeerd wachtwoord", ""), http.StatusUnauthorized)
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.volunteer()
	for _, step := range []struct {
		after time.Duration
		want  int
	}{
		{11 * time.Hour, http.StatusOK},
		{11 * time.Hour, http.StatusOK}, // the last visit counts, not the login
		{13 * time.Hour, http.StatusSeeOther},
	} {
		e.clock.Add(step.after)
		r := c.get("/queue")
		wantStatus(t, fmt.Sprintf("queue %s later", step.after), r, step.want)
		if step.want == http.StatusSeeOther && r.location() != "/login?next=%2Fqueue" {
			t.Errorf("expired session sent to %q, want /login?next=%%2Fqueue", r.location())
		}
	}
	// An expired session is logged out for good.
	wantStatus(t, "queue after expiry", c.get("/queue"), http.StatusSeeOther)
}

func TestNotFoundIsTheSame(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := e.ask("Vraag", question.Waiting)
	unknown := "AAAAAAAAAAAAAAAAAAAAAAAA"
	if unknown == q.Token {
		t.Fatal("unlucky token")
	}
	paths := []string{
		"/s/" + unknown,
		"/s/x",
		"/s/" + q.Token[:23],
		"/s/" + q.Token + "A",
		"/s/" + strings.Repeat("!", 24),
		"/s/" + url.PathEscape(q.Token[:23]+"/"),
		"/s/%00",
		"/s/",
		"/s/" + q.Token + "/x",
	}
	for _, who := range []string{"visitor", "volunteer"} {
		c := e.client()
		if who == "volunteer" {
			c = e.volunteer()
		}
		var first string
		for i, p := range paths {
			r := c.get(p)
			wantStatus(t, who+" "+p, r, http.StatusNotFound)
			if i == 0 {
				first = r.body
				continue
			}
			if r.body != first {
				t.Errorf("%s: 404 for %q differs from the one for an unknown token", who, p)
			}
		}
		if strings.Contains(first, unknown) {
			t.Errorf("%s: 404 repeats the token", who)
		}
	}
}

func TestVisitorView(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	text := "Ik heb een schuld bij de energie"
	q := e.ask(text, question.ComeBack)
	anon := e.client()

	r := anon.get("/s/" + q.Token)
	wantStatus(t, "new question", r, http.StatusOK)
	for _, want := range []string{"Uw vraag is ontvangen", "Inloggen voor vrijwilligers", "/login?next=%2Fs%2F" + q.Token} {
		if !strings.Contains(r.body, want) {
			t.Errorf("visitor view lacks %q", want)
		}
	}

	c := e.volunteer()
	const note, message = "Belt zelf met de woningcorporatie", "Kom dinsdag om 10 uur naar de balie."
	c.post("/s/"+q.Token, url.Values{"do": {"claim"}})
	c.post("/s/"+q.Token, url.Values{"do": {"note"}, "text": {note}})
	c.post("/s/"+q.Token, url.Values{"do": {"message"}, "text": {message}})

	r = anon.get("/s/" + q.Token)
	wantStatus(t, "claimed question", r, http.StatusOK)
	for _, want := range []string{"Een vrijwilliger is ermee bezig", message} {
		if !strings.Contains(r.body, want) {
			t.Errorf("visitor view lacks %q", want)
		}
	}
	for _, leak := range []string{text, note, volunteer, "Geld", q.Code, question.FormatCode(q.Code), "csrf"} {
		if strings.Contains(r.body, leak) {
			t.Errorf("visitor view shows %q", leak)
		}
	}
	for _, st := range []struct {
		do, want string
		form     url.Values
	}{
		{"refer", "Doorverwezen", url.Values{"partner": {"1"}}},
		{"close", "Afgerond", url.Values{"outcome": {"helped"}, "text": {"Geholpen"}}},
	} {
		st.form.Set("do", st.do)
		wantStatus(t, st.do, c.post("/s/"+q.Token, st.form), http.StatusSeeOther)
		if r := anon.get("/s/" + q.Token); !strings.Contains(r.body, st.want) || strings.Contains(r.body, "Buurtteam") {
			t.Errorf("after %s: visitor view lacks %q or shows the partner", st.do, st.want)
		}
	}
}

func TestStaffOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	v := e.volunteer()
	for _, r := range []result{
		v.get("/users"),
		v.get("/audit"),
		v.post("/users", url.Values{"name": {"Bram"}, "role": {"staff"}, "password": {password}}),
		v.post("/users/disable", url.Values{"name": {staff}}),
	} {
		wantStatus(t, "volunteer on a staff page", r, http.StatusForbidden)
	}
	if users, _ := e.as.Users(context.Background()); len(users) != 2 {
		t.Errorf("a volunteer added a user: %+v", users)
	}
	s := e.staff()
	wantStatus(t, "staff: users", s.get("/users"), http.StatusOK)
	wantStatus(t, "staff: audit", s.get("/audit"), http.StatusOK)
}

func TestUsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	s := e.staff()
	tests := []struct {
		name, role, pw string
		status         int
		want           string
	}{
		{"Bram", "volunteer", "kort", http.StatusUnprocessableEntity, "minstens 10 tekens"},
		{"Bram", "volunteer", "123456", http.StatusUnprocessableEntity, "123456"},
		{"", "volunteer", password, http.StatusUnprocessableEntity, "Geef een naam"},
		{"Bram", "admin", password, http.StatusUnprocessableEntity, "vrijwilliger of een medewerker"},
		{"anna", "volunteer", password, http.StatusUnprocessableEntity, "al in gebruik"},
		{"Bram", "volunteer", "731952", http.StatusSeeOther, ""},
	}
	for _, tt := range tests {
		r := s.post("/users", url.Values{"name": {tt.name}, "role": {tt.role}, "password": {tt.pw}})
		wantStatus(t, "add "+tt.name, r, tt.status)
		if !strings.Contains(r.body, tt.want) {
			t.Errorf("add %q with %q: page lacks %q", tt.name, tt.pw, tt.want)
		}
		if tt.status != http.StatusSeeOther && tt.name != "" && !strings.Contains(r.body, `value="`+tt.name+`"`) {
			t.Errorf("add %q refused: the name typed is gone", tt.name)
		}
		if strings.Contains(r.body, tt.pw) && tt.pw != "123456" {
			t.Errorf("add %q refused: the page repeats the password", tt.name)
		}
	}
	if r := s.get("/users?done=added"); !strings.Contains(r.body, "Bram") || !strings.Contains(r.body, "toegevoegd") {
		t.Errorf("users page after adding lacks Bram or the notice")
	}
	b := e.client()
	b.login("Bram", "731952")

	wantStatus(t, "disable yourself", s.post("/users/disable", url.Values{"name": {staff}}), http.StatusUnprocessableEntity)
	wantStatus(t, "disable nobody", s.post("/users/disable", url.Values{"name": {"Niemand"}}), http.StatusNotFound)
	wantStatus(t, "disable Bram", s.post("/users/disable", url.Values{"name": {"Bram"}}), http.StatusSeeOther)
	wantStatus(t, "Bram's session after disabling", b.get("/queue"), http.StatusSeeOther)
	wantStatus(t, "Bram logs in after disabling", e.client().tryLogin("Bram", "731952", ""), http.StatusUnauthorized)

	log := s.get("/audit").body
	for _, want := range []string{"voegde gebruiker Bram toe als vrijwilliger", "schakelde gebruiker Bram uit"} {
		if !strings.Contains(log, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
}

func TestQueue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.volunteer()
	v0 := c.get("/queue/version")
	wantStatus(t, "version", v0, http.StatusOK)
	if len(v0.body) == 0 || len(v0.body) > 32 {
		t.Errorf("version %q: want a short string", v0.body)
	}
	later := e.ask("Later", question.ComeBack)
	e.clock.Add(12 * time.Minute)
	waiting := e.ask("Nu", question.Waiting)
	v1 := c.get("/queue/version").body
	if v1 == v0.body {
		t.Errorf("version %q did not change with two new questions", v1)
	}
	if v := c.get("/queue/version").body; v != v1 {
		t.Errorf("version changed from %q to %q with no change", v1, v)
	}

	r := c.get("/queue")
	wantStatus(t, "queue", r, http.StatusOK)
	iw, il := strings.Index(r.body, "/s/"+waiting.Token), strings.Index(r.body, "/s/"+later.Token)
	if iw < 0 || il < 0 || iw > il {
		t.Errorf("queue: waiting question at %d, later one at %d; want both, waiting first", iw, il)
	}
	for _, want := range []string{`data-version="` + v1 + `"`, "12 minuten geleden", "zojuist", "Wacht bij de ingang", "/static/queue.js", `<noscript><meta http-equiv="refresh" content="10"></noscript>`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("queue lacks %q", want)
		}
	}

	c.post("/s/"+later.Token, url.Values{"do": {"claim"}})
	v2 := c.get("/queue/version").body
	if v2 == v1 {
		t.Errorf("version did not change with a claim")
	}
	r = c.get("/queue?status=claimed")
	if !strings.Contains(r.body, later.Token) || strings.Contains(r.body, waiting.Token) || !strings.Contains(r.body, "door "+volunteer) {
		t.Errorf("queue filtered on claimed: want only the claimed question, by %s", volunteer)
	}
	if r := c.get("/queue?topic=wonen"); strings.Contains(r.body, later.Token) || !strings.Contains(r.body, "geen open vragen van deze soort") {
		t.Errorf("queue filtered on another topic shows a question about money")
	}
	if r := c.get("/queue?status=bogus"); r.status != http.StatusOK || !strings.Contains(r.body, waiting.Token) {
		t.Errorf("queue with an unknown status: %d, want 200 with every open question", r.status)
	}

	c.post("/s/"+later.Token, url.Values{"do": {"close"}, "outcome": {"helped"}, "text": {"Geholpen"}})
	if r := c.get("/queue"); strings.Contains(r.body, later.Token) {
		t.Errorf("queue shows a closed question")
	}
}

// A visitor whose slip did not print has only the code the kiosk showed:
// the queue and the question's page say so, so that a volunteer looks for
// them at the entrance, and an open queue reloads when the print fails.
func TestNoSlip(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	c := e.volunteer()
	failed := e.ask("Mijn printer", question.ComeBack)
	printed := e.ask("Geprint", question.ComeBack)
	if err := e.qs.RecordPrint(ctx, printed.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	const noSlip = "Geen bonnetje: de printer deed het niet"
	before := c.get("/queue/version").body
	if r := c.get("/queue"); strings.Contains(r.body, noSlip) {
		t.Errorf("queue says %q while the slip is still printing", noSlip)
	}
	if err := e.qs.RecordPrint(ctx, failed.ID, false, "printer stopped"); err != nil {
		t.Fatal(err)
	}
	if after := c.get("/queue/version").body; after == before {
		t.Errorf("queue version %q did not change when a slip failed to print", after)
	}
	r := c.get("/queue")
	if n := strings.Count(r.body, noSlip); n != 1 {
		t.Fatalf("queue says %q %d times, want once (for one failed slip of two):\n%s", noSlip, n, r.body)
	}
	item := r.body[strings.Index(r.body, "/s/"+failed.Token):]
	if end := strings.Index(item, "</li>"); end < 0 || !strings.Contains(item[:end], noSlip) {
		t.Errorf("%q is not on the failed question's line of the queue", noSlip)
	}
	for _, tt := range []struct {
		q    question.Question
		want bool
	}{{failed, true}, {printed, false}} {
		r := c.get("/s/" + tt.q.Token)
		wantStatus(t, "question page", r, http.StatusOK)
		if got := strings.Contains(r.body, noSlip) && strings.Contains(r.body, "Kijk bij de kiosk"); got != tt.want {
			t.Errorf("question %q: says no slip %v, want %v", tt.q.Text, got, tt.want)
		}
	}
	// The visitor's own view tells nothing of the printer.
	if r := e.client().get("/s/" + failed.Token); strings.Contains(r.body, noSlip) {
		t.Errorf("the visitor's view shows %q", noSlip)
	}
	// In English for staff who read English.
	c.get("/queue?lang=en")
	for _, path := range []string{"/queue", "/s/" + failed.Token} {
		if r := c.get(path); !strings.Contains(r.body, "No slip: the printer did not work") {
			t.Errorf("%s in English lacks the no-slip line", path)
		}
	}
}

func TestFollowUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const text = "Ik snap deze brief niet"
	q := e.ask(text, question.Waiting)
	e.clock.Add(12 * time.Minute)
	c := e.volunteer()
	path := "/s/" + q.Token

	r := c.get(path)
	wantStatus(t, "volunteer view", r, http.StatusOK)
	for _, want := range []string{text, "Geld &amp; post", "12 minuten geleden", "Wacht bij de ingang", "Ik pak dit op", question.FormatCode(q.Code), "Bekeken door " + volunteer} {
		if !strings.Contains(r.body, want) {
			t.Errorf("volunteer view lacks %q", want)
		}
	}
	if got := r.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", got)
	}
	// One thing at a time: the page opens on the claim and the steps as
	// links; each step's form opens on its own.
	for _, form := range []string{`name="do" value="note"`, `name="do" value="refer"`, `name="do" value="close"`} {
		if strings.Contains(r.body, form) {
			t.Errorf("the question page opens with the form %s", form)
		}
	}
	if r := c.get(path + "?step=refer"); !strings.Contains(r.body, "Buurtteam") || !strings.Contains(r.body, `name="do" value="refer"`) {
		t.Errorf("the referral step lacks the partners")
	}

	steps := []struct {
		form url.Values
		want string // on the page after the redirect
	}{
		{url.Values{"do": {"claim"}}, "U heeft dit opgepakt"},
		{url.Values{"do": {"note"}, "text": {"Geheime notitie"}}, "Geheime notitie"},
		{url.Values{"do": {"message"}, "text": {"Kom morgen om 10 uur."}}, "Kom morgen om 10 uur."},
		{url.Values{"do": {"refer"}, "partner": {"3"}}, "Taal Informatie Punt"},
		{url.Values{"do": {"close"}, "outcome": {"passed_on"}, "text": {"Naar het Taalpunt"}}, "Afgerond: Een partner helpt verder"},
	}
	for _, st := range steps {
		r := c.post(path, st.form)
		if r.status != http.StatusSeeOther || r.location() != path+"?done="+st.form.Get("do")+"#done" {
			t.Fatalf("%s: status %d to %q, want 303 to %s?done=…", st.form.Get("do"), r.status, r.location(), path)
		}
		if r := c.get(r.location()); !strings.Contains(r.body, st.want) {
			t.Errorf("after %s: page lacks %q", st.form.Get("do"), st.want)
		}
	}

	ctx := context.Background()
	history, err := e.qs.History(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []question.EventKind
	for _, ev := range history {
		kinds = append(kinds, ev.Kind)
		if ev.Actor != volunteer {
			t.Errorf("event %s by %q, want %s", ev.Kind, ev.Actor, volunteer)
		}
	}
	// One view: the pages after each step are not new views.
	want := []question.EventKind{question.EventViewed, question.EventClaimed, question.EventNote, question.EventMessage, question.EventReferred, question.EventClosed}
	if !slices.Equal(kinds, want) {
		t.Errorf("history %v, want %v", kinds, want)
	}
	e.clock.Add(3 * time.Minute)
	c.get(path)
	if h, _ := e.qs.History(ctx, q.ID); len(h) != len(want)+1 || h[len(h)-1].Kind != question.EventViewed {
		t.Errorf("a look three minutes later was not recorded as a view")
	}

	log, err := e.as.AuditLog(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var acts []string
	for _, en := range log {
		if en.QuestionID == q.ID {
			acts = append(acts, en.Action)
			if en.Actor != volunteer {
				t.Errorf("audit %s by %q, want %s", en.Action, en.Actor, volunteer)
			}
		}
		for _, secret := range []string{text, "Geheime notitie", "Kom morgen", "Naar het Taalpunt", q.Token, q.Code} {
			if strings.Contains(en.Detail, secret) {
				t.Errorf("audit %s detail %q holds %q", en.Action, en.Detail, secret)
			}
		}
	}
	slices.Reverse(acts)
	if want := []string{"viewed", "claimed", "note", "message", "referred", "closed", "viewed"}; !slices.Equal(acts, want) {
		t.Errorf("audit log for the question: %v, want %v", acts, want)
	}

	for _, secret := range []string{text, "Geheime notitie", "Kom morgen", q.Token, q.Code} {
		if strings.Contains(e.logs.String(), secret) {
			t.Errorf("the log holds %q:\n%s", secret, e.logs.String())
		}
	}
	if missing := e.cat.Missing(); len(missing) > 0 {
		t.Errorf("messages missing: %v", missing)
	}
}

func TestRefusedInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := e.ask("Vraag", question.Waiting)
	c := e.volunteer()
	long := strings.Repeat("lang ", 201) // 1005 characters: too long for a message
	tests := []struct {
		form url.Values
		want string
		kept string // what was typed, still in the form
	}{
		{url.Values{"do": {"note"}, "text": {"   "}}, "Schrijf eerst een notitie.", ""},
		{url.Values{"do": {"message"}, "text": {""}}, "Schrijf eerst een bericht voor de bezoeker.", ""},
		{url.Values{"do": {"message"}, "text": {long}}, "Dit is te lang: 1004 tekens. Het mogen er 1000 zijn.", long},
		{url.Values{"do": {"refer"}}, "Kies eerst een partner", ""},
		{url.Values{"do": {"refer"}, "partner": {"999"}}, "Kies eerst een partner", ""},
		{url.Values{"do": {"close"}, "text": {"Klaar"}}, "Kies eerst hoe het is afgelopen.", "Klaar"},
		{url.Values{"do": {"close"}, "outcome": {"solved"}}, "Kies eerst hoe het is afgelopen.", ""},
	}
	for _, tt := range tests {
		r := c.post("/s/"+q.Token, tt.form)
		wantStatus(t, tt.form.Encode(), r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, tt.want) {
			t.Errorf("%s: page lacks %q", tt.form.Encode(), tt.want)
		}
		if !strings.Contains(r.body, tt.kept) {
			t.Errorf("%s: what was typed is lost", tt.form.Encode())
		}
	}
	wantStatus(t, "close", c.post("/s/"+q.Token, url.Values{"do": {"close"}, "outcome": {"helped"}, "text": {"Klaar"}}), http.StatusSeeOther)
	for _, form := range []url.Values{{"do": {"claim"}}, {"do": {"refer"}, "partner": {"1"}}, {"do": {"close"}, "outcome": {"helped"}}} {
		// Seen: referring a closed question asked to choose a partner.
		r := c.post("/s/"+q.Token, form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "al afgerond") {
			t.Errorf("%s on a closed question: status %d, want 422 saying it is closed", form.Get("do"), r.status)
		}
	}
	wantStatus(t, "an unknown action", c.post("/s/"+q.Token, url.Values{"do": {"delete"}}), http.StatusBadRequest)
	wantStatus(t, "a post to an unknown token", c.post("/s/AAAAAAAAAAAAAAAAAAAAAAAA", url.Values{"do": {"claim"}}), http.StatusNotFound)
}

func TestCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := e.ask("Vraag", question.ComeBack)
	c := e.volunteer()
	wantStatus(t, "code form", c.get("/code"), http.StatusOK)
	typed := strings.ToLower(question.FormatCode(q.Code))
	r := c.post("/code", url.Values{"code": {typed}})
	if r.status != http.StatusSeeOther || r.location() != "/s/"+q.Token {
		t.Errorf("code %q: status %d to %q, want 303 to the question", typed, r.status, r.location())
	}
	r = c.post("/code", url.Values{"code": {"K7M"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "6 letters en cijfers") || !strings.Contains(r.body, `value="K7M"`) {
		t.Errorf("a short code: status %d, want 422 explaining and keeping it", r.status)
	}
	wrong := "ZZZZZZ"
	if wrong == q.Code {
		wrong = "YYYYYY"
	}
	for i := 0; i < account.FreeFailures; i++ {
		wantStatus(t, "wrong code", c.post("/code", url.Values{"code": {wrong}}), http.StatusNotFound)
	}
	r = c.post("/code", url.Values{"code": {q.Code}})
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Wacht 1 seconde") {
		t.Errorf("after 5 wrong codes: status %d, want 429 saying how long to wait", r.status)
	}
	e.clock.Add(time.Second)
	wantStatus(t, "right code after the wait", c.post("/code", url.Values{"code": {q.Code}}), http.StatusSeeOther)
}

func TestLoginNext(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct{ next, want string }{
		{"/s/AAAAAAAAAAAAAAAAAAAAAAAA", "/s/AAAAAAAAAAAAAAAAAAAAAAAA"},
		{"/queue?topic=geld", "/queue?topic=geld"},
		{"", "/queue"},
		{"//evil.example/", "/queue"},
		{"/\\evil.example/", "/queue"},
		{"https://evil.example/", "/queue"},
		{"queue", "/queue"},
		{"/\t/evil.example", "/queue"},
	}
	for _, tt := range tests {
		c := e.client()
		r := c.tryLogin(volunteer, password, tt.next)
		if r.status != http.StatusSeeOther || r.location() != tt.want {
			t.Errorf("login with next=%q: status %d to %q, want 303 to %q", tt.next, r.status, r.location(), tt.want)
		}
		setCookie := strings.Join(r.header.Values("Set-Cookie"), "\n")
		for _, want := range []string{"bb_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(setCookie, want) {
				t.Errorf("session cookie lacks %s: %s", want, setCookie)
			}
		}
		if strings.Contains(setCookie, "Secure") {
			t.Errorf("session cookie is Secure without TLS")
		}
	}
	// Logged in already: the login page goes on to next.
	c := e.volunteer()
	if r := c.get("/login?next=%2Fcode"); r.status != http.StatusSeeOther || r.location() != "/code" {
		t.Errorf("login page when logged in: %d to %q, want 303 to /code", r.status, r.location())
	}
	// Logout ends the session.
	if r := c.post("/logout", nil); r.status != http.StatusSeeOther || r.location() != "/login" {
		t.Errorf("logout: %d to %q, want 303 to /login", r.status, r.location())
	}
	wantStatus(t, "queue after logout", c.get("/queue"), http.StatusSeeOther)
}

func TestSecureCookies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	srv := web.New(web.Config{Secure: true, Now: e.clock.Now}, e.qs, e.as, e.throttle, e.cat, nil)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	c := e.client()
	c.base = ts.URL
	r := c.get("/login")
	if sc := r.header.Get("Set-Cookie"); !strings.Contains(sc, "Secure") {
		t.Errorf("login cookie with Secure set: %q", sc)
	}
}

func TestHeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := e.ask("Vraag", question.Waiting)
	c := e.client()
	for _, path := range []string{"/s/" + q.Token, "/s/x", "/login", "/static/style.css", "/nope"} {
		r := c.get(path)
		for h, want := range map[string]string{
			"Content-Security-Policy": "default-src 'self'",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
		} {
			if got := r.header.Get(h); !strings.Contains(got, want) {
				t.Errorf("%s: %s %q, want %q", path, h, got, want)
			}
		}
		if strings.HasPrefix(path, "/s/") && r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", path, r.header.Get("Cache-Control"))
		}
	}
	if r := c.get("/static/queue.js"); r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Type"), "javascript") {
		t.Errorf("queue.js: %d %q", r.status, r.header.Get("Content-Type"))
	}
	if r := c.get("/"); r.status != http.StatusSeeOther || r.location() != "/queue" {
		t.Errorf("/: %d to %q, want 303 to /queue", r.status, r.location())
	}
}

func TestLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := e.ask("Vraag", question.Waiting)
	c := e.client()
	if r := c.get("/s/" + q.Token); !strings.Contains(r.body, "Uw vraag is ontvangen") || !strings.Contains(r.body, `lang="nl"`) {
		t.Errorf("visitor view is not in Dutch by default")
	}
	if r := c.get("/s/" + q.Token + "?lang=en"); !strings.Contains(r.body, "We have received your question") {
		t.Errorf("?lang=en does not switch to English")
	}
	if r := c.get("/login"); !strings.Contains(r.body, "Log in") || !strings.Contains(r.body, `lang="en"`) {
		t.Errorf("the language choice is not remembered")
	}
	c.get("/login?lang=nl")
	if r := c.get("/login?lang=xx"); !strings.Contains(r.body, "Inloggen") {
		t.Errorf("an unknown language changed the page's language")
	}

	// A visitor who asked in English gets the slip's page in English.
	en := question.Question{Topic: "taal", FollowUp: question.ComeBack, Lang: "en"}
	if err := e.qs.Create(context.Background(), &en); err != nil {
		t.Fatal(err)
	}
	if r := e.client().get("/s/" + en.Token); !strings.Contains(r.body, "We have received your question") {
		t.Errorf("the slip's page is not in the visitor's language")
	}

	// Every page in English, with nothing missing.
	s := e.staff()
	s.get("/queue?lang=en")
	for _, path := range []string{"/queue", "/s/" + q.Token, "/code", "/users", "/audit", "/s/x"} {
		s.get(path)
	}
	s.post("/s/"+q.Token, url.Values{"do": {"note"}})
	if missing := e.cat.Missing(); len(missing) > 0 {
		t.Errorf("messages missing: %v", missing)
	}
}

// FuzzHandlerToken throws arbitrary paths at the slip's page: whatever
// comes after /s/, the answer is never a server error.
func FuzzHandlerToken(f *testing.F) {
	for _, seed := range []string{
		"AAAAAAAAAAAAAAAAAAAAAAAA", "x", "", "%00", "..", "../queue", "a/b", "%2F%2F",
		strings.Repeat("A", 23) + "=", strings.Repeat("-", 24), strings.Repeat("_", 24), "ÿÿÿÿ", "%ff%fe",
		"AAAAAAAAAAAAAAAAAAAAAAAA?lang=en", "AAAAAAAAAAAAAAAAAAAAAAAA#x",
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	e := newEnv(f)
	q := e.ask("Vraag", question.Waiting)
	c := e.volunteer()
	base, _ := url.Parse(e.srv.URL)
	cook := c.hc.Jar.Cookies(base)
	if len(cook) == 0 {
		f.Fatal("no session cookie to fuzz with")
	}
	f.Add(q.Token, true)
	f.Add(q.Token+"/", true)
	f.Add(q.Token[:23]+"%", true)
	f.Fuzz(func(t *testing.T, path string, loggedIn bool) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.Path = "/s/" + path
		req.URL.RawPath = ""
		req.RequestURI = req.URL.RequestURI()
		if loggedIn {
			for _, c := range cook {
				req.AddCookie(c)
			}
		}
		w := httptest.NewRecorder()
		e.handler.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Errorf("GET /s/%q: status %d", path, w.Code)
		}
	})
}
