package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"buurtbalie/internal/question"
	"buurtbalie/internal/speech"
	"buurtbalie/internal/voice"
)

// listener stands in for the speaker where a test asks what the kiosk
// said and when it stopped; the real espeak-ng and aplay are in
// TestReadAloudPlaysThroughALSA and internal/speech.
type listener struct {
	mu    sync.Mutex
	heard [][]speech.Part
	stops int
	done  []func()
}

func (l *listener) Speaks(lang string) bool { return speech.HasVoice(lang) }
func (l *listener) Speak(parts []speech.Part, done func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.heard = append(l.heard, parts)
	l.done = append(l.done, done)
}
func (l *listener) Stop() { l.mu.Lock(); l.stops++; l.mu.Unlock() }

// last is the text of the last utterance, one line each.
func (l *listener) last() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.heard) == 0 {
		return nil
	}
	var out []string
	for _, p := range l.heard[len(l.heard)-1] {
		out = append(out, p.Lang+": "+p.Text)
	}
	return out
}

func withVoice(t *testing.T, f *kioskFixture, v Voice) {
	f.restart(t, func(o *Options) { o.Voice = v })
}

// TestReadAloudReadsTheScreenAndStopsOnSecondTap: "Voorlezen" reads what
// the screen says in the visitor's language, shows "Stop" meanwhile, and
// a second tap stops it.
func TestReadAloudReadsTheScreenAndStopsOnSecondTap(t *testing.T) {
	f := newKiosk(t, 10, 0)
	l := &listener{}
	withVoice(t, f, l)
	f.k.ShowToday()
	f.tap(t, "Voorlezen")
	says := f.k.Says()
	if got := l.last(); len(got) != len(says) || got[0] != "nl: "+says[0] {
		t.Fatalf("read %q, want the list's lines %q", got, says)
	}
	if !slices.ContainsFunc(l.last(), func(s string) bool { return strings.Contains(s, "Stoelyoga") && strings.Contains(s, "Zaal 1") }) {
		t.Errorf("the list was read without its activities and rooms: %q", l.last())
	}
	if f.k.Reading() != "today" || !f.shows("Stop") {
		t.Fatalf("while reading the button says %q (reading %q)", f.texts(), f.k.Reading())
	}
	f.tap(t, "Stop")
	if l.stops != 1 || f.k.Reading() != "" || !f.shows("Voorlezen") {
		t.Errorf("second tap: %d stops, reading %q", l.stops, f.k.Reading())
	}
	// Reading to the end shows "Voorlezen" again.
	f.tap(t, "Voorlezen")
	l.done[len(l.done)-1]()
	if f.k.Reading() != "" || !f.shows("Voorlezen") {
		t.Errorf("after reading to the end: reading %q", f.k.Reading())
	}
}

// TestReadingStopsOnScreenChangeLanguageAndIdle: changing screen,
// changing language and the idle reset each stop the voice.
func TestReadingStopsOnScreenChangeLanguageAndIdle(t *testing.T) {
	f := newKiosk(t, 10, 0)
	l := &listener{}
	withVoice(t, f, l)
	f.k.ShowToday()
	f.tap(t, "Voorlezen")
	f.k.ShowDetail(f.k.occs[0])
	if l.stops != 1 || f.k.Reading() != "" {
		t.Errorf("screen change: %d stops, reading %q", l.stops, f.k.Reading())
	}
	f.tap(t, "Voorlezen")
	f.k.SetLanguage("tr")
	if l.stops != 2 || f.k.Reading() != "" {
		t.Errorf("language change: %d stops, reading %q", l.stops, f.k.Reading())
	}
	f.tap(t, "Sesli oku")
	if got := l.last(); !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "tr: ") }) {
		t.Errorf("after choosing Türkçe the screen was read as %q", got)
	}
	f.clock.Advance(90 * time.Second) // "Bent u er nog?"
	f.clock.Advance(15 * time.Second) // the idle reset
	if f.k.Screen() != "welcome" || f.k.Reading() != "" || l.stops < 3 {
		t.Errorf("idle reset: screen %s, %d stops, reading %q", f.k.Screen(), l.stops, f.k.Reading())
	}
}

// TestReadAloudOnEveryVisitorScreen: the button is on every screen a
// visitor meets, the done screen included, and reads its code letter by
// letter; staff screens and a language without a voice have none.
func TestReadAloudOnEveryVisitorScreen(t *testing.T) {
	f := newKiosk(t, 10, 0)
	l := &listener{}
	withVoice(t, f, l)
	for _, step := range visitorSteps(f, false) {
		step()
		if !f.shows("Voorlezen") {
			t.Errorf("%s has no Voorlezen: %q", f.k.Screen(), f.texts())
		}
	}
	f.k.Reset()
	f.k.StartQuestion()
	f.k.Asking().ChooseTopic("geld")
	f.k.Asking().SkipOrNext()
	f.k.Asking().ChooseFollowUp(question.Waiting)
	f.k.Asking().Confirm() // printing fails here: the failure screen with the code
	f.tap(t, "Voorlezen")
	code := spelled(question.FormatCode(f.k.Asking().asked.Code))
	if !slices.ContainsFunc(l.last(), func(s string) bool { return strings.Contains(s, code) }) {
		t.Errorf("the code screen read %q, without the code spelled %q", l.last(), code)
	}
	f.k.Reset()
	f.k.SetLanguage("ti")
	if f.shows(f.cat.For("ti").T("action.read_aloud")) {
		t.Error("Tigrinya, which has no voice, offers reading aloud")
	}
	withVoice(t, f, nil)
	if f.shows("Voorlezen") {
		t.Error("a kiosk without a speaker offers reading aloud")
	}
}

// TestLanguageScreenReadsEachNameInItsOwnVoice reads the language tiles,
// each name in its own language.
func TestLanguageScreenReadsEachNameInItsOwnVoice(t *testing.T) {
	f := newKiosk(t, 10, 0)
	l := &listener{}
	withVoice(t, f, l)
	f.k.ShowLanguages()
	f.tap(t, "Voorlezen")
	got := l.last()
	for _, want := range []string{"nl: Nederlands", "tr: Türkçe", "ar: العربية", "uk: Українська"} {
		if !slices.Contains(got, want) {
			t.Errorf("language screen read %q, without %q", got, want)
		}
	}
}

// TestReadsByItselfWhereStaffChose: with Turkish set to read by itself,
// each new screen a Turkish visitor sees is read at once; Dutch screens
// and the welcome screen after the idle reset are not.
func TestReadsByItselfWhereStaffChose(t *testing.T) {
	f := newKiosk(t, 10, 0)
	l := &listener{}
	withVoice(t, f, l)
	f.k.house.ReadAloud = []string{"tr"}
	f.k.ShowToday()
	if len(l.heard) != 0 {
		t.Fatalf("a Dutch screen was read by itself: %q", l.last())
	}
	f.chooseLanguage(t, "Türkçe")
	if got := l.last(); len(got) == 0 || !strings.HasPrefix(got[0], "tr: ") || f.k.Reading() != "today" {
		t.Fatalf("the Turkish list was not read by itself: %q (reading %q)", got, f.k.Reading())
	}
	f.k.ShowDetail(f.k.occs[0])
	if f.k.Reading() != "detail" {
		t.Errorf("the next screen was not read by itself (reading %q)", f.k.Reading())
	}
	n := len(l.heard)
	f.k.house.Language = "tr"
	f.clock.Advance(90 * time.Second)
	f.clock.Advance(15 * time.Second)
	if len(l.heard) != n {
		t.Errorf("after the idle reset the kiosk read to nobody: %q", l.last())
	}
}

// TestReadAloudPlaysThroughALSA taps "Voorlezen" on the done screen with
// the real espeak-ng and aplay, playing into an ALSA file device: the
// code is heard (speech lands in the file).
func TestReadAloudPlaysThroughALSA(t *testing.T) {
	f := newKiosk(t, 10, 0)
	out := filepath.Join(t.TempDir(), "played.raw")
	s := &speech.Speaker{Player: speech.Player{Device: "file:FILE=" + out + ",FORMAT=raw"}, Volume: 80}
	withVoice(t, f, s)
	f.k.StartQuestion()
	f.k.Asking().ChooseTopic("geld")
	f.k.Asking().SkipOrNext()
	f.k.Asking().ChooseFollowUp(question.ComeBack)
	f.k.Asking().Confirm()
	f.tap(t, "Voorlezen")
	s.Wait()
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if secs := float64(len(b)) / 2 / speech.SampleRate; secs < 3 {
		t.Errorf("the done screen was %.1f s of sound", secs)
	}
}

// memoryRecordings are recordings held in memory, as the database gives
// them to the kiosk.
type memoryRecordings map[string][]byte // "lang prompt" → samples

func (m memoryRecordings) Recording(_ context.Context, lang, prompt string) ([]byte, bool) {
	b, ok := m[lang+" "+prompt]
	return b, ok
}

func (m memoryRecordings) Recorded(lang string) bool {
	for k := range m {
		if strings.HasPrefix(k, lang+" ") {
			return true
		}
	}
	return false
}

// TestSpokenOnlyLanguageEndToEnd: a house added "Tamaziɣt" and recorded
// its name and the topic question. Its tile is on the language screen;
// choosing it says its name, the screens show Dutch, and each screen is
// read by itself: the recordings where there are, the Dutch voice for
// the rest, all played through the real aplay into an ALSA file.
func TestSpokenOnlyLanguageEndToEnd(t *testing.T) {
	f := newKiosk(t, 10, 0)
	tone := func(secs float64) []byte { // a recognisable stand-in: a square wave
		b := make([]byte, int(secs*speech.SampleRate)*2)
		for i := 0; i+1 < len(b); i += 2 {
			v := int16(8000)
			if (i/2/50)%2 == 0 {
				v = -8000
			}
			b[i], b[i+1] = byte(v), byte(uint16(v)>>8)
		}
		return b
	}
	recs := memoryRecordings{"x-tamazit language.name": tone(0.5), "x-tamazit ask.topic_title": tone(1.0)}
	out := filepath.Join(t.TempDir(), "played.raw")
	s := &speech.Speaker{Player: speech.Player{Device: "file:FILE=" + out + ",FORMAT=raw"}, Volume: 100, Recordings: recs}
	l := &listener{}
	withVoice(t, f, l)
	f.k.house.Spoken = []voice.SpokenLanguage{{Code: "x-tamazit", Name: "Tamaziɣt"}}
	f.k.ShowWelcome()
	f.chooseLanguage(t, "Tamaziɣt")
	if f.k.Language() != "nl" || !f.shows("Wat is er vandaag?") || !f.shows("Tamaziɣt") {
		t.Fatalf("after choosing Tamaziɣt the screen shows %q", f.texts())
	}
	got := l.heard[len(l.heard)-1]
	if len(got) < 2 || got[0] != (speech.Part{Lang: "x-tamazit", Text: "Tamaziɣt", Prompt: voice.NamePrompt}) {
		t.Fatalf("choosing it did not say its name first: %+v", got)
	}
	if p := got[1]; p.Lang != "x-tamazit" || p.Written != "nl" {
		t.Errorf("the welcome screen is read as %+v, want in Tamaziɣt, written in Dutch", p)
	}
	// Through the real speaker: the topic screen, read by itself.
	withVoice(t, f, s)
	f.k.house.Spoken = []voice.SpokenLanguage{{Code: "x-tamazit", Name: "Tamaziɣt"}}
	f.k.ShowWelcome()
	f.chooseLanguage(t, "Tamaziɣt")
	s.Wait()
	f.tap(t, "Stel een vraag")
	if f.k.Reading() != "ask-topic" {
		t.Fatalf("the topic screen was not read by itself (reading %q)", f.k.Reading())
	}
	s.Wait()
	played, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rec := recs["x-tamazit ask.topic_title"]
	if !bytes.HasPrefix(played, rec) {
		t.Errorf("the topic screen did not start with its recording (%d bytes played)", len(played))
	}
	if len(played) < len(rec)+speech.SampleRate*2 {
		t.Errorf("the unrecorded lines were not read by the Dutch voice: %d bytes played", len(played))
	}
	// The idle reset forgets the language.
	f.clock.Advance(90 * time.Second)
	f.clock.Advance(15 * time.Second)
	if f.k.visitorLanguage() != "nl" || f.shows("Tamaziɣt") {
		t.Errorf("after the idle reset the kiosk is in %s", f.k.visitorLanguage())
	}
	// A question asked keeps the spoken language, for the volunteers.
	f.chooseLanguage(t, "Tamaziɣt")
	f.k.StartQuestion()
	f.k.Asking().ChooseTopic("geld")
	f.k.Asking().SkipOrNext()
	f.k.Asking().ChooseFollowUp(question.ComeBack)
	f.k.Asking().Confirm()
	s.Stop()
	s.Wait()
	if got := f.k.Asking().asked.Lang; got != "x-tamazit" {
		t.Errorf("the question was stored in %q, want x-tamazit", got)
	}
}

// BenchmarkTapToFirstSound is the figure "tap on Voorlezen to the first
// sound ≤ 300 ms", from the kiosk's side: a tap on the tile of the list
// screen (the screen's words gathered, the voice started) to the first
// samples written to aplay, playing to ALSA's null device, through the
// real espeak-ng.
//
//	go test ./ui -run '^$' -bench TapToFirstSound -benchtime 20x -count 5
func BenchmarkTapToFirstSound(b *testing.B) {
	f := newKiosk(b, 10, 0)
	first := make(chan struct{}, 1)
	s := &speech.Speaker{Player: speech.Player{Device: "null"}, Volume: 80, FirstSound: func() {
		select {
		case first <- struct{}{}:
		default:
		}
	}}
	f.restart(b, func(o *Options) { o.Voice = s })
	f.k.ShowToday()
	for b.Loop() {
		f.tap(b, "Voorlezen")
		<-first
		b.StopTimer()
		f.tap(b, "Stop")
		s.Wait()
		b.StartTimer()
	}
}
