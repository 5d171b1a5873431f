package web_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"buurtbalie/internal/account"
	"buurtbalie/internal/desk"
	"buurtbalie/internal/question"
	"buurtbalie/internal/web/webdriver"
)

// At a phone's size (390x844), a volunteer who opens a question sees the
// visitor's language on the first screen, before scrolling, and the
// queue shows it too.
func TestVisitorLanguageOnPhoneInChromium(t *testing.T) {
	ctx := context.Background()
	e := newEndToEnd(t, "Ans", account.Volunteer, nil)
	q, err := e.desk.Ask(ctx, desk.Draft{Topic: "geld", Text: "I do not understand this letter", FollowUp: question.Waiting, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	b := webdriver.Start(t)
	b.Resize(t, 390, 844)
	b.Get(t, e.srv.URL+"/login?next=/s/"+q.Token)
	b.Type(t, "#name", "Ans")
	b.Type(t, "#password", e2ePassword)
	b.Click(t, "form button[type=submit]")
	b.WaitText(t, "p.visitor-lang", "Bezoeker koos: English")
	// Nobody on duty said they speak English: Ans has not filled in /me.
	b.WaitText(t, "p.nobody-speaks", "Niemand die nu dienst heeft spreekt English")
	r := b.Rect(t, "p.visitor-lang")
	if r.Y+r.Height > 844/2 || r.X+r.Width > 390 {
		t.Errorf("the visitor's language is drawn at %+v; want it in the top half of a 390x844 screen", r)
	}
	if dir := os.Getenv("BUURTBALIE_WEB_SHOTS"); dir != "" {
		b.Screenshot(t, filepath.Join(dir, "language-phone.png"))
	}
	b.Get(t, e.srv.URL+"/queue")
	b.WaitText(t, "a.item .visitor-lang", "Bezoeker koos: English")
}
