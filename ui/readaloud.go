package ui

import (
	"slices"

	"fyne.io/fyne/v2"

	"buurtbalie/internal/figures"
	"buurtbalie/internal/speech"
	"buurtbalie/internal/voice"
)

// Voice reads screens aloud (internal/speech's Speaker). Speak returns at
// once; done is called, on any goroutine, once that utterance has ended.
type Voice interface {
	Speaks(lang string) bool
	Speak(parts []speech.Part, done func())
	Stop()
}

// readAloud is the "Voorlezen" tile beside the language choice on every
// visitor screen: it reads the screen, and a second tap stops it. It is
// left out where the kiosk has no speaker or no voice for the language.
func (k *Kiosk) readAloud() fyne.CanvasObject {
	if !k.canRead() {
		return nil
	}
	word := k.tr.T("action.read_aloud")
	if k.reading != "" {
		word = k.tr.T("action.stop_reading")
	}
	return k.toolTile("speaker", word, k.reading != "", k.ToggleReadAloud)
}

// canRead reports whether the screens can be read aloud in the visitor's
// language.
func (k *Kiosk) canRead() bool {
	if k.opt.Voice == nil {
		return false
	}
	// A spoken-only language's unrecorded lines are read in the
	// language the screen shows.
	return k.opt.Voice.Speaks(k.visitorLanguage()) || k.spokenLang != "" && k.opt.Voice.Speaks(k.tr.Lang())
}

// visitorTools are the tiles on the end of a visitor screen's top bar:
// "Voorlezen", "Grotere letters" and the language choice, in the same
// place on every screen.
func (k *Kiosk) visitorTools() fyne.CanvasObject {
	if r := k.readAloud(); r != nil {
		return hbox(r, k.largerChoice(), k.languageChoice())
	}
	return hbox(k.largerChoice(), k.languageChoice())
}

// toolTile is one of the visitor's tools: its pictogram and word on a
// landscape screen; on a portrait one, or with larger text, the pictogram
// alone, so that the tools, the way back and "Stoppen" share one row.
func (k *Kiosk) toolTile(pic, word string, chosen bool, onTap func()) *tile {
	if !k.landscape() || k.largerText {
		word = ""
	}
	t := k.choiceTile(k.icons.get(pic), word, chosen, onTap)
	t.side = SizeNameKey
	return t
}

// largerChoice is "Grotere letters": text a step larger on every screen
// until the idle reset; a second tap goes back.
func (k *Kiosk) largerChoice() fyne.CanvasObject {
	return k.toolTile("larger", k.tr.T("action.larger"), k.largerText, k.ToggleLargerText)
}

// ToggleLargerText makes the text a step larger, or back.
func (k *Kiosk) ToggleLargerText() {
	k.touched()
	k.largerText = !k.largerText
	k.redraw()
}

// ToggleReadAloud reads the screen aloud, or stops when it is reading.
func (k *Kiosk) ToggleReadAloud() {
	k.touched()
	if k.reading != "" {
		k.stopReading()
	} else {
		k.startReading(k.current())
	}
	k.redraw()
}

// Reading names the screen being read aloud, or "" when the kiosk is
// silent.
func (k *Kiosk) Reading() string { return k.reading }

// heard marks what staff wrote in the house's language (a title, a room,
// a note) for the house's voice, when the visitor reads another language
// and there is no translation: a Dutch title is read in Dutch, not
// garbled by the Turkish voice.
func (k *Kiosk) heard(translations map[string]string, s string) string {
	house := k.cat.Default() // the language the programme is written in
	if k.tr.Lang() == house || translations[k.tr.Lang()] != "" {
		return s
	}
	return speech.InLanguage(house, s)
}

// Spoken is what the screen on show says aloud, as "Voorlezen" reads it.
func (k *Kiosk) Spoken() []speech.Part { return k.spoken(k.current()) }

// spoken is what v says aloud: its lines in the visitor's language; on
// the language screen, each language's name in its own voice.
//
// Each line that is one of the kiosk's messages names it, so a house's
// recording of it plays instead of the voice; in a spoken-only language
// the rest is read in the house's language the screen shows.
func (k *Kiosk) spoken(v view) []speech.Part {
	if v.name == "languages" {
		var parts []speech.Part
		for _, lang := range k.languageTiles() {
			parts = append(parts, speech.Part{Lang: lang, Text: k.languageName(lang), Prompt: voice.NamePrompt})
		}
		return parts
	}
	parts := speech.Parts(k.tr.Lang(), v.say())
	for i, p := range parts {
		if p.Lang != k.tr.Lang() {
			continue // the house's own words, marked by heard
		}
		if id, ok := k.tr.IDOf(p.Text); ok {
			parts[i].Prompt = id
		}
		if k.spokenLang != "" {
			parts[i].Lang, parts[i].Written = k.spokenLang, p.Lang
		}
	}
	return parts
}

// startReading reads v aloud.
func (k *Kiosk) startReading(v view) {
	if !k.canRead() || v.say == nil {
		return
	}
	parts := k.spoken(v)
	if k.announce {
		k.announce = false
		parts = append([]speech.Part{{Lang: k.spokenLang, Text: k.languageName(k.spokenLang), Prompt: voice.NamePrompt}}, parts...)
	}
	k.utterance++
	id := k.utterance
	k.reading = v.name
	k.count(figures.ScreenReadAloud)
	k.opt.Voice.Speak(parts, func() {
		fyne.Do(func() {
			if k.utterance == id && k.reading != "" {
				k.reading = ""
				k.redraw()
			}
		})
	})
}

// stopReading silences the kiosk.
func (k *Kiosk) stopReading() {
	if k.reading == "" {
		return
	}
	k.reading = ""
	k.utterance++
	k.opt.Voice.Stop()
}

// readOnChange stops reading when the screen changed and, where staff
// chose it for the visitor's language, reads the new screen by itself.
func (k *Kiosk) readOnChange(v view) {
	if v.name == k.shownView {
		return
	}
	k.shownView = v.name
	k.stopReading()
	// Only for a visitor who is there (the idle timer runs): the
	// welcome screen after the idle reset is read to nobody.
	byItself := k.spokenLang != "" || slices.Contains(k.house.ReadAloud, k.tr.Lang())
	if k.idle != nil && !v.staff && v.name != "still-there" && byItself {
		k.startReading(v)
	}
}

// counted are the screens the figures count, by view name.
var counted = map[string]string{
	"welcome": figures.ScreenWelcome, "today": figures.ScreenToday, "detail": figures.ScreenDetail,
	"ask-topic": figures.ScreenAsk, "my-slip-answer": figures.ScreenMySlip,
}

// countScreen counts v for the figures when a visitor opened it: not the
// welcome screen the idle reset shows to nobody.
func (k *Kiosk) countScreen(v view) {
	if v.name == k.countedView || v.name == "languages" || v.name == "still-there" {
		return // the same screen, or one over it: back from it is no new visit
	}
	k.countedView = v.name
	if screen, ok := counted[v.name]; ok && k.idle != nil {
		k.count(screen)
	}
}

// count counts screen for the figures.
func (k *Kiosk) count(screen string) {
	if k.opt.Screens != nil {
		k.opt.Screens.Count(screen)
	}
}
