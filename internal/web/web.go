// Package web is the small web app the kiosk serves on the house network:
// volunteers scan a slip's QR code with their phone, log in once, and
// follow the anonymous question up; staff read the audit log and give
// volunteers access. Anyone who scans a slip without logging in sees only
// where the question stands and the message for the visitor.
//
// The pages are html/template with embedded CSS, readable on a small phone
// and working without JavaScript; one small script reloads the queue when
// it changes. Dutch by default; ?lang=en switches and a cookie remembers.
//
//	srv := web.New(web.Config{Now: time.Now}, questions, accounts,
//		&account.Throttle{}, cat, slog.Default())
//	http.ListenAndServe(":8080", srv.Handler())
//
// The web pages are an adapter: the rules live in internal/question and
// internal/account, the data behind the Questions and Accounts
// interfaces (internal/sqlite in production).
package web

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"
	_ "time/tzdata" // the kiosk PC may have no zoneinfo

	"buurtbalie/internal/account"
	"buurtbalie/internal/calendar"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/district"
	"buurtbalie/internal/figures"
	"buurtbalie/internal/question"
	"buurtbalie/internal/voice"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Questions is what the pages need of the question store.
type Questions interface {
	ByToken(ctx context.Context, token string) (question.Question, error)
	ByCode(ctx context.Context, code string) (question.Question, error)
	Topics(ctx context.Context) ([]question.Topic, error)
	Topic(ctx context.Context, key string) (question.Topic, error)
	Queue(ctx context.Context, f question.QueueFilter) ([]question.QueueItem, error)
	Apply(ctx context.Context, id int64, actor string, a question.Action) (question.Question, error)
	Viewed(ctx context.Context, id int64, actor string) error
	History(ctx context.Context, id int64) ([]question.Event, error)
	VisitorView(ctx context.Context, token string) (question.VisitorView, error)
	Partners(ctx context.Context) ([]question.Partner, error)
}

// Accounts is what the pages need of the account store: logins, sessions,
// users and the audit log.
type Accounts interface {
	Login(ctx context.Context, name, password string) (account.User, error)
	CreateSession(ctx context.Context, userID int64) (token, csrf string, err error)
	// Session returns the user of a session and its CSRF token, or an
	// error (account.ErrNoSession) for an unknown or expired one.
	Session(ctx context.Context, token string) (account.User, string, error)
	DeleteSession(ctx context.Context, token string) error
	Users(ctx context.Context) ([]account.User, error)
	CreateUser(ctx context.Context, name string, role account.Role, password string) (account.User, error)
	DisableUser(ctx context.Context, name string) error
	Audit(ctx context.Context, e account.Entry) error
	AuditLog(ctx context.Context, limit int) ([]account.Entry, error)
	Speakers
}

// Config sets up a Server.
type Config struct {
	// Secure marks the cookies Secure: set it when the server speaks TLS.
	Secure bool
	// Now returns the current time, for ages such as "12 minuten
	// geleden"; nil for time.Now.
	Now func() time.Time
	// Location is the house's time zone for the times shown; nil for
	// Europe/Amsterdam.
	Location *time.Location
	// Rand is where the login form's CSRF tokens come from; nil for
	// crypto/rand.
	Rand io.Reader
	// Database is what /healthz asks whether the database answers; nil
	// asks the Questions store instead, if it has a Health method (the
	// sqlite one has).
	Database Health
	// PrinterStatus, when set, tells /healthz how the slip printer is:
	// its state in one line, and an error when a slip sent now would
	// not print (with no state when the printer cannot be reached). nil
	// leaves the printer out of /healthz.
	PrinterStatus func(ctx context.Context) (string, error)
	// Programme, when set, serves the staff pages that keep the
	// programme: the week, activities, one-day changes and imports. nil
	// leaves them out (they answer 404).
	Programme Programme
	// Settings, when set, serves the staff's settings pages: the house,
	// categories, topics and partners. nil leaves them out (404).
	Settings *Settings
	// Subscriptions, with Programme, serves the page where staff
	// subscribe the programme to calendar feeds, and their status on
	// the week; nil leaves them out.
	Subscriptions Subscriptions
	// RefreshSubscription fetches a feed now and applies it, recording
	// how it went (subscription.Refresher's Refresh); nil does nothing
	// but wait for the refresher's next round.
	RefreshSubscription func(ctx context.Context, id int64) (calendar.Report, error)
	// Figures, when set, serves /figures: the house's anonymous figures
	// for its funders (staff only). nil leaves it out.
	Figures figures.Source
	// District, when set, says on the settings page how the house's tie
	// to its district stands (joined with "buurtbalie district join"):
	// when it last sent, what waits, and a revocation. nil says nothing.
	District interface {
		Link(ctx context.Context) (district.Link, bool, error)
	}
	// HandedOver, when set, is told that a volunteer handed a question
	// over to another house, so that it leaves for the district now
	// rather than at the sender's next round (outbox.Sender's Nudge).
	HandedOver func()
	// FigureHouses, when set instead of Figures, serves /figures over
	// several houses, as a district has: ?house= chooses one of them.
	FigureHouses FigureHouses
	// Home is where "/" and a login without a page to return to go;
	// "" for /queue. A server without questions (New's questions nil)
	// serves no volunteers' pages, and should send elsewhere.
	Home string
	// Extensions add pages of other packages, for staff, in this
	// server's layout (see Extension).
	Extensions []Extension
}

// Server serves the web pages. Make one with New.
type Server struct {
	cfg       Config
	questions Questions
	accounts  Accounts
	throttle  *account.Throttle
	cat       *catalogue.Catalogue
	log       *slog.Logger
	pages     map[string]*template.Template
	mux       *http.ServeMux
}

// New returns a Server over the stores. throttle slows down guessed
// passwords and codes; it must be shared by every Server of a process.
// questions nil leaves the volunteers' pages out (the slips, the queue,
// the code and /me): a server for staff only, such as a district's.
func New(cfg Config, questions Questions, accounts Accounts, throttle *account.Throttle, cat *catalogue.Catalogue, log *slog.Logger) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		loc, err := time.LoadLocation("Europe/Amsterdam")
		if err != nil { // cannot happen with time/tzdata linked in
			loc = time.UTC
		}
		cfg.Location = loc
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Home == "" {
		cfg.Home = "/queue"
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		cfg:       cfg,
		questions: questions,
		accounts:  accounts,
		throttle:  throttle,
		cat:       cat,
		log:       log,
		pages:     parsePages(),
		mux:       http.NewServeMux(),
	}
	s.routes()
	return s
}

// Handler returns the handler for every page, with the security headers.
func (s *Server) Handler() http.Handler {
	return s.secure(s.mux)
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /static/{file...}", s.handleStatic)

	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, s.cfg.Home, http.StatusSeeOther)
	})
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	if s.questions != nil {
		s.mux.HandleFunc("GET /s/{token}", s.handleSlip)
		s.mux.HandleFunc("POST /s/{token}", s.volunteer(s.handleAct))
		s.mux.HandleFunc("GET /queue", s.volunteer(s.handleQueue))
		s.mux.HandleFunc("GET /queue/version", s.volunteer(s.handleQueueVersion))
		s.mux.HandleFunc("GET /code", s.volunteer(s.handleCodeForm))
		s.mux.HandleFunc("POST /code", s.volunteer(s.handleCode))
		s.languageRoutes()
	}
	s.mux.HandleFunc("GET /login", s.handleLoginForm)
	s.mux.HandleFunc("POST /login", s.handleLogin)
	s.mux.HandleFunc("POST /logout", s.volunteer(s.handleLogout))
	s.mux.HandleFunc("GET /audit", s.staff(s.handleAudit))
	s.mux.HandleFunc("GET /users", s.staff(s.handleUsers))
	s.mux.HandleFunc("POST /users", s.staff(s.handleAddUser))
	s.mux.HandleFunc("POST /users/disable", s.staff(s.handleDisableUser))
	s.programmeRoutes()
	s.settingsRoutes()
	s.subscriptionRoutes()
	s.figureRoutes()
	s.extensionRoutes()
	s.mux.HandleFunc("/", s.pageNotFound)
}

// pageNotFound answers 404 with the app's page, with the session, so
// that this 404 is the same as a slip's.
func (s *Server) pageNotFound(w http.ResponseWriter, r *http.Request) {
	sess, err := s.session(w, r)
	if err != nil {
		s.fail(w, r, nil, err)
		return
	}
	s.notFound(w, r, sess)
}

// staticFS is the stylesheet and the scripts, as served under /static/.
var staticFS, _ = fs.Sub(staticFiles, "static")

// handleStatic serves one file of static/. Not http.FileServerFS: that
// lists a folder (GET /static/ showed what the program carries) and
// answers a missing file in plain text; here both get the app's 404.
func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	f, err := staticFS.Open(name) // refuses "", "..", and the like
	if err != nil {
		s.pageNotFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	rs, seeks := f.(io.ReadSeeker) // embedded files seek
	if err != nil || st.IsDir() || !seeks {
		s.pageNotFound(w, r)
		return
	}
	// Browsers may keep the stylesheet and the scripts for an hour: they
	// change only with a new version of the program.
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.ServeContent(w, r, name, st.ModTime(), rs)
}

// maxForm bounds a form's body: the longest note is 2000 characters.
const maxForm = 64 << 10

// bodyLimit is how large a request's body to path may be.
func bodyLimit(path string) int64 {
	switch path {
	case "/programme/import":
		return maxUploadBody // a calendar file
	case "/settings/voices":
		return voice.MaxUploadBytes + 64<<10 // a recording and its form
	}
	return maxForm
}

// maxMemory is how much of a multipart form is kept in memory: as
// Request.FormFile would, and more than any body bodyLimit lets in.
const maxMemory = 32 << 20

// secure sets the headers every response gets, refuses a form another
// site posts, bounds request bodies and turns a panic into a 500 page
// without logging the URL, which may hold a slip's token.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer") // the slip's token is in the URL
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		if s.cfg.Secure {
			// Only under TLS (over plain HTTP a browser ignores it, and
			// it would promise what the server does not keep). Without
			// includeSubDomains or preload: the house network may host
			// other things, on other names, that speak no TLS.
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("web: panic", "route", r.Pattern, "panic", v)
				s.fail(w, r, nil, nil)
			}
		}()
		r.Body = http.MaxBytesReader(w, r.Body, bodyLimit(r.URL.Path))
		if unsafeMethod(r.Method) {
			if !s.sameOrigin(r) {
				s.crossSite(w, r)
				return
			}
			if !s.readForm(w, r) {
				return
			}
		}
		if strings.HasPrefix(r.URL.Path, "/pictogram/") {
			s.ownNotFound(next).ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// unsafeMethod reports whether method may change something, and so
// must come from the app's own pages.
func unsafeMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	return true
}

// sameOrigin reports whether a request that changes something may come
// from where it says it comes from: a browser names the page's origin
// in Origin, which must then be the server's own (the scheme Config's
// Secure says, and the Host the request came to). A browser that sends
// no Origin, or "null" (it withholds the origin under the pages'
// Referrer-Policy no-referrer, or from a sandboxed frame), may still say
// in Sec-Fetch-Site that the form is another site's. Neither header,
// from an old browser or curl, is allowed: the CSRF token and the
// SameSite cookies still guard those.
func (s *Server) sameOrigin(r *http.Request) bool {
	if origin := r.Header.Get("Origin"); origin != "" && origin != "null" {
		scheme := "http"
		if s.cfg.Secure {
			scheme = "https"
		}
		// Browsers write the origin in lower case, and leave out a
		// default port as they do in Host.
		return strings.EqualFold(origin, scheme+"://"+r.Host)
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site": // same-site: another origin of the site, such as another port
		return false
	}
	return true // same-origin, none (the user's own doing), or not sent
}

// readForm reads the body's form, before any handler looks for its CSRF
// token, and reports whether to go on. A body over bodyLimit gets 413:
// read later, by the handler, it would show as a missing CSRF token
// (403, "Dit mag niet") and not say what was wrong. Any other error is
// left for the handler to meet as it always did.
func (s *Server) readForm(w http.ResponseWriter, r *http.Request) bool {
	err := r.ParseForm() // multipart bodies are left for ParseMultipartForm
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && mt == "multipart/form-data" {
		err = r.ParseMultipartForm(maxMemory)
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.tooLarge(w, r)
		return false
	}
	return true
}

// ownNotFound gives the app's 404 page where next answers 404 in plain
// text (http.NotFound), so that a missing pictogram looks like any other
// missing page.
func (s *Server) ownNotFound(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nw := &notFoundWriter{ResponseWriter: w}
		next.ServeHTTP(nw, r)
		if nw.missing {
			h := w.Header()
			h.Del("Content-Length")
			h.Set("Cache-Control", "no-store")
			s.pageNotFound(w, r)
		}
	})
}

// notFoundWriter holds back a 404 and its body, for ownNotFound to write
// its own page instead.
type notFoundWriter struct {
	http.ResponseWriter
	missing, wrote bool
}

func (w *notFoundWriter) WriteHeader(code int) {
	if !w.wrote && code == http.StatusNotFound {
		w.missing = true
	}
	w.wrote = true
	if !w.missing {
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *notFoundWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if w.missing {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

func (w *notFoundWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
