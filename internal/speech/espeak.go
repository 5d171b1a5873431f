package speech

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
)

// SampleRate is the rate of everything the kiosk speaks and plays: 16-bit
// mono PCM at espeak-ng's own rate, so its speech needs no converting.
const SampleRate = 22050

// voices are the espeak-ng voices of the kiosk's languages (Debian's
// espeak-ng 1.51). Tigrinya has none: the Amharic voice reads the same
// script but another language, which would mislead more than silence.
var voices = map[string]string{"nl": "nl", "en": "en-gb", "tr": "tr", "ar": "ar", "pl": "pl", "uk": "uk"}

// Synth speaks text with espeak-ng.
type Synth struct {
	Program string // the espeak-ng program; empty is "espeak-ng" on PATH
	// WordsPerMinute is how fast it speaks; 0 is 135, a little slower
	// than espeak-ng's 175, for listeners who are not native speakers.
	WordsPerMinute int
}

// HasVoice reports whether lang has a synthetic voice.
func HasVoice(lang string) bool { _, ok := voices[lang]; return ok }

func (s Synth) program() string {
	if s.Program == "" {
		return "espeak-ng"
	}
	return s.Program
}

// Speak writes the speech of text in lang to w as raw samples (16-bit
// little-endian mono at SampleRate), as espeak-ng makes them: the first
// samples arrive before it has finished the sentence.
func (s Synth) Speak(ctx context.Context, lang, text string, w io.Writer) error {
	voice, ok := voices[lang]
	if !ok {
		return fmt.Errorf("speech: no voice for %q", lang)
	}
	wpm := s.WordsPerMinute
	if wpm == 0 {
		wpm = 135
	}
	// The text goes on stdin, never on the command line: it is not a
	// flag, whatever it starts with, and not in ps.
	cmd := exec.CommandContext(ctx, s.program(), "-v", voice, "-s", strconv.Itoa(wpm), "--stdout")
	cmd.Stdin = bytes.NewBufferString(text)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("speech: start %s: %w (install the Debian package espeak-ng)", s.program(), err)
	}
	copyErr := copyPCM(w, bufio.NewReaderSize(out, 8192))
	if copyErr != nil {
		io.Copy(io.Discard, out)
	}
	waitErr := cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case copyErr != nil:
		return copyErr
	case waitErr != nil:
		return fmt.Errorf("speech: %s: %w: %s", s.program(), waitErr, bytes.TrimSpace(stderr.Bytes()))
	}
	return nil
}

// copyPCM copies the samples of a WAV stream (espeak-ng's --stdout, whose
// sizes are unknown when it starts) to w.
func copyPCM(w io.Writer, r *bufio.Reader) error {
	if _, err := readWAVHeader(r); err != nil {
		return err
	}
	_, err := io.Copy(w, r)
	return err
}

// Format is what a WAV stream holds.
type Format struct {
	Channels, Rate, Bits int
}

var errNotWAV = errors.New("not a WAV stream")

// readWAVHeader reads a RIFF WAVE header up to the start of its samples.
func readWAVHeader(r io.Reader) (Format, error) {
	var riff [12]byte
	if _, err := io.ReadFull(r, riff[:]); err != nil || string(riff[0:4]) != "RIFF" || string(riff[8:12]) != "WAVE" {
		return Format{}, errNotWAV
	}
	var f Format
	for {
		var chunk [8]byte
		if _, err := io.ReadFull(r, chunk[:]); err != nil {
			return Format{}, errNotWAV
		}
		size := binary.LittleEndian.Uint32(chunk[4:])
		switch string(chunk[0:4]) {
		case "fmt ":
			if size < 16 || size > 64 {
				return Format{}, errNotWAV
			}
			b := make([]byte, size+size%2)
			if _, err := io.ReadFull(r, b); err != nil {
				return Format{}, errNotWAV
			}
			if binary.LittleEndian.Uint16(b[0:]) != 1 {
				return Format{}, errors.New("WAV stream is not plain PCM")
			}
			f = Format{Channels: int(binary.LittleEndian.Uint16(b[2:])), Rate: int(binary.LittleEndian.Uint32(b[4:])), Bits: int(binary.LittleEndian.Uint16(b[14:]))}
		case "data":
			if f.Rate == 0 {
				return Format{}, errNotWAV
			}
			return f, nil
		default:
			if size > 1<<20 {
				return Format{}, errNotWAV
			}
			if _, err := io.CopyN(io.Discard, r, int64(size+size%2)); err != nil {
				return Format{}, errNotWAV
			}
		}
	}
}

// WriteWAV writes samples (16-bit mono at SampleRate) as a WAV file.
func WriteWAV(w io.Writer, samples []byte) error {
	h := make([]byte, 44)
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], uint32(36+len(samples)))
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], 1) // PCM
	binary.LittleEndian.PutUint16(h[22:], 1) // mono
	binary.LittleEndian.PutUint32(h[24:], SampleRate)
	binary.LittleEndian.PutUint32(h[28:], SampleRate*2)
	binary.LittleEndian.PutUint16(h[32:], 2)
	binary.LittleEndian.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], uint32(len(samples)))
	if _, err := w.Write(h); err != nil {
		return err
	}
	_, err := w.Write(samples)
	return err
}
