package figures

// The report's tables as a funder reads them: a file name, a title and
// column names in Dutch and in English.

// Words are a table's title and headings in one language.
type Words struct {
	File, Title string
	Headings
}

// TableWords are each table's words, by language ("nl", "en").
type TableWords struct {
	NL, EN Words
}

// In returns the words in lang: English for "en", else Dutch.
func (w TableWords) In(lang string) Words {
	if lang == "en" {
		return w.EN
	}
	return w.NL
}

// The words of the report's tables.
var (
	QuestionsWords = TableWords{
		NL: Words{"vragen-per-onderwerp", "Vragen per onderwerp", Headings{"onderwerp", "totaal"}},
		EN: Words{"questions-per-topic", "Questions per topic", Headings{"topic", "total"}},
	}
	LanguagesWords = TableWords{
		NL: Words{"vragen-per-taal", "Vragen per taal", Headings{"taal", "totaal"}},
		EN: Words{"questions-per-language", "Questions per language", Headings{"language", "total"}},
	}
	TopicLanguagesWords = TableWords{
		NL: Words{"onderwerp-en-taal", "Vragen per onderwerp en taal", Headings{"onderwerp", "totaal"}},
		EN: Words{"topic-and-language", "Questions per topic and language", Headings{"topic", "total"}},
	}
	FollowUpWords = TableWords{
		NL: Words{"wachten-of-terugkomen", "Wachtte of kwam terug", Headings{"keuze", "totaal"}},
		EN: Words{"waited-or-came-back", "Waited or came back", Headings{"choice", "total"}},
	}
	NoTextWords = TableWords{
		NL: Words{"zonder-tekst", "Zonder tekst (Sla over)", Headings{"onderwerp", "totaal"}},
		EN: Words{"without-text", "Without text (skipped)", Headings{"topic", "total"}},
	}
	ScreensWords = TableWords{
		NL: Words{"kiosk-per-uur", "Kiosk: schermen per uur van de dag", Headings{"scherm", "totaal"}},
		EN: Words{"kiosk-per-hour", "Kiosk: screens per hour of the day", Headings{"screen", "total"}},
	}
	NoSlipWords = TableWords{
		NL: Words{"zonder-bonnetje", "Zonder bonnetje (printer)", Headings{"onderwerp", "totaal"}},
		EN: Words{"without-slip", "Without a slip (printer)", Headings{"topic", "total"}},
	}
)

// TimingWords are a timing table's title and headings in one language.
type TimingWords struct {
	File, Title string
	TimingHeadings
}

// The words of the report's timing tables, by language.
var (
	ContactWords = map[string]TimingWords{
		"nl": {"tijd-tot-contact", "Tijd tot het eerste contact", TimingHeadings{"onderwerp", "aantal", "mediaan (minuten)", "90e percentiel (minuten)"}},
		"en": {"time-to-contact", "Time to first contact", TimingHeadings{"topic", "count", "median (minutes)", "90th percentile (minutes)"}},
	}
	ClosedWords = map[string]TimingWords{
		"nl": {"tijd-tot-afronden", "Tijd tot afronden", TimingHeadings{"onderwerp", "aantal", "mediaan (minuten)", "90e percentiel (minuten)"}},
		"en": {"time-to-close", "Time to closing", TimingHeadings{"topic", "count", "median (minutes)", "90th percentile (minutes)"}},
	}
	ReferralWords = map[string]TimingWords{
		"nl": {"doorverwijzingen", "Doorverwijzingen per partner", TimingHeadings{"partner", "aantal", "mediaan (minuten)", "90e percentiel (minuten)"}},
		"en": {"referrals", "Referrals per partner", TimingHeadings{"partner", "count", "median (minutes)", "90th percentile (minutes)"}},
	}
)

// screenNames name the counted screens, by language.
var screenNames = map[string][2]string{ // nl, en
	ScreenWelcome:   {"Welkom", "Welcome"},
	ScreenToday:     {"Wat is er vandaag?", "What's on today?"},
	ScreenDetail:    {"Een activiteit", "An activity"},
	ScreenAsk:       {"Een vraag begonnen", "A question begun"},
	ScreenMySlip:    {"Mijn bonnetje opgezocht", "My slip looked up"},
	ScreenReadAloud: {"Voorlezen", "Read aloud"},
	ScreenLanguage:  {"Taal gekozen", "Language chosen"},
}

// ScreenName names a counted screen in lang ("nl" or "en"); a language
// chosen is named without the language.
func ScreenName(screen, lang string) string {
	if len(screen) > len(ScreenLanguage) && screen[:len(ScreenLanguage)] == ScreenLanguage {
		screen = ScreenLanguage
	}
	n, ok := screenNames[screen]
	if !ok {
		return screen
	}
	if lang == "en" {
		return n[1]
	}
	return n[0]
}
