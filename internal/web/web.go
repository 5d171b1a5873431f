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
	"buurtbalie/internal/figures"
	"buurtbalie/internal/voice"
	"context"
	"crypto/rand"
	"embed"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"time"
	_ "time/tzdata" // the kiosk PC may have no zoneinfo

	"buurtbalie/internal/account"
	"buurtbalie/internal/calendar"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/question"
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
	static, _ := fs.Sub(staticFiles, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(static))
	s.mux.Handle("GET /static/", cached(files))

	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/queue", http.StatusSeeOther)
	})
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	s.mux.HandleFunc("GET /s/{token}", s.handleSlip)
	s.mux.HandleFunc("POST /s/{token}", s.volunteer(s.handleAct))
	s.mux.HandleFunc("GET /queue", s.volunteer(s.handleQueue))
	s.mux.HandleFunc("GET /queue/version", s.volunteer(s.handleQueueVersion))
	s.mux.HandleFunc("GET /code", s.volunteer(s.handleCodeForm))
	s.mux.HandleFunc("POST /code", s.volunteer(s.handleCode))
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
	s.languageRoutes()
	s.figureRoutes()
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// With the session, so that this 404 is the same as a slip's.
		sess, err := s.session(w, r)
		if err != nil {
			s.fail(w, r, nil, err)
			return
		}
		s.notFound(w, r, sess)
	})
}

// maxForm bounds a form's body: the longest note is 2000 characters.
const maxForm = 64 << 10

// secure sets the headers every response gets, bounds request bodies and
// turns a panic into a 500 page without logging the URL, which may hold a
// slip's token.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer") // the slip's token is in the URL
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		limit := int64(maxForm)
		switch r.URL.Path {
		case "/programme/import":
			limit = maxUploadBody // a calendar file
		case "/settings/voices":
			limit = voice.MaxUploadBytes + 64<<10 // a recording and its form
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("web: panic", "route", r.Pattern, "panic", v)
				s.fail(w, r, nil, nil)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// cached lets browsers keep the stylesheet and the script for an hour:
// they change only with a new version of the program.
func cached(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}
