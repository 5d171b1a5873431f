package ui

import (
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	layouts "buurtbalie/internal/keyboard"
)

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
	// layout is the visitor's language's keyboard, as last drawn: a
	// touchscreen PC has no keyboard, and the system's on-screen
	// keyboards are small and fiddly.
	layout layouts.Layout
	// syllables is the Ge'ez consonant tapped, whose syllables are
	// offered; 0 for none.
	syllables rune
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
		(*kb.text)[len(*kb.text)-1] = kb.layout.Upper(r)
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

// view draws the keys of the visitor's language; spaceLabel names the
// space bar in it. After a Ge'ez consonant it offers that consonant's
// syllables instead, large, in the keys' place.
func (kb *keyboard) view(k *Kiosk, spaceLabel string) fyne.CanvasObject {
	kb.layout = layouts.For(k.tr.Lang())
	if !kb.layout.Syllabic {
		kb.syllables = 0 // the visitor chose another language meanwhile
	}
	if kb.syllables != 0 {
		return kb.syllablePicker(k)
	}
	rows := container.NewVBox()
	for _, row := range kb.layout.Rows {
		keys := make([]fyne.CanvasObject, 0, len(row))
		for _, key := range row {
			t := kb.key(k, key, spaceLabel)
			t.side = SizeNameKey
			keys = append(keys, t)
		}
		if row[len(row)-1] == layouts.Space {
			// The space bar takes the last two places.
			letters := container.NewGridWithColumns(len(row)-1, keys[:len(keys)-1]...)
			rows.Add(container.New(&spaceRow{columns: len(row) + 1}, letters, keys[len(keys)-1]))
			continue
		}
		rows.Add(container.NewGridWithColumns(len(row), keys...))
	}
	return rows
}

// syllablePicker offers the syllables of the consonant tapped, each a
// big key, and a way back to the consonants.
func (kb *keyboard) syllablePicker(k *Kiosk) fyne.CanvasObject {
	card := theme.Color(ColorNameCard)
	var keys []fyne.CanvasObject
	for _, r := range layouts.Forms(kb.syllables) {
		keys = append(keys, k.newTile(container.NewCenter(text(string(r), theme.SizeNameHeadingText, true)), card, func() {
			k.touched()
			kb.syllables = 0
			kb.typeRune(r)
			k.redraw() // the consonants again
		}))
	}
	back := k.choiceTile(k.icons.get("back"), k.tr.T("key.consonants"), false, func() {
		k.touched()
		kb.syllables = 0
		k.redraw()
	})
	return container.NewVBox(container.NewGridWithColumns(5, keys...), back)
}

func (kb *keyboard) key(k *Kiosk, key, spaceLabel string) *tile {
	card := theme.Color(ColorNameCard)
	switch key {
	case layouts.Shift:
		pic, bg := k.icons.get("shift"), card
		if kb.shift {
			pic, bg = theme.NewColoredResource(pic, theme.ColorNameForegroundOnPrimary), theme.Color(theme.ColorNamePrimary)
		}
		return k.newTile(container.NewCenter(icon(pic, theme.SizeNameInlineIcon)), bg, func() {
			k.touched()
			kb.shift = !kb.shift
			k.redraw() // the keys change case
		})
	case layouts.Backspace:
		return k.newTile(container.NewCenter(icon(k.icons.get("backspace"), theme.SizeNameInlineIcon)), card, func() {
			k.touched()
			kb.backspace()
		})
	case layouts.Space:
		return k.newTile(container.NewCenter(text(spaceLabel, SizeNameKeyText, false)), card, func() {
			k.touched()
			kb.typeRune(' ')
		})
	}
	r := []rune(key)[0]
	label := key
	if kb.shift {
		label = string(kb.layout.Upper(r))
	}
	return k.newTile(container.NewCenter(text(label, SizeNameKeyText, true)), card, func() {
		k.touched()
		if kb.layout.Syllabic && len(layouts.Forms(r)) > 1 {
			kb.syllables = r // its syllables, to pick one
			k.redraw()
			return
		}
		kb.typeRune(r)
	})
}
