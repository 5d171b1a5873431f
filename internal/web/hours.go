package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/house"
	"buurtbalie/internal/programme"
)

// actionHoursSaved is the audit action of saving the volunteers' hours.
const actionHoursSaved = "hours_saved"

// hoursForm is the week of volunteers' hours as staff typed it, kept as
// typed when it is refused. Days are Monday first; Closures end with an
// empty line, where staff add one.
type hoursForm struct {
	Days     []dayLine
	Closures []closureLine
	Note     string
	// Filled says staff saved the schedule before; Read says the kiosk
	// reads the free text Text as hours (and Days show what it read).
	Filled, Read bool
	Text         []string
}

// dayLine is one weekday of the form: closed, or one or two periods.
type dayLine struct {
	Weekday int // time.Weekday, in the field names
	Name    string
	Closed  bool
	Periods [house.MaxPeriods]periodField
	Error   string
}

// periodField is the Nth period of a day (from 1), as typed.
type periodField struct {
	N        int
	From, To string
}

func newDayLine(l *catalogue.Translator, d time.Weekday) dayLine {
	line := dayLine{Weekday: int(d), Name: capitalise(l.Weekday(d))}
	for i := range line.Periods {
		line.Periods[i].N = i + 1
	}
	return line
}

type closureLine struct {
	Index            int
	From, To, Reason string
	Error            string
}

// hoursFormOf shows h's hours: the schedule staff saved, or what the
// kiosk read of the free text, or an empty week to fill in.
func hoursFormOf(l *catalogue.Translator, h house.House) hoursForm {
	v := h.Volunteers
	f := hoursForm{Note: v.Note, Filled: v.Origin == house.OriginForm, Read: v.Origin == house.OriginText, Text: h.Hours}
	for _, d := range house.MondayFirst {
		line := newDayLine(l, d)
		line.Closed = v.Known() && len(v.Week[d]) == 0
		for i, p := range v.Week[d] {
			if i < house.MaxPeriods {
				line.Periods[i].From, line.Periods[i].To = p.From.String(), p.To.String()
			}
		}
		f.Days = append(f.Days, line)
	}
	for i, c := range v.Closures {
		cl := closureLine{Index: i, From: c.From.String(), Reason: c.Reason}
		if c.Last() != c.From {
			cl.To = c.Last().String()
		}
		f.Closures = append(f.Closures, cl)
	}
	f.Closures = append(f.Closures, closureLine{Index: len(f.Closures)})
	return f
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// readHoursForm reads the posted form: as typed, and as a schedule with
// the errors of what could not be read, per field (see
// house.Volunteers.Validate for the names).
func readHoursForm(r *http.Request, l *catalogue.Translator) (hoursForm, house.Volunteers, map[string]string) {
	f := hoursForm{Note: strings.TrimSpace(r.PostFormValue("note"))}
	v := house.Volunteers{Note: f.Note, Origin: house.OriginForm}
	errs := map[string]string{}
	fail := func(field, reason string) {
		if _, ok := errs[field]; !ok {
			errs[field] = l.T(invalidKey(l, reason))
		}
	}
	for _, d := range house.MondayFirst {
		n := strconv.Itoa(int(d))
		field := "day-" + n
		line := newDayLine(l, d)
		line.Closed = r.PostFormValue("closed-"+n) != ""
		empty := true
		for i := range line.Periods {
			p := &line.Periods[i]
			k := n + "-" + strconv.Itoa(p.N)
			p.From, p.To = strings.TrimSpace(r.PostFormValue("from-"+k)), strings.TrimSpace(r.PostFormValue("to-"+k))
			empty = empty && p.From == "" && p.To == ""
			if line.Closed || p.From == "" && p.To == "" {
				continue
			}
			if p.From == "" || p.To == "" {
				fail(field, "hours_half")
				continue
			}
			from, err1 := programme.ParseTimeOfDay(p.From)
			to, err2 := programme.ParseTimeOfDay(p.To)
			if err1 != nil || err2 != nil {
				fail(field, "time_format")
				continue
			}
			v.Week[d] = append(v.Week[d], house.Period{From: from, To: to})
		}
		if !line.Closed && empty {
			// Neither times nor closed: staff may have forgotten the day.
			fail(field, "hours_half")
		}
		f.Days = append(f.Days, line)
	}
	count, _ := strconv.Atoi(r.PostFormValue("closure-count"))
	count = min(max(count, 0), house.MaxClosures+1)
	for i := range count {
		n := strconv.Itoa(i)
		cl := closureLine{From: strings.TrimSpace(r.PostFormValue("closure-from-" + n)),
			To: strings.TrimSpace(r.PostFormValue("closure-to-" + n)), Reason: strings.TrimSpace(r.PostFormValue("closure-reason-" + n))}
		if r.PostFormValue("closure-remove-"+n) != "" || cl.From == "" && cl.To == "" && cl.Reason == "" {
			continue
		}
		cl.Index = len(f.Closures)
		f.Closures = append(f.Closures, cl)
		field := "closure-" + strconv.Itoa(len(v.Closures))
		c := house.Closure{Reason: cl.Reason}
		var err error
		if cl.From == "" {
			fail(field, "date_required")
		} else if c.From, err = programme.ParseDate(cl.From); err != nil {
			fail(field, "date_format")
		} else if cl.To != "" {
			if c.To, err = programme.ParseDate(cl.To); err != nil {
				fail(field, "date_format")
			}
		}
		v.Closures = append(v.Closures, c)
	}
	f.Closures = append(f.Closures, closureLine{Index: len(f.Closures)})
	if len(errs) == 0 {
		if err := v.Validate(); err != nil {
			errs = fieldErrors(l, err)
		}
	}
	if len(errs) == 0 {
		return f, v, nil
	}
	f.setErrors(errs)
	return f, v, errs
}

// setErrors puts each message by its line of the form.
func (f *hoursForm) setErrors(errs map[string]string) {
	for i := range f.Days {
		f.Days[i].Error = errs["day-"+strconv.Itoa(f.Days[i].Weekday)]
	}
	for i := range f.Closures {
		f.Closures[i].Error = errs["closure-"+strconv.Itoa(i)]
	}
}

func (s *Server) handleSaveHours(w http.ResponseWriter, r *http.Request, sess *session) {
	l := s.translator(w, r, "")
	f, v, errs := readHoursForm(r, l)
	if errs != nil {
		h, err := s.cfg.Settings.House.House(r.Context())
		if err != nil {
			s.fail(w, r, sess, err)
			return
		}
		// What is stored still decides what the page explains.
		stored := hoursFormOf(l, h)
		f.Filled, f.Read, f.Text = stored.Filled, stored.Read, stored.Text
		s.showSettingsWith(w, r, sess, http.StatusUnprocessableEntity, formOfHouse(h), &f, errs, l.T("web.settings.refused"), "")
		return
	}
	if err := s.cfg.Settings.House.SaveVolunteers(r.Context(), v, sess.Name); err != nil {
		s.fail(w, r, sess, err)
		return
	}
	// The lines as the slip prints them in Dutch say what changed.
	detail := strings.Join(v.Lines(s.cat.For(s.cat.Default())), "; ")
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionHoursSaved, Detail: detail})
	http.Redirect(w, r, "/settings?done=hours#hours", http.StatusSeeOther)
}
