package outbox_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"buurtbalie/internal/clock"
	"buurtbalie/internal/district"
	"buurtbalie/internal/districtweb"
	"buurtbalie/internal/outbox"
	"buurtbalie/internal/postgres"
	"buurtbalie/internal/postgres/pgtest"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sharing"
	"buurtbalie/internal/sqlite"
)

// shareClock is a clock a district and its kiosks share.
type shareClock = clock.Settable

// sent is every request the district server got, by path, as bytes.
type sent struct {
	mu     sync.Mutex
	bodies map[string][][]byte
	// lose, when set for a path, makes the server commit a request and
	// then lose its answer, once.
	lose map[string]bool
}

func (s *sent) all() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b []byte
	for _, bs := range s.bodies {
		for _, body := range bs {
			b = append(b, body...)
		}
	}
	return b
}

func (s *sent) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies[path])
}

// shareWorld is a district server on a real PostgreSQL, recording what
// it is sent.
type shareWorld struct {
	db    *postgres.DB
	srv   *httptest.Server
	clock *shareClock
	sent  *sent
}

func newShareWorld(t testing.TB) *shareWorld {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.Shared(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	w := &shareWorld{db: db, clock: clock.NewSettable(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)),
		sent: &sent{bodies: map[string][][]byte{}, lose: map[string]bool{}}}
	api := &districtweb.API{Store: db, District: "Amsterdam West", Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: w.clock.Now}
	h := api.Handler()
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		w.sent.mu.Lock()
		w.sent.bodies[r.URL.Path] = append(w.sent.bodies[r.URL.Path], body)
		lose := w.sent.lose[r.URL.Path]
		w.sent.lose[r.URL.Path] = false
		w.sent.mu.Unlock()
		if lose {
			h.ServeHTTP(httptest.NewRecorder(), r) // committed, and then the answer is lost
			if conn, _, err := rw.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		h.ServeHTTP(rw, r)
	}))
	t.Cleanup(w.srv.Close)
	return w
}

// shareKiosk is a house's kiosk: its SQLite file, joined, and its sender.
type shareKiosk struct {
	path   string
	db     *sqlite.DB
	qs     *sqlite.QuestionService
	ds     *sqlite.DistrictService
	sender *outbox.Sender
	log    *bytes.Buffer
}

func (w *shareWorld) house(t testing.TB, name string) (postgres.House, *shareKiosk) {
	t.Helper()
	ctx := context.Background()
	h, err := w.db.AddHouse(ctx, name, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	code := district.NewEnrolmentCode()
	if err := w.db.NewEnrolment(ctx, h.ID, district.HashEnrolmentCode(code), w.clock.Now().Add(district.EnrolmentValid)); err != nil {
		t.Fatal(err)
	}
	k := &shareKiosk{path: filepath.Join(t.TempDir(), "buurtbalie.db"), log: &bytes.Buffer{}}
	k.open(t, w)
	j, err := outbox.Join(ctx, w.srv.Client(), w.srv.URL, code)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.ds.Join(ctx, w.srv.URL, j); err != nil {
		t.Fatal(err)
	}
	return h, k
}

// open opens (or opens again, as after a restart) the kiosk's database.
func (k *shareKiosk) open(t testing.TB, w *shareWorld) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), k.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now, db.Location = w.clock.Now, time.UTC
	k.db, k.qs, k.ds = db, sqlite.NewQuestionService(db), sqlite.NewDistrictService(db)
	k.sender = outbox.NewSender(k.ds, slog.New(slog.NewTextHandler(k.log, nil)))
	k.sender.Client, k.sender.Now = w.srv.Client(), w.clock.Now
	k.sender.Share = outbox.NewShare(k.ds)
}

func (k *shareKiosk) share(t *testing.T) {
	t.Helper()
	if _, err := k.sender.SendOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := k.sender.ShareOnce(context.Background()); err != nil {
		t.Fatalf("share: %v\n%s", err, k.log)
	}
}

// House A refers a question to house B through a real district server:
// B's kiosk pulls it as a question of its own with the text, language
// and code, once, however often A sends it; A publishes its programme,
// which B shows as "Elders in de buurt"; the district's partners come
// down to both; B's cursor holds across a restart; a referral the
// district refuses is back with A, with the district's reason. And the
// bytes A sent never hold the text or code of a question no volunteer
// referred, nor any token.
func TestShareThroughTheDistrict(t *testing.T) {
	ctx := context.Background()
	w := newShareWorld(t)
	_, a := w.house(t, "Huis West")
	hb, b := w.house(t, "Huis Oost")
	if _, err := w.db.SavePartner(ctx, district.Partner{Name: "Schuldhulp West", HelpsWith: "schulden en post", Languages: []string{"nl", "tr"}, Hours: "di 10–12", Contact: "020 123 4567"}, w.clock.Now()); err != nil {
		t.Fatal(err)
	}

	// House A's programme: a walk today, in the category B's visitor
	// picks; and its questions, one not referred.
	progA := sqlite.NewProgrammeService(a.db)
	today := programme.DateOf(w.clock.Now())
	walk := programme.Activity{Title: "Wandelgroep", Category: "bewegen", Room: "Voordeur", Start: programme.Clock(14, 0), End: programme.Clock(15, 30),
		Schedule: programme.Schedule{Kind: programme.Once, Date: today}}
	if err := progA.SaveCategory(ctx, programme.Category{Key: "bewegen", Icon: "bewegen"}); err != nil {
		t.Fatal(err)
	}
	if err := progA.CreateActivity(ctx, &walk); err != nil {
		t.Fatal(err)
	}
	secret := question.Question{Topic: "gezondheid", Text: "NIET-VERWEZEN mijn dokter", FollowUp: question.Waiting, Lang: "nl"}
	referred := question.Question{Topic: "geld", Text: "Ik snap mijn post niet", FollowUp: question.ComeBack, Lang: "tr"}
	for _, q := range []*question.Question{&secret, &referred} {
		if err := a.qs.Create(ctx, q); err != nil {
			t.Fatal(err)
		}
	}

	a.share(t)
	b.share(t)
	a.share(t) // the houses now know each other
	if hs, _ := a.qs.Houses(ctx); strings.Join(hs, ",") != "Huis Oost" {
		t.Fatalf("A may refer to %v, want Huis Oost", hs)
	}
	for _, k := range []*shareKiosk{a, b} {
		if ps, _ := k.qs.DistrictPartners(ctx); len(ps) != 1 || ps[0].Name != "Schuldhulp West" || ps[0].Hours != "di 10–12" {
			t.Errorf("district partners = %+v", ps)
		}
	}

	if _, err := a.qs.ReferToHouse(ctx, referred.ID, "Anna", "Huis Oost", "spreekt Turks, komt donderdag"); err != nil {
		t.Fatal(err)
	}
	// The district keeps the referral and its answer is lost: A sends
	// it again, and B gets it once.
	w.sent.mu.Lock()
	w.sent.lose[district.ReferralsPath] = true
	w.sent.mu.Unlock()
	if err := a.sender.ShareOnce(ctx); err == nil {
		t.Fatal("a lost answer went unnoticed")
	}
	if p, _ := a.ds.PendingReferrals(ctx, 10); len(p) != 1 {
		t.Fatalf("after a lost answer %d referrals wait, want 1", len(p))
	}
	a.share(t)
	if n := w.sent.count(district.ReferralsPath); n != 2 {
		t.Errorf("the referral went %d times, want 2 (once lost)", n)
	}
	if h, _ := a.qs.HandOver(ctx, referred.ID); h.State != sharing.Sent || h.To != "Huis Oost" {
		t.Errorf("A's hand-over = %+v, want sent to Huis Oost", h)
	}
	w.clock.Add(time.Minute)
	b.share(t)
	w.clock.Add(time.Minute)
	b.share(t)

	found, err := b.qs.ByCodes(ctx, referred.Code)
	if err != nil || len(found) != 1 {
		t.Fatalf("B finds %d questions by the slip's code (%v), want 1", len(found), err)
	}
	got := found[0]
	if got.Text != referred.Text || got.Lang != "tr" || got.Topic != "geld" || got.Status != question.New {
		t.Errorf("B has %+v", got)
	}
	if h, _ := b.qs.HandOver(ctx, got.ID); h.From != "Huis West" || h.Note != "spreekt Turks, komt donderdag" || h.Code != referred.Code {
		t.Errorf("B's hand-over = %+v", h)
	}
	if queue, _ := b.qs.Queue(ctx, question.QueueFilter{}); len(queue) != 1 {
		t.Errorf("B's queue holds %d questions, want 1", len(queue))
	}
	acts, _ := b.ds.ActivitiesOn(ctx, today, "bewegen")
	if len(acts) != 1 || acts[0].House != "Huis West" || acts[0].Title != "Wandelgroep" || acts[0].Start != "14:00" {
		t.Errorf("B has of A's programme %+v", acts)
	}

	// B restarts: its cursor holds, and nothing comes twice.
	cursor, _ := b.ds.Cursor(ctx)
	b.db.Close()
	b.open(t, w)
	if c, _ := b.ds.Cursor(ctx); c != cursor || c == 0 {
		t.Errorf("cursor after a restart = %d, want %d", c, cursor)
	}
	w.clock.Add(time.Minute)
	b.share(t)
	if queue, _ := b.qs.Queue(ctx, question.QueueFilter{}); len(queue) != 1 {
		t.Errorf("after a restart B's queue holds %d questions, want 1", len(queue))
	}

	// When idle, a kiosk asks for updates at most once a minute.
	n := w.sent.count(district.UpdatesPath)
	b.share(t)
	b.share(t)
	if got := w.sent.count(district.UpdatesPath); got != n {
		t.Errorf("pulled %d times within a minute, want 0", got-n)
	}
	w.clock.Add(time.Minute)
	b.share(t)
	if got := w.sent.count(district.UpdatesPath); got != n+1 {
		t.Errorf("pulled %d times after a minute, want 1", got-n)
	}
	// The programme goes again only when it changed: once from each
	// house, as yet.
	if n := w.sent.count(district.ProgrammePath); n != 2 {
		t.Errorf("the houses published their programmes %d times, want once each", n)
	}
	walk.Room = "Zaal 3"
	if err := progA.UpdateActivity(ctx, &walk); err != nil {
		t.Fatal(err)
	}
	a.share(t)
	if n := w.sent.count(district.ProgrammePath); n != 3 {
		t.Errorf("a changed programme: published %d times in all, want 3", n)
	}
	w.clock.Add(time.Minute)
	b.share(t)
	if acts, _ := b.ds.ActivitiesOn(ctx, today, "bewegen"); len(acts) != 1 || acts[0].Room != "Zaal 3" {
		t.Errorf("B has A's changed activity as %+v", acts)
	}

	// B is revoked; A's next referral to it is refused and back with A.
	again := question.Question{Topic: "wonen", Text: "Mijn huur", FollowUp: question.Waiting, Lang: "nl"}
	if err := a.qs.Create(ctx, &again); err != nil {
		t.Fatal(err)
	}
	if _, err := a.qs.ReferToHouse(ctx, again.ID, "Anna", "Huis Oost", ""); err != nil {
		t.Fatal(err)
	}
	if err := w.db.Revoke(ctx, hb.ID, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	a.share(t)
	back, _ := a.qs.ByToken(ctx, again.Token)
	h, _ := a.qs.HandOver(ctx, again.ID)
	if back.Status != question.Claimed || h.State != sharing.Refused || h.Reason == "" {
		t.Errorf("a refused referral: status %s, hand-over %+v; want claimed, refused with a reason", back.Status, h)
	}

	// Never: the unreferred question's text or code, or a token.
	all := w.sent.all()
	for what, s := range map[string]string{"the unreferred question's text": secret.Text, "its code": secret.Code,
		"its token": secret.Token, "the referred question's token": referred.Token} {
		if bytes.Contains(all, []byte(s)) {
			t.Errorf("the kiosk sent %s (%q)", what, s)
		}
	}
	if !bytes.Contains(all, []byte(referred.Code)) {
		t.Error("the referral's code never went: is the recording of requests broken?")
	}
}

// BenchmarkShareIdleMinute is what a joined kiosk spends each minute
// when nothing happens: looking for referrals, seeing whether its
// programme (a busy fortnight) changed, and one pull that brings
// nothing, against a real district server. The CPU time is the whole
// test process's, the district server's included, so the kiosk's own
// share is less; as a share of the minute between rounds it must stay
// far below the 1 % the sender may take.
func BenchmarkShareIdleMinute(b *testing.B) {
	ctx := context.Background()
	w := newShareWorld(b)
	_, k := w.house(b, "Huis West")
	prog := sqlite.NewProgrammeService(k.db)
	if err := prog.SaveCategory(ctx, programme.Category{Key: "bewegen", Icon: "bewegen"}); err != nil {
		b.Fatal(err)
	}
	for i := range 40 { // some 40 activities a week, each weekday
		a := programme.Activity{Title: "Activiteit " + strconv.Itoa(i), Category: "bewegen", Start: programme.Clock(9+i%8, 0), End: programme.Clock(10+i%8, 0),
			Schedule: programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(time.Weekday(1 + i%5))}}
		if err := prog.CreateActivity(ctx, &a); err != nil {
			b.Fatal(err)
		}
	}
	if err := k.sender.ShareOnce(ctx); err != nil { // the first publish and pull
		b.Fatal(err)
	}
	var cpu time.Duration
	for b.Loop() {
		w.clock.Add(time.Minute)
		start := cpuTime()
		if err := k.sender.ShareOnce(ctx); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - start
	}
	n := float64(b.N)
	b.ReportMetric(float64(cpu.Microseconds())/n/1000, "cpu-ms/minute")
	b.ReportMetric(100*float64(cpu)/n/float64(time.Minute), "%cpu-idle")
}
