package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

// Every screen a visitor or staff can reach is a view with a name from
// ScreenNames and something to say; what it says is what it shows.
func TestEveryScreenIsANamedViewThatSaysWhatItShows(t *testing.T) {
	f := newKiosk(t, 10, 0)
	seen := map[string]bool{}
	check := func() {
		t.Helper()
		name := f.k.Screen()
		if !slices.Contains(ScreenNames, name) {
			t.Errorf("screen %q is not in ScreenNames", name)
		}
		seen[name] = true
		says := f.k.Says()
		if len(says) == 0 || strings.TrimSpace(says[0]) == "" {
			t.Errorf("%s says nothing: %q", name, says)
		}
		// The heading it reads out is on the screen, word for word
		// (the still-there count and the clock change by the second).
		if name != "welcome" && name != "still-there" && !f.shows(says[0]) {
			t.Errorf("%s says %q first, which the screen does not show: %q", name, says[0], f.texts())
		}
	}
	for _, step := range visitorSteps(f, true) {
		step()
		check()
	}
	for _, want := range []string{"welcome", "today", "detail", "languages", "still-there", "ask-topic", "ask-type", "ask-stop", "ask-follow-up", "ask-confirm", "ask-fallback", "my-slip"} {
		if !seen[want] {
			t.Errorf("never saw %s; saw %v", want, seen)
		}
	}
}

// visitorSteps walk the kiosk through every screen a visitor meets, one
// step each; stillThere includes "Bent u er nog?".
func visitorSteps(f *kioskFixture, stillThere bool) []func() {
	steps := []func(){f.k.ShowWelcome, f.k.ShowToday, func() { f.k.ShowDetail(f.k.occs[0]) }, f.k.ShowLanguages}
	if stillThere {
		steps = append(steps, func() { f.k.ChooseLanguage("nl"); f.k.AskStillThere() }, func() { f.k.StillHere(); f.k.StartQuestion() })
	} else {
		steps = append(steps, func() { f.k.ChooseLanguage("nl"); f.k.StartQuestion() })
	}
	return append(steps,
		func() { f.k.Asking().ChooseTopic("geld"); f.k.Asking().Type("Een brief") },
		func() { f.k.Asking().Stop() },
		func() { f.k.Asking().KeepAsking(); f.k.Asking().SkipOrNext() },
		func() { f.k.Asking().ChooseFollowUp(question.ComeBack) },
		func() { f.k.Asking().Confirm() },
		func() { f.k.Reset(); f.k.StartMySlip() },
	)
}

func TestSpelledCode(t *testing.T) {
	if got := spelled("K7M-4QX"); got != "K, 7, M — 4, Q, X" {
		t.Errorf("spelled = %q", got)
	}
}

// The language screen offers the languages staff chose, in their order,
// and the one visitors start in even when staff left it out.
func TestLanguageScreenOffersStaffsChoice(t *testing.T) {
	f := newKiosk(t, 10, 0)
	f.k.house.Languages = []string{"tr", "en"}
	f.k.ShowLanguages()
	var names []string
	for _, s := range f.texts() {
		for _, l := range f.cat.Languages() {
			if s == f.cat.Language(l) {
				names = append(names, l)
			}
		}
	}
	// The globe's tile names the current language first; then the tiles.
	if want := []string{"nl", "tr", "en"}; !slices.Equal(names[len(names)-3:], want) || len(names) != 3 {
		t.Errorf("language screen offers %q, want %q", names, want)
	}
}

// A correction staff saved on the settings page shows on the kiosk when
// it reloads, as it does when the database changes.
func TestKioskShowsASavedCorrection(t *testing.T) {
	f := newKiosk(t, 10, 0)
	store := sqlite.NewCorrectionService(f.db)
	f.restart(t, func(o *Options) { o.Corrections = store })
	if err := store.SaveCorrection(context.Background(), catalogue.Correction{Lang: "nl", ID: "welcome.today", Form: "other", Text: "Wat is er vandaag te doen?"}, "Sanne"); err != nil {
		t.Fatal(err)
	}
	f.k.Reload()
	if !f.shows("Wat is er vandaag te doen?") {
		t.Errorf("the kiosk does not show the correction: %q", f.texts())
	}
	t.Cleanup(func() { f.cat.SetCorrections(nil) })
}

// After the health topic the emergency lines show in full in the
// visitor's language: the house's own where staff gave them in it, else
// the standard lines in that language.
func TestEmergencyLinesInFullInTheVisitorsLanguage(t *testing.T) {
	f := newKiosk(t, 10, 0)
	f.k.house.EmergencyIn = map[string][]string{"tr": {"Aile hekimi: 020-1234567"}}
	f.k.SetLanguage("tr")
	f.k.StartQuestion()
	f.k.Asking().ChooseTopic(healthTopic)
	if !f.shows("Aile hekimi: 020-1234567") {
		t.Errorf("Turkish: the house's Turkish line is not shown: %q", f.texts())
	}
	f.k.Reset()
	f.k.SetLanguage("pl")
	f.k.StartQuestion()
	f.k.Asking().ChooseTopic(healthTopic)
	if want := f.cat.For("pl").T("emergency.line_113"); !f.shows(want) {
		t.Errorf("Polish: the standard line %q is not shown: %q", want, f.texts())
	}
}

// screenCounter holds what the kiosk counted for the figures.
type screenCounter struct{ counted []string }

func (c *screenCounter) Count(screen string) { c.counted = append(c.counted, screen) }

// The screens a visitor opens are counted for the house's figures, once
// each time they open; the welcome screen the idle reset shows to nobody
// is not.
func TestScreensCountedForTheFigures(t *testing.T) {
	f := newKiosk(t, 10, 0)
	c := &screenCounter{}
	f.restart(t, func(o *Options) { o.Screens = c; o.Voice = &listener{} })
	f.tap(t, "Wat is er vandaag?")
	f.k.redraw() // a redraw (the minute tick) is no new screen
	f.k.ShowDetail(f.k.occs[0])
	f.chooseLanguage(t, "Türkçe")
	f.tap(t, "Sesli oku")
	f.k.Reset()
	f.clock.Advance(time.Minute)
	f.k.StartQuestion()
	want := []string{"today", "detail", "language:tr", "read-aloud", "ask"}
	if !slices.Equal(c.counted, want) {
		t.Errorf("counted %q, want %q", c.counted, want)
	}
}
