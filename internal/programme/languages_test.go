package programme_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/programme"
)

func TestTextsInLanguageFallBackToDutch(t *testing.T) {
	a := programme.Activity{Title: "Koffieochtend", Description: "Koffie en een praatje",
		Titles:       map[string]string{"tr": "Kahve sabahı", "en": ""},
		Descriptions: map[string]string{"en": "Coffee and a chat"}}
	x := programme.Exception{Note: "de kok is ziek", Notes: map[string]string{"pl": "kucharz jest chory"}}
	tests := []struct {
		name, got, want string
	}{
		{"title in tr", a.TitleIn("tr"), "Kahve sabahı"},
		{"empty title in en falls back", a.TitleIn("en"), "Koffieochtend"},
		{"title in ar falls back", a.TitleIn("ar"), "Koffieochtend"},
		{"title in nl", a.TitleIn("nl"), "Koffieochtend"},
		{"description in en", a.DescriptionIn("en"), "Coffee and a chat"},
		{"description in tr falls back", a.DescriptionIn("tr"), "Koffie en een praatje"},
		{"note in pl", x.NoteIn("pl"), "kucharz jest chory"},
		{"note in uk falls back", x.NoteIn("uk"), "de kok is ziek"},
		{"no translations at all", programme.Activity{Title: "Yoga"}.TitleIn("ti"), "Yoga"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}

func TestOccurrenceCarriesTheNoteInEveryLanguage(t *testing.T) {
	loc := time.UTC
	d := programme.NewDate(2026, 12, 3)
	a := programme.Activity{ID: 1, Title: "Eetcafé", Category: "eten",
		Start: programme.Clock(12, 0), End: programme.Clock(13, 0),
		Schedule: programme.Schedule{Kind: programme.Once, Date: d}}
	x := programme.Exception{ActivityID: 1, Date: d, Cancelled: true, Note: "de kok is ziek",
		Notes: map[string]string{"tr": "aşçı hasta"}}
	o := a.Occur(d, &x, loc)
	if got, want := o.NoteIn("tr"), "aşçı hasta"; got != want {
		t.Errorf("NoteIn(tr) = %q, want %q", got, want)
	}
	if got, want := o.NoteIn("ar"), "de kok is ziek"; got != want {
		t.Errorf("NoteIn(ar) = %q, want %q", got, want)
	}
}

func TestValidateTranslations(t *testing.T) {
	base := func() programme.Activity {
		return programme.Activity{Title: "Yoga", Category: "bewegen",
			Start: programme.Clock(10, 0), End: programme.Clock(11, 0),
			Schedule: programme.Schedule{Kind: programme.Once, Date: programme.NewDate(2026, 12, 3)}}
	}
	long := strings.Repeat("ş", programme.MaxTitle+1)
	tests := []struct {
		name          string
		change        func(*programme.Activity)
		field, reason string // "" for valid
	}{
		{"a Turkish title", func(a *programme.Activity) { a.Titles = map[string]string{"tr": "Yoga dersi"} }, "", ""},
		{"a title of exactly the limit", func(a *programme.Activity) {
			a.Titles = map[string]string{"ar": strings.Repeat("ي", programme.MaxTitle)}
		}, "", ""},
		{"a Turkish title too long", func(a *programme.Activity) { a.Titles = map[string]string{"tr": long} }, "title-tr", "too_long"},
		{"a description too long", func(a *programme.Activity) {
			a.Description = "x"
			a.Descriptions = map[string]string{"uk": strings.Repeat("ж", programme.MaxDescription+1)}
		}, "description-uk", "too_long"},
		{"a translated description without the Dutch", func(a *programme.Activity) {
			a.Descriptions = map[string]string{"en": "Stretching"}
		}, "description-en", "dutch_first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := base()
			tt.change(&a)
			err := a.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var inv *programme.InvalidError
			if !errors.As(err, &inv) || !errors.Is(err, programme.ErrInvalid) {
				t.Fatalf("Validate() = %v, want an InvalidError", err)
			}
			if inv.Field != tt.field || inv.Reason != tt.reason {
				t.Errorf("got %s/%s, want %s/%s", inv.Field, inv.Reason, tt.field, tt.reason)
			}
		})
	}

	x := programme.Exception{ActivityID: 1, Date: programme.NewDate(2026, 12, 3), Cancelled: true,
		Note: "ziek", Notes: map[string]string{"tr": strings.Repeat("a", programme.MaxShort*2+1)}}
	var inv *programme.InvalidError
	if err := x.Validate(); !errors.As(err, &inv) || inv.Field != "note-tr" || inv.Reason != "too_long" {
		t.Errorf("exception with a long Turkish note: Validate() = %v, want note-tr too_long", err)
	}
	x.Note, x.Notes = "", map[string]string{"tr": "hasta"}
	if err := x.Validate(); !errors.As(err, &inv) || inv.Reason != "dutch_first" {
		t.Errorf("exception with only a Turkish note: Validate() = %v, want dutch_first", err)
	}
}
