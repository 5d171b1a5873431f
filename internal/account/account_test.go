package account_test

import (
	"errors"
	"strings"
	"testing"

	"buurtbalie/internal/account"
)

func TestParseRole(t *testing.T) {
	tests := []struct {
		in      string
		want    account.Role
		wantErr bool
	}{
		{"staff", account.Staff, false},
		{"volunteer", account.Volunteer, false},
		{" Volunteer ", account.Volunteer, false},
		{"admin", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := account.ParseRole(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseRole(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !errors.Is(err, account.ErrInvalid) {
			t.Errorf("ParseRole(%q): %v, want ErrInvalid", tt.in, err)
		}
	}
}

func TestCheckName(t *testing.T) {
	tests := []struct {
		name string
		want string // part of the error; "" for none
	}{
		{"Anna", ""},
		{"Anna de Vries", ""},
		{"José", ""},
		{"Ünal Öztürk-Bakker", ""},
		{strings.Repeat("a", 40), ""},
		{strings.Repeat("é", 40), ""},
		{"", "the name is empty"},
		{strings.Repeat("a", 41), "the name has 41 characters; use at most 40"},
		{"An\nna", "control character"},
		{"An\tna", "control character"},
		{"Anna\u202e", "invisible or control character"},
		{"An\u200bna", "invisible or control character"},
		{"An\xffna", "not valid text"},
	}
	for _, tt := range tests {
		err := account.CheckName(tt.name)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("CheckName(%q) = %v, want nil", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("CheckName(%q) = %v, want an error with %q", tt.name, err, tt.want)
		case err != nil && !errors.Is(err, account.ErrInvalid):
			t.Errorf("CheckName(%q) = %v, want ErrInvalid", tt.name, err)
		}
	}
}

func TestNormaliseName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Anna ", "Anna"},
		{"Jose\u0301", "Jos\u00e9"}, // e + combining acute, as some phones send it
		{"Anna de Vries", "Anna de Vries"},
	}
	for _, tt := range tests {
		if got := account.NormaliseName(tt.in); got != tt.want {
			t.Errorf("NormaliseName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKeys(t *testing.T) {
	if got, want := account.UserKey(" ANNA "), account.UserKey("anna"); got != want || got != "user:anna" {
		t.Errorf("UserKey(\" ANNA \") = %q, UserKey(\"anna\") = %q, want both user:anna", got, want)
	}
	if got, want := account.AddrKey("192.168.1.20"), "addr:192.168.1.20"; got != want {
		t.Errorf("AddrKey = %q, want %q", got, want)
	}
}

func TestEntryValidate(t *testing.T) {
	tests := []struct {
		e       account.Entry
		wantErr bool
	}{
		{account.Entry{Actor: "Anna", Action: "viewed", QuestionID: 3}, false},
		{account.Entry{Action: account.ActionUserAdded, Detail: "Bram, volunteer"}, false},
		{account.Entry{Actor: "Anna"}, true},
		{account.Entry{Action: "  "}, true},
		{account.Entry{Action: "viewed", Detail: strings.Repeat("x", account.MaxDetail+1)}, true},
		{account.Entry{Action: "viewed", Actor: strings.Repeat("x", account.MaxName+1)}, true},
		{account.Entry{Action: "viewed", QuestionID: -1}, true},
	}
	for _, tt := range tests {
		if err := tt.e.Validate(); (err != nil) != tt.wantErr {
			t.Errorf("%+v: Validate() = %v, want error %v", tt.e, err, tt.wantErr)
		}
	}
}
