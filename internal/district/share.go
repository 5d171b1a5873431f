package district

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
)

// Besides its figures, a house shares with its district what helps a
// visitor onwards to another house, and nothing of a visitor that no
// volunteer chose to hand over:
//
//   - up, its published programme (Programme) and the questions a
//     volunteer refers to another house (Referral), with their text and
//     code, so that the other house's volunteer finds the visitor's slip;
//   - down, in one pull with a cursor (Updates): the district's partner
//     directory, the other houses' programmes, the houses one may refer
//     to, and the referrals to this house.
//
// Never: the text or code of a question that was not referred, a
// question's token, a visitor's screen trail, a volunteer's password.

// Paths of the shared things in the district's API (beside JoinPath and
// EventsPath in internal/outbox). Every request is signed as a batch of
// events is; each is a POST, so that its body, cursor included, is
// signed too.
const (
	ProgrammePath = "/api/v1/programme"
	ReferralsPath = "/api/v1/referrals"
	UpdatesPath   = "/api/v1/updates"
)

// Partner is one organisation in the district's partner directory (the
// sociale kaart), which every house's volunteers may refer to beside the
// house's own partners.
type Partner struct {
	ID        int64    `json:"id"`         // the district's id, stable
	Name      string   `json:"name"`       // "Schuldhulp Amsterdam West"
	HelpsWith string   `json:"helps_with"` // what they help with, in plain Dutch
	Languages []string `json:"languages"`  // language codes spoken there: "nl", "tr", "ar"
	Hours     string   `json:"hours"`      // spreekuur times: "di 10:00–12:00, Buurthuis De Linde"
	Contact   string   `json:"contact"`    // a phone number, address or website
	Deleted   bool     `json:"deleted,omitempty"`
}

// Limits on what the district's staff write in the directory.
const (
	MaxPartnerName = 120
	MaxPartnerText = 500
)

var languageCode = regexp.MustCompile(`^[a-z]{2,3}$`)

// Check says what is wrong with p, if anything, in words for the staff
// who typed it; as a *FieldError, whose Field is the form's field, for a
// page to say it in its own language.
func (p Partner) Check() error {
	if p.Deleted {
		return nil
	}
	if err := line("the name", p.Name, 1, MaxPartnerName); err != nil {
		return inField(err, "name")
	}
	for _, f := range []struct{ field, what, s string }{
		{"helps_with", "what they help with", p.HelpsWith}, {"hours", "the spreekuur", p.Hours}, {"contact", "the contact", p.Contact},
	} {
		if err := text(f.what, f.s, MaxPartnerText); err != nil {
			return inField(err, f.field)
		}
	}
	if strings.TrimSpace(p.HelpsWith) == "" {
		return &FieldError{Field: "helps_with", Problem: Needed, msg: "say what they help with, so that a volunteer knows when to refer to them"}
	}
	if strings.TrimSpace(p.Contact) == "" && strings.TrimSpace(p.Hours) == "" {
		return &FieldError{Field: "reach", Problem: Needed, msg: "give a spreekuur or a contact, so that a visitor can reach them"}
	}
	for _, l := range p.Languages {
		if !languageCode.MatchString(l) {
			return &FieldError{Field: "languages", Problem: NotACode, Value: l, msg: fmt.Sprintf("language %q: give languages as codes such as nl, tr, ar", l)}
		}
	}
	return nil
}

// A FieldError is what a Check found wrong with one field, in English
// (Error) and in parts for a page to word in its own language.
type FieldError struct {
	Field   string  // the form's field, where the Check names one ("name", "helps_with", …)
	Problem Problem // what is wrong with it
	N, Max  int     // for TooLong: its length, and the most it may have
	Value   string  // for NotACode: the value
	msg     string
}

func (e *FieldError) Error() string { return e.msg }

// Problem is what is wrong with a field.
type Problem string

// The problems a Check finds.
const (
	Missing  Problem = "missing"  // empty
	OneLine  Problem = "one_line" // more than one line
	TooLong  Problem = "too_long" // longer than Max
	NotText  Problem = "not_text" // not valid UTF-8, or a NUL
	Needed   Problem = "needed"   // empty where the rule needs it (see msg)
	NotACode Problem = "not_code" // not a language code
)

// inField names the form's field of line's or text's error.
func inField(err error, field string) error {
	if fe, ok := err.(*FieldError); ok {
		fe.Field = field
	}
	return err
}

// Activity is one activity on one day of a house's published programme,
// as it travels: enough for another house's kiosk to say "Elders in de
// buurt vandaag: Wandelgroep, 14:00, Buurthuis De Linde".
type Activity struct {
	House     string `json:"house,omitempty"` // the house's name; set by the district on the way down
	Key       string `json:"key"`             // the house's own id of this occurrence, stable across sends
	Day       string `json:"day"`             // YYYY-MM-DD, local to the district
	Start     string `json:"start"`           // HH:MM
	End       string `json:"end"`             // HH:MM
	Title     string `json:"title"`
	Category  string `json:"category"` // a category key, e.g. "bewegen"
	Room      string `json:"room,omitempty"`
	Cancelled bool   `json:"cancelled,omitempty"`
	Deleted   bool   `json:"deleted,omitempty"` // on the way down: no longer in the house's programme
}

var clock = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// Check says what is wrong with a, if anything.
func (a Activity) Check() error {
	if err := line("an activity's key", a.Key, 1, 100); err != nil {
		return err
	}
	if _, err := programme.ParseDate(a.Day); err != nil {
		return fmt.Errorf("activity %s: day %q: want YYYY-MM-DD", a.Key, a.Day)
	}
	if !clock.MatchString(a.Start) || !clock.MatchString(a.End) {
		return fmt.Errorf("activity %s: times %q–%q: want HH:MM", a.Key, a.Start, a.End)
	}
	if err := line("activity "+a.Key+"'s title", a.Title, 1, 200); err != nil {
		return err
	}
	if err := line("activity "+a.Key+"'s category", a.Category, 1, 40); err != nil {
		return err
	}
	return line("activity "+a.Key+"'s room", a.Room, 0, 200)
}

// ProgrammeDays is how far ahead a house publishes its programme.
const ProgrammeDays = 14

// MaxActivities bounds one Programme: 14 days of a very busy house.
const MaxActivities = 2000

// Programme is a house's published programme for the days From..To, both
// included, as the house had it at Made. It replaces what the district
// had of those days for that house, unless the district already has a
// newer one (two kiosks of one house both publish; a late request must
// not undo a newer one).
type Programme struct {
	From       string     `json:"from"`
	To         string     `json:"to"`
	Made       time.Time  `json:"made"`
	Activities []Activity `json:"activities"`
}

// Check says what is wrong with p, if anything.
func (p Programme) Check() error {
	from, err := programme.ParseDate(p.From)
	if err != nil {
		return fmt.Errorf("programme from %q: want YYYY-MM-DD", p.From)
	}
	to, err := programme.ParseDate(p.To)
	if err != nil || to.Before(from) || from.AddDays(ProgrammeDays*2).Before(to) {
		return fmt.Errorf("programme to %q: want a day from %s, at most %d days on", p.To, p.From, ProgrammeDays*2)
	}
	if p.Made.IsZero() {
		return errors.New("programme: say when it was made")
	}
	if len(p.Activities) > MaxActivities {
		return fmt.Errorf("a programme holds at most %d activities, this one %d", MaxActivities, len(p.Activities))
	}
	seen := make(map[string]bool, len(p.Activities))
	for _, a := range p.Activities {
		if err := a.Check(); err != nil {
			return err
		}
		if d, _ := programme.ParseDate(a.Day); d.Before(from) || to.Before(d) {
			return fmt.Errorf("activity %s is on %s, outside %s..%s", a.Key, a.Day, p.From, p.To)
		}
		if seen[a.Key] {
			return fmt.Errorf("activity %s is in the programme twice", a.Key)
		}
		seen[a.Key] = true
	}
	return nil
}

// Referral is a question a volunteer hands over to another house: it
// appears in that house's queue, marked as referred by this one, and the
// visitor goes there with their slip, whose code that house's volunteer
// types to find it. It carries the question's text and code because a
// volunteer chose to hand them over; never its token.
type Referral struct {
	ID        string    `json:"id"`                   // NewEventID, made when the volunteer referred: idempotent
	FromHouse string    `json:"from_house,omitempty"` // set by the district, from the kiosk's key
	ToHouse   string    `json:"to_house"`             // the house's name, as Updates.Houses has it
	Topic     string    `json:"topic"`                // the topic's key
	Language  string    `json:"language"`             // the visitor's language code
	Text      string    `json:"text"`                 // the question as the visitor typed it; may be empty (voice, or no text)
	Code      string    `json:"code"`                 // the slip's code, 6 symbols without the dash
	Note      string    `json:"note,omitempty"`       // the referring volunteer's word to the other house
	At        time.Time `json:"at"`                   // when the volunteer referred
}

// MaxReferralText bounds a referral's text and note: a question's text
// is within a volunteer's note's bound.
const MaxReferralText = question.MaxNote

// Check says what is wrong with r, if anything.
func (r Referral) Check() error {
	if !eventIDPattern.MatchString(r.ID) {
		return fmt.Errorf("referral id %q: want 32 lowercase hex digits", r.ID)
	}
	if err := line("the house referred to", r.ToHouse, 1, 200); err != nil {
		return err
	}
	if err := line("referral "+r.ID+"'s topic", r.Topic, 1, 40); err != nil {
		return err
	}
	if !languageCode.MatchString(r.Language) {
		return fmt.Errorf("referral %s: language %q: want a code such as nl, tr, ar", r.ID, r.Language)
	}
	if c, err := question.ParseCode(r.Code); err != nil || c != r.Code { // the canonical form only
		return fmt.Errorf("referral %s: code %q: want the slip's 6 symbols without the dash", r.ID, r.Code)
	}
	if err := text("referral "+r.ID+"'s text", r.Text, MaxReferralText); err != nil {
		return err
	}
	if err := text("referral "+r.ID+"'s note", r.Note, MaxReferralText); err != nil {
		return err
	}
	if r.At.IsZero() {
		return fmt.Errorf("referral %s: say when it was referred", r.ID)
	}
	return nil
}

// Referrals is what a kiosk sends up in one request.
type Referrals struct {
	Referrals []Referral `json:"referrals"`
}

// MaxReferrals is how many referrals one request may carry: at the
// longest text and note, 100 stay well under the district's 2 MB a
// request.
const MaxReferrals = 100

// Check says what is wrong with rs, if anything: none or too many
// referrals, one twice, or one that is wrong.
func (rs Referrals) Check() error {
	if len(rs.Referrals) == 0 {
		return errors.New("send at least one referral")
	}
	if len(rs.Referrals) > MaxReferrals {
		return fmt.Errorf("a request holds at most %d referrals, this one %d", MaxReferrals, len(rs.Referrals))
	}
	seen := make(map[string]bool, len(rs.Referrals))
	for _, r := range rs.Referrals {
		if err := r.Check(); err != nil {
			return err
		}
		if seen[r.ID] {
			return fmt.Errorf("referral %s is in the request twice", r.ID)
		}
		seen[r.ID] = true
	}
	return nil
}

// ReferralsAccepted answers Referrals: the ids the district now has (new
// or known), and those it refused, with why (one of the Refused…
// reasons): those a volunteer must refer otherwise.
type ReferralsAccepted struct {
	Accepted []string          `json:"accepted"`
	Refused  map[string]string `json:"refused,omitempty"`
}

// Why the district refuses a referral, as ReferralsAccepted says it: a
// word, not a sentence, so that each kiosk says it in its volunteers'
// language. A kiosk shows a reason it does not know as it is.
const (
	RefusedUnknownHouse = "unknown_house" // the district has no house of that name
	RefusedHouseLeft    = "house_left"    // the house no longer takes part: revoked
	RefusedOwnHouse     = "own_house"     // the house the question is at already
	RefusedIDTaken      = "id_taken"      // another house sent a referral with this id
)

// UpdatesRequest asks for what changed after a cursor; 0 for everything.
type UpdatesRequest struct {
	After int64 `json:"after"`
}

// Check says what is wrong with u, if anything.
func (u UpdatesRequest) Check() error {
	if u.After < 0 {
		return fmt.Errorf("cursor %d: want 0 or a cursor the district gave", u.After)
	}
	return nil
}

// MaxUpdates is how many changed things one Updates holds at most.
const MaxUpdates = 1000

// MaxUpdatesText is about how many bytes of text one Updates holds at
// most (a kiosk reads an answer of 1 MB at most): a district stops
// adding things once it has this much, though always one.
const MaxUpdatesText = 400 << 10

// Updates is what changed in the district after the request's cursor, in
// the order it changed: the kiosk applies it, keeps Cursor, and asks
// again at once while More is set. Deleted entries say what to remove.
// A Cursor below the request's After means the district starts over
// (it was restored from an older backup, and knows no such cursor):
// what follows is everything again, each thing by its id.
// Houses is always whole: the houses one may refer to now (not the
// kiosk's own, not revoked ones); a kiosk drops the activities of a
// house no longer in it (revoked since it published them).
type Updates struct {
	Cursor     int64      `json:"cursor"`
	More       bool       `json:"more"`
	Houses     []string   `json:"houses"`
	Partners   []Partner  `json:"partners"`
	Activities []Activity `json:"activities"`
	Referrals  []Referral `json:"referrals"` // to this house
}

// line checks a one-line field of min to max characters.
func line(what, s string, min, max int) error {
	n := utf8.RuneCountInString(strings.TrimSpace(s))
	switch {
	case !utf8.ValidString(s) || strings.ContainsAny(s, "\x00\r\n"):
		return &FieldError{Problem: OneLine, msg: what + " must be one line of text"}
	case n < min:
		return &FieldError{Problem: Missing, msg: what + " is missing"}
	case n > max:
		return &FieldError{Problem: TooLong, N: n, Max: max, msg: fmt.Sprintf("%s is %d characters; at most %d", what, n, max)}
	}
	return nil
}

// text checks a free-text field of at most max characters.
func text(what, s string, max int) error {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return &FieldError{Problem: NotText, msg: what + " is not plain text"}
	}
	if n := utf8.RuneCountInString(s); n > max {
		return &FieldError{Problem: TooLong, N: n, Max: max, msg: fmt.Sprintf("%s is %d characters; at most %d", what, n, max)}
	}
	return nil
}
