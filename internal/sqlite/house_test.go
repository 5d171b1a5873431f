package sqlite_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/house"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

func TestHouse(t *testing.T) {
	ctx := context.Background()
	db, path := open(t)
	defaults := house.House{Name: "Buurthuis De Linde", Hours: []string{"Ma 9–12"}, Emergency: []string{"112"}, Language: "nl"}
	hs := sqlite.NewHouseService(db, defaults)

	h, err := hs.House(ctx)
	if err != nil || !reflect.DeepEqual(h, defaults.WithHours()) {
		t.Fatalf("fresh house = %+v, %v; want the defaults %+v", h, err, defaults)
	}

	saved := house.House{Name: "De Eik", Hours: []string{"Ma 9–12", "Wo 13–16"}, Emergency: []string{"112"}, Language: "en"}
	if err := hs.SaveHouse(ctx, saved, "Sanne"); err != nil {
		t.Fatal(err)
	}
	// Another connection (the kiosk, while the web app saved) reads it.
	other, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if h, err := sqlite.NewHouseService(other, defaults).House(ctx); err != nil || !reflect.DeepEqual(h, saved.WithHours()) {
		t.Errorf("after saving, the other connection reads %+v, %v; want %+v", h, err, saved)
	}
	// Only what differs from the config is stored, so a changed config
	// file still shows for the rest.
	var n int
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM house`).Scan(&n); err != nil || n != 3 {
		t.Errorf("house rows = %d, %v; want 3 (name, hours, language)", n, err)
	}
	newConfig := defaults
	newConfig.Emergency = []string{"112", "113"}
	if h, _ := sqlite.NewHouseService(db, newConfig).House(ctx); !reflect.DeepEqual(h.Emergency, newConfig.Emergency) {
		t.Errorf("emergency numbers staff never changed = %q; want the config's %q", h.Emergency, newConfig.Emergency)
	}

	// The kiosk's staff mode changes only the language.
	if err := hs.SetLanguage(ctx, "nl", "kiosk"); err != nil {
		t.Fatal(err)
	}
	if h, _ := hs.House(ctx); h.Language != "nl" || h.Name != "De Eik" {
		t.Errorf("after SetLanguage: %+v", h)
	}
	// The languages offered, in staff's order, kept apart from the rest.
	if err := hs.SetLanguages(ctx, []string{"tr", "nl", "ar"}, "Sanne"); err != nil {
		t.Fatal(err)
	}
	if h, _ := hs.House(ctx); !reflect.DeepEqual(h.Languages, []string{"tr", "nl", "ar"}) || h.Name != "De Eik" {
		t.Errorf("after SetLanguages: %+v", h)
	}
	if err := hs.SetLanguages(ctx, nil, "Sanne"); err != nil {
		t.Fatal(err)
	}
	// Saving the defaults again goes back to following the config.
	if err := hs.SaveHouse(ctx, defaults, "Sanne"); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM house`).Scan(&n); err != nil || n != 0 {
		t.Errorf("house rows after saving the defaults = %d, %v; want 0", n, err)
	}
}

func TestTopicsHiddenAndSaved(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	qs := sqlite.NewQuestionService(db)
	if err := qs.SetTopicHidden(ctx, "werk", true); err != nil {
		t.Fatal(err)
	}
	if err := qs.SetTopicHidden(ctx, "nope", true); err == nil {
		t.Error("hiding an unknown topic: no error")
	}
	if err := qs.SaveTopic(ctx, questionTopic("computer", "phone", "Computer & telefoon")); err != nil {
		t.Fatal(err)
	}
	topics, err := qs.Topics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	last := topics[len(topics)-1]
	if len(topics) != 8 || last.Key != "computer" || last.Names["nl"] != "Computer & telefoon" {
		t.Errorf("topics %+v: want 8, the new one last", topics)
	}
	for _, tp := range topics {
		if tp.Hidden != (tp.Key == "werk") {
			t.Errorf("topic %s hidden = %t", tp.Key, tp.Hidden)
		}
	}
}

func questionTopic(key, icon, name string) question.Topic {
	return question.Topic{Key: key, Icon: icon, Names: map[string]string{"nl": name}}
}

// The schedule staff fill in is read back as saved, by another
// connection too, and from then on is the house's hours.
func TestVolunteersRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, path := open(t)
	defaults := house.House{Name: "Buurthuis De Linde", Hours: []string{"Maandag t/m vrijdag 9:30 – 16:00"}, Language: "nl"}
	hs := sqlite.NewHouseService(db, defaults)

	var v house.Volunteers
	v.Week[time.Monday] = []house.Period{{From: programme.Clock(9, 0), To: programme.Clock(12, 0)}, {From: programme.Clock(13, 0), To: programme.Clock(16, 30)}}
	v.Week[time.Sunday] = []house.Period{{From: programme.Clock(19, 0), To: programme.EndOfDay}}
	v.Closures = []house.Closure{
		{From: programme.NewDate(2026, 12, 24), To: programme.NewDate(2027, 1, 1), Reason: "Kerst"},
		{From: programme.NewDate(2026, 12, 10)},
	}
	v.Note = "In de schoolvakanties alleen 's ochtends."
	v.Origin = house.OriginForm
	if err := v.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := hs.SaveVolunteers(ctx, v, "Sanne"); err != nil {
		t.Fatal(err)
	}
	other, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	h, err := sqlite.NewHouseService(other, defaults).House(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := v
	// Closures come back in date order.
	want.Closures = []house.Closure{v.Closures[1], v.Closures[0]}
	if !reflect.DeepEqual(h.Volunteers, want) {
		t.Errorf("read back %+v\nwant %+v", h.Volunteers, want)
	}
	// Saving the house's other settings keeps the schedule.
	if err := hs.SaveHouse(ctx, house.House{Name: "De Eik", Hours: defaults.Hours, Language: "nl"}, "Sanne"); err != nil {
		t.Fatal(err)
	}
	if h, _ := hs.House(ctx); h.Volunteers.Origin != house.OriginForm || len(h.Volunteers.Week[time.Monday]) != 2 {
		t.Errorf("after saving the house, the schedule is %+v", h.Volunteers)
	}
	// A second save replaces the first, closures and all.
	v2 := house.Volunteers{Origin: house.OriginForm}
	v2.Week[time.Tuesday] = []house.Period{{From: programme.Clock(13, 0), To: programme.Clock(17, 0)}}
	if err := hs.SaveVolunteers(ctx, v2, "Sanne"); err != nil {
		t.Fatal(err)
	}
	if h, _ := hs.House(ctx); !reflect.DeepEqual(h.Volunteers, v2) {
		t.Errorf("after the second save %+v, want %+v", h.Volunteers, v2)
	}
}

// A house that never filled in the schedule keeps its free-text hours,
// from the config file or as staff saved them before migration 008, and
// the kiosk reads them when they have the plain form, and only then.
func TestVolunteersFromOldText(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		config []string
		saved  []string // staff's text in the house table, nil for none
		origin house.Origin
		inAt   time.Time
		in     bool
	}{
		{"the config's default", []string{"Maandag t/m vrijdag 9:30 – 16:00"}, nil, house.OriginText,
			time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC), true},
		{"at 08:04, before the default's hours", []string{"Maandag t/m vrijdag 9:30 – 16:00"}, nil, house.OriginText,
			time.Date(2026, 12, 3, 8, 4, 0, 0, time.UTC), false},
		{"staff's old text", []string{"Maandag t/m vrijdag 9:30 – 16:00"}, []string{"Dinsdag en donderdag 13:00 – 17:00"}, house.OriginText,
			time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC), true},
		{"staff's old text the kiosk cannot read", nil, []string{"Meestal 's middags, bel even"}, house.OriginNone,
			time.Date(2026, 12, 3, 14, 0, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := open(t)
			defaults := house.House{Name: "Buurthuis De Linde", Hours: tt.config, Language: "nl"}
			hs := sqlite.NewHouseService(db, defaults)
			if tt.saved != nil {
				if _, err := db.SQL().ExecContext(ctx, `INSERT INTO house (key, value, updated_at) VALUES ('hours', ?, '2026-01-01T00:00:00Z')`,
					strings.Join(tt.saved, "\n")); err != nil {
					t.Fatal(err)
				}
			}
			h, err := hs.House(ctx)
			if err != nil {
				t.Fatal(err)
			}
			wantHours := tt.config
			if tt.saved != nil {
				wantHours = tt.saved
			}
			if !reflect.DeepEqual(h.Hours, wantHours) {
				t.Errorf("Hours = %q, want the text %q", h.Hours, wantHours)
			}
			if h.Volunteers.Origin != tt.origin || h.Volunteers.InAt(tt.inAt) != tt.in {
				t.Errorf("Volunteers origin %d, in at %s %t; want origin %d, in %t", h.Volunteers.Origin, tt.inAt, h.Volunteers.InAt(tt.inAt), tt.origin, tt.in)
			}
		})
	}
}
