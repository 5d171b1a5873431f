package account_test

import (
	"fmt"
	"strings"
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

// failLogin fails n logins on name from ip, each let through first.
func failLogin(t *testing.T, th *account.Throttle, name, ip string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		if wait, by := th.AllowLogin(name, ip); wait != 0 {
			t.Fatalf("%s from %s, attempt %d: wait %s (%s), want 0", name, ip, i+1, wait, by)
		}
		th.FailLogin(name, ip)
	}
}

func wantLogin(t *testing.T, th *account.Throttle, what, name, ip string, wait time.Duration, by account.Brake) {
	t.Helper()
	if gotWait, gotBy := th.AllowLogin(name, ip); gotWait != wait || gotBy != by {
		t.Errorf("%s: AllowLogin(%q, %q) = %s, %q; want %s, %q", what, name, ip, gotWait, gotBy, wait, by)
	}
}

// The pair of account and address is throttled as one key is; other
// addresses on the account and other accounts on the address are not.
func TestThrottleLoginPair(t *testing.T) {
	c := newClock()
	th := newThrottle(c)
	failLogin(t, th, "Kees", "10.0.0.66", account.FreeFailures)
	wantLogin(t, th, "the pair", "Kees", "10.0.0.66", time.Second, account.BrakePair)
	wantLogin(t, th, "the pair, in another case", " KEES ", "10.0.0.66", time.Second, account.BrakePair)
	wantLogin(t, th, "the account from another address", "Kees", "10.0.0.23", 0, "")
	wantLogin(t, th, "another account from the address", "Fatima", "10.0.0.66", 0, "")
	// The simple keys are apart from the login's.
	if wait := th.Allow(account.UserKey("Kees")); wait != 0 {
		t.Errorf("Allow(UserKey) = %s, want 0", wait)
	}
	c.Add(time.Second)
	wantLogin(t, th, "the pair after the wait", "Kees", "10.0.0.66", 0, "")
	wantLogin(t, th, "the pair again at once: the slot was taken", "Kees", "10.0.0.66", time.Second, account.BrakePair)
}

// A success clears the pair and the address, not the pairs of other
// accounts on it.
func TestThrottleLoginSucceed(t *testing.T) {
	c := newClock()
	th := newThrottle(c)
	failLogin(t, th, "Piet", "10.0.0.10", account.FreeFailures)
	failLogin(t, th, "Gast", "10.0.0.10", account.FreeFailures)
	for i := 0; i < account.AddressFreeFailures-2*account.FreeFailures; i++ {
		failLogin(t, th, fmt.Sprint("Naam ", i), "10.0.0.10", 1)
	}
	wantLogin(t, th, "the address at its allowance", "Fatima", "10.0.0.10", time.Second, account.BrakeAddress)
	c.Add(time.Second)
	wantLogin(t, th, "Fatima after the wait", "Fatima", "10.0.0.10", 0, "")
	th.SucceedLogin("Fatima", "10.0.0.10")
	wantLogin(t, th, "the address after Fatima's login", "Anna", "10.0.0.10", 0, "")
	wantLogin(t, th, "Piet's pair after Fatima's login", "Piet", "10.0.0.10", 0, "") // its slot was a second ago
	wantLogin(t, th, "Gast's pair after Fatima's login", "Gast", "10.0.0.10", 0, "")
	wantLogin(t, th, "Gast's pair at once: its failures still count", "Gast", "10.0.0.10", time.Second, account.BrakePair)
	th.SucceedLogin("Piet", "10.0.0.10")
	failLogin(t, th, "Piet", "10.0.0.10", account.FreeFailures) // five free again
	for i := 0; i < account.AddressFreeFailures-account.FreeFailures-1; i++ {
		failLogin(t, th, fmt.Sprint("Ander ", i), "10.0.0.10", 1)
	}
	wantLogin(t, th, "the address one short of its allowance", "Bram", "10.0.0.10", 0, "")
}

// Under attack from many addresses, an account brakes every address that
// has failed on it, and none that has not.
func TestThrottleLoginAccount(t *testing.T) {
	c := newClock()
	th := newThrottle(c)
	// Kees typed a wrong password once from his phone this morning.
	failLogin(t, th, "Kees", "10.0.1.23", 1)
	// Then addresses guess four times each (none reaching its pair's
	// allowance), 99 failures in all; the 100th starts the brake.
	for i := 0; i < (account.AccountFreeFailures-1)/4; i++ {
		failLogin(t, th, "Kees", fmt.Sprint("10.0.2.", i), 4)
	}
	failLogin(t, th, "Kees", "10.0.2.99", 2)
	wantLogin(t, th, "the account at 99 failures", "Kees", "10.0.2.7", 0, "")
	failLogin(t, th, "Kees", "10.0.2.98", 1)
	wantLogin(t, th, "an attacking address", "Kees", "10.0.2.7", time.Second, account.BrakeAccount)
	wantLogin(t, th, "Kees's phone, which failed once", "Kees", "10.0.1.23", time.Second, account.BrakeAccount)
	wantLogin(t, th, "Kees from a clean address", "Kees", "10.0.1.24", 0, "")
	wantLogin(t, th, "another account from an attacking address", "Fatima", "10.0.2.7", 0, "")
	// Ten more failures, and the brake is at its cap.
	c.Add(time.Hour)
	for i := 0; i < 10; i++ {
		failLogin(t, th, "Kees", fmt.Sprint("10.0.3.", i), 1)
	}
	wantLogin(t, th, "an attacking address at the cap", "Kees", "10.0.3.0", account.MaxDelay, account.BrakeAccount)
	wantLogin(t, th, "Kees from a clean address at the cap", "Kees", "10.0.1.24", 0, "")
	// Kees's phone waits from its own last attempt, an hour ago: never
	// longer than MaxDelay after his typo.
	wantLogin(t, th, "Kees's phone, an hour after its typo", "Kees", "10.0.1.23", 0, "")
	// A day after the first failure the count starts again; the pairs
	// keep their own (ForgetAfter counts from their last failure).
	c.Add(account.BrakeWindow - time.Hour)
	failLogin(t, th, "Kees", "10.0.4.1", 1)
	wantLogin(t, th, "an address that failed once, in the new window", "Kees", "10.0.4.1", 0, "")
}

// Under attack on many accounts, all logins brake every address that
// has failed, and none that has not.
func TestThrottleLoginAll(t *testing.T) {
	c := newClock()
	th := &account.Throttle{Now: c.Now, MaxKeys: 10 * account.AllFreeFailures}
	// A thousand addresses guess once each on a hundred accounts, so
	// that no pair, address or account brakes on its own.
	for i := 0; i < account.AllFreeFailures; i++ {
		failLogin(t, th, fmt.Sprint("Naam ", i%100), fmt.Sprintf("10.1.%d.%d", i/250, i%250), 1)
	}
	wantLogin(t, th, "an address that failed", "Iemand", "10.1.0.0", time.Second, account.BrakeAll)
	wantLogin(t, th, "a clean address", "Naam 0", "10.2.0.1", 0, "")
	th.SucceedLogin("Naam 5", "10.1.0.5")
	wantLogin(t, th, "a failed address after a login there", "Iemand", "10.1.0.5", 0, "")
}

// Names longer than any account's share counters, so that long names
// cannot fill memory with long keys.
func TestThrottleLoginLongNames(t *testing.T) {
	c := newClock()
	th := newThrottle(c)
	long := strings.Repeat("x", 10*account.MaxName)
	for i := 0; i < account.FreeFailures; i++ {
		failLogin(t, th, long+fmt.Sprint(i), "10.0.0.1", 1)
	}
	wantLogin(t, th, "a long name", long, "10.0.0.1", time.Second, account.BrakePair)
	wantLogin(t, th, "a real name", strings.Repeat("x", account.MaxName), "10.0.0.1", 0, "")
}

// The login's keys are bounded with the rest, and the counters of an
// address under attack stay.
func TestThrottleLoginBounded(t *testing.T) {
	c := newClock()
	th := &account.Throttle{Now: c.Now, MaxKeys: 100}
	failLogin(t, th, "Kees", "10.0.0.66", account.FreeFailures)
	for i := 0; i < 1000; i++ {
		c.Add(time.Millisecond)
		th.FailLogin(fmt.Sprint("Naam ", i), fmt.Sprint("10.9.", i/250, ".", i%250))
		if i%10 == 0 {
			th.FailLogin("Kees", "10.0.0.66") // keeps failing, so it stays
		}
	}
	if got := th.Len(); got != 100 {
		t.Errorf("Len() = %d, want 100", got)
	}
	if wait, _ := th.AllowLogin("Kees", "10.0.0.66"); wait == 0 {
		t.Errorf("the pair under attack was forgotten")
	}
}

// A zero Throttle works for logins, from many goroutines.
func TestThrottleLoginConcurrent(t *testing.T) {
	var th account.Throttle
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				name, ip := fmt.Sprint("Naam ", i%7), fmt.Sprint("10.0.0.", (g+i)%5)
				th.AllowLogin(name, ip)
				th.FailLogin(name, ip)
				if i%11 == 0 {
					th.SucceedLogin(name, ip)
				}
			}
		}()
	}
	wg.Wait()
	if got := th.Len(); got == 0 || got > account.DefaultMaxKeys {
		t.Errorf("Len() = %d", got)
	}
}
