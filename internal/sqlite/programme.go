package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"buurtbalie/internal/demo"
	"buurtbalie/internal/programme"
)

// openUntil is the until_date stored for a schedule without an end, so that
// "still running on d" is until_date >= d.
const openUntil = "9999-12-31"

// metaDemoSeeded is the meta key set once SeedDemo has decided, so the demo
// never comes back after staff removed it.
const metaDemoSeeded = "demo_seeded"

// ProgrammeService keeps the programme: categories, activities and their
// one-day exceptions. Each method is one transaction.
type ProgrammeService struct {
	db *DB
}

// NewProgrammeService returns the programme store of db.
func NewProgrammeService(db *DB) *ProgrammeService {
	return &ProgrammeService{db: db}
}

// Day returns what is on at the house on d, with that day's exceptions
// applied, sorted by start time.
func (s *ProgrammeService) Day(ctx context.Context, d programme.Date) ([]programme.Occurrence, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("programme of %s: %w", d, err)
	}
	defer tx.Rollback()

	acts, excs, err := findProgramme(ctx, tx, d, d)
	if err != nil {
		return nil, fmt.Errorf("programme of %s: %w", d, err)
	}
	return programme.Expand(acts, excs, d, s.db.Location), nil
}

// Range returns what is on from one date to another (inclusive), sorted by
// start time.
func (s *ProgrammeService) Range(ctx context.Context, from, to programme.Date) ([]programme.Occurrence, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("programme from %s to %s: %w", from, to, err)
	}
	defer tx.Rollback()

	acts, excs, err := findProgramme(ctx, tx, from, to)
	if err != nil {
		return nil, fmt.Errorf("programme from %s to %s: %w", from, to, err)
	}
	return programme.ExpandRange(acts, excs, from, to, s.db.Location), nil
}

// NextActiveDay finds the first date after after, and at most within days
// later, on which at least one activity goes ahead (is not cancelled). It
// returns that date and all its occurrences, cancelled ones included; ok is
// false when there is none, as when the house is closed for the holidays.
func (s *ProgrammeService) NextActiveDay(ctx context.Context, after programme.Date, within int) (day programme.Date, occs []programme.Occurrence, ok bool, err error) {
	if within < 1 {
		return programme.Date{}, nil, false, nil
	}
	from, to := after.AddDays(1), after.AddDays(within)
	all, err := s.Range(ctx, from, to)
	if err != nil {
		return programme.Date{}, nil, false, fmt.Errorf("next active day after %s: %w", after, err)
	}
	// all is sorted by start time, so the first that goes ahead is on
	// the first active day.
	for _, o := range all {
		if !o.Cancelled {
			day, ok = o.Date, true
			break
		}
	}
	if !ok {
		return programme.Date{}, nil, false, nil
	}
	for _, o := range all {
		if o.Date == day {
			occs = append(occs, o)
		}
	}
	return day, occs, true, nil
}

// Categories returns all categories, in the order staff set.
func (s *ProgrammeService) Categories(ctx context.Context) ([]programme.Category, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	defer tx.Rollback()

	cats, err := findCategories(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	return cats, nil
}

// SaveCategory adds the category, or replaces the one with its key.
func (s *ProgrammeService) SaveCategory(ctx context.Context, c programme.Category) error {
	if strings.TrimSpace(c.Key) == "" {
		return &programme.InvalidError{Field: "key", Reason: "key_required", Detail: "give the category a key"}
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("save category %q: %w", c.Key, err)
	}
	defer tx.Rollback()

	if err := saveCategory(ctx, tx, c, true); err != nil {
		return fmt.Errorf("save category %q: %w", c.Key, err)
	}
	return wrapf(tx.Commit(), "save category %q", c.Key)
}

// EditCategory adds the category at the end of the list, or changes the
// pictogram and names of the one with its key, keeping its place. Validate
// it first.
func (s *ProgrammeService) EditCategory(ctx context.Context, c programme.Category) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("save category %q: %w", c.Key, err)
	}
	defer tx.Rollback()
	if err := saveNamed(ctx, tx, "categories", named{Key: c.Key, Icon: c.Icon, Names: c.Names}); err != nil {
		return fmt.Errorf("save category %q: %w", c.Key, err)
	}
	return wrapf(tx.Commit(), "save category %q", c.Key)
}

// DeleteCategory deletes a category no activity has. One that activities
// still have is refused with a *programme.InvalidError saying how many.
func (s *ProgrammeService) DeleteCategory(ctx context.Context, key string) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("delete category %q: %w", key, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM activities WHERE category = ?`, key).Scan(&n); err != nil {
		return fmt.Errorf("delete category %q: %w", key, err)
	}
	if n > 0 {
		return &programme.InvalidError{Field: "category", Reason: "category_in_use",
			Detail: fmt.Sprintf("%d activities have this category; give them another one first", n)}
	}
	if err := oneRow(tx.ExecContext(ctx, `DELETE FROM categories WHERE key = ?`, key)); err != nil {
		return fmt.Errorf("delete category %q: %w", key, err)
	}
	return wrapf(tx.Commit(), "delete category %q", key)
}

// Activity returns the activity with the given ID, or an error matching
// ErrNotFound.
func (s *ProgrammeService) Activity(ctx context.Context, id int64) (programme.Activity, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return programme.Activity{}, fmt.Errorf("activity %d: %w", id, err)
	}
	defer tx.Rollback()

	a, err := findActivity(ctx, tx, id)
	if err != nil {
		return programme.Activity{}, fmt.Errorf("activity %d: %w", id, err)
	}
	return a, nil
}

// CreateActivity validates a, adds it to the programme and sets a.ID.
func (s *ProgrammeService) CreateActivity(ctx context.Context, a *programme.Activity) error {
	if err := a.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("create activity: %w", err)
	}
	defer tx.Rollback()

	if err := checkCategory(ctx, tx, a.Category); err != nil {
		return err
	}
	if err := createActivity(ctx, tx, a, s.db.now()); err != nil {
		return fmt.Errorf("create activity: %w", err)
	}
	return wrapf(tx.Commit(), "create activity")
}

// UpdateActivity validates a and replaces the stored activity with its ID.
func (s *ProgrammeService) UpdateActivity(ctx context.Context, a *programme.Activity) error {
	if err := a.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("update activity %d: %w", a.ID, err)
	}
	defer tx.Rollback()

	if err := checkCategory(ctx, tx, a.Category); err != nil {
		return err
	}
	if err := updateActivity(ctx, tx, a, s.db.now()); err != nil {
		return fmt.Errorf("update activity %d: %w", a.ID, err)
	}
	return wrapf(tx.Commit(), "update activity %d", a.ID)
}

// DeleteActivity removes the activity and its exceptions.
func (s *ProgrammeService) DeleteActivity(ctx context.Context, id int64) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("delete activity %d: %w", id, err)
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx, `DELETE FROM activities WHERE id = ?`, id)
	if err := oneRow(res, err); err != nil {
		return fmt.Errorf("delete activity %d: %w", id, err)
	}
	return wrapf(tx.Commit(), "delete activity %d", id)
}

// SetException validates x and stores it, replacing an earlier exception
// of the same activity and date.
func (s *ProgrammeService) SetException(ctx context.Context, x programme.Exception) error {
	if err := x.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("set exception of activity %d on %s: %w", x.ActivityID, x.Date, err)
	}
	defer tx.Rollback()

	if _, err := findActivity(ctx, tx, x.ActivityID); err != nil {
		return fmt.Errorf("set exception of activity %d on %s: %w", x.ActivityID, x.Date, err)
	}
	if err := setException(ctx, tx, x); err != nil {
		return fmt.Errorf("set exception of activity %d on %s: %w", x.ActivityID, x.Date, err)
	}
	return wrapf(tx.Commit(), "set exception of activity %d on %s", x.ActivityID, x.Date)
}

// DeleteException removes the exception of the activity on date, so the
// activity goes ahead as usual.
func (s *ProgrammeService) DeleteException(ctx context.Context, activityID int64, date programme.Date) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("delete exception of activity %d on %s: %w", activityID, date, err)
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx, `DELETE FROM exceptions WHERE activity_id = ? AND date = ?`, activityID, date.String())
	if err := oneRow(res, err); err != nil {
		return fmt.Errorf("delete exception of activity %d on %s: %w", activityID, date, err)
	}
	return wrapf(tx.Commit(), "delete exception of activity %d on %s", activityID, date)
}

// demoDecided reports whether SeedDemo has decided already.
func (s *ProgrammeService) demoDecided(ctx context.Context) (bool, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	_, ok, err := getMeta(ctx, tx, metaDemoSeeded)
	return ok, err
}

// SeedDemo fills a fresh database with the demo programme (package demo) as
// seen from today, and reports whether it did. It decides once per
// database: after the first call, even one that found staff's own
// activities already there, it never seeds again, so a removed demo stays
// removed.
func (s *ProgrammeService) SeedDemo(ctx context.Context, today programme.Date) (bool, error) {
	// Asked first in a read transaction, which takes no lock: on every
	// start but the first, a reading command such as "programme" then
	// neither waits for a writer nor writes to a read-only database.
	if decided, err := s.demoDecided(ctx); err != nil || decided {
		return false, wrapf(err, "seed demo")
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return false, fmt.Errorf("seed demo: %w", err)
	}
	defer tx.Rollback()

	if _, ok, err := getMeta(ctx, tx, metaDemoSeeded); err != nil || ok {
		return false, wrapf(err, "seed demo")
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM activities`).Scan(&n); err != nil {
		return false, fmt.Errorf("seed demo: %w", err)
	}
	if n > 0 {
		if err := setMeta(ctx, tx, metaDemoSeeded, "skipped: the programme was not empty"); err != nil {
			return false, fmt.Errorf("seed demo: %w", err)
		}
		return false, wrapf(tx.Commit(), "seed demo")
	}

	cats, acts, excs := demo.Programme(today)
	if err := seed(ctx, tx, cats, acts, excs, s.db.now()); err != nil {
		return false, fmt.Errorf("seed demo: %w", err)
	}
	// A past year of figures, so /figures shows what it is for at once.
	if err := seedFigures(ctx, tx, demo.Figures(today, demoQuestions, demoScreenEvents), true); err != nil {
		return false, fmt.Errorf("seed demo figures: %w", err)
	}
	if err := setMeta(ctx, tx, metaDemoSeeded, today.String()); err != nil {
		return false, fmt.Errorf("seed demo: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("seed demo: %w", err)
	}
	return true, nil
}

// The demo year's size: a small house's year.
const (
	demoQuestions    = 1200
	demoScreenEvents = 20000
)

// RemoveDemo deletes the demo activities and their exceptions, and the
// demo year of figures, and returns how many activities it deleted. The
// categories stay.
func (s *ProgrammeService) RemoveDemo(ctx context.Context) (int, error) {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return 0, fmt.Errorf("remove demo: %w", err)
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx, `DELETE FROM activities WHERE demo = 1`)
	if err != nil {
		return 0, fmt.Errorf("remove demo: %w", err)
	}
	if err := removeDemoFigures(ctx, tx); err != nil {
		return 0, fmt.Errorf("remove demo: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("remove demo: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("remove demo: %w", err)
	}
	return int(n), nil
}

// seed inserts a programme whose exceptions refer to the activities by the
// IDs they carry. The activities get new IDs, set in acts, and the
// exceptions in excs follow. Categories that exist already are left as
// staff made them.
func seed(ctx context.Context, tx *sql.Tx, cats []programme.Category, acts []programme.Activity, excs []programme.Exception, now string) error {
	for _, c := range cats {
		if err := saveCategory(ctx, tx, c, false); err != nil {
			return fmt.Errorf("category %q: %w", c.Key, err)
		}
	}
	ids := make(map[int64]int64, len(acts))
	for i := range acts {
		old := acts[i].ID
		if err := createActivity(ctx, tx, &acts[i], now); err != nil {
			return fmt.Errorf("activity %q: %w", acts[i].Title, err)
		}
		ids[old] = acts[i].ID
	}
	for i := range excs {
		x := &excs[i]
		id, ok := ids[x.ActivityID]
		if !ok {
			return fmt.Errorf("exception on %s: no activity %d", x.Date, x.ActivityID)
		}
		x.ActivityID = id
		if err := setException(ctx, tx, *x); err != nil {
			return fmt.Errorf("exception on %s: %w", x.Date, err)
		}
	}
	return nil
}

// activityColumns are the columns scanActivity reads, in its order.
const activityColumns = `id, title, description, category, room, host, cost_cents, sign_up, wheelchair,
	start_min, end_min, kind, once_date, weekdays, interval_weeks, nth, weekday, from_date, until_date,
	demo, source, titles, descriptions`

// findProgramme loads the activities that may take place between from and
// to (inclusive) and the exceptions on those dates. It narrows down by
// date, bounds and weekday with indexes; programme.Expand decides the rest
// (every other week, which Tuesday of the month).
func findProgramme(ctx context.Context, tx *sql.Tx, from, to programme.Date) ([]programme.Activity, []programme.Exception, error) {
	f, t := from.String(), to.String()
	mask := weekdaysBetween(from, to)
	rows, err := tx.QueryContext(ctx, `
		SELECT `+activityColumns+` FROM activities
		WHERE kind = 'once' AND once_date BETWEEN ?1 AND ?2
		UNION ALL
		SELECT `+activityColumns+` FROM activities
		WHERE kind = 'weekly' AND until_date >= ?1 AND from_date <= ?2 AND weekdays & ?3 <> 0
		UNION ALL
		SELECT `+activityColumns+` FROM activities
		WHERE kind = 'monthly' AND until_date >= ?1 AND from_date <= ?2 AND (1 << weekday) & ?3 <> 0`,
		f, t, int(mask))
	if err != nil {
		return nil, nil, fmt.Errorf("find activities: %w", err)
	}
	acts, err := scanActivities(rows)
	if err != nil {
		return nil, nil, fmt.Errorf("find activities: %w", err)
	}
	excs, err := findExceptions(ctx, tx, f, t)
	if err != nil {
		return nil, nil, fmt.Errorf("find exceptions: %w", err)
	}
	return acts, excs, nil
}

// weekdaysBetween returns the weekdays that occur from one date to another.
func weekdaysBetween(from, to programme.Date) programme.Weekdays {
	var w programme.Weekdays
	for d, i := from, 0; !d.After(to) && i < 7; d, i = d.AddDays(1), i+1 {
		w |= programme.Days(d.Weekday())
	}
	return w
}

func findExceptions(ctx context.Context, tx *sql.Tx, from, to string) ([]programme.Exception, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT activity_id, date, cancelled, room, has_time, start_min, end_min, note, notes
		FROM exceptions WHERE date BETWEEN ? AND ?`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var excs []programme.Exception
	for rows.Next() {
		x, err := scanException(rows)
		if err != nil {
			return nil, err
		}
		excs = append(excs, x)
	}
	return excs, rows.Err()
}

// scanException reads a row of activity_id, date, cancelled, room,
// has_time, start_min, end_min, note and notes.
func scanException(rows *sql.Rows) (programme.Exception, error) {
	var (
		x           programme.Exception
		date, notes string
	)
	if err := rows.Scan(&x.ActivityID, &date, &x.Cancelled, &x.Room, &x.HasTime, &x.Start, &x.End, &x.Note, &notes); err != nil {
		return x, err
	}
	var err error
	if x.Date, err = programme.ParseDate(date); err != nil {
		return x, fmt.Errorf("exception of activity %d: %w", x.ActivityID, err)
	}
	if x.Notes, err = readTexts(notes); err != nil {
		return x, fmt.Errorf("exception of activity %d on %s: notes: %w", x.ActivityID, x.Date, err)
	}
	return x, nil
}

func findActivity(ctx context.Context, tx *sql.Tx, id int64) (programme.Activity, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+activityColumns+` FROM activities WHERE id = ?`, id)
	if err != nil {
		return programme.Activity{}, err
	}
	acts, err := scanActivities(rows)
	if err != nil {
		return programme.Activity{}, err
	}
	if len(acts) == 0 {
		return programme.Activity{}, fmt.Errorf("activity %d: %w", id, ErrNotFound)
	}
	return acts[0], nil
}

// scanActivities reads and closes rows of activityColumns.
func scanActivities(rows *sql.Rows) ([]programme.Activity, error) {
	defer rows.Close()
	var acts []programme.Activity
	for rows.Next() {
		var (
			a                    programme.Activity
			kind, from, until    string
			titles, descriptions string
			once                 sql.NullString
		)
		if err := rows.Scan(&a.ID, &a.Title, &a.Description, &a.Category, &a.Room, &a.Host,
			&a.CostCents, &a.SignUp, &a.Wheelchair, &a.Start, &a.End,
			&kind, &once, &a.Schedule.Weekdays, &a.Schedule.Interval, &a.Schedule.Nth, &a.Schedule.Weekday,
			&from, &until, &a.Demo, &a.Source, &titles, &descriptions); err != nil {
			return nil, err
		}
		var err error
		if a.Titles, err = readTexts(titles); err != nil {
			return nil, fmt.Errorf("activity %d: titles: %w", a.ID, err)
		}
		if a.Descriptions, err = readTexts(descriptions); err != nil {
			return nil, fmt.Errorf("activity %d: descriptions: %w", a.ID, err)
		}
		a.Schedule.Kind = programme.ScheduleKind(kind)
		if a.Schedule.Date, err = parseDate(once.String); err != nil {
			return nil, fmt.Errorf("activity %d: %w", a.ID, err)
		}
		if a.Schedule.From, err = parseDate(from); err != nil {
			return nil, fmt.Errorf("activity %d: %w", a.ID, err)
		}
		if until != openUntil {
			if a.Schedule.Until, err = parseDate(until); err != nil {
				return nil, fmt.Errorf("activity %d: %w", a.ID, err)
			}
		}
		acts = append(acts, a)
	}
	return acts, rows.Err()
}

// parseDate reads a stored date; "" is the zero Date.
func parseDate(s string) (programme.Date, error) {
	if s == "" {
		return programme.Date{}, nil
	}
	return programme.ParseDate(s)
}

// scheduleColumns returns the stored form of a schedule: once_date (NULL
// unless once), weekdays, interval_weeks, nth, weekday, from_date and
// until_date, with only the fields of its kind set.
func scheduleColumns(s programme.Schedule) []any {
	var (
		once                        any
		weekdays, interval, nth, wd int
		from, until                 = "", openUntil
	)
	switch s.Kind {
	case programme.Once:
		once = s.Date.String()
	case programme.Weekly:
		weekdays, interval = int(s.Weekdays&0x7f), s.Interval
	case programme.Monthly:
		nth, wd = s.Nth, int(s.Weekday)
	}
	if s.Kind != programme.Once {
		from = s.From.String()
		if !s.Until.IsZero() {
			until = s.Until.String()
		}
	}
	return []any{once, weekdays, interval, nth, wd, from, until}
}

func createActivity(ctx context.Context, tx *sql.Tx, a *programme.Activity, now string) error {
	args := append([]any{a.Title, a.Description, a.Category, a.Room, a.Host, a.CostCents, a.SignUp, a.Wheelchair,
		int(a.Start), int(a.End), string(a.Schedule.Kind)}, scheduleColumns(a.Schedule)...)
	args = append(args, a.Demo, a.Source, textsJSON(a.Titles), textsJSON(a.Descriptions), now, now)
	res, err := tx.ExecContext(ctx, `
		INSERT INTO activities (title, description, category, room, host, cost_cents, sign_up, wheelchair,
			start_min, end_min, kind, once_date, weekdays, interval_weeks, nth, weekday, from_date, until_date,
			demo, source, titles, descriptions, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	a.ID = id
	return nil
}

func updateActivity(ctx context.Context, tx *sql.Tx, a *programme.Activity, now string) error {
	args := append([]any{a.Title, a.Description, a.Category, a.Room, a.Host, a.CostCents, a.SignUp, a.Wheelchair,
		int(a.Start), int(a.End), string(a.Schedule.Kind)}, scheduleColumns(a.Schedule)...)
	args = append(args, a.Demo, a.Source, textsJSON(a.Titles), textsJSON(a.Descriptions), now, a.ID)
	res, err := tx.ExecContext(ctx, `
		UPDATE activities SET title = ?, description = ?, category = ?, room = ?, host = ?, cost_cents = ?,
			sign_up = ?, wheelchair = ?, start_min = ?, end_min = ?, kind = ?, once_date = ?, weekdays = ?,
			interval_weeks = ?, nth = ?, weekday = ?, from_date = ?, until_date = ?, demo = ?, source = ?,
			titles = ?, descriptions = ?, updated_at = ?
		WHERE id = ?`, args...)
	return oneRow(res, err)
}

// checkCategory reports an unknown category as invalid input rather than
// as a failed foreign key.
func checkCategory(ctx context.Context, tx *sql.Tx, key string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM categories WHERE key = ?`, key).Scan(&n); err != nil {
		return fmt.Errorf("find category %q: %w", key, err)
	}
	if n == 0 {
		return &programme.InvalidError{Field: "category", Reason: "category_unknown",
			Detail: fmt.Sprintf("there is no category %q; choose one of the list", key)}
	}
	return nil
}

func setException(ctx context.Context, tx *sql.Tx, x programme.Exception) error {
	var start, end int
	if x.HasTime {
		start, end = int(x.Start), int(x.End)
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO exceptions (activity_id, date, cancelled, room, has_time, start_min, end_min, note, notes)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (activity_id, date) DO UPDATE SET cancelled = excluded.cancelled, room = excluded.room,
			has_time = excluded.has_time, start_min = excluded.start_min, end_min = excluded.end_min,
			note = excluded.note, notes = excluded.notes`,
		x.ActivityID, x.Date.String(), x.Cancelled, x.Room, x.HasTime, start, end, x.Note, textsJSON(x.Notes))
	return err
}

func findCategories(ctx context.Context, tx *sql.Tx) ([]programme.Category, error) {
	rows, err := findNamed(ctx, tx, "categories", "0")
	cats := make([]programme.Category, len(rows))
	for i, r := range rows {
		cats[i] = programme.Category{Key: r.Key, Icon: r.Icon, Names: r.Names, Order: r.Order}
	}
	return cats, err
}

// named is a row of a table of things visitors pick by pictogram
// (categories, topics): a key, a pictogram, names per language, an order.
type named struct {
	Key    string
	Icon   string
	Names  map[string]string
	Order  int
	Hidden bool
}

// findNamed reads a table of named rows, in their order. hidden is the
// column (or expression) that says a row is hidden: "hidden" for topics,
// "0" for categories, which are never hidden.
func findNamed(ctx context.Context, tx querier, table, hidden string) ([]named, error) {
	rows, err := tx.QueryContext(ctx, `SELECT key, icon, names, sort, `+hidden+` FROM `+table+` ORDER BY sort, key`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []named
	for rows.Next() {
		var (
			n     named
			names string
		)
		if err := rows.Scan(&n.Key, &n.Icon, &names, &n.Order, &n.Hidden); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(names), &n.Names); err != nil {
			return nil, fmt.Errorf("%s %q: names: %w", table, n.Key, err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// saveCategory inserts c; an existing category with its key is replaced
// when replace is set and kept otherwise.
func saveCategory(ctx context.Context, tx *sql.Tx, c programme.Category, replace bool) error {
	js, err := namesJSON(c.Names)
	if err != nil {
		return err
	}
	conflict := `DO NOTHING`
	if replace {
		conflict = `DO UPDATE SET icon = excluded.icon, names = excluded.names, sort = excluded.sort`
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO categories (key, icon, names, sort) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) `+conflict, c.Key, c.Icon, js, c.Order)
	return err
}

// saveNamed adds a named row at the end of its table's order, or changes
// the pictogram and names of the one with its key, keeping its place:
// what staff do on the settings pages.
func saveNamed(ctx context.Context, tx *sql.Tx, table string, n named) error {
	js, err := namesJSON(n.Names)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO `+table+` (key, icon, names, sort)
		VALUES (?, ?, ?, (SELECT COALESCE(MAX(sort), 0) + 1 FROM `+table+`))
		ON CONFLICT (key) DO UPDATE SET icon = excluded.icon, names = excluded.names`, n.Key, n.Icon, js)
	return err
}

// namesJSON is the names column of a named row: a JSON object, "{}" for
// none, as findNamed reads it back.
func namesJSON(names map[string]string) (string, error) {
	if names == nil {
		return "{}", nil
	}
	js, err := json.Marshal(names)
	return string(js), err
}

// textsJSON is a column of texts per language (titles, descriptions,
// notes): a JSON object without the empty ones, "{}" for none.
func textsJSON(texts map[string]string) string {
	kept := map[string]string{}
	for lang, t := range texts {
		if t != "" {
			kept[lang] = t
		}
	}
	js, _ := json.Marshal(kept) // a map of strings always marshals
	return string(js)
}

// readTexts reads a column textsJSON wrote; none gives nil.
func readTexts(js string) (map[string]string, error) {
	var texts map[string]string
	if err := json.Unmarshal([]byte(js), &texts); err != nil {
		return nil, err
	}
	if len(texts) == 0 {
		return nil, nil
	}
	return texts, nil
}

func getMeta(ctx context.Context, tx *sql.Tx, key string) (string, bool, error) {
	var v string
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return v, err == nil, err
}

func setMeta(ctx context.Context, tx *sql.Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// oneRow turns an Exec that changed no row into ErrNotFound.
func oneRow(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// wrapf wraps a non-nil err with the context format and args make; nil
// stays nil.
func wrapf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), err)
}
