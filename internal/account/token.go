package account

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"
)

// TokenBytes is a session token's length in random bytes: 256 bits, far
// beyond guessing, so a fast hash suffices to store it (HashToken).
const TokenBytes = 32

// tokenLen is a token's length in unpadded base64url: six bits a
// character.
const tokenLen = (TokenBytes*8 + 5) / 6

// SessionIdle is how long a session lasts without use: a volunteer's
// working day, so a phone left in a drawer overnight is logged out.
const SessionIdle = 12 * time.Hour

var errShortRand = errors.New("not enough random bytes")

// NewToken returns a fresh URL-safe token of TokenBytes random bytes from
// r (crypto/rand.Reader in production), for session cookies and CSRF
// tokens.
func NewToken(r io.Reader) (string, error) {
	b := make([]byte, TokenBytes)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("new token: %w: %v", errShortRand, err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ValidToken reports whether s has the shape of a token NewToken makes,
// so a store need not look up what cannot exist.
func ValidToken(s string) bool {
	if len(s) != tokenLen {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// HashToken returns the SHA-256 of a session token, in hex: what the
// store keeps instead of the token, so a copy of the database file holds
// no session anyone can use. A slow hash is not needed: the token is
// random, not chosen by a person.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
