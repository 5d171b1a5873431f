package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	qrcode "github.com/skip2/go-qrcode"

	"buurtbalie/internal/desk"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
)

// Desk is what the kiosk asks of the front desk: store a question, print
// its slip, print an activity reminder.
type Desk interface {
	Topics(ctx context.Context) ([]question.Topic, error)
	Ask(ctx context.Context, d desk.Draft) (question.Question, error)
	PrintQuestion(ctx context.Context, q question.Question) error
	PrintActivity(ctx context.Context, o programme.Occurrence, lang string) error
	SlipURL(q question.Question) string
	SlipStatus(ctx context.Context, code string) (question.VisitorView, error)
	// For staff: a sample slip to try the printer, and a lost slip again.
	PrintSample(ctx context.Context) error
	ReprintByCode(ctx context.Context, code, actor string) error
}

// askStep is one decision of the question flow.
type askStep int

const (
	stepTopic    askStep = iota // pick a topic
	stepText                    // type the question, or skip
	stepFollowUp                // wait here or come back later
	stepConfirm                 // check and print
	stepPrinting                // stored; the slip is printing
	stepDone                    // printed: the code and what happens next
	stepFallback                // not printed: the code and QR on screen
)

// Asking is the question flow: the visitor's question while they make
// it, and what they can do with it. Reset wipes it.
type Asking struct {
	k *Kiosk

	step     askStep
	topics   []question.Topic
	topic    string
	text     []rune
	kb       *keyboard
	followUp question.FollowUp
	asked    question.Question // once stored
	failed   bool              // storing failed: say so kindly
	leave    Timer             // back to the welcome screen after the last step
	stopping bool              // "Stoppen" was tapped with text typed: ask first

	// What shows the text while typing, updated key by key without
	// rebuilding the screen.
	typed    fyne.CanvasObject
	typedBox *container.Scroll
	counter  *canvas.Text
	hint     *canvas.Text // "you may type", or that the text is full
	hintRow  *fyne.Container
}

// doneFor is how long the code stays on screen after a printed slip.
// The fallback (no slip: the visitor writes the code down or takes a
// photo) stays longer, but not for the whole idle time and its "still
// there?": its QR code is the key to the volunteers' messages, and the
// next person at the kiosk must not find it.
const (
	doneFor     = 60 * time.Second
	fallbackFor = 2 * time.Minute
)

// StartQuestion opens the question flow at its first step.
func (k *Kiosk) StartQuestion() {
	topics, err := k.desk.Topics(context.Background())
	if err != nil {
		k.log.Error("load topics", "err", err)
	}
	a := &Asking{k: k, step: stepTopic, topics: topics}
	a.kb = &keyboard{text: &a.text, max: question.MaxText, changed: a.showTyped, unshift: k.redraw}
	k.ask = a
	k.show(askScreen)
}

// ChooseTopic picks the question's topic and moves on to typing.
func (a *Asking) ChooseTopic(key string) {
	a.topic = key
	a.to(stepText)
}

// Type types s on the on-screen keyboard, as a visitor's taps would.
func (a *Asking) Type(s string) {
	for _, r := range s {
		a.kb.typeRune(r)
	}
}

// SkipOrNext leaves the typing step: with the text typed, or with none.
func (a *Asking) SkipOrNext() { a.to(stepFollowUp) }

// ChooseFollowUp picks waiting here or coming back, and moves on to the
// confirmation.
func (a *Asking) ChooseFollowUp(f question.FollowUp) {
	a.followUp = f
	a.to(stepConfirm)
}

// askTo moves the flow to step.
func (a *Asking) to(step askStep) {
	a.step = step
	a.failed, a.stopping = false, false
	a.k.show(askScreen)
}

// StopQuestion leaves the question flow. Once the visitor has typed
// something it asks first, since their words are not kept; before that
// one tap is enough.
func (a *Asking) Stop() {
	if a := a.k.ask; a != nil && len(a.text) > 0 && !a.stopping {
		a.stopping = true
		a.k.show(askScreen)
		return
	}
	a.k.Reset()
}

// KeepAsking answers "Wilt u stoppen?" with "Doorgaan": back to where
// the visitor was, with what they typed.
func (a *Asking) KeepAsking() {
	a.stopping = false
	a.k.show(askScreen)
}

// askBack goes one step back; from the first step, back to the welcome
// screen.
func (a *Asking) back() {
	switch a.step {
	case stepTopic:
		a.k.ask = nil
		a.k.show(welcomeScreen)
	default:
		a.to(a.step - 1)
	}
}

// Confirm stores the question, then prints its slip. The question is
// safe before anything goes to the printer; if printing fails the code and
// QR show on screen instead.
func (a *Asking) Confirm() {
	q, err := a.k.desk.Ask(context.Background(), desk.Draft{
		// A spoken-only language is kept with the question, so volunteers
		// know which language to come with; its slip is in the house's.
		Topic: a.topic, Text: string(a.text), FollowUp: a.followUp, Lang: a.k.visitorLanguage(),
	})
	if err != nil {
		a.k.log.Error("store question", "err", err) // err never holds the text
		a.failed = true
		a.k.redraw()
		return
	}
	a.asked, a.text = q, nil
	a.to(stepPrinting)
	var printErr error
	a.k.async(func() {
		printErr = a.k.desk.PrintQuestion(context.Background(), q)
	}, func() {
		if a.k.ask != a {
			return // the visitor left meanwhile; the question is stored
		}
		step, stay := stepDone, doneFor
		if printErr != nil {
			step, stay = stepFallback, fallbackFor
		}
		a.to(step)
		a.leave = a.k.clock.AfterFunc(stay, func() {
			if a.k.ask == a {
				a.k.Reset()
			}
		})
	})
}

// async runs work off the UI goroutine, then done on it; with
// Options.Synchronous (tests, screenshots) both run at once.
func (k *Kiosk) async(work, done func()) {
	if k.opt.Synchronous {
		work()
		done()
		return
	}
	go func() {
		work()
		fyne.Do(done)
	}()
}

// current is the step of the question flow on screen, as a view.
func (a *Asking) current() view {
	tr := a.k.tr
	if a.stopping {
		return view{name: "ask-stop", show: a.stopConfirmation, say: func() []string {
			return []string{tr.T("ask.stop_title"), tr.T("ask.stop_explain"), tr.T("ask.stop_continue"), tr.T("ask.stop_confirm")}
		}}
	}
	switch a.step {
	case stepText:
		return view{name: "ask-type", show: a.typingScreen, say: func() []string {
			return []string{tr.T("ask.type_title"), tr.T("ask.type_hint"), tr.T("ask.skip"), tr.T("ask.skip_hint"), tr.T("action.next")}
		}}
	case stepFollowUp:
		return view{name: "ask-follow-up", show: a.followUpScreen, say: a.followUpSays}
	case stepConfirm:
		return view{name: "ask-confirm", show: func() fyne.CanvasObject {
			next := a.k.choiceTile(a.k.icons.get("print"), tr.T("ask.print"), true, a.Confirm)
			return a.scrolling(tr.T("ask.confirm_title"), a.confirmation(), next)
		}, say: func() []string {
			return append(append([]string{tr.T("ask.confirm_title")}, a.confirmationLines()...), tr.T("ask.print"))
		}}
	case stepPrinting:
		return view{name: "ask-printing", show: func() fyne.CanvasObject {
			return a.k.bare(container.NewCenter(container.NewVBox(
				container.NewCenter(icon(a.k.icons.get("print"), SizeNameClock)),
				text(tr.T("ask.printing"), theme.SizeNameHeadingText, true))))
		}, say: func() []string { return []string{tr.T("ask.printing")} }}
	case stepDone:
		return view{name: "ask-done", show: func() fyne.CanvasObject { return a.k.bare(a.codeScreen(false)) }, say: func() []string { return a.codeSays(false) }}
	case stepFallback:
		return view{name: "ask-fallback", show: func() fyne.CanvasObject { return a.k.bare(a.codeScreen(true)) }, say: func() []string { return a.codeSays(true) }}
	}
	return view{name: "ask-topic", show: func() fyne.CanvasObject {
		return a.scrolling(tr.T("ask.topic_title"), a.topicChoice(), nil)
	}, say: func() []string {
		lines := []string{tr.T("ask.topic_title"), tr.T("ask.reassure")}
		for _, t := range a.topics {
			lines = append(lines, tr.Name("topic", t.Key, t.Names))
		}
		return lines
	}}
}

// scrolling is a step whose body scrolls under its title, with next (if
// any) below it, and the error of a failed store above that.
func (a *Asking) scrolling(title string, body, next fyne.CanvasObject) fyne.CanvasObject {
	var bottom fyne.CanvasObject
	if a.failed {
		bottom = container.NewVBox(wrapped(a.k.tr.T("ask.error"), theme.SizeNameText), next)
	} else if next != nil {
		bottom = next
	}
	a.k.list = NewDragScroll(body)
	a.k.list.OnScrolled = a.k.scrolled
	return container.NewPadded(border(a.top(title), bottom, nil, nil, container.NewPadded(a.k.list)))
}

// typingScreen is the text, the keyboard and the ways on. The keyboard
// must be whole on screen, so this step does not scroll: the actions go
// beside it on a landscape screen and below it on a portrait one.
func (a *Asking) typingScreen() fyne.CanvasObject {
	tr := a.k.tr
	actions := []fyne.CanvasObject{
		a.k.newTile(container.NewVBox(labelled(a.k.icons.get("skip"), tr.T("ask.skip")),
			container.NewCenter(text(tr.T("ask.skip_hint"), theme.SizeNameCaptionText, false))), theme.Color(ColorNameCard), func() {
			a.text = nil
			a.SkipOrNext()
		}),
		a.k.choiceTile(a.k.icons.get("next"), tr.T("action.next"), true, a.SkipOrNext),
	}
	typing := startEnd(&besideOrBelow{side: 260}, a.typing(), container.NewGridWithRows(2, actions...))
	return container.NewPadded(border(a.top(tr.T("ask.type_title")), nil, nil, nil, typing))
}

// followUpScreen asks whether the visitor waits or comes back. The
// choices take the keyboard's place, and the column where "Sla over" and
// "Verder" were holds no button: a second tap of a double tap on those
// must not decide for the visitor.
func (a *Asking) followUpScreen() fyne.CanvasObject {
	choices := startEnd(&besideOrBelow{side: 260, topHalf: true}, a.followUpChoice(), a.followUpAside())
	return container.NewPadded(border(a.top(a.k.tr.T("ask.followup_title")), nil, nil, nil, choices))
}

// askTop is the bar over every step: back, the language, stop, and the
// step's question. The tiles lie flat to leave height for the keyboard.
func (a *Asking) top(title string) fyne.CanvasObject {
	heading := boldWrapped(title, theme.SizeNameSubHeadingText)
	oneLine := fyne.MeasureText(visual(title), theme.Size(theme.SizeNameSubHeadingText), fyne.TextStyle{Bold: true}).Width + 2*theme.InnerPadding()
	return startEnd(&titleBar{oneLine: oneLine},
		a.k.choiceTile(a.k.icons.get("back"), a.k.tr.T("action.back"), false, a.back),
		hbox(a.k.visitorTools(), a.k.choiceTile(a.k.icons.get("stop"), a.k.tr.T("action.stop"), false, a.Stop)),
		heading)
}

// bare is a screen with no way back: the question is stored. It keeps
// "Voorlezen" where the other screens have it, so the code can be heard.
func (k *Kiosk) bare(obj fyne.CanvasObject) fyne.CanvasObject {
	if r := k.readAloud(); r != nil {
		return container.NewPadded(border(border(nil, nil, nil, r), nil, nil, nil, obj))
	}
	return container.NewPadded(obj)
}

// topicChoice offers the topics as big pictogram tiles, with the one line
// of reassurance above them.
func (a *Asking) topicChoice() fyne.CanvasObject {
	tiles := gridWrap(fyne.NewSize(300, 230))
	for _, t := range a.topics {
		key := t.Key
		tiles.Add(a.k.newTile(bigLabelled(a.k.icons.get(t.Icon), a.k.tr.Name("topic", t.Key, t.Names)), theme.Color(ColorNameCard), func() {
			a.ChooseTopic(key)
		}))
	}
	return container.NewVBox(beside(a.k.icons.get("info"), wrapped(a.k.tr.T("ask.reassure"), theme.SizeNameText)), tiles)
}

// typing shows the text typed so far, a counter, and the keyboard.
func (a *Asking) typing() fyne.CanvasObject {
	a.typed = wrapped("", theme.SizeNameText)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
	bg.StrokeWidth = 2
	bg.CornerRadius = theme.InputRadiusSize()
	a.counter = text("", theme.SizeNameText, false)
	a.hint = text("", theme.SizeNameText, false)
	a.hintRow = startEnd(&flowLayout{}, a.hint, a.counter)
	// Three whole lines of text show (never a line cut in half); a
	// longer question scrolls to its end, so the keyboard keeps its
	// place.
	a.typedBox = container.NewVScroll(a.typed)
	shown := typedLines
	if a.k.largerText {
		shown-- // larger lines: two of them keep the keyboard on the screen
	}
	a.typedBox.SetMinSize(fyne.NewSize(0, float32(shown)*lineHeight(theme.SizeNameText)+2*theme.InnerPadding()))
	a.showTyped()
	return container.NewVBox(
		container.NewStack(bg, container.NewPadded(a.typedBox)),
		a.hintRow,
		a.kb.view(a.k, a.k.tr.T("key.space")),
	)
}

// showTyped shows the text and the counter after a key, without
// rebuilding the screen.
func (a *Asking) showTyped() {
	if a == nil || a.typed == nil {
		return
	}
	shown := string(a.text) + "▏" // a still cursor: a blinking one costs CPU
	if len(a.text) == 0 {
		shown = a.k.tr.T("ask.placeholder")
	}
	setText(a.typed, shown)
	a.typedBox.ScrollToBottom()
	a.counter.Text = visual(a.k.tr.Tn("ask.counter", question.MaxText, map[string]any{"Count": len(a.text), "Max": question.MaxText}))
	a.hint.Text, a.hint.TextStyle.Bold = visual(a.k.tr.T("ask.type_hint")), false
	if len(a.text) >= question.MaxText {
		// Keys that do nothing would puzzle: say that it is full.
		a.hint.Text, a.hint.TextStyle.Bold = visual(a.k.tr.T("ask.full")), true
	}
	a.hintRow.Refresh() // the hint's width may change: lay the row out again
}

// typedLines is how many lines of the question show while typing.
const typedLines = 3

// lineHeight is the height of one line of a paragraph: its text and the
// space between lines.
func lineHeight(size fyne.ThemeSizeName) float32 {
	return fyne.MeasureText("Mg", theme.Size(size), fyne.TextStyle{}).Height + theme.LineSpacing()
}

// followUpChoice asks whether the visitor waits here or comes back.
func (a *Asking) followUpChoice() fyne.CanvasObject {
	pick := func(f question.FollowUp) func() {
		return func() { a.ChooseFollowUp(f) }
	}
	later := a.k.newTile(container.NewVBox(layout.NewSpacer(), bigLabelled(a.k.icons.get("later"), a.k.tr.T("ask.later")), layout.NewSpacer()),
		theme.Color(ColorNameCard), pick(question.ComeBack))
	if nobody, ok := a.k.nobodyIn(a.k.now()); ok {
		// Nobody is coming: "Ik wacht hier" would be a promise the house
		// cannot keep. Say when someone is in instead.
		msg := boldWrapped(nobody, theme.SizeNameSubHeadingText)
		return border(beside(a.k.icons.get("clock"), msg), nil, nil, nil, later)
	}
	return gridColumns(2,
		a.k.newTile(container.NewVBox(layout.NewSpacer(), bigLabelled(a.k.icons.get("wait"), a.k.tr.T("ask.wait")), layout.NewSpacer()),
			theme.Color(ColorNameCard), pick(question.Waiting)),
		later,
	)
}

// nobodyIn says, when the kiosk knows the volunteers' hours and nobody
// is in at now, who is in when: "Vandaag is er niemand meer. Morgen
// vanaf 9:30." ok is false when someone is in, or when the kiosk cannot
// read the hours (then it promises nothing either way: the done screen
// and the slip hedge).
func (k *Kiosk) nobodyIn(now time.Time) (string, bool) {
	v := k.house.Volunteers
	if !v.Known() || v.InAt(now) {
		return "", false
	}
	when, ok := v.ComeBack(now, k.tr)
	if !ok {
		return k.tr.T("ask.nobody_in"), true
	}
	if next, _ := v.NextIn(now); programme.DateOf(next) == programme.DateOf(now) {
		return k.tr.Tf("ask.nobody_in_yet", map[string]any{"When": when}), true
	}
	return k.tr.Tf("ask.nobody_in_today", map[string]any{"When": when}), true
}

// followUpAside fills the column beside the choices with calm words and
// no button: when volunteers are in, and where to read the answer.
func (a *Asking) followUpAside() fyne.CanvasObject {
	box := container.NewVBox(beside(a.k.icons.get("info"), wrapped(a.k.tr.T("ask.followup_hint"), theme.SizeNameText)))
	box.Add(a.k.hoursBlock())
	return box
}

// hoursBlock shows when volunteers are in, as the slip prints it.
func (k *Kiosk) hoursBlock() fyne.CanvasObject {
	box := container.NewVBox(text(k.tr.T("slip.hours_label"), theme.SizeNameText, true))
	for _, l := range k.house.HoursLines(k.tr, k.now()) {
		box.Add(wrapped(l, theme.SizeNameText))
	}
	return box
}

// stopConfirmation asks once before the typed question is thrown away.
// "Doorgaan", the safe answer, is the big accent tile; neither sits
// where "Stoppen" was.
func (a *Asking) stopConfirmation() fyne.CanvasObject {
	title := text(a.k.tr.T("ask.stop_title"), theme.SizeNameHeadingText, true)
	title.Alignment = fyne.TextAlignCenter
	explain := centred(wrapped(a.k.tr.T("ask.stop_explain"), theme.SizeNameSubHeadingText))
	choices := gridColumns(2,
		a.k.choiceTile(a.k.icons.get("next"), a.k.tr.T("ask.stop_continue"), true, a.KeepAsking),
		a.k.choiceTile(a.k.icons.get("stop"), a.k.tr.T("ask.stop_confirm"), false, a.k.Reset))
	return a.k.bare(container.NewCenter(container.New(&fixedWidth{width: 720},
		container.NewVBox(container.NewCenter(icon(a.k.icons.get("question"), SizeNameClock)), title, explain, choices))))
}

// confirmationParts are the lines of the summary before the question is
// stored, each with its pictogram: the topic, the words, the choice.
func (a *Asking) confirmationParts() (icons, lines []string) {
	tr := a.k.tr
	topicName, topicIcon := a.topic, "anders"
	for _, t := range a.topics {
		if t.Key == a.topic {
			topicName, topicIcon = tr.Name("topic", t.Key, t.Names), t.Icon
		}
	}
	said := tr.T("ask.confirm_no_text")
	if len(a.text) > 0 {
		said = tr.Tf("ask.confirm_text", map[string]any{"Text": string(a.text)})
	}
	choice, choiceIcon := tr.T("ask.wait"), "wait"
	if a.followUp == question.ComeBack {
		choice, choiceIcon = tr.T("ask.later"), "later"
	}
	return []string{topicIcon, "question", choiceIcon},
		[]string{tr.Tf("ask.confirm_topic", map[string]any{"Topic": topicName}), said, choice}
}

// confirmation sums up the question before it is stored.
func (a *Asking) confirmation() fyne.CanvasObject {
	icons, lines := a.confirmationParts()
	box := container.NewVBox()
	for i, l := range lines {
		box.Add(beside(a.k.icons.get(icons[i]), wrapped(l, theme.SizeNameText)))
	}
	return box
}

// confirmationLines is what the summary says.
func (a *Asking) confirmationLines() []string {
	_, lines := a.confirmationParts()
	return lines
}

// codeSays is what the done and failure screens say: the code letter by
// letter, and what happens next.
func (a *Asking) codeSays(fallback bool) []string {
	tr := a.k.tr
	var lines []string
	if fallback {
		lines = append(lines, tr.T("ask.failed_title"), tr.T("ask.failed_safe"))
	} else {
		lines = append(lines, tr.T("ask.done_title"))
	}
	lines = append(lines, tr.T("ask.code_label"), spelled(question.FormatCode(a.asked.Code)))
	if fallback {
		return append(lines, tr.T("ask.failed_show"), tr.T("ask.failed_write"), tr.T("ask.have_code"))
	}
	return append(lines, a.k.doneWords(a.asked.FollowUp), tr.T("action.done"))
}

// spelled writes a code as it is read out: "K, 7, M — 4, Q, X".
func spelled(code string) string {
	var b strings.Builder
	for i, r := range code {
		switch {
		case r == '-':
			b.WriteString(" — ")
			continue
		case i > 0 && code[i-1] != '-':
			b.WriteString(", ")
		}
		b.WriteRune(r)
	}
	return b.String()
}

// followUpSays is what the follow-up step says: the question, the
// choices there are, and when volunteers are in.
func (a *Asking) followUpSays() []string {
	tr := a.k.tr
	lines := []string{tr.T("ask.followup_title")}
	if nobody, ok := a.k.nobodyIn(a.k.now()); ok {
		lines = append(lines, nobody, tr.T("ask.later"))
	} else {
		lines = append(lines, tr.T("ask.wait"), tr.T("ask.later"))
	}
	lines = append(lines, tr.T("ask.followup_hint"), tr.T("slip.hours_label"))
	return append(lines, a.k.house.HoursLines(tr, a.k.now())...)
}

// codeScreen shows the code large after the slip printed, or, when it did
// not, the code and its QR code for a volunteer to scan from the screen.
func (a *Asking) codeScreen(fallback bool) fyne.CanvasObject {
	code := text(question.FormatCode(a.asked.Code), SizeNameClock, true)
	code.Alignment = fyne.TextAlignCenter
	code.TextStyle.Monospace = true
	var lines []fyne.CanvasObject
	if fallback {
		lines = append(lines, wrapped(a.k.tr.T("ask.failed_title"), theme.SizeNameSubHeadingText),
			wrapped(a.k.tr.T("ask.failed_safe"), theme.SizeNameText))
	} else {
		title := text(a.k.tr.T("ask.done_title"), theme.SizeNameHeadingText, true)
		title.Alignment = fyne.TextAlignCenter
		lines = append(lines, title)
	}
	label := text(a.k.tr.T("ask.code_label"), theme.SizeNameSubHeadingText, false)
	label.Alignment = fyne.TextAlignCenter
	lines = append(lines, label, code)
	if fallback {
		// Without a slip the visitor carries the code themselves.
		lines = append(lines, wrapped(a.k.tr.T("ask.failed_show"), theme.SizeNameSubHeadingText),
			wrapped(a.k.tr.T("ask.failed_write"), theme.SizeNameText))
	} else {
		lines = append(lines, wrapped(a.k.doneWords(a.asked.FollowUp), theme.SizeNameSubHeadingText))
	}
	for _, l := range lines {
		centred(l)
	}
	if !fallback {
		lines = append(lines, a.k.choiceTile(a.k.icons.get("check"), a.k.tr.T("action.done"), true, a.k.Reset))
		a.k.list = NewDragScroll(container.NewVBox(lines...))
		a.k.list.OnScrolled = a.k.scrolled
		return a.k.list
	}
	// The words with "Ik heb de code" always in view under them; the QR
	// code, big enough to scan from the screen, beside them with what
	// the slip would have said about the hours.
	side := container.NewVBox()
	if qr := a.k.qrImage(a.k.desk.SlipURL(a.asked)); qr != nil {
		side.Add(container.NewCenter(qr))
	}
	if nobody, ok := a.k.nobodyIn(a.k.now()); ok {
		side.Add(wrapped(nobody, theme.SizeNameText))
	}
	side.Add(a.k.hoursBlock())
	done := a.k.choiceTile(a.k.icons.get("check"), a.k.tr.T("ask.have_code"), true, a.k.Reset)
	if !a.k.landscape() {
		// One column that scrolls, "Ik heb de code" always in view.
		a.k.list = NewDragScroll(container.NewVBox(append(lines, side)...))
		a.k.list.OnScrolled = a.k.scrolled
		return border(nil, done, nil, nil, a.k.list)
	}
	a.k.list = NewDragScroll(container.NewVBox(lines...))
	a.k.list.OnScrolled = a.k.scrolled
	return gridColumns(2, border(nil, done, nil, nil, a.k.list), side)
}

// doneWords says what happens next, promising a volunteer only while
// one is in.
func (k *Kiosk) doneWords(f question.FollowUp) string {
	now := k.now()
	switch {
	case f == question.Waiting && !k.house.Volunteers.Known():
		return k.tr.T("ask.done_waiting_unknown")
	case f == question.Waiting && k.house.Volunteers.InAt(now):
		return k.tr.T("ask.done_waiting")
	}
	done := k.tr.T("ask.done_come_back")
	if nobody, ok := k.nobodyIn(now); ok {
		done = nobody + " " + done
	}
	return done
}

// qrImage draws the slip's link as a QR code big enough to scan from the
// screen with a phone.
func (k *Kiosk) qrImage(url string) fyne.CanvasObject {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		k.log.Error("qr code", "err", err)
		return nil
	}
	img := canvas.NewImageFromImage(q.Image(512))
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScalePixels
	img.SetMinSize(fyne.NewSize(300, 300))
	return img
}
