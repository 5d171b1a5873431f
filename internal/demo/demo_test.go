package demo_test

import (
	"testing"
	"time"

	"buurtbalie/internal/demo"
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

// todays are the days the tests build the demo from: every weekday, across
// a month end and a daylight-saving change.
var todays = []programme.Date{
	programme.NewDate(2026, time.November, 23), // Monday
	programme.NewDate(2026, time.November, 24),
	programme.NewDate(2026, time.November, 25),
	programme.NewDate(2026, time.November, 26),
	programme.NewDate(2026, time.November, 27),
	programme.NewDate(2026, time.November, 28),
	programme.NewDate(2026, time.November, 29), // Sunday
	programme.NewDate(2026, time.March, 26),    // summer time starts on the 29th
	programme.NewDate(2027, time.December, 30),
}

func TestProgrammeValid(t *testing.T) {
	for _, today := range todays {
		t.Run(today.String(), func(t *testing.T) {
			cats, acts, excs := demo.Programme(today)
			keys := map[string]bool{}
			for _, c := range cats {
				if c.Key == "" || c.Icon != c.Key || c.Names["nl"] == "" || c.Names["en"] == "" {
					t.Errorf("category %+v: want key, icon = key, and nl and en names", c)
				}
				keys[c.Key] = true
			}
			if got, want := len(keys), 6; got != want {
				t.Errorf("got %d categories, want %d", got, want)
			}
			ids := map[int64]programme.Activity{}
			for _, a := range acts {
				if err := a.Validate(); err != nil {
					t.Errorf("activity %q: %v", a.Title, err)
				}
				if !a.Demo {
					t.Errorf("activity %q: got Demo false, want true", a.Title)
				}
				if !keys[a.Category] {
					t.Errorf("activity %q: category %q is not among the categories", a.Title, a.Category)
				}
				if a.Description == "" || a.Room == "" || a.Host == "" {
					t.Errorf("activity %q: want a description, room and host", a.Title)
				}
				if _, dup := ids[a.ID]; dup || a.ID == 0 {
					t.Errorf("activity %q: ID %d is zero or taken", a.Title, a.ID)
				}
				ids[a.ID] = a
			}
			if got, want := len(excs), 3; got != want {
				t.Fatalf("got %d exceptions, want %d", got, want)
			}
			for _, x := range excs {
				if err := x.Validate(); err != nil {
					t.Errorf("exception %+v: %v", x, err)
				}
				a, ok := ids[x.ActivityID]
				if !ok {
					t.Errorf("exception %+v: no activity %d", x, x.ActivityID)
					continue
				}
				if !a.Schedule.Includes(x.Date) {
					t.Errorf("exception for %q on %s: the activity is not on that date", a.Title, x.Date)
				}
				if x.Date.Before(today) || !x.Date.Before(today.AddDays(7)) {
					t.Errorf("exception for %q on %s: want a date in the 7 days from %s", a.Title, x.Date, today)
				}
			}
		})
	}
}

func TestProgrammeWeek(t *testing.T) {
	loc := amsterdam(t)
	for _, today := range todays {
		t.Run(today.String(), func(t *testing.T) {
			_, acts, excs := demo.Programme(today)
			for d := today; d.Before(today.AddDays(14)); d = d.AddDays(1) {
				occs := programme.Expand(acts, excs, d, loc)
				if got, want := len(occs) > 0, d.Weekday() != time.Sunday; got != want {
					t.Errorf("%s (%s): got %d activities, want some only Monday to Saturday", d, d.Weekday(), len(occs))
				}
			}
			// The exceptions show up on their dates, one of each kind.
			week := programme.ExpandRange(acts, excs, today, today.AddDays(6), loc)
			var cancelled, moved, retimed int
			for _, o := range week {
				if o.Cancelled {
					cancelled++
				}
				if o.Moved {
					moved++
				}
				if o.Retimed {
					retimed++
				}
			}
			if cancelled != 1 || moved != 1 || retimed != 1 {
				t.Errorf("got %d cancelled, %d moved, %d retimed in the week, want one each", cancelled, moved, retimed)
			}
		})
	}
}

// TestProgrammeAllDay checks that the kiosk has something "now" at any time
// of a Tuesday from 09:30 to 17:00, so the welcome screen looks alive.
func TestProgrammeAllDay(t *testing.T) {
	loc := amsterdam(t)
	tuesday := programme.NewDate(2026, time.November, 24)
	_, acts, _ := demo.Programme(tuesday)
	occs := programme.Expand(acts, nil, tuesday, loc)
	for at := programme.Clock(9, 30); at < programme.Clock(17, 0); at += 15 {
		now, _ := programme.NowAndNext(occs, at.On(tuesday, loc))
		if len(now) == 0 {
			t.Errorf("Tuesday %s: nothing running, want something", at)
		}
	}
}

func TestProgrammeRepairCafe(t *testing.T) {
	tests := []struct {
		today programme.Date
		want  programme.Date // the next repair café from today
	}{
		{programme.NewDate(2026, time.November, 23), programme.NewDate(2026, time.November, 28)},
		{programme.NewDate(2026, time.November, 28), programme.NewDate(2026, time.November, 28)},
		{programme.NewDate(2026, time.November, 29), programme.NewDate(2026, time.December, 12)},
	}
	for _, tt := range tests {
		_, acts, _ := demo.Programme(tt.today)
		var repair programme.Activity
		for _, a := range acts {
			if a.Title == "Repair café" {
				repair = a
			}
		}
		got := tt.today
		for !repair.Schedule.Includes(got) && got.Before(tt.today.AddDays(30)) {
			got = got.AddDays(1)
		}
		if got != tt.want {
			t.Errorf("from %s: got next repair café %s, want %s", tt.today, got, tt.want)
		}
		if !repair.Schedule.Includes(got.AddDays(14)) || repair.Schedule.Includes(got.AddDays(7)) {
			t.Errorf("from %s: want the repair café every other week", tt.today)
		}
	}
}
