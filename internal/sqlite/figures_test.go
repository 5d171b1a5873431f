package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"buurtbalie/internal/figures"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/retention"
	"buurtbalie/internal/sqlite"
)

// yearFigures are 2026's figures as the figures pages will read them.
func yearFigures(t *testing.T, fs *sqlite.FigureService) string {
	t.Helper()
	ctx := context.Background()
	from, to := programme.NewDate(2026, 1, 1), programme.NewDate(2026, 12, 31)
	out := ""
	for _, m := range []string{figures.MeasureQuestions, figures.MeasureLanguage, figures.MeasureTopicLanguage, figures.MeasureFollowUp,
		figures.MeasureNoText, figures.MeasureNoSlip, figures.MeasureOutcome, figures.MeasureLate} {
		counts, err := fs.Counts(ctx, m, from, to)
		if err != nil {
			t.Fatal(err)
		}
		sum := map[string]int{}
		for _, c := range counts {
			sum[c.Key] += c.N
		}
		out += fmt.Sprintf("%s %v\n", m, sum)
	}
	for _, m := range []string{figures.MeasureContact, figures.MeasureClosed, figures.MeasureReferral} {
		ds, err := fs.Durations(ctx, m, from, to)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, d := range ds {
			total += d.Minutes
		}
		out += fmt.Sprintf("%s n=%d minutes=%d\n", m, len(ds), total)
	}
	return out
}

// TestFiguresOfASeededYearSurviveThePurge seeds 2026 with a fixed clock:
// 120 questions over the year in two topics and three languages, a third
// without text, every tenth without a slip, each claimed after two hours,
// some referred, and all closed a day later. The year's figures count
// them, and stay the same after the purge has deleted every question of
// 2026.
func TestFiguresOfASeededYearSurviveThePurge(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	clock := newClock(time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC))
	db.Now = clock.Now
	qs := sqlite.NewQuestionService(db)
	fs := sqlite.NewFigureService(db)
	partner := question.Partner{Name: "Juridisch Loket", Helps: "schulden en brieven", Contact: "0800-8020"}
	if err := qs.SavePartner(ctx, &partner); err != nil {
		t.Fatal(err)
	}
	langs := []string{"nl", "tr", "ar"}
	for i := 0; i < 120; i++ {
		clock.Set(time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC).Add(time.Duration(i) * 3 * 24 * time.Hour))
		q := question.Question{Topic: []string{"geld", "wonen"}[i%2], FollowUp: question.ComeBack, Lang: langs[i%3]}
		if i%3 != 0 {
			q.Text = fmt.Sprintf("vraag %d", i)
		}
		if err := qs.Create(ctx, &q); err != nil {
			t.Fatal(err)
		}
		if err := qs.RecordPrint(ctx, q.ID, i%10 != 0, "printer down"); err != nil {
			t.Fatal(err)
		}
		clock.Add(2 * time.Hour)
		if _, err := qs.Apply(ctx, q.ID, "Kees", question.Action{Kind: question.EventClaimed}); err != nil {
			t.Fatal(err)
		}
		if i%4 == 0 && q.Topic == "geld" {
			if _, err := qs.Apply(ctx, q.ID, "Kees", question.Action{Kind: question.EventReferred, Partner: partner.ID}); err != nil {
				t.Fatal(err)
			}
		}
		clock.Add(22 * time.Hour)
		if _, err := qs.Apply(ctx, q.ID, "Kees", question.Action{Kind: question.EventClosed, Outcome: question.Outcomes[i%5], Text: "geholpen"}); err != nil {
			t.Fatal(err)
		}
	}
	before := yearFigures(t, fs)
	want := "questions map[geld:60 wonen:60]\n" +
		"questions.language map[ar:40 nl:40 tr:40]\n" +
		"questions.topic_lang map[geld|ar:20 geld|nl:20 geld|tr:20 wonen|ar:20 wonen|nl:20 wonen|tr:20]\n" +
		"questions.follow_up map[come_back:120]\n" +
		"questions.no_text map[geld:20 wonen:20]\n" +
		"questions.no_slip map[geld:12]\n" +
		"followup.outcome map[helped:24 no_contact:24 not_needed:24 other:24 passed_on:24]\n" +
		"followup.late map[]\n" +
		"followup.contact n=120 minutes=14400\n" +
		"followup.closed n=120 minutes=172800\n" +
		"followup.referral n=30 minutes=3600\n"
	if before != want {
		t.Errorf("the year's figures:\n%s\nwant:\n%s", before, want)
	}
	// 2028: every question of 2026 is past its year.
	clock.Set(time.Date(2028, 3, 1, 2, 0, 0, 0, time.UTC))
	if _, err := db.PurgeTrustingClock(ctx, retention.Default(), false); err != nil {
		t.Fatal(err)
	}
	if n, err := qs.Count(ctx); err != nil || n != 0 {
		t.Fatalf("after the purge %d questions are left (%v), want none", n, err)
	}
	if after := yearFigures(t, fs); after != before {
		t.Errorf("the purge changed the year's figures:\n%s\nwas:\n%s", after, before)
	}
}

// TestNotPickedUpWithinADay counts, on the day they were asked, the
// questions first claimed a day or more later and those still waiting a
// day on, but not a question claimed within the day nor one asked less
// than a day ago.
func TestNotPickedUpWithinADay(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	db.Location = loc
	monday := time.Date(2026, 11, 30, 9, 0, 0, 0, loc)
	clock := newClock(monday)
	db.Now = clock.Now
	qs := sqlite.NewQuestionService(db)
	fs := sqlite.NewFigureService(db)
	askNow := func(topic string) question.Question {
		q := question.Question{Topic: topic, FollowUp: question.ComeBack, Lang: "nl"}
		if err := qs.Create(ctx, &q); err != nil {
			t.Fatal(err)
		}
		return q
	}
	quick, late, waiting := askNow("geld"), askNow("geld"), askNow("wonen")
	clock.Add(3 * time.Hour)
	apply(t, qs, quick.ID, "Kees", question.Action{Kind: question.EventClaimed})
	clock.Set(monday.Add(26 * time.Hour)) // Tuesday 11:00
	// A note claims it, a day and two hours after it was asked.
	apply(t, qs, late.ID, "Kees", question.Action{Kind: question.EventNote, Text: "Gebeld."})
	askNow("taal") // asked Tuesday, not a day old yet
	week := func() map[string]int {
		t.Helper()
		from, to := programme.NewDate(2026, 11, 30), programme.NewDate(2026, 12, 6)
		late, err := fs.Counts(ctx, figures.MeasureLate, from, to)
		if err != nil {
			t.Fatal(err)
		}
		still, err := fs.Unclaimed(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, c := range append(late, still...) {
			if c.Day != from {
				t.Errorf("%+v is not counted on the Monday it was asked", c)
			}
			got[c.Key] += c.N
		}
		return got
	}
	_ = waiting // never claimed
	if got := fmt.Sprint(week()); got != "map[geld:1 wonen:1]" {
		t.Errorf("not picked up within a day: %s, want geld 1 (claimed late) and wonen 1 (still waiting)", got)
	}
}

// TestScreenUseCountsPerHour counts screens in memory and writes them per
// house-local hour on Flush; a flush that cannot write keeps the counts
// for the next.
func TestScreenUseCountsPerHour(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	db.Location = loc
	clock := newClock(time.Date(2026, 12, 3, 13, 59, 0, 0, time.UTC)) // 14:59 in Amsterdam
	db.Now = clock.Now
	u := sqlite.NewScreenUse(db, nil)
	u.Count(figures.ScreenToday)
	u.Count(figures.ScreenToday)
	clock.Add(2 * time.Minute) // 15:01
	u.Count(figures.ScreenToday)
	u.Count(figures.ScreenLanguage + "tr")
	if err := u.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	u.Count(figures.ScreenToday)
	if err := u.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := sqlite.NewFigureService(db).ScreenUse(ctx, programme.NewDate(2026, 12, 3), programme.NewDate(2026, 12, 3))
	if err != nil {
		t.Fatal(err)
	}
	want := []figures.ScreenCount{{Hour: "2026-12-03T14", Screen: "today", N: 2}, {Hour: "2026-12-03T15", Screen: "language:tr", N: 1},
		{Hour: "2026-12-03T15", Screen: "today", N: 2}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("screen use %v, want %v", got, want)
	}
}

// BenchmarkCountScreen is the figure "recording a screen-use event costs
// the kiosk nothing it can feel: ≤ 50 µs on the UI goroutine": what the
// kiosk calls as a screen opens (the write happens later, off it).
//
//	go test ./internal/sqlite -run '^$' -bench CountScreen -count 5
func BenchmarkCountScreen(b *testing.B) {
	db, _ := open(b)
	u := sqlite.NewScreenUse(db, nil)
	for b.Loop() {
		u.Count(figures.ScreenToday)
	}
}

// TestDemoYearOfFigures: a fresh install's demo programme comes with a
// made-up past year of figures, which "demo remove" takes away while
// the house's own figures stay.
func TestDemoYearOfFigures(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	clock := newClock(time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))
	db.Now = clock.Now
	prog := sqlite.NewProgrammeService(db)
	today := programme.NewDate(2026, 12, 3)
	if seeded, err := prog.SeedDemo(ctx, today); err != nil || !seeded {
		t.Fatalf("seed demo: %v %v", seeded, err)
	}
	q := question.Question{Topic: "geld", FollowUp: question.Waiting}
	if err := sqlite.NewQuestionService(db).Create(ctx, &q); err != nil {
		t.Fatal(err)
	}
	total := func() int {
		counts, err := sqlite.NewFigureService(db).Counts(ctx, figures.MeasureQuestions, today.AddDays(-366), today)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range counts {
			n += c.N
		}
		return n
	}
	if n := total(); n < 1000 {
		t.Errorf("the demo year holds %d questions", n)
	}
	use, _ := sqlite.NewFigureService(db).ScreenUse(ctx, today.AddDays(-366), today)
	if len(use) == 0 {
		t.Error("the demo year has no screen use")
	}
	if _, err := prog.RemoveDemo(ctx); err != nil {
		t.Fatal(err)
	}
	if n := total(); n != 1 {
		t.Errorf("after demo remove the year holds %d questions, want the house's own 1", n)
	}
}
