// Package subscription keeps the programme in step with a calendar the
// house already keeps elsewhere (Google, Outlook, Nextcloud): staff give
// the address of its ICS feed and how often to look, and a Refresher
// fetches it and applies it as an owned import, so an event dropped from
// the feed disappears from the programme too.
//
//	r := &subscription.Refresher{Store: subs, Fetch: client.Fetch, Now: time.Now, Log: log}
//	go r.Run(ctx)         // looks each minute which subscriptions are due
//	err := r.Refresh(ctx, id) // "Nu bijwerken"
//
// A refresh that fails in any way (the network, the server's answer, a
// file that is no calendar, an import the programme refuses) changes
// nothing in the programme: the kiosk keeps the last good programme, and
// the subscription records the time and the reason, which staff read in
// plain Dutch. It is plain Go: the store (internal/sqlite) and the fetch
// (internal/feed) are given to it.
package subscription

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"buurtbalie/internal/calendar"
)

// The bounds of how often a feed is fetched: often enough to follow a
// change the same morning, rarely enough not to bother the calendar's
// server, and at least once a day.
const (
	MinInterval     = 15 * time.Minute
	MaxInterval     = 24 * time.Hour
	DefaultInterval = time.Hour
	MaxURL          = 2000 // characters
)

// ErrInvalid is what an *InvalidError matches with errors.Is.
var ErrInvalid = errors.New("invalid subscription")

// InvalidError says what is wrong with a subscription staff want to add.
// Reason is a stable key for translation ("web.subscriptions.invalid." +
// Reason in the catalogue); Detail is English for logs.
type InvalidError struct {
	Reason string // e.g. "url_scheme"
	Detail string
}

func (e *InvalidError) Error() string { return "subscription: " + e.Detail }

// Is makes errors.Is(err, ErrInvalid) true.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

func invalid(reason, format string, args ...any) error {
	return &InvalidError{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// Subscription is a calendar feed the programme follows.
type Subscription struct {
	ID       int64
	URL      string
	Interval time.Duration
	AddedAt  time.Time
	AddedBy  string
	// LastTry is when the feed was last fetched, whatever came of it;
	// LastOK when that last succeeded (zero if never). Report is what
	// the last good refresh did.
	LastTry, LastOK time.Time
	Report          calendar.Report
	// Failure is why the last try failed; nil when it succeeded or
	// there was none yet.
	Failure *Failure
}

// Failed reports whether the last try failed: the programme then holds
// what the feed said at LastOK.
func (s Subscription) Failed() bool { return s.Failure != nil }

// Due reports whether the feed should be fetched at now: never tried, or
// tried an interval ago. A failing feed is retried at the same pace, so
// an address that stays wrong is not hammered.
func (s Subscription) Due(now time.Time) bool {
	return s.LastTry.IsZero() || !now.Before(s.LastTry.Add(s.Interval))
}

// Owner is the start of the source key of every activity the
// subscription put on the programme: "sub:3:" then the event's
// "ics:" + UID.
func Owner(id int64) string { return fmt.Sprintf("sub:%d:", id) }

// Failure is why a refresh failed. Reason is a stable key for
// translation: one of the fetch reasons below, or "import." + a reason of
// calendar.ErrorReason for a file the import refused. Detail is English,
// for logs and staff who want to know more.
type Failure struct {
	Reason string
	Detail string
	// Cause is what really went wrong, for the administrator's log
	// only: it is neither recorded nor shown to staff. A fetch that
	// reaches no server keeps its cause ("connection refused", "no
	// such host") here, as staff must not learn from it which ports of
	// the house network are open.
	Cause string
}

func (f *Failure) Error() string { return f.Detail }

// The reasons of a failed fetch.
const (
	// ReasonUnreachable is every failure to get an answer from a
	// server: an address the kiosk does not fetch from (itself,
	// loopback, link-local), no such host, a refused connection, no
	// answer in time, a TLS error. They are one reason with one Detail
	// on purpose: see Unreachable.
	ReasonUnreachable = "unreachable"
	// ReasonNetwork is what a failure to connect was recorded as
	// before ReasonUnreachable, with the cause in its Detail; a
	// subscription may still have one until its next try. Staff read
	// it as ReasonUnreachable.
	ReasonNetwork = "network"
	ReasonTimeout = "timeout" // an answer that did not end in time
	ReasonStatus  = "status"  // an HTTP status other than 200
	ReasonTooBig  = "too_big" // more than the fetch takes
	ReasonRefused = "refused" // the programme refused the import
	ReasonEmpty   = "empty"   // a feed that had events has none
	ReasonOther   = "other"   // anything else
	importPrefix  = "import." // before a calendar.ErrorReason
)

// FetchReasons are the reasons a fetch may fail with, for the catalogue.
var FetchReasons = []string{ReasonUnreachable, ReasonNetwork, ReasonTimeout, ReasonStatus, ReasonTooBig, ReasonEmpty, ReasonOther}

// UnreachableDetail is the Detail of every ReasonUnreachable failure.
const UnreachableDetail = "the calendar's server cannot be reached"

// Unreachable is the failure of a fetch that got no answer from a
// server, whatever the cause: the same reason and Detail for an address
// refused before connecting as for a closed port, a port nobody answers
// on, a name that does not resolve or a certificate that is wrong, so
// that subscribing cannot be used to find out what listens where in the
// house network. cause goes to the log only (Failure.Cause).
func Unreachable(cause string) *Failure {
	return &Failure{Reason: ReasonUnreachable, Detail: UnreachableDetail, Cause: cause}
}

// failureOf turns what went wrong into a Failure: a fetch's own (a
// *Failure) as it is, a file that is no calendar by its calendar reason.
func failureOf(err error) *Failure {
	var f *Failure
	if errors.As(err, &f) {
		return f
	}
	var pe *calendar.ParseError
	if errors.As(err, &pe) || errors.Is(err, calendar.ErrTooLarge) || errors.Is(err, calendar.ErrUnknownFormat) {
		return &Failure{Reason: importPrefix + calendar.ErrorReason(err), Detail: err.Error()}
	}
	return &Failure{Reason: ReasonOther, Detail: err.Error()}
}

// CheckURL reads the address staff typed and returns it as it is stored:
// http or https with a host. A webcal:// address, which calendar apps
// hand out for subscribing, is its https:// one.
func CheckURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", invalid("url_required", "give the address of the calendar")
	}
	if len(raw) > MaxURL {
		return "", invalid("url_too_long", "the address is longer than %d characters", MaxURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", invalid("url_format", "the address cannot be read: %v", err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		u.Scheme = strings.ToLower(u.Scheme)
	case "webcal", "webcals":
		u.Scheme = "https"
	case "":
		return "", invalid("url_scheme", "the address must start with https:// or http://")
	default:
		return "", invalid("url_scheme", "the address starts with %s:, not https:// or http://", u.Scheme)
	}
	if u.Hostname() == "" {
		return "", invalid("url_host", "the address names no server")
	}
	u.Host = strings.ToLower(u.Host)
	u.Fragment = ""
	return u.String(), nil
}

// CheckInterval checks how often a feed is to be fetched.
func CheckInterval(d time.Duration) error {
	if d < MinInterval || d > MaxInterval {
		return invalid("interval_out_of_range", "fetch every %v to %v, not every %v", MinInterval, MaxInterval, d)
	}
	return nil
}

// Redact is the address without what may be secret, for logs and the
// audit log: no user name or password, no query (where a calendar's
// private token often is).
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(an address that cannot be read)"
	}
	r := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	s := r.String()
	if u.RawQuery != "" {
		s += "?…"
	}
	return s
}

// Shown is the address as staff see it on their page: the password, if
// any, masked.
func Shown(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return Redact(raw)
	}
	return u.Redacted()
}
