package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// Each language's keyboard types its own letters into the question, by
// taps on its keys: Turkish with its i/İ, Ukrainian with ї and the
// apostrophe, Arabic letters and their hamza forms, and Tigrinya a
// syllable picked after its consonant.
func TestEachLanguagesKeyboardTypesItsLetters(t *testing.T) {
	tests := []struct {
		lang string
		taps []string // a key's label as shown; "⇧" is shift, "⌫" backspace
		want string
	}{
		{"nl", []string{"⇧", "B", "r", "i", "e", "f"}, "Brief"},
		{"tr", []string{"⇧", "İ", "ş", "ı", "ğ", "ç", "ö", "ü"}, "İşığçöü"},
		{"tr", []string{"⇧", "I", "i"}, "Ii"},
		{"pl", []string{"ł", "ą", "ę", "ś", "ć", "ź", "ż", "ń", "ó"}, "łąęśćźżńó"},
		{"uk", []string{"⇧", "Ї", "ж", "а", "к", "ʼ", "ґ", "є", "⇧", "?"}, "Їжакʼґє?"},
		{"ar", []string{"س", "ل", "ا", "م", "⇧", "أ", "ذ", "؟"}, "سلامأذ؟"},
		{"ti", []string{"ሰ", "ሰ", "ለ", "ላ", "መ", "ም", "⌫", "ሰ", "ሱ"}, "ሰላሱ"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			f := newKiosk(t, 10, 0)
			if !f.cat.Has(tt.lang) {
				t.Skipf("no %s messages yet", tt.lang)
			}
			f.k.SetLanguage(tt.lang)
			f.k.StartQuestion()
			f.k.Asking().ChooseTopic("geld")
			for _, key := range tt.taps {
				switch key {
				case "⇧":
					f.tapKey(t, "shift")
				case "⌫":
					f.tapKey(t, "backspace")
				default:
					// On an Arabic screen a key's label is in visual
					// order, fenced by marks.
					test.Tap(f.tileWith(t, visual(key)))
				}
			}
			if got := string(f.k.ask.text); got != tt.want {
				t.Errorf("typed %q, want %q", got, tt.want)
			}
		})
	}
}

// The keys of every language stay at least 15 mm (SizeNameKey) and whole
// on a landscape and a portrait screen, above the emergency line and
// clear of each other, with the text its usual size and a step larger;
// Tigrinya's syllables too, once a consonant is tapped.
func TestKeyboardsFitTheScreen(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1280, Height: 800}, {Width: 800, Height: 1280}} {
		for _, lang := range []string{"nl", "en", "tr", "ar", "pl", "uk", "ti"} {
			for _, larger := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%vx%v/larger=%v", lang, size.Width, size.Height, larger), func(t *testing.T) {
					f := newKiosk(t, 10, 0)
					f.w.Resize(size)
					f.k.SetLanguage(lang)
					f.k.largerText = larger
					f.k.StartQuestion()
					f.k.Asking().ChooseTopic("geld")
					f.k.Asking().Type("Een brief van de gemeente")
					keysFit(t, f, size, 30)
					if lang == "ti" {
						f.k.Asking().kb.syllables = 'ሰ'
						f.k.redraw()
						keysFit(t, f, size, 0)
					}
				})
			}
		}
	}
}

// keysFit checks the keyboard's keys (at least atLeast of them) on the
// screen shown.
func keysFit(t *testing.T, f *kioskFixture, size fyne.Size, atLeast int) {
	t.Helper()
	d := fyne.CurrentApp().Driver()
	side := theme.Size(SizeNameKey)
	emergency := size.Height
	walk(f.w.Canvas().Content(), func(o fyne.CanvasObject) {
		if txt, ok := o.(*canvas.Text); ok && strings.Contains(txt.Text, "112") {
			emergency = min(emergency, d.AbsolutePositionForObject(o).Y)
		}
	})
	type box struct{ x, y, w, h float32 }
	var boxes []box
	walk(f.w.Canvas().Content(), func(o fyne.CanvasObject) {
		tl, ok := o.(*tile)
		if !ok {
			return
		}
		p, s := d.AbsolutePositionForObject(tl), tl.Size()
		if tl.side != SizeNameKey && s.Height < 2*side || p.Y < 2*side { // not a key: a tool on the top bar
			return
		}
		b := box{p.X, p.Y, s.Width, s.Height}
		if s.Width < side-0.5 || s.Height < side-0.5 {
			t.Errorf("a key is %.0fx%.0f, under the %.0f of 15 mm", s.Width, s.Height, side)
		}
		if b.x < -0.5 || b.x+b.w > size.Width+0.5 || b.y+b.h > emergency+0.5 {
			t.Errorf("a key at %.0f,%.0f %.0fx%.0f is not whole on the screen above the emergency line at %.0f", b.x, b.y, b.w, b.h, emergency)
		}
		for _, o := range boxes {
			if b.x < o.x+o.w-0.5 && o.x < b.x+b.w-0.5 && b.y < o.y+o.h-0.5 && o.y < b.y+b.h-0.5 {
				t.Errorf("keys overlap at %.0f,%.0f and %.0f,%.0f", b.x, b.y, o.x, o.y)
			}
		}
		boxes = append(boxes, b)
	})
	if len(boxes) < atLeast {
		t.Errorf("found %d keys, want at least %d", len(boxes), atLeast)
	}
}
