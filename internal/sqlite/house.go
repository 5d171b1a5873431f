package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"buurtbalie/internal/house"
	"buurtbalie/internal/programme"
)

// HouseService keeps what staff tell about the house. A value staff never
// changed comes from the defaults (the config file), so a house that never
// opens the settings page keeps working as configured, and a change to the
// config file still shows there.
type HouseService struct {
	db       *DB
	defaults house.House
}

// NewHouseService returns the house settings of db over defaults.
func NewHouseService(db *DB, defaults house.House) *HouseService {
	return &HouseService{db: db, defaults: defaults.Normalise().WithHours()}
}

// The keys of the house table.
const (
	houseName        = "name"
	houseHours       = "hours"
	houseEmergency   = "emergency"
	houseLanguage    = "language"
	houseLanguages   = "languages"
	houseEmergencyIn = "emergency_languages"
	houseReadAloud   = "read_aloud"
)

// House returns the house as staff set it, over the defaults. Its
// Volunteers are the schedule staff filled in, or else what the kiosk
// reads of the free-text hours (house.House.WithHours).
func (s *HouseService) House(ctx context.Context) (house.House, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return s.defaults, fmt.Errorf("house: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT key, value FROM house`)
	if err != nil {
		return s.defaults, fmt.Errorf("house: %w", err)
	}
	defer rows.Close()
	h := s.defaults
	for rows.Next() {
		var key, value string
		if err := rows.Scan(&key, &value); err != nil {
			return s.defaults, fmt.Errorf("house: %w", err)
		}
		switch key {
		case houseName:
			h.Name = value
		case houseHours:
			h.Hours = house.Lines(value)
		case houseEmergency:
			h.Emergency = house.Lines(value)
		case houseLanguage:
			h.Language = value
		case houseLanguages:
			h.Languages = house.SplitLanguages(value)
		case houseReadAloud:
			h.ReadAloud = house.SplitLanguages(value)
		case houseEmergencyIn:
			if err := json.Unmarshal([]byte(value), &h.EmergencyIn); err != nil {
				h.EmergencyIn = nil // unreadable: the standard lines show
			}
		}
	}
	if err := rows.Err(); err != nil {
		return s.defaults, fmt.Errorf("house: %w", err)
	}
	if h.Spoken, err = spokenLanguages(ctx, tx); err != nil {
		return s.defaults, fmt.Errorf("house: %w", err)
	}
	v, err := volunteers(ctx, tx)
	if err != nil {
		return s.defaults, fmt.Errorf("house: %w", err)
	}
	h.Volunteers = v
	return h.WithHours(), nil
}

// volunteers reads the schedule staff filled in; without one, Origin is
// house.OriginNone.
func volunteers(ctx context.Context, tx *sql.Tx) (house.Volunteers, error) {
	var v house.Volunteers
	err := tx.QueryRowContext(ctx, `SELECT note FROM volunteer_hours WHERE id = 1`).Scan(&v.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return house.Volunteers{}, nil
	}
	if err != nil {
		return v, err
	}
	v.Origin = house.OriginForm
	rows, err := tx.QueryContext(ctx, `SELECT weekday, start, until FROM volunteer_periods ORDER BY weekday, start`)
	if err != nil {
		return v, err
	}
	defer rows.Close()
	for rows.Next() {
		var d int
		var p house.Period
		if err := rows.Scan(&d, &p.From, &p.To); err != nil {
			return v, err
		}
		v.Week[d] = append(v.Week[d], p)
	}
	if err := rows.Err(); err != nil {
		return v, err
	}
	crows, err := tx.QueryContext(ctx, `SELECT first, last, reason FROM volunteer_closures ORDER BY first, last, id`)
	if err != nil {
		return v, err
	}
	defer crows.Close()
	for crows.Next() {
		var first, last string
		var c house.Closure
		if err := crows.Scan(&first, &last, &c.Reason); err != nil {
			return v, err
		}
		if c.From, err = programme.ParseDate(first); err != nil {
			return v, err
		}
		if c.To, err = programme.ParseDate(last); err != nil {
			return v, err
		}
		if c.To == c.From {
			c.To = programme.Date{}
		}
		v.Closures = append(v.Closures, c)
	}
	return v, crows.Err()
}

// SaveVolunteers stores the schedule staff filled in, which the caller
// validated (house.Volunteers.Validate), in place of the one before.
// From then on the slip prints the lines made from it instead of the
// free-text hours. actor is who saved it.
func (s *HouseService) SaveVolunteers(ctx context.Context, v house.Volunteers, actor string) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("save volunteers' hours: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO volunteer_hours (id, note, updated_at, updated_by) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET note = excluded.note, updated_at = excluded.updated_at,
			updated_by = excluded.updated_by`, strings.TrimSpace(v.Note), s.db.now(), actor); err != nil {
		return fmt.Errorf("save volunteers' hours: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM volunteer_periods`); err != nil {
		return fmt.Errorf("save volunteers' hours: %w", err)
	}
	for d, ps := range v.Week {
		for _, p := range ps {
			if _, err := tx.ExecContext(ctx, `INSERT INTO volunteer_periods (weekday, start, until) VALUES (?, ?, ?)`,
				d, int(p.From), int(p.To)); err != nil {
				return fmt.Errorf("save volunteers' hours of %s: %w", time.Weekday(d), err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM volunteer_closures`); err != nil {
		return fmt.Errorf("save volunteers' hours: %w", err)
	}
	for _, c := range v.Closures {
		if _, err := tx.ExecContext(ctx, `INSERT INTO volunteer_closures (first, last, reason) VALUES (?, ?, ?)`,
			c.From.String(), c.Last().String(), strings.TrimSpace(c.Reason)); err != nil {
			return fmt.Errorf("save closure of %s: %w", c.From, err)
		}
	}
	return wrapf(tx.Commit(), "save volunteers' hours")
}

// SaveHouse stores h, which the caller validated (house.House.Validate).
// A value equal to its default is stored as no value, so it follows the
// config file again. actor is who saved it, for the table's own record.
func (s *HouseService) SaveHouse(ctx context.Context, h house.House, actor string) error {
	h = h.Normalise()
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("save house: %w", err)
	}
	defer tx.Rollback()
	d := s.defaults
	for _, v := range []struct {
		key, value, def string
	}{
		{houseName, h.Name, d.Name},
		{houseHours, strings.Join(h.Hours, "\n"), strings.Join(d.Hours, "\n")},
		{houseEmergency, strings.Join(h.Emergency, "\n"), strings.Join(d.Emergency, "\n")},
		{houseLanguage, h.Language, d.Language},
		{houseEmergencyIn, emergencyIn(h.EmergencyIn), emergencyIn(d.EmergencyIn)},
	} {
		if err := setHouse(ctx, tx, v.key, v.value, v.def, s.db.now(), actor); err != nil {
			return fmt.Errorf("save house %s: %w", v.key, err)
		}
	}
	return wrapf(tx.Commit(), "save house")
}

// emergencyIn stores the emergency lines per language as one JSON value;
// none is "".
func emergencyIn(m map[string][]string) string {
	if len(m) == 0 {
		return ""
	}
	b, _ := json.Marshal(m) // a map of strings always marshals
	return string(b)
}

// SetLanguage changes only the language each visitor starts in: the
// kiosk's staff mode sets it.
func (s *HouseService) SetLanguage(ctx context.Context, lang, actor string) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("save language: %w", err)
	}
	defer tx.Rollback()
	if err := setHouse(ctx, tx, houseLanguage, lang, s.defaults.Language, s.db.now(), actor); err != nil {
		return fmt.Errorf("save language: %w", err)
	}
	return wrapf(tx.Commit(), "save language")
}

// SetLanguages stores the languages the kiosk offers, in order, which the
// caller checked (house.CheckLanguages); none means all.
func (s *HouseService) SetLanguages(ctx context.Context, langs []string, actor string) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("save languages: %w", err)
	}
	defer tx.Rollback()
	if err := setHouse(ctx, tx, houseLanguages, house.JoinLanguages(langs), house.JoinLanguages(s.defaults.Languages), s.db.now(), actor); err != nil {
		return fmt.Errorf("save languages: %w", err)
	}
	return wrapf(tx.Commit(), "save languages")
}

// SetReadAloud stores the languages in which the kiosk reads each screen
// aloud by itself; none means none.
func (s *HouseService) SetReadAloud(ctx context.Context, langs []string, actor string) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("save read-aloud languages: %w", err)
	}
	defer tx.Rollback()
	if err := setHouse(ctx, tx, houseReadAloud, house.JoinLanguages(langs), house.JoinLanguages(s.defaults.ReadAloud), s.db.now(), actor); err != nil {
		return fmt.Errorf("save read-aloud languages: %w", err)
	}
	return wrapf(tx.Commit(), "save read-aloud languages")
}

// setHouse stores one value, or removes it when it equals the default.
func setHouse(ctx context.Context, tx *sql.Tx, key, value, def, now, actor string) error {
	if value == def {
		_, err := tx.ExecContext(ctx, `DELETE FROM house WHERE key = ?`, key)
		return err
	}
	var old string
	err := tx.QueryRowContext(ctx, `SELECT value FROM house WHERE key = ?`, key).Scan(&old)
	if err == nil && old == value {
		return nil // unchanged: keep who set it and when
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO house (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
			updated_by = excluded.updated_by`, key, value, now, actor)
	return err
}
