package postgres

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"

	"buurtbalie/internal/account"
)

// Accounts is the district's staff accounts, sessions and audit log: what
// the web pages need of an account store (web.Accounts), with the rules
// of internal/account, as a house keeps them in SQLite.
type Accounts struct {
	db *DB
	// Now is the clock sessions age by; time.Now unless a test sets it.
	Now func() time.Time
	// Rand is where session tokens come from; crypto/rand unless a test
	// sets it.
	Rand io.Reader
}

// Accounts returns the district's account store.
func (db *DB) Accounts() *Accounts {
	return &Accounts{db: db, Now: time.Now, Rand: rand.Reader}
}

// seenEvery is how stale a session's last_seen may be before a request
// writes it again: a write per request would be a write per page view.
const seenEvery = time.Minute

// CreateUser adds a user with the checked name, role and password.
func (a *Accounts) CreateUser(ctx context.Context, name string, role account.Role, password string) (account.User, error) {
	name = account.NormaliseName(name)
	if err := account.CheckName(name); err != nil {
		return account.User{}, err
	}
	role, err := account.ParseRole(string(role))
	if err != nil {
		return account.User{}, err
	}
	if err := account.CheckPassword(password); err != nil {
		return account.User{}, err
	}
	hash, err := account.Hash(password)
	if err != nil {
		return account.User{}, err
	}
	u := account.User{Name: name, Role: role, Created: a.Now().UTC().Truncate(time.Microsecond)}
	err = a.db.pool.QueryRow(ctx, `INSERT INTO users (name, role, hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		name, string(role), hash, u.Created).Scan(&u.ID)
	if isUniqueViolation(err) {
		return account.User{}, fmt.Errorf("%w: there is already a user %q (perhaps disabled); choose another name, such as one with a surname", account.ErrNameTaken, name)
	}
	if err != nil {
		return account.User{}, fmt.Errorf("create user: %w", err)
	}
	return u, nil
}

const userColumns = `id, name, role, disabled, created_at`

func scanUser(row pgx.Row, extra ...any) (account.User, error) {
	var u account.User
	var role string
	err := row.Scan(append([]any{&u.ID, &u.Name, &role, &u.Disabled, &u.Created}, extra...)...)
	u.Role = account.Role(role)
	return u, err
}

// Users returns every user, disabled ones too, by name.
func (a *Accounts) Users(ctx context.Context) ([]account.User, error) {
	rows, err := a.db.pool.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY lower(name), id`)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	users, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (account.User, error) { return scanUser(row) })
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return users, nil
}

// DisableUser keeps name from logging in and ends their sessions.
func (a *Accounts) DisableUser(ctx context.Context, name string) error {
	return a.changeUser(ctx, "disable user", name, `disabled = true`)
}

// SetPassword gives name a new, checked password and ends their sessions.
func (a *Accounts) SetPassword(ctx context.Context, name, password string) error {
	if err := account.CheckPassword(password); err != nil {
		return err
	}
	hash, err := account.Hash(password)
	if err != nil {
		return err
	}
	return a.changeUser(ctx, "set password of", name, `hash = $2`, hash)
}

// changeUser sets set on the user name ($1) and ends their sessions, in
// one transaction: a disabled user or an old password keeps no session.
func (a *Accounts) changeUser(ctx context.Context, what, name, set string, args ...any) error {
	name = account.NormaliseName(name)
	err := pgx.BeginFunc(ctx, a.db.pool, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `UPDATE users SET `+set+` WHERE lower(name) = lower($1) RETURNING id`, append([]any{name}, args...)...).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return account.ErrNotFound
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("%s %q: %w", what, name, err)
	}
	return nil
}

// Login checks a name and password and audits the attempt; every failure
// is account.ErrBadLogin after the same work (account.CheckLogin).
// Throttling is the caller's, who knows the client's address.
func (a *Accounts) Login(ctx context.Context, name, password string) (account.User, error) {
	name = account.NormaliseName(name)
	var u account.User
	var hash string
	if account.CheckName(name) == nil { // else no user can have that name
		var err error
		u, err = scanUser(a.db.pool.QueryRow(ctx, `SELECT `+userColumns+`, hash FROM users WHERE lower(name) = lower($1)`, name), &hash)
		if errors.Is(err, pgx.ErrNoRows) {
			u, err = account.User{}, nil
		}
		if err != nil {
			return account.User{}, fmt.Errorf("login: %w", err)
		}
	}
	ok, e := account.CheckLogin(u, hash, password)
	if err := a.Audit(ctx, e); err != nil {
		return account.User{}, fmt.Errorf("login: %w", err)
	}
	if !ok {
		return account.User{}, account.ErrBadLogin
	}
	return u, nil
}

// CreateSession starts a session for the user: its token, for the
// cookie, and the CSRF token its forms carry. Only the token's hash is
// kept, so a copy of the database opens no session.
func (a *Accounts) CreateSession(ctx context.Context, userID int64) (token, csrf string, err error) {
	if token, err = account.NewToken(a.Rand); err != nil {
		return "", "", err
	}
	if csrf, err = account.NewToken(a.Rand); err != nil {
		return "", "", err
	}
	now := a.Now()
	// Only for a user that is there and not disabled (perhaps just now,
	// between Login and here).
	tag, err := a.db.pool.Exec(ctx, `INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen)
		SELECT $1, id, $3, $4, $4 FROM users WHERE id = $2 AND NOT disabled`,
		account.HashToken(token), userID, csrf, now)
	if err != nil {
		return "", "", fmt.Errorf("create session: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return "", "", account.ErrBadLogin
	}
	return token, csrf, nil
}

// Session returns the user of the session with token, and its CSRF
// token; account.ErrNoSession for an unknown one, one of a disabled user
// or one idle for longer than account.SessionIdle (which it ends).
func (a *Accounts) Session(ctx context.Context, token string) (account.User, string, error) {
	if !account.ValidToken(token) {
		return account.User{}, "", account.ErrNoSession
	}
	idHash := account.HashToken(token)
	var csrf string
	var lastSeen time.Time
	u, err := scanUser(a.db.pool.QueryRow(ctx, `SELECT u.id, u.name, u.role, u.disabled, u.created_at, s.csrf, s.last_seen
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = $1`, idHash), &csrf, &lastSeen)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && u.Disabled {
		return account.User{}, "", account.ErrNoSession
	}
	if err != nil {
		return account.User{}, "", fmt.Errorf("session: %w", err)
	}
	now := a.Now()
	idle := now.Sub(lastSeen)
	if idle > account.SessionIdle {
		if err := a.deleteSession(ctx, idHash); err != nil {
			return account.User{}, "", err
		}
		return account.User{}, "", account.ErrNoSession
	}
	if idle >= seenEvery {
		if _, err := a.db.pool.Exec(ctx, `UPDATE sessions SET last_seen = $2 WHERE id_hash = $1`, idHash, now); err != nil {
			return account.User{}, "", fmt.Errorf("session: %w", err)
		}
	}
	return u, csrf, nil
}

// DeleteSession ends the session with token (logout); an unknown token
// is not an error, so logging out twice is fine.
func (a *Accounts) DeleteSession(ctx context.Context, token string) error {
	if !account.ValidToken(token) {
		return nil
	}
	return a.deleteSession(ctx, account.HashToken(token))
}

func (a *Accounts) deleteSession(ctx context.Context, idHash string) error {
	if _, err := a.db.pool.Exec(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// PurgeSessions deletes the sessions idle for longer than
// account.SessionIdle, which Session would refuse anyway.
func (a *Accounts) PurgeSessions(ctx context.Context) (int64, error) {
	tag, err := a.db.pool.Exec(ctx, `DELETE FROM sessions WHERE last_seen < $1`, a.Now().Add(-account.SessionIdle))
	if err != nil {
		return 0, fmt.Errorf("purge sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}

// Audit adds e to the audit log, stamped now. Detail must never hold a
// password; the district has no questions, so e.QuestionID is not kept.
func (a *Accounts) Audit(ctx context.Context, e account.Entry) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if _, err := a.db.pool.Exec(ctx, `INSERT INTO audit (at, actor, action, detail) VALUES ($1, $2, $3, $4)`,
		a.Now(), e.Actor, e.Action, e.Detail); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditLog returns the newest limit entries, newest (last written)
// first; limit 0 or less returns them all.
func (a *Accounts) AuditLog(ctx context.Context, limit int) ([]account.Entry, error) {
	var lim any // NULL: LIMIT ALL
	if limit > 0 {
		lim = limit
	}
	rows, err := a.db.pool.Query(ctx, `SELECT id, at, actor, action, detail FROM audit ORDER BY id DESC LIMIT $1`, lim)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	entries, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (account.Entry, error) {
		var e account.Entry
		err := row.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.Detail)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return entries, nil
}

// Languages returns the languages the user said they speak, sorted.
func (a *Accounts) Languages(ctx context.Context, userID int64) ([]string, error) {
	return a.strings(ctx, fmt.Sprintf("languages of user %d", userID),
		`SELECT lang FROM account_languages WHERE user_id = $1 ORDER BY lang`, userID)
}

// SetLanguages replaces the languages the user speaks with langs, which
// the caller checked (account.CheckLanguages).
func (a *Accounts) SetLanguages(ctx context.Context, userID int64, langs []string) error {
	err := pgx.BeginFunc(ctx, a.db.pool, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM users WHERE id = $1`, userID).Scan(&one); errors.Is(err, pgx.ErrNoRows) {
			return account.ErrNotFound
		} else if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM account_languages WHERE user_id = $1`, userID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO account_languages (user_id, lang) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, userID, langs)
		return err
	})
	if err != nil {
		return fmt.Errorf("set languages of user %d: %w", userID, err)
	}
	return nil
}

// OnDutyLanguages returns the languages spoken by the users on duty:
// not disabled, with a session seen within account.OnDutyWithin.
func (a *Accounts) OnDutyLanguages(ctx context.Context) ([]string, error) {
	return a.strings(ctx, "languages on duty", `SELECT DISTINCT l.lang FROM account_languages l
		JOIN users u ON u.id = l.user_id
		WHERE NOT u.disabled AND EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id AND s.last_seen >= $1)
		ORDER BY l.lang`, a.Now().Add(-account.OnDutyWithin))
}

func (a *Accounts) strings(ctx context.Context, what, query string, args ...any) ([]string, error) {
	rows, err := a.db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}
