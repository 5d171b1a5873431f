package ui

import (
	"context"
	"testing"
	"time"

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
	f.k.TypeCode(code[4:]) // the rest as a USB scanner or keyboard types it
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
	f.k.TypeCode(string(typed))
	f.k.LookUpSlip()
	if f.k.slip.view == nil || !f.shows("Uw vraag is ontvangen") {
		t.Errorf("code typed as %q not found: %q", string(typed), f.texts())
	}
}

// Wrong codes are rate-limited, and walking away does not reset that.
func TestMySlipWrongCodesAreSlowedDown(t *testing.T) {
	f := newKiosk(t, 10, 0)
	f.k.StartMySlip()
	for i := 0; i < wrongCodesFree; i++ {
		f.k.TypeCode("ZZZZZZ")
		f.k.LookUpSlip()
		if !f.shows("Deze code kennen we niet") {
			t.Fatalf("wrong code %d: no kind message: %q", i+1, f.texts())
		}
	}
	f.k.TypeCode("ZZZZZZ")
	f.k.LookUpSlip() // the fourth: now it must wait
	f.k.Reset()
	f.k.StartMySlip()
	f.k.TypeCode("ZZZZZZ")
	f.k.LookUpSlip()
	if !f.shows("Even geduld") {
		t.Errorf("after 4 wrong codes and a reset there is no wait: %q", f.texts())
	}
	// Once the wait is over, a right code works again.
	q, _ := f.desk.Ask(context.Background(), desk.Draft{Topic: "taal", FollowUp: question.Waiting, Lang: "nl"})
	f.clock.Advance(16 * time.Second)
	f.k.StartMySlip()
	f.k.TypeCode(q.Code)
	f.k.LookUpSlip()
	if f.k.slip.view == nil {
		t.Errorf("after the wait the right code is refused: %q", f.texts())
	}
}
