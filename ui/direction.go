package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
)

// rightToLeft is the direction of the screen being built: the kiosk sets
// it from the visitor's language before each redraw. The kiosk has one
// window and builds on the UI goroutine only, so one flag serves.
var rightToLeft bool

// mirrored is the kiosk's one rule for right-to-left screens: a layout
// that places its objects as l does, then, on an Arabic screen, mirrors
// each object's place in the container, so what screens put at the start
// (back, a pictogram before its word, the first chip) stands on the right.
// Screens ask for start and end through these containers, never for left
// and right. Text is not mirrored, only moved. The direction is fixed
// when the container is made, so a screen never flips while it shows.
type mirrored struct {
	l   fyne.Layout
	rtl bool
}

func mirror(l fyne.Layout) fyne.Layout { return &mirrored{l: l, rtl: rightToLeft} }

func (m *mirrored) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	m.l.Layout(objs, size)
	if !m.rtl {
		return
	}
	for _, o := range objs {
		p := o.Position()
		o.Move(fyne.NewPos(size.Width-p.X-o.Size().Width, p.Y))
	}
}

func (m *mirrored) MinSize(objs []fyne.CanvasObject) fyne.Size { return m.l.MinSize(objs) }

// border is container.NewBorder with start for left and end for right.
func border(top, bottom, start, end fyne.CanvasObject, objs ...fyne.CanvasObject) *fyne.Container {
	all := make([]fyne.CanvasObject, 0, len(objs)+4)
	for _, o := range []fyne.CanvasObject{top, bottom, start, end} {
		if o != nil {
			all = append(all, o)
		}
	}
	return container.New(mirror(layout.NewBorderLayout(top, bottom, start, end)), append(all, objs...)...)
}

// hbox is a row from the start, as container.NewHBox from the left.
func hbox(objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(mirror(layout.NewHBoxLayout()), objs...)
}

// gridColumns is container.NewGridWithColumns, filled from the start.
func gridColumns(n int, objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(mirror(layout.NewGridLayoutWithColumns(n)), objs...)
}

// gridWrap is container.NewGridWrap, filled from the start.
func gridWrap(size fyne.Size, objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(mirror(layout.NewGridWrapLayout(size)), objs...)
}

// startEnd is a container whose layout l is mirrored on a right-to-left
// screen.
func startEnd(l fyne.Layout, objs ...fyne.CanvasObject) *fyne.Container {
	return container.New(mirror(l), objs...)
}
