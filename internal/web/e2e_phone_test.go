package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"buurtbalie/internal/account"
	"buurtbalie/internal/desk"
	"buurtbalie/internal/question"
	"buurtbalie/internal/web/webdriver"
)

// A volunteer follows two questions up on a phone (390x844) in a real
// headless Chromium: claim, a message for the visitor, a referral and the
// closing, each a tap on a big button and a short form that lands back
// on the question with its confirmation in view; then a colleague's
// question, which taking over asks first. The page never gets wider
// than the phone, and opens in little more than a screen.
func TestPhoneFollowUpInChromium(t *testing.T) {
	ctx := context.Background()
	e := newEndToEnd(t, "Kees", account.Volunteer, nil)
	if _, err := e.accounts.CreateUser(ctx, "Piet", account.Volunteer, e2ePassword); err != nil {
		t.Fatal(err)
	}
	q, err := e.desk.Ask(ctx, desk.Draft{Topic: "geld", Text: "Ik krijg een brief van de gemeente over mijn huur en snap hem niet", FollowUp: question.ComeBack, Lang: "tr"})
	if err != nil {
		t.Fatal(err)
	}
	pieter, err := e.desk.Ask(ctx, desk.Draft{Topic: "wonen", Text: "Mijn kraan lekt al weken", FollowUp: question.ComeBack, Lang: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.questions.Apply(ctx, pieter.ID, "Piet", question.Action{Kind: question.EventClaimed}); err != nil {
		t.Fatal(err)
	}

	b := webdriver.Start(t)
	b.Resize(t, 390, 844)
	shot := func(name string) {
		if dir := os.Getenv("BUURTBALIE_WEB_SHOTS"); dir != "" {
			b.Screenshot(t, filepath.Join(dir, "phone-"+name+".png"))
		}
	}
	measure := func(what string) {
		t.Helper()
		b.Run(t, `const d = document.documentElement;
			let p = document.getElementById("measured"); if (!p) { p = document.createElement("p"); p.id = "measured"; document.body.appendChild(p); }
			p.textContent = d.scrollHeight + " " + (d.scrollWidth > d.clientWidth ? "wide" : "fits");`)
		got := b.Text(t, "#measured")
		var height int
		var fits string
		for i, f := range strings.Fields(got) {
			if i == 0 {
				height, _ = strconv.Atoi(f)
			} else {
				fits = f
			}
		}
		if fits != "fits" {
			t.Errorf("%s: the page is wider than the phone", what)
		}
		t.Logf("%s: page %d px tall at 390x844", what, height)
	}
	e.logIn(t, b, "Kees", "/s/"+q.Token)
	b.WaitText(t, "blockquote", "brief van de gemeente")
	measure("a new question")
	shot("1-question")
	// "Ik pak dit op" is in view without scrolling.
	b.Run(t, `const r = document.querySelector("form.claim button").getBoundingClientRect();
		const p = document.createElement("p"); p.id = "inview"; p.textContent = r.bottom <= window.innerHeight ? "in view" : "below " + Math.round(r.bottom) + " > " + window.innerHeight;
		document.body.appendChild(p);`)
	if got := b.Text(t, "#inview"); got != "in view" {
		t.Errorf("the claim button is not in the first screen: %s", got)
	}

	b.Click(t, "form.claim button")
	b.WaitText(t, "#done", "U heeft deze vraag opgepakt.")
	measure("claimed")
	shot("2-claimed")

	b.Click(t, "a.step[href*='step=message']")
	b.Type(t, "#message-text", "Kom donderdag om 13 uur naar het spreekuur. Neem de brief mee.")
	shot("3-message-form")
	b.Click(t, "#step button.primary")
	b.WaitText(t, "#current-message #done", "Het bericht is opgeslagen.")
	shot("4-message-saved")

	b.Click(t, "a.step[href*='step=refer']")
	b.Click(t, "label.partner input")
	shot("5-refer-form")
	b.Click(t, "#step button.primary")
	b.WaitText(t, "#done", "De vraag is doorverwezen.")
	b.WaitText(t, ".referred", "Doorverwezen naar Buurtteam")

	b.Click(t, "a.step[href*='step=close']")
	b.Type(t, "#outcome-text", "Afspraak bij het buurtteam staat.")
	shot("6-close-form")
	b.Click(t, "#step button.primary") // "Een partner helpt verder" is chosen already: it was referred
	b.WaitText(t, ".outcome", "Afgerond: Een partner helpt verder")
	measure("closed")
	shot("7-closed")

	// Piet's question: his claim shows, and taking it over asks first.
	b.Get(t, e.srv.URL+"/s/"+pieter.Token)
	b.WaitText(t, ".claimed", "Opgepakt door Piet")
	b.Click(t, "a.step[href*='step=takeover']")
	b.WaitText(t, "#step h2", "Piet heeft dit opgepakt. Toch overnemen?")
	shot("8-takeover-ask")
	b.Click(t, "#step button.primary")
	b.WaitText(t, "#done", "U heeft deze vraag overgenomen.")
	b.WaitText(t, ".history", "nam de vraag over van Piet")
	shot("9-taken-over")

	// The example code on /code stays on one line at this width.
	b.Get(t, e.srv.URL+"/code")
	b.WaitFind(t, "#code")
	b.Run(t, `const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		let lines = "none";
		while (walker.nextNode()) {
			const n = walker.currentNode, i = n.textContent.indexOf("K7M");
			if (i < 0) continue;
			const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 7);
			lines = String(new Set(Array.from(r.getClientRects(), c => Math.round(c.top))).size);
			break;
		}
		const p = document.createElement("p"); p.id = "lines"; p.textContent = lines; document.body.appendChild(p);`)
	if got := b.Text(t, "#lines"); got != "1" {
		t.Errorf("the example code on /code takes %s lines at 390 px, want 1", got)
	}
	shot("10-code")
}
