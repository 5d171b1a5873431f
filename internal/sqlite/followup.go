package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"buurtbalie/internal/question"
)

// stampLayout writes times in UTC with a fixed number of decimals, so
// that they compare as strings (RFC3339Nano drops trailing zeros, and
// "05.5Z" sorts before "05Z").
const stampLayout = "2006-01-02T15:04:05.000000000Z07:00"

// stamp formats t for events.at, message_at and last_event_at.
func stamp(t time.Time) string { return t.UTC().Format(stampLayout) }

// parseStamp reads a time the store wrote; "" is the zero time.
func parseStamp(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// Queue returns the questions volunteers should follow up: those whose
// visitor waits at the entrance first, then the oldest. Without a status
// in f it returns every open question; with question.Closed, the closed
// ones in the same order.
func (s *QuestionService) Queue(ctx context.Context, f question.QueueFilter) ([]question.QueueItem, error) {
	// Every open status repeats status <> 'closed', so that SQLite can read
	// the open questions from the partial index questions_queue, already
	// in order.
	var (
		where = []string{`q.status <> 'closed'`}
		args  []any
	)
	switch f.Status {
	case "":
	case question.New, question.Claimed, question.Referred:
		where = append(where, `q.status = ?`)
		args = append(args, string(f.Status))
	case question.Closed:
		where = []string{`q.status = 'closed'`}
	default:
		return nil, fmt.Errorf("queue: %w: there is no status %q", question.ErrInvalid, f.Status)
	}
	if f.Topic != "" {
		where = append(where, `q.topic = ?`)
		args = append(args, f.Topic)
	}
	if f.Lang != "" {
		where = append(where, `q.lang = ?`)
		args = append(args, f.Lang)
	}

	// One query, so no read transaction; its text is joined from the
	// constant parts above, a few in all, so it is kept prepared.
	rows, err := s.db.read().QueryContext(ctx, `SELECT `+questionColumns+`, q.claimed_by, q.last_event_at
		FROM questions q
		WHERE `+strings.Join(where, ` AND `)+`
		ORDER BY (q.follow_up = 'waiting') DESC, q.created_at, q.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	defer rows.Close()
	var items []question.QueueItem
	for rows.Next() {
		var (
			it   question.QueueItem
			last string
		)
		if err := scanQuestion(rows, &it.Question, &it.ClaimedBy, &last); err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		if it.LastEvent, err = parseStamp(last); err != nil {
			return nil, fmt.Errorf("queue: question %d: last event: %w", it.Question.ID, err)
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return items, nil
}

// Apply does a volunteer's action on question id and writes it in the
// question's history with actor as who did it, all or nothing. It returns
// the question as it stands afterwards. An action the question's status
// does not allow, or a referral to a partner that does not exist, is
// refused with an error matching question.ErrInvalid; an unknown id
// with question.ErrNotFound.
func (s *QuestionService) Apply(ctx context.Context, id int64, actor string, a question.Action) (question.Question, error) {
	q, err := s.apply(ctx, id, actor, a)
	if err != nil {
		return question.Question{}, fmt.Errorf("apply %s to question %d: %w", a.Kind, id, err)
	}
	return q, nil
}

func (s *QuestionService) apply(ctx context.Context, id int64, actor string, a question.Action) (question.Question, error) {
	actor = strings.TrimSpace(actor)
	return s.change(ctx, id, actor, func(tx *sql.Tx, q question.Question) (question.Question, error) {
		return s.applyIn(ctx, tx, q, actor, a)
	})
}

// change runs do on question id in one write transaction, for actor,
// and commits what it wrote: a change to a question is all or nothing.
func (s *QuestionService) change(ctx context.Context, id int64, actor string, do func(tx *sql.Tx, q question.Question) (question.Question, error)) (question.Question, error) {
	if actor == "" {
		return question.Question{}, fmt.Errorf("%w: no one to record as doing it", question.ErrInvalid)
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return question.Question{}, err
	}
	defer tx.Rollback()
	q, err := findQuestion(ctx, tx, id)
	if err != nil {
		return question.Question{}, err
	}
	if q, err = do(tx, q); err != nil {
		return question.Question{}, err
	}
	if err := tx.Commit(); err != nil {
		return question.Question{}, err
	}
	return q, nil
}

func (s *QuestionService) applyIn(ctx context.Context, tx *sql.Tx, q question.Question, actor string, a question.Action) (question.Question, error) {
	id := q.ID
	status, err := a.Check(q.Status)
	if err != nil {
		return question.Question{}, err
	}
	var holder string
	if err := tx.QueryRowContext(ctx, `SELECT claimed_by FROM questions WHERE id = ?`, id).Scan(&holder); err != nil {
		return question.Question{}, err
	}
	if err := a.CheckHolder(q.Status, holder, actor); err != nil {
		return question.Question{}, err
	}
	now := s.db.Now()
	if a.ClaimsFirst(q.Status) {
		claim := question.Event{QuestionID: id, At: now, Actor: actor, Kind: question.EventClaimed}
		if err := s.step(ctx, tx, q, claim, question.Claimed, 0); err != nil {
			return question.Question{}, err
		}
		q.Status = question.Claimed
		if status == question.New {
			status = question.Claimed
		}
	}
	e := question.Event{QuestionID: id, At: now, Actor: actor, Kind: a.Kind, Text: a.Text}
	switch a.Kind {
	case question.EventClaimed:
		// A takeover names whom it was taken from, in the history;
		// claiming an unclaimed question or one's own names nobody.
		e.Text = ""
		if holder != actor && q.Status.Open() && q.Status != question.New {
			e.Text = holder
		}
	case question.EventReferred:
		p, err := findPartner(ctx, tx, a.Partner)
		if err != nil {
			return question.Question{}, err
		}
		e.Text = p.Name
	case question.EventClosed:
		q.Outcome = a.Outcome
	}
	if err := s.step(ctx, tx, q, e, status, a.Partner); err != nil {
		return question.Question{}, err
	}
	q.Status = status
	return q, nil
}

// step writes one step e on q in tx: its line in the history, its
// figures, and what it changed on the question.
func (s *QuestionService) step(ctx context.Context, tx *sql.Tx, q question.Question, e question.Event, status question.Status, partner int64) error {
	if err := addEvent(ctx, tx, e); err != nil {
		return err
	}
	if err := s.db.countFollowUp(ctx, tx, q, e); err != nil {
		return err
	}
	return updateFollowUp(ctx, tx, q, e, status, partner)
}

// Viewed records that actor looked at question id: the audit trail of who
// saw which question. An unknown id gives question.ErrNotFound.
func (s *QuestionService) Viewed(ctx context.Context, id int64, actor string) error {
	if actor = strings.TrimSpace(actor); actor == "" {
		return fmt.Errorf("view question %d: %w: no one to record as looking", id, question.ErrInvalid)
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("view question %d: %w", id, err)
	}
	defer tx.Rollback()
	if err := checkQuestion(ctx, tx, id); err != nil {
		return fmt.Errorf("view question %d: %w", id, err)
	}
	e := question.Event{QuestionID: id, At: s.db.Now(), Actor: actor, Kind: question.EventViewed}
	if err := addEvent(ctx, tx, e); err != nil {
		return fmt.Errorf("view question %d: %w", id, err)
	}
	return wrapf(tx.Commit(), "view question %d", id)
}

// History returns what happened to question id, oldest first, views
// included. An unknown id gives question.ErrNotFound.
func (s *QuestionService) History(ctx context.Context, id int64) ([]question.Event, error) {
	events, err := findEvents(ctx, s.db.read(), id)
	return events, wrapf(err, "history of question %d", id)
}

// VisitorView returns what the visitor holding the slip with token may
// see of their question, or an error matching question.ErrNotFound.
func (s *QuestionService) VisitorView(ctx context.Context, token string) (question.VisitorView, error) {
	v, err := s.visitorView(ctx, `token = ?`, token)
	return v, wrapf(err, "visitor view")
}

// VisitorViewByCode is VisitorView for the short code the visitor types at
// the kiosk, in canonical form (see question.ParseCode): of a question of
// this house, or of one another house referred here with that code on
// the visitor's slip. A code that names more than one here (codes are
// unique within a house, not across houses: see ByCodes) finds none, so
// that no visitor is shown another's question; a volunteer's /code
// tells them apart. A question of this house that went to another house
// and came back from it, with its own code, is the one that came back.
func (s *QuestionService) VisitorViewByCode(ctx context.Context, code string) (question.VisitorView, error) {
	v, err := s.visitorView(ctx, `id = (SELECT CASE WHEN count(DISTINCT id) = 1 THEN max(id) END FROM (
		SELECT id FROM questions q WHERE code = ?1 AND NOT EXISTS (SELECT 1 FROM referrals_out ro
			JOIN referrals_in ri ON ri.from_house = ro.to_house AND ri.code = ?1
			WHERE ro.question_id = q.id AND ro.state = 'sent')
		UNION ALL SELECT question_id FROM referrals_in WHERE code = ?1))`, code)
	return v, wrapf(err, "visitor view by code")
}

// visitorView reads only the columns a visitor may see, so nothing else
// can leak through a later change to the struct's filling.
// where is a constant with one ?: arg.
func (s *QuestionService) visitorView(ctx context.Context, where string, arg any) (question.VisitorView, error) {
	var (
		v            question.VisitorView
		status, when string
	)
	// The house is the last referral's to another house, unless the
	// district refused it (see HandOver).
	err := s.db.read().QueryRowContext(ctx, `SELECT status, visitor_message, message_at,
		coalesce((SELECT CASE WHEN state != 'refused' THEN to_house END FROM referrals_out
			WHERE question_id = questions.id `+lastReferralOut+`), '')
		FROM questions WHERE `+where, arg).
		Scan(&status, &v.Message, &when, &v.HandedTo)
	if errors.Is(err, sql.ErrNoRows) {
		return question.VisitorView{}, question.ErrNotFound
	}
	if err != nil {
		return question.VisitorView{}, err
	}
	v.Status = question.Status(status)
	if !v.Status.Open() {
		v.HandedTo = ""
	}
	if v.MessageAt, err = parseStamp(when); err != nil {
		return question.VisitorView{}, fmt.Errorf("message_at: %w", err)
	}
	return v, nil
}

// Partners returns every partner, hidden ones too (old referrals keep
// theirs), in the order staff gave them.
func (s *QuestionService) Partners(ctx context.Context) ([]question.Partner, error) {
	rows, err := s.db.read().QueryContext(ctx, `SELECT id, name, helps, contact, hidden FROM partners ORDER BY sort, name`)
	if err != nil {
		return nil, fmt.Errorf("partners: %w", err)
	}
	defer rows.Close()
	var ps []question.Partner
	for rows.Next() {
		var p question.Partner
		if err := rows.Scan(&p.ID, &p.Name, &p.Helps, &p.Contact, &p.Hidden); err != nil {
			return nil, fmt.Errorf("partners: %w", err)
		}
		ps = append(ps, p)
	}
	return ps, wrapf(rows.Err(), "partners")
}

// SavePartner stores p: a new partner (ID 0) goes at the end of the list
// and gets its ID; an existing one is changed in place. Its fields are
// normalised like a visitor's text. A missing name, or a name another
// partner has (in any case), is refused with an error matching
// question.ErrInvalid; an unknown ID gives ErrNotFound.
func (s *QuestionService) SavePartner(ctx context.Context, p *question.Partner) error {
	p.Name = question.NormaliseText(p.Name)
	p.Helps = question.NormaliseText(p.Helps)
	p.Contact = question.NormaliseText(p.Contact)
	if p.Name == "" {
		return fmt.Errorf("save partner: %w: the partner needs a name", question.ErrInvalid)
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("save partner %q: %w", p.Name, err)
	}
	defer tx.Rollback()
	var taken bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM partners WHERE name = ? AND id <> ?)`,
		p.Name, p.ID).Scan(&taken); err != nil {
		return fmt.Errorf("save partner %q: %w", p.Name, err)
	}
	if taken {
		return fmt.Errorf("save partner: %w: there is already a partner named %q", question.ErrInvalid, p.Name)
	}
	if p.ID == 0 {
		err = insertPartner(ctx, tx, p)
	} else {
		err = oneRow(tx.ExecContext(ctx, `UPDATE partners SET name = ?, helps = ?, contact = ?, hidden = ? WHERE id = ?`,
			p.Name, p.Helps, p.Contact, p.Hidden, p.ID))
	}
	if err != nil {
		return fmt.Errorf("save partner %q: %w", p.Name, err)
	}
	return wrapf(tx.Commit(), "save partner %q", p.Name)
}

func insertPartner(ctx context.Context, tx *sql.Tx, p *question.Partner) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO partners (name, helps, contact, sort)
		VALUES (?, ?, ?, (SELECT COALESCE(MAX(sort), 0) + 1 FROM partners))`, p.Name, p.Helps, p.Contact)
	if err != nil {
		return err
	}
	p.ID, err = res.LastInsertId()
	return err
}

// questionColumns are the columns scanQuestion reads, from questions
// aliased q.
const questionColumns = `q.id, q.token, q.code, q.topic, q.text, q.follow_up, q.lang, q.status, q.created_at, q.print_state, q.closed_as`

// scanQuestion reads questionColumns into q, then any more columns into
// more.
func scanQuestion(row interface{ Scan(...any) error }, q *question.Question, more ...any) error {
	var followUp, status, created, printState, outcome string
	dest := append([]any{&q.ID, &q.Token, &q.Code, &q.Topic, &q.Text, &followUp, &q.Lang, &status, &created, &printState, &outcome}, more...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	q.FollowUp, q.Status, q.Print = question.FollowUp(followUp), question.Status(status), question.PrintState(printState)
	q.Outcome = question.Outcome(outcome)
	var err error
	if q.Created, err = time.Parse(time.RFC3339Nano, created); err != nil {
		return fmt.Errorf("question %d: created_at: %w", q.ID, err)
	}
	return nil
}

// findQuestion reads question id, or returns question.ErrNotFound.
func findQuestion(ctx context.Context, tx *sql.Tx, id int64) (question.Question, error) {
	var q question.Question
	err := scanQuestion(tx.QueryRowContext(ctx, `SELECT `+questionColumns+` FROM questions q WHERE q.id = ?`, id), &q)
	if errors.Is(err, sql.ErrNoRows) {
		return question.Question{}, question.ErrNotFound
	}
	return q, err
}

// checkQuestion returns question.ErrNotFound unless question id exists.
func checkQuestion(ctx context.Context, tx *sql.Tx, id int64) error {
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM questions WHERE id = ?)`, id).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		return question.ErrNotFound
	}
	return nil
}

// findPartner reads partner id; a partner that does not exist is an
// invalid choice, not a missing page.
func findPartner(ctx context.Context, tx *sql.Tx, id int64) (question.Partner, error) {
	p := question.Partner{ID: id}
	err := tx.QueryRowContext(ctx, `SELECT name, helps, contact FROM partners WHERE id = ?`, id).
		Scan(&p.Name, &p.Helps, &p.Contact)
	if errors.Is(err, sql.ErrNoRows) {
		return question.Partner{}, fmt.Errorf("%w: there is no partner %d", question.ErrInvalid, id)
	}
	return p, err
}

// addEvent writes e in its question's history, and its time on the
// question for the queue.
func addEvent(ctx context.Context, tx *sql.Tx, e question.Event) error {
	at := stamp(e.At)
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (question_id, at, actor, kind, text) VALUES (?, ?, ?, ?, ?)`,
		e.QuestionID, at, e.Actor, string(e.Kind), e.Text); err != nil {
		return err
	}
	return oneRow(tx.ExecContext(ctx, `UPDATE questions SET last_event_at = ? WHERE id = ?`, at, e.QuestionID))
}

// updateFollowUp brings question e.QuestionID to status and keeps what e
// changed where the queue and the visitor read it.
func updateFollowUp(ctx context.Context, tx *sql.Tx, q question.Question, e question.Event, status question.Status, partner int64) error {
	set, args := `status = ?`, []any{string(status)}
	switch e.Kind {
	case question.EventClaimed:
		set += `, claimed_by = ?`
		args = append(args, e.Actor)
	case question.EventMessage:
		set += `, visitor_message = ?, message_at = ?`
		args = append(args, e.Text, stamp(e.At))
	case question.EventReferred:
		// 0: to a house or a district partner, neither in partners.
		set += `, partner_id = nullif(?, 0)`
		args = append(args, partner)
	case question.EventClosed:
		set += `, outcome = ?, closed_as = ?`
		args = append(args, e.Text, string(q.Outcome))
	}
	return oneRow(tx.ExecContext(ctx, `UPDATE questions SET `+set+` WHERE id = ?`, append(args, e.QuestionID)...))
}

// findEvents returns question id's history, oldest first, or
// question.ErrNotFound when there is no question id. It is one query, so
// that the question and its events are read in one snapshot: the question
// joined to its events, one row with no event for a question without.
func findEvents(ctx context.Context, tx querier, id int64) ([]question.Event, error) {
	rows, err := tx.QueryContext(ctx, `SELECT e.id, COALESCE(e.at, ''), COALESCE(e.actor, ''), COALESCE(e.kind, ''), COALESCE(e.text, '')
		FROM questions q LEFT JOIN events e ON e.question_id = q.id
		WHERE q.id = ? ORDER BY e.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var (
		events []question.Event
		found  bool
	)
	for rows.Next() {
		found = true
		e := question.Event{QuestionID: id}
		var (
			eventID  sql.NullInt64
			at, kind string
		)
		if err := rows.Scan(&eventID, &at, &e.Actor, &kind, &e.Text); err != nil {
			return nil, err
		}
		if !eventID.Valid {
			continue // a question without events
		}
		e.ID = eventID.Int64
		e.Kind = question.EventKind(kind)
		if e.At, err = parseStamp(at); err != nil {
			return nil, fmt.Errorf("event %d: %w", e.ID, err)
		}
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if !found {
		return nil, question.ErrNotFound
	}
	return events, nil
}
