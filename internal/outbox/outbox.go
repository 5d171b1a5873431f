// Package outbox sends what a kiosk shares with its district: it joins a
// district with an enrolment code, and a Sender pushes the outbox (which
// the store fills in the same transaction as each change) to the
// district server in batches, signed with the kiosk's key, retrying with
// backoff while the district is away, for days if need be. The district
// counts each event once by its id, so a batch sent again after a lost
// answer is harmless.
package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"buurtbalie/internal/district"
)

// Paths of the district's API.
const (
	JoinPath   = "/api/v1/join"
	EventsPath = "/api/v1/events"
)

// Store is where the kiosk keeps its link and its outbox.
type Store interface {
	Link(ctx context.Context) (district.Link, bool, error)
	Pending(ctx context.Context, n int) ([]district.Event, error)
	Sent(ctx context.Context, ids []string, at time.Time) error
	Failed(ctx context.Context, why string) error
	Revoked(ctx context.Context, at time.Time, why string) error
}

// Problem is the district's answer to a request it refuses.
type Problem struct {
	Status  int    `json:"-"`
	Code    string `json:"error"`   // "revoked", "forged", "clock", "replay", "unknown", "bad-batch", "bad-code", …
	Message string `json:"message"` // in plain English, for the kiosk's log and staff page
}

func (p *Problem) Error() string { return p.Message }

// ParseURL checks a district server's address as staff typed it.
func ParseURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%q is not a district address: give it as on the district's page, like https://wijk.example.nl", s)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("%s: the district must be reached over https (plain http only on this machine, for a try-out)", s)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Join asks the district at base to let this kiosk join with code.
func Join(ctx context.Context, client *http.Client, base, code string) (district.Joined, error) {
	u, err := ParseURL(base)
	if err != nil {
		return district.Joined{}, err
	}
	code, err = district.NormaliseEnrolmentCode(code)
	if err != nil {
		return district.Joined{}, err
	}
	body, _ := json.Marshal(district.Join{Code: code})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String()+JoinPath, bytes.NewReader(body))
	if err != nil {
		return district.Joined{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	var j district.Joined
	if err := do(client, req, &j); err != nil {
		return district.Joined{}, err
	}
	if j.Kiosk == "" || len(j.Key) < 32 {
		return district.Joined{}, errors.New("the district's answer holds no kiosk id or key: is this address a Buurtbalie district?")
	}
	return j, nil
}

// do sends req and reads a JSON answer into out, or the district's
// refusal as a *Problem.
func do(client *http.Client, req *http.Request, out any) error {
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("the district at %s cannot be reached: %w", req.URL.Host, unwrapURL(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("the district's answer broke off: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		p := &Problem{Status: resp.StatusCode}
		if json.Unmarshal(data, p) != nil || p.Message == "" {
			p.Message = fmt.Sprintf("the district answered %s", resp.Status)
		}
		return p
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("the district's answer is not what a Buurtbalie district sends: %w", err)
	}
	return nil
}

// unwrapURL drops the *url.Error around a transport error, whose method
// and whole URL say nothing the message does not.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Sender pushes a kiosk's outbox to its district.
type Sender struct {
	Store  Store
	Client *http.Client
	Log    *slog.Logger
	Now    func() time.Time
	// Idle is how often the sender looks for new events when the outbox
	// is empty; Nudge makes it look at once.
	Idle time.Duration
	// Batch is how many events go in one request (district.MaxBatch at
	// most).
	Batch int
	// Pause is the wait after a full batch while catching up: a week's
	// backlog goes in a few batches, each costing the kiosk some 10 ms of
	// CPU, so the catch-up stays under 1 % of a core
	// (BenchmarkCatchUpAWeek).
	Pause time.Duration
	// Share, when set, is what goes after the events (see ShareOnce).
	Share *Share

	nudge    chan struct{}
	failures int
}

// NewSender returns a sender for store with the usual settings.
func NewSender(store Store, log *slog.Logger) *Sender {
	return &Sender{
		Store:  store,
		Client: &http.Client{Timeout: 30 * time.Second},
		Log:    log,
		Now:    time.Now,
		Idle:   time.Minute,
		Batch:  district.MaxBatch,
		Pause:  5 * time.Second,
		nudge:  make(chan struct{}, 1),
	}
}

// Nudge makes the sender look at the outbox now.
func (s *Sender) Nudge() {
	select {
	case s.nudge <- struct{}{}:
	default:
	}
}

// Run sends until ctx ends.
func (s *Sender) Run(ctx context.Context) {
	for {
		wait := s.Idle
		// The link read once a round: the same for the events and the
		// rest.
		link, ok, err := s.Store.Link(ctx)
		sent := 0
		if err == nil && ok {
			sent, err = s.sendOnce(ctx, link)
			if err == nil && sent < s.batch() {
				err = s.shareOnce(ctx, link) // the events are out: the rest
			}
		}
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			s.failures++
			wait = district.Backoff(s.failures, rand.Float64())
		case sent >= s.batch():
			s.failures = 0
			wait = s.Pause // catching up: the next batch soon
		default:
			s.failures = 0
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-s.nudge:
			t.Stop()
		case <-t.C:
		}
	}
}

// ErrRevoked is returned by SendOnce while the district has revoked
// this kiosk.
var ErrRevoked = errors.New("the district has revoked this kiosk: nothing is sent until staff join again with a new code (buurtbalie district join)")

// SendOnce sends one batch, if there is anything to send, and says how
// many events the district took.
func (s *Sender) SendOnce(ctx context.Context) (int, error) {
	link, ok, err := s.Store.Link(ctx)
	if err != nil || !ok {
		return 0, err
	}
	return s.sendOnce(ctx, link)
}

func (s *Sender) sendOnce(ctx context.Context, link district.Link) (int, error) {
	if !link.Revoked.IsZero() {
		return 0, ErrRevoked
	}
	events, err := s.Store.Pending(ctx, s.batch())
	if err != nil || len(events) == 0 {
		return 0, err
	}
	var acc district.Accepted
	if err := s.send(ctx, link, EventsPath, district.Batch{Events: events}, &acc); err != nil {
		return 0, err
	}
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	if err := s.Store.Sent(ctx, ids, s.Now()); err != nil {
		return 0, err
	}
	s.Log.Debug("sent to the district", "new", acc.New, "known", acc.Known)
	if acc.TooOld > 0 {
		s.Log.Warn("the district no longer counts events this old (the kiosk was away for half a year)", "events", acc.TooOld)
	}
	return len(events), nil
}

func (s *Sender) batch() int {
	if s.Batch <= 0 || s.Batch > district.MaxBatch {
		return district.MaxBatch
	}
	return s.Batch
}

// send posts v to path as post does, and keeps how the district
// answered: a revocation as such, any other failure as the last error,
// for the staff page.
func (s *Sender) send(ctx context.Context, link district.Link, path string, v, out any) error {
	err := s.post(ctx, link, path, v, out)
	var p *Problem
	switch {
	case errors.As(err, &p) && p.Code == "revoked":
		s.Log.Warn("the district has revoked this kiosk; nothing more is sent", "district", link.URL)
		if err := s.Store.Revoked(ctx, s.Now(), p.Message); err != nil {
			return err
		}
		return ErrRevoked
	case err != nil:
		s.Log.Warn("the district did not take what was sent; trying again later", "district", link.URL, "path", path, "err", err)
		_ = s.Store.Failed(ctx, err.Error())
		return err
	}
	return nil
}

// post sends v to path, signed with the kiosk's key.
func (s *Sender) post(ctx context.Context, link district.Link, path string, v, out any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	u, err := ParseURL(link.URL)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String()+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	Sign(req, link, s.Now(), body)
	return do(s.Client, req, out)
}

// Sign puts the kiosk's proof on req, whose body is body.
func Sign(req *http.Request, link district.Link, at time.Time, body []byte) {
	nonce := district.NewNonce()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(district.HeaderKiosk, link.Kiosk)
	req.Header.Set(district.HeaderTime, strconv.FormatInt(at.Unix(), 10))
	req.Header.Set(district.HeaderNonce, nonce)
	req.Header.Set(district.HeaderSignature, district.Sign(link.Key, req.Method, req.URL.Path, link.Kiosk, at, nonce, body))
}
