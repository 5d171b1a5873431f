package figures

import (
	"fmt"
	"time"

	"buurtbalie/internal/programme"
)

// Grain is what the figures are counted per: week, month, quarter or
// year.
type Grain string

// The grains a funder asks for.
const (
	Week    Grain = "week"
	Month   Grain = "month"
	Quarter Grain = "quarter"
	Year    Grain = "year"
)

// ParseGrain reads a grain as the command line and the page name it.
func ParseGrain(s string) (Grain, error) {
	switch g := Grain(s); g {
	case Week, Month, Quarter, Year:
		return g, nil
	}
	return "", fmt.Errorf("%q is not a period; choose week, month, quarter or year", s)
}

// A Period is a run of whole days, From and To included, with the label
// tables and CSV files name it by: "2026-W49", "2026-12", "2026-Q4",
// "2026" (ISO 8601).
type Period struct {
	From, To programme.Date
	Label    string
}

// periodOf is the period of g that holds d.
func periodOf(g Grain, d programme.Date) Period {
	switch g {
	case Week:
		start := d.AddDays(-((int(d.Weekday()) + 6) % 7)) // Monday
		y, w := time.Date(start.Year, start.Month, start.Day, 12, 0, 0, 0, time.UTC).ISOWeek()
		return Period{From: start, To: start.AddDays(6), Label: fmt.Sprintf("%d-W%02d", y, w)}
	case Month:
		from := programme.NewDate(d.Year, d.Month, 1)
		return Period{From: from, To: programme.NewDate(d.Year, d.Month+1, 1).AddDays(-1), Label: fmt.Sprintf("%d-%02d", d.Year, int(d.Month))}
	case Quarter:
		q := (int(d.Month)-1)/3 + 1
		from := programme.NewDate(d.Year, time.Month(3*q-2), 1)
		return Period{From: from, To: programme.NewDate(d.Year, time.Month(3*q+1), 1).AddDays(-1), Label: fmt.Sprintf("%d-Q%d", d.Year, q)}
	}
	return Period{From: programme.NewDate(d.Year, 1, 1), To: programme.NewDate(d.Year, 12, 31), Label: fmt.Sprintf("%d", d.Year)}
}

// Periods are the periods of g that the days from..to touch, in order;
// the first and last are cut to from and to, so a count over them adds
// up to the count over from..to.
func Periods(g Grain, from, to programme.Date) []Period {
	var out []Period
	for d := from; !d.After(to); {
		p := periodOf(g, d)
		if p.From.Before(from) {
			p.From = from
		}
		if p.To.After(to) {
			p.To = to
		}
		out = append(out, p)
		d = p.To.AddDays(1)
	}
	return out
}

// WeekOf is the ISO week that holds d, as "2026-W49".
func WeekOf(d programme.Date) string { return periodOf(Week, d).Label }
