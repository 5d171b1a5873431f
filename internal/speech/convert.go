package speech

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// ErrNotSound is why an upload was refused: ffmpeg could not read it as
// sound, or it was silent.
var ErrNotSound = errors.New("not a recording")

// Converter turns what staff record or upload into what the kiosk plays:
// 16-bit mono at SampleRate, silence trimmed at both ends, loudness
// normalised, so every recording sounds as loud as the next.
//
// It uses ffmpeg (Debian's ffmpeg): it reads every format a browser
// records in — WebM/Opus (Chromium), Ogg/Opus (Firefox), MP4/AAC
// (Safari) — and WAV, resamples, and trims silence (silenceremove). No
// well-kept pure-Go decoder reads Opus. The loudness is evened out here.
type Converter struct {
	Program string // the ffmpeg program; empty is "ffmpeg" on PATH
}

// Convert converts a recording of at most maxSeconds (the rest is cut).
func (c Converter) Convert(ctx context.Context, in []byte, maxSeconds int) ([]byte, error) {
	prog := c.Program
	if prog == "" {
		prog = "ffmpeg"
	}
	// A file, not a pipe: an MP4 from Safari keeps its index at the end,
	// which ffmpeg can only reach by seeking.
	dir, err := os.MkdirTemp("", "buurtbalie-recording")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "upload")
	if err := os.WriteFile(src, in, 0o600); err != nil {
		return nil, err
	}
	trim := "silenceremove=start_periods=1:start_threshold=-45dB:start_silence=0.1"
	cmd := exec.CommandContext(ctx, prog, "-nostdin", "-hide_banner", "-loglevel", "error",
		"-i", src, "-t", strconv.Itoa(maxSeconds), "-vn",
		// Trim the start, then the end (the same, reversed).
		"-af", trim+",areverse,"+trim+",areverse",
		"-ac", "1", "-ar", strconv.Itoa(SampleRate), "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return nil, fmt.Errorf("%w: ffmpeg cannot read it as sound (%s)", ErrNotSound, firstLine(stderr.String()))
		}
		return nil, fmt.Errorf("convert recording: %w (install the Debian package ffmpeg)", err)
	}
	samples := out.Bytes()
	if len(samples) < SampleRate/5*2 || loudness(samples) < 0.003 {
		return nil, fmt.Errorf("%w: it is silent; check the microphone and record again", ErrNotSound)
	}
	normalise(samples)
	return samples, nil
}

// normalise brings speech to one loudness: an RMS of a tenth of full
// scale (espeak-ng's own, so a recording sounds as loud as the voice
// beside it), without letting the loudest peak clip. ffmpeg's loudnorm
// cannot measure a clip shorter than its 3 s window, and most prompts
// are.
func normalise(samples []byte) {
	rms, peak := loudness(samples), 0.0
	for i := 0; i+1 < len(samples); i += 2 {
		peak = math.Max(peak, math.Abs(float64(int16(binary.LittleEndian.Uint16(samples[i:])))/32768))
	}
	gain := 0.1 / rms
	if peak*gain > 0.95 {
		gain = 0.95 / peak
	}
	for i := 0; i+1 < len(samples); i += 2 {
		x := float64(int16(binary.LittleEndian.Uint16(samples[i:]))) * gain
		binary.LittleEndian.PutUint16(samples[i:], uint16(int16(math.Max(-32768, math.Min(32767, x)))))
	}
}

func firstLine(s string) string {
	if i := bytes.IndexByte([]byte(s), '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
