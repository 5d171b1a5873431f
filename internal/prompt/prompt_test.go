package prompt_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"buurtbalie/internal/prompt"
)

func TestPassword(t *testing.T) {
	for _, c := range []struct {
		name, in  string
		fromStdin bool
		want      string // the password, or "" for refused
	}{
		{"first line", "wijk-wachtwoord-2026\r\nmore\n", true, "wijk-wachtwoord-2026"},
		{"no newline", "wijk-wachtwoord-2026", true, "wijk-wachtwoord-2026"},
		{"empty", "", true, ""},
		{"too short", "kort\n", true, ""},
		{"not a terminal", "wijk-wachtwoord-2026\n", false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			got, err := prompt.Password(context.Background(), strings.NewReader(c.in), &out, "Anna", c.fromStdin)
			if c.want == "" {
				if !errors.Is(err, prompt.ErrRefused) {
					t.Errorf("got %q, %v; want it refused", got, err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Errorf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
}
