package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/desk"
	"buurtbalie/internal/question"
	"buurtbalie/internal/web/webdriver"
)

// The volunteers' way, end to end in a real headless Chromium against the
// real server on 127.0.0.1: a question made at the desk, its slip link
// opened, log in, claim, write a message for the visitor, close; the queue
// updates by itself when another question arrives, and again when its
// slip does not print; and then the kiosk's "Mijn bonnetje", on the same
// database, shows the message for the code.
func TestEndToEndInChromium(t *testing.T) {
	ctx := context.Background()
	e := newEndToEnd(t, "Ans", account.Volunteer, nil)
	q, err := e.desk.Ask(ctx, desk.Draft{Topic: "geld", Text: "Ik snap de brief van de belasting niet", FollowUp: question.Waiting, Lang: "nl"})
	if err != nil {
		t.Fatal(err)
	}

	b := webdriver.Start(t)
	shot := func(name string) {
		if dir := os.Getenv("BUURTBALIE_WEB_SHOTS"); dir != "" {
			b.Screenshot(t, filepath.Join(dir, name+".png"))
		}
	}
	// Scanned without logging in: only the status, and a way to log in.
	b.Get(t, e.desk.SlipURL(q))
	b.WaitText(t, ".status-big", "Uw vraag is ontvangen")
	if strings.Contains(b.Text(t, "body"), "belasting") {
		t.Fatalf("the visitor view shows the question's text")
	}
	shot("1-visitor")
	b.Click(t, "a[href^='/login']")
	b.Type(t, "#name", "Ans")
	b.Type(t, "#password", e2ePassword)
	b.Click(t, "form button[type=submit]")
	b.WaitText(t, "blockquote", "Ik snap de brief van de belasting niet")
	shot("2-volunteer")

	b.Click(t, "form.claim button")
	b.WaitText(t, ".status", "Opgepakt") // the claim has landed
	b.Click(t, "a.step[href*='step=message']")
	b.Type(t, "#message-text", "Kom dinsdag om 10 uur naar het spreekuur geldzaken. Neem de brief mee.")
	b.Click(t, "#step button.primary")
	b.WaitText(t, "section.message", "Kom dinsdag om 10 uur")
	b.Click(t, "a.step[href*='step=close']")
	b.Click(t, "input[value=helped]")
	b.Type(t, "#outcome-text", "Doorverwezen naar het spreekuur geldzaken")
	b.Click(t, "#step button.primary")
	b.WaitText(t, ".status", "Afgerond")
	shot("3-closed")

	// The queue shows a new question by itself.
	b.Get(t, e.srv.URL+"/queue")
	b.Find(t, "body")
	later, err := e.desk.Ask(ctx, desk.Draft{Topic: "wonen", FollowUp: question.ComeBack, Lang: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	b.WaitText(t, "body", question.FormatCode(later.Code))
	// Its slip does not print: the queue says so by itself, so that a
	// volunteer looks for the visitor at the entrance.
	if err := e.desk.PrintQuestion(ctx, later); err == nil {
		t.Fatal("a slip printed on a printer nobody runs")
	}
	b.WaitText(t, "body", "Geen bonnetje: de printer deed het niet")
	shot("4-queue")

	// The visitor reads the message at the kiosk.
	k, shown := e.kiosk(t, time.Now())
	k.StartMySlip()
	k.MySlip().TypeCode(q.Code)
	k.MySlip().LookUp()
	for _, want := range []string{"Kom dinsdag om 10 uur naar het spreekuur geldzaken. Neem de brief mee.", "Uw vraag is afgerond."} {
		if !strings.Contains(shown(), want) {
			t.Errorf("the kiosk does not show %q; it shows:\n%s", want, shown())
		}
	}
}
