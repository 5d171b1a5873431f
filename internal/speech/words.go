// Package speech reads the kiosk's screens aloud, offline: it words a
// screen's lines as people say them in the visitor's language ("half elf",
// not "tien dertig" or "one-zero-three-zero"), has espeak-ng speak them,
// and plays the sound through ALSA.
//
// Numbers that are amounts stay digits in the wording: each espeak-ng
// voice says "24" as its language counts. What the voices get wrong is
// rewritten here: clock times, ranges of them, euro amounts, and numbers
// that are dialled digit by digit (112, 0800-0113).
package speech

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Part is one stretch of speech in one language: a screen's lines in the
// visitor's language, or a language's own name on the language screen.
type Part struct {
	Lang string // the language it is said in
	Text string
	// Prompt is the message Text is, when it is one: a house's
	// recording of it in Lang is played instead of the voice.
	Prompt string
	// Written is the language Text is written in, when Lang is a
	// spoken-only language: what the voice reads it in when there is no
	// recording.
	Written string
}

// Parts are lines in lang, one Part each, but for the stretches marked
// as another language's with InLanguage, which are parts of their own.
func Parts(lang string, lines []string) []Part {
	parts := make([]Part, 0, len(lines))
	for _, l := range lines {
		for l != "" {
			before, marked, ok := strings.Cut(l, markStart)
			if sayable(before) {
				parts = append(parts, Part{Lang: lang, Text: before})
			}
			if !ok {
				break
			}
			other, text, _ := strings.Cut(marked, markLang)
			text, l, _ = strings.Cut(text, markEnd)
			if sayable(text) {
				parts = append(parts, Part{Lang: other, Text: text})
			}
		}
	}
	return parts
}

// sayable reports whether s has anything to say: a letter or a digit,
// not only the comma between two marked stretches.
func sayable(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// The marks of a stretch in another language: private-use runes, which
// no message holds.
const (
	markStart = "\ue000"
	markLang  = "\ue001"
	markEnd   = "\ue002"
)

// InLanguage marks s as written in lang, inside a line of another
// language: a Dutch activity title in a Turkish sentence is read by the
// Dutch voice, not garbled by the Turkish one.
func InLanguage(lang, s string) string {
	if s == "" {
		return ""
	}
	return markStart + lang + markLang + s + markEnd
}

// Plain is a line without its language marks, as the screen shows it.
func Plain(s string) string {
	if !strings.Contains(s, markStart) {
		return s
	}
	return marks.ReplaceAllString(s, "")
}

var marks = regexp.MustCompile(markStart + `[^` + markLang + `]*` + markLang + `|` + markEnd)

// Script is what the voice is given for parts: each line worded for
// speaking and ended as a sentence, so the voice pauses between them.
func Script(parts []Part) []Part {
	out := make([]Part, 0, len(parts))
	for _, p := range parts {
		t := strings.TrimLeft(Words(p.Lang, p.Text), ",،;: ")
		if t == "" {
			continue
		}
		if r, _ := utf8.DecodeLastRuneInString(t); !strings.ContainsRune(".!?:;,،…؟", r) {
			t += "."
		}
		p.Text = t
		out = append(out, p)
	}
	return out
}

var (
	clockRange = regexp.MustCompile(`\b([01]?\d|2[0-3])[:.]([0-5]\d)\s*[–-]\s*([01]?\d|2[0-3])[:.]([0-5]\d)\b`)
	clock      = regexp.MustCompile(`\b([01]?\d|2[0-3]):([0-5]\d)\b`)
	euro       = regexp.MustCompile(`€\s*(\d+)(?:[,.](\d\d))?`)
	// dialled are numbers people say digit by digit: emergency numbers
	// and phone numbers (0800-0113, 088-1234567).
	dialled   = regexp.MustCompile(`\b(11[0-9]|0\d{2,3}[- ]?\d{4,7}|0\d{9})\b`)
	bidiMarks = strings.NewReplacer("\u200e", "", "\u200f", "", "\u061c", "", "\u2066", "", "\u2067", "", "\u2068", "", "\u2069", "")
	// joiners are the separators between a screen's parts that a voice
	// would read as a word or not pause at.
	joiners       = strings.NewReplacer(" · ", ", ", "·", ", ", " — ", ". ", " – ", ", ")
	arabicJoiners = strings.NewReplacer(" · ", "، ", "·", "، ", " — ", ". ", " – ", "، ", ", ", "، ")
)

// Words rewrites one line as it is said in lang.
func Words(lang, s string) string {
	s = bidiMarks.Replace(strings.TrimSpace(s))
	w := wordsFor(lang)
	s = clockRange.ReplaceAllStringFunc(s, func(m string) string {
		g := clockRange.FindStringSubmatch(m)
		return w.span(atoi(g[1]), atoi(g[2]), atoi(g[3]), atoi(g[4]))
	})
	s = clock.ReplaceAllStringFunc(s, func(m string) string {
		g := clock.FindStringSubmatch(m)
		return w.clock(atoi(g[1]), atoi(g[2]))
	})
	s = euro.ReplaceAllStringFunc(s, func(m string) string {
		g := euro.FindStringSubmatch(m)
		return w.euro(g[1], g[2])
	})
	s = dialled.ReplaceAllStringFunc(s, digitByDigit)
	if w.date != nil {
		s = dayOfMonth.ReplaceAllStringFunc(s, func(m string) string {
			g := dayOfMonth.FindStringSubmatch(m)
			if d := atoi(g[1]); d >= 1 && d <= 31 {
				if said := w.date(d, g[2]); said != "" {
					return said
				}
			}
			return m
		})
	}
	j := joiners
	if lang == "ar" {
		j = arabicJoiners
	}
	return strings.Join(strings.Fields(j.Replace(s)), " ")
}

// dayOfMonth is a day before a month's name: "23 listopada".
var dayOfMonth = regexp.MustCompile(`\b([0-3]?\d) (\pL+)`)

// digitByDigit spells a dialled number, its groups apart: "0800-0113" is
// "0 8 0 0, 0 1 1 3".
func digitByDigit(n string) string {
	var groups []string
	for _, g := range strings.FieldsFunc(n, func(r rune) bool { return !unicode.IsDigit(r) }) {
		groups = append(groups, strings.Join(strings.Split(g, ""), " "))
	}
	return strings.Join(groups, ", ")
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// wording is how one language says times and amounts; numbers stay digits
// for the voice to say.
type wording struct {
	clock func(h, m int) string
	// span says from one time to another, which some languages say
	// with the hours in another case ("od dziesiątej do dwunastej").
	span func(h1, m1, h2, m2 int) string
	euro func(euros, cents string) string
	// date says the day of a month by its ordinal, where the language
	// does ("dwudziesty trzeci listopada"); "" leaves it as it is.
	date func(day int, month string) string
}

func wordsFor(lang string) wording {
	if w, ok := wordings[lang]; ok {
		return w
	}
	return wordings["en"]
}

// twelve is the hour on a twelve-hour clock, as people name it: 13:30 is
// "half twee", 0:15 "kwart over twaalf".
func twelve(h int) int {
	if h%12 == 0 {
		return 12
	}
	return h % 12
}

func n(i int) string { return strconv.Itoa(i) }

// euroWith says "€ 2,50" as "2 euro 50", which every voice reads as
// people say it (and not "euro twee komma vijf nul").
func euroWith(word string) func(string, string) string {
	return func(e, c string) string {
		if c == "" || c == "00" {
			return e + " " + word
		}
		return e + " " + word + " " + strings.TrimPrefix(c, "0")
	}
}

var wordings = map[string]wording{
	// "half elf", "kwart over tien", "tien uur", "twaalf uur dertig".
	"nl": {
		clock: dutchClock,
		span: func(h1, m1, h2, m2 int) string {
			return "van " + dutchClock(h1, m1) + " tot " + dutchClock(h2, m2)
		},
		euro: euroWith("euro"),
	},
	// "half past ten", "quarter to eleven", "ten o'clock", "ten oh five".
	"en": {
		clock: englishClock,
		span: func(h1, m1, h2, m2 int) string {
			return "from " + englishClock(h1, m1) + " to " + englishClock(h2, m2)
		},
		euro: euroWith("euro"),
		// "Monday 23rd November": the voice says "twenty-third".
		date: func(d int, month string) string {
			if !slices.Contains(englishMonths, month) {
				return ""
			}
			suffix := "th"
			switch {
			case d%10 == 1 && d != 11:
				suffix = "st"
			case d%10 == 2 && d != 12:
				suffix = "nd"
			case d%10 == 3 && d != 13:
				suffix = "rd"
			}
			return n(d) + suffix + " " + month
		},
	},
	// "saat on buçuk", "saat on", "saat on ikiyi çeyrek geçe" is too
	// much for a voice to inflect; "saat 12 15" is how a clock is read.
	"tr": {
		clock: turkishClock,
		span: func(h1, m1, h2, m2 int) string {
			return turkishClock(h1, m1) + " ile " + turkishClock(h2, m2) + " arası"
		},
		euro: euroWith("avro"),
	},
	// Polish names the hour by its ordinal: "dziesiąta trzydzieści".
	"pl": {
		clock: polishClock,
		span: func(h1, m1, h2, m2 int) string {
			return "od " + polishGenitive(h1, m1) + " do " + polishGenitive(h2, m2)
		},
		euro: euroWith("euro"),
		date: func(d int, month string) string {
			if !slices.Contains(polishMonths, month) {
				return ""
			}
			return polishDays[d] + " " + month
		},
	},
	// Ukrainian too: "десята тридцять".
	"uk": {
		clock: ukrainianClock,
		span: func(h1, m1, h2, m2 int) string {
			return "з " + ukrainianGenitive(h1, m1) + " до " + ukrainianGenitive(h2, m2)
		},
		euro: euroWith("євро"),
		date: func(d int, month string) string {
			if !slices.Contains(ukrainianMonths, month) {
				return ""
			}
			return ukrainianDays[d] + " " + month
		},
	},
	// "الساعة 10 والنصف", "الساعة 10 والربع".
	"ar": {
		clock: arabicClock,
		span: func(h1, m1, h2, m2 int) string {
			return "من " + arabicClock(h1, m1) + " إلى " + arabicClock(h2, m2)
		},
		euro: euroWith("يورو"),
	},
}

var englishMonths = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// polishMonths and ukrainianMonths are the months as a date names them
// (genitive): "23 listopada".
var polishMonths = []string{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"}

var ukrainianMonths = []string{"січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня", "листопада", "грудня"}

// polishDays are the days of a month as a date says them:
// "dwudziesty trzeci listopada".
var polishDays = [32]string{"", "pierwszy", "drugi", "trzeci", "czwarty", "piąty", "szósty", "siódmy", "ósmy", "dziewiąty", "dziesiąty",
	"jedenasty", "dwunasty", "trzynasty", "czternasty", "piętnasty", "szesnasty", "siedemnasty", "osiemnasty", "dziewiętnasty", "dwudziesty",
	"dwudziesty pierwszy", "dwudziesty drugi", "dwudziesty trzeci", "dwudziesty czwarty", "dwudziesty piąty", "dwudziesty szósty",
	"dwudziesty siódmy", "dwudziesty ósmy", "dwudziesty dziewiąty", "trzydziesty", "trzydziesty pierwszy"}

// ukrainianDays are the same in Ukrainian: "двадцять третє листопада".
var ukrainianDays = [32]string{"", "перше", "друге", "третє", "четверте", "п'яте", "шосте", "сьоме", "восьме", "дев'яте", "десяте",
	"одинадцяте", "дванадцяте", "тринадцяте", "чотирнадцяте", "п'ятнадцяте", "шістнадцяте", "сімнадцяте", "вісімнадцяте", "дев'ятнадцяте", "двадцяте",
	"двадцять перше", "двадцять друге", "двадцять третє", "двадцять четверте", "двадцять п'яте", "двадцять шосте",
	"двадцять сьоме", "двадцять восьме", "двадцять дев'яте", "тридцяте", "тридцять перше"}

var polishHours = [24]string{"zero", "pierwsza", "druga", "trzecia", "czwarta", "piąta", "szósta", "siódma", "ósma",
	"dziewiąta", "dziesiąta", "jedenasta", "dwunasta", "trzynasta", "czternasta", "piętnasta", "szesnasta",
	"siedemnasta", "osiemnasta", "dziewiętnasta", "dwudziesta", "dwudziesta pierwsza", "dwudziesta druga", "dwudziesta trzecia"}

var ukrainianHours = [24]string{"нульова", "перша", "друга", "третя", "четверта", "п'ята", "шоста", "сьома", "восьма",
	"дев'ята", "десята", "одинадцята", "дванадцята", "тринадцята", "чотирнадцята", "п'ятнадцята", "шістнадцята",
	"сімнадцята", "вісімнадцята", "дев'ятнадцята", "двадцята", "двадцять перша", "двадцять друга", "двадцять третя"}

// polishGenitive is a time after "od" or "do": "dziesiątej trzydzieści".
func polishGenitive(h, m int) string {
	words := strings.Fields(polishHours[h])
	for i, w := range words {
		switch {
		case strings.HasSuffix(w, "ga"):
			words[i] = strings.TrimSuffix(w, "a") + "iej" // druga → drugiej
		case strings.HasSuffix(w, "ia"):
			words[i] = strings.TrimSuffix(w, "a") + "ej" // trzecia → trzeciej
		case strings.HasSuffix(w, "a"):
			words[i] = strings.TrimSuffix(w, "a") + "ej"
		}
	}
	if m == 0 {
		return strings.Join(words, " ")
	}
	return strings.Join(words, " ") + " " + n(m)
}

// ukrainianGenitive is a time after "з" or "до": "десятої тридцять".
func ukrainianGenitive(h, m int) string {
	words := strings.Fields(ukrainianHours[h])
	for i, w := range words {
		switch {
		case strings.HasSuffix(w, "я"):
			words[i] = strings.TrimSuffix(w, "я") + "ьої" // третя → третьої
		case strings.HasSuffix(w, "а"):
			words[i] = strings.TrimSuffix(w, "а") + "ої"
		}
	}
	if m == 0 {
		return strings.Join(words, " ")
	}
	return strings.Join(words, " ") + " " + n(m)
}

func dutchClock(h, m int) string {
	switch m {
	case 0:
		return n(h) + " uur"
	case 15:
		return "kwart over " + n(twelve(h))
	case 30:
		return "half " + n(twelve(h+1))
	case 45:
		return "kwart voor " + n(twelve(h+1))
	}
	return n(h) + " uur " + n(m)
}

func englishClock(h, m int) string {
	switch {
	case m == 0:
		return n(twelve(h)) + " o'clock"
	case m == 15:
		return "quarter past " + n(twelve(h))
	case m == 30:
		return "half past " + n(twelve(h))
	case m == 45:
		return "quarter to " + n(twelve(h+1))
	case m < 10:
		return n(twelve(h)) + " oh " + n(m)
	}
	return n(twelve(h)) + " " + n(m)
}

func turkishClock(h, m int) string {
	switch m {
	case 0:
		return "saat " + n(h)
	case 30:
		return "saat " + n(h) + " buçuk"
	}
	return "saat " + n(h) + " " + n(m)
}

func arabicClock(h, m int) string {
	switch m {
	case 0:
		return "الساعة " + n(h)
	case 15:
		return "الساعة " + n(h) + " والربع"
	case 30:
		return "الساعة " + n(h) + " والنصف"
	}
	return "الساعة " + n(h) + " و " + n(m) + " دقيقة"
}

func polishClock(h, m int) string {
	if m == 0 {
		return "godzina " + polishHours[h]
	}
	return polishHours[h] + " " + n(m)
}

func ukrainianClock(h, m int) string {
	if m == 0 {
		return ukrainianHours[h] + " година"
	}
	return ukrainianHours[h] + " " + n(m)
}
