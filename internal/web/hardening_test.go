package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"buurtbalie/internal/question"
	"buurtbalie/internal/web"
)

// The weaknesses issue 15 names, each of which failed before.

// TestTooLarge: a body over its limit answers 413 "Dit is te groot", not
// the 403 a missing CSRF token gets, and nothing is saved.
func TestTooLarge(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := e.ask("Vraag", question.Waiting)

	v := e.volunteer()
	note := url.Values{"do": {"note"}, "text": {strings.Repeat("a", 70<<10)}}
	r := v.post("/s/"+q.Token, note)
	wantStatus(t, "a 70 KiB note", r, http.StatusRequestEntityTooLarge)
	if !strings.Contains(r.body, "Dit is te groot") || !strings.Contains(r.body, "maak de tekst korter") {
		t.Errorf("a 70 KiB note: the page does not say it is too large and what to do\n%s", r.body)
	}
	got, err := e.qs.ByToken(t.Context(), q.Token)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != question.New {
		t.Errorf("after a refused note the question is %q, want it untouched", got.Status)
	}

	anon := e.client()
	anon.get("/login")
	r = anon.post("/login", url.Values{"name": {volunteer}, "password": {strings.Repeat("p", 10<<20)}})
	wantStatus(t, "a 10 MiB login", r, http.StatusRequestEntityTooLarge)
	if !strings.Contains(r.body, "Dit is te groot") {
		t.Errorf("a 10 MiB login does not say it is too large\n%s", r.body)
	}

	s := e.staff()
	s.get("/programme/import")
	r = s.postFile("/programme/import", nil, "file", "agenda.ics", []byte(strings.Repeat("x", 5<<20)))
	wantStatus(t, "a 5 MiB import", r, http.StatusRequestEntityTooLarge)
	if !strings.Contains(r.body, "Dit is te groot") || !strings.Contains(r.body, "2 MB") {
		t.Errorf("a 5 MiB import does not say it is too large and the limit in MB\n%s", r.body)
	}

	// In the volunteer's language, like any page.
	v.get("/queue?lang=en")
	r = v.post("/s/"+q.Token, note)
	if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "This is too large") {
		t.Errorf("a 70 KiB note in English: %d\n%s", r.status, r.body)
	}
}

// TestStaticNotListed: /static/ lists nothing, and a missing file there
// or under /pictogram/ gets the app's own page, not plain text.
func TestStaticNotListed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.client()
	for _, path := range []string{"/static/", "/static/nope.css", "/static/%2e%2e/web.go", "/static/templates"} {
		r := c.get(path)
		wantStatus(t, path, r, http.StatusNotFound)
		if strings.Contains(r.body, "queue.js") || !strings.Contains(r.body, "<html") {
			t.Errorf("%s: not the app's 404 page\n%s", path, r.body)
		}
	}
	if r := c.get("/static/style.css"); r.status != http.StatusOK || !strings.Contains(r.header.Get("Cache-Control"), "max-age=3600") {
		t.Errorf("style.css: %d, Cache-Control %q", r.status, r.header.Get("Cache-Control"))
	}

	s := e.staff()
	r := s.get("/pictogram/nope.svg")
	wantStatus(t, "a missing pictogram", r, http.StatusNotFound)
	if !strings.Contains(r.body, "<html") || r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("a missing pictogram: not the app's page (Cache-Control %q)\n%s", r.header.Get("Cache-Control"), r.body)
	}
}

// TestHSTS: Strict-Transport-Security under TLS, and not over plain HTTP,
// where it would promise what the server does not keep.
func TestHSTS(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if got := e.client().get("/login").header.Get("Strict-Transport-Security"); got != "" {
		t.Errorf("over plain HTTP: Strict-Transport-Security %q, want none", got)
	}
	srv := web.New(web.Config{Secure: true, Now: e.clock.Now}, e.qs, e.as, e.throttle, e.cat, nil)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	c := e.client()
	c.base = ts.URL
	if got := c.get("/login").header.Get("Strict-Transport-Security"); !strings.Contains(got, "max-age=31536000") {
		t.Errorf("under TLS: Strict-Transport-Security %q, want max-age=31536000", got)
	}
}

// TestCrossOrigin: a form posted from another site's page is refused,
// even with a valid CSRF token and session cookie, and saves nothing; the
// app's own pages, and clients that send no Origin, go on as before.
func TestCrossOrigin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := e.ask("Vraag", question.Waiting)
	v := e.volunteer()
	self := strings.TrimSuffix(v.base, "/")

	post := func(headers map[string]string) result {
		t.Helper()
		form := url.Values{"csrf": {v.csrf}, "do": {"note"}, "text": {"Gebeld"}}
		req, err := http.NewRequest(http.MethodPost, v.base+"/s/"+q.Token, strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, val := range headers {
			req.Header.Set(k, val)
		}
		resp, err := v.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return result{status: resp.StatusCode, body: string(b), header: resp.Header}
	}

	for name, h := range map[string]map[string]string{
		"another site's Origin":    {"Origin": "https://evil.example"},
		"another port's Origin":    {"Origin": "http://127.0.0.1:1"},
		"https for an http server": {"Origin": strings.Replace(self, "http://", "https://", 1)},
		"null with cross-site":     {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
		"no Origin, same-site":     {"Sec-Fetch-Site": "same-site"},
	} {
		r := post(h)
		wantStatus(t, name, r, http.StatusForbidden)
		if !strings.Contains(r.body, "niet van Buurtbalie") {
			t.Errorf("%s: the page does not say the form came from elsewhere\n%s", name, r.body)
		}
	}
	if evs, err := e.qs.History(t.Context(), q.ID); err != nil {
		t.Fatal(err)
	} else if len(evs) > 1 {
		t.Errorf("cross-origin notes were saved: %d events", len(evs))
	}

	for name, h := range map[string]map[string]string{
		"its own Origin":              {"Origin": self},
		"its own Origin, in capitals": {"Origin": strings.ToUpper(self)},
		"same-origin":                 {"Sec-Fetch-Site": "same-origin"},
		"no headers (curl)":           {},
	} {
		if r := post(h); r.status != http.StatusSeeOther {
			t.Errorf("%s: status %d, want 303\n%s", name, r.status, r.body)
		}
	}
}
