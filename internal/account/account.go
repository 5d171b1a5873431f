// Package account holds the accounts of the house's volunteers and staff:
// names and roles, the rules for passwords and PINs and their hashing,
// login throttling, session tokens and the audit log's entries. It is
// plain Go: no SQL, HTTP or Fyne. Visitors never have an account.
//
// A login as the web pages do it, with the store in internal/sqlite:
//
//	if wait, _ := throttle.AllowLogin(name, ip); wait > 0 {
//		return tooSoon(wait) // "try again in 8 seconds"; audit it
//	}
//	u, err := accounts.Login(ctx, name, password)
//	if errors.Is(err, account.ErrBadLogin) {
//		throttle.FailLogin(name, ip)
//		return wrongNameOrPassword()
//	}
//	throttle.SucceedLogin(name, ip)
//	token, csrf, err := accounts.CreateSession(ctx, u.ID)
//
// The cookie holds the token; the database only its SHA-256 (HashToken),
// so a copy of the database file holds no live session.
package account

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Errors callers may test with errors.Is.
var (
	// ErrInvalid is a name, role or password that breaks the rules; the
	// wrapped message says what is wrong and how to fix it.
	ErrInvalid = errors.New("invalid account")
	// ErrNameTaken is a new user's name that another user (perhaps a
	// disabled one) already has, in any mix of upper and lower case.
	ErrNameTaken = errors.New("name taken")
	// ErrNotFound is a user name or id that no user has.
	ErrNotFound = errors.New("no such user")
	// ErrBadLogin is every failed login alike: unknown name, wrong
	// password, disabled account. Telling them apart would tell a
	// guesser which names exist.
	ErrBadLogin = errors.New("wrong name or password")
	// ErrNoSession is a session token that is unknown, malformed, idle
	// for longer than SessionIdle, or of a disabled user: log in again.
	ErrNoSession = errors.New("no session")
)

// Role is what a user may do.
type Role string

// The roles. Volunteers follow questions up; staff also keep the
// programme and the accounts, and read the audit log.
const (
	Staff     Role = "staff"
	Volunteer Role = "volunteer"
)

// ParseRole returns the role named s ("staff" or "volunteer").
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case Staff, Volunteer:
		return r, nil
	}
	return "", fmt.Errorf("%w: there is no role %q; choose staff or volunteer", ErrInvalid, s)
}

// User is a volunteer's or staff member's account. Users are disabled,
// never deleted, so the audit log's names keep meaning someone.
type User struct {
	ID       int64
	Name     string
	Role     Role
	Disabled bool
	Created  time.Time
}

// MaxName is the longest name in characters: room for a first name and
// a surname on a phone screen and in the audit log.
const MaxName = 40

// NormaliseName returns name as it is stored and compared: Unicode NFC
// (so "é" typed on a phone and on a PC are the same letter) and trimmed.
func NormaliseName(name string) string {
	return strings.TrimSpace(norm.NFC.String(name))
}

// CheckName reports what is wrong with a user name, normalised with
// NormaliseName first.
func CheckName(name string) error {
	switch n := utf8.RuneCountInString(name); {
	case !utf8.ValidString(name):
		return fmt.Errorf("%w: the name is not valid text; type it again", ErrInvalid)
	case n == 0:
		return fmt.Errorf("%w: the name is empty; give a name such as Anna or Anna de Vries", ErrInvalid)
	case n > MaxName:
		return fmt.Errorf("%w: the name has %d characters; use at most %d", ErrInvalid, n, MaxName)
	}
	for _, r := range name {
		// Control characters break lines in logs and tables; format
		// characters (zero-width spaces, right-to-left overrides) would
		// let one name pass for another in the audit log.
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return fmt.Errorf("%w: the name holds an invisible or control character (%U); type it again with letters, digits and spaces", ErrInvalid, r)
		}
	}
	return nil
}

// UserKey is the throttle key for login attempts on the account name;
// upper and lower case count as one account, as in the store.
func UserKey(name string) string {
	return "user:" + strings.ToLower(NormaliseName(name))
}

// AddrKey is the throttle key for login attempts from the client address
// ip (without the port).
func AddrKey(ip string) string {
	return "addr:" + ip
}

// The audit log's actions for accounts. Actions on questions use the
// question package's event kinds ("viewed", "claimed", …).
const (
	ActionLogin           = "login"
	ActionLoginFailed     = "login_failed"
	ActionLoginThrottled  = "login_throttled" // refused unchecked: the Throttle said to wait
	ActionLogout          = "logout"
	ActionUserAdded       = "user_added"
	ActionUserDisabled    = "user_disabled"
	ActionPasswordChanged = "password_changed"
)

// Entry is one line of the audit log: who did what, when, to which
// question. Detail is a short note for staff (a partner's name, "wrong
// password"); it must never hold a password or a question's text.
type Entry struct {
	ID         int64
	At         time.Time // stamped by the store
	Actor      string    // the user's name; "" for the command line or the system
	Action     string
	QuestionID int64 // 0 when the entry is about no question
	Detail     string
}

// MaxDetail is the longest Detail in characters: enough for a reason,
// too short to be tempted to copy a question into it.
const MaxDetail = 200

// Validate reports what is wrong with e before it is stored.
func (e Entry) Validate() error {
	switch {
	case strings.TrimSpace(e.Action) == "" || len(e.Action) > 40:
		return fmt.Errorf("audit entry: action %q: give a short word such as %q", e.Action, ActionLogin)
	case utf8.RuneCountInString(e.Actor) > MaxName:
		return fmt.Errorf("audit entry: actor longer than %d characters", MaxName)
	case utf8.RuneCountInString(e.Detail) > MaxDetail:
		return fmt.Errorf("audit entry: detail longer than %d characters", MaxDetail)
	case e.QuestionID < 0:
		return fmt.Errorf("audit entry: question id %d", e.QuestionID)
	}
	return nil
}
