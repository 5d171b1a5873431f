package account

import (
	"container/list"
	"sync"
	"time"
	"unicode/utf8"
)

// The throttle's rules for one key (Allow, Fail, Succeed), and for the
// pair of one account and one address at login. Five failures go free,
// so a volunteer who mistypes on a phone is not held up; after that each
// attempt waits twice as long as the one before: 1 s, 2 s, 4 s … up to
// 15 minutes, under a hundred guesses a day for someone who keeps trying.
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

// The login throttle's coarser brakes (AllowLogin), besides the pair's
// FreeFailures. Each lets its failures go free and then delays as the
// pair does (1 s, doubling, up to MaxDelay).
const (
	// AddressFreeFailures is the failures one address may make on any
	// accounts together before its attempts wait. Twenty, four times
	// the pair's five: the office PC is shared, and a morning of
	// volunteers' typos there must not hold the next one up (a
	// successful login clears it anyway). It stops one address
	// spraying a password or two over every account, which the pair's
	// counters alone would let through five at a time.
	AddressFreeFailures = 20
	// AccountFreeFailures is the failures on one account, from all
	// addresses together within BrakeWindow, before the account counts
	// as under attack. A hundred: twenty times anyone's worst day at
	// the keyboard, so only guessing from many addresses reaches it.
	// Then every address that has itself failed on the account waits
	// before each attempt there, as long as the account's failures
	// beyond the hundred say (from 1 s up to MaxDelay), counted from
	// its own last attempt. An address that has not failed on the
	// account is never held up by it: the owner, typing the right
	// password on their own phone, gets in however hard the account is
	// attacked from elsewhere. A success does not clear this count, or
	// the owner's daily login would switch the brake off for the
	// guessers.
	AccountFreeFailures = 100
	// AllFreeFailures is the failures of all logins together within
	// BrakeWindow before the whole house counts as under attack. A
	// thousand: a house of a few dozen volunteers makes a few dozen
	// typos on a bad day, and ten accounts' worth of AccountFreeFailures
	// is already an attack on many accounts at once. Then every address
	// that has failed (on any account, since its last successful login)
	// waits before each attempt, as long as the failures beyond the
	// thousand say, counted from its own last attempt. Addresses that
	// have not failed are not held up, for the same reason.
	AllFreeFailures = 1000
	// BrakeWindow is how long the account's and the house's failures
	// are counted: from the first one, a day, after which the count
	// starts again. A fixed window rather than ForgetAfter, so that a
	// volunteer's one typo a day does not keep the count growing for
	// months until it brakes.
	BrakeWindow = 24 * time.Hour
)

// A Brake is one of the login throttle's counters; AllowLogin says which
// one held an attempt back, for the audit log.
type Brake string

// The brakes, from the finest to the coarsest.
const (
	BrakePair    Brake = "account on address" // FreeFailures
	BrakeAddress Brake = "address"            // AddressFreeFailures
	BrakeAccount Brake = "account"            // AccountFreeFailures
	BrakeAll     Brake = "all logins"         // AllFreeFailures
)

// Throttle slows down password guessing. It counts failed attempts per
// key and, after FreeFailures of them, makes every further attempt on
// that key wait a growing delay. It lives in memory, so a restart
// forgets it; it is safe for concurrent use, and its zero value is ready
// to use.
//
// Logins use AllowLogin, FailLogin and SucceedLogin, which throttle the
// pair of an account and an address, with coarser brakes per address,
// per account and for all logins together (AddressFreeFailures and
// below): one address guessing an account's password slows down that
// address on that account, not the account's owner elsewhere. Other
// guessing (the slip codes) uses Allow, Fail and Succeed with a key of
// its own.
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
	// windowed entries count failures from since for BrakeWindow, and
	// then start again.
	windowed bool
	since    time.Time
}

// count returns the failures that count now.
func (e *throttleEntry) count(now time.Time) int {
	if e == nil || e.windowed && now.Sub(e.since) >= BrakeWindow {
		return 0
	}
	return e.fails
}

func (t *Throttle) now() time.Time {
	if t.Now == nil {
		return time.Now()
	}
	return t.Now()
}

// delay is how long after the last failure the next attempt must wait,
// with fails failures so far of which free go free.
func delay(fails, free int) time.Duration {
	n := fails - free
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
	e := t.entry(key)
	if e == nil || e.fails < FreeFailures {
		return 0
	}
	if wait := e.last.Add(delay(e.fails, FreeFailures)).Sub(now); wait > 0 {
		return wait
	}
	t.touch(e, now)
	return 0
}

// Fail records a failed attempt on key.
func (t *Throttle) Fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.expire(now)
	t.fail(key, false, now)
}

// Succeed forgets key's failures, after a successful attempt.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.forget(key)
}

// loginKeys are the keys of a login on the account name from the
// address ip. They are apart from the keys callers give Allow. A name
// longer than any account's is cut, so that a client sending long names
// cannot fill memory; such names share counters, which is harmless, as
// none can log in.
func loginKeys(name, ip string) (pair, addr, user string) {
	if utf8.RuneCountInString(name) > MaxName+1 {
		name = Cut(name, MaxName+1)
	}
	user, addr = "login:"+UserKey(name), "login:"+AddrKey(ip)
	// The address first: it holds no NUL, so no two pairs share a key.
	return addr + "\x00" + user, addr, user
}

const allKey = "login:all"

// Cut returns s cut to at most n characters (runes), as names and audit
// details are kept.
func Cut(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// AllowLogin returns how long a login on the account name (as typed)
// from the address ip must still wait, and which brake holds it back; 0
// means go ahead. Call it right before checking the password, then
// FailLogin or SucceedLogin. The waits, the longest of which counts:
//
//   - the pair of account and address, after FreeFailures;
//   - the address, after AddressFreeFailures on any accounts;
//   - the account, after AccountFreeFailures from all addresses, but only
//     for an address that has itself failed on the account;
//   - all logins, after AllFreeFailures, but only for an address that has
//     failed.
//
// So an address that has not failed always goes ahead. As with Allow,
// an attempt let through while delays apply takes the slot.
func (t *Throttle) AllowLogin(name, ip string) (wait time.Duration, by Brake) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.expire(now)
	pairKey, addrKey, userKey := loginKeys(name, ip)
	pair, addr := t.entry(pairKey), t.entry(addrKey)
	pairFails, addrFails := pair.count(now), addr.count(now)
	type rule struct {
		brake       Brake
		anchor      *throttleEntry // whose last attempt the wait counts from
		fails, free int
	}
	rules := []rule{
		{BrakePair, pair, pairFails, FreeFailures},
		{BrakeAddress, addr, addrFails, AddressFreeFailures},
	}
	if pairFails > 0 {
		rules = append(rules, rule{BrakeAccount, pair, t.entry(userKey).count(now), AccountFreeFailures})
	}
	if addrFails > 0 {
		rules = append(rules, rule{BrakeAll, addr, t.entry(allKey).count(now), AllFreeFailures})
	}
	var active []*throttleEntry
	for _, r := range rules {
		if r.anchor == nil || r.fails < r.free {
			continue
		}
		active = append(active, r.anchor)
		if w := r.anchor.last.Add(delay(r.fails, r.free)).Sub(now); w > wait {
			wait, by = w, r.brake
		}
	}
	if wait > 0 {
		return wait, by
	}
	for _, e := range active {
		t.touch(e, now)
	}
	return 0, ""
}

// FailLogin records a failed login on the account name from the address
// ip, on all four counters.
func (t *Throttle) FailLogin(name, ip string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.expire(now)
	pairKey, addrKey, userKey := loginKeys(name, ip)
	t.fail(pairKey, false, now)
	t.fail(addrKey, false, now)
	t.fail(userKey, true, now)
	t.fail(allKey, true, now)
}

// SucceedLogin forgets the failures of the address ip and of the account
// name on it, after a successful login. The address's too: the office
// PC's typos for one volunteer must not hold up the next, and a guesser
// there who clears them by logging in still finds the accounts he
// guessed at braked by their pairs. The account's and all logins'
// counts stay (see AccountFreeFailures).
func (t *Throttle) SucceedLogin(name, ip string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	pairKey, addrKey, _ := loginKeys(name, ip)
	t.forget(pairKey)
	t.forget(addrKey)
}

// Len returns how many keys the throttle remembers.
func (t *Throttle) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.entries)
}

// entry returns key's entry, or nil.
func (t *Throttle) entry(key string) *throttleEntry {
	if el, ok := t.entries[key]; ok {
		return el.Value.(*throttleEntry)
	}
	return nil
}

// touch marks e as used now: an attempt let through takes the slot, and
// keeps the key remembered.
func (t *Throttle) touch(e *throttleEntry, now time.Time) {
	e.last = now
	t.order.MoveToBack(t.entries[e.key])
}

// fail records a failure on key, making room for it if need be.
func (t *Throttle) fail(key string, windowed bool, now time.Time) {
	if e := t.entry(key); e != nil {
		if e.count(now) == 0 {
			e.fails, e.since = 0, now
		}
		e.fails++
		t.touch(e, now)
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
	e := &throttleEntry{key: key, fails: 1, last: now, windowed: windowed, since: now}
	t.entries[key] = t.order.PushBack(e)
}

func (t *Throttle) forget(key string) {
	if el, ok := t.entries[key]; ok {
		t.remove(el)
	}
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
