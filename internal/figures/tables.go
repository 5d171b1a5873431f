package figures

import "strings"

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
	ProgrammeWords = TableWords{
		NL: Words{"programma-per-categorie", "Programma per categorie", Headings{"categorie", "gepland"}},
		EN: Words{"programme-per-category", "Programme per category", Headings{"category", "planned"}},
	}
	NotPickedUpWords = TableWords{
		NL: Words{"niet-binnen-een-dag", "Niet binnen een dag opgepakt", Headings{"onderwerp", "totaal"}},
		EN: Words{"not-within-a-day", "Not picked up within a day", Headings{"topic", "total"}},
	}
	OutcomesWords = TableWords{
		NL: Words{"afgerond-per-uitkomst", "Afgerond, per uitkomst", Headings{"uitkomst", "totaal"}},
		EN: Words{"closed-by-outcome", "Closed, by outcome", Headings{"outcome", "total"}},
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
	if strings.HasPrefix(screen, ScreenLanguage) {
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

// outcomeNames name the closing choices (question.Outcomes) for a
// report's reader, in Dutch and English.
var outcomeNames = map[string][2]string{
	"helped":     {"Geholpen", "Helped"},
	"passed_on":  {"Een partner helpt verder", "A partner helps further"},
	"no_contact": {"Bezoeker niet bereikt", "Visitor not reached"},
	"not_needed": {"Niet meer nodig", "No longer needed"},
	"other":      {"Anders", "Other"},
}

// outcomeOrder is the closing choices in the order a volunteer is
// offered them (question.Outcomes).
var outcomeOrder = []string{"helped", "passed_on", "no_contact", "not_needed", "other"}

// OutcomeName names a closing choice in lang ("nl" or "en").
func OutcomeName(outcome, lang string) string {
	n, ok := outcomeNames[outcome]
	if !ok {
		return outcome
	}
	if lang == "en" {
		return n[1]
	}
	return n[0]
}

// Namer names the keys of a report in one language.
type Namer struct {
	Lang                                                 string // "nl" or "en": the headings' language
	Topic, Category, Language, FollowUp, Screen, Outcome func(key string) string
}

// programmeCols name the programme table's columns.
var programmeCols = map[string][2]string{
	ColHeld: {"gehouden", "held"}, ColCancelled: {"ging niet door", "cancelled"}, ColChanged: {"andere zaal of tijd", "other room or time"},
}

// Wording is what a Namer reads names from: the kiosk's catalogue.
type Wording interface {
	Name(kind, key string, names map[string]string) string
	T(id string) string
}

// languageNames are the kiosk's languages as a Dutch or English reader of
// a report names them: the figures are for the municipality and its
// partners, and a PDF cannot shape Arabic or Ge'ez.
var languageNames = map[string][2]string{
	"nl": {"Nederlands", "Dutch"}, "en": {"Engels", "English"}, "tr": {"Turks", "Turkish"},
	"ar": {"Arabisch", "Arabic"}, "pl": {"Pools", "Polish"}, "uk": {"Oekraïens", "Ukrainian"}, "ti": {"Tigrinya", "Tigrinya"},
}

// NewNamer names topics by w (with names, the house's own per topic),
// the kiosk's languages in Dutch or English and others (a house's
// spoken-only ones) by language, and the rest in lang.
func NewNamer(lang string, w Wording, names, categories map[string]map[string]string, language func(string) string) Namer {
	named := func(l string) string {
		if n, ok := languageNames[l]; ok {
			if lang == "en" {
				return n[1]
			}
			return n[0]
		}
		return language(l)
	}
	return Namer{
		Lang:     lang,
		Topic:    func(k string) string { return w.Name("topic", k, names[k]) },
		Category: func(k string) string { return w.Name("category", k, categories[k]) },
		Language: named,
		FollowUp: func(f string) string {
			switch f {
			case "waiting":
				return w.T("ask.wait")
			case "come_back":
				return w.T("ask.later")
			}
			return f
		},
		Outcome: func(o string) string { return OutcomeName(o, lang) },
		Screen: func(sc string) string {
			if l, ok := strings.CutPrefix(sc, ScreenLanguage); ok {
				return ScreenName(sc, lang) + ": " + named(l)
			}
			return ScreenName(sc, lang)
		},
	}
}

// NamedTable is one of a report's tables with its words and names.
type NamedTable struct {
	Words
	Shown Shown
	Name  func(string) string
}

// NamedTiming is one of a report's timing tables with its words.
type NamedTiming struct {
	TimingWords
	Timings []Timing
	Name    func(string) string
}

// Tables are r's tables in n's language, in the order they are shown.
func (r Report) Tables(n Namer) []NamedTable {
	tl := r.TopicLanguages
	cols := make([]string, len(tl.Cols))
	for i, c := range tl.Cols {
		cols[i] = n.Language(c)
	}
	tl.Cols = cols
	prog := r.Programme
	progCols := make([]string, len(prog.Cols))
	for i, c := range prog.Cols {
		progCols[i] = programmeCols[c][0]
		if n.Lang == "en" {
			progCols[i] = programmeCols[c][1]
		}
	}
	prog.Cols = progCols
	return []NamedTable{
		{QuestionsWords.In(n.Lang), r.Questions, n.Topic},
		{LanguagesWords.In(n.Lang), r.Languages, n.Language},
		{TopicLanguagesWords.In(n.Lang), tl, n.Topic},
		{FollowUpWords.In(n.Lang), r.FollowUp, n.FollowUp},
		{NoTextWords.In(n.Lang), r.NoText, n.Topic},
		{NoSlipWords.In(n.Lang), r.NoSlip, n.Topic},
		{NotPickedUpWords.In(n.Lang), r.NotPickedUp, n.Topic},
		{OutcomesWords.In(n.Lang), r.Outcomes, n.Outcome},
		{ScreensWords.In(n.Lang), r.Screens, n.Screen},
		{ProgrammeWords.In(n.Lang), prog, n.Category},
	}
}

// Timings are r's timing tables in n's language.
func (r Report) Timings(n Namer) []NamedTiming {
	lang := n.Lang
	if lang != "en" {
		lang = "nl"
	}
	return []NamedTiming{
		{ContactWords[lang], r.Contact, n.Topic},
		{ClosedWords[lang], r.Closed, n.Topic},
		{ReferralWords[lang], r.Referrals, func(k string) string { return k }},
	}
}

// Headlines are the numbers on top of the page and the PDF, named in w's
// language.
func (r Report) Headlines(w Wording, n Namer) [][2]string {
	return [][2]string{
		{w.T("web.figures.total"), r.Questions.Total.String()},
		{n.FollowUp("waiting"), rowTotal(r.FollowUp, "waiting")},
		{n.FollowUp("come_back"), rowTotal(r.FollowUp, "come_back")},
		{w.T("web.figures.not_picked_up"), r.NotPickedUp.Total.String()},
		{w.T("web.figures.no_slip"), r.NoSlip.Total.String()},
	}
}

// rowTotal is the total of s's row key, "0" if it has none.
func rowTotal(s Shown, key string) string {
	for i, k := range s.Rows {
		if k == key {
			return s.RowTotals[i].String()
		}
	}
	return "0"
}
