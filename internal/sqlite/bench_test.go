package sqlite_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

// BenchmarkDay measures loading one day's programme from a store that holds
// ten years of history: 600 recurring activities (weekly and monthly, with
// bounds spread over the ten years), 40,000 one-off activities and 12,000
// exceptions. The target is at most 5 ms per day. The days asked for run
// through the middle year, so no single lucky date decides.
func BenchmarkDay(b *testing.B) {
	ctx := context.Background()
	db, _ := open(b)
	s := sqlite.NewProgrammeService(db)
	from, to := programme.NewDate(2020, time.January, 1), programme.NewDate(2029, time.December, 31)
	cats, acts, excs := sqlite.RandomProgramme(rand.New(rand.NewPCG(10, 20)), from, to, 600, 40000, 12000)
	if err := sqlite.Insert(ctx, db, cats, acts, excs); err != nil {
		b.Fatal(err)
	}
	mid := programme.NewDate(2025, time.January, 1)

	var occs, i int
	for b.Loop() { // the timer starts here: setup is not measured
		day, err := s.Day(ctx, mid.AddDays(i%365))
		if err != nil {
			b.Fatal(err)
		}
		occs += len(day)
		i++
	}
	b.ReportMetric(float64(occs)/float64(i), "occurrences/op")
}

// BenchmarkCreateQuestion measures storing one question, committed to the
// disk (synchronous FULL: the -wal file is fsynced before Create returns),
// in a temp dir on the machine's disk.
func BenchmarkCreateQuestion(b *testing.B) {
	ctx := context.Background()
	db, _ := open(b)
	qs := sqlite.NewQuestionService(db)
	for b.Loop() {
		q := question.Question{Topic: "geld", Text: "Vraag over een brief", FollowUp: question.Waiting}
		if err := qs.Create(ctx, &q); err != nil {
			b.Fatal(err)
		}
	}
}
