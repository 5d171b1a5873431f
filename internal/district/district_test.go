package district_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/district"
)

func TestSignAndVerify(t *testing.T) {
	key, kiosk, nonce := district.NewKey(), district.NewEventID(), district.NewNonce()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	body := []byte(`{"events":[]}`)
	sig := district.Sign(key, "POST", "/api/v1/events", kiosk, at, nonce, body)
	if err := district.Verify(key, "POST", "/api/v1/events", kiosk, at, nonce, body, sig, at.Add(time.Minute)); err != nil {
		t.Fatalf("a good request: %v", err)
	}
	for name, err := range map[string]error{
		"another key":   district.Verify(district.NewKey(), "POST", "/api/v1/events", kiosk, at, nonce, body, sig, at),
		"another path":  district.Verify(key, "POST", "/api/v1/join", kiosk, at, nonce, body, sig, at),
		"another kiosk": district.Verify(key, "POST", "/api/v1/events", district.NewEventID(), at, nonce, body, sig, at),
		"another body":  district.Verify(key, "POST", "/api/v1/events", kiosk, at, nonce, []byte(`{}`), sig, at),
		"another nonce": district.Verify(key, "POST", "/api/v1/events", kiosk, at, district.NewNonce(), body, sig, at),
		"another time":  district.Verify(key, "POST", "/api/v1/events", kiosk, at.Add(time.Second), nonce, body, sig, at),
		"a short nonce": district.Verify(key, "POST", "/api/v1/events", kiosk, at, "abc", body, sig, at),
	} {
		if !errors.Is(err, district.ErrForged) {
			t.Errorf("%s: %v, want forged", name, err)
		}
	}
	for _, off := range []time.Duration{6 * time.Minute, -6 * time.Minute} {
		if err := district.Verify(key, "POST", "/api/v1/events", kiosk, at, nonce, body, sig, at.Add(off)); !errors.Is(err, district.ErrClock) {
			t.Errorf("a clock off by %s: %v, want ErrClock", off, err)
		}
	}
}

func TestEnrolmentCode(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c := district.NewEnrolmentCode()
		if len(c) != 14 || c[4] != '-' || c[9] != '-' || seen[c] {
			t.Fatalf("code %q: want XXXX-XXXX-XXXX, each new", c)
		}
		seen[c] = true
		if got, err := district.NormaliseEnrolmentCode(strings.ToLower(strings.ReplaceAll(c, "-", " "))); err != nil || got != c {
			t.Errorf("as typed in lower case with spaces: %q %v, want %q", got, err, c)
		}
	}
	for in, want := range map[string]string{"KQ7M-4XHA": "12 letters and digits, this one 8", "KQ7M-4XHA-P9R0": "'0'", "KQ7M-4XHA-P9RT-": ""} {
		_, err := district.NormaliseEnrolmentCode(in)
		if want == "" {
			if err != nil {
				t.Errorf("%q: %v", in, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}

func TestEventCheck(t *testing.T) {
	id := district.NewEventID()
	good := []district.Event{
		{ID: id, Kind: district.KindCount, Day: "2026-03-02", Measure: "questions", Key: "geld", N: 1},
		{ID: id, Kind: district.KindDuration, Day: "2026-03-02", Measure: "followup.contact", Key: "geld", Minutes: 0},
		{ID: id, Kind: district.KindScreen, Hour: "2026-03-02T10", Key: "today", N: 3},
	}
	for _, e := range good {
		if err := e.Check(); err != nil {
			t.Errorf("%+v: %v", e, err)
		}
	}
	bad := map[string]district.Event{
		"want 32 lowercase hex": {ID: "x", Kind: district.KindCount, Day: "2026-03-02", Measure: "questions", Key: "geld", N: 1},
		"want YYYY-MM-DD":       {ID: id, Kind: district.KindCount, Day: "2026-13-02", Measure: "questions", Key: "geld", N: 1},
		"known measure and n":   {ID: id, Kind: district.KindCount, Day: "2026-03-02", Measure: "names", Key: "geld", N: 1},
		"unknown kind":          {ID: id, Kind: "question", Day: "2026-03-02", Key: "geld"},
		"on one line":           {ID: id, Kind: district.KindScreen, Hour: "2026-03-02T10", Key: "a\nb", N: 1},
		"screen use needs n":    {ID: id, Kind: district.KindScreen, Hour: "2026-03-02T10", Key: "today"},
		"minutes ≥ 0":           {ID: id, Kind: district.KindDuration, Day: "2026-03-02", Measure: "followup.contact", Key: "geld", Minutes: -1},
		"want YYYY-MM-DDTHH":    {ID: id, Kind: district.KindScreen, Hour: "2026-03-02 10:00", Key: "today", N: 1},
	}
	for want, e := range bad {
		if err := e.Check(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: %v, want %q", e, err, want)
		}
	}
	twice := district.Batch{Events: []district.Event{good[0], good[0]}}
	if err := twice.Check(); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("an event twice in a batch: %v", err)
	}
	big := district.Batch{Events: make([]district.Event, district.MaxBatch+1)}
	if err := big.Check(); err == nil || !strings.Contains(err.Error(), "at most 1000") {
		t.Errorf("too many events: %v", err)
	}
}

func TestCell(t *testing.T) {
	monday := district.Event{Kind: district.KindCount, Day: "2026-03-02", Measure: "questions", Key: "geld", N: 2}
	sunday := monday
	sunday.Day = "2026-03-08"
	next := monday
	next.Day = "2026-03-09"
	if district.Cell(monday) != "questions|geld|2026-W10" || district.Cell(sunday) != district.Cell(monday) || district.Cell(next) == district.Cell(monday) {
		t.Errorf("cells %q %q %q: want one ISO week per cell", district.Cell(monday), district.Cell(sunday), district.Cell(next))
	}
	if c := district.Cell(district.Event{Kind: district.KindScreen, Hour: "2026-03-02T10", Key: "today", N: 1}); c != "" {
		t.Errorf("screen use has cell %q, want none", c)
	}
	if district.Weight(monday) != 2 || district.Weight(district.Event{Kind: district.KindDuration, Minutes: 40}) != 1 {
		t.Error("a count weighs its n, a step time one step")
	}
}

func TestBackoff(t *testing.T) {
	prev := time.Duration(0)
	for f := 1; f <= 20; f++ {
		lo, hi := district.Backoff(f, 0), district.Backoff(f, 0.999)
		if lo < prev || hi > 10*time.Minute || lo > hi {
			t.Errorf("after %d failures: %s–%s (before %s): want growing, at most 10 minutes", f, lo, hi, prev)
		}
		prev = lo
	}
	if district.Backoff(1, 0) != time.Second || district.Backoff(30, 0) != 5*time.Minute {
		t.Errorf("backoff from %s to %s, want 1 s and 5 min at no jitter", district.Backoff(1, 0), district.Backoff(30, 0))
	}
}
