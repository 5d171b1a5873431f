package house_test

import (
	"errors"
	"testing"
	"time"

	_ "time/tzdata"

	"buurtbalie/assets"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/house"
	"buurtbalie/internal/programme"
)

func amsterdam(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func words(t *testing.T, lang string) *catalogue.Translator {
	t.Helper()
	cat, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	return cat.For(lang)
}

// weekdays is Monday to Friday 9:30 – 16:00, the house's usual hours.
func weekdays() house.Volunteers {
	var v house.Volunteers
	for d := time.Monday; d <= time.Friday; d++ {
		v.Week[d] = []house.Period{{From: programme.Clock(9, 30), To: programme.Clock(16, 0)}}
	}
	v.Origin = house.OriginForm
	return v
}

// The example week: Monday to Friday 9:30 – 16:00, on Wednesday also an
// evening, closed at Christmas (Thursday 24 December 2026 to Friday
// 1 January 2027).
func exampleWeek() house.Volunteers {
	v := weekdays()
	v.Week[time.Wednesday] = append(v.Week[time.Wednesday], house.Period{From: programme.Clock(19, 0), To: programme.EndOfDay})
	v.Closures = []house.Closure{{From: programme.NewDate(2026, 12, 24), To: programme.NewDate(2027, 1, 1), Reason: "Kerst"}}
	return v
}

func TestVolunteersInAtAndNextIn(t *testing.T) {
	loc := amsterdam(t)
	at := func(y int, m time.Month, d, h, min, s int) time.Time { return time.Date(y, m, d, h, min, s, 0, loc) }
	v := exampleWeek()
	tests := []struct {
		name   string
		v      house.Volunteers
		now    time.Time
		in     bool
		next   time.Time
		noNext bool
	}{
		// Thursday 3 December 2026.
		{name: "early morning, the issue's 08:04", v: v, now: at(2026, 12, 3, 8, 4, 0), next: at(2026, 12, 3, 9, 30, 0)},
		{name: "a second before opening", v: v, now: at(2026, 12, 3, 9, 29, 59), next: at(2026, 12, 3, 9, 30, 0)},
		{name: "at opening", v: v, now: at(2026, 12, 3, 9, 30, 0), in: true, next: at(2026, 12, 3, 9, 30, 0)},
		{name: "a second before closing", v: v, now: at(2026, 12, 3, 15, 59, 59), in: true, next: at(2026, 12, 3, 15, 59, 59)},
		{name: "at closing", v: v, now: at(2026, 12, 3, 16, 0, 0), next: at(2026, 12, 4, 9, 30, 0)},
		{name: "Friday evening waits for Monday", v: v, now: at(2026, 12, 4, 17, 0, 0), next: at(2026, 12, 7, 9, 30, 0)},
		{name: "Sunday is closed", v: v, now: at(2026, 12, 6, 12, 0, 0), next: at(2026, 12, 7, 9, 30, 0)},
		// Wednesday 2 December: the evening runs to midnight.
		{name: "between the periods of a day", v: v, now: at(2026, 12, 2, 17, 0, 0), next: at(2026, 12, 2, 19, 0, 0)},
		{name: "just before midnight", v: v, now: at(2026, 12, 2, 23, 59, 59), in: true, next: at(2026, 12, 2, 23, 59, 59)},
		{name: "at midnight the evening is over", v: v, now: at(2026, 12, 3, 0, 0, 0), next: at(2026, 12, 3, 9, 30, 0)},
		// Christmas: Wednesday 23 December is the last day before it.
		{name: "closure starts", v: v, now: at(2026, 12, 24, 10, 0, 0), next: at(2027, 1, 4, 9, 30, 0)},
		{name: "after the last evening before the closure", v: v, now: at(2026, 12, 23, 23, 0, 0), in: true, next: at(2026, 12, 23, 23, 0, 0)},
		{name: "last day of the closure", v: v, now: at(2027, 1, 1, 10, 0, 0), next: at(2027, 1, 4, 9, 30, 0)},
		{name: "a closure of one day", v: withClosure(weekdays(), programme.NewDate(2026, 12, 3), programme.Date{}),
			now: at(2026, 12, 3, 10, 0, 0), next: at(2026, 12, 4, 9, 30, 0)},
		// Summer time starts on Sunday 29 March 2026 and ends on Sunday
		// 25 October 2026: the wall clock decides.
		{name: "Monday after summer time starts", v: v, now: at(2026, 3, 29, 12, 0, 0), next: at(2026, 3, 30, 9, 30, 0)},
		{name: "the day summer time ends", v: everyDay(), now: at(2026, 10, 25, 9, 0, 0), next: at(2026, 10, 25, 9, 30, 0)},
		{name: "in on the day summer time ends", v: everyDay(), now: at(2026, 10, 25, 15, 59, 0), in: true, next: at(2026, 10, 25, 15, 59, 0)},
		{name: "in the hour skipped, early opening", v: earlyOpen(), now: at(2026, 3, 29, 1, 30, 0), next: at(2026, 3, 29, 3, 0, 0)},
		// What the kiosk cannot read never promises anyone.
		{name: "unknown hours", v: house.Volunteers{}, now: at(2026, 12, 3, 10, 0, 0), noNext: true},
		{name: "closed for longer than the search", v: withClosure(weekdays(), programme.NewDate(2026, 12, 1), programme.NewDate(2027, 6, 1)),
			now: at(2026, 12, 3, 10, 0, 0), noNext: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.InAt(tt.now); got != tt.in {
				t.Errorf("InAt(%s) = %t, want %t", tt.now, got, tt.in)
			}
			next, ok := tt.v.NextIn(tt.now)
			if ok == tt.noNext || ok && !next.Equal(tt.next) {
				t.Errorf("NextIn(%s) = %s, %t; want %s, %t", tt.now, next, ok, tt.next, !tt.noNext)
			}
		})
	}
}

func withClosure(v house.Volunteers, from, to programme.Date) house.Volunteers {
	v.Closures = append(v.Closures, house.Closure{From: from, To: to})
	return v
}

func everyDay() house.Volunteers {
	var v house.Volunteers
	for d := range v.Week {
		v.Week[d] = []house.Period{{From: programme.Clock(9, 30), To: programme.Clock(16, 0)}}
	}
	v.Origin = house.OriginForm
	return v
}

// earlyOpen opens on Sundays at 2:00, an hour the clock skips when summer
// time starts: the kiosk says 3:00 that day, when it is really open.
func earlyOpen() house.Volunteers {
	var v house.Volunteers
	v.Week[time.Sunday] = []house.Period{{From: programme.Clock(2, 0), To: programme.Clock(6, 0)}}
	v.Origin = house.OriginForm
	return v
}

func TestVolunteersLines(t *testing.T) {
	p := func(fh, fm, th, tm int) house.Period {
		return house.Period{From: programme.Clock(fh, fm), To: programme.Clock(th, tm)}
	}
	week := func(days map[time.Weekday][]house.Period) house.Volunteers {
		v := house.Volunteers{Origin: house.OriginForm}
		for d, ps := range days {
			v.Week[d] = ps
		}
		return v
	}
	morning, afternoon := p(9, 30, 16, 0), p(13, 0, 17, 0)
	tests := []struct {
		name string
		lang string
		v    house.Volunteers
		want []string
	}{
		{"weekdays", "nl", weekdays(), []string{"Maandag t/m vrijdag 9:30 – 16:00"}},
		{"weekdays in English", "en", weekdays(), []string{"Monday to Friday 9:30 – 16:00"}},
		{"two days apart", "nl", week(map[time.Weekday][]house.Period{time.Tuesday: {afternoon}, time.Thursday: {afternoon}}),
			[]string{"Dinsdag en donderdag 13:00 – 17:00"}},
		{"one day", "nl", week(map[time.Weekday][]house.Period{time.Wednesday: {afternoon}}), []string{"Woensdag 13:00 – 17:00"}},
		{"runs and a day", "nl", week(map[time.Weekday][]house.Period{time.Monday: {morning}, time.Tuesday: {morning},
			time.Wednesday: {morning}, time.Friday: {morning}, time.Thursday: {afternoon}}),
			[]string{"Maandag t/m woensdag en vrijdag 9:30 – 16:00", "Donderdag 13:00 – 17:00"}},
		{"two days next to each other", "nl", week(map[time.Weekday][]house.Period{time.Saturday: {afternoon}, time.Sunday: {afternoon}}),
			[]string{"Zaterdag en zondag 13:00 – 17:00"}},
		{"three groups of days", "nl", week(map[time.Weekday][]house.Period{time.Monday: {afternoon}, time.Wednesday: {afternoon}, time.Friday: {afternoon}}),
			[]string{"Maandag, woensdag en vrijdag 13:00 – 17:00"}},
		{"two periods a day, note follows", "nl", func() house.Volunteers {
			v := week(map[time.Weekday][]house.Period{time.Monday: {p(9, 0, 12, 0), p(13, 0, 16, 0)}})
			v.Note = "In de schoolvakanties alleen 's ochtends."
			return v
		}(), []string{"Maandag 9:00 – 12:00 en 13:00 – 16:00", "In de schoolvakanties alleen 's ochtends."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.v.Lines(words(t, tt.lang))
			if !equal(got, tt.want) {
				t.Errorf("Lines = %q, want %q", got, tt.want)
			}
		})
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestComeBack(t *testing.T) {
	loc := amsterdam(t)
	at := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, loc) }
	v := exampleWeek()
	tests := []struct {
		name string
		lang string
		now  time.Time
		want string
		none bool
	}{
		{"later today", "nl", at(12, 3, 8, 4), "Vandaag vanaf 9:30", false},
		{"later today, after the break", "nl", at(12, 2, 17, 0), "Vandaag vanaf 19:00", false},
		{"tomorrow", "nl", at(12, 3, 16, 30), "Morgen vanaf 9:30", false},
		{"after the weekend", "nl", at(12, 4, 16, 30), "Maandag 7 december vanaf 9:30", false},
		{"after Christmas", "nl", at(12, 24, 10, 0), "Maandag 4 januari vanaf 9:30", false},
		{"tomorrow in English", "en", at(12, 3, 16, 30), "Tomorrow from 9:30", false},
		{"unknown hours say nothing", "nl", at(12, 3, 8, 4), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vv := v
			if tt.none {
				vv = house.Volunteers{}
			}
			got, ok := vv.ComeBack(tt.now, words(t, tt.lang))
			if got != tt.want || ok == tt.none {
				t.Errorf("ComeBack = %q, %t; want %q, %t", got, ok, tt.want, !tt.none)
			}
		})
	}
}

func TestParseHours(t *testing.T) {
	p := func(fh, fm, th, tm int) []house.Period {
		return []house.Period{{From: programme.Clock(fh, fm), To: programme.Clock(th, tm)}}
	}
	tests := []struct {
		lines []string
		want  map[time.Weekday][]house.Period // nil: not read
	}{
		{[]string{"Maandag t/m vrijdag 9:30 – 16:00"}, map[time.Weekday][]house.Period{
			time.Monday: p(9, 30, 16, 0), time.Tuesday: p(9, 30, 16, 0), time.Wednesday: p(9, 30, 16, 0),
			time.Thursday: p(9, 30, 16, 0), time.Friday: p(9, 30, 16, 0)}},
		{[]string{"ma t/m vr 9:30-16:00"}, map[time.Weekday][]house.Period{
			time.Monday: p(9, 30, 16, 0), time.Tuesday: p(9, 30, 16, 0), time.Wednesday: p(9, 30, 16, 0),
			time.Thursday: p(9, 30, 16, 0), time.Friday: p(9, 30, 16, 0)}},
		{[]string{"Dinsdag en donderdag 13:00 – 17:00", "woensdag 13:00 – 16:00"}, map[time.Weekday][]house.Period{
			time.Tuesday: p(13, 0, 17, 0), time.Thursday: p(13, 0, 17, 0), time.Wednesday: p(13, 0, 16, 0)}},
		{[]string{"Ma, wo en vr 9 – 12 uur"}, map[time.Weekday][]house.Period{
			time.Monday: p(9, 0, 12, 0), time.Wednesday: p(9, 0, 12, 0), time.Friday: p(9, 0, 12, 0)}},
		{[]string{"Vrijdag t/m maandag 10:00 – 12:00"}, map[time.Weekday][]house.Period{
			time.Friday: p(10, 0, 12, 0), time.Saturday: p(10, 0, 12, 0), time.Sunday: p(10, 0, 12, 0), time.Monday: p(10, 0, 12, 0)}},
		// What could be read wrongly is not read at all.
		{[]string{"Maandag t/m vrijdag 9:30 – 16:00", "behalve in de zomer"}, nil},
		{[]string{"Meestal 's middags"}, nil},
		{[]string{"Maandag 16:00 – 9:30"}, nil},
		{[]string{"Maandag 9:30 – 16:00", "Maandag 12:00 – 17:00"}, nil},
		{[]string{"Maandag 25:00 – 26:00"}, nil},
		{[]string{"Maandag t/m vrijdag 9:30 – 16:00 (niet op feestdagen)"}, nil},
		{nil, nil},
	}
	for _, tt := range tests {
		v := house.ParseHours(tt.lines)
		if tt.want == nil {
			if v.Known() {
				t.Errorf("ParseHours(%q) = %+v, want it not read", tt.lines, v.Week)
			}
			continue
		}
		var want [7][]house.Period
		for d, ps := range tt.want {
			want[d] = ps
		}
		if !v.Known() || v.Origin != house.OriginText || !sameWeek(v.Week, want) {
			t.Errorf("ParseHours(%q) = %+v (origin %d), want %+v", tt.lines, v.Week, v.Origin, want)
		}
	}
}

func sameWeek(a, b [7][]house.Period) bool {
	for d := range a {
		if len(a[d]) != len(b[d]) {
			return false
		}
		for i := range a[d] {
			if a[d][i] != b[d][i] {
				return false
			}
		}
	}
	return true
}

func TestVolunteersValidate(t *testing.T) {
	p := func(fh, fm, th, tm int) house.Period {
		return house.Period{From: programme.Clock(fh, fm), To: programme.Clock(th, tm)}
	}
	if err := exampleWeek().Validate(); err != nil {
		t.Fatalf("example week: %v", err)
	}
	tests := []struct {
		name   string
		change func(*house.Volunteers)
		field  string
		reason string
	}{
		{"nobody ever", func(v *house.Volunteers) { v.Week = [7][]house.Period{} }, "week", "hours_required"},
		{"ends before it starts", func(v *house.Volunteers) { v.Week[time.Tuesday] = []house.Period{p(16, 0, 9, 30)} }, "day-2", "end_before_start"},
		{"ends as it starts", func(v *house.Volunteers) { v.Week[time.Tuesday] = []house.Period{p(9, 30, 9, 30)} }, "day-2", "end_before_start"},
		{"past midnight", func(v *house.Volunteers) { v.Week[time.Sunday] = []house.Period{p(20, 0, 25, 0)} }, "day-0", "time_out_of_range"},
		{"periods overlap", func(v *house.Volunteers) {
			v.Week[time.Monday] = []house.Period{p(9, 0, 13, 0), p(12, 0, 16, 0)}
		}, "day-1", "hours_overlap"},
		{"three periods", func(v *house.Volunteers) {
			v.Week[time.Monday] = []house.Period{p(9, 0, 10, 0), p(11, 0, 12, 0), p(13, 0, 14, 0)}
		}, "day-1", "hours_too_many"},
		{"closure without a date", func(v *house.Volunteers) { v.Closures = []house.Closure{{Reason: "Kerst"}} }, "closure-0", "date_required"},
		{"closure ends before it starts", func(v *house.Volunteers) {
			v.Closures = append(v.Closures, house.Closure{From: programme.NewDate(2026, 5, 5), To: programme.NewDate(2026, 5, 4)})
		}, "closure-1", "until_before_from"},
		{"long reason", func(v *house.Volunteers) {
			v.Closures = []house.Closure{{From: programme.NewDate(2026, 5, 5), Reason: string(make([]byte, house.MaxReason+1))}}
		}, "closure-0", "too_long"},
		{"long note", func(v *house.Volunteers) { v.Note = string(make([]byte, house.MaxNote+1)) }, "note", "too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := exampleWeek()
			v.Closures = append([]house.Closure(nil), v.Closures...)
			tt.change(&v)
			var inv *programme.InvalidError
			if err := v.Validate(); !errors.As(err, &inv) || inv.Field != tt.field || inv.Reason != tt.reason {
				t.Errorf("got %v, want an InvalidError of %s for %s", err, tt.field, tt.reason)
			}
		})
	}
}
