package ui

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// keyboardRows is the on-screen keyboard: a touchscreen PC has no
// keyboard, and the system's on-screen keyboards are small and fiddly.
// Ten keys a row keeps every key a fingertip wide even on a portrait
// screen. The Dutch accented letters share the last row with the space
// bar (two keys wide), so the keyboard, the text and the emergency line
// all fit a 1280x720 screen; the rare ï and ó gave way.
var keyboardRows = [][]string{
	{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"},
	{"q", "w", "e", "r", "t", "y", "u", "i", "o", "p"},
	{"a", "s", "d", "f", "g", "h", "j", "k", "l", "-"},
	{"shift", "z", "x", "c", "v", "b", "n", "m", "'", "backspace"},
	{"é", "ë", "ö", "ü", ",", ".", "?", "!", "space"},
}

// keyboard draws the on-screen keyboard for typed text, and handles a
// physical keyboard's keys the same way.
type keyboard struct {
	text  *[]rune
	max   int
	shift bool
	// changed shows the new text; unshift redraws the keys in lower case
	// after a one-shot shift.
	changed, unshift func()
	// accept, if set, says which runes may be typed and as what.
	accept func(rune) (rune, bool)
	// enter, if set, runs on a physical keyboard's Enter.
	enter func()
	// overwrite, if set, says whether a rune typed on full text starts
	// the text afresh instead of being dropped.
	overwrite func() bool
}

// typeRune adds r, if there is room, and lets go of a one-shot shift.
func (kb *keyboard) typeRune(r rune) {
	if unicode.IsControl(r) {
		return
	}
	if kb.accept != nil {
		var ok bool
		if r, ok = kb.accept(r); !ok {
			return
		}
	}
	if len(*kb.text) >= kb.max {
		if kb.overwrite == nil || !kb.overwrite() {
			return
		}
		*kb.text = (*kb.text)[:0]
	}
	*kb.text = append(*kb.text, r)
	if kb.shift {
		(*kb.text)[len(*kb.text)-1] = unicode.ToUpper(r)
		kb.shift = false
		kb.unshift()
		return
	}
	kb.changed()
}

// backspace removes the last character.
func (kb *keyboard) backspace() {
	if n := len(*kb.text); n > 0 {
		*kb.text = (*kb.text)[:n-1]
		kb.changed()
	}
}

// typedKey handles the keys of a physical keyboard that are not runes.
func (kb *keyboard) typedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyBackspace, fyne.KeyDelete:
		kb.backspace()
	case fyne.KeyReturn, fyne.KeyEnter:
		if kb.enter != nil {
			kb.enter()
		}
	}
}

// view draws the keys; label names the space bar in the visitor's
// language.
func (kb *keyboard) view(k *Kiosk, spaceLabel string) fyne.CanvasObject {
	rows := container.NewVBox()
	for _, row := range keyboardRows {
		keys := make([]fyne.CanvasObject, 0, len(row))
		for _, key := range row {
			t := kb.key(k, key, spaceLabel)
			t.side = SizeNameKey
			keys = append(keys, t)
		}
		if row[len(row)-1] == "space" {
			// The space bar takes the last two places.
			letters := container.NewGridWithColumns(len(row)-1, keys[:len(keys)-1]...)
			rows.Add(container.New(&spaceRow{columns: len(row) + 1}, letters, keys[len(keys)-1]))
			continue
		}
		rows.Add(container.NewGridWithColumns(len(row), keys...))
	}
	return rows
}

func (kb *keyboard) key(k *Kiosk, key, spaceLabel string) *tile {
	card := theme.Color(ColorNameCard)
	switch key {
	case "shift":
		pic, bg := k.icons.get("shift"), card
		if kb.shift {
			pic, bg = theme.NewColoredResource(pic, theme.ColorNameForegroundOnPrimary), theme.Color(theme.ColorNamePrimary)
		}
		return k.newTile(container.NewCenter(icon(pic, theme.SizeNameInlineIcon)), bg, func() {
			k.touched()
			kb.shift = !kb.shift
			k.redraw() // the keys change case
		})
	case "backspace":
		return k.newTile(container.NewCenter(icon(k.icons.get("backspace"), theme.SizeNameInlineIcon)), card, func() {
			k.touched()
			kb.backspace()
		})
	case "space":
		return k.newTile(container.NewCenter(text(spaceLabel, theme.SizeNameText, false)), card, func() {
			k.touched()
			kb.typeRune(' ')
		})
	}
	label := key
	if kb.shift {
		label = strings.ToUpper(key)
	}
	r := []rune(key)[0]
	return k.newTile(container.NewCenter(text(label, theme.SizeNameSubHeadingText, true)), card, func() {
		k.touched()
		kb.typeRune(r)
	})
}
