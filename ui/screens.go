package ui

import (
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"buurtbalie/internal/programme"
)

// header is the bar on top of every screen: a way back (or the house's
// name on the welcome screen), a title, and the language choice.
func (k *Kiosk) header(back bool, title string) fyne.CanvasObject {
	var left fyne.CanvasObject
	if back {
		left = k.newTile(labelled(k.icons.get("back"), k.tr.T("action.back")), theme.Color(ColorNameCard), k.goBack)
	} else {
		left = newHouseName(k) // held for 3 s: the staff mode
	}
	bar := border(nil, nil, left, k.visitorTools())
	if title == "" {
		return bar
	}
	// The title gets a line of its own, so it can wrap on a narrow
	// portrait screen instead of being cut off.
	titleText := boldWrapped(title, theme.SizeNameSubHeadingText)
	return container.NewVBox(bar, titleText)
}

// goBack goes one step back: from details to the list, from the list to
// the welcome screen.
func (k *Kiosk) goBack() {
	if k.screen == detailScreen && k.detailFrom == todayScreen {
		// Back to the list where the visitor left it.
		k.touched()
		k.screen, k.scrollY = todayScreen, k.listY
		k.redraw()
		return
	}
	k.show(welcomeScreen)
}

// choiceTile is a chip: an optional pictogram and a word, filled with the
// accent colour when chosen.
func (k *Kiosk) choiceTile(pic fyne.Resource, word string, chosen bool, onTap func()) *tile {
	bg, fg := theme.Color(ColorNameCard), theme.Color(theme.ColorNameForeground)
	if chosen {
		bg, fg = theme.Color(theme.ColorNamePrimary), theme.Color(theme.ColorNameForegroundOnPrimary)
	}
	label := text(word, theme.SizeNameText, true)
	label.Color = fg
	var content fyne.CanvasObject = container.NewCenter(label)
	if pic != nil {
		if chosen {
			pic = theme.NewColoredResource(pic, theme.ColorNameForegroundOnPrimary)
		}
		content = hbox(container.NewCenter(icon(pic, theme.SizeNameInlineIcon)), container.NewCenter(label))
		if word == "" {
			content = container.NewCenter(icon(pic, theme.SizeNameInlineIcon))
		}
	}
	return k.newTile(content, bg, onTap)
}

// welcomeScreen greets the visitor with the date, a big clock, what is on
// now and next, and the main actions.
func (k *Kiosk) welcomeScreen() fyne.CanvasObject {
	now := k.now()
	clock := text(k.tr.Clock(now), SizeNameClock, true)
	clock.Alignment = fyne.TextAlignCenter
	date := text(k.dateText(k.day), theme.SizeNameSubHeadingText, false)
	date.Alignment = fyne.TextAlignCenter
	left := container.NewVBox(layout.NewSpacer(), clock, date, layout.NewSpacer())

	// Side by side on either screen: with their big pictograms, one
	// above the other would leave a portrait screen no room for what is
	// on now.
	action := bigLabelled
	if k.landscape() {
		action = bigBeside
	}
	actions := gridColumns(3,
		k.newTile(action(k.icons.get("today"), k.tr.T("welcome.today")), theme.Color(ColorNameCard), k.ShowToday),
		k.newTile(action(k.icons.get("question"), k.tr.T("welcome.ask")), theme.Color(ColorNameCard), k.StartQuestion),
		k.newTile(action(k.icons.get("slip"), k.tr.T("welcome.myslip")), theme.Color(ColorNameCard), k.StartMySlip))

	// Now and next may hold more than fits: what fits whole shows, so it
	// never pushes the header off a small screen nor ends in half a
	// card. The whole day is one tap away.
	body := startEnd(&adaptiveLayout{}, left, k.nowAndNext())
	return container.NewPadded(border(k.header(false, ""), actions, nil, nil, container.NewPadded(body)))
}

// nowAndNext lists what is on now and what starts next.
func (k *Kiosk) nowAndNext() fyne.CanvasObject {
	if k.loadErr != nil {
		return wrapped(k.tr.T("programme.unavailable"), theme.SizeNameText)
	}
	now, next := programme.NowAndNext(k.occs, k.now())
	rows := &wholeRows{headings: map[fyne.CanvasObject]bool{}}
	box := container.New(rows)
	heading := func(s string) {
		h := text(s, theme.SizeNameSubHeadingText, true)
		rows.headings[h] = true
		box.Add(h)
	}
	heading(k.tr.T("welcome.now"))
	if len(now) == 0 {
		box.Add(wrapped(k.tr.T("welcome.nothing_now"), theme.SizeNameText))
	}
	for _, o := range now {
		box.Add(k.row(o))
	}
	heading(k.tr.T("welcome.next"))
	for _, o := range next {
		box.Add(k.row(o))
	}
	if len(next) == 0 {
		msg := k.tr.T("welcome.nothing_later")
		if len(k.nextOccs) > 0 {
			msg = k.tr.Tf("welcome.next_day", map[string]any{"Day": k.dayName(k.nextDay)})
		}
		box.Add(wrapped(msg, theme.SizeNameText))
		// A taste of the next day with activities, so an empty day still
		// gives a reason to come back.
		shown := 0
		for _, o := range k.nextOccs {
			if !o.Cancelled && shown < 2 {
				box.Add(k.row(o))
				shown++
			}
		}
	}
	more := text("", theme.SizeNameText, false)
	rows.more = more
	rows.moreText = func(n int) string { return k.tr.Tn("welcome.more", n, nil) }
	box.Add(more)
	return box
}

// todayScreen lists today's programme with category chips and paging.
func (k *Kiosk) todayScreen() fyne.CanvasObject {
	title := k.tr.T("today.title") + " · " + k.dateText(k.day)
	var rows []fyne.CanvasObject
	var chips fyne.CanvasObject = layout.NewSpacer()
	switch {
	case k.loadErr != nil:
		rows = append(rows, wrapped(k.tr.T("programme.unavailable"), theme.SizeNameText))
	case !hasActive(k.occs):
		rows = append(rows, wrapped(k.tr.T("today.empty"), theme.SizeNameSubHeadingText))
		if len(k.nextOccs) > 0 {
			rows = append(rows, wrapped(k.tr.Tf("today.next_day", map[string]any{"Day": k.dayName(k.nextDay)}), theme.SizeNameText))
			for _, o := range k.nextOccs {
				rows = append(rows, k.row(o))
			}
		}
		// Cancelled items today still show, so nobody waits for them.
		for _, o := range k.occs {
			rows = append(rows, k.row(o))
		}
	default:
		chips = k.categoryChips()
		now := k.now()
		for _, o := range k.filtered(k.occs) {
			row := k.row(o)
			if s := o.Status(now); k.nowRow == nil && (s == programme.Now || s == programme.Upcoming) {
				k.nowRow = row
			}
			rows = append(rows, row)
		}
		rows = append(rows, k.elsewhereSection()...)
	}
	k.list = NewDragScroll(container.NewVBox(rows...))
	k.list.OnScrolled = func(y float32) {
		k.scrolled(y)
		k.updatePagers()
	}
	k.pagers = [2]*pager{k.newPager("up", -1), k.newPager("down", 1)}
	paging := container.NewVBox(k.pagers[0].tile, layout.NewSpacer(), k.pagers[1].tile)
	return container.NewPadded(border(container.NewVBox(k.header(true, title), chips), nil, nil, paging,
		container.NewPadded(k.list)))
}

// pager is the list's up or down button. At the end of the list it
// steps back (no card, a faded arrow) and does nothing, so nobody keeps
// tapping a button that cannot move.
type pager struct {
	tile  *tile
	arrow *canvas.Image
	dir   int
	pic   fyne.Resource
}

func (k *Kiosk) newPager(pic string, dir int) *pager {
	p := &pager{dir: dir, pic: k.icons.get(pic)}
	p.arrow = icon(p.pic, SizeNamePictogram).(*canvas.Image)
	p.tile = k.newTile(container.NewCenter(p.arrow), theme.Color(ColorNameCard), func() { k.list.Page(dir) })
	return p
}

// updatePagers shows which way the list can still move.
func (k *Kiosk) updatePagers() {
	if k.list == nil || k.pagers[0] == nil {
		return
	}
	for _, p := range k.pagers {
		can := k.list.CanPage(p.dir)
		p.tile.onTap = nil
		p.arrow.Resource = theme.NewDisabledResource(p.pic)
		p.tile.bg.FillColor = theme.Color(theme.ColorNameBackground)
		if can {
			dir := p.dir
			p.tile.onTap = func() { k.list.Page(dir) }
			p.arrow.Resource = p.pic
			p.tile.bg.FillColor = theme.Color(ColorNameCard)
		}
		p.arrow.Refresh()
		p.tile.bg.Refresh()
	}
}

// categoryChips offers a chip for every category that has activities
// today, and one for all.
func (k *Kiosk) categoryChips() fyne.CanvasObject {
	present := map[string]bool{}
	for _, o := range k.occs {
		present[o.Activity.Category] = true
	}
	k.chips = map[string]*tile{"": k.choiceTile(nil, k.tr.T("today.all"), k.filter == "", func() { k.SetFilter("") })}
	chips := []fyne.CanvasObject{k.chips[""]}
	for _, c := range k.cats {
		if !present[c.Key] {
			continue
		}
		key := c.Key
		k.chips[key] = k.choiceTile(k.icons.get(c.Icon), k.categoryName(c), k.filter == key, func() { k.SetFilter(key) })
		chips = append(chips, k.chips[key])
	}
	return startEnd(&flowLayout{}, chips...)
}

// row shows one occurrence in a list: pictogram and category word, times,
// title, room and host, and its state now. Tapping it opens the details.
func (k *Kiosk) row(o programme.Occurrence) fyne.CanvasObject {
	status := o.Status(k.now())
	c := k.category(o.Activity.Category)
	words := categoryLines(k.categoryName(c), theme.SizeNameCaptionText)
	pic := container.NewVBox(container.NewCenter(icon(k.icons.get(c.Icon), SizeNamePictogram)))
	for _, w := range words {
		pic.Add(container.NewCenter(w))
	}

	times := text(k.tr.Clock(o.Start)+" – "+k.tr.Clock(o.End), theme.SizeNameSubHeadingText, true)
	title := text(o.Activity.TitleIn(k.tr.Lang()), theme.SizeNameSubHeadingText, true)
	var titleObj fyne.CanvasObject = title
	if o.Cancelled {
		titleObj = newStruck(title)
	}
	where := o.Room
	if o.Activity.Host != "" {
		where += " · " + o.Activity.Host
	}
	whereText := text(where, theme.SizeNameText, false)
	info := container.NewVBox(startEnd(&flowLayout{}, times, k.badge(o, status)), ellipsised(title, titleObj), ellipsised(whereText, whereText))
	if note := k.changeNote(o); note != "" {
		info.Add(wrapped(note, theme.SizeNameText))
	}
	bg := theme.Color(ColorNameCard)
	switch status {
	case programme.Now:
		bg = theme.Color(ColorNameNowBackground)
	case programme.Finished, programme.Cancelled:
		// What is over steps back: no card, quieter (still 7:1) text.
		bg = theme.Color(theme.ColorNameBackground)
		for _, t := range append(words, times, title, whereText) {
			t.Color = theme.Color(ColorNameDimmed)
		}
	}
	content := border(nil, nil, container.New(&fixedWidth{width: 150}, pic), nil, info)
	return k.newTile(content, bg, func() { k.ShowDetail(o) })
}

// badge says "Nu bezig", "Afgelopen" or "Vervalt vandaag" in words, so the
// state does not hang on colour alone.
func (k *Kiosk) badge(o programme.Occurrence, s programme.Status) fyne.CanvasObject {
	var id string
	switch s {
	case programme.Now:
		id = "status.now"
	case programme.Finished:
		id = "status.finished"
	case programme.Cancelled:
		id = "status.cancelled"
	default:
		return layout.NewSpacer()
	}
	if o.Date != k.day && s == programme.Cancelled {
		id = "status.cancelled_day"
	}
	label := text(k.tr.T(id), theme.SizeNameText, true)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	label.Color = theme.Color(theme.ColorNameForegroundOnPrimary)
	switch s {
	case programme.Cancelled:
		bg.FillColor = theme.Color(theme.ColorNameError)
	case programme.Finished:
		// Over is not news: a quiet outline of a badge.
		bg.FillColor = theme.Color(ColorNameCard)
		label.Color = theme.Color(ColorNameDimmed)
	}
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(bg, container.NewPadded(label))
}

// changeNote tells what is different on this date: another room, other
// times, a note from staff.
func (k *Kiosk) changeNote(o programme.Occurrence) string {
	return k.changeNoteIn(o, func(_ map[string]string, s string) string { return s })
}

// changeNoteIn is changeNote with the parts staff wrote passed through
// own (which marks them for the voice that reads them).
func (k *Kiosk) changeNoteIn(o programme.Occurrence, own func(translations map[string]string, s string) string) string {
	var parts []string
	if o.Moved && !o.Cancelled {
		parts = append(parts, k.tr.Tf("change.room", map[string]any{"Room": own(nil, o.Room)}))
	}
	if o.Retimed && !o.Cancelled {
		parts = append(parts, k.tr.T("change.time"))
	}
	if note := o.NoteIn(k.tr.Lang()); note != "" {
		parts = append(parts, own(o.Notes, note))
	}
	return strings.Join(parts, " · ")
}

// detailScreen shows everything about one occurrence.
func (k *Kiosk) detailScreen(o programme.Occurrence) fyne.CanvasObject {
	a := o.Activity
	c := k.category(a.Category)
	status := o.Status(k.now())

	title := boldWrapped(a.TitleIn(k.tr.Lang()), theme.SizeNameHeadingText)
	times := text(capitalise(k.dayName(o.Date))+"  "+k.tr.Clock(o.Start)+" – "+k.tr.Clock(o.End), theme.SizeNameSubHeadingText, true)

	info := container.NewVBox(
		hbox(container.NewCenter(icon(k.icons.get(c.Icon), SizeNamePictogram)),
			container.NewCenter(text(k.categoryName(c), theme.SizeNameText, true)), k.badge(o, status)),
		title,
		beside(k.icons.get("clock"), times),
	)
	if note := k.changeNote(o); note != "" {
		info.Add(beside(k.icons.get("info"), wrapped(note, theme.SizeNameText)))
	}
	// What a visitor needs to decide comes first: where, whether to
	// sign up, what it costs, whether a wheelchair gets in; who runs it
	// and the longer story after.
	if o.Room != "" {
		info.Add(beside(k.icons.get("room"), wrapped(k.tr.Tf("detail.room", map[string]any{"Room": o.Room}), theme.SizeNameText)))
	}
	signUp := "detail.walk_in"
	if a.SignUp {
		signUp = "detail.sign_up"
	}
	info.Add(beside(k.icons.get("signup"), wrapped(k.tr.T(signUp), theme.SizeNameText)))
	info.Add(beside(k.icons.get("cost"), wrapped(k.tr.Cost(a.CostCents), theme.SizeNameText)))
	access := "detail.not_wheelchair"
	if a.Wheelchair {
		access = "detail.wheelchair"
	}
	info.Add(beside(k.icons.get("wheelchair"), wrapped(k.tr.T(access), theme.SizeNameText)))
	if a.Host != "" {
		info.Add(beside(k.icons.get("host"), wrapped(k.tr.Tf("detail.host", map[string]any{"Host": a.Host}), theme.SizeNameText)))
	}
	if d := a.DescriptionIn(k.tr.Lang()); d != "" {
		info.Add(widget.NewSeparator())
		info.Add(wrapped(d, theme.SizeNameText))
	}
	k.list = NewDragScroll(info)
	k.list.OnScrolled = k.scrolled
	body := container.NewPadded(k.list)
	// A reminder slip only for what is still to come or going on: not
	// for what is over or does not take place.
	var printRow fyne.CanvasObject
	switch {
	case k.printed == "ok":
		printRow = wrapped(k.tr.T("detail.printed"), theme.SizeNameText)
	case k.printed == "failed":
		printRow = wrapped(k.tr.T("detail.print_failed"), theme.SizeNameText)
	case status == programme.Now || status == programme.Upcoming:
		printRow = k.newTile(labelled(k.icons.get("print"), k.tr.T("detail.print")), theme.Color(ColorNameCard), k.PrintActivity)
	}
	if printRow != nil {
		// Beside the details on a landscape screen, so it hides none of
		// them; below them on a portrait one.
		body = startEnd(&besideOrBelow{side: 300}, body, container.NewVBox(printRow))
	}
	return container.NewPadded(border(k.header(true, ""), nil, nil, nil, body))
}

// view shows the question over the current screen; a tap anywhere
// answers it.
func (st *stillThere) view(k *Kiosk) fyne.CanvasObject {
	question := text(k.tr.T("idle.question"), theme.SizeNameHeadingText, true)
	question.Alignment = fyne.TextAlignCenter
	count := text(strconv.Itoa(st.left), SizeNameClock, true)
	count.Alignment = fyne.TextAlignCenter
	explain := centred(wrapped(k.tr.T("idle.explain"), theme.SizeNameText))
	card := container.NewVBox(
		container.NewCenter(icon(k.icons.get("hand"), SizeNameClock)),
		question,
		explain,
		count,
		k.choiceTile(k.icons.get("check"), k.tr.T("idle.yes"), true, k.StillHere),
	)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	panel := container.NewStack(bg, container.NewPadded(container.NewPadded(card)))
	shade := newTile(layout.NewSpacer(), color.NRGBA{0x1e, 0x1b, 0x18, 0xb0}, k.StillHere)
	shade.bg.CornerRadius = 0 // edge to edge, corners too
	return container.NewStack(shade, container.NewCenter(container.New(&fixedWidth{width: 640}, panel)))
}

// capitalise starts s with a capital, for a day name at the start of a
// line ("vandaag" becomes "Vandaag").
func capitalise(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
