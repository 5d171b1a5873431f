package house

import (
	"slices"
	"strings"
)

// OfferedLanguages orders the languages a kiosk offers visitors: those
// staff chose, in their order, that the kiosk has; then, if staff chose
// none, all it has. The default language is always offered (first, when
// staff did not place it): it is what every visitor starts in.
func OfferedLanguages(chosen, have []string, defaultLang string) []string {
	var out []string
	for _, l := range chosen {
		if slices.Contains(have, l) && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		out = slices.Clone(have)
	}
	if defaultLang != "" && slices.Contains(have, defaultLang) && !slices.Contains(out, defaultLang) {
		out = append([]string{defaultLang}, out...)
	}
	return out
}

// CheckLanguages reports what is wrong with the languages staff chose to
// offer, as a *programme.InvalidError for the field "languages": one the
// kiosk does not have, none at all, or not the language visitors start in.
func CheckLanguages(chosen []string, has func(string) bool, defaultLang string) error {
	if len(chosen) == 0 {
		return invalid("languages", "languages_none", "offer at least one language")
	}
	for _, l := range chosen {
		if !has(l) {
			return invalid("languages", "language_unknown", "the kiosk has no translation %q", l)
		}
	}
	if !slices.Contains(chosen, defaultLang) {
		return invalid("languages", "languages_default", "the language every visitor starts in (%s) must be offered too", defaultLang)
	}
	return nil
}

// JoinLanguages and SplitLanguages store the offered languages as one
// value, "nl,tr,ar".
func JoinLanguages(langs []string) string { return strings.Join(langs, ",") }

// SplitLanguages reads what JoinLanguages wrote.
func SplitLanguages(s string) []string {
	var out []string
	for _, l := range strings.Split(s, ",") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
