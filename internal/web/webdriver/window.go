package webdriver

import "testing"

// Resize sets the browser window to width x height CSS pixels, for a
// page seen at a phone's size (390x844 is a common phone's viewport).
func (b *Browser) Resize(t testing.TB, width, height int) {
	t.Helper()
	if err := b.call("POST", b.path("/window/rect"), map[string]int{"width": width, "height": height}, nil); err != nil {
		t.Fatal(err)
	}
}

// Rect is where an element is drawn on the page, in CSS pixels.
type Rect struct {
	X, Y, Width, Height float64
}

// Rect returns where the element matching the CSS selector is drawn.
func (b *Browser) Rect(t testing.TB, css string) Rect {
	t.Helper()
	var r Rect
	if err := b.call("GET", b.path("/element/"+b.Find(t, css)+"/rect"), nil, &r); err != nil {
		t.Fatal(err)
	}
	return r
}
