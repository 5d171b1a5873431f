package web

import (
	"bytes"
	"html/template"
	"net/http"
	"path"
	"strconv"
	"time"

	"buurtbalie/internal/bidi"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/voice"
)

// page is what every template gets: the language, who is logged in, the
// CSRF token for its forms, a message, and the page's own Data.
type page struct {
	L       *catalogue.Translator
	Langs   []langLink
	User    *session // nil when not logged in
	Title   string
	Error   string // what went wrong, in the page's language
	Notice  string // what went right
	Disk    string // for staff: the disk is full or read-only, so nothing is saved
	Refresh bool   // for the queue: reload without JavaScript
	// Programme says whether the staff programme pages are served;
	// Settings the same of the settings pages.
	Programme, Settings bool
	Figures             bool
	// Volunteer says whether the volunteers' pages (the queue, a code,
	// /me) are served; Nav are the extensions' links for staff.
	Volunteer bool
	Nav       []navLink
	// Home leads back to where "/" goes: the open questions, on a
	// house's server.
	Home staffLink
	Data any
}

// navLink is an extension's link in the menu, its label translated.
type navLink struct {
	Path, Label string
}

// langLink switches the page's language. The link is "?lang=en", relative
// to the page itself, so it holds no path (and no token).
type langLink struct {
	Lang, Name string
	Current    bool
}

// CSRF returns the token the page's forms carry.
func (p page) CSRF() string {
	if p.User == nil {
		return ""
	}
	return p.User.csrf
}

// Staff reports whether the user may see the staff pages.
func (p page) Staff() bool { return p.User != nil && p.User.staff() }

// pageNames are the templates in templates/, each rendered inside
// layout.html.
var pageNames = []string{
	"visitor", "slip", "queue", "code", "login", "audit", "users", "message",
	"week", "activity", "import", "settings", "named", "partner", "subscriptions", "messages",
	"me",
	"voices",
	"figures",
	"staff_error",
}

func parsePages() map[string]*template.Template {
	pages := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		pages[name] = template.Must(template.New("layout.html").
			ParseFS(templateFiles, "templates/layout.html", path.Join("templates", name+".html")))
	}
	return pages
}

// newPage starts a page in the request's language; fallback is the
// language to use when the visitor chose none (the question's own).
func (s *Server) newPage(w http.ResponseWriter, r *http.Request, sess *session, fallback string) page {
	l := s.translator(w, r, fallback)
	p := page{L: l, User: sess, Programme: s.cfg.Programme != nil, Settings: s.cfg.Settings != nil,
		Figures: s.cfg.Figures != nil || s.cfg.FigureHouses != nil, Volunteer: s.questions != nil, Home: s.homeLink(l)}
	if sess != nil && sess.staff() {
		for _, e := range s.cfg.Extensions {
			for _, n := range e.Nav {
				p.Nav = append(p.Nav, navLink{Path: n.Path, Label: l.T(n.Label)})
			}
		}
		// Staff are the ones who can act on a full or broken disk; the
		// check (a statfs, a few stats, two tiny queries) is cheap beside
		// the page.
		p.Disk = s.diskWarning(r.Context(), l)
	}
	for _, lang := range s.cat.Languages() {
		p.Langs = append(p.Langs, langLink{Lang: lang, Name: s.cat.Language(lang), Current: lang == l.Lang()})
	}
	return p
}

// Dir is the page's direction for <html dir>: rtl for Arabic, so the
// browser lays the page out right to left and orders mixed text itself.
func (p page) Dir() string {
	if bidi.IsRTL(p.L.Lang()) {
		return "rtl"
	}
	return "ltr"
}

// langCookie remembers the chosen language for a year.
const langCookie = "bb_lang"

// translator picks the language: ?lang= (remembered in a cookie), then the
// cookie, then fallback, then the default.
func (s *Server) translator(w http.ResponseWriter, r *http.Request, fallback string) *catalogue.Translator {
	if lang := r.URL.Query().Get("lang"); s.cat.Has(lang) {
		http.SetCookie(w, &http.Cookie{
			Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode,
		})
		return s.cat.For(lang)
	}
	if c, err := r.Cookie(langCookie); err == nil && s.cat.Has(c.Value) {
		return s.cat.For(c.Value)
	}
	if s.cat.Has(fallback) {
		return s.cat.For(fallback)
	}
	return s.cat.For(s.cat.Default())
}

// render writes the page name with status. It renders into a buffer
// first, so that a template error becomes a clean 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	s.renderTemplate(w, r, status, name, s.pages[name], p)
}

// renderTemplate writes the page t, named name in the log, with status.
func (s *Server) renderTemplate(w http.ResponseWriter, r *http.Request, status int, name string, t *template.Template, p page) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		s.log.Error("web: render", "page", name, "route", r.Pattern, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// message renders a page that only says something: not found, not
// allowed, something went wrong.
func (s *Server) message(w http.ResponseWriter, r *http.Request, sess *session, status int, title, text string) {
	p := s.newPage(w, r, sess, "")
	p.Title = p.L.T(title)
	p.Data = p.L.T(text)
	s.render(w, r, status, "message", p)
}

// notFound is the one 404 page: for a malformed token, an unknown token
// and (to a visitor) any other path alike, so that it tells a guesser
// nothing. Logged in, a page other than a slip's gets staffNotFound's.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, sess *session) {
	if s.staffNotFound(w, r, sess) { // logged in, and not a slip's page
		return
	}
	s.message(w, r, sess, http.StatusNotFound, "web.notfound.title", "web.notfound.text")
}

// crossSite refuses a form another site posted (sameOrigin): it is not
// the volunteer's doing, so nothing is saved, and the page says where to
// do it instead.
func (s *Server) crossSite(w http.ResponseWriter, r *http.Request) {
	sess, _ := s.session(w, r)
	s.message(w, r, sess, http.StatusForbidden, "web.cross_site.title", "web.cross_site.text")
}

// tooLarge answers 413 to a body over bodyLimit, and says what may be
// sent: a calendar file and a recording have a limit in MB a person can
// check; a form only has text, which is to be made shorter.
func (s *Server) tooLarge(w http.ResponseWriter, r *http.Request) {
	sess, _ := s.session(w, r)
	p := s.newPage(w, r, sess, "")
	p.Title = p.L.T("web.too_large.title")
	switch r.URL.Path {
	case "/programme/import":
		p.Data = p.L.Tf("web.too_large.file", map[string]any{"Max": megabytes(maxUpload)})
	case "/settings/voices":
		p.Data = p.L.Tf("web.too_large.file", map[string]any{"Max": megabytes(voice.MaxUploadBytes)})
	default:
		p.Data = p.L.T("web.too_large.text")
	}
	// The rest of the body is not read: close the connection rather than
	// wait for what may be megabytes more.
	w.Header().Set("Connection", "close")
	s.render(w, r, http.StatusRequestEntityTooLarge, "message", p)
}

// megabytes writes n bytes as whole megabytes, as a file manager shows
// them ("2 MB").
func megabytes(n int) string { return strconv.Itoa(n>>20) + " MB" }

func (s *Server) forbidden(w http.ResponseWriter, r *http.Request, sess *session) {
	s.message(w, r, sess, http.StatusForbidden, "web.forbidden.title", "web.forbidden.text")
}

// fail logs err (which must hold no token or question text) and shows a
// calm 500 page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, sess *session, err error) {
	if err != nil {
		s.log.Error("web: request failed", "route", r.Pattern, "err", err)
	}
	s.message(w, r, sess, http.StatusInternalServerError, "web.error.title", "web.error.text")
}

// age says how long ago t was, as people say it: "12 minuten geleden".
func age(l *catalogue.Translator, now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return l.T("web.age.now")
	case d < 2*time.Minute:
		return l.Tn("web.age.minutes", 1, nil)
	case d < time.Hour:
		return l.Tn("web.age.minutes", int(d/time.Minute), nil)
	case d < 2*time.Hour:
		return l.Tn("web.age.hours", 1, nil)
	case d < 24*time.Hour:
		return l.Tn("web.age.hours", int(d/time.Hour), nil)
	case d < 48*time.Hour:
		return l.T("web.age.day")
	}
	return l.Tn("web.age.days", int(d/(24*time.Hour)), nil)
}

// when writes a moment as "vandaag, 14:05" or "maandag 23 november, 14:05"
// in the house's time zone.
func (s *Server) when(l *catalogue.Translator, t time.Time) string {
	t = t.In(s.cfg.Location)
	date := l.T("day.today")
	if !s.isToday(t) {
		date = l.Date(t.Year(), t.Month(), t.Day())
	}
	return l.Tf("format.datetime", map[string]any{"Date": date, "Time": l.Clock(t)})
}

// isToday reports whether t falls on the house's today.
func (s *Server) isToday(t time.Time) bool {
	return programme.DateOf(t.In(s.cfg.Location)) == s.today()
}
