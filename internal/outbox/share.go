package outbox

import (
	"context"
	"errors"
	"time"

	"buurtbalie/internal/district"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/sharing"
)

// ShareStore is where the kiosk keeps what it shares with the other
// houses beside its figures, and what it has of theirs.
type ShareStore interface {
	PendingReferrals(ctx context.Context, n int) ([]district.Referral, error)
	ReferralsDone(ctx context.Context, a district.ReferralsAccepted) error
	Cursor(ctx context.Context) (int64, error)
	ApplyUpdates(ctx context.Context, u district.Updates) error
	Programme(ctx context.Context, from, to programme.Date) ([]programme.Occurrence, error)
	LastPublished(ctx context.Context) (hash string, at time.Time, err error)
	Published(ctx context.Context, hash string, at time.Time) error
	Location() *time.Location
}

// Share is what a Sender shares after the events: the referrals
// volunteers made to other houses, the house's programme, and the pull
// of what changed in the district.
type Share struct {
	Store ShareStore
	// PullEvery is how often, at most, the district is asked what
	// changed when nothing else is going on: a pull costs the kiosk a
	// request and a transaction, so once a minute keeps it far from the
	// 1 % of a core the sender may take.
	PullEvery time.Duration

	lastPull time.Time
}

// NewShare returns the sharing of store with the usual settings.
func NewShare(store ShareStore) *Share {
	return &Share{Store: store, PullEvery: time.Minute}
}

// maxPulls bounds the pulls of one round: a district with more to say
// than this many full Updates goes on at the next round.
const maxPulls = 50

// ShareOnce sends the referrals waiting; then, unless it looked less
// than PullEvery ago, publishes the programme when it changed (or once
// a day) and pulls what changed in the district until it has all. A
// refusal as revoked is handled as for the events.
func (s *Sender) ShareOnce(ctx context.Context) error {
	link, ok, err := s.Store.Link(ctx)
	if err != nil || !ok {
		return err
	}
	return s.shareOnce(ctx, link)
}

func (s *Sender) shareOnce(ctx context.Context, link district.Link) error {
	sh := s.Share
	if sh == nil || sh.Store == nil {
		return nil
	}
	if !link.Revoked.IsZero() {
		return ErrRevoked
	}
	referred, err := s.sendReferrals(ctx, link)
	if err != nil {
		return err
	}
	now := s.Now()
	if !referred && !sh.lastPull.IsZero() && now.Sub(sh.lastPull) < sh.PullEvery && !now.Before(sh.lastPull) {
		return nil // looked less than a minute ago: a referral waits for no one, the rest can
	}
	if err := s.publish(ctx, link); err != nil {
		return err
	}
	if err := s.pull(ctx, link); err != nil {
		return err
	}
	sh.lastPull = now
	return nil
}

// sendReferrals sends the referrals waiting, a batch at a time, and
// says whether it sent any.
func (s *Sender) sendReferrals(ctx context.Context, link district.Link) (bool, error) {
	sent := false
	for range maxPulls {
		rs, err := s.Share.Store.PendingReferrals(ctx, 100)
		if err != nil || len(rs) == 0 {
			return sent, err
		}
		var acc district.ReferralsAccepted
		if err := s.send(ctx, link, district.ReferralsPath, district.Referrals{Referrals: rs}, &acc); err != nil {
			return sent, err
		}
		if err := s.Share.Store.ReferralsDone(ctx, acc); err != nil {
			return sent, err
		}
		sent = true
		if len(acc.Accepted)+len(acc.Refused) == 0 {
			return sent, errors.New("the district answered the referrals with neither accepted nor refused ones")
		}
		s.Log.Info("referrals sent to the district", "accepted", len(acc.Accepted), "refused", len(acc.Refused))
	}
	return sent, nil
}

// publish sends the house's programme of today and the days after it
// when it changed since it was last published, or was not yet today.
func (s *Sender) publish(ctx context.Context, link district.Link) error {
	st := s.Share.Store
	now := s.Now()
	loc := st.Location()
	today := programme.DateOf(now.In(loc))
	to := today.AddDays(district.ProgrammeDays - 1)
	occs, err := st.Programme(ctx, today, to)
	if err != nil {
		return err
	}
	p := sharing.Publish(occs, today, to, now)
	hash := sharing.Fingerprint(p)
	last, lastAt, err := st.LastPublished(ctx)
	if err != nil {
		return err
	}
	if !sharing.Due(hash, last, lastAt, now, loc) {
		return nil
	}
	var out struct{}
	if err := s.send(ctx, link, district.ProgrammePath, p, &out); err != nil {
		return err
	}
	s.Log.Debug("programme published to the district", "activities", len(p.Activities))
	return st.Published(ctx, hash, now)
}

// pull asks the district what changed after the kiosk's cursor, and
// keeps each answer with its cursor, until the district has no more.
func (s *Sender) pull(ctx context.Context, link district.Link) error {
	for range maxPulls {
		after, err := s.Share.Store.Cursor(ctx)
		if err != nil {
			return err
		}
		var u district.Updates
		if err := s.send(ctx, link, district.UpdatesPath, district.UpdatesRequest{After: after}, &u); err != nil {
			return err
		}
		if u.Cursor < after {
			// See district.Updates: the store starts over with it.
			s.Log.Warn("the district starts its updates over (restored from a backup?)", "cursor", u.Cursor, "was", after)
		}
		if err := s.Share.Store.ApplyUpdates(ctx, u); err != nil {
			return err
		}
		if len(u.Referrals) > 0 {
			s.Log.Info("questions referred to this house by another", "n", len(u.Referrals))
		}
		if !u.More || u.Cursor == after {
			return nil
		}
	}
	return nil
}
