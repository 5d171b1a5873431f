package subscription

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"buurtbalie/internal/calendar"
	"buurtbalie/internal/programme"
)

// Store is what a Refresher needs of the store (internal/sqlite's
// SubscriptionService).
type Store interface {
	Subscriptions(ctx context.Context) ([]Subscription, error)
	Subscription(ctx context.Context, id int64) (Subscription, error)
	Categories(ctx context.Context) ([]programme.Category, error)
	// Refreshed applies the feed of subscription id, owned by it, and
	// records the success, in one transaction; an error changes
	// nothing (then Failed records it).
	Refreshed(ctx context.Context, id int64, imp calendar.Import) (calendar.Report, error)
	// Failed records a try that failed.
	Failed(ctx context.Context, id int64, f Failure) error
}

// Refresher fetches the feeds that are due and applies them. Make one
// with its fields set; Run loops until its context ends.
type Refresher struct {
	Store Store
	// Fetch gets the feed at url (internal/feed's Client.Fetch). An
	// error that is a *Failure keeps its reason.
	Fetch func(ctx context.Context, url string) ([]byte, error)
	// Now returns the current time; nil for time.Now.
	Now func() time.Time
	// Location is the house's time zone; nil for Europe/Amsterdam.
	Location *time.Location
	// Every is how often Run looks for due subscriptions; zero is a
	// minute.
	Every time.Duration
	// Log gets a line per refresh, with the address redacted; nil
	// logs nothing.
	Log *slog.Logger

	// one refresh at a time: the loop's and a staff member's "Nu
	// bijwerken" of the same feed would otherwise fetch it twice.
	mu sync.Mutex
}

// Run refreshes every due subscription now and then every minute, until
// ctx ends. A failing refresh is recorded and logged; the loop carries
// on.
func (r *Refresher) Run(ctx context.Context) {
	every := r.Every
	if every <= 0 {
		every = time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		r.RefreshDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RefreshDue refreshes the subscriptions that are due, one after the
// other.
func (r *Refresher) RefreshDue(ctx context.Context) {
	subs, err := r.Store.Subscriptions(ctx)
	if err != nil {
		r.log().Error("subscriptions: list", "err", err)
		return
	}
	now := r.now()
	for _, s := range subs {
		if ctx.Err() != nil {
			return
		}
		if s.Due(now) {
			r.Refresh(ctx, s.ID) // logged and recorded
		}
	}
}

// Refresh fetches the feed of subscription id and applies it, or records
// why it could not. It returns the report, or the failure (a *Failure)
// or an error of the store.
func (r *Refresher) Refresh(ctx context.Context, id int64) (calendar.Report, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, err := r.Store.Subscription(ctx, id)
	if err != nil {
		return calendar.Report{}, fmt.Errorf("refresh subscription %d: %w", id, err)
	}
	rep, err := r.refresh(ctx, s)
	if err == nil {
		r.log().Info("subscription refreshed", "id", s.ID, "url", Redact(s.URL),
			"added", rep.Added, "changed", rep.Changed, "removed", rep.Removed, "skipped", len(rep.Skipped))
		return rep, nil
	}
	if ctx.Err() != nil {
		// Shutting down is not the feed's fault.
		return rep, ctx.Err()
	}
	f := failureOf(err)
	args := []any{"id", s.ID, "url", Redact(s.URL), "reason", f.Reason, "err", f.Detail}
	if f.Cause != "" {
		args = append(args, "cause", f.Cause)
	}
	r.log().Warn("subscription refresh failed; the programme keeps what it had", args...)
	recorded := *f
	recorded.Cause = "" // for the log, not for staff
	if rerr := r.Store.Failed(ctx, s.ID, recorded); rerr != nil {
		return rep, errors.Join(f, rerr)
	}
	return rep, f
}

func (r *Refresher) refresh(ctx context.Context, s Subscription) (calendar.Report, error) {
	data, err := r.Fetch(ctx, s.URL)
	if err != nil {
		return calendar.Report{}, err
	}
	// A web page where the feed should be (a login, "not found" with
	// status 200) is the likely mistake; say so rather than name a line.
	if t := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n"); !bytes.HasPrefix(bytes.ToUpper(t[:min(len(t), 15)]), []byte("BEGIN:VCALENDAR")) {
		return calendar.Report{}, &Failure{Reason: importPrefix + "unknown_format",
			Detail: fmt.Sprintf("%s gives no calendar: it does not start with BEGIN:VCALENDAR", Redact(s.URL))}
	}
	cats, err := r.Store.Categories(ctx)
	if err != nil {
		return calendar.Report{}, err
	}
	imp, err := calendar.ParseICS(bytes.NewReader(data), calendar.Options{Now: r.now(), Location: r.Location, Categories: cats})
	if err != nil {
		return calendar.Report{}, err
	}
	// A feed that brought activities and now has no event at all is far
	// more likely a server answering wrongly (an emptied export, a
	// calendar behind a new login) than a house whose whole programme
	// ended: keep the programme and say so. Staff who mean it remove the
	// subscription.
	if len(imp.Sources) == 0 && s.Report.Events > 0 {
		return calendar.Report{}, &Failure{Reason: ReasonEmpty,
			Detail: fmt.Sprintf("%s has no events any more (it had %d); the programme keeps them", Redact(s.URL), s.Report.Events)}
	}
	imp.Name = Redact(s.URL)
	imp.Own(Owner(s.ID))
	rep, err := r.Store.Refreshed(ctx, s.ID, imp)
	var inv *programme.InvalidError
	if errors.As(err, &inv) {
		return rep, &Failure{Reason: importPrefix + inv.Reason, Detail: err.Error()}
	}
	return rep, err
}

func (r *Refresher) now() time.Time {
	if r.Now == nil {
		return time.Now()
	}
	return r.Now()
}

func (r *Refresher) log() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}
