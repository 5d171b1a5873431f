package web

import (
	"errors"
	"net/http"

	"buurtbalie/internal/question"
)

// codeForm is the code page's Data: what was typed, kept when it is
// wrong.
type codeForm struct {
	Code string
}

func (s *Server) handleCodeForm(w http.ResponseWriter, r *http.Request, sess *session) {
	s.showCode(w, r, sess, http.StatusOK, codeForm{}, "")
}

func (s *Server) showCode(w http.ResponseWriter, r *http.Request, sess *session, status int, f codeForm, msg string) {
	p := s.newPage(w, r, sess, "")
	p.Title = p.L.T("web.code.title")
	p.Error = msg
	p.Data = f
	s.render(w, r, status, "code", p)
}

// handleCode looks a question up by the short code on its slip. Wrong
// codes are throttled per client address, so that the codes (a billion
// of them) cannot be tried one after another.
func (s *Server) handleCode(w http.ResponseWriter, r *http.Request, sess *session) {
	f := codeForm{Code: r.PostFormValue("code")}
	l := s.translator(w, r, "")
	key := "code:" + clientIP(r)
	if wait := s.throttle.Allow(key); wait > 0 {
		s.showCode(w, r, sess, http.StatusTooManyRequests, f, l.Tf("web.code.wait", map[string]any{"Wait": waitText(l, wait)}))
		return
	}
	code, err := question.ParseCode(f.Code)
	if err != nil {
		// A typing slip, not a guess: it cannot find any question.
		s.showCode(w, r, sess, http.StatusUnprocessableEntity, f, l.T("web.code.malformed"))
		return
	}
	q, err := s.questions.ByCode(r.Context(), code)
	if errors.Is(err, question.ErrNotFound) {
		s.throttle.Fail(key)
		s.showCode(w, r, sess, http.StatusNotFound, f, l.T("web.code.unknown"))
		return
	}
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	http.Redirect(w, r, "/s/"+q.Token, http.StatusSeeOther)
}
