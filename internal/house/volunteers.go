package house

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"buurtbalie/internal/programme"
)

// Volunteers is when volunteers are in the house: a week of periods, the
// days the house is closed besides, and a note printed after the hours.
// The kiosk asks it before it tells a visitor that someone comes to them,
// so a promise is only made when somebody is there.
//
//	if h.Volunteers.InAt(now) {
//		// offer "Ik wacht hier"
//	} else if when, ok := h.Volunteers.ComeBack(now, tr); ok {
//		// "Morgen vanaf 9:30"
//	}
//
// Times are wall-clock times of the house: pass times in the house's
// time zone (Europe/Amsterdam).
type Volunteers struct {
	// Week holds the periods of each day, indexed by time.Weekday (Sunday
	// is 0), earliest first; a day without periods is closed.
	Week     [7][]Period
	Closures []Closure
	Note     string // printed after the hours, e.g. "In de schoolvakanties alleen 's ochtends."
	Origin   Origin
}

// Origin says where the kiosk learnt the hours from.
type Origin int

// The origins of Volunteers.
const (
	// OriginNone: the house gave only free text the kiosk cannot read
	// (or nothing). Then the kiosk never says volunteers are in: a
	// vulnerable visitor is not promised someone who may not come.
	OriginNone Origin = iota
	// OriginText: read from the free-text hours (ParseHours), for a house
	// that has not filled in the schedule on /settings. The slip still
	// prints the text as staff wrote it.
	OriginText
	// OriginForm: staff filled in the schedule on /settings. The slip
	// prints the lines made from it (Lines), in the visitor's language.
	OriginForm
)

// Period is a stretch of a day when volunteers are in, From up to (not
// including) To. To may be programme.EndOfDay; a period never runs past
// midnight (give the next day its own).
type Period struct {
	From, To programme.TimeOfDay
}

// Closure is a day, or days, the house is closed although the week says
// it is open: a holiday, a training day.
type Closure struct {
	From   programme.Date
	To     programme.Date // the last day closed; zero means From only
	Reason string         // "Kerst", optional
}

// Last returns the last day of the closure.
func (c Closure) Last() programme.Date {
	if c.To.IsZero() {
		return c.From
	}
	return c.To
}

// Includes reports whether the house is closed on d.
func (c Closure) Includes(d programme.Date) bool {
	return !d.Before(c.From) && !d.After(c.Last())
}

// Limits of the schedule, so it fits the form and a slip.
const (
	MaxPeriods  = 2 // a day: a morning and an afternoon
	MaxClosures = 30
	MaxReason   = 40
	MaxNote     = 2 * MaxLine
	// SearchDays is how far ahead NextIn looks: a house closed for longer
	// has no time to give, and the kiosk says none.
	SearchDays = 60
)

// Known reports whether the kiosk knows the hours, so it may tell a
// visitor whether somebody is in.
func (v Volunteers) Known() bool { return v.Origin != OriginNone }

// Closed reports whether the house is closed all of d by a closure.
func (v Volunteers) Closed(d programme.Date) bool {
	return slices.ContainsFunc(v.Closures, func(c Closure) bool { return c.Includes(d) })
}

// InAt reports whether volunteers are in at t. Unknown hours are never
// in.
func (v Volunteers) InAt(t time.Time) bool {
	if !v.Known() {
		return false
	}
	d := programme.DateOf(t)
	if v.Closed(d) {
		return false
	}
	// The wall clock decides, so the hours stay right on the days summer
	// time starts and ends.
	now := programme.Clock(t.Hour(), t.Minute())
	return slices.ContainsFunc(v.Week[d.Weekday()], func(p Period) bool { return p.From <= now && now < p.To })
}

// NextIn returns when volunteers are next in from t: t itself when they
// are in at t. It looks SearchDays ahead; ok is false when they are not
// in all that time, or the hours are unknown.
func (v Volunteers) NextIn(t time.Time) (next time.Time, ok bool) {
	if !v.Known() {
		return time.Time{}, false
	}
	if v.InAt(t) {
		return t, true
	}
	loc, today := t.Location(), programme.DateOf(t)
	for i := range SearchDays + 1 {
		d := today.AddDays(i)
		if v.Closed(d) {
			continue
		}
		for _, p := range sorted(v.Week[d.Weekday()]) {
			// In the hour skipped when summer time starts, On moves the
			// start to when the clock says it has come.
			if start := p.From.On(d, loc); !start.Before(t) {
				return start, true
			}
		}
	}
	return time.Time{}, false
}

func sorted(ps []Period) []Period {
	return slices.SortedFunc(slices.Values(ps), func(a, b Period) int { return int(a.From) - int(b.From) })
}

// Words gives the words the printed hours are made of, in one language;
// *catalogue.Translator gives them from the message files.
type Words interface {
	Tf(id string, data map[string]any) string
	Weekday(d time.Weekday) string
	Date(y int, m time.Month, d int) string
}

// MondayFirst is the order the days of the week are printed and shown
// in.
var MondayFirst = [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// Lines returns the printed lines of the schedule in w's language, then
// the note: days with the same hours share a line, days in a row are
// one range ("Maandag t/m vrijdag 9:30 – 16:00"), other days are listed
// ("Dinsdag en donderdag 13:00 – 17:00").
func (v Volunteers) Lines(w Words) []string {
	type group struct {
		periods []Period
		days    []int // places in MondayFirst
	}
	var groups []*group
	for i, d := range MondayFirst {
		ps := sorted(v.Week[d])
		if len(ps) == 0 {
			continue
		}
		j := slices.IndexFunc(groups, func(g *group) bool { return slices.Equal(g.periods, ps) })
		if j < 0 {
			groups = append(groups, &group{periods: ps})
			j = len(groups) - 1
		}
		groups[j].days = append(groups[j].days, i)
	}
	var lines []string
	for _, g := range groups {
		var items []string
		for start := 0; start < len(g.days); {
			end := start
			for end+1 < len(g.days) && g.days[end+1] == g.days[end]+1 {
				end++
			}
			first, last := w.Weekday(MondayFirst[g.days[start]]), w.Weekday(MondayFirst[g.days[end]])
			switch end - start {
			case 0:
				items = append(items, first)
			case 1:
				items = append(items, first, last)
			default:
				items = append(items, w.Tf("hours.days_range", map[string]any{"First": first, "Last": last}))
			}
			start = end + 1
		}
		var times []string
		for _, p := range g.periods {
			times = append(times, w.Tf("hours.period", map[string]any{"From": clock(p.From), "To": clock(p.To)}))
		}
		lines = append(lines, capital(w.Tf("hours.line", map[string]any{"Days": list(w, items), "Times": list(w, times)})))
	}
	if note := strings.TrimSpace(v.Note); note != "" {
		lines = append(lines, note)
	}
	return lines
}

// ClosedAhead is how many days ahead a slip tells of closures: far
// enough for a visitor to plan, near enough to keep the slip short.
const ClosedAhead = 31

// ClosedLines tells of the closures that are on at now or start within
// ClosedAhead days, a line each in w's language: "Dicht: donderdag
// 24 december t/m vrijdag 1 januari (Kerst)".
func (v Volunteers) ClosedLines(w Words, now time.Time) []string {
	today := programme.DateOf(now)
	var lines []string
	for _, c := range v.Closures {
		if c.Last().Before(today) || today.DaysUntil(c.From) > ClosedAhead {
			continue
		}
		dates := w.Date(c.From.Year, c.From.Month, c.From.Day)
		if last := c.Last(); last != c.From {
			dates = w.Tf("hours.days_range", map[string]any{"First": dates, "Last": w.Date(last.Year, last.Month, last.Day)})
		}
		id := "hours.closed"
		if strings.TrimSpace(c.Reason) != "" {
			id = "hours.closed_reason"
		}
		lines = append(lines, w.Tf(id, map[string]any{"Dates": dates, "Reason": strings.TrimSpace(c.Reason)}))
	}
	return lines
}

// list joins items as a sentence does: "a, b en c".
func list(w Words, items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return w.Tf("hours.and", map[string]any{"List": strings.Join(items[:len(items)-1], ", "), "Last": items[len(items)-1]})
}

// clock writes a time of day as people read it on a door: "9:30".
func clock(t programme.TimeOfDay) string { return fmt.Sprintf("%d:%02d", int(t)/60, int(t)%60) }

func capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// ComeBack says when a visitor who finds nobody in at now can come back:
// "Vandaag vanaf 13:00", "Morgen vanaf 9:30", "Maandag 8 december vanaf
// 9:30". ok is false when volunteers are in now, or when NextIn has no
// time to give: then say nothing rather than guess.
func (v Volunteers) ComeBack(now time.Time, w Words) (sentence string, ok bool) {
	if v.InAt(now) {
		return "", false
	}
	next, ok := v.NextIn(now)
	if !ok {
		return "", false
	}
	data := map[string]any{"Time": clock(programme.Clock(next.Hour(), next.Minute()))}
	today, day := programme.DateOf(now), programme.DateOf(next)
	switch today.DaysUntil(day) {
	case 0:
		return w.Tf("hours.back.today", data), true
	case 1:
		return w.Tf("hours.back.tomorrow", data), true
	}
	data["Date"] = w.Date(day.Year, day.Month, day.Day)
	return capital(w.Tf("hours.back.day", data)), true
}

// Validate reports the first thing wrong with a schedule staff filled
// in, as a *programme.InvalidError; Field is "week" for the week as a
// whole, "day-N" for weekday N (time.Weekday), "closure-N" for the Nth
// closure and "note".
func (v Volunteers) Validate() error {
	open := false
	for _, d := range MondayFirst {
		field := "day-" + strconv.Itoa(int(d))
		ps := sorted(v.Week[d])
		if len(ps) > MaxPeriods {
			return invalid(field, "hours_too_many", "give at most %d periods a day", MaxPeriods)
		}
		for i, p := range ps {
			switch {
			case p.From < 0 || p.To > programme.EndOfDay:
				return invalid(field, "time_out_of_range", "a time is between 00:00 and 24:00; a period ends by midnight")
			case p.To <= p.From:
				return invalid(field, "end_before_start", "a period ends after it starts")
			case i > 0 && p.From < ps[i-1].To:
				return invalid(field, "hours_overlap", "the periods of a day overlap")
			}
			open = true
		}
	}
	if !open {
		return invalid("week", "hours_required", "give at least one day with the hours volunteers are in")
	}
	if len(v.Closures) > MaxClosures {
		return invalid("closures", "too_many_closures", "keep it to %d closures", MaxClosures)
	}
	for i, c := range v.Closures {
		field := "closure-" + strconv.Itoa(i)
		switch {
		case c.From.IsZero():
			return invalid(field, "date_required", "give the first day the house is closed")
		case c.Last().Before(c.From):
			return invalid(field, "until_before_from", "the last day closed is not before the first")
		case utf8.RuneCountInString(c.Reason) > MaxReason:
			return invalid(field, "too_long", "keep the reason to %d characters", MaxReason)
		}
	}
	if utf8.RuneCountInString(v.Note) > MaxNote {
		return invalid("note", "too_long", "keep the note to %d characters", MaxNote)
	}
	return nil
}

// hoursLine is one line of free-text hours the kiosk can read: days, then
// a time to a time, e.g. "Maandag t/m vrijdag 9:30 – 16:00".
var hoursLine = regexp.MustCompile(`^(.+?)\s+(\d{1,2}(?:[:.]\d{2})?)\s*(?:-|–|—|tot)\s*(\d{1,2}(?:[:.]\d{2})?)(?:\s*uur)?\.?$`)

// dayNames are the Dutch names and short forms of the days.
var dayNames = map[string]time.Weekday{
	"maandag": time.Monday, "ma": time.Monday,
	"dinsdag": time.Tuesday, "di": time.Tuesday,
	"woensdag": time.Wednesday, "wo": time.Wednesday,
	"donderdag": time.Thursday, "do": time.Thursday,
	"vrijdag": time.Friday, "vr": time.Friday,
	"zaterdag": time.Saturday, "za": time.Saturday,
	"zondag": time.Sunday, "zo": time.Sunday,
}

// ParseHours reads free-text hours as a house wrote them before the
// schedule could be filled in ("Maandag t/m vrijdag 9:30 – 16:00",
// "di en do 13:00-17:00", one line each). Every line must read as days
// and a time to a time; anything else ("behalve in de zomer", a remark in
// brackets) gives Volunteers of OriginNone, since a guess that is
// silently wrong would send a visitor home or keep one waiting.
func ParseHours(lines []string) Volunteers {
	var v Volunteers
	if len(lines) == 0 {
		return v
	}
	for _, l := range lines {
		m := hoursLine.FindStringSubmatch(strings.ToLower(strings.TrimSpace(l)))
		if m == nil {
			return Volunteers{}
		}
		days, ok := parseDays(m[1])
		from, ok1 := parseClock(m[2])
		to, ok2 := parseClock(m[3])
		if !ok || !ok1 || !ok2 {
			return Volunteers{}
		}
		for _, d := range days {
			v.Week[d] = append(v.Week[d], Period{From: from, To: to})
		}
	}
	for d := range v.Week {
		v.Week[d] = sorted(v.Week[d])
	}
	if v.Validate() != nil {
		return Volunteers{}
	}
	v.Origin = OriginText
	return v
}

// parseDays reads "maandag t/m vrijdag", "ma, wo en vr", "dinsdag".
func parseDays(s string) ([]time.Weekday, bool) {
	s = strings.ReplaceAll(s, " tot en met ", " t/m ")
	s = strings.ReplaceAll(s, " en ", ",")
	var days []time.Weekday
	for _, item := range strings.Split(s, ",") {
		first, last, isRange := strings.Cut(item, "t/m")
		a, ok := dayNames[strings.TrimSuffix(strings.TrimSpace(first), ".")]
		if !ok {
			return nil, false
		}
		if !isRange {
			days = append(days, a)
			continue
		}
		b, ok := dayNames[strings.TrimSuffix(strings.TrimSpace(last), ".")]
		if !ok || a == b {
			return nil, false
		}
		for d := a; ; d = (d + 1) % 7 {
			days = append(days, d)
			if d == b {
				break
			}
		}
	}
	slices.Sort(days)
	if len(days) != len(slices.Compact(slices.Clone(days))) {
		return nil, false // a day twice on one line: a typo, not a schedule
	}
	return days, true
}

// parseClock reads "9:30", "9.30" or "9".
func parseClock(s string) (programme.TimeOfDay, bool) {
	h, m, _ := strings.Cut(strings.ReplaceAll(s, ".", ":"), ":")
	hh, err := strconv.Atoi(h)
	if err != nil {
		return 0, false
	}
	mm := 0
	if m != "" {
		if mm, err = strconv.Atoi(m); err != nil || mm > 59 {
			return 0, false
		}
	}
	t := programme.Clock(hh, mm)
	return t, hh >= 0 && t <= programme.EndOfDay
}
