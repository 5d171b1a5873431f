// Package voice holds the rules of a house's own recorded voices: which
// messages a visitor hears and can be recorded, how long a recording may
// be, and the languages a house adds that are spoken but rarely written
// (Tamaziɣt, Darija), which have recordings and no written messages.
package voice

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits of what staff upload: a prompt is a sentence or two, and the
// server converts what it receives before storing it.
const (
	MaxUploadBytes = 10 << 20
	MaxSeconds     = 60
)

// Recorded is one recording, without its sound.
type Recorded struct {
	Lang, Prompt string
	Length       time.Duration
	UpdatedAt    string // when, as the database stamps it
	UpdatedBy    string // who
}

// NamePrompt is the prompt of a language's own name: what its tile on
// the language screen plays.
const NamePrompt = "language.name"

// heard are the prefixes of the messages a visitor hears on the kiosk.
var heard = []string{"action.", "ask.", "category.", "change.", "cost.", "day.", "detail.", "emergency.", "idle.", "myslip.",
	"programme.", "status.", "today.", "topic.", "welcome."}

// Prompts are the messages of ids a visitor hears read aloud and a house
// can record: the kiosk's plain messages, with the language's own name
// first. Messages with something filled in (a room, a time) vary, so a
// recording could not say them.
func Prompts(ids []string, plain func(id string) bool) []string {
	out := []string{NamePrompt}
	for _, id := range ids {
		if id == NamePrompt || !plain(id) {
			continue
		}
		if slices.ContainsFunc(heard, func(p string) bool { return strings.HasPrefix(id, p) }) {
			out = append(out, id)
		}
	}
	return out
}

// A SpokenLanguage is one a house added for visitors who speak it but
// rarely read it: its screens show the house's language with the
// pictograms, and "Voorlezen" plays its recordings.
type SpokenLanguage struct {
	Code string // "x-tamazight": a private-use tag, never a written language's
	Name string // as staff typed it: "Tamaziɣt"
}

// ErrName is why a spoken language's name was refused.
var ErrName = errors.New("spoken language name")

// NewSpokenLanguage checks the name staff typed and gives the language
// its code. taken reports whether a code or name is already a language
// of the kiosk.
func NewSpokenLanguage(name string, taken func(codeOrName string) bool) (SpokenLanguage, error) {
	name = strings.Join(strings.Fields(name), " ")
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return SpokenLanguage{}, fmt.Errorf("%w: empty; type the language's name as its speakers write it, e.g. Tamaziɣt", ErrName)
	case n > 30:
		return SpokenLanguage{}, fmt.Errorf("%w: longer than 30 characters; shorten it so it fits its tile", ErrName)
	}
	var slug []rune
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) && r < 128:
			slug = append(slug, unicode.ToLower(r))
		case unicode.IsLetter(r) || r == ' ' || r == '-' || r == '\'' || r == '’':
			// other letters (ɣ, ⵜ) are fine in the name, not in the code
		default:
			return SpokenLanguage{}, fmt.Errorf("%w: %q is not a letter; use only letters, spaces, - and '", ErrName, r)
		}
	}
	base := "x-" + string(slug)
	if len(slug) == 0 {
		base = "x-spoken"
	}
	if len(base) > 12 {
		base = base[:12]
	}
	if taken(name) {
		return SpokenLanguage{}, fmt.Errorf("%w: the kiosk already has a language called %s", ErrName, name)
	}
	code := base
	for i := 2; taken(code); i++ {
		code = fmt.Sprintf("%s%d", base, i)
	}
	return SpokenLanguage{Code: code, Name: name}, nil
}

// IsSpoken reports whether lang is the code of a spoken language.
func IsSpoken(lang string) bool { return strings.HasPrefix(lang, "x-") }
