package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"buurtbalie/internal/account"
	"buurtbalie/internal/district"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sharing"
)

// What the house shares with the other houses of its district beside
// its figures (migration 021): the rules are internal/sharing's; here
// they are kept, each change in one transaction.

// forgetSharing is what a house forgets of its district when it joins
// one afresh or leaves: what it had of the other houses, and where its
// pull stood. Referrals still waiting are refused as the district would,
// so that their questions are back with the house.
var forgetSharing = []string{
	`DELETE FROM district_houses`, `DELETE FROM district_partners`, `DELETE FROM district_activities`,
	`UPDATE share_state SET cursor = 0, programme_hash = '', programme_at = ''`,
	`UPDATE questions SET status = 'claimed' WHERE status = 'referred' AND id IN (SELECT question_id FROM referrals_out WHERE state = 'pending')`,
	`UPDATE referrals_out SET state = 'refused', body = '', reason = '` + sharing.RefusedNoDistrict + `' WHERE state = 'pending'`,
}

// joinedNow is the condition that the house belongs to a district that
// has not revoked it.
const joinedNow = `EXISTS (SELECT 1 FROM district_link WHERE revoked_at IS NULL)`

// Houses returns the district's houses a question may be referred to,
// none while the house belongs to no district (or was revoked).
func (s *QuestionService) Houses(ctx context.Context) ([]string, error) {
	houses, err := readHouses(ctx, s.db.read())
	return houses, wrapf(err, "district houses")
}

func readHouses(ctx context.Context, q querier) ([]string, error) {
	return queryStrings(ctx, q, `SELECT name FROM district_houses WHERE `+joinedNow+` ORDER BY name`)
}

// DistrictPartners returns the district's partner directory, by name;
// none while the house belongs to no district.
func (s *QuestionService) DistrictPartners(ctx context.Context) ([]district.Partner, error) {
	rows, err := s.db.read().QueryContext(ctx, `SELECT id, name, helps_with, languages, hours, contact FROM district_partners
		WHERE `+joinedNow+` ORDER BY name COLLATE NOCASE, id`)
	if err != nil {
		return nil, fmt.Errorf("district partners: %w", err)
	}
	defer rows.Close()
	var out []district.Partner
	for rows.Next() {
		var (
			p     district.Partner
			langs string
		)
		if err := rows.Scan(&p.ID, &p.Name, &p.HelpsWith, &langs, &p.Hours, &p.Contact); err != nil {
			return nil, fmt.Errorf("district partners: %w", err)
		}
		_ = json.Unmarshal([]byte(langs), &p.Languages)
		out = append(out, p)
	}
	return out, wrapf(rows.Err(), "district partners")
}

// ReferToHouse refers question id to the district's house to, with the
// volunteer's note for that house: in one transaction the question is
// marked referred (claimed by actor first if nobody had), the step goes
// in its history and the audit log, and the referral (its text and
// code, never its token) goes in the outbox of referrals, so that a
// power cut keeps both or neither. A house not on the district's list,
// or a closed question, is refused with an error matching
// question.ErrInvalid.
func (s *QuestionService) ReferToHouse(ctx context.Context, id int64, actor, to, note string) (question.Question, error) {
	q, err := s.referToHouse(ctx, id, strings.TrimSpace(actor), to, note)
	return q, wrapf(err, "refer question %d to another house", id)
}

func (s *QuestionService) referToHouse(ctx context.Context, id int64, actor, to, note string) (question.Question, error) {
	if actor == "" {
		return question.Question{}, fmt.Errorf("%w: no one to record as doing it", question.ErrInvalid)
	}
	if utf8.RuneCountInString(note) > question.MaxNote {
		return question.Question{}, fmt.Errorf("%w: the note is longer than %d characters", question.ErrInvalid, question.MaxNote)
	}
	return s.change(ctx, id, actor, func(tx *sql.Tx, q question.Question) (question.Question, error) {
		return s.referToHouseIn(ctx, tx, q, actor, to, note)
	})
}

func (s *QuestionService) referToHouseIn(ctx context.Context, tx *sql.Tx, q question.Question, actor, to, note string) (question.Question, error) {
	id := q.ID
	houses, err := readHouses(ctx, tx)
	if err != nil {
		return question.Question{}, err
	}
	// A question that came from another house goes on with the code on
	// the visitor's slip, which is the one the next house will be told.
	sent := q
	if in, err := handOverIn(ctx, s.db.readIn(tx), id); err != nil {
		return question.Question{}, err
	} else if in.In() {
		sent.Code = in.Code
	}
	now := s.db.Now()
	r, err := sharing.Refer(sent, to, note, houses, now)
	if err != nil {
		return question.Question{}, err
	}
	// The history says where it went, as a referral to a partner does;
	// the figures count it as a referral to that house.
	claimed, err := s.referredTo(ctx, tx, q, actor, r.ToHouse, now)
	if err != nil {
		return question.Question{}, err
	}
	body, err := json.Marshal(r)
	if err != nil {
		return question.Question{}, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO referrals_out (id, question_id, to_house, body, at) VALUES (?, ?, ?, ?, ?)`,
		r.ID, id, r.ToHouse, string(body), stamp(now)); err != nil {
		return question.Question{}, err
	}
	if err := s.auditReferral(ctx, tx, id, actor, claimed, sharing.ActionReferredHouse, r.ToHouse); err != nil {
		return question.Question{}, err
	}
	q.Status = question.Referred
	return q, nil
}

// ReferToDistrictPartner refers question id to partner of the
// district's directory, as Apply refers to one of the house's own: the
// partner's name in the history and the audit log, the question marked
// referred (claimed by actor first if nobody had), all or nothing. An unknown partner is
// refused with an error matching question.ErrInvalid.
func (s *QuestionService) ReferToDistrictPartner(ctx context.Context, id int64, actor string, partner int64) (question.Question, error) {
	q, err := s.referToDistrictPartner(ctx, id, strings.TrimSpace(actor), partner)
	return q, wrapf(err, "refer question %d to district partner %d", id, partner)
}

func (s *QuestionService) referToDistrictPartner(ctx context.Context, id int64, actor string, partner int64) (question.Question, error) {
	return s.change(ctx, id, actor, func(tx *sql.Tx, q question.Question) (question.Question, error) {
		return s.referToDistrictPartnerIn(ctx, tx, q, actor, partner)
	})
}

func (s *QuestionService) referToDistrictPartnerIn(ctx context.Context, tx *sql.Tx, q question.Question, actor string, partner int64) (question.Question, error) {
	if !q.Status.Open() {
		return question.Question{}, sharing.ErrClosed
	}
	var name string
	err := tx.QueryRowContext(ctx, `SELECT name FROM district_partners WHERE id = ? AND `+joinedNow, partner).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return question.Question{}, fmt.Errorf("%w: there is no district partner %d", question.ErrInvalid, partner)
	}
	if err != nil {
		return question.Question{}, err
	}
	claimed, err := s.referredTo(ctx, tx, q, actor, name, s.db.Now())
	if err != nil {
		return question.Question{}, err
	}
	if err := s.auditReferral(ctx, tx, q.ID, actor, claimed, string(question.EventReferred), "district: "+name); err != nil {
		return question.Question{}, err
	}
	q.Status = question.Referred
	return q, nil
}

// auditReferral writes the audit log's lines of a referral by actor of
// question id, in the referral's transaction: the claim first if it
// claimed the question, then action with detail.
func (s *QuestionService) auditReferral(ctx context.Context, tx *sql.Tx, id int64, actor string, claimed bool, action, detail string) error {
	if claimed {
		if err := insertAudit(ctx, tx, s.db.now(), account.Entry{Actor: actor, Action: string(question.EventClaimed), QuestionID: id}); err != nil {
			return err
		}
	}
	return insertAudit(ctx, tx, s.db.now(), account.Entry{Actor: actor, Action: action, QuestionID: id, Detail: cutDetail(detail)})
}

// referredTo writes in tx that actor referred q to name (another house,
// or a partner of the district's directory, neither in the partners
// table), claiming it first when nobody had, as Apply does; it says
// whether it claimed it.
func (s *QuestionService) referredTo(ctx context.Context, tx *sql.Tx, q question.Question, actor, name string, now time.Time) (bool, error) {
	claimed := q.Status == question.New
	if claimed {
		claim := question.Event{QuestionID: q.ID, At: now, Actor: actor, Kind: question.EventClaimed}
		if err := s.step(ctx, tx, q, claim, question.Claimed, 0); err != nil {
			return false, err
		}
		q.Status = question.Claimed
	}
	e := question.Event{QuestionID: q.ID, At: now, Actor: actor, Kind: question.EventReferred, Text: name}
	return claimed, s.step(ctx, tx, q, e, question.Referred, 0)
}

// lastReferralOut picks a question's last referral to another house
// from referrals_out, as the volunteer's and the visitor's pages both
// show it.
const lastReferralOut = `ORDER BY at DESC, rowid DESC LIMIT 1`

// HandOver returns how question id stands between houses: where this
// house last referred it, and where it came from.
func (s *QuestionService) HandOver(ctx context.Context, id int64) (sharing.HandOver, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return sharing.HandOver{}, fmt.Errorf("hand-over of question %d: %w", id, err)
	}
	defer tx.Rollback()
	r := s.db.readIn(tx)
	h, err := handOverIn(ctx, r, id)
	if err != nil {
		return sharing.HandOver{}, fmt.Errorf("hand-over of question %d: %w", id, err)
	}
	err = r.QueryRowContext(ctx, `SELECT to_house, state, reason FROM referrals_out WHERE question_id = ? `+lastReferralOut, id).
		Scan(&h.To, &h.State, &h.Reason)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return sharing.HandOver{}, fmt.Errorf("hand-over of question %d: %w", id, err)
	}
	return h, nil
}

// handOverIn reads where question id came from, if another house
// referred it.
func handOverIn(ctx context.Context, r reader, id int64) (sharing.HandOver, error) {
	var h sharing.HandOver
	err := r.QueryRowContext(ctx, `SELECT from_house, code, note FROM referrals_in WHERE question_id = ?`, id).Scan(&h.From, &h.Code, &h.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return sharing.HandOver{}, nil
	}
	return h, err
}

// ReferredIn returns, by question id, the open questions other houses
// referred to this one: for the queue's "Doorverwezen door …".
func (s *QuestionService) ReferredIn(ctx context.Context) (map[int64]sharing.HandOver, error) {
	rows, err := s.db.read().QueryContext(ctx, `SELECT r.question_id, r.from_house, r.code, r.note FROM referrals_in r
		JOIN questions q ON q.id = r.question_id WHERE q.status <> 'closed'`)
	if err != nil {
		return nil, fmt.Errorf("referred in: %w", err)
	}
	defer rows.Close()
	out := map[int64]sharing.HandOver{}
	for rows.Next() {
		var (
			id int64
			h  sharing.HandOver
		)
		if err := rows.Scan(&id, &h.From, &h.Code, &h.Note); err != nil {
			return nil, fmt.Errorf("referred in: %w", err)
		}
		out[id] = h
	}
	return out, wrapf(rows.Err(), "referred in")
}

// ByCodes returns every question a slip's code (canonical form) finds
// here: this house's own, and those other houses referred here with
// that code on the visitor's slip. Codes are unique within a house, not
// across houses, so there may be more than one; none is an error
// matching question.ErrNotFound.
func (s *QuestionService) ByCodes(ctx context.Context, code string) ([]question.Question, error) {
	rows, err := s.db.read().QueryContext(ctx, `SELECT `+questionColumns+` FROM questions q
		WHERE q.code = ? OR q.id IN (SELECT question_id FROM referrals_in WHERE code = ?) ORDER BY q.created_at DESC, q.id DESC`, code, code)
	if err != nil {
		return nil, fmt.Errorf("find question by code: %w", err)
	}
	defer rows.Close()
	var out []question.Question
	for rows.Next() {
		var q question.Question
		if err := scanQuestion(rows, &q); err != nil {
			return nil, fmt.Errorf("find question by code: %w", err)
		}
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find question by code: %w", err)
	}
	if len(out) == 0 {
		return nil, question.ErrNotFound
	}
	return out, nil
}

// cutDetail keeps s within an audit entry's detail.
func cutDetail(s string) string { return account.Cut(s, account.MaxDetail) }

// PendingReferrals returns up to n referrals to other houses still to be
// sent, oldest first.
func (s *DistrictService) PendingReferrals(ctx context.Context, n int) ([]district.Referral, error) {
	out, err := bodies[district.Referral](ctx, s.db.db, `SELECT body FROM referrals_out WHERE state = 'pending' ORDER BY at, rowid LIMIT ?`, n)
	return out, wrapf(err, "referrals out")
}

// ReferralsDone keeps the district's answer to the referrals sent: the
// accepted ones are sent (their text and code no longer kept here), a
// refused one is back with this house, its question claimed again, with
// the district's reason in its history and the audit log.
func (s *DistrictService) ReferralsDone(ctx context.Context, a district.ReferralsAccepted) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("referrals out: %w", err)
	}
	defer tx.Rollback()
	for _, id := range a.Accepted {
		if _, err := tx.ExecContext(ctx, `UPDATE referrals_out SET state = 'sent', body = '' WHERE id = ? AND state = 'pending'`, id); err != nil {
			return fmt.Errorf("referrals out: %w", err)
		}
	}
	now := s.db.Now()
	for id, why := range a.Refused {
		var (
			qid   int64
			house string
		)
		err := tx.QueryRowContext(ctx, `UPDATE referrals_out SET state = 'refused', body = '', reason = ? WHERE id = ? AND state = 'pending'
			RETURNING question_id, to_house`, why, id).Scan(&qid, &house)
		if errors.Is(err, sql.ErrNoRows) {
			continue // refused before, or never ours
		}
		if err != nil {
			return fmt.Errorf("referral %s refused: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE questions SET status = 'claimed' WHERE id = ? AND status = 'referred'`, qid); err != nil {
			return fmt.Errorf("referral %s refused: %w", id, err)
		}
		e := question.Event{QuestionID: qid, At: now, Actor: house, Kind: question.EventReferralRefused, Text: why}
		if err := addEvent(ctx, tx, e); err != nil {
			return fmt.Errorf("referral %s refused: %w", id, err)
		}
		if err := insertAudit(ctx, tx, s.db.now(), account.Entry{Action: sharing.ActionReferralRefused, QuestionID: qid, Detail: cutDetail(house + ": " + why)}); err != nil {
			return fmt.Errorf("referral %s refused: %w", id, err)
		}
	}
	return wrapf(tx.Commit(), "referrals out")
}

// Cursor returns where the last pull of the district's updates ended.
func (s *DistrictService) Cursor(ctx context.Context) (int64, error) {
	var c int64
	err := s.db.db.QueryRowContext(ctx, `SELECT cursor FROM share_state`).Scan(&c)
	return c, wrapf(err, "share cursor")
}

// ApplyUpdates keeps what changed in the district, and its cursor, in
// one transaction: a pull cut off halfway is pulled again from the same
// cursor. Referrals to this house become questions in its queue, each
// once (by its id), and are written in its audit log.
func (s *DistrictService) ApplyUpdates(ctx context.Context, u district.Updates) error {
	// Only the house's name: Link would also count the outbox.
	var own string
	err := s.db.db.QueryRowContext(ctx, `SELECT house FROM district_link`).Scan(&own)
	if errors.Is(err, sql.ErrNoRows) {
		return sharing.ErrNoDistrict
	}
	if err != nil {
		return fmt.Errorf("district link: %w", err)
	}
	// Most pulls bring nothing new: then nothing is written, so that the
	// kiosk's screens (which reload on every commit) stay as they are.
	if len(u.Partners)+len(u.Activities)+len(u.Referrals) == 0 {
		cursor, err := s.Cursor(ctx)
		if err != nil {
			return err
		}
		houses, err := readHouses(ctx, s.db.db)
		if err != nil {
			return fmt.Errorf("apply district updates: %w", err)
		}
		if cursor == u.Cursor && slices.Equal(houses, othersSorted(u.Houses, own)) {
			return nil
		}
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("apply district updates: %w", err)
	}
	defer tx.Rollback()
	if err := s.applyUpdates(ctx, tx, own, u); err != nil {
		return fmt.Errorf("apply district updates: %w", err)
	}
	return wrapf(tx.Commit(), "apply district updates")
}

func (s *DistrictService) applyUpdates(ctx context.Context, tx *sql.Tx, own string, u district.Updates) error {
	var cursor int64
	if err := tx.QueryRowContext(ctx, `SELECT cursor FROM share_state`).Scan(&cursor); err != nil {
		return err
	}
	if u.Cursor < cursor {
		// The district starts over (restored from an older backup): it
		// sends everything again, without the deletions since, so what
		// it sent before goes. Referrals in stay: they are questions.
		for _, table := range []string{"district_partners", "district_activities"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
				return err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM district_houses`); err != nil {
		return err
	}
	for _, h := range othersSorted(u.Houses, own) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO district_houses (name) VALUES (?)`, h); err != nil {
			return err
		}
	}
	// A house revoked since it published is no place to send a visitor.
	if _, err := tx.ExecContext(ctx, `DELETE FROM district_activities WHERE house NOT IN (SELECT name FROM district_houses)`); err != nil {
		return err
	}
	for _, p := range u.Partners {
		if p.Deleted {
			if _, err := tx.ExecContext(ctx, `DELETE FROM district_partners WHERE id = ?`, p.ID); err != nil {
				return err
			}
			continue
		}
		langs, _ := json.Marshal(p.Languages)
		if p.Languages == nil {
			langs = []byte("[]")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO district_partners (id, name, helps_with, languages, hours, contact) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, helps_with = excluded.helps_with, languages = excluded.languages,
			hours = excluded.hours, contact = excluded.contact`, p.ID, p.Name, p.HelpsWith, string(langs), p.Hours, p.Contact); err != nil {
			return err
		}
	}
	for _, a := range u.Activities {
		if a.House == own {
			continue // the house's own programme, as it came back
		}
		if a.Deleted {
			if _, err := tx.ExecContext(ctx, `DELETE FROM district_activities WHERE house = ? AND key = ?`, a.House, a.Key); err != nil {
				return err
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO district_activities (house, key, day, start, "end", title, category, room, cancelled)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (house, key) DO UPDATE SET day = excluded.day, start = excluded.start,
			"end" = excluded."end", title = excluded.title, category = excluded.category, room = excluded.room, cancelled = excluded.cancelled`,
			a.House, a.Key, a.Day, a.Start, a.End, a.Title, a.Category, a.Room, a.Cancelled); err != nil {
			return err
		}
	}
	// Days gone by are of no use to a visitor.
	old := programme.DateOf(s.db.Now().In(s.db.location())).AddDays(-1).String()
	if _, err := tx.ExecContext(ctx, `DELETE FROM district_activities WHERE day < ?`, old); err != nil {
		return err
	}
	for _, r := range u.Referrals {
		if err := s.referredIn(ctx, tx, r); err != nil {
			return fmt.Errorf("referral %s: %w", r.ID, err)
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE share_state SET cursor = ?`, u.Cursor)
	return err
}

// referredIn keeps a referral from another house as a question of this
// one, unless it has it already. The question gets a code of this
// house's own (codes are unique only within a house); the code on the
// visitor's slip is kept beside it, for /code. It is not counted in
// this house's figures as a question asked here: the other house
// counted it.
func (s *DistrictService) referredIn(ctx context.Context, tx *sql.Tx, r district.Referral) error {
	if err := r.Check(); err != nil || r.FromHouse == "" {
		// Not a referral the district should have sent: nothing a
		// volunteer can act on, but staff see that one came.
		detail := account.Cut(r.ID, account.MaxName)
		if r.FromHouse != "" {
			detail = r.FromHouse + ": " + detail
		}
		return insertAudit(ctx, tx, s.db.now(), account.Entry{Action: sharing.ActionReferralUnreadable, Detail: cutDetail(detail)})
	}
	var known bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM referrals_in WHERE id = ?)`, r.ID).Scan(&known); err != nil || known {
		return err
	}
	topic := r.Topic
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM topics WHERE key = ?)`, topic).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		topic = "anders" // a topic of the other house's own
	}
	token, err := question.NewToken(rand.Reader)
	if err != nil {
		return err
	}
	code, err := freeCode(ctx, tx, rand.Reader)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO questions (token, code, topic, text, follow_up, lang, status, created_at, print_state)
		VALUES (?, ?, ?, ?, 'come_back', ?, 'new', ?, 'printed')`,
		token, code, topic, question.NormaliseText(r.Text), r.Language, r.At.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO referrals_in (id, question_id, from_house, code, note, at) VALUES (?, ?, ?, ?, ?, ?)`,
		r.ID, id, r.FromHouse, r.Code, strings.TrimSpace(r.Note), stamp(r.At)); err != nil {
		return err
	}
	e := question.Event{QuestionID: id, At: s.db.Now(), Actor: account.Cut(r.FromHouse, account.MaxName), Kind: question.EventReferredIn, Text: strings.TrimSpace(r.Note)}
	if err := addEvent(ctx, tx, e); err != nil {
		return err
	}
	return insertAudit(ctx, tx, s.db.now(), account.Entry{Action: sharing.ActionReferredIn, QuestionID: id, Detail: cutDetail(r.FromHouse)})
}

// othersSorted is houses without own, without duplicates, in order, as
// readHouses returns them.
func othersSorted(houses []string, own string) []string {
	var out []string
	for _, h := range houses {
		if h != own && strings.TrimSpace(h) != "" {
			out = append(out, h)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// LastPublished returns the fingerprint of the programme last published
// and when, zero when never.
func (s *DistrictService) LastPublished(ctx context.Context) (string, time.Time, error) {
	var hash, at string
	if err := s.db.db.QueryRowContext(ctx, `SELECT programme_hash, programme_at FROM share_state`).Scan(&hash, &at); err != nil {
		return "", time.Time{}, fmt.Errorf("published programme: %w", err)
	}
	t, _ := parseStamp(at)
	return hash, t, nil
}

// Published notes that the district has the programme with fingerprint
// hash, as of at.
func (s *DistrictService) Published(ctx context.Context, hash string, at time.Time) error {
	_, err := s.db.db.ExecContext(ctx, `UPDATE share_state SET programme_hash = ?, programme_at = ?`, hash, stamp(at))
	return wrapf(err, "published programme")
}

// Programme returns the house's occurrences from..to, for publishing.
func (s *DistrictService) Programme(ctx context.Context, from, to programme.Date) ([]programme.Occurrence, error) {
	return NewProgrammeService(s.db).Range(ctx, from, to)
}

// Location is the house's time zone, in which its days are published.
func (s *DistrictService) Location() *time.Location { return s.db.location() }

// ActivitiesOn returns the other houses' activities of category ("" for
// every category) on day, as the district last sent them; none while the
// house belongs to no district.
func (s *DistrictService) ActivitiesOn(ctx context.Context, day programme.Date, category string) ([]district.Activity, error) {
	rows, err := s.db.read().QueryContext(ctx, `SELECT house, key, day, start, "end", title, category, room, cancelled FROM district_activities
		WHERE day = ?1 AND (?2 = '' OR category = ?2) AND `+joinedNow+` ORDER BY start, house, title`, day.String(), category)
	if err != nil {
		return nil, fmt.Errorf("activities elsewhere: %w", err)
	}
	defer rows.Close()
	var out []district.Activity
	for rows.Next() {
		var a district.Activity
		if err := rows.Scan(&a.House, &a.Key, &a.Day, &a.Start, &a.End, &a.Title, &a.Category, &a.Room, &a.Cancelled); err != nil {
			return nil, fmt.Errorf("activities elsewhere: %w", err)
		}
		out = append(out, a)
	}
	return out, wrapf(rows.Err(), "activities elsewhere")
}
