package ui

import (
	"testing"
)

// BenchmarkSwitchLanguage measures the figure "switching language to the
// next frame ≤ 100 ms, including a font's first load": from the tap on a
// language tile to the welcome screen drawn in it (the test driver's
// software painter renders the frame, slower than the kiosk's GL one).
// Each switch to Arabic or Tigrinya loads its font afresh, as the first
// one after a start does.
func BenchmarkSwitchLanguage(b *testing.B) {
	for _, lang := range []string{"en", "ar", "ti"} {
		b.Run(lang, func(b *testing.B) {
			f := newKiosk(b, 10, 0)
			if !f.cat.Has(lang) {
				b.Skipf("no %s messages", lang)
			}
			for b.Loop() {
				b.StopTimer()
				f.k.Reset()
				forgetScriptFonts()
				f.k.ShowLanguages()
				f.w.Canvas().Capture()
				b.StartTimer()
				f.k.ChooseLanguage(lang)
				f.w.Canvas().Capture()
			}
		})
	}
}

// forgetScriptFonts drops the loaded script fonts, so the next Arabic or
// Tigrinya screen reads its font again.
func forgetScriptFonts() {
	for s, fonts := range scriptFonts {
		scriptFonts[s] = [2]*scriptFont{
			{file: fonts[0].file, ascent: fonts[0].ascent, descent: fonts[0].descent},
			{file: fonts[1].file, ascent: fonts[1].ascent, descent: fonts[1].descent}}
	}
}
