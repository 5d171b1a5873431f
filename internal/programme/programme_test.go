package programme_test

import (
	"errors"
	"testing"
	"time"
	_ "time/tzdata"

	"buurtbalie/internal/programme"
)

func amsterdam(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func date(s string) programme.Date {
	d, err := programme.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestScheduleIncludes(t *testing.T) {
	weekly := func(days ...time.Weekday) programme.Schedule {
		return programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(days...)}
	}
	every2 := weekly(time.Tuesday, time.Thursday)
	every2.Interval, every2.From = 2, date("2026-11-26") // a Thursday: its week starts Mon 23 Nov
	bounded := weekly(time.Monday)
	bounded.From, bounded.Until = date("2026-11-09"), date("2026-11-30")
	nth := func(n int, wd time.Weekday) programme.Schedule {
		return programme.Schedule{Kind: programme.Monthly, Nth: n, Weekday: wd}
	}
	tests := []struct {
		name     string
		schedule programme.Schedule
		date     string
		want     bool
	}{
		{"once on its date", programme.Schedule{Kind: programme.Once, Date: date("2026-11-23")}, "2026-11-23", true},
		{"once not the day after", programme.Schedule{Kind: programme.Once, Date: date("2026-11-23")}, "2026-11-24", false},
		{"weekly on its day", weekly(time.Monday, time.Friday), "2026-11-27", true},
		{"weekly not on other days", weekly(time.Monday, time.Friday), "2026-11-26", false},
		{"every 2 weeks in the first week, before From", every2, "2026-11-24", false},
		{"every 2 weeks on From", every2, "2026-11-26", true},
		{"every 2 weeks skips the next week", every2, "2026-12-01", false},
		{"every 2 weeks two weeks on", every2, "2026-12-08", true},
		{"every 2 weeks across the year end", every2, "2027-01-05", true},
		{"every 2 weeks a year on, odd week", every2, "2027-11-30", false},
		{"first date included", bounded, "2026-11-09", true},
		{"before first date", bounded, "2026-11-02", false},
		{"last date included", bounded, "2026-11-30", true},
		{"after last date", bounded, "2026-12-07", false},
		{"2nd Tuesday", nth(2, time.Tuesday), "2026-11-10", true},
		{"1st Tuesday is not the 2nd", nth(2, time.Tuesday), "2026-11-03", false},
		{"3rd Tuesday is not the 2nd", nth(2, time.Tuesday), "2026-11-17", false},
		{"last Friday", nth(-1, time.Friday), "2026-11-27", true},
		{"4th but not last Friday", nth(-1, time.Friday), "2026-01-23", false},
		{"last Friday, 5th of the month", nth(-1, time.Friday), "2026-01-30", true},
		{"4th Monday on the 28th", nth(4, time.Monday), "2026-12-28", true},
		{"last Tuesday on leap day", nth(-1, time.Tuesday), "2028-02-29", true},
		{"weekly on leap day", weekly(time.Tuesday), "2028-02-29", true},
		{"once on leap day", programme.Schedule{Kind: programme.Once, Date: date("2028-02-29")}, "2028-02-29", true},
		{"1st Wednesday of March 2028, after leap day", nth(1, time.Wednesday), "2028-03-01", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.schedule.Includes(date(tt.date)); got != tt.want {
				t.Errorf("Includes(%s) = %v, want %v", tt.date, got, tt.want)
			}
		})
	}
}

// A weekly activity keeps its local wall-clock time when summer time starts
// and ends, so its offset from UTC changes.
func TestExpandAcrossDaylightSaving(t *testing.T) {
	loc := amsterdam(t)
	coffee := programme.Activity{ID: 1, Title: "Koffie", Category: "ontmoeten",
		Start: programme.Clock(9, 30), End: programme.Clock(11, 0),
		Schedule: programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(time.Sunday, time.Saturday)}}
	night := programme.Activity{ID: 2, Title: "Nacht", Category: "ontmoeten",
		Start: programme.Clock(2, 30), End: programme.Clock(3, 30),
		Schedule: programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(time.Sunday)}}
	tests := []struct {
		date      string
		startUTC  string
		endUTC    string
		dayLength time.Duration
	}{
		{"2026-03-28", "2026-03-28T08:30:00Z", "2026-03-28T10:00:00Z", 24 * time.Hour},
		{"2026-03-29", "2026-03-29T07:30:00Z", "2026-03-29T09:00:00Z", 23 * time.Hour}, // summer time starts
		{"2026-10-24", "2026-10-24T07:30:00Z", "2026-10-24T09:00:00Z", 24 * time.Hour},
		{"2026-10-25", "2026-10-25T08:30:00Z", "2026-10-25T10:00:00Z", 25 * time.Hour}, // summer time ends
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			d := date(tt.date)
			occs := programme.Expand([]programme.Activity{coffee}, nil, d, loc)
			if len(occs) != 1 {
				t.Fatalf("got %d occurrences, want 1", len(occs))
			}
			o := occs[0]
			if got := o.Start.UTC().Format(time.RFC3339); got != tt.startUTC {
				t.Errorf("start = %s, want %s", got, tt.startUTC)
			}
			if got := o.End.UTC().Format(time.RFC3339); got != tt.endUTC {
				t.Errorf("end = %s, want %s", got, tt.endUTC)
			}
			if got := o.Start.In(loc).Format("15:04"); got != "09:30" {
				t.Errorf("local start = %s, want 09:30", got)
			}
			if got := d.AddDays(1).In(loc).Sub(d.In(loc)); got != tt.dayLength {
				t.Errorf("day length = %s, want %s", got, tt.dayLength)
			}
		})
	}
	// 02:30 does not exist on 29 March 2026; the occurrence still exists,
	// moved forward by the hour that was skipped.
	occs := programme.Expand([]programme.Activity{night}, nil, date("2026-03-29"), loc)
	if len(occs) != 1 || occs[0].Start.In(loc).Format("15:04") != "03:30" {
		t.Errorf("night on the spring change = %v, want one at 03:30", occs)
	}
}

func TestExpandAppliesExceptions(t *testing.T) {
	loc := amsterdam(t)
	acts := []programme.Activity{
		{ID: 1, Title: "Wandelgroep", Category: "bewegen", Room: "Ingang", Start: programme.Clock(14, 0), End: programme.Clock(15, 30),
			Schedule: programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(time.Monday)}},
		{ID: 2, Title: "Taalcafé", Category: "leren", Room: "Zaal 1", Start: programme.Clock(10, 0), End: programme.Clock(11, 30),
			Schedule: programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(time.Monday)}},
		{ID: 3, Title: "Lunch", Category: "eten", Room: "Keuken", Start: programme.Clock(12, 30), End: programme.Clock(13, 30),
			Schedule: programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(time.Monday)}},
	}
	mon := date("2026-11-23")
	xs := []programme.Exception{
		{ActivityID: 1, Date: mon, Cancelled: true, Note: "Het regent te hard"},
		{ActivityID: 2, Date: mon, Room: "Zaal 3"},
		{ActivityID: 3, Date: mon, HasTime: true, Start: programme.Clock(9, 0), End: programme.Clock(10, 0)},
		{ActivityID: 3, Date: mon.AddDays(7), Cancelled: true}, // another week: no effect today
	}
	occs := programme.Expand(acts, xs, mon, loc)
	var titles []string
	for _, o := range occs {
		titles = append(titles, o.Activity.Title)
	}
	if got, want := len(occs), 3; got != want {
		t.Fatalf("got %d occurrences, want %d", got, want)
	}
	// Sorted by start: the lunch moved to 09:00 comes first.
	if titles[0] != "Lunch" || titles[1] != "Taalcafé" || titles[2] != "Wandelgroep" {
		t.Errorf("order = %v, want [Lunch Taalcafé Wandelgroep]", titles)
	}
	if o := occs[0]; !o.Retimed || o.Start.Format("15:04") != "09:00" || o.Cancelled {
		t.Errorf("lunch = %+v, want retimed to 09:00", o)
	}
	if o := occs[1]; !o.Moved || o.Room != "Zaal 3" {
		t.Errorf("taalcafé room = %q moved=%v, want Zaal 3 moved", o.Room, o.Moved)
	}
	if o := occs[2]; !o.Cancelled || o.Note != "Het regent te hard" {
		t.Errorf("walk = %+v, want cancelled with note", o)
	}
	next := programme.Expand(acts, xs, mon.AddDays(7), loc)
	for _, o := range next {
		if o.Activity.ID == 3 && !o.Cancelled {
			t.Errorf("lunch a week later not cancelled")
		}
		if o.Activity.ID == 1 && o.Cancelled {
			t.Errorf("walk a week later cancelled, want only on %s", mon)
		}
	}
}

func TestStatusAndNowAndNext(t *testing.T) {
	loc := amsterdam(t)
	mk := func(id int64, title string, h1, m1, h2, m2 int) programme.Activity {
		return programme.Activity{ID: id, Title: title, Category: "ontmoeten", Start: programme.Clock(h1, m1), End: programme.Clock(h2, m2),
			Schedule: programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(time.Monday)}}
	}
	acts := []programme.Activity{
		mk(1, "Koffie", 9, 30, 11, 30),
		mk(2, "Yoga", 10, 0, 11, 0),
		mk(3, "Lunch", 12, 30, 13, 30),
		mk(4, "Spreekuur", 12, 30, 14, 0),
		mk(5, "Wandelen", 11, 0, 12, 0),
	}
	mon := date("2026-11-23")
	xs := []programme.Exception{{ActivityID: 5, Date: mon, Cancelled: true}}
	occs := programme.Expand(acts, xs, mon, loc)
	at := time.Date(2026, 11, 23, 11, 0, 0, 0, loc)

	want := map[string]programme.Status{"Koffie": programme.Now, "Yoga": programme.Finished,
		"Lunch": programme.Upcoming, "Spreekuur": programme.Upcoming, "Wandelen": programme.Cancelled}
	for _, o := range occs {
		if got := o.Status(at); got != want[o.Activity.Title] {
			t.Errorf("%s status = %s, want %s", o.Activity.Title, got, want[o.Activity.Title])
		}
	}
	now, next := programme.NowAndNext(occs, at)
	if len(now) != 1 || now[0].Activity.Title != "Koffie" {
		t.Errorf("now = %v, want [Koffie]", now)
	}
	if len(next) != 2 || next[0].Activity.Title != "Lunch" || next[1].Activity.Title != "Spreekuur" {
		t.Errorf("next = %v, want [Lunch Spreekuur]", next)
	}
	late := time.Date(2026, 11, 23, 20, 0, 0, 0, loc)
	if now, next := programme.NowAndNext(occs, late); len(now)+len(next) != 0 {
		t.Errorf("in the evening now=%v next=%v, want nothing", now, next)
	}
}

func TestExpandRange(t *testing.T) {
	loc := amsterdam(t)
	a := programme.Activity{ID: 1, Title: "Koffie", Category: "ontmoeten", Start: programme.Clock(9, 30), End: programme.Clock(11, 0),
		Schedule: programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(time.Monday, time.Wednesday)}}
	occs := programme.ExpandRange([]programme.Activity{a}, nil, date("2026-11-22"), date("2026-12-02"), loc)
	var got []string
	for _, o := range occs {
		got = append(got, o.Date.String())
	}
	want := []string{"2026-11-23", "2026-11-25", "2026-11-30", "2026-12-02"}
	if len(got) != len(want) {
		t.Fatalf("dates = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("dates = %v, want %v", got, want)
			break
		}
	}
}

func TestValidate(t *testing.T) {
	ok := programme.Activity{Title: "Koffie", Category: "ontmoeten", Start: programme.Clock(9, 30), End: programme.Clock(11, 0),
		Schedule: programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(time.Monday)}}
	tests := []struct {
		name   string
		change func(a *programme.Activity)
		reason string // "" means valid
	}{
		{"valid", func(a *programme.Activity) {}, ""},
		{"empty title", func(a *programme.Activity) { a.Title = "  " }, "title_required"},
		{"end before start", func(a *programme.Activity) { a.End = programme.Clock(9, 0) }, "end_before_start"},
		{"end equals start", func(a *programme.Activity) { a.End = a.Start }, "end_before_start"},
		{"end at midnight", func(a *programme.Activity) { a.End = programme.EndOfDay }, ""},
		{"no category", func(a *programme.Activity) { a.Category = "" }, "category_required"},
		{"negative cost", func(a *programme.Activity) { a.CostCents = -1 }, "cost_negative"},
		{"no weekdays", func(a *programme.Activity) { a.Schedule.Weekdays = 0 }, "weekdays_required"},
		{"every 2 weeks without a first date", func(a *programme.Activity) { a.Schedule.Interval = 2 }, "from_required"},
		{"last date before first", func(a *programme.Activity) {
			a.Schedule.From, a.Schedule.Until = date("2026-12-01"), date("2026-11-01")
		}, "until_before_from"},
		{"once without date", func(a *programme.Activity) { a.Schedule = programme.Schedule{Kind: programme.Once} }, "date_required"},
		{"5th weekday", func(a *programme.Activity) {
			a.Schedule = programme.Schedule{Kind: programme.Monthly, Nth: 5, Weekday: time.Friday}
		}, "nth_out_of_range"},
		{"last weekday", func(a *programme.Activity) {
			a.Schedule = programme.Schedule{Kind: programme.Monthly, Nth: -1, Weekday: time.Friday}
		}, ""},
		{"unknown kind", func(a *programme.Activity) { a.Schedule.Kind = "daily" }, "kind_unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok
			tt.change(&a)
			err := a.Validate()
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var inv *programme.InvalidError
			if !errors.As(err, &inv) || !errors.Is(err, programme.ErrInvalid) {
				t.Fatalf("Validate() = %v, want an InvalidError", err)
			}
			if inv.Reason != tt.reason {
				t.Errorf("reason = %q, want %q (%v)", inv.Reason, tt.reason, err)
			}
		})
	}
	x := programme.Exception{ActivityID: 1, Date: date("2026-11-23")}
	if err := x.Validate(); err == nil {
		t.Errorf("an exception that changes nothing validated")
	}
	x.HasTime, x.Start, x.End = true, programme.Clock(12, 0), programme.Clock(11, 0)
	if err := x.Validate(); !errors.Is(err, programme.ErrInvalid) {
		t.Errorf("exception ending before it starts: %v, want invalid", err)
	}
}

func TestParse(t *testing.T) {
	for _, s := range []string{"2026-02-30", "23-11-2026", "", "2026-1-5"} {
		if _, err := programme.ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) succeeded, want an error", s)
		}
	}
	for s, want := range map[string]programme.TimeOfDay{"14:30": 870, "9:05": 545, "00:00": 0, "24:00": 1440} {
		if got, err := programme.ParseTimeOfDay(s); err != nil || got != want {
			t.Errorf("ParseTimeOfDay(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"24:01", "12:60", "noon", "1230", "12:3", "-1:00"} {
		if _, err := programme.ParseTimeOfDay(s); err == nil {
			t.Errorf("ParseTimeOfDay(%q) succeeded, want an error", s)
		}
	}
	if got := date("2026-11-23").DaysUntil(date("2027-11-23")); got != 365 {
		t.Errorf("DaysUntil a year = %d, want 365", got)
	}
	if got := date("2028-02-28").DaysUntil(date("2028-03-01")); got != 2 {
		t.Errorf("DaysUntil across a leap day = %d, want 2", got)
	}
	if got := (programme.Date{Year: 1, Month: 1, Day: 1}).DaysUntil(date("2026-11-23")); got != 739942 {
		t.Errorf("DaysUntil from year 1 = %d, want 739942", got)
	}
	if got := programme.NewDate(2026, 11, 23).AddDays(40).String(); got != "2027-01-02" {
		t.Errorf("AddDays = %s, want 2027-01-02", got)
	}
}
