package question

import (
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

// ActionReprinted is the audit log's action for a slip printed again
// for a visitor who lost theirs. It is not an event kind: a reprint
// changes nothing in how the question is followed up, so it stays out of
// the volunteers' history and goes to the audit log of who did what.
const ActionReprinted = "slip_reprinted"

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

// Action is a volunteer's change to a question, checked by Check before
// it is stored.
type Action struct {
	Kind    EventKind
	Text    string
	Partner int64 // for EventReferred
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
		if err := checkText(a.Text, MaxNote, "outcome"); err != nil {
			return s, err
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
