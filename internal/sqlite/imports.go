package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"buurtbalie/internal/calendar"
	"buurtbalie/internal/programme"
)

// ApplyImport puts an imported calendar or sheet into the programme, all
// or nothing: for each of the import's sources, the activities that came
// from that source before are replaced by the import's, and the report
// counts them.
//
//   - An activity the import has as it was stored stays as it is, with
//     its ID ("unchanged").
//   - One that changed (another time, title, weekdays; for a one-off the
//     same date) is updated in place, keeping its ID ("changed").
//   - One the source did not have before is added ("added"), and one the
//     source no longer has is deleted with its exceptions ("removed").
//
// The import's exceptions are set on their dates. Exceptions staff made on
// other dates stay, so "vervalt vandaag" on an imported activity survives
// an import later that day. Typed-in activities (source ""), demo ones and
// those of sources the import does not mention are not touched, except
// that an owned import (calendar.Import.Owner, a subscription's feed) is
// the whole of its owner: its owner's sources it does not mention are
// removed too, unless the import skipped their event. An
// invalid activity, or a category the programme does not have, refuses
// the whole import; the built-in category "anders" is added when an
// import needs it and staff had removed it.
//
// What to change is worked out from a read snapshot, which takes no lock,
// so a dry run (the preview) never stands in the way of a visitor's
// question; an applied import then holds the write lock only to make
// those changes (see writeImport) and is recorded with its report (see
// Imports).
func (s *ProgrammeService) ApplyImport(ctx context.Context, imp calendar.Import, dryRun bool) (calendar.Report, error) {
	report := imp.Report
	report.Added, report.Changed, report.Unchanged, report.Removed = 0, 0, 0, 0
	if err := checkImport(imp); err != nil {
		return report, err
	}
	if dryRun {
		p, err := s.db.readPlan(ctx, imp)
		if err != nil {
			return report, err
		}
		return p.report, nil
	}
	return s.db.writeImport(ctx, imp, importWrite{after: func(ctx context.Context, tx *sql.Tx, r calendar.Report, now string) error {
		if err := recordImport(ctx, tx, imp, r, now); err != nil {
			return fmt.Errorf("import: record: %w", err)
		}
		return nil
	}})
}

// importWrite is what a caller of writeImport adds to the write
// transaction. Either function may be nil; an error of either rolls
// everything back.
type importWrite struct {
	// before runs first (a subscription checks it still exists).
	before func(ctx context.Context, tx *sql.Tx) error
	// after runs last, with the report (the import's record).
	after func(ctx context.Context, tx *sql.Tx, r calendar.Report, now string) error
	// planned, for tests, runs between the plan and the write
	// transaction, where another writer may change the programme.
	planned func()
}

// writeImport applies imp, which checkImport accepted, in one write
// transaction that is as short as it can be. The plan is made on a
// connection of its own in a read transaction first; the write
// transaction then asks that connection's data_version whether anyone
// committed since, and only if so makes the plan again under the lock,
// which is right whatever changed but takes longer. Either way what is
// applied was worked out from what the write transaction sees, so the
// import stays all or nothing against concurrent staff edits.
func (db *DB) writeImport(ctx context.Context, imp calendar.Import, w importWrite) (calendar.Report, error) {
	report := imp.Report
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return report, fmt.Errorf("import: %w", err)
	}
	defer conn.Close()
	// Read before the snapshot starts: a commit between the two is in
	// the snapshot and only costs a second plan.
	seen, err := dataVersion(ctx, conn)
	if err != nil {
		return report, fmt.Errorf("import: %w", err)
	}
	p, err := planOn(ctx, conn, imp)
	if err != nil {
		return report, err
	}
	if w.planned != nil {
		w.planned()
	}

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return report, fmt.Errorf("import: %w", err)
	}
	defer tx.Rollback()
	if w.before != nil {
		if err := w.before(ctx, tx); err != nil {
			return report, err
		}
	}
	var version int64
	if err := tx.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&version); err != nil {
		return report, fmt.Errorf("import: %w", err)
	}
	if version != seen {
		if p, err = planImport(ctx, tx, imp); err != nil {
			return report, err
		}
	}
	at := db.now()
	if err := p.apply(ctx, tx, at); err != nil {
		return report, err
	}
	if w.after != nil {
		if err := w.after(ctx, tx, p.report, at); err != nil {
			return p.report, err
		}
	}
	if err := tx.Commit(); err != nil {
		return p.report, fmt.Errorf("import: %w", err)
	}
	return p.report, nil
}

// readPlan works out what imp would change, from a read snapshot.
func (db *DB) readPlan(ctx context.Context, imp calendar.Import) (*importPlan, error) {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	defer conn.Close()
	return planOn(ctx, conn, imp)
}

// planOn makes the plan of imp in a read transaction on conn.
func planOn(ctx context.Context, conn *sql.Conn, imp calendar.Import) (*importPlan, error) {
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	defer tx.Rollback()
	return planImport(ctx, tx, imp)
}

// importPlan is what an import changes, worked out from one snapshot of
// the store: the steps in the order they are made, and the report.
type importPlan struct {
	report   calendar.Report
	addOther bool // the built-in category "anders" is missing and needed
	steps    []importStep
}

// importStep is one change of an importPlan.
type importStep struct {
	op   importOp
	a    programme.Activity    // create, update: the activity as it is to be stored
	id   int64                 // update, except, remove: the stored activity
	excs []programme.Exception // create, update, except: to set on the activity
}

type importOp int

const (
	opCreate importOp = iota // add a, then its exceptions
	opUpdate                 // change activity id to a, set its exceptions
	opExcept                 // set exceptions of the unchanged activity id
	opRemove                 // delete activity id with its exceptions
)

// planImport works out, inside tx, what imp changes. It writes nothing,
// so tx may be a read transaction.
func planImport(ctx context.Context, tx *sql.Tx, imp calendar.Import) (*importPlan, error) {
	p := &importPlan{report: imp.Report}
	p.report.Added, p.report.Changed, p.report.Unchanged, p.report.Removed = 0, 0, 0, 0
	var err error
	if p.addOther, err = importCategories(ctx, tx, imp); err != nil {
		return nil, err
	}
	q, err := prepareImport(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	defer q.close()
	for _, src := range imp.Sources {
		if err := q.plan(ctx, src, p); err != nil {
			return nil, fmt.Errorf("import %s: %w", src.Key, err)
		}
	}
	if imp.Owner != "" {
		if err := planDropped(ctx, tx, imp, p); err != nil {
			return nil, fmt.Errorf("import %s: %w", imp.Owner, err)
		}
	}
	return p, nil
}

// apply makes the plan's changes in tx, stamping them with now.
func (p *importPlan) apply(ctx context.Context, tx *sql.Tx, now string) error {
	if p.addOther {
		if err := saveCategory(ctx, tx, programme.Category{Key: calendar.Other, Icon: calendar.Other, Order: 99}, false); err != nil {
			return fmt.Errorf("import: category %s: %w", calendar.Other, err)
		}
	}
	for _, st := range p.steps {
		switch st.op {
		case opCreate:
			a := st.a
			if err := createActivity(ctx, tx, &a, now); err != nil {
				return fmt.Errorf("import %s: create activity %q: %w", a.Source, a.Title, err)
			}
			if err := setExceptions(ctx, tx, a.ID, st.excs); err != nil {
				return fmt.Errorf("import %s: %w", a.Source, err)
			}
		case opUpdate:
			a := st.a
			if err := updateActivity(ctx, tx, &a, now); err != nil {
				return fmt.Errorf("import %s: update activity %d: %w", a.Source, a.ID, err)
			}
			if err := setExceptions(ctx, tx, a.ID, st.excs); err != nil {
				return fmt.Errorf("import %s: %w", a.Source, err)
			}
		case opExcept:
			if err := setExceptions(ctx, tx, st.id, st.excs); err != nil {
				return fmt.Errorf("import: %w", err)
			}
		case opRemove:
			if _, err := tx.ExecContext(ctx, `DELETE FROM activities WHERE id = ?`, st.id); err != nil {
				return fmt.Errorf("import: delete activity %d: %w", st.id, err)
			}
		}
	}
	return nil
}

// planDropped plans to delete the activities of the owner's sources that
// the owned import does not have: the events its feed no longer holds. A
// source whose event was skipped is kept, as for any import: a skipped
// event leaves its source as it was.
func planDropped(ctx context.Context, tx *sql.Tx, imp calendar.Import, p *importPlan) error {
	keep := make(map[string]bool, len(imp.Sources)+len(imp.Report.Skipped))
	for _, src := range imp.Sources {
		keep[src.Key] = true
	}
	for _, i := range imp.Report.Skipped {
		if i.Source != "" {
			keep[i.Source] = true
		}
	}
	lo, hi := ownerRange(imp.Owner)
	rows, err := tx.QueryContext(ctx, `SELECT id, source FROM activities WHERE source >= ? AND source < ? AND demo = 0`, lo, hi)
	if err != nil {
		return fmt.Errorf("find dropped activities: %w", err)
	}
	for rows.Next() {
		var (
			id     int64
			source string
		)
		if err := rows.Scan(&id, &source); err != nil {
			rows.Close()
			return fmt.Errorf("find dropped activities: %w", err)
		}
		if !keep[source] {
			p.steps = append(p.steps, importStep{op: opRemove, id: id})
			p.report.Removed++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find dropped activities: %w", err)
	}
	return nil
}

// ownerRange is the range of source keys starting with owner, as two
// bounds an index can use (LIKE would need its wildcards escaped):
// owner ≤ source < owner with its last byte raised by one. An owner ends
// in ":" so that "sub:3:" does not take in "sub:30:".
func ownerRange(owner string) (lo, hi string) {
	b := []byte(owner)
	b[len(b)-1]++
	return owner, string(b)
}

// checkImport refuses an import with an activity or exception that does
// not validate, a source without a key or given twice, or an exception of
// no activity of its source.
func checkImport(imp calendar.Import) error {
	if imp.Owner != "" && !strings.HasSuffix(imp.Owner, ":") {
		return fmt.Errorf("import: owner %q must end in a colon, or it takes in the sources of others", imp.Owner)
	}
	seen := make(map[string]bool, len(imp.Sources))
	for _, src := range imp.Sources {
		if strings.TrimSpace(src.Key) == "" {
			return &programme.InvalidError{Field: "source", Reason: "source_required",
				Detail: "every imported activity needs a source"}
		}
		if seen[src.Key] {
			return &programme.InvalidError{Field: "source", Reason: "source_twice",
				Detail: fmt.Sprintf("the source %q is in the import twice", src.Key)}
		}
		seen[src.Key] = true
		if !strings.HasPrefix(src.Key, imp.Owner) {
			return &programme.InvalidError{Field: "source", Reason: "source_owner",
				Detail: fmt.Sprintf("the source %q is not of %q, whose whole calendar the import is", src.Key, imp.Owner)}
		}
		ids := make(map[int64]bool, len(src.Activities))
		for _, a := range src.Activities {
			if err := a.Validate(); err != nil {
				return fmt.Errorf("import %s: activity %q: %w", src.Key, a.Title, err)
			}
			ids[a.ID] = true
		}
		for _, x := range src.Exceptions {
			if !ids[x.ActivityID] {
				return fmt.Errorf("import %s: exception on %s: %w", src.Key, x.Date,
					&programme.InvalidError{Field: "activity", Reason: "activity_required", Detail: "the exception is of no activity in the import"})
			}
			if err := x.Validate(); err != nil {
				return fmt.Errorf("import %s: exception on %s: %w", src.Key, x.Date, err)
			}
		}
	}
	return nil
}

// importCategories checks that every category the import uses exists,
// and reports whether the built-in "anders" is missing and must be added.
func importCategories(ctx context.Context, tx *sql.Tx, imp calendar.Import) (addOther bool, err error) {
	seen := map[string]bool{}
	for _, src := range imp.Sources {
		for _, a := range src.Activities {
			if seen[a.Category] {
				continue
			}
			seen[a.Category] = true
			err := checkCategory(ctx, tx, a.Category)
			var inv *programme.InvalidError
			if a.Category == calendar.Other && errors.As(err, &inv) {
				addOther, err = true, nil
			}
			if err != nil {
				return false, fmt.Errorf("import %s: activity %q: %w", src.Key, a.Title, err)
			}
		}
	}
	return addOther, nil
}

// importQueries are the statements planImport runs for every source.
type importQueries struct {
	activities, exceptions *sql.Stmt
}

func prepareImport(ctx context.Context, tx *sql.Tx) (*importQueries, error) {
	acts, err := tx.PrepareContext(ctx, `SELECT `+activityColumns+` FROM activities WHERE source = ? AND demo = 0 ORDER BY id`)
	if err != nil {
		return nil, err
	}
	excs, err := tx.PrepareContext(ctx, `
		SELECT e.activity_id, e.date, e.cancelled, e.room, e.has_time, e.start_min, e.end_min, e.note, e.notes
		FROM exceptions e JOIN activities a ON a.id = e.activity_id
		WHERE a.source = ? AND a.demo = 0`)
	if err != nil {
		acts.Close()
		return nil, err
	}
	return &importQueries{activities: acts, exceptions: excs}, nil
}

func (q *importQueries) close() {
	q.activities.Close()
	q.exceptions.Close()
}

// storedActivity is an activity of a source as the store has it.
type storedActivity struct {
	a    programme.Activity
	excs map[programme.Date]programme.Exception
	used bool
}

// plan adds to p the steps that replace the stored activities of one
// source by the import's.
func (q *importQueries) plan(ctx context.Context, src calendar.Source, p *importPlan) error {
	old, err := q.load(ctx, src.Key)
	if err != nil {
		return err
	}
	newExcs := map[int64][]programme.Exception{}
	for _, x := range src.Exceptions {
		newExcs[x.ActivityID] = append(newExcs[x.ActivityID], x)
	}

	// Pair each new activity with a stored one: the same one first, else
	// one in the same place (the date of a one-off, the kind of a
	// repeating one), which it changes.
	match := make([]int, len(src.Activities))
	same := make([]bool, len(src.Activities))
	byPrint := map[string][]int{}
	for j := range old {
		fp := fingerprint(old[j].a)
		byPrint[fp] = append(byPrint[fp], j)
	}
	for i, a := range src.Activities {
		match[i] = -1
		fp := fingerprint(a)
		if js := byPrint[fp]; len(js) > 0 {
			match[i], same[i] = js[0], true
			byPrint[fp] = js[1:]
			old[js[0]].used = true
		}
	}
	bySlot := map[string][]int{}
	for j := range old {
		if !old[j].used {
			bySlot[slot(old[j].a)] = append(bySlot[slot(old[j].a)], j)
		}
	}
	for i, a := range src.Activities {
		if match[i] >= 0 {
			continue
		}
		if js := bySlot[slot(a)]; len(js) > 0 {
			match[i] = js[0]
			bySlot[slot(a)] = js[1:]
			old[js[0]].used = true
		}
	}

	r := &p.report
	for i, a := range src.Activities {
		local := a.ID
		a.Source, a.Demo = src.Key, false
		switch j := match[i]; {
		case j >= 0 && same[i]:
			excs := newExceptions(newExcs[local], old[j].excs)
			if len(excs) > 0 {
				p.steps = append(p.steps, importStep{op: opExcept, id: old[j].a.ID, excs: excs})
				r.Changed++
			} else {
				r.Unchanged++
			}
		case j >= 0:
			a.ID = old[j].a.ID
			p.steps = append(p.steps, importStep{op: opUpdate, a: a, excs: newExceptions(newExcs[local], old[j].excs)})
			r.Changed++
		default:
			p.steps = append(p.steps, importStep{op: opCreate, a: a, excs: newExceptions(newExcs[local], nil)})
			r.Added++
		}
	}
	for _, o := range old {
		if o.used {
			continue
		}
		p.steps = append(p.steps, importStep{op: opRemove, id: o.a.ID})
		r.Removed++
	}
	return nil
}

// load reads the stored activities of a source and their exceptions.
func (q *importQueries) load(ctx context.Context, source string) ([]storedActivity, error) {
	rows, err := q.activities.QueryContext(ctx, source)
	if err != nil {
		return nil, fmt.Errorf("find activities: %w", err)
	}
	acts, err := scanActivities(rows)
	if err != nil {
		return nil, fmt.Errorf("find activities: %w", err)
	}
	if len(acts) == 0 {
		return nil, nil
	}
	old := make([]storedActivity, len(acts))
	index := make(map[int64]int, len(acts))
	for i, a := range acts {
		old[i] = storedActivity{a: a, excs: map[programme.Date]programme.Exception{}}
		index[a.ID] = i
	}
	xrows, err := q.exceptions.QueryContext(ctx, source)
	if err != nil {
		return nil, fmt.Errorf("find exceptions: %w", err)
	}
	defer xrows.Close()
	for xrows.Next() {
		x, err := scanException(xrows)
		if err != nil {
			return nil, fmt.Errorf("find exceptions: %w", err)
		}
		if i, ok := index[x.ActivityID]; ok {
			old[i].excs[x.Date] = x
		}
	}
	return old, xrows.Err()
}

// newExceptions returns those of the import's exceptions of an activity
// that differ from the ones stored (nil for a new activity): the ones to
// set. Their ActivityID is left for the step to fill in.
func newExceptions(excs []programme.Exception, stored map[programme.Date]programme.Exception) []programme.Exception {
	var out []programme.Exception
	for _, x := range excs {
		if !x.HasTime {
			x.Start, x.End = 0, 0
		}
		if s, ok := stored[x.Date]; ok {
			x.ActivityID = s.ActivityID
			if sameException(s, x) {
				continue
			}
		}
		out = append(out, x)
	}
	return out
}

// sameException reports whether two exceptions read back the same.
func sameException(a, b programme.Exception) bool {
	return textsJSON(a.Notes) == textsJSON(b.Notes) &&
		a.ActivityID == b.ActivityID && a.Date == b.Date && a.Cancelled == b.Cancelled && a.Room == b.Room &&
		a.HasTime == b.HasTime && a.Start == b.Start && a.End == b.End && a.Note == b.Note
}

// setExceptions stores exceptions of activity id.
func setExceptions(ctx context.Context, tx *sql.Tx, id int64, excs []programme.Exception) error {
	for _, x := range excs {
		x.ActivityID = id
		if err := setException(ctx, tx, x); err != nil {
			return fmt.Errorf("set exception of activity %d on %s: %w", id, x.Date, err)
		}
	}
	return nil
}

// fingerprint is an activity as the store keeps it, without its ID, source
// and demo mark: two activities with the same fingerprint read back the
// same.
func fingerprint(a programme.Activity) string {
	return fmt.Sprintf("%q %q %q %q %q %d %t %t %d %d %s %v %s %s", a.Title, a.Description, a.Category, a.Room, a.Host,
		a.CostCents, a.SignUp, a.Wheelchair, a.Start, a.End, a.Schedule.Kind, scheduleColumns(a.Schedule),
		textsJSON(a.Titles), textsJSON(a.Descriptions))
}

// slot is where an activity sits in its source: a one-off on its date, a
// repeating one by its kind. An imported activity in the slot of a stored
// one that is gone changes it.
func slot(a programme.Activity) string {
	if a.Schedule.Kind == programme.Once {
		return "once " + a.Schedule.Date.String()
	}
	return string(a.Schedule.Kind)
}

// recordImport adds the applied import to the log.
func recordImport(ctx context.Context, tx *sql.Tx, imp calendar.Import, r calendar.Report, now string) error {
	js, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO imports (origin, format, at, added, changed, unchanged, removed, skipped, report)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		imp.Name, string(imp.Format), now, r.Added, r.Changed, r.Unchanged, r.Removed, len(r.Skipped), string(js))
	return err
}

// ImportRecord is an import that was applied.
type ImportRecord struct {
	ID     int64
	Origin string // the file name or URL
	Format calendar.Format
	At     time.Time
	Report calendar.Report
}

// Imports returns the latest applied imports, newest first, at most limit.
func (s *ProgrammeService) Imports(ctx context.Context, limit int) ([]ImportRecord, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	defer tx.Rollback()

	rows, err := tx.QueryContext(ctx, `SELECT id, origin, format, at, report FROM imports ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	defer rows.Close()
	var out []ImportRecord
	for rows.Next() {
		var (
			r          ImportRecord
			format, at string
			report     string
		)
		if err := rows.Scan(&r.ID, &r.Origin, &format, &at, &report); err != nil {
			return nil, fmt.Errorf("imports: %w", err)
		}
		r.Format = calendar.Format(format)
		if r.At, err = time.Parse(time.RFC3339, at); err != nil {
			return nil, fmt.Errorf("import %d: %w", r.ID, err)
		}
		if err := json.Unmarshal([]byte(report), &r.Report); err != nil {
			return nil, fmt.Errorf("import %d: report: %w", r.ID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	return out, nil
}

// Activities returns every activity, in the order they were added: for
// export.
func (s *ProgrammeService) Activities(ctx context.Context) ([]programme.Activity, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("activities: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+activityColumns+` FROM activities ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("activities: %w", err)
	}
	acts, err := scanActivities(rows)
	if err != nil {
		return nil, fmt.Errorf("activities: %w", err)
	}
	return acts, nil
}
