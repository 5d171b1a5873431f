package sqlite

import (
	"context"
	"fmt"

	"buurtbalie/internal/catalogue"
)

// CorrectionService keeps staff's corrections of the kiosk's messages.
type CorrectionService struct{ db *DB }

// NewCorrectionService returns the corrections of db.
func NewCorrectionService(db *DB) *CorrectionService { return &CorrectionService{db: db} }

// Corrections returns every correction, by language, message and form.
func (s *CorrectionService) Corrections(ctx context.Context) ([]catalogue.Correction, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT lang, message_id, form, text FROM message_corrections ORDER BY lang, message_id, form`)
	if err != nil {
		return nil, fmt.Errorf("corrections: %w", err)
	}
	defer rows.Close()
	var out []catalogue.Correction
	for rows.Next() {
		var c catalogue.Correction
		if err := rows.Scan(&c.Lang, &c.ID, &c.Form, &c.Text); err != nil {
			return nil, fmt.Errorf("corrections: %w", err)
		}
		out = append(out, c)
	}
	return out, wrapf(rows.Err(), "corrections")
}

// SaveCorrection stores c, which the caller checked
// (correction.Check), replacing an earlier one of the same form.
func (s *CorrectionService) SaveCorrection(ctx context.Context, c catalogue.Correction, actor string) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("save correction: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO message_corrections (lang, message_id, form, text, updated_at, updated_by)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (lang, message_id, form) DO UPDATE SET text = excluded.text,
			updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		c.Lang, c.ID, c.Form, c.Text, s.db.now(), actor); err != nil {
		return fmt.Errorf("save correction: %w", err)
	}
	return wrapf(tx.Commit(), "save correction")
}

// RevertCorrection goes back to the shipped text of a message in lang:
// all its forms.
func (s *CorrectionService) RevertCorrection(ctx context.Context, lang, id string) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("revert correction: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM message_corrections WHERE lang = ? AND message_id = ?`, lang, id); err != nil {
		return fmt.Errorf("revert correction: %w", err)
	}
	return wrapf(tx.Commit(), "revert correction")
}
