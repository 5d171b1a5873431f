package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
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

// askState is the visitor's question while they make it. Reset wipes it.
type askState struct {
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
	typed    *widget.Label
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
	k.ask = &askState{step: stepTopic, topics: topics}
	k.ask.kb = &keyboard{text: &k.ask.text, max: question.MaxText, changed: k.showTyped, unshift: k.redraw}
	k.show(askScreen)
}

// ChooseTopic picks the question's topic and moves on to typing.
func (k *Kiosk) ChooseTopic(key string) {
	k.ask.topic = key
	k.askTo(stepText)
}

// Type types s on the on-screen keyboard, as a visitor's taps would.
func (k *Kiosk) Type(s string) {
	for _, r := range s {
		k.ask.kb.typeRune(r)
	}
}

// SkipOrNext leaves the typing step: with the text typed, or with none.
func (k *Kiosk) SkipOrNext() { k.askTo(stepFollowUp) }

// ChooseFollowUp picks waiting here or coming back, and moves on to the
// confirmation.
func (k *Kiosk) ChooseFollowUp(f question.FollowUp) {
	k.ask.followUp = f
	k.askTo(stepConfirm)
}

// askTo moves the flow to step.
func (k *Kiosk) askTo(step askStep) {
	k.ask.step = step
	k.ask.failed, k.ask.stopping = false, false
	k.show(askScreen)
}

// StopQuestion leaves the question flow. Once the visitor has typed
// something it asks first, since their words are not kept; before that
// one tap is enough.
func (k *Kiosk) StopQuestion() {
	if a := k.ask; a != nil && len(a.text) > 0 && !a.stopping {
		a.stopping = true
		k.show(askScreen)
		return
	}
	k.Reset()
}

// KeepAsking answers "Wilt u stoppen?" with "Doorgaan": back to where
// the visitor was, with what they typed.
func (k *Kiosk) KeepAsking() {
	k.ask.stopping = false
	k.show(askScreen)
}

// askBack goes one step back; from the first step, back to the welcome
// screen.
func (k *Kiosk) askBack() {
	switch k.ask.step {
	case stepTopic:
		k.ask = nil
		k.show(welcomeScreen)
	default:
		k.askTo(k.ask.step - 1)
	}
}

// Confirm stores the question, then prints its slip. The question is
// safe before anything goes to the printer; if printing fails the code and
// QR show on screen instead.
func (k *Kiosk) Confirm() {
	a := k.ask
	q, err := k.desk.Ask(context.Background(), desk.Draft{
		Topic: a.topic, Text: string(a.text), FollowUp: a.followUp, Lang: k.tr.Lang(),
	})
	if err != nil {
		k.log.Error("store question", "err", err) // err never holds the text
		a.failed = true
		k.redraw()
		return
	}
	a.asked, a.text = q, nil
	k.askTo(stepPrinting)
	var printErr error
	k.async(func() {
		printErr = k.desk.PrintQuestion(context.Background(), q)
	}, func() {
		if k.ask != a {
			return // the visitor left meanwhile; the question is stored
		}
		step, stay := stepDone, doneFor
		if printErr != nil {
			step, stay = stepFallback, fallbackFor
		}
		k.askTo(step)
		a.leave = k.clock.AfterFunc(stay, func() {
			if k.ask == a {
				k.Reset()
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

// askScreen shows the current step of the question flow.
func (k *Kiosk) askScreen() fyne.CanvasObject {
	a := k.ask
	if a.stopping {
		return k.stopConfirmation()
	}
	var title string
	var body, next fyne.CanvasObject
	switch a.step {
	case stepTopic:
		title, body = k.tr.T("ask.topic_title"), k.topicChoice()
	case stepText:
		// The keyboard must be whole on screen, so this step does not
		// scroll: the actions go beside it on a landscape screen and
		// below it on a portrait one.
		actions := []fyne.CanvasObject{
			k.newTile(container.NewVBox(labelled(k.icons.get("skip"), k.tr.T("ask.skip")),
				container.NewCenter(text(k.tr.T("ask.skip_hint"), theme.SizeNameCaptionText, false))), theme.Color(ColorNameCard), func() {
				a.text = nil
				k.SkipOrNext()
			}),
			k.choiceTile(k.icons.get("next"), k.tr.T("action.next"), true, k.SkipOrNext),
		}
		typing := container.New(&besideOrBelow{side: 260}, k.typing(), container.NewGridWithRows(2, actions...))
		return container.NewPadded(container.NewBorder(k.askTop(k.tr.T("ask.type_title")), nil, nil, nil, typing))
	case stepFollowUp:
		// The choices take the keyboard's place, and the column where
		// "Sla over" and "Verder" were holds no button: a second tap of
		// a double tap on those must not decide for the visitor.
		choices := container.New(&besideOrBelow{side: 260, topHalf: true}, k.followUpChoice(), k.followUpAside())
		return container.NewPadded(container.NewBorder(k.askTop(k.tr.T("ask.followup_title")), nil, nil, nil, choices))
	case stepConfirm:
		title, body = k.tr.T("ask.confirm_title"), k.confirmation()
		next = k.choiceTile(k.icons.get("print"), k.tr.T("ask.print"), true, k.Confirm)
	case stepPrinting:
		return k.bare(container.NewCenter(container.NewVBox(
			container.NewCenter(icon(k.icons.get("print"), SizeNameClock)),
			text(k.tr.T("ask.printing"), theme.SizeNameHeadingText, true))))
	case stepDone:
		return k.bare(k.codeScreen(false))
	case stepFallback:
		return k.bare(k.codeScreen(true))
	}
	var bottom fyne.CanvasObject
	if a.failed {
		bottom = container.NewVBox(wrapped(k.tr.T("ask.error"), theme.SizeNameText), next)
	} else if next != nil {
		bottom = next
	}
	k.list = NewDragScroll(body)
	k.list.OnScrolled = k.scrolled
	return container.NewPadded(container.NewBorder(k.askTop(title), bottom, nil, nil, container.NewPadded(k.list)))
}

// askTop is the bar over every step: back, the language, stop, and the
// step's question. The tiles lie flat to leave height for the keyboard.
func (k *Kiosk) askTop(title string) fyne.CanvasObject {
	heading := wrapped(title, theme.SizeNameSubHeadingText)
	heading.TextStyle.Bold = true
	oneLine := fyne.MeasureText(title, theme.Size(theme.SizeNameSubHeadingText), heading.TextStyle).Width + 2*theme.InnerPadding()
	return container.New(&titleBar{oneLine: oneLine},
		k.choiceTile(k.icons.get("back"), k.tr.T("action.back"), false, k.askBack),
		container.NewHBox(k.languageChoice(), k.choiceTile(k.icons.get("stop"), k.tr.T("action.stop"), false, k.StopQuestion)),
		heading)
}

// bare is a screen with no way back: the question is stored.
func (k *Kiosk) bare(obj fyne.CanvasObject) fyne.CanvasObject {
	return container.NewPadded(obj)
}

// topicChoice offers the topics as big pictogram tiles, with the one line
// of reassurance above them.
func (k *Kiosk) topicChoice() fyne.CanvasObject {
	tiles := container.NewGridWrap(fyne.NewSize(300, 150))
	for _, t := range k.ask.topics {
		key := t.Key
		tiles.Add(k.newTile(labelled(k.icons.get(t.Icon), k.tr.Name("topic", t.Key, t.Names)), theme.Color(ColorNameCard), func() {
			k.ChooseTopic(key)
		}))
	}
	return container.NewVBox(beside(k.icons.get("info"), wrapped(k.tr.T("ask.reassure"), theme.SizeNameText)), tiles)
}

// typing shows the text typed so far, a counter, and the keyboard.
func (k *Kiosk) typing() fyne.CanvasObject {
	a := k.ask
	a.typed = wrapped("", theme.SizeNameText)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
	bg.StrokeWidth = 2
	bg.CornerRadius = theme.InputRadiusSize()
	a.counter = text("", theme.SizeNameText, false)
	a.hint = text("", theme.SizeNameText, false)
	a.hintRow = container.New(&flowLayout{}, a.hint, a.counter)
	// Three whole lines of text show (never a line cut in half); a
	// longer question scrolls to its end, so the keyboard keeps its
	// place.
	a.typedBox = container.NewVScroll(a.typed)
	a.typedBox.SetMinSize(fyne.NewSize(0, typedLines*lineHeight(a.typed)+2*theme.InnerPadding()))
	k.showTyped()
	return container.NewVBox(
		container.NewStack(bg, container.NewPadded(a.typedBox)),
		a.hintRow,
		a.kb.view(k, k.tr.T("key.space")),
	)
}

// showTyped shows the text and the counter after a key, without
// rebuilding the screen.
func (k *Kiosk) showTyped() {
	a := k.ask
	if a == nil || a.typed == nil {
		return
	}
	shown := string(a.text) + "▏" // a still cursor: a blinking one costs CPU
	if len(a.text) == 0 {
		shown = k.tr.T("ask.placeholder")
	}
	a.typed.SetText(shown)
	a.typedBox.ScrollToBottom()
	a.counter.Text = k.tr.Tf("ask.counter", map[string]any{"Count": len(a.text), "Max": question.MaxText})
	a.hint.Text, a.hint.TextStyle.Bold = k.tr.T("ask.type_hint"), false
	if len(a.text) >= question.MaxText {
		// Keys that do nothing would puzzle: say that it is full.
		a.hint.Text, a.hint.TextStyle.Bold = k.tr.T("ask.full"), true
	}
	a.hintRow.Refresh() // the hint's width may change: lay the row out again
}

// typedLines is how many lines of the question show while typing.
const typedLines = 3

// lineHeight is the height of one line of a paragraph: its text and the
// space between lines.
func lineHeight(l *widget.Label) float32 {
	size := theme.Size(l.SizeName)
	return fyne.MeasureText("Mg", size, l.TextStyle).Height + theme.LineSpacing()
}

// followUpChoice asks whether the visitor waits here or comes back.
func (k *Kiosk) followUpChoice() fyne.CanvasObject {
	pick := func(f question.FollowUp) func() {
		return func() { k.ChooseFollowUp(f) }
	}
	later := k.newTile(container.NewVBox(layout.NewSpacer(), labelled(k.icons.get("later"), k.tr.T("ask.later")), layout.NewSpacer()),
		theme.Color(ColorNameCard), pick(question.ComeBack))
	if nobody, ok := k.nobodyIn(k.now()); ok {
		// Nobody is coming: "Ik wacht hier" would be a promise the house
		// cannot keep. Say when someone is in instead.
		msg := wrapped(nobody, theme.SizeNameSubHeadingText)
		msg.TextStyle.Bold = true
		return container.NewBorder(beside(k.icons.get("clock"), msg), nil, nil, nil, later)
	}
	return container.NewGridWithColumns(2,
		k.newTile(container.NewVBox(layout.NewSpacer(), labelled(k.icons.get("wait"), k.tr.T("ask.wait")), layout.NewSpacer()),
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
func (k *Kiosk) followUpAside() fyne.CanvasObject {
	box := container.NewVBox(beside(k.icons.get("info"), wrapped(k.tr.T("ask.followup_hint"), theme.SizeNameText)))
	box.Add(k.hoursBlock())
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
func (k *Kiosk) stopConfirmation() fyne.CanvasObject {
	title := text(k.tr.T("ask.stop_title"), theme.SizeNameHeadingText, true)
	title.Alignment = fyne.TextAlignCenter
	explain := wrapped(k.tr.T("ask.stop_explain"), theme.SizeNameSubHeadingText)
	explain.Alignment = fyne.TextAlignCenter
	choices := container.NewGridWithColumns(2,
		k.choiceTile(k.icons.get("next"), k.tr.T("ask.stop_continue"), true, k.KeepAsking),
		k.choiceTile(k.icons.get("stop"), k.tr.T("ask.stop_confirm"), false, k.Reset))
	return container.NewPadded(container.NewCenter(container.New(&fixedWidth{width: 720},
		container.NewVBox(container.NewCenter(icon(k.icons.get("question"), SizeNameClock)), title, explain, choices))))
}

// confirmation sums up the question before it is stored.
func (k *Kiosk) confirmation() fyne.CanvasObject {
	a := k.ask
	topicName := a.topic
	icon := "anders"
	for _, t := range a.topics {
		if t.Key == a.topic {
			topicName, icon = k.tr.Name("topic", t.Key, t.Names), t.Icon
		}
	}
	said := k.tr.T("ask.confirm_no_text")
	if len(a.text) > 0 {
		said = k.tr.Tf("ask.confirm_text", map[string]any{"Text": string(a.text)})
	}
	choice, choiceIcon := k.tr.T("ask.wait"), "wait"
	if a.followUp == question.ComeBack {
		choice, choiceIcon = k.tr.T("ask.later"), "later"
	}
	return container.NewVBox(
		beside(k.icons.get(icon), wrapped(k.tr.Tf("ask.confirm_topic", map[string]any{"Topic": topicName}), theme.SizeNameText)),
		beside(k.icons.get("question"), wrapped(said, theme.SizeNameText)),
		beside(k.icons.get(choiceIcon), wrapped(choice, theme.SizeNameText)),
	)
}

// codeScreen shows the code large after the slip printed, or, when it did
// not, the code and its QR code for a volunteer to scan from the screen.
func (k *Kiosk) codeScreen(fallback bool) fyne.CanvasObject {
	a := k.ask
	code := text(question.FormatCode(a.asked.Code), SizeNameClock, true)
	code.Alignment = fyne.TextAlignCenter
	code.TextStyle.Monospace = true
	var lines []fyne.CanvasObject
	if fallback {
		lines = append(lines, wrapped(k.tr.T("ask.failed_title"), theme.SizeNameSubHeadingText),
			wrapped(k.tr.T("ask.failed_safe"), theme.SizeNameText))
	} else {
		title := text(k.tr.T("ask.done_title"), theme.SizeNameHeadingText, true)
		title.Alignment = fyne.TextAlignCenter
		lines = append(lines, title)
	}
	label := text(k.tr.T("ask.code_label"), theme.SizeNameSubHeadingText, false)
	label.Alignment = fyne.TextAlignCenter
	lines = append(lines, label, code)
	if fallback {
		// Without a slip the visitor carries the code themselves.
		lines = append(lines, wrapped(k.tr.T("ask.failed_show"), theme.SizeNameSubHeadingText),
			wrapped(k.tr.T("ask.failed_write"), theme.SizeNameText))
	} else {
		lines = append(lines, wrapped(k.doneWords(a.asked.FollowUp), theme.SizeNameSubHeadingText))
	}
	for _, l := range lines {
		if lb, ok := l.(*widget.Label); ok {
			lb.Alignment = fyne.TextAlignCenter
		}
	}
	if !fallback {
		lines = append(lines, k.choiceTile(k.icons.get("check"), k.tr.T("action.done"), true, k.Reset))
		k.list = NewDragScroll(container.NewVBox(lines...))
		k.list.OnScrolled = k.scrolled
		return k.list
	}
	// The words with "Ik heb de code" always in view under them; the QR
	// code, big enough to scan from the screen, beside them with what
	// the slip would have said about the hours.
	side := container.NewVBox()
	if qr := k.qrImage(k.desk.SlipURL(a.asked)); qr != nil {
		side.Add(container.NewCenter(qr))
	}
	if nobody, ok := k.nobodyIn(k.now()); ok {
		side.Add(wrapped(nobody, theme.SizeNameText))
	}
	side.Add(k.hoursBlock())
	done := k.choiceTile(k.icons.get("check"), k.tr.T("ask.have_code"), true, k.Reset)
	if !k.landscape() {
		// One column that scrolls, "Ik heb de code" always in view.
		k.list = NewDragScroll(container.NewVBox(append(lines, side)...))
		k.list.OnScrolled = k.scrolled
		return container.NewBorder(nil, done, nil, nil, k.list)
	}
	k.list = NewDragScroll(container.NewVBox(lines...))
	k.list.OnScrolled = k.scrolled
	return container.NewGridWithColumns(2, container.NewBorder(nil, done, nil, nil, k.list), side)
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
