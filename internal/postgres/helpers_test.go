package postgres

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/district"
	"buurtbalie/internal/figures"
	"buurtbalie/internal/postgres/pgtest"
	"buurtbalie/internal/programme"
)

// t0 is the tests' clock.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// The year the tests' events fall in, and all of time for reading.
var (
	firstDay = programme.NewDate(2026, 1, 1)
	lastDay  = programme.NewDate(2026, 12, 31)
)

// open opens a fresh database on the package's shared server.
func open(t testing.TB) *DB {
	t.Helper()
	return openDSN(t, pgtest.Shared(t))
}

func openDSN(t testing.TB, dsn string) *DB {
	t.Helper()
	db, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// joined adds a house with kiosks joined to it, and returns the house
// and the kiosks' ids.
func joined(t testing.TB, db *DB, name string, kiosks int) (House, []string) {
	t.Helper()
	ctx := context.Background()
	h, err := db.AddHouse(ctx, name, t0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range kiosks {
		code := district.NewEnrolmentCode()
		if err := db.NewEnrolment(ctx, h.ID, district.HashEnrolmentCode(code), t0.Add(district.EnrolmentValid)); err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprintf("%s-kiosk-%d", strings.ReplaceAll(name, " ", "-"), i+1)
		if _, err := db.Enrol(ctx, district.HashEnrolmentCode(code), id, district.NewKey(), t0); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return h, ids
}

var (
	countMeasures    = []string{figures.MeasureQuestions, figures.MeasureLanguage, figures.MeasureTopicLanguage, figures.MeasureFollowUp, figures.MeasureNoText, figures.MeasureNoSlip, figures.MeasureOutcome, figures.MeasureLate}
	durationMeasures = []string{figures.MeasureContact, figures.MeasureClosed, figures.MeasureReferral}
	topics           = []string{"geld", "wonen", "zorg", "werk", "papieren", "digitaal", "taal", "gezin"}
	screens          = []string{figures.ScreenWelcome, figures.ScreenToday, figures.ScreenDetail, figures.ScreenAsk, figures.ScreenMySlip, figures.ScreenReadAloud, figures.ScreenLanguage + "ar"}
)

// randomEvents returns n valid events of every kind on days of the
// year, drawn from r.
func randomEvents(r *rand.Rand, n int) []district.Event {
	events := make([]district.Event, n)
	for i := range events {
		day := firstDay.AddDays(r.IntN(365))
		e := district.Event{ID: district.NewEventID(), Key: topics[r.IntN(len(topics))]}
		switch r.IntN(10) {
		case 0, 1, 2, 3, 4:
			e.Kind, e.Day, e.Measure, e.N = district.KindCount, day.String(), countMeasures[r.IntN(len(countMeasures))], 1+r.IntN(3)
		case 5, 6:
			e.Kind, e.Day, e.Measure, e.Minutes = district.KindDuration, day.String(), durationMeasures[r.IntN(len(durationMeasures))], r.IntN(3000)
		default:
			e.Kind, e.Hour, e.Key, e.N = district.KindScreen, fmt.Sprintf("%sT%02d", day, 9+r.IntN(9)), screens[r.IntN(len(screens))], 1+r.IntN(5)
		}
		if err := e.Check(); err != nil {
			panic(err)
		}
		events[i] = e
	}
	return events
}

// want sums events as the figures read them: one cell per kind,
// measure, day or hour, key and, for durations, minutes.
func want(events ...[]district.Event) map[string]int {
	out := map[string]int{}
	for _, batch := range events {
		for _, e := range batch {
			switch e.Kind {
			case district.KindCount:
				out["count "+e.Measure+" "+e.Day+" "+e.Key] += e.N
			case district.KindDuration:
				out[fmt.Sprintf("duration %s %s %s %d", e.Measure, e.Day, e.Key, e.Minutes)]++
			case district.KindScreen:
				out["screen "+e.Hour+" "+e.Key] += e.N
			}
		}
	}
	return out
}

// totals reads a house's (or, with AllHouses, the district's) figures
// of the year in the cells of want.
func totals(t testing.TB, db *DB, houseID int64) map[string]int {
	t.Helper()
	ctx := context.Background()
	out := map[string]int{}
	for _, m := range countMeasures {
		cs, err := db.Counts(ctx, houseID, m, firstDay, lastDay)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			out["count "+m+" "+c.Day.String()+" "+c.Key] += c.N
		}
	}
	for _, m := range durationMeasures {
		ds, err := db.Durations(ctx, houseID, m, firstDay, lastDay)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			out[fmt.Sprintf("duration %s %s %s %d", m, d.Day, d.Key, d.Minutes)]++
		}
	}
	ss, err := db.ScreenUse(ctx, houseID, firstDay, lastDay)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		out["screen "+s.Hour+" "+s.Screen] += s.N
	}
	return out
}

// sameFigures fails the test where got and want differ.
func sameFigures(t testing.TB, what string, got, want map[string]int) {
	t.Helper()
	if maps.Equal(got, want) {
		return
	}
	var diffs []string
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got[k] != want[k] {
			diffs = append(diffs, fmt.Sprintf("%s: got %d, want %d", k, got[k], want[k]))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: got %d, want none", k, got[k]))
		}
	}
	if len(diffs) > 10 {
		diffs = append(diffs[:10], fmt.Sprintf("… and %d more", len(diffs)-10))
	}
	t.Errorf("%s: %d cells differ:\n%s", what, len(diffs), strings.Join(diffs, "\n"))
}

// sum adds up N (counts and screens) and steps (durations) of cells.
func sum(cells map[string]int) int {
	n := 0
	for _, v := range cells {
		n += v
	}
	return n
}
