package calendar_test

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"buurtbalie/assets"
	"buurtbalie/internal/calendar"
	"buurtbalie/internal/catalogue"
)

// hostile are calendars an audit wrote to stall the kiosk, made here
// rather than kept as files of megabytes. Each took from half a minute to
// hours, or gigabytes, before reading was bounded.
var hostile = []struct {
	name string
	make func() string
	want error // nil: read, within the budget
}{
	// One event of 545 bytes from 1900, every second of every day.
	{"since-1900-every-second", func() string {
		return ics(1, func(i int) string {
			return "DTSTART:19000101T000000\nDTEND:19000101T000100\nRRULE:FREQ=DAILY;BYHOUR=" + list(0, 23) + ";BYMINUTE=" + list(0, 59) + ";BYSECOND=0,30"
		})
	}, nil},
	// Twice a day since 1900: allowed, but not a walk from 1900.
	{"since-1900-twice-a-day", func() string {
		return ics(1, func(i int) string {
			return "DTSTART:19000101T090000\nDTEND:19000101T100000\nRRULE:FREQ=DAILY;BYHOUR=9,14"
		})
	}, nil},
	// 1,000 events on 30 February.
	{"30-february", func() string {
		return ics(1000, func(i int) string {
			return fmt.Sprintf("DTSTART:2026%02d01T100000\nDTEND:2026%02d01T110000\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", i%12+1, i%12+1)
		})
	}, nil},
	// 1,000 events that never match in a way no check sees before
	// walking: the 5th Monday that is also the 1st of a month in week 1.
	{"never-by-walking", func() string {
		return ics(1000, func(i int) string {
			return fmt.Sprintf("DTSTART:2026%02d01T100000\nDTEND:2026%02d01T110000\nRRULE:FREQ=DAILY;BYDAY=MO;BYMONTHDAY=%d;BYWEEKNO=20", i%12+1, i%12+1, i%3+1)
		})
	}, calendar.ErrTooComplex},
	// 40,000 weekly series of COUNT=999999 in 5.9 MB: more events than
	// a file may have.
	{"40000-huge-counts", func() string {
		return ics(40000, func(i int) string {
			return fmt.Sprintf("DTSTART:2020%02d%02dT100000\nDTEND:2020%02d%02dT110000\nRRULE:FREQ=WEEKLY;COUNT=999999", i%12+1, i%28+1, i%12+1, i%28+1)
		})
	}, calendar.ErrTooLarge},
	// As many such series as a file may have: each is followed from 2020
	// to find its end.
	{"20000-huge-counts", func() string {
		return ics(calendar.MaxEvents, func(i int) string {
			return fmt.Sprintf("DTSTART:2020%02d%02dT100000\nDTEND:2020%02d%02dT110000\nRRULE:FREQ=WEEKLY;COUNT=999999", i%12+1, i%28+1, i%12+1, i%28+1)
		})
	}, calendar.ErrTooComplex},
	// 16 MB, the most a file may be: 62,000 weekly series, each as a
	// calendar app writes it.
	{"16MB-of-62000-series", func() string {
		return ics(62000, func(i int) string {
			return fmt.Sprintf("DTSTART;TZID=Europe/Amsterdam:2026%02d%02dT100000\nDTEND;TZID=Europe/Amsterdam:2026%02d%02dT113000\n"+
				"RRULE:FREQ=WEEKLY;BYDAY=MO,WE\nLOCATION:Zaal 1\nCATEGORIES:Ontmoeten\nDESCRIPTION:Koffie en thee", i%2+1, i%28+1, i%2+1, i%28+1)
		})
	}, calendar.ErrTooLarge},
	// 10 MB of 20,000 weekly series with long descriptions: as many
	// events as a file may have.
	{"20000-series-in-10MB", func() string {
		return ics(calendar.MaxEvents, func(i int) string {
			return fmt.Sprintf("DTSTART;TZID=Europe/Amsterdam:2026%02d%02dT100000\nDTEND;TZID=Europe/Amsterdam:2026%02d%02dT113000\n"+
				"RRULE:FREQ=WEEKLY;BYDAY=MO,WE\nLOCATION:Zaal 1\nCATEGORIES:Ontmoeten\nDESCRIPTION:%s", i%2+1, i%28+1, i%2+1, i%28+1, strings.Repeat("Koffie en thee. ", 16))
		})
	}, calendar.ErrTooMany},
	// 3,000 series every other day: 510,519 one-offs.
	{"3000-alternate-days", func() string {
		return ics(3000, func(i int) string {
			return fmt.Sprintf("DTSTART:2026%02d%02dT100000\nDTEND:2026%02d%02dT110000\nRRULE:FREQ=DAILY;INTERVAL=2", i%2+1, i%28+1, i%2+1, i%28+1)
		})
	}, calendar.ErrTooMany},
}

// ics makes a calendar of n events, each with the lines of when(i).
func ics(n int, when func(i int) string) string {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//hostile//EN\n")
	for i := range n {
		fmt.Fprintf(&b, "BEGIN:VEVENT\nUID:e%d@hostile.example\nSUMMARY:Activiteit %d\n%s\nEND:VEVENT\n", i, i, when(i))
	}
	b.WriteString("END:VCALENDAR\n")
	return b.String()
}

// list is "from,from+1,…,to".
func list(from, to int) string {
	var s []string
	for i := from; i <= to; i++ {
		s = append(s, fmt.Sprint(i))
	}
	return strings.Join(s, ",")
}

// A hostile calendar is read or refused within the work budget; the
// property is the count of steps, never the clock.
func TestHostileCalendars(t *testing.T) {
	for _, tt := range hostile {
		t.Run(tt.name, func(t *testing.T) {
			imp, err := calendar.ParseICS(strings.NewReader(tt.make()), options(t))
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if imp.Report.Work > calendar.MaxWork {
				t.Errorf("work %d, more than the budget %d", imp.Report.Work, calendar.MaxWork)
			}
			n := 0
			for _, s := range imp.Sources {
				n += len(s.Activities)
			}
			if n > calendar.MaxActivities {
				t.Errorf("%d activities, more than %d", n, calendar.MaxActivities)
			}
		})
	}
}

// A rule of every second since 1900 is skipped as too frequent; twice a
// day since 1900 is walked from the period, not from 1900; 30 February
// is seen without walking.
func TestHostileOutcomes(t *testing.T) {
	for _, tt := range []struct {
		name     string
		skipped  string
		activity int
		maxWork  int
	}{
		{"since-1900-every-second", "too_frequent", 0, 0},
		{"since-1900-twice-a-day", "", 792, 2000},
		{"30-february", "", 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var text string
			for _, h := range hostile {
				if h.name == tt.name {
					text = h.make()
				}
			}
			imp, err := calendar.ParseICS(strings.NewReader(text), options(t))
			if err != nil {
				t.Fatal(err)
			}
			var skipped []string
			for _, s := range imp.Report.Skipped {
				skipped = append(skipped, s.Reason)
			}
			if tt.skipped != "" && (len(skipped) != 1 || skipped[0] != tt.skipped) {
				t.Errorf("skipped %v, want %s", skipped, tt.skipped)
			}
			n := 0
			for _, s := range imp.Sources {
				n += len(s.Activities)
			}
			if tt.activity > 0 && n != tt.activity {
				t.Errorf("%d activities, want %d", n, tt.activity)
			}
			if imp.Report.Work > tt.maxWork {
				t.Errorf("work %d, want at most %d", imp.Report.Work, tt.maxWork)
			}
		})
	}
}

// A file that would add more than MaxActivities says at least how many,
// and adds nothing.
func TestTooManyActivities(t *testing.T) {
	text := ics(40, func(i int) string {
		return fmt.Sprintf("DTSTART:202603%02dT090000Z\nDTEND:202603%02dT100000Z\nRRULE:FREQ=DAILY", i%28+1, i%28+1)
	})
	imp, err := calendar.ParseICS(strings.NewReader(text), options(t))
	if !errors.Is(err, calendar.ErrTooMany) {
		t.Fatalf("err = %v, want ErrTooMany", err)
	}
	var n int
	if _, serr := fmt.Sscanf(err.Error()[strings.Index(err.Error(), "would add"):], "would add at least %d", &n); serr != nil ||
		n <= calendar.MaxActivities || calendar.ErrorReason(err) != "too_many_activities" {
		t.Errorf("err = %v (%s), want how many it would add, too_many_activities", err, calendar.ErrorReason(err))
	}
	if len(imp.Sources) != 0 {
		t.Errorf("got %d sources with the error", len(imp.Sources))
	}
}

// BenchmarkHostileCalendars reads each hostile calendar, reporting the
// time (ns/op), what it allocated (B/op), the peak of live heap while
// reading (peak-MB, sampled every millisecond) and, for a file that is
// read, the steps of its budget (work).
//
//	CGO_ENABLED=0 go test ./internal/calendar -run '^$' -bench Hostile -benchmem -count 5
func BenchmarkHostileCalendars(b *testing.B) {
	opts := calendar.Options{Now: time.Date(2026, time.March, 1, 12, 0, 0, 0, amsterdam(b))}
	for _, h := range hostile {
		text := h.make()
		b.Run(h.name, func(b *testing.B) {
			b.ReportAllocs()
			var work int
			var peak uint64
			for b.Loop() {
				runtime.GC()
				stop := make(chan struct{})
				done := make(chan uint64)
				go func() { done <- peakHeap(stop) }()
				imp, _ := calendar.ParseICS(strings.NewReader(text), opts)
				close(stop)
				peak = max(peak, <-done)
				work = imp.Report.Work
			}
			b.ReportMetric(float64(work), "work")
			b.ReportMetric(float64(peak)/1e6, "peak-MB")
			b.ReportMetric(float64(len(text))/1e6, "file-MB")
		})
	}
}

// peakHeap samples the live heap every millisecond until stop is closed,
// and returns the most it saw.
func peakHeap(stop <-chan struct{}) uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		metrics.Read(s)
		peak = max(peak, s[0].Value.Uint64())
		select {
		case <-stop:
			return peak
		case <-tick.C:
		}
	}
}

// A sheet of more rows than MaxActivities is refused the same way.
func TestCSVTooManyActivities(t *testing.T) {
	var b strings.Builder
	b.WriteString("title,date,start,end\n")
	for i := range calendar.MaxActivities + 1 {
		fmt.Fprintf(&b, "Koffie %d,2026-03-10,10:00,11:00\n", i)
	}
	imp, err := calendar.ParseCSV(strings.NewReader(b.String()), options(t))
	if !errors.Is(err, calendar.ErrTooMany) || !strings.Contains(err.Error(), "would add at least 5001 activities") {
		t.Fatalf("err = %v, want ErrTooMany for 5001 activities", err)
	}
	if len(imp.Sources) != 0 {
		t.Errorf("got %d sources with the error", len(imp.Sources))
	}
}

// The catalogue's text for too_many_activities names the limit as it is.
func TestTooManyTextNamesTheLimit(t *testing.T) {
	cat, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	for lang, limit := range map[string]string{"nl": "5.000", "en": "5,000"} {
		msg := cat.For(lang).T("import.too_many_activities")
		if calendar.MaxActivities != 5000 || !strings.Contains(msg, limit) {
			t.Errorf("%s: import.too_many_activities = %q, want it to name the limit %d", lang, msg, calendar.MaxActivities)
		}
	}
}
