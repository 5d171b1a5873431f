package retention_test

import (
	"errors"
	"testing"
	"time"

	"buurtbalie/internal/clock"
	"buurtbalie/internal/retention"
)

const day = retention.Day

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		p     retention.Policy
		field string // "" for valid
	}{
		{"default", retention.Default(), ""},
		{"all one day", retention.Policy{day, day, day}, ""},
		{"text as long as questions", retention.Policy{365 * day, 365 * day, 730 * day}, ""},
		{"zero text", retention.Policy{0, 365 * day, 730 * day}, "TextAfter"},
		{"a minute meant as a month", retention.Policy{time.Minute, 365 * day, 730 * day}, "TextAfter"},
		{"negative questions", retention.Policy{30 * day, -day, 730 * day}, "QuestionAfter"},
		{"audit an hour", retention.Policy{30 * day, 365 * day, time.Hour}, "AuditAfter"},
		{"text outlives question", retention.Policy{400 * day, 365 * day, 730 * day}, "TextAfter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var e *retention.Error
			if !errors.As(err, &e) || !errors.Is(err, retention.ErrInvalid) {
				t.Fatalf("Validate() = %v, want a *retention.Error matching ErrInvalid", err)
			}
			if e.Field != tt.field {
				t.Errorf("Field %q, want %q (%v)", e.Field, tt.field, err)
			}
		})
	}
}

func TestDefault(t *testing.T) {
	p := retention.Default()
	if p.TextAfter != 30*day || p.QuestionAfter != 365*day || p.AuditAfter != 730*day {
		t.Errorf("Default() = %+v, want 30, 365 and 730 days", p)
	}
}

func TestCutoffs(t *testing.T) {
	now := time.Date(2027, time.March, 1, 3, 0, 0, 0, time.UTC)
	c := retention.Default().Cutoffs(now)
	for _, tt := range []struct {
		name      string
		got, want time.Time
	}{
		{"text", c.Text, time.Date(2027, time.January, 30, 3, 0, 0, 0, time.UTC)},
		{"question", c.Question, time.Date(2026, time.March, 1, 3, 0, 0, 0, time.UTC)},
		{"audit", c.Audit, time.Date(2025, time.March, 1, 3, 0, 0, 0, time.UTC)},
	} {
		if !tt.got.Equal(tt.want) {
			t.Errorf("%s cutoff %s, want %s", tt.name, tt.got, tt.want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"30d", 30 * day, false},
		{" 365d ", 365 * day, false},
		{"0d", 0, false},
		{"720h", 720 * time.Hour, false},
		{"36h30m", 36*time.Hour + 30*time.Minute, false},
		{"d", 0, true},
		{"-3d", 0, true},
		{"1.5d", 0, true},
		{"-1h", 0, true},
		{"30", 0, true},
		{"a month", 0, true},
		{"99999999d", 0, true},
	}
	for _, tt := range tests {
		got, err := retention.ParseDuration(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, error %t", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{30 * day: "30d", 36 * time.Hour: "36h0m0s", 0: "0s", time.Minute: "1m0s"} {
		if got := retention.FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
		if d%day == 0 && d > 0 {
			if back, err := retention.ParseDuration(want); err != nil || back != d {
				t.Errorf("ParseDuration(FormatDuration(%v)) = %v, %v", d, back, err)
			}
		}
	}
}

// The purge believes a clock near what the database last saw, and not one
// years ahead, or ahead of the last purge by more than MaxGap even when a
// wrong clock has already stamped new entries.
func TestCheckClock(t *testing.T) {
	last := time.Date(2026, time.December, 1, 3, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		now     time.Time
		seen    retention.Seen
		lastRun bool // want a *ClockError against the last purge
		newest  bool // want a *ClockError against the newest entry
		clock   bool // want clock.ErrImplausible
	}{
		{"the next night", last.Add(day), retention.Seen{Newest: last, LastRun: last}, false, false, false},
		{"an empty database", last, retention.Seen{}, false, false, false},
		{"never purged, used yesterday", last, retention.Seen{Newest: last.Add(-day)}, false, false, false},
		{"after the summer closure", last.Add(retention.MaxGap), retention.Seen{Newest: last, LastRun: last}, false, false, false},
		{"a day more", last.Add(retention.MaxGap + day), retention.Seen{Newest: last, LastRun: last}, true, false, false},
		{"two years ahead, never purged", last.AddDate(2, 0, 0), retention.Seen{Newest: last}, false, true, false},
		// A day of questions at the wrong time makes them the newest
		// entries; the last purge still tells.
		{"ahead, entries stamped by it", last.AddDate(2, 0, 0), retention.Seen{Newest: last.AddDate(2, 0, -1), LastRun: last}, true, false, false},
		{"behind the last purge", last.AddDate(0, -3, 0), retention.Seen{Newest: last, LastRun: last}, false, false, false},
		{"2099", time.Date(2099, time.March, 1, 3, 0, 0, 0, time.UTC), retention.Seen{Newest: time.Date(2099, time.March, 1, 2, 0, 0, 0, time.UTC)}, false, false, true},
		{"1970", time.Unix(0, 0), retention.Seen{}, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := retention.CheckClock(tt.now, tt.seen)
			refused := tt.lastRun || tt.newest || tt.clock
			if (err != nil) != refused || (err != nil && !errors.Is(err, retention.ErrClock)) {
				t.Fatalf("CheckClock(%s, %+v) = %v, want refused %t (matching ErrClock)", tt.now, tt.seen, err, refused)
			}
			if !refused {
				return
			}
			var ce *retention.ClockError
			if got := errors.As(err, &ce); got != (tt.lastRun || tt.newest) {
				t.Fatalf("err %v: a *ClockError %t, want %t", err, got, !got)
			}
			if ce != nil && ce.LastRun != tt.lastRun {
				t.Errorf("compared with %s, want the other (%v)", ce.What(), err)
			}
			if got := errors.Is(err, clock.ErrImplausible); got != tt.clock {
				t.Errorf("err %v matches clock.ErrImplausible %t, want %t", err, got, tt.clock)
			}
		})
	}
}
