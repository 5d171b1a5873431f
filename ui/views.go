package ui

import (
	"strconv"

	"fyne.io/fyne/v2"

	"buurtbalie/internal/programme"
	"buurtbalie/internal/speech"
)

// A view is one screen of the kiosk: the name screenshot and speak know it
// by, what it shows, and what it says when read aloud, side by side so the
// two cannot drift apart. Views are made afresh for every redraw from the
// kiosk's state; they hold none of their own.
type view struct {
	name string
	show func() fyne.CanvasObject
	// say is the screen's heading, its instruction and its choices, in
	// the visitor's language, one line each, as they are read aloud. It
	// builds no widgets.
	say func() []string
	// staff screens are not for visitors: they have no emergency bar.
	staff bool
}

// ScreenNames are the names of the kiosk's screens, in the order a visitor
// meets them.
var ScreenNames = []string{
	"welcome", "today", "detail", "languages", "still-there",
	"ask-topic", "ask-type", "ask-stop", "ask-follow-up", "ask-confirm", "ask-printing", "ask-done", "ask-fallback",
	"my-slip", "my-slip-answer",
	"staff-pin", "staff-menu", "staff-today", "staff-activity", "staff-room", "staff-language", "staff-printer", "staff-reprint",
}

// current is the view the kiosk's state asks for. A flow that has gone
// (reset meanwhile) or an activity that went away falls back to where the
// visitor can go on.
func (k *Kiosk) current() view {
	if st := k.stillThere; st != nil {
		return view{name: "still-there", show: func() fyne.CanvasObject { return st.view(k) }, say: func() []string {
			return []string{k.tr.T("idle.question"), k.tr.T("idle.explain"), strconv.Itoa(st.left), k.tr.T("idle.yes")}
		}}
	}
	switch k.screen {
	case todayScreen:
		return view{name: "today", show: k.todayScreen, say: k.todaySays}
	case detailScreen:
		if o, ok := k.findDetail(); ok {
			return view{name: "detail", show: func() fyne.CanvasObject { return k.detailScreen(o) }, say: func() []string { return k.detailSays(o) }}
		}
		k.screen = todayScreen
		return k.current()
	case languageScreen:
		return view{name: "languages", show: k.languageScreen, say: k.languagesSay}
	case askScreen:
		if k.ask != nil {
			return k.ask.current()
		}
	case slipScreen:
		if k.slip != nil {
			return k.slip.current()
		}
	case staffScreen:
		if k.staff != nil {
			return k.staff.current()
		}
	}
	k.screen = welcomeScreen
	return view{name: "welcome", show: k.welcomeScreen, say: k.welcomeSays}
}

// Screen names the screen on show, as ScreenNames does.
func (k *Kiosk) Screen() string { return k.current().name }

// Says returns what the screen on show says when read aloud, as the
// screen writes it.
func (k *Kiosk) Says() []string {
	lines := k.current().say()
	for i, l := range lines {
		lines[i] = speech.Plain(l)
	}
	return lines
}

// Asking returns the question flow, or nil when no question is being
// made.
func (k *Kiosk) Asking() *Asking { return k.ask }

// MySlip returns the "Mijn bonnetje" flow, or nil.
func (k *Kiosk) MySlip() *MySlip { return k.slip }

// Staff returns the staff mode, or nil when it is closed.
func (k *Kiosk) Staff() *StaffMode { return k.staff }

// welcomeSays is what the welcome screen says: the time and day, what is
// on now and next, and the three ways on.
func (k *Kiosk) welcomeSays() []string {
	lines := []string{k.tr.Clock(k.now()), k.dateText(k.day)}
	if k.loadErr != nil {
		lines = append(lines, k.tr.T("programme.unavailable"))
	} else {
		now, next := programme.NowAndNext(k.occs, k.now())
		lines = append(lines, k.tr.T("welcome.now"))
		if len(now) == 0 {
			lines = append(lines, k.tr.T("welcome.nothing_now"))
		}
		for _, o := range now {
			lines = append(lines, k.rowSays(o))
		}
		lines = append(lines, k.tr.T("welcome.next"))
		for _, o := range next {
			lines = append(lines, k.rowSays(o))
		}
	}
	return append(lines, k.tr.T("welcome.today"), k.tr.T("welcome.ask"), k.tr.T("welcome.myslip"))
}

// todaySays reads the list: each activity's time, title and room.
func (k *Kiosk) todaySays() []string {
	lines := []string{k.tr.T("today.title") + " · " + k.dateText(k.day)}
	switch {
	case k.loadErr != nil:
		return append(lines, k.tr.T("programme.unavailable"))
	case !hasActive(k.occs):
		lines = append(lines, k.tr.T("today.empty"))
		if len(k.nextOccs) > 0 {
			lines = append(lines, k.tr.Tf("today.next_day", map[string]any{"Day": k.dayName(k.nextDay)}))
			for _, o := range k.nextOccs {
				lines = append(lines, k.rowSays(o))
			}
		}
		return lines
	}
	for _, o := range k.filtered(k.occs) {
		lines = append(lines, k.rowSays(o))
	}
	return append(lines, k.elsewhereSays()...)
}

// rowSays is one activity read out: its time, title and room, and
// whether it does not take place.
func (k *Kiosk) rowSays(o programme.Occurrence) string {
	s := k.tr.Clock(o.Start) + " – " + k.tr.Clock(o.End) + ", " + k.heard(o.Activity.Titles, o.Activity.TitleIn(k.tr.Lang()))
	if o.Room != "" {
		s += ", " + k.heard(nil, o.Room)
	}
	if o.Cancelled {
		s += ", " + k.tr.T("status.cancelled")
	}
	return s
}

// detailSays reads one activity's details, in the order they show.
func (k *Kiosk) detailSays(o programme.Occurrence) []string {
	a := o.Activity
	lines := []string{k.heard(a.Titles, a.TitleIn(k.tr.Lang())), capitalise(k.dayName(o.Date)) + " " + k.tr.Clock(o.Start) + " – " + k.tr.Clock(o.End)}
	if note := k.changeNoteIn(o, k.heard); note != "" {
		lines = append(lines, note)
	}
	if o.Room != "" {
		lines = append(lines, k.tr.Tf("detail.room", map[string]any{"Room": k.heard(nil, o.Room)}))
	}
	signUp, access := "detail.walk_in", "detail.not_wheelchair"
	if a.SignUp {
		signUp = "detail.sign_up"
	}
	if a.Wheelchair {
		access = "detail.wheelchair"
	}
	lines = append(lines, k.tr.T(signUp), k.tr.Cost(a.CostCents), k.tr.T(access))
	if a.Host != "" {
		lines = append(lines, k.tr.Tf("detail.host", map[string]any{"Host": k.heard(nil, a.Host)}))
	}
	if d := a.DescriptionIn(k.tr.Lang()); d != "" {
		lines = append(lines, k.heard(a.Descriptions, d))
	}
	return lines
}

// languagesSay reads out every language's name, each in itself.
func (k *Kiosk) languagesSay() []string {
	var lines []string
	for _, lang := range k.offeredLanguages() {
		lines = append(lines, k.cat.Language(lang))
	}
	return lines
}
