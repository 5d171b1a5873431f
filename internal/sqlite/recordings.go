package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"buurtbalie/internal/voice"
)

// RecordingService keeps a house's recorded voices and its spoken-only
// languages.
type RecordingService struct{ db *DB }

// NewRecordingService returns the recordings of db.
func NewRecordingService(db *DB) *RecordingService { return &RecordingService{db: db} }

// Recording returns the samples of lang's recording of prompt.
func (s *RecordingService) Recording(ctx context.Context, lang, prompt string) ([]byte, bool) {
	var b []byte
	err := s.db.db.QueryRowContext(ctx, `SELECT samples FROM recordings WHERE lang = ? AND prompt = ?`, lang, prompt).Scan(&b)
	return b, err == nil
}

// Recordings lists every recording, by language and prompt.
func (s *RecordingService) Recordings(ctx context.Context) ([]voice.Recorded, error) {
	rows, err := s.db.db.QueryContext(ctx, `SELECT lang, prompt, length(samples), updated_at, updated_by FROM recordings ORDER BY lang, prompt`)
	if err != nil {
		return nil, fmt.Errorf("recordings: %w", err)
	}
	defer rows.Close()
	var out []voice.Recorded
	for rows.Next() {
		var r voice.Recorded
		var n int64
		if err := rows.Scan(&r.Lang, &r.Prompt, &n, &r.UpdatedAt, &r.UpdatedBy); err != nil {
			return nil, fmt.Errorf("recordings: %w", err)
		}
		r.Length = time.Duration(n/2) * time.Second / 22050
		out = append(out, r)
	}
	return out, wrapf(rows.Err(), "recordings")
}

// SaveRecording stores samples (converted by speech.Converter) as lang's
// recording of prompt, replacing one made before.
func (s *RecordingService) SaveRecording(ctx context.Context, lang, prompt string, samples []byte, actor string) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("save recording: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO recordings (lang, prompt, samples, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (lang, prompt) DO UPDATE SET samples = excluded.samples, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		lang, prompt, samples, s.db.now(), actor); err != nil {
		return fmt.Errorf("save recording: %w", err)
	}
	return wrapf(tx.Commit(), "save recording")
}

// DeleteRecording removes lang's recording of prompt; the voice reads it
// again.
func (s *RecordingService) DeleteRecording(ctx context.Context, lang, prompt string) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("delete recording: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM recordings WHERE lang = ? AND prompt = ?`, lang, prompt); err != nil {
		return fmt.Errorf("delete recording: %w", err)
	}
	return wrapf(tx.Commit(), "delete recording")
}

// SpokenLanguages returns the house's spoken-only languages, in the
// order they were added.
func (s *RecordingService) SpokenLanguages(ctx context.Context) ([]voice.SpokenLanguage, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("spoken languages: %w", err)
	}
	defer tx.Rollback()
	return spokenLanguages(ctx, tx)
}

func spokenLanguages(ctx context.Context, tx *sql.Tx) ([]voice.SpokenLanguage, error) {
	rows, err := tx.QueryContext(ctx, `SELECT code, name FROM spoken_languages ORDER BY created_at, code`)
	if err != nil {
		return nil, fmt.Errorf("spoken languages: %w", err)
	}
	defer rows.Close()
	var out []voice.SpokenLanguage
	for rows.Next() {
		var l voice.SpokenLanguage
		if err := rows.Scan(&l.Code, &l.Name); err != nil {
			return nil, fmt.Errorf("spoken languages: %w", err)
		}
		out = append(out, l)
	}
	return out, wrapf(rows.Err(), "spoken languages")
}

// ErrNameTaken is why a spoken language was not added: one of that name
// exists.
var ErrNameTaken = errors.New("a spoken language of that name exists")

// AddSpokenLanguage adds l, which the caller made with
// voice.NewSpokenLanguage.
func (s *RecordingService) AddSpokenLanguage(ctx context.Context, l voice.SpokenLanguage, actor string) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("add spoken language: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM spoken_languages WHERE name = ? OR code = ?`, l.Name, l.Code).Scan(&n); err != nil {
		return fmt.Errorf("add spoken language: %w", err)
	}
	if n > 0 {
		return ErrNameTaken
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO spoken_languages (code, name, created_at, created_by) VALUES (?, ?, ?, ?)`,
		l.Code, l.Name, s.db.now(), actor); err != nil {
		return fmt.Errorf("add spoken language: %w", err)
	}
	return wrapf(tx.Commit(), "add spoken language")
}

// RemoveSpokenLanguage removes a spoken language and its recordings.
func (s *RecordingService) RemoveSpokenLanguage(ctx context.Context, code string) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("remove spoken language: %w", err)
	}
	defer tx.Rollback()
	for _, q := range []string{`DELETE FROM recordings WHERE lang = ?`, `DELETE FROM spoken_languages WHERE code = ?`} {
		if _, err := tx.ExecContext(ctx, q, code); err != nil {
			return fmt.Errorf("remove spoken language: %w", err)
		}
	}
	return wrapf(tx.Commit(), "remove spoken language")
}
