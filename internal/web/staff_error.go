package web

import (
	"net/http"
	"strings"

	"buurtbalie/internal/catalogue"
)

// staffErrorView is the staff error page: what was wrong, in words that
// say how to put it right, and where to go from there.
type staffErrorView struct {
	Text  string
	Links []staffLink
}

type staffLink struct {
	Href, Text string
}

// staffError renders the staff error page with status; build writes its
// title and text in the page's language.
func (s *Server) staffError(w http.ResponseWriter, r *http.Request, sess *session, status int,
	build func(l *catalogue.Translator) (title string, v staffErrorView)) {
	p := s.newPage(w, r, sess, "")
	var v staffErrorView
	p.Title, v = build(p.L)
	p.Data = v
	s.render(w, r, status, "staff_error", p)
}

// staffNotFound answers a 404 to a logged-in volunteer or staff member
// with the staff error page, and reports whether it did. The slip's own
// pages (/s/…) keep the one visitor 404, whoever asks, so that it tells
// a guesser nothing; and a visitor gets that page everywhere.
func (s *Server) staffNotFound(w http.ResponseWriter, r *http.Request, sess *session) bool {
	if sess == nil || r.URL.Path == "/s" || strings.HasPrefix(r.URL.Path, "/s/") {
		return false
	}
	s.staffError(w, r, sess, http.StatusNotFound, func(l *catalogue.Translator) (string, staffErrorView) {
		return l.T("web.staff_error.notfound.title"), staffErrorView{
			Text:  l.Tf("web.staff_error.notfound.text", map[string]any{"Path": cut(r.URL.Path, 80)}),
			Links: []staffLink{s.homeLink(l)},
		}
	})
	return true
}

// homeLink leads back to the server's home: the queue, or (on a server
// without one) the home page as its menu names it.
func (s *Server) homeLink(l *catalogue.Translator) staffLink {
	if s.cfg.Home == "/queue" {
		return staffLink{Href: "/queue", Text: l.T("web.nav.back_to_queue")}
	}
	for _, e := range s.cfg.Extensions {
		for _, n := range e.Nav {
			if n.Path == s.cfg.Home {
				return staffLink{Href: n.Path, Text: l.T(n.Label)}
			}
		}
	}
	return staffLink{Href: s.cfg.Home, Text: s.cfg.Home}
}
