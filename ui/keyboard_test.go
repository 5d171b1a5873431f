package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
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
