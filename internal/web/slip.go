package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/question"
)

// visitorView is the visitor page's Data: where the question stands and
// the message for the visitor, nothing else.
type visitorView struct {
	Status    string
	Explain   string
	Message   string
	MessageAt string
	LoginURL  string
}

// slipView is the volunteer page's Data.
type slipView struct {
	ID        int64
	Token     string
	Code      string
	Topic     string
	Text      string
	Language  visitorLanguage
	Created   string
	Age       string
	Waiting   bool
	NoSlip    bool // the slip did not print: the visitor has only the code
	Status    string
	StatusKey string
	Open      bool
	Mine      bool   // claimed by the volunteer looking at it
	Claimed   string // "Opgepakt door Anna"
	Message   string // the message the visitor reads now
	MessageAt string
	History   []eventView
	Partners  []partnerView
	Form      slipForm
	Failed    string // the form whose input was refused: "note", …
	Error     string // why, in the page's language
}

type eventView struct {
	When, Actor, What, Text, Kind string
}

type partnerView struct {
	ID       int64
	Name     string
	Helps    string
	Contact  string
	Selected bool
}

// slipForm is what a volunteer typed, kept when the input is refused so
// that nothing typed is lost.
type slipForm struct {
	Note, Message, Outcome string
	Partner                int64
}

// viewAgain is how long after a volunteer's own last step on a question
// looking at it again is not recorded as a new view: the page shown after
// each change, and a reload, are not news in the history.
const viewAgain = 2 * time.Minute

// handleSlip serves the slip's QR target: the visitor view, or the
// volunteer view for a logged-in user.
func (s *Server) handleSlip(w http.ResponseWriter, r *http.Request) {
	sess, err := s.session(w, r)
	if err != nil {
		s.fail(w, r, nil, err)
		return
	}
	token, err := question.ParseToken(r.PathValue("token"))
	if err != nil {
		s.notFound(w, r, sess)
		return
	}
	if sess == nil {
		s.showVisitor(w, r, token)
		return
	}
	q, err := s.questions.ByToken(r.Context(), token)
	if err != nil {
		s.missing(w, r, sess, err)
		return
	}
	notice := ""
	if done := r.URL.Query().Get("done"); actions[done] != "" {
		notice = "web.slip.done." + done
	}
	s.showSlip(w, r, sess, q, http.StatusOK, slipForm{}, "", "", notice)
}

// missing shows the 404 page for a question that is not there, and the
// 500 page for anything else.
func (s *Server) missing(w http.ResponseWriter, r *http.Request, sess *session, err error) {
	if errors.Is(err, question.ErrNotFound) || errors.Is(err, question.ErrBadToken) || errors.Is(err, question.ErrBadCode) {
		s.notFound(w, r, sess)
		return
	}
	s.fail(w, r, sess, err)
}

func (s *Server) showVisitor(w http.ResponseWriter, r *http.Request, token string) {
	ctx := r.Context()
	v, err := s.questions.VisitorView(ctx, token)
	if err != nil {
		s.missing(w, r, nil, err)
		return
	}
	// The visitor's own language, for the page a helper opens with them;
	// nothing else of the question is used.
	lang := ""
	if q, err := s.questions.ByToken(ctx, token); err == nil {
		lang = q.Lang
	}
	p := s.newPage(w, r, nil, lang)
	p.Title = p.L.T("web.visitor.title")
	d := visitorView{
		Status:   p.L.T("web.visitor.status." + string(v.Status)),
		Explain:  p.L.T("web.visitor.explain." + string(v.Status)),
		Message:  v.Message,
		LoginURL: "/login?next=" + url.QueryEscape("/s/"+token),
	}
	if v.Message != "" && !v.MessageAt.IsZero() {
		d.MessageAt = s.when(p.L, v.MessageAt)
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "visitor", p)
}

// actions are the volunteer's forms on a question, by the value of their
// "do" field.
var actions = map[string]question.EventKind{
	"claim":   question.EventClaimed,
	"note":    question.EventNote,
	"message": question.EventMessage,
	"refer":   question.EventReferred,
	"close":   question.EventClosed,
}

// handleAct does what a volunteer's form on a question asks, then goes
// back to the question's page.
func (s *Server) handleAct(w http.ResponseWriter, r *http.Request, sess *session) {
	ctx := r.Context()
	token, err := question.ParseToken(r.PathValue("token"))
	if err != nil {
		s.notFound(w, r, sess)
		return
	}
	q, err := s.questions.ByToken(ctx, token)
	if err != nil {
		s.missing(w, r, sess, err)
		return
	}
	act := r.PostFormValue("do")
	a := question.Action{Kind: actions[act], Text: r.PostFormValue("text")}
	var form slipForm
	switch a.Kind {
	case "":
		s.message(w, r, sess, http.StatusBadRequest, "web.error.title", "web.error.text")
		return
	case question.EventNote:
		form.Note = a.Text
	case question.EventMessage:
		form.Message = a.Text
	case question.EventClosed:
		form.Outcome = a.Text
	case question.EventReferred:
		a.Text = ""
		a.Partner, _ = strconv.ParseInt(r.PostFormValue("partner"), 10, 64)
		form.Partner = a.Partner
	case question.EventClaimed:
		a.Text = ""
	}
	if _, err := s.questions.Apply(ctx, q.ID, sess.Name, a); err != nil {
		if errors.Is(err, question.ErrInvalid) {
			l := s.translator(w, r, "")
			s.showSlip(w, r, sess, q, http.StatusUnprocessableEntity, form, act, refusal(l, a, q.Status), "")
			return
		}
		s.missing(w, r, sess, err)
		return
	}
	e := account.Entry{Actor: sess.Name, Action: string(a.Kind), QuestionID: q.ID}
	if a.Kind == question.EventReferred {
		// The partner's name helps staff read the log; the texts
		// volunteers write stay out of it.
		if ps, err := s.questions.Partners(ctx); err == nil {
			for _, p := range ps {
				if p.ID == a.Partner {
					e.Detail = cut(p.Name, account.MaxDetail)
				}
			}
		}
	}
	s.audit(r, e)
	s.log.Info("web: question changed", "question", q.ID, "action", a.Kind, "by", sess.Name)
	http.Redirect(w, r, "/s/"+token+"?done="+act, http.StatusSeeOther)
}

// refusal says in plain words why the store refused a.
func refusal(l *catalogue.Translator, a question.Action, s question.Status) string {
	n := utf8.RuneCountInString(strings.TrimSpace(a.Text))
	tooLong := func(max int) string {
		return l.Tf("web.slip.err.too_long", map[string]any{"Max": max, "N": n})
	}
	switch a.Kind {
	case question.EventClaimed:
		if s == question.Closed {
			return l.T("web.slip.err.closed")
		}
	case question.EventReferred:
		return l.T("web.slip.err.partner")
	case question.EventNote:
		if n == 0 {
			return l.T("web.slip.err.note_empty")
		}
		if n > question.MaxNote {
			return tooLong(question.MaxNote)
		}
	case question.EventMessage:
		if n == 0 {
			return l.T("web.slip.err.message_empty")
		}
		if n > question.MaxMessage {
			return tooLong(question.MaxMessage)
		}
	case question.EventClosed:
		if n == 0 {
			return l.T("web.slip.err.outcome_empty")
		}
		if n > question.MaxNote {
			return tooLong(question.MaxNote)
		}
	}
	return l.T("web.slip.err.invalid")
}

// showSlip renders the volunteer view of q. A view is recorded (in the
// history and the audit log) unless it follows the volunteer's own step
// on the question a moment ago.
func (s *Server) showSlip(w http.ResponseWriter, r *http.Request, sess *session, q question.Question, status int, form slipForm, failed, refused, notice string) {
	ctx := r.Context()
	history, err := s.questions.History(ctx, q.ID)
	if err != nil {
		s.missing(w, r, sess, err)
		return
	}
	now := s.cfg.Now()
	if status == http.StatusOK && !recent(history, sess.Name, now) {
		if err := s.questions.Viewed(ctx, q.ID, sess.Name); err != nil {
			s.missing(w, r, sess, err)
			return
		}
		s.audit(r, account.Entry{Actor: sess.Name, Action: string(question.EventViewed), QuestionID: q.ID})
		history = append(history, question.Event{QuestionID: q.ID, At: now, Actor: sess.Name, Kind: question.EventViewed})
	}
	partners, err := s.questions.Partners(ctx)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	visitor, err := s.questions.VisitorView(ctx, q.Token)
	if err != nil {
		s.missing(w, r, sess, err)
		return
	}
	p := s.newPage(w, r, sess, "")
	l := p.L
	if notice != "" {
		p.Notice = l.T(notice)
	}
	topics, err := s.topicNames(ctx, l)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	d := slipView{
		ID:        q.ID,
		Token:     q.Token,
		Code:      question.FormatCode(q.Code),
		Topic:     topicName(topics, q.Topic),
		Text:      q.Text,
		Language:  s.visitorLanguage(l, q.Lang, s.onDuty(ctx)),
		Created:   s.when(l, q.Created),
		Age:       age(l, now, q.Created),
		Waiting:   q.FollowUp == question.Waiting,
		NoSlip:    q.Print == question.PrintFailed,
		Status:    l.T("web.status." + string(q.Status)),
		StatusKey: string(q.Status),
		Open:      q.Status.Open(),
		Message:   visitor.Message,
		Form:      form,
		Failed:    failed,
		Error:     refused,
	}
	if !visitor.MessageAt.IsZero() {
		d.MessageAt = s.when(l, visitor.MessageAt)
	}
	if !d.Open && failed != "note" && failed != "message" {
		// Its form is gone (closed meanwhile): say why at the top.
		p.Error = refused
	}
	p.Title = d.Topic
	// Newest first: on a phone the latest step is what one looks for.
	for i := len(history) - 1; i >= 0; i-- {
		e := history[i]
		if e.Kind == question.EventClaimed && d.Claimed == "" && q.Status == question.Claimed {
			d.Claimed = l.Tf("web.slip.claimed_by", map[string]any{"Name": e.Actor})
			d.Mine = e.Actor == sess.Name
		}
		ev := eventView{When: s.when(l, e.At), Actor: e.Actor, What: l.T("web.event." + string(e.Kind)), Kind: string(e.Kind)}
		if e.Kind != question.EventViewed && e.Kind != question.EventClaimed {
			ev.Text = e.Text
		}
		d.History = append(d.History, ev)
	}
	for _, pt := range partners {
		if pt.Hidden && pt.ID != form.Partner {
			continue // staff took it off the list
		}
		d.Partners = append(d.Partners, partnerView{ID: pt.ID, Name: pt.Name, Helps: pt.Helps, Contact: pt.Contact, Selected: pt.ID == form.Partner})
	}
	p.Data = d
	s.render(w, r, status, "slip", p)
}

// recent reports whether actor did something to the question within
// viewAgain of now.
func recent(history []question.Event, actor string, now time.Time) bool {
	if len(history) == 0 {
		return false
	}
	last := history[len(history)-1]
	d := now.Sub(last.At)
	return last.Actor == actor && d > -viewAgain && d < viewAgain
}

// topicNames returns every topic's name in l's language, by key.
func (s *Server) topicNames(ctx context.Context, l *catalogue.Translator) ([]topicLink, error) {
	topics, err := s.questions.Topics(ctx)
	if err != nil {
		return nil, err
	}
	names := make([]topicLink, len(topics))
	for i, t := range topics {
		names[i] = topicLink{Key: t.Key, Name: l.Name("topic", t.Key, t.Names)}
	}
	return names, nil
}

// topicName is the name of the topic key, or the key itself for a topic
// that was removed.
func topicName(topics []topicLink, key string) string {
	for _, t := range topics {
		if t.Key == key {
			return t.Name
		}
	}
	return key
}
