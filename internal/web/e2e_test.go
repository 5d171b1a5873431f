package web_test

import (
	"context"
	"image/color"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"buurtbalie/assets"
	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/desk"
	"buurtbalie/internal/printer"
	"buurtbalie/internal/question"
	"buurtbalie/internal/slip"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/web"
	"buurtbalie/internal/web/webdriver"
	"buurtbalie/ui"
)

// The volunteers' way, end to end in a real headless Chromium against the
// real server on 127.0.0.1: a question made at the desk, its slip link
// opened, log in, claim, write a message for the visitor, close; the queue
// updates by itself when another question arrives; and then the kiosk's
// "Mijn bonnetje", on the same database, shows the message for the code.
func TestEndToEndInChromium(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	questions, accounts := sqlite.NewQuestionService(db), sqlite.NewAccountService(db)
	if _, err := accounts.CreateUser(ctx, "Ans", account.Volunteer, "lang-wachtwoord-2026"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(web.Config{}, questions, accounts, account.NewThrottle(), cat, quiet).Handler())
	t.Cleanup(srv.Close)
	slips, err := slip.New()
	if err != nil {
		t.Fatal(err)
	}
	frontDesk := desk.New(questions, slips, &printer.Client{URI: "ipp://127.0.0.1:9/printers/none"}, cat,
		desk.Config{House: "Buurthuis De Linde", PublicURL: srv.URL}, quiet)
	q, err := frontDesk.Ask(ctx, desk.Draft{Topic: "geld", Text: "Ik snap de brief van de belasting niet", FollowUp: question.Waiting, Lang: "nl"})
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
	b.Get(t, frontDesk.SlipURL(q))
	b.WaitText(t, ".status-big", "Uw vraag is ontvangen")
	if strings.Contains(b.Text(t, "body"), "belasting") {
		t.Fatalf("the visitor view shows the question's text")
	}
	shot("1-visitor")
	b.Click(t, "a[href^='/login']")
	b.Type(t, "#name", "Ans")
	b.Type(t, "#password", "lang-wachtwoord-2026")
	b.Click(t, "form button[type=submit]")
	b.WaitText(t, "blockquote", "Ik snap de brief van de belasting niet")
	shot("2-volunteer")

	b.Click(t, "form.claim button")
	b.WaitText(t, ".status", "Opgepakt") // the claim has landed
	b.Type(t, "#message-text", "Kom dinsdag om 10 uur naar het spreekuur geldzaken. Neem de brief mee.")
	b.Click(t, "#message button")
	b.WaitText(t, "section.message", "Kom dinsdag om 10 uur")
	b.Type(t, "#outcome", "Doorverwezen naar het spreekuur geldzaken")
	b.Click(t, "#close button")
	b.WaitText(t, ".status", "Afgerond")
	shot("3-closed")

	// The queue shows a new question by itself.
	b.Get(t, srv.URL+"/queue")
	b.Find(t, "body")
	later, err := frontDesk.Ask(ctx, desk.Draft{Topic: "wonen", FollowUp: question.ComeBack, Lang: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	b.WaitText(t, "body", question.FormatCode(later.Code))
	shot("4-queue")

	// The visitor reads the message at the kiosk.
	app := test.NewApp()
	t.Cleanup(app.Quit)
	app.Settings().SetTheme(ui.NewTheme(mustColor(t)))
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1280, 800))
	k, err := ui.New(w, sqlite.NewProgrammeService(db), frontDesk, cat, assets.Icons, ui.NewManualClock(time.Now()),
		ui.Options{HouseName: "Buurthuis De Linde", IdleAfter: time.Minute, StillThereFor: 15 * time.Second, Synchronous: true, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(k.Stop)
	k.StartMySlip()
	k.TypeCode(q.Code)
	k.LookUpSlip()
	shown := strings.Join(texts(w.Canvas().Content()), "\n")
	for _, want := range []string{"Kom dinsdag om 10 uur naar het spreekuur geldzaken. Neem de brief mee.", "Uw vraag is afgerond."} {
		if !strings.Contains(shown, want) {
			t.Errorf("the kiosk does not show %q; it shows:\n%s", want, shown)
		}
	}
}

func mustColor(t *testing.T) color.NRGBA {
	t.Helper()
	c, err := ui.ParseColor(ui.DefaultAccent)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// texts returns the text drawn under o.
func texts(o fyne.CanvasObject) []string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch v := o.(type) {
		case *canvas.Text:
			out = append(out, v.Text)
		case *widget.Label:
			out = append(out, v.Text)
		}
		switch v := o.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}
