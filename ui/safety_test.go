package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"buurtbalie/assets"
	"buurtbalie/internal/programme"
)

// restart builds the kiosk again with changed options, as the program
// would start it.
func (f *kioskFixture) restart(t testing.TB, change func(*Options)) {
	t.Helper()
	opt := f.k.opt
	change(&opt)
	f.k.Stop()
	k, err := New(f.w, f.prog, f.desk, f.cat, assets.Icons, f.clock, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(k.Stop)
	f.k = k
}

// centre returns the middle of the tile showing s, on the canvas.
func (f *kioskFixture) centre(t *testing.T, s string) fyne.Position {
	t.Helper()
	tl := f.tileWith(t, s)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(tl)
	return pos.Add(fyne.NewPos(tl.Size().Width/2, tl.Size().Height/2))
}

// rect is where the tile showing s lies on the canvas.
func (f *kioskFixture) rect(t *testing.T, s string) (fyne.Position, fyne.Size) {
	t.Helper()
	tl := f.tileWith(t, s)
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(tl), tl.Size()
}

func overlap(p1 fyne.Position, s1 fyne.Size, p2 fyne.Position, s2 fyne.Size) bool {
	return p1.X < p2.X+s2.Width && p2.X < p1.X+s1.Width && p1.Y < p2.Y+s2.Height && p2.Y < p1.Y+s1.Height
}

// Two taps 120 ms apart on "Sla over" (or "Verder") are one double tap:
// the second must not choose on the next screen, which the visitor has
// not seen yet. A tap after the screen settled counts as ever.
func TestDoubleTapDoesNotCrossTwoScreens(t *testing.T) {
	for _, button := range []string{"Sla over", "Verder"} {
		f := newKiosk(t, 10, 0)
		f.restart(t, func(o *Options) { o.Settle = 0 }) // the kiosk's own settle time
		f.clock.Advance(time.Second)
		f.tap(t, "Stel een vraag")
		f.clock.Advance(time.Second)
		f.tap(t, "Wonen")
		f.clock.Advance(time.Second)
		at := f.centre(t, button)
		test.TapCanvas(f.w.Canvas(), at)
		f.clock.Advance(120 * time.Millisecond)
		test.TapCanvas(f.w.Canvas(), at)
		if f.k.ask.step != stepFollowUp || f.k.ask.followUp != "" {
			t.Errorf("double tap on %q: step %v, follow-up %q; want the follow-up question unanswered", button, f.k.ask.step, f.k.ask.followUp)
		}
		f.clock.Advance(DefaultSettle)
		f.tap(t, "Ik kom later terug")
		if f.k.ask.step != stepConfirm {
			t.Errorf("a tap after the screen settled did nothing: step %v", f.k.ask.step)
		}
	}
}

// "Ik wacht hier" and "Ik kom later terug" decide what happens to the
// visitor, so neither lies where "Sla over" or "Verder" was, on a
// landscape or a portrait screen.
func TestFollowUpChoicesAreNotWhereTheLastButtonsWere(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1280, Height: 800}, {Width: 800, Height: 1280}, {Width: 1366, Height: 768}, {Width: 1080, Height: 1920}} {
		f := newKiosk(t, 10, 0)
		f.w.Resize(size)
		f.k.StartQuestion()
		f.k.Asking().ChooseTopic("wonen")
		type box struct {
			p fyne.Position
			s fyne.Size
		}
		var before []box
		for _, b := range []string{"Sla over", "Verder"} {
			p, s := f.rect(t, b)
			before = append(before, box{p, s})
		}
		f.k.Asking().SkipOrNext()
		for _, choice := range []string{"Ik wacht hier", "Ik kom later terug"} {
			p, s := f.rect(t, choice)
			for i, b := range before {
				if overlap(p, s, b.p, b.s) {
					t.Errorf("%v: %q lies where %q was", size, choice, []string{"Sla over", "Verder"}[i])
				}
			}
		}
	}
}

// Every visitor's screen shows 112 and 113 with its number; after the
// topic of health and on the done and failure screens, the house's
// emergency lines show in full.
func TestEmergencyLinesOnEveryScreen(t *testing.T) {
	f := newKiosk(t, 10, 0)
	lines := []string{"112 bij levensgevaar", "113 Zelfmoordpreventie: 0800-0113", "Huisartsenpost: bel uw eigen huisarts"}
	f.restart(t, func(o *Options) { o.Emergency = lines })
	full := func() bool {
		for _, l := range lines {
			if !f.shows(l) {
				return false
			}
		}
		return true
	}
	short := func() bool { return f.shows("Bel 112") && f.shows("Bel 113 of gratis 0800-0113") }
	screens := []struct {
		name   string
		show   func()
		inFull bool
	}{
		{"welcome", f.k.ShowWelcome, false},
		{"today", f.k.ShowToday, false},
		{"detail", func() { f.k.ShowDetail(f.k.occs[0]) }, false},
		{"my slip", func() { f.k.Reset(); f.k.StartMySlip() }, false},
		{"topic", func() { f.k.Reset(); f.k.StartQuestion() }, false},
		{"type, money", func() { f.k.Asking().ChooseTopic("geld") }, false},
		{"type, health", func() { f.k.ask.to(stepTopic); f.k.Asking().ChooseTopic(healthTopic) }, true},
		{"follow-up, health", func() { f.k.Asking().SkipOrNext() }, true},
		{"failure", func() {
			f.k.Reset()
			f.k.StartQuestion()
			f.k.Asking().ChooseTopic("geld")
			f.k.Asking().SkipOrNext()
			f.k.Asking().ChooseFollowUp("waiting")
			f.k.Asking().Confirm() // nothing listens where the printer should be
		}, true},
	}
	for _, s := range screens {
		s.show()
		switch {
		case s.inFull && !full():
			t.Errorf("%s: the emergency lines are not in full: %q", s.name, f.texts())
		case !s.inFull && !short():
			t.Errorf("%s: no 112 and 113: %q", s.name, f.texts())
		}
	}
	if f.k.ask.step != stepFallback {
		t.Fatalf("the last screen is step %v, want the failure screen", f.k.ask.step)
	}
}

// The still-there shade covers what the visitor typed; "Ja" brings it
// back.
func TestStillThereHidesTheTypedQuestion(t *testing.T) {
	f := newKiosk(t, 10, 0)
	f.k.StartQuestion()
	f.k.Asking().ChooseTopic(healthTopic)
	f.k.Asking().Type("ik slaap slecht")
	f.clock.Advance(91 * time.Second)
	if f.k.stillThere == nil {
		t.Fatal("no still-there question after the idle time")
	}
	if f.shows("ik slaap slecht") {
		t.Errorf("the typed question is readable under the shade: %q", f.texts())
	}
	f.tap(t, "Ja, ik ben er nog")
	if !f.shows("ik slaap slecht") {
		t.Errorf("after Ja the typed question is gone: %q", f.texts())
	}
}

// The failure screen's code and QR leave after their own, shorter time,
// however the visitor touches the screen, and at once with "Ik heb de
// code". Its words tell the visitor what to do without a slip.
func TestFailureScreenLeavesAfterItsOwnTime(t *testing.T) {
	f := newKiosk(t, 10, 0)
	fail := func() {
		f.k.StartQuestion()
		f.k.Asking().ChooseTopic("geld")
		f.k.Asking().SkipOrNext()
		f.k.Asking().ChooseFollowUp("waiting")
		f.k.Asking().Confirm()
		if f.k.ask.step != stepFallback {
			t.Fatalf("step %v, want the failure screen", f.k.ask.step)
		}
	}
	fail()
	for _, want := range []string{"Laat deze code zien aan een vrijwilliger", "Schrijf de code op of maak er een foto van"} {
		if !f.shows(want) {
			t.Errorf("the failure screen lacks %q: %q", want, f.texts())
		}
	}
	for i := 0; i < 3; i++ {
		f.clock.Advance(30 * time.Second)
		f.k.scrolled(10) // the visitor drags a little: still the same time
	}
	if f.k.stillThere != nil {
		t.Errorf("the failure screen asked still-there; it leaves by its own time")
	}
	f.clock.Advance(fallbackFor - 90*time.Second + time.Second)
	if f.k.ask != nil || f.k.screen != welcomeScreen {
		t.Errorf("after %s the code is still on screen", fallbackFor)
	}
	fail()
	f.tap(t, "Ik heb de code")
	if f.k.ask != nil || f.k.screen != welcomeScreen {
		t.Errorf("Ik heb de code did not leave at once")
	}
}

// Once something is typed, "Stoppen" asks once; "Doorgaan" keeps the
// text. With nothing typed it stops at once.
func TestStopAsksOnceTextIsTyped(t *testing.T) {
	f := newKiosk(t, 10, 0)
	f.k.StartQuestion()
	f.k.Asking().ChooseTopic("wonen")
	f.tap(t, "Stoppen")
	if f.k.screen != welcomeScreen {
		t.Fatalf("stop with nothing typed: screen %v, want welcome", f.k.screen)
	}
	f.k.StartQuestion()
	f.k.Asking().ChooseTopic("wonen")
	f.k.Asking().Type("mijn huur")
	f.tap(t, "Stoppen")
	if !f.shows("Wilt u stoppen?") || !f.shows("Uw vraag wordt niet bewaard.") {
		t.Fatalf("no question before stopping: %q", f.texts())
	}
	f.tap(t, "Doorgaan")
	if f.k.ask == nil || string(f.k.ask.text) != "mijn huur" || !f.shows("mijn huur") {
		t.Fatalf("Doorgaan lost the text: %q", f.texts())
	}
	f.tap(t, "Stoppen")
	f.tap(t, "Stoppen")
	if f.k.screen != welcomeScreen || f.k.ask != nil {
		t.Errorf("stopping after the question: screen %v", f.k.screen)
	}
	if n, _ := f.questions.Count(context.Background()); n != 0 || strings.Contains(strings.Join(f.texts(), " "), "mijn huur") {
		t.Errorf("a stopped question was kept (%d) or is still shown", n)
	}
}

// "Terug" from the details goes where the visitor came from: the
// welcome screen, or the list where they left it.
func TestDetailBackGoesWhereItCameFrom(t *testing.T) {
	f := newKiosk(t, 10, 15)
	f.tap(t, "Koffie-inloop")
	if f.k.screen != detailScreen {
		t.Fatalf("tapping now's card opened screen %v", f.k.screen)
	}
	f.tap(t, "Terug")
	if f.k.screen != welcomeScreen {
		t.Errorf("back from details opened from the welcome screen: screen %v, want welcome", f.k.screen)
	}
	f.w.Resize(fyne.NewSize(800, 600)) // small, so the list scrolls
	f.k.ShowToday()
	f.k.list.Page(1)
	y := f.k.scrollY
	if y == 0 {
		t.Fatal("the list did not scroll")
	}
	f.tap(t, "Taalcafé")
	f.tap(t, "Terug")
	if f.k.screen != todayScreen || f.k.scrollY != y {
		t.Errorf("back from details opened from the list: screen %v at %v, want the list at %v", f.k.screen, f.k.scrollY, y)
	}
}

// A reminder slip is offered for what is still to come, not for what
// is over.
func TestFinishedActivityOffersNoSlip(t *testing.T) {
	f := newKiosk(t, 11, 0)
	for _, o := range f.k.occs {
		f.k.ShowDetail(o)
		offered := f.shows("Print een bonnetje")
		switch o.Activity.Title {
		case "Stoelyoga", "Wandelgroep": // over; cancelled
			if offered {
				t.Errorf("%s offers a slip", o.Activity.Title)
			}
		case "Buurtlunch", "Koffie-inloop":
			if !offered {
				t.Errorf("%s offers no slip", o.Activity.Title)
			}
		}
	}
}

// At 13:47 the list opens at what is on now or next, not on the
// morning's finished items; at its end the down button steps back.
func TestListOpensAtNowAndShowsItsEnd(t *testing.T) {
	var early []programme.Activity
	for i := 0; i < 6; i++ {
		early = append(early, weekly("Ochtend "+string(rune('A'+i)), "leren", "Zaal 3", 8, i, 9, 0, time.Monday))
	}
	f := newKiosk(t, 13, 47, early...)
	f.k.ShowToday()
	row := f.k.nowRow
	if row == nil || f.k.scrollY == 0 {
		t.Fatalf("the list opened at the top (scroll %v)", f.k.scrollY)
	}
	if d := row.Position().Y - f.k.scrollY; d > 1 && f.k.list.CanPage(1) {
		t.Errorf("the first row still to come is %v below the top of the view", d)
	}
	if !f.shows("Taalcafé") {
		t.Errorf("what is next is not in view: %q", f.texts())
	}
	for f.k.list.CanPage(1) {
		f.k.list.Page(1)
	}
	down := f.k.pagers[1]
	if down.tile.onTap != nil || down.tile.bg.FillColor != theme.Color(theme.ColorNameBackground) {
		t.Errorf("at the end of the list the down button still looks and acts active")
	}
	if up := f.k.pagers[0]; up.tile.onTap == nil {
		t.Errorf("at the end of the list the up button does nothing")
	}
}

// A room or host too long for its line ends in "…", not cut mid-word.
func TestLongLinesEndInAnEllipsis(t *testing.T) {
	long := weekly("Taalmaatjes", "leren", "Huiskamer", 10, 0, 12, 0, time.Monday)
	long.Host = "Gastvrouwen en gastheren van het buurthuis De Linde en vrienden"
	f := newKiosk(t, 10, 15, long)
	f.w.Resize(fyne.NewSize(800, 1280))
	f.k.ShowToday()
	var found string
	for _, s := range f.texts() {
		if strings.HasPrefix(s, "Huiskamer · Gastvrouwen") {
			found = s
		}
	}
	if !strings.HasSuffix(found, "…") {
		t.Errorf("the long host line is %q, want it to end in …", found)
	}
}

// Outside the volunteers' hours the kiosk does not offer "Ik wacht hier"
// and says when someone is in; the done and failure screens say when to
// come back. In hours it offers waiting and promises a volunteer.
func TestNoPromiseOutsideVolunteersHours(t *testing.T) {
	hours := []string{"Maandag t/m vrijdag 9:30 – 16:00"}
	tests := []struct {
		hour, minute int
		waiting      bool
		says         string
	}{
		{8, 4, false, "Er is nog geen vrijwilliger. Vandaag vanaf 9:30."},
		{17, 0, false, "Vandaag is er niemand meer. Morgen vanaf 9:30."},
		{10, 0, true, ""},
	}
	for _, tt := range tests {
		f := newKiosk(t, tt.hour, tt.minute)
		f.restart(t, func(o *Options) { o.Hours = hours })
		f.k.StartQuestion()
		f.k.Asking().ChooseTopic("geld")
		f.k.Asking().SkipOrNext()
		if got := f.shows("Ik wacht hier"); got != tt.waiting {
			t.Errorf("%02d:%02d: Ik wacht hier offered %v, want %v: %q", tt.hour, tt.minute, got, tt.waiting, f.texts())
		}
		if tt.says != "" && !f.shows(tt.says) {
			t.Errorf("%02d:%02d: the follow-up step does not say %q: %q", tt.hour, tt.minute, tt.says, f.texts())
		}
		if tt.waiting {
			f.tap(t, "Ik wacht hier")
		} else {
			f.tap(t, "Ik kom later terug")
		}
		f.tap(t, "Bonnetje printen") // nothing listens where the printer should be
		if f.k.ask.step != stepFallback {
			t.Fatalf("%02d:%02d: step %v, want the failure screen", tt.hour, tt.minute, f.k.ask.step)
		}
		if !f.shows("Vrijwilligers zijn er:") || !f.shows("Maandag t/m vrijdag 9:30 – 16:00") {
			t.Errorf("%02d:%02d: the failure screen does not show the hours: %q", tt.hour, tt.minute, f.texts())
		}
		if tt.says != "" && !f.shows(tt.says) {
			t.Errorf("%02d:%02d: the failure screen does not say when to come back: %q", tt.hour, tt.minute, f.texts())
		}
		if got := f.k.doneWords(f.k.ask.asked.FollowUp); strings.Contains(got, "Een vrijwilliger komt naar u toe") != tt.waiting {
			t.Errorf("%02d:%02d: the done screen would say %q", tt.hour, tt.minute, got)
		}
	}
}

// The globe opens a screen with a tile per language in its own name;
// choosing goes back to where the visitor was, with what they typed.
func TestLanguageScreenKeepsThePlace(t *testing.T) {
	f := newKiosk(t, 10, 0)
	f.k.StartQuestion()
	f.k.Asking().ChooseTopic("wonen")
	f.k.Asking().Type("mijn huur")
	f.tap(t, "Nederlands")
	if f.k.screen != languageScreen {
		t.Fatalf("the globe opened screen %v", f.k.screen)
	}
	for _, l := range f.cat.Languages() {
		if !f.shows(f.cat.Language(l)) {
			t.Errorf("the language screen lacks %s", f.cat.Language(l))
		}
	}
	f.tap(t, "English")
	if f.k.screen != askScreen || f.k.ask.step != stepText || string(f.k.ask.text) != "mijn huur" || f.k.Language() != "en" {
		t.Errorf("after choosing English: screen %v, language %s, text %q", f.k.screen, f.k.Language(), string(f.k.ask.text))
	}
	if !f.shows("Would you like to type your question?") {
		t.Errorf("the typing step is not in English: %q", f.texts())
	}
}
