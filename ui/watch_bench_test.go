package ui

import (
	"context"
	"math"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"buurtbalie/internal/programme"
	"buurtbalie/internal/sqlite"
)

// watchEvery is the kiosk's watch interval, as cmd/buurtbalie/kiosk.go
// wires it (that package cannot be imported): the figure is about the
// real one.
const watchEvery = 2 * time.Second

// BenchmarkSavedChangeShown measures the figure "the kiosk shows a saved
// change within 5 s": from staff's commit on a second connection to the
// database file, as the web app writes it, until the kiosk's today list
// shows it, through the real watch (PRAGMA data_version every 2 s) and
// Reload. Staff save at any moment of the watch's tick, so each change is
// committed at another point of it (spread evenly by the golden ratio),
// the wait for that point outside the timer. It reports the mean per
// change (s/change) and the slowest (max-s/change); ns/op is the mean
// too. One iteration takes up to 4 s, so -benchtime 1x stays short.
func BenchmarkSavedChangeShown(b *testing.B) {
	f := newKiosk(b, 10, 15)
	ctx, cancel := context.WithCancel(context.Background())
	web, err := sqlite.Open(ctx, f.path)
	if err != nil {
		b.Fatal(err)
	}
	defer web.Close()
	staff := sqlite.NewProgrammeService(web)
	yoga := f.findActivity(b, "Stoelyoga")
	f.k.ShowToday()

	// The watch's goroutine runs Reload (fyne.Do runs it there under the
	// test driver) and says when the list shows what was saved: yoga
	// cancelled besides the walk, or not. wants hands it what to look
	// for; nothing else touches the kiosk while the watch runs.
	wants := make(chan bool, 1)
	shown := make(chan struct{}, 1)
	watching := make(chan struct{})
	go func() {
		defer close(watching)
		want, waiting := false, false
		f.db.Watch(ctx, watchEvery, func() {
			select {
			case want = <-wants:
				waiting = true
			default:
			}
			fyne.Do(func() {
				f.k.Reload()
				if waiting && (f.countShown("Gaat vandaag niet door") == 2) == want {
					waiting = false
					shown <- struct{}{}
				}
			})
		})
	}()
	defer func() { cancel(); <-watching }()

	var total, worst time.Duration
	cancelled := false
	n := 0
	for b.Loop() {
		b.StopTimer()
		n++
		phase := math.Mod(float64(n)*(math.Sqrt(5)-1)/2, 1)
		time.Sleep(time.Duration(phase * float64(watchEvery)))
		cancelled = !cancelled
		wants <- cancelled
		b.StartTimer()

		start := time.Now()
		// Cancelled today, then on after all in another room, and so on.
		x := programme.Exception{ActivityID: yoga, Date: monday, Cancelled: cancelled}
		if !cancelled {
			x.Room = "Keuken"
		}
		if err := staff.SetException(ctx, x); err != nil {
			b.Fatal(err)
		}
		select {
		case <-shown:
		case <-time.After(30 * time.Second):
			b.Fatalf("change %d not shown after 30 s", n)
		}
		took := time.Since(start)
		total += took
		worst = max(worst, took)
	}
	b.ReportMetric(total.Seconds()/float64(n), "s/change")
	b.ReportMetric(worst.Seconds(), "max-s/change")
}

// countShown counts the texts on screen that are exactly s.
func (f *kioskFixture) countShown(s string) int {
	n := 0
	for _, t := range f.texts() {
		if t == s {
			n++
		}
	}
	return n
}
