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
	// Found are the questions a code finds when it is more than one: a
	// question of this house and one another house referred here may
	// have the same code (codes are unique within a house only), and
	// the volunteer chooses rather than be shown one of them.
	Found []codeMatch
}

type codeMatch struct {
	Token, Topic, Created, FromHouse string
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
	key := "code:" + ClientIP(r)
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
	var qs []question.Question
	if ho := s.handOvers(); ho != nil {
		qs, err = ho.ByCodes(r.Context(), code)
	} else {
		var q question.Question
		q, err = s.questions.ByCode(r.Context(), code)
		qs = []question.Question{q}
	}
	if errors.Is(err, question.ErrNotFound) {
		s.throttle.Fail(key)
		s.showCode(w, r, sess, http.StatusNotFound, f, l.T("web.code.unknown"))
		return
	}
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	if len(qs) > 1 {
		s.showFound(w, r, sess, f, qs)
		return
	}
	http.Redirect(w, r, "/s/"+qs[0].Token, http.StatusSeeOther)
}

// showFound lets the volunteer choose among the questions one code
// finds, each with where it came from.
func (s *Server) showFound(w http.ResponseWriter, r *http.Request, sess *session, f codeForm, qs []question.Question) {
	ctx := r.Context()
	l := s.translator(w, r, "")
	ho := s.handOvers()
	for _, q := range qs {
		topic, err := s.topicName(ctx, l, q.Topic)
		if err != nil {
			s.fail(w, r, sess, err)
			return
		}
		m := codeMatch{Token: q.Token, Topic: topic, Created: s.when(l, q.Created)}
		if h, err := ho.HandOver(ctx, q.ID); err == nil && h.In() {
			m.FromHouse = l.Tf("web.slip.house_from", map[string]any{"House": h.From})
		}
		f.Found = append(f.Found, m)
	}
	s.showCode(w, r, sess, http.StatusOK, f, l.Tf("web.code.several", map[string]any{"N": len(qs)}))
}
