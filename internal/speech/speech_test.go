package speech

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// needTools fails when espeak-ng or aplay are missing: the test command
// installs them, and a kiosk without them would be silent.
func needTools(t testing.TB) {
	t.Helper()
	for _, p := range []string{"espeak-ng", "aplay"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("%s is missing: install the Debian packages espeak-ng and alsa-utils (packaging/dev/test.sh does)", p)
		}
	}
}

// TestWAVInEveryVoice speaks a line in each language with a voice
// through the real espeak-ng: a WAV of the length of the words, not
// silent; Tigrinya has no voice and says so.
func TestWAVInEveryVoice(t *testing.T) {
	needTools(t)
	lines := map[string]string{
		"nl": "Welkom. Vandaag om 10:30: koffie-ochtend in zaal 3.",
		"en": "Welcome. Today at 10:30: coffee morning in room 3.",
		"tr": "Hoş geldiniz. Bugün 10:30: kahve sabahı, salon 3.",
		"ar": "أهلاً وسهلاً. اليوم 10:30: قهوة الصباح في القاعة 3.",
		"pl": "Witamy. Dzisiaj 10:30: poranna kawa w sali 3.",
		"uk": "Ласкаво просимо. Сьогодні 10:30: ранкова кава в залі 3.",
	}
	s := &Speaker{}
	for lang, line := range lines {
		wav, err := s.WAV(context.Background(), Parts(lang, []string{line}))
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		f, err := readWAVHeader(bytes.NewReader(wav))
		if err != nil || f != (Format{Channels: 1, Rate: SampleRate, Bits: 16}) {
			t.Fatalf("%s: WAV format %+v, %v", lang, f, err)
		}
		samples := wav[44:]
		secs := float64(len(samples)) / 2 / SampleRate
		if secs < 2 || secs > 15 {
			t.Errorf("%s: %.1f s of speech for %q", lang, secs, line)
		}
		if l := loudness(samples); l < 0.02 {
			t.Errorf("%s: speech is near silent (RMS %.4f of full scale)", lang, l)
		}
	}
	if HasVoice("ti") || s.Speaks("ti") {
		t.Error("Tigrinya has a synthetic voice")
	}
	if _, err := s.WAV(context.Background(), Parts("ti", []string{"ሰላም"})); err != nil {
		t.Errorf("a language without a voice: %v, want nothing said", err)
	}
}

// alsaFile is an ALSA device that writes what is played to a raw file.
func alsaFile(t testing.TB) (device, path string) {
	path = filepath.Join(t.TempDir(), "played.raw")
	return "file:FILE=" + path + ",FORMAT=raw", path
}

// TestSpeakPlaysThroughALSA plays a screen's lines through aplay into an
// ALSA file device, at the volume set: the speech is there, at about
// half the loudness at 50 %.
func TestSpeakPlaysThroughALSA(t *testing.T) {
	needTools(t)
	parts := Parts("nl", []string{"Wat wilt u doen?", "Bel 0800-0113."})
	full, _ := (&Speaker{}).WAV(context.Background(), parts)
	dev, path := alsaFile(t)
	s := &Speaker{Player: Player{Device: dev}, Volume: 50}
	done := make(chan struct{})
	s.Speak(parts, func() { close(done) })
	<-done
	played, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(played), len(full)-44; got < want*9/10 || got > want*11/10 {
		t.Errorf("played %d bytes, want about %d", got, want)
	}
	if ratio := loudness(played) / loudness(full[44:]); ratio < 0.45 || ratio > 0.55 {
		t.Errorf("at volume 50 the speech is %.2f as loud as at full", ratio)
	}
}

// TestSecondSpeakAndStopEndTheFirst stops reading aloud on Stop and when
// another screen is read: done comes for each, and nothing plays after
// Stop.
func TestSecondSpeakAndStopEndTheFirst(t *testing.T) {
	needTools(t)
	long := Parts("nl", []string{"Dit is een lange tekst die de kiosk voorleest, zin na zin, zodat er tijd is om hem te stoppen.",
		"En nog een zin.", "En nog een zin.", "En nog een zin.", "En nog een zin.", "En nog een zin."})
	dev, path := alsaFile(t)
	s := &Speaker{Player: Player{Device: dev}, Volume: 100}
	var mu sync.Mutex
	var ended []string
	started := make(chan struct{}, 1)
	s.FirstSound = func() {
		select {
		case started <- struct{}{}:
		default:
		}
	}
	s.Speak(long, func() { mu.Lock(); ended = append(ended, "first"); mu.Unlock() })
	<-started
	s.Speak(Parts("nl", []string{"Kort."}), func() { mu.Lock(); ended = append(ended, "second"); mu.Unlock() })
	s.Wait()
	mu.Lock()
	if len(ended) != 2 || ended[0] != "first" {
		t.Errorf("ended %v, want first then second", ended)
	}
	mu.Unlock()

	s.Speak(long, nil)
	s.Stop()
	s.Wait()
	before, _ := os.ReadFile(path)
	time.Sleep(300 * time.Millisecond) // not a timing assertion: room for a leftover aplay to write
	after, _ := os.ReadFile(path)
	if len(after) != len(before) {
		t.Errorf("sound went on after Stop: %d bytes became %d", len(before), len(after))
	}
	full, _ := (&Speaker{}).WAV(context.Background(), long)
	if len(after) >= len(full)-44 {
		t.Errorf("Stop played the whole text (%d of %d bytes)", len(after), len(full)-44)
	}
}

// recordingIn makes a 2.5 s spoken recording with silence around it, in
// a format ffmpeg writes: what a phone or a browser would send.
func recordingIn(t testing.TB, format string) []byte {
	t.Helper()
	wav, err := (&Speaker{}).WAV(context.Background(), Parts("nl", []string{"Welkom in het buurthuis."}))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "in.wav"), filepath.Join(dir, "out."+format)
	// a second of silence before and after, and quiet: as a phone records
	padded := append(append(make([]byte, SampleRate*2), wav[44:]...), make([]byte, SampleRate*2)...)
	var b bytes.Buffer
	WriteWAV(&b, padded)
	os.WriteFile(src, b.Bytes(), 0o644)
	args := []string{"-nostdin", "-loglevel", "error", "-i", src, "-af", "volume=0.2"}
	if format == "ogg" {
		args = append(args, "-c:a", "libopus")
	}
	if out, err := exec.Command("ffmpeg", append(args, dst)...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	in, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// TestConvertTrimsAndNormalises converts a quiet WAV and an Ogg/Opus with
// a second of silence at each end through the real ffmpeg: the silence
// is gone, the loudness evened out; what is not sound, or is silent, is
// refused saying so.
func TestConvertTrimsAndNormalises(t *testing.T) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Fatal("ffmpeg is missing: install the Debian package ffmpeg (packaging/dev/test.sh does)")
	}
	ctx := context.Background()
	for _, format := range []string{"wav", "ogg"} {
		in := recordingIn(t, format)
		got, err := Converter{}.Convert(ctx, in, 60)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		secs := float64(len(got)) / 2 / SampleRate
		if secs < 1 || secs > 2.6 {
			t.Errorf("%s: %.2f s after trimming, want the 1.5–2.5 s of words without the silence", format, secs)
		}
		if l := loudness(got); l < 0.05 {
			t.Errorf("%s: RMS %.3f after normalising; a quiet recording should come out at speech loudness", format, l)
		}
	}
	var silent bytes.Buffer
	WriteWAV(&silent, make([]byte, SampleRate*4))
	for name, in := range map[string][]byte{"text": []byte("hello, this is no sound"), "silence": silent.Bytes()} {
		if _, err := (Converter{}).Convert(ctx, in, 60); !errors.Is(err, ErrNotSound) {
			t.Errorf("%s: %v, want ErrNotSound", name, err)
		}
	}
}
