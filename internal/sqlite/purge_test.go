package sqlite_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"buurtbalie/internal/clock"
	"buurtbalie/internal/question"
	"buurtbalie/internal/retention"
)

// A wrong clock does not delete the house's questions: a purge, dry run
// or not, refuses a clock far past the newest entry or the last purge,
// and one clock.Check does not believe, and then changes nothing. The
// fixture's entries end at purgeNow (1 March 2027).
func TestPurgeWrongClock(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// before runs on the fixture with the clock at purgeNow, then
		// the clock is set to now.
		before  func(t *testing.T, f *purgeFixture)
		now     time.Time
		lastRun bool // want a *retention.ClockError against the last purge
		clock   bool // want clock.ErrImplausible
	}{
		{"2028, never purged", nil, time.Date(2028, time.June, 1, 2, 0, 0, 0, time.UTC), false, false},
		{"2099", nil, time.Date(2099, time.March, 1, 2, 0, 0, 0, time.UTC), false, true},
		{"1970", nil, time.Unix(0, 0), false, true},
		{"a day past the gap", purgeOnce, purgeNow.Add(retention.MaxGap + retention.Day), true, false},
		// The kiosk went on taking questions at the wrong time, so they
		// are the newest entries; the last purge still tells.
		{"2029 after a purge, questions at 2029", func(t *testing.T, f *purgeFixture) {
			purgeOnce(t, f)
			f.clock.Set(time.Date(2029, time.January, 1, 9, 0, 0, 0, time.UTC))
			q := question.Question{Topic: "geld", Text: "GEHEIM-2029", FollowUp: question.Waiting}
			if err := f.qs.Create(ctx, &q); err != nil {
				t.Fatal(err)
			}
		}, time.Date(2029, time.January, 2, 2, 0, 0, 0, time.UTC), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newPurgeFixture(t)
			if tt.before != nil {
				tt.before(t, f)
			}
			f.clock.Set(tt.now)
			before := f.dump(t)
			for _, dryRun := range []bool{true, false} {
				_, err := f.db.Purge(ctx, retention.Default(), dryRun)
				if !errors.Is(err, retention.ErrClock) {
					t.Fatalf("purge (dry run %t) at %s: %v, want retention.ErrClock", dryRun, tt.now, err)
				}
				var ce *retention.ClockError
				if errors.As(err, &ce) == tt.clock || (ce != nil && ce.LastRun != tt.lastRun) {
					t.Errorf("purge at %s: %v (%+v), want compared with the last purge %t, implausible %t", tt.now, err, ce, tt.lastRun, tt.clock)
				}
				if got := errors.Is(err, clock.ErrImplausible); got != tt.clock {
					t.Errorf("purge at %s: %v matches clock.ErrImplausible %t, want %t", tt.now, err, got, tt.clock)
				}
			}
			if after := f.dump(t); after != before {
				t.Errorf("a refused purge changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// purgeOnce purges the fixture at purgeNow, as the night before.
func purgeOnce(t *testing.T, f *purgeFixture) {
	t.Helper()
	f.clock.Set(purgeNow)
	if _, err := f.db.Purge(context.Background(), retention.Default(), false); err != nil {
		t.Fatal(err)
	}
}

// Night after night within MaxGap the purge runs; after the PC really was
// off for over a year, staff who checked the clock purge with
// PurgeTrustingClock, which keeps every open question, and the nights
// after count from that run.
func TestPurgeTrustingClock(t *testing.T) {
	ctx := context.Background()
	f := newPurgeFixture(t)
	purgeOnce(t, f)
	for _, d := range []time.Duration{retention.Day, retention.MaxGap} {
		f.clock.Add(d)
		if _, err := f.db.Purge(ctx, retention.Default(), false); err != nil {
			t.Fatalf("purge %v after the last: %v", d, err)
		}
	}

	f.clock.Add(400 * retention.Day)
	if _, err := f.db.Purge(ctx, retention.Default(), true); !errors.Is(err, retention.ErrClock) {
		t.Fatalf("purge after 400 days off: %v, want retention.ErrClock", err)
	}
	dry, err := f.db.PurgeTrustingClock(ctx, retention.Default(), true)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.db.PurgeTrustingClock(ctx, retention.Default(), false)
	if err != nil {
		t.Fatal(err)
	}
	dry.DryRun = false
	if dry != got {
		t.Errorf("trusted purge reported %+v, its dry run %+v: want the same", got, dry)
	}
	// Of the fixture's open questions none went; every closed one did.
	open := []string{"old-open", "open-40"}
	if got.OpenKept != int64(len(open)) || got.Questions != 4 {
		t.Errorf("trusted purge %+v, want 4 closed questions deleted and %d open ones kept", got, len(open))
	}
	r := raw(t, f.path)
	for _, name := range open {
		if n := count(t, r, `SELECT count(*) FROM questions WHERE id = ? AND text = ?`, f.ids[name], "GEHEIM-"+name); n != 1 {
			t.Errorf("%s: %d rows with its text, want it kept whole", name, n)
		}
	}
	if n := count(t, r, `SELECT count(*) FROM purge_runs WHERE trusted = 1`); n != 1 {
		t.Errorf("%d trusted runs recorded, want 1", n)
	}

	f.clock.Add(retention.Day)
	if _, err := f.db.Purge(ctx, retention.Default(), false); err != nil {
		t.Errorf("the night after the trusted purge: %v", err)
	}
	// Trust does not lift clock.Check's floor and ceiling.
	f.clock.Set(time.Date(2099, time.March, 1, 2, 0, 0, 0, time.UTC))
	if _, err := f.db.PurgeTrustingClock(ctx, retention.Default(), true); !errors.Is(err, clock.ErrImplausible) {
		t.Errorf("a trusted purge at 2099: %v, want clock.ErrImplausible", err)
	}
}
