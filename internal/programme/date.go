package programme

import (
	"fmt"
	"strings"
	"time"
)

// NewDate returns the date y-m-d, normalised like time.Date (31 November is
// 1 December).
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 12, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate reads a date written as 2026-11-23.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date like 2026-11-23", s)
	}
	return DateOf(t), nil
}

// String writes the date as 2026-11-23; the zero Date is "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// IsZero reports whether d is the zero Date, used for "no bound".
func (d Date) IsZero() bool { return d == Date{} }

// noon is the date at noon UTC: a fixed point for arithmetic that no
// daylight-saving change can push onto another day.
func (d Date) noon() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
}

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.noon().Weekday() }

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date { return DateOf(d.noon().AddDate(0, 0, n)) }

// DaysUntil returns the number of days from d to o (negative if o is
// earlier), for any two dates however far apart.
func (d Date) DaysUntil(o Date) int { return o.dayNumber() - d.dayNumber() }

// dayNumber counts days from 1 March of year 0 in the proleptic Gregorian
// calendar (Howard Hinnant's days_from_civil), free of time.Duration's
// 292-year limit.
func (d Date) dayNumber() int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return sign(d.Year - o.Year)
	case d.Month != o.Month:
		return sign(int(d.Month - o.Month))
	default:
		return sign(d.Day - o.Day)
	}
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// In returns local midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// EndOfDay is the end time meaning midnight at the end of the day.
const EndOfDay TimeOfDay = 24 * 60

// Clock returns the time of day h:m.
func Clock(h, m int) TimeOfDay { return TimeOfDay(h*60 + m) }

// ParseTimeOfDay reads a time written as 14:30 (or 9:30, or 24:00 for the
// end of the day).
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	var h, m int
	s = strings.TrimSpace(s)
	if n, err := fmt.Sscanf(s, "%d:%d", &h, &m); n != 2 || err != nil || len(s) < 4 || s[len(s)-3] != ':' {
		return 0, fmt.Errorf("%q is not a time like 14:30", s)
	}
	t := Clock(h, m)
	if h < 0 || m < 0 || m > 59 || t > EndOfDay {
		return 0, fmt.Errorf("%q is not a time of day between 00:00 and 24:00", s)
	}
	return t, nil
}

// String writes the time as 14:30.
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", int(t)/60, int(t)%60) }

// On returns the instant of this wall-clock time on d in loc. A time that
// does not exist that day (in the hour skipped when summer time starts) is
// moved forward by the gap, as time.Date does.
func (t TimeOfDay) On(d Date, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, int(t)/60, int(t)%60, 0, 0, loc)
}

// Days returns the set of the given weekdays.
func Days(days ...time.Weekday) Weekdays {
	var w Weekdays
	for _, d := range days {
		w |= 1 << uint(d)
	}
	return w
}

// Has reports whether the set holds day.
func (w Weekdays) Has(day time.Weekday) bool { return w&(1<<uint(day)) != 0 }

// List returns the weekdays in the set, Monday first.
func (w Weekdays) List() []time.Weekday {
	var days []time.Weekday
	for i := 1; i <= 7; i++ {
		if d := time.Weekday(i % 7); w.Has(d) {
			days = append(days, d)
		}
	}
	return days
}
