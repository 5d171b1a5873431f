// Package correction holds the rules for staff's corrections of the
// kiosk's messages: which messages a house may reword, and what a
// correction must keep so it still works (its {{.Placeholders}}, a
// template that parses). A house's own Turkish-speaking volunteer fixes a
// phrase on the settings page; these rules stop a typo from breaking the
// screen it is on.
package correction

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"unicode/utf8"

	"buurtbalie/internal/programme"
)

// MaxText is the longest correction: the longest shipped message is
// under 400 characters.
const MaxText = 600

// Visitor reports whether id is a message visitors see (on the kiosk, the
// slip or their page): those are the ones staff may correct. The staff
// pages and the import reports stay as shipped.
func Visitor(id string) bool {
	for _, p := range []string{"web.", "import.", "staff.", "language.checked"} {
		if strings.HasPrefix(id, p) {
			return strings.HasPrefix(id, "web.visitor.")
		}
	}
	return true
}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// Placeholders returns the names of the {{.Name}} in text, sorted, each
// once.
func Placeholders(text string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return out
}

// Check reports what is wrong with text as the correction of shipped (the
// same form of the same message), as a *programme.InvalidError for the
// field "text" whose Reason the pages translate.
func Check(shipped, text string) error {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return invalid("correction_empty", "write the corrected text, or go back to the shipped one")
	case utf8.RuneCountInString(text) > MaxText:
		return invalid("correction_too_long", "keep it to %d characters", MaxText)
	}
	if _, err := template.New("").Parse(text); err != nil {
		return invalid("correction_braces", "the {{ }} do not match: %v", err)
	}
	want, got := Placeholders(shipped), Placeholders(text)
	if !slices.Equal(want, got) {
		return invalid("correction_placeholders", "keep exactly these parts in {{ }}: %s (the text has %s)", list(want), list(got))
	}
	return nil
}

func list(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	var b []string
	for _, n := range names {
		b = append(b, "{{."+n+"}}")
	}
	return strings.Join(b, ", ")
}

func invalid(reason, format string, args ...any) error {
	return &programme.InvalidError{Field: "text", Reason: reason, Detail: fmt.Sprintf(format, args...)}
}
