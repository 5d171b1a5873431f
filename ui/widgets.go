package ui

import (
	"image/color"
	"io/fs"
	"path"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"buurtbalie/internal/catalogue"
)

// pictograms holds the built-in pictograms by name, recoloured by the
// theme.
type pictograms map[string]fyne.Resource

// loadPictograms reads every icons/NAME.svg in fsys.
func loadPictograms(fsys fs.FS) (pictograms, error) {
	files, err := fs.Glob(fsys, "icons/*.svg")
	if err != nil {
		return nil, err
	}
	p := pictograms{}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(path.Base(f), ".svg")
		p[name] = fyne.NewStaticResource(path.Base(f), b)
		if pointing[name] {
			p[name+rtlSuffix] = fyne.NewStaticResource(name+rtlSuffix+".svg", mirrorSVG(b))
		}
	}
	return p, nil
}

// pointing are the pictograms that point along the line: on an Arabic
// screen "back" points right and "next" left.
var pointing = map[string]bool{"back": true, "next": true, "skip": true, "later": true}

const rtlSuffix = "@rtl"

// mirrorSVG flips a 24×24 pictogram left to right.
func mirrorSVG(b []byte) []byte {
	s := string(b)
	open := strings.Index(s, ">") + 1
	end := strings.LastIndex(s, "</svg>")
	if open <= 0 || end < open {
		return b
	}
	return []byte(s[:open] + `<g transform="matrix(-1 0 0 1 24 0)">` + s[open:end] + "</g>" + s[end:])
}

// get returns the pictogram called name in the theme's ink, or a neutral
// one when there is none (a category staff made with an unknown icon).
func (p pictograms) get(name string) fyne.Resource {
	if rightToLeft && pointing[name] {
		name += rtlSuffix
	}
	r, ok := p[name]
	if !ok {
		if r, ok = p["anders"]; !ok {
			return theme.InfoIcon()
		}
	}
	return theme.NewThemedResource(r)
}

// tile is a big tappable area: a card with any content, at least one
// finger wide and high. Every button on the kiosk is one, so touches can be
// counted for the idle timer in one place.
type tile struct {
	widget.BaseWidget
	content fyne.CanvasObject
	bg      *canvas.Rectangle
	onTap   func()
	side    fyne.ThemeSizeName // the smallest width and height
	settle  *settle            // nil: every tap counts
}

func newTile(content fyne.CanvasObject, bg color.Color, onTap func()) *tile {
	r := canvas.NewRectangle(bg)
	r.CornerRadius = theme.InputRadiusSize()
	t := &tile{content: content, bg: r, onTap: onTap, side: SizeNameTouch}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tile) CreateRenderer() fyne.WidgetRenderer {
	pad := theme.Padding()
	side := pad * 2
	if t.side == SizeNameKey {
		side = pad // keys are many in a row: less air, same size of letter
	}
	return widget.NewSimpleRenderer(container.NewStack(t.bg,
		container.New(layout.NewCustomPaddedLayout(pad, pad, side, side), t.content)))
}

// MinSize keeps a tile at least a fingertip in each direction.
func (t *tile) MinSize() fyne.Size {
	side := theme.Size(t.side)
	return t.BaseWidget.MinSize().Max(fyne.NewSize(side, side))
}

// Tapped runs the tile's action, unless the screen changed a moment ago.
func (t *tile) Tapped(*fyne.PointEvent) {
	if t.onTap != nil && t.settle.ready() {
		t.onTap()
	}
}

// DefaultSettle is how long after a screen change the kiosk ignores taps
// on it. Two taps 120 ms apart are one double tap, not two choices: the
// second must not pick whatever sits under the finger on a screen the
// visitor has not yet seen. People need a good 300 ms to see a new screen
// and move; 350 ms stays well under that of a deliberate next tap.
const DefaultSettle = 350 * time.Millisecond

// settle ignores taps that come too soon after the screen changed.
type settle struct {
	now     func() time.Time
	after   time.Duration
	changed time.Time
}

// ready reports whether a tap now may act on the screen shown.
func (s *settle) ready() bool {
	return s == nil || s.after <= 0 || !s.now().Before(s.changed.Add(s.after))
}

// newTile is a tile whose taps wait for the screen to settle: every tile
// on a visitor's screen but the still-there shade.
func (k *Kiosk) newTile(content fyne.CanvasObject, bg color.Color, onTap func()) *tile {
	t := newTile(content, bg, onTap)
	t.settle = &k.settle
	return t
}

// text returns a single line of text in the theme's ink at size, from
// the start of the line: on an Arabic screen it stands right, in visual
// order.
func text(s string, size fyne.ThemeSizeName, bold bool) *canvas.Text {
	c := canvas.NewText(visual(s), theme.Color(theme.ColorNameForeground))
	c.TextSize = theme.Size(size)
	c.TextStyle.Bold = bold
	if rightToLeft {
		c.Alignment = fyne.TextAlignTrailing
	}
	return c
}

// lines splits a short name over two lines at " & " ("Ontmoeten &" /
// "praten"), so a word fits under its pictogram.
func lines(s string, size fyne.ThemeSizeName) []*canvas.Text {
	if a, b, ok := strings.Cut(s, " & "); ok {
		return []*canvas.Text{text(a+" &", size, false), text(b, size, false)}
	}
	return []*canvas.Text{text(s, size, false)}
}

// categoryLines splits a category's name for the narrow column under its
// pictogram in a list: at " & ", or, in languages that join with a word
// ("Pomoc i porady", "Допомога й поради"), at the space nearest the
// middle of a long name.
func categoryLines(s string, size fyne.ThemeSizeName) []*canvas.Text {
	if strings.Contains(s, " & ") {
		return lines(s, size)
	}
	if r := []rune(s); len(r) > 12 {
		best := -1
		for i, c := range r {
			if c == ' ' && (best < 0 || abs(i-len(r)/2) < abs(best-len(r)/2)) {
				best = i
			}
		}
		if best > 0 {
			return []*canvas.Text{text(string(r[:best]), size, false), text(string(r[best+1:]), size, false)}
		}
	}
	return []*canvas.Text{text(s, size, false)}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// wrapped returns a paragraph that wraps at word boundaries, from the
// start of the line. On an Arabic screen that is a paragraph, which wraps
// first and then puts each line in visual order: a label would wrap the
// reordered text from the wrong end.
func wrapped(s string, size fyne.ThemeSizeName) fyne.CanvasObject {
	if rightToLeft {
		return newParagraph(s, size)
	}
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = size
	return l
}

// boldWrapped is a wrapped paragraph in bold.
func boldWrapped(s string, size fyne.ThemeSizeName) fyne.CanvasObject {
	switch o := wrapped(s, size).(type) {
	case *widget.Label:
		o.TextStyle.Bold = true
		return o
	case *paragraph:
		o.style.Bold = true
		return o
	default:
		return o
	}
}

// centred centres a wrapped paragraph's lines; other objects pass as
// they are.
func centred(obj fyne.CanvasObject) fyne.CanvasObject {
	switch o := obj.(type) {
	case *widget.Label:
		o.Alignment = fyne.TextAlignCenter
	case *paragraph:
		o.align = fyne.TextAlignCenter
	}
	return obj
}

// setText changes a wrapped paragraph's text.
func setText(obj fyne.CanvasObject, s string) {
	switch o := obj.(type) {
	case *widget.Label:
		o.SetText(s)
	case *paragraph:
		o.text = s
		o.wrap(o.width)
		o.Refresh()
	}
}

// icon returns a pictogram at the pictogram size.
func icon(r fyne.Resource, size fyne.ThemeSizeName) fyne.CanvasObject {
	i := canvas.NewImageFromResource(r)
	i.FillMode = canvas.ImageFillContain
	s := theme.Size(size)
	i.SetMinSize(fyne.NewSize(s, s))
	return i
}

// labelled puts one clear word under a pictogram; a longer name goes over
// two lines at " & ".
func labelled(r fyne.Resource, word string) fyne.CanvasObject {
	box := container.NewVBox(container.NewCenter(icon(r, SizeNamePictogram)))
	for _, l := range lines(word, theme.SizeNameText) {
		l.TextStyle.Bold = true
		box.Add(container.NewCenter(l))
	}
	return box
}

// bigLabelled is a pictogram that carries the choice on its own, with its
// words below (SizeNameBigPictogram), wrapped to the tile: three such
// tiles share a portrait screen's width.
func bigLabelled(r fyne.Resource, word string) fyne.CanvasObject {
	return container.NewVBox(container.NewCenter(icon(r, SizeNameBigPictogram)), centred(boldWrapped(word, theme.SizeNameText)))
}

// bigBeside is bigLabelled with the words beside the pictogram: on a
// landscape screen the main actions then leave the height to what is on
// now and next.
func bigBeside(r fyne.Resource, word string) fyne.CanvasObject {
	words := container.NewVBox(layout.NewSpacer(), centred(boldWrapped(word, theme.SizeNameText)), layout.NewSpacer())
	return border(nil, nil, icon(r, SizeNameBigPictogram), nil, words)
}

// beside puts a pictogram left of a line of text, for detail lines.
func beside(r fyne.Resource, obj fyne.CanvasObject) fyne.CanvasObject {
	return border(nil, nil, container.NewCenter(icon(r, theme.SizeNameInlineIcon)), nil, obj)
}

// struck is a line of text with a line through it, for a cancelled
// activity: Fyne's text has no strike-through style.
type struck struct {
	widget.BaseWidget
	text *canvas.Text
	line *canvas.Line
}

func newStruck(t *canvas.Text) *struck {
	s := &struck{text: t, line: canvas.NewLine(t.Color)}
	s.line.StrokeWidth = 3
	s.ExtendBaseWidget(s)
	return s
}

func (s *struck) CreateRenderer() fyne.WidgetRenderer {
	return &struckRenderer{s: s}
}

type struckRenderer struct{ s *struck }

func (r *struckRenderer) Layout(size fyne.Size) {
	r.s.text.Resize(size)
	w := fyne.Min(r.s.text.MinSize().Width, size.Width)
	y := size.Height / 2
	r.s.line.Position1 = fyne.NewPos(0, y)
	r.s.line.Position2 = fyne.NewPos(w, y)
}
func (r *struckRenderer) MinSize() fyne.Size { return r.s.text.MinSize() }
func (r *struckRenderer) Refresh()           { canvas.Refresh(r.s) }
func (r *struckRenderer) Destroy()           {}
func (r *struckRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.s.text, r.s.line}
}

// landscape reports whether the screen is wider than high.
func (k *Kiosk) landscape() bool {
	size := k.win.Canvas().Size()
	return size.Width >= size.Height
}

// besideOnLandscape puts objs side by side, in equal columns, on a
// landscape screen and one above the other on a portrait one. (Fyne's
// adaptive grid asks the device, and a desktop always says portrait.)
func (k *Kiosk) besideOnLandscape(objs ...fyne.CanvasObject) *fyne.Container {
	if k.landscape() {
		return gridColumns(len(objs), objs...)
	}
	return container.NewGridWithRows(len(objs), objs...)
}

// ellipsised keeps a line of text from pushing its container wider than
// the screen: a long title or room is cut with "…" at the edge, so it
// shows that something was cut ("Gastvrouwen en gasth…"). obj draws t
// (t itself, or a struck-through t).
func ellipsised(t *canvas.Text, obj fyne.CanvasObject) fyne.CanvasObject {
	return container.New(&ellipsis{text: t, full: t.Text}, obj)
}

// ellipsis lays out one line of text at any width, shortening it to fit.
type ellipsis struct {
	text *canvas.Text
	full string
}

func (l *ellipsis) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if fitted := fitLine(l.full, size.Width, l.text.TextSize, l.text.TextStyle); fitted != l.text.Text {
		l.text.Text = fitted
		objs[0].Refresh()
	}
	objs[0].Resize(size)
}

func (l *ellipsis) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(0, objs[0].MinSize().Height)
}

// fitLine returns s, or its longest beginning with "…" that is at most
// width wide.
func fitLine(s string, width, size float32, style fyne.TextStyle) string {
	fits := func(t string) bool { return fyne.MeasureText(t, size, style).Width <= width }
	if fits(s) {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r) // r[:lo]+"…" fits; r[:hi]+"…" does not, or hi is all
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fits(strings.TrimRight(string(r[:mid]), " ") + "…") {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(string(r[:lo]), " ") + "…"
}

// ClockWarning is what the kiosk shows while the computer's clock is
// implausible (a PC without network time may think it is 1970): what is
// wrong, for staff, until the clock is set and the kiosk starts.
func ClockWarning(tr *catalogue.Translator, now time.Time) fyne.CanvasObject {
	msg := centred(wrapped(tr.Tf("clock.wrong", map[string]any{"Date": tr.Date(now.Year(), now.Month(), now.Day()), "Year": now.Year()}), theme.SizeNameSubHeadingText))
	return container.NewPadded(container.NewCenter(container.New(&fixedWidth{width: 720}, msg)))
}
