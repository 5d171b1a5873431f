package account

import (
	"container/list"
	"sync"
	"time"
)

// The throttle's rules. Five failures go free, so a volunteer who
// mistypes on a phone is not held up; after that each attempt waits
// twice as long as the one before: 1 s, 2 s, 4 s … up to 15 minutes,
// under a hundred guesses a day for someone who keeps trying.
const (
	FreeFailures = 5
	FirstDelay   = time.Second
	MaxDelay     = 15 * time.Minute
	// ForgetAfter is how long a key's failures are remembered after the
	// last one. A day, rather than MaxDelay, so that a guesser who pauses
	// does not get five free guesses again every quarter of an hour.
	ForgetAfter = 24 * time.Hour
	// DefaultMaxKeys bounds the keys a Throttle remembers; a key takes
	// about a hundred bytes, so memory stays around a megabyte whatever
	// a client sends.
	DefaultMaxKeys = 10000
)

// Throttle slows down password guessing. It counts failed logins per key
// (UserKey for the account, AddrKey for the client's address) and, after
// FreeFailures of them, makes every further attempt on that key wait a
// growing delay. It lives in memory, so a restart forgets it; it is safe
// for concurrent use, and its zero value is ready to use.
//
// When it is full it forgets the key whose last failure is oldest: a key
// under attack keeps failing and stays.
type Throttle struct {
	// Now returns the current time; tests replace it. Nil means
	// time.Now.
	Now func() time.Time
	// MaxKeys is the most keys remembered; 0 means DefaultMaxKeys.
	MaxKeys int

	mu      sync.Mutex
	entries map[string]*list.Element // values are *throttleEntry
	order   list.List                // oldest last failure first
}

// NewThrottle returns an empty throttle on the wall clock, the same as a
// zero Throttle.
func NewThrottle() *Throttle { return &Throttle{} }

type throttleEntry struct {
	key   string
	fails int
	last  time.Time // of the last failure, or of the attempt let through
}

func (t *Throttle) now() time.Time {
	if t.Now == nil {
		return time.Now()
	}
	return t.Now()
}

// delay is how long after the last failure the next attempt must wait,
// with fails failures so far.
func delay(fails int) time.Duration {
	n := fails - FreeFailures
	switch {
	case n < 0:
		return 0
	case n >= 20: // beyond any cap, and before the shift overflows
		return MaxDelay
	}
	return min(FirstDelay<<n, MaxDelay)
}

// Allow returns how long an attempt on key must still wait; 0 means go
// ahead. Call it right before the attempt, then Fail or Succeed: once
// delays apply, an attempt let through takes the slot, so parallel
// attempts wait a full delay again instead of slipping through together.
func (t *Throttle) Allow(key string) (wait time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.expire(now)
	el, ok := t.entries[key]
	if !ok {
		return 0
	}
	e := el.Value.(*throttleEntry)
	if e.fails < FreeFailures {
		return 0
	}
	if wait := e.last.Add(delay(e.fails)).Sub(now); wait > 0 {
		return wait
	}
	e.last = now
	t.order.MoveToBack(el)
	return 0
}

// Fail records a failed attempt on key.
func (t *Throttle) Fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.expire(now)
	if el, ok := t.entries[key]; ok {
		e := el.Value.(*throttleEntry)
		e.fails++
		e.last = now
		t.order.MoveToBack(el)
		return
	}
	if t.entries == nil {
		t.entries = make(map[string]*list.Element)
	}
	limit := t.MaxKeys
	if limit <= 0 {
		limit = DefaultMaxKeys
	}
	for len(t.entries) >= limit {
		t.remove(t.order.Front())
	}
	t.entries[key] = t.order.PushBack(&throttleEntry{key: key, fails: 1, last: now})
}

// Succeed forgets key's failures, after a successful login. Call it for
// the account's key; for the address's key only if one person's login
// may clear the way for guesses from the same address.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if el, ok := t.entries[key]; ok {
		t.remove(el)
	}
}

// Len returns how many keys the throttle remembers.
func (t *Throttle) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}

// expire forgets keys whose last failure is more than ForgetAfter ago.
func (t *Throttle) expire(now time.Time) {
	for el := t.order.Front(); el != nil; el = t.order.Front() {
		if now.Sub(el.Value.(*throttleEntry).last) <= ForgetAfter {
			return
		}
		t.remove(el)
	}
}

func (t *Throttle) remove(el *list.Element) {
	delete(t.entries, el.Value.(*throttleEntry).key)
	t.order.Remove(el)
}
