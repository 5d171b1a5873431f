package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"buurtbalie/internal/postgres"
)

const (
	// foldEvery is how often the server folds what the houses pushed
	// into the district's summary, so that the district's figures page
	// finds little left to fold when it is read (a day of 200 houses
	// pushing at once leaves about 13,000 rows that their own folds
	// could not take, which a read would otherwise fold first).
	foldEvery = 10 * time.Second
	// purgeEvery is how often the server empties old referrals' text
	// and forgets old event ids.
	purgeEvery = time.Hour
)

// maintain folds the district's figures every foldEvery, and every
// purgeEvery empties old referrals' text, note and code and forgets the
// ids of events received half a year ago, from now until the
// returned stop is called, which waits for it to end. A failure is
// logged and tried again at the next turn: what was not folded stays
// pending, and the figures read count it all the same.
func (m *Main) maintain(ctx context.Context, db *postgres.DB, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		fold := time.NewTicker(foldEvery)
		defer fold.Stop()
		purge := time.NewTicker(purgeEvery)
		defer purge.Stop()
		m.purge(ctx, db, log)
		for {
			select {
			case <-ctx.Done():
				return
			case <-fold.C:
				if err := db.Fold(ctx); err != nil && ctx.Err() == nil {
					log.Warn("could not fold the district's figures; trying again shortly", "err", err)
				}
			case <-purge.C:
				m.purge(ctx, db, log)
			}
		}
	})
	return func() { cancel(); wg.Wait() }
}

func (m *Main) purge(ctx context.Context, db *postgres.DB, log *slog.Logger) {
	if n, err := db.PurgeReferrals(ctx, m.Now()); err != nil && ctx.Err() == nil {
		log.Warn("could not empty old referrals; trying again in an hour", "err", err)
	} else if n > 0 {
		log.Info("emptied the text of old referrals", "referrals", n)
	}
	if n, err := db.ForgetEvents(ctx, m.Now()); err != nil && ctx.Err() == nil {
		log.Warn("could not forget old event ids; trying again in an hour", "err", err)
	} else if n > 0 {
		log.Info("forgot the ids of events received half a year ago", "events", n)
	}
}
