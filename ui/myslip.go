package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"

	"buurtbalie/internal/question"
)

// codeKeys are the keys of the code keyboard: only the symbols a code can
// have (Crockford base 32), so no key leads nowhere.
var codeKeys = [][]string{
	{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"},
	{"A", "B", "C", "D", "E", "F", "G", "H", "J", "K"},
	{"M", "N", "P", "Q", "R", "S", "T", "V", "W", "X"},
	{"Y", "Z", "backspace"},
}

// MySlip is the "Mijn bonnetje" flow: the visitor looking up their slip.
// Reset wipes it.
type MySlip struct {
	k *Kiosk

	code  []rune
	kb    *keyboard
	view  *question.VisitorView // the answer, once found
	note  string                // why the last lookup found nothing, as a message; "" for none
	wrong string                // the code last looked up and not found, marked while it stands
	shown *canvas.Text
}

// slipLock slows down guessing codes. A visitor may mistype a few codes;
// then each further wrong code makes them wait, longer each time. Over
// all visitors together, at most wrongCodesPerHour wrong codes an hour
// are looked up. The visitor's count starts afresh with the next visitor
// (the idle reset), so one person's typos never greet the next one; the
// hourly count does not, so walking away and back gains a guesser little.
type slipLock struct {
	misses  []time.Time // wrong codes in the last hour, oldest first
	visitor int         // wrong codes of the visitor at the kiosk now
}

// wrongCodesFree is how many wrong codes a visitor may type before the
// kiosk makes them wait; wrongCodesPerHour bounds them all together: a
// billion codes, 24 tries an hour, is no way in.
const (
	wrongCodesFree    = 3
	wrongCodesPerHour = 24
)

// wait returns how long before another lookup, or 0.
func (l *slipLock) wait(now time.Time) time.Duration {
	l.forget(now)
	var until time.Time
	if n := len(l.misses); n > 0 && l.visitor > wrongCodesFree {
		// From the visitor's fourth wrong code on: 15 s, doubling up to
		// 15 minutes.
		d := 15 * time.Second << min(l.visitor-wrongCodesFree-1, 6)
		until = l.misses[n-1].Add(min(d, 15*time.Minute))
	}
	if n := len(l.misses); n >= wrongCodesPerHour {
		until = maxTime(until, l.misses[n-wrongCodesPerHour].Add(time.Hour))
	}
	return max(until.Sub(now), 0)
}

// miss notes a wrong code.
func (l *slipLock) miss(now time.Time) {
	l.forget(now)
	l.misses = append(l.misses, now)
	l.visitor++
}

// found notes a right code: the visitor's count starts afresh.
func (l *slipLock) found() { l.visitor = 0 }

// newVisitor starts the next visitor's count afresh.
func (l *slipLock) newVisitor() { l.visitor = 0 }

// forget drops wrong codes older than an hour.
func (l *slipLock) forget(now time.Time) {
	i := 0
	for i < len(l.misses) && now.Sub(l.misses[i]) >= time.Hour {
		i++
	}
	l.misses = l.misses[i:]
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// StartMySlip opens "Mijn bonnetje": the visitor types their code.
func (k *Kiosk) StartMySlip() {
	s := &MySlip{k: k}
	s.kb = k.codeKeyboard(&s.code, s.showCode, s.LookUp)
	s.kb.overwrite = s.overwriteWrong
	k.slip = s
	k.show(slipScreen)
}

// codeKeyboard takes a slip's code into code: only a code's symbols, as
// many as a code has. changed shows it; enter looks it up.
func (k *Kiosk) codeKeyboard(code *[]rune, changed, enter func()) *keyboard {
	return &keyboard{text: code, max: question.CodeLength, changed: changed, unshift: k.redraw,
		accept: typedCode, enter: enter}
}

// overwriteWrong lets a new code replace one that was not found: the
// wrong code stays on screen to be corrected with the backspace key, and
// a symbol typed on a whole wrong code (a second try, a scanner) starts
// the next one.
func (s *MySlip) overwriteWrong() bool {
	return s.wrong != "" && string(s.code) == s.wrong
}

// codePad draws the keys of a code keyboard: only the symbols a code can
// have, big enough for a fingertip. It stays left to right on an Arabic
// screen, as the code on the slip does.
func codePad(k *Kiosk, kb *keyboard) fyne.CanvasObject {
	keys := container.NewVBox()
	for _, row := range codeKeys {
		objs := make([]fyne.CanvasObject, 0, len(row))
		for _, key := range row {
			t := kb.key(k, key, "")
			t.side = SizeNameKey
			objs = append(objs, t)
		}
		if len(objs) < 10 {
			objs = append(objs, layout.NewSpacer())
			keys.Add(container.NewGridWithColumns(4, objs...))
			continue
		}
		keys.Add(container.NewGridWithColumns(len(objs), objs...))
	}
	return keys
}

// codeText shows a code typed so far as K7M-4QX, with places for the
// rest.
func codeText(code []rune) string {
	shown := []rune(strings.Repeat("·", question.CodeLength))
	copy(shown, code)
	return string(shown[:3]) + "-" + string(shown[3:])
}

// TypeCode types s as the visitor, or a USB scanner reading the code,
// would.
func (s *MySlip) TypeCode(code string) {
	for _, r := range code {
		s.kb.typeRune(r)
	}
}

// LookUpSlip finds the slip whose code was typed and shows where its
// question stands and the volunteer's message.
func (s *MySlip) LookUp() {
	s.k.touched()
	if len(s.code) < question.CodeLength {
		// Not a guess, just not done: say what a code looks like.
		s.note = s.k.tr.T("myslip.incomplete")
		s.k.redraw()
		return
	}
	if wait := s.k.codeLock.wait(s.k.now()); wait > 0 {
		s.note = s.k.tr.Tn("myslip.wait", int((wait+time.Minute-1)/time.Minute), nil)
		s.k.redraw()
		return
	}
	code, err := question.ParseCode(string(s.code))
	var view question.VisitorView
	if err == nil {
		view, err = s.k.desk.SlipStatus(context.Background(), code)
	}
	if err != nil {
		if !errors.Is(err, question.ErrNotFound) && !errors.Is(err, question.ErrBadCode) {
			s.k.log.Error("look up slip", "err", err)
		}
		s.k.codeLock.miss(s.k.now())
		s.note, s.wrong = s.k.tr.T("myslip.wrong"), string(s.code)
		s.k.redraw()
		return
	}
	s.k.codeLock.found()
	s.view, s.note, s.wrong = &view, "", ""
	s.k.redraw()
}

// typedCode filters what is typed on the code screen: letters are read
// as Crockford intends and anything else is dropped, so a USB scanner's
// link or a lower-case code both work.
func typedCode(r rune) (rune, bool) {
	c, err := question.ParseCode(strings.Repeat(string(r), question.CodeLength))
	if err != nil {
		return 0, false
	}
	return rune(c[0]), true
}

// current is the "Mijn bonnetje" screen shown, as a view: the code
// being typed, or the answer once found.
func (s *MySlip) current() view {
	tr := s.k.tr
	if v := s.view; v != nil {
		return view{name: "my-slip-answer", show: func() fyne.CanvasObject { return s.answer(*v) }, say: func() []string {
			lines := append([]string{tr.T("myslip.answer_title")}, s.standing(*v)...)
			if v.Message != "" {
				return append(lines, tr.T("myslip.message"), v.Message, tr.T("action.done"))
			}
			return append(lines, tr.T("myslip.no_message"), tr.T("action.done"))
		}}
	}
	return view{name: "my-slip", show: s.screen, say: func() []string {
		lines := []string{tr.T("myslip.title")}
		if s.note != "" {
			lines = append(lines, s.note)
		}
		return append(lines, tr.T("myslip.look"))
	}}
}

// screen asks for the code.
func (s *MySlip) screen() fyne.CanvasObject {
	s.shown = text("", SizeNameClock, true)
	s.shown.TextStyle.Monospace = true
	s.shown.Alignment = fyne.TextAlignCenter
	s.showCode()
	// The message has its place kept, empty or not, so the keys never
	// move under a finger after a wrong code.
	note := container.New(&reserveLines{lines: 3, size: theme.SizeNameText}, wrapped(s.note, theme.SizeNameText))
	// Beside the code on a landscape screen, where height is short and
	// width to spare; below it on a portrait one.
	typed := s.k.besideOnLandscape(s.shown, note)
	keys := codePad(s.k, s.kb)
	look := s.k.choiceTile(s.k.icons.get("next"), s.k.tr.T("myslip.look"), true, s.LookUp)
	body := container.NewVBox(typed, keys, look)
	return container.NewPadded(border(s.top(s.k.tr.T("myslip.title")), nil, nil, nil, body))
}

// slipTop is the bar over the code screens: back, the language, and the
// screen's question.
func (s *MySlip) top(title string) fyne.CanvasObject {
	heading := boldWrapped(title, theme.SizeNameSubHeadingText)
	oneLine := fyne.MeasureText(visual(title), theme.Size(theme.SizeNameSubHeadingText), fyne.TextStyle{Bold: true}).Width + 2*theme.InnerPadding()
	return startEnd(&titleBar{oneLine: oneLine},
		s.k.choiceTile(s.k.icons.get("back"), s.k.tr.T("action.back"), false, s.k.Reset),
		s.k.visitorTools(), heading)
}

// showCode shows the code typed so far as K7M-4QX, with places for the
// rest.
func (s *MySlip) showCode() {
	if s == nil || s.shown == nil {
		return
	}
	s.shown.Text = codeText(s.code)
	// A code that was not found is marked until it is changed.
	s.shown.Color = theme.Color(theme.ColorNameForeground)
	if s.wrong != "" && string(s.code) == s.wrong {
		s.shown.Color = theme.Color(theme.ColorNameError)
	}
	s.shown.Refresh()
}

// standing says where the question stands, first line first. A question
// handed to another house says only where it went and what to do, not
// also that it went "to someone who can help you further": one sentence
// to read, not two that say the same.
func (s *MySlip) standing(v question.VisitorView) []string {
	house := s.k.tr.Tf("myslip.house", map[string]any{"House": v.HandedTo})
	switch {
	case v.HandedTo == "":
		return []string{s.k.tr.T("myslip.status." + string(v.Status))}
	case v.Status == question.Referred:
		return []string{house}
	default:
		return []string{s.k.tr.T("myslip.status." + string(v.Status)), house}
	}
}

// slipAnswer shows where the question stands and the volunteer's message,
// in large type.
func (s *MySlip) answer(v question.VisitorView) fyne.CanvasObject {
	standing := s.standing(v)
	box := container.NewVBox(boldWrapped(standing[0], theme.SizeNameSubHeadingText))
	for _, line := range standing[1:] {
		box.Add(wrapped(line, theme.SizeNameSubHeadingText))
	}
	if v.Message != "" {
		box.Add(text(s.k.tr.T("myslip.message"), theme.SizeNameText, false))
		msg := wrapped(v.Message, theme.SizeNameSubHeadingText)
		bg := canvas.NewRectangle(theme.Color(ColorNameCard))
		bg.CornerRadius = theme.InputRadiusSize()
		box.Add(container.NewStack(bg, container.NewPadded(msg)))
	} else {
		box.Add(wrapped(s.k.tr.T("myslip.no_message"), theme.SizeNameText))
	}
	box.Add(s.k.choiceTile(s.k.icons.get("check"), s.k.tr.T("action.done"), true, s.k.Reset))
	s.k.list = NewDragScroll(box)
	s.k.list.OnScrolled = s.k.scrolled
	return container.NewPadded(border(s.top(s.k.tr.T("myslip.answer_title")), nil, nil, nil, s.k.list))
}
