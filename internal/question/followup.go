package question

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"buurtbalie/internal/programme"
)

// The statuses a question moves through as volunteers follow it up.
const (
	Claimed  Status = "claimed"  // a volunteer took it on
	Referred Status = "referred" // handed to a partner
	Closed   Status = "closed"   // done, with an outcome
)

// Open reports whether a question still needs someone.
func (s Status) Open() bool { return s != Closed }

// EventKind is what happened to a question.
type EventKind string

// What can happen to a question; each is one line of its history and of
// the audit log.
const (
	EventViewed   EventKind = "viewed"   // a volunteer looked at it
	EventClaimed  EventKind = "claimed"  // "Ik pak dit op"
	EventNote     EventKind = "note"     // an internal note, for volunteers only
	EventMessage  EventKind = "message"  // the message for the visitor
	EventReferred EventKind = "referred" // referred to a partner
	EventClosed   EventKind = "closed"   // closed with an outcome
)

// What the district does to a question, kept in its history beside the
// volunteers' own lines. No volunteer does these, so they are no Action.
const (
	// Another house referred the question here: Actor is that house,
	// Text its volunteer's note.
	EventReferredIn EventKind = "referred_in"
	// The district would not take this house's referral: Actor is the
	// house it was for, Text the district's reason (a
	// district.Refused… word), which the pages say in words.
	EventReferralRefused EventKind = "referral_refused"
)

// ActionReprinted is the audit log's action for a slip printed again
// for a visitor who lost theirs. It is not an event kind: a reprint
// changes nothing in how the question is followed up, so it stays out of
// the volunteers' history and goes to the audit log of who did what.
const ActionReprinted = "slip_reprinted"

// ActionTakenOver is the audit log's action for a claim taken over from
// a colleague, once asked and confirmed; its detail names the colleague.
const ActionTakenOver = "taken_over"

// Event is one line of a question's history.
type Event struct {
	ID         int64
	QuestionID int64
	At         time.Time
	Actor      string // the volunteer's name
	Kind       EventKind
	Text       string // the note, the message, the partner's name or the outcome
}

// Partner is an organisation a question can be referred to: the
// buurtteam, debt help, the Taal Informatie Punt, a GP.
type Partner struct {
	ID      int64
	Name    string
	Helps   string // what they help with
	Contact string // how to reach them
	// Hidden partners are not offered for new referrals; questions
	// referred to them keep them.
	Hidden bool
}

// Limits on what volunteers write.
const (
	MaxNote    = 2000
	MaxMessage = 1000
)

// Limits on a partner, so the referral list stays readable on a phone.
const (
	MaxPartnerName = 60
	MaxPartnerText = 200 // what they help with; how to reach them
)

// Validate reports what is wrong with a partner as staff typed it, as a
// *programme.InvalidError the pages translate.
func (p Partner) Validate() error {
	bad := func(field, reason, detail string) error {
		return &programme.InvalidError{Field: field, Reason: reason, Detail: detail}
	}
	switch {
	case strings.TrimSpace(p.Name) == "":
		return bad("name", "partner_name_required", "give the partner a name")
	case utf8.RuneCountInString(p.Name) > MaxPartnerName:
		return bad("name", "too_long", fmt.Sprintf("keep the name to %d characters", MaxPartnerName))
	case utf8.RuneCountInString(p.Helps) > MaxPartnerText:
		return bad("helps", "too_long", fmt.Sprintf("keep it to %d characters", MaxPartnerText))
	case utf8.RuneCountInString(p.Contact) > MaxPartnerText:
		return bad("contact", "too_long", fmt.Sprintf("keep it to %d characters", MaxPartnerText))
	}
	return nil
}

// Outcome is how a question ended: one of a few fixed choices, so that
// the house can count them for its funders without reading what anyone
// wrote. A closing note beside it stays free text, for volunteers only.
type Outcome string

// The outcomes a volunteer chooses from when closing a question.
const (
	Helped    Outcome = "helped"     // answered, or helped on the spot
	PassedOn  Outcome = "passed_on"  // a partner helps further
	NoContact Outcome = "no_contact" // the visitor did not come back, or could not be reached
	NotNeeded Outcome = "not_needed" // no longer needed
	Other     Outcome = "other"
)

// Outcomes are the closing choices in the order they are offered.
var Outcomes = []Outcome{Helped, PassedOn, NoContact, NotNeeded, Other}

// Valid reports whether o is one of Outcomes.
func (o Outcome) Valid() bool {
	for _, k := range Outcomes {
		if o == k {
			return true
		}
	}
	return false
}

// Action is a volunteer's change to a question, checked by Check before
// it is stored.
type Action struct {
	Kind    EventKind
	Text    string
	Partner int64   // for EventReferred
	Outcome Outcome // for EventClosed
	// TakeOver confirms claiming a question someone else has claimed:
	// without it such a claim is refused with a *TakenError.
	TakeOver bool
}

// ErrTaken is matched by a *TakenError.
var ErrTaken = errors.New("claimed by someone else")

// TakenError refuses claiming a question another volunteer has claimed,
// until the claim is confirmed as a takeover.
type TakenError struct{ By string }

func (e *TakenError) Error() string { return "the question is claimed by " + e.By }

// Is makes errors.Is(err, ErrTaken) true.
func (e *TakenError) Is(target error) bool { return target == ErrTaken }

// CheckHolder reports whether actor may do a on a question with status s
// that holder claimed ("" if nobody): claiming it from someone else asks
// first. Everything else colleagues may do on each other's questions.
func (a Action) CheckHolder(s Status, holder, actor string) error {
	if a.Kind != EventClaimed || !s.Open() || holder == "" || holder == actor || a.TakeOver {
		return nil
	}
	return &TakenError{By: holder}
}

// ClaimsFirst reports whether doing a on a question with status s claims
// it first: a volunteer who writes the visitor a message, a note, a
// referral or a closing has taken the question on, and the figures count
// that as its first contact.
func (a Action) ClaimsFirst(s Status) bool {
	return s == New && a.Kind != EventClaimed && a.Kind != EventViewed
}

// Check reports what is wrong with doing a on a question with status s,
// and returns the status afterwards. Text is trimmed; line breaks stay,
// since notes and messages may have paragraphs.
func (a *Action) Check(s Status) (Status, error) {
	a.Text = strings.TrimSpace(a.Text)
	switch a.Kind {
	case EventClaimed:
		if s == Closed {
			return s, fmt.Errorf("%w: the question is closed", ErrInvalid)
		}
		return Claimed, nil
	case EventNote:
		return s, checkText(a.Text, MaxNote, "note")
	case EventMessage:
		return s, checkText(a.Text, MaxMessage, "message")
	case EventReferred:
		if s == Closed {
			return s, fmt.Errorf("%w: the question is closed", ErrInvalid)
		}
		if a.Partner == 0 {
			return s, fmt.Errorf("%w: choose a partner", ErrInvalid)
		}
		return Referred, nil
	case EventClosed:
		if s == Closed {
			return s, fmt.Errorf("%w: the question is closed", ErrInvalid)
		}
		if !a.Outcome.Valid() {
			return s, fmt.Errorf("%w: choose how it ended", ErrInvalid)
		}
		// The note beside the outcome is optional.
		if a.Text != "" {
			if err := checkText(a.Text, MaxNote, "closing note"); err != nil {
				return s, err
			}
		}
		return Closed, nil
	}
	return s, fmt.Errorf("%w: unknown action %q", ErrInvalid, a.Kind)
}

func checkText(s string, max int, what string) error {
	switch {
	case s == "":
		return fmt.Errorf("%w: the %s is empty", ErrInvalid, what)
	case utf8.RuneCountInString(s) > max:
		return fmt.Errorf("%w: the %s is longer than %d characters", ErrInvalid, what, max)
	}
	return nil
}
