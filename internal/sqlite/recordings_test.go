package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"buurtbalie/internal/voice"
)

// TestRecordingsAreInTheBackup stores a recording and a spoken-only
// language, backs the database up, and finds both in the backup; removing
// the language removes its recordings.
func TestRecordingsAreInTheBackup(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rs := NewRecordingService(db)
	samples := make([]byte, 44100)
	samples[100] = 7
	if err := rs.AddSpokenLanguage(ctx, voice.SpokenLanguage{Code: "x-darija", Name: "Darija"}, "Sanne"); err != nil {
		t.Fatal(err)
	}
	if err := rs.AddSpokenLanguage(ctx, voice.SpokenLanguage{Code: "x-darija2", Name: "Darija"}, "Sanne"); err != ErrNameTaken {
		t.Errorf("a second Darija: %v, want ErrNameTaken", err)
	}
	for _, lang := range []string{"x-darija", "ti"} {
		if err := rs.SaveRecording(ctx, lang, "ask.topic_title", samples, "Sanne"); err != nil {
			t.Fatal(err)
		}
	}
	path, err := db.Backup(ctx, t.TempDir(), 3)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	got, ok := NewRecordingService(b).Recording(ctx, "ti", "ask.topic_title")
	if !ok || len(got) != len(samples) || got[100] != 7 {
		t.Errorf("the backup's recording: %d bytes, %v", len(got), ok)
	}
	if langs, err := NewRecordingService(b).SpokenLanguages(ctx); err != nil || len(langs) != 1 || langs[0].Name != "Darija" {
		t.Errorf("the backup's spoken languages: %+v, %v", langs, err)
	}
	list, _ := rs.Recordings(ctx)
	if len(list) != 2 || list[0].Length.Seconds() < 0.99 || list[0].Length.Seconds() > 1.01 {
		t.Errorf("recordings listed: %+v", list)
	}
	if err := rs.RemoveSpokenLanguage(ctx, "x-darija"); err != nil {
		t.Fatal(err)
	}
	if _, ok := rs.Recording(ctx, "x-darija", "ask.topic_title"); ok {
		t.Error("Darija's recording outlived it")
	}
	if _, ok := rs.Recording(ctx, "ti", "ask.topic_title"); !ok {
		t.Error("removing Darija removed Tigrinya's recording")
	}
}
