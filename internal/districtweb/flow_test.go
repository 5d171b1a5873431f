package districtweb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	fake "buurtbalie/internal/clock"
	"buurtbalie/internal/district"
	"buurtbalie/internal/districtweb"
	"buurtbalie/internal/figures"
	"buurtbalie/internal/outbox"
	"buurtbalie/internal/postgres"
	"buurtbalie/internal/postgres/pgtest"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

// clock is a settable clock shared by a kiosk and the district.
type clock = fake.Settable

// world is one district server on a real PostgreSQL, and its clock.
type world struct {
	pg    *pgtest.Server
	db    *postgres.DB
	srv   *httptest.Server
	clock *clock
	log   *bytes.Buffer
	// drop, when set, makes the server commit a batch and then lose its
	// answer, as a server killed between the two would.
	drop func() bool
}

func newWorld(t *testing.T, pg *pgtest.Server) *world {
	t.Helper()
	ctx := context.Background()
	if pg == nil {
		pg = pgtest.Start(t)
	}
	db, err := postgres.Open(ctx, pg.DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	w := &world{pg: pg, db: db, clock: fake.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), log: &bytes.Buffer{}}
	api := &districtweb.API{Store: db, District: "Amsterdam West", Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: w.clock.Now}
	h := api.Handler()
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if w.drop != nil && r.URL.Path == outbox.EventsPath && w.drop() {
			h.ServeHTTP(httptest.NewRecorder(), r) // committed, and then the answer is lost
			conn, _, err := rw.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		h.ServeHTTP(rw, r)
	}))
	t.Cleanup(w.srv.Close)
	return w
}

// kiosk is one kiosk of a house: its own SQLite file, joined.
type kiosk struct {
	db     *sqlite.DB
	qs     *sqlite.QuestionService
	ds     *sqlite.DistrictService
	sender *outbox.Sender
	log    *bytes.Buffer
	// partner is the house's one partner to refer to.
	partner question.Partner
}

func (w *world) house(t *testing.T, name string) postgres.House {
	t.Helper()
	h, err := w.db.AddHouse(context.Background(), name, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func (w *world) code(t *testing.T, h postgres.House) string {
	t.Helper()
	code := district.NewEnrolmentCode()
	if err := w.db.NewEnrolment(context.Background(), h.ID, district.HashEnrolmentCode(code), w.clock.Now().Add(district.EnrolmentValid)); err != nil {
		t.Fatal(err)
	}
	return code
}

func (w *world) kiosk(t *testing.T, h postgres.House) *kiosk {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = w.clock.Now
	db.Location = time.UTC
	k := &kiosk{db: db, qs: sqlite.NewQuestionService(db), ds: sqlite.NewDistrictService(db), log: &bytes.Buffer{}}
	j, err := outbox.Join(ctx, w.srv.Client(), w.srv.URL, w.code(t, h))
	if err != nil {
		t.Fatal(err)
	}
	if j.House != h.Name || j.District != "Amsterdam West" {
		t.Errorf("joined %q of %q, want %q of Amsterdam West", j.House, j.District, h.Name)
	}
	if err := k.ds.Join(ctx, w.srv.URL, j); err != nil {
		t.Fatal(err)
	}
	k.sender = outbox.NewSender(k.ds, slog.New(slog.NewTextHandler(k.log, nil)))
	k.sender.Client = w.srv.Client()
	k.sender.Now = w.clock.Now
	return k
}

// day has the kiosk count a day of a house: questions in two topics and
// languages, each claimed, some referred and closed.
func (k *kiosk) day(t *testing.T, c *clock, n int) {
	t.Helper()
	ctx := context.Background()
	if k.partner.ID == 0 {
		k.partner = question.Partner{Name: "Juridisch Loket", Helps: "schulden", Contact: "0800-8020"}
		if err := k.qs.SavePartner(ctx, &k.partner); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < n; i++ {
		q := question.Question{Topic: []string{"geld", "wonen", "gezondheid"}[i%3], FollowUp: question.ComeBack, Lang: []string{"nl", "tr"}[i%2]}
		if i%4 != 0 {
			q.Text = fmt.Sprintf("vraag %d", i)
		}
		if err := k.qs.Create(ctx, &q); err != nil {
			t.Fatal(err)
		}
		c.Add(time.Duration(10+i) * time.Minute)
		if _, err := k.qs.Apply(ctx, q.ID, "Kees", question.Action{Kind: question.EventClaimed}); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			if _, err := k.qs.Apply(ctx, q.ID, "Kees", question.Action{Kind: question.EventReferred, Partner: k.partner.ID}); err != nil {
				t.Fatal(err)
			}
		}
		if i%2 == 0 {
			if _, err := k.qs.Apply(ctx, q.ID, "Kees", question.Action{Kind: question.EventClosed, Outcome: question.Outcomes[i%5]}); err != nil {
				t.Fatal(err)
			}
		}
	}
	use := sqlite.NewScreenUse(k.db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for i := 0; i < 3*n; i++ {
		use.Count([]string{figures.ScreenToday, figures.ScreenDetail, figures.ScreenAsk}[i%3])
	}
	if err := use.Flush(ctx); err != nil {
		t.Fatal(err)
	}
}

// catchUp sends until the outbox is empty.
func (k *kiosk) catchUp(t *testing.T) {
	t.Helper()
	for range 1000 {
		n, err := k.sender.SendOnce(context.Background())
		if err != nil {
			t.Fatalf("send: %v", err)
		}
		if n == 0 {
			return
		}
	}
	t.Fatal("the outbox never emptied")
}

var (
	from = programme.NewDate(2026, 1, 1)
	to   = programme.NewDate(2026, 12, 31)
)

var countMeasures = []string{figures.MeasureQuestions, figures.MeasureLanguage, figures.MeasureTopicLanguage, figures.MeasureFollowUp,
	figures.MeasureNoText, figures.MeasureNoSlip, figures.MeasureOutcome, figures.MeasureLate}
var durationMeasures = []string{figures.MeasureContact, figures.MeasureClosed, figures.MeasureReferral}

// cells are figures as the small-cell rule of what leaves a house sees
// them: per district.Cell (measure, key, ISO week), each with what it
// adds up to by day and key.
type cells map[string]map[string]int

func (c cells) add(cell, what string, n int) {
	if c[cell] == nil {
		c[cell] = map[string]int{}
	}
	c[cell][what] += n
}

// kioskShares is what a kiosk's own figures say may reach the district:
// every cell that has reached five, and all screen use.
func kioskShares(t *testing.T, db *sqlite.DB) map[string]int {
	t.Helper()
	ctx := context.Background()
	fs := sqlite.NewFigureService(db)
	c := cells{}
	weights := map[string]int{}
	for _, m := range countMeasures {
		cs, err := fs.Counts(ctx, m, from, to)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range cs {
			cell := district.Cell(district.Event{Kind: district.KindCount, Day: n.Day.String(), Measure: m, Key: n.Key})
			c.add(cell, m+" "+n.Day.String()+" "+n.Key, n.N)
			weights[cell] += n.N
		}
	}
	for _, m := range durationMeasures {
		ds, err := fs.DurationsByDay(ctx, m, from, to)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			cell := district.Cell(district.Event{Kind: district.KindDuration, Day: d.Day.String(), Measure: m, Key: d.Key})
			c.add(cell, m+" "+d.Day.String()+" "+d.Key+" steps", 1)
			c.add(cell, m+" "+d.Day.String()+" "+d.Key+" minutes", d.Minutes)
			weights[cell]++
		}
	}
	out := map[string]int{}
	held := 0
	for cell, figures := range c {
		if weights[cell] < minCount {
			held++
			continue
		}
		add(out, figures)
	}
	su, err := fs.ScreenUse(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range su {
		out["screen "+s.Hour+" "+s.Screen] += s.N
	}
	t.Logf("a kiosk keeps %d cells under five to itself", held)
	return out
}

const minCount = figures.MinCount

// districtHas is what the district counts of one house (0: all), cell
// by cell as kioskShares.
func districtHas(t *testing.T, db *postgres.DB, house int64) map[string]int {
	t.Helper()
	ctx := context.Background()
	out := map[string]int{}
	for _, m := range countMeasures {
		cs, err := db.Counts(ctx, house, m, from, to)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			out[m+" "+c.Day.String()+" "+c.Key] += c.N
		}
	}
	for _, m := range durationMeasures {
		ds, err := db.Durations(ctx, house, m, from, to)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			out[m+" "+d.Day.String()+" "+d.Key+" steps"]++
			out[m+" "+d.Day.String()+" "+d.Key+" minutes"] += d.Minutes
		}
	}
	su, err := db.ScreenUse(ctx, house, from, to)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range su {
		out["screen "+c.Hour+" "+c.Screen] += c.N
	}
	return out
}

func add(into, from map[string]int) {
	for k, v := range from {
		into[k] += v
	}
}

func sameFigures(t *testing.T, what string, got, want map[string]int) {
	t.Helper()
	if len(want) == 0 {
		t.Fatalf("%s: nothing was counted", what)
	}
	var diffs []string
	for k, v := range want {
		if got[k] != v {
			diffs = append(diffs, fmt.Sprintf("%s: district %d, houses %d", k, got[k], v))
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: district %d, houses none", k, v))
		}
	}
	if len(diffs) > 0 {
		if len(diffs) > 10 {
			diffs = append(diffs[:10], fmt.Sprintf("… and %d more", len(diffs)-10))
		}
		t.Errorf("%s: the district's figures are not the houses':\n%s", what, strings.Join(diffs, "\n"))
	}
}

// A kiosk offline for a week, then back; the district stopped in the
// middle of a push; a server that committed a batch and died before it
// answered; the same batch sent twice; batches out of order; two kiosks
// of one house; two senders on one kiosk's database: the district's
// figures are the houses' own, exactly, every cell.
func TestDistrictFiguresAreTheHousesExactly(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, nil)
	west, oost := w.house(t, "Huis West"), w.house(t, "Huis Oost")
	westDoor, westGarden, oostDoor := w.kiosk(t, west), w.kiosk(t, west), w.kiosk(t, oost)

	// A week offline: the district cannot be reached; all is kept.
	dead, _ := net.Listen("tcp", "127.0.0.1:0")
	deadURL := "http://" + dead.Addr().String()
	dead.Close()
	if err := westDoor.ds.MoveTo(ctx, deadURL); err != nil {
		t.Fatal(err)
	}
	for range 7 {
		westDoor.day(t, w.clock, 12)
		if _, err := westDoor.sender.SendOnce(ctx); err == nil {
			t.Fatal("sent to a district that is not there")
		}
		w.clock.Add(24 * time.Hour)
	}
	l, _, _ := westDoor.ds.Link(ctx)
	if l.Pending == 0 || !strings.Contains(l.LastError, "cannot be reached") {
		t.Errorf("after a week offline: %d waiting, problem %q; want events waiting and the reason", l.Pending, l.LastError)
	}
	if err := westDoor.ds.MoveTo(ctx, w.srv.URL); err != nil {
		t.Fatal(err)
	}
	westDoor.sender.Batch = 50
	westDoor.catchUp(t)

	// PostgreSQL stopped in the middle of a push.
	westGarden.day(t, w.clock, 30)
	westGarden.sender.Batch = 20
	if _, err := westGarden.sender.SendOnce(ctx); err != nil {
		t.Fatal(err)
	}
	w.pg.Stop(t)
	if _, err := westGarden.sender.SendOnce(ctx); err == nil {
		t.Fatal("sent while PostgreSQL was stopped")
	}
	w.pg.Start(t)
	westGarden.catchUp(t)

	// Committed, and the answer lost: the same batch again is harmless.
	oostDoor.day(t, w.clock, 25)
	lost := 0
	w.drop = func() bool { lost++; return lost <= 2 }
	for range 2 {
		if _, err := oostDoor.sender.SendOnce(ctx); err == nil {
			t.Fatal("the answer was lost, yet the kiosk took the batch as sent")
		}
	}
	w.drop = nil
	oostDoor.catchUp(t)

	// Out of order and twice, by hand: the last half first, then all.
	oostDoor.day(t, w.clock, 10)
	pending, err := oostDoor.ds.Pending(ctx, district.MaxBatch)
	if err != nil {
		t.Fatal(err)
	}
	half := len(pending) / 2
	l, _, _ = oostDoor.ds.Link(ctx)
	if acc := post(t, w, l, pending[half:]); acc.New != len(pending)-half || acc.Known != 0 {
		t.Errorf("the last half first: %+v, want %d new", acc, len(pending)-half)
	}
	if acc := post(t, w, l, pending); acc.New != half || acc.Known != len(pending)-half {
		t.Errorf("then all of it: %+v, want %d new and %d known", acc, half, len(pending)-half)
	}
	oostDoor.catchUp(t) // sends them a third time: all known

	// Two senders on one kiosk's database at once (the kiosk and a
	// "district send" by hand) send the same events: counted once.
	westDoor.day(t, w.clock, 20)
	other := outbox.NewSender(westDoor.ds, slog.New(slog.NewTextHandler(io.Discard, nil)))
	other.Client, other.Now, other.Batch, westDoor.sender.Batch = w.srv.Client(), w.clock.Now, 7, 5
	var wg sync.WaitGroup
	for _, s := range []*outbox.Sender{westDoor.sender, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n, err := s.SendOnce(ctx)
				if err != nil || n == 0 {
					return
				}
			}
		}()
	}
	wg.Wait()
	westDoor.catchUp(t)

	houses := map[string]int{}
	westOwn := kioskShares(t, westDoor.db)
	add(westOwn, kioskShares(t, westGarden.db))
	add(houses, westOwn)
	add(houses, kioskShares(t, oostDoor.db))
	sameFigures(t, "Huis West (two kiosks)", districtHas(t, w.db, west.ID), westOwn)
	sameFigures(t, "Huis Oost", districtHas(t, w.db, oost.ID), kioskShares(t, oostDoor.db))
	sameFigures(t, "the district", districtHas(t, w.db, 0), houses)

	hs, err := w.db.Houses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hs {
		if h.LastReport.IsZero() || (h.Name == "Huis West" && h.Kiosks != 2) {
			t.Errorf("house %+v: want a last report, and two kiosks for Huis West", h)
		}
	}
}

// post sends events as l's kiosk, by hand.
func post(t *testing.T, w *world, l district.Link, events []district.Event) district.Accepted {
	t.Helper()
	body, _ := json.Marshal(district.Batch{Events: events})
	req, _ := http.NewRequest(http.MethodPost, w.srv.URL+outbox.EventsPath, bytes.NewReader(body))
	outbox.Sign(req, l, w.clock.Now(), body)
	resp, err := w.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var acc district.Accepted
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("post: %s %s", resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(&acc); err != nil {
		t.Fatal(err)
	}
	return acc
}

// A forged, replayed or wrongly timed request is refused and counts
// nothing; a revoked house's kiosk is refused, says so in its log and
// keeps its outbox; a code works once.
func TestRefusals(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, nil)
	west := w.house(t, "Huis West")
	k := w.kiosk(t, west)
	k.day(t, w.clock, 5)
	pending, err := k.ds.Pending(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	l, _, _ := k.ds.Link(ctx)
	body, _ := json.Marshal(district.Batch{Events: pending})
	send := func(mutate func(*http.Request)) (int, outbox.Problem) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, w.srv.URL+outbox.EventsPath, bytes.NewReader(body))
		outbox.Sign(req, l, w.clock.Now(), body)
		if mutate != nil {
			mutate(req)
		}
		resp, err := w.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var p outbox.Problem
		_ = json.NewDecoder(resp.Body).Decode(&p)
		return resp.StatusCode, p
	}
	forged := l
	forged.Key = district.NewKey()
	for _, c := range []struct {
		name   string
		mutate func(*http.Request)
		status int
		code   string
	}{
		{"another key", func(r *http.Request) {
			outbox.Sign(r, forged, w.clock.Now(), body)
		}, 401, "forged"},
		{"a changed body", func(r *http.Request) {
			changed := bytes.Replace(body, []byte(`"n":1`), []byte(`"n":9`), 1)
			r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(changed)), int64(len(changed))
		}, 401, "forged"},
		{"an unknown kiosk", func(r *http.Request) { r.Header.Set(district.HeaderKiosk, district.NewEventID()) }, 401, "unknown"},
		{"a clock 10 minutes fast", func(r *http.Request) { outbox.Sign(r, l, w.clock.Now().Add(10*time.Minute), body) }, 401, "clock"},
	} {
		if status, p := send(c.mutate); status != c.status || p.Code != c.code {
			t.Errorf("%s: %d %q (%s), want %d %q", c.name, status, p.Code, p.Message, c.status, c.code)
		}
	}
	if n := len(districtHas(t, w.db, 0)); n != 0 {
		t.Fatalf("refused requests counted %d figures", n)
	}

	// The same request twice: the second is a replay.
	req, _ := http.NewRequest(http.MethodPost, w.srv.URL+outbox.EventsPath, bytes.NewReader(body))
	outbox.Sign(req, l, w.clock.Now(), body)
	headers := req.Header.Clone()
	if resp, err := w.srv.Client().Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("first send: %v %v", resp, err)
	}
	again, _ := http.NewRequest(http.MethodPost, w.srv.URL+outbox.EventsPath, bytes.NewReader(body))
	again.Header = headers
	resp, err := w.srv.Client().Do(again)
	if err != nil {
		t.Fatal(err)
	}
	var p outbox.Problem
	_ = json.NewDecoder(resp.Body).Decode(&p)
	resp.Body.Close()
	if resp.StatusCode != 401 || p.Code != "replay" {
		t.Errorf("replayed: %d %q, want 401 replay", resp.StatusCode, p.Code)
	}

	// The code is used: a second kiosk cannot join with it.
	code := w.code(t, west)
	if _, err := outbox.Join(ctx, w.srv.Client(), w.srv.URL, code); err != nil {
		t.Fatal(err)
	}
	var prob *outbox.Problem
	if _, err := outbox.Join(ctx, w.srv.Client(), w.srv.URL, code); !errors.As(err, &prob) || prob.Code != "bad-code" {
		t.Errorf("a used code: %v, want bad-code", err)
	}

	// Revoked.
	if err := w.db.Revoke(ctx, west.ID, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	k.day(t, w.clock, 3)
	before, _ := k.ds.Pending(ctx, 1000)
	if _, err := k.sender.SendOnce(ctx); !errors.Is(err, outbox.ErrRevoked) {
		t.Errorf("a revoked kiosk sends: %v, want ErrRevoked", err)
	}
	if !strings.Contains(k.log.String(), "revoked") {
		t.Errorf("the kiosk's log does not say it was revoked:\n%s", k.log)
	}
	l, _, _ = k.ds.Link(ctx)
	if l.Revoked.IsZero() || l.Pending != len(before) {
		t.Errorf("after the revocation: %+v; want it noted, and the %d waiting events kept", l, len(before))
	}
	if _, err := outbox.Join(ctx, w.srv.Client(), w.srv.URL, w.code(t, west)); !errors.As(err, &prob) || prob.Code != "bad-code" {
		t.Errorf("joining a revoked house: %v, want bad-code", err)
	}
}
