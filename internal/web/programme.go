package web

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/calendar"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/programme"
)

// Programme is what the staff programme pages need of the programme store
// (internal/sqlite's ProgrammeService in production).
type Programme interface {
	Range(ctx context.Context, from, to programme.Date) ([]programme.Occurrence, error)
	Activity(ctx context.Context, id int64) (programme.Activity, error)
	CreateActivity(ctx context.Context, a *programme.Activity) error
	UpdateActivity(ctx context.Context, a *programme.Activity) error
	DeleteActivity(ctx context.Context, id int64) error
	SetException(ctx context.Context, x programme.Exception) error
	DeleteException(ctx context.Context, activityID int64, date programme.Date) error
	Categories(ctx context.Context) ([]programme.Category, error)
	ApplyImport(ctx context.Context, imp calendar.Import, dryRun bool) (calendar.Report, error)
}

// Audit actions of the programme pages.
const (
	actionActivityAdded    = "activity_added"
	actionActivityChanged  = "activity_changed"
	actionActivityDeleted  = "activity_deleted"
	actionExceptionSet     = "exception_set"
	actionExceptionDeleted = "exception_deleted"
	actionImported         = "programme_imported"
)

// maxUpload bounds an imported file; maxUploadBody bounds the request that
// carries it, base64 in the confirm form included.
const (
	maxUpload     = 2 << 20
	maxUploadBody = 4 << 20
)

func (s *Server) programmeRoutes() {
	if s.cfg.Programme == nil {
		return // the catch-all answers 404
	}
	s.mux.HandleFunc("GET /programme", s.staff(s.handleWeek))
	s.mux.HandleFunc("GET /programme/new", s.staff(s.handleActivityNew))
	s.mux.HandleFunc("POST /programme/new", s.staff(s.handleActivitySave))
	s.mux.HandleFunc("GET /programme/import", s.staff(s.handleImportForm))
	s.mux.HandleFunc("POST /programme/import", s.staff(s.handleImport))
	s.mux.HandleFunc("GET /programme/{id}", s.staff(s.handleActivityEdit))
	s.mux.HandleFunc("POST /programme/{id}", s.staff(s.handleActivitySave))
	s.mux.HandleFunc("POST /programme/{id}/delete", s.staff(s.handleActivityDelete))
	s.mux.HandleFunc("POST /programme/{id}/exception", s.staff(s.handleException))
}

// today is the house's date now.
func (s *Server) today() programme.Date {
	return programme.DateOf(s.cfg.Now().In(s.cfg.Location))
}

func mondayOf(d programme.Date) programme.Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}

type weekView struct {
	Monday, Prev, Next string // ISO weeks, as 2026-W49
	Label              string // Week 49: maandag 30 november – zondag 6 december
	Days               []dayView
	Feeds              []feedStatus // the calendar feeds followed, and how they stand
	Subscriptions      bool         // whether staff can subscribe to feeds here
}

type dayView struct {
	Date   string // 2026-11-23
	Name   string // maandag 23 november
	Today  bool
	Notice string // what was just changed on this day, after the change
	Occs   []occView
}

type occView struct {
	ID                        int64
	Date                      string
	Title, Room, Note         string
	Start, End                string
	Cancelled, Moved, Retimed bool
	// Ended is set once the occurrence is over: it offers no changes.
	Ended bool
	// States say where it stands, in words: "nu bezig", "afgelopen",
	// "gaat niet door", "andere ruimte"; none when it is still to come
	// as usual.
	States []string
	Notes  []otherLang // the note in other languages, in Title
}

// otherNotes are a date's note in every language but Dutch, for the form.
func (s *Server) otherNotes(notes map[string]string) []otherLang {
	var out []otherLang
	for _, lang := range s.cat.Languages() {
		if lang != s.cat.Default() {
			out = append(out, otherLang{Lang: lang, Name: s.cat.Language(lang), Title: notes[lang]})
		}
	}
	return out
}

// isoWeek writes the ISO week of d, as 2026-W49: the form of the week
// page's ?week= (and of a browser's <input type="week">).
func isoWeek(d programme.Date) string {
	y, w := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// weeksIn is the number of ISO weeks of year y: 52 or 53.
func weeksIn(y int) int {
	_, w := time.Date(y, time.December, 28, 12, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// badWeek says why a ?week= could not be read; key names the message.
type badWeek struct {
	key         string // web.week.bad.format, .range or .date
	year, weeks int    // for .range
}

func (b *badWeek) Error() string { return b.key }

var (
	isoWeekForm = regexp.MustCompile(`^([0-9]{4})-?[Ww]([0-9]{1,2})$`)
	dateForm    = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// parseWeek reads the week page's ?week=: an ISO week (2026-W49, as the
// page's own links write it) or any date in the week (2026-12-03, as
// older links did). It returns the week's Monday.
func parseWeek(s string) (programme.Date, error) {
	s = strings.TrimSpace(s)
	if m := isoWeekForm.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		w, _ := strconv.Atoi(m[2])
		if y < 1 || w < 1 || w > weeksIn(y) {
			return programme.Date{}, &badWeek{key: "web.week.bad.range", year: y, weeks: weeksIn(y)}
		}
		// Week 1 is the week with 4 January in it.
		return mondayOf(programme.NewDate(y, time.January, 4)).AddDays(7 * (w - 1)), nil
	}
	if dateForm.MatchString(s) {
		d, err := programme.ParseDate(s)
		if err != nil {
			return programme.Date{}, &badWeek{key: "web.week.bad.date"}
		}
		return mondayOf(d), nil
	}
	return programme.Date{}, &badWeek{key: "web.week.bad.format"}
}

// weekLabel names the week of Monday mon: "Week 49: maandag 30 november
// – zondag 6 december".
func weekLabel(l *catalogue.Translator, mon programme.Date) string {
	_, n := time.Date(mon.Year, mon.Month, mon.Day, 12, 0, 0, 0, time.UTC).ISOWeek()
	sun := mon.AddDays(6)
	return l.Tf("web.programme.week_of", map[string]any{"Number": l.Number(n),
		"From": l.Date(mon.Year, mon.Month, mon.Day), "To": l.Date(sun.Year, sun.Month, sun.Day)})
}

// weekURL is the week page of date, on date's own day: where a change
// to an occurrence lands, with done (and the occurrence) for its notice.
func weekURL(date programme.Date, done string, id int64) string {
	u := "/programme?week=" + isoWeek(date)
	if done != "" {
		u += "&done=" + done + "&activity=" + strconv.FormatInt(id, 10) + "&date=" + date.String()
	}
	return u + "#d-" + date.String()
}

// showBadWeek answers a ?week= the page cannot read with the staff error
// page: what was wrong, the form that works, and weeks to choose from.
func (s *Server) showBadWeek(w http.ResponseWriter, r *http.Request, sess *session, q string, err error) {
	var bad *badWeek
	if !errors.As(err, &bad) {
		bad = &badWeek{key: "web.week.bad.format"}
	}
	mon := mondayOf(s.today())
	s.staffError(w, r, sess, http.StatusBadRequest, func(l *catalogue.Translator) (string, staffErrorView) {
		v := staffErrorView{Text: l.Tf(bad.key, map[string]any{"Week": cut(q, 40), "Example": isoWeek(mon),
			"Year": strconv.Itoa(bad.year), "Weeks": l.Number(bad.weeks)})}
		v.Links = append(v.Links, staffLink{Href: "/programme?week=" + isoWeek(mon),
			Text: l.T("web.programme.this_week") + " · " + weekLabel(l, mon)})
		for i := 1; i <= 4; i++ {
			m := mon.AddDays(7 * i)
			v.Links = append(v.Links, staffLink{Href: "/programme?week=" + isoWeek(m), Text: weekLabel(l, m)})
		}
		return l.T("web.week.bad.title"), v
	})
}

func (s *Server) handleWeek(w http.ResponseWriter, r *http.Request, sess *session) {
	today := s.today()
	mon := mondayOf(today)
	query := r.URL.Query()
	if q := query.Get("week"); q != "" {
		m, err := parseWeek(q)
		if err != nil {
			s.showBadWeek(w, r, sess, q, err)
			return
		}
		mon = m
	}
	occs, err := s.cfg.Programme.Range(r.Context(), mon, mon.AddDays(6))
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	p := s.newPage(w, r, sess, "")
	p.Title = p.L.T("web.programme.title")
	// After a change to one occurrence: say so on its day, which the
	// browser scrolls to; after anything else, at the top.
	done := query.Get("done")
	var doneID int64
	var doneDate programme.Date
	if done != "" {
		doneID, _ = strconv.ParseInt(query.Get("activity"), 10, 64)
		doneDate, _ = programme.ParseDate(query.Get("date"))
	}
	now := s.cfg.Now()
	d := weekView{Monday: isoWeek(mon), Prev: isoWeek(mon.AddDays(-7)), Next: isoWeek(mon.AddDays(7)),
		Label: weekLabel(p.L, mon), Feeds: s.feedStatuses(r.Context(), p.L), Subscriptions: s.cfg.Subscriptions != nil}
	placed := false
	for i := range 7 {
		date := mon.AddDays(i)
		dv := dayView{Date: date.String(), Name: p.L.Date(date.Year, date.Month, date.Day), Today: date == today}
		for _, o := range occs {
			if o.Date != date {
				continue
			}
			var states []string
			if st := o.Status(now); st != programme.Upcoming {
				states = append(states, p.L.T("web.programme.status."+string(st)))
			}
			if o.Moved && !o.Cancelled {
				states = append(states, p.L.T("web.programme.moved"))
			}
			if o.Retimed && !o.Cancelled {
				states = append(states, p.L.T("web.programme.retimed"))
			}
			dv.Occs = append(dv.Occs, occView{
				ID: o.Activity.ID, Date: date.String(), Title: o.Activity.Title, Room: o.Room, Note: o.Note,
				Start: p.L.Clock(o.Start.In(s.cfg.Location)), End: p.L.Clock(o.End.In(s.cfg.Location)),
				Cancelled: o.Cancelled, Moved: o.Moved, Retimed: o.Retimed, Ended: !now.Before(o.End),
				States: states, Notes: s.otherNotes(o.Notes),
			})
			if done != "" && !placed && o.Activity.ID == doneID && date == doneDate {
				if n, ok := p.L.Lookup("web.programme.done.occ." + done); ok && n != "" {
					dv.Notice = p.L.Tf("web.programme.done.occ."+done, map[string]any{
						"Title": o.Activity.Title, "Date": dv.Name})
					placed = true
				}
			}
		}
		d.Days = append(d.Days, dv)
	}
	if done != "" && !placed {
		if n, ok := p.L.Lookup("web.programme.done." + done); ok {
			p.Notice = n
		}
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "week", p)
}

// occurrence is activity id on date as it stands, with found false when
// the activity does not happen then.
func (s *Server) occurrence(ctx context.Context, id int64, date programme.Date) (programme.Occurrence, bool, error) {
	occs, err := s.cfg.Programme.Range(ctx, date, date)
	if err != nil {
		return programme.Occurrence{}, false, err
	}
	for _, o := range occs {
		if o.Activity.ID == id {
			return o, true, nil
		}
	}
	return programme.Occurrence{}, false, nil
}

// refusePast answers a change to an occurrence that is already over, as
// a page left open since, or a forged form, would ask for: the week page
// offers none.
func (s *Server) refusePast(w http.ResponseWriter, r *http.Request, sess *session, o programme.Occurrence) {
	s.staffError(w, r, sess, http.StatusConflict, func(l *catalogue.Translator) (string, staffErrorView) {
		return l.T("web.programme.past.title"), staffErrorView{
			Text: l.Tf("web.programme.past.text", map[string]any{"Title": o.Activity.Title,
				"Date": l.Date(o.Date.Year, o.Date.Month, o.Date.Day), "End": l.Clock(o.End.In(s.cfg.Location))}),
			Links: []staffLink{{Href: weekURL(o.Date, "", 0), Text: l.T("web.programme.back_to_week")}},
		}
	})
}

// handleException applies one of the changes for a date: do is cancel,
// room, time, note or restore. An occurrence that is over takes none.
func (s *Server) handleException(w http.ResponseWriter, r *http.Request, sess *session) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r, sess)
		return
	}
	date, err := programme.ParseDate(r.PostFormValue("date"))
	if err != nil {
		s.notFound(w, r, sess)
		return
	}
	do := r.PostFormValue("do")
	switch do {
	case "cancel", "room", "time", "note", "restore":
	default:
		s.notFound(w, r, sess)
		return
	}
	ctx := r.Context()
	l := s.translator(w, r, "")
	// Start from the date as it stands, so that a room change keeps a
	// note made earlier.
	o, found, err := s.occurrence(ctx, id, date)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	if found && !s.cfg.Now().Before(o.End) {
		s.refusePast(w, r, sess, o)
		return
	}
	if do == "restore" {
		if err := s.cfg.Programme.DeleteException(ctx, id, date); err != nil {
			s.log.Info("web: restore", "activity", id, "date", date.String(), "err", err)
		} else {
			s.audit(r, account.Entry{Actor: sess.Name, Action: actionExceptionDeleted, Detail: s.exceptionDetail(ctx, id, date, "")})
		}
		done := "restored"
		if o.Cancelled {
			done = "uncancelled"
		}
		http.Redirect(w, r, weekURL(date, done, id), http.StatusSeeOther)
		return
	}
	if !found {
		s.notFound(w, r, sess)
		return
	}
	x := programme.Exception{ActivityID: id, Date: date, Cancelled: o.Cancelled, Note: o.Note, Notes: o.Notes}
	if o.Moved {
		x.Room = o.Room
	}
	if o.Retimed {
		x.HasTime = true
		x.Start = programme.Clock(o.Start.In(s.cfg.Location).Hour(), o.Start.In(s.cfg.Location).Minute())
		x.End = programme.Clock(o.End.In(s.cfg.Location).Hour(), o.End.In(s.cfg.Location).Minute())
	}
	var detail string
	done := "saved"
	switch do {
	case "cancel":
		x.Cancelled = true
		detail = "cancelled"
		done = "cancelled"
	case "room":
		x.Room = strings.TrimSpace(r.PostFormValue("room"))
		detail = "room " + x.Room
	case "time":
		start, err1 := programme.ParseTimeOfDay(r.PostFormValue("start"))
		end, err2 := programme.ParseTimeOfDay(r.PostFormValue("end"))
		if err1 != nil || err2 != nil {
			s.message(w, r, sess, http.StatusUnprocessableEntity, "web.programme.refused", "web.invalid.time_format")
			return
		}
		x.HasTime, x.Start, x.End = true, start, end
		detail = "time " + start.String() + "-" + end.String()
	case "note":
		x.Note = strings.TrimSpace(r.PostFormValue("note"))
		x.Notes = nil
		for _, lang := range s.cat.Languages() {
			if v := strings.TrimSpace(r.PostFormValue("note-" + lang)); v != "" && lang != s.cat.Default() {
				if x.Notes == nil {
					x.Notes = map[string]string{}
				}
				x.Notes[lang] = v
			}
		}
		detail = "note"
	}
	if err := x.Validate(); err != nil {
		s.refuseException(w, r, sess, l, err)
		return
	}
	if err := s.cfg.Programme.SetException(ctx, x); err != nil {
		s.refuseException(w, r, sess, l, err)
		return
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionExceptionSet, Detail: s.exceptionDetail(ctx, id, date, detail)})
	http.Redirect(w, r, weekURL(date, done, id), http.StatusSeeOther)
}

func (s *Server) refuseException(w http.ResponseWriter, r *http.Request, sess *session, l *catalogue.Translator, err error) {
	var inv *programme.InvalidError
	if !errors.As(err, &inv) {
		s.fail(w, r, sess, err)
		return
	}
	s.message(w, r, sess, http.StatusUnprocessableEntity, "web.programme.refused", invalidKey(l, inv.Reason))
}

// invalidKey is the catalogue key that explains a programme.InvalidError.
func invalidKey(l *catalogue.Translator, reason string) string {
	key := "web.invalid." + reason
	if _, ok := l.Lookup(key); !ok {
		return "web.invalid.other"
	}
	return key
}

// activityForm is what staff typed, kept as typed when it is refused.
type activityForm struct {
	ID                           int64
	Title, Description, Category string
	Room, Host, Cost             string
	SignUp, Wheelchair           bool
	Start, End                   string
	Kind, Date                   string
	Weekdays                     [7]bool // by time.Weekday
	Interval, Nth, Weekday       string
	From, Until                  string
	// Titles and Descriptions are what staff gave in other languages
	// than Dutch, by language.
	Titles, Descriptions map[string]string
}

type activityView struct {
	Form       activityForm
	Errors     map[string]string // field → message
	Categories []choice
	Days       []choice // Monday first; Value is the time.Weekday number
	Boxes      []box    // the weekdays of a weekly schedule, Monday first
	Nths       []choice
	Others     []otherLang // the title and description in each other language
}

// otherLang is one language's title and description on the activity form,
// folded away under "Andere talen".
type otherLang struct {
	Lang, Name         string
	Title, Description string
}

type choice struct {
	Value, Name string
}

type box struct {
	Value, Name string
	On          bool
}

func formOf(a programme.Activity) activityForm {
	f := activityForm{
		ID: a.ID, Title: a.Title, Description: a.Description, Category: a.Category,
		Room: a.Room, Host: a.Host, SignUp: a.SignUp, Wheelchair: a.Wheelchair,
		Start: a.Start.String(), End: a.End.String(), Kind: string(a.Schedule.Kind),
		Date: a.Schedule.Date.String(), From: a.Schedule.From.String(), Until: a.Schedule.Until.String(),
		Weekday: strconv.Itoa(int(a.Schedule.Weekday)), Titles: a.Titles, Descriptions: a.Descriptions,
	}
	if a.CostCents > 0 {
		f.Cost = fmt.Sprintf("%d,%02d", a.CostCents/100, a.CostCents%100)
	}
	for d := range 7 {
		f.Weekdays[d] = a.Schedule.Weekdays.Has(time.Weekday(d))
	}
	if a.Schedule.Interval > 0 {
		f.Interval = strconv.Itoa(a.Schedule.Interval)
	}
	if a.Schedule.Nth != 0 {
		f.Nth = strconv.Itoa(a.Schedule.Nth)
	}
	return f
}

func readActivityForm(r *http.Request) activityForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := activityForm{
		Title: v("title"), Description: strings.TrimSpace(r.PostFormValue("description")), Category: v("category"),
		Room: v("room"), Host: v("host"), Cost: v("cost"),
		SignUp: r.PostFormValue("signup") != "", Wheelchair: r.PostFormValue("wheelchair") != "",
		Start: v("start"), End: v("end"), Kind: v("kind"), Date: v("date"),
		Interval: v("interval"), Nth: v("nth"), Weekday: v("weekday"), From: v("from"), Until: v("until"),
	}
	for _, d := range r.PostForm["weekdays"] {
		if n, err := strconv.Atoi(d); err == nil && n >= 0 && n < 7 {
			f.Weekdays[n] = true
		}
	}
	// A title or description in another language, as title-tr.
	for k := range r.PostForm {
		field, lang, ok := strings.Cut(k, "-")
		if !ok || (field != "title" && field != "description") || lang == "" {
			continue
		}
		text := strings.TrimSpace(r.PostFormValue(k))
		if text == "" {
			continue
		}
		m := &f.Titles
		if field == "description" {
			m = &f.Descriptions
		}
		if *m == nil {
			*m = map[string]string{}
		}
		(*m)[lang] = text
	}
	return f
}

// activity turns the form into an activity, or says per field what
// cannot be read.
func (f activityForm) activity() (programme.Activity, map[string]string) {
	errs := map[string]string{}
	a := programme.Activity{
		ID: f.ID, Title: f.Title, Description: f.Description, Category: f.Category,
		Room: f.Room, Host: f.Host, SignUp: f.SignUp, Wheelchair: f.Wheelchair,
		Titles: f.Titles, Descriptions: f.Descriptions,
	}
	var err error
	if a.Start, err = programme.ParseTimeOfDay(f.Start); err != nil {
		errs["start"] = "time_format"
	}
	if a.End, err = programme.ParseTimeOfDay(f.End); err != nil {
		errs["end"] = "time_format"
	}
	if f.Cost != "" {
		cents, ok := parseEuros(f.Cost)
		if !ok {
			errs["cost"] = "cost_format"
		}
		a.CostCents = cents
	}
	date := func(field, s string) programme.Date {
		if s == "" {
			return programme.Date{}
		}
		d, err := programme.ParseDate(s)
		if err != nil {
			errs[field] = "date_format"
		}
		return d
	}
	sch := programme.Schedule{Kind: programme.ScheduleKind(f.Kind)}
	sch.From, sch.Until = date("from", f.From), date("until", f.Until)
	switch sch.Kind {
	case programme.Once:
		sch.Date = date("date", f.Date)
	case programme.Weekly:
		for d, on := range f.Weekdays {
			if on {
				sch.Weekdays |= programme.Days(time.Weekday(d))
			}
		}
		if f.Interval != "" {
			if sch.Interval, err = strconv.Atoi(f.Interval); err != nil {
				errs["interval"] = "interval_out_of_range"
			}
		}
	case programme.Monthly:
		if sch.Nth, err = strconv.Atoi(f.Nth); err != nil {
			errs["nth"] = "nth_out_of_range"
		}
		if n, err := strconv.Atoi(f.Weekday); err != nil {
			errs["weekday"] = "weekdays_required"
		} else {
			sch.Weekday = time.Weekday(n)
		}
	}
	a.Schedule = sch
	return a, errs
}

// parseEuros reads "3,50", "3.50", "3" or "€ 3,50" as cents.
func parseEuros(s string) (int, bool) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "€"))
	s = strings.Replace(s, ",", ".", 1)
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" {
		whole = "0"
	}
	e, err := strconv.Atoi(whole)
	if err != nil || e < 0 || e > 100000 {
		return 0, false
	}
	c := 0
	if hasFrac {
		if len(frac) == 1 {
			frac += "0"
		}
		if len(frac) != 2 {
			return 0, false
		}
		if c, err = strconv.Atoi(frac); err != nil || c < 0 {
			return 0, false
		}
	}
	return e*100 + c, true
}

func (s *Server) handleActivityNew(w http.ResponseWriter, r *http.Request, sess *session) {
	f := activityForm{Kind: string(programme.Weekly), Interval: "1", Nth: "1", Weekday: "1"}
	s.showActivity(w, r, sess, http.StatusOK, f, nil)
}

func (s *Server) handleActivityEdit(w http.ResponseWriter, r *http.Request, sess *session) {
	a, ok := s.activityOf(w, r, sess)
	if !ok {
		return
	}
	notice := ""
	if r.URL.Query().Get("done") == "saved" {
		notice = "web.programme.done.saved"
	}
	f := formOf(a)
	p := s.activityPage(w, r, sess, f, nil)
	if notice != "" {
		p.Notice = p.L.T(notice)
	}
	s.render(w, r, http.StatusOK, "activity", p)
}

// activityOf reads the activity of the path's {id}, answering 404 when
// there is none.
func (s *Server) activityOf(w http.ResponseWriter, r *http.Request, sess *session) (programme.Activity, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r, sess)
		return programme.Activity{}, false
	}
	a, err := s.cfg.Programme.Activity(r.Context(), id)
	if err != nil {
		// The store's not-found error is its own; any failure to read
		// the activity is, to the page, no such activity.
		s.log.Info("web: activity", "id", id, "err", err)
		s.notFound(w, r, sess)
		return programme.Activity{}, false
	}
	return a, true
}

func (s *Server) handleActivitySave(w http.ResponseWriter, r *http.Request, sess *session) {
	f := readActivityForm(r)
	var old programme.Activity
	if r.PathValue("id") != "" {
		var ok bool
		if old, ok = s.activityOf(w, r, sess); !ok {
			return
		}
		f.ID = old.ID
	}
	a, errs := f.activity()
	// Not on the form: an imported activity stays its source's, so that
	// importing again updates it rather than adding it twice.
	a.Demo, a.Source = old.Demo, old.Source
	if len(errs) == 0 {
		if err := a.Validate(); err != nil {
			var inv *programme.InvalidError
			if !errors.As(err, &inv) {
				s.fail(w, r, sess, err)
				return
			}
			errs[inv.Field] = inv.Reason
		}
	}
	ctx := r.Context()
	if len(errs) == 0 {
		var err error
		action := actionActivityChanged
		if a.ID == 0 {
			action = actionActivityAdded
			err = s.cfg.Programme.CreateActivity(ctx, &a)
		} else {
			err = s.cfg.Programme.UpdateActivity(ctx, &a)
		}
		var inv *programme.InvalidError
		switch {
		case errors.As(err, &inv):
			errs[inv.Field] = inv.Reason
		case err != nil:
			s.fail(w, r, sess, err)
			return
		default:
			s.audit(r, account.Entry{Actor: sess.Name, Action: action, Detail: fmt.Sprintf("%d %s", a.ID, a.Title)})
			http.Redirect(w, r, fmt.Sprintf("/programme/%d?done=saved", a.ID), http.StatusSeeOther)
			return
		}
	}
	s.showActivity(w, r, sess, http.StatusUnprocessableEntity, f, errs)
}

func (s *Server) showActivity(w http.ResponseWriter, r *http.Request, sess *session, status int, f activityForm, reasons map[string]string) {
	p := s.activityPage(w, r, sess, f, reasons)
	if len(reasons) > 0 {
		p.Error = p.L.T("web.programme.refused")
	}
	s.render(w, r, status, "activity", p)
}

func (s *Server) activityPage(w http.ResponseWriter, r *http.Request, sess *session, f activityForm, reasons map[string]string) page {
	p := s.newPage(w, r, sess, "")
	if f.ID == 0 {
		p.Title = p.L.T("web.programme.new")
	} else {
		p.Title = p.L.T("web.programme.edit")
	}
	d := activityView{Form: f, Errors: map[string]string{}}
	for _, lang := range s.cat.Languages() {
		if lang != s.cat.Default() {
			d.Others = append(d.Others, otherLang{Lang: lang, Name: s.cat.Language(lang), Title: f.Titles[lang], Description: f.Descriptions[lang]})
		}
	}
	for field, reason := range reasons {
		d.Errors[field] = p.L.T(invalidKey(p.L, reason))
	}
	cats, err := s.cfg.Programme.Categories(r.Context())
	if err != nil {
		s.log.Error("web: categories", "err", err)
	}
	known := false
	for _, c := range cats {
		d.Categories = append(d.Categories, choice{Value: c.Key, Name: p.L.Name("category", c.Key, c.Names)})
		known = known || c.Key == f.Category
	}
	if !known && f.Category != "" { // keep what was there
		d.Categories = append(d.Categories, choice{Value: f.Category, Name: f.Category})
	}
	for i := 1; i <= 7; i++ {
		wd := time.Weekday(i % 7)
		d.Days = append(d.Days, choice{Value: strconv.Itoa(int(wd)), Name: p.L.Weekday(wd)})
		d.Boxes = append(d.Boxes, box{Value: strconv.Itoa(int(wd)), Name: p.L.Weekday(wd), On: f.Weekdays[wd]})
	}
	for _, n := range []string{"1", "2", "3", "4", "-1"} {
		d.Nths = append(d.Nths, choice{Value: n, Name: p.L.T("web.programme.nth." + n)})
	}
	p.Data = d
	return p
}

func (s *Server) handleActivityDelete(w http.ResponseWriter, r *http.Request, sess *session) {
	a, ok := s.activityOf(w, r, sess)
	if !ok {
		return
	}
	if err := s.cfg.Programme.DeleteActivity(r.Context(), a.ID); err != nil {
		s.fail(w, r, sess, err)
		return
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionActivityDeleted, Detail: fmt.Sprintf("%d %s", a.ID, a.Title)})
	http.Redirect(w, r, "/programme?done=deleted", http.StatusSeeOther)
}

type importView struct {
	Name    string
	Data    string // the file, base64, for the confirm button
	Applied bool
	Report  *reportView
}

type reportView struct {
	Events, Added, Changed, Unchanged, Removed, Outside int
	Skipped, Notes                                      []string
}

func (s *Server) handleImportForm(w http.ResponseWriter, r *http.Request, sess *session) {
	p := s.newPage(w, r, sess, "")
	p.Title = p.L.T("web.import.title")
	p.Data = importView{}
	s.render(w, r, http.StatusOK, "import", p)
}

// handleImport previews an uploaded file, or with apply=1 imports the file
// the preview carried back.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request, sess *session) {
	p := s.newPage(w, r, sess, "")
	p.Title = p.L.T("web.import.title")
	apply := r.PostFormValue("apply") == "1"
	var data []byte
	var name string
	var err error
	if apply {
		name = r.PostFormValue("name")
		data, err = base64.StdEncoding.DecodeString(r.PostFormValue("data"))
		if err != nil || len(data) > maxUpload {
			data = nil
		}
	} else if f, h, ferr := r.FormFile("file"); ferr == nil {
		name = h.Filename
		data, err = io.ReadAll(io.LimitReader(f, maxUpload+1))
		f.Close()
		if err != nil || len(data) > maxUpload {
			p.Error = p.L.Tf("web.import.too_big", map[string]any{"Max": "2 MiB"})
			p.Data = importView{}
			s.render(w, r, http.StatusUnprocessableEntity, "import", p)
			return
		}
	}
	name = cut(name, 100)
	if len(data) == 0 {
		p.Error = p.L.T("web.import.no_file")
		p.Data = importView{}
		s.render(w, r, http.StatusUnprocessableEntity, "import", p)
		return
	}
	ctx := r.Context()
	cats, err := s.cfg.Programme.Categories(ctx)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	imp, err := calendar.Parse(strings.NewReader(string(data)), calendar.Options{Now: s.cfg.Now(), Location: s.cfg.Location, Categories: cats})
	if err != nil {
		p.Error = p.L.Tf("web.import.refused", map[string]any{"Err": importErrorText(p.L, err)})
		p.Data = importView{Name: name}
		s.render(w, r, http.StatusUnprocessableEntity, "import", p)
		return
	}
	imp.Name = name
	rep, err := s.cfg.Programme.ApplyImport(ctx, imp, !apply)
	if err != nil {
		var inv *programme.InvalidError
		if !errors.As(err, &inv) {
			s.fail(w, r, sess, err)
			return
		}
		p.Error = p.L.Tf("web.import.refused", map[string]any{"Err": importErrorText(p.L, err)})
		p.Data = importView{Name: name}
		s.render(w, r, http.StatusUnprocessableEntity, "import", p)
		return
	}
	v := importView{Name: name, Applied: apply, Report: reportOf(p.L, rep)}
	if apply {
		p.Notice = p.L.T("web.import.done")
		s.audit(r, account.Entry{Actor: sess.Name, Action: actionImported, Detail: fmt.Sprintf("%s: +%d ~%d -%d, %d skipped",
			name, rep.Added, rep.Changed, rep.Removed, len(rep.Skipped))})
	} else {
		v.Data = base64.StdEncoding.EncodeToString(data)
	}
	p.Data = v
	s.render(w, r, http.StatusOK, "import", p)
}

func reportOf(l *catalogue.Translator, rep calendar.Report) *reportView {
	v := &reportView{Events: rep.Events, Added: rep.Added, Changed: rep.Changed, Unchanged: rep.Unchanged, Removed: rep.Removed, Outside: rep.Outside}
	line := func(i calendar.Issue) string {
		why, ok := l.Lookup("import." + i.Reason)
		if !ok {
			why = i.Detail
		}
		return l.Tf("web.import.issue", map[string]any{"Line": i.Line, "Title": i.Title, "Why": why})
	}
	for _, i := range rep.Skipped {
		v.Skipped = append(v.Skipped, line(i))
	}
	for _, i := range rep.Notes {
		v.Notes = append(v.Notes, line(i))
	}
	return v
}
