package clock_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"buurtbalie/internal/clock"
)

func TestPlausible(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		t    time.Time
		want bool
	}{
		{time.Unix(0, 0), false},
		{time.Time{}, false},
		{time.Date(2025, time.December, 31, 23, 59, 59, 0, time.UTC), false},
		{time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC), true},
		// 00:30 in Amsterdam on New Year's day is still 2025 in UTC.
		{time.Date(2026, time.January, 1, 0, 30, 0, 0, ams), false},
		{time.Date(2026, time.November, 23, 9, 30, 0, 0, ams), true},
		{time.Date(2040, time.June, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2055, time.December, 31, 23, 59, 59, 0, time.UTC), true},
		// A clock decades ahead, as a bad time server can set it.
		{time.Date(2056, time.January, 1, 0, 0, 0, 0, time.UTC), false},
		{time.Date(2099, time.March, 1, 3, 0, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		if got := clock.Plausible(tt.t); got != tt.want {
			t.Errorf("Plausible(%s) = %t, want %t", tt.t, got, tt.want)
		}
		err := clock.Check(tt.t)
		if (err == nil) != tt.want || (err != nil && !errors.Is(err, clock.ErrImplausible)) {
			t.Errorf("Check(%s) = %v", tt.t, err)
		}
	}
	if err := clock.Check(time.Unix(0, 0)); !strings.Contains(err.Error(), "1970-01-01T00:00:00Z") {
		t.Errorf("Check(1970) = %q, want it to say what the clock says", err)
	}
	if err := clock.Check(time.Date(2099, time.March, 1, 3, 0, 0, 0, time.UTC)); !strings.Contains(err.Error(), "2099-03-01T03:00:00Z") ||
		!strings.Contains(err.Error(), "2056-01-01 or later") {
		t.Errorf("Check(2099) = %q, want it to say what the clock says and where belief ends", err)
	}
}

// fakeClock says 1970 until it has been asked a number of times.
type fakeClock struct {
	mu    sync.Mutex
	asked int
	wrong int // how many answers are 1970
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.asked++
	if c.asked <= c.wrong {
		return time.Unix(int64(c.asked), 0).UTC()
	}
	return time.Date(2026, time.November, 23, 9, 30, 0, 0, time.UTC)
}

func TestWaitPlausible(t *testing.T) {
	for _, wrong := range []int{0, 1, 5} {
		c := &fakeClock{wrong: wrong}
		var logs []string
		got := clock.WaitPlausible(context.Background(), c.Now, time.Millisecond, func(s string) { logs = append(logs, s) })
		if want := time.Date(2026, time.November, 23, 9, 30, 0, 0, time.UTC); !got.Equal(want) {
			t.Errorf("%d wrong: got %s, want %s", wrong, got, want)
		}
		if c.asked != wrong+1 {
			t.Errorf("%d wrong: asked %d times, want %d", wrong, c.asked, wrong+1)
		}
		switch {
		case wrong == 0 && len(logs) != 0:
			t.Errorf("a right clock logged %q", logs)
		case wrong > 0 && (len(logs) != 1 || !strings.Contains(logs[0], "waiting for the clock to be set: implausible clock: it says 1970-01-01T00:00:01Z")):
			t.Errorf("%d wrong: logs %q, want one warning saying what the clock says", wrong, logs)
		}
	}
}

func TestWaitPlausibleGivesUpWithContext(t *testing.T) {
	c := &fakeClock{wrong: 1 << 30}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	var logs int
	got := clock.WaitPlausible(ctx, c.Now, time.Millisecond, func(string) { logs++ })
	if clock.Plausible(got) {
		t.Errorf("got %s from a clock stuck in 1970", got)
	}
	if logs != 1 {
		t.Errorf("logged %d times while waiting, want 1", logs)
	}
}
