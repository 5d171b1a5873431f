// Package retention says how long Buurtbalie keeps what visitors and
// volunteers wrote: the house stores the minimum and purges by policy.
// It holds only the rules; internal/sqlite applies them.
//
// The defaults, and a policy read from settings:
//
//	p := retention.Default() // text 30 days, questions 365 days, audit 2 years
//	p.TextAfter, err = retention.ParseDuration("14d")
//	if err != nil {
//		return err
//	}
//	if err := p.Validate(); err != nil {
//		return err
//	}
//	c := p.Cutoffs(time.Now()) // what is older than c.Text, c.Question, c.Audit goes
//
// The purge believes the clock only when it is near what the database
// last saw, since a clock years ahead makes everything look old:
//
//	if err := retention.CheckClock(now, retention.Seen{Newest: newest, LastRun: lastPurge}); err != nil {
//		return err // errors.Is(err, retention.ErrClock); nothing is purged
//	}
package retention

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"buurtbalie/internal/clock"
)

// Day is 24 hours: retention is counted in days, and a day more or less
// around a change of summer time does not matter.
const Day = 24 * time.Hour

// The defaults, as the house's privacy statement promises them.
const (
	DefaultTextAfter     = 30 * Day
	DefaultQuestionAfter = 365 * Day
	DefaultAuditAfter    = 2 * 365 * Day
)

// Policy is how long things are kept.
type Policy struct {
	// TextAfter is how long a closed question keeps what was written:
	// the visitor's text, the message for the visitor, the outcome and
	// the volunteers' notes. It counts from when the question was last
	// worked on (closed, or a note written after closing), not from
	// views. The row stays, without text, for the counts the
	// municipality asks for.
	TextAfter time.Duration
	// QuestionAfter is how long a closed question is kept at all,
	// counted from when it was asked; its history goes with it. An open
	// question is never deleted for its age alone: a volunteer may still
	// be following it up, and were the clock wrong every one of them
	// would look old. Staff close what is done.
	QuestionAfter time.Duration
	// AuditAfter is how long entries of the audit log are kept.
	AuditAfter time.Duration
}

// Default returns the default policy: text after 30 days, questions after
// 365 days, audit entries after 2 years.
func Default() Policy {
	return Policy{TextAfter: DefaultTextAfter, QuestionAfter: DefaultQuestionAfter, AuditAfter: DefaultAuditAfter}
}

// ErrInvalid is matched by every error Validate returns.
var ErrInvalid = errors.New("invalid retention policy")

// Error is a policy rule that is out of bounds. Field names the rule
// ("TextAfter", "QuestionAfter" or "AuditAfter") so that a caller can
// point to its own name for it, such as a flag.
type Error struct {
	Field  string
	Value  time.Duration
	Reason string // what is wrong and what to choose instead
}

func (e *Error) Error() string {
	return fmt.Sprintf("retention %s %s: %s", e.Field, FormatDuration(e.Value), e.Reason)
}

// Unwrap returns ErrInvalid.
func (e *Error) Unwrap() error { return ErrInvalid }

// MinAge is the shortest anything may be kept: a shorter time is almost
// certainly a slip of the keyboard ("1m" for a month is a minute) that
// would wipe questions volunteers are still following up.
const MinAge = Day

// Validate reports the first rule that is out of bounds as an *Error.
func (p Policy) Validate() error {
	for _, f := range []struct {
		name string
		v    time.Duration
	}{{"TextAfter", p.TextAfter}, {"QuestionAfter", p.QuestionAfter}, {"AuditAfter", p.AuditAfter}} {
		if f.v < MinAge {
			return &Error{Field: f.name, Value: f.v, Reason: "is less than a day; give days, like 30d"}
		}
	}
	if p.TextAfter > p.QuestionAfter {
		return &Error{Field: "TextAfter", Value: p.TextAfter,
			Reason: fmt.Sprintf("is longer than questions are kept (%s); keep the text no longer than the question", FormatDuration(p.QuestionAfter))}
	}
	return nil
}

// Cutoffs are the moments before which things go.
type Cutoffs struct {
	Text     time.Time // a closed question last worked on before this loses its text
	Question time.Time // a question asked before this is deleted
	Audit    time.Time // an audit entry written before this is deleted
}

// Cutoffs returns the cutoffs of p at now.
func (p Policy) Cutoffs(now time.Time) Cutoffs {
	return Cutoffs{Text: now.Add(-p.TextAfter), Question: now.Add(-p.QuestionAfter), Audit: now.Add(-p.AuditAfter)}
}

// ParseDuration reads a retention time: whole days as "30d", or a Go
// duration such as "720h". Negative times are refused.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 100*366 {
			return 0, fmt.Errorf("%q is not a number of days like 30d", s)
		}
		return time.Duration(n) * Day, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a time like 30d (days) or 720h", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("%q is negative; give days, like 30d", s)
	}
	return d, nil
}

// FormatDuration writes d as ParseDuration reads it: whole days as "30d",
// anything else as a Go duration.
func FormatDuration(d time.Duration) string {
	if d > 0 && d%Day == 0 {
		return strconv.FormatInt(int64(d/Day), 10) + "d"
	}
	return d.String()
}

// MaxGap is how far the clock may be past what the database last saw
// (Seen) before a purge stops believing it.
//
// A purge runs every night and the kiosk writes every day it is open, so
// in a house that is open the gap is a day. Sixty days covers a summer
// closure (six weeks) with the PC switched off, and a little more. A
// wrong clock is mostly wrong by years (a flat battery, a bad time
// server, 2028 and 2099 in an audit), which this catches; a jump of less
// than sixty days goes through, and then costs at most that: a closed
// question loses its text, or goes, up to sixty days early, and an open
// one never goes. A house whose PC really was off for longer tells the
// purge so once (buurtbalie purge --trust-clock), and the nights after
// count from that run.
const MaxGap = 60 * Day

// Seen is what a database last saw, which a purge checks the clock
// against.
type Seen struct {
	// Newest is the newest moment written in the database: a question
	// asked, a note, an audit entry, a login, a programme change, a
	// purge. Zero for a database with none.
	Newest time.Time
	// LastRun is when the last purge ran, zero if none did. Only purges
	// write it, so unlike Newest it is not moved by a day of questions
	// stamped by a clock that is already wrong.
	LastRun time.Time
}

// ErrClock is matched by every error CheckClock returns.
var ErrClock = errors.New("clock not believed for a purge")

// ClockError is a clock too far past what the database last saw.
type ClockError struct {
	Now     time.Time // what the clock says
	Since   time.Time // what it is compared with
	LastRun bool      // Since is the last purge; else the newest entry
}

func (e *ClockError) Error() string {
	return fmt.Sprintf("the clock says %s, %d days after %s (%s); more than %d days is more likely a wrong clock than a house where nothing happened",
		e.Now.UTC().Format(time.RFC3339), e.Days(), e.What(), e.Since.UTC().Format(time.RFC3339), int(MaxGap/Day))
}

// What names what the clock was compared with.
func (e *ClockError) What() string {
	if e.LastRun {
		return "the last purge"
	}
	return "the newest entry in the database"
}

// Days is how many whole days the clock is past Since.
func (e *ClockError) Days() int { return int(e.Now.Sub(e.Since) / Day) }

// Unwrap returns ErrClock.
func (e *ClockError) Unwrap() error { return ErrClock }

// CheckClock returns nil when a purge may believe now: a plausible time
// (package clock) no more than MaxGap past what the database last saw.
// Otherwise its error matches ErrClock, and it is a *ClockError or, for
// a time clock.Check refuses, also matches clock.ErrImplausible. A clock
// behind what was seen is believed: purging as if it were earlier only
// keeps things longer.
func CheckClock(now time.Time, seen Seen) error {
	if err := clock.Check(now); err != nil {
		return fmt.Errorf("%w: %w", ErrClock, err)
	}
	for _, since := range []struct {
		t       time.Time
		lastRun bool
	}{{seen.LastRun, true}, {seen.Newest, false}} {
		if !since.t.IsZero() && now.Sub(since.t) > MaxGap {
			return &ClockError{Now: now, Since: since.t, LastRun: since.lastRun}
		}
	}
	return nil
}
