package postgres_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/districtweb"
	"buurtbalie/internal/postgres"
)

func init() { postgres.DistrictFiguresPage = districtFiguresPage }

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// districtFiguresPage is the figure "the district's figures page for 200
// houses × one year ≤ 300 ms": the whole page, as a member of the
// district's staff asks for it (logged in, all houses, the year by
// month), with its tables and charts, over the district's real site.
func districtFiguresPage(b *testing.B, db *postgres.DB) {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2027, 1, 10, 10, 0, 0, 0, time.UTC) }
	site, err := districtweb.NewSite(districtweb.SiteConfig{DB: db, API: &districtweb.API{Store: db, District: "Amsterdam West", Now: now}, Now: now})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(site)
	defer srv.Close()
	const password = "wijk-wachtwoord-2026"
	// Made by the first of -count runs on the same database.
	if _, err := db.Accounts().CreateUser(ctx, "Fatima", account.Staff, password); err != nil && !errors.Is(err, account.ErrNameTaken) {
		b.Fatal(err)
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		b.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (int, string) {
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			b.Fatal(err)
		}
		return resp.StatusCode, string(body)
	}
	_, login := get("/login")
	m := csrfField.FindStringSubmatch(login)
	if m == nil {
		b.Fatal("no CSRF token on the login page")
	}
	form := url.Values{"name": {"Fatima"}, "password": {password}, "next": {""}, "csrf": {m[1]}}
	resp, err := c.Post(srv.URL+"/login", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		b.Fatalf("log in: %d", resp.StatusCode)
	}
	const page = "/figures?house=all&from=2026-01-01&to=2026-12-31&per=month"
	for b.Loop() {
		if status, body := get(page); status != http.StatusOK || !strings.Contains(body, "<svg") {
			b.Fatalf("figures page: %d", status)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}
