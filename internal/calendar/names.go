package calendar

import (
	"strings"
	"time"
	"unicode"

	"buurtbalie/internal/programme"
)

// Other is the category of an imported event whose categories match none.
const Other = "anders"

// builtinNames are the names, Dutch and English, that a calendar may use
// for the built-in categories, beside their keys and the names the kiosk
// shows. They are compared by foldName.
var builtinNames = map[string][]string{
	"eten":      {"eten", "eten & drinken", "eten en drinken", "food", "food & drink", "food and drink", "maaltijd", "meal"},
	"bewegen":   {"bewegen", "beweging", "sport", "sports", "exercise"},
	"ontmoeten": {"ontmoeten", "ontmoeten & praten", "ontmoeten en praten", "ontmoeting", "meet", "meet & talk", "meet and talk", "social"},
	"leren":     {"leren", "leren & taal", "leren en taal", "taal", "cursus", "learning", "learning & language", "learning and language", "language", "course"},
	"hulp":      {"hulp", "hulp & advies", "hulp en advies", "advies", "spreekuur", "help", "help & advice", "help and advice", "advice"},
	"creatief":  {"creatief", "kunst", "creative", "art", "crafts"},
	Other:       {"anders", "overig", "overige", "other"},
}

// categoryMatcher finds a category key for a name a calendar gives.
type categoryMatcher map[string]string // folded name to key

func newCategoryMatcher(cats []programme.Category) categoryMatcher {
	m := categoryMatcher{}
	for key, names := range builtinNames {
		m[foldName(key)] = key
		for _, n := range names {
			m[foldName(n)] = key
		}
	}
	// The house's own come last, so their names win.
	for _, c := range cats {
		m[foldName(c.Key)] = c.Key
		for _, n := range c.Names {
			if f := foldName(n); f != "" {
				m[f] = c.Key
			}
		}
	}
	return m
}

// match returns the key of the category named name, and whether there is
// one.
func (m categoryMatcher) match(name string) (string, bool) {
	f := foldName(name)
	if f == "" {
		return "", false
	}
	key, ok := m[f]
	return key, ok
}

// keys lists the keys in the order people know them, for error messages.
func (m categoryMatcher) keys() string {
	seen := map[string]bool{}
	var ks []string
	for _, k := range []string{"eten", "bewegen", "ontmoeten", "leren", "hulp", "creatief", Other} {
		seen[k] = true
		ks = append(ks, k)
	}
	for _, k := range m {
		if !seen[k] {
			seen[k] = true
			ks = append(ks, k)
		}
	}
	return strings.Join(ks, ", ")
}

// foldName reduces a name to lower-case letters and digits, with "&"
// kept, so "Eten & Drinken", "eten&drinken" and " ETEN & drinken " meet.
func foldName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '&' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// dayNames are the Dutch short names, which WriteCSV writes.
var dayNames = [7]string{"zo", "ma", "di", "wo", "do", "vr", "za"}

// dayByName reads the names of weekdays people write in a sheet.
var dayByName = func() map[string]time.Weekday {
	m := map[string]time.Weekday{}
	add := func(d time.Weekday, names ...string) {
		for _, n := range names {
			m[n] = d
		}
	}
	add(time.Monday, "ma", "maa", "maandag", "mo", "mon", "monday")
	add(time.Tuesday, "di", "din", "dinsdag", "tu", "tue", "tuesday")
	add(time.Wednesday, "wo", "woe", "woensdag", "we", "wed", "wednesday")
	add(time.Thursday, "do", "don", "donderdag", "th", "thu", "thursday")
	add(time.Friday, "vr", "vri", "vrijdag", "fr", "fri", "friday")
	add(time.Saturday, "za", "zat", "zaterdag", "sa", "sat", "saturday")
	add(time.Sunday, "zo", "zon", "zondag", "su", "sun", "sunday")
	return m
}()
