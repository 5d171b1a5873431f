package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"buurtbalie/internal/district"
)

// House is a neighbourhood house of the district.
type House struct {
	ID      int64
	Name    string
	Created time.Time
	Revoked time.Time // zero while the house may send

	// Filled in by Houses only.
	Kiosks     int       // kiosks that joined
	LastReport time.Time // when a kiosk of the house last sent a batch; zero if never
}

// Kiosk is a kiosk that joined, as a request proves itself against it.
type Kiosk struct {
	ID      string
	HouseID int64
	House   string // the house's name
	Key     string // the kiosk's secret key
	Revoked bool   // its house is revoked
}

// ErrHouseTaken is matched (errors.Is) by AddHouse's error for a name
// another house of the district has.
var ErrHouseTaken = errors.New("a house of the district has this name")

type houseTaken struct{ name string }

func (e houseTaken) Error() string {
	return fmt.Sprintf("there is already a house named %q: choose another name, or use that house", e.name)
}

func (e houseTaken) Is(target error) bool { return target == ErrHouseTaken }

// AddHouse adds a house named name; a name another house has gives an
// error matching ErrHouseTaken.
func (db *DB) AddHouse(ctx context.Context, name string, now time.Time) (House, error) {
	h := House{Name: name, Created: now}
	err := db.pool.QueryRow(ctx, "INSERT INTO houses (name, created_at) VALUES ($1, $2) RETURNING id", name, now).Scan(&h.ID)
	if isUniqueViolation(err) {
		return House{}, houseTaken{name}
	}
	if err != nil {
		return House{}, fmt.Errorf("add house %q: %w", name, err)
	}
	return h, nil
}

// Houses returns the district's houses by name, with their kiosks and
// when they last reported.
func (db *DB) Houses(ctx context.Context) ([]House, error) {
	// The last report is the kiosks' last_seen_at, which Accept sets with
	// each batch: the events' own received_at would mean reading a
	// house's every event to list the houses.
	rows, err := db.pool.Query(ctx, `SELECT h.id, h.name, h.created_at, h.revoked_at, count(k.id), max(k.last_seen_at)
		FROM houses h LEFT JOIN kiosks k ON k.house_id = h.id
		GROUP BY h.id ORDER BY h.name`)
	if err != nil {
		return nil, fmt.Errorf("list houses: %w", err)
	}
	houses, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (House, error) {
		var h House
		var revoked, last *time.Time
		err := row.Scan(&h.ID, &h.Name, &h.Created, &revoked, &h.Kiosks, &last)
		h.Revoked, h.LastReport = orZero(revoked), orZero(last)
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("list houses: %w", err)
	}
	return houses, nil
}

// HouseByName returns the house named name, or ErrNotFound.
func (db *DB) HouseByName(ctx context.Context, name string) (House, error) {
	h, err := db.house(ctx, "name = $1", name)
	if err != nil {
		return House{}, fmt.Errorf("house %q: %w", name, err)
	}
	return h, nil
}

// HouseByID returns the house with id, or ErrNotFound.
func (db *DB) HouseByID(ctx context.Context, id int64) (House, error) {
	h, err := db.house(ctx, "id = $1", id)
	if err != nil {
		return House{}, fmt.Errorf("house %d: %w", id, err)
	}
	return h, nil
}

// house returns the one house where cond holds for arg, without its
// kiosks.
func (db *DB) house(ctx context.Context, cond string, arg any) (House, error) {
	var h House
	var revoked *time.Time
	err := db.pool.QueryRow(ctx, "SELECT id, name, created_at, revoked_at FROM houses WHERE "+cond, arg).
		Scan(&h.ID, &h.Name, &h.Created, &revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return House{}, ErrNotFound
	}
	if err != nil {
		return House{}, err
	}
	h.Revoked = orZero(revoked)
	return h, nil
}

// Revoke refuses the house from now on: its kiosks' requests and its
// enrolment codes. The figures it sent stay.
func (db *DB) Revoke(ctx context.Context, houseID int64, now time.Time) error {
	tag, err := db.pool.Exec(ctx, "UPDATE houses SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1", houseID, now)
	if err != nil {
		return fmt.Errorf("revoke house %d: %w", houseID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("revoke house %d: %w", houseID, ErrNotFound)
	}
	return nil
}

// NewEnrolment keeps the hash of a new enrolment code for the house,
// good once until expires.
func (db *DB) NewEnrolment(ctx context.Context, houseID int64, codeHash string, expires time.Time) error {
	_, err := db.pool.Exec(ctx, "INSERT INTO enrolments (code_hash, house_id, expires_at) VALUES ($1, $2, $3)", codeHash, houseID, expires)
	if err != nil {
		return fmt.Errorf("new enrolment code for house %d: %w", houseID, err)
	}
	return nil
}

// Enrol lets a kiosk join with the code whose hash is codeHash: the
// code is used up and the kiosk kept with its key. It returns the house
// the kiosk joined, or ErrBadCode.
func (db *DB) Enrol(ctx context.Context, codeHash, kioskID, key string, now time.Time) (House, error) {
	var h House
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		// FOR UPDATE: two kiosks joining with one code at once take
		// turns, and the second finds it used.
		var expires time.Time
		var used, revoked *time.Time
		err := tx.QueryRow(ctx, `SELECT h.id, h.name, h.created_at, h.revoked_at, e.expires_at, e.used_at
			FROM enrolments e JOIN houses h ON h.id = e.house_id
			WHERE e.code_hash = $1 FOR UPDATE OF e`, codeHash).
			Scan(&h.ID, &h.Name, &h.Created, &revoked, &expires, &used)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrBadCode
		}
		if err != nil {
			return err
		}
		if used != nil || revoked != nil || !now.Before(expires) {
			return ErrBadCode
		}
		if _, err := tx.Exec(ctx, "UPDATE enrolments SET used_at = $2, used_by_kiosk = $3 WHERE code_hash = $1", codeHash, now, kioskID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "INSERT INTO kiosks (id, house_id, key, joined_at) VALUES ($1, $2, $3, $4)", kioskID, h.ID, key, now)
		return err
	})
	if errors.Is(err, ErrBadCode) {
		return House{}, ErrBadCode
	}
	if err != nil {
		return House{}, fmt.Errorf("enrol kiosk: %w", err)
	}
	return h, nil
}

// Kiosk returns the kiosk kioskID, or district.ErrUnknown.
func (db *DB) Kiosk(ctx context.Context, kioskID string) (Kiosk, error) {
	k := Kiosk{ID: kioskID}
	err := db.pool.QueryRow(ctx, `SELECT k.house_id, h.name, k.key, h.revoked_at IS NOT NULL
		FROM kiosks k JOIN houses h ON h.id = k.house_id WHERE k.id = $1`, kioskID).
		Scan(&k.HouseID, &k.House, &k.Key, &k.Revoked)
	if errors.Is(err, pgx.ErrNoRows) {
		return Kiosk{}, district.ErrUnknown
	}
	if err != nil {
		return Kiosk{}, fmt.Errorf("kiosk %s: %w", kioskID, err)
	}
	return k, nil
}

// UseNonce records a request's nonce, or returns district.ErrReplay if
// the kiosk used it before. Nonces older than twice district.MaxSkew go:
// a request that old is refused for its time already.
func (db *DB) UseNonce(ctx context.Context, kioskID, nonce string, at time.Time) error {
	var fresh bool
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM nonces WHERE kiosk_id = $1 AND seen_at < $2", kioskID, at.Add(-2*district.MaxSkew)); err != nil {
			return err
		}
		// A request with the same nonce at the same moment waits here
		// for this one to commit, and then finds it.
		tag, err := tx.Exec(ctx, "INSERT INTO nonces (kiosk_id, nonce, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", kioskID, nonce, at)
		fresh = tag.RowsAffected() == 1
		return err
	})
	if err != nil {
		return fmt.Errorf("kiosk %s: nonce: %w", kioskID, err)
	}
	if !fresh {
		return district.ErrReplay
	}
	return nil
}

func orZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
