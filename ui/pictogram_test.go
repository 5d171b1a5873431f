package ui

import (
	"image"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// TestBigPictogramsOnTheRenderedScreens: on the welcome screen (the main
// actions), the topic screen and the follow-up choice, in landscape and
// portrait, each pictogram that carries a choice is drawn at least 96 px
// across: its ink, measured on the rendered screen, not only its box.
func TestBigPictogramsOnTheRenderedScreens(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1280, Height: 800}, {Width: 800, Height: 1280}} {
		f := newKiosk(t, 10, 0)
		f.w.Resize(size)
		screens := []struct {
			name  string
			show  func()
			icons []string
		}{
			{"welcome", f.k.ShowWelcome, []string{"today.svg", "question.svg", "slip.svg"}},
			{"ask-topic", f.k.StartQuestion, []string{"geld.svg", "wonen.svg", "gezondheid.svg", "mensen.svg", "taal.svg", "werk.svg", "anders.svg"}},
			{"ask-follow-up", func() { f.k.Asking().ChooseTopic("geld"); f.k.Asking().SkipOrNext() }, []string{"wait.svg", "later.svg"}},
		}
		for _, s := range screens {
			s.show()
			shot := f.w.Canvas().Capture()
			found := map[string]bool{}
			walkAt(f.w.Canvas().Content(), fyne.NewPos(0, 0), func(o fyne.CanvasObject, at fyne.Position) {
				img, ok := o.(*canvas.Image)
				if !ok || img.Resource == nil {
					return
				}
				name := img.Resource.Name()
				want := false
				for _, n := range s.icons {
					if name == n || strings.HasSuffix(name, "_"+n) { // a themed resource's name
						want, name = true, n
					}
				}
				if !want {
					return
				}
				found[name] = true
				scale := float32(shot.Bounds().Dx()) / size.Width
				r := image.Rect(int(at.X*scale), int(at.Y*scale), int((at.X+o.Size().Width)*scale), int((at.Y+o.Size().Height)*scale))
				if ink := inkExtent(shot, r); ink < 96 {
					t.Errorf("%v %s: %s is drawn %d px across (box %.0f), want at least 96", size, s.name, name, ink, o.Size().Width)
				}
			})
			for _, n := range s.icons {
				if !found[n] {
					t.Errorf("%v %s: no %s on the screen", size, s.name, n)
				}
			}
		}
		if f.k.Screen() != "ask-follow-up" {
			t.Fatalf("%v: ended on %s", size, f.k.Screen())
		}
	}
}

// walkAt visits every object drawn under o with its position on the
// canvas.
func walkAt(o fyne.CanvasObject, at fyne.Position, visit func(fyne.CanvasObject, fyne.Position)) {
	if o == nil || !o.Visible() {
		return
	}
	pos := at.Add(o.Position())
	visit(o, pos)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			walkAt(c, pos, visit)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			walkAt(c, pos, visit)
		}
	}
}

// inkExtent is the larger side of the box around the dark pixels of img
// inside r: how big a black pictogram is drawn.
func inkExtent(img image.Image, r image.Rectangle) int {
	r = r.Intersect(img.Bounds())
	minX, minY, maxX, maxY := r.Max.X, r.Max.Y, r.Min.X-1, r.Min.Y-1
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if (cr+cg+cb)/3 < 0x5000 {
				minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
			}
		}
	}
	if maxX < minX {
		return 0
	}
	return max(maxX-minX+1, maxY-minY+1)
}
