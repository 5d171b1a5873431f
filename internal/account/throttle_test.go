package account_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"buurtbalie/internal/account"
)

// clock is a fake time that tests move forward by hand.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time              { return c.t }
func (c *clock) Add(d time.Duration)         { c.t = c.t.Add(d) }
func newClock() *clock                       { return &clock{time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)} }
func newThrottle(c *clock) *account.Throttle { return &account.Throttle{Now: c.Now} }

// After FreeFailures, each failure doubles the wait, up to MaxDelay.
func TestThrottleGrowth(t *testing.T) {
	wants := []time.Duration{
		0, 0, 0, 0, // failures 1–4
		1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, // 5–8
		16 * time.Second, 32 * time.Second, 64 * time.Second, 128 * time.Second, // 9–12
		256 * time.Second, 512 * time.Second, 15 * time.Minute, 15 * time.Minute, // 13–16
	}
	c := newClock()
	th := newThrottle(c)
	const key = "user:anna"
	for i, want := range wants {
		if wait := th.Allow(key); wait != 0 {
			t.Fatalf("before attempt %d: wait %s, want 0", i+1, wait)
		}
		th.Fail(key)
		if got := th.Allow(key); got != want {
			t.Errorf("after failure %d: wait %s, want %s", i+1, got, want)
		}
		c.Add(want)
	}
	// Many more failures stay at the cap.
	for i := 0; i < 100; i++ {
		c.Add(15 * time.Minute)
		th.Allow(key)
		th.Fail(key)
	}
	if got := th.Allow(key); got != account.MaxDelay {
		t.Errorf("after 116 failures: wait %s, want %s", got, account.MaxDelay)
	}
}

func TestThrottleWaitShrinks(t *testing.T) {
	c := newClock()
	th := newThrottle(c)
	for i := 0; i < 6; i++ {
		th.Fail("addr:10.0.0.9")
	}
	tests := []struct {
		after time.Duration
		want  time.Duration
	}{
		{0, 2 * time.Second},
		{500 * time.Millisecond, 1500 * time.Millisecond},
		{1500 * time.Millisecond, 0},
	}
	for _, tt := range tests {
		c.Add(tt.after)
		if got := th.Allow("addr:10.0.0.9"); got != tt.want {
			t.Errorf("wait %s, want %s", got, tt.want)
		}
	}
	// The attempt let through took the slot: a parallel one waits again.
	if got := th.Allow("addr:10.0.0.9"); got != 2*time.Second {
		t.Errorf("second attempt in the same instant: wait %s, want 2s", got)
	}
	if got := th.Allow("addr:10.0.0.10"); got != 0 {
		t.Errorf("another key: wait %s, want 0", got)
	}
}

func TestThrottleReset(t *testing.T) {
	tests := []struct {
		name  string
		reset func(*account.Throttle, *clock)
	}{
		{"success", func(th *account.Throttle, _ *clock) { th.Succeed("user:anna") }},
		{"a day without failures", func(_ *account.Throttle, c *clock) { c.Add(account.ForgetAfter + time.Second) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			th := newThrottle(c)
			for i := 0; i < 8; i++ {
				th.Fail("user:anna")
			}
			tt.reset(th, c)
			// Five free failures again.
			for i := 0; i < account.FreeFailures-1; i++ {
				th.Fail("user:anna")
			}
			if got := th.Allow("user:anna"); got != 0 {
				t.Errorf("wait %s after reset and 4 failures, want 0", got)
			}
			if got := th.Len(); got != 1 {
				t.Errorf("Len() = %d, want 1", got)
			}
		})
	}
}

// However many keys a client invents, the throttle remembers at most
// MaxKeys, dropping those whose last failure is oldest.
func TestThrottleBounded(t *testing.T) {
	tests := []struct {
		max, want int
	}{
		{100, 100},
		{0, account.DefaultMaxKeys},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.max), func(t *testing.T) {
			c := newClock()
			th := &account.Throttle{Now: c.Now, MaxKeys: tt.max}
			for i := 0; i < account.FreeFailures; i++ {
				th.Fail("user:anna") // the account under attack
			}
			for i := 0; i < 2*tt.want; i++ {
				c.Add(time.Millisecond)
				th.Fail(fmt.Sprintf("addr:10.%d.%d.%d", i>>16, i>>8&255, i&255))
				if i%50 == 0 {
					th.Fail("user:anna") // keeps failing, so it stays
				}
			}
			if got := th.Len(); got != tt.want {
				t.Errorf("Len() = %d, want %d", got, tt.want)
			}
			if got := th.Allow("addr:10.0.0.0"); got != 0 {
				t.Errorf("the oldest key is still throttled (%s), want it forgotten", got)
			}
			if got := th.Allow("user:anna"); got == 0 {
				t.Errorf("the key under attack was forgotten")
			}
		})
	}
}

func TestThrottleConcurrent(t *testing.T) {
	th := &account.Throttle{MaxKeys: 50}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				key := fmt.Sprintf("addr:%d", (g*1000+i)%80)
				th.Allow(key)
				th.Fail(key)
				if i%7 == 0 {
					th.Succeed(key)
				}
			}
		}()
	}
	wg.Wait()
	if got := th.Len(); got > 50 {
		t.Errorf("Len() = %d, want at most 50", got)
	}
}
