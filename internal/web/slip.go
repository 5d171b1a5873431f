package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
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

// slipView is the volunteer page's Data: the question, and one thing at
// a time to do with it.
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
	Holder    string // who claimed it, while it is open
	Mine      bool   // claimed by the volunteer looking at it
	Claimed   string // "Opgepakt door Anna"
	Referred  string // "Doorverwezen naar het Buurtteam"
	Outcome   string // "Afgerond: geholpen"
	Message   string // the message the visitor reads now
	MessageAt string
	History   []eventView
	Viewed    string // "Bekeken door Anna en Kees": views, not steps
	Partners  []partnerView
	Outcomes  []outcomeChoice
	// Step is the one form open: "message", "note", "refer", "close" or
	// "takeover"; "" shows the next steps as buttons.
	Step        string
	TakeOver    string // the takeover's question: "Kees heeft dit opgepakt. Toch overnemen?"
	ClaimsFirst bool   // saving the step claims the question
	Form        slipForm
	Error       string // why the step's input was refused, in the page's language
	Done        string // the confirmation of the step just saved
	DoneAt      string // where it shows: "status", "message", "next", "history"
	handOverView
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
	// District marks a partner of the district's directory, offered
	// beside the house's own; Languages and Hours are the directory's.
	District  bool
	Languages string
	Hours     string
}

type outcomeChoice struct {
	Key      question.Outcome
	Name     string
	Selected bool
}

// slipForm is what a volunteer typed, kept when the input is refused so
// that nothing typed is lost.
type slipForm struct {
	Note, Message, Outcome string
	Partner                int64
	OutcomeKind            question.Outcome
	DistrictPartner        int64  // a partner of the district's directory
	House, HouseNote       string // the house referred to, and the note for it
}

// steps are the forms a question page opens one at a time, by the value
// of its "step" parameter, and the action each saves.
var steps = map[string]string{"message": "message", "note": "note", "refer": "refer", "close": "close", "takeover": "claim", "house": "house"}

// doneAt is where on the page the confirmation of each saved step shows:
// beside what it changed, where the page lands after saving.
var doneAt = map[string]string{
	"claim": "next", "takeover": "next", "message": "message", "note": "history", "refer": "status", "close": "status",
	"house": "status",
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
	v := slipRequest{step: r.URL.Query().Get("step")}
	if done := r.URL.Query().Get("done"); doneAt[done] != "" {
		v.done = done
		v.claimedToo = r.URL.Query().Get("claimed") == "1"
	}
	s.showSlip(w, r, sess, q, http.StatusOK, v)
}

// slipRequest is what the question page is asked to show beside the
// question: a step's form (with what was typed and why it was refused),
// or the confirmation of a step just saved.
type slipRequest struct {
	step       string
	form       slipForm
	refused    string
	justTaken  string // the colleague who claimed it a moment before this volunteer tried
	done       string
	claimedToo bool // the step saved claimed the question as well
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
	if v.HandedTo != "" {
		d.Explain = p.L.Tf("web.visitor.house", map[string]any{"House": v.HandedTo})
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
// back to the question's page, at the place that changed.
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
	if act == "house" || (act == "refer" && strings.HasPrefix(r.PostFormValue("partner"), "d")) {
		s.handleHandOver(w, r, sess, q, act) // to another house, or the district's partner
		return
	}
	a := question.Action{Kind: actions[act], Text: r.PostFormValue("text"), TakeOver: r.PostFormValue("takeover") == "yes"}
	v := slipRequest{step: act}
	switch a.Kind {
	case "":
		s.message(w, r, sess, http.StatusBadRequest, "web.error.title", "web.error.text")
		return
	case question.EventNote:
		v.form.Note = a.Text
	case question.EventMessage:
		v.form.Message = a.Text
	case question.EventClosed:
		v.form.Outcome = a.Text
		a.Outcome = question.Outcome(r.PostFormValue("outcome"))
		v.form.OutcomeKind = a.Outcome
	case question.EventReferred:
		a.Text = ""
		a.Partner, _ = strconv.ParseInt(r.PostFormValue("partner"), 10, 64)
		v.form.Partner = a.Partner
	case question.EventClaimed:
		a.Text = ""
		v.step = ""
	}
	if _, err := s.questions.Apply(ctx, q.ID, sess.Name, a); err != nil {
		var taken *question.TakenError
		switch {
		case errors.As(err, &taken):
			// Claimed by a colleague since this page was loaded: ask.
			v.step, v.justTaken = "takeover", taken.By
			s.showSlip(w, r, sess, q, http.StatusConflict, v)
		case errors.Is(err, question.ErrInvalid):
			v.refused = refusal(s.translator(w, r, ""), a, q.Status)
			s.showSlip(w, r, sess, q, http.StatusUnprocessableEntity, v)
		default:
			s.missing(w, r, sess, err)
		}
		return
	}
	done := act
	if a.ClaimsFirst(q.Status) {
		s.audit(r, account.Entry{Actor: sess.Name, Action: string(question.EventClaimed), QuestionID: q.ID})
	}
	e := account.Entry{Actor: sess.Name, Action: string(a.Kind), QuestionID: q.ID}
	switch a.Kind {
	case question.EventReferred:
		// The partner's name helps staff read the log; the texts
		// volunteers write stay out of it.
		if ps, err := s.questions.Partners(ctx); err == nil {
			for _, p := range ps {
				if p.ID == a.Partner {
					e.Detail = p.Name
				}
			}
		}
	case question.EventClosed:
		e.Detail = string(a.Outcome)
	case question.EventClaimed:
		// A takeover names, in its line of history, whom it was taken
		// from: so does the audit log.
		if h, err := s.questions.History(ctx, q.ID); err == nil && len(h) > 0 && h[len(h)-1].Text != "" {
			e.Action, e.Detail, done = question.ActionTakenOver, h[len(h)-1].Text, "takeover"
		}
	}
	s.audit(r, e)
	s.log.Info("web: question changed", "question", q.ID, "action", e.Action, "by", sess.Name)
	to := "/s/" + token + "?done=" + done
	if a.ClaimsFirst(q.Status) {
		to += "&claimed=1"
	}
	http.Redirect(w, r, to+"#done", http.StatusSeeOther)
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
		if s == question.Closed {
			return l.T("web.slip.err.closed")
		}
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
		if s == question.Closed {
			return l.T("web.slip.err.closed")
		}
		if !a.Outcome.Valid() {
			return l.T("web.slip.err.outcome_choose")
		}
		if n > question.MaxNote {
			return tooLong(question.MaxNote)
		}
	}
	return l.T("web.slip.err.invalid")
}

// showSlip renders the volunteer view of q with what v asks. A view is
// recorded (in the history and the audit log) unless it follows the
// volunteer's own step on the question a moment ago.
func (s *Server) showSlip(w http.ResponseWriter, r *http.Request, sess *session, q question.Question, status int, v slipRequest) {
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
	visitor, err := s.questions.VisitorView(ctx, q.Token)
	if err != nil {
		s.missing(w, r, sess, err)
		return
	}
	// The question as it stands now: a refused step may have been
	// refused because a colleague changed it meanwhile.
	q.Status = visitor.Status
	p := s.newPage(w, r, sess, "")
	l := p.L
	topic, err := s.topicName(ctx, l, q.Topic)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	d := slipView{
		ID:        q.ID,
		Token:     q.Token,
		Code:      question.FormatCode(q.Code),
		Topic:     topic,
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
		Form:      v.form,
		Error:     v.refused,
	}
	if !visitor.MessageAt.IsZero() {
		d.MessageAt = s.when(l, visitor.MessageAt)
	}
	p.Title = d.Topic
	s.slipHistory(l, &d, q, history, sess.Name)
	if err := s.slipHandOver(ctx, l, &d, q, v); err != nil {
		s.fail(w, r, sess, err)
		return
	}
	if q.Status == question.Closed && q.Outcome != "" {
		d.Outcome = l.Tf("web.slip.outcome", map[string]any{"Outcome": l.T("web.outcome." + string(q.Outcome))})
	}
	d.Step = v.step
	if steps[d.Step] == "" || (!d.Open && d.Step != "message" && d.Step != "note") ||
		(d.Step == "takeover" && (d.Holder == "" || d.Mine)) {
		if !d.Open && (d.Step == "refer" || d.Step == "close" || d.Step == "takeover") && d.Error == "" {
			d.Error = l.T("web.slip.err.closed")
		}
		d.Step = ""
	}
	d.ClaimsFirst = q.Status == question.New && d.Step != "takeover"
	if d.Step == "takeover" {
		key, name := "web.slip.takeover_ask", d.Holder
		if v.justTaken != "" {
			key, name = "web.slip.takeover_just", v.justTaken
		}
		d.TakeOver = l.Tf(key, map[string]any{"Name": name})
	}
	if v.done != "" {
		d.Done, d.DoneAt = l.T("web.slip.done."+v.done), doneAt[v.done]
		if v.claimedToo {
			d.Done += " " + l.T("web.slip.done.claimed_too")
		}
		if d.DoneAt == "message" && d.Message == "" {
			d.DoneAt = "status"
		}
	}
	// The partners and the closing choices only for the step that offers
	// them: the page shows one step at a time, and is opened far more
	// often than referred or closed.
	switch d.Step {
	case "refer":
		partners, err := s.questions.Partners(ctx)
		if err != nil {
			s.fail(w, r, sess, err)
			return
		}
		for _, pt := range partners {
			if pt.Hidden && pt.ID != v.form.Partner {
				continue // staff took it off the list
			}
			d.Partners = append(d.Partners, partnerView{ID: pt.ID, Name: pt.Name, Helps: pt.Helps, Contact: pt.Contact, Selected: pt.ID == v.form.Partner})
		}
		if err := s.districtPartners(ctx, l, &d, v.form.DistrictPartner); err != nil {
			s.fail(w, r, sess, err)
			return
		}
	case "house":
		if !d.CanReferHouse {
			d.Step = "" // no house to refer to (any more)
		}
	case "close":
		chosen := v.form.OutcomeKind
		if chosen == "" && q.Status == question.Referred {
			chosen = question.PassedOn
		}
		for _, o := range question.Outcomes {
			d.Outcomes = append(d.Outcomes, outcomeChoice{Key: o, Name: l.T("web.outcome." + string(o)), Selected: o == chosen})
		}
	}
	p.Data = d
	s.render(w, r, status, "slip", p)
}

// slipHistory fills in d from q's history: who holds it, where it was
// referred, the steps newest first (on a phone the latest step is what
// one looks for), and who looked at it in one line.
func (s *Server) slipHistory(l *catalogue.Translator, d *slipView, q question.Question, history []question.Event, me string) {
	var viewers []string
	for i := len(history) - 1; i >= 0; i-- {
		e := history[i]
		switch e.Kind {
		case question.EventViewed:
			if !slices.Contains(viewers, e.Actor) {
				viewers = append(viewers, e.Actor)
			}
			continue
		case question.EventClaimed:
			if d.Holder == "" && q.Status.Open() && q.Status != question.New {
				d.Holder, d.Mine = e.Actor, e.Actor == me
				key := "web.slip.claimed_by"
				if d.Mine {
					key = "web.slip.claimed_by_you"
				}
				d.Claimed = l.Tf(key, map[string]any{"Name": e.Actor})
			}
		case question.EventReferred:
			if d.Referred == "" {
				d.Referred = l.Tf("web.slip.referred_to", map[string]any{"Partner": e.Text})
			}
		}
		ev := eventView{When: s.when(l, e.At), Actor: e.Actor, What: l.T("web.event." + string(e.Kind)), Kind: string(e.Kind)}
		switch {
		case e.Kind == question.EventClaimed && e.Text != "":
			ev.What = l.Tf("web.event.taken_over", map[string]any{"Name": e.Text})
		case e.Kind == question.EventReferralRefused:
			ev.Text = l.Tf("web.event.referral_refused.why", map[string]any{"Reason": refusalReason(l, e.Text)})
		case e.Kind != question.EventClaimed:
			ev.Text = e.Text
		}
		d.History = append(d.History, ev)
	}
	if len(viewers) > 0 {
		d.Viewed = l.Tf("web.slip.viewed_by", map[string]any{"Names": strings.Join(viewers, ", ")})
	}
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

// nameIn is the name of the topic key among topics, or the key itself
// for a topic that was removed.
func nameIn(topics []topicLink, key string) string {
	for _, t := range topics {
		if t.Key == key {
			return t.Name
		}
	}
	return key
}

// topicName is nameIn for one topic, read on its own.
func (s *Server) topicName(ctx context.Context, l *catalogue.Translator, key string) (string, error) {
	t, err := s.questions.Topic(ctx, key)
	if errors.Is(err, question.ErrNotFound) {
		return key, nil
	}
	if err != nil {
		return "", err
	}
	return l.Name("topic", t.Key, t.Names), nil
}
