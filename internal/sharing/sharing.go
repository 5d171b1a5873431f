// Package sharing holds the rules of what a house shares with the other
// houses of its district, beside its figures, and what it shows of
// theirs: which of its activities it publishes and when, what a
// question referred to another house carries (its text and code, never
// its token), and what "Elders in de buurt vandaag" shows a visitor. It
// is plain Go: the store keeps what it decides, internal/outbox carries
// it, the pages and the kiosk show it.
//
//	p := sharing.Publish(occs, today, today.AddDays(district.ProgrammeDays-1), now)
//	if sharing.Due(sharing.Fingerprint(p), last, lastAt, now, loc) { … send p … }
//	r, err := sharing.Refer(q, "Huis Oost", "spreekt Turks", houses, now)
//	next := sharing.ElsewhereToday(theirs, "bewegen", now, loc, sharing.MaxElsewhere)
package sharing

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/district"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
)

// Errors a referral to another house is refused with; each matches
// question.ErrInvalid too, so that the pages treat it as a choice to
// make again.
var (
	ErrNoHouse    = fmt.Errorf("%w: choose one of the district's houses", question.ErrInvalid)
	ErrClosed     = fmt.Errorf("%w: the question is closed", question.ErrInvalid)
	ErrNoDistrict = errors.New("the house belongs to no district")
)

// Refer makes the referral of q to the house to, which must be one of
// houses (the district's list, see district.Updates), with the
// volunteer's note. It is the one place a question's text and code are
// put into something that leaves the house; its token never is.
func Refer(q question.Question, to, note string, houses []string, at time.Time) (district.Referral, error) {
	to = strings.TrimSpace(to)
	if !slices.Contains(houses, to) {
		return district.Referral{}, ErrNoHouse
	}
	if !q.Status.Open() {
		return district.Referral{}, ErrClosed
	}
	r := district.Referral{
		ID:       district.NewEventID(),
		ToHouse:  to,
		Topic:    q.Topic,
		Language: q.Lang,
		Text:     q.Text,
		Code:     q.Code,
		Note:     strings.TrimSpace(note),
		At:       at.UTC(),
	}
	if r.Language == "" {
		r.Language = "nl"
	}
	if err := r.Check(); err != nil {
		return district.Referral{}, fmt.Errorf("%w: %v", question.ErrInvalid, err)
	}
	return r, nil
}

// HandOver is how a question stands between houses.
type HandOver struct {
	// Out: this house referred it to To. State is "pending" until the
	// district has it, "sent" once it has, "refused" when the district
	// would not take it (Reason says why: a district.Refused… word, or
	// RefusedNoDistrict); the question is then back with this house.
	To     string
	State  string
	Reason string

	// In: From referred it to this house; Code is the code on the
	// visitor's slip from From, Note the referring volunteer's word.
	From string
	Code string
	Note string
}

// The audit log's actions of the hand-over between houses.
const (
	ActionReferredHouse      = "referred_house"      // a volunteer referred a question to another house; detail: the house
	ActionReferralRefused    = "referral_refused"    // the district would not take it, so it is back here; detail: "HOUSE: REASON"
	ActionReferredIn         = "referred_in"         // another house referred a question here; detail: that house
	ActionReferralUnreadable = "referral_unreadable" // the district brought a referral that cannot be kept; detail: "HOUSE: ID", or the ID
)

// RefusedNoDistrict is why a referral is refused that was still waiting
// when its house left the district (or joined another): it never went.
const RefusedNoDistrict = "no_district"

// The states of a referral to another house.
const (
	Pending = "pending"
	Sent    = "sent"
	Refused = "refused"
)

// Out reports whether the question is with another house now (referred
// and not refused).
func (h HandOver) Out() bool { return h.To != "" && h.State != Refused }

// In reports whether the question came from another house.
func (h HandOver) In() bool { return h.From != "" }

// Publish makes the house's published programme of the days from..to
// out of its occurrences on those days (one-day changes and
// cancellations applied). The demo programme of a fresh install is
// left out: it is not on at any house.
func Publish(occs []programme.Occurrence, from, to programme.Date, made time.Time) district.Programme {
	p := district.Programme{From: from.String(), To: to.String(), Made: made.UTC(), Activities: []district.Activity{}}
	for _, o := range occs {
		if o.Activity.Demo || o.Date.Before(from) || o.Date.After(to) {
			continue
		}
		end := o.End.Format("15:04")
		if o.End.Before(o.Start) || programme.DateOf(o.End) != o.Date {
			end = "23:59" // past midnight: until the end of the day it is on
		}
		p.Activities = append(p.Activities, district.Activity{
			Key:       strconv.FormatInt(o.Activity.ID, 10) + "/" + o.Date.String(),
			Day:       o.Date.String(),
			Start:     o.Start.Format("15:04"),
			End:       end,
			Title:     oneLine(o.Activity.Title, 200),
			Category:  o.Activity.Category,
			Room:      oneLine(o.Room, 200),
			Cancelled: o.Cancelled,
		})
		if len(p.Activities) == district.MaxActivities {
			break
		}
	}
	return p
}

// oneLine makes s one line of at most max characters, as
// district.Activity wants.
func oneLine(s string, max int) string {
	return account.Cut(strings.Join(strings.Fields(s), " "), max)
}

// Fingerprint is what says whether a programme changed: its days and
// activities, not when it was made.
func Fingerprint(p district.Programme) string {
	p.Made = time.Time{}
	b, _ := json.Marshal(p)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Due reports whether the programme with fingerprint hash is to be
// published now: when it differs from the last published one (last, at
// lastAt), and once a day even if not, so that a district that lost it
// has it again and the days move on.
func Due(hash, last string, lastAt, now time.Time, loc *time.Location) bool {
	return hash != last || lastAt.IsZero() || programme.DateOf(lastAt.In(loc)) != programme.DateOf(now.In(loc))
}

// MaxElsewhere is how many activities "Elders in de buurt vandaag"
// shows at most: a few, calm, not a second programme.
const MaxElsewhere = 3

// ElsewhereToday returns the next activities of category today in the
// other houses (acts, as the district sent them): those not finished by
// now, not cancelled, soonest first, at most max.
func ElsewhereToday(acts []district.Activity, category string, now time.Time, loc *time.Location, max int) []district.Activity {
	local := now.In(loc)
	today, clock := programme.DateOf(local).String(), local.Format("15:04")
	var out []district.Activity
	for _, a := range acts {
		if a.Day != today || a.Category != category || a.Cancelled || a.Deleted || a.End <= clock {
			continue
		}
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b district.Activity) int {
		return strings.Compare(a.Start+a.House+a.Title, b.Start+b.House+b.Title)
	})
	if len(out) > max {
		out = out[:max]
	}
	return out
}
