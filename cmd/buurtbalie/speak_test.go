package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"flag"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/speech"
	"buurtbalie/ui"
)

var updateSpoken = flag.Bool("update-spoken", false, "write testdata/spoken afresh from what the screens say")

// spelledCode is a question's code read letter by letter: new on every
// run, so the golden files hold a stand-in.
var spelledCode = regexp.MustCompile(`\b[A-Z0-9][,،] [A-Z0-9][,،] [A-Z0-9]\. [A-Z0-9][,،] [A-Z0-9][,،] [A-Z0-9]\b`)

// TestSpokenTextOfEveryScreen compares what each visitor screen says
// aloud in each language with a voice, as the voice is given it, with the
// golden files in testdata/spoken (read by a person when they change:
// go test ./cmd/buurtbalie -run SpokenText -update-spoken).
func TestSpokenTextOfEveryScreen(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 11, 23, 10, 47, 0, 0, time.UTC)
	for _, lang := range []string{"nl", "en", "tr", "ar", "pl", "uk"} {
		t.Run(lang, func(t *testing.T) {
			data := t.TempDir()
			cfg := t.TempDir()
			getenv := func(k string) string {
				if k == "XDG_CONFIG_HOME" {
					return cfg
				}
				return ""
			}
			m := &Main{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: getenv}
			s := m.newSettings("speak", "", withKiosk|withPrinting|withWeb)
			if err := s.parse([]string{"--data", data}, getenv); err != nil {
				t.Fatal(err)
			}
			now := at.In(s.location())
			now = time.Date(now.Year(), now.Month(), now.Day(), 10, 47, 0, 0, s.location())
			cat, err := s.catalogue()
			if err != nil {
				t.Fatal(err)
			}
			s.language = lang // the visitor's, as speak --lang sets it
			db, prog, err := s.openProgramme(ctx, now)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			accent, _ := ui.ParseColor(ui.DefaultAccent)
			done := make(chan struct{})
			var tr *tour
			go func() {
				defer close(done)
				if tr, err = m.newTour(ctx, prog, cat, s, t.TempDir(), now, 1280, 800, accent, nil); err != nil {
					return
				}
				defer tr.close()
				seen := map[string]bool{}
				for _, step := range tr.steps {
					if step.inOtherLanguage() {
						continue
					}
					step.show()
					name := tr.k.Screen()
					if seen[name] || !containsScreen(name) {
						continue
					}
					seen[name] = true
					var b strings.Builder
					for _, p := range speech.Script(tr.k.Spoken()) {
						b.WriteString(p.Lang + ": " + spelledCode.ReplaceAllString(p.Text, "X, X, X. X, X, X") + "\n")
					}
					compareGolden(t, filepath.Join("testdata", "spoken", lang, name+".txt"), b.String())
				}
				for _, name := range spokenScreens {
					if !seen[name] {
						t.Errorf("the tour never reached %s", name)
					}
				}
			}()
			<-done
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func containsScreen(name string) bool { return slices.Contains(spokenScreens, name) }

func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *updateSpoken {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Error(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%s: %v (make it with -update-spoken, then read it)", path, err)
		return
	}
	if string(want) != got {
		t.Errorf("%s differs; the screen now says:\n%s", path, got)
	}
}

// TestSpeakWritesWhatTheScreenSays runs "buurtbalie speak" through the
// real espeak-ng: a WAV of the done screen in Polish and of the list in
// Dutch, long enough for their words and not silent; a wrong screen or
// a language without a voice is refused with what to do.
func TestSpeakWritesWhatTheScreenSays(t *testing.T) {
	data := t.TempDir()
	for _, c := range []struct{ screen, lang string }{{"ask-done", "pl"}, {"today", "nl"}} {
		out := filepath.Join(t.TempDir(), c.screen+".wav")
		stdout, _, err := run(t, data, "speak", "--data", data, "--screen", c.screen, "--lang", c.lang, "--at", "2026-11-23T10:47", "--out", out, "--text")
		if err != nil {
			t.Fatal(err)
		}
		wav, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if string(wav[:4]) != "RIFF" || string(wav[8:12]) != "WAVE" {
			t.Fatalf("%s is not a WAV file", out)
		}
		samples := wav[44:]
		if secs := float64(len(samples)) / 2 / speech.SampleRate; secs < 5 {
			t.Errorf("%s in %s: %.1f s of speech for:\n%s", c.screen, c.lang, secs, stdout)
		}
		var sum float64
		for i := 0; i+1 < len(samples); i += 2 {
			x := float64(int16(binary.LittleEndian.Uint16(samples[i:]))) / 32768
			sum += x * x
		}
		if rms := math.Sqrt(sum / float64(len(samples)/2)); rms < 0.02 {
			t.Errorf("%s in %s is near silent (RMS %.4f)", c.screen, c.lang, rms)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--screen", "nowhere", "--out", "x.wav"}, "there is no screen"},
		{[]string{"--screen", "today"}, "--out is missing"},
		{[]string{"--screen", "today", "--lang", "ti", "--out", "x.wav"}, "no synthetic voice"},
	} {
		_, _, err := run(t, data, append([]string{"speak", "--data", data}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("speak %v: %v, want %q", c.args, err, c.want)
		}
	}
	stdout, _, err := run(t, data, "speak", "--data", data, "--screen", "list")
	if err != nil || !strings.Contains(stdout, "ask-done\n") {
		t.Errorf("--screen list: %v %q", err, stdout)
	}
}
