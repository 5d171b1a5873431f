package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/calendar"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/subscription"
)

// Subscriptions is what the staff pages need of the calendar feeds the
// programme follows (internal/sqlite's SubscriptionService in
// production).
type Subscriptions interface {
	Subscriptions(ctx context.Context) ([]subscription.Subscription, error)
	AddSubscription(ctx context.Context, rawURL string, interval time.Duration, by string) (subscription.Subscription, error)
	RemoveSubscription(ctx context.Context, id int64) (int, error)
}

// Audit actions of the subscription pages.
const (
	actionSubscriptionAdded   = "subscription_added"
	actionSubscriptionRemoved = "subscription_removed"
)

// intervals are the choices of how often to fetch, in minutes.
var intervals = []int{15, 30, 60, 120, 360, 720, 1440}

func (s *Server) subscriptionRoutes() {
	if s.cfg.Programme == nil || s.cfg.Subscriptions == nil {
		return
	}
	s.mux.HandleFunc("GET /programme/subscriptions", s.staff(s.handleSubscriptions))
	s.mux.HandleFunc("POST /programme/subscriptions", s.staff(s.handleSubscribe))
	s.mux.HandleFunc("POST /programme/subscriptions/{id}/refresh", s.staff(s.handleRefreshSubscription))
	s.mux.HandleFunc("POST /programme/subscriptions/{id}/delete", s.staff(s.handleUnsubscribe))
}

type subscriptionsView struct {
	Subs      []subscriptionView
	Form      subscribeForm
	Intervals []choice
}

type subscribeForm struct {
	URL      string
	Interval string // minutes
}

// subscriptionView is one feed as staff read it.
type subscriptionView struct {
	ID     int64
	URL    string // the password masked
	Every  string // "elk uur"
	Status feedStatus
}

// feedStatus is the line that says how a feed stands, on the
// subscriptions page and the week.
type feedStatus struct {
	URL     string // for the week: which feed
	Updated string // "Laatst bijgewerkt om 14:05", or not yet
	Failed  bool
	Error   string // why the last try failed, in plain words
	Detail  string // the technical detail, in English
}

func (s *Server) handleSubscriptions(w http.ResponseWriter, r *http.Request, sess *session) {
	p := s.newPage(w, r, sess, "")
	if done := r.URL.Query().Get("done"); done != "" {
		if n, ok := p.L.Lookup("web.subscriptions.done." + done); ok {
			p.Notice = n
		}
	}
	s.showSubscriptions(w, r, p, http.StatusOK, subscribeForm{Interval: "60"})
}

func (s *Server) showSubscriptions(w http.ResponseWriter, r *http.Request, p page, status int, f subscribeForm) {
	subs, err := s.cfg.Subscriptions.Subscriptions(r.Context())
	if err != nil {
		s.fail(w, r, p.User, err)
		return
	}
	p.Title = p.L.T("web.subscriptions.title")
	d := subscriptionsView{Form: f}
	for _, sub := range subs {
		d.Subs = append(d.Subs, subscriptionView{ID: sub.ID, URL: subscription.Shown(sub.URL),
			Every: everyText(p.L, int(sub.Interval/time.Minute)), Status: s.feedStatus(p.L, sub)})
	}
	for _, m := range intervals {
		d.Intervals = append(d.Intervals, choice{Value: strconv.Itoa(m), Name: everyText(p.L, m)})
	}
	p.Data = d
	s.render(w, r, status, "subscriptions", p)
}

// everyText says how often: "elke 15 minuten", "elk uur", "elke 6 uur".
func everyText(l *catalogue.Translator, minutes int) string {
	switch {
	case minutes == 60:
		return l.T("web.subscriptions.every_hour")
	case minutes%60 == 0:
		return l.Tn("web.subscriptions.every_hours", minutes/60, nil)
	}
	return l.Tn("web.subscriptions.every_minutes", minutes, nil)
}

// feedStatus says when the feed was last brought in, in the house's
// time, and, if the last try failed, why: the programme then still holds
// what the feed said at that time.
func (s *Server) feedStatus(l *catalogue.Translator, sub subscription.Subscription) feedStatus {
	st := feedStatus{URL: subscription.Redact(sub.URL)}
	switch {
	case sub.LastOK.IsZero():
		st.Updated = l.T("web.subscriptions.never")
	case s.isToday(sub.LastOK):
		st.Updated = l.Tf("web.subscriptions.last_ok", map[string]any{"Time": l.Clock(sub.LastOK.In(s.cfg.Location))})
	default:
		t := sub.LastOK.In(s.cfg.Location)
		st.Updated = l.Tf("web.subscriptions.last_ok_day", map[string]any{
			"Date": l.Date(t.Year(), t.Month(), t.Day()), "Time": l.Clock(t)})
	}
	if sub.Failed() {
		f := *sub.Failure
		if f.Reason == subscription.ReasonNetwork {
			// Recorded before there was ReasonUnreachable, with the
			// cause ("connection refused") that staff are not to read.
			f = *subscription.Unreachable("")
		}
		st.Failed = true
		st.Error = l.Tf("web.subscriptions.failed", map[string]any{
			"Time": s.when(l, sub.LastTry), "Why": failureText(l, f.Reason)})
		st.Detail = f.Detail
	}
	return st
}

// failureText explains a failed refresh: a fetch's reason, or the reason
// the calendar was refused.
func failureText(l *catalogue.Translator, reason string) string {
	if r, ok := strings.CutPrefix(reason, "import."); ok {
		return importText(l, r)
	}
	if t, ok := l.Lookup("web.subscriptions.error." + reason); ok {
		return t
	}
	return l.T("web.subscriptions.error.other")
}

// feedStatuses are the status lines of every feed, for the week page; nil
// when there are none or the pages have no subscriptions.
func (s *Server) feedStatuses(ctx context.Context, l *catalogue.Translator) []feedStatus {
	if s.cfg.Subscriptions == nil {
		return nil
	}
	subs, err := s.cfg.Subscriptions.Subscriptions(ctx)
	if err != nil {
		s.log.Error("web: subscriptions", "err", err)
		return nil
	}
	var out []feedStatus
	for _, sub := range subs {
		out = append(out, s.feedStatus(l, sub))
	}
	return out
}

func (s *Server) handleSubscribe(w http.ResponseWriter, r *http.Request, sess *session) {
	f := subscribeForm{URL: strings.TrimSpace(r.PostFormValue("url")), Interval: r.PostFormValue("interval")}
	p := s.newPage(w, r, sess, "")
	minutes, err := strconv.Atoi(f.Interval)
	if err != nil {
		minutes = 0 // refused below as out of range
	}
	sub, err := s.cfg.Subscriptions.AddSubscription(r.Context(), f.URL, time.Duration(minutes)*time.Minute, sess.Name)
	var inv *subscription.InvalidError
	switch {
	case errors.As(err, &inv):
		p.Error = p.L.T(invalidSubscriptionKey(p.L, inv.Reason))
		s.showSubscriptions(w, r, p, http.StatusUnprocessableEntity, f)
		return
	case err != nil:
		s.fail(w, r, sess, err)
		return
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionSubscriptionAdded,
		Detail: subscription.Redact(sub.URL)})
	// Fetch it now, so staff see at once whether the address works.
	s.refresh(r, sub.ID)
	http.Redirect(w, r, "/programme/subscriptions?done=added", http.StatusSeeOther)
}

func invalidSubscriptionKey(l *catalogue.Translator, reason string) string {
	key := "web.subscriptions.invalid." + reason
	if _, ok := l.Lookup(key); !ok {
		return "web.subscriptions.invalid.other"
	}
	return key
}

// refresh fetches subscription id now. What came of it is recorded and
// shown on the page; the page does not wait for a refresher that is not
// there.
func (s *Server) refresh(r *http.Request, id int64) {
	if s.cfg.RefreshSubscription == nil {
		return
	}
	if _, err := s.cfg.RefreshSubscription(r.Context(), id); err != nil {
		var f *subscription.Failure
		if !errors.As(err, &f) {
			s.log.Error("web: refresh subscription", "id", id, "err", err)
		}
	}
}

// subscriptionID reads the path's {id}.
func subscriptionID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

func (s *Server) handleRefreshSubscription(w http.ResponseWriter, r *http.Request, sess *session) {
	id, ok := subscriptionID(r)
	if !ok {
		s.notFound(w, r, sess)
		return
	}
	s.refresh(r, id)
	http.Redirect(w, r, "/programme/subscriptions?done=refreshed", http.StatusSeeOther)
}

func (s *Server) handleUnsubscribe(w http.ResponseWriter, r *http.Request, sess *session) {
	id, ok := subscriptionID(r)
	if !ok {
		s.notFound(w, r, sess)
		return
	}
	n, err := s.cfg.Subscriptions.RemoveSubscription(r.Context(), id)
	if err != nil {
		// The store's not-found is its own; to the page it is no
		// such subscription.
		s.log.Info("web: remove subscription", "id", id, "err", err)
		s.notFound(w, r, sess)
		return
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionSubscriptionRemoved,
		Detail: fmt.Sprintf("%d, %d activities", id, n)})
	http.Redirect(w, r, "/programme/subscriptions?done=removed", http.StatusSeeOther)
}

// importText explains an import reason: a calendar's ("import." in the
// catalogue), else an activity's that does not validate ("web.invalid.").
func importText(l *catalogue.Translator, reason string) string {
	if t, ok := l.Lookup("import." + reason); ok {
		return t
	}
	if t, ok := l.Lookup("web.invalid." + reason); ok {
		return t
	}
	return l.T("import.other")
}

// importErrorText says in the page's language why a file was refused,
// with the line or row when known.
func importErrorText(l *catalogue.Translator, err error) string {
	why := importText(l, calendar.ErrorReason(err))
	var many *calendar.TooManyError
	if errors.As(err, &many) {
		// How many, in the reader's own way of writing numbers: a
		// number says more than "too many".
		why = l.Tf("import.too_many_count", map[string]any{"Count": l.Number(many.AtLeast), "Max": l.Number(calendar.MaxActivities)})
		return why // the line of the event that went over says nothing
	}
	var pe *calendar.ParseError
	if errors.As(err, &pe) && pe.Line > 0 {
		key := "web.import.at_line"
		if pe.Format == calendar.CSV {
			key = "web.import.at_row"
		}
		return l.Tf(key, map[string]any{"Line": pe.Line, "Why": why})
	}
	return why
}
