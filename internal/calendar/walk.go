package calendar

import (
	"fmt"
	"time"

	"github.com/teambition/rrule-go"
)

// What one file may cost to read. The period's limits (MaxOccurrences)
// bound what an event puts on the programme, not the work of finding it:
// rrule-go looks at every day from DTSTART on until a rule matches, and
// for a rule that never does (30 February) until the year 9999. The kiosk
// reads a feed itself, so the work is bounded per file, and what one
// import adds too.
const (
	// MaxWork is how many steps of recurrence one file may take: an
	// occurrence made, or a day that rrule-go looked at. A weekly series
	// takes some 500 over the period, so MaxEvents of them fit; a house's
	// calendar takes tens of thousands. A step takes 40 to 120 ns, so the
	// whole budget is a few seconds at most on the kiosk PC, inside the
	// 10 s a feed refresh may take even when the PC is busy. A file that
	// needs more is refused whole (ErrTooComplex).
	MaxWork = 25_000_000
	// MaxActivities is how many activities one import may hold. A house
	// has tens of activities; a calendar in UTC (whose series become
	// one-offs) of 50 weekly activities makes about 2,850 over the 13
	// months of the period. Far more is a mistake or an attack: 510,519
	// activities took 505 MB of memory and made every day's programme
	// slow. Such a file is refused whole (ErrTooMany).
	MaxActivities = 5000
	// maxPerDay is how many times a day a rule's BYHOUR, BYMINUTE and
	// BYSECOND may make it happen; an activity in a buurthuis does not
	// repeat more than hourly.
	maxPerDay = 24
	// cycleYears is the Gregorian calendar's cycle: 400 years later every
	// date falls on the same weekday, in a year of the same length, in
	// the same ISO week.
	cycleYears = 400
	// horizonYears is at least how far after the period a rule is
	// followed (to find the last date of a COUNT).
	horizonYears = 50
)

// charge spends n steps of the file's budget, refusing the file (naming
// the event being read) when it is spent.
func (p *icsParser) charge(n int) error {
	p.report.Work += n
	if p.report.Work <= MaxWork {
		return nil
	}
	err := fmt.Errorf("%w: its recurrence rules take more than %d steps to expand", ErrTooComplex, MaxWork)
	if p.current == nil {
		return &ParseError{Format: ICS, Line: 1, Err: err}
	}
	return p.current.fail("RRULE", err)
}

// walker follows a rule's occurrences. rrule-go stops only at an
// occurrence past UNTIL, the last of COUNT, or the year 9999, so a rule
// that no longer matches makes one call look at every day until 9999.
// The walker gives it the rule on wall-clock times (in UTC) shifted by a
// whole number of Gregorian cycles, so that 9999 lies 50 to 450 years
// after the period: no call looks further than that. It applies UNTIL
// itself, so that every call ends on an occurrence or at that end, and
// charges what each call looked at. Times are placed in the rule's zone
// by local, as RFC 5545 says, not as time.Date happens to.
type walker struct {
	next  rrule.Next
	loc   *time.Location
	shift int       // years added to wall-clock times
	until time.Time // the wall-clock UNTIL, not shifted; zero for none
	count int       // COUNT; 0 for none
	made  int
	at    time.Time // the shifted wall-clock time walked to
	done  bool
}

// walk starts a walker over rule. A rule without COUNT starts at the
// latest of its periods that begins on or before from (a wall-clock time;
// zero for DTSTART), which makes the same occurrences from there on: what
// came before the period is not walked.
func (p *icsParser) walk(rule *rrule.RRule, from time.Time) (*walker, error) {
	o := rule.Options // with the defaults rrule-go took from DTSTART
	loc := o.Dtstart.Location()
	start := wall(o.Dtstart)
	// The time of day comes from DTSTART too; a moved start must not
	// change it.
	if len(o.Byhour) == 0 {
		o.Byhour = []int{start.Hour()}
	}
	if len(o.Byminute) == 0 {
		o.Byminute = []int{start.Minute()}
	}
	if len(o.Bysecond) == 0 {
		o.Bysecond = []int{start.Second()}
	}
	w := &walker{loc: loc, count: o.Count}
	if !o.Until.IsZero() {
		w.until = wall(o.Until.In(loc))
		o.Until = time.Time{}
	}
	if o.Count == 0 && !from.IsZero() {
		start = periodStart(o, start, from)
	}
	if len(o.Byeaster) == 0 { // Easter does not repeat every 400 years
		w.shift = cycleYears * max(0, (rrule.MAXYEAR-horizonYears-p.opts.To.Year)/cycleYears)
	}
	o.Dtstart = start.AddDate(w.shift, 0, 0)
	r, err := rrule.NewRRule(o)
	if err != nil {
		return nil, p.current.fail("RRULE", fmt.Errorf("%w: RRULE: %v", ErrValue, err))
	}
	w.next, w.at = r.Iterator(), o.Dtstart
	return w, nil
}

// step returns the next occurrence, in the rule's zone; ok is false when
// there is none.
func (w *walker) step(p *icsParser) (s time.Time, ok bool, err error) {
	if w.done {
		return time.Time{}, false, nil
	}
	r, ok := w.next()
	if !ok {
		w.done = true
		if w.count > 0 && w.made == w.count {
			return time.Time{}, false, nil // COUNT ends on its last occurrence
		}
		// rrule-go looked at every day up to its end.
		return time.Time{}, false, p.charge(days(w.at, time.Date(rrule.MAXYEAR+1, 1, 1, 0, 0, 0, 0, time.UTC)))
	}
	w.made++
	if err := p.charge(1 + days(w.at, r)); err != nil {
		return time.Time{}, false, err
	}
	w.at = r
	x := r.AddDate(-w.shift, 0, 0)
	if !w.until.IsZero() && x.After(w.until) {
		w.done = true
		return time.Time{}, false, nil
	}
	return local(x, w.loc), true, nil
}

// days is how many days lie between two times, at least 0.
func days(a, b time.Time) int {
	return max(0, int(b.Sub(a)/(24*time.Hour)))
}

// periodStart is the start of the latest period of the rule (a day, a
// week from WKST, a month or a year, every INTERVAL of them from start's)
// that begins on or before from; start itself when that is the first.
func periodStart(o rrule.ROption, start, from time.Time) time.Time {
	n := max(o.Interval, 1)
	sd := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
	var moved time.Time
	switch o.Freq {
	case rrule.DAILY:
		moved = sd.AddDate(0, 0, days(sd, from)/n*n)
	case rrule.WEEKLY:
		back := (int(start.Weekday()) + 6 - o.Wkst.Day()) % 7 // days since the week began (rrule's Monday is 0)
		week := sd.AddDate(0, 0, -back)
		moved = week.AddDate(0, 0, days(week, from)/7/n*n*7)
	case rrule.MONTHLY:
		months := (from.Year()-start.Year())*12 + int(from.Month()-start.Month())
		moved = time.Date(start.Year(), start.Month()+time.Month(max(months, 0)/n*n), 1, 0, 0, 0, 0, time.UTC)
	case rrule.YEARLY:
		moved = time.Date(start.Year()+max(from.Year()-start.Year(), 0)/n*n, 1, 1, 0, 0, 0, 0, time.UTC)
	default:
		return start
	}
	if !moved.After(start) {
		return start
	}
	return moved
}

// walkFrom is the wall-clock time from which an event's rule is walked
// for the period: a few days before it, since an all-day event that
// starts earlier may last into it and zones differ by up to a day.
func (p *icsParser) walkFrom(t timing) time.Time {
	d := p.opts.From.AddDays(-t.days - 2)
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// wall is what a clock in t's zone reads at t, as a time in UTC.
func wall(t time.Time) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d, h, mi, s, 0, time.UTC)
}

// local is the time at which a clock in loc reads w (a wall-clock time
// given in UTC), as RFC 5545 3.3.5 says: a time that does not exist,
// being in the hour that summer time skips, is read with the offset from
// before the change (02:30 is 03:30 summer time); one that occurs twice,
// in the hour repeated when it ends, is the first. time.Date does not
// promise either.
func local(w time.Time, loc *time.Location) time.Time {
	if loc == time.UTC {
		return w
	}
	var first time.Time
	for _, near := range []time.Duration{-24 * time.Hour, 0, 24 * time.Hour} {
		_, off := w.Add(near).In(loc).Zone()
		u := w.Add(-time.Duration(off) * time.Second)
		if _, o := u.In(loc).Zone(); o == off && (first.IsZero() || u.Before(first)) {
			first = u
		}
	}
	if first.IsZero() {
		_, before := w.Add(-24 * time.Hour).In(loc).Zone()
		first = w.Add(-time.Duration(before) * time.Second)
	}
	return first.In(loc)
}
