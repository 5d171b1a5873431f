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
package retention

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
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
	// QuestionAfter is how long any question is kept at all, open or
	// closed, counted from when it was asked; its history goes with it.
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
