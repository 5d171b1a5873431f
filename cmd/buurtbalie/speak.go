package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"

	"buurtbalie/internal/speech"
	"buurtbalie/ui"
)

// spokenScreens are the screens speak can read: every visitor screen the
// tour reaches.
var spokenScreens = []string{
	"welcome", "today", "detail", "languages", "still-there",
	"ask-topic", "ask-type", "ask-stop", "ask-follow-up", "ask-confirm", "ask-done", "ask-fallback",
	"my-slip",
}

func (m *Main) runSpeak(ctx context.Context, args []string) error {
	s := m.newSettings("speak", "buurtbalie speak --screen NAME --lang L [--at 2026-11-23T10:45] --out FILE.wav (or --screen list)", withKiosk|withPrinting|withWeb)
	screen := s.fs.String("screen", "", "the screen to read, as screenshot names it; list prints the names")
	lang := s.fs.String("lang", "", "the visitor's language, e.g. nl or ar (default: the kiosk's language)")
	at := s.fs.String("at", "", "the moment the screen shows, as YYYY-MM-DDTHH:MM in the house's time zone (default now)")
	out := s.fs.String("out", "", "the WAV file to write (16-bit mono, 22050 Hz)")
	text := s.fs.Bool("text", false, "also print the words as the voice is given them")
	if err := s.parse(args, m.Getenv); err != nil {
		return err
	}
	if *screen == "list" {
		fmt.Fprintln(m.Stdout, strings.Join(spokenScreens, "\n"))
		return nil
	}
	switch {
	case *screen == "":
		return usagef("speak: --screen is missing; give a screen's name (--screen list lists them)")
	case !slices.Contains(spokenScreens, *screen):
		return usagef("speak: there is no screen %q to read; choose one of %s", *screen, strings.Join(spokenScreens, ", "))
	case *out == "":
		return usagef("speak: --out is missing; give the WAV file to write, e.g. --out welcome.wav")
	}
	now, cat, err := s.momentAndVisitor(*at, *lang)
	if err != nil {
		return err
	}
	if !speech.HasVoice(s.language) {
		return fmt.Errorf("speak: %s has no synthetic voice (espeak-ng has none); the kiosk reads it only from recordings staff make", cat.Language(s.language))
	}
	accent, _ := ui.ParseColor(s.accent)
	db, prog, err := s.openProgramme(ctx, now)
	if err != nil {
		return err
	}
	defer db.Close()
	scratch, err := os.MkdirTemp("", "buurtbalie-speak")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)

	// The kiosk's own words for the screen, from the same tour
	// screenshot takes, on Fyne's test driver (not on main).
	type said struct {
		parts []speech.Part
		err   error
	}
	got := make(chan said, 1)
	go func() {
		t, err := m.newTour(ctx, prog, cat, s, scratch, now, 1280, 800, accent, nil)
		if err != nil {
			got <- said{err: err}
			return
		}
		defer t.close()
		for _, step := range t.steps {
			if step.inOtherLanguage() {
				continue
			}
			step.show()
			if t.k.Screen() == *screen {
				got <- said{parts: t.k.Spoken()}
				return
			}
		}
		got <- said{err: fmt.Errorf("speak: the tour never reached %s", *screen)}
	}()
	r := <-got
	if r.err != nil {
		return r.err
	}
	if *text {
		for _, p := range speech.Script(r.parts) {
			fmt.Fprintf(m.Stdout, "%s: %s\n", p.Lang, p.Text)
		}
	}
	speaker := &speech.Speaker{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	wav, err := speaker.WAV(ctx, r.parts)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, wav, 0o644); err != nil {
		return fmt.Errorf("speak: %w", err)
	}
	secs := float64(len(wav)-44) / 2 / speech.SampleRate
	fmt.Fprintf(m.Stderr, "wrote %s: %.1f s of %s, screen %s\n", *out, secs, cat.Language(s.language), *screen)
	return nil
}
