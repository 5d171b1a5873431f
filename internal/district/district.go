// Package district holds the rules that the houses of a district and
// their district server share: what a house sends up (events, in
// batches), how a house proves who it is (a secret key per house and a
// signature over each request), and how a house joins (a one-time
// enrolment code). It is plain Go: the kiosk's SQLite outbox, the
// district's PostgreSQL store and the HTTP between them live elsewhere.
//
// What travels up are the house's anonymous figures, as the changes the
// house itself counted: one event per count or step time, each with an
// id drawn from crypto/rand when the change was made, so that the district
// can take a batch twice, or batches out of order, and count each change
// once (the district's figures are then exactly the sum of the houses').
// No event holds a question, token, code, free text or a time finer than
// the figures' own (a day, or an hour for screen use).
package district

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"buurtbalie/internal/figures"
	"buurtbalie/internal/programme"
)

// The kinds of events a house sends.
const (
	// KindCount adds N to a day's count of a measure's key.
	KindCount = "count"
	// KindDuration is one follow-up step's time, in minutes, on a day.
	KindDuration = "duration"
	// KindScreen adds N to how often a kiosk screen opened in an hour.
	KindScreen = "screen"
)

// MaxBatch is how many events one request may carry: a day of a busy
// house is a few hundred, a week's backlog goes in a few batches.
const MaxBatch = 1000

// Event is one change a house counted, as it travels to the district.
type Event struct {
	ID      string `json:"id"`             // 32 hex digits from crypto/rand
	Kind    string `json:"kind"`           // KindCount, KindDuration or KindScreen
	Day     string `json:"day,omitempty"`  // YYYY-MM-DD, house-local, for counts and durations
	Hour    string `json:"hour,omitempty"` // figures.Hour, for screen use
	Measure string `json:"measure,omitempty"`
	Key     string `json:"key"`         // a topic, language, partner, outcome or screen
	N       int    `json:"n,omitempty"` // for counts and screen use
	Minutes int    `json:"minutes"`     // for durations
}

// NewEventID returns a fresh event id.
func NewEventID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return hex.EncodeToString(b[:])
}

var (
	eventIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)
	measures       = map[string]bool{
		figures.MeasureQuestions: true, figures.MeasureLanguage: true, figures.MeasureTopicLanguage: true,
		figures.MeasureFollowUp: true, figures.MeasureNoText: true, figures.MeasureNoSlip: true,
		figures.MeasureOutcome: true, figures.MeasureLate: true,
	}
	durationMeasures = map[string]bool{
		figures.MeasureContact: true, figures.MeasureClosed: true, figures.MeasureReferral: true,
	}
)

// maxKey is the longest key an event may have: a partner's name is the
// longest there is.
const maxKey = 200

// Check says what is wrong with e, if anything.
func (e Event) Check() error {
	if !eventIDPattern.MatchString(e.ID) {
		return fmt.Errorf("event id %q: want 32 lowercase hex digits", e.ID)
	}
	if e.Key == "" || len(e.Key) > maxKey || strings.ContainsAny(e.Key, "\x00\r\n") {
		return fmt.Errorf("event %s: key must be 1 to %d characters on one line", e.ID, maxKey)
	}
	switch e.Kind {
	case KindCount, KindDuration:
		if _, err := programme.ParseDate(e.Day); err != nil {
			return fmt.Errorf("event %s: day %q: want YYYY-MM-DD", e.ID, e.Day)
		}
		if e.Kind == KindCount && (!measures[e.Measure] || e.N < 1) {
			return fmt.Errorf("event %s: a count needs a known measure and n ≥ 1", e.ID)
		}
		if e.Kind == KindDuration && (!durationMeasures[e.Measure] || e.Minutes < 0) {
			return fmt.Errorf("event %s: a duration needs a known measure and minutes ≥ 0", e.ID)
		}
	case KindScreen:
		if _, err := time.Parse("2006-01-02T15", e.Hour); err != nil {
			return fmt.Errorf("event %s: hour %q: want YYYY-MM-DDTHH", e.ID, e.Hour)
		}
		if e.N < 1 {
			return fmt.Errorf("event %s: screen use needs n ≥ 1", e.ID)
		}
	default:
		return fmt.Errorf("event %s: unknown kind %q", e.ID, e.Kind)
	}
	return nil
}

// Batch is what a house sends in one request.
type Batch struct {
	Events []Event `json:"events"`
}

// Check says what is wrong with b, if anything: too many events, an
// event twice, or an event that is wrong.
func (b Batch) Check() error {
	if len(b.Events) == 0 {
		return errors.New("a batch needs at least one event")
	}
	if len(b.Events) > MaxBatch {
		return fmt.Errorf("a batch holds at most %d events, this one %d", MaxBatch, len(b.Events))
	}
	seen := make(map[string]bool, len(b.Events))
	for _, e := range b.Events {
		if err := e.Check(); err != nil {
			return err
		}
		if seen[e.ID] {
			return fmt.Errorf("event %s is in the batch twice", e.ID)
		}
		seen[e.ID] = true
	}
	return nil
}

// Accepted is the district's answer to a batch: how many events were new,
// how many it already had (sent before, by this kiosk or the house's
// other kiosk), and how many were too old to count (see MaxEventAge).
// The kiosk is done with all of them.
type Accepted struct {
	New    int `json:"new"`
	Known  int `json:"known"`
	TooOld int `json:"too_old,omitempty"`
}

// MaxEventAge is how long after its day the district counts an event.
// The district keeps every event's id to count it once, and forgets the
// ids it received more than MaxEventAge (and a week) ago: a resend after
// that could not be told from a new event, so events older than this
// are not counted at all. The kiosk holds an event whose cell has not
// reached five for 13 weeks at most; only a kiosk offline for half a
// year loses figures this way.
const MaxEventAge = 180 * 24 * time.Hour

// ForgetAfter is how long the district keeps an event's id after it
// received it: MaxEventAge, and a week for clocks and time zones (an
// event's day is the house's, the district's clock its own).
const ForgetAfter = MaxEventAge + 7*24*time.Hour

// TooOld reports whether e is too old for the district to count at now.
func (e Event) TooOld(now time.Time) bool {
	day := e.Day
	if e.Kind == KindScreen && len(e.Hour) >= len("2006-01-02") {
		day = e.Hour[:len("2006-01-02")]
	}
	d, err := programme.ParseDate(day)
	if err != nil {
		return false // Check refuses it
	}
	oldest := programme.DateOf(now.Add(-MaxEventAge).UTC())
	return d.Before(oldest)
}

// Backoff is how long a sender waits before its next try after failures
// failed tries in a row: from 2 s, doubling, up to 10 minutes, so that a
// district down for days is asked about six times an hour. jitter, in
// [0, 1), spreads the houses that all failed at once.
func Backoff(failures int, jitter float64) time.Duration {
	const first, most = 2 * time.Second, 10 * time.Minute
	d := first
	for i := 1; i < failures && d < most; i++ {
		d *= 2
	}
	d = min(d, most)
	return d/2 + time.Duration(float64(d/2)*jitter)
}

// Joined is the district's answer to a kiosk that joins with an
// enrolment code: who it is from now on, and its key.
type Joined struct {
	Kiosk    string `json:"kiosk"`    // the kiosk's id, sent with each request
	Key      string `json:"key"`      // its secret key, sent this once
	House    string `json:"house"`    // the house's name, as the district has it
	District string `json:"district"` // the district's name
}

// Join is what a kiosk sends to join.
type Join struct {
	Code string `json:"code"`
}

// Link is a kiosk's tie to its district, as the kiosk keeps it.
type Link struct {
	URL       string // the district server, https://…
	Kiosk     string // this kiosk's id there
	Key       string // this kiosk's secret key
	House     string
	District  string
	Joined    time.Time
	Revoked   time.Time // when the district refused this kiosk as revoked; zero while it takes it
	LastSent  time.Time // when the district last accepted a batch; zero if never
	LastError string    // why the last try failed, in plain words; empty after a success
	Pending   int       // events ready to be sent
	Held      int       // events whose cell has not yet reached five (district.Cell)
}

// Cell is the cell of the house's figures an event counts in, as the
// small-cell rule sees it: its measure and key in its ISO week (the
// finest period the house's own figures show). An event leaves the
// house only once its cell has reached figures.MinCount, so that the
// district never learns of a cell the house itself would hide as "< 5".
// Screen use has no cell: how often a screen opened in an hour points to
// nobody.
func Cell(e Event) string {
	if e.Kind == KindScreen {
		return ""
	}
	d, err := programme.ParseDate(e.Day)
	if err != nil {
		return ""
	}
	return e.Measure + "|" + e.Key + "|" + figures.WeekOf(d)
}

// Weight is what e adds to its cell: a count its N, a step time one step.
func Weight(e Event) int {
	if e.Kind == KindDuration {
		return 1
	}
	return e.N
}
