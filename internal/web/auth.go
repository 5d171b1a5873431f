package web

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
)

// The cookies. The session cookie holds the session's token; the login
// cookie the login form's CSRF token (double submit: the form and the
// cookie must carry the same value, which another site cannot read).
const (
	sessionCookie = "bb_session"
	loginCookie   = "bb_login"
)

// session is a logged-in user and their session's tokens.
type session struct {
	account.User
	token string // the cookie's value
	csrf  string // the token every form of the session carries
}

func (s *session) staff() bool { return s.Role == account.Staff }

// session returns the request's session, or nil when it has none, an
// unknown one or an expired one (the store ends a session idle for
// account.SessionIdle).
func (s *Server) session(w http.ResponseWriter, r *http.Request) (*session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || !account.ValidToken(c.Value) {
		return nil, nil
	}
	u, csrf, err := s.accounts.Session(r.Context(), c.Value)
	if errors.Is(err, account.ErrNoSession) || errors.Is(err, account.ErrNotFound) {
		s.clearCookie(w, sessionCookie, "/")
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &session{User: u, token: c.Value, csrf: csrf}, nil
}

// handlerFunc is a page for logged-in users.
type handlerFunc func(w http.ResponseWriter, r *http.Request, sess *session)

// volunteer guards a page for volunteers and staff: without a session it
// sends to the login page, and a POST needs the session's CSRF token.
func (s *Server) volunteer(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, err := s.session(w, r)
		if err != nil {
			s.fail(w, r, nil, err)
			return
		}
		if sess == nil {
			s.toLogin(w, r)
			return
		}
		if r.Method == http.MethodPost && !sameToken(r.PostFormValue("csrf"), sess.csrf) {
			s.forbidden(w, r, sess)
			return
		}
		h(w, r, sess)
	}
}

// staff guards a page for staff only; volunteers get 403.
func (s *Server) staff(h handlerFunc) http.HandlerFunc {
	return s.volunteer(func(w http.ResponseWriter, r *http.Request, sess *session) {
		if !sess.staff() {
			s.forbidden(w, r, sess)
			return
		}
		h(w, r, sess)
	})
}

// toLogin sends to the login page, which comes back here afterwards. A
// POST comes back to the page it was posted to.
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.EscapedPath()
	if r.Method == http.MethodGet && r.URL.RawQuery != "" {
		next += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// sameToken compares a submitted token with the expected one in constant
// time; an empty token never matches.
func sameToken(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// localPath returns next if it is a path on this server, else home: the
// login page must not send anyone to another site ("//evil.example" and
// "/\evil.example" are other sites to a browser).
func localPath(next, home string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\x00\r\n\t") || !utf8.ValidString(next) {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return home
	}
	return next
}

// ClientIP is the address the request came from, without the port. The
// kiosk serves the LAN directly, so there is no proxy header to trust.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) clearCookie(w http.ResponseWriter, name, path string) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: "", Path: path, MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode,
	})
}

// loginForm is the login page's Data.
type loginForm struct {
	Name string
	Next string
	CSRF string // the double-submit token, also in the login cookie
}

// loginToken returns the login form's CSRF token: the one in the login
// cookie, so that two open tabs both work, or a fresh one.
func (s *Server) loginToken(w http.ResponseWriter, r *http.Request) (string, error) {
	if c, err := r.Cookie(loginCookie); err == nil && account.ValidToken(c.Value) {
		return c.Value, nil
	}
	tok, err := account.NewToken(s.cfg.Rand)
	if err != nil {
		return "", err
	}
	http.SetCookie(w, &http.Cookie{
		Name: loginCookie, Value: tok, Path: "/login",
		HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode,
	})
	return tok, nil
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	sess, err := s.session(w, r)
	if err != nil {
		s.fail(w, r, nil, err)
		return
	}
	next := localPath(r.URL.Query().Get("next"), s.cfg.Home)
	if sess != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.showLogin(w, r, http.StatusOK, loginForm{Next: next}, "")
}

func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, status int, f loginForm, msg string) {
	tok, err := s.loginToken(w, r)
	if err != nil {
		s.fail(w, r, nil, err)
		return
	}
	f.CSRF = tok
	p := s.newPage(w, r, nil, "")
	p.Title = p.L.T("web.login.title")
	p.Error = msg
	p.Data = f
	s.render(w, r, status, "login", p)
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := r.Cookie(loginCookie)
	if err != nil || !account.ValidToken(c.Value) || !sameToken(r.PostFormValue("csrf"), c.Value) {
		s.forbidden(w, r, nil)
		return
	}
	f := loginForm{Name: r.PostFormValue("name"), Next: localPath(r.PostFormValue("next"), s.cfg.Home)}
	name, password := account.NormaliseName(f.Name), r.PostFormValue("password")
	l := s.translator(w, r, "")

	ip := ClientIP(r)
	if wait, brake := s.throttle.AllowLogin(name, ip); wait > 0 {
		s.auditThrottled(r, name, ip, wait, brake)
		s.showLogin(w, r, http.StatusTooManyRequests, f, l.Tf("web.login.wait", map[string]any{"Wait": waitText(l, wait)}))
		return
	}
	if name == "" || password == "" {
		s.showLogin(w, r, http.StatusUnprocessableEntity, f, l.T("web.login.empty"))
		return
	}
	// Login writes the audit entry itself, failed or not: only the store
	// knows whether a failed name belongs to a user.
	u, err := s.accounts.Login(ctx, name, password)
	var token string
	if err == nil {
		// Disabled between Login and now gives ErrBadLogin too.
		token, _, err = s.accounts.CreateSession(ctx, u.ID)
	}
	if errors.Is(err, account.ErrBadLogin) {
		s.throttle.FailLogin(name, ip)
		s.showLogin(w, r, http.StatusUnauthorized, f, l.T("web.login.bad"))
		return
	}
	if err != nil {
		s.fail(w, r, nil, err)
		return
	}
	// The pair's and the address's failures: the next volunteer at the
	// office PC goes ahead. A guesser there still finds each account he
	// tried braked for this address (account.Throttle.SucceedLogin).
	s.throttle.SucceedLogin(name, ip)
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/",
		HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode,
	})
	s.clearCookie(w, loginCookie, "/login")
	http.Redirect(w, r, f.Next, http.StatusSeeOther)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, sess *session) {
	if err := s.accounts.DeleteSession(r.Context(), sess.token); err != nil {
		s.fail(w, r, sess, err)
		return
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: account.ActionLogout})
	s.clearCookie(w, sessionCookie, "/")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// auditThrottled writes a login refused by the throttle to the audit log,
// each one, so that staff see how hard an account is tried. The actor is
// the account's name only when a user has it: an unknown name may be a
// password typed into the wrong field. The detail has the address, the
// brake and the wait, never what was typed.
func (s *Server) auditThrottled(r *http.Request, name, ip string, wait time.Duration, brake account.Brake) {
	e := account.Entry{Action: account.ActionLoginThrottled}
	users, err := s.accounts.Users(r.Context())
	if err != nil {
		s.log.Error("web: users for the audit log", "err", err)
	}
	for _, u := range users {
		if account.UserKey(u.Name) == account.UserKey(name) {
			e.Actor = u.Name
			break
		}
	}
	e.Detail = fmt.Sprintf("from %s, brake: %s, wait %s", ip, brake, wait.Round(time.Second))
	s.audit(r, e)
}

// audit writes e to the audit log. A failure is logged, not shown: the
// volunteer's work is already saved.
//
// Its Detail is cut to account.MaxDetail here, once for every page: the
// store refuses a longer one, and the log is better for a cut detail
// than for no line.
func (s *Server) audit(r *http.Request, e account.Entry) {
	e.Detail = cut(e.Detail, account.MaxDetail)
	if err := s.accounts.Audit(r.Context(), e); err != nil {
		s.log.Error("web: audit", "action", e.Action, "question", e.QuestionID, "err", err)
	}
}

// waitText says how long to wait, rounded up: "8 seconden", "3 minuten".
func waitText(l *catalogue.Translator, d time.Duration) string {
	if d <= time.Minute {
		n := int(math.Ceil(d.Seconds()))
		if n <= 1 {
			return l.Tn("web.wait.seconds", 1, nil)
		}
		return l.Tn("web.wait.seconds", n, nil)
	}
	return l.Tn("web.wait.minutes", int(math.Ceil(d.Minutes())), nil)
}

// cut returns s cut to at most n characters.
func cut(s string, n int) string { return account.Cut(s, n) }
