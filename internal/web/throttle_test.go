package web_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/account"
)

// The login throttle's cases from issue 15, each with browsers at
// addresses of their own.

// fromAddr serves a browser's requests on the handler as if they came
// from the address addr: the test server's clients all come from
// 127.0.0.1.
type fromAddr struct {
	h    http.Handler
	addr string
}

func (f fromAddr) RoundTrip(req *http.Request) (*http.Response, error) {
	in := httptest.NewRequest(req.Method, req.URL.String(), req.Body)
	in.Header = req.Header.Clone()
	in.RemoteAddr = net.JoinHostPort(f.addr, "50123")
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, in)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// clientAt is e.client at the address addr.
func (e *env) clientAt(addr string) *client {
	c := e.client()
	c.hc.Transport = fromAddr{e.handler, addr}
	return c
}

// addUsers gives e the users named names, each with password.
func (e *env) addUsers(names ...string) {
	e.t.Helper()
	for _, n := range names {
		if _, err := e.as.CreateUser(context.Background(), n, account.Volunteer, password); err != nil {
			e.t.Fatal(err)
		}
	}
}

// auditCount counts the audit log's entries with action by actor.
func (e *env) auditCount(action, actor string) int {
	e.t.Helper()
	log, err := e.as.AuditLog(context.Background(), 0)
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, en := range log {
		if en.Action == action && en.Actor == actor {
			n++
		}
	}
	return n
}

const (
	officePC  = "192.168.1.10"
	keesPhone = "192.168.1.23"
	guesser   = "192.168.1.66"
	wrongPW   = "verkeerd wachtwoord"
)

// wantLoggedIn checks that r is a login that worked: 303 to the next
// page with a session cookie.
func wantLoggedIn(t *testing.T, what string, r result) {
	t.Helper()
	if r.status != http.StatusSeeOther || r.location() != "/queue" {
		t.Errorf("%s: status %d to %q, want 303 to /queue\n%s", what, r.status, r.location(), r.body)
	}
	for _, c := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "bb_session=") && !strings.HasPrefix(c, "bb_session=;") {
			return
		}
	}
	t.Errorf("%s: no session cookie in %q", what, r.header.Values("Set-Cookie"))
}

// Seen: after 30 wrong passwords for Kees from another address, Kees's
// own correct password got 429 too.
func TestLoginAttackElsewhere(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUsers("Kees")
	attacker := e.clientAt(guesser)
	for i := 1; i <= 30; i++ {
		e.clock.Add(account.MaxDelay) // each a real guess, not a 429
		wantStatus(t, fmt.Sprintf("guess %d", i), attacker.tryLogin("Kees", wrongPW, ""), http.StatusUnauthorized)
	}
	kees := e.clientAt(keesPhone)
	wantLoggedIn(t, "Kees from his phone", kees.tryLogin("Kees", password, ""))
	wantStatus(t, "Kees's queue", kees.get("/queue"), http.StatusOK)
	// The guesser's address is still slowed on the account, even with
	// the right password.
	r := attacker.tryLogin("Kees", password, "")
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Wacht 15 minuten") {
		t.Errorf("the guesser's address after Kees's login: status %d, want 429 saying to wait 15 minutes\n%s", r.status, r.body)
	}
}

// Seen: after 5 typos on the shared office PC, every account waited.
func TestLoginOfficePC(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUsers("Piet", "Fatima")
	office := e.clientAt(officePC)
	for i := 1; i <= account.FreeFailures; i++ {
		wantStatus(t, fmt.Sprintf("Piet's typo %d", i), office.tryLogin("Piet", wrongPW, ""), http.StatusUnauthorized)
	}
	wantStatus(t, "Piet right away", office.tryLogin("Piet", password, ""), http.StatusTooManyRequests)
	wantLoggedIn(t, "Fatima at the office PC", e.clientAt(officePC).tryLogin("Fatima", password, ""))

	// Bring the office PC to one failure short of its own allowance,
	// with names of which none reaches the pair's.
	for i := 0; i < account.AddressFreeFailures-1; i++ {
		name := fmt.Sprintf("Gast %d", i/account.FreeFailures)
		wantStatus(t, "a typo for "+name, office.tryLogin(name, wrongPW, ""), http.StatusUnauthorized)
	}
	e.clock.Add(time.Second) // Piet's pair asked for a second
	wantLoggedIn(t, "Piet after the wait", e.clientAt(officePC).tryLogin("Piet", password, ""))

	// The address's count is clear: two more failures there go ahead,
	// where without the clearing the second would wait.
	for _, name := range []string{"Gast A", "Gast B"} {
		wantStatus(t, "a typo for "+name+" after Piet's login", office.tryLogin(name, wrongPW, ""), http.StatusUnauthorized)
	}
	// And so is Piet's on it: a typo right after is not held up.
	wantStatus(t, "Piet's typo after his login", office.tryLogin("Piet", wrongPW, ""), http.StatusUnauthorized)
}

// Seen: 35 attempts gave only 6 audit entries. Every refused attempt is
// written down, and what was typed is not.
func TestLoginThrottledAudited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.addUsers("Kees")
	c := e.clientAt(guesser)
	for i := 0; i < account.FreeFailures; i++ {
		wantStatus(t, "a guess", c.tryLogin("Kees", wrongPW, ""), http.StatusUnauthorized)
	}
	const refused = 30
	for i := 0; i < refused; i++ {
		r := c.tryLogin("kees", fmt.Sprintf("geheim %d", i), "") // any case is the account
		if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Wacht") {
			t.Fatalf("attempt %d: status %d, want 429 saying how long to wait\n%s", i, r.status, r.body)
		}
	}
	// A password typed into the name field, refused by the address's
	// pair with that name after its own five failures.
	secret := "mijn-geheime-wachtwoord"
	for i := 0; i < account.FreeFailures; i++ {
		c.tryLogin(secret, "x", "")
	}
	wantStatus(t, "the secret as a name", c.tryLogin(secret, "x", ""), http.StatusTooManyRequests)

	if got := e.auditCount(account.ActionLoginFailed, "Kees"); got != account.FreeFailures {
		t.Errorf("failed logins audited: %d, want %d", got, account.FreeFailures)
	}
	if got := e.auditCount(account.ActionLoginThrottled, "Kees"); got != refused {
		t.Errorf("throttled logins audited for Kees: %d, want %d", got, refused)
	}
	if got := e.auditCount(account.ActionLoginThrottled, ""); got != 1 {
		t.Errorf("throttled logins audited for an unknown name: %d, want 1", got)
	}
	log, err := e.as.AuditLog(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range log {
		if en.Action != account.ActionLoginThrottled {
			continue
		}
		if strings.Contains(en.Detail, "geheim") || strings.Contains(en.Actor, "geheim") || len(en.Detail) > 80 {
			t.Errorf("audit entry %+v: want a short detail without what was typed", en)
		}
		if !strings.Contains(en.Detail, guesser) {
			t.Errorf("audit entry %+v: want the address in the detail", en)
		}
	}
}

// One address trying a password or two on many accounts is slowed down
// after its allowance, though no account on it reached the pair's.
func TestLoginSpray(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.clientAt(guesser)
	for i := 0; i < account.AddressFreeFailures; i++ {
		name := fmt.Sprintf("Naam %d", i/2) // two guesses per account
		wantStatus(t, "a guess on "+name, c.tryLogin(name, wrongPW, ""), http.StatusUnauthorized)
	}
	r := c.tryLogin("Nog een naam", wrongPW, "")
	if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Wacht 1 seconde") {
		t.Errorf("guess %d: status %d, want 429 saying to wait 1 second\n%s", account.AddressFreeFailures+1, r.status, r.body)
	}
	// Another address is not slowed by it.
	wantStatus(t, "the same guess from another address", e.clientAt(officePC).tryLogin("Nog een naam", wrongPW, ""), http.StatusUnauthorized)
	wantLoggedIn(t, "Anna from her phone", e.clientAt(keesPhone).tryLogin(volunteer, password, ""))
}
