package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"buurtbalie/internal/figures"
	"buurtbalie/internal/house"
	"buurtbalie/internal/voice"
)

// languageChoice is the globe on every visitor screen: with seven
// languages, a chip each no longer fits a bar, so one tile names the
// language the visitor reads now, in its own name, and opens the
// language screen.
func (k *Kiosk) languageChoice() fyne.CanvasObject {
	t := k.choiceTile(k.icons.get("language"), k.languageName(k.visitorLanguage()), false, k.ShowLanguages)
	t.side = SizeNameKey // less air, so the bar fits a portrait screen
	return t
}

// ShowLanguages opens the language screen over where the visitor is;
// choosing, or "Terug", goes back there with everything they did.
func (k *Kiosk) ShowLanguages() {
	if k.screen != languageScreen {
		k.languageFrom, k.languageFromY = k.screen, k.scrollY
	}
	k.show(languageScreen)
}

// ChooseLanguage switches the visitor's language and goes back to where
// they were. A spoken-only language says its name, and its screens are
// read aloud by themselves from then on.
func (k *Kiosk) ChooseLanguage(lang string) {
	if lang != k.visitorLanguage() {
		k.count(figures.ScreenLanguage + lang)
	}
	k.screen, k.scrollY = k.languageFrom, k.languageFromY
	k.SetLanguage(lang)
}

// visitorLanguage is the language the visitor chose: the written one of
// the screens, or a spoken-only one.
func (k *Kiosk) visitorLanguage() string {
	if k.spokenLang != "" {
		return k.spokenLang
	}
	return k.tr.Lang()
}

// languageTiles are the languages of the language screen: the written
// ones offered, then the house's spoken-only ones.
func (k *Kiosk) languageTiles() []string {
	langs := k.offeredLanguages()
	for _, l := range k.house.Spoken {
		langs = append(langs, l.Code)
	}
	return langs
}

// languageName is a language's name in its own words.
func (k *Kiosk) languageName(lang string) string {
	for _, l := range k.house.Spoken {
		if l.Code == lang {
			return l.Name
		}
	}
	return k.cat.Language(lang)
}

// leaveLanguages goes back to the screen the language screen was opened
// from, scrolled as it was.
func (k *Kiosk) leaveLanguages() { k.ChooseLanguage(k.tr.Lang()) }

// languageScreen offers one big tile per language, each name in its own
// script and no flags (a flag is a country, not a language), one tap to
// choose.
func (k *Kiosk) languageScreen() fyne.CanvasObject {
	var tiles []fyne.CanvasObject
	for _, lang := range k.languageTiles() {
		name := text(k.languageName(lang), theme.SizeNameHeadingText, true)
		bg := theme.Color(ColorNameCard)
		if lang == k.visitorLanguage() {
			bg = theme.Color(theme.ColorNamePrimary)
			name.Color = theme.Color(theme.ColorNameForegroundOnPrimary)
		}
		var content fyne.CanvasObject = container.NewCenter(name)
		if voice.IsSpoken(lang) {
			// Spoken, not read: the speaker says so before the name does.
			content = container.NewCenter(hbox(icon(k.icons.get("speaker"), theme.SizeNameInlineIcon), name))
		}
		tiles = append(tiles, k.newTile(content, bg, func() { k.ChooseLanguage(lang) }))
	}
	columns := 2
	if k.landscape() {
		columns = 3
	}
	back := k.newTile(labelled(k.icons.get("back"), k.tr.T("action.back")), theme.Color(ColorNameCard), k.leaveLanguages)
	top := border(nil, nil, back, k.readAloud(), container.NewCenter(icon(k.icons.get("language"), SizeNamePictogram)))
	k.list = NewDragScroll(gridColumns(columns, tiles...))
	k.list.OnScrolled = k.scrolled
	return container.NewPadded(border(top, nil, nil, nil, container.NewPadded(k.list)))
}

// offeredLanguages are the languages visitors can choose, in the order
// the language screen offers them: as staff chose on the settings page,
// the language each visitor starts in always among them.
func (k *Kiosk) offeredLanguages() []string {
	return house.OfferedLanguages(k.house.Languages, k.cat.Languages(), k.defaultLang)
}
