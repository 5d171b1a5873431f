package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// DragScroll is a vertical scroller a finger can swipe. Fyne's desktop
// Scroll ignores drags (fyne-io/fyne#1065, #5755) and a touchscreen on X11
// sends touches as pointer events, so a swipe would move nothing: a
// transparent layer above the Scroll takes the drags and moves the offset,
// while taps fall through to the rows beneath (the layer is not Tappable).
// Building with -tags mobile would enable drag-scrolling too, but also
// switches keyboards, windows and list selection to their mobile forms
// (fyne-io/fyne#3522), which a kiosk with a physical keyboard port does
// not want.
type DragScroll struct {
	widget.BaseWidget
	Scroll *container.Scroll
	drag   *dragLayer
	// OnScrolled, if set, is called after the offset changed by a drag or
	// a page step, so the owner can remember the position and count the
	// touch as activity.
	OnScrolled func(offsetY float32)
}

// NewDragScroll wraps content in a finger-scrollable vertical scroller.
func NewDragScroll(content fyne.CanvasObject) *DragScroll {
	d := &DragScroll{Scroll: container.NewVScroll(content)}
	d.drag = &dragLayer{owner: d}
	d.drag.ExtendBaseWidget(d.drag)
	d.ExtendBaseWidget(d)
	return d
}

// CreateRenderer stacks the drag layer above the scroller.
func (d *DragScroll) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(d.Scroll, d.drag))
}

// Offset returns how far the content is scrolled down.
func (d *DragScroll) Offset() float32 { return d.Scroll.Offset.Y }

// ScrollTo moves to offset y, kept within the content, as a visitor's
// action: OnScrolled hears of it.
func (d *DragScroll) ScrollTo(y float32) {
	if d.move(y) && d.OnScrolled != nil {
		d.OnScrolled(d.Scroll.Offset.Y)
	}
}

// Restore puts the content back at offset y after a redraw, without
// counting it as a visitor's action.
func (d *DragScroll) Restore(y float32) { d.move(y) }

// move sets the offset, kept within the content, and reports whether it
// changed.
func (d *DragScroll) move(y float32) bool {
	maxY := d.Scroll.Content.MinSize().Height - d.Scroll.Size().Height
	y = fyne.Max(0, fyne.Min(y, maxY))
	if y == d.Scroll.Offset.Y {
		return false
	}
	d.Scroll.Offset.Y = y
	d.Scroll.Refresh()
	return true
}

// Page scrolls one screenful down (dir 1) or up (dir -1), keeping a strip
// of the previous page in view so the eye can follow.
func (d *DragScroll) Page(dir int) {
	step := d.Scroll.Size().Height * 0.8
	d.ScrollTo(d.Scroll.Offset.Y + float32(dir)*step)
}

// CanPage reports whether a page step in dir (1 down, -1 up) would move
// the content.
func (d *DragScroll) CanPage(dir int) bool {
	if dir < 0 {
		return d.Scroll.Offset.Y > 0.5
	}
	return d.Scroll.Offset.Y < d.Scroll.Content.MinSize().Height-d.Scroll.Size().Height-0.5
}

// CanScroll reports whether the content is taller than the view, so paging
// buttons are worth showing.
func (d *DragScroll) CanScroll() bool {
	return d.Scroll.Content.MinSize().Height > d.Scroll.Size().Height+1
}

// dragLayer turns finger drags into scrolling, with a little inertia after
// a quick swipe.
type dragLayer struct {
	widget.BaseWidget
	owner    *DragScroll
	last     time.Time
	velocity float32 // units per second, positive scrolls down
	fling    *fyne.Animation
}

func (l *dragLayer) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout())
}

// Dragged moves the content with the finger.
func (l *dragLayer) Dragged(ev *fyne.DragEvent) {
	if l.fling != nil {
		l.fling.Stop()
		l.fling = nil
	}
	now := time.Now()
	if dt := now.Sub(l.last).Seconds(); !l.last.IsZero() && dt > 0 && dt < 0.1 {
		l.velocity = -ev.Dragged.DY / float32(dt)
	} else {
		l.velocity = 0
	}
	l.last = now
	l.owner.ScrollTo(l.owner.Offset() - ev.Dragged.DY)
}

// DragEnd lets a quick swipe glide on for a moment, slowing down.
func (l *dragLayer) DragEnd() {
	v := l.velocity
	l.last, l.velocity = time.Time{}, 0
	if v > -200 && v < 200 {
		return
	}
	const glide = 400 * time.Millisecond
	start := l.owner.Offset()
	distance := v * float32(glide.Seconds()) / 2
	l.fling = fyne.NewAnimation(glide, func(p float32) {
		// ease out: covers distance with falling speed
		l.owner.ScrollTo(start + distance*(1-(1-p)*(1-p)))
	})
	l.fling.Curve = fyne.AnimationLinear
	l.fling.Start()
}
