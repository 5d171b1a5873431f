package outbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"buurtbalie/internal/district"
	"buurtbalie/internal/outbox"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

func TestParseURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://wijk.example.nl/":      "https://wijk.example.nl",
		" https://wijk.example.nl/w ":   "https://wijk.example.nl/w",
		"http://127.0.0.1:8443":         "http://127.0.0.1:8443",
		"http://wijk.example.nl":        "must be reached over https",
		"wijk.example.nl":               "is not a district address",
		"ftp://wijk.example.nl":         "is not a district address",
		"https://wijk.example.nl?x=1#y": "https://wijk.example.nl",
	} {
		u, err := outbox.ParseURL(in)
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = u.String()
		}
		if !strings.Contains(got, want) {
			t.Errorf("ParseURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// weekOfBacklog opens a kiosk's database that joined a district at url
// and then counted a busy week (400 questions, claimed, a third referred,
// half closed, and the screens opened) without reaching it.
func weekOfBacklog(tb testing.TB, url string) *sqlite.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "buurtbalie.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return at }
	ds := sqlite.NewDistrictService(db)
	if err := ds.Join(ctx, url, district.Joined{Kiosk: district.NewEventID(), Key: district.NewKey(), House: "Huis West", District: "West"}); err != nil {
		tb.Fatal(err)
	}
	qs := sqlite.NewQuestionService(db)
	partner := question.Partner{Name: "Juridisch Loket"}
	if err := qs.SavePartner(ctx, &partner); err != nil {
		tb.Fatal(err)
	}
	use := sqlite.NewScreenUse(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for i := range 400 {
		q := question.Question{Topic: []string{"geld", "wonen", "gezondheid"}[i%3], Lang: []string{"nl", "tr", "ar", "pl"}[i%4], FollowUp: question.ComeBack, Text: "vraag"}
		if err := qs.Create(ctx, &q); err != nil {
			tb.Fatal(err)
		}
		at = at.Add(25 * time.Minute)
		if _, err := qs.Apply(ctx, q.ID, "Kees", question.Action{Kind: question.EventClaimed}); err != nil {
			tb.Fatal(err)
		}
		if i%3 == 0 {
			if _, err := qs.Apply(ctx, q.ID, "Kees", question.Action{Kind: question.EventReferred, Partner: partner.ID}); err != nil {
				tb.Fatal(err)
			}
		}
		if i%2 == 0 {
			if _, err := qs.Apply(ctx, q.ID, "Kees", question.Action{Kind: question.EventClosed, Outcome: question.Outcomes[i%5]}); err != nil {
				tb.Fatal(err)
			}
		}
		for s := range 10 {
			use.Count(fmt.Sprint("screen-", s))
		}
		if i%4 == 3 {
			if err := use.Flush(ctx); err != nil {
				tb.Fatal(err)
			}
		}
	}
	return db
}

// stubDistrict takes every batch: it stands in for the district server
// so that only the kiosk's side is measured (the district's own cost is
// BenchmarkAccept1000 in internal/postgres).
func stubDistrict() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b district.Batch
		if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		_ = json.NewEncoder(w).Encode(district.Accepted{New: len(b.Events)})
	}))
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCatchUpAWeek is what a kiosk spends catching up a week of
// backlog: the CPU time of reading, signing, sending and clearing every
// batch, and that time as a share of one core over the catch-up as Run
// paces it (a full batch, then Sender.Pause).
func BenchmarkCatchUpAWeek(b *testing.B) {
	ctx := context.Background()
	stub := stubDistrict()
	defer stub.Close()
	var cpu, wall time.Duration
	events, batches := 0, 0
	pause := outbox.NewSender(nil, nil).Pause
	for b.Loop() {
		b.StopTimer()
		db := weekOfBacklog(b, stub.URL)
		ds := sqlite.NewDistrictService(db)
		l, _, _ := ds.Link(ctx)
		events += l.Pending
		s := outbox.NewSender(ds, slog.New(slog.NewTextHandler(io.Discard, nil)))
		b.StartTimer()
		start, began := cpuTime(), time.Now()
		for {
			n, err := s.SendOnce(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if n == 0 {
				break
			}
			if batches++; n == s.Batch {
				wall += pause // Run waits this long before the next
			}
		}
		cpu += cpuTime() - start
		wall += time.Since(began)
	}
	n := float64(b.N)
	b.ReportMetric(float64(events)/n, "events/week")
	b.ReportMetric(float64(cpu.Milliseconds())/n, "cpu-ms/week")
	b.ReportMetric(float64(batches)/n, "batches/week")
	b.ReportMetric(100*float64(cpu)/float64(wall), "%cpu-paced")
}
