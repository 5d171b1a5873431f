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

// staffState is staff working on the kiosk. Reset wipes it.
type staffState struct {
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
	k.staff = &staffState{view: staffPINView}
	k.staff.kb = &keyboard{text: &k.staff.pin, max: maxPIN, changed: k.showPIN, unshift: k.redraw,
		accept: digit, enter: k.EnterPIN}
	k.show(staffScreen)
}

func digit(r rune) (rune, bool) { return r, r >= '0' && r <= '9' }

// TypePIN types digits on the pad, as staff would.
func (k *Kiosk) TypePIN(pin string) {
	for _, r := range pin {
		k.staff.kb.typeRune(r)
	}
}

// EnterPIN checks the typed PIN: a right one opens the menu, wrong ones
// are throttled.
func (k *Kiosk) EnterPIN() {
	s := k.staff
	if s == nil || s.view != staffPINView || s.checking {
		return
	}
	k.touched()
	pin := string(s.pin)
	s.pin = nil
	if s.wait = k.pinThrottle.Allow(pinKey); s.wait > 0 {
		s.wrong = true
		k.redraw()
		return
	}
	var err error
	s.checking = true
	k.async(func() { err = k.opt.StaffPIN.CheckPIN(context.Background(), pin) }, func() {
		s.checking = false
		if k.staff != s {
			return // reset meanwhile
		}
		if err != nil {
			if !errors.Is(err, account.ErrBadLogin) {
				k.log.Error("check kiosk pin", "err", err)
			}
			k.pinThrottle.Fail(pinKey)
			s.wrong = true
			k.redraw()
			return
		}
		k.pinThrottle.Succeed(pinKey)
		s.wrong = false
		k.staffShow(staffMenuView)
	})
}

// staffShow moves to another step of the staff mode.
func (k *Kiosk) staffShow(v staffView) {
	k.staff.view = v
	k.staff.failed = false
	k.show(staffScreen)
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
func (k *Kiosk) staffTouched() {
	s := k.staff
	if s == nil {
		return
	}
	if s.leave != nil {
		s.leave.Stop()
	}
	s.leave = k.clock.AfterFunc(staffIdle, func() {
		if k.staff == s {
			k.Reset()
		}
	})
}

// CancelToday marks the activity being changed as cancelled today, or
// on again when cancel is false.
func (k *Kiosk) CancelToday(cancel bool) {
	o, ok := k.staffActivity()
	if !ok {
		return
	}
	x := exceptionFor(o)
	x.Cancelled = cancel
	k.saveException(x)
}

// MoveToday puts the activity being changed in another room today.
func (k *Kiosk) MoveToday(room string) {
	room = strings.TrimSpace(room)
	o, ok := k.staffActivity()
	if !ok || room == "" {
		return
	}
	x := exceptionFor(o)
	x.Room = room
	if room == o.Activity.Room {
		x.Room = ""
	}
	k.saveException(x)
}

func (k *Kiosk) saveException(x programme.Exception) {
	k.touched()
	if err := k.opt.Staff.SetException(context.Background(), x); err != nil {
		k.log.Error("set exception from the kiosk", "activity", x.ActivityID, "err", err)
		k.staff.failed = true
		k.redraw()
		return
	}
	k.staff.view = staffTodayView
	k.Reload()
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

func (k *Kiosk) staffActivity() (programme.Occurrence, bool) {
	for _, o := range k.occs {
		if o.Activity.ID == k.staff.activity.activity && o.Date == k.staff.activity.date {
			return o, true
		}
	}
	return programme.Occurrence{}, false
}

// staffScreen draws the current step of the staff mode.
func (k *Kiosk) staffScreen() fyne.CanvasObject {
	s := k.staff
	var title string
	var body fyne.CanvasObject
	switch s.view {
	case staffMenuView:
		title, body = k.tr.T("staff.menu_title"), k.staffMenu()
	case staffTodayView:
		title, body = k.tr.T("staff.today_title"), k.staffToday()
	case staffActivityView, staffRoomView:
		o, ok := k.staffActivity()
		if !ok {
			s.view = staffTodayView
			return k.staffScreen()
		}
		title = o.Activity.Title + " · " + o.Start.Format("15:04")
		if s.view == staffRoomView {
			body = k.staffRoom(o)
		} else {
			body = k.staffActivityActions(o)
		}
	case staffLanguageView:
		title, body = k.tr.T("staff.language_title"), k.staffLanguage()
	case staffPrinterView:
		title, body = k.tr.T("staff.printer_title"), k.staffPrinter()
	case staffReprintView:
		title, body = k.tr.T("staff.reprint_title"), k.staffReprint()
	default:
		title, body = k.tr.T("staff.pin_title"), k.pinPad()
	}
	if s.failed {
		body = container.NewVBox(wrapped(k.tr.T("staff.save_failed"), theme.SizeNameText), body)
	}
	heading := wrapped(title, theme.SizeNameSubHeadingText)
	heading.TextStyle.Bold = true
	back := k.choiceTile(k.icons.get("back"), k.tr.T("action.back"), false, k.StaffBack)
	top := container.NewBorder(nil, nil, back, nil, heading)
	return container.NewPadded(container.NewBorder(top, nil, nil, nil, body))
}

// StaffBack goes one step back; from the pad or the menu, back to the
// visitors.
func (k *Kiosk) StaffBack() {
	switch k.staff.view {
	case staffTodayView, staffLanguageView, staffPrinterView, staffReprintView:
		k.staffShow(staffMenuView)
	case staffActivityView:
		k.staffShow(staffTodayView)
	case staffRoomView:
		k.staffShow(staffActivityView)
	default:
		k.Reset()
	}
}

// pinPad shows dots for the digits typed, never the digits, and big keys.
func (k *Kiosk) pinPad() fyne.CanvasObject {
	s := k.staff
	s.shown = text("", SizeNameClock, true)
	s.shown.Alignment = fyne.TextAlignCenter
	k.showPIN()
	var note fyne.CanvasObject = container.NewWithoutLayout()
	switch {
	case s.wait > 0:
		note = wrapped(k.tr.Tf("staff.pin_wait", map[string]any{"Minutes": int(s.wait.Minutes()) + 1}), theme.SizeNameText)
	case s.wrong:
		note = wrapped(k.tr.T("staff.pin_wrong"), theme.SizeNameText)
	}
	keys := container.NewVBox()
	for _, row := range pinKeys {
		objs := make([]fyne.CanvasObject, 0, len(row))
		for _, key := range row {
			if key == "ok" {
				objs = append(objs, k.choiceTile(k.icons.get("check"), k.tr.T("staff.pin_ok"), true, k.EnterPIN))
				continue
			}
			objs = append(objs, s.kb.key(k, key, ""))
		}
		keys.Add(container.NewGridWithColumns(len(objs), objs...))
	}
	pad := container.New(&fixedWidth{width: 480}, container.NewVBox(s.shown, note, keys))
	return container.NewCenter(pad)
}

// showPIN shows one dot per digit typed.
func (k *Kiosk) showPIN() {
	s := k.staff
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
func (k *Kiosk) staffMenu() fyne.CanvasObject {
	card := theme.Color(ColorNameCard)
	var tiles []fyne.CanvasObject
	if k.opt.Staff != nil {
		tiles = append(tiles, k.newTile(labelled(k.icons.get("cancelled"), k.tr.T("staff.today")), card, func() { k.staffShow(staffTodayView) }))
	}
	if k.opt.Printer != nil {
		tiles = append(tiles, k.newTile(labelled(k.icons.get("print"), k.tr.T("staff.printer")), card, k.CheckPrinter))
	}
	tiles = append(tiles, k.newTile(labelled(k.icons.get("slip"), k.tr.T("staff.reprint")), card, k.StartReprint))
	tiles = append(tiles, k.newTile(labelled(k.icons.get("language"), k.tr.T("staff.language")), card, k.ShowStaffLanguage))
	if k.opt.Restart != nil {
		tiles = append(tiles, k.newTile(labelled(k.icons.get("restart"), k.tr.T("staff.restart")), card, k.RestartKiosk))
	}
	if k.opt.Quit != nil {
		tiles = append(tiles, k.newTile(labelled(k.icons.get("stop"), k.tr.T("staff.quit")), card, k.LeaveKiosk))
	}
	tiles = append(tiles, k.newTile(labelled(k.icons.get("close"), k.tr.T("staff.close")), card, k.Reset))
	return container.NewVBox(container.NewGridWithColumns(2, tiles...), layout.NewSpacer())
}

// staffToday lists today's activities; a tap picks one to change.
func (k *Kiosk) staffToday() fyne.CanvasObject {
	rows := container.NewVBox()
	if len(k.occs) == 0 {
		rows.Add(wrapped(k.tr.T("today.empty"), theme.SizeNameText))
	}
	for _, o := range k.occs {
		info := container.NewVBox(text(o.Activity.Title, theme.SizeNameSubHeadingText, true),
			text(o.Start.Format("15:04")+" – "+o.End.Format("15:04")+" · "+o.Room, theme.SizeNameText, false))
		if o.Cancelled {
			info.Add(text(k.tr.T("status.cancelled"), theme.SizeNameText, true))
		}
		key := detailKey{o.Activity.ID, o.Date}
		rows.Add(k.newTile(info, theme.Color(ColorNameCard), func() {
			k.staff.activity = key
			k.staffShow(staffActivityView)
		}))
	}
	k.list = NewDragScroll(rows)
	k.list.OnScrolled = k.scrolled
	return k.list
}

// staffActivityActions offers cancelling, moving, or putting back on.
func (k *Kiosk) staffActivityActions(o programme.Occurrence) fyne.CanvasObject {
	card := theme.Color(ColorNameCard)
	state := k.tr.Tf("detail.room", map[string]any{"Room": o.Room})
	if o.Cancelled {
		state = k.tr.T("status.cancelled")
	}
	var cancel *tile
	if o.Cancelled {
		cancel = k.newTile(labelled(k.icons.get("check"), k.tr.T("staff.uncancel")), card, func() { k.CancelToday(false) })
	} else {
		cancel = k.newTile(labelled(k.icons.get("cancelled"), k.tr.T("staff.cancel")), card, func() { k.CancelToday(true) })
	}
	move := k.newTile(labelled(k.icons.get("room"), k.tr.T("staff.move")), card, func() {
		s := k.staff
		s.room = nil
		s.kb = &keyboard{text: &s.room, max: 40, changed: k.redraw, unshift: k.redraw,
			enter: func() { k.MoveToday(string(s.room)) }}
		k.staffShow(staffRoomView)
	})
	return container.NewVBox(wrapped(state, theme.SizeNameText), container.NewGridWithColumns(2, cancel, move))
}

// staffRoom offers the rooms already in today's programme, and the
// keyboard for another.
func (k *Kiosk) staffRoom(o programme.Occurrence) fyne.CanvasObject {
	s := k.staff
	var chips []fyne.CanvasObject
	for _, r := range todayRooms(k.occs) {
		if r == o.Room {
			continue
		}
		chips = append(chips, k.choiceTile(nil, r, false, func() { k.MoveToday(r) }))
	}
	typed := text(string(s.room), theme.SizeNameSubHeadingText, true)
	save := k.choiceTile(k.icons.get("check"), k.tr.T("staff.room_save"), true, func() { k.MoveToday(string(s.room)) })
	return container.NewVBox(
		text(k.tr.T("staff.room_pick"), theme.SizeNameText, false),
		container.New(&flowLayout{}, chips...),
		text(k.tr.T("staff.room_type"), theme.SizeNameText, false),
		container.NewBorder(nil, nil, nil, save, typed),
		s.kb.view(k, k.tr.T("key.space")))
}

// ShowStaffLanguage offers staff the language each visitor starts in.
func (k *Kiosk) ShowStaffLanguage() {
	if k.staff == nil {
		return
	}
	k.staff.languageNotSaved = false
	k.staffShow(staffLanguageView)
}

// staffLanguage picks the language each visitor starts in.
func (k *Kiosk) staffLanguage() fyne.CanvasObject {
	var chips []fyne.CanvasObject
	for _, lang := range k.cat.Languages() {
		chips = append(chips, k.choiceTile(nil, k.cat.Language(lang), lang == k.defaultLang, func() { k.SetDefaultLanguage(lang) }))
	}
	box := container.NewVBox(wrapped(k.tr.T("staff.language_explain"), theme.SizeNameText), container.New(&flowLayout{}, chips...))
	if k.staff.languageNotSaved {
		box.Add(wrapped(k.tr.T("staff.language_not_saved"), theme.SizeNameText))
	}
	return box
}

// CheckPrinter asks the printer how it is and shows the answer.
func (k *Kiosk) CheckPrinter() {
	s := k.staff
	if s == nil || k.opt.Printer == nil {
		return
	}
	k.touched()
	var st printer.Status
	var err error
	k.async(func() { st, err = k.opt.Printer.Status(context.Background()) }, func() {
		if k.staff != s {
			return
		}
		if err != nil {
			k.log.Warn("printer status", "err", err)
		}
		s.printer = printerState(st, err)
		s.result, s.reason = "", ""
		k.staffShow(staffPrinterView)
	})
}

// staffPrinter shows how the printer is, with a big button for a test
// slip and how the last one went.
func (k *Kiosk) staffPrinter() fyne.CanvasObject {
	s := k.staff
	box := container.NewVBox(wrapped(k.tr.T(s.printer), theme.SizeNameSubHeadingText))
	test := k.choiceTile(k.icons.get("slip"), k.tr.T("staff.test_print"), true, k.PrintTestSlip)
	again := k.choiceTile(k.icons.get("print"), k.tr.T("staff.printer_again"), false, k.CheckPrinter)
	box.Add(container.NewGridWithColumns(2, test, again))
	box.Add(k.staffResult())
	return box
}

// staffResult says how the test slip or the reprint went, and why not.
func (k *Kiosk) staffResult() fyne.CanvasObject {
	s := k.staff
	box := container.NewVBox()
	if s.result != "" {
		msg := wrapped(k.tr.Tf(s.result, map[string]any{"Code": s.reprinted}), theme.SizeNameSubHeadingText)
		msg.TextStyle.Bold = true
		box.Add(msg)
	}
	if s.reason != "" {
		box.Add(wrapped(k.tr.T(s.reason), theme.SizeNameText))
	}
	return box
}

// PrintTestSlip prints a sample slip the way a visitor's slip prints, and
// shows whether it came out or why not.
func (k *Kiosk) PrintTestSlip() {
	s := k.staff
	if s == nil || s.view != staffPrinterView || s.busy {
		return
	}
	k.touched()
	s.busy, s.result, s.reason = true, "staff.busy", ""
	k.redraw()
	var err error
	k.async(func() { err = k.desk.PrintSample(context.Background()) }, func() {
		s.busy = false
		if k.staff != s {
			return // left meanwhile
		}
		s.result, s.reason = "staff.test_printed", ""
		if err != nil {
			k.log.Warn("test slip not printed", "err", err)
			s.result, s.reason = "staff.test_failed", printerState(printer.Status{}, err)
		}
		k.touched()
		k.redraw()
	})
}

// StartReprint opens the code keyboard to print a lost slip again.
func (k *Kiosk) StartReprint() {
	s := k.staff
	if s == nil {
		return
	}
	s.code, s.result, s.reason, s.reprinted = nil, "", "", ""
	s.kb = k.codeKeyboard(&s.code, k.showReprintCode, k.ReprintSlip)
	k.staffShow(staffReprintView)
}

// TypeReprintCode types a code on the reprint keyboard, as staff or a
// USB scanner would.
func (k *Kiosk) TypeReprintCode(code string) {
	for _, r := range code {
		k.staff.kb.typeRune(r)
	}
}

// showReprintCode shows the code typed so far.
func (k *Kiosk) showReprintCode() {
	s := k.staff
	if s == nil || s.codeShown == nil {
		return
	}
	s.codeShown.Text = codeText(s.code)
	s.codeShown.Refresh()
}

// ReprintSlip prints the slip of the question whose code was typed again:
// the same code and QR link, never the question's text. The kiosk is the
// one recorded as doing it: the PIN is shared, so it names no one.
func (k *Kiosk) ReprintSlip() {
	s := k.staff
	if s == nil || s.view != staffReprintView || s.busy {
		return
	}
	k.touched()
	code, err := question.ParseCode(string(s.code))
	if err != nil {
		s.result, s.reason = "staff.reprint_incomplete", ""
		k.redraw()
		return
	}
	s.busy, s.result, s.reason = true, "staff.busy", ""
	k.redraw()
	k.async(func() { err = k.desk.ReprintByCode(context.Background(), code, "kiosk") }, func() {
		s.busy = false
		if k.staff != s {
			return
		}
		switch {
		case err == nil:
			s.result, s.reprinted, s.code = "staff.reprint_done", question.FormatCode(code), nil
		case errors.Is(err, question.ErrNotFound):
			s.result = "staff.reprint_unknown"
		default:
			k.log.Warn("slip not reprinted", "err", err)
			s.result, s.reason = "staff.reprint_failed", printerState(printer.Status{}, err)
		}
		k.touched()
		k.redraw()
	})
}

// staffReprint asks for the code of the slip to print again.
func (k *Kiosk) staffReprint() fyne.CanvasObject {
	s := k.staff
	s.codeShown = text("", SizeNameClock, true)
	s.codeShown.TextStyle.Monospace = true
	s.codeShown.Alignment = fyne.TextAlignCenter
	k.showReprintCode()
	printTile := k.choiceTile(k.icons.get("print"), k.tr.T("staff.reprint_print"), true, k.ReprintSlip)
	return container.NewVBox(wrapped(k.tr.T("staff.reprint_explain"), theme.SizeNameText),
		container.NewBorder(nil, nil, nil, printTile, s.codeShown), k.staffResult(), codePad(k, s.kb))
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
