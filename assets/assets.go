// Package assets embeds the files the program carries with it: translation
// catalogues and pictograms. It lives beside them because go:embed cannot
// reach into parent folders.
package assets

import "embed"

// Messages holds one JSON translation catalogue per language, named by its
// language tag (nl.json, en.json). Adding a language is adding a file.
//
//go:embed i18n/*.json
var Messages embed.FS

// Icons holds the pictograms as SVG, one per category, topic and action.
//
//go:embed icons/*.svg
var Icons embed.FS

// Fonts holds DejaVu Sans, regular and bold: unlike the PDF core fonts it
// covers Turkish, Polish, Cyrillic and the euro sign. And Noto Sans Arabic
// and Noto Sans Ethiopic, regular and bold, for Arabic and Tigrinya, so the
// kiosk needs no system fonts. Licences: fonts/LICENSE-DejaVu.txt and
// fonts/LICENSE-Noto.txt (both free to embed; Noto is under the OFL 1.1).
//
//go:embed fonts/*.ttf
var Fonts embed.FS
