package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
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
	e.logIn(t, b, "Ans", "/s/"+q.Token)
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

// A visitor who asked in Arabic scans their slip: the page is in Arabic,
// laid out right to left by the browser (dir="rtl"), and its language
// switch turns it into Dutch, left to right.
func TestVisitorPageInArabicIsRightToLeftInChromium(t *testing.T) {
	ctx := context.Background()
	e := newEndToEnd(t, "Ans", account.Volunteer, nil)
	q, err := e.desk.Ask(ctx, desk.Draft{Topic: "geld", Text: "لا أفهم هذه الرسالة", FollowUp: question.ComeBack, Lang: "ar"})
	if err != nil {
		t.Fatal(err)
	}
	b := webdriver.Start(t)
	b.Resize(t, 390, 844)
	b.Get(t, e.srv.URL+"/s/"+q.Token)
	b.WaitText(t, "h1", e.cat.For("ar").T("web.visitor.title"))
	src := b.Source(t)
	if !strings.Contains(src, `lang="ar" dir="rtl"`) {
		t.Errorf("the Arabic visitor page is not marked right to left:\n%.600s", src)
	}
	if dir := os.Getenv("BUURTBALIE_WEB_SHOTS"); dir != "" {
		b.Screenshot(t, filepath.Join(dir, "visitor-ar.png"))
	}
	b.Click(t, `footer a[lang="nl"]`)
	b.WaitText(t, "h1", e.cat.For("nl").T("web.visitor.title"))
	if src := b.Source(t); !strings.Contains(src, `lang="nl" dir="ltr"`) {
		t.Errorf("after switching to Dutch the page is not left to right:\n%.600s", src)
	}
}
