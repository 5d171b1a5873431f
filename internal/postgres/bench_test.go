package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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

// benchHouses is how many houses the district benchmarks have:
// BUURTBALIE_BENCH_HOUSES, or 200.
var benchHouses = func() int {
	if n, err := strconv.Atoi(os.Getenv("BUURTBALIE_BENCH_HOUSES")); err == nil && n > 0 {
		return n
	}
	return 200
}()

// benchConns is the most connections a benchmark's pool opens: the test
// server takes 300 in all, so more houses than that share them.
var benchConns = min(benchHouses, 200)

// BenchmarkHousesPushADay has every house push its day at once, each one
// batch; an op is all of them accepted.
func BenchmarkHousesPushADay(b *testing.B) {
	db := openDSN(b, pgtest.Shared(b)+"&pool_max_conns="+fmt.Sprint(benchConns))
	houses := make([]benchHouse, benchHouses)
	for i := range houses {
		h, kiosks := joined(b, db, fmt.Sprintf("Huis %04d", i+1), 1)
		houses[i] = benchHouse{h.ID, kiosks[0]}
	}
	r := rand.New(rand.NewPCG(9, 9))
	day := firstDay
	b.Logf("%d houses", benchHouses)
	b.Run("push", func(b *testing.B) { pushDays(b, db, houses, r, &day) })
}

// BenchmarkHousesPushADayWithAStandby is BenchmarkHousesPushADay on a
// primary that streams to a hot standby: asynchronously (a commit does
// not wait for the standby; catch-up-ms is how long the standby then
// takes to replay the day) and synchronously (each commit waits until
// the standby has it, so a failover loses nothing acknowledged).
func BenchmarkHousesPushADayWithAStandby(b *testing.B) {
	for _, synchronous := range []bool{false, true} {
		name := "async"
		if synchronous {
			name = "sync"
		}
		primary := pgtest.Start(b)
		db := openDSN(b, primary.DSN+"&pool_max_conns="+fmt.Sprint(benchConns))
		standby := primary.Standby(b, synchronous)
		houses := make([]benchHouse, benchHouses)
		for i := range houses {
			h, kiosks := joined(b, db, fmt.Sprintf("Huis %04d", i+1), 1)
			houses[i] = benchHouse{h.ID, kiosks[0]}
		}
		r := rand.New(rand.NewPCG(9, 9))
		day := firstDay
		b.Run(name, func(b *testing.B) {
			days, _ := daysOfEvents(houses, r, &day, b.N)
			var catchUp time.Duration
			b.ResetTimer()
			for op := range b.N {
				pushAll(b, db, houses, days[op])
				b.StopTimer()
				start := time.Now()
				for {
					behind, err := primary.Behind(context.Background(), standby)
					if err != nil {
						b.Fatal(err)
					}
					if behind == 0 {
						break
					}
					time.Sleep(time.Millisecond)
				}
				catchUp += time.Since(start)
				b.StartTimer()
			}
			reportMillis(b)
			b.ReportMetric(float64(catchUp.Microseconds())/1000/float64(b.N), "catch-up-ms")
		})
	}
}

type benchHouse struct {
	id    int64
	kiosk string
}

// daysOfEvents makes each house's day of events for n days from *day on.
func daysOfEvents(houses []benchHouse, r *rand.Rand, day *programme.Date, n int) (days [][][]district.Event, events int) {
	days = make([][][]district.Event, n)
	for op := range days {
		days[op] = make([][]district.Event, len(houses))
		for i := range days[op] {
			days[op][i] = dayOfEvents(r, *day)
			events += len(days[op][i])
		}
		*day = day.AddDays(1)
	}
	return days, events
}

// pushDays has each house push b.N days, one day per op, from *day on.
func pushDays(b *testing.B, db *DB, houses []benchHouse, r *rand.Rand, day *programme.Date) {
	days, events := daysOfEvents(houses, r, day, b.N)
	before := walBytes(b, db)
	b.ResetTimer()
	for op := range b.N {
		pushAll(b, db, houses, days[op])
	}
	b.StopTimer()
	reportMillis(b)
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	// What a standby is sent, and an archive keeps, per day of the houses.
	b.ReportMetric(float64(walBytes(b, db)-before)/1e6/float64(b.N), "WAL-MB/op")
	// The district keeps every event's id, to count it once: what that
	// costs on disk, per event.
	var perEvent float64
	if err := db.pool.QueryRow(context.Background(), "SELECT pg_total_relation_size('events')::float8 / greatest(count(*), 1) FROM events").Scan(&perEvent); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(perEvent, "B/event-id")
}

// walBytes is how much write-ahead log the server has written so far.
func walBytes(b *testing.B, db *DB) int64 {
	var n int64
	if err := db.pool.QueryRow(context.Background(), "SELECT pg_current_wal_lsn() - '0/0'").Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// pushAll has every house send its batch at the same time.
func pushAll(b *testing.B, db *DB, houses []benchHouse, batches [][]district.Event) {
	ctx := context.Background()
	var wg sync.WaitGroup
	for i, h := range houses {
		wg.Go(func() {
			if _, err := db.Accept(ctx, h.id, h.kiosk, batches[i], t0); err != nil {
				b.Error(err)
			}
		})
	}
	wg.Wait()
}

// The shape of a busy house's year of rollups, per day.
const (
	countRowsPerDay    = 60
	durationRowsPerDay = 20
	screenRowsPerDay   = 30
)

// seedYear fills db with a year of the houses' rollups, by COPY
// straight into the rollup tables, and makes the district's summary of
// them as migration 005 does for the figures it finds: it marks them all
// pending, and folds.
func seedYear(b *testing.B, db *DB) []benchHouse {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	var houses []benchHouse
	var ids []int64
	for i := range benchHouses {
		h, kiosks := joined(b, db, fmt.Sprintf("Huis %04d", i+1), 1)
		houses = append(houses, benchHouse{h.ID, kiosks[0]})
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
	// As migration 005 does.
	for _, mark := range []string{
		"INSERT INTO pending_counts (day, measure, key, n) SELECT day, measure, key, n FROM figure_counts",
		"INSERT INTO pending_durations (day, measure, key, minutes, n) SELECT day, measure, key, minutes, n FROM figure_durations",
		"INSERT INTO pending_screen_use (hour, screen, n) SELECT hour, screen, n FROM screen_use",
	} {
		if _, err := db.pool.Exec(ctx, mark); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("seeded a year of %d houses in %s", benchHouses, time.Since(start).Round(time.Second))
	start = time.Now()
	if err := db.Fold(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("folded the year into the district's summary in %s", time.Since(start).Round(time.Millisecond))
	// As autovacuum would by the time anyone reads a year: statistics,
	// and a visibility map for index-only scans.
	if _, err := db.pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	var size int64
	if err := db.pool.QueryRow(ctx, "SELECT pg_database_size(current_database())").Scan(&size); err != nil {
		b.Fatal(err)
	}
	b.Logf("the database of a year of %d houses is %.2f GB", benchHouses, float64(size)/1e9)
	return houses
}

// BenchmarkDistrictFiguresYear reads the district's figures page for a
// year of the houses: every count measure, the step-time histograms and
// screen use. The seeding is done once, outside the sub-benchmark that
// is timed.
func BenchmarkDistrictFiguresYear(b *testing.B) {
	dsn := pgtest.Shared(b)
	db := openDSN(b, dsn+"&pool_max_conns="+fmt.Sprint(benchConns))
	houses := seedYear(b, db)
	// As the page is read: the server folds every few seconds, so a
	// read finds only what came in since; and, the worst case, at once
	// after every house pushed its day, folding what the pushes left.
	b.Run("read", func(b *testing.B) { readYear(b, db, houses, true) })
	b.Run("read-right-after-pushes", func(b *testing.B) { readYear(b, db, houses, false) })
	if DistrictFiguresPage != nil {
		b.Run("page", func(b *testing.B) { DistrictFiguresPage(b, db) })
	}
	b.Run("pg_dump", func(b *testing.B) { dumpYear(b, dsn) })
}

// dumpYear backs the year up with pg_dump, as a district would each
// night, and restores it into an empty database. It takes minutes, so
// only with BUURTBALIE_BENCH_DUMP=1.
func dumpYear(b *testing.B, dsn string) {
	if os.Getenv("BUURTBALIE_BENCH_DUMP") == "" {
		b.Skip("set BUURTBALIE_BENCH_DUMP=1 to time pg_dump and pg_restore of the year")
	}
	file := filepath.Join(b.TempDir(), "year.dump")
	var dump, restore time.Duration
	for range b.N {
		start := time.Now()
		if out, err := exec.Command("/usr/lib/postgresql/15/bin/pg_dump", "-Fc", "-f", file, "-d", dsn).CombinedOutput(); err != nil {
			b.Fatalf("pg_dump: %v: %s", err, out)
		}
		dump += time.Since(start)
		target := pgtest.Shared(b)
		start = time.Now()
		if out, err := exec.Command("/usr/lib/postgresql/15/bin/pg_restore", "-j", "2", "--no-owner", "-d", target, file).CombinedOutput(); err != nil {
			b.Fatalf("pg_restore: %v: %s", err, out)
		}
		restore += time.Since(start)
	}
	st, err := os.Stat(file)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(dump.Seconds()/float64(b.N), "dump-s/op")
	b.ReportMetric(restore.Seconds()/float64(b.N), "restore-s/op")
	b.ReportMetric(float64(st.Size())/1e6, "dump-MB")
}

// readYear reads the page after each house pushed another day of
// events; folded first (untimed) if folded, as the server's loop does.
func readYear(b *testing.B, db *DB, houses []benchHouse, folded bool) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(11, 11))
	b.ResetTimer()
	for op := range b.N {
		b.StopTimer()
		today := lastDay
		days, _ := daysOfEvents(houses, r, &today, 1)
		pushAll(b, db, houses, days[0])
		if op == 0 {
			b.Logf("the pushes of a day left %d rows pending", pendingRows(b, db))
		}
		if folded {
			if err := db.Fold(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
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
