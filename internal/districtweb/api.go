// Package districtweb is the district server's HTTP side: the API the
// kiosks of the district's houses call (join with an enrolment code,
// push their outbox, publish their programme, refer questions to
// another house, pull the district's updates), each request after
// joining proved with the kiosk's own key.
package districtweb

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/district"
	"buurtbalie/internal/outbox"
	"buurtbalie/internal/postgres"
	"buurtbalie/internal/web"
)

// Store is what the API needs of the district's database.
type Store interface {
	Enrol(ctx context.Context, codeHash, kioskID, key string, now time.Time) (postgres.House, error)
	Kiosk(ctx context.Context, kioskID string) (postgres.Kiosk, error)
	UseNonce(ctx context.Context, kioskID, nonce string, at time.Time) error
	Accept(ctx context.Context, houseID int64, kioskID string, events []district.Event, now time.Time) (district.Accepted, error)
	PublishProgramme(ctx context.Context, houseID int64, p district.Programme, now time.Time) error
	Refer(ctx context.Context, fromHouseID int64, rs []district.Referral, now time.Time) (district.ReferralsAccepted, error)
	Updates(ctx context.Context, houseID int64, after int64, now time.Time) (district.Updates, error)
}

// maxBody is the largest request the API reads: a full batch of events
// is about 150 KB.
const maxBody = 2 << 20

// API serves the kiosks.
type API struct {
	Store    Store
	District string // the district's name, told to a kiosk that joins
	Log      *slog.Logger
	Now      func() time.Time
	// Throttle slows down an address that tries enrolment codes that do
	// not work; nil for none (NewSite gives the API the pages' own).
	Throttle *account.Throttle
}

// Handler returns the API's routes.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+outbox.JoinPath, a.join)
	mux.HandleFunc("POST "+outbox.EventsPath, a.events)
	mux.HandleFunc("POST "+district.ProgrammePath, a.programme)
	mux.HandleFunc("POST "+district.ReferralsPath, a.referrals)
	mux.HandleFunc("POST "+district.UpdatesPath, a.updates)
	return mux
}

func (a *API) now() time.Time {
	if a.Now == nil {
		return time.Now()
	}
	return a.Now()
}

func (a *API) join(w http.ResponseWriter, r *http.Request) {
	body, ok := a.read(w, r)
	if !ok {
		return
	}
	var j district.Join
	if err := json.Unmarshal(body, &j); err != nil {
		problem(w, http.StatusBadRequest, "bad-request", "the request is not a join: send {\"code\": \"…\"}")
		return
	}
	code, err := district.NormaliseEnrolmentCode(j.Code)
	if err != nil {
		problem(w, http.StatusBadRequest, "bad-code", err.Error())
		return
	}
	// Codes are too long to guess, but an address that keeps trying
	// them is slowed down all the same, as wrong passwords are.
	throttleKey := "join:" + account.AddrKey(web.ClientIP(r))
	if a.Throttle != nil {
		if wait := a.Throttle.Allow(throttleKey); wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Round(time.Second).Seconds())+1))
			problem(w, http.StatusTooManyRequests, "throttled", "too many enrolment codes that do not work came from this address: wait "+wait.Round(time.Second).String()+", then type the code again")
			return
		}
	}
	kiosk, key := district.NewEventID(), district.NewKey()
	h, err := a.Store.Enrol(r.Context(), district.HashEnrolmentCode(code), kiosk, key, a.now())
	if errors.Is(err, postgres.ErrBadCode) {
		if a.Throttle != nil {
			a.Throttle.Fail(throttleKey)
		}
		a.Log.Warn("a kiosk tried to join with a code that does not work", "remote", r.RemoteAddr)
		problem(w, http.StatusForbidden, "bad-code", err.Error())
		return
	}
	if a.Throttle != nil {
		a.Throttle.Succeed(throttleKey)
	}
	if err != nil {
		a.fail(w, "join", err)
		return
	}
	a.Log.Info("a kiosk joined", "house", h.Name, "kiosk", kiosk)
	answer(w, district.Joined{Kiosk: kiosk, Key: key, House: h.Name, District: a.District})
}

func (a *API) events(w http.ResponseWriter, r *http.Request) {
	var b district.Batch
	k, ok := a.signed(w, r, "bad-batch", "batch", &b)
	if !ok {
		return
	}
	acc, err := a.Store.Accept(r.Context(), k.HouseID, k.ID, b.Events, a.now())
	if err != nil {
		a.fail(w, "accept", err)
		return
	}
	answer(w, acc)
}

// Published answers a programme the district took (or ignored as older
// than the one it has: either way the kiosk is done with it).
type Published struct {
	Activities int `json:"activities"`
}

func (a *API) programme(w http.ResponseWriter, r *http.Request) {
	var p district.Programme
	k, ok := a.signed(w, r, "bad-programme", "programme", &p)
	if !ok {
		return
	}
	// A programme from the future would hold back every newer one of
	// the house's other kiosk.
	now := a.now()
	if p.Made.After(now.Add(district.MaxSkew)) {
		problem(w, http.StatusBadRequest, "clock", "the programme says it was made at "+p.Made.UTC().Format(time.RFC3339)+
			", after the district's clock ("+now.UTC().Format(time.RFC3339)+"): set this kiosk's clock right")
		return
	}
	if err := a.Store.PublishProgramme(r.Context(), k.HouseID, p, now); err != nil {
		a.fail(w, "publish programme", err)
		return
	}
	answer(w, Published{Activities: len(p.Activities)})
}

func (a *API) referrals(w http.ResponseWriter, r *http.Request) {
	var rs district.Referrals
	k, ok := a.signed(w, r, "bad-referrals", "list of referrals", &rs)
	if !ok {
		return
	}
	acc, err := a.Store.Refer(r.Context(), k.HouseID, rs.Referrals, a.now())
	if err != nil {
		a.fail(w, "refer", err)
		return
	}
	if len(acc.Refused) > 0 {
		a.Log.Info("referrals refused", "house", k.House, "kiosk", k.ID, "refused", len(acc.Refused))
	}
	answer(w, acc)
}

func (a *API) updates(w http.ResponseWriter, r *http.Request) {
	var req district.UpdatesRequest
	k, ok := a.signed(w, r, "bad-updates", "request for updates", &req)
	if !ok {
		return
	}
	u, err := a.Store.Updates(r.Context(), k.HouseID, req.After, a.now())
	if err != nil {
		a.fail(w, "updates", err)
		return
	}
	answer(w, u)
}

// signed reads a request proved with a kiosk's key, and its JSON body
// into v, which must pass its Check; what names v in a refusal. Check's
// words name a field and an id, never a question's text.
func (a *API) signed(w http.ResponseWriter, r *http.Request, code, what string, v interface{ Check() error }) (postgres.Kiosk, bool) {
	body, ok := a.read(w, r)
	if !ok {
		return postgres.Kiosk{}, false
	}
	k, ok := a.prove(w, r, body)
	if !ok {
		return k, false
	}
	if err := json.Unmarshal(body, v); err != nil {
		problem(w, http.StatusBadRequest, code, "the "+what+" is not JSON the district reads: "+err.Error())
		return k, false
	}
	if err := v.Check(); err != nil {
		problem(w, http.StatusBadRequest, code, err.Error())
		return k, false
	}
	return k, true
}

// prove checks that r comes from a kiosk the district knows and has not
// revoked, signed with its key, now, and for the first time.
func (a *API) prove(w http.ResponseWriter, r *http.Request, body []byte) (postgres.Kiosk, bool) {
	id := r.Header.Get(district.HeaderKiosk)
	k, err := a.Store.Kiosk(r.Context(), id)
	if errors.Is(err, district.ErrUnknown) {
		problem(w, http.StatusUnauthorized, "unknown", district.ErrUnknown.Error()+": join again with a new enrolment code")
		return k, false
	}
	if err != nil {
		a.fail(w, "kiosk", err)
		return k, false
	}
	at, err := district.ParseTime(r.Header.Get(district.HeaderTime))
	if err != nil {
		problem(w, http.StatusUnauthorized, "forged", district.ErrForged.Error())
		return k, false
	}
	nonce := r.Header.Get(district.HeaderNonce)
	now := a.now()
	err = district.Verify(k.Key, r.Method, r.URL.Path, id, at, nonce, body, r.Header.Get(district.HeaderSignature), now)
	switch {
	case errors.Is(err, district.ErrForged):
		a.Log.Warn("a request with a wrong signature was refused", "kiosk", id, "remote", r.RemoteAddr)
		problem(w, http.StatusUnauthorized, "forged", err.Error())
		return k, false
	case errors.Is(err, district.ErrClock):
		problem(w, http.StatusUnauthorized, "clock", err.Error()+" (the district's clock says "+now.UTC().Format(time.RFC3339)+"): set this kiosk's clock right")
		return k, false
	case err != nil:
		a.fail(w, "verify", err)
		return k, false
	}
	// Revoked after the signature: only the kiosk itself learns it.
	if k.Revoked {
		problem(w, http.StatusForbidden, "revoked", "the district has revoked "+k.House+": ask the district's staff to let the house join again")
		return k, false
	}
	if err := a.Store.UseNonce(r.Context(), id, nonce, now); errors.Is(err, district.ErrReplay) {
		a.Log.Warn("a replayed request was refused", "kiosk", id, "remote", r.RemoteAddr)
		problem(w, http.StatusUnauthorized, "replay", err.Error())
		return k, false
	} else if err != nil {
		a.fail(w, "nonce", err)
		return k, false
	}
	return k, true
}

func (a *API) read(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		problem(w, http.StatusRequestEntityTooLarge, "too-large", "a request may be 2 MB at most: send fewer events at once")
		return nil, false
	}
	if err != nil {
		problem(w, http.StatusBadRequest, "bad-request", "the request broke off")
		return nil, false
	}
	return body, true
}

// fail answers a fault on the district's side; the kiosk tries again.
func (a *API) fail(w http.ResponseWriter, what string, err error) {
	a.Log.Error("the district could not answer a kiosk", "step", what, "err", err)
	problem(w, http.StatusServiceUnavailable, "unavailable", "the district cannot take this now; the kiosk tries again later")
}

func problem(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(outbox.Problem{Code: code, Message: message})
}

func answer(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
