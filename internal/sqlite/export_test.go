package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"buurtbalie/internal/calendar"
	"buurtbalie/internal/demo"
	"buurtbalie/internal/programme"
)

// Insert adds a whole programme in one transaction, as SeedDemo does,
// setting the activities' IDs and following them in the exceptions. Tests
// use it for fixtures too big to add one transaction at a time.
func Insert(ctx context.Context, db *DB, cats []programme.Category, acts []programme.Activity, excs []programme.Exception) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := seed(ctx, tx, cats, acts, excs, db.now()); err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	return tx.Commit()
}

// RandomProgramme makes a programme spread over from..to: recurring weekly
// and monthly activities with bounds somewhere in the span, one-off
// activities, and exceptions on dates the activities take place. The
// activities carry IDs 1, 2, … for the exceptions, as demo.Programme's do.
func RandomProgramme(r *rand.Rand, from, to programme.Date, recurring, once, exceptions int) ([]programme.Category, []programme.Activity, []programme.Exception) {
	span := from.DaysUntil(to) + 1
	day := func() programme.Date { return from.AddDays(r.IntN(span)) }
	cats := demo.Categories()
	rooms := []string{"Huiskamer", "Keuken", "Zaal 1", "Zaal 2", "Spreekkamer", "Tuin"}

	var acts []programme.Activity
	add := func(s programme.Schedule) {
		start := programme.Clock(8+r.IntN(13), 15*r.IntN(4))
		end := min(start+programme.TimeOfDay(30+15*r.IntN(11)), programme.EndOfDay)
		acts = append(acts, programme.Activity{
			ID:          int64(len(acts) + 1),
			Title:       fmt.Sprintf("Activiteit %d", len(acts)+1),
			Description: "Een activiteit om mee te testen.",
			Category:    cats[r.IntN(len(cats))].Key,
			Room:        rooms[r.IntN(len(rooms))],
			Host:        "Vrijwilligers",
			CostCents:   []int{0, 0, 0, 150, 350}[r.IntN(5)],
			SignUp:      r.IntN(4) == 0,
			Wheelchair:  r.IntN(3) > 0,
			Start:       start, End: end,
			Schedule: s,
			Demo:     r.IntN(10) == 0,
		})
	}
	for range recurring {
		var s programme.Schedule
		if r.IntN(10) < 7 {
			s = programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Weekdays(1 + r.IntN(127))}
			if r.IntN(4) == 0 {
				s.Interval = 2 + r.IntN(3)
			}
		} else {
			s = programme.Schedule{Kind: programme.Monthly, Nth: []int{1, 2, 3, 4, -1}[r.IntN(5)], Weekday: time.Weekday(r.IntN(7))}
		}
		if s.Interval > 1 || r.IntN(10) > 0 {
			s.From = day()
		}
		if r.IntN(5) > 0 {
			base := s.From
			if base.IsZero() {
				base = day()
			}
			s.Until = base.AddDays(30 + r.IntN(1500))
		}
		// Half the bounds fall on a date the activity takes place, to
		// catch off-by-one mistakes at either end.
		if r.IntN(2) == 0 {
			if !s.From.IsZero() && s.Interval <= 1 {
				free := s
				free.From, free.Until = programme.Date{}, programme.Date{}
				for !free.Includes(s.From) {
					s.From = s.From.AddDays(1)
				}
			}
			if !s.Until.IsZero() {
				open := s
				open.Until = programme.Date{}
				for !open.Includes(s.Until) {
					s.Until = s.Until.AddDays(1)
				}
			}
		}
		add(s)
	}
	for range once {
		add(programme.Schedule{Kind: programme.Once, Date: day()})
	}

	type key struct {
		id   int64
		date programme.Date
	}
	seen := map[key]bool{}
	var excs []programme.Exception
	for len(excs) < exceptions {
		a := acts[r.IntN(len(acts))]
		d := a.Schedule.Date
		if a.Schedule.Kind != programme.Once {
			d = day()
			for tries := 0; !a.Schedule.Includes(d) && tries < 60; tries++ {
				d = d.AddDays(1)
			}
			if !a.Schedule.Includes(d) {
				continue
			}
		}
		if seen[key{a.ID, d}] {
			continue
		}
		seen[key{a.ID, d}] = true
		x := programme.Exception{ActivityID: a.ID, Date: d}
		switch r.IntN(4) {
		case 0:
			x.Cancelled, x.Note = true, "Gaat niet door."
		case 1:
			x.Room = rooms[r.IntN(len(rooms))] + " (andere zaal)"
		case 2:
			x.HasTime, x.Start, x.End = true, a.Start/2, a.Start/2+45
		default:
			x.Note = "Neem je eigen mok mee."
		}
		excs = append(excs, x)
	}
	return cats, acts, excs
}

// SQL returns the database's connection pool, for tests that look at
// the tables themselves.
func (db *DB) SQL() *sql.DB { return db.db }

// ApplyImportMeanwhile applies imp as ApplyImport does, running meanwhile
// between working out the changes and taking the write lock for them:
// where another writer may change the programme under the plan.
func ApplyImportMeanwhile(ctx context.Context, s *ProgrammeService, imp calendar.Import, meanwhile func()) (calendar.Report, error) {
	if err := checkImport(imp); err != nil {
		return calendar.Report{}, err
	}
	return s.db.writeImport(ctx, imp, importWrite{planned: meanwhile})
}

// ImportPlan is an import's changes, worked out and not yet made.
type ImportPlan struct {
	db  *DB
	imp calendar.Import
	p   *importPlan
}

// PlanImport works out what imp would change, from a read snapshot, as
// ApplyImport does before it takes the write lock.
func PlanImport(ctx context.Context, s *ProgrammeService, imp calendar.Import) (*ImportPlan, error) {
	if err := checkImport(imp); err != nil {
		return nil, err
	}
	p, err := s.db.readPlan(ctx, imp)
	if err != nil {
		return nil, err
	}
	return &ImportPlan{db: s.db, imp: imp, p: p}, nil
}

// Report is what the plan would report.
func (p *ImportPlan) Report() calendar.Report { return p.p.report }

// Write makes the plan's changes and records the import, in one write
// transaction, as ApplyImport does once it has the plan: what it takes is
// how long the write lock is held.
func (p *ImportPlan) Write(ctx context.Context) error {
	tx, err := p.db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := p.db.now()
	if err := p.p.apply(ctx, tx, now); err != nil {
		return err
	}
	if err := recordImport(ctx, tx, p.imp, p.p.report, now); err != nil {
		return err
	}
	return tx.Commit()
}
