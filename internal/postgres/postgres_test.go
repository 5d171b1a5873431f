package postgres

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"buurtbalie/internal/district"
	"buurtbalie/internal/figures"
	"buurtbalie/internal/postgres/pgtest"
	"buurtbalie/internal/programme"
)

func TestMigrationsAreAppliedOnce(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Shared(t)
	first := openDSN(t, dsn)
	if _, err := first.AddHouse(ctx, "Huis West", t0); err != nil {
		t.Fatal(err)
	}
	second := openDSN(t, dsn) // finds everything applied, keeps the data
	if _, err := second.HouseByName(ctx, "Huis West"); err != nil {
		t.Fatalf("after a second Open: %v", err)
	}
	var applied int
	if err := second.pool.QueryRow(ctx, "SELECT count(*) FROM schema_migrations").Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if want := len(mustGlob(t)); applied != want {
		t.Errorf("schema_migrations has %d rows, want %d", applied, want)
	}
}

func mustGlob(t *testing.T) []string {
	t.Helper()
	names, err := migrations.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range names {
		out = append(out, n.Name())
	}
	return out
}

func TestServersStartingAtOnceMigrateOnce(t *testing.T) {
	dsn := pgtest.Shared(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			db, err := Open(context.Background(), dsn)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
		}
	}
}

func TestEnrol(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	west, err := db.AddHouse(ctx, "Huis West", t0)
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := db.AddHouse(ctx, "Huis Oost", t0)
	if err != nil {
		t.Fatal(err)
	}
	code := func(h House, expires time.Time) string {
		hash := district.HashEnrolmentCode(district.NewEnrolmentCode())
		if err := db.NewEnrolment(ctx, h.ID, hash, expires); err != nil {
			t.Fatal(err)
		}
		return hash
	}
	good := code(west, t0.Add(time.Hour))
	expired := code(west, t0.Add(-time.Second))
	ofRevoked := code(revoked, t0.Add(time.Hour))
	if err := db.Revoke(ctx, revoked.ID, t0); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, hash, kiosk string
		wantErr           error
	}{
		{"good code", good, "k1", nil},
		{"the same code again", good, "k2", ErrBadCode},
		{"expired code", expired, "k3", ErrBadCode},
		{"code of a revoked house", ofRevoked, "k4", ErrBadCode},
		{"unknown code", district.HashEnrolmentCode("ACDE-FGHJ-KLMN"), "k5", ErrBadCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := db.Enrol(ctx, tt.hash, tt.kiosk, "key-"+tt.kiosk, t0)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Enrol: got %v, want %v", err, tt.wantErr)
			}
			k, kerr := db.Kiosk(ctx, tt.kiosk)
			if tt.wantErr != nil {
				if !errors.Is(kerr, district.ErrUnknown) {
					t.Errorf("refused kiosk: Kiosk gave %+v, %v; want district.ErrUnknown", k, kerr)
				}
				return
			}
			if h.ID != west.ID || h.Name != "Huis West" {
				t.Errorf("Enrol: got house %+v, want Huis West", h)
			}
			if kerr != nil || k.HouseID != west.ID || k.House != "Huis West" || k.Key != "key-"+tt.kiosk || k.Revoked {
				t.Errorf("Kiosk: got %+v, %v", k, kerr)
			}
		})
	}
}

func TestEnrolOneCodeAtOnceJoinsOneKiosk(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	h, err := db.AddHouse(ctx, "Huis West", t0)
	if err != nil {
		t.Fatal(err)
	}
	hash := district.HashEnrolmentCode(district.NewEnrolmentCode())
	if err := db.NewEnrolment(ctx, h.ID, hash, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, errs[i] = db.Enrol(ctx, hash, "kiosk-"+string(rune('a'+i)), "key", t0) })
	}
	wg.Wait()
	joined := 0
	for _, err := range errs {
		switch {
		case err == nil:
			joined++
		case !errors.Is(err, ErrBadCode):
			t.Errorf("Enrol: %v", err)
		}
	}
	if joined != 1 {
		t.Errorf("%d kiosks joined with one code, want 1", joined)
	}
}

func TestRevokedHouseKiosk(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	h, kiosks := joined(t, db, "Huis West", 1)
	if err := db.Revoke(ctx, h.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	k, err := db.Kiosk(ctx, kiosks[0])
	if err != nil || !k.Revoked {
		t.Errorf("Kiosk of a revoked house: got %+v, %v; want Revoked", k, err)
	}
	got, err := db.HouseByName(ctx, "Huis West")
	if err != nil || !got.Revoked.Equal(t0.Add(time.Hour)) {
		t.Errorf("HouseByName: got %+v, %v; want revoked at %s", got, err, t0.Add(time.Hour))
	}
	if _, err := db.HouseByName(ctx, "Huis Nergens"); !errors.Is(err, ErrNotFound) {
		t.Errorf("HouseByName of an unknown house: got %v, want ErrNotFound", err)
	}
	if byID, err := db.HouseByID(ctx, h.ID); err != nil || byID != got {
		t.Errorf("HouseByID: got %+v, %v; want %+v", byID, err, got)
	}
	if _, err := db.HouseByID(ctx, h.ID+100); !errors.Is(err, ErrNotFound) {
		t.Errorf("HouseByID of an unknown house: got %v, want ErrNotFound", err)
	}
	if err := db.Revoke(ctx, h.ID+100, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("Revoke of an unknown house: got %v, want ErrNotFound", err)
	}
	if _, err := db.AddHouse(ctx, "Huis West", t0); err == nil {
		t.Error("AddHouse took a name twice")
	}
}

func TestUseNonceRefusesReplay(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	_, kiosks := joined(t, db, "Huis West", 2)
	nonce := district.NewNonce()
	if err := db.UseNonce(ctx, kiosks[0], nonce, t0); err != nil {
		t.Fatal(err)
	}
	if err := db.UseNonce(ctx, kiosks[0], nonce, t0.Add(time.Minute)); !errors.Is(err, district.ErrReplay) {
		t.Errorf("the same nonce again: got %v, want district.ErrReplay", err)
	}
	if err := db.UseNonce(ctx, kiosks[1], nonce, t0); err != nil {
		t.Errorf("another kiosk's nonce: %v", err)
	}
	// Once twice MaxSkew has passed the nonce is forgotten: the clock
	// check refuses such a request first.
	later := t0.Add(2*district.MaxSkew + time.Second)
	if err := db.UseNonce(ctx, kiosks[0], district.NewNonce(), later); err != nil {
		t.Fatal(err)
	}
	var kept int
	if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM nonces WHERE kiosk_id = $1", kiosks[0]).Scan(&kept); err != nil {
		t.Fatal(err)
	}
	if kept != 1 {
		t.Errorf("kiosk keeps %d nonces after 2 × MaxSkew, want 1", kept)
	}
}

func TestAcceptCountsABatchOnce(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	h, kiosks := joined(t, db, "Huis West", 1)
	batch := randomEvents(rand.New(rand.NewPCG(1, 1)), 300)
	for i, wantNew := range []int{300, 0} {
		got, err := db.Accept(ctx, h.ID, kiosks[0], batch, t0)
		if err != nil {
			t.Fatal(err)
		}
		if got != (district.Accepted{New: wantNew, Known: 300 - wantNew}) {
			t.Errorf("send %d: got %+v, want %d new", i+1, got, wantNew)
		}
	}
	sameFigures(t, "Huis West", totals(t, db, h.ID), want(batch))

	// A batch half old, half new.
	more := append(randomEvents(rand.New(rand.NewPCG(2, 2)), 100), batch[:100]...)
	got, err := db.Accept(ctx, h.ID, kiosks[0], more, t0)
	if err != nil || got != (district.Accepted{New: 100, Known: 100}) {
		t.Errorf("half-known batch: got %+v, %v; want 100 new, 100 known", got, err)
	}
	sameFigures(t, "Huis West", totals(t, db, h.ID), want(batch, more[:100]))
}

func TestAcceptBatchesOutOfOrder(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	h, kiosks := joined(t, db, "Huis West", 1)
	r := rand.New(rand.NewPCG(3, 3))
	var batches [][]district.Event
	for range 6 {
		batches = append(batches, randomEvents(r, 50))
	}
	for _, i := range []int{3, 0, 5, 1, 1, 4, 2, 0} {
		if _, err := db.Accept(ctx, h.ID, kiosks[0], batches[i], t0); err != nil {
			t.Fatal(err)
		}
	}
	sameFigures(t, "Huis West", totals(t, db, h.ID), want(batches...))
}

func TestAcceptOverlappingBatchesOfTwoKiosksAtOnce(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	h, kiosks := joined(t, db, "Huis West", 2)
	events := randomEvents(rand.New(rand.NewPCG(4, 4)), 2000)
	// Each kiosk sends every event, in overlapping windows of 200 that
	// move by 100, the two in opposite orders, all at once: each event
	// is in flight up to four times.
	var windows [][]district.Event
	for start := 0; start+200 <= len(events); start += 100 {
		windows = append(windows, events[start:start+200])
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	fresh := 0
	for k, kiosk := range kiosks {
		for i := range windows {
			w := windows[i]
			if k == 1 {
				w = windows[len(windows)-1-i]
			}
			wg.Go(func() {
				got, err := db.Accept(ctx, h.ID, kiosk, w, t0)
				if err != nil {
					t.Error(err)
					return
				}
				if got.New+got.Known != len(w) {
					t.Errorf("Accept: got %+v for %d events", got, len(w))
				}
				mu.Lock()
				fresh += got.New
				mu.Unlock()
			})
		}
	}
	wg.Wait()
	if fresh != len(events) {
		t.Errorf("%d events were new, want %d", fresh, len(events))
	}
	sameFigures(t, "Huis West", totals(t, db, h.ID), want(events))
}

func TestDistrictIsTheSumOfItsHouses(t *testing.T) {
	db := open(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(5, 5))
	all := map[string]int{}
	var sent []district.Event
	for _, name := range []string{"Huis West", "Huis Oost", "Huis Noord"} {
		h, kiosks := joined(t, db, name, 2)
		var own []district.Event
		for range 1 + r.IntN(4) {
			batch := randomEvents(r, 1+r.IntN(district.MaxBatch))
			own = append(own, batch...)
			if _, err := db.Accept(ctx, h.ID, kiosks[r.IntN(2)], batch, t0); err != nil {
				t.Fatal(err)
			}
		}
		house := totals(t, db, h.ID)
		sameFigures(t, name, house, want(own))
		for k, v := range house {
			all[k] += v
		}
		sent = append(sent, own...)
	}
	district := totals(t, db, AllHouses)
	sameFigures(t, "the district against its houses", district, all)
	sameFigures(t, "the district against the events", district, want(sent))
	n := 0
	for _, e := range sent {
		if e.Kind == "duration" {
			n++
		} else {
			n += e.N
		}
	}
	if got := sum(district); got != n {
		t.Errorf("the district's figures add up to %d, the events to %d", got, n)
	}
}

func TestFiguresOfADayRange(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	h, kiosks := joined(t, db, "Huis West", 1)
	events := []district.Event{
		{ID: district.NewEventID(), Kind: district.KindCount, Day: "2026-03-01", Measure: figures.MeasureQuestions, Key: "geld", N: 2},
		{ID: district.NewEventID(), Kind: district.KindCount, Day: "2026-03-02", Measure: figures.MeasureQuestions, Key: "geld", N: 1},
		{ID: district.NewEventID(), Kind: district.KindCount, Day: "2026-03-02", Measure: figures.MeasureQuestions, Key: "geld", N: 4},
		{ID: district.NewEventID(), Kind: district.KindCount, Day: "2026-03-02", Measure: figures.MeasureQuestions, Key: "wonen", N: 1},
		{ID: district.NewEventID(), Kind: district.KindCount, Day: "2026-03-03", Measure: figures.MeasureQuestions, Key: "geld", N: 8},
		{ID: district.NewEventID(), Kind: district.KindDuration, Day: "2026-03-02", Measure: figures.MeasureContact, Key: "geld", Minutes: 30},
		{ID: district.NewEventID(), Kind: district.KindDuration, Day: "2026-03-02", Measure: figures.MeasureContact, Key: "geld", Minutes: 30},
		{ID: district.NewEventID(), Kind: district.KindDuration, Day: "2026-03-02", Measure: figures.MeasureContact, Key: "geld", Minutes: 0},
		{ID: district.NewEventID(), Kind: district.KindScreen, Hour: "2026-03-01T23", Key: figures.ScreenAsk, N: 1},
		{ID: district.NewEventID(), Kind: district.KindScreen, Hour: "2026-03-02T10", Key: figures.ScreenAsk, N: 3},
		{ID: district.NewEventID(), Kind: district.KindScreen, Hour: "2026-03-02T10", Key: figures.ScreenAsk, N: 2},
		{ID: district.NewEventID(), Kind: district.KindScreen, Hour: "2026-03-03T00", Key: figures.ScreenAsk, N: 1},
	}
	if err := (district.Batch{Events: events}).Check(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Accept(ctx, h.ID, kiosks[0], events, t0); err != nil {
		t.Fatal(err)
	}
	day := programme.NewDate(2026, 3, 2)
	counts, err := db.Counts(ctx, h.ID, figures.MeasureQuestions, day, day)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts := []figures.Count{{Day: day, Key: "geld", N: 5}, {Day: day, Key: "wonen", N: 1}}
	if !equal(counts, wantCounts) {
		t.Errorf("Counts: got %v, want %v", counts, wantCounts)
	}
	durations, err := db.Durations(ctx, AllHouses, figures.MeasureContact, day, day)
	if err != nil {
		t.Fatal(err)
	}
	wantDurations := []figures.Duration{{Day: day, Key: "geld", Minutes: 0}, {Day: day, Key: "geld", Minutes: 30}, {Day: day, Key: "geld", Minutes: 30}}
	if !equal(durations, wantDurations) {
		t.Errorf("Durations: got %v, want %v", durations, wantDurations)
	}
	histogram, err := db.DurationHistogram(ctx, h.ID, figures.MeasureContact, day, day)
	if err != nil {
		t.Fatal(err)
	}
	wantHistogram := []DurationBucket{{Key: "geld", Minutes: 0, N: 1}, {Key: "geld", Minutes: 30, N: 2}}
	if !equal(histogram, wantHistogram) {
		t.Errorf("DurationHistogram: got %v, want %v", histogram, wantHistogram)
	}
	screens, err := db.ScreenUse(ctx, h.ID, day, day)
	if err != nil {
		t.Fatal(err)
	}
	wantScreens := []figures.ScreenCount{{Hour: "2026-03-02T10", Screen: figures.ScreenAsk, N: 5}}
	if !equal(screens, wantScreens) {
		t.Errorf("ScreenUse: got %v, want %v", screens, wantScreens)
	}

	houses, err := db.Houses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(houses) != 1 || houses[0].Kiosks != 1 || !houses[0].LastReport.Equal(t0) || !houses[0].Revoked.IsZero() {
		t.Errorf("Houses: got %+v, want Huis West with 1 kiosk, last report %s", houses, t0)
	}
}

func equal[T comparable](a, b []T) bool {
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

// resend sends batch until it is accepted, as a kiosk does: the first
// try after a restart may meet a connection of the old server's.
func resend(t *testing.T, db *DB, houseID int64, kiosk string, batch []district.Event) {
	t.Helper()
	var err error
	for range 5 {
		if _, err = db.Accept(context.Background(), houseID, kiosk, batch, t0); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("resend after restart: %v", err)
}

func TestAcceptWhilePostgreSQLStops(t *testing.T) {
	ctx := context.Background()
	srv := pgtest.Start(t)
	db := openDSN(t, srv.DSN)
	h, kiosks := joined(t, db, "Huis West", 1)
	r := rand.New(rand.NewPCG(6, 6))
	var batches [][]district.Event
	for range 6 {
		batches = append(batches, randomEvents(r, 200))
	}
	for _, b := range batches[:3] {
		if _, err := db.Accept(ctx, h.ID, kiosks[0], b, t0); err != nil {
			t.Fatal(err)
		}
	}
	srv.Stop(t)
	if _, err := db.Accept(ctx, h.ID, kiosks[0], batches[3], t0); err == nil {
		t.Fatal("Accept succeeded while PostgreSQL was stopped")
	}
	srv.Start(t)
	db.pool.Reset() // the old server's connections are gone
	for _, b := range batches[3:] {
		resend(t, db, h.ID, kiosks[0], b)
	}
	sameFigures(t, "after a stop", totals(t, db, h.ID), want(batches...))
}

func TestAcceptWhilePostgreSQLIsKilled(t *testing.T) {
	ctx := context.Background()
	srv := pgtest.Start(t)
	db := openDSN(t, srv.DSN)
	h, kiosks := joined(t, db, "Huis West", 1)
	r := rand.New(rand.NewPCG(7, 7))
	var batches [][]district.Event
	for range 200 {
		batches = append(batches, randomEvents(r, district.MaxBatch))
	}
	// Send batch after batch until the server is killed under them.
	var accepted [][]district.Event
	failed := -1
	killed := make(chan struct{})
	go func() {
		time.Sleep(500 * time.Millisecond)
		srv.Kill(t)
		close(killed)
	}()
	for i, b := range batches {
		if _, err := db.Accept(ctx, h.ID, kiosks[0], b, t0); err != nil {
			failed = i
			break
		}
		accepted = append(accepted, b)
	}
	<-killed
	if failed < 0 {
		t.Fatal("every batch was accepted before the kill: send more")
	}
	t.Logf("killed while sending batch %d", failed+1)
	srv.Start(t)
	db.pool.Reset() // the old server's connections are gone

	// The batch in flight is all in or not at all.
	got := totals(t, db, h.ID)
	if all := want(append(accepted, batches[failed])...); sum(got) == sum(all) {
		sameFigures(t, "after the kill, with the batch in flight", got, all)
	} else {
		sameFigures(t, "after the kill", got, want(accepted...))
	}
	resend(t, db, h.ID, kiosks[0], batches[failed])
	sameFigures(t, "after the kill and a resend", totals(t, db, h.ID), want(batches[:failed+1]...))
}

// Events older than district.MaxEventAge are not counted, and the ids of
// events received longer than district.ForgetAfter ago are forgotten:
// the same batch sent again after that is too old, and counts nothing
// twice.
func TestOldEventsAndTheirIDs(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	h, kiosks := joined(t, db, "Huis West", 1)
	r := rand.New(rand.NewPCG(31, 31))
	batch := randomEvents(r, 300) // days of 2026
	if acc, err := db.Accept(ctx, h.ID, kiosks[0], batch, t0); err != nil || acc.New != len(batch) || acc.TooOld != 0 {
		t.Fatalf("accept: %+v, %v", acc, err)
	}
	before := totals(t, db, h.ID)

	// Just before the ids go, the batch is still known.
	soon := t0.Add(district.ForgetAfter - time.Hour)
	if n, err := db.ForgetEvents(ctx, soon); err != nil || n != 0 {
		t.Fatalf("forgot %d ids (%v) before their time", n, err)
	}
	// A year on, every one of its days is too old: forgotten or not,
	// the batch counts nothing.
	later := time.Date(2027, 12, 31, 12, 0, 0, 0, time.UTC)
	if n, err := db.ForgetEvents(ctx, later); err != nil || n != int64(len(batch)) {
		t.Fatalf("forgot %d ids (%v), want %d", n, err, len(batch))
	}
	acc, err := db.Accept(ctx, h.ID, kiosks[0], batch, later)
	if err != nil || acc.TooOld != len(batch) || acc.New != 0 {
		t.Fatalf("the batch again a year on: %+v, %v", acc, err)
	}
	sameFigures(t, "after the batch came again", totals(t, db, h.ID), before)

	// A batch of old and recent events counts the recent ones.
	recent := randomEvents(r, 50)
	for i := range recent {
		recent[i].Day, recent[i].Hour = "", ""
		recent[i].Kind, recent[i].Measure, recent[i].N, recent[i].Key = district.KindCount, figures.MeasureQuestions, 1, "geld"
		recent[i].Day = "2027-12-30"
	}
	acc, err = db.Accept(ctx, h.ID, kiosks[0], append(again(batch[:20]), recent...), later)
	if err != nil || acc.New != len(recent) || acc.TooOld != 20 {
		t.Fatalf("old and recent: %+v, %v", acc, err)
	}
	houses, err := db.Houses(ctx)
	if err != nil || !houses[0].LastReport.Equal(later) {
		t.Errorf("last report %v (%v), want %v", houses[0].LastReport, err, later)
	}
}
