package programme

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Pictograms are the built-in pictograms staff choose from for a category
// or a question topic: pictures that say the thing to someone who does not
// read well. Each has an SVG in assets/icons.
var Pictograms = []string{
	"eten", "bewegen", "ontmoeten", "leren", "hulp", "creatief",
	"geld", "wonen", "gezondheid", "mensen", "taal", "werk",
	"home", "phone", "info", "hand", "question", "anders",
}

// MaxName is how long the name of a category or topic may be: it goes on
// a chip and a tile on the kiosk.
const MaxName = 40

// keyPattern is what a key looks like: it is stored with every activity
// and question and goes into CSV files, so it stays plain.
var keyPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidateNamed checks a thing visitors pick by pictogram and name (a
// category, a question topic): a plain key, a built-in pictogram, and
// short names. builtIn says the catalogue already names it, so staff need
// not; otherwise it needs a name in lang, the house's default language.
func ValidateNamed(key, icon string, names map[string]string, builtIn bool, lang string) error {
	switch {
	case key == "":
		return invalid("key", "key_required", "give it a short key")
	case len(key) > 40 || !keyPattern.MatchString(key):
		return invalid("key", "key_format", "a key has only a-z, 0-9 and dashes, e.g. \"koken\"")
	case !slices.Contains(Pictograms, icon):
		return invalid("icon", "icon_unknown", "choose one of the built-in pictograms: %s", strings.Join(Pictograms, ", "))
	case !builtIn && strings.TrimSpace(names[lang]) == "":
		return invalid("name", "name_required", "give it a name in %q", lang)
	}
	for _, n := range names {
		if utf8.RuneCountInString(n) > MaxName {
			return invalid("name", "too_long", "keep names to %d characters", MaxName)
		}
	}
	return nil
}

// KeyFor makes a key from a name: "Koken & bakken" becomes "koken-bakken".
// Letters with accents lose them; what is left that is not a-z or 0-9
// separates words. It returns "" for a name with nothing usable.
func KeyFor(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if base, ok := plainLetter[r]; ok {
			r = base
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if b.Len() >= 30 {
				break
			}
			continue
		}
		dash = true
	}
	return b.String()
}

// plainLetter maps the accented letters of Dutch and its neighbours to
// their plain ones, for keys.
var plainLetter = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ä': 'a', 'ã': 'a', 'å': 'a',
	'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ı': 'i',
	'ò': 'o', 'ó': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u',
	'ç': 'c', 'ñ': 'n', 'ş': 's', 'ğ': 'g', 'ł': 'l', 'ą': 'a', 'ę': 'e',
}

// Validate checks a category as staff edit it; see ValidateNamed.
func (c Category) Validate(builtIn bool, lang string) error {
	return ValidateNamed(c.Key, c.Icon, c.Names, builtIn, lang)
}
