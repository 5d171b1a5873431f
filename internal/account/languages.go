package account

import (
	"fmt"
	"slices"
	"time"
)

// ActionLanguagesChanged is the audit log's action for a user saying
// which languages they speak; its detail lists the language tags.
const ActionLanguagesChanged = "languages_changed"

// OnDutyWithin is how recently a user must have used a logged-in page to
// count as on duty, for "nobody on duty speaks Türkçe".
//
// The house keeps no rota per person, only the volunteers' hours of the
// whole house, so the one honest sign that someone is in is their phone:
// a session (not logged out, not disabled) whose last request is recent.
// The queue page asks every few seconds while it is open, and the store
// notes a session as seen at most once a minute, so a volunteer with the
// queue open is seen all the time. Two hours is half a shift: long
// enough for a long talk with a visitor with the phone in a pocket,
// short enough that yesterday's volunteer, or this morning's who went
// home without logging out, no longer counts. It is a hint to look for
// help, not a promise, so erring either way does no harm beyond a label.
const OnDutyWithin = 2 * time.Hour

// CheckLanguages returns the languages a user chose to say they speak,
// sorted and without repeats, leaving out everyone: the house's own
// language (Dutch), which every volunteer speaks and which is therefore
// not stored. A language that is not in offered is refused with
// ErrInvalid: the form offers only the catalogue's languages.
func CheckLanguages(chosen, offered []string, everyone string) ([]string, error) {
	var out []string
	for _, lang := range chosen {
		if !slices.Contains(offered, lang) {
			return nil, fmt.Errorf("%w: there is no language %q here; choose from %v", ErrInvalid, lang, offered)
		}
		if lang != everyone && !slices.Contains(out, lang) {
			out = append(out, lang)
		}
	}
	slices.Sort(out)
	return out, nil
}

// NobodySpeaks reports whether a visitor who chose lang may find no one
// to talk to: no one on duty said they speak it. The house's own
// language, everyone, is spoken by all, and a question with no language
// was asked in it.
func NobodySpeaks(lang, everyone string, onDuty []string) bool {
	return lang != "" && lang != everyone && !slices.Contains(onDuty, lang)
}
