package account_test

import (
	"errors"
	"strings"
	"testing"

	"buurtbalie/internal/account"

	"golang.org/x/crypto/bcrypt"
)

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		want string // part of the error; "" for none
	}{
		{"ten characters", "tulpenbol1", ""},
		{"a sentence", "de koffie is klaar", ""},
		{"accents count as one", "crème brûl", ""},
		{"six-digit PIN", "402917", ""},
		{"long PIN", "40291783", ""},
		{"72 bytes", strings.Repeat("ab", 36), ""},
		{"empty", "", "the password is empty; use at least 10 characters, or a PIN of at least 6 digits"},
		{"short password", "geheim1!", "the password has 8 characters; use at least 10 characters, or a PIN of at least 6 digits"},
		{"nine characters", "tulpenbol", "has 9 characters"},
		{"short PIN", "4029", "the PIN has 4 digits; use at least 6 digits, or a password of at least 10 characters"},
		{"five digits", "40291", "the PIN has 5 digits"},
		{"PIN run up", "123456", "counting up or down"},
		{"PIN run down", "987654", "counting up or down"},
		{"PIN wraps", "890123", "counting up or down"},
		{"PIN repeated", "000000", "one digit repeated"},
		{"repeated letter", "aaaaaaaaaaaa", "one character repeated"},
		{"73 bytes", strings.Repeat("a", 72) + "b", "longer than 72 bytes"},
		{"tab", "de koffie\tis klaar", "control character"},
		{"invalid UTF-8", "de koffie \xff klaar", "not valid text"},
		{"digits with a space are a password", "123 456", "has 7 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := account.CheckPassword(tt.pw)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("got %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("got %v, want an error with %q", err, tt.want)
			case err != nil && !errors.Is(err, account.ErrInvalid):
				t.Fatalf("got %v, want ErrInvalid", err)
			}
			if err != nil && len(tt.pw) >= 4 && strings.Contains(err.Error(), tt.pw) {
				t.Errorf("the message %q repeats the password", err)
			}
		})
	}
}

func TestHashVerify(t *testing.T) {
	const pw = "Jose\u0301 drinkt koffie" // decomposed é, as some keyboards send it
	hash, err := account.Hash(pw)
	if err != nil {
		t.Fatal(err)
	}
	if cost, err := bcrypt.Cost([]byte(hash)); err != nil || cost != account.HashCost {
		t.Errorf("hash cost %d (%v), want %d", cost, err, account.HashCost)
	}
	if strings.Contains(hash, "koffie") {
		t.Errorf("hash %q holds the password", hash)
	}
	tests := []struct {
		hash, pw string
		want     bool
	}{
		{hash, pw, true},
		{hash, "Jos\u00e9 drinkt koffie", true}, // composed é: the same letters
		{hash, "jose drinkt koffie", false},
		{hash, "", false},
		{"", pw, false},
		{"not a hash", pw, false},
	}
	for _, tt := range tests {
		if got := account.Verify(tt.hash, tt.pw); got != tt.want {
			t.Errorf("Verify(%.10q…, %q) = %v, want %v", tt.hash, tt.pw, got, tt.want)
		}
	}
	again, err := account.Hash(pw)
	if err != nil || again == hash {
		t.Errorf("a second hash of the same password is %q (%v), want a fresh salt", again, err)
	}
	if _, err := account.Hash(strings.Repeat("a", 73)); !errors.Is(err, account.ErrInvalid) {
		t.Errorf("Hash of 73 bytes: %v, want ErrInvalid", err)
	}
}

// The dummy hash an unknown user is checked against must cost as much as
// a real one, or the time a login takes tells which names exist.
func TestDummyHashCost(t *testing.T) {
	cost, err := bcrypt.Cost([]byte(account.DummyHash))
	if err != nil || cost != account.HashCost {
		t.Errorf("dummy hash cost %d (%v), want HashCost %d; make a new one", cost, err, account.HashCost)
	}
}

// BenchmarkLoginCheck measures one password check at HashCost, the time a
// login takes (aim: 100–250 ms on the kiosk PC).
func BenchmarkLoginCheck(b *testing.B) {
	hash, err := account.Hash("de koffie is klaar")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if account.Verify(hash, "de thee is klaar") {
			b.Fatal("wrong password accepted")
		}
	}
}
