package speech

import "testing"

// TestWords shows times, amounts and dialled numbers as people say them
// in each language; numbers that count stay digits, for the voice.
func TestWords(t *testing.T) {
	for _, c := range []struct{ lang, in, want string }{
		{"nl", "10:30 – 12:00, Koffie-ochtend, Zaal 3", "van half 11 tot 12 uur, Koffie-ochtend, Zaal 3"},
		{"nl", "Om 9:15 en 13:45", "Om kwart over 9 en kwart voor 2"},
		{"nl", "12:30", "half 1"},
		{"nl", "Het is 13:10", "Het is 13 uur 10"},
		{"nl", "€ 2,50", "2 euro 50"},
		{"nl", "€ 3,00 per keer", "3 euro per keer"},
		{"nl", "113 Zelfmoordpreventie: 0800-0113 (gratis)", "1 1 3 Zelfmoordpreventie: 0 8 0 0, 0 1 1 3 (gratis)"},
		{"nl", "112 bij levensgevaar", "1 1 2 bij levensgevaar"},
		{"nl", "Huisartsenpost 088-1234567", "Huisartsenpost 0 8 8, 1 2 3 4 5 6 7"},
		{"nl", "Vandaag · dinsdag 24 november", "Vandaag, dinsdag 24 november"},
		{"en", "10:30 – 12:00", "from half past 10 to 12 o'clock"},
		{"en", "14:05 and 16:45", "2 oh 5 and quarter to 5"},
		{"en", "€ 1,50", "1 euro 50"},
		{"tr", "10:30 – 12:00", "saat 10 buçuk ile saat 12 arası"},
		{"tr", "9:15", "saat 9 15"},
		{"pl", "10:30 – 12:00", "od dziesiątej 30 do dwunastej"},
		{"pl", "Jest 14:00", "Jest godzina czternasta"},
		{"pl", "2:10 – 3:00", "od drugiej 10 do trzeciej"},
		{"pl", "9:45", "dziewiąta 45"},
		{"uk", "10:30 – 12:00", "з десятої 30 до дванадцятої"},
		{"uk", "3:00 – 21:15", "з третьої до двадцять першої 15"},
		{"uk", "14:00", "чотирнадцята година"},
		{"ar", "10:30 – 12:00", "من الساعة 10 والنصف إلى الساعة 12"},
		{"ar", "9:05", "الساعة 9 و 5 دقيقة"},
		{"en", "Monday 23 November", "Monday 23rd November"},
		{"en", "1 December, 12 May, 22 June", "1st December, 12th May, 22nd June"},
		{"pl", "poniedziałek, 23 listopada", "poniedziałek, dwudziesty trzeci listopada"},
		{"pl", "3 osoby", "3 osoby"},
		{"uk", "понеділок, 1 грудня", "понеділок, перше грудня"},
		{"ar", "اليوم · الاثنين 23 نوفمبر", "اليوم، الاثنين 23 نوفمبر"},
		// Bidi marks the screens need are not for the voice.
		{"ar", "\u200fالغداء 12:30\u200f", "الغداء الساعة 12 والنصف"},
	} {
		if got := Words(c.lang, c.in); got != c.want {
			t.Errorf("Words(%s, %q) = %q, want %q", c.lang, c.in, got, c.want)
		}
	}
}

// TestScriptEndsSentences gives the voice a pause at the end of every
// line, and leaves empty lines out.
func TestScriptEndsSentences(t *testing.T) {
	got := Script(Parts("nl", []string{"Welkom", "", "Wat wilt u doen?", "K, 7, M — 4, Q, X"}))
	want := []string{"Welkom.", "Wat wilt u doen?", "K, 7, M. 4, Q, X."}
	if len(got) != len(want) {
		t.Fatalf("script %q, want %q", got, want)
	}
	for i := range want {
		if got[i].Text != want[i] || got[i].Lang != "nl" {
			t.Errorf("line %d: %+v, want %q in nl", i, got[i], want[i])
		}
	}
}

// TestPartsInOtherLanguages reads a stretch marked as Dutch inside a
// Turkish line with the Dutch voice, and shows the line unmarked.
func TestPartsInOtherLanguages(t *testing.T) {
	line := "10:30 – 12:00, " + InLanguage("nl", "Koffie-ochtend") + ", " + InLanguage("nl", "Zaal 3") + ", iptal"
	got := Parts("tr", []string{line, "Ne yapmak istersiniz?"})
	want := []Part{{Lang: "tr", Text: "10:30 – 12:00, "}, {Lang: "nl", Text: "Koffie-ochtend"}, {Lang: "nl", Text: "Zaal 3"}, {Lang: "tr", Text: ", iptal"}, {Lang: "tr", Text: "Ne yapmak istersiniz?"}}
	if len(got) != len(want) {
		t.Fatalf("parts %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("part %d: %q, want %q", i, got[i], want[i])
		}
	}
	if p := Plain(line); p != "10:30 – 12:00, Koffie-ochtend, Zaal 3, iptal" {
		t.Errorf("Plain = %q", p)
	}
}
