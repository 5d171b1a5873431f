package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// paragraph is wrapped text for a right-to-left screen. Fyne wraps a
// label's text in logical order but draws each line's runs left to right,
// so digits and Latin words inside Arabic land on the wrong side; a label
// given the reordered text would wrap it from the wrong end. paragraph
// wraps the logical text at word boundaries itself, then puts each line
// in visual order and draws it from the right.
type paragraph struct {
	widget.BaseWidget
	text  string
	size  fyne.ThemeSizeName
	style fyne.TextStyle
	align fyne.TextAlign

	width float32  // the width the lines were wrapped for
	lines []string // in logical order
}

func newParagraph(s string, size fyne.ThemeSizeName) *paragraph {
	p := &paragraph{text: s, size: size, align: fyne.TextAlignTrailing}
	p.ExtendBaseWidget(p)
	return p
}

// Resize wraps the text again for a new width.
func (p *paragraph) Resize(size fyne.Size) {
	if size.Width != p.width {
		p.wrap(size.Width)
	}
	p.BaseWidget.Resize(size)
	p.Refresh()
}

// wrap breaks the text into lines that fit width, word by word; a word
// longer than a line has a line of its own.
func (p *paragraph) wrap(width float32) {
	p.width = width
	p.lines = nil
	avail := width - 2*theme.InnerPadding()
	textSize := theme.Size(p.size)
	for _, para := range strings.Split(p.text, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			next := w
			if line != "" {
				next = line + " " + w
			}
			if line != "" && width > 0 && fyne.MeasureText(visual(next), textSize, p.style).Width > avail {
				p.lines = append(p.lines, line)
				line = w
				continue
			}
			line = next
		}
		p.lines = append(p.lines, line)
	}
}

func (p *paragraph) CreateRenderer() fyne.WidgetRenderer {
	if p.lines == nil {
		p.wrap(p.width)
	}
	return &paragraphRenderer{p: p}
}

type paragraphRenderer struct {
	p    *paragraph
	rows []fyne.CanvasObject
}

func (r *paragraphRenderer) lineHeight() float32 {
	return fyne.MeasureText("Mg", theme.Size(r.p.size), r.p.style).Height + theme.LineSpacing()
}

func (r *paragraphRenderer) Layout(size fyne.Size) {
	pad := theme.InnerPadding()
	y := pad
	for _, o := range r.rows {
		t := o.(*canvas.Text)
		w := t.MinSize().Width
		x := pad
		switch r.p.align {
		case fyne.TextAlignTrailing:
			x = size.Width - pad - w
		case fyne.TextAlignCenter:
			x = (size.Width - w) / 2
		}
		t.Move(fyne.NewPos(x, y))
		t.Resize(fyne.NewSize(w, t.MinSize().Height))
		y += r.lineHeight()
	}
}

func (r *paragraphRenderer) MinSize() fyne.Size {
	pad := theme.InnerPadding()
	widest := float32(0)
	for _, w := range strings.Fields(r.p.text) {
		widest = max(widest, fyne.MeasureText(visual(w), theme.Size(r.p.size), r.p.style).Width)
	}
	n := max(len(r.p.lines), 1)
	return fyne.NewSize(widest+2*pad, float32(n)*r.lineHeight()-theme.LineSpacing()+2*pad)
}

func (r *paragraphRenderer) Refresh() {
	r.rows = r.rows[:0]
	for _, l := range r.p.lines {
		t := canvas.NewText(visual(l), theme.Color(theme.ColorNameForeground))
		t.TextSize = theme.Size(r.p.size)
		t.TextStyle = r.p.style
		r.rows = append(r.rows, t)
	}
	r.Layout(r.p.Size())
	canvas.Refresh(r.p)
}

func (r *paragraphRenderer) Objects() []fyne.CanvasObject {
	if len(r.rows) == 0 && len(r.p.lines) > 0 {
		r.Refresh()
	}
	return r.rows
}

func (r *paragraphRenderer) Destroy() {}
