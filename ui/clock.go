package ui

import (
	"sort"
	"time"
)

// ManualClock is a Clock that stands still until Advance moves it, firing
// the timers that fall due on the way. Tests use it to step through idle
// time and midnight; the screenshot command uses it to freeze a moment.
type ManualClock struct {
	now    time.Time
	timers []*manualTimer
}

// NewManualClock returns a clock standing at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{now: t} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time { return c.now }

// AfterFunc runs f when Advance passes now+d.
func (c *ManualClock) AfterFunc(d time.Duration, f func()) Timer {
	t := &manualTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

// Advance moves the clock on by d, running due timers in time order, each
// with the clock set to its due time.
func (c *ManualClock) Advance(d time.Duration) {
	end := c.now.Add(d)
	for {
		var due []*manualTimer
		for _, t := range c.timers {
			if !t.stopped && !t.at.After(end) {
				due = append(due, t)
			}
		}
		if len(due) == 0 {
			break
		}
		sort.SliceStable(due, func(i, j int) bool { return due[i].at.Before(due[j].at) })
		t := due[0]
		t.stopped = true
		if t.at.After(c.now) {
			c.now = t.at
		}
		t.f()
	}
	c.now = end
	live := c.timers[:0]
	for _, t := range c.timers {
		if !t.stopped {
			live = append(live, t)
		}
	}
	c.timers = live
}

type manualTimer struct {
	at      time.Time
	f       func()
	stopped bool
}

func (t *manualTimer) Stop() bool {
	was := !t.stopped
	t.stopped = true
	return was
}
