package correction

import (
	"errors"
	"testing"

	"buurtbalie/internal/programme"
)

func TestCheck(t *testing.T) {
	for _, tt := range []struct {
		shipped, text, reason string
	}{
		{"Wat is er vandaag?", "Bugün neler var?", ""},
		{"Nog {{.Count}} minuten", "{{.Count}} dakika kaldı", ""},
		{"Nog {{.Count}} minuten", "Biraz bekleyin", "correction_placeholders"},
		{"Nog {{.Count}} minuten", "{{.Count}} dakika {{.Extra}}", "correction_placeholders"},
		{"Nog {{.Count}} minuten", "{{.Count dakika", "correction_braces"},
		{"Wat is er vandaag?", "   ", "correction_empty"},
		{"Wat?", string(make([]byte, MaxText+1)), "correction_too_long"},
	} {
		err := Check(tt.shipped, tt.text)
		var inv *programme.InvalidError
		switch {
		case tt.reason == "" && err != nil:
			t.Errorf("Check(%q) = %v", tt.text, err)
		case tt.reason != "" && (!errors.As(err, &inv) || inv.Reason != tt.reason):
			t.Errorf("Check(%q) = %v, want %s", tt.text, err, tt.reason)
		}
	}
}

func TestVisitor(t *testing.T) {
	for id, want := range map[string]bool{
		"welcome.today": true, "ask.reassure": true, "web.visitor.title": true, "slip.hours_label": true,
		"web.queue.title": false, "import.skipped": false, "staff.menu_title": false, "language.checked": false,
	} {
		if got := Visitor(id); got != want {
			t.Errorf("Visitor(%s) = %v, want %v", id, got, want)
		}
	}
}
