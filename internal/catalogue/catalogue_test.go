package catalogue_test

import (
	"encoding/json"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"buurtbalie/assets"
	"buurtbalie/internal/catalogue"
)

func load(t *testing.T) *catalogue.Catalogue {
	t.Helper()
	c, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Every language has every message the default language has, and no
// message the default language lacks (a typo in an ID).
func TestEveryLanguageIsComplete(t *testing.T) {
	keys := func(file string) []string {
		b, err := fs.ReadFile(assets.Messages, "i18n/"+file)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		var ks []string
		for k, raw := range m {
			// A message is a string, or its plural forms ("one",
			// "other", …), of which "other" every language has.
			var v string
			if err := json.Unmarshal(raw, &v); err != nil {
				var forms map[string]string
				if err := json.Unmarshal(raw, &forms); err != nil {
					t.Fatalf("%s: %s is neither a string nor plural forms: %v", file, k, err)
				}
				v = forms["other"]
			}
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %s is empty", file, k)
			}
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	want := keys("nl.json")
	for _, lang := range load(t).Languages() {
		got := keys(lang + ".json")
		for _, k := range want {
			if !slices.Contains(got, k) {
				t.Errorf("%s.json lacks %q", lang, k)
			}
		}
		for _, k := range got {
			if !slices.Contains(want, k) {
				t.Errorf("%s.json has %q, which nl.json lacks", lang, k)
			}
		}
	}
}

func TestTranslate(t *testing.T) {
	c := load(t)
	if got := c.Languages(); len(got) < 2 || got[0] != "nl" {
		t.Fatalf("Languages() = %v, want nl first", got)
	}
	tests := []struct {
		lang, got, want string
	}{
		{"nl", c.For("nl").Date(2026, time.November, 23), "maandag 23 november"},
		{"en", c.For("en").Date(2026, time.November, 23), "Monday 23 November"},
		{"nl", c.For("nl").Cost(350), "€ 3,50"},
		{"en", c.For("en").Cost(350), "€3.50"},
		{"nl", c.For("nl").Cost(0), "Gratis"},
		{"nl", c.Language("en"), "English"},
		{"xx falls back to nl", c.For("xx").T("welcome.today"), "Wat is er vandaag?"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.lang, tt.got, tt.want)
		}
	}
	for _, tt := range []struct {
		lang string
		n    int
		want string
	}{
		{"nl", 1, "1 minuut"}, {"nl", 2, "2 minuten"}, {"en", 1, "1 minute"}, {"en", 5, "5 minutes"},
	} {
		if got := c.For(tt.lang).Tn("plural.minutes", tt.n, nil); got != tt.want {
			t.Errorf("%s Tn(plural.minutes, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
	for _, tt := range []struct {
		lang string
		n    int
		want string
	}{{"nl", 510519, "510.519"}, {"en", 510519, "510,519"}, {"nl", 999, "999"}, {"nl", 1000, "1.000"}, {"nl", -12345, "-12.345"}} {
		if got := c.For(tt.lang).Number(tt.n); got != tt.want {
			t.Errorf("%s Number(%d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
	if got := c.For("en").T("no.such.message"); got != "no.such.message" {
		t.Errorf("missing message = %q, want its ID", got)
	}
	if got := c.Missing(); !slices.Contains(got, "en:no.such.message") {
		t.Errorf("Missing() = %v, want it to name en:no.such.message", got)
	}
	if _, ok := c.For("en").Lookup("category.eten"); !ok {
		t.Errorf("Lookup(category.eten) not found")
	}
	if _, ok := c.For("en").Lookup("category.zelfgemaakt"); ok {
		t.Errorf("Lookup of a staff-made category found something")
	}
}

// A new language is one file: a third catalogue is picked up, and a
// message it lacks falls back to Dutch.
func TestAddingALanguageIsAddingAFile(t *testing.T) {
	nl, _ := fs.ReadFile(assets.Messages, "i18n/nl.json")
	fsys := fstest.MapFS{
		"i18n/nl.json": {Data: nl},
		"i18n/tr.json": {Data: []byte(`{"language.name": "Türkçe", "welcome.today": "Bugün ne var?"}`)},
	}
	c, err := catalogue.Load(fsys, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Language("tr"); got != "Türkçe" {
		t.Errorf("Language(tr) = %q", got)
	}
	if got := c.For("tr").T("today.all"); got != "Alles" {
		t.Errorf("fallback = %q, want Alles", got)
	}
	if _, err := catalogue.Load(fsys, "i18n", "de"); err == nil {
		t.Errorf("loading with a default language that has no file succeeded")
	}
	bad := fstest.MapFS{"i18n/nl.json": {Data: []byte(`{"a": `)}}
	if _, err := catalogue.Load(bad, "i18n", "nl"); err == nil || !strings.Contains(err.Error(), "nl.json") {
		t.Errorf("broken file: err = %v, want one naming nl.json", err)
	}
}

// A name staff gave wins over the catalogue's; the catalogue names built-in
// things in languages staff did not name; a thing of staff's own falls
// back to its Dutch name, then its key.
func TestName(t *testing.T) {
	c := load(t)
	nl, en := c.For("nl"), c.For("en")
	renamed := map[string]string{"nl": "Koffie & eten"}
	tests := []struct {
		tr        *catalogue.Translator
		key       string
		names     map[string]string
		want      string
		isBuiltIn bool
	}{
		{nl, "eten", nil, "Eten & drinken", true},
		{nl, "eten", renamed, "Koffie & eten", true},
		{en, "eten", renamed, "Food & drink", true},
		{en, "koken", map[string]string{"nl": "Koken"}, "Koken", false},
		{en, "koken", map[string]string{"nl": "Koken", "en": "Cooking"}, "Cooking", false},
		{nl, "koken", nil, "koken", false},
	}
	for _, tt := range tests {
		if got := tt.tr.Name("category", tt.key, tt.names); got != tt.want {
			t.Errorf("%s Name(%s, %v) = %q, want %q", tt.tr.Lang(), tt.key, tt.names, got, tt.want)
		}
		if got := tt.tr.BuiltIn("category", tt.key); got != tt.isBuiltIn {
			t.Errorf("BuiltIn(%s) = %t", tt.key, got)
		}
	}
}

// pluralForms are the CLDR plural categories each shipped language must
// give for a plural message: fewer and go-i18n finds no form for some
// counts (Polish "5 minut", Arabic "11 دقيقة"), more and a form is dead.
var pluralForms = map[string][]string{
	"nl": {"one", "other"},
	"en": {"one", "other"},
	"tr": {"one", "other"},
	"ti": {"one", "other"},
	"pl": {"few", "many", "one", "other"},
	"uk": {"few", "many", "one", "other"},
	"ar": {"few", "many", "one", "other", "two", "zero"},
}

// Every plural message has exactly its language's forms, and every count
// a visitor can meet finds one.
func TestPluralFormsOfEveryLanguage(t *testing.T) {
	c := load(t)
	for _, lang := range c.Languages() {
		want, ok := pluralForms[lang]
		if !ok {
			t.Errorf("%s.json: no plural forms known for %s; add them to pluralForms", lang, lang)
			continue
		}
		b, err := fs.ReadFile(assets.Messages, "i18n/"+lang+".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		for id, raw := range m {
			var forms map[string]string
			if json.Unmarshal(raw, &forms) != nil {
				continue // a plain message
			}
			var got []string
			for f, text := range forms {
				got = append(got, f)
				if strings.TrimSpace(text) == "" {
					t.Errorf("%s.json: %s has an empty %q form", lang, id, f)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s.json: %s has forms %v, want %v", lang, id, got, want)
			}
			for _, n := range []int{0, 1, 2, 3, 4, 5, 11, 12, 21, 22, 25, 100, 101, 102, 111} {
				c.For(lang).Tn(id, n, map[string]any{})
			}
		}
	}
	if missing := c.Missing(); len(missing) > 0 {
		t.Errorf("plural messages without a form for some count: %v", missing)
	}
}

// Arabic keeps Western digits unless the house chose Arabic-Indic ones;
// then times, dates, numbers and counts change, and no other language does.
func TestEasternArabicDigits(t *testing.T) {
	fsys := fstest.MapFS{
		"i18n/nl.json": {Data: []byte(`{"format.date": "{{.Weekday}} {{.Day}} {{.Month}}", "weekday.monday": "maandag", "month.november": "november", "format.thousands": ".", "n": {"one": "{{.Count}} minuut", "other": "{{.Count}} minuten"}}`)},
		"i18n/ar.json": {Data: []byte(`{"format.date": "{{.Weekday}} {{.Day}} {{.Month}}", "weekday.monday": "الاثنين", "month.november": "نوفمبر", "format.thousands": ",", "n": {"zero": "{{.Count}} دقيقة", "one": "دقيقة واحدة", "two": "دقيقتان", "few": "{{.Count}} دقائق", "many": "{{.Count}} دقيقة", "other": "{{.Count}} دقيقة"}}`)},
	}
	c, err := catalogue.Load(fsys, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 12, 30, 0, 0, time.UTC)
	ar, nl := c.For("ar"), c.For("nl")
	if got := ar.Clock(at); got != "12:30" {
		t.Errorf("Arabic clock by default = %q, want Western digits 12:30", got)
	}
	c.UseEasternArabicDigits(true)
	for _, tt := range []struct{ got, want string }{
		{ar.Clock(at), "١٢:٣٠"},
		{ar.Date(2026, time.November, 23), "الاثنين ٢٣ نوفمبر"},
		{ar.Number(1500), "١,٥٠٠"},
		{ar.Tn("n", 5, nil), "٥ دقائق"},
		{nl.Clock(at), "12:30"},
		{nl.Tn("n", 5, nil), "5 minuten"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// Staff's corrections win over the shipped messages, a plural message's
// other forms stay, and setting them again replaces the last ones.
func TestCorrections(t *testing.T) {
	c := load(t)
	tr := c.For("tr")
	shipped := tr.T("welcome.today")
	c.SetCorrections([]catalogue.Correction{
		{Lang: "tr", ID: "welcome.today", Form: "other", Text: "Bugün neler var?"},
		{Lang: "nl", ID: "plural.minutes", Form: "one", Text: "{{.Count}} minuutje"},
		{Lang: "nl", ID: "no.such.message", Form: "other", Text: "x"},
	})
	if got := tr.T("welcome.today"); got != "Bugün neler var?" {
		t.Errorf("corrected Turkish = %q", got)
	}
	nl := c.For("nl")
	if got := nl.Tn("plural.minutes", 1, nil); got != "1 minuutje" {
		t.Errorf("corrected one form = %q", got)
	}
	if got := nl.Tn("plural.minutes", 3, nil); got != "3 minuten" {
		t.Errorf("the form not corrected = %q, want the shipped 3 minuten", got)
	}
	if got := c.For("en").T("welcome.today"); got != "What's on today?" {
		t.Errorf("another language changed: %q", got)
	}
	c.SetCorrections(nil)
	if got := tr.T("welcome.today"); got != shipped {
		t.Errorf("back to the shipped text: %q, want %q", got, shipped)
	}
	if f, ok := c.Shipped("nl", "plural.minutes"); !ok || f["one"] != "{{.Count}} minuut" {
		t.Errorf("Shipped = %v, %v", f, ok)
	}
}

// TestIDOf finds a plain message by its text, corrections included, and
// not a message with something filled in.
func TestIDOf(t *testing.T) {
	cat, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	nl := cat.For("nl")
	if id, ok := nl.IDOf(nl.T("ask.topic_title")); !ok || id != "ask.topic_title" {
		t.Errorf("IDOf(%q) = %q, %v", nl.T("ask.topic_title"), id, ok)
	}
	if _, ok := nl.IDOf(nl.Tf("detail.room", map[string]any{"Room": "Zaal 1"})); ok {
		t.Error("a message with a room filled in has an ID")
	}
	tr := cat.For("tr")
	cat.SetCorrections([]catalogue.Correction{{Lang: "tr", ID: "ask.topic_title", Form: "other", Text: "Sorunuz ne hakkında?"}})
	if id, ok := tr.IDOf("Sorunuz ne hakkında?"); !ok || id != "ask.topic_title" {
		t.Errorf("after a correction IDOf = %q, %v", id, ok)
	}
}

// A later layer's message takes the place of an earlier one's; the
// languages are the last layer's, whatever else the earlier ones have.
func TestLayers(t *testing.T) {
	kiosk := fstest.MapFS{
		"i18n/nl.json": {Data: []byte(`{"language.name": "Nederlands", "a": "kiosk a", "b": "kiosk b"}`)},
		"i18n/tr.json": {Data: []byte(`{"language.name": "Türkçe", "a": "kiosk a tr"}`)},
		"i18n/en.json": {Data: []byte(`{"language.name": "English", "a": "kiosk a en"}`)},
	}
	district := fstest.MapFS{
		"nl.json": {Data: []byte(`{"b": "wijk b", "c": "wijk c"}`)},
		"en.json": {Data: []byte(`{"c": "district c"}`)},
	}
	c, err := catalogue.LoadLayers("nl", catalogue.Layer{FS: kiosk, Dir: "i18n"}, catalogue.Layer{FS: district, Dir: "."})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Languages(); !slices.Equal(got, []string{"nl", "en"}) {
		t.Errorf("languages %v, want the last layer's: nl, en", got)
	}
	for _, tc := range []struct{ lang, id, want string }{
		{"nl", "a", "kiosk a"}, {"nl", "b", "wijk b"}, {"nl", "c", "wijk c"},
		{"en", "a", "kiosk a en"}, {"en", "c", "district c"},
		{"en", "b", "wijk b"}, // no layer has it in English: the default language's, as laid over
	} {
		if got := c.For(tc.lang).T(tc.id); got != tc.want {
			t.Errorf("%s %s = %q, want %q", tc.lang, tc.id, got, tc.want)
		}
	}
	if shipped, _ := c.Shipped("nl", "b"); shipped["other"] != "wijk b" {
		t.Errorf("shipped nl b = %v, want the later layer's", shipped)
	}
	bad := fstest.MapFS{"nl.json": {Data: []byte(`{"b": `)}}
	if _, err := catalogue.LoadLayers("nl", catalogue.Layer{FS: kiosk, Dir: "i18n"}, catalogue.Layer{FS: bad, Dir: "."}); err == nil || !strings.Contains(err.Error(), "nl.json") {
		t.Errorf("broken file in a layer: err = %v, want one naming nl.json", err)
	}
}
