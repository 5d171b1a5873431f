package voice

import (
	"errors"
	"slices"
	"testing"
)

func TestPrompts(t *testing.T) {
	ids := []string{"ask.topic_title", "web.login.title", "detail.room", "welcome.today", "language.name", "slip.code_label", "topic.geld"}
	plain := func(id string) bool { return id != "detail.room" }
	got := Prompts(ids, plain)
	want := []string{"language.name", "ask.topic_title", "welcome.today", "topic.geld"}
	if !slices.Equal(got, want) {
		t.Errorf("Prompts = %q, want %q", got, want)
	}
}

func TestNewSpokenLanguage(t *testing.T) {
	taken := map[string]bool{"nl": true, "Nederlands": true, "x-tamazit": true}
	is := func(s string) bool { return taken[s] }
	for _, c := range []struct{ name, code, shown string }{
		{"Tamaziɣt", "x-tamazit2", "Tamaziɣt"},
		{"  Darija ", "x-darija", "Darija"},
		{"ⵜⴰⵎⴰⵣⵉⵖⵜ", "x-spoken", "ⵜⴰⵎⴰⵣⵉⵖⵜ"},
	} {
		l, err := NewSpokenLanguage(c.name, is)
		if err != nil || l.Code != c.code || l.Name != c.shown || !IsSpoken(l.Code) {
			t.Errorf("NewSpokenLanguage(%q) = %+v, %v; want %s %q", c.name, l, err, c.code, c.shown)
		}
	}
	for _, bad := range []string{"", "Nederlands", "<script>", "Een taal met een heel erg lange naam die niet past"} {
		if _, err := NewSpokenLanguage(bad, is); !errors.Is(err, ErrName) {
			t.Errorf("NewSpokenLanguage(%q) = %v, want refused", bad, err)
		}
	}
}
