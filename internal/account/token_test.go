package account_test

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"

	"buurtbalie/internal/account"
)

func TestNewToken(t *testing.T) {
	a, err := account.NewToken(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := account.NewToken(rand.Reader)
	if len(a) != 43 || a == b || !account.ValidToken(a) {
		t.Errorf("tokens %q and %q: want two different valid tokens of 43 characters", a, b)
	}
	if _, err := account.NewToken(bytes.NewReader(make([]byte, 31))); err == nil {
		t.Errorf("NewToken with 31 random bytes: no error")
	}
}

func TestValidToken(t *testing.T) {
	good, _ := account.NewToken(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	tests := []struct {
		s    string
		want bool
	}{
		{good, true},
		{"", false},
		{good[:42], false},
		{good + "A", false},
		{good[:42] + "+", false},
		{good[:42] + "=", false},
	}
	for _, tt := range tests {
		if got := account.ValidToken(tt.s); got != tt.want {
			t.Errorf("ValidToken(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestHashToken(t *testing.T) {
	tok, _ := account.NewToken(rand.Reader)
	h := account.HashToken(tok)
	if len(h) != 64 || strings.Contains(h, tok) || h != account.HashToken(tok) {
		t.Errorf("HashToken(%q) = %q, want 64 hex digits, stable, not the token", tok, h)
	}
}
