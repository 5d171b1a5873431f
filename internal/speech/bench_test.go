package speech

import (
	"testing"
	"time"
)

// BenchmarkTapToFirstSound is the figure "tap on Voorlezen to the first
// sound ≤ 300 ms": from Speak, as a tap calls it, to the first samples
// written to aplay, playing to ALSA's null device. The welcome screen's
// lines are read.
//
//	CGO_ENABLED=0 go test ./internal/speech -run '^$' -bench TapToFirstSound -count 5
func BenchmarkTapToFirstSound(b *testing.B) {
	needTools(b)
	parts := Parts("nl", []string{"10:47", "maandag 23 november", "Nu bezig", "10:30 – 12:00, Koffie-ochtend, Zaal 3", "Straks", "13:00 – 14:00, Taalcafé, Zaal 1"})
	s := &Speaker{Player: Player{Device: "null"}, Volume: 80}
	first := make(chan time.Time, 1)
	s.FirstSound = func() { first <- time.Now() }
	var total time.Duration
	for b.Loop() {
		tap := time.Now()
		s.Speak(parts, nil)
		total += (<-first).Sub(tap)
		b.StopTimer()
		s.Stop()
		s.Wait()
		b.StartTimer()
	}
	b.ReportMetric(total.Seconds()*1000/float64(b.N), "ms/first-sound")
}
