package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"buurtbalie/internal/district"
	"buurtbalie/internal/figures"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
)

// location is the house's time zone, for its days and hours.
func (db *DB) location() *time.Location {
	if db.Location == nil {
		return time.Local
	}
	return db.Location
}

// dayOf is the house-local day of t.
func (db *DB) dayOf(t time.Time) string { return programme.DateOf(t.In(db.location())).String() }

// countIn adds one to a day's figure in tx.
func countIn(ctx context.Context, tx *sql.Tx, day, measure, key string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO figure_counts (day, measure, key, n) VALUES (?, ?, ?, 1)
		ON CONFLICT (day, measure, key, demo) DO UPDATE SET n = n + 1`, day, measure, key)
	if err != nil {
		return err
	}
	return shareIn(ctx, tx, district.Event{Kind: district.KindCount, Day: day, Measure: measure, Key: key, N: 1})
}

// durationIn records how long a follow-up step took, in tx.
func durationIn(ctx context.Context, tx *sql.Tx, day, measure, key string, d time.Duration) error {
	if d < 0 {
		d = 0 // a clock set back: the step took no time we can tell
	}
	minutes := int(d / time.Minute)
	_, err := tx.ExecContext(ctx, `INSERT INTO figure_durations (day, measure, key, minutes) VALUES (?, ?, ?, ?)`,
		day, measure, key, minutes)
	if err != nil {
		return err
	}
	return shareIn(ctx, tx, district.Event{Kind: district.KindDuration, Day: day, Measure: measure, Key: key, Minutes: minutes})
}

// countQuestion counts a new question in tx.
func (db *DB) countQuestion(ctx context.Context, tx *sql.Tx, q question.Question, at time.Time) error {
	day := db.dayOf(at)
	counts := [][2]string{
		{figures.MeasureQuestions, q.Topic},
		{figures.MeasureLanguage, q.Lang},
		{figures.MeasureTopicLanguage, figures.TopicLanguage(q.Topic, q.Lang)},
		{figures.MeasureFollowUp, string(q.FollowUp)},
	}
	if q.Text == "" {
		counts = append(counts, [2]string{figures.MeasureNoText, q.Topic})
	}
	for _, c := range counts {
		if err := countIn(ctx, tx, day, c[0], c[1]); err != nil {
			return fmt.Errorf("count question: %w", err)
		}
	}
	return nil
}

// countNoSlip counts, in tx, the questions matching where whose slip was
// still to print and now will not: each visitor left without a slip
// once, however often printing is tried again.
func (db *DB) countNoSlip(ctx context.Context, tx *sql.Tx, where string, args ...any) error {
	rows, err := tx.QueryContext(ctx, `SELECT topic FROM questions WHERE print_state = 'pending' AND `+where, args...)
	if err != nil {
		return err
	}
	var topics []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		topics = append(topics, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	day := db.dayOf(db.Now())
	for _, t := range topics {
		if err := countIn(ctx, tx, day, figures.MeasureNoSlip, t); err != nil {
			return err
		}
	}
	return nil
}

// countFollowUp counts a follow-up step on q in tx: the first claim, a
// referral, a closing.
func (db *DB) countFollowUp(ctx context.Context, tx *sql.Tx, q question.Question, e question.Event) error {
	day, took := db.dayOf(e.At), e.At.Sub(q.Created)
	var err error
	switch e.Kind {
	case question.EventClaimed:
		if q.Status == question.New {
			err = durationIn(ctx, tx, day, figures.MeasureContact, q.Topic, took)
			if err == nil && took >= figures.PickUpWithin {
				// On the day it was asked, beside those still waiting
				// (Unclaimed): the questions of a day that waited too long.
				err = countIn(ctx, tx, db.dayOf(q.Created), figures.MeasureLate, q.Topic)
			}
		}
	case question.EventReferred:
		err = durationIn(ctx, tx, day, figures.MeasureReferral, e.Text, took)
	case question.EventClosed:
		// Its outcome as the choice made, never the note beside it:
		// that is free text, which may name someone, and goes with the
		// purge.
		err = durationIn(ctx, tx, day, figures.MeasureClosed, q.Topic, took)
		if err == nil && q.Outcome != "" {
			err = countIn(ctx, tx, day, figures.MeasureOutcome, string(q.Outcome))
		}
	}
	if err != nil {
		return fmt.Errorf("count follow-up: %w", err)
	}
	return nil
}

// FigureService reads the house's figures.
type FigureService struct{ db *DB }

// NewFigureService returns the figures of db.
func NewFigureService(db *DB) *FigureService { return &FigureService{db: db} }

// Counts returns measure's figures of the days from..to, by day and key.
func (s *FigureService) Counts(ctx context.Context, measure string, from, to programme.Date) ([]figures.Count, error) {
	rows, err := s.db.db.QueryContext(ctx, `SELECT day, key, SUM(n) FROM figure_counts
		WHERE measure = ? AND day BETWEEN ? AND ? GROUP BY day, key ORDER BY day, key`, measure, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("figures: %w", err)
	}
	defer rows.Close()
	var out []figures.Count
	for rows.Next() {
		var c figures.Count
		var day string
		if err := rows.Scan(&day, &c.Key, &c.N); err != nil {
			return nil, fmt.Errorf("figures: %w", err)
		}
		if c.Day, err = programme.ParseDate(day); err != nil {
			return nil, fmt.Errorf("figures: %w", err)
		}
		out = append(out, c)
	}
	return out, wrapf(rows.Err(), "figures")
}

// Durations returns measure's step times of the days from..to, by key
// (their days are left out: the figures count times per key over the
// whole run, and reading 40,000 dates would cost the page its speed).
func (s *FigureService) Durations(ctx context.Context, measure string, from, to programme.Date) ([]figures.Duration, error) {
	return s.durations(ctx, measure, from, to, false)
}

// DurationsByDay is Durations with each step's day, for what needs the
// weeks (the small-cell rule of what leaves for the district).
func (s *FigureService) DurationsByDay(ctx context.Context, measure string, from, to programme.Date) ([]figures.Duration, error) {
	return s.durations(ctx, measure, from, to, true)
}

func (s *FigureService) durations(ctx context.Context, measure string, from, to programme.Date, withDays bool) ([]figures.Duration, error) {
	rows, err := s.db.db.QueryContext(ctx, `SELECT CASE WHEN ? THEN day ELSE '' END, key, minutes FROM figure_durations
		WHERE measure = ? AND day BETWEEN ? AND ?`, withDays, measure, from.String(), to.String())
	if err != nil {
		return nil, fmt.Errorf("figures: %w", err)
	}
	defer rows.Close()
	var out []figures.Duration
	for rows.Next() {
		var d figures.Duration
		var day string
		if err := rows.Scan(&day, &d.Key, &d.Minutes); err != nil {
			return nil, fmt.Errorf("figures: %w", err)
		}
		if withDays {
			if d.Day, err = programme.ParseDate(day); err != nil {
				return nil, fmt.Errorf("figures: %w", err)
			}
		}
		out = append(out, d)
	}
	return out, wrapf(rows.Err(), "figures")
}

// Unclaimed counts, by the day they were asked and topic, the questions
// asked on from..to that are still waiting for their first contact a day
// (figures.PickUpWithin) after they were asked. Open questions are never
// purged, so these are read from the questions themselves.
func (s *FigureService) Unclaimed(ctx context.Context, from, to programme.Date) ([]figures.Count, error) {
	before := s.db.Now().Add(-figures.PickUpWithin).UTC().Format(time.RFC3339Nano)
	// created_at is RFC 3339 in UTC with a varying number of decimals,
	// so it is compared as a time, not as text.
	rows, err := s.db.db.QueryContext(ctx, `SELECT created_at, topic FROM questions
		WHERE status = 'new' AND julianday(created_at) < julianday(?)`, before)
	if err != nil {
		return nil, fmt.Errorf("unclaimed: %w", err)
	}
	defer rows.Close()
	n := map[figures.Count]int{}
	for rows.Next() {
		var created, topic string
		if err := rows.Scan(&created, &topic); err != nil {
			return nil, fmt.Errorf("unclaimed: %w", err)
		}
		t, err := time.Parse(time.RFC3339Nano, created)
		if err != nil {
			return nil, fmt.Errorf("unclaimed: %w", err)
		}
		day := programme.DateOf(t.In(s.db.location()))
		if day.Before(from) || to.Before(day) {
			continue
		}
		n[figures.Count{Day: day, Key: topic}]++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("unclaimed: %w", err)
	}
	out := make([]figures.Count, 0, len(n))
	for c, k := range n {
		c.N = k
		out = append(out, c)
	}
	return out, nil
}

// SeedFigures stores figures made elsewhere in one transaction: the demo
// year (demo set, so "demo remove" finds it) and benchmarks' busy years.
func (s *FigureService) SeedFigures(ctx context.Context, k figures.Kept, demo bool) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("seed figures: %w", err)
	}
	defer tx.Rollback()
	if err := seedFigures(ctx, tx, k, demo); err != nil {
		return fmt.Errorf("seed figures: %w", err)
	}
	return wrapf(tx.Commit(), "seed figures")
}

func seedFigures(ctx context.Context, tx *sql.Tx, k figures.Kept, demo bool) error {
	d := 0
	if demo {
		d = 1
	}
	// Prepared once: a year is tens of thousands of rows.
	count, err := tx.PrepareContext(ctx, `INSERT INTO figure_counts (day, measure, key, demo, n) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (day, measure, key, demo) DO UPDATE SET n = n + excluded.n`)
	if err != nil {
		return err
	}
	defer count.Close()
	duration, err := tx.PrepareContext(ctx, `INSERT INTO figure_durations (day, measure, key, demo, minutes) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer duration.Close()
	use, err := tx.PrepareContext(ctx, `INSERT INTO screen_use (hour, screen, demo, n) VALUES (?, ?, ?, ?)
		ON CONFLICT (hour, screen, demo) DO UPDATE SET n = n + excluded.n`)
	if err != nil {
		return err
	}
	defer use.Close()
	for measure, counts := range k.Counts {
		for _, c := range counts {
			if _, err := count.ExecContext(ctx, c.Day.String(), measure, c.Key, d, c.N); err != nil {
				return err
			}
		}
	}
	for measure, ds := range k.Durations {
		for _, x := range ds {
			if _, err := duration.ExecContext(ctx, x.Day.String(), measure, x.Key, d, x.Minutes); err != nil {
				return err
			}
		}
	}
	for _, c := range k.Screens {
		if _, err := use.ExecContext(ctx, c.Hour, c.Screen, d, c.N); err != nil {
			return err
		}
	}
	return nil
}

// removeDemoFigures takes the made-up demo year away, in tx.
func removeDemoFigures(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{`DELETE FROM figure_counts WHERE demo = 1`, `DELETE FROM figure_durations WHERE demo = 1`, `DELETE FROM screen_use WHERE demo = 1`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
