package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// adaptiveLayout puts its two objects side by side on a landscape screen
// and one above the other on a portrait one, so the welcome screen works
// on any of the cheap touchscreens (1366x768 to 1920x1080, either way up).
type adaptiveLayout struct{}

func (*adaptiveLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding() * 4
	if size.Width >= size.Height {
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
type flowLayout struct{ width float32 }

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
	for _, o := range objs {
		s := o.MinSize()
		if x > 0 && x+s.Width > width {
			x, y, rowH = 0, y+rowH+gap, 0
		}
		if move {
			o.Move(fyne.NewPos(x, y))
			o.Resize(s)
		}
		x += s.Width + gap
		rowH = fyne.Max(rowH, s.Height)
		maxW = fyne.Max(maxW, x-gap)
	}
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
