package speech

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os/exec"
	"strconv"
	"sync"
)

// Player plays samples through ALSA with aplay (Debian's alsa-utils).
// ALSA, because the appliance runs the kiosk as a system service in a
// bare X session: there is no user's PulseAudio or PipeWire to talk to,
// and where a PC does run PipeWire, ALSA's "default" goes through it
// (pipewire-alsa), so the same device name works on both.
type Player struct {
	Program string // the aplay program; empty is "aplay" on PATH
	Device  string // the ALSA PCM, e.g. "default", "hw:0", "null"; empty is "default"
}

// open starts aplay reading raw samples from the returned writer; wait
// waits for it to finish playing what was written.
func (p Player) open(ctx context.Context) (io.WriteCloser, func() error, error) {
	prog, dev := p.Program, p.Device
	if prog == "" {
		prog = "aplay"
	}
	if dev == "" {
		dev = "default"
	}
	cmd := exec.CommandContext(ctx, prog, "-q", "-D", dev, "-t", "raw", "-f", "S16_LE", "-c", "1", "-r", strconv.Itoa(SampleRate), "-")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("speech: start %s: %w (install the Debian package alsa-utils)", prog, err)
	}
	return in, func() error {
		if err := cmd.Wait(); err != nil && ctx.Err() == nil {
			return fmt.Errorf("speech: %s -D %s: %w: %s", prog, dev, err, bytes.TrimSpace(stderr.Bytes()))
		}
		return nil
	}, nil
}

// Speaker reads parts aloud, one utterance at a time: a new one stops the
// one before. It never blocks its caller, so a tap on "Voorlezen" returns
// at once; speech runs on its own goroutine.
type Speaker struct {
	Synth  Synth
	Player Player
	// Volume is the loudness in percent of full scale, 0–100.
	Volume int
	Log    *slog.Logger
	// Recordings are the house's own recorded prompts, played instead of
	// the voice where there is one; nil has none.
	Recordings Recordings
	// FirstSound, when set, is called as the first samples of an
	// utterance go to the player: what the figure "tap to first sound"
	// measures.
	FirstSound func()

	mu      sync.Mutex
	cancel  context.CancelFunc
	stopped chan struct{} // closed when the utterance playing ends
	n       int           // utterances started, to tell them apart
}

// Recordings give a house's recorded prompts as samples (16-bit mono at
// SampleRate).
type Recordings interface {
	Recording(ctx context.Context, lang, prompt string) ([]byte, bool)
	// Recorded reports whether lang has any recording.
	Recorded(lang string) bool
}

// Speaks reports whether the speaker can say anything in lang: it has a
// voice for it, or the house recorded prompts in it.
func (s *Speaker) Speaks(lang string) bool {
	return HasVoice(lang) || s.Recordings != nil && s.Recordings.Recorded(lang)
}

// Speak starts reading parts aloud, stopping what was being read, and
// returns at once. done is called once the utterance has ended: read to
// the end, stopped, or failed.
func (s *Speaker) Speak(parts []Part, done func()) {
	ctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	previous := s.stop()
	s.n++
	s.cancel = cancel
	stopped := make(chan struct{})
	s.stopped = stopped
	s.mu.Unlock()

	go func() {
		defer close(stopped)
		defer cancel()
		if done != nil {
			defer done()
		}
		if previous != nil {
			<-previous // one voice at a time on the device
		}
		if err := s.play(ctx, Script(parts)); err != nil && ctx.Err() == nil && s.Log != nil {
			// What was read is on the screen; the log names the fault,
			// never the words.
			s.Log.Error("reading aloud failed", "err", err)
		}
	}()
}

// Stop stops reading aloud, if it is.
func (s *Speaker) Stop() {
	s.mu.Lock()
	s.stop()
	s.mu.Unlock()
}

// stop cancels the utterance playing and returns the channel closed when
// it has ended, or nil. s.mu is held.
func (s *Speaker) stop() chan struct{} {
	if s.cancel == nil {
		return nil
	}
	s.cancel()
	s.cancel = nil
	return s.stopped
}

// Wait waits until nothing is being read aloud.
func (s *Speaker) Wait() {
	s.mu.Lock()
	ch := s.stopped
	s.mu.Unlock()
	if ch != nil {
		<-ch
	}
}

// play synthesizes the script part by part into the player, so the
// first words sound while the rest is still being made.
func (s *Speaker) play(ctx context.Context, script []Part) error {
	out, wait, err := s.Player.open(ctx)
	if err != nil {
		return err
	}
	w := &volumeWriter{w: out, percent: s.Volume, first: s.FirstSound}
	speakErr := s.say(ctx, script, w)
	out.Close()
	if err := wait(); err != nil {
		return err
	}
	return speakErr
}

// say writes the script's samples to w: each part's recording where the
// house made one, else the voice of its language (or of the language it
// is written in), else nothing; a short pause after each.
func (s *Speaker) say(ctx context.Context, script []Part, w io.Writer) error {
	for _, p := range script {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if p.Prompt != "" && s.Recordings != nil {
			if rec, ok := s.Recordings.Recording(ctx, p.Lang, p.Prompt); ok {
				if _, err := w.Write(rec); err != nil {
					return err
				}
				w.Write(make([]byte, SampleRate/5*2))
				continue
			}
		}
		voice := p.Lang
		if !HasVoice(voice) {
			voice = p.Written
		}
		if !HasVoice(voice) {
			continue
		}
		if err := s.Synth.Speak(ctx, voice, p.Text, w); err != nil {
			return err
		}
		w.Write(make([]byte, SampleRate/5*2))
	}
	return nil
}

// WAV returns the speech of parts as a WAV file at full volume: what
// "buurtbalie speak" writes, the same text and voice the kiosk uses.
func (s *Speaker) WAV(ctx context.Context, parts []Part) ([]byte, error) {
	var samples bytes.Buffer
	if err := s.say(ctx, Script(parts), &samples); err != nil {
		return nil, err
	}
	var wav bytes.Buffer
	if err := WriteWAV(&wav, samples.Bytes()); err != nil {
		return nil, err
	}
	return wav.Bytes(), nil
}

// volumeWriter scales 16-bit samples to a volume on their way to w, and
// tells when the first ones pass.
type volumeWriter struct {
	w       io.Writer
	percent int
	first   func()
	odd     []byte // half a sample left from the last write
	buf     []byte
}

func (v *volumeWriter) Write(p []byte) (int, error) {
	n := len(p)
	data := p
	if len(v.odd) > 0 {
		data = append(append([]byte(nil), v.odd...), p...)
		v.odd = v.odd[:0]
	}
	if len(data)%2 == 1 {
		v.odd = append(v.odd, data[len(data)-1])
		data = data[:len(data)-1]
	}
	if v.percent < 100 {
		v.buf = append(v.buf[:0], data...)
		for i := 0; i+1 < len(v.buf); i += 2 {
			x := int32(int16(binary.LittleEndian.Uint16(v.buf[i:])))
			binary.LittleEndian.PutUint16(v.buf[i:], uint16(int16(x*int32(max(v.percent, 0))/100)))
		}
		data = v.buf
	}
	if len(data) == 0 {
		return n, nil
	}
	if v.first != nil {
		v.first()
		v.first = nil
	}
	if _, err := v.w.Write(data); err != nil {
		return 0, err
	}
	return n, nil
}

// loudness is the RMS of 16-bit samples, as a fraction of full scale.
func loudness(samples []byte) float64 {
	var sum float64
	n := len(samples) / 2
	for i := 0; i+1 < len(samples); i += 2 {
		x := float64(int16(binary.LittleEndian.Uint16(samples[i:]))) / 32768
		sum += x * x
	}
	if n == 0 {
		return 0
	}
	return math.Sqrt(sum / float64(n))
}
