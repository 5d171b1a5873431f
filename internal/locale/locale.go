// Package locale keeps Fyne quiet about a C locale, which names no
// language. Import it for its side effect, from the main package only:
//
//	import _ "buurtbalie/internal/locale"
//
// Fyne's lang package reads the system locale while the program starts,
// from LC_ALL, LC_MESSAGES or LANG. Plain C and POSIX it reads as "no
// language", but for C.UTF-8 — the locale systemd, cron and CI run
// programs in — it takes the "C" for a language and logs "Fyne error:
// Error parsing user locale C", from every command. In that case this
// package sets LANGUAGE=en, which Fyne then reads instead: the English it
// shows for plain C. LC_ALL, LC_MESSAGES and LANG stay as they are, so
// the character set the C library uses does not change.
//
// The setting must be made before Fyne reads it, which is before main
// runs. Go initialises the packages of a program in the order of their
// import paths, each once the packages it imports are initialised (the
// Go spec, "Package initialization", since Go 1.21). This package imports
// only os and strings, which fyne.io/fyne/v2/lang needs too, and its path
// sorts before fyne.io, so it always runs first.
package locale

import (
	"os"
	"strings"
)

// NoLanguage returns the locale that decides the language of messages,
// the first of LC_ALL, LC_MESSAGES and LANG that is set, and whether it
// names no language: unset, C or POSIX, with or without a character set
// (C.UTF-8).
func NoLanguage(getenv func(string) string) (locale string, none bool) {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if locale = getenv(name); locale != "" {
			break
		}
	}
	lang, _, _ := strings.Cut(locale, ".")
	lang, _, _ = strings.Cut(lang, "@")
	return locale, lang == "" || lang == "C" || lang == "POSIX"
}

func init() {
	if _, none := NoLanguage(os.Getenv); none && os.Getenv("LANGUAGE") == "" {
		os.Setenv("LANGUAGE", "en")
	}
}
