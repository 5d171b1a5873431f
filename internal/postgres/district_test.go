package postgres

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"buurtbalie/internal/district"
	"buurtbalie/internal/figures"
	"buurtbalie/internal/programme"
)

// sumOfHouses adds up the houses' own figures, read from their rollups.
func sumOfHouses(t testing.TB, db *DB, houses []House) map[string]int {
	t.Helper()
	all := map[string]int{}
	for _, h := range houses {
		for k, v := range totals(t, db, h.ID) {
			all[k] += v
		}
	}
	return all
}

// pendingRows is how many rows wait for a fold.
func pendingRows(t testing.TB, db *DB) int {
	t.Helper()
	var n int
	err := db.pool.QueryRow(context.Background(), `SELECT
		(SELECT count(*) FROM pending_counts) + (SELECT count(*) FROM pending_durations) + (SELECT count(*) FROM pending_screen_use)`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// again is batch with new ids: the same figures counted a second time.
func again(batch []district.Event) []district.Event {
	out := slices.Clone(batch)
	for i := range out {
		out[i].ID = district.NewEventID()
	}
	return out
}

// pushAtOnce has every house send its batch at the same time.
func pushAtOnce(t *testing.T, db *DB, houses []House, kiosks [][]string, batches [][]district.Event) {
	t.Helper()
	var wg sync.WaitGroup
	for i, h := range houses {
		wg.Go(func() {
			if _, err := db.Accept(context.Background(), h.ID, kiosks[i][0], batches[i], t0); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

func TestDistrictSummaryIsTheSumOfItsHouses(t *testing.T) {
	db := open(t)
	r := rand.New(rand.NewPCG(11, 11))
	var houses []House
	var kiosks [][]string
	for i := range 6 {
		h, ks := joined(t, db, fmt.Sprintf("Huis %d", i+1), 1)
		houses, kiosks = append(houses, h), append(kiosks, ks)
	}
	var first [][]district.Event
	for range houses {
		first = append(first, randomEvents(r, 300))
	}
	pushAtOnce(t, db, houses, kiosks, first)
	got := totals(t, db, AllHouses)
	sameFigures(t, "the district after the first pushes", got, sumOfHouses(t, db, houses))
	sameFigures(t, "the district against the events", got, want(first...))
	// The read folded: the summary alone holds the figures now.
	if n := pendingRows(t, db); n != 0 {
		t.Errorf("%d rows pending after a district read, want none", n)
	}

	// The same figures once more, so every row of the summary, by day,
	// month and year, is added to; and new ones besides.
	var second [][]district.Event
	for i := range houses {
		second = append(second, append(again(first[(i+1)%len(first)]), randomEvents(r, 100)...))
	}
	pushAtOnce(t, db, houses, kiosks, second)
	got = totals(t, db, AllHouses)
	sameFigures(t, "the district after more pushes", got, sumOfHouses(t, db, houses))
	sameFigures(t, "the district against the events", got, want(append(first, second...)...))
	if n := pendingRows(t, db); n != 0 {
		t.Errorf("%d rows pending after a district read, want none", n)
	}
}

func TestDistrictReadsCountWhatIsPending(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	h, kiosks := joined(t, db, "Huis West", 1)
	r := rand.New(rand.NewPCG(12, 12))
	before := randomEvents(r, 200)
	if _, err := db.Accept(ctx, h.ID, kiosks[0], before, t0); err != nil {
		t.Fatal(err)
	}
	// A fold that takes long holds the lock: Accepts and reads go on
	// without folding.
	fold, err := db.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer fold.Rollback(ctx)
	if _, err := fold.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(summaryLock)); err != nil {
		t.Fatal(err)
	}
	during := append(again(before), randomEvents(r, 200)...)
	if _, err := db.Accept(ctx, h.ID, kiosks[0], during, t0); err != nil {
		t.Fatal(err)
	}
	if pendingRows(t, db) == 0 {
		t.Fatal("nothing pending while a fold holds the lock")
	}
	sameFigures(t, "the district with rows pending", totals(t, db, AllHouses), want(before, during))
	if err := fold.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	sameFigures(t, "the district once folded", totals(t, db, AllHouses), want(before, during))
	if n := pendingRows(t, db); n != 0 {
		t.Errorf("%d rows pending after a district read, want none", n)
	}
}

// TestDistrictReadWhileHousesPush reads the district over and over while
// houses push: every cell of every read lies between what was accepted
// before the read began and what had been sent by its end (a fold that
// lost or doubled rows would fall outside), and the last read is exact.
func TestDistrictReadWhileHousesPush(t *testing.T) {
	db := open(t)
	r := rand.New(rand.NewPCG(13, 13))
	const nHouses, nBatches = 6, 30
	var houses []House
	var kiosks [][]string
	var batches [][]district.Event // house i's batch j is batches[i*nBatches+j]
	for i := range nHouses {
		h, ks := joined(t, db, fmt.Sprintf("Huis %d", i+1), 1)
		houses, kiosks = append(houses, h), append(kiosks, ks)
		for range nBatches {
			batches = append(batches, randomEvents(r, 20+r.IntN(120)))
		}
	}
	// A day and its month that every read sees added to.
	for i := range batches {
		batches[i] = append(batches[i], again(batches[0][:10])...)
	}

	var mu sync.Mutex
	started, accepted := make([]bool, len(batches)), make([]bool, len(batches))
	sent := func(of []bool) [][]district.Event {
		mu.Lock()
		defer mu.Unlock()
		var out [][]district.Event
		for i, ok := range of {
			if ok {
				out = append(out, batches[i])
			}
		}
		return out
	}
	ctx := context.Background()
	var pushers sync.WaitGroup
	for i, h := range houses {
		pushers.Go(func() {
			for j := range nBatches {
				b := i*nBatches + j
				mu.Lock()
				started[b] = true
				mu.Unlock()
				if _, err := db.Accept(ctx, h.ID, kiosks[i][0], batches[b], t0); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				accepted[b] = true
				mu.Unlock()
			}
		})
	}
	done := make(chan struct{})
	go func() { pushers.Wait(); close(done) }()

	var readers sync.WaitGroup
	reads := make([]int, 2)
	for i := range reads {
		readers.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				low := want(sent(accepted)...)
				got := totals(t, db, AllHouses)
				high := want(sent(started)...)
				for k, n := range got {
					if n < low[k] || n > high[k] {
						t.Errorf("read %d: %s is %d, outside %d..%d", reads[i], k, n, low[k], high[k])
						return
					}
				}
				for k, n := range low {
					if got[k] < n {
						t.Errorf("read %d: %s is %d, below %d", reads[i], k, got[k], n)
						return
					}
				}
				reads[i]++
			}
		})
	}
	readers.Wait()
	t.Logf("%d district reads while %d batches were pushed", reads[0]+reads[1], len(batches))
	got := totals(t, db, AllHouses)
	sameFigures(t, "the district after the pushes", got, sumOfHouses(t, db, houses))
	sameFigures(t, "the district against the events", got, want(batches...))
}

func TestDistrictHistogramOfAnyDays(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	r := rand.New(rand.NewPCG(14, 14))
	var houses []House
	for i := range 3 {
		h, kiosks := joined(t, db, fmt.Sprintf("Huis %d", i+1), 1)
		houses = append(houses, h)
		// Steps on the edges of months and years as well.
		batch := randomEvents(r, 400)
		for _, day := range []string{"2025-12-31", "2026-01-01", "2026-02-28", "2026-03-01", "2026-12-31", "2027-01-01"} {
			batch = append(batch, district.Event{ID: district.NewEventID(), Kind: district.KindDuration, Day: day,
				Measure: figures.MeasureContact, Key: topics[i], Minutes: 60 * i})
		}
		if _, err := db.Accept(ctx, h.ID, kiosks[0], batch, t0); err != nil {
			t.Fatal(err)
		}
	}
	for _, days := range [][2]programme.Date{
		{firstDay, lastDay},
		{programme.NewDate(2025, 12, 31), programme.NewDate(2027, 1, 1)},
		{programme.NewDate(2026, 1, 2), lastDay},
		{programme.NewDate(2026, 2, 1), programme.NewDate(2026, 2, 28)},
		{programme.NewDate(2026, 2, 15), programme.NewDate(2026, 5, 14)},
		{programme.NewDate(2026, 3, 1), programme.NewDate(2026, 3, 1)},
		{programme.NewDate(2025, 1, 1), programme.NewDate(2028, 12, 31)},
	} {
		for _, m := range durationMeasures {
			wantN := map[DurationBucket]int{}
			for _, h := range houses {
				hs, err := db.DurationHistogram(ctx, h.ID, m, days[0], days[1])
				if err != nil {
					t.Fatal(err)
				}
				for _, b := range hs {
					wantN[DurationBucket{Key: b.Key, Minutes: b.Minutes}] += b.N
				}
			}
			hs, err := db.DurationHistogram(ctx, AllHouses, m, days[0], days[1])
			if err != nil {
				t.Fatal(err)
			}
			gotN := map[DurationBucket]int{}
			for _, b := range hs {
				gotN[DurationBucket{Key: b.Key, Minutes: b.Minutes}] += b.N
			}
			if len(gotN) != len(hs) || !maps.Equal(gotN, wantN) {
				t.Errorf("%s %s..%s: the district has %v, its houses %v", m, days[0], days[1], gotN, wantN)
			}
		}
	}
}

func TestCalendarSpans(t *testing.T) {
	d := programme.NewDate
	tests := []struct {
		from, to programme.Date
		want     []string
	}{
		{d(2026, 1, 1), d(2026, 12, 31), []string{"year 2026-01-01"}},
		{d(2026, 2, 1), d(2026, 2, 28), []string{"month 2026-02-01"}},
		{d(2026, 3, 5), d(2026, 3, 5), []string{"day 2026-03-05"}},
		{d(2026, 3, 30), d(2026, 5, 2), []string{"day 2026-03-30", "day 2026-03-31", "month 2026-04-01", "day 2026-05-01", "day 2026-05-02"}},
		{d(2025, 12, 31), d(2027, 2, 28), []string{"day 2025-12-31", "year 2026-01-01", "month 2027-01-01", "month 2027-02-01"}},
		{d(2026, 10, 1), d(2026, 12, 2), []string{"month 2026-10-01", "month 2026-11-01", "day 2026-12-01", "day 2026-12-02"}},
		{d(2026, 3, 5), d(2026, 3, 4), nil},
	}
	for _, tt := range tests {
		spans, starts := calendarSpans(tt.from, tt.to)
		var got []string
		for i := range spans {
			got = append(got, spans[i]+" "+starts[i].Format(time.DateOnly))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s..%s: got %q, want %q", tt.from, tt.to, got, tt.want)
		}
	}
}
