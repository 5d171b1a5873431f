package sqlite_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"buurtbalie/internal/demo"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/sqlite"
)

// monday is a Monday in a week with nothing special.
var monday = programme.NewDate(2026, time.November, 23)

// withCategories returns a store holding the built-in categories.
func withCategories(t testing.TB) (*sqlite.DB, *sqlite.ProgrammeService) {
	t.Helper()
	db, _ := open(t)
	s := sqlite.NewProgrammeService(db)
	for _, c := range demo.Categories() {
		if err := s.SaveCategory(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	return db, s
}

// create adds a to the store and returns it with its ID.
func create(t *testing.T, s *sqlite.ProgrammeService, a programme.Activity) programme.Activity {
	t.Helper()
	if err := s.CreateActivity(context.Background(), &a); err != nil {
		t.Fatalf("create %q: %v", a.Title, err)
	}
	return a
}

func walk() programme.Activity {
	return programme.Activity{
		Title: "Wandelgroep", Description: "Een uur wandelen.", Category: "bewegen",
		Room: "Verzamelen bij de ingang", Host: "Anouk", Start: programme.Clock(10, 0), End: programme.Clock(11, 0),
		Schedule: programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(time.Monday, time.Thursday)},
	}
}

func TestActivityRoundTrip(t *testing.T) {
	ctx := context.Background()
	_, s := withCategories(t)
	tests := []struct {
		name string
		a    programme.Activity
	}{
		{"weekly", walk()},
		{"once", programme.Activity{
			Title: "Buurtfeest", Description: "Muziek, eten en spelletjes.", Category: "ontmoeten",
			Room: "Tuin", Host: "Iedereen", CostCents: 500, SignUp: true, Wheelchair: true,
			Start: programme.Clock(16, 0), End: programme.EndOfDay,
			Schedule: programme.Schedule{Kind: programme.Once, Date: programme.NewDate(2027, time.June, 19)},
			Source:   "import-uid-123@example.org",
		}},
		{"every other week, bounded", programme.Activity{
			Title: "Repair café", Category: "creatief", Start: programme.Clock(10, 0), End: programme.Clock(13, 0),
			Schedule: programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(time.Saturday), Interval: 2,
				From: programme.NewDate(2026, time.November, 28), Until: programme.NewDate(2027, time.July, 31)},
			Demo: true,
		}},
		{"last friday of the month", programme.Activity{
			Title: "Muziekmiddag", Category: "ontmoeten", Start: programme.Clock(15, 0), End: programme.Clock(17, 0),
			Schedule: programme.Schedule{Kind: programme.Monthly, Nth: -1, Weekday: time.Friday,
				From: programme.NewDate(2026, time.January, 1)},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := create(t, s, tt.a)
			if a.ID == 0 {
				t.Fatal("got ID 0, want one set")
			}
			got, err := s.Activity(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, a) {
				t.Errorf("got  %+v\nwant %+v", got, a)
			}

			a.Title += " (nieuw)"
			a.Room = "Zaal 2"
			a.Schedule.Until = programme.NewDate(2030, time.January, 1)
			if err := s.UpdateActivity(ctx, &a); err != nil {
				t.Fatal(err)
			}
			got, err = s.Activity(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if a.Schedule.Kind == programme.Once {
				a.Schedule.Until = programme.Date{} // a one-off has no bounds
			}
			if !reflect.DeepEqual(got, a) {
				t.Errorf("after update got  %+v\nwant %+v", got, a)
			}

			if err := s.DeleteActivity(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Activity(ctx, a.ID); !errors.Is(err, sqlite.ErrNotFound) {
				t.Errorf("after delete got %v, want ErrNotFound", err)
			}
		})
	}
}

func TestActivityErrors(t *testing.T) {
	ctx := context.Background()
	_, s := withCategories(t)
	noTitle := walk()
	noTitle.Title = ""
	badCategory := walk()
	badCategory.Category = "dansen"
	missing := walk()
	missing.ID = 999

	tests := []struct {
		name string
		op   func() error
		want error
	}{
		{"create without title", func() error { return s.CreateActivity(ctx, &noTitle) }, programme.ErrInvalid},
		{"create in unknown category", func() error { return s.CreateActivity(ctx, &badCategory) }, programme.ErrInvalid},
		{"update missing", func() error { return s.UpdateActivity(ctx, &missing) }, sqlite.ErrNotFound},
		{"get missing", func() error { _, err := s.Activity(ctx, 999); return err }, sqlite.ErrNotFound},
		{"delete missing", func() error { return s.DeleteActivity(ctx, 999) }, sqlite.ErrNotFound},
		{"exception of missing", func() error {
			return s.SetException(ctx, programme.Exception{ActivityID: 999, Date: monday, Cancelled: true})
		}, sqlite.ErrNotFound},
		{"empty exception", func() error {
			return s.SetException(ctx, programme.Exception{ActivityID: 1, Date: monday})
		}, programme.ErrInvalid},
		{"delete missing exception", func() error { return s.DeleteException(ctx, 1, monday) }, sqlite.ErrNotFound},
		{"category without key", func() error { return s.SaveCategory(ctx, programme.Category{Icon: "x"}) }, programme.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.op(); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCategories(t *testing.T) {
	ctx := context.Background()
	_, s := withCategories(t)
	// Staff rename one and add one between the others.
	if err := s.SaveCategory(ctx, programme.Category{Key: "eten", Icon: "eten", Names: map[string]string{"nl": "Eten"}, Order: 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveCategory(ctx, programme.Category{Key: "dansen", Icon: "bewegen", Names: map[string]string{"nl": "Dansen"}, Order: 2}); err != nil {
		t.Fatal(err)
	}
	cats, err := s.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, c := range cats {
		keys = append(keys, c.Key)
	}
	want := []string{"eten", "bewegen", "dansen", "ontmoeten", "leren", "hulp", "creatief"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("got order %v, want %v", keys, want)
	}
	if got, want := cats[0].Names, map[string]string{"nl": "Eten"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got names %v, want %v", got, want)
	}
}

func TestExceptions(t *testing.T) {
	ctx := context.Background()
	db, s := withCategories(t)
	a := create(t, s, walk())
	thursday := monday.AddDays(3)

	day := func(d programme.Date) programme.Occurrence {
		t.Helper()
		occs, err := s.Day(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if len(occs) != 1 {
			t.Fatalf("%s: got %d occurrences, want 1", d, len(occs))
		}
		return occs[0]
	}

	if err := s.SetException(ctx, programme.Exception{ActivityID: a.ID, Date: monday, Cancelled: true, Note: "Regen"}); err != nil {
		t.Fatal(err)
	}
	if o := day(monday); !o.Cancelled || o.Note != "Regen" {
		t.Errorf("got %+v, want cancelled with note", o)
	}
	if o := day(thursday); o.Cancelled {
		t.Errorf("thursday: got cancelled, want as usual")
	}

	// Setting again replaces: now moved and retimed instead.
	if err := s.SetException(ctx, programme.Exception{ActivityID: a.ID, Date: monday, Room: "Zaal 1",
		HasTime: true, Start: programme.Clock(11, 0), End: programme.Clock(12, 0)}); err != nil {
		t.Fatal(err)
	}
	o := day(monday)
	if o.Cancelled || !o.Moved || o.Room != "Zaal 1" || !o.Retimed {
		t.Errorf("got %+v, want moved and retimed, not cancelled", o)
	}
	if got, want := o.Start, time.Date(2026, time.November, 23, 11, 0, 0, 0, db.Location); !got.Equal(want) {
		t.Errorf("got start %v, want %v", got, want)
	}

	if err := s.DeleteException(ctx, a.ID, monday); err != nil {
		t.Fatal(err)
	}
	if o := day(monday); o.Moved || o.Retimed || o.Cancelled {
		t.Errorf("after delete got %+v, want as usual", o)
	}

	// Deleting the activity deletes its exceptions.
	if err := s.SetException(ctx, programme.Exception{ActivityID: a.ID, Date: thursday, Cancelled: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteActivity(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	b := create(t, s, walk())
	if o := day(thursday); o.Cancelled {
		t.Errorf("new activity %d got the old one's exception", b.ID)
	}
	var n int
	if err := raw(t, db.Path()).QueryRow(`SELECT COUNT(*) FROM exceptions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("got %d exceptions left, want 0", n)
	}
}

// TestDayMatchesExpand checks that the SQL narrowing-down drops nothing: the
// store's Day equals programme.Expand over every activity and exception.
func TestDayMatchesExpand(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	s := sqlite.NewProgrammeService(db)
	from, to := programme.NewDate(2025, time.January, 1), programme.NewDate(2026, time.December, 31)
	cats, acts, excs := sqlite.RandomProgramme(rand.New(rand.NewPCG(1, 2)), from, to, 200, 2000, 1000)
	if err := sqlite.Insert(ctx, db, cats, acts, excs); err != nil {
		t.Fatal(err)
	}

	var total int
	for d := from.AddDays(-3); !d.After(to.AddDays(3)); d = d.AddDays(1) {
		got, err := s.Day(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		want := programme.Expand(acts, excs, d, db.Location)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: got %d occurrences, want %d\ngot  %+v\nwant %+v", d, len(got), len(want), got, want)
		}
		total += len(got)
	}
	if total < 5000 {
		t.Errorf("got %d occurrences in all, want a fixture with more", total)
	}

	// Ranges of a few lengths, across month and year ends.
	for _, r := range []struct{ from, to programme.Date }{
		{programme.NewDate(2025, time.December, 29), programme.NewDate(2026, time.January, 4)},
		{programme.NewDate(2026, time.March, 1), programme.NewDate(2026, time.March, 3)},
		{programme.NewDate(2026, time.February, 1), programme.NewDate(2026, time.March, 31)},
	} {
		got, err := s.Range(ctx, r.from, r.to)
		if err != nil {
			t.Fatal(err)
		}
		want := programme.ExpandRange(acts, excs, r.from, r.to, db.Location)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s..%s: got %d occurrences, want %d", r.from, r.to, len(got), len(want))
		}
	}
}

func TestNextActiveDay(t *testing.T) {
	ctx := context.Background()
	_, s := withCategories(t)
	saturday := monday.AddDays(5)
	if _, err := s.SeedDemo(ctx, monday); err != nil {
		t.Fatal(err)
	}
	// Everything on the second Monday is cancelled.
	occs, err := s.Day(ctx, monday.AddDays(7))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range occs {
		if err := s.SetException(ctx, programme.Exception{ActivityID: o.Activity.ID, Date: o.Date, Cancelled: true, Note: "Studiedag"}); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name   string
		after  programme.Date
		within int
		want   programme.Date
		wantOK bool
	}{
		{"saturday skips the closed sunday", saturday, 7, monday.AddDays(7 + 1), true},
		{"sunday", saturday.AddDays(1), 7, monday.AddDays(7 + 1), true},
		{"friday", monday.AddDays(4), 7, saturday, true},
		{"not within one day", saturday, 1, programme.Date{}, false},
		{"within zero days", saturday, 0, programme.Date{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, occs, ok, err := s.NextActiveDay(ctx, tt.after, tt.within)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("got %s, %v, want %s, %v", got, ok, tt.want, tt.wantOK)
			}
			for _, o := range occs {
				if o.Date != got {
					t.Errorf("got an occurrence on %s, want all on %s", o.Date, got)
				}
			}
			if ok && len(occs) == 0 {
				t.Error("got no occurrences, want the day's programme")
			}
		})
	}
}

func TestSeedDemo(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	s := sqlite.NewProgrammeService(db)

	seeded, err := s.SeedDemo(ctx, monday)
	if err != nil || !seeded {
		t.Fatalf("first seed: got %v, %v, want true, nil", seeded, err)
	}
	// On a fresh database the activities get the IDs the demo gave them.
	_, acts, excs := demo.Programme(monday)
	week, err := s.Range(ctx, monday, monday.AddDays(6))
	if err != nil {
		t.Fatal(err)
	}
	if want := programme.ExpandRange(acts, excs, monday, monday.AddDays(6), db.Location); !reflect.DeepEqual(week, want) {
		t.Errorf("got %d occurrences in the week, want the demo's %d\ngot  %+v\nwant %+v", len(week), len(want), week, want)
	}

	if seeded, err := s.SeedDemo(ctx, monday); err != nil || seeded {
		t.Errorf("second seed: got %v, %v, want false, nil", seeded, err)
	}

	n, err := s.RemoveDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := n, len(acts); got != want {
		t.Errorf("removed %d, want %d", got, want)
	}
	if week, _ := s.Range(ctx, monday, monday.AddDays(6)); len(week) != 0 {
		t.Errorf("after removal got %d occurrences, want 0", len(week))
	}
	cats, err := s.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(cats), 6; got != want {
		t.Errorf("after removal got %d categories, want %d kept", got, want)
	}

	// Never again, not even after a restart.
	db.Close()
	s = sqlite.NewProgrammeService(openAt(t, db.Path()))
	if seeded, err := s.SeedDemo(ctx, monday); err != nil || seeded {
		t.Errorf("seed after removal: got %v, %v, want false, nil", seeded, err)
	}
}

func TestSeedDemoNotEmpty(t *testing.T) {
	ctx := context.Background()
	_, s := withCategories(t)
	own := create(t, s, walk())
	if seeded, err := s.SeedDemo(ctx, monday); err != nil || seeded {
		t.Fatalf("got %v, %v, want false, nil", seeded, err)
	}
	occs, err := s.Day(ctx, monday)
	if err != nil {
		t.Fatal(err)
	}
	if len(occs) != 1 || occs[0].Activity.ID != own.ID {
		t.Errorf("got %d occurrences, want only staff's own activity", len(occs))
	}
	if n, err := s.RemoveDemo(ctx); err != nil || n != 0 {
		t.Errorf("remove demo: got %d, %v, want 0, nil", n, err)
	}
}
