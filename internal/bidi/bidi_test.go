package bidi

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	xbidi "golang.org/x/text/unicode/bidi"
)

// runsTests give, per line, the runs in visual order (leftmost first),
// each in logical order, as UAX #9 orders them.
var runsTests = []struct {
	name string
	in   string
	base Direction
	want []Run
}{
	{"empty", "", RTL, nil},
	{"empty ltr", "", LTR, nil},
	{"pure ltr", "Wat is er vandaag?", LTR, []Run{{"Wat is er vandaag?", false}}},
	{"pure latin in rtl paragraph", "Buurthuis De Linde", RTL, []Run{{"Buurthuis De Linde", false}}},
	{"pure arabic", "مرحبا بك", RTL, []Run{{"مرحبا بك", true}}},
	{"times after arabic", "الغداء 12:30 – 13:30", RTL, []Run{
		{"13:30", false}, {" – ", true}, {"12:30", false}, {"الغداء ", true}}},
	{"times before arabic", "12:30 الغداء", RTL, []Run{{" الغداء", true}, {"12:30", false}}},
	{"number inside arabic", "في الطابق 3 الغرفة", RTL, []Run{{" الغرفة", true}, {"3", false}, {"في الطابق ", true}}},
	// W2 makes 0,50 an Arabic number, so W5 no longer joins € to it.
	{"phone number after arabic", "اتصل مجانًا 0800-0113", RTL, []Run{{"0800-0113", false}, {"اتصل مجانًا ", true}}},
	{"date after arabic", "الموعد 23/11", RTL, []Run{{"23/11", false}, {"الموعد ", true}}},
	{"price with euro", "القهوة € 0,50", RTL, []Run{{"0,50", false}, {"القهوة € ", true}}},
	{"code inside arabic", "رمزك K7M-4QX احتفظ به", RTL, []Run{
		{" احتفظ به", true}, {"K7M-4QX", false}, {"رمزك ", true}}},
	{"code after colon", "رمزك: K7M-4QX", RTL, []Run{{"K7M-4QX", false}, {"رمزك: ", true}}},
	{"latin name inside arabic", "تحدث مع Anna de Vries اليوم", RTL, []Run{
		{" اليوم", true}, {"Anna de Vries", false}, {"تحدث مع ", true}}},
	{"latin name in brackets", "اتصل (Anna) الآن", RTL, []Run{
		{") الآن", true}, {"Anna", false}, {"اتصل (", true}}},
	{"question mark at the end", "هل تحتاج مساعدة؟", RTL, []Run{{"هل تحتاج مساعدة؟", true}}},
	{"full stop after latin at the end", "اسأل عن De Linde.", RTL, []Run{
		{".", true}, {"De Linde", false}, {"اسأل عن ", true}}},
	{"latin then arabic, ltr paragraph", "Bezoeker koos: العربية", LTR, []Run{
		{"Bezoeker koos: ", false}, {"العربية", true}}},
	{"arabic first, ltr paragraph", "العربية is Arabic", LTR, []Run{{"العربية", true}, {" is Arabic", false}}},
	{"number after arabic, ltr paragraph", "Room: الغرفة 3", LTR, []Run{
		{"Room: ", false}, {"3", false}, {"الغرفة ", true}}},
	{"number after latin, ltr paragraph", "Zaal 3 الغرفة", LTR, []Run{{"Zaal 3 ", false}, {"الغرفة", true}}},
	{"arabic-indic digits", "الساعة ١٢:٣٠", RTL, []Run{{"١٢:٣٠", false}, {"الساعة ", true}}},
	{"explicit override dropped", "\u202eabc\u202c", LTR, []Run{{"abc", false}}},
	{"two lines", "مرحبا 1\nK7M", RTL, []Run{{"1", false}, {"مرحبا ", true}, {"\n", false}, {"K7M", false}}},
	{"tigrinya is left to right", "ሕቶኹም K7M-4QX", LTR, []Run{{"ሕቶኹም K7M-4QX", false}}},
}

func TestRuns(t *testing.T) {
	for _, tt := range runsTests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Runs(tt.in, tt.base); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Runs(%q) =\n%s\nwant\n%s", tt.in, show(got), show(tt.want))
			}
		})
	}
}

func show(runs []Run) string {
	var b strings.Builder
	for _, r := range runs {
		fmt.Fprintf(&b, "{%q %v} ", r.Text, r.RTL)
	}
	return b.String()
}

// seen is what a reader sees of runs, left to right, glyph by glyph:
// right-to-left runs reversed, their brackets mirrored, marks dropped.
func seen(runs []Run) string {
	var b strings.Builder
	for _, r := range runs {
		if r.RTL {
			b.WriteString(xbidi.ReverseString(r.Text))
		} else {
			b.WriteString(r.Text)
		}
	}
	return strings.ReplaceAll(b.String(), LRM, "")
}

// fyneLike lays s out as Fyne v2.7.1 does: go-text splits it into bidi
// runs with the paragraph direction found from the text, shapes each
// run in its direction and places the runs left to right in logical order.
func fyneLike(t *testing.T, s string) []Run {
	t.Helper()
	var out []Run
	for _, line := range strings.Split(s, "\n") {
		if line == "" {
			continue
		}
		var p xbidi.Paragraph
		if _, err := p.SetString(line); err != nil {
			t.Fatal(err)
		}
		o, err := p.Order()
		if err != nil {
			t.Fatal(err)
		}
		for i := range o.NumRuns() {
			r := o.Run(i)
			out = append(out, Run{Text: r.String(), RTL: r.Direction() == xbidi.RightToLeft})
		}
	}
	return out
}

// TestVisualSurvivesASecondPass checks what Visual is for: a renderer that
// runs bidi again and places runs in logical order shows exactly what
// the runs say is seen.
func TestVisualSurvivesASecondPass(t *testing.T) {
	for _, tt := range runsTests {
		t.Run(tt.name, func(t *testing.T) {
			v := Visual(tt.in, tt.base)
			want := seen(Runs(tt.in, tt.base))
			if got := seen(fyneLike(t, v)); strings.ReplaceAll(got, "\n", "") != strings.ReplaceAll(want, "\n", "") {
				t.Errorf("Visual(%q) = %q, drawn as %q, want %q", tt.in, v, got, want)
			}
		})
	}
}

func TestVisual(t *testing.T) {
	tests := []struct {
		name, in string
		base     Direction
		want     string
	}{
		{"empty", "", RTL, ""},
		{"pure ltr unchanged", "Wat is er vandaag? 10:00 – 12:00", LTR, "Wat is er vandaag? 10:00 – 12:00"},
		{"latin in rtl paragraph unchanged", "K7M-4QX", RTL, "K7M-4QX"},
		{"controls dropped", "a\u202eb\u202c", LTR, "ab"},
		{"times", "الغداء 12:30 – 13:30", RTL, LRM + "13:30 – 12:30 " + LRM + "الغداء" + LRM},
		{"code", "رمزك: K7M-4QX", RTL, LRM + "K7M-4QX :" + LRM + "رمزك" + LRM},
		{"brackets mirrored", "اتصل (Anna) الآن", RTL, LRM + LRM + "الآن" + LRM + " (Anna) " + LRM + "اتصل" + LRM},
		{"question mark stays at the end", "هل تحتاج مساعدة؟", RTL, LRM + LRM + "هل تحتاج مساعدة؟" + LRM},
		{"lines kept", "مرحبا 1\nK7M", RTL, LRM + "1 " + LRM + "مرحبا" + LRM + "\nK7M"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Visual(tt.in, tt.base); got != tt.want {
				t.Errorf("Visual(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsRTL(t *testing.T) {
	for lang, want := range map[string]bool{
		"ar": true, "ar-MA": true, "AR": true, "fa": true, "he": true, "ur": true, "ar_EG": true,
		"nl": false, "en": false, "tr": false, "pl": false, "uk": false, "ti": false, "": false, "arn": false,
	} {
		if got := IsRTL(lang); got != want {
			t.Errorf("IsRTL(%q) = %v, want %v", lang, got, want)
		}
		if got := Base(lang) == RTL; got != want {
			t.Errorf("Base(%q) == RTL is %v, want %v", lang, got, want)
		}
	}
}

func BenchmarkVisual(b *testing.B) {
	for b.Loop() {
		Visual("الغداء 12:30 – 13:30 في الغرفة 3 مع Anna", RTL)
	}
}

// A renderer that splits runs where the font changes gets the pieces of a
// right-to-left run in reverse, so "اليوم · الاثنين" is not drawn as
// "اليوم · الاثنين" read left to right.
func TestVisualForAFontWithoutTheMiddleDot(t *testing.T) {
	inFont := func(r rune) bool { return r != '·' }
	got := VisualFor("اليوم · الاثنين", RTL, inFont)
	want := LRM + LRM + "الاثنين" + LRM + " · " + LRM + "اليوم" + LRM
	if got != want {
		t.Errorf("VisualFor = %q, want %q", got, want)
	}
	if got := VisualFor("اليوم · الاثنين", RTL, nil); got != Visual("اليوم · الاثنين", RTL) {
		t.Errorf("VisualFor with no font test = %q, want Visual's", got)
	}
}
