package web_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/speech"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/web/webdriver"
	"buurtbalie/ui"
)

// recorded are the database's recordings as the kiosk's speaker asks
// for them.
type recorded struct{ *sqlite.RecordingService }

func (r recorded) Recorded(lang string) bool {
	list, _ := r.Recordings(context.Background())
	for _, x := range list {
		if x.Lang == lang {
			return true
		}
	}
	return false
}

// A volunteer who speaks Tigrinya, for which there is no synthetic voice,
// records the topic screen in a real headless Chromium: a WAV file and an
// Ogg/Opus file chosen in the file field, and one recorded with the
// browser's (fake) microphone. The kiosk, on the same database, then
// reads the topic screen in Tigrinya with those recordings, played
// through the real aplay into an ALSA file.
func TestRecordVoicesInChromium(t *testing.T) {
	e := newEndToEnd(t, "Senait", account.Staff, nil)
	b := webdriver.Start(t)
	e.logIn(t, b, "Senait", "/settings/voices")
	b.WaitFind(t, "#v-in")

	dir := t.TempDir()
	wav := spokenWAV(t, "Waar gaat uw vraag over?")
	files := map[string][]byte{"ask.topic_title": wav, "ask.reassure": asOgg(t, spokenWAV(t, "U hoeft uw naam niet te geven."))}
	for prompt, sound := range files {
		path := filepath.Join(dir, prompt+map[bool]string{true: ".wav", false: ".ogg"}[prompt == "ask.topic_title"])
		if err := os.WriteFile(path, sound, 0o644); err != nil {
			t.Fatal(err)
		}
		b.Get(t, e.srv.URL+"/settings/voices?in=ti&q="+prompt)
		b.Type(t, "[id='f-"+prompt+"']", path)
		b.Click(t, "[id='p-"+prompt+"'] form.recorder button[type=submit]")
		b.WaitText(t, ".notice", "De opname is bewaard")
	}
	// The browser's microphone: a second of Chromium's fake beep.
	b.Get(t, e.srv.URL+"/settings/voices?in=ti&q=ask.stop_title")
	b.WaitFind(t, "[id='p-ask.stop_title'] button.record:not([hidden])")
	b.Click(t, "[id='p-ask.stop_title'] button.record")
	time.Sleep(1500 * time.Millisecond) // the length of the recording, not a timing assertion
	b.Click(t, "[id='p-ask.stop_title'] button.record")
	b.WaitText(t, ".notice", "De opname is bewaard")

	recs := recorded{sqlite.NewRecordingService(e.db)}
	for _, prompt := range []string{"ask.topic_title", "ask.reassure", "ask.stop_title"} {
		if s, ok := recs.Recording(context.Background(), "ti", prompt); !ok || len(s) < speech.SampleRate {
			t.Fatalf("%s: %d bytes stored (%v)", prompt, len(s), ok)
		}
	}

	out := filepath.Join(t.TempDir(), "played.raw")
	speaker := &speech.Speaker{Player: speech.Player{Device: "file:FILE=" + out + ",FORMAT=raw"}, Volume: 100, Recordings: recs}
	k, texts := e.kiosk(t, time.Date(2026, 12, 3, 10, 0, 0, 0, e.loc), func(o *ui.Options) { o.Voice = speaker })
	k.SetLanguage("ti")
	k.StartQuestion()
	k.ToggleReadAloud()
	speaker.Wait()
	played, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	title, _ := recs.Recording(context.Background(), "ti", "ask.topic_title")
	reassure, _ := recs.Recording(context.Background(), "ti", "ask.reassure")
	if !bytes.HasPrefix(played, title) || !bytes.Contains(played, reassure) {
		t.Errorf("the Tigrinya topic screen did not play its recordings (%d bytes played, screen %q)", len(played), texts())
	}
}
