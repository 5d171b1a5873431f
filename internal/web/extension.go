package web

import (
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
)

// An Extension adds another package's pages to the server: for staff
// only, in the app's layout, language and session, each with its own
// template. A district's server adds its houses and partners this way:
//
//	web.Extension{
//		Templates: templates, // houses.html, …, each defining "content"
//		Nav:       []web.NavLink{{Path: "/houses", Label: "district.nav.houses"}},
//		Routes: func(k *web.Kit) {
//			k.Handle("GET /houses", p.houses)
//			k.Handle("POST /houses", p.addHouse) // CSRF-checked
//		},
//	}
type Extension struct {
	// Templates holds the pages as NAME.html at its root, each
	// defining "content" as the app's own pages do; Kit.Render names
	// them by NAME. They see the page as the app's own templates do:
	// .L (the language), .Title, .CSRF, .User and the handler's .Data.
	Templates fs.FS
	// Nav are links staff see in the menu.
	Nav []NavLink
	// Routes registers the pages with Kit.Handle.
	Routes func(k *Kit)
}

// NavLink is a link in the menu: Label is a message ID.
type NavLink struct {
	Path, Label string
}

// Kit is what an Extension's pages get of the server.
type Kit struct {
	s     *Server
	pages map[string]*template.Template
}

// Visit is one request of a member of staff to an Extension's page.
type Visit struct {
	User account.User
	L    *catalogue.Translator // the page's language
	sess *session
}

// View is what Kit.Render shows: the title and messages in the page's
// language, and the template's Data.
type View struct {
	Title, Error, Notice string
	Data                 any
}

// extensionRoutes parses each extension's templates and lets it add
// its routes. A template that does not parse is the program's own
// mistake, as for the app's pages: New panics.
func (s *Server) extensionRoutes() {
	for _, e := range s.cfg.Extensions {
		k := &Kit{s: s, pages: map[string]*template.Template{}}
		if e.Templates != nil {
			names, err := fs.Glob(e.Templates, "*.html")
			if err != nil {
				panic(err)
			}
			for _, f := range names {
				t := template.Must(template.New("layout.html").ParseFS(templateFiles, "templates/layout.html"))
				k.pages[strings.TrimSuffix(f, ".html")] = template.Must(t.ParseFS(e.Templates, f))
			}
		}
		if e.Routes != nil {
			e.Routes(k)
		}
	}
}

// Handle serves pattern (as http.ServeMux takes it: "GET /houses") to
// staff only: without a session it sends to the login page, a volunteer
// gets 403, and a POST needs the session's CSRF token.
func (k *Kit) Handle(pattern string, h func(w http.ResponseWriter, r *http.Request, v *Visit)) {
	k.s.mux.HandleFunc(pattern, k.s.staff(func(w http.ResponseWriter, r *http.Request, sess *session) {
		h(w, r, &Visit{User: sess.User, L: k.s.translator(w, r, ""), sess: sess})
	}))
}

// Render writes the template name in the app's layout, with status.
func (k *Kit) Render(w http.ResponseWriter, r *http.Request, v *Visit, status int, name string, view View) {
	t, ok := k.pages[name]
	if !ok {
		k.s.log.Error("web: no such extension page", "page", name, "route", r.Pattern)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	p := k.s.newPage(w, r, v.sess, "")
	p.Title, p.Error, p.Notice, p.Data = view.Title, view.Error, view.Notice, view.Data
	k.s.renderTemplate(w, r, status, name, t, p)
}

// Fail logs err (which must hold no question text or token) and shows
// the calm 500 page.
func (k *Kit) Fail(w http.ResponseWriter, r *http.Request, v *Visit, err error) {
	k.s.fail(w, r, v.sess, err)
}

// NotFound shows the staff's 404 page.
func (k *Kit) NotFound(w http.ResponseWriter, r *http.Request, v *Visit) {
	k.s.notFound(w, r, v.sess)
}

// Audit writes e to the audit log, as the server's own pages do (its
// Detail cut to account.MaxDetail); a failure is logged, not shown.
func (k *Kit) Audit(r *http.Request, e account.Entry) { k.s.audit(r, e) }

// Log is the server's logger.
func (k *Kit) Log() *slog.Logger { return k.s.log }

// Now is the server's clock.
func (k *Kit) Now() time.Time { return k.s.cfg.Now() }

// When writes t as the app's pages do: "vandaag, 14:05" or "maandag 23
// november, 14:05", in the server's time zone.
func (k *Kit) When(l *catalogue.Translator, t time.Time) string { return k.s.when(l, t) }

// Age says how long ago t was: "12 minuten geleden".
func (k *Kit) Age(l *catalogue.Translator, t time.Time) string { return age(l, k.s.cfg.Now(), t) }
