package sqlite_test

import (
	"context"
	"reflect"
	"testing"

	"buurtbalie/internal/house"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

func TestHouse(t *testing.T) {
	ctx := context.Background()
	db, path := open(t)
	defaults := house.House{Name: "Buurthuis De Linde", Hours: []string{"Ma 9–12"}, Emergency: []string{"112"}, Language: "nl"}
	hs := sqlite.NewHouseService(db, defaults)

	h, err := hs.House(ctx)
	if err != nil || !reflect.DeepEqual(h, defaults) {
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
	if h, err := sqlite.NewHouseService(other, defaults).House(ctx); err != nil || !reflect.DeepEqual(h, saved) {
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
