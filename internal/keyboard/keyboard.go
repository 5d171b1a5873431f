// Package keyboard holds the kiosk's on-screen keyboard layouts, one per
// language, as plain data: which keys stand where, what shift makes of a
// key, and for Ge'ez (Tigrinya), which syllables a consonant key offers.
//
// Every layout has five rows and at most 36 letter keys besides shift,
// backspace and the space bar, so each key stays 15 mm wide on a portrait
// screen and the keyboard fits 1280x800 as the Dutch one does.
package keyboard

import (
	"strings"
	"unicode"
)

// The special keys, as they stand in Rows.
const (
	Shift     = "shift"
	Backspace = "backspace"
	Space     = "space"
)

// Layout is one language's keyboard.
type Layout struct {
	// Rows are the keys from the top; a key is the rune it types, or one
	// of the special keys. The last row ends with the space bar.
	Rows [][]string
	// Syllabic says a key is a consonant that opens its syllables
	// (Forms) instead of typing itself.
	Syllabic bool
	// shifted maps a key to what it types with shift, where that is not
	// unicode.ToUpper.
	shifted map[rune]rune
	turkish bool
}

// Upper is what r types with shift: the capital letter, with Turkish's
// i/İ and ı/I; a punctuation key's second sign; Arabic's hamza forms.
func (l Layout) Upper(r rune) rune {
	if s, ok := l.shifted[r]; ok {
		return s
	}
	if l.turkish {
		return unicode.TurkishCase.ToUpper(r)
	}
	return unicode.ToUpper(r)
}

// HasShift reports whether the layout has a shift key.
func (l Layout) HasShift() bool {
	for _, row := range l.Rows {
		for _, k := range row {
			if k == Shift {
				return true
			}
		}
	}
	return false
}

var digits = []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"}

func row(keys string) []string { return strings.Fields(keys) }

// dutch is the Dutch and English keyboard: the accented letters share the
// last row with the space bar; the rare ï and ó gave way.
var dutch = Layout{Rows: [][]string{
	digits,
	row("q w e r t y u i o p"),
	row("a s d f g h j k l -"),
	row("shift z x c v b n m ' backspace"),
	row("é ë ö ü , . ? ! space"),
}}

var layouts = map[string]Layout{
	"nl": dutch,
	"en": dutch,
	// Turkish Q, as on Turkish keyboards; ğ ü ş ç on the last row. Shift
	// follows the Turkish case rules: i gives İ and ı gives I.
	"tr": {turkish: true, Rows: [][]string{
		digits,
		row("q w e r t y u ı o p"),
		row("a s d f g h j k l i"),
		row("shift z x c v b n m ö backspace"),
		row("ğ ü ş ç , . ? ' space"),
	}},
	// The 32 letters of the Polish alphabet, each accented letter beside
	// its plain one; q, v and x, which Polish does not use, gave way.
	"pl": {Rows: [][]string{
		digits,
		row("w e ę r t y u i o p"),
		row("a ą s ś d f g h j k"),
		row("shift l ł z ź ż c ć n backspace"),
		row("ń ó b m , . ? ! space"),
	}},
	// ЙЦУКЕН with і ї є ґ and the apostrophe (ʼ, as in мʼята): the 33
	// letters. Shift on the comma gives ?, on the full stop !.
	"uk": {shifted: map[rune]rune{',': '?', '.': '!'}, Rows: [][]string{
		digits,
		row("й ц у к е н г ш щ з"),
		row("х ї ф і в а п р о л"),
		row("shift д ж є я ч с м и backspace"),
		row("т ь б ю ґ ʼ , . space"),
	}},
	// The Arabic (101) layout's letters in its order, row after row, with
	// ذ from its corner. Arabic has no capitals: shift gives the hamza
	// forms (أ إ آ) where the 101 layout has them, and the Arabic comma
	// and question mark their Latin sign.
	"ar": {shifted: map[rune]rune{'ا': 'أ', 'غ': 'إ', 'ى': 'آ', '،': ',', '؟': '?'}, Rows: [][]string{
		digits,
		row("ض ص ث ق ف غ ع ه خ ح"),
		row("ج د ش س ي ب ل ا ت ن"),
		row("shift م ك ط ئ ء ؤ ر ى backspace"),
		row("ة و ز ظ ذ ، ؟ . space"),
	}},
	// Tigrinya: the 33 consonants of its fidel in their order; a tap
	// offers the consonant's syllables, shown large, to pick one. Ge'ez
	// has no capitals and no shift.
	"ti": {Syllabic: true, Rows: [][]string{
		digits,
		row("ሀ ለ ሐ መ ረ ሰ ሸ ቀ ቐ በ"),
		row("ቨ ተ ቸ ነ ኘ አ ከ ኸ ወ ዐ"),
		row("ዘ ዠ የ ደ ጀ ገ ጠ ጨ backspace"),
		row("ጰ ጸ ፀ ፈ ፐ ፣ ። ? space"),
	}},
}

// For returns lang's keyboard; a language without one of its own gets
// the Dutch one.
func For(lang string) Layout {
	if l, ok := layouts[lang]; ok {
		return l
	}
	return dutch
}

// Forms returns the syllables a Ge'ez consonant key offers, in the order
// of the fidel: the seven vowel orders (ä u i a e ə o), then the -wa form
// where Tigrinya writes one, then the labialised forms of the velars
// (ቈ ቊ ቋ ቌ ቍ and the like). For a rune that is not a Ge'ez consonant it
// returns just that rune.
func Forms(consonant rune) []rune {
	if !unicode.Is(unicode.Ethiopic, consonant) || (consonant-0x1200)%8 != 0 || consonant > 0x1357 {
		return []rune{consonant}
	}
	var out []rune
	for i := rune(0); i < 7; i++ {
		out = append(out, consonant+i)
	}
	if wa := consonant + 7; unicode.IsLetter(wa) {
		out = append(out, wa)
	}
	// The velars' labialised row follows them: ቀ → ቈ ቊ ቋ ቌ ቍ.
	if lab := consonant + 8; labialised[consonant] {
		for _, d := range []rune{0, 2, 3, 4, 5} {
			if unicode.IsLetter(lab + d) {
				out = append(out, lab+d)
			}
		}
	}
	return out
}

// labialised are the consonants with a labialised row after them.
var labialised = map[rune]bool{'ቀ': true, 'ቐ': true, 'ከ': true, 'ኸ': true, 'ገ': true, 'ኀ': true}
