// Package question holds a visitor's anonymous question: its secret
// token, the short code people read and type, the topic, the optional
// text, and whether the visitor waits or comes back. It is plain Go: no
// Fyne, SQL or HTTP.
//
// There is deliberately no field for a name, a phone number or an e-mail
// address. The token (144 random bits) is the only key to a question; the
// code is for people and is rate-limited where it is typed.
//
//	token, _ := question.NewToken(rand.Reader) // "q3T0v…", 24 characters
//	code, _ := question.NewCode(rand.Reader)   // "K7M4QX"
//	question.FormatCode(code)                  // "K7M-4QX"
//	question.ParseCode(" k7m 4qx ")            // "K7M4QX", nil
package question

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"

	"buurtbalie/internal/programme"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// FollowUp is what the visitor chose to do after asking.
type FollowUp string

// The visitor's choices.
const (
	Waiting  FollowUp = "waiting"   // "Ik wacht hier": at the entrance now
	ComeBack FollowUp = "come_back" // "Ik kom later terug": with the slip
)

// Status is where a question stands.
type Status string

// The statuses of a question.
const (
	New Status = "new"
)

// PrintState is how printing a question's slip went.
type PrintState string

// The print states of a question's first slip.
const (
	PrintPending PrintState = "pending" // printing, or the kiosk stopped before it knew
	Printed      PrintState = "printed"
	// PrintFailed: the printer cancelled the slip, so the visitor has
	// only the code the kiosk showed on screen.
	PrintFailed PrintState = "failed"
)

// Question is one anonymous question.
type Question struct {
	ID       int64
	Token    string // secret, URL-safe; the QR links to /s/<token>
	Code     string // 6 Crockford base-32 symbols, stored without the dash
	Topic    string // a Topic key
	Text     string // optional, normalised by NormaliseText
	FollowUp FollowUp
	Lang     string // the language the visitor used, for the slip and replies
	Created  time.Time
	Status   Status
	Print    PrintState // how its first slip printed, as the store recorded it
	Outcome  Outcome    // how it ended, once closed ('' if closed before there were choices)
}

// Topic is what a question is about; visitors pick it by pictogram.
// Built-in topics are named by the translation catalogue ("topic." + Key);
// Names holds names per language for topics staff add.
type Topic struct {
	Key   string
	Icon  string
	Names map[string]string
	Order int
	// Hidden topics are not offered at the kiosk; questions asked under
	// them keep them.
	Hidden bool
}

// Validate checks a topic as staff edit it: see programme.ValidateNamed.
func (t Topic) Validate(builtIn bool, lang string) error {
	return programme.ValidateNamed(t.Key, t.Icon, t.Names, builtIn, lang)
}

// MaxText is how many characters a question may have: enough to say what
// is wrong, short enough to read on a phone.
const MaxText = 500

// TokenBytes is the token's length in random bytes: 144 bits, more than
// the 128 the brief asks for, and a whole number of base64 characters.
const TokenBytes = 18

// Errors callers may test with errors.Is.
var (
	ErrInvalid   = errors.New("invalid question")
	ErrBadCode   = errors.New("not a question code")
	ErrBadToken  = errors.New("not a question token")
	ErrNotFound  = errors.New("no such question")
	errShortRand = errors.New("not enough random bytes")
)

// NewToken returns a fresh URL-safe token from r (crypto/rand.Reader in
// production).
func NewToken(r io.Reader) (string, error) {
	b := make([]byte, TokenBytes)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("new token: %w: %v", errShortRand, err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ParseToken checks that s has the shape of a token. It says nothing of
// whether such a question exists.
func ParseToken(s string) (string, error) {
	if len(s) != base64.RawURLEncoding.EncodedLen(TokenBytes) {
		return "", ErrBadToken
	}
	if _, err := base64.RawURLEncoding.DecodeString(s); err != nil {
		return "", ErrBadToken
	}
	return s, nil
}

// codeAlphabet is Crockford's base 32: digits and letters without I, L, O
// and U, so nothing looks like something else.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// CodeLength is how many symbols a code has: 32^6, about a billion.
const CodeLength = 6

// NewCode returns a fresh code of CodeLength symbols from r. The store
// makes sure it is unique.
func NewCode(r io.Reader) (string, error) {
	b := make([]byte, CodeLength)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("new code: %w: %v", errShortRand, err)
	}
	for i := range b {
		b[i] = codeAlphabet[b[i]&31] // 256 is a multiple of 32: no bias
	}
	return string(b), nil
}

// ParseCode reads a code as a person types or a scanner sends it: case,
// spaces and dashes do not matter, and O, I and L are read as 0, 1 and 1
// as Crockford intends. It returns the canonical form without the dash.
func ParseCode(s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > unicode.MaxASCII || !strings.ContainsRune(codeAlphabet, r) {
			return "", ErrBadCode
		}
		b.WriteRune(r)
		if b.Len() > CodeLength {
			return "", ErrBadCode
		}
	}
	if b.Len() != CodeLength {
		return "", ErrBadCode
	}
	return b.String(), nil
}

// FormatCode writes a code as people read it: K7M-4QX.
func FormatCode(code string) string {
	if len(code) != CodeLength {
		return code
	}
	return code[:3] + "-" + code[3:]
}

// NormaliseText makes typed text safe to store and show: Unicode NFC,
// control and format characters removed (line breaks become spaces), runs
// of spaces folded, trimmed, and cut at MaxText characters.
func NormaliseText(s string) string {
	// Drop control and format characters first, so a combining accent
	// they separated from its letter composes with it.
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		if unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Co, unicode.Cs) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	s = norm.NFC.String(s)
	var b strings.Builder
	space := false
	n := 0
	for _, r := range s {
		if r == ' ' {
			space = b.Len() > 0
			continue
		}
		if space {
			if n+1 >= MaxText {
				break
			}
			b.WriteByte(' ')
			n++
			space = false
		}
		if n >= MaxText {
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// Validate reports what is wrong with a question about to be stored.
func (q Question) Validate() error {
	switch {
	case q.Topic == "":
		return fmt.Errorf("%w: choose a topic", ErrInvalid)
	case q.FollowUp != Waiting && q.FollowUp != ComeBack:
		return fmt.Errorf("%w: follow-up is %q, want waiting or come_back", ErrInvalid, q.FollowUp)
	case utf8.RuneCountInString(q.Text) > MaxText:
		return fmt.Errorf("%w: text longer than %d characters", ErrInvalid, MaxText)
	case q.Text != NormaliseText(q.Text):
		return fmt.Errorf("%w: text not normalised", ErrInvalid)
	}
	return nil
}
