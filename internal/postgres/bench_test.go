package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"buurtbalie/internal/district"
	"buurtbalie/internal/postgres/pgtest"
	"buurtbalie/internal/programme"
)

// reportMillis reports the time per op in milliseconds, the unit the
// figures are judged in.
func reportMillis(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}

// BenchmarkAccept1000 takes one full batch of fresh events per op, sent
// as arrays (what Accept does) and, to compare, by COPY into a
// temporary table.
func BenchmarkAccept1000(b *testing.B) {
	for _, how := range []struct {
		name string
		copy bool
	}{{"arrays", false}, {"copy", true}} {
		b.Run(how.name, func(b *testing.B) {
			db := open(b)
			db.copyBatches = how.copy
			h, kiosks := joined(b, db, "Huis West", 1)
			r := rand.New(rand.NewPCG(8, 8))
			batches := make([][]district.Event, b.N)
			for i := range batches {
				batches[i] = randomEvents(r, district.MaxBatch)
			}
			ctx := context.Background()
			b.ResetTimer()
			for i := range b.N {
				got, err := db.Accept(ctx, h.ID, kiosks[0], batches[i], t0)
				if err != nil || got.New != district.MaxBatch {
					b.Fatalf("Accept: %+v, %v", got, err)
				}
			}
			reportMillis(b)
		})
	}
}

// dayOfEvents is what a busy house sends at the end of a day: about 400
// events, mostly counts, some step times, and screen use per hour.
func dayOfEvents(r *rand.Rand, day programme.Date) []district.Event {
	n := 350 + r.IntN(100)
	events := make([]district.Event, n)
	for i := range events {
		e := district.Event{ID: district.NewEventID(), Key: topics[r.IntN(len(topics))]}
		switch k := r.IntN(10); {
		case k < 6:
			e.Kind, e.Day, e.Measure, e.N = district.KindCount, day.String(), countMeasures[r.IntN(len(countMeasures))], 1
		case k < 7:
			e.Kind, e.Day, e.Measure, e.Minutes = district.KindDuration, day.String(), durationMeasures[r.IntN(len(durationMeasures))], r.IntN(2880)
		default:
			e.Kind, e.Hour, e.Key, e.N = district.KindScreen, fmt.Sprintf("%sT%02d", day, 9+r.IntN(9)), screens[r.IntN(len(screens))], 1+r.IntN(3)
		}
		events[i] = e
	}
	return events
}

const benchHouses = 200

// BenchmarkTwoHundredHousesPushADay has 200 houses push their day at
// once, each one batch; an op is all 200 accepted.
func BenchmarkTwoHundredHousesPushADay(b *testing.B) {
	db := openDSN(b, pgtest.Shared(b)+"&pool_max_conns="+fmt.Sprint(benchHouses))
	houses := make([]benchHouse, benchHouses)
	for i := range houses {
		h, kiosks := joined(b, db, fmt.Sprintf("Huis %03d", i+1), 1)
		houses[i] = benchHouse{h.ID, kiosks[0]}
	}
	r := rand.New(rand.NewPCG(9, 9))
	day := firstDay
	b.Run("push", func(b *testing.B) { pushDays(b, db, houses, r, &day) })
}

type benchHouse struct {
	id    int64
	kiosk string
}

// pushDays has each house push b.N days, one day per op, from *day on.
func pushDays(b *testing.B, db *DB, houses []benchHouse, r *rand.Rand, day *programme.Date) {
	days := make([][][]district.Event, b.N)
	events := 0
	for op := range days {
		days[op] = make([][]district.Event, benchHouses)
		for i := range days[op] {
			days[op][i] = dayOfEvents(r, *day)
			events += len(days[op][i])
		}
		*day = day.AddDays(1)
	}
	ctx := context.Background()
	b.ResetTimer()
	for op := range b.N {
		var wg sync.WaitGroup
		for i, h := range houses {
			wg.Go(func() {
				if _, err := db.Accept(ctx, h.id, h.kiosk, days[op][i], t0); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
	}
	reportMillis(b)
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// The shape of a busy house's year of rollups, per day.
const (
	countRowsPerDay    = 60
	durationRowsPerDay = 20
	screenRowsPerDay   = 30
)

// seedYear fills db with a year of 200 houses' rollups, by COPY
// straight into the rollup tables.
func seedYear(b *testing.B, db *DB) {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	var ids []int64
	for i := range benchHouses {
		h, err := db.AddHouse(ctx, fmt.Sprintf("Huis %03d", i+1), t0)
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, h.ID)
	}
	// The keys a house counts in a day, each (measure, key) once.
	type measureKey struct{ measure, key string }
	var countKeys []measureKey
	for i := 0; len(countKeys) < countRowsPerDay; i++ {
		m := countMeasures[i%len(countMeasures)]
		countKeys = append(countKeys, measureKey{m, fmt.Sprintf("%s-%d", topics[i%len(topics)], i/len(countMeasures))})
	}
	r := rand.New(rand.NewPCG(10, 10))
	// each calls row for every row of a house's day.
	// copyYear streams perDay rows of each house's every day, made by row.
	copyYear := func(table string, columns []string, perDay int, row func(house int64, day programme.Date, i int) []any) error {
		n := 0
		next := func() ([]any, error) {
			if n == len(ids)*365*perDay {
				return nil, nil
			}
			h, d, i := ids[n/(365*perDay)], n/perDay%365, n%perDay
			n++
			return row(h, firstDay.AddDays(d), i), nil
		}
		_, err := db.pool.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromFunc(next))
		return err
	}
	if err := copyYear("figure_counts", []string{"house_id", "day", "measure", "key", "n"}, countRowsPerDay, func(h int64, day programme.Date, i int) []any {
		return []any{h, pgDate(day), countKeys[i].measure, countKeys[i].key, int64(1 + r.IntN(6))}
	}); err != nil {
		b.Fatal(err)
	}
	if err := copyYear("figure_durations", []string{"house_id", "day", "measure", "key", "minutes", "n"}, durationRowsPerDay, func(h int64, day programme.Date, i int) []any {
		// i%3 and i%8 differ for every i below 24: each row its own key.
		return []any{h, pgDate(day), durationMeasures[i%3], topics[i%8], int32(r.IntN(2880)), int64(1)}
	}); err != nil {
		b.Fatal(err)
	}
	if err := copyYear("screen_use", []string{"house_id", "hour", "screen", "n"}, screenRowsPerDay, func(h int64, day programme.Date, i int) []any {
		hour := 9 + i/3
		return []any{h, fmt.Sprintf("%sT%02d", day, hour), screens[(hour+i%3)%len(screens)], int64(1 + r.IntN(20))}
	}); err != nil {
		b.Fatal(err)
	}
	// As autovacuum would by the time anyone reads a year: statistics,
	// and a visibility map for index-only scans.
	if _, err := db.pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded a year of %d houses in %s", benchHouses, time.Since(start).Round(time.Second))
}

// BenchmarkDistrictFiguresYear reads the district's figures page for a
// year of 200 houses: every count measure, the step-time histograms and
// screen use. The seeding is done once, outside the sub-benchmark that
// is timed.
func BenchmarkDistrictFiguresYear(b *testing.B) {
	db := open(b)
	seedYear(b, db)
	b.Run("read", func(b *testing.B) { readYear(b, db) })
}

func readYear(b *testing.B, db *DB) {
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		rows := 0
		for _, m := range countMeasures {
			cs, err := db.Counts(ctx, AllHouses, m, firstDay, lastDay)
			if err != nil {
				b.Fatal(err)
			}
			rows += len(cs)
		}
		for _, m := range durationMeasures {
			hs, err := db.DurationHistogram(ctx, AllHouses, m, firstDay, lastDay)
			if err != nil {
				b.Fatal(err)
			}
			rows += len(hs)
		}
		ss, err := db.ScreenUse(ctx, AllHouses, firstDay, lastDay)
		if err != nil {
			b.Fatal(err)
		}
		rows += len(ss)
		if rows == 0 {
			b.Fatal("read no figures")
		}
	}
	reportMillis(b)
}
