// Package house holds what staff tell about their house: its name, when
// volunteers are in (a week of periods with closures, see Volunteers,
// or the free text of old) and the emergency numbers (both printed on
// every slip), and the language each visitor starts in. Staff set them on the
// web's settings page; the config file gives the values a house starts
// with.
package house

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"buurtbalie/internal/programme"
	"buurtbalie/internal/voice"
)

// House is what the kiosk and its slips say about the house.
type House struct {
	Name string
	// Hours is the free text of when volunteers are in, one printed line
	// each: what a house wrote before it filled in Volunteers, printed
	// until it does.
	Hours      []string
	Volunteers Volunteers // when volunteers are in, as the kiosk understands it
	Emergency  []string   // emergency numbers, one printed line each
	Language   string     // the language each visitor starts in, e.g. "nl"
	// Languages are the languages the kiosk offers visitors, in the
	// order staff chose; none means every language it has.
	Languages []string
	// EmergencyIn are the house's emergency lines in other languages, by
	// language, where staff gave them.
	EmergencyIn map[string][]string
	// ReadAloud are the languages in which the kiosk reads each screen
	// aloud by itself, as staff chose; none by default.
	ReadAloud []string
	// Spoken are the languages staff added that have recordings and no
	// written messages, offered after the written ones.
	Spoken []voice.SpokenLanguage
}

// EmergencyLines are the emergency lines in full for a visitor reading
// lang: the house's own as staff wrote them, in the house's language or
// another one they gave them in; else the standard lines (112, 113, the
// out-of-hours doctor) in w's language, since the house's own words would
// be Dutch to a visitor who chose Arabic.
func (h House) EmergencyLines(w Words, lang string) []string {
	if lang == h.Language && len(h.Emergency) > 0 {
		return h.Emergency
	}
	if lines := h.EmergencyIn[lang]; len(lines) > 0 {
		return lines
	}
	return []string{w.Tf("emergency.line_112", nil), w.Tf("emergency.line_113", nil), w.Tf("emergency.line_gp", nil)}
}

// HoursLines returns the printed lines of when volunteers are in, on a
// slip printed at now: made from the schedule staff filled in, in w's
// language, with the closures coming up, or else the free text as the
// house wrote it.
func (h House) HoursLines(w Words, now time.Time) []string {
	if h.Volunteers.Origin == OriginForm {
		return append(h.Volunteers.Lines(w), h.Volunteers.ClosedLines(w, now)...)
	}
	return h.Hours
}

// WithHours returns h with Volunteers read from the free-text Hours when
// staff have not filled in the schedule: a house that only ever had the
// text keeps its slips and gets what the kiosk can read of it.
func (h House) WithHours() House {
	if h.Volunteers.Origin != OriginForm {
		h.Volunteers = ParseHours(h.Hours)
	}
	return h
}

// Limits, so everything fits on the screen and on a slip of 58 mm.
const (
	MaxName  = 60
	MaxLines = 6  // of hours, of emergency numbers
	MaxLine  = 60 // characters a printed line
)

// Lines splits text typed in a box, one line each, into trimmed lines
// without the empty ones. "|" separates lines too, as in the config file.
func Lines(text string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '|' }) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Normalise trims the name and drops empty lines.
func (h House) Normalise() House {
	h.Name = strings.Join(strings.Fields(h.Name), " ")
	h.Hours = Lines(strings.Join(h.Hours, "\n"))
	h.Emergency = Lines(strings.Join(h.Emergency, "\n"))
	h.Language = strings.TrimSpace(h.Language)
	for lang, lines := range h.EmergencyIn {
		if l := Lines(strings.Join(lines, "\n")); len(l) > 0 {
			h.EmergencyIn[lang] = l
		} else {
			delete(h.EmergencyIn, lang)
		}
	}
	return h
}

// Validate reports the first thing wrong, as a *programme.InvalidError
// whose Reason the pages translate. hasLanguage says whether the kiosk
// speaks a language.
func (h House) Validate(hasLanguage func(string) bool) error {
	switch {
	case h.Name == "":
		return invalid("name", "house_name_required", "give the house's name, e.g. \"Buurthuis De Linde\"")
	case utf8.RuneCountInString(h.Name) > MaxName:
		return invalid("name", "too_long", "keep the name to %d characters so it fits on the screen", MaxName)
	case !hasLanguage(h.Language):
		return invalid("language", "language_unknown", "the kiosk has no translation %q", h.Language)
	}
	fields := []struct {
		field string
		lines []string
	}{{"hours", h.Hours}, {"emergency", h.Emergency}}
	for _, lang := range slices.Sorted(maps.Keys(h.EmergencyIn)) {
		fields = append(fields, struct {
			field string
			lines []string
		}{"emergency-" + lang, h.EmergencyIn[lang]})
	}
	for _, f := range fields {
		if len(f.lines) > MaxLines {
			return invalid(f.field, "too_many_lines", "keep it to %d lines so it fits on a slip", MaxLines)
		}
		for _, l := range f.lines {
			if utf8.RuneCountInString(l) > MaxLine {
				return invalid(f.field, "line_too_long", "keep each line to %d characters so it fits on a slip", MaxLine)
			}
		}
	}
	return nil
}

func invalid(field, reason, format string, args ...any) error {
	return &programme.InvalidError{Field: field, Reason: reason, Detail: fmt.Sprintf(format, args...)}
}
