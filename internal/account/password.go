package account

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"
)

// The shortest secrets accepted.
//
// A PIN of MinPIN digits has a million possibilities. Online, the login
// Throttle lets five guesses through and then makes each wait longer,
// up to one guess per 15 minutes per account: under a hundred a day,
// more than ten years for an even chance. Six digits is also what banks
// and phones ask for, so volunteers know how to keep one in mind.
//
// A password of MinPassword characters fits a short sentence or two or
// three words, which is easier to remember than symbols and, as NIST SP
// 800-63B advises, length counts for more than composition rules. Ten
// lower-case letters alone are 26^10 ≈ 10^14 possibilities: beyond
// online guessing, and years of work offline against bcrypt.
//
// Offline, with a stolen database file, a PIN falls in hours on one
// graphics card whatever the hash: keep the database and its backups
// safe.
const (
	MinPIN      = 6
	MinPassword = 10
	// MaxPasswordBytes is the most bcrypt reads; longer secrets would be
	// cut silently, so they are refused.
	MaxPasswordBytes = 72
)

// tooShort is the advice every too-short secret gets.
const tooShort = "use at least 10 characters, or a PIN of at least 6 digits"

// CheckPassword reports what is wrong with a new password or PIN, with a
// message that says how to fix it. It never repeats the secret.
func CheckPassword(pw string) error {
	pw = norm.NFC.String(pw)
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return fmt.Errorf("%w: the password is not valid text; type it again", ErrInvalid)
	case n == 0:
		return fmt.Errorf("%w: the password is empty; %s", ErrInvalid, tooShort)
	case len(pw) > MaxPasswordBytes:
		return fmt.Errorf("%w: the password is longer than %d bytes, the most that is used; choose a shorter one (about 70 letters, fewer with accents)", ErrInvalid, MaxPasswordBytes)
	}
	for _, r := range pw {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: the password holds a control character (such as a tab); use letters, digits, spaces and punctuation", ErrInvalid)
		}
	}
	if isPIN(pw) {
		switch {
		case n < MinPIN:
			return fmt.Errorf("%w: the PIN has %d digits; use at least %d digits, or a password of at least %d characters", ErrInvalid, n, MinPIN, MinPassword)
		case isRun(pw):
			return fmt.Errorf("%w: the PIN is one digit repeated or digits counting up or down, which are guessed first; choose digits that do not follow a pattern", ErrInvalid)
		}
		return nil
	}
	switch {
	case n < MinPassword:
		return fmt.Errorf("%w: the password has %d characters; %s", ErrInvalid, n, tooShort)
	case strings.Count(pw, pw[:1]) == len(pw):
		return fmt.Errorf("%w: the password is one character repeated; use a few words or a short sentence", ErrInvalid)
	}
	return nil
}

// isPIN reports whether pw is all ASCII digits.
func isPIN(pw string) bool {
	for i := 0; i < len(pw); i++ {
		if pw[i] < '0' || pw[i] > '9' {
			return false
		}
	}
	return pw != ""
}

// isRun reports whether the digits of pin all step by the same 0, +1 or
// -1 (wrapping 9 to 0): 000000, 123456, 987654, 890123.
func isRun(pin string) bool {
	step := (int(pin[1]) - int(pin[0]) + 10) % 10
	if step != 0 && step != 1 && step != 9 {
		return false
	}
	for i := 2; i < len(pin); i++ {
		if (int(pin[i])-int(pin[i-1])+10)%10 != step {
			return false
		}
	}
	return true
}

// HashCost is bcrypt's work factor. One check took about 235 ms at cost
// 12 on the development machine (AMD EPYC, 2 cores: 80 ms at 10, 135 ms
// at 11, 540 ms at 13); BenchmarkLoginCheck measures it. That is
// hardly noticed at a login, and makes a guesser with a copy of the
// database millions of times slower than against a fast hash. Raise it by one when the
// kiosk hardware gets twice as fast.
//
// Why bcrypt (golang.org/x/crypto/bcrypt): it is maintained by the Go
// team, slow by design, and has one number to set. argon2id would also
// do, but needs memory, threads and time chosen together, and a memory
// setting wrong for a small kiosk PC either helps attackers or makes the
// machine swap.
const HashCost = 12

// Hash returns the bcrypt hash of pw (normalised to Unicode NFC, so the
// same letters typed on a phone or a PC match) with a fresh salt.
func Hash(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(norm.NFC.String(pw)), HashCost)
	if errors.Is(err, bcrypt.ErrPasswordTooLong) {
		return "", fmt.Errorf("%w: the password is longer than %d bytes; choose a shorter one", ErrInvalid, MaxPasswordBytes)
	}
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// dummyHash is the bcrypt hash, at HashCost, of random bytes that were
// thrown away. Verify checks a password against it for an unknown user,
// so that a login for a name that does not exist takes as long as one
// that does.
const dummyHash = "$2a$12$DvmxxW5q1I8iKsfEkl2Uqus2MPaotRhA4x81Gnlz7xCLxyHlinkXa"

// Verify reports whether pw matches hash. An empty hash (no such user) is
// checked against a dummy hash all the same, taking as long, and never
// matches.
func Verify(hash, pw string) bool {
	if hash == "" {
		bcrypt.CompareHashAndPassword([]byte(dummyHash), []byte(norm.NFC.String(pw)))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(norm.NFC.String(pw))) == nil
}

// CheckLogin decides a login with password for u, the user found by the
// name typed (ID 0 when there is none), whose stored hash is hash: whether
// it lets them in, and the audit entry that records the attempt. Every
// store's Login decides through it, so that an unknown name, a disabled
// account and a wrong password are told apart in the audit log alone,
// and all take one bcrypt check's time.
func CheckLogin(u User, hash, password string) (bool, Entry) {
	ok := Verify(hash, password) // a dummy check when there is no user
	// An unknown name is not written down: people type their password
	// into the name field often enough.
	e := Entry{Actor: u.Name, Action: ActionLoginFailed}
	switch {
	case u.ID == 0:
		ok, e.Detail = false, "unknown name"
	case u.Disabled:
		ok, e.Detail = false, "account disabled"
	case !ok:
		e.Detail = "wrong password"
	default:
		e.Action = ActionLogin
	}
	return ok, e
}
