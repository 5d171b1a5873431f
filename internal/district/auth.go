package district

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A kiosk proves each request with its own secret key, which it got when
// it joined and which never travels again (a house with two entrances
// has two kiosks, each with its own key): the request carries the
// kiosk's id, the time, a fresh nonce and an HMAC-SHA256 over those, the
// method, the path and the body's hash. The district refuses a request
// whose signature is wrong (forged), whose time is off by more than
// MaxSkew, or whose nonce it has seen (replayed).
const (
	HeaderKiosk     = "Buurtbalie-Kiosk"
	HeaderTime      = "Buurtbalie-Time"
	HeaderNonce     = "Buurtbalie-Nonce"
	HeaderSignature = "Buurtbalie-Signature"
)

// MaxSkew is how far a request's time may be from the district's clock.
// Nonces are kept for twice as long, so a request cannot be replayed
// once its nonce is forgotten.
const MaxSkew = 5 * time.Minute

// NewKey returns a kiosk's new secret key, as it is stored and sent once.
func NewKey() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// NewNonce returns a request's fresh nonce.
func NewNonce() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:])
}

// Sign returns the signature of a request.
func Sign(key, method, path, kiosk string, at time.Time, nonce string, body []byte) string {
	sum := sha256.Sum256(body)
	mac := hmac.New(sha256.New, []byte(key))
	fmt.Fprintf(mac, "%s\n%s\n%s\n%d\n%s\n%x", method, path, kiosk, at.Unix(), nonce, sum)
	return hex.EncodeToString(mac.Sum(nil))
}

// Errors of a request that does not prove itself.
var (
	ErrForged  = errors.New("the signature does not match this house's key")
	ErrClock   = errors.New("the request's time is too far from the district's clock")
	ErrReplay  = errors.New("this request was sent before")
	ErrUnknown = errors.New("the district does not know this kiosk")
	ErrRevoked = errors.New("the district has revoked this house")
)

// ParseTime reads a request's time header (Unix seconds).
func ParseTime(s string) (time.Time, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q: want Unix seconds", s)
	}
	return time.Unix(n, 0), nil
}

// Verify checks a request's signature and time against now; the nonce
// is the caller's to check, as only it keeps the nonces seen.
func Verify(key, method, path, kiosk string, at time.Time, nonce string, body []byte, signature string, now time.Time) error {
	if len(nonce) < 16 || len(nonce) > 64 {
		return ErrForged
	}
	want := Sign(key, method, path, kiosk, at, nonce, body)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(signature))) {
		return ErrForged
	}
	if d := now.Sub(at); d > MaxSkew || d < -MaxSkew {
		return fmt.Errorf("%w: off by %s", ErrClock, d.Round(time.Second))
	}
	return nil
}

// The enrolment code a district's staff give a house to join: twelve
// letters and digits that cannot be mistaken for one another, in three
// groups ("KQ7M-4XHA-P9RT"), good once and for EnrolmentValid.
const (
	codeAlphabet   = "ACDEFGHJKLMNPQRTUVWXY34679"
	EnrolmentValid = 7 * 24 * time.Hour
)

// NewEnrolmentCode returns a fresh enrolment code.
func NewEnrolmentCode() string {
	var s strings.Builder
	var b [1]byte
	for n := 0; n < 12; {
		if _, err := rand.Read(b[:]); err != nil {
			panic(err)
		}
		// Bytes from 234 up are drawn again: 234 is 9 × 26, so every
		// letter is as likely as the next.
		if int(b[0]) >= 9*len(codeAlphabet) {
			continue
		}
		if n > 0 && n%4 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(codeAlphabet[int(b[0])%len(codeAlphabet)])
		n++
	}
	return s.String()
}

// NormaliseEnrolmentCode reads a code as typed: any case, with or
// without dashes or spaces.
func NormaliseEnrolmentCode(s string) (string, error) {
	var clean []byte
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ':
		case r < 128 && strings.ContainsRune(codeAlphabet, r):
			clean = append(clean, byte(r))
		default:
			return "", fmt.Errorf("the enrolment code has %q, which is not in any code: copy it from the district's page", r)
		}
	}
	if len(clean) != 12 {
		return "", fmt.Errorf("an enrolment code has 12 letters and digits, this one %d: copy it from the district's page", len(clean))
	}
	return string(clean[0:4]) + "-" + string(clean[4:8]) + "-" + string(clean[8:12]), nil
}

// HashEnrolmentCode is how the district keeps a code: only its hash, so
// that a copy of the database cannot be used to join.
func HashEnrolmentCode(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}
