package sqlite_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/district"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/retention"
	"buurtbalie/internal/sharing"
	"buurtbalie/internal/sqlite"
)

// joined opens a kiosk's database at path that joined a district as
// house, and knows the district's houses.
func joined(t *testing.T, path, house string, houses ...string) (*sqlite.DB, *sqlite.QuestionService, *sqlite.DistrictService) {
	t.Helper()
	ctx := context.Background()
	db := openAt(t, path)
	ds := sqlite.NewDistrictService(db)
	if _, ok, _ := ds.Link(ctx); !ok {
		if err := ds.Join(ctx, "https://wijk.example.nl", district.Joined{Kiosk: district.NewEventID(), Key: district.NewKey(), House: house, District: "West"}); err != nil {
			t.Fatal(err)
		}
	}
	if houses != nil {
		if err := ds.ApplyUpdates(ctx, district.Updates{Houses: append(houses, house)}); err != nil {
			t.Fatal(err)
		}
	}
	return db, sqlite.NewQuestionService(db), ds
}

const referChildEnv = "BUURTBALIE_TEST_REFER_CHILD"

// TestReferChild is the process TestReferralSurvivesAKill kills: it
// refers the question whose id it is given to Huis Oost, says so, and
// waits to be killed before anything is sent.
func TestReferChild(t *testing.T) {
	path := os.Getenv(referChildEnv)
	if path == "" {
		t.Skip("run by TestReferralSurvivesAKill")
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	id, _ := strconv.ParseInt(os.Getenv("BUURTBALIE_TEST_QUESTION"), 10, 64)
	if _, err := sqlite.NewQuestionService(db).ReferToHouse(ctx, id, "Anna", "Huis Oost", "spreekt Turks"); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("referred")
	select {} // until killed
}

// A volunteer refers a question to another house; the kiosk is killed
// before the sender runs. Opened again, the database holds the question
// as referred and the referral waiting to be sent, both or neither.
// Sent (the district's answer kept twice, as after a lost answer) it is
// sent once; a refused one is back with the house, with the district's
// reason.
func TestReferralSurvivesAKill(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "buurtbalie.db")
	db, qs, _ := joined(t, path, "Huis West", "Huis Oost", "Huis Zuid")
	q := question.Question{Topic: "geld", Text: "Ik snap mijn post niet", FollowUp: question.ComeBack, Lang: "tr"}
	if err := qs.Create(ctx, &q); err != nil {
		t.Fatal(err)
	}
	db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestReferChild$", "-test.v=false")
	cmd.Env = append(os.Environ(), referChildEnv+"="+path, "BUURTBALIE_TEST_QUESTION="+strconv.FormatInt(q.ID, 10))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := bufio.NewScanner(stdout)
	if !out.Scan() || out.Text() != "referred" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the child said %q", out.Text())
	}
	cmd.Process.Kill()
	cmd.Wait()

	db, qs, ds := joined(t, path, "Huis West")
	got, err := qs.ByToken(ctx, q.Token)
	if err != nil || got.Status != question.Referred {
		t.Fatalf("after the kill the question is %q (%v), want referred", got.Status, err)
	}
	pending, err := ds.PendingReferrals(ctx, 10)
	if err != nil || len(pending) != 1 {
		t.Fatalf("after the kill %d referrals wait (%v), want 1", len(pending), err)
	}
	r := pending[0]
	if r.ToHouse != "Huis Oost" || r.Code != q.Code || r.Text != q.Text || r.Language != "tr" || r.Topic != "geld" || r.Note != "spreekt Turks" {
		t.Errorf("the referral waiting is %+v", r)
	}
	if h, _ := qs.HandOver(ctx, q.ID); h.To != "Huis Oost" || h.State != sharing.Pending || !h.Out() {
		t.Errorf("hand-over = %+v, want pending to Huis Oost", h)
	}
	// Sent, and the answer kept twice: once sent, nothing waits.
	for range 2 {
		if err := ds.ReferralsDone(ctx, district.ReferralsAccepted{Accepted: []string{r.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	if pending, _ := ds.PendingReferrals(ctx, 10); len(pending) != 0 {
		t.Errorf("after sending, %d referrals wait, want 0", len(pending))
	}
	if h, _ := qs.HandOver(ctx, q.ID); h.State != sharing.Sent {
		t.Errorf("hand-over after sending = %+v, want sent", h)
	}
	if n := rawCount(t, db, `SELECT COUNT(*) FROM referrals_out WHERE body <> ''`); n != 0 {
		t.Errorf("%d referrals keep their text after they were sent, want 0", n)
	}

	// Referred again, to a house the district then refuses.
	q2 := question.Question{Topic: "wonen", Text: "Mijn huur", FollowUp: question.Waiting}
	if err := qs.Create(ctx, &q2); err != nil {
		t.Fatal(err)
	}
	if _, err := qs.ReferToHouse(ctx, q2.ID, "Kees", "Huis Zuid", ""); err != nil {
		t.Fatal(err)
	}
	pending, _ = ds.PendingReferrals(ctx, 10)
	if len(pending) != 1 {
		t.Fatalf("%d referrals wait, want 1", len(pending))
	}
	if err := ds.ReferralsDone(ctx, district.ReferralsAccepted{Refused: map[string]string{pending[0].ID: district.RefusedHouseLeft}}); err != nil {
		t.Fatal(err)
	}
	back, _ := qs.ByToken(ctx, q2.Token)
	h, _ := qs.HandOver(ctx, q2.ID)
	if back.Status != question.Claimed || h.State != sharing.Refused || h.Reason != district.RefusedHouseLeft || h.Out() {
		t.Errorf("after the refusal: status %s, hand-over %+v; want claimed, refused with the reason", back.Status, h)
	}
	hist, _ := qs.History(ctx, q2.ID)
	want := question.Event{Actor: "Huis Zuid", Kind: question.EventReferralRefused, Text: district.RefusedHouseLeft}
	if last := hist[len(hist)-1]; last.Actor != want.Actor || last.Kind != want.Kind || last.Text != want.Text {
		t.Errorf("the history ends with %+v, want %+v", last, want)
	}
	audit := auditActions(t, db)
	for _, want := range []string{"claimed", sharing.ActionReferredHouse, sharing.ActionReferralRefused} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit log %s lacks %s", audit, want)
		}
	}
	if strings.Contains(audit, q.Text) || strings.Contains(audit, q2.Text) {
		t.Error("the audit log holds a question's text")
	}
}

func TestReferToHouseRefused(t *testing.T) {
	ctx := context.Background()
	_, qs, ds := joined(t, filepath.Join(t.TempDir(), "buurtbalie.db"), "Huis West", "Huis Oost")
	q := question.Question{Topic: "geld", FollowUp: question.ComeBack}
	if err := qs.Create(ctx, &q); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, house, note string
	}{
		{"a house the district does not list", "Huis Noord", ""},
		{"the house itself", "Huis West", ""},
		{"a note too long", "Huis Oost", strings.Repeat("x", question.MaxNote+1)},
	} {
		if _, err := qs.ReferToHouse(ctx, q.ID, "Anna", tt.house, tt.note); !errors.Is(err, question.ErrInvalid) {
			t.Errorf("%s: err = %v, want question.ErrInvalid", tt.name, err)
		}
	}
	if got, _ := qs.ByToken(ctx, q.Token); got.Status != question.New {
		t.Errorf("after refused referrals the question is %s, want new", got.Status)
	}
	if p, _ := ds.PendingReferrals(ctx, 10); len(p) != 0 {
		t.Errorf("refused referrals left %d in the outbox", len(p))
	}
	// A house that left its district refers nowhere.
	if err := ds.Leave(ctx); err != nil {
		t.Fatal(err)
	}
	if hs, _ := qs.Houses(ctx); len(hs) != 0 {
		t.Errorf("houses after leaving: %v", hs)
	}
	if _, err := qs.ReferToHouse(ctx, q.ID, "Anna", "Huis Oost", ""); !errors.Is(err, question.ErrInvalid) {
		t.Errorf("referring after leaving: err = %v, want question.ErrInvalid", err)
	}
}

// Updates from the district are kept with their cursor, across a
// restart; a referral to this house becomes a question of its own, once,
// found by the code on the visitor's slip, also when a question of this
// house has that code too.
func TestApplyUpdates(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "buurtbalie.db")
	db, qs, ds := joined(t, path, "Huis Oost")
	clock := newClock(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	db.Now, db.Location = clock.Now, time.UTC
	own := question.Question{Topic: "geld", FollowUp: question.Waiting, Text: "eigen vraag"}
	if err := qs.Create(ctx, &own); err != nil {
		t.Fatal(err)
	}
	ref := district.Referral{ID: district.NewEventID(), FromHouse: "Huis West", ToHouse: "Huis Oost", Topic: "geld", Language: "tr",
		Text: "Ik snap mijn post niet", Code: "K7M4QX", Note: "spreekt Turks", At: clock.Now()}
	clash := ref
	clash.ID, clash.Code, clash.Text, clash.Topic = district.NewEventID(), own.Code, "zelfde code", "een-eigen-onderwerp"
	u := district.Updates{
		Cursor: 17, More: true,
		Houses:   []string{"Huis West", "Huis Oost", "Huis Zuid"},
		Partners: []district.Partner{{ID: 3, Name: "Schuldhulp West", HelpsWith: "schulden", Languages: []string{"nl", "tr"}, Hours: "di 10–12", Contact: "020 123"}},
		Activities: []district.Activity{
			{House: "Huis West", Key: "1/2026-03-02", Day: "2026-03-02", Start: "14:00", End: "15:00", Title: "Wandelgroep", Category: "bewegen"},
			{House: "Huis Oost", Key: "9/2026-03-02", Day: "2026-03-02", Start: "14:00", End: "15:00", Title: "Eigen", Category: "bewegen"},
		},
		Referrals: []district.Referral{ref, clash},
	}
	if err := ds.ApplyUpdates(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := ds.ApplyUpdates(ctx, u); err != nil { // the same answer again
		t.Fatal(err)
	}
	db.Close()

	db, qs, ds = joined(t, path, "Huis Oost")
	db.Now, db.Location = clock.Now, time.UTC
	if c, err := ds.Cursor(ctx); err != nil || c != 17 {
		t.Errorf("cursor after a restart = %d (%v), want 17", c, err)
	}
	if hs, _ := qs.Houses(ctx); strings.Join(hs, ",") != "Huis West,Huis Zuid" {
		t.Errorf("houses = %v, want the others", hs)
	}
	if ps, _ := qs.DistrictPartners(ctx); len(ps) != 1 || ps[0].Name != "Schuldhulp West" || strings.Join(ps[0].Languages, ",") != "nl,tr" {
		t.Errorf("district partners = %+v", ps)
	}
	acts, _ := ds.ActivitiesOn(ctx, programme.NewDate(2026, 3, 2), "bewegen")
	if len(acts) != 1 || acts[0].House != "Huis West" || acts[0].Title != "Wandelgroep" {
		t.Errorf("activities elsewhere = %+v, want Huis West's only", acts)
	}
	queue, _ := qs.Queue(ctx, question.QueueFilter{})
	if len(queue) != 3 {
		t.Fatalf("queue holds %d questions, want 3 (the house's own and two referred, once each)", len(queue))
	}
	found, err := qs.ByCodes(ctx, "K7M4QX")
	if err != nil || len(found) != 1 || found[0].Text != ref.Text || found[0].Lang != "tr" {
		t.Fatalf("ByCodes(K7M4QX) = %+v, %v", found, err)
	}
	h, _ := qs.HandOver(ctx, found[0].ID)
	if h.From != "Huis West" || h.Code != "K7M4QX" || h.Note != "spreekt Turks" {
		t.Errorf("hand-over = %+v", h)
	}
	both, err := qs.ByCodes(ctx, own.Code)
	if err != nil || len(both) != 2 {
		t.Fatalf("ByCodes of a code both houses gave = %d questions (%v), want both", len(both), err)
	}
	for _, q := range both {
		if q.ID != own.ID && q.Topic != "anders" {
			t.Errorf("a referral under a topic this house lacks came in as %q, want anders", q.Topic)
		}
	}
	in, _ := qs.ReferredIn(ctx)
	if len(in) != 2 || in[found[0].ID].From != "Huis West" {
		t.Errorf("referred in = %+v", in)
	}
	if audit := auditActions(t, db); strings.Count(audit, sharing.ActionReferredIn) != 2 {
		t.Errorf("audit log %s: want two %s", audit, sharing.ActionReferredIn)
	}

	// A pull that brings nothing new writes nothing: the kiosk's screens
	// reload on every commit, and a pull comes every minute.
	look := raw(t, db.Path())
	look.SetMaxOpenConns(1) // data_version is the connection's own
	version := func() int {
		t.Helper()
		var v int
		if err := look.QueryRow(`PRAGMA data_version`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := version()
	if err := ds.ApplyUpdates(ctx, district.Updates{Cursor: 17, Houses: []string{"Huis Zuid", "Huis Oost", "Huis West"}}); err != nil {
		t.Fatal(err)
	}
	if version() != before {
		t.Error("a pull with nothing new wrote to the database")
	}

	// Deleted entries go; Houses is always whole.
	if err := ds.ApplyUpdates(ctx, district.Updates{Cursor: 20, Houses: []string{"Huis Zuid"},
		Partners:   []district.Partner{{ID: 3, Deleted: true}},
		Activities: []district.Activity{{House: "Huis West", Key: "1/2026-03-02", Deleted: true}}}); err != nil {
		t.Fatal(err)
	}
	hs, _ := qs.Houses(ctx)
	ps, _ := qs.DistrictPartners(ctx)
	acts, _ = ds.ActivitiesOn(ctx, programme.NewDate(2026, 3, 2), "bewegen")
	if strings.Join(hs, ",") != "Huis Zuid" || len(ps) != 0 || len(acts) != 0 {
		t.Errorf("after deletions: houses %v, partners %v, activities %v", hs, ps, acts)
	}

	// A house revoked since it published: its activities go with it.
	if err := ds.ApplyUpdates(ctx, district.Updates{Cursor: 22, Houses: []string{"Huis Zuid", "Huis Noord"},
		Activities: []district.Activity{{House: "Huis Noord", Key: "7/2026-03-02", Day: "2026-03-02", Start: "14:00", End: "15:00", Title: "Wandelen", Category: "bewegen"}}}); err != nil {
		t.Fatal(err)
	}
	if acts, _ = ds.ActivitiesOn(ctx, programme.NewDate(2026, 3, 2), "bewegen"); len(acts) != 1 {
		t.Fatalf("Huis Noord's activity: %v", acts)
	}
	if err := ds.ApplyUpdates(ctx, district.Updates{Cursor: 23, Houses: []string{"Huis Zuid"}}); err != nil {
		t.Fatal(err)
	}
	if acts, _ = ds.ActivitiesOn(ctx, programme.NewDate(2026, 3, 2), "bewegen"); len(acts) != 0 {
		t.Errorf("the activities of a house no longer in the district stay: %v", acts)
	}

	// The district restored from an older backup starts over: what it
	// sent before goes, what it sends now stays.
	if err := ds.ApplyUpdates(ctx, district.Updates{Cursor: 30, Houses: []string{"Huis Zuid"},
		Partners: []district.Partner{{ID: 8, Name: "Voor de restore", HelpsWith: "geld", Contact: "020"}}}); err != nil {
		t.Fatal(err)
	}
	if err := ds.ApplyUpdates(ctx, district.Updates{Cursor: 4, Houses: []string{"Huis Zuid"},
		Partners: []district.Partner{{ID: 2, Name: "Na de restore", HelpsWith: "geld", Contact: "020"}}}); err != nil {
		t.Fatal(err)
	}
	ps, _ = qs.DistrictPartners(ctx)
	if cursor, _ := ds.Cursor(ctx); len(ps) != 1 || ps[0].Name != "Na de restore" || cursor != 4 {
		t.Errorf("after the district started over: partners %v, cursor %d", ps, cursor)
	}
}

func rawCount(t *testing.T, db *sqlite.DB, query string) int {
	t.Helper()
	return count(t, raw(t, db.Path()), query)
}

func auditActions(t *testing.T, db *sqlite.DB) string {
	t.Helper()
	log, err := sqlite.NewAccountService(db).AuditLog(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range log {
		out = append(out, e.Action+"("+e.Detail+")")
	}
	return strings.Join(out, " ")
}

// The visitor's view names the house an open question went to: not
// before, not once the district refused the referral, not once closed.
func TestVisitorViewSaysWhereTheQuestionWent(t *testing.T) {
	ctx := context.Background()
	_, qs, ds := joined(t, filepath.Join(t.TempDir(), "buurtbalie.db"), "Huis West", "Huis Oost", "Huis Zuid")
	q := question.Question{Topic: "geld", Text: "brief", FollowUp: question.ComeBack, Lang: "nl"}
	if err := qs.Create(ctx, &q); err != nil {
		t.Fatal(err)
	}
	handedTo := func(when string) string {
		t.Helper()
		v, err := qs.VisitorViewByCode(ctx, q.Code)
		if err != nil {
			t.Fatal(err)
		}
		if w, err := qs.VisitorView(ctx, q.Token); err != nil || w != v {
			t.Errorf("%s: by token %+v (%v), by code %+v", when, w, err, v)
		}
		return v.HandedTo
	}
	if h := handedTo("new"); h != "" {
		t.Errorf("a new question was handed to %q", h)
	}
	if _, err := qs.ReferToHouse(ctx, q.ID, "Anna", "Huis Zuid", ""); err != nil {
		t.Fatal(err)
	}
	if h := handedTo("referred"); h != "Huis Zuid" {
		t.Errorf("referred to Huis Zuid: the visitor sees %q", h)
	}
	pending, _ := ds.PendingReferrals(ctx, 10)
	if err := ds.ReferralsDone(ctx, district.ReferralsAccepted{Refused: map[string]string{pending[0].ID: district.RefusedHouseLeft}}); err != nil {
		t.Fatal(err)
	}
	if h := handedTo("refused"); h != "" {
		t.Errorf("after the refusal the visitor sees %q", h)
	}
	if _, err := qs.ReferToHouse(ctx, q.ID, "Anna", "Huis Oost", ""); err != nil {
		t.Fatal(err)
	}
	if h := handedTo("referred again"); h != "Huis Oost" {
		t.Errorf("referred to Huis Oost: the visitor sees %q", h)
	}
	if _, err := qs.Apply(ctx, q.ID, "Anna", question.Action{Kind: question.EventClosed, Outcome: question.Helped}); err != nil {
		t.Fatal(err)
	}
	if h := handedTo("closed"); h != "" {
		t.Errorf("closed, the visitor still sees %q", h)
	}
}

// A question another house referred here comes with its history's first
// line of its own kind, and the referring volunteer's note is text like
// the house's own notes: the nightly purge erases it with the rest of a
// closed question's text.
func TestReferralInIsForgottenWithItsQuestion(t *testing.T) {
	ctx := context.Background()
	db, qs, ds := joined(t, filepath.Join(t.TempDir(), "buurtbalie.db"), "Huis Oost")
	clock := newClock(night)
	db.Now = clock.Now
	ref := district.Referral{ID: district.NewEventID(), FromHouse: "Huis West", ToHouse: "Huis Oost", Topic: "geld", Language: "nl",
		Text: "GEHEIM-vraag", Code: "K7M4QX", Note: "GEHEIM-notitie", At: clock.Now()}
	if err := ds.ApplyUpdates(ctx, district.Updates{Cursor: 1, Houses: []string{"Huis West", "Huis Oost"}, Referrals: []district.Referral{ref}}); err != nil {
		t.Fatal(err)
	}
	found, err := qs.ByCodes(ctx, "K7M4QX")
	if err != nil || len(found) != 1 {
		t.Fatalf("ByCodes = %+v, %v", found, err)
	}
	id := found[0].ID
	hist, _ := qs.History(ctx, id)
	if len(hist) != 1 || hist[0].Kind != question.EventReferredIn || hist[0].Actor != "Huis West" || hist[0].Text != "GEHEIM-notitie" {
		t.Errorf("history %+v, want one line: referred in by Huis West, with the note", hist)
	}
	for _, a := range []question.Action{{Kind: question.EventClaimed}, {Kind: question.EventClosed, Outcome: question.PassedOn}} {
		if _, err := qs.Apply(ctx, id, "Ans", a); err != nil {
			t.Fatal(err)
		}
	}
	clock.Add(40 * retention.Day)
	if _, err := db.PurgeTrustingClock(ctx, retention.Default(), false); err != nil {
		t.Fatal(err)
	}
	if n := rawCount(t, db, `SELECT count(*) FROM referrals_in WHERE note <> ''`); n != 0 {
		t.Errorf("%d referrals in keep their note after the purge, want 0", n)
	}
	if n := rawCount(t, db, `SELECT count(*) FROM events WHERE text LIKE 'GEHEIM%'`); n != 0 {
		t.Errorf("%d history lines keep the referring volunteer's note after the purge, want 0", n)
	}
	if h, _ := qs.HandOver(ctx, id); h.From != "Huis West" || h.Code != "K7M4QX" {
		t.Errorf("hand-over after the purge = %+v, want where it came from, and its code, kept", h)
	}
}

// A visitor whose question another house referred here types the code
// on their slip from that house into this kiosk's "Mijn bonnetje", and
// finds it. A code that names two questions here finds neither, so that
// no visitor is shown another's; and a new question of this house never
// gets the code of such a slip.
func TestVisitorCodeOfAReferral(t *testing.T) {
	ctx := context.Background()
	db, qs, ds := joined(t, filepath.Join(t.TempDir(), "buurtbalie.db"), "Huis Oost")
	own := question.Question{Topic: "geld", FollowUp: question.Waiting, Text: "eigen vraag"}
	if err := qs.Create(ctx, &own); err != nil {
		t.Fatal(err)
	}
	taken, err := question.NewCode(bytes.NewReader(bytes.Repeat([]byte{1}, question.CodeLength)))
	if err != nil {
		t.Fatal(err)
	}
	at := db.Now()
	ref := district.Referral{ID: district.NewEventID(), FromHouse: "Huis West", ToHouse: "Huis Oost", Topic: "geld", Language: "nl", Text: "brief", Code: taken, At: at}
	clash := district.Referral{ID: district.NewEventID(), FromHouse: "Huis Zuid", ToHouse: "Huis Oost", Topic: "geld", Language: "nl", Text: "huur", Code: own.Code, At: at}
	if err := ds.ApplyUpdates(ctx, district.Updates{Cursor: 1, Houses: []string{"Huis West", "Huis Oost", "Huis Zuid"}, Referrals: []district.Referral{ref, clash}}); err != nil {
		t.Fatal(err)
	}
	referred, err := qs.ByCodes(ctx, taken)
	if err != nil || len(referred) != 1 {
		t.Fatalf("ByCodes(%s) = %+v, %v", taken, referred, err)
	}
	message(t, qs, referred[0].ID, "Kom dinsdag naar Huis Oost")
	if v, err := qs.VisitorViewByCode(ctx, taken); err != nil || v.Message != "Kom dinsdag naar Huis Oost" {
		t.Errorf("the code on Huis West's slip: %+v, %v; want the question Huis West referred here, with its message", v, err)
	}
	if _, err := qs.VisitorViewByCode(ctx, own.Code); !errors.Is(err, question.ErrNotFound) {
		t.Errorf("a code of two questions here: %v, want question.ErrNotFound", err)
	}
	// The random source offers the referred slip's code first.
	qs.Rand = bytes.NewReader(bytes.Join([][]byte{
		bytes.Repeat([]byte{7}, question.TokenBytes), bytes.Repeat([]byte{1}, question.CodeLength), bytes.Repeat([]byte{2}, question.CodeLength),
	}, nil))
	next := question.Question{Topic: "wonen", FollowUp: question.Waiting}
	if err := qs.Create(ctx, &next); err != nil {
		t.Fatal(err)
	}
	if next.Code == taken {
		t.Errorf("a new question got %s, the code on a slip of a question referred here", taken)
	}
}

// message has a volunteer claim question id and write the visitor a
// message.
func message(t *testing.T, qs *sqlite.QuestionService, id int64, text string) {
	t.Helper()
	for _, a := range []question.Action{{Kind: question.EventClaimed}, {Kind: question.EventMessage, Text: text}} {
		if _, err := qs.Apply(context.Background(), id, "Ans", a); err != nil {
			t.Fatal(err)
		}
	}
}

// A question this house referred to another that referred it back comes
// back with the code on the visitor's slip, which is this house's own
// question's code too: the visitor finds the one that came back, where
// the volunteers now work on it.
func TestVisitorCodeOfAQuestionThatCameBack(t *testing.T) {
	ctx := context.Background()
	db, qs, ds := joined(t, filepath.Join(t.TempDir(), "buurtbalie.db"), "Huis West", "Huis Oost")
	q := question.Question{Topic: "geld", FollowUp: question.Waiting, Text: "brief", Lang: "nl"}
	if err := qs.Create(ctx, &q); err != nil {
		t.Fatal(err)
	}
	if _, err := qs.ReferToHouse(ctx, q.ID, "Ans", "Huis Oost", ""); err != nil {
		t.Fatal(err)
	}
	pending, _ := ds.PendingReferrals(ctx, 10)
	if len(pending) != 1 {
		t.Fatalf("%d referrals wait, want 1", len(pending))
	}
	if err := ds.ReferralsDone(ctx, district.ReferralsAccepted{Accepted: []string{pending[0].ID}}); err != nil {
		t.Fatal(err)
	}
	back := district.Referral{ID: district.NewEventID(), FromHouse: "Huis Oost", ToHouse: "Huis West", Topic: "geld", Language: "nl",
		Text: "brief", Code: q.Code, Note: "hoort toch bij West", At: db.Now()}
	if err := ds.ApplyUpdates(ctx, district.Updates{Cursor: 1, Houses: []string{"Huis West", "Huis Oost"}, Referrals: []district.Referral{back}}); err != nil {
		t.Fatal(err)
	}
	both, err := qs.ByCodes(ctx, q.Code)
	if err != nil || len(both) != 2 {
		t.Fatalf("ByCodes = %d questions (%v), want the first and the one that came back", len(both), err)
	}
	again := both[0]
	if again.ID == q.ID {
		again = both[1]
	}
	message(t, qs, again.ID, "Kom donderdag")
	if v, err := qs.VisitorViewByCode(ctx, q.Code); err != nil || v.Message != "Kom donderdag" {
		t.Errorf("the visitor's code: %+v, %v; want the question that came back, with its message", v, err)
	}
}
