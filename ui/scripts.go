package ui

import (
	"bytes"
	"encoding/binary"
	"sync"
	"unicode"

	"fyne.io/fyne/v2"

	"buurtbalie/assets"
	"buurtbalie/internal/bidi"
)

// script is the writing system of a language's screens, which decides the
// font they are drawn in and their direction.
type script int

const (
	latin    script = iota // and Cyrillic: Fyne's own Noto Sans has them
	arabic                 // right to left, in Noto Sans Arabic
	ethiopic               // Ge'ez, for Tigrinya, in Noto Sans Ethiopic
)

// scriptOf is the script lang is written in.
func scriptOf(lang string) script {
	switch {
	case bidi.IsRTL(lang):
		return arabic
	case lang == "ti" || lang == "am":
		return ethiopic
	}
	return latin
}

// scriptFont is one embedded font, read on first use: a kiosk that never
// shows Arabic never loads its 250 kB.
type scriptFont struct {
	file string
	// ascent and descent, in font units, replace the font's line
	// metrics when set (see tightLines).
	ascent, descent int16
	once            sync.Once
	res             fyne.Resource
}

func (f *scriptFont) get() fyne.Resource {
	f.once.Do(func() {
		b, err := assets.Fonts.ReadFile("fonts/" + f.file)
		if err != nil {
			return // the theme's own font draws what it can
		}
		if f.ascent != 0 {
			b = tightLines(b, f.ascent, f.descent)
		}
		f.res = fyne.NewStaticResource(f.file, b)
	})
	return f.res
}

// tightLines gives a copy of a TrueType font other line metrics (hhea
// and OS/2 ascender and descender). Noto Sans Arabic claims 2.1 em per
// line, room for stacked marks that everyday Arabic rarely has, against
// 1.36 em for Noto Sans: every line, key and tile of an Arabic screen
// would grow by half, and the keyboard would push the emergency line off
// a 1280x800 screen. Fyne does not clip text to its line, so a rare tall
// mark still shows whole.
func tightLines(font []byte, ascent, descent int16) []byte {
	b := bytes.Clone(font)
	if len(b) < 12 {
		return font
	}
	put := func(at int, v int16) {
		if at >= 0 && at+2 <= len(b) {
			binary.BigEndian.PutUint16(b[at:], uint16(v))
		}
	}
	tables := int(binary.BigEndian.Uint16(b[4:]))
	for i := range tables {
		rec := 12 + 16*i
		if rec+16 > len(b) {
			return font
		}
		off := int(binary.BigEndian.Uint32(b[rec+8:]))
		switch string(b[rec : rec+4]) {
		case "hhea":
			put(off+4, ascent)
			put(off+6, -descent)
		case "OS/2":
			put(off+68, ascent)
			put(off+70, -descent)
			put(off+74, ascent)
			put(off+76, descent)
		}
	}
	return b
}

// scriptFonts are the kiosk's fonts per script, regular and bold.
var scriptFonts = map[script][2]*scriptFont{
	arabic: {{file: "NotoSansArabic-Regular.ttf", ascent: 1100, descent: 520},
		{file: "NotoSansArabic-Bold.ttf", ascent: 1100, descent: 520}},
	ethiopic: {{file: "NotoSansEthiopic-Regular.ttf"}, {file: "NotoSansEthiopic-Bold.ttf"}},
}

// Font is the font of the script on screen, so a whole Arabic string,
// punctuation and digits included, is one face and one run; Fyne falls
// back to its own Noto Sans for what that font lacks (Latin names).
func (t *Theme) Font(style fyne.TextStyle) fyne.Resource {
	if fonts, ok := scriptFonts[t.script]; ok && !style.Monospace && !style.Symbol {
		i := 0
		if style.Bold {
			i = 1
		}
		if r := fonts[i].get(); r != nil {
			return r
		}
	}
	return t.Theme.Font(style)
}

// useScript makes the theme draw in s's font, and tells whether that is a
// change (the app must then apply the theme again).
func (t *Theme) useScript(s script) bool {
	if t.script == s {
		return false
	}
	t.script = s
	return true
}

// applyTheme draws the app in the font of the visitor's language, a step
// larger when they chose "Grotere letters". It does nothing under a theme
// that is not the kiosk's.
func applyTheme(lang string, larger bool) {
	app := fyne.CurrentApp()
	if app == nil {
		return
	}
	if t, ok := app.Settings().Theme().(*Theme); ok {
		changed := t.useScript(scriptOf(lang))
		if t.useLarger(larger) || changed {
			app.Settings().SetTheme(t)
		}
	}
}

// visual puts a string on a right-to-left screen, or one with
// right-to-left letters, in the order Fyne, which lays runs out left to
// right, must draw it ("12:30 – 13:30" starts on the right there); other
// strings pass as they are.
func visual(s string) string {
	switch firstStrong(s) {
	case bidi.RTL:
		return bidi.VisualFor(s, bidi.RTL, inArabicFont)
	case bidi.LTR:
		return s // a Dutch sentence on an Arabic screen reads left to right
	}
	if rightToLeft {
		return bidi.VisualFor(s, bidi.RTL, inArabicFont)
	}
	return s
}

// inArabicFont reports whether Noto Sans Arabic draws r (its cmap, as
// fc-query lists it): Fyne draws what it lacks in another face, as a run
// of its own.
func inArabicFont(r rune) bool {
	switch {
	case r == ' ' || r == '!' || r == 0xa0 || r == 0xab || r == 0xbb || r == 0x34f,
		r >= ',' && r <= '.', r >= '0' && r <= ':',
		r >= 0x600 && r <= 0x6ff && r != 0x61d, r >= 0x750 && r <= 0x77f, r >= 0x8a0 && r <= 0x8ff,
		r >= 0x200b && r <= 0x2011, r >= 0xfb50 && r <= 0xfdff, r >= 0xfe70 && r <= 0xfeff:
		return true
	}
	return false
}

// firstStrong is the direction of s's first letter (rules P2 and P3 of
// UAX #9), or -1 when s has none ("12:30 – 13:30"): then the screen's
// direction decides.
func firstStrong(s string) bidi.Direction {
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Arabic, unicode.Hebrew):
			return bidi.RTL
		case unicode.IsLetter(r):
			return bidi.LTR
		}
	}
	return -1
}
