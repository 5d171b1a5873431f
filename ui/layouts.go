package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
)

// adaptiveLayout puts its two objects side by side on a landscape screen
// and one above the other on a portrait one, so the welcome screen works
// on any of the cheap touchscreens (1366x768 to 1920x1080, either way up).
type adaptiveLayout struct{}

func (*adaptiveLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding() * 4
	// Side by side only where there is clearly more width than height:
	// on a portrait screen the part under the header is about square,
	// and two halves of it would cut every title.
	if size.Width >= size.Height*1.2 {
		w := (size.Width - pad) / 2
		objs[0].Move(fyne.NewPos(0, 0))
		objs[0].Resize(fyne.NewSize(w, size.Height))
		objs[1].Move(fyne.NewPos(w+pad, 0))
		objs[1].Resize(fyne.NewSize(w, size.Height))
		return
	}
	h := objs[0].MinSize().Height
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, h))
	objs[1].Move(fyne.NewPos(0, h+pad))
	objs[1].Resize(fyne.NewSize(size.Width, size.Height-h-pad))
}

func (*adaptiveLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(fyne.Max(a.Width, b.Width), fyne.Max(a.Height, b.Height))
}

// flowLayout places objects left to right at their own width and wraps
// to a new line when the next would not fit, like words in a paragraph:
// category chips of any length on any screen width.
type flowLayout struct {
	width  float32
	centre bool // each row in the middle instead of on the left
}

func (l *flowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	l.place(objs, size.Width, true)
}

// MinSize is as wide as the widest object (the rest can wrap) and as
// high as the rows take at the width last laid out.
func (l *flowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var widest float32
	for _, o := range objs {
		widest = fyne.Max(widest, o.MinSize().Width)
	}
	width := l.width
	if width < widest {
		// Not laid out yet: assume one row; Layout reflows.
		width = 1 << 20
	}
	return fyne.NewSize(widest, l.place(objs, width, false).Height)
}

// place positions objs (when move) and returns the size they take.
func (l *flowLayout) place(objs []fyne.CanvasObject, width float32, move bool) fyne.Size {
	gap := theme.Padding() * 2
	var x, y, rowH, maxW float32
	var row []fyne.CanvasObject // the objects on the current line
	endRow := func() {
		if move && l.centre && len(row) > 0 {
			shift := (width - (x - gap)) / 2
			for _, o := range row {
				o.Move(o.Position().AddXY(shift, 0))
			}
		}
		row = row[:0]
	}
	for _, o := range objs {
		s := o.MinSize()
		if x > 0 && x+s.Width > width {
			endRow()
			x, y, rowH = 0, y+rowH+gap, 0
		}
		if move {
			o.Move(fyne.NewPos(x, y))
			o.Resize(s)
		}
		row = append(row, o)
		x += s.Width + gap
		rowH = fyne.Max(rowH, s.Height)
		maxW = fyne.Max(maxW, x-gap)
	}
	endRow()
	return fyne.NewSize(fyne.Min(maxW, width), y+rowH)
}

// fixedWidth gives its content a fixed width and its own height, so the
// pictograms of every row line up.
type fixedWidth struct{ width float32 }

func (l *fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, (size.Height-h)/2))
		o.Resize(fyne.NewSize(l.width, h))
	}
}

func (l *fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = fyne.Max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

// besideOrBelow puts its second object in a column of side width beside
// the first on a landscape screen, and in a row below it on a portrait
// one: the keyboard's actions, without taking the keyboard's height.
type besideOrBelow struct {
	side float32
	// topHalf keeps the first object in the upper half of a portrait
	// screen, where the keyboard was: its buttons then never lie where
	// the keyboard step's actions were, at the bottom.
	topHalf bool
}

func (l *besideOrBelow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding() * 2
	if size.Width >= size.Height {
		objs[0].Move(fyne.NewPos(0, 0))
		objs[0].Resize(fyne.NewSize(size.Width-l.side-pad, size.Height))
		objs[1].Move(fyne.NewPos(size.Width-l.side, 0))
		objs[1].Resize(fyne.NewSize(l.side, fyne.Min(size.Height, objs[1].MinSize().Height*1.5)))
		return
	}
	h := objs[1].MinSize().Height
	if l.topHalf {
		mainH := fyne.Max(size.Height/2, objs[0].MinSize().Height)
		objs[0].Move(fyne.NewPos(0, 0))
		objs[0].Resize(fyne.NewSize(size.Width, mainH))
		objs[1].Move(fyne.NewPos(0, mainH+pad))
		objs[1].Resize(fyne.NewSize(size.Width, h))
		return
	}
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, size.Height-h-pad))
	objs[1].Move(fyne.NewPos(0, size.Height-h))
	objs[1].Resize(fyne.NewSize(size.Width, h))
}

// MinSize allows for either arrangement: as wide as the first object, and
// as high as both stacked would be at their smallest width.
func (l *besideOrBelow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(fyne.Max(a.Width, b.Width), fyne.Max(a.Height, b.Height))
}

// titleBar lays out a bar of left and right tiles with a title between
// them when it fits on one line there, and under the bar when it does
// not (a portrait screen), so the title is never squeezed into a column.
type titleBar struct {
	oneLine float32 // the title's width on one line
	width   float32 // the width last laid out
}

// Objects: left, right, title.
func (l *titleBar) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	left, right, title := objs[0], objs[1], objs[2]
	lw, rw := left.MinSize().Width, right.MinSize().Width
	barH := fyne.Max(left.MinSize().Height, right.MinSize().Height)
	left.Move(fyne.NewPos(0, 0))
	left.Resize(fyne.NewSize(lw, barH))
	right.Move(fyne.NewPos(size.Width-rw, 0))
	right.Resize(fyne.NewSize(rw, barH))
	pad := theme.Padding()
	if l.inline(lw, rw, size.Width) {
		title.Move(fyne.NewPos(lw+pad, 0))
		title.Resize(fyne.NewSize(size.Width-lw-rw-2*pad, barH))
		return
	}
	title.Resize(fyne.NewSize(size.Width, title.MinSize().Height))
	title.Move(fyne.NewPos(0, barH+pad))
	title.Resize(fyne.NewSize(size.Width, title.MinSize().Height))
}

func (l *titleBar) inline(lw, rw, width float32) bool {
	return width-lw-rw-2*theme.Padding() >= l.oneLine
}

func (l *titleBar) MinSize(objs []fyne.CanvasObject) fyne.Size {
	left, right, title := objs[0].MinSize(), objs[1].MinSize(), objs[2]
	barH := fyne.Max(left.Height, right.Height)
	w := left.Width + right.Width + 2*theme.Padding()
	if l.width == 0 || l.inline(left.Width, right.Width, l.width) {
		return fyne.NewSize(w, barH)
	}
	return fyne.NewSize(w, barH+theme.Padding()+title.MinSize().Height)
}

// reserveLines keeps room for a few lines of text whether or not there is
// any, so what lies below never moves when a message comes or goes.
type reserveLines struct {
	lines int
	size  fyne.ThemeSizeName
}

func (l *reserveLines) height() float32 {
	return float32(l.lines)*theme.Size(l.size)*1.4 + 2*theme.InnerPadding()
}

func (l *reserveLines) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *reserveLines) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objs {
		w = fyne.Max(w, o.MinSize().Width)
	}
	return fyne.NewSize(w, l.height())
}

// spaceRow lays out a keyboard row whose last key, the space bar, is two
// keys wide, with the keys before it on the same grid as the rows above.
type spaceRow struct{ columns int }

func (l *spaceRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	key := (size.Width - float32(l.columns-1)*pad) / float32(l.columns)
	keysW := float32(l.columns-2)*(key+pad) - pad
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(keysW, size.Height))
	objs[1].Move(fyne.NewPos(keysW+pad, 0))
	objs[1].Resize(fyne.NewSize(size.Width-keysW-pad, size.Height))
}

func (l *spaceRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	a, b := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(a.Width+b.Width+theme.Padding(), fyne.Max(a.Height, b.Height))
}

// wholeRows stacks its objects top to bottom and shows only those that
// fit whole: the welcome screen's "now" and "next" never end in half a
// card. Headings start groups; every group gets its heading and first
// row before any group gets a second, so "Straks" is not crowded out by
// a busy "Nu". A heading with nothing under it is not shown. The list
// screen shows everything, scrolling.
type wholeRows struct {
	headings map[fyne.CanvasObject]bool
	// more, the last object, says how many rows did not fit, in words
	// moreText gives; it shows only then.
	more     *canvas.Text
	moreText func(n int) string
}

func (l *wholeRows) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	if l.more != nil {
		objs = objs[:len(objs)-1]
	}
	shown := make([]bool, len(objs))
	var used, all float32
	for _, o := range objs {
		all += o.MinSize().Height + pad
	}
	if l.more != nil && all-pad > size.Height {
		used = l.more.MinSize().Height + pad // room to say what did not fit
	}
	take := func(idx ...int) bool {
		var h float32
		for _, i := range idx {
			h += objs[i].MinSize().Height + pad
		}
		if used+h-pad > size.Height {
			return false
		}
		used += h
		for _, i := range idx {
			shown[i] = true
		}
		return true
	}
	var groups [][]int // indices, a heading first where there is one
	for i, o := range objs {
		if len(groups) == 0 || l.headings[o] {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], i)
	}
	for _, g := range groups {
		take(g[:min(2, len(g))]...)
	}
	for _, g := range groups {
		if len(g) < 2 || !shown[g[1]] {
			continue
		}
		for _, i := range g[2:] {
			if !take(i) {
				break
			}
		}
	}
	var y float32
	for i, o := range objs {
		if shown[i] != o.Visible() {
			if shown[i] {
				o.Show()
			} else {
				o.Hide()
			}
		}
		if !shown[i] {
			continue
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + pad
	}
	if l.more == nil {
		return
	}
	left := 0
	for i, o := range objs {
		if !shown[i] && !l.headings[o] {
			left++
		}
	}
	l.more.Text = ""
	if left > 0 {
		l.more.Text = visual(l.moreText(left))
	}
	l.more.Move(fyne.NewPos(0, y))
	l.more.Resize(fyne.NewSize(size.Width, l.more.MinSize().Height))
	l.more.Refresh()
}

// MinSize asks only for the first row: the rest shows as room allows.
func (l *wholeRows) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i, o := range objs {
		s := o.MinSize()
		w = fyne.Max(w, s.Width)
		if i < 2 {
			h += s.Height // a heading and its first row
		}
	}
	return fyne.NewSize(w, h)
}
