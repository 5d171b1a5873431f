package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"buurtbalie/internal/calendar"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/subscription"
)

// SubscriptionService stores the calendar feeds the programme follows
// (see package subscription) and applies what they fetched.
type SubscriptionService struct {
	db *DB
}

// NewSubscriptionService returns the subscription store of db.
func NewSubscriptionService(db *DB) *SubscriptionService {
	return &SubscriptionService{db: db}
}

const subscriptionColumns = `id, url, interval_minutes, added_at, added_by, last_try_at, last_ok_at, last_error, last_detail, report`

// Subscriptions returns every subscription, the oldest first.
func (s *SubscriptionService) Subscriptions(ctx context.Context) ([]subscription.Subscription, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+subscriptionColumns+` FROM subscriptions ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: %w", err)
	}
	defer rows.Close()
	var out []subscription.Subscription
	for rows.Next() {
		sub, err := scanSubscription(rows)
		if err != nil {
			return nil, fmt.Errorf("subscriptions: %w", err)
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subscriptions: %w", err)
	}
	return out, nil
}

// Subscription returns subscription id, or ErrNotFound.
func (s *SubscriptionService) Subscription(ctx context.Context, id int64) (subscription.Subscription, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return subscription.Subscription{}, fmt.Errorf("subscription %d: %w", id, err)
	}
	defer tx.Rollback()
	sub, err := scanSubscription(tx.QueryRowContext(ctx, `SELECT `+subscriptionColumns+` FROM subscriptions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sub, fmt.Errorf("subscription %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return sub, fmt.Errorf("subscription %d: %w", id, err)
	}
	return sub, nil
}

func scanSubscription(row interface{ Scan(...any) error }) (subscription.Subscription, error) {
	var (
		sub                        subscription.Subscription
		minutes                    int
		added, try, ok             string
		reason, detail, reportJSON string
	)
	if err := row.Scan(&sub.ID, &sub.URL, &minutes, &added, &sub.AddedBy, &try, &ok, &reason, &detail, &reportJSON); err != nil {
		return sub, err
	}
	sub.Interval = time.Duration(minutes) * time.Minute
	var err error
	for _, t := range []struct {
		dst *time.Time
		src string
	}{{&sub.AddedAt, added}, {&sub.LastTry, try}, {&sub.LastOK, ok}} {
		if t.src == "" {
			continue
		}
		if *t.dst, err = time.Parse(time.RFC3339, t.src); err != nil {
			return sub, fmt.Errorf("subscription %d: %w", sub.ID, err)
		}
	}
	if reason != "" {
		sub.Failure = &subscription.Failure{Reason: reason, Detail: detail}
	}
	if err := json.Unmarshal([]byte(reportJSON), &sub.Report); err != nil {
		return sub, fmt.Errorf("subscription %d: report: %w", sub.ID, err)
	}
	return sub, nil
}

// AddSubscription adds the feed at rawURL, fetched every interval, added
// by the staff member by. It refuses (a *subscription.InvalidError) an
// address that is not http or https, an interval out of bounds, and an
// address already followed.
func (s *SubscriptionService) AddSubscription(ctx context.Context, rawURL string, interval time.Duration, by string) (subscription.Subscription, error) {
	u, err := subscription.CheckURL(rawURL)
	if err != nil {
		return subscription.Subscription{}, err
	}
	if err := subscription.CheckInterval(interval); err != nil {
		return subscription.Subscription{}, err
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return subscription.Subscription{}, fmt.Errorf("add subscription: %w", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM subscriptions WHERE url = ?`, u).Scan(&n); err != nil {
		return subscription.Subscription{}, fmt.Errorf("add subscription: %w", err)
	}
	if n > 0 {
		return subscription.Subscription{}, &subscription.InvalidError{Reason: "url_twice", Detail: "the programme follows this address already"}
	}
	now := s.db.now()
	res, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (url, interval_minutes, added_at, added_by) VALUES (?, ?, ?, ?)`,
		u, int(interval/time.Minute), now, by)
	if err != nil {
		return subscription.Subscription{}, fmt.Errorf("add subscription: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return subscription.Subscription{}, fmt.Errorf("add subscription: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return subscription.Subscription{}, fmt.Errorf("add subscription: %w", err)
	}
	added, _ := time.Parse(time.RFC3339, now)
	return subscription.Subscription{ID: id, URL: u, Interval: interval.Truncate(time.Minute), AddedAt: added, AddedBy: by}, nil
}

// RemoveSubscription removes subscription id and every activity it put
// on the programme, in one transaction, and returns how many activities
// went. An unknown id is ErrNotFound.
func (s *SubscriptionService) RemoveSubscription(ctx context.Context, id int64) (int, error) {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return 0, fmt.Errorf("remove subscription %d: %w", id, err)
	}
	defer tx.Rollback()
	if err := oneRow(tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE id = ?`, id)); err != nil {
		return 0, fmt.Errorf("remove subscription %d: %w", id, err)
	}
	lo, hi := ownerRange(subscription.Owner(id))
	res, err := tx.ExecContext(ctx, `DELETE FROM activities WHERE source >= ? AND source < ? AND demo = 0`, lo, hi)
	if err != nil {
		return 0, fmt.Errorf("remove subscription %d: activities: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("remove subscription %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("remove subscription %d: %w", id, err)
	}
	return int(n), nil
}

// Categories returns the programme's categories, which a feed's
// CATEGORIES are matched to.
func (s *SubscriptionService) Categories(ctx context.Context) ([]programme.Category, error) {
	return NewProgrammeService(s.db).Categories(ctx)
}

// Refreshed applies the feed fetched for subscription id, an import owned
// by it, and records the success, in one transaction: so a subscription
// removed meanwhile gets no activities back (ErrNotFound), and a refused
// import changes neither the programme nor the record (record it with
// Failed). An import that changed the programme is also in the imports
// log; one that changed nothing is not, or a feed fetched every 15
// minutes would fill it.
func (s *SubscriptionService) Refreshed(ctx context.Context, id int64, imp calendar.Import) (calendar.Report, error) {
	report := imp.Report
	if want := subscription.Owner(id); imp.Owner != want {
		return report, fmt.Errorf("refresh subscription %d: the import is owned by %q, not %q", id, imp.Owner, want)
	}
	if err := checkImport(imp); err != nil {
		return report, err
	}
	// Like ApplyImport, the plan is made from a read snapshot and only
	// applied under the write lock: the refresh runs inside the kiosk,
	// next to the visitors' questions.
	exists := func(ctx context.Context, tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM subscriptions WHERE id = ?`, id).Scan(&n); err != nil {
			return fmt.Errorf("refresh subscription %d: %w", id, err)
		}
		if n == 0 {
			return fmt.Errorf("refresh subscription %d: %w", id, ErrNotFound)
		}
		return nil
	}
	record := func(ctx context.Context, tx *sql.Tx, report calendar.Report, now string) error {
		js, err := json.Marshal(report)
		if err != nil {
			return fmt.Errorf("refresh subscription %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `
		UPDATE subscriptions SET last_try_at = ?, last_ok_at = ?, last_error = '', last_detail = '',
			events = ?, added = ?, changed = ?, unchanged = ?, removed = ?, skipped = ?, report = ?
		WHERE id = ?`,
			now, now, report.Events, report.Added, report.Changed, report.Unchanged, report.Removed, len(report.Skipped), string(js), id); err != nil {
			return fmt.Errorf("refresh subscription %d: record: %w", id, err)
		}
		if report.Added+report.Changed+report.Removed > 0 {
			if err := recordImport(ctx, tx, imp, report, now); err != nil {
				return fmt.Errorf("refresh subscription %d: record: %w", id, err)
			}
		}
		return nil
	}
	return s.db.writeImport(ctx, imp, importWrite{before: exists, after: record})
}

// Failed records a try of subscription id that failed, and why. The
// programme, the time of the last good refresh and its counts stay.
func (s *SubscriptionService) Failed(ctx context.Context, id int64, f subscription.Failure) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("record failed refresh of subscription %d: %w", id, err)
	}
	defer tx.Rollback()
	reason := f.Reason
	if reason == "" {
		reason = subscription.ReasonOther
	}
	if err := oneRow(tx.ExecContext(ctx, `UPDATE subscriptions SET last_try_at = ?, last_error = ?, last_detail = ? WHERE id = ?`,
		s.db.now(), reason, shorten(f.Detail, 500), id)); err != nil {
		return fmt.Errorf("record failed refresh of subscription %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record failed refresh of subscription %d: %w", id, err)
	}
	return nil
}

// shorten keeps at most n bytes of s, on a character boundary.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
