package house_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/house"
	"buurtbalie/internal/programme"
)

func TestLines(t *testing.T) {
	got := house.Lines("  Ma 9–12 \r\n\n| Wo 13–16 |")
	if strings.Join(got, "/") != "Ma 9–12/Wo 13–16" {
		t.Errorf("Lines = %q", got)
	}
}

func TestValidate(t *testing.T) {
	nl := func(lang string) bool { return lang == "nl" || lang == "en" }
	ok := house.House{Name: "De Eik", Hours: []string{"Ma 9–12"}, Emergency: []string{"112"}, Language: "nl"}
	if err := ok.Validate(nl); err != nil {
		t.Fatalf("valid house: %v", err)
	}
	tests := []struct {
		name   string
		change func(*house.House)
		field  string
	}{
		{"no name", func(h *house.House) { h.Name = "" }, "name"},
		{"long name", func(h *house.House) { h.Name = strings.Repeat("é", house.MaxName+1) }, "name"},
		{"unknown language", func(h *house.House) { h.Language = "xx" }, "language"},
		{"too many lines", func(h *house.House) { h.Hours = make([]string, house.MaxLines+1) }, "hours"},
		{"long line", func(h *house.House) { h.Emergency = []string{strings.Repeat("1", house.MaxLine+1)} }, "emergency"},
	}
	for _, tt := range tests {
		h := ok
		tt.change(&h)
		var inv *programme.InvalidError
		if err := h.Validate(nl); !errors.As(err, &inv) || inv.Field != tt.field {
			t.Errorf("%s: got %v, want an InvalidError of %s", tt.name, err, tt.field)
		}
	}
	// A name of exactly the limit fits.
	h := ok
	h.Name = strings.Repeat("é", house.MaxName)
	if err := h.Validate(nl); err != nil {
		t.Errorf("name of %d characters: %v", house.MaxName, err)
	}
}

func TestHoursLines(t *testing.T) {
	tr := words(t, "nl")
	now := time.Date(2026, 12, 3, 8, 4, 0, 0, amsterdam(t))
	text := house.House{Hours: []string{"Maandag t/m vrijdag 9:30 – 16:00"}}.WithHours()
	if !text.Volunteers.Known() || text.Volunteers.Origin != house.OriginText {
		t.Errorf("the configured text is not read: %+v", text.Volunteers)
	}
	if got := text.HoursLines(tr, now); !equal(got, text.Hours) {
		t.Errorf("HoursLines of text = %q, want the text as written", got)
	}
	form := house.House{Hours: []string{"ma 9-12"}, Volunteers: exampleWeek()}.WithHours()
	// Christmas is 21 days away on 3 December: the slip tells of it.
	if got, want := form.HoursLines(tr, now), []string{"Maandag, dinsdag, donderdag en vrijdag 9:30 – 16:00", "Woensdag 9:30 – 16:00 en 19:00 – 24:00",
		"Dicht: donderdag 24 december t/m vrijdag 1 januari (Kerst)"}; !equal(got, want) {
		t.Errorf("HoursLines of a filled-in schedule = %q, want %q", got, want)
	}
	// In October it is too far ahead, and in January it is over.
	for _, at := range []time.Time{time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC), time.Date(2027, 1, 2, 12, 0, 0, 0, time.UTC)} {
		if got := form.Volunteers.ClosedLines(tr, at); len(got) != 0 {
			t.Errorf("ClosedLines at %s = %q, want none", at, got)
		}
	}
	oneDay := house.Volunteers{Closures: []house.Closure{{From: programme.NewDate(2026, 12, 3)}}}
	if got := oneDay.ClosedLines(words(t, "en"), now); !equal(got, []string{"Closed: Thursday 3 December"}) {
		t.Errorf("ClosedLines of today in English = %q", got)
	}
	unread := house.House{Hours: []string{"Meestal 's middags"}}.WithHours()
	if unread.Volunteers.Known() || !equal(unread.HoursLines(tr, now), unread.Hours) {
		t.Errorf("free text the kiosk cannot read: %+v, lines %q", unread.Volunteers, unread.HoursLines(tr, now))
	}
}
