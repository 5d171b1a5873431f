package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
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
	"buurtbalie/internal/house"
	"buurtbalie/internal/printer"
	"buurtbalie/internal/slip"
	"buurtbalie/internal/speech"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/web"
	"buurtbalie/internal/web/webdriver"
	"buurtbalie/ui"
)

// endToEnd is the whole program on one real SQLite file: the web app on
// 127.0.0.1, the front desk, and a kiosk to open on the same database.
type endToEnd struct {
	db        *sqlite.DB
	loc       *time.Location
	cat       *catalogue.Catalogue
	quiet     *slog.Logger
	questions *sqlite.QuestionService
	prog      *sqlite.ProgrammeService
	house     *sqlite.HouseService
	accounts  *sqlite.AccountService
	srv       *httptest.Server
	desk      *desk.Desk
}

// e2ePassword is every end-to-end account's password.
const e2ePassword = "lang-wachtwoord-2026"

// newEndToEnd starts the web app with one account, name in role, whose
// password is e2ePassword. prepare, if set, runs on the fresh database
// before anything else uses it.
func newEndToEnd(t *testing.T, name string, role account.Role, prepare func(*sqlite.ProgrammeService)) *endToEnd {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	db.Location = loc
	cat, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	e := &endToEnd{db: db, loc: loc, cat: cat, quiet: slog.New(slog.NewTextHandler(io.Discard, nil)),
		questions: sqlite.NewQuestionService(db), prog: sqlite.NewProgrammeService(db)}
	e.house = sqlite.NewHouseService(db, house.House{Name: "Buurthuis De Linde", Language: "nl"})
	if prepare != nil {
		prepare(e.prog)
	}
	accounts := sqlite.NewAccountService(db)
	e.accounts = accounts
	if _, err := accounts.CreateUser(ctx, name, role, e2ePassword); err != nil {
		t.Fatal(err)
	}
	settings := &web.Settings{House: e.house, Categories: e.prog, Topics: e.questions, Partners: e.questions, Pictograms: assets.Icons,
		Voices: houseVoices{sqlite.NewRecordingService(db), speech.Converter{}}}
	e.srv = httptest.NewServer(web.New(web.Config{Location: loc, Programme: e.prog, Settings: settings, Figures: sqlite.NewFigureService(db)}, e.questions, accounts,
		account.NewThrottle(), cat, e.quiet).Handler())
	t.Cleanup(e.srv.Close)
	slips, err := slip.New()
	if err != nil {
		t.Fatal(err)
	}
	// Nothing listens on port 9: these tests print nothing.
	e.desk = desk.New(e.questions, slips, &printer.Client{URI: "ipp://127.0.0.1:9/printers/none"}, cat,
		desk.Config{House: "Buurthuis De Linde", PublicURL: e.srv.URL, Location: loc, Settings: e.house}, e.quiet)
	return e
}

// logIn logs name in on the login page in b, to go on to next.
func (e *endToEnd) logIn(t *testing.T, b *webdriver.Browser, name, next string) {
	t.Helper()
	b.Get(t, e.srv.URL+"/login?next="+url.QueryEscape(next))
	b.Type(t, "#name", name)
	b.Type(t, "#password", e2ePassword)
	b.Click(t, "form button[type=submit]")
}

// kiosk opens the kiosk on the same database with Fyne's test driver and
// a clock standing at now; texts reads what its window shows.
func (e *endToEnd) kiosk(t *testing.T, now time.Time, options ...func(*ui.Options)) (k *ui.Kiosk, texts func() string) {
	t.Helper()
	app := test.NewApp()
	t.Cleanup(app.Quit)
	accent, err := ui.ParseColor(ui.DefaultAccent)
	if err != nil {
		t.Fatal(err)
	}
	app.Settings().SetTheme(ui.NewTheme(accent))
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1280, 800))
	opt := ui.Options{
		HouseName: "Buurthuis De Linde", House: e.house, Location: e.loc, IdleAfter: time.Minute, StillThereFor: 15 * time.Second,
		Synchronous: true, Logger: e.quiet}
	for _, o := range options {
		o(&opt)
	}
	k, err = ui.New(w, e.prog, e.desk, e.cat, assets.Icons, ui.NewManualClock(now), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(k.Stop)
	return k, func() string { return strings.Join(drawnTexts(w.Canvas().Content()), "\n") }
}

// drawnTexts returns the text drawn under o.
func drawnTexts(o fyne.CanvasObject) []string {
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
