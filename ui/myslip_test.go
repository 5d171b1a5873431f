package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"buurtbalie/internal/desk"
	"buurtbalie/internal/question"
)

// A visitor types the code of their slip on the code keyboard and reads
// the volunteer's message in large text.
func TestMySlipShowsTheMessage(t *testing.T) {
	f := newKiosk(t, 10, 0)
	ctx := context.Background()
	q, err := f.desk.Ask(ctx, desk.Draft{Topic: "geld", Text: "brief", FollowUp: question.ComeBack, Lang: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.questions.Apply(ctx, q.ID, "Ans", question.Action{Kind: question.EventMessage, Text: "Kom dinsdag om 10 uur naar het spreekuur geldzaken."}); err != nil {
		t.Fatal(err)
	}
	f.tap(t, "Mijn bonnetje")
	code := question.FormatCode(q.Code)
	for _, r := range code[:3] {
		f.tap(t, string(r)) // on the screen's code keyboard
	}
	f.k.MySlip().TypeCode(code[4:]) // the rest as a USB scanner or keyboard types it
	if !f.shows(code) {
		t.Fatalf("typed code not shown as %s: %q", code, f.texts())
	}
	f.tap(t, "Bekijken")
	for _, want := range []string{"Kom dinsdag om 10 uur naar het spreekuur geldzaken.", "Bericht van een vrijwilliger"} {
		if !f.shows(want) {
			t.Errorf("answer lacks %q: %q", want, f.texts())
		}
	}
	if f.shows("brief") {
		t.Errorf("the answer shows the question's text")
	}
	// Idle wipes it.
	f.clock.Advance(2 * time.Minute)
	if f.k.slip != nil || f.k.screen != welcomeScreen {
		t.Errorf("after idle the slip is still shown")
	}
}

// Lower case and look-alike letters are read as Crockford intends.
func TestMySlipReadsLookAlikes(t *testing.T) {
	f := newKiosk(t, 10, 0)
	q, err := f.desk.Ask(context.Background(), desk.Draft{Topic: "wonen", FollowUp: question.Waiting, Lang: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	f.k.StartMySlip()
	typed := []rune(q.Code)
	for i, r := range typed {
		switch r { // type the look-alikes a visitor might
		case '0':
			typed[i] = 'o'
		case '1':
			typed[i] = 'l'
		default:
			typed[i] = r | 0x20 // lower case for letters; digits unchanged
		}
	}
	f.k.MySlip().TypeCode(string(typed))
	f.k.MySlip().LookUp()
	if f.k.slip.view == nil || !f.shows("Uw vraag is ontvangen") {
		t.Errorf("code typed as %q not found: %q", string(typed), f.texts())
	}
}

// Wrong codes are slowed down: a visitor may mistype a few, then waits
// longer each time. The next visitor (after the idle reset) starts
// afresh, but the kiosk's hourly bound holds across visitors.
func TestMySlipWrongCodesAreSlowedDown(t *testing.T) {
	f := newKiosk(t, 10, 0)
	f.k.StartMySlip()
	for i := 0; i < wrongCodesFree; i++ {
		f.k.MySlip().TypeCode("ZZZZZZ")
		f.k.MySlip().LookUp()
		if !f.shows("Deze code vinden we niet") {
			t.Fatalf("wrong code %d: no kind message: %q", i+1, f.texts())
		}
	}
	f.k.MySlip().TypeCode("ZZZZZZ")
	f.k.MySlip().LookUp() // the fourth: the next one must wait
	f.k.MySlip().TypeCode("ZZZZZY")
	f.k.MySlip().LookUp()
	if !f.shows("Even geduld: over 1 minuut kunt u weer een code proberen") {
		t.Errorf("after 4 wrong codes there is no wait, or its plural is wrong: %q", f.texts())
	}

	// The next visitor is not greeted by that wait.
	q, _ := f.desk.Ask(context.Background(), desk.Draft{Topic: "taal", FollowUp: question.Waiting, Lang: "nl"})
	f.k.Reset()
	f.k.StartMySlip()
	if f.shows("Even geduld") || f.shows("Deze code vinden we niet") {
		t.Errorf("the next visitor sees the last one's message: %q", f.texts())
	}
	f.k.MySlip().TypeCode(q.Code)
	f.k.MySlip().LookUp()
	if f.k.slip.view == nil {
		t.Errorf("the next visitor's right code is refused: %q", f.texts())
	}

	// Visitor after visitor guessing: the hourly bound stops them all.
	for i := 0; f.k.codeLock.wait(f.clock.Now()) == 0 && i < 100; i++ {
		f.k.Reset()
		f.k.StartMySlip()
		f.k.MySlip().TypeCode("ZZZZZZ")
		f.k.MySlip().LookUp()
	}
	if n := len(f.k.codeLock.misses); n != wrongCodesPerHour {
		t.Errorf("guessing stopped after %d wrong codes, want %d an hour", n, wrongCodesPerHour)
	}
	f.clock.Advance(time.Hour)
	f.k.StartMySlip()
	f.k.MySlip().TypeCode(q.Code)
	f.k.MySlip().LookUp()
	if f.k.slip.view == nil {
		t.Errorf("an hour later the right code is refused: %q", f.texts())
	}
}

// After a wrong code the keypad stays where it was, so the next taps hit
// the keys the visitor aims at; the code stays, marked, to be corrected;
// a code not yet whole is not counted as a wrong one.
func TestMySlipKeypadStaysAfterAWrongCode(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1280, Height: 800}, {Width: 800, Height: 1280}} {
		f := newKiosk(t, 10, 0)
		f.w.Resize(size)
		f.tap(t, "Mijn bonnetje")
		key := func() fyne.Position {
			return fyne.CurrentApp().Driver().AbsolutePositionForObject(f.tileWith(t, "1"))
		}
		before := key()
		f.k.MySlip().TypeCode("ZZZ")
		f.tap(t, "Bekijken")
		if !f.shows("De code is nog niet af") || f.k.codeLock.visitor != 0 {
			t.Errorf("%v: a half code: %q, counted %d wrong", size, f.texts(), f.k.codeLock.visitor)
		}
		f.k.MySlip().TypeCode("ZZZ")
		f.tap(t, "Bekijken")
		if !f.shows("Deze code vinden we niet") {
			t.Fatalf("%v: no message after a wrong code: %q", size, f.texts())
		}
		if after := key(); after != before {
			t.Errorf("%v: the keypad moved from %v to %v after a wrong code", size, before, after)
		}
		if !f.shows("ZZZ-ZZZ") || f.k.slip.shown.Color != theme.Color(theme.ColorNameError) {
			t.Errorf("%v: the wrong code is not kept and marked: %q", size, f.texts())
		}
		f.k.slip.kb.backspace() // the code can be corrected
		if !f.shows("ZZZ-ZZ·") || f.k.slip.shown.Color == theme.Color(theme.ColorNameError) {
			t.Errorf("%v: after backspace the code is not ZZZ-ZZ· unmarked: %q", size, f.texts())
		}
	}
}

// A question a volunteer handed over to another house says so at the
// kiosk too, in the visitor's language and read aloud, so that the
// visitor goes there with the slip.
func TestMySlipSaysWhereTheQuestionWent(t *testing.T) {
	f := newKiosk(t, 10, 0)
	f.withElsewhere(t) // joined, with Huis Oost among the houses
	ctx := context.Background()
	q, err := f.desk.Ask(ctx, desk.Draft{Topic: "geld", Text: "brief", FollowUp: question.ComeBack, Lang: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.questions.ReferToHouse(ctx, q.ID, "Ans", "Huis Oost", "spreekt Turks"); err != nil {
		t.Fatal(err)
	}
	f.tap(t, "Mijn bonnetje")
	f.k.MySlip().TypeCode(question.FormatCode(q.Code))
	f.tap(t, "Bekijken")
	want := "Uw vraag is doorgegeven aan Huis Oost."
	if dir := os.Getenv("BUURTBALIE_SHOTS"); dir != "" {
		shot(t, f, filepath.Join(dir, "myslip-handed.png"))
	}
	if !f.shows(want) {
		t.Errorf("the answer does not say where the question went: %q", f.texts())
	}
	says := strings.Join(f.k.Says(), "\n")
	if !strings.Contains(says, want) {
		t.Errorf("read aloud: %s", says)
	}
	if general := "iemand die u verder kan helpen"; f.shows(general) || strings.Contains(says, general) {
		t.Errorf("the answer says twice that the question was passed on: %q", f.texts())
	}
	if f.shows("spreekt Turks") || f.shows("brief") {
		t.Errorf("the answer shows the note or the question: %q", f.texts())
	}
	if dir := os.Getenv("BUURTBALIE_SHOTS"); dir != "" {
		f.k.SetLanguage("ar")
		shot(t, f, filepath.Join(dir, "myslip-handed-ar.png"))
		f.k.SetLanguage("nl")
	}
}
