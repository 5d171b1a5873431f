package programme

import (
	"sort"
	"time"
)

// Includes reports whether the schedule has an occurrence on d.
func (s Schedule) Includes(d Date) bool {
	if s.Kind != Once {
		if !s.From.IsZero() && d.Before(s.From) {
			return false
		}
		if !s.Until.IsZero() && d.After(s.Until) {
			return false
		}
	}
	switch s.Kind {
	case Once:
		return d == s.Date
	case Weekly:
		if !s.Weekdays.Has(d.Weekday()) {
			return false
		}
		if s.Interval <= 1 {
			return true
		}
		weeks := mondayOf(s.From).DaysUntil(mondayOf(d)) / 7
		return weeks%s.Interval == 0
	case Monthly:
		if d.Weekday() != s.Weekday {
			return false
		}
		if s.Nth == -1 {
			return d.AddDays(7).Month != d.Month
		}
		return (d.Day-1)/7+1 == s.Nth
	}
	return false
}

// mondayOf returns the Monday that starts d's week.
func mondayOf(d Date) Date {
	back := (int(d.Weekday()) + 6) % 7 // Monday 0 … Sunday 6
	return d.AddDays(-back)
}

// Occur returns the activity's occurrence on d, with exception x applied
// when it is for that activity and date. The caller knows d is included.
func (a Activity) Occur(d Date, x *Exception, loc *time.Location) Occurrence {
	o := Occurrence{
		Activity: a,
		Date:     d,
		Start:    a.Start.On(d, loc),
		End:      a.End.On(d, loc),
		Room:     a.Room,
	}
	if x == nil || x.ActivityID != a.ID || x.Date != d {
		return o
	}
	o.Cancelled = x.Cancelled
	o.Note, o.Notes = x.Note, x.Notes
	if x.Room != "" && x.Room != a.Room {
		o.Room, o.Moved = x.Room, true
	}
	if x.HasTime && (x.Start != a.Start || x.End != a.End) {
		o.Start, o.End, o.Retimed = x.Start.On(d, loc), x.End.On(d, loc), true
	}
	return o
}

type exceptionKey struct {
	activity int64
	date     Date
}

// Expand returns the occurrences on d of the given activities, with the
// exceptions applied, sorted by start time, then title.
func Expand(activities []Activity, exceptions []Exception, d Date, loc *time.Location) []Occurrence {
	return ExpandRange(activities, exceptions, d, d, loc)
}

// ExpandRange returns the occurrences from one date to another (inclusive),
// sorted by start time, then title.
func ExpandRange(activities []Activity, exceptions []Exception, from, to Date, loc *time.Location) []Occurrence {
	byKey := make(map[exceptionKey]*Exception, len(exceptions))
	for i := range exceptions {
		x := &exceptions[i]
		byKey[exceptionKey{x.ActivityID, x.Date}] = x
	}
	var occs []Occurrence
	for d := from; !d.After(to); d = d.AddDays(1) {
		for _, a := range activities {
			if a.Schedule.Includes(d) {
				occs = append(occs, a.Occur(d, byKey[exceptionKey{a.ID, d}], loc))
			}
		}
	}
	Sort(occs)
	return occs
}

// Sort orders occurrences by start time, then title, then activity ID, so
// the same programme always reads the same way.
func Sort(occs []Occurrence) {
	sort.SliceStable(occs, func(i, j int) bool {
		a, b := occs[i], occs[j]
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		if a.Activity.Title != b.Activity.Title {
			return a.Activity.Title < b.Activity.Title
		}
		return a.Activity.ID < b.Activity.ID
	})
}

// Status returns where the occurrence stands at instant at: running from
// its start up to (not including) its end is Now.
func (o Occurrence) Status(at time.Time) Status {
	switch {
	case o.Cancelled:
		return Cancelled
	case at.Before(o.Start):
		return Upcoming
	case at.Before(o.End):
		return Now
	}
	return Finished
}

// NowAndNext picks what the welcome screen shows at instant at: the
// occurrences running now, and those starting next (all that share the
// earliest upcoming start). Cancelled ones are in neither.
func NowAndNext(occs []Occurrence, at time.Time) (now, next []Occurrence) {
	for _, o := range occs {
		switch o.Status(at) {
		case Now:
			now = append(now, o)
		case Upcoming:
			if len(next) == 0 || o.Start.Equal(next[0].Start) {
				next = append(next, o)
			} else if o.Start.Before(next[0].Start) {
				next = append(next[:0], o)
			}
		}
	}
	return now, next
}
