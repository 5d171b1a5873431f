package ui

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"buurtbalie/assets"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/desk"
	"buurtbalie/internal/printer"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/slip"
	"buurtbalie/internal/sqlite"
)

// kioskFixture is a kiosk on a real SQLite file with a known Monday
// programme, a hand-stepped clock and Fyne's test driver.
type kioskFixture struct {
	k     *Kiosk
	w     fyne.Window
	clock *ManualClock
	db    *sqlite.DB
	prog  *sqlite.ProgrammeService
	cat   *catalogue.Catalogue
	path  string

	questions *sqlite.QuestionService
	printer   *printer.Client
	desk      *desk.Desk
}

var monday = programme.NewDate(2026, time.November, 23)

func amsterdam(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func weekly(title, category, room string, h1, m1, h2, m2 int, days ...time.Weekday) programme.Activity {
	return programme.Activity{Title: title, Category: category, Room: room, Host: "Ans",
		Description: "Over " + title + ".", Start: programme.Clock(h1, m1), End: programme.Clock(h2, m2),
		Schedule: programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(days...)}}
}

// newKiosk starts a kiosk at the given local time on 23 November 2026 (a
// Monday) with coffee 09:30–11:30, yoga 10:00–10:45, a walk 11:00–12:00
// cancelled today, lunch 12:30–13:30 and a language café 14:00–16:00.
func newKiosk(t testing.TB, hour, minute int, extra ...programme.Activity) *kioskFixture {
	t.Helper()
	return newKioskOn(t, monday, hour, minute, extra...)
}

// newKioskOn starts the same kiosk on another day.
func newKioskOn(t testing.TB, day programme.Date, hour, minute int, extra ...programme.Activity) *kioskFixture {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	a.Settings().SetTheme(NewTheme(mustColor(t, DefaultAccent)))
	loc := amsterdam(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kiosk.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	prog := sqlite.NewProgrammeService(db)
	for i, c := range []string{"ontmoeten", "bewegen", "eten", "leren"} {
		if err := prog.SaveCategory(ctx, programme.Category{Key: c, Icon: c, Order: i}); err != nil {
			t.Fatal(err)
		}
	}
	acts := append([]programme.Activity{
		weekly("Koffie-inloop", "ontmoeten", "Huiskamer", 9, 30, 11, 30, time.Monday, time.Tuesday),
		weekly("Stoelyoga", "bewegen", "Zaal 1", 10, 0, 10, 45, time.Monday),
		weekly("Wandelgroep", "bewegen", "Ingang", 11, 0, 12, 0, time.Monday),
		weekly("Buurtlunch", "eten", "Keuken", 12, 30, 13, 30, time.Monday),
		weekly("Taalcafé", "leren", "Zaal 2", 14, 0, 16, 0, time.Monday),
	}, extra...)
	for i := range acts {
		if err := prog.CreateActivity(ctx, &acts[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := prog.SetException(ctx, programme.Exception{ActivityID: acts[2].ID, Date: monday, Cancelled: true, Note: "Het regent"}); err != nil {
		t.Fatal(err)
	}
	cat, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	clock := NewManualClock(time.Date(day.Year, day.Month, day.Day, hour, minute, 0, 0, loc))
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1280, 800))
	slips, err := slip.New()
	if err != nil {
		t.Fatal(err)
	}
	f := &kioskFixture{w: w, clock: clock, db: db, prog: prog, cat: cat, path: path,
		questions: sqlite.NewQuestionService(db),
		// Nothing listens on port 9: printing fails at once, unless a
		// test points the printer at a real cupsd.
		printer: &printer.Client{URI: "ipp://127.0.0.1:9/printers/none", Timeout: 5 * time.Second, Poll: 50 * time.Millisecond}}
	f.desk = desk.New(f.questions, slips, f.printer, cat, desk.Config{House: "Buurthuis De Linde",
		PublicURL: "http://192.168.1.20:8080", Hours: []string{"ma t/m vr 9:30 – 16:00"}, Emergency: []string{"Spoed: bel 112"},
		Location: loc}, nil)
	f.desk.Now = clock.Now
	k, err := New(w, prog, f.desk, cat, assets.Icons, clock, Options{HouseName: "Buurthuis De Linde", Location: loc,
		IdleAfter: 90 * time.Second, StillThereFor: 15 * time.Second, Synchronous: true,
		// The hand-stepped clock stands still between taps: taps would
		// all come "at once" after a screen change. TestDoubleTap...
		// checks the settle time itself.
		Settle: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(k.Stop)
	t.Cleanup(func() {
		if missing := cat.Missing(); len(missing) > 0 {
			t.Errorf("messages missing from the catalogue: %v", missing)
		}
	})
	f.k = k
	return f
}

func mustColor(t testing.TB, s string) color.NRGBA {
	t.Helper()
	c, err := ParseColor(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// walk visits every object drawn in the tree under o.
func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	visit(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			walk(c, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			walk(c, visit)
		}
	}
}

// texts returns every piece of text on screen.
func (f *kioskFixture) texts() []string {
	var out []string
	walk(f.w.Canvas().Content(), func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *canvas.Text:
			out = append(out, v.Text)
		case *widget.Label:
			out = append(out, v.Text)
		case *paragraph:
			out = append(out, v.text) // in logical order, as typed
		}
	})
	return out
}

func (f *kioskFixture) shows(s string) bool {
	return slices.ContainsFunc(f.texts(), func(t string) bool { return strings.Contains(t, s) })
}

// tileWith returns the first tile whose content shows s.
func (f *kioskFixture) tileWith(t testing.TB, s string) *tile {
	t.Helper()
	tl := f.tileWhere(func(c fyne.CanvasObject) bool {
		switch v := c.(type) {
		case *canvas.Text:
			return v.Text == s
		case *widget.Label: // words wrapped to their tile
			return v.Text == s
		case *paragraph:
			return v.text == s
		}
		return false
	})
	if tl == nil {
		t.Fatalf("no tile shows %q; on screen: %q", s, f.texts())
	}
	return tl
}

// pictogramTile returns the first tile on screen showing the pictogram
// name ("larger.svg"), or nil.
func (f *kioskFixture) pictogramTile(name string) *tile {
	return f.tileWhere(func(c fyne.CanvasObject) bool {
		img, ok := c.(*canvas.Image)
		return ok && img.Resource != nil && (img.Resource.Name() == name || strings.HasSuffix(img.Resource.Name(), "_"+name))
	})
}

// tapPictogram taps the tile showing the pictogram name.
func (f *kioskFixture) tapPictogram(t *testing.T, name string) {
	t.Helper()
	tl := f.pictogramTile(name)
	if tl == nil {
		t.Fatalf("no tile shows %s; on screen: %q", name, f.texts())
	}
	test.Tap(tl)
}

// tileWhere returns the first tile on screen with something in it that
// matches, or nil.
func (f *kioskFixture) tileWhere(match func(fyne.CanvasObject) bool) *tile {
	var found *tile
	walk(f.w.Canvas().Content(), func(o fyne.CanvasObject) {
		tl, ok := o.(*tile)
		if !ok || found != nil {
			return
		}
		walk(tl.content, func(c fyne.CanvasObject) {
			if match(c) {
				found = tl
			}
		})
	})
	return found
}

func (f *kioskFixture) tap(t testing.TB, s string) {
	t.Helper()
	test.Tap(f.tileWith(t, s))
}

func TestWelcomeShowsNowAndNext(t *testing.T) {
	f := newKiosk(t, 10, 15)
	// On 1280x800 the two now and the one next do not all fit: the
	// cards that fit show whole, "Straks" keeps its place, and a line
	// says what did not fit.
	if !f.shows("Koffie-inloop") || !f.shows("Buurtlunch") || !f.shows("En nog 1 activiteit") {
		t.Errorf("on 1280x800 the welcome screen should show now, next and 1 more: %q", f.texts())
	}
	f.w.Resize(fyne.NewSize(1920, 1080))
	f.k.ShowWelcome()
	if f.shows("En nog") {
		t.Errorf("on 1920x1080 everything fits, yet it says there is more: %q", f.texts())
	}
	for _, want := range []string{"Buurthuis De Linde", "10:15", "maandag 23 november", "Koffie-inloop", "Stoelyoga", "Nu bezig", "Spoed? Bel 112"} {
		if !f.shows(want) {
			t.Errorf("welcome screen lacks %q; shows %q", want, f.texts())
		}
	}
	// The cancelled walk at 11:00 is not "next": the lunch at 12:30 is.
	if f.shows("Wandelgroep") || !f.shows("Buurtlunch") {
		t.Errorf("next should be Buurtlunch, not the cancelled Wandelgroep; shows %q", f.texts())
	}
	if f.shows("Taalcafé") {
		t.Errorf("welcome shows Taalcafé, which is neither now nor next")
	}
}

func TestMinuteTickMovesNowOn(t *testing.T) {
	f := newKiosk(t, 10, 44)
	f.w.Resize(fyne.NewSize(1920, 1080))
	f.k.ShowWelcome()
	if !f.shows("Stoelyoga") {
		t.Fatalf("at 10:44 yoga should be on now")
	}
	f.clock.Advance(2*time.Minute + time.Second)
	if !f.shows("10:46") {
		t.Errorf("clock did not move on: %q", f.texts())
	}
	if f.shows("Stoelyoga") {
		t.Errorf("at 10:46 yoga (until 10:45) still shows on the welcome screen")
	}
}

func TestTodayListStatuses(t *testing.T) {
	f := newKiosk(t, 10, 50)
	f.tap(t, "Wat is er vandaag?")
	if f.k.screen != todayScreen {
		t.Fatalf("screen = %v, want today", f.k.screen)
	}
	for _, want := range []string{"Koffie-inloop", "Stoelyoga", "Wandelgroep", "Buurtlunch", "Taalcafé", "Afgelopen", "Nu bezig", "Gaat vandaag niet door", "Het regent"} {
		if !f.shows(want) {
			t.Errorf("today's list lacks %q", want)
		}
	}
	var struckTitles []string
	walk(f.w.Canvas().Content(), func(o fyne.CanvasObject) {
		if s, ok := o.(*struck); ok {
			struckTitles = append(struckTitles, s.text.Text)
		}
	})
	if !slices.Equal(struckTitles, []string{"Wandelgroep"}) {
		t.Errorf("struck-through titles = %v, want [Wandelgroep]", struckTitles)
	}
}

func TestTapOpensDetailAndBack(t *testing.T) {
	f := newKiosk(t, 9, 0)
	f.k.ShowToday()
	f.tap(t, "Taalcafé")
	if f.k.screen != detailScreen {
		t.Fatalf("screen = %v, want detail", f.k.screen)
	}
	for _, want := range []string{"Over Taalcafé.", "Waar: Zaal 2", "Wie organiseert het: Ans", "Gratis", "Loop gerust binnen"} {
		if !f.shows(want) {
			t.Errorf("detail lacks %q; shows %q", want, f.texts())
		}
	}
	f.tap(t, "Terug")
	if f.k.screen != todayScreen {
		t.Errorf("after Terug screen = %v, want today", f.k.screen)
	}
	f.tap(t, "Terug")
	if f.k.screen != welcomeScreen {
		t.Errorf("after Terug twice screen = %v, want welcome", f.k.screen)
	}
}

func TestFilterByCategory(t *testing.T) {
	f := newKiosk(t, 9, 0)
	f.k.ShowToday()
	test.Tap(f.k.chips["bewegen"])
	if f.k.filter != "bewegen" {
		t.Fatalf("filter = %q, want bewegen", f.k.filter)
	}
	if !f.shows("Stoelyoga") || !f.shows("Wandelgroep") || f.shows("Buurtlunch") || f.shows("Koffie-inloop") {
		t.Errorf("filtered list shows %q, want only the bewegen activities", f.texts())
	}
	test.Tap(f.k.chips[""])
	if !f.shows("Buurtlunch") {
		t.Errorf("after Alles the lunch is still hidden")
	}
}

func TestSwitchLanguage(t *testing.T) {
	f := newKiosk(t, 9, 0)
	f.chooseLanguage(t, "English")
	if f.k.Language() != "en" {
		t.Fatalf("language = %q, want en", f.k.Language())
	}
	for _, want := range []string{"What's on today?", "Monday 23 November", "Emergency? Call 112"} {
		if !f.shows(want) {
			t.Errorf("English welcome lacks %q; shows %q", want, f.texts())
		}
	}
	f.tap(t, "What's on today?")
	if !f.shows("Food & drink") || !f.shows("Not on today") {
		t.Errorf("English list lacks translated categories or status: %q", f.texts())
	}
	f.chooseLanguage(t, "Nederlands")
	if !f.shows("Alles") {
		t.Errorf("back in Dutch the chip Alles is missing")
	}
}

// After the idle time the kiosk asks whether the visitor is still there,
// and without an answer wipes everything they did.
func TestIdleResetWipesState(t *testing.T) {
	extra := []programme.Activity{}
	for i := 0; i < 12; i++ {
		extra = append(extra, weekly("Extra "+string(rune('A'+i)), "eten", "Keuken", 15, i, 16, 0, time.Monday))
	}
	f := newKiosk(t, 9, 0, extra...)
	f.chooseLanguage(t, "English")
	f.tap(t, "What's on today?")
	test.Tap(f.k.chips["eten"])
	f.k.list.Page(1)
	if f.k.scrollY == 0 {
		t.Fatalf("paging down did not scroll")
	}

	f.clock.Advance(89 * time.Second)
	if f.k.stillThere != nil {
		t.Fatalf("asked still-there before the idle time")
	}
	f.clock.Advance(2 * time.Second)
	if !f.shows("Are you still there?") {
		t.Fatalf("after 91 s idle no still-there question; shows %q", f.texts())
	}
	f.clock.Advance(10 * time.Second)
	if f.k.stillThere == nil || !f.shows(strconv.Itoa(f.k.stillThere.left)) || f.k.screen != todayScreen {
		t.Errorf("10 s into the question: countdown or screen wrong (screen %v)", f.k.screen)
	}
	f.clock.Advance(6 * time.Second)
	if f.k.screen != welcomeScreen || f.k.Language() != "nl" || f.k.filter != "" || f.k.scrollY != 0 || f.k.stillThere != nil {
		t.Errorf("after reset: screen %v, language %s, filter %q, scroll %v, question %v; want a fresh welcome in Dutch",
			f.k.screen, f.k.Language(), f.k.filter, f.k.scrollY, f.k.stillThere != nil)
	}
	if !f.shows("Wat is er vandaag?") {
		t.Errorf("after reset the welcome screen is not in Dutch: %q", f.texts())
	}
}

func TestStillHereKeepsState(t *testing.T) {
	f := newKiosk(t, 9, 0)
	f.chooseLanguage(t, "English")
	f.clock.Advance(91 * time.Second)
	f.tap(t, "Yes, I'm still here")
	if f.k.stillThere != nil || f.k.Language() != "en" {
		t.Fatalf("after answering: question %v, language %s; want it gone and English kept", f.k.stillThere != nil, f.k.Language())
	}
	f.clock.Advance(30 * time.Second)
	if f.k.Language() != "en" {
		t.Errorf("the old countdown still reset the kiosk")
	}
}

// A pristine welcome screen has nothing to wipe, so it never asks.
func TestIdleOnWelcomeDoesNotAsk(t *testing.T) {
	f := newKiosk(t, 9, 0)
	f.k.ShowWelcome()
	f.clock.Advance(5 * time.Minute)
	if f.k.stillThere != nil {
		t.Errorf("asked still-there on an untouched welcome screen")
	}
}

func TestDragScrollsTheList(t *testing.T) {
	var extra []programme.Activity
	for i := 0; i < 15; i++ {
		extra = append(extra, weekly("Activiteit "+string(rune('A'+i)), "leren", "Zaal 3", 16, i, 17, 0, time.Monday))
	}
	f := newKiosk(t, 9, 0, extra...)
	f.k.ShowToday()
	list := f.k.list
	if !list.CanScroll() {
		t.Fatalf("the list of %d rows fits the screen; the test needs it taller", 20)
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(list).Add(fyne.NewPos(300, 300))
	test.Drag(f.w.Canvas(), pos, 0, -250) // finger moves up: content scrolls down
	if got := list.Offset(); got <= 0 {
		t.Fatalf("after dragging up by 250 the offset is %v, want > 0", got)
	}
	if f.k.scrollY != list.Offset() {
		t.Errorf("kiosk remembers scroll %v, list is at %v", f.k.scrollY, list.Offset())
	}
	// The position survives the minute tick's redraw.
	before := f.k.list.Offset()
	f.clock.Advance(time.Minute)
	if got := f.k.list.Offset(); got != before {
		t.Errorf("after the minute tick offset = %v, want %v", got, before)
	}
	test.Drag(f.w.Canvas(), pos, 0, 10000)
	if got := f.k.list.Offset(); got != 0 {
		t.Errorf("dragging far down: offset %v, want 0 (clamped at the top)", got)
	}
}

func TestMidnightRollsOver(t *testing.T) {
	f := newKiosk(t, 23, 59)
	f.k.ShowToday()
	if !f.shows("maandag 23 november") {
		t.Fatalf("before midnight the list is not Monday's")
	}
	f.clock.Advance(2 * time.Minute)
	if !f.shows("dinsdag 24 november") {
		t.Errorf("after midnight the list is not Tuesday's: %q", f.texts())
	}
	if f.shows("Taalcafé") || !f.shows("Koffie-inloop") {
		t.Errorf("Tuesday should have only the coffee: %q", f.texts())
	}
}

// A change written by another process shows after Reload (which the
// program calls when the database's data_version moves).
func TestReloadShowsChangesFromAnotherProcess(t *testing.T) {
	f := newKiosk(t, 9, 0)
	f.k.ShowToday()
	other, err := sqlite.Open(context.Background(), f.path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lunch := f.findActivity(t, "Buurtlunch")
	err = sqlite.NewProgrammeService(other).SetException(context.Background(),
		programme.Exception{ActivityID: lunch, Date: monday, Room: "Tuin"})
	if err != nil {
		t.Fatal(err)
	}
	f.k.Reload()
	if !f.shows("Nu in Tuin") {
		t.Errorf("room change from another connection not shown: %q", f.texts())
	}
}

func (f *kioskFixture) findActivity(t testing.TB, title string) int64 {
	t.Helper()
	occs, err := f.prog.Day(context.Background(), monday)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range occs {
		if o.Activity.Title == title {
			return o.Activity.ID
		}
	}
	t.Fatalf("no %s on %s", title, monday)
	return 0
}

func TestEmptyDayShowsNextDay(t *testing.T) {
	f := newKioskOn(t, monday.AddDays(6), 9, 0) // Sunday 29 November: nothing on
	f.k.ShowToday()
	if !f.shows("zondag 29 november") || !f.shows("Vandaag zijn er geen activiteiten") {
		t.Fatalf("empty Sunday not said kindly: %q", f.texts())
	}
	if !f.shows("morgen, maandag 30 november") || !f.shows("Taalcafé") {
		t.Errorf("empty day does not show Monday's programme: %q", f.texts())
	}
}

// Text and background keep at least 7:1 contrast.
func TestThemeContrast(t *testing.T) {
	th := NewTheme(mustColor(t, DefaultAccent))
	pairs := []struct{ fg, bg fyne.ThemeColorName }{
		{"foreground", "background"},
		{"foreground", ColorNameCard},
		{"foreground", ColorNameNowBackground},
		{ColorNameDimmed, "background"},
		{ColorNameDimmed, ColorNameCard},
		{"foregroundOnPrimary", "primary"},
		{"foregroundOnError", "error"},
	}
	for _, p := range pairs {
		if got := Contrast(th.Color(p.fg, 0), th.Color(p.bg, 0)); got < 7 {
			t.Errorf("%s on %s: contrast %.1f:1, want at least 7:1", p.fg, p.bg, got)
		}
	}
}

// Every screen fits a small landscape screen (1280x720: a 1920x1080
// screen at 1.5 scale) and a portrait one (720x1280): nothing pushes the
// header off.
func TestScreensFitSmallScreens(t *testing.T) {
	var extra []programme.Activity
	for i := 0; i < 15; i++ {
		extra = append(extra, weekly("Activiteit met een lange naam "+string(rune('A'+i)), "leren", "Zaal 3", 10, i, 11, 0, time.Monday))
	}
	f := newKiosk(t, 10, 30, extra...)
	o := f.k.occs[0]
	screens := map[string]func(){
		"welcome":     f.k.ShowWelcome,
		"today":       f.k.ShowToday,
		"detail":      func() { f.k.ShowDetail(o) },
		"still-there": f.k.AskStillThere,
		"ask-topic":   func() { f.k.Reset(); f.k.StartQuestion() },
		"ask-type": func() {
			f.k.Reset()
			f.k.StartQuestion()
			f.k.Asking().ChooseTopic("geld")
			f.k.Asking().Type(strings.Repeat("lang ", 100))
		},
		"ask-confirm": func() {
			f.k.Reset()
			f.k.StartQuestion()
			f.k.Asking().ChooseTopic("geld")
			f.k.Asking().ChooseFollowUp(question.Waiting)
		},
		"my-slip": func() { f.k.Reset(); f.k.StartMySlip() },
		"ask-fallback": func() {
			f.k.Reset()
			f.k.StartQuestion()
			f.k.Asking().ChooseTopic("geld")
			f.k.Asking().ChooseFollowUp(question.Waiting)
			f.k.Asking().Confirm()
		},
	}
	fit := func(larger bool, sizes ...fyne.Size) {
		for name, show := range screens {
			for _, size := range sizes {
				f.w.Resize(size)
				show()
				f.k.largerText = larger
				f.k.redraw()
				if got := f.w.Canvas().Content().MinSize(); got.Width > size.Width || got.Height > size.Height-20 {
					t.Errorf("%s at %v (larger text %v) needs %v; want it to fit %v wide and %v high", name, size, larger, got, size.Width, size.Height-20)
				}
				f.k.StillHere()
			}
		}
	}
	fit(false, fyne.NewSize(1280, 720), fyne.NewSize(720, 1280))
	// "Grotere letters" fits the kiosk's own screens.
	fit(true, fyne.NewSize(1280, 800), fyne.NewSize(800, 1280))
}

// TestLargerText: "Grotere letters" on every visitor screen makes the
// text a step larger until the idle reset, and a second tap goes back.
func TestLargerText(t *testing.T) {
	f := newKiosk(t, 10, 0)
	body := func() float32 { return theme.Size(theme.SizeNameText) }
	before := body()
	f.tapPictogram(t, "larger.svg") // with its words on a landscape screen
	if f.k.largerText && f.shows("Grotere letters") {
		t.Error("with larger text the tools keep their words, which push the title off the bar")
	}
	if got := body(); got < before*1.2 {
		t.Fatalf("text is %v after Grotere letters, was %v", got, before)
	}
	for _, show := range []func(){f.k.ShowToday, f.k.StartQuestion, func() { f.k.Reset(); f.k.largerText = true; f.k.StartMySlip() }} {
		show()
		if f.pictogramTile("larger.svg") == nil || body() < before*1.2 {
			t.Errorf("%s: no Grotere letters, or the text is %v", f.k.Screen(), body())
		}
	}
	f.tapPictogram(t, "larger.svg")
	if body() != before {
		t.Errorf("a second tap left the text at %v", body())
	}
	f.tapPictogram(t, "larger.svg")
	f.clock.Advance(90 * time.Second)
	f.clock.Advance(15 * time.Second)
	if body() != before || f.k.largerText {
		t.Errorf("after the idle reset the text is %v", body())
	}
}

// While the clock is implausible the screen tells staff what is wrong,
// with the date the computer believes, in words.
func TestClockWarning(t *testing.T) {
	f := newKiosk(t, 9, 0)
	f.w.SetContent(ClockWarning(f.cat.For("nl"), time.Date(1970, 1, 1, 0, 0, 12, 0, time.UTC)))
	if !f.shows("De klok van deze computer staat niet goed: hij denkt dat het donderdag 1 januari 1970 is.") {
		t.Errorf("clock warning: %q", f.texts())
	}
}

// chooseLanguage picks a language as a visitor does: the globe, which
// names the language shown now, then the language's tile.
func (f *kioskFixture) chooseLanguage(t *testing.T, name string) {
	t.Helper()
	f.tap(t, f.cat.Language(f.k.Language()))
	if f.k.screen != languageScreen {
		t.Fatalf("the globe did not open the language screen: %q", f.texts())
	}
	f.tap(t, name)
}
