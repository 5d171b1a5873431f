package subscription_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"buurtbalie/internal/calendar"
	"buurtbalie/internal/desk"
	"buurtbalie/internal/feed"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/subscription"
)

// The sizes of the staff work in TestQuestionsDuringStaffWork: a
// calendar file as big as a house's of a few years' standing, and a feed
// half that, each changing every activity every round, so every write has
// all of them to make.
const (
	fileSingles, fileSeries = 800, 200
	feedSingles, feedSeries = 400, 100
	staffRounds             = 3
)

// visitorPause is the time between one visitor's question and the next
// one's: far shorter than at a kiosk, where a question takes a minute,
// yet long enough that the visitors do not only wait for one another.
const visitorPause = 5 * time.Millisecond

// writerEnv names the database the second process of
// TestQuestionsDuringStaffWork writes its questions to.
const writerEnv = "BUURTBALIE_TEST_QUESTION_WRITER"

// A visitor's question is never refused because of staff work: while a
// calendar file is previewed and imported and a feed is refreshed, over
// and over, visitors keep asking questions through the kiosk's own desk,
// in this process and in a second one on the same SQLite file (as when
// the kiosk runs and staff use `buurtbalie import` next to it), and not
// one of them is refused. It holds because an import only takes the
// write lock for its short write, not because writers wait long: the
// longest wait is logged, never asserted.
func TestQuestionsDuringStaffWork(t *testing.T) {
	if testing.Short() {
		t.Skip("imports thousands of activities")
	}
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "buurtbalie.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	progs := sqlite.NewProgrammeService(db)
	if _, err := progs.SeedDemo(ctx, programme.NewDate(2026, time.March, 2)); err != nil {
		t.Fatal(err)
	}
	subs := sqlite.NewSubscriptionService(db)
	server := newCalendarServer(t)
	sub, err := subs.AddSubscription(ctx, server.URL+"/huis.ics", time.Hour, "Sanne")
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC) }
	client := feed.NewClient()
	client.Allow = allowLoopback
	refresher := &subscription.Refresher{Store: subs, Fetch: client.Fetch, Now: now}

	// The second process: this test binary again, running only
	// TestQuestionWriter, until the stop file is there.
	stop, ready := filepath.Join(dir, "stop"), filepath.Join(dir, "ready")
	child := exec.Command(os.Args[0], "-test.run=^TestQuestionWriter$", "-test.v")
	child.Env = append(os.Environ(), writerEnv+"="+path)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	child.Stderr = child.Stdout
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan []string, 1)
	go func() {
		var all []string
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			all = append(all, sc.Text())
		}
		lines <- all
	}()
	defer func() {
		os.WriteFile(stop, nil, 0o600)
		child.Process.Kill() // a no-op once it has ended
	}()
	if err := waitFile(ready, filepath.Join(dir, "failed"), 30*time.Second); err != nil {
		t.Fatalf("second process: %v", err)
	}

	// The visitors in this process.
	d := desk.New(sqlite.NewQuestionService(db), nil, nil, nil, desk.Config{}, slog.New(slog.DiscardHandler))
	var (
		wg             sync.WaitGroup
		asked, refused atomic.Int64
		longest        atomic.Int64
		firstErr       atomic.Value
	)
	done := make(chan struct{})
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				wait, err := ask(ctx, d)
				if err != nil {
					refused.Add(1)
					firstErr.CompareAndSwap(nil, err)
					continue
				}
				asked.Add(1)
				time.Sleep(visitorPause)
				for {
					l := longest.Load()
					if int64(wait) <= l || longest.CompareAndSwap(l, int64(wait)) {
						break
					}
				}
			}
		}()
	}

	// The staff work.
	var staffErr error
	for round := range staffRounds {
		cats, err := progs.Categories(ctx)
		if err != nil {
			staffErr = err
			break
		}
		imp, err := calendar.ParseICS(strings.NewReader(houseCalendar("file", fileSingles, fileSeries, round)),
			calendar.Options{Now: now(), Categories: cats})
		if err != nil {
			staffErr = err
			break
		}
		if _, err := progs.ApplyImport(ctx, imp, true); err != nil {
			staffErr = fmt.Errorf("round %d: preview: %w", round, err)
			break
		}
		if r, err := progs.ApplyImport(ctx, imp, false); err != nil || r.Added+r.Changed != fileSingles+fileSeries {
			staffErr = fmt.Errorf("round %d: import: %+v, %v", round, r, err)
			break
		}
		server.serve("ok", []byte(houseCalendar("feed", feedSingles, feedSeries, round)))
		if r, err := refresher.Refresh(ctx, sub.ID); err != nil || r.Added+r.Changed != feedSingles+feedSeries {
			staffErr = fmt.Errorf("round %d: refresh: %+v, %v", round, r, err)
			break
		}
	}
	close(done)
	wg.Wait()
	if err := os.WriteFile(stop, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	childOut := <-lines
	childErr := child.Wait()
	if staffErr != nil {
		t.Fatal(staffErr)
	}

	t.Logf("this process: %d questions stored, %d refused, the longest took %v", asked.Load(), refused.Load(), time.Duration(longest.Load()))
	if n := refused.Load(); n > 0 {
		t.Errorf("%d of %d questions refused during staff work; the first: %v", n, n+asked.Load(), firstErr.Load())
	}
	if asked.Load() == 0 {
		t.Error("no question was asked during the staff work")
	}
	var childAsked, childRefused int64 = -1, -1
	for _, l := range childOut {
		if _, err := fmt.Sscanf(l, "questions: %d stored, %d refused", &childAsked, &childRefused); err == nil {
			break
		}
	}
	t.Logf("second process: %d questions stored, %d refused", childAsked, childRefused)
	if childErr != nil || childAsked <= 0 || childRefused != 0 {
		t.Errorf("second process: %d stored, %d refused, %v; want some stored and none refused:\n%s",
			childAsked, childRefused, childErr, strings.Join(childOut, "\n"))
	}
}

// TestQuestionWriter is the second process of
// TestQuestionsDuringStaffWork: it asks questions on the database its
// environment names until a file "stop" is next to it, and says how many
// were stored and refused. Run on its own it does nothing.
func TestQuestionWriter(t *testing.T) {
	path := os.Getenv(writerEnv)
	if path == "" {
		t.Skip("only the second process of TestQuestionsDuringStaffWork")
	}
	dir := filepath.Dir(path)
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		os.WriteFile(filepath.Join(dir, "failed"), []byte(err.Error()), 0o600)
		t.Fatal(err)
	}
	defer db.Close()
	d := desk.New(sqlite.NewQuestionService(db), nil, nil, nil, desk.Config{}, slog.New(slog.DiscardHandler))
	var stored, refused int
	for {
		if _, err := os.Stat(filepath.Join(dir, "stop")); err == nil {
			break
		}
		if _, err := ask(ctx, d); err != nil {
			if refused == 0 {
				fmt.Printf("refused: %v\n", err)
			}
			refused++
			continue
		}
		time.Sleep(visitorPause)
		if stored++; stored == 1 {
			if err := os.WriteFile(filepath.Join(dir, "ready"), nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	fmt.Printf("questions: %d stored, %d refused\n", stored, refused)
}

// ask asks one question at the desk, as a visitor at the kiosk does, and
// returns how long storing it took.
func ask(ctx context.Context, d *desk.Desk) (time.Duration, error) {
	start := time.Now()
	_, err := d.Ask(ctx, desk.Draft{Topic: "geld", Text: "Ik begrijp een brief van de belasting niet.", FollowUp: question.Waiting, Lang: "nl"})
	return time.Since(start), err
}

// waitFile waits until the file at path exists, or the one at failed
// (then its contents are the error), at most max.
func waitFile(path, failed string, max time.Duration) error {
	deadline := time.Now().Add(max)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
		if b, err := os.ReadFile(failed); err == nil {
			return errors.New(string(b))
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("no %s after %v", filepath.Base(path), max)
}

// houseCalendar is a calendar of singles one-off events and series weekly
// ones from 2 March 2026, their UIDs starting with prefix; each round
// ends every event a minute later than the round before, so that an
// import of the next round changes every activity.
func houseCalendar(prefix string, singles, series, round int) string {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Buurtbalie//test//NL\r\n")
	day0 := time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)
	event := func(uid, title string, start time.Time, minutes int, extra string) {
		end := start.Add(time.Duration(minutes+round) * time.Minute)
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20260101T000000Z\r\nSUMMARY:%s\r\nLOCATION:Zaal %d\r\n"+
			"DTSTART;TZID=Europe/Amsterdam:%s\r\nDTEND;TZID=Europe/Amsterdam:%s\r\n%sEND:VEVENT\r\n",
			uid, title, 1+len(title)%3, start.Format("20060102T150405"), end.Format("20060102T150405"), extra)
	}
	for i := range singles {
		start := day0.AddDate(0, 0, i%300).Add(time.Duration(9*60+15*(i%32)) * time.Minute)
		event(fmt.Sprintf("%s-single-%d", prefix, i), fmt.Sprintf("Activiteit %d", i), start, 60, "")
	}
	days := []string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}
	for i := range series {
		start := day0.AddDate(0, 0, i%7).Add(time.Duration(9*60+15*(i%32)) * time.Minute)
		extra := "RRULE:FREQ=WEEKLY;BYDAY=" + days[start.Weekday()] + "\r\n"
		if i%3 == 0 {
			extra += "EXDATE;TZID=Europe/Amsterdam:" + start.AddDate(0, 0, 7*(1+i%10)).Format("20060102T150405") + "\r\n"
		}
		event(fmt.Sprintf("%s-series-%d", prefix, i), fmt.Sprintf("Reeks %d", i), start, 90, extra)
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.String()
}
