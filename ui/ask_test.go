package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"buurtbalie/internal/printer/cupstest"
	"buurtbalie/internal/question"
)

// The whole way of a visitor's question by taps on the screen and the
// on-screen keyboard, with a printer that cannot print: the question is
// stored anyway and the code shows on screen.
func TestAskByTapsWithPrinterDown(t *testing.T) {
	f := newKiosk(t, 10, 0)
	f.tap(t, "Stel een vraag")
	if !f.shows("U hoeft uw naam niet te geven") {
		t.Fatalf("no reassurance on the first step: %q", f.texts())
	}
	f.tap(t, "Geld & post")
	if f.k.ask.step != stepText {
		t.Fatalf("step = %v, want typing", f.k.ask.step)
	}
	// "Ik Brief?" typed on the on-screen keyboard, one typo erased.
	f.tap(t, "i")
	f.tap(t, "k")
	f.tap(t, "spatie")
	f.tapKey(t, "shift")
	f.tap(t, "B")
	for _, key := range []string{"r", "i", "e", "f", "x"} {
		f.tap(t, key)
	}
	f.tapKey(t, "backspace")
	f.tap(t, "?")
	// The physical keyboard types too.
	test.TypeOnCanvas(f.w.Canvas(), " é")
	if got := string(f.k.ask.text); got != "ik Brief? é" {
		t.Fatalf("typed %q, want %q", got, "ik Brief? é")
	}
	if !f.shows("11 van 500 tekens") {
		t.Errorf("no counter: %q", f.texts())
	}
	f.tap(t, "Verder")
	f.tap(t, "Ik wacht hier")
	for _, want := range []string{"Onderwerp: Geld & post", "Uw vraag: ik Brief? é", "Ik wacht hier"} {
		if !f.shows(want) {
			t.Errorf("confirmation lacks %q: %q", want, f.texts())
		}
	}
	f.tap(t, "Bonnetje printen")

	// Stored before printing, whatever the printer did.
	if n, _ := f.questions.Count(context.Background()); n != 1 {
		t.Fatalf("%d questions stored, want 1", n)
	}
	q, err := f.questions.ByCode(context.Background(), f.k.ask.asked.Code)
	if err != nil {
		t.Fatal(err)
	}
	if q.Text != "ik Brief? é" || q.Topic != "geld" || q.FollowUp != question.Waiting || q.Lang != "nl" {
		t.Errorf("stored %+v", q)
	}
	if state, _, _ := f.questions.PrintState(context.Background(), q.ID); state != "failed" {
		t.Errorf("print state %q, want failed", state)
	}
	if f.k.ask.step != stepFallback {
		t.Fatalf("step = %v, want the on-screen fallback", f.k.ask.step)
	}
	for _, want := range []string{question.FormatCode(q.Code), "Laat deze code zien aan een vrijwilliger", "Uw vraag is wel bewaard"} {
		if !f.shows(want) {
			t.Errorf("fallback lacks %q: %q", want, f.texts())
		}
	}
	// The question's text is not on the fallback screen: only the code.
	if f.shows("ik Brief") {
		t.Errorf("the fallback screen shows the question's text")
	}
	// It goes back to the welcome screen by itself, wiped.
	f.clock.Advance(fallbackFor + time.Second)
	if f.k.screen != welcomeScreen || f.k.ask != nil {
		t.Errorf("after %s: screen %v, question state %v; want a fresh welcome", fallbackFor, f.k.screen, f.k.ask != nil)
	}
}

// "Sla over" is a first-class choice: a question without text.
func TestAskSkipTyping(t *testing.T) {
	f := newKiosk(t, 10, 0)
	f.k.StartQuestion()
	f.tap(t, "Wonen")
	f.k.Asking().Type("wordt weggegooid")
	f.tap(t, "Sla over")
	f.tap(t, "Ik kom later terug")
	if !f.shows("U vertelt uw vraag liever aan een vrijwilliger.") {
		t.Errorf("confirmation does not say the question will be told: %q", f.texts())
	}
	f.tap(t, "Bonnetje printen")
	q, err := f.questions.ByCode(context.Background(), f.k.ask.asked.Code)
	if err != nil {
		t.Fatal(err)
	}
	if q.Text != "" || q.FollowUp != question.ComeBack {
		t.Errorf("stored text %q follow-up %s, want none and come_back", q.Text, q.FollowUp)
	}
}

// Idle reset in the middle of typing wipes the text; nothing is stored.
func TestIdleResetWhileTypingWipesText(t *testing.T) {
	f := newKiosk(t, 10, 0)
	f.k.StartQuestion()
	f.k.Asking().ChooseTopic("gezondheid")
	f.k.Asking().Type("ik voel me al weken somber")
	f.clock.Advance(90*time.Second + 15*time.Second + 2*time.Second)
	if f.k.ask != nil || f.k.screen != welcomeScreen {
		t.Fatalf("after idle: question state kept (%v), screen %v", f.k.ask != nil, f.k.screen)
	}
	if f.shows("somber") {
		t.Errorf("the typed text is still on screen")
	}
	if n, _ := f.questions.Count(context.Background()); n != 0 {
		t.Errorf("%d questions stored, want none", n)
	}
	// A new question starts empty.
	f.k.StartQuestion()
	f.k.Asking().ChooseTopic("gezondheid")
	if len(f.k.ask.text) != 0 {
		t.Errorf("a new question starts with %q", string(f.k.ask.text))
	}
}

func TestAskBackAndStop(t *testing.T) {
	f := newKiosk(t, 10, 0)
	f.k.StartQuestion()
	f.k.Asking().ChooseTopic("taal")
	f.k.Asking().Type("hallo")
	f.tap(t, "Terug")
	if f.k.ask.step != stepTopic {
		t.Errorf("back from typing: step %v, want topic", f.k.ask.step)
	}
	f.tap(t, "Terug")
	if f.k.screen != welcomeScreen {
		t.Errorf("back from the first step: screen %v, want welcome", f.k.screen)
	}
	f.k.StartQuestion()
	f.k.Asking().ChooseTopic("taal")
	f.tap(t, "Stoppen")
	if f.k.screen != welcomeScreen || f.k.ask != nil {
		t.Errorf("stop: screen %v, state kept %v", f.k.screen, f.k.ask != nil)
	}
}

// The text stops at 500 characters, however long the visitor types.
func TestAskTextLimit(t *testing.T) {
	f := newKiosk(t, 10, 0)
	f.k.StartQuestion()
	f.k.Asking().ChooseTopic("anders")
	f.k.Asking().Type(strings.Repeat("a", question.MaxText+20))
	if got := len(f.k.ask.text); got != question.MaxText {
		t.Errorf("typed %d characters, want the limit %d", got, question.MaxText)
	}
	if !f.shows("500 van 500 tekens") || !f.shows("Meer past er niet") {
		t.Errorf("the limit is reached silently: %q", f.texts())
	}
}

// tapKey taps a keyboard key that shows a pictogram rather than a letter.
func (f *kioskFixture) tapKey(t *testing.T, name string) {
	t.Helper()
	found := f.tileWhere(func(c fyne.CanvasObject) bool {
		img, ok := c.(*canvas.Image)
		return ok && img.Resource != nil && strings.HasSuffix(img.Resource.Name(), name+".svg")
	})
	if found == nil {
		t.Fatalf("no key with pictogram %s", name)
	}
	test.Tap(found)
}

// With a real printer the slip comes out and the kiosk shows the code
// large with what happens next; an activity's "Print" works too.
func TestAskPrintsOnRealPrinter(t *testing.T) {
	f := newKiosk(t, 10, 0)
	cups := cupstest.Start(t)
	f.printer.URI = cups.URI
	f.k.StartQuestion()
	f.k.Asking().ChooseTopic("werk")
	f.k.Asking().SkipOrNext()
	f.tap(t, "Ik kom later terug")
	f.tap(t, "Bonnetje printen")
	if f.k.ask.step != stepDone {
		t.Fatalf("step = %v, want done; cupsd log:\n%s", f.k.ask.step, cups.Log())
	}
	code := question.FormatCode(f.k.ask.asked.Code)
	if !f.shows(code) || !f.shows("Dank u wel!") || !f.shows("Mijn bonnetje") {
		t.Errorf("done screen: %q", f.texts())
	}
	if pdfs := cups.PDFs(t); len(pdfs) != 1 {
		t.Errorf("%d slips printed, want 1", len(pdfs))
	}
	f.clock.Advance(doneFor + time.Second)
	if f.k.screen != welcomeScreen {
		t.Errorf("the done screen did not return to the welcome screen")
	}

	f.k.ShowToday()
	f.tap(t, "Taalcafé")
	f.tap(t, "Print een bonnetje")
	if !f.shows("Het bonnetje is geprint.") {
		t.Errorf("activity print not confirmed: %q", f.texts())
	}
	if pdfs := cups.PDFs(t); len(pdfs) != 2 {
		t.Errorf("%d slips printed, want 2", len(pdfs))
	}

	// The printer is switched off at the house: the question is stored,
	// the job cancelled, and the code shows on screen.
	cups.Disable(t, cups.Queue)
	f.k.Reset()
	f.k.StartQuestion()
	f.k.Asking().ChooseTopic("geld")
	f.k.Asking().SkipOrNext()
	f.k.Asking().ChooseFollowUp(question.Waiting)
	f.k.Asking().Confirm()
	if f.k.ask.step != stepFallback || !f.shows("Laat deze code zien aan een vrijwilliger.") {
		t.Errorf("disabled printer: step %v, screen %q; want the fallback", f.k.ask.step, f.texts())
	}
	if _, err := f.questions.ByCode(context.Background(), f.k.ask.asked.Code); err != nil {
		t.Errorf("question not stored: %v", err)
	}
	if jobs := cups.Jobs(t, cups.Queue); len(jobs) != 0 {
		t.Errorf("jobs waiting to print later: %v", jobs)
	}
}
