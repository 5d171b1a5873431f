package keyboard

import (
	"slices"
	"testing"
	"unicode"
)

// Every layout fits the kiosk: five rows, at most ten keys a row, the
// space bar last, and each language's letters on it.
func TestLayoutsFitAndHaveTheirLetters(t *testing.T) {
	letters := map[string]string{
		"nl": "abcdefghijklmnopqrstuvwxyzéëöü",
		"tr": "abcçdefgğhıijklmnoöprsştuüvyz",
		"pl": "aąbcćdeęfghijklłmnńoóprsśtuwyzźż",
		"uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяʼ",
		"ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهوىيءئؤة",
		"ti": "ሀለሐመረሰሸቀቐበቨተቸነኘአከኸወዐዘዠየደጀገጠጨጰጸፀፈፐ",
	}
	for lang, want := range letters {
		l := For(lang)
		if len(l.Rows) != 5 {
			t.Errorf("%s: %d rows, want 5", lang, len(l.Rows))
		}
		var keys []string
		for i, r := range l.Rows {
			if len(r) > 10 {
				t.Errorf("%s row %d: %d keys, more than 10", lang, i, len(r))
			}
			keys = append(keys, r...)
		}
		if last := l.Rows[4]; last[len(last)-1] != Space {
			t.Errorf("%s: the last row does not end with the space bar", lang)
		}
		for _, r := range want {
			if !slices.Contains(keys, string(r)) {
				t.Errorf("%s: no key for %q", lang, r)
			}
		}
	}
}

func TestShift(t *testing.T) {
	for _, tt := range []struct {
		lang     string
		in, want rune
	}{
		{"tr", 'i', 'İ'}, {"tr", 'ı', 'I'}, {"tr", 'ş', 'Ş'}, {"nl", 'i', 'I'},
		{"pl", 'ł', 'Ł'}, {"uk", 'ї', 'Ї'}, {"uk", ',', '?'}, {"ar", 'ا', 'أ'}, {"ar", 'ب', 'ب'},
	} {
		if got := For(tt.lang).Upper(tt.in); got != tt.want {
			t.Errorf("%s shift %q = %q, want %q", tt.lang, tt.in, got, tt.want)
		}
	}
	if For("ti").HasShift() || !For("tr").HasShift() {
		t.Errorf("Tigrinya has no shift, Turkish has one")
	}
}

func TestGeezForms(t *testing.T) {
	if got, want := string(Forms('ሰ')), "ሰሱሲሳሴስሶሷ"; got != want {
		t.Errorf("Forms(ሰ) = %q, want %q", got, want)
	}
	if got := string(Forms('ቀ')); got != "ቀቁቂቃቄቅቆቇቈቊቋቌቍ" {
		t.Errorf("Forms(ቀ) = %q", got)
	}
	for _, row := range For("ti").Rows {
		for _, k := range row {
			r := []rune(k)
			if len(r) != 1 || !unicode.Is(unicode.Ethiopic, r[0]) || !unicode.IsLetter(r[0]) {
				continue
			}
			if f := Forms(r[0]); len(f) < 7 {
				t.Errorf("Forms(%s) has %d syllables, want 7 or more", k, len(f))
			}
		}
	}
	if got := Forms('a'); string(got) != "a" {
		t.Errorf("Forms(a) = %q", string(got))
	}
}
