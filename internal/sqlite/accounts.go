package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

	"buurtbalie/internal/account"
)

// AccountService stores the accounts of volunteers and staff, their
// login sessions and the audit log. Passwords are checked and hashed
// before they reach it and never stored or logged; sessions are kept by
// the SHA-256 of their token.
//
// Login writes its own audit entries, because only the store knows
// whether a name that failed belongs to a user; for everything else the
// caller, who knows who asked, calls Audit.
type AccountService struct {
	db *DB
	// Rand is where session and CSRF tokens come from: crypto/rand
	// unless a test replaces it.
	Rand io.Reader
}

// NewAccountService returns the account store of db.
func NewAccountService(db *DB) *AccountService {
	return &AccountService{db: db, Rand: rand.Reader}
}

// seenEvery is how stale a session's last_seen may get before a request
// writes it anew: a page view then writes at most once a minute, and the
// idle expiry is off by at most as much.
const seenEvery = time.Minute

// CreateUser checks name, role and password, hashes the password and
// adds the user. A name another user has, in any case, is refused with
// account.ErrNameTaken; broken rules with account.ErrInvalid.
func (s *AccountService) CreateUser(ctx context.Context, name string, role account.Role, password string) (account.User, error) {
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
	// Hash before the transaction: the hash takes a quarter of a second,
	// too long to hold the write lock the kiosk also needs.
	hash, err := account.Hash(password)
	if err != nil {
		return account.User{}, err
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return account.User{}, fmt.Errorf("create user: %w", err)
	}
	defer tx.Rollback()
	var taken bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE name = ?)`, name).Scan(&taken); err != nil {
		return account.User{}, fmt.Errorf("create user: %w", err)
	}
	if taken {
		return account.User{}, fmt.Errorf("%w: there is already a user %q (perhaps disabled); choose another name, such as one with a surname", account.ErrNameTaken, name)
	}
	now := s.db.now()
	res, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, hash, created_at) VALUES (?, ?, ?, ?)`,
		name, string(role), hash, now)
	if err != nil {
		return account.User{}, fmt.Errorf("create user: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return account.User{}, fmt.Errorf("create user: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return account.User{}, fmt.Errorf("create user: %w", err)
	}
	created, _ := time.Parse(time.RFC3339, now)
	return account.User{ID: id, Name: name, Role: role, Created: created}, nil
}

// User returns the user with the given name (in any case), or an error
// matching account.ErrNotFound.
func (s *AccountService) User(ctx context.Context, name string) (account.User, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return account.User{}, fmt.Errorf("find user: %w", err)
	}
	defer tx.Rollback()
	u, _, err := findUser(ctx, tx, account.NormaliseName(name))
	if err != nil {
		return account.User{}, fmt.Errorf("find user %q: %w", name, err)
	}
	return u, nil
}

// Users returns every user, disabled ones too, by name.
func (s *AccountService) Users(ctx context.Context) ([]account.User, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, name, role, disabled, created_at FROM users ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	defer rows.Close()
	var users []account.User
	for rows.Next() {
		var (
			u       account.User
			role    string
			created string
		)
		if err := rows.Scan(&u.ID, &u.Name, &role, &u.Disabled, &created); err != nil {
			return nil, fmt.Errorf("users: %w", err)
		}
		u.Role = account.Role(role)
		if u.Created, err = time.Parse(time.RFC3339, created); err != nil {
			return nil, fmt.Errorf("user %d: created_at: %w", u.ID, err)
		}
		users = append(users, u)
	}
	return users, wrapf(rows.Err(), "users")
}

// findUser returns the user named name and their password hash, or
// account.ErrNotFound.
func findUser(ctx context.Context, tx *sql.Tx, name string) (account.User, string, error) {
	var (
		u       account.User
		role    string
		hash    string
		created string
	)
	err := tx.QueryRowContext(ctx, `SELECT id, name, role, hash, disabled, created_at FROM users WHERE name = ?`, name).
		Scan(&u.ID, &u.Name, &role, &hash, &u.Disabled, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return account.User{}, "", account.ErrNotFound
	}
	if err != nil {
		return account.User{}, "", err
	}
	u.Role = account.Role(role)
	if u.Created, err = time.Parse(time.RFC3339, created); err != nil {
		return account.User{}, "", fmt.Errorf("user %d: created_at: %w", u.ID, err)
	}
	return u, hash, nil
}

// DisableUser disables the named user and ends their sessions at once.
// The user stays, so the audit log's entries keep their name, and the
// name stays taken.
func (s *AccountService) DisableUser(ctx context.Context, name string) error {
	return s.changeUser(ctx, "disable user", account.NormaliseName(name), "disabled = 1")
}

// SetPassword checks and sets the named user's password or PIN, and ends
// their sessions: a password is changed when someone else may know it,
// so every phone logged in with it has to log in again.
func (s *AccountService) SetPassword(ctx context.Context, name, password string) error {
	name = account.NormaliseName(name)
	if err := account.CheckPassword(password); err != nil {
		return err
	}
	hash, err := account.Hash(password)
	if err != nil {
		return err
	}
	return s.changeUser(ctx, "set password of", name, "hash = ?", hash)
}

// changeUser sets what set says on the named user and ends their
// sessions, in one transaction; what names the change in errors.
func (s *AccountService) changeUser(ctx context.Context, what, name, set string, args ...any) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("%s %q: %w", what, name, err)
	}
	defer tx.Rollback()
	err = oneRow(tx.ExecContext(ctx, `UPDATE users SET `+set+` WHERE name = ?`, append(args, name)...))
	if errors.Is(err, ErrNotFound) {
		err = account.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("%s %q: %w", what, name, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)`, name); err != nil {
		return fmt.Errorf("%s %q: %w", what, name, err)
	}
	return wrapf(tx.Commit(), "%s %q", what, name)
}

// Login checks a name and password and audits the attempt. Every failure
// (unknown name, wrong password, disabled account) returns
// account.ErrBadLogin after the same work, so neither the answer nor the
// time it takes tells which names exist. Throttling is the caller's
// (account.Throttle), who knows the client's address.
//
// It reads the user in one transaction and writes the audit entry in
// another, with the password check between them: holding the write lock
// for the check's quarter of a second would stall the kiosk.
func (s *AccountService) Login(ctx context.Context, name, password string) (account.User, error) {
	u, hash, err := s.credentials(ctx, account.NormaliseName(name))
	if err != nil {
		return account.User{}, err
	}
	ok, e := account.CheckLogin(u, hash, password)
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return account.User{}, fmt.Errorf("login: %w", err)
	}
	defer tx.Rollback()
	if err := insertAudit(ctx, tx, s.db.now(), e); err != nil {
		return account.User{}, fmt.Errorf("login: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return account.User{}, fmt.Errorf("login: %w", err)
	}
	if !ok {
		return account.User{}, account.ErrBadLogin
	}
	return u, nil
}

// credentials returns the user named name and their password hash, or
// a zero user and "" when there is no such user.
func (s *AccountService) credentials(ctx context.Context, name string) (account.User, string, error) {
	if account.CheckName(name) != nil {
		return account.User{}, "", nil // no user can have that name
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return account.User{}, "", fmt.Errorf("login: %w", err)
	}
	defer tx.Rollback()
	u, hash, err := findUser(ctx, tx, name)
	if errors.Is(err, account.ErrNotFound) {
		return account.User{}, "", nil
	}
	if err != nil {
		return account.User{}, "", fmt.Errorf("login: %w", err)
	}
	return u, hash, nil
}

// CreateSession starts a session for the user with id userID, after
// Login. It returns the session token for the cookie, of which only the
// SHA-256 is stored, and the CSRF token the session's forms must carry
// (compare it in constant time, crypto/subtle).
func (s *AccountService) CreateSession(ctx context.Context, userID int64) (token, csrf string, err error) {
	if token, err = account.NewToken(s.Rand); err != nil {
		return "", "", err
	}
	if csrf, err = account.NewToken(s.Rand); err != nil {
		return "", "", err
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return "", "", fmt.Errorf("create session: %w", err)
	}
	defer tx.Rollback()
	var disabled bool
	err = tx.QueryRowContext(ctx, `SELECT disabled FROM users WHERE id = ?`, userID).Scan(&disabled)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", "", fmt.Errorf("create session for user %d: %w", userID, account.ErrNotFound)
	case err != nil:
		return "", "", fmt.Errorf("create session: %w", err)
	case disabled: // disabled between Login and now
		return "", "", account.ErrBadLogin
	}
	now := s.db.now()
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen) VALUES (?, ?, ?, ?, ?)`,
		account.HashToken(token), userID, csrf, now, now); err != nil {
		return "", "", fmt.Errorf("create session: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return "", "", fmt.Errorf("create session: %w", err)
	}
	return token, csrf, nil
}

// Session returns the user of the session with the given token and the
// session's CSRF token. A token that is unknown or malformed, a session
// idle for longer than account.SessionIdle, and one of a disabled user
// all return account.ErrNoSession. It marks the session as seen, writing
// at most once a minute.
func (s *AccountService) Session(ctx context.Context, token string) (u account.User, csrf string, err error) {
	if !account.ValidToken(token) {
		return account.User{}, "", account.ErrNoSession
	}
	idHash := account.HashToken(token)
	u, csrf, lastSeen, err := s.findSession(ctx, idHash)
	if err != nil {
		return account.User{}, "", err
	}
	if u.Disabled { // DisableUser ends sessions; this is belt and braces
		return account.User{}, "", account.ErrNoSession
	}
	idle := s.db.Now().Sub(lastSeen)
	if idle > account.SessionIdle {
		// Gone for good: delete it rather than leave it to a purge.
		if err := s.deleteSession(ctx, idHash); err != nil {
			return account.User{}, "", err
		}
		return account.User{}, "", account.ErrNoSession
	}
	if idle < seenEvery {
		return u, csrf, nil
	}
	// Seen again after a while: a second, short transaction, so that
	// most page views only read.
	if err := s.touchSession(ctx, idHash); err != nil {
		return account.User{}, "", err
	}
	return u, csrf, nil
}

// touchSession sets the last_seen of the session kept under idHash to
// now, or returns account.ErrNoSession when it ended meanwhile.
func (s *AccountService) touchSession(ctx context.Context, idHash string) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("session: %w", err)
	}
	defer tx.Rollback()
	err = oneRow(tx.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE id_hash = ?
		AND user_id IN (SELECT id FROM users WHERE disabled = 0)`, s.db.now(), idHash))
	if errors.Is(err, ErrNotFound) {
		return account.ErrNoSession
	}
	if err != nil {
		return fmt.Errorf("session: %w", err)
	}
	return wrapf(tx.Commit(), "session")
}

// findSession returns the session kept under idHash: its user, its CSRF
// token and when it was last seen.
func (s *AccountService) findSession(ctx context.Context, idHash string) (u account.User, csrf string, lastSeen time.Time, err error) {
	var role, created, seen string
	err = s.db.read().QueryRowContext(ctx, `SELECT u.id, u.name, u.role, u.disabled, u.created_at, s.csrf, s.last_seen
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`, idHash).
		Scan(&u.ID, &u.Name, &role, &u.Disabled, &created, &csrf, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return account.User{}, "", time.Time{}, account.ErrNoSession
	}
	if err != nil {
		return account.User{}, "", time.Time{}, fmt.Errorf("session: %w", err)
	}
	u.Role = account.Role(role)
	if u.Created, err = time.Parse(time.RFC3339, created); err != nil {
		return account.User{}, "", time.Time{}, fmt.Errorf("user %d: created_at: %w", u.ID, err)
	}
	if lastSeen, err = time.Parse(time.RFC3339, seen); err != nil {
		return account.User{}, "", time.Time{}, fmt.Errorf("session: last_seen: %w", err)
	}
	return u, csrf, lastSeen, nil
}

// deleteSession deletes the session kept under idHash.
func (s *AccountService) deleteSession(ctx context.Context, idHash string) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return wrapf(tx.Commit(), "end session")
}

// DeleteSession ends the session with the given token (logout). An
// unknown token is not an error: logging out twice is fine.
func (s *AccountService) DeleteSession(ctx context.Context, token string) error {
	if !account.ValidToken(token) {
		return nil
	}
	return s.deleteSession(ctx, account.HashToken(token))
}

// PurgeSessions deletes the sessions idle for longer than
// account.SessionIdle, which Session would refuse anyway, and returns
// how many there were; for the nightly purge.
func (s *AccountService) PurgeSessions(ctx context.Context) (int64, error) {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return 0, fmt.Errorf("purge sessions: %w", err)
	}
	defer tx.Rollback()
	before := s.db.Now().Add(-account.SessionIdle).UTC().Format(time.RFC3339)
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE last_seen < ?`, before)
	if err != nil {
		return 0, fmt.Errorf("purge sessions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("purge sessions: %w", err)
	}
	return n, wrapf(tx.Commit(), "purge sessions")
}

// Audit adds e to the audit log, stamped now. Detail must never hold a
// password or a question's text.
func (s *AccountService) Audit(ctx context.Context, e account.Entry) error {
	if err := e.Validate(); err != nil {
		return err
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	defer tx.Rollback()
	if err := insertAudit(ctx, tx, s.db.now(), e); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return wrapf(tx.Commit(), "audit %s", e.Action)
}

func insertAudit(ctx context.Context, tx *sql.Tx, at string, e account.Entry) error {
	var qid any // NULL for no question
	if e.QuestionID != 0 {
		qid = e.QuestionID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, question_id, detail) VALUES (?, ?, ?, ?, ?)`,
		at, e.Actor, e.Action, qid, e.Detail)
	return err
}

// AuditLog returns the newest limit entries of the audit log, newest
// first; limit 0 or less returns them all. Newest means last written,
// by id, not by time: a kiosk whose clock jumps at boot must not shuffle
// the log. (The index on at serves purging by date.)
func (s *AccountService) AuditLog(ctx context.Context, limit int) ([]account.Entry, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, at, actor, action, COALESCE(question_id, 0), detail
		FROM audit ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	var entries []account.Entry
	for rows.Next() {
		var (
			e  account.Entry
			at string
		)
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.QuestionID, &e.Detail); err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		if e.At, err = time.Parse(time.RFC3339, at); err != nil {
			return nil, fmt.Errorf("audit entry %d: at: %w", e.ID, err)
		}
		entries = append(entries, e)
	}
	return entries, wrapf(rows.Err(), "audit log")
}
