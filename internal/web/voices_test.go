package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"buurtbalie/internal/speech"
	"buurtbalie/internal/sqlite"
)

// houseVoices are the recordings in the test's database and the real
// ffmpeg, as the program wires them.
type houseVoices struct {
	*sqlite.RecordingService
	speech.Converter
}

// record posts a sound file as the voices page's form sends it; no
// name sends the form without a file.
func (c *client) record(lang, prompt, name string, sound []byte) result {
	c.t.Helper()
	fields := map[string]string{"in": lang, "prompt": prompt}
	if name == "" {
		return c.postFile("/settings/voices", fields, "", "", nil)
	}
	return c.postFile("/settings/voices", fields, "sound", name, sound)
}

// spokenWAV is a short sentence said by espeak-ng, as a WAV file: a
// recording stand-in.
func spokenWAV(t testing.TB, line string) []byte {
	t.Helper()
	wav, err := (&speech.Speaker{}).WAV(context.Background(), speech.Parts("nl", []string{line}))
	if err != nil {
		t.Fatal(err)
	}
	return wav
}

// asOgg is wav as Ogg/Opus, as Firefox records.
func asOgg(t testing.TB, wav []byte) []byte {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.wav"), filepath.Join(dir, "out.ogg")
	os.WriteFile(in, wav, 0o644)
	if b, err := exec.Command("ffmpeg", "-nostdin", "-loglevel", "error", "-i", in, "-c:a", "libopus", out).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, b)
	}
	b, _ := os.ReadFile(out)
	return b
}

// TestRecordAVoice: staff upload a WAV and an Ogg/Opus recording of a
// prompt; it is stored converted, listed, playable as WAV, in the audit
// log; a file that is not sound and a silent one are refused saying
// why; removing it works; volunteers cannot reach the page.
func TestRecordAVoice(t *testing.T) {
	e := newSettingsEnv(t)
	c := e.staff()
	page := c.get("/settings/voices?in=ti")
	wantStatus(t, "GET /settings/voices", page, http.StatusOK)
	for _, want := range []string{`id="p-language.name"`, `id="p-ask.topic_title"`, "Waar gaat uw vraag over?", `type="file"`, "Nog niet opgenomen"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page.body, `id="p-web.`) || strings.Contains(page.body, `id="p-detail.room"`) {
		t.Error("the page offers staff pages' messages or one with a room filled in")
	}
	wav := spokenWAV(t, "Waar gaat uw vraag over?")
	for _, f := range []struct {
		name string
		b    []byte
	}{{"vraag.wav", wav}, {"vraag.ogg", asOgg(t, wav)}} {
		r := c.record("ti", "ask.topic_title", f.name, f.b)
		wantStatus(t, "upload "+f.name, r, http.StatusSeeOther)
		samples, ok := sqlite.NewRecordingService(e.db).Recording(context.Background(), "ti", "ask.topic_title")
		if secs := float64(len(samples)) / 2 / speech.SampleRate; !ok || secs < 1 || secs > float64(len(wav))/2/speech.SampleRate {
			t.Errorf("%s stored as %.2f s (%v)", f.name, secs, ok)
		}
	}
	after := c.get("/settings/voices?in=ti&q=ask.topic_title")
	if !strings.Contains(after.body, "Opgenomen (") || !strings.Contains(after.body, "<audio") {
		t.Errorf("the recording is not shown as recorded:\n%s", after.body)
	}
	play := c.get("/settings/voices/play?in=ti&prompt=ask.topic_title")
	if play.status != http.StatusOK || play.header.Get("Content-Type") != "audio/wav" || !strings.HasPrefix(play.body, "RIFF") {
		t.Errorf("play: %d %s", play.status, play.header.Get("Content-Type"))
	}
	var silent bytes.Buffer
	speech.WriteWAV(&silent, make([]byte, speech.SampleRate*3))
	for _, bad := range []struct {
		name string
		b    []byte
		want string
	}{
		{"brief.pdf", []byte("%PDF-1.4 not a sound"), "geen geluid"},
		{"stil.wav", silent.Bytes(), "niets te horen"},
		{"", nil, "Kies eerst een geluidsbestand"},
	} {
		r := c.record("ti", "welcome.today", bad.name, bad.b)
		wantStatus(t, "upload "+bad.name, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, bad.want) {
			t.Errorf("upload %q: the page does not say %q", bad.name, bad.want)
		}
	}
	if r := c.post("/settings/voices/delete", url.Values{"in": {"ti"}, "prompt": {"ask.topic_title"}}); r.status != http.StatusSeeOther {
		t.Errorf("delete: %d", r.status)
	}
	if _, ok := sqlite.NewRecordingService(e.db).Recording(context.Background(), "ti", "ask.topic_title"); ok {
		t.Error("the recording is still there after removing it")
	}
	entries, err := e.as.AuditLog(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var saved int
	for _, en := range entries {
		if en.Action == "recording_saved" && en.Detail == "ti ask.topic_title" {
			saved++
		}
	}
	if saved != 2 {
		t.Errorf("%d recording saves in the audit log, want 2", saved)
	}
	wantStatus(t, "GET /settings/voices as volunteer", e.volunteer().get("/settings/voices"), http.StatusForbidden)
}

// TestSpokenOnlyLanguage: staff add "Tamaziɣt", record its name, and
// remove it with its recordings; a name already taken or not a name is
// refused saying why.
func TestSpokenOnlyLanguage(t *testing.T) {
	e := newSettingsEnv(t)
	c := e.staff()
	c.get("/settings/voices")
	r := c.post("/settings/voices/languages", url.Values{"name": {"Tamaziɣt"}})
	wantStatus(t, "add Tamaziɣt", r, http.StatusSeeOther)
	h, err := e.house.House(context.Background())
	if err != nil || len(h.Spoken) != 1 || h.Spoken[0].Name != "Tamaziɣt" {
		t.Fatalf("house's spoken languages %+v, %v", h.Spoken, err)
	}
	code := h.Spoken[0].Code
	page := c.get(r.location())
	if !strings.Contains(page.body, `value="`+code+`" selected`) || !strings.Contains(page.body, "Neem eerst de naam van de taal op") {
		t.Errorf("after adding, the page is not on the new language:\n%s", page.body)
	}
	up := c.record(code, "language.name", "naam.wav", spokenWAV(t, "Tamazight"))
	wantStatus(t, "record the name", up, http.StatusSeeOther)
	for _, bad := range []struct{ name, want string }{
		{"Tamaziɣt", "al een taal met die naam"},
		{"Türkçe", "al een taal met die naam"},
		{"<b>x</b>", "alleen letters"},
		{"", "Typ de naam"},
	} {
		r := c.post("/settings/voices/languages", url.Values{"name": {bad.name}})
		wantStatus(t, "add "+bad.name, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, bad.want) {
			t.Errorf("add %q: page does not say %q", bad.name, bad.want)
		}
	}
	// A question asked in it says so to volunteers, by its name.
	q := e.askIn(code, "geld")
	if r := e.volunteer().get("/s/" + q.Token); !strings.Contains(r.body, `Bezoeker koos: <bdi lang="`+code+`">Tamaziɣt</bdi>`) {
		t.Errorf("the question page does not name the spoken language:\n%s", r.body)
	}
	// Without the tick nothing is removed.
	c.post("/settings/voices/languages/remove", url.Values{"code": {code}})
	if h, _ := e.house.House(context.Background()); len(h.Spoken) != 1 {
		t.Fatal("removed without confirming")
	}
	c.post("/settings/voices/languages/remove", url.Values{"code": {code}, "confirm": {"1"}})
	if h, _ := e.house.House(context.Background()); len(h.Spoken) != 0 {
		t.Error("not removed after confirming")
	}
	if _, ok := sqlite.NewRecordingService(e.db).Recording(context.Background(), code, "language.name"); ok {
		t.Error("its recording outlived the language")
	}
}

// BenchmarkRecordingToFirstPlay is the figure "the recorded-voice
// upload, conversion and first play ≤ 2 s for a 10 s recording": a 10 s
// Ogg/Opus recording posted to the voices page (ffmpeg converts it and
// it is stored), then the kiosk's speaker playing it from the database
// until its first samples reach aplay (ALSA's null device).
//
//	go test ./internal/web -run '^$' -bench RecordingToFirstPlay -benchtime 5x -count 5
func BenchmarkRecordingToFirstPlay(b *testing.B) {
	e := newSettingsEnv(b)
	c := e.staff()
	c.get("/settings/voices?in=ti")
	var ten []byte
	for len(ten) < 10*speech.SampleRate*2 {
		w := spokenWAV(b, "Waar gaat uw vraag over? U hoeft uw naam niet te geven.")
		ten = append(ten, w[44:]...)
	}
	var wav bytes.Buffer
	speech.WriteWAV(&wav, ten[:10*speech.SampleRate*2])
	ogg := asOgg(b, wav.Bytes())
	recs := recorded{sqlite.NewRecordingService(e.db)}
	first := make(chan struct{}, 1)
	speaker := &speech.Speaker{Player: speech.Player{Device: "null"}, Volume: 80, Recordings: recs,
		FirstSound: func() { first <- struct{}{} }}
	parts := []speech.Part{{Lang: "ti", Text: "ሕቶኹም ብዛዕባ እንታይ እዩ?", Prompt: "ask.topic_title"}}
	for b.Loop() {
		if r := c.record("ti", "ask.topic_title", "vraag.ogg", ogg); r.status != http.StatusSeeOther {
			b.Fatalf("upload: %d %s", r.status, r.body)
		}
		speaker.Speak(parts, nil)
		<-first
		b.StopTimer()
		speaker.Stop()
		speaker.Wait()
		b.StartTimer()
	}
}
