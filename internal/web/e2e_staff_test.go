package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"buurtbalie/assets"
	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/desk"
	"buurtbalie/internal/printer"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/slip"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/web"
	"buurtbalie/internal/web/webdriver"
	"buurtbalie/ui"
)

// A staff member, in a real headless Chromium, logs in, adds a weekly
// activity on today's weekday and cancels today's instance; the kiosk
// (Fyne's test driver on the same database) shows it cancelled.
func TestStaffEndToEndInChromium(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	db.Location = loc
	prog := sqlite.NewProgrammeService(db)
	// The demo's categories, without its activities, so the only
	// cancellation today is the one this test makes.
	if _, err := prog.SeedDemo(ctx, programme.DateOf(time.Now().In(loc))); err != nil {
		t.Fatal(err)
	}
	if _, err := prog.RemoveDemo(ctx); err != nil {
		t.Fatal(err)
	}
	cat, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	questions, accounts := sqlite.NewQuestionService(db), sqlite.NewAccountService(db)
	if _, err := accounts.CreateUser(ctx, "Fatima", account.Staff, "lang-wachtwoord-2026"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(web.Config{Location: loc, Programme: prog}, questions, accounts, account.NewThrottle(), cat, quiet).Handler())
	t.Cleanup(srv.Close)

	b := webdriver.Start(t)
	b.Get(t, srv.URL+"/login?next=/programme/new")
	b.Type(t, "#name", "Fatima")
	b.Type(t, "#password", "lang-wachtwoord-2026")
	b.Click(t, "form button[type=submit]")
	b.WaitFind(t, "#a-title") // logged in, on the new activity form

	now := time.Now().In(loc)
	b.Type(t, "#a-title", "Schaakclub voor iedereen")
	b.Type(t, "#a-room", "Zaal 2")
	b.Click(t, `input[name=kind][value=weekly]`)
	b.Click(t, fmt.Sprintf(`input[name=weekdays][value="%d"]`, int(now.Weekday())))
	// A time field types as the browser's locale wants; set it directly.
	b.Run(t, `document.getElementById("a-start").value = "23:00"; document.getElementById("a-end").value = "23:59";
		document.getElementById("a-category").value = "ontmoeten";`)
	b.Run(t, `document.getElementById("a-title").form.requestSubmit();`)
	b.WaitURL(t, func(u string) bool { return !strings.HasSuffix(u, "/programme/new") })
	b.Get(t, srv.URL+"/programme")
	b.WaitText(t, "li.today", "Schaakclub voor iedereen")
	// Cancel today's instance with the one-tap form on its row.
	b.Run(t, `for (const li of document.querySelectorAll("li.today li.occ")) {
		if (li.textContent.includes("Schaakclub")) { li.querySelector("form button").click(); }
	}`)
	b.WaitText(t, "li.today li.occ-cancelled", "Schaakclub voor iedereen")

	// The kiosk on the same database shows it cancelled.
	app := test.NewApp()
	t.Cleanup(app.Quit)
	app.Settings().SetTheme(ui.NewTheme(mustColor(t)))
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1280, 800))
	slips, err := slip.New()
	if err != nil {
		t.Fatal(err)
	}
	frontDesk := desk.New(questions, slips, &printer.Client{URI: "ipp://127.0.0.1:9/printers/none"}, cat, desk.Config{House: "Buurthuis De Linde", PublicURL: srv.URL}, quiet)
	k, err := ui.New(w, prog, frontDesk, cat, assets.Icons, ui.NewManualClock(now), ui.Options{
		HouseName: "Buurthuis De Linde", Location: loc, IdleAfter: time.Minute, StillThereFor: 15 * time.Second, Synchronous: true, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(k.Stop)
	k.ShowToday()
	shown := strings.Join(texts(w.Canvas().Content()), "\n")
	if !strings.Contains(shown, "Schaakclub voor iedereen") || !strings.Contains(shown, "Vervalt vandaag") {
		t.Errorf("the kiosk does not show the activity cancelled today:\n%s", shown)
	}
}
