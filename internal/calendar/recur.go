package calendar

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"

	"buurtbalie/internal/programme"
)

// A rule bounded by COUNT is followed to find its last date for at most
// maxCount occurrences and countYears after the period; one that goes on
// longer is taken as open-ended, which it is for the years a kiosk PC
// lives (and a feed is read again long before).
const (
	maxCount   = 10000
	countYears = 10
)

// instance is one occurrence of an event: the start its rule gives it
// (which a RECURRENCE-ID names), and when and how it takes place once an
// overriding instance is applied.
type instance struct {
	key       time.Time
	t         timing
	f         *fields // shared by the instances as the event has them
	cancelled bool
	override  *vevent // the component that overrides it, if any
	extra     bool    // an override of an instance the rule does not make in the period
	bad       bool    // its override was skipped: it is left out
}

// span is an occurrence placed on the programme: a date and wall-clock
// times in the house's zone.
type span struct {
	date       programme.Date
	start, end programme.TimeOfDay
}

// event turns one event and the instances it overrides into activities
// (with IDs 1, 2, … that tie the exceptions to them). ok is false when the
// event was skipped (and recorded as such); err refuses the file.
func (p *icsParser) event(ev *vevent, overrides []*vevent) (acts []programme.Activity, excs []programme.Exception, ok bool, err error) {
	p.current = ev
	f := p.fields(ev, nil)
	if f.title == "" {
		p.skip(ev, "no_title", "the event has no title (SUMMARY)")
		return nil, nil, false, nil
	}
	t, err := p.timing(ev)
	if err == errSkip {
		return nil, nil, false, nil
	} else if err != nil {
		return nil, nil, false, err
	}
	rule, err := p.rule(ev, t)
	if err == errSkip {
		return nil, nil, false, nil
	} else if err != nil {
		return nil, nil, false, err
	}
	rdates, err := p.dates(ev, ical.PropRecurrenceDates, t)
	if err != nil {
		return nil, nil, false, p.quiet(err)
	}
	exdates, err := p.dates(ev, ical.PropExceptionDates, t)
	if err != nil {
		return nil, nil, false, p.quiet(err)
	}
	if p.counting {
		return nil, nil, true, p.count(ev, t, f, rule, rdates)
	}
	recurring := rule != nil || len(rdates) > 0
	if cancelled(ev.comp) && recurring {
		p.note(ev, "series_cancelled", "the whole series is cancelled: it is taken off the programme")
		return nil, nil, true, nil
	}
	if t.assumed {
		p.note(ev, "no_end", "the event has no end: it is given one hour")
	}

	periods, err := p.periods(ev, t)
	if err != nil {
		return nil, nil, false, p.quiet(err)
	}
	insts, err := p.expand(ev, t, f, rule, rdates, periods)
	if err != nil {
		return nil, nil, false, p.quiet(err)
	}
	exclude(insts, exdates)
	outside, err := p.override(ev, t, f, rule, rdates, overrides, &insts)
	if err != nil {
		return nil, nil, false, err
	}
	p.current = ev
	if len(insts) == 0 {
		p.report.Outside++
		return nil, nil, true, nil
	}
	if cancelled(ev.comp) {
		for i := range insts {
			insts[i].cancelled = true
		}
	}
	if rule != nil && len(rdates) == 0 {
		acts, excs, ok, err := p.asSeries(t, f, rule, insts, outside, exdates)
		if err != nil || ok {
			return acts, excs, ok, err
		}
	}
	return p.asOneOffs(ev, insts)
}

// count adds to p.counted about how many activities the event would
// make, once the file has more than MaxActivities and is refused: a rule
// the programme may hold as one series counts one if it has an instance
// in the period, anything else its instances there. It makes none, since
// the count only says how far over the limit the file is, and a file of
// 20,000 series took seconds to make them all.
func (p *icsParser) count(ev *vevent, t timing, f fields, rule *rrule.RRule, rdates []time.Time) error {
	if rule != nil && len(rdates) == 0 {
		if _, ok := candidate(rule.OrigOptions, p.dateOf(t, t.start)); ok {
			w, err := p.walk(rule, p.walkFrom(t))
			if err != nil {
				return err
			}
			for {
				s, ok, err := w.step(p)
				if err != nil || !ok || p.after(t, s) {
					return err
				}
				if !p.before(t, s) {
					p.counted++
					return nil
				}
			}
		}
	}
	insts, err := p.expand(ev, t, f, rule, rdates, nil)
	if err != nil {
		return p.quiet(err)
	}
	p.counted += len(insts) * max(t.days, 1)
	return nil
}

// quiet turns errSkip into a skipped event without error.
func (p *icsParser) quiet(err error) error {
	if err == errSkip {
		return nil
	}
	return err
}

// untilDate matches an UNTIL that is a date, not a date-time.
var untilDate = regexp.MustCompile(`UNTIL=\d{8}(;|$)`)

// rule reads the event's RRULE, in the zone of its start.
func (p *icsParser) rule(ev *vevent, t timing) (*rrule.RRule, error) {
	props := ev.comp.Props.Values(ical.PropRecurrenceRule)
	if len(props) == 0 {
		return nil, nil
	}
	if len(props) > 1 {
		p.note(ev, "several_rules", "the event has more than one RRULE: the first is used")
	}
	value := strings.ToUpper(strings.TrimSpace(props[0].Value))
	o, err := rrule.StrToROptionInLocation(value, t.start.Location())
	if err != nil {
		return nil, ev.fail(ical.PropRecurrenceRule, fmt.Errorf("%w: RRULE %q: %v", ErrValue, short(value), err))
	}
	if o.Freq > rrule.DAILY || max(len(o.Byhour), 1)*max(len(o.Byminute), 1)*max(len(o.Bysecond), 1) > maxPerDay {
		p.skip(ev, "too_frequent", "the event repeats more often than once a day")
		return nil, errSkip
	}
	if never(*o) {
		// rrule-go would look for one until the year 9999.
		p.note(ev, "never_repeats", "the rule makes no date (such as 30 February): only its start is taken")
		return nil, nil
	}
	if !t.allDay && untilDate.MatchString(value) {
		// UNTIL as a date on a timed event: that whole day.
		o.Until = o.Until.AddDate(0, 0, 1).Add(-time.Second)
	}
	o.Dtstart = t.start
	r, err := rrule.NewRRule(*o)
	if err != nil {
		return nil, ev.fail(ical.PropRecurrenceRule, fmt.Errorf("%w: RRULE %q: %v", ErrValue, short(value), err))
	}
	return r, nil
}

// periods reads the ends of the event's RDATEs that are periods
// (start/end or start/duration): how long the instance at each start
// lasts. An all-day event's days are its own.
func (p *icsParser) periods(ev *vevent, t timing) (map[int64]time.Duration, error) {
	var out map[int64]time.Duration
	for _, prop := range ev.comp.Props.Values(ical.PropRecurrenceDates) {
		if t.allDay || !strings.Contains(prop.Value, "/") {
			continue
		}
		starts, _, err := p.times(ev, &prop)
		if err != nil {
			return nil, p.zoneSkip(ev, err)
		}
		for i, v := range strings.Split(prop.Value, ",") {
			_, end, ok := strings.Cut(strings.TrimSpace(v), "/")
			if !ok || i >= len(starts) {
				continue
			}
			var d time.Duration
			if end != "" && strings.ContainsRune("P+-", rune(end[0])) {
				one := ical.Prop{Name: "X-VALUE", Params: ical.Params{}, Value: end}
				if d, err = one.Duration(); err != nil {
					return nil, ev.fail(prop.Name, fmt.Errorf("%w: RDATE period %q: %v", ErrValue, short(v), err))
				}
			} else {
				endProp := prop
				endProp.Value = end
				ends, _, err := p.times(ev, &endProp)
				if err != nil {
					return nil, p.zoneSkip(ev, err)
				}
				d = ends[0].Sub(starts[i])
			}
			if out == nil {
				out = map[int64]time.Duration{}
			}
			out[starts[i].Unix()] = d
		}
	}
	return out, nil
}

// never reports whether a rule's BYMONTH and BYMONTHDAY name no date that
// exists, as 30 February or 31 April: every BY part of a rule must hold
// on a day, so no other part can make one.
func never(o rrule.ROption) bool {
	if len(o.Bymonthday) == 0 || len(o.Bymonth) == 0 {
		return false // some month has every day from 1 to 31
	}
	longest := [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	for _, m := range o.Bymonth {
		for _, d := range o.Bymonthday {
			if d <= longest[m] && -d <= longest[m] {
				return false
			}
		}
	}
	return true
}

// dates reads every RDATE or EXDATE of the event. Dates of an all-day
// event are midnight in the house's zone, as its start is.
func (p *icsParser) dates(ev *vevent, name string, t timing) ([]time.Time, error) {
	var out []time.Time
	for i := range ev.comp.Props.Values(name) {
		prop := &ev.comp.Props.Values(name)[i]
		ts, dates, err := p.times(ev, prop)
		if err != nil {
			return nil, p.zoneSkip(ev, err)
		}
		for _, x := range ts {
			switch {
			case t.allDay:
				x = programme.DateOf(x).In(p.house)
			case dates:
				// A date on a timed event: the instance at its time that day.
				x = local(time.Date(x.Year(), x.Month(), x.Day(), t.start.Hour(), t.start.Minute(), t.start.Second(), 0, time.UTC), t.start.Location())
			}
			out = append(out, x)
		}
	}
	return out, nil
}

// expand lists the instances the event's rule and RDATEs make in the
// period (its start alone if it has neither). DTSTART is the first
// instance even when the rule would not make it.
func (p *icsParser) expand(ev *vevent, t timing, f fields, rule *rrule.RRule, rdates []time.Time, periods map[int64]time.Duration) ([]instance, error) {
	starts := append([]time.Time{t.start}, rdates...)
	if rule != nil {
		w, err := p.walk(rule, p.walkFrom(t))
		if err != nil {
			return nil, err
		}
		made := 0
		for {
			s, ok, err := w.step(p)
			if err != nil {
				return nil, err
			}
			if !ok || p.after(t, s) {
				break
			}
			if p.before(t, s) {
				continue
			}
			if made++; made > MaxOccurrences {
				break // said below
			}
			starts = append(starts, s)
		}
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i].Before(starts[j]) })
	var insts []instance
	shared := &f
	for i, s := range starts {
		if p.after(t, s) || p.before(t, s) || i > 0 && s.Equal(starts[i-1]) {
			continue
		}
		it := t
		it.start = s
		if d, ok := periods[s.Unix()]; ok {
			it.dur, it.assumed = d, false
		}
		insts = append(insts, instance{key: s, t: it, f: shared})
		if len(insts) > MaxOccurrences {
			p.skip(ev, "too_many", fmt.Sprintf("the event has more than %d occurrences in the period", MaxOccurrences))
			return nil, errSkip
		}
	}
	return insts, nil
}

// after reports whether an instance starting at s begins after the period.
func (p *icsParser) after(t timing, s time.Time) bool {
	if t.allDay {
		return programme.DateOf(s).After(p.opts.To)
	}
	return !s.Before(p.end)
}

// before reports whether an instance starting at s is over before the
// period begins.
func (p *icsParser) before(t timing, s time.Time) bool {
	if t.allDay {
		return programme.DateOf(s).AddDays(t.days - 1).Before(p.opts.From)
	}
	return programme.DateOf(s.In(p.house)).Before(p.opts.From)
}

// exclude marks the instances an EXDATE names as cancelled: they stay on
// the programme, marked, because visitors who come every week look for
// them.
func exclude(insts []instance, exdates []time.Time) {
	if len(exdates) == 0 {
		return
	}
	ex := make(map[int64]bool, len(exdates))
	for _, x := range exdates {
		ex[x.Unix()] = true
	}
	for i := range insts {
		if ex[insts[i].key.Unix()] {
			insts[i].cancelled = true
		}
	}
}

// override applies the instances that override the event's (by
// RECURRENCE-ID). An override of an instance the rule makes in the period
// replaces it; one of an instance outside the period is added when it is
// moved into the period, and otherwise returned in outside, for a
// series' exceptions before and after the period. One of an instance the
// event does not have at all is left out and noted: it would add a
// phantom and make the series one-offs.
func (p *icsParser) override(ev *vevent, t timing, f fields, rule *rrule.RRule, rdates []time.Time, overrides []*vevent, insts *[]instance) (outside []instance, err error) {
	byKey := make(map[int64]int, len(*insts))
	byDate := make(map[programme.Date]int, len(*insts))
	for i, in := range *insts {
		byKey[in.key.Unix()] = i
		byDate[programme.DateOf(in.key)] = i
	}
	for _, ov := range overrides {
		p.current = ov
		ridProp := ov.comp.Props.Get(ical.PropRecurrenceID)
		rids, ridDate, err := p.times(ov, ridProp)
		if err != nil {
			if err = p.zoneSkip(ov, err); err != errSkip {
				return nil, err
			}
			continue
		}
		rid := rids[0]
		if strings.EqualFold(ridProp.Params.Get(ical.ParamRange), "THISANDFUTURE") {
			p.note(ov, "range_ignored", "RANGE=THISANDFUTURE: only this instance is changed")
		}
		if ridDate || t.allDay {
			rid = programme.DateOf(rid).In(p.house)
		}
		i, found := byKey[rid.Unix()]
		if !found && (ridDate || t.allDay) {
			i, found = byDate[programme.DateOf(rid)]
		}
		of := p.fields(ov, &f)
		in := instance{key: rid, f: &of, cancelled: cancelled(ov.comp), override: ov}
		if ov.comp.Props.Get(ical.PropDateTimeStart) != nil {
			ot, err := p.timing(ov)
			if err != nil && err != errSkip {
				return nil, err
			}
			in.t, in.bad = ot, err == errSkip
		} else {
			in.t = t
			in.t.start = rid
			if found {
				in.t.start = (*insts)[i].key
			}
		}
		if !found {
			is, err := p.isInstance(t, rule, rdates, rid, ridDate || t.allDay)
			if err != nil {
				return nil, err
			}
			if !is {
				p.note(ov, "no_instance", fmt.Sprintf("RECURRENCE-ID %s names no occurrence of the event: the change is left out", propValue(ov.comp, ical.PropRecurrenceID)))
				continue
			}
		}
		switch {
		case found:
			in.key = (*insts)[i].key
			(*insts)[i] = in
		case in.bad:
		case !p.after(in.t, in.t.start) && !p.before(in.t, in.t.start):
			in.extra = true
			*insts = append(*insts, in)
		default:
			outside = append(outside, in)
		}
	}
	return outside, nil
}

// isInstance reports whether the event has an instance at rid (on its
// day, when byDay): its start, an RDATE or an occurrence of its rule.
// Every instance in the period is known already; one outside it is
// looked for by walking the rule from just before rid.
func (p *icsParser) isInstance(t timing, rule *rrule.RRule, rdates []time.Time, rid time.Time, byDay bool) (bool, error) {
	same := func(s time.Time) bool {
		if byDay {
			return programme.DateOf(s) == programme.DateOf(rid)
		}
		return s.Equal(rid)
	}
	if same(t.start) || slices.ContainsFunc(rdates, same) {
		return true, nil
	}
	if rule == nil || !p.before(t, rid) && !p.after(t, rid) {
		return false, nil
	}
	w, err := p.walk(rule, wall(rid).AddDate(0, 0, -2))
	if err != nil {
		return false, err
	}
	for {
		s, ok, err := w.step(p)
		if err != nil || !ok {
			return false, err
		}
		if same(s) {
			return true, nil
		}
		if s.After(rid.Add(48 * time.Hour)) {
			return false, nil
		}
	}
}

// asSeries makes the event one repeating activity, when the programme
// model holds its rule exactly: the rule gives a weekly or monthly
// schedule, every instance in the period is on the dates that schedule
// gives and at the same times, and every override is a cancellation or
// another time or room on the same day. ok is false otherwise.
func (p *icsParser) asSeries(t timing, f fields, rule *rrule.RRule, insts, outside []instance, exdates []time.Time) (acts []programme.Activity, excs []programme.Exception, ok bool, err error) {
	if t.allDay && t.days != 1 {
		return nil, nil, false, nil
	}
	from := p.dateOf(t, t.start)
	s, ok := candidate(rule.OrigOptions, from)
	if !ok {
		return nil, nil, false, nil
	}
	// The rule's own instances: one a day, all at the same times.
	dates := make(map[programme.Date]bool, len(insts))
	var start, end programme.TimeOfDay
	for i, in := range insts {
		if in.extra || in.bad {
			return nil, nil, false, nil
		}
		base := t
		base.start = in.key
		sp, reason := p.span(base)
		if reason != "" || dates[sp.date] {
			return nil, nil, false, nil
		}
		if i == 0 {
			start, end = sp.start, sp.end
		} else if sp.start != start || sp.end != end {
			return nil, nil, false, nil
		}
		dates[sp.date] = true
	}
	if s.Until, err = p.until(t, rule, start); err != nil {
		return nil, nil, false, err
	}
	if !s.Until.IsZero() && s.Until.Before(s.From) {
		return nil, nil, false, nil
	}
	// The schedule gives exactly those dates in the period.
	lo, hi := p.opts.From, p.opts.To
	if lo.Before(s.From) {
		lo = s.From
	}
	if !s.Until.IsZero() && s.Until.Before(hi) {
		hi = s.Until
	}
	// This walk is not charged: it is the period's days once per event,
	// and MaxEvents bounds the events.
	n := 0
	for d := lo; !d.After(hi); d = d.AddDays(1) {
		if s.Includes(d) != dates[d] {
			return nil, nil, false, nil
		}
		if dates[d] {
			n++
		}
	}
	if n != len(dates) {
		return nil, nil, false, nil
	}

	a := programme.Activity{ID: 1, Title: f.title, Description: f.description, Category: f.category,
		Room: f.room, Host: f.host, Start: start, End: end, Schedule: s}
	if a.Validate() != nil {
		return nil, nil, false, nil
	}
	seen := map[programme.Date]bool{}
	addException := func(in instance, date programme.Date) bool {
		x, changed, ok := p.exception(in, a, date)
		if !ok {
			return false
		}
		if changed && !seen[date] && x.Validate() == nil {
			seen[date] = true
			excs = append(excs, x)
		}
		return true
	}
	for _, in := range insts {
		base := t
		base.start = in.key
		sp, _ := p.span(base)
		if !addException(in, sp.date) {
			return nil, nil, false, nil
		}
	}
	// Cancellations and changes before and after the period still belong
	// to the series, which shows on those dates too.
	for _, in := range outside {
		base := t
		base.start = in.key
		if sp, reason := p.span(base); reason == "" && s.Includes(sp.date) {
			addException(in, sp.date)
		}
	}
	for _, x := range exdates {
		base := t
		base.start = x
		if sp, reason := p.span(base); reason == "" && (sp.date.After(p.opts.To) || sp.date.Before(p.opts.From)) && s.Includes(sp.date) {
			addException(instance{cancelled: true}, sp.date)
		}
	}
	sort.Slice(excs, func(i, j int) bool { return excs[i].Date.Before(excs[j].Date) })
	return []programme.Activity{a}, excs, true, nil
}

// exception is the one-day exception that an instance of a series makes on
// date: none (changed false) for an instance as the rule has it, a
// cancellation, or another time or room. ok is false when an override
// changes what an exception cannot hold: the day, the title, the
// description, the host, the category.
func (p *icsParser) exception(in instance, a programme.Activity, date programme.Date) (x programme.Exception, changed, ok bool) {
	x = programme.Exception{ActivityID: a.ID, Date: date}
	if in.cancelled {
		x.Cancelled = true
		return x, true, true
	}
	if in.override == nil {
		return x, false, true
	}
	if in.t.allDay && in.t.days != 1 {
		return x, false, false
	}
	if in.f.title != a.Title || in.f.description != a.Description || in.f.host != a.Host || in.f.category != a.Category {
		return x, false, false
	}
	sp, reason := p.span(in.t)
	if reason != "" || sp.date != date {
		return x, false, false
	}
	if in.f.room != a.Room {
		if in.f.room == "" {
			return x, false, false
		}
		x.Room = in.f.room
	}
	if sp.start != a.Start || sp.end != a.End {
		x.HasTime, x.Start, x.End = true, sp.start, sp.end
	}
	return x, x.Room != "" || x.HasTime, true
}

// until is the last date of a bounded rule, or the zero Date for one that
// goes on: the date of UNTIL (the day before, when the instance on that
// day would start after it), or of the last of COUNT instances.
func (p *icsParser) until(t timing, rule *rrule.RRule, start programme.TimeOfDay) (programme.Date, error) {
	o := rule.OrigOptions
	switch {
	case o.Count > 0:
		w, err := p.walk(rule, time.Time{})
		if err != nil {
			return programme.Date{}, err
		}
		var last time.Time
		for n := 0; ; n++ {
			x, ok, err := w.step(p)
			if err != nil {
				return programme.Date{}, err
			}
			if !ok {
				break
			}
			if n == maxCount || x.After(p.end.AddDate(countYears, 0, 0)) {
				return programme.Date{}, nil
			}
			last = x
		}
		if last.IsZero() {
			return programme.Date{}, nil
		}
		return p.dateOf(t, last), nil
	case !o.Until.IsZero():
		if t.allDay {
			return programme.DateOf(o.Until.In(p.house)), nil
		}
		d := programme.DateOf(o.Until.In(p.house))
		if start.On(d, p.house).After(o.Until) {
			d = d.AddDays(-1)
		}
		return d, nil
	}
	return programme.Date{}, nil
}

// dateOf is the date on the programme of an instance starting at s.
func (p *icsParser) dateOf(t timing, s time.Time) programme.Date {
	if t.allDay {
		return programme.DateOf(s)
	}
	return programme.DateOf(s.In(p.house))
}

// candidate is the programme schedule that a rule would be, if the model
// holds it: daily, weekly on weekdays every n weeks, or monthly on the
// 1st to 4th or last weekday (by BYDAY=2TU or BYDAY=TU;BYSETPOS=2).
// asSeries checks it against the rule's own instances.
func candidate(o rrule.ROption, from programme.Date) (programme.Schedule, bool) {
	if len(o.Bymonth)+len(o.Bymonthday)+len(o.Byyearday)+len(o.Byweekno)+
		len(o.Byhour)+len(o.Byminute)+len(o.Bysecond)+len(o.Byeaster) > 0 {
		return programme.Schedule{}, false
	}
	var days programme.Weekdays
	for i := range o.Byweekday {
		if o.Byweekday[i].N() != 0 && o.Freq != rrule.MONTHLY {
			return programme.Schedule{}, false
		}
		days |= programme.Days(weekday(o.Byweekday[i]))
	}
	switch o.Freq {
	case rrule.DAILY:
		if o.Interval > 1 || len(o.Bysetpos) > 0 {
			return programme.Schedule{}, false
		}
		if days == 0 {
			days = 0x7f
		}
		return programme.Schedule{Kind: programme.Weekly, Weekdays: days, From: from}, true
	case rrule.WEEKLY:
		if len(o.Bysetpos) > 0 || o.Interval > 52 {
			return programme.Schedule{}, false
		}
		if days == 0 {
			days = programme.Days(from.Weekday())
		}
		s := programme.Schedule{Kind: programme.Weekly, Weekdays: days, From: from}
		if o.Interval > 1 {
			s.Interval = o.Interval
		}
		return s, true
	case rrule.MONTHLY:
		if o.Interval > 1 || len(o.Byweekday) != 1 || len(o.Bysetpos) > 1 {
			return programme.Schedule{}, false
		}
		n := o.Byweekday[0].N()
		if len(o.Bysetpos) == 1 {
			if n != 0 {
				return programme.Schedule{}, false
			}
			n = o.Bysetpos[0]
		}
		if n == -1 || n >= 1 && n <= 4 {
			return programme.Schedule{Kind: programme.Monthly, Nth: n, Weekday: weekday(o.Byweekday[0]), From: from}, true
		}
	}
	return programme.Schedule{}, false
}

// weekday converts rrule's weekday (Monday 0) to time's (Sunday 0).
func weekday(d rrule.Weekday) time.Weekday { return time.Weekday((d.Day() + 1) % 7) }

// span places an instance that takes one day on the programme, or says
// why it cannot be: it runs past midnight, or ends before it starts.
func (p *icsParser) span(t timing) (span, string) {
	if t.allDay {
		return span{programme.DateOf(t.start), 0, programme.EndOfDay}, ""
	}
	s, e := t.start.In(p.house), t.start.Add(t.dur).In(p.house)
	sd, ed := programme.DateOf(s), programme.DateOf(e)
	st, et := programme.Clock(s.Hour(), s.Minute()), programme.Clock(e.Hour(), e.Minute())
	switch {
	case ed == sd.AddDays(1) && et == 0:
		et = programme.EndOfDay
	case ed != sd:
		return span{}, "over_midnight"
	}
	if et <= st && t.dur > 0 {
		// The clocks went back during the event (an hour in UTC from
		// 00:30 on the last Sunday of October reads 02:30 to 02:30):
		// the programme shows it from its start for as long as it lasts.
		et = st + programme.TimeOfDay(t.dur/time.Minute)
		if et > programme.EndOfDay {
			return span{}, "over_midnight"
		}
	}
	if et <= st {
		return span{}, "end_before_start"
	}
	return span{sd, st, et}, ""
}

// spans places an instance on the programme: an all-day event on each of
// its days.
func (p *icsParser) spans(t timing) ([]span, string) {
	if !t.allDay {
		sp, reason := p.span(t)
		if reason != "" {
			return nil, reason
		}
		return []span{sp}, ""
	}
	d := programme.DateOf(t.start)
	out := make([]span, t.days)
	for i := range out {
		out[i] = span{d.AddDays(i), 0, programme.EndOfDay}
	}
	return out, ""
}

// reasons explain why an instance could not be placed.
var reasons = map[string]string{
	"over_midnight":    "runs past midnight",
	"end_before_start": "ends before it starts",
	"invalid":          "is not a valid activity",
}

// asOneOffs makes each instance in the period a one-off activity;
// cancelled ones stay, marked.
func (p *icsParser) asOneOffs(ev *vevent, insts []instance) ([]programme.Activity, []programme.Exception, bool, error) {
	sort.SliceStable(insts, func(i, j int) bool { return insts[i].t.start.Before(insts[j].t.start) })
	var (
		acts []programme.Activity
		excs []programme.Exception
		left = map[string]int{}
	)
	for _, in := range insts {
		if in.bad {
			continue
		}
		sps, reason := p.spans(in.t)
		if reason != "" {
			left[reason]++
			continue
		}
		for _, sp := range sps {
			if sp.date.Before(p.opts.From) || sp.date.After(p.opts.To) {
				continue
			}
			a := programme.Activity{ID: int64(len(acts) + 1), Title: in.f.title, Description: in.f.description,
				Category: in.f.category, Room: in.f.room, Host: in.f.host, Start: sp.start, End: sp.end,
				Schedule: programme.Schedule{Kind: programme.Once, Date: sp.date}}
			if a.Validate() != nil {
				left["invalid"]++
				continue
			}
			acts = append(acts, a)
			if in.cancelled {
				excs = append(excs, programme.Exception{ActivityID: a.ID, Date: sp.date, Cancelled: true})
			}
		}
	}
	if len(left) == 0 {
		if len(acts) == 0 {
			p.report.Outside++
		}
		return acts, excs, true, nil
	}
	var why []string
	reason := ""
	for _, r := range []string{"over_midnight", "end_before_start", "invalid"} {
		if n := left[r]; n > 0 {
			if reason == "" {
				reason = r
			}
			why = append(why, fmt.Sprintf("%d %s", n, reasons[r]))
		}
	}
	if len(acts) == 0 {
		if len(insts) == 1 {
			p.skip(ev, reason, "the event "+reasons[reason])
		} else {
			p.skip(ev, reason, "every occurrence "+strings.Join(why, ", "))
		}
		return nil, nil, false, nil
	}
	p.note(ev, reason, "occurrences left out: "+strings.Join(why, ", "))
	return acts, excs, true, nil
}
