// Package clock tells whether the system clock can be believed. A kiosk PC
// without network time, or with a flat RTC battery, may boot thinking it
// is 1970 until NTP or the real-time clock catches up; a kiosk that then
// works out "today" shows the wrong programme all day. (gokrazy's wait.go
// waits for the same reason.) A bad answer from a time server, or a
// real-time clock that lost its mind, can also put it decades ahead, and
// the purge would then take every question for old; Ceiling is far
// enough ahead that no real date reaches it, and internal/retention
// compares the clock with what the database last saw for the nearer
// jumps.
//
// At start, before anything uses the date:
//
//	now := clock.WaitPlausible(ctx, time.Now, 5*time.Second, func(msg string) {
//		log.Warn(msg)
//	})
package clock

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// floorYear is the year this version was made: a clock that says earlier
// is wrong, whatever else it says.
const floorYear = 2026

// Floor returns the earliest time Plausible believes: the start of the
// year this version was made.
func Floor() time.Time { return time.Date(floorYear, time.January, 1, 0, 0, 0, 0, time.UTC) }

// ceilingYears is how long after floorYear this version may still be in
// use: a kiosk PC lasts ten years or so, and a clock that says more than
// three times that is wrong (2099 was seen in an audit).
const ceilingYears = 30

// Ceiling returns the first time Plausible no longer believes: thirty
// years after Floor.
func Ceiling() time.Time {
	return time.Date(floorYear+ceilingYears, time.January, 1, 0, 0, 0, 0, time.UTC)
}

// Plausible reports whether t can be the real time: not before Floor and
// before Ceiling.
func Plausible(t time.Time) bool { return !t.Before(Floor()) && t.Before(Ceiling()) }

// ErrImplausible is matched by Check's error.
var ErrImplausible = errors.New("implausible clock")

// Check returns nil for a plausible t, else an error matching
// ErrImplausible that says what the clock says.
func Check(t time.Time) error {
	if Plausible(t) {
		return nil
	}
	if !t.Before(Ceiling()) {
		return fmt.Errorf("%w: it says %s, %s or later; is the time server (NTP) giving a wrong answer, or the real-time clock set wrong?",
			ErrImplausible, t.UTC().Format(time.RFC3339), Ceiling().Format(time.DateOnly))
	}
	return fmt.Errorf("%w: it says %s, before %s; is network time (NTP) reachable, or the real-time clock's battery flat?",
		ErrImplausible, t.UTC().Format(time.RFC3339), Floor().Format(time.DateOnly))
}

// WaitPlausible returns now() as soon as it is plausible, asking every
// interval. When it has to wait it logs one warning through log (nil logs
// nothing). When ctx ends first it returns now() as it stands, which the
// caller can still Check.
func WaitPlausible(ctx context.Context, now func() time.Time, every time.Duration, log func(string)) time.Time {
	if log == nil {
		log = func(string) {}
	}
	t := now()
	if Plausible(t) {
		return t
	}
	log(fmt.Sprintf("waiting for the clock to be set: %v", Check(t)))
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return now()
		case <-tick.C:
		}
		if t = now(); Plausible(t) {
			return t
		}
	}
}
