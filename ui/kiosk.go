// Package ui is the kiosk's face: thin Fyne screens over the programme
// and the other services. It never imports fyne.io/fyne/v2/app, so it is
// tested with Fyne's test driver and no display; cmd/buurtbalie hands it a
// window.
package ui

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/district"
	"buurtbalie/internal/house"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/voice"
)

// Programme is what the kiosk reads of the programme.
type Programme interface {
	Day(ctx context.Context, d programme.Date) ([]programme.Occurrence, error)
	NextActiveDay(ctx context.Context, after programme.Date, within int) (programme.Date, []programme.Occurrence, bool, error)
	Categories(ctx context.Context) ([]programme.Category, error)
}

// Clock tells the time and runs f on the UI goroutine after d. Tests
// replace it to step time by hand.
type Clock interface {
	Now() time.Time
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc.
type Timer interface{ Stop() bool }

// SystemClock is the real clock; its timers call back through fyne.Do,
// the only safe way to touch widgets from another goroutine.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// AfterFunc runs f on the UI goroutine after d.
func (SystemClock) AfterFunc(d time.Duration, f func()) Timer {
	return time.AfterFunc(d, func() { fyne.Do(f) })
}

// Options are the kiosk's settings.
type Options struct {
	HouseName     string
	Location      *time.Location
	IdleAfter     time.Duration // no touch for this long: ask "still there?"
	StillThereFor time.Duration // no answer for this long: start afresh
	Logger        *slog.Logger
	// Synchronous runs printing on the UI goroutine, for tests and
	// screenshots; the kiosk itself prints in the background.
	Synchronous bool
	// StaffPIN checks the staff mode's PIN; nil means the kiosk has no
	// staff mode and holding the house name does nothing.
	StaffPIN StaffPIN
	// Staff saves staff's changes to today's programme; nil hides them.
	Staff StaffProgramme
	// Printer tells the slip printer's state to staff; nil hides it.
	Printer PrinterStatus
	// Quit closes the kiosk program; nil hides "Kiosk verlaten". Leave it
	// nil where a supervisor starts the kiosk again at once: there,
	// leaving would only be a restart in disguise.
	Quit func()
	// Restart ends the kiosk program so that its supervisor (systemd)
	// starts it afresh; nil hides "Kiosk herstarten".
	Restart func()
	// Emergency are the house's emergency lines and Hours when
	// volunteers are in, as printed on slips, until House says
	// otherwise.
	Emergency, Hours []string
	// Language is the language each visitor starts in; "" or one the
	// catalogue lacks means the catalogue's default.
	Language string
	// SaveLanguage keeps the default language staff choose, so it
	// outlasts a restart; nil means it lasts until the program ends.
	SaveLanguage func(lang string) error
	// Settle is how long after a screen change taps on it are ignored;
	// 0 means DefaultSettle, a negative value none (tests that step the
	// clock by hand and tap at once).
	Settle time.Duration
	// Corrections gives staff's corrections of the messages, read at
	// start and whenever the database changes, so a phrase fixed on the
	// settings page shows within seconds; nil shows the messages as
	// shipped.
	Corrections interface {
		Corrections(ctx context.Context) ([]catalogue.Correction, error)
	}
	// House gives the house's name and language as staff last saved them
	// on the web, read at start and whenever the database changes; nil
	// keeps HouseName and Language.
	House HouseSettings
	// Voice reads the screens aloud; nil (a kiosk without a speaker)
	// hides "Voorlezen".
	Voice Voice
	// Screens counts the screens visitors open, for the house's
	// anonymous figures; nil counts nothing. Count must return at once.
	Screens interface{ Count(screen string) }
	// Elsewhere gives the other houses' activities, for "Elders in de
	// buurt vandaag" under a category's list; nil shows none.
	Elsewhere Elsewhere
}

// HouseSettings gives what staff set about the house.
type HouseSettings interface {
	House(ctx context.Context) (house.House, error)
}

// lookAhead is how many days the kiosk searches for the next day with
// activities when today has none.
const lookAhead = 31

type screen int

const (
	welcomeScreen screen = iota
	todayScreen
	detailScreen
	askScreen
	slipScreen
	staffScreen
	languageScreen
)

// Kiosk is the full-screen visitor app.
type Kiosk struct {
	win   fyne.Window
	prog  Programme
	desk  Desk
	cat   *catalogue.Catalogue
	icons pictograms
	clock Clock
	opt   Options
	log   *slog.Logger

	// What the visitor did; Reset wipes it.
	tr      *catalogue.Translator
	screen  screen
	filter  string // category key, "" for all
	detail  detailKey
	scrollY float32
	ask     *Asking // the question being made, on the ask screen
	slip    *MySlip // the slip being looked up, on the slip screen
	printed string  // how printing the shown activity went: "", "ok" or "failed"
	// Where the details were opened from, and how far the list was
	// scrolled then, so "Terug" goes back there.
	detailFrom screen
	listY      float32
	// Where the language screen was opened from, to go back there.
	languageFrom  screen
	languageFromY float32
	toNow         bool              // the list was just opened: scroll it to what is on now
	nowRow        fyne.CanvasObject // the first row of the list not yet over
	pagers        [2]*pager         // the list's up and down buttons, when shown

	// The day's programme.
	day      programme.Date
	occs     []programme.Occurrence
	nextDay  programme.Date
	nextOccs []programme.Occurrence
	cats     []programme.Category
	loadErr  error
	// The other houses' activities today of the chosen category.
	elsewhere []district.Activity

	root       *fyne.Container  // the screen, and the still-there question above it
	list       *DragScroll      // today's list or the details, when shown
	chips      map[string]*tile // category chips by key ("" for all), when shown
	idle       Timer
	tick       Timer
	stillThere *stillThere
	codeLock   slipLock // kept across visitors: it slows down guessing codes
	settle     settle   // taps wait a moment after the screen changes
	place      string   // what the screen shows, to tell a change from a redraw

	// Staff mode. The throttle and the default language outlast Reset.
	staff       *StaffMode
	press       Timer     // a press on the house name, until it opens the pad
	pressedAt   time.Time // when that press began
	pinThrottle *account.Throttle
	defaultLang string
	// The house as staff last saved it: its name on top of the welcome
	// screen, when volunteers are in (so the kiosk promises only someone
	// who is), and its emergency lines, as on its slips.
	house house.House

	// Reading aloud: the screen being read ("" when silent), the
	// screen last drawn (a change stops reading), and a count that tells
	// an utterance's end from an older one's.
	reading, shownView string
	utterance          int
	// spokenLang is the spoken-only language the visitor chose, if any:
	// tr is then the house's language.
	spokenLang string
	announce   bool // say the spoken language's name before the next screen
	// largerText is the visitor's "Grotere letters": text a step larger
	// until the idle reset.
	largerText bool
	// countedView is the screen last counted for the figures.
	countedView string
}

// detailKey picks one occurrence, found again after a reload.
type detailKey struct {
	activity int64
	date     programme.Date
}

// New builds the kiosk in w, loads today's programme and starts the
// minute tick. icons holds icons/*.svg.
func New(w fyne.Window, prog Programme, d Desk, cat *catalogue.Catalogue, icons fs.FS, clock Clock, opt Options) (*Kiosk, error) {
	pics, err := loadPictograms(icons)
	if err != nil {
		return nil, fmt.Errorf("load pictograms: %w", err)
	}
	if opt.Location == nil {
		opt.Location = time.Local
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	k := &Kiosk{win: w, prog: prog, desk: d, cat: cat, icons: pics, clock: clock, opt: opt, log: opt.Logger,
		tr: cat.For(cat.Default()), root: container.NewStack(), pinThrottle: account.NewThrottle(), defaultLang: cat.Default(),
		house: house.House{Name: opt.HouseName, Hours: opt.Hours, Emergency: opt.Emergency}.WithHours()}
	k.pinThrottle.Now = clock.Now
	k.settle = settle{now: clock.Now, after: opt.Settle}
	if opt.Settle == 0 {
		k.settle.after = DefaultSettle
	}
	if opt.Language != "" {
		if slices.Contains(cat.Languages(), opt.Language) {
			k.defaultLang = opt.Language
			k.tr = cat.For(opt.Language)
		} else {
			k.log.Warn("the kiosk's language is not in the catalogue; using the default", "lang", opt.Language, "default", cat.Default())
		}
	}
	w.SetPadded(false) // the still-there shade covers the screen edge to edge
	w.SetContent(k.root)
	// A physical keyboard counts as a visitor being there, like a touch,
	// and types into the question when one is being typed.
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		k.touched()
		if kb := k.typingKeyboard(); kb != nil {
			kb.typedKey(ev)
		}
	})
	w.Canvas().SetOnTypedRune(func(r rune) {
		k.touched()
		if kb := k.typingKeyboard(); kb != nil {
			kb.typeRune(r)
		}
	})
	k.Reload()
	k.scheduleTick()
	return k, nil
}

// Stop ends the kiosk's timers.
func (k *Kiosk) Stop() {
	for _, t := range []Timer{k.tick, k.idle} {
		if t != nil {
			t.Stop()
		}
	}
	k.closeStillThere()
	k.closeStaff()
}

// now returns the current time in the house's time zone.
func (k *Kiosk) now() time.Time { return k.clock.Now().In(k.opt.Location) }

// Reload reads today's programme again and redraws. The program calls it
// when the database changed; the kiosk calls it itself at midnight.
func (k *Kiosk) Reload() {
	ctx := context.Background()
	k.day = programme.DateOf(k.now())
	k.loadErr = nil
	var err error
	if k.cats, err = k.prog.Categories(ctx); err != nil {
		k.loadErr = err
	}
	if k.occs, err = k.prog.Day(ctx, k.day); err != nil {
		k.loadErr = err
	}
	k.nextOccs = nil
	if k.loadErr == nil && !hasActive(k.occs) {
		var found bool
		k.nextDay, k.nextOccs, found, err = k.prog.NextActiveDay(ctx, k.day, lookAhead)
		if err != nil {
			k.loadErr = err
		} else if !found {
			k.nextOccs = nil
		}
	}
	if k.loadErr != nil {
		k.log.Error("load programme", "date", k.day.String(), "err", k.loadErr)
	}
	k.loadElsewhere()
	k.loadHouse(ctx)
	if k.opt.Corrections != nil {
		if cs, err := k.opt.Corrections.Corrections(ctx); err != nil {
			k.log.Error("load message corrections", "err", err)
		} else {
			k.cat.SetCorrections(cs)
		}
	}
	k.redraw()
}

// loadHouse takes the house's name and language as staff saved them. A
// new language applies to the next visitor, or at once when nobody is
// using the kiosk. When they cannot be read, what the kiosk had stays.
func (k *Kiosk) loadHouse(ctx context.Context) {
	if k.opt.House == nil {
		return
	}
	h, err := k.opt.House.House(ctx)
	if err != nil {
		k.log.Error("load house settings", "err", err)
		return
	}
	if h.Name == "" {
		h.Name = k.house.Name
	}
	if len(h.Emergency) == 0 {
		h.Emergency = k.house.Emergency
	}
	k.house = h
	if h.Language != k.defaultLang && k.cat.Has(h.Language) {
		pristine := k.pristine()
		k.defaultLang = h.Language
		if pristine {
			k.tr = k.cat.For(h.Language)
		}
	}
}

func hasActive(occs []programme.Occurrence) bool {
	for _, o := range occs {
		if !o.Cancelled {
			return true
		}
	}
	return false
}

// scheduleTick wakes the kiosk just after the next minute starts, so the
// clock and "now" stay right with no work in between.
func (k *Kiosk) scheduleTick() {
	now := k.now()
	next := now.Truncate(time.Minute).Add(time.Minute)
	k.tick = k.clock.AfterFunc(next.Sub(now)+50*time.Millisecond, k.onTick)
}

func (k *Kiosk) onTick() {
	if programme.DateOf(k.now()) != k.day {
		k.Reload() // midnight: a new day's programme
	} else {
		k.redraw()
	}
	k.scheduleTick()
}

// redraw builds the current screen afresh from the kiosk's state.
func (k *Kiosk) redraw() {
	k.list, k.nowRow, k.pagers = nil, nil, [2]*pager{}
	rightToLeft = scriptOf(k.tr.Lang()) == arabic
	applyTheme(k.tr.Lang(), k.largerText)
	v := k.current()
	if k.opt.Voice != nil {
		k.readOnChange(v)
	}
	k.countScreen(v)
	var objs []fyne.CanvasObject
	switch {
	case k.stillThere != nil:
		// The shade covers the screen whole: a half-typed question or a
		// slip's code must not stay readable for whoever comes next
		// while the countdown runs. "Ja" draws it again.
		objs = []fyne.CanvasObject{canvas.NewRectangle(theme.Color(theme.ColorNameBackground)), v.show()}
	case v.staff:
		objs = []fyne.CanvasObject{v.show()}
	default:
		// Help in an emergency is never more than a glance away.
		objs = []fyne.CanvasObject{border(nil, k.emergencyLine(), nil, nil, v.show())}
	}
	if p := k.placeShown(v); p != k.place {
		k.place, k.settle.changed = p, k.clock.Now()
	}
	k.root.Objects = objs
	k.root.Refresh()
	if k.list != nil {
		if k.toNow && k.screen == todayScreen && k.nowRow != nil {
			// At 13:47 the morning is over: open on what is on now,
			// not on three finished items.
			k.scrollY = k.nowRow.Position().Y
		}
		k.list.Restore(k.scrollY)
		k.scrollY = k.list.Offset()
	}
	k.toNow = false
	k.updatePagers()
}

// emergencyLine is the bar at the foot of every visitor's screen: 112,
// and 113 for someone thinking of suicide. Where a visitor may need it
// most (after the topic of health and feeling well, and when their
// question is done or could not be printed) it gives the house's
// emergency lines in full.
//
// Its parts are single lines that wrap as words do: a paragraph's inner
// padding would cost the keyboard's last row on a small screen.
func (k *Kiosk) emergencyLine() fyne.CanvasObject {
	parts := strings.Split(k.tr.T("emergency.short"), " · ")
	if k.emergencyInFull() {
		parts = k.emergencyLines()
	}
	objs := []fyne.CanvasObject{icon(k.icons.get("phone"), theme.SizeNameInlineIcon)}
	for i, p := range parts {
		if i < len(parts)-1 {
			p += " ·"
		}
		objs = append(objs, text(p, SizeNameEmergencyText, true))
	}
	return startEnd(&flowLayout{centre: true}, objs...)
}

// emergencyLines are the emergency lines in full, in the visitor's
// language (see house.House.EmergencyLines).
func (k *Kiosk) emergencyLines() []string {
	h := k.house
	h.Language = k.defaultLang
	return h.EmergencyLines(k.tr, k.tr.Lang())
}

// emergencyInFull reports whether the screen shown is one where the
// house's emergency lines show in full.
func (k *Kiosk) emergencyInFull() bool {
	if k.screen != askScreen || k.ask == nil {
		return false
	}
	switch k.ask.step {
	case stepDone, stepFallback:
		return true
	case stepTopic:
		return false
	}
	return k.ask.topic == healthTopic
}

// healthTopic is the topic of health and feeling well: after it the
// emergency lines show in full.
const healthTopic = "gezondheid"

// placeShown names what the screen shows, down to the step of a flow and
// the activity, so redraw tells a new screen (taps wait a moment) from the
// same screen drawn again (a key typed, the minute ticking on).
func (k *Kiosk) placeShown(v view) string {
	if v.name == "detail" {
		return fmt.Sprint(v.name, "/", k.detail)
	}
	return v.name
}

func (k *Kiosk) findDetail() (programme.Occurrence, bool) {
	for _, list := range [][]programme.Occurrence{k.occs, k.nextOccs} {
		for _, o := range list {
			if o.Activity.ID == k.detail.activity && o.Date == k.detail.date {
				return o, true
			}
		}
	}
	return programme.Occurrence{}, false
}

// show moves to another screen; every move counts as a touch.
func (k *Kiosk) show(s screen) {
	k.touched()
	if s != k.screen {
		k.scrollY = 0
	}
	k.screen = s
	k.redraw()
}

// ShowWelcome shows the welcome screen.
func (k *Kiosk) ShowWelcome() { k.show(welcomeScreen) }

// ShowToday shows today's list, opened at what is on now.
func (k *Kiosk) ShowToday() {
	k.toNow = k.screen != todayScreen
	k.show(todayScreen)
}

// ShowDetail shows one occurrence's details.
func (k *Kiosk) ShowDetail(o programme.Occurrence) {
	k.detail = detailKey{o.Activity.ID, o.Date}
	k.printed = ""
	if k.screen != detailScreen {
		k.detailFrom, k.listY = k.screen, k.scrollY
	}
	k.show(detailScreen)
}

// PrintActivity prints a reminder slip of the occurrence shown.
func (k *Kiosk) PrintActivity() {
	o, ok := k.findDetail()
	if !ok {
		return
	}
	k.touched()
	lang := k.tr.Lang()
	var err error
	k.async(func() { err = k.desk.PrintActivity(context.Background(), o, lang) }, func() {
		k.printed = "ok"
		if err != nil {
			k.log.Warn("activity slip not printed", "err", err)
			k.printed = "failed"
		}
		k.redraw()
	})
}

// scrolled remembers where the visitor scrolled to, so a redraw keeps it.
func (k *Kiosk) scrolled(y float32) {
	k.scrollY = y
	k.touched()
}

// SetFilter shows only the activities of one category ("" for all).
func (k *Kiosk) SetFilter(category string) {
	k.filter = category
	k.scrollY = 0
	k.touched()
	k.redraw()
}

// SetLanguage switches the visitor's language and redraws.
func (k *Kiosk) SetLanguage(lang string) {
	if lang != k.visitorLanguage() && k.opt.Voice != nil {
		k.stopReading()
		k.shownView = "" // the same screen in another language is new to the ear
	}
	k.spokenLang = ""
	if voice.IsSpoken(lang) {
		// Spoken only: the screens show the house's language, and are
		// read in the spoken one, its name first.
		k.spokenLang, k.announce, lang = lang, true, k.defaultLang
	}
	k.tr = k.cat.For(lang)
	k.touched()
	k.redraw()
}

// Language returns the visitor's current language tag.
func (k *Kiosk) Language() string { return k.tr.Lang() }

// Reset wipes everything the visitor did: back to the welcome screen in
// the default language, with no filter and the list at the top.
func (k *Kiosk) Reset() {
	k.closeStillThere()
	if k.idle != nil {
		k.idle.Stop()
		k.idle = nil
	}
	if k.ask != nil && k.ask.leave != nil {
		k.ask.leave.Stop()
	}
	k.closeStaff()
	if k.opt.Voice != nil {
		k.stopReading()
	}
	k.codeLock.newVisitor()
	k.tr, k.spokenLang, k.largerText = k.cat.For(k.defaultLang), "", false
	k.screen, k.filter, k.detail, k.scrollY, k.ask, k.slip, k.printed = welcomeScreen, "", detailKey{}, 0, nil, nil, ""
	k.redraw()
}

// typingKeyboard returns the keyboard when the visitor is typing their
// question, else nil.
func (k *Kiosk) typingKeyboard() *keyboard {
	switch {
	case k.screen == askScreen && k.ask != nil && k.ask.step == stepText:
		return k.ask.kb
	case k.screen == slipScreen && k.slip != nil && k.slip.view == nil:
		return k.slip.kb
	case k.screen == staffScreen && k.staff != nil &&
		(k.staff.view == staffPINView || k.staff.view == staffRoomView || k.staff.view == staffReprintView):
		return k.staff.kb
	}
	return nil
}

// pristine reports whether there is nothing of a visitor's to wipe.
func (k *Kiosk) pristine() bool {
	return k.screen == welcomeScreen && k.filter == "" && k.tr.Lang() == k.defaultLang && k.spokenLang == ""
}

// touched notes that a visitor did something: the idle countdown starts
// over.
func (k *Kiosk) touched() {
	if k.idle != nil {
		k.idle.Stop()
	}
	k.idle = k.clock.AfterFunc(k.opt.IdleAfter, k.onIdle)
	k.staff.touched()
}

func (k *Kiosk) onIdle() {
	k.idle = nil
	if k.pristine() || k.staff != nil { // staff mode has its own timer
		return
	}
	if k.screen == askScreen && k.ask != nil && (k.ask.step == stepDone || k.ask.step == stepFallback) {
		return // the code leaves by its own, shorter timer
	}
	k.AskStillThere()
}

// stillThere is the "Bent u er nog?" question with its countdown.
type stillThere struct {
	left  int // seconds
	timer Timer
}

// AskStillThere asks whether the visitor is still there, counting down
// before it starts afresh.
func (k *Kiosk) AskStillThere() {
	k.closeStillThere()
	k.stillThere = &stillThere{left: int(k.opt.StillThereFor / time.Second)}
	k.countDown()
	k.redraw()
}

func (k *Kiosk) countDown() {
	st := k.stillThere
	st.timer = k.clock.AfterFunc(time.Second, func() {
		if k.stillThere != st {
			return // answered or reset meanwhile
		}
		st.left--
		if st.left <= 0 {
			k.Reset()
			return
		}
		k.redraw()
		k.countDown()
	})
}

// StillHere answers the question: the visitor carries on where they were.
func (k *Kiosk) StillHere() {
	k.closeStillThere()
	k.touched()
	k.redraw()
}

func (k *Kiosk) closeStillThere() {
	if k.stillThere != nil && k.stillThere.timer != nil {
		k.stillThere.timer.Stop()
	}
	k.stillThere = nil
}

// filtered returns the occurrences of the chosen category.
func (k *Kiosk) filtered(occs []programme.Occurrence) []programme.Occurrence {
	if k.filter == "" {
		return occs
	}
	var out []programme.Occurrence
	for _, o := range occs {
		if o.Activity.Category == k.filter {
			out = append(out, o)
		}
	}
	return out
}

// category returns the category with key, or a bare one.
func (k *Kiosk) category(key string) programme.Category {
	for _, c := range k.cats {
		if c.Key == key {
			return c
		}
	}
	return programme.Category{Key: key, Icon: "anders"}
}

// categoryName names a category in the visitor's language: the catalogue
// names the built-in ones, staff name their own.
func (k *Kiosk) categoryName(c programme.Category) string {
	return k.tr.Name("category", c.Key, c.Names)
}

// dateText writes a date as people say it, "maandag 23 november".
func (k *Kiosk) dateText(d programme.Date) string { return k.tr.Date(d.Year, d.Month, d.Day) }

// dayName says "vandaag", "morgen" or the date.
func (k *Kiosk) dayName(d programme.Date) string {
	switch k.day.DaysUntil(d) {
	case 0:
		return k.tr.T("day.today")
	case 1:
		return k.tr.Tf("day.tomorrow", map[string]any{"Date": k.dateText(d)})
	}
	return k.dateText(d)
}
