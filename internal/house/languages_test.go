package house

import (
	"errors"
	"slices"
	"testing"

	"buurtbalie/internal/programme"
)

func TestOfferedLanguages(t *testing.T) {
	have := []string{"nl", "ar", "en", "pl", "ti", "tr", "uk"}
	for _, tt := range []struct {
		chosen []string
		def    string
		want   []string
	}{
		{nil, "nl", have},
		{[]string{"tr", "nl", "ar"}, "nl", []string{"tr", "nl", "ar"}},
		{[]string{"tr", "ar"}, "nl", []string{"nl", "tr", "ar"}}, // the default is always there
		{[]string{"xx", "ar", "ar"}, "nl", []string{"nl", "ar"}},
	} {
		if got := OfferedLanguages(tt.chosen, have, tt.def); !slices.Equal(got, tt.want) {
			t.Errorf("OfferedLanguages(%q) = %q, want %q", tt.chosen, got, tt.want)
		}
	}
}

func TestCheckLanguages(t *testing.T) {
	has := func(l string) bool { return l == "nl" || l == "tr" }
	for _, tt := range []struct {
		chosen []string
		reason string
	}{
		{[]string{"nl", "tr"}, ""},
		{nil, "languages_none"},
		{[]string{"tr"}, "languages_default"},
		{[]string{"nl", "de"}, "language_unknown"},
	} {
		err := CheckLanguages(tt.chosen, has, "nl")
		var inv *programme.InvalidError
		switch {
		case tt.reason == "" && err != nil:
			t.Errorf("CheckLanguages(%q) = %v", tt.chosen, err)
		case tt.reason != "" && (!errors.As(err, &inv) || inv.Reason != tt.reason):
			t.Errorf("CheckLanguages(%q) = %v, want reason %s", tt.chosen, err, tt.reason)
		}
	}
	if got := SplitLanguages(JoinLanguages([]string{"tr", "ar"})); !slices.Equal(got, []string{"tr", "ar"}) {
		t.Errorf("round trip = %q", got)
	}
}
