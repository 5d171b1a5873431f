package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"buurtbalie/internal/account"
	"buurtbalie/internal/question"
)

// QuestionService stores the visitors' anonymous questions.
type QuestionService struct {
	db *DB
	// Rand is where tokens and codes come from: crypto/rand unless a test
	// replaces it.
	Rand io.Reader
}

// NewQuestionService returns the question store of db.
func NewQuestionService(db *DB) *QuestionService {
	return &QuestionService{db: db, Rand: rand.Reader}
}

// codeAttempts bounds the retries when a fresh code is already taken:
// with a billion codes, a second try is already rare.
const codeAttempts = 10

// Create validates q, gives it a fresh token and a code no stored question
// has, stamps it and stores it. When Create returns nil the question is
// committed to disk: a slip may be printed for it.
func (s *QuestionService) Create(ctx context.Context, q *question.Question) error {
	q.Text = question.NormaliseText(q.Text)
	q.Status = question.New
	if q.Lang == "" {
		q.Lang = "nl"
	}
	if err := q.Validate(); err != nil {
		return err
	}
	token, err := question.NewToken(s.Rand)
	if err != nil {
		return err
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("create question: %w", err)
	}
	defer tx.Rollback()

	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM topics WHERE key = ?)`, q.Topic).Scan(&exists); err != nil {
		return fmt.Errorf("create question: %w", err)
	}
	if !exists {
		return fmt.Errorf("%w: there is no topic %q", question.ErrInvalid, q.Topic)
	}
	code, err := freeCode(ctx, tx, s.Rand)
	if err != nil {
		return fmt.Errorf("create question: %w", err)
	}
	created := s.db.Now()
	res, err := tx.ExecContext(ctx, `INSERT INTO questions (token, code, topic, text, follow_up, lang, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		token, code, q.Topic, q.Text, string(q.FollowUp), q.Lang, string(q.Status), created.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return fmt.Errorf("create question: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("create question: %w", err)
	}
	if err := s.db.countQuestion(ctx, tx, *q, created); err != nil {
		return fmt.Errorf("create question: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create question: %w", err)
	}
	q.ID, q.Token, q.Code, q.Created, q.Print = id, token, code, created, question.PrintPending
	return nil
}

// freeCode draws codes until one is not taken.
func freeCode(ctx context.Context, tx *sql.Tx, r io.Reader) (string, error) {
	for i := 0; i < codeAttempts; i++ {
		code, err := question.NewCode(r)
		if err != nil {
			return "", err
		}
		var taken bool
		// Nor the code on a slip of another house that referred a
		// question here, which the visitor types here too.
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM questions WHERE code = ?1)
			OR EXISTS (SELECT 1 FROM referrals_in WHERE code = ?1)`, code).Scan(&taken); err != nil {
			return "", err
		}
		if !taken {
			return code, nil
		}
	}
	return "", errors.New("no free code after several tries")
}

// RecordPrint notes how printing the question's slip went. detail says
// why it failed, for staff; it must never hold the question's text.
func (s *QuestionService) RecordPrint(ctx context.Context, id int64, printed bool, detail string) error {
	state := "failed"
	if printed {
		state, detail = "printed", ""
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("record print: %w", err)
	}
	defer tx.Rollback()
	if !printed {
		if err := s.db.countNoSlip(ctx, tx, `id = ?`, id); err != nil {
			return fmt.Errorf("record print of question %d: %w", id, err)
		}
	}
	err = oneRow(tx.ExecContext(ctx, `UPDATE questions SET print_state = ?, print_error = ?, printed_at = ? WHERE id = ?`,
		state, detail, s.db.now(), id))
	if err != nil {
		return fmt.Errorf("record print of question %d: %w", id, err)
	}
	return wrapf(tx.Commit(), "record print of question %d", id)
}

// FailPending records as failed, with detail, every slip still
// "pending": the kiosk calls it as it starts, when nothing of its own is
// printing yet, so these belong to a kiosk that stopped (a crash, a power
// cut, a restart) before it knew how printing went. Their jobs are
// cancelled at start, so their visitors have no slip, and the volunteers'
// pages must say so. It returns how many it marked.
func (s *QuestionService) FailPending(ctx context.Context, detail string) (int64, error) {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return 0, fmt.Errorf("fail pending prints: %w", err)
	}
	defer tx.Rollback()
	if err := s.db.countNoSlip(ctx, tx, `1 = 1`); err != nil {
		return 0, fmt.Errorf("fail pending prints: %w", err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE questions SET print_state = 'failed', print_error = ?, printed_at = ? WHERE print_state = 'pending'`,
		detail, s.db.now())
	if err != nil {
		return 0, fmt.Errorf("fail pending prints: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("fail pending prints: %w", err)
	}
	return n, wrapf(tx.Commit(), "fail pending prints")
}

// ByToken returns the question with the given token, or an error matching
// question.ErrNotFound.
func (s *QuestionService) ByToken(ctx context.Context, token string) (question.Question, error) {
	return s.findOne(ctx, `token = ?`, token)
}

// ByCode returns the question with the given code (canonical form, see
// question.ParseCode), or an error matching question.ErrNotFound.
func (s *QuestionService) ByCode(ctx context.Context, code string) (question.Question, error) {
	return s.findOne(ctx, `code = ?`, code)
}

// PrintState returns how printing the question's slip went: "pending",
// "printed" or "failed", and the reason of a failure.
func (s *QuestionService) PrintState(ctx context.Context, id int64) (state, detail string, err error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return "", "", err
	}
	defer tx.Rollback()
	err = tx.QueryRowContext(ctx, `SELECT print_state, print_error FROM questions WHERE id = ?`, id).Scan(&state, &detail)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", question.ErrNotFound
	}
	return state, detail, err
}

// findOne reads the question where says, a constant with one ?: arg.
func (s *QuestionService) findOne(ctx context.Context, where string, arg any) (question.Question, error) {
	var q question.Question
	err := scanQuestion(s.db.read().QueryRowContext(ctx, `SELECT `+questionColumns+` FROM questions q WHERE q.`+where, arg), &q)
	if errors.Is(err, sql.ErrNoRows) {
		return question.Question{}, question.ErrNotFound
	}
	if err != nil {
		return question.Question{}, fmt.Errorf("find question: %w", err)
	}
	return q, nil
}

// Topics returns every topic, hidden ones too (old questions keep
// theirs), in their order.
func (s *QuestionService) Topics(ctx context.Context) ([]question.Topic, error) {
	rows, err := findNamed(ctx, s.db.read(), "topics", "hidden")
	if err != nil {
		return nil, fmt.Errorf("topics: %w", err)
	}
	topics := make([]question.Topic, len(rows))
	for i, r := range rows {
		topics[i] = question.Topic(r)
	}
	return topics, nil
}

// Topic returns the topic with key, hidden or not, or an error matching
// question.ErrNotFound when there is none (staff removed it): one
// question's page needs only its own.
func (s *QuestionService) Topic(ctx context.Context, key string) (question.Topic, error) {
	var (
		t     question.Topic
		names string
	)
	err := s.db.read().QueryRowContext(ctx, `SELECT key, icon, names, sort, hidden FROM topics WHERE key = ?`, key).
		Scan(&t.Key, &t.Icon, &names, &t.Order, &t.Hidden)
	if errors.Is(err, sql.ErrNoRows) {
		return question.Topic{}, question.ErrNotFound
	}
	if err != nil {
		return question.Topic{}, fmt.Errorf("topic %q: %w", key, err)
	}
	if err := json.Unmarshal([]byte(names), &t.Names); err != nil {
		return question.Topic{}, fmt.Errorf("topic %q: names: %w", key, err)
	}
	return t, nil
}

// SaveTopic adds the topic, at the end of the list, or changes the one
// with its key (keeping its place). Validate it first.
func (s *QuestionService) SaveTopic(ctx context.Context, t question.Topic) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("save topic %q: %w", t.Key, err)
	}
	defer tx.Rollback()
	if err := saveNamed(ctx, tx, "topics", named{Key: t.Key, Icon: t.Icon, Names: t.Names}); err != nil {
		return fmt.Errorf("save topic %q: %w", t.Key, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE topics SET hidden = ? WHERE key = ?`, t.Hidden, t.Key); err != nil {
		return fmt.Errorf("save topic %q: %w", t.Key, err)
	}
	return wrapf(tx.Commit(), "save topic %q", t.Key)
}

// SetTopicHidden hides a topic from the kiosk, or shows it again. A topic
// is never deleted: questions asked under it keep it.
func (s *QuestionService) SetTopicHidden(ctx context.Context, key string, hidden bool) error {
	return s.setHidden(ctx, "topics", "key", key, hidden)
}

// SetPartnerHidden takes a partner off the referral list, or puts it back.
// A partner is never deleted: questions referred to it keep it.
func (s *QuestionService) SetPartnerHidden(ctx context.Context, id int64, hidden bool) error {
	return s.setHidden(ctx, "partners", "id", id, hidden)
}

func (s *QuestionService) setHidden(ctx context.Context, table, column string, key any, hidden bool) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("hide %v: %w", key, err)
	}
	defer tx.Rollback()
	if err := oneRow(tx.ExecContext(ctx, `UPDATE `+table+` SET hidden = ? WHERE `+column+` = ?`, hidden, key)); err != nil {
		return fmt.Errorf("hide %v: %w", key, err)
	}
	return wrapf(tx.Commit(), "hide %v", key)
}

// Count returns how many questions are stored; for tests and reports.
func (s *QuestionService) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.db.QueryRowContext(ctx, `SELECT count(*) FROM questions`).Scan(&n)
	return n, err
}

// RecordReprint writes in the audit log that actor printed the slip of
// question id again, and whether it came out; detail says why not. An
// unknown id gives question.ErrNotFound.
func (s *QuestionService) RecordReprint(ctx context.Context, id int64, actor string, printed bool, detail string) error {
	if printed {
		detail = "printed"
	} else if detail = "not printed: " + detail; utf8.RuneCountInString(detail) > account.MaxDetail {
		detail = string([]rune(detail)[:account.MaxDetail])
	}
	e := account.Entry{Actor: actor, Action: question.ActionReprinted, QuestionID: id, Detail: detail}
	if err := e.Validate(); err != nil {
		return fmt.Errorf("record reprint of question %d: %w", id, err)
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("record reprint of question %d: %w", id, err)
	}
	defer tx.Rollback()
	if err := checkQuestion(ctx, tx, id); err != nil {
		return fmt.Errorf("record reprint of question %d: %w", id, err)
	}
	if err := insertAudit(ctx, tx, s.db.now(), e); err != nil {
		return fmt.Errorf("record reprint of question %d: %w", id, err)
	}
	return wrapf(tx.Commit(), "record reprint of question %d", id)
}
