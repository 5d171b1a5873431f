package account_test

import (
	"errors"
	"slices"
	"testing"

	"buurtbalie/internal/account"
)

func TestCheckLanguages(t *testing.T) {
	offered := []string{"nl", "en", "tr"}
	tests := []struct {
		name    string
		chosen  []string
		want    []string
		wantErr error
	}{
		{"none", nil, nil, nil},
		{"sorted", []string{"tr", "en"}, []string{"en", "tr"}, nil},
		{"repeats once", []string{"en", "en"}, []string{"en"}, nil},
		{"dutch is not stored", []string{"nl", "tr"}, []string{"tr"}, nil},
		{"only dutch", []string{"nl"}, nil, nil},
		{"unknown", []string{"en", "xx"}, nil, account.ErrInvalid},
		{"empty tag", []string{""}, nil, account.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := account.CheckLanguages(tt.chosen, offered, "nl")
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNobodySpeaks(t *testing.T) {
	tests := []struct {
		lang   string
		onDuty []string
		want   bool
	}{
		{"nl", nil, false}, // everyone speaks Dutch
		{"", nil, false},   // asked before languages were stored
		{"tr", nil, true},
		{"tr", []string{"en"}, true},
		{"tr", []string{"en", "tr"}, false},
		{"en", []string{"en"}, false},
	}
	for _, tt := range tests {
		if got := account.NobodySpeaks(tt.lang, "nl", tt.onDuty); got != tt.want {
			t.Errorf("NobodySpeaks(%q, nl, %q) = %v, want %v", tt.lang, tt.onDuty, got, tt.want)
		}
	}
}
