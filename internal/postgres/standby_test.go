package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"buurtbalie/internal/district"
	"buurtbalie/internal/postgres/pgtest"
)

// TestFailoverToASynchronousStandby loses the district's primary server
// while houses push, and goes on on its standby: with synchronous
// replication (packaging/district/README.md), every batch the primary
// acknowledged is on the standby, and the kiosks resend only what was
// not acknowledged, so the district's figures after the failover are
// exactly those of every batch, and the standby reads the same figures
// as the primary (once it has replayed what the primary acknowledged).
func TestFailoverToASynchronousStandby(t *testing.T) {
	ctx := context.Background()
	primary := pgtest.Start(t)
	db := openDSN(t, primary.DSN)
	standby := primary.Standby(t, true)
	r := rand.New(rand.NewPCG(21, 21))
	const nHouses = 4
	type house struct {
		id      int64
		kiosk   string
		batches [][]district.Event
		acked   int // batches the district acknowledged, in order
	}
	houses := make([]*house, nHouses)
	for i := range houses {
		h, kiosks := joined(t, db, fmt.Sprintf("Huis %d", i+1), 1)
		houses[i] = &house{id: h.ID, kiosk: kiosks[0]}
		for range 80 {
			houses[i].batches = append(houses[i].batches, randomEvents(r, 100))
		}
	}
	// Before the failover the standby answers reads with the primary's
	// figures: each acknowledged commit is there already, flushed, and
	// read once replayed a moment later.
	for _, h := range houses {
		if _, err := db.Accept(ctx, h.id, h.kiosk, h.batches[0], t0); err != nil {
			t.Fatal(err)
		}
		h.acked = 1
	}
	primary.CaughtUp(t, standby)
	// (Not Open: a standby takes no migration.)
	pool, err := pgxpool.New(ctx, standby.DSN)
	if err != nil {
		t.Fatal(err)
	}
	onStandby := &DB{pool: pool}
	for _, h := range houses {
		sameFigures(t, "the house on the standby", totals(t, onStandby, h.id), totals(t, db, h.id))
	}
	onStandby.Close()

	// The houses push until the primary's machine is lost under them.
	go func() {
		time.Sleep(300 * time.Millisecond)
		primary.Kill(t)
	}()
	var wg sync.WaitGroup
	for _, h := range houses {
		wg.Go(func() {
			for ; h.acked < len(h.batches); h.acked++ {
				if _, err := db.Accept(ctx, h.id, h.kiosk, h.batches[h.acked], t0); err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	for _, h := range houses {
		if h.acked == len(h.batches) {
			t.Fatal("every batch was accepted before the primary was lost: send more")
		}
	}
	db.Close()

	// The operator promotes the standby and points the server at it;
	// each kiosk's outbox still holds what was not acknowledged.
	standby.Promote(t)
	db = openDSN(t, standby.DSN)
	var all [][]district.Event
	for _, h := range houses {
		t.Logf("house %d: %d batches acknowledged before the primary was lost", h.id, h.acked)
		for _, b := range h.batches[h.acked:] {
			resend(t, db, h.id, h.kiosk, b)
		}
		sameFigures(t, "the house after the failover", totals(t, db, h.id), want(h.batches...))
		all = append(all, h.batches...)
	}
	sameFigures(t, "the district after the failover", totals(t, db, AllHouses), want(all...))
}
