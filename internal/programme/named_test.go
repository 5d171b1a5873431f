package programme_test

import (
	"errors"
	"testing"

	"buurtbalie/internal/programme"
)

func TestKeyFor(t *testing.T) {
	for name, want := range map[string]string{
		"Koken & Bakken":         "koken-bakken",
		"  Café  ":               "cafe",
		"Sağlık / Gezondheid":    "saglik-gezondheid",
		"&&&":                    "",
		"Fietsen 2.0":            "fietsen-2-0",
		"Één keer per maand!!":   "een-keer-per-maand",
		"Praten over je zorgen?": "praten-over-je-zorgen",
	} {
		if got := programme.KeyFor(name); got != want {
			t.Errorf("KeyFor(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestValidateNamed(t *testing.T) {
	names := map[string]string{"nl": "Koken"}
	tests := []struct {
		key, icon string
		names     map[string]string
		builtIn   bool
		reason    string
	}{
		{"koken", "eten", names, false, ""},
		{"eten", "eten", nil, true, ""},
		{"", "eten", names, false, "key_required"},
		{"Koken!", "eten", names, false, "key_format"},
		{"koken", "../x", names, false, "icon_unknown"},
		{"koken", "eten", map[string]string{"en": "Cooking"}, false, "name_required"},
		{"koken", "eten", map[string]string{"nl": "1234567890123456789012345678901234567890x"}, false, "too_long"},
	}
	for _, tt := range tests {
		err := programme.ValidateNamed(tt.key, tt.icon, tt.names, tt.builtIn, "nl")
		var inv *programme.InvalidError
		switch {
		case tt.reason == "" && err != nil:
			t.Errorf("%s: %v", tt.key, err)
		case tt.reason != "" && (!errors.As(err, &inv) || inv.Reason != tt.reason):
			t.Errorf("%q %q: got %v, want %s", tt.key, tt.icon, err, tt.reason)
		}
	}
}
