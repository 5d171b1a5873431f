package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"buurtbalie/internal/account"
	"buurtbalie/internal/printer"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
)

// StaffPIN checks the PIN that opens the kiosk's staff mode;
// *sqlite.AccountService is one.
type StaffPIN interface {
	CheckPIN(ctx context.Context, pin string) error
}

// StaffProgramme is what staff change on the kiosk: today's exceptions;
// *sqlite.ProgrammeService is one.
type StaffProgramme interface {
	SetException(ctx context.Context, x programme.Exception) error
}

// PrinterStatus tells how the slip printer is; *printer.Client is one.
type PrinterStatus interface {
	Status(ctx context.Context) (printer.Status, error)
}

// The staff mode's timings.
const (
	// staffPress is how long staff hold the house name to open the PIN pad.
	staffPress = 3 * time.Second
	// staffIdle is how long the staff mode stays open without a touch.
	staffIdle = 60 * time.Second
	// pinKey is the throttle's key for the kiosk's PIN.
	pinKey = "kiosk-pin"
	// maxPIN is the most digits the pad takes.
	maxPIN = 12
)

// staffView is one step of the staff mode.
type staffView int

const (
	staffPINView      staffView = iota // the PIN pad
	staffMenuView                      // the menu
	staffTodayView                     // today's activities
	staffActivityView                  // one activity: cancel or move
	staffRoomView                      // another room for it
	staffLanguageView                  // the kiosk's default language
	staffPrinterView                   // the printer's state and a test slip
	staffReprintView                   // a lost slip printed again by its code
)

// pinKeys are the PIN pad's keys, as on a phone.
var pinKeys = [][]string{
	{"1", "2", "3"},
	{"4", "5", "6"},
	{"7", "8", "9"},
	{"backspace", "0", "ok"},
}

// StaffMode is staff working on the kiosk: the PIN, today's changes, the
// printer, reprints. Reset wipes it.
type StaffMode struct {
	k *Kiosk

	view     staffView
	pin      []rune
	kb       *keyboard // the PIN pad, then the room keyboard
	shown    *canvas.Text
	wrong    bool          // the last PIN was wrong
	checking bool          // a PIN is being checked: OK waits
	wait     time.Duration // how long before another PIN may be tried
	leave    Timer         // back to the visitors after staffIdle

	activity detailKey // the activity being changed
	room     []rune    // the room being typed
	failed   bool      // saving a change failed
	printer  string    // the printer's state as a staff.printer_* key

	busy      bool         // a test slip or a reprint is printing: taps wait
	result    string       // how the test slip or the reprint went, as a message key
	reason    string       // why it did not print, as a staff.printer_* key
	code      []rune       // the code of the slip to print again
	codeShown *canvas.Text // that code on screen
	reprinted string       // the code last printed again, as K7M-4QX

	languageNotSaved bool // the default language holds only until a restart
}

// houseName is the house's name on the welcome screen. Held for
// staffPress it opens the PIN pad: a gesture visitors do not make by
// chance. A touchscreen's touches arrive as mouse events on X11, so it
// listens to the mouse.
type houseName struct {
	widget.BaseWidget
	k    *Kiosk
	text *canvas.Text
}

var _ desktop.Mouseable = (*houseName)(nil)

func newHouseName(k *Kiosk) *houseName {
	h := &houseName{k: k, text: text(k.house.Name, theme.SizeNameSubHeadingText, true)}
	h.ExtendBaseWidget(h)
	return h
}

func (h *houseName) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewCenter(h.text))
}

// MouseDown starts the press.
func (h *houseName) MouseDown(*desktop.MouseEvent) { h.k.pressHouseName() }

// MouseUp ends it; a short press does nothing.
func (h *houseName) MouseUp(*desktop.MouseEvent) { h.k.releaseHouseName() }

// pressHouseName starts counting a press on the house name.
func (k *Kiosk) pressHouseName() {
	k.touched()
	if k.opt.StaffPIN == nil {
		return // no staff mode
	}
	if k.press != nil {
		k.press.Stop()
	}
	k.pressedAt = k.clock.Now()
	k.press = k.clock.AfterFunc(staffPress, func() {
		k.press = nil
		k.OpenPIN()
	})
}

// releaseHouseName ends a press; one held long enough whose timer has not
// run yet opens the pad all the same.
func (k *Kiosk) releaseHouseName() {
	if k.press == nil {
		return
	}
	k.press.Stop()
	k.press = nil
	if k.clock.Now().Sub(k.pressedAt) >= staffPress {
		k.OpenPIN()
	}
}

// OpenPIN shows the PIN pad, if the kiosk has a staff mode.
func (k *Kiosk) OpenPIN() {
	if k.opt.StaffPIN == nil {
		return
	}
	k.closeStaff()
	k.closeStillThere()
	s := &StaffMode{k: k, view: staffPINView}
	s.kb = &keyboard{text: &s.pin, max: maxPIN, changed: s.showPIN, unshift: k.redraw,
		accept: digit, enter: s.EnterPIN}
	k.staff = s
	k.show(staffScreen)
}

func digit(r rune) (rune, bool) { return r, r >= '0' && r <= '9' }

// TypePIN types digits on the pad, as staff would.
func (s *StaffMode) TypePIN(pin string) {
	for _, r := range pin {
		s.kb.typeRune(r)
	}
}

// EnterPIN checks the typed PIN: a right one opens the menu, wrong ones
// are throttled.
func (s *StaffMode) EnterPIN() {
	if s == nil || s.view != staffPINView || s.checking {
		return
	}
	s.k.touched()
	pin := string(s.pin)
	s.pin = nil
	if s.wait = s.k.pinThrottle.Allow(pinKey); s.wait > 0 {
		s.wrong = true
		s.k.redraw()
		return
	}
	var err error
	s.checking = true
	s.k.async(func() { err = s.k.opt.StaffPIN.CheckPIN(context.Background(), pin) }, func() {
		s.checking = false
		if s.k.staff != s {
			return // reset meanwhile
		}
		if err != nil {
			if !errors.Is(err, account.ErrBadLogin) {
				s.k.log.Error("check kiosk pin", "err", err)
			}
			s.k.pinThrottle.Fail(pinKey)
			s.wrong = true
			s.k.redraw()
			return
		}
		s.k.pinThrottle.Succeed(pinKey)
		s.wrong = false
		s.show(staffMenuView)
	})
}

// staffShow moves to another step of the staff mode.
func (s *StaffMode) show(v staffView) {
	s.view = v
	s.failed = false
	s.k.show(staffScreen)
}

// closeStaff ends the staff mode's timer and state.
func (k *Kiosk) closeStaff() {
	if k.press != nil {
		k.press.Stop()
		k.press = nil
	}
	if k.staff != nil && k.staff.leave != nil {
		k.staff.leave.Stop()
	}
	k.staff = nil
}

// staffTouched starts the staff mode's own idle countdown over.
func (s *StaffMode) touched() {
	if s == nil {
		return
	}
	if s.leave != nil {
		s.leave.Stop()
	}
	s.leave = s.k.clock.AfterFunc(staffIdle, func() {
		if s.k.staff == s {
			s.k.Reset()
		}
	})
}

// CancelToday marks the activity being changed as cancelled today, or
// on again when cancel is false.
func (s *StaffMode) CancelToday(cancel bool) {
	o, ok := s.chosen()
	if !ok {
		return
	}
	x := exceptionFor(o)
	x.Cancelled = cancel
	s.saveException(x)
}

// MoveToday puts the activity being changed in another room today.
func (s *StaffMode) MoveToday(room string) {
	room = strings.TrimSpace(room)
	o, ok := s.chosen()
	if !ok || room == "" {
		return
	}
	x := exceptionFor(o)
	x.Room = room
	if room == o.Activity.Room {
		x.Room = ""
	}
	s.saveException(x)
}

func (s *StaffMode) saveException(x programme.Exception) {
	s.k.touched()
	if err := s.k.opt.Staff.SetException(context.Background(), x); err != nil {
		s.k.log.Error("set exception from the kiosk", "activity", x.ActivityID, "err", err)
		s.failed = true
		s.k.redraw()
		return
	}
	s.view = staffTodayView
	s.k.Reload()
}

// exceptionFor is the exception that keeps o as it is today, so one
// change from the kiosk leaves the others (a note from the web) alone.
func exceptionFor(o programme.Occurrence) programme.Exception {
	x := programme.Exception{ActivityID: o.Activity.ID, Date: o.Date, Cancelled: o.Cancelled, Note: o.Note, Notes: o.Notes}
	if o.Moved {
		x.Room = o.Room
	}
	if o.Retimed {
		x.HasTime = true
		x.Start = programme.Clock(o.Start.Hour(), o.Start.Minute())
		x.End = programme.Clock(o.End.Hour(), o.End.Minute())
	}
	return x
}

// todayRooms returns the rooms in today's programme, each once, sorted.
func todayRooms(occs []programme.Occurrence) []string {
	var rooms []string
	for _, o := range occs {
		for _, r := range []string{o.Room, o.Activity.Room} {
			if r != "" && !slices.Contains(rooms, r) {
				rooms = append(rooms, r)
			}
		}
	}
	slices.Sort(rooms)
	return rooms
}

// SetDefaultLanguage sets the language the kiosk starts each visitor in,
// and saves it when the kiosk can. It holds even if saving fails, until
// the program ends; staff are told so.
func (k *Kiosk) SetDefaultLanguage(lang string) {
	k.defaultLang = lang
	k.touched()
	notSaved := false
	if k.opt.SaveLanguage != nil {
		if err := k.opt.SaveLanguage(lang); err != nil {
			k.log.Error("save the kiosk's language", "lang", lang, "err", err)
			notSaved = true
		}
	}
	if k.staff != nil {
		k.staff.languageNotSaved = notSaved
	}
	k.redraw()
}

// DefaultLanguage returns the language the kiosk starts each visitor in.
func (k *Kiosk) DefaultLanguage() string { return k.defaultLang }

// LeaveKiosk closes the kiosk program, if it was given a way to.
func (k *Kiosk) LeaveKiosk() {
	if k.opt.Quit == nil {
		return
	}
	k.Reset()
	k.opt.Quit()
}

// RestartKiosk ends the kiosk program for its supervisor to start it
// afresh, if it was given a way to: what staff try when the kiosk acts
// up, without a keyboard or a login.
func (k *Kiosk) RestartKiosk() {
	if k.opt.Restart == nil {
		return
	}
	k.Reset()
	k.opt.Restart()
}

func (s *StaffMode) chosen() (programme.Occurrence, bool) {
	for _, o := range s.k.occs {
		if o.Activity.ID == s.activity.activity && o.Date == s.activity.date {
			return o, true
		}
	}
	return programme.Occurrence{}, false
}

// staffNames name the staff mode's steps, as screenshot knows them.
var staffNames = map[staffView]string{
	staffPINView: "staff-pin", staffMenuView: "staff-menu", staffTodayView: "staff-today",
	staffActivityView: "staff-activity", staffRoomView: "staff-room", staffLanguageView: "staff-language",
	staffPrinterView: "staff-printer", staffReprintView: "staff-reprint",
}

// current is the step of the staff mode on screen, as a view. Staff
// screens have no emergency bar: they are not for visitors.
func (s *StaffMode) current() view {
	if s.view == staffActivityView || s.view == staffRoomView {
		if _, ok := s.chosen(); !ok {
			s.view = staffTodayView // it went away: back to the list
		}
	}
	return view{name: staffNames[s.view], show: s.screen, say: func() []string { return []string{s.title()} }, staff: true}
}

// title is the heading of the step on screen.
func (s *StaffMode) title() string {
	tr := s.k.tr
	switch s.view {
	case staffMenuView:
		return tr.T("staff.menu_title")
	case staffTodayView:
		return tr.T("staff.today_title")
	case staffActivityView, staffRoomView:
		o, _ := s.chosen()
		return o.Activity.Title + " · " + o.Start.Format("15:04")
	case staffLanguageView:
		return tr.T("staff.language_title")
	case staffPrinterView:
		return tr.T("staff.printer_title")
	case staffReprintView:
		return tr.T("staff.reprint_title")
	}
	return tr.T("staff.pin_title")
}

// screen draws the current step of the staff mode.
func (s *StaffMode) screen() fyne.CanvasObject {
	var body fyne.CanvasObject
	switch s.view {
	case staffMenuView:
		body = s.menu()
	case staffTodayView:
		body = s.today()
	case staffActivityView, staffRoomView:
		o, _ := s.chosen()
		if s.view == staffRoomView {
			body = s.roomScreen(o)
		} else {
			body = s.activityActions(o)
		}
	case staffLanguageView:
		body = s.languageScreen()
	case staffPrinterView:
		body = s.printerScreen()
	case staffReprintView:
		body = s.reprintScreen()
	default:
		body = s.pinPad()
	}
	if s.failed {
		body = container.NewVBox(wrapped(s.k.tr.T("staff.save_failed"), theme.SizeNameText), body)
	}
	heading := boldWrapped(s.title(), theme.SizeNameSubHeadingText)
	back := s.k.choiceTile(s.k.icons.get("back"), s.k.tr.T("action.back"), false, s.Back)
	top := border(nil, nil, back, nil, heading)
	return container.NewPadded(border(top, nil, nil, nil, body))
}

// StaffBack goes one step back; from the pad or the menu, back to the
// visitors.
func (s *StaffMode) Back() {
	switch s.view {
	case staffTodayView, staffLanguageView, staffPrinterView, staffReprintView:
		s.show(staffMenuView)
	case staffActivityView:
		s.show(staffTodayView)
	case staffRoomView:
		s.show(staffActivityView)
	default:
		s.k.Reset()
	}
}

// pinPad shows dots for the digits typed, never the digits, and big keys.
func (s *StaffMode) pinPad() fyne.CanvasObject {
	s.shown = text("", SizeNameClock, true)
	s.shown.Alignment = fyne.TextAlignCenter
	s.showPIN()
	var note fyne.CanvasObject = container.NewWithoutLayout()
	switch {
	case s.wait > 0:
		note = wrapped(s.k.tr.Tn("staff.pin_wait", int(s.wait.Minutes())+1, nil), theme.SizeNameText)
	case s.wrong:
		note = wrapped(s.k.tr.T("staff.pin_wrong"), theme.SizeNameText)
	}
	keys := container.NewVBox()
	for _, row := range pinKeys {
		objs := make([]fyne.CanvasObject, 0, len(row))
		for _, key := range row {
			if key == "ok" {
				objs = append(objs, s.k.choiceTile(s.k.icons.get("check"), s.k.tr.T("staff.pin_ok"), true, s.EnterPIN))
				continue
			}
			objs = append(objs, s.kb.key(s.k, key, ""))
		}
		keys.Add(container.NewGridWithColumns(len(objs), objs...))
	}
	pad := container.New(&fixedWidth{width: 480}, container.NewVBox(s.shown, note, keys))
	return container.NewCenter(pad)
}

// showPIN shows one dot per digit typed.
func (s *StaffMode) showPIN() {
	if s == nil || s.shown == nil {
		return
	}
	s.shown.Text = strings.Repeat("●", len(s.pin))
	if len(s.pin) == 0 {
		s.shown.Text = "–"
	}
	s.shown.Refresh()
}

// staffMenu offers what staff can do, as big tiles.
func (s *StaffMode) menu() fyne.CanvasObject {
	card := theme.Color(ColorNameCard)
	var tiles []fyne.CanvasObject
	if s.k.opt.Staff != nil {
		tiles = append(tiles, s.k.newTile(labelled(s.k.icons.get("cancelled"), s.k.tr.T("staff.today")), card, func() { s.show(staffTodayView) }))
	}
	if s.k.opt.Printer != nil {
		tiles = append(tiles, s.k.newTile(labelled(s.k.icons.get("print"), s.k.tr.T("staff.printer")), card, s.CheckPrinter))
	}
	tiles = append(tiles, s.k.newTile(labelled(s.k.icons.get("slip"), s.k.tr.T("staff.reprint")), card, s.StartReprint))
	tiles = append(tiles, s.k.newTile(labelled(s.k.icons.get("language"), s.k.tr.T("staff.language")), card, s.ShowLanguage))
	if s.k.opt.Restart != nil {
		tiles = append(tiles, s.k.newTile(labelled(s.k.icons.get("restart"), s.k.tr.T("staff.restart")), card, s.k.RestartKiosk))
	}
	if s.k.opt.Quit != nil {
		tiles = append(tiles, s.k.newTile(labelled(s.k.icons.get("stop"), s.k.tr.T("staff.quit")), card, s.k.LeaveKiosk))
	}
	tiles = append(tiles, s.k.newTile(labelled(s.k.icons.get("close"), s.k.tr.T("staff.close")), card, s.k.Reset))
	return container.NewVBox(gridColumns(2, tiles...), layout.NewSpacer())
}

// staffToday lists today's activities; a tap picks one to change.
func (s *StaffMode) today() fyne.CanvasObject {
	rows := container.NewVBox()
	if len(s.k.occs) == 0 {
		rows.Add(wrapped(s.k.tr.T("today.empty"), theme.SizeNameText))
	}
	for _, o := range s.k.occs {
		info := container.NewVBox(text(o.Activity.Title, theme.SizeNameSubHeadingText, true),
			text(o.Start.Format("15:04")+" – "+o.End.Format("15:04")+" · "+o.Room, theme.SizeNameText, false))
		if o.Cancelled {
			info.Add(text(s.k.tr.T("status.cancelled"), theme.SizeNameText, true))
		}
		key := detailKey{o.Activity.ID, o.Date}
		rows.Add(s.k.newTile(info, theme.Color(ColorNameCard), func() {
			s.activity = key
			s.show(staffActivityView)
		}))
	}
	s.k.list = NewDragScroll(rows)
	s.k.list.OnScrolled = s.k.scrolled
	return s.k.list
}

// staffActivityActions offers cancelling, moving, or putting back on.
func (s *StaffMode) activityActions(o programme.Occurrence) fyne.CanvasObject {
	card := theme.Color(ColorNameCard)
	state := s.k.tr.Tf("detail.room", map[string]any{"Room": o.Room})
	if o.Cancelled {
		state = s.k.tr.T("status.cancelled")
	}
	var cancel *tile
	if o.Cancelled {
		cancel = s.k.newTile(labelled(s.k.icons.get("check"), s.k.tr.T("staff.uncancel")), card, func() { s.CancelToday(false) })
	} else {
		cancel = s.k.newTile(labelled(s.k.icons.get("cancelled"), s.k.tr.T("staff.cancel")), card, func() { s.CancelToday(true) })
	}
	move := s.k.newTile(labelled(s.k.icons.get("room"), s.k.tr.T("staff.move")), card, func() {
		s.room = nil
		s.kb = &keyboard{text: &s.room, max: 40, changed: s.k.redraw, unshift: s.k.redraw,
			enter: func() { s.MoveToday(string(s.room)) }}
		s.show(staffRoomView)
	})
	return container.NewVBox(wrapped(state, theme.SizeNameText), gridColumns(2, cancel, move))
}

// staffRoom offers the rooms already in today's programme, and the
// keyboard for another.
func (s *StaffMode) roomScreen(o programme.Occurrence) fyne.CanvasObject {
	var chips []fyne.CanvasObject
	for _, r := range todayRooms(s.k.occs) {
		if r == o.Room {
			continue
		}
		chips = append(chips, s.k.choiceTile(nil, r, false, func() { s.MoveToday(r) }))
	}
	typed := text(string(s.room), theme.SizeNameSubHeadingText, true)
	save := s.k.choiceTile(s.k.icons.get("check"), s.k.tr.T("staff.room_save"), true, func() { s.MoveToday(string(s.room)) })
	return container.NewVBox(
		text(s.k.tr.T("staff.room_pick"), theme.SizeNameText, false),
		startEnd(&flowLayout{}, chips...),
		text(s.k.tr.T("staff.room_type"), theme.SizeNameText, false),
		border(nil, nil, nil, save, typed),
		s.kb.view(s.k, s.k.tr.T("key.space")))
}

// ShowStaffLanguage offers staff the language each visitor starts in.
func (s *StaffMode) ShowLanguage() {
	if s.k.staff == nil {
		return
	}
	s.languageNotSaved = false
	s.show(staffLanguageView)
}

// staffLanguage picks the language each visitor starts in.
func (s *StaffMode) languageScreen() fyne.CanvasObject {
	var chips []fyne.CanvasObject
	for _, lang := range s.k.cat.Languages() {
		chips = append(chips, s.k.choiceTile(nil, s.k.cat.Language(lang), lang == s.k.defaultLang, func() { s.k.SetDefaultLanguage(lang) }))
	}
	box := container.NewVBox(wrapped(s.k.tr.T("staff.language_explain"), theme.SizeNameText), startEnd(&flowLayout{}, chips...))
	if s.languageNotSaved {
		box.Add(wrapped(s.k.tr.T("staff.language_not_saved"), theme.SizeNameText))
	}
	return box
}

// CheckPrinter asks the printer how it is and shows the answer.
func (s *StaffMode) CheckPrinter() {
	if s == nil || s.k.opt.Printer == nil {
		return
	}
	s.k.touched()
	var st printer.Status
	var err error
	s.k.async(func() { st, err = s.k.opt.Printer.Status(context.Background()) }, func() {
		if s.k.staff != s {
			return
		}
		if err != nil {
			s.k.log.Warn("printer status", "err", err)
		}
		s.printer = printerState(st, err)
		s.result, s.reason = "", ""
		s.show(staffPrinterView)
	})
}

// staffPrinter shows how the printer is, with a big button for a test
// slip and how the last one went.
func (s *StaffMode) printerScreen() fyne.CanvasObject {
	box := container.NewVBox(wrapped(s.k.tr.T(s.printer), theme.SizeNameSubHeadingText))
	test := s.k.choiceTile(s.k.icons.get("slip"), s.k.tr.T("staff.test_print"), true, s.PrintTestSlip)
	again := s.k.choiceTile(s.k.icons.get("print"), s.k.tr.T("staff.printer_again"), false, s.CheckPrinter)
	box.Add(gridColumns(2, test, again))
	box.Add(s.resultLines())
	return box
}

// staffResult says how the test slip or the reprint went, and why not.
func (s *StaffMode) resultLines() fyne.CanvasObject {
	box := container.NewVBox()
	if s.result != "" {
		msg := boldWrapped(s.k.tr.Tf(s.result, map[string]any{"Code": s.reprinted}), theme.SizeNameSubHeadingText)
		box.Add(msg)
	}
	if s.reason != "" {
		box.Add(wrapped(s.k.tr.T(s.reason), theme.SizeNameText))
	}
	return box
}

// PrintTestSlip prints a sample slip the way a visitor's slip prints, and
// shows whether it came out or why not.
func (s *StaffMode) PrintTestSlip() {
	if s == nil || s.view != staffPrinterView || s.busy {
		return
	}
	s.k.touched()
	s.busy, s.result, s.reason = true, "staff.busy", ""
	s.k.redraw()
	var err error
	s.k.async(func() { err = s.k.desk.PrintSample(context.Background()) }, func() {
		s.busy = false
		if s.k.staff != s {
			return // left meanwhile
		}
		s.result, s.reason = "staff.test_printed", ""
		if err != nil {
			s.k.log.Warn("test slip not printed", "err", err)
			s.result, s.reason = "staff.test_failed", printerState(printer.Status{}, err)
		}
		s.k.touched()
		s.k.redraw()
	})
}

// StartReprint opens the code keyboard to print a lost slip again.
func (s *StaffMode) StartReprint() {
	if s == nil {
		return
	}
	s.code, s.result, s.reason, s.reprinted = nil, "", "", ""
	s.kb = s.k.codeKeyboard(&s.code, s.showReprintCode, s.ReprintSlip)
	s.show(staffReprintView)
}

// TypeReprintCode types a code on the reprint keyboard, as staff or a
// USB scanner would.
func (s *StaffMode) TypeReprintCode(code string) {
	for _, r := range code {
		s.kb.typeRune(r)
	}
}

// showReprintCode shows the code typed so far.
func (s *StaffMode) showReprintCode() {
	if s == nil || s.codeShown == nil {
		return
	}
	s.codeShown.Text = codeText(s.code)
	s.codeShown.Refresh()
}

// ReprintSlip prints the slip of the question whose code was typed again:
// the same code and QR link, never the question's text. The kiosk is the
// one recorded as doing it: the PIN is shared, so it names no one.
func (s *StaffMode) ReprintSlip() {
	if s == nil || s.view != staffReprintView || s.busy {
		return
	}
	s.k.touched()
	code, err := question.ParseCode(string(s.code))
	if err != nil {
		s.result, s.reason = "staff.reprint_incomplete", ""
		s.k.redraw()
		return
	}
	s.busy, s.result, s.reason = true, "staff.busy", ""
	s.k.redraw()
	s.k.async(func() { err = s.k.desk.ReprintByCode(context.Background(), code, "kiosk") }, func() {
		s.busy = false
		if s.k.staff != s {
			return
		}
		switch {
		case err == nil:
			s.result, s.reprinted, s.code = "staff.reprint_done", question.FormatCode(code), nil
		case errors.Is(err, question.ErrNotFound):
			s.result = "staff.reprint_unknown"
		default:
			s.k.log.Warn("slip not reprinted", "err", err)
			s.result, s.reason = "staff.reprint_failed", printerState(printer.Status{}, err)
		}
		s.k.touched()
		s.k.redraw()
	})
}

// staffReprint asks for the code of the slip to print again.
func (s *StaffMode) reprintScreen() fyne.CanvasObject {
	s.codeShown = text("", SizeNameClock, true)
	s.codeShown.TextStyle.Monospace = true
	s.codeShown.Alignment = fyne.TextAlignCenter
	s.showReprintCode()
	printTile := s.k.choiceTile(s.k.icons.get("print"), s.k.tr.T("staff.reprint_print"), true, s.ReprintSlip)
	return container.NewVBox(wrapped(s.k.tr.T("staff.reprint_explain"), theme.SizeNameText),
		border(nil, nil, nil, printTile, s.codeShown), s.resultLines(), codePad(s.k, s.kb))
}

// printerState names the printer's state as a message key, from its
// status or the error asking for it.
func printerState(st printer.Status, err error) string {
	if err == nil {
		err = st.Err()
	}
	switch {
	case err == nil:
		return "staff.printer_ready"
	case errors.Is(err, printer.ErrUnreachable):
		return "staff.printer_unreachable"
	case errors.Is(err, printer.ErrNoPrinter):
		return "staff.printer_missing"
	case errors.Is(err, printer.ErrOutOfPaper):
		return "staff.printer_paper"
	case errors.Is(err, printer.ErrNotAccepting), errors.Is(err, printer.ErrStopped):
		return "staff.printer_stopped"
	}
	return "staff.printer_error"
}
