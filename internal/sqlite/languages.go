package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"buurtbalie/internal/account"
)

// Languages returns the languages the user with id userID said they
// speak (besides Dutch), sorted; none for a user who said nothing.
func (s *AccountService) Languages(ctx context.Context, userID int64) ([]string, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("languages of user %d: %w", userID, err)
	}
	defer tx.Rollback()
	langs, err := queryStrings(ctx, tx, `SELECT lang FROM account_languages WHERE user_id = ? ORDER BY lang`, userID)
	return langs, wrapf(err, "languages of user %d", userID)
}

// SetLanguages replaces the languages the user with id userID speaks
// with langs, which the caller checked (account.CheckLanguages). An
// unknown user is account.ErrNotFound. The audit entry is the caller's,
// who knows who asked.
func (s *AccountService) SetLanguages(ctx context.Context, userID int64, langs []string) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("set languages of user %d: %w", userID, err)
	}
	defer tx.Rollback()
	var one int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE id = ?`, userID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		err = account.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("set languages of user %d: %w", userID, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM account_languages WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("set languages of user %d: %w", userID, err)
	}
	for _, lang := range langs {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO account_languages (user_id, lang) VALUES (?, ?)`, userID, lang); err != nil {
			return fmt.Errorf("set languages of user %d: %w", userID, err)
		}
	}
	return wrapf(tx.Commit(), "set languages of user %d", userID)
}

// OnDutyLanguages returns the languages spoken by the users on duty,
// sorted: those not disabled with a session seen within
// account.OnDutyWithin (see there for why that is what on duty means).
func (s *AccountService) OnDutyLanguages(ctx context.Context) ([]string, error) {
	since := s.db.Now().Add(-account.OnDutyWithin).UTC().Format(time.RFC3339)
	langs, err := queryStrings(ctx, s.db.read(), `SELECT DISTINCT l.lang FROM account_languages l
		JOIN users u ON u.id = l.user_id
		WHERE u.disabled = 0
		AND EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id AND s.last_seen >= ?)
		ORDER BY l.lang`, since)
	return langs, wrapf(err, "languages on duty")
}

// queryStrings returns the one text column of a query's rows.
func queryStrings(ctx context.Context, tx querier, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
