package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

// start is when the tests' clock starts: a Tuesday morning at the house.
var start = time.Date(2025, time.March, 4, 9, 0, 0, 0, time.UTC)

// followUp opens a database whose clock moves a minute on every reading,
// so that each question and event has its own time.
func followUp(t testing.TB) (*sqlite.QuestionService, string) {
	t.Helper()
	db, path := open(t)
	now := start
	db.Now = func() time.Time {
		now = now.Add(time.Minute)
		return now
	}
	return sqlite.NewQuestionService(db), path
}

// ask stores a question about topic.
func ask(t testing.TB, qs *sqlite.QuestionService, topic string, f question.FollowUp) question.Question {
	t.Helper()
	q := question.Question{Topic: topic, Text: "Vraag over " + topic, FollowUp: f}
	if err := qs.Create(context.Background(), &q); err != nil {
		t.Fatalf("create question: %v", err)
	}
	return q
}

// apply does a on question id as actor, failing the test on an error.
func apply(t testing.TB, qs *sqlite.QuestionService, id int64, actor string, a question.Action) question.Question {
	t.Helper()
	q, err := qs.Apply(context.Background(), id, actor, a)
	if err != nil {
		t.Fatalf("apply %s to question %d: %v", a.Kind, id, err)
	}
	return q
}

// queueIDs lists the IDs in the queue f selects, in order.
func queueIDs(t testing.TB, qs *sqlite.QuestionService, f question.QueueFilter) []int64 {
	t.Helper()
	items, err := qs.Queue(context.Background(), f)
	if err != nil {
		t.Fatalf("queue %+v: %v", f, err)
	}
	ids := []int64{}
	for _, it := range items {
		ids = append(ids, it.Question.ID)
	}
	return ids
}

// partnerID returns the ID of the partner named name.
func partnerID(t testing.TB, qs *sqlite.QuestionService, name string) int64 {
	t.Helper()
	ps, err := qs.Partners(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Name == name {
			return p.ID
		}
	}
	t.Fatalf("no partner %q in %+v", name, ps)
	return 0
}

func TestQueueOrder(t *testing.T) {
	ctx := context.Background()
	qs, _ := followUp(t)
	comeBack1 := ask(t, qs, "geld", question.ComeBack)
	waiting1 := ask(t, qs, "wonen", question.Waiting)
	comeBack2 := ask(t, qs, "taal", question.ComeBack)
	waiting2 := ask(t, qs, "geld", question.Waiting)
	done := ask(t, qs, "geld", question.Waiting)
	apply(t, qs, done.ID, "Sanne", question.Action{Kind: question.EventClosed, Outcome: question.Helped, Text: "Al geholpen."})
	claimed := apply(t, qs, comeBack1.ID, "Fatima", question.Action{Kind: question.EventClaimed})

	items, err := qs.Queue(ctx, question.QueueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, it := range items {
		got = append(got, it.Question.ID)
	}
	// Waiting at the entrance first, then the oldest; the closed one is gone.
	want := []int64{waiting1.ID, waiting2.ID, comeBack1.ID, comeBack2.ID}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got queue %v, want %v", got, want)
	}

	first := items[0]
	if first.Question.Token != waiting1.Token || first.Question.Text != waiting1.Text ||
		!first.Question.Created.Equal(waiting1.Created) || first.Question.Status != question.New {
		t.Errorf("got first item %+v, want question %+v", first.Question, waiting1)
	}
	if first.ClaimedBy != "" || !first.LastEvent.IsZero() {
		t.Errorf("untouched question: got claimed by %q, last event %v, want nobody and never", first.ClaimedBy, first.LastEvent)
	}
	third := items[2]
	if got, want := third.ClaimedBy, "Fatima"; got != want {
		t.Errorf("got claimed by %q, want %q", got, want)
	}
	if got, want := third.Question.Status, claimed.Status; got != want {
		t.Errorf("got status %q, want %q", got, want)
	}
	history, err := qs.History(ctx, comeBack1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := third.LastEvent, history[len(history)-1].At; !got.Equal(want) {
		t.Errorf("got last event at %v, want %v", got, want)
	}
}

func TestQueueFilter(t *testing.T) {
	qs, _ := followUp(t)
	geldNew := ask(t, qs, "geld", question.ComeBack)
	geldClaimed := ask(t, qs, "geld", question.ComeBack)
	wonenReferred := ask(t, qs, "wonen", question.Waiting)
	geldClosed := ask(t, qs, "geld", question.Waiting)
	wonenClosed := ask(t, qs, "wonen", question.ComeBack)
	taalNew := ask(t, qs, "taal", question.Waiting)
	apply(t, qs, geldClaimed.ID, "Sanne", question.Action{Kind: question.EventClaimed})
	apply(t, qs, wonenReferred.ID, "Sanne", question.Action{Kind: question.EventReferred, Partner: partnerID(t, qs, "Buurtteam")})
	apply(t, qs, geldClosed.ID, "Sanne", question.Action{Kind: question.EventClosed, Outcome: question.Helped, Text: "Opgelost."})
	apply(t, qs, wonenClosed.ID, "Sanne", question.Action{Kind: question.EventClosed, Outcome: question.Helped, Text: "Opgelost."})

	tests := []struct {
		name   string
		filter question.QueueFilter
		want   []int64
	}{
		{"all open", question.QueueFilter{}, []int64{wonenReferred.ID, taalNew.ID, geldNew.ID, geldClaimed.ID}},
		{"new", question.QueueFilter{Status: question.New}, []int64{taalNew.ID, geldNew.ID}},
		{"claimed", question.QueueFilter{Status: question.Claimed}, []int64{geldClaimed.ID}},
		{"referred", question.QueueFilter{Status: question.Referred}, []int64{wonenReferred.ID}},
		{"closed", question.QueueFilter{Status: question.Closed}, []int64{geldClosed.ID, wonenClosed.ID}},
		{"topic", question.QueueFilter{Topic: "geld"}, []int64{geldNew.ID, geldClaimed.ID}},
		{"topic and status", question.QueueFilter{Topic: "geld", Status: question.New}, []int64{geldNew.ID}},
		{"topic, closed", question.QueueFilter{Topic: "wonen", Status: question.Closed}, []int64{wonenClosed.ID}},
		{"topic without questions", question.QueueFilter{Topic: "werk"}, []int64{}},
		{"unknown topic", question.QueueFilter{Topic: "raketten"}, []int64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := queueIDs(t, qs, tt.filter); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}

	t.Run("unknown status", func(t *testing.T) {
		_, err := qs.Queue(context.Background(), question.QueueFilter{Status: "lost"})
		if !errors.Is(err, question.ErrInvalid) {
			t.Errorf("got %v, want ErrInvalid", err)
		}
	})
}

// A question followed up from start to end: each action changes its
// status as it should, leaves one line of history, and the question leaves
// the queue when it is closed.
func TestApply(t *testing.T) {
	ctx := context.Background()
	qs, path := followUp(t)
	q := ask(t, qs, "geld", question.Waiting)
	other := ask(t, qs, "taal", question.ComeBack)
	grip := partnerID(t, qs, "Schuldhulp / Grip op je Geld")

	steps := []struct {
		actor  string
		action question.Action
		status question.Status
		event  question.Event // the line of history it leaves; At is checked apart
	}{
		{"Fatima", question.Action{Kind: question.EventClaimed, Text: "ignored"}, question.Claimed,
			question.Event{Actor: "Fatima", Kind: question.EventClaimed}},
		{"Fatima", question.Action{Kind: question.EventNote, Text: "  Veel ongeopende post, schaamt zich.  "}, question.Claimed,
			question.Event{Actor: "Fatima", Kind: question.EventNote, Text: "Veel ongeopende post, schaamt zich."}},
		{"Fatima", question.Action{Kind: question.EventReferred, Partner: grip}, question.Referred,
			question.Event{Actor: "Fatima", Kind: question.EventReferred, Text: "Schuldhulp / Grip op je Geld"}},
		{"Fatima", question.Action{Kind: question.EventMessage, Text: "Welkom bij het spreekuur op donderdag om 13 uur."}, question.Referred,
			question.Event{Actor: "Fatima", Kind: question.EventMessage, Text: "Welkom bij het spreekuur op donderdag om 13 uur."}},
		// Sanne takes it over from Fatima, having been asked first; the
		// history says from whom.
		{"Sanne", question.Action{Kind: question.EventClaimed, TakeOver: true}, question.Claimed,
			question.Event{Actor: "Sanne", Kind: question.EventClaimed, Text: "Fatima"}},
		{"Sanne", question.Action{Kind: question.EventClosed, Outcome: question.Helped, Text: "Afspraak gemaakt bij Grip op je Geld."}, question.Closed,
			question.Event{Actor: "Sanne", Kind: question.EventClosed, Text: "Afspraak gemaakt bij Grip op je Geld."}},
	}
	var want []question.Event
	for _, st := range steps {
		got := apply(t, qs, q.ID, st.actor, st.action)
		if got.Status != st.status {
			t.Errorf("%s: got status %q, want %q", st.action.Kind, got.Status, st.status)
		}
		if got.ID != q.ID || got.Token != q.Token || got.Text != q.Text {
			t.Errorf("%s: got question %+v, want %+v", st.action.Kind, got, q)
		}
		want = append(want, st.event)
		history, err := qs.History(ctx, q.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(history) != len(want) {
			t.Fatalf("%s: got %d lines of history, want %d", st.action.Kind, len(history), len(want))
		}
		last := history[len(history)-1]
		if !last.At.After(q.Created) || last.ID == 0 || last.QuestionID != q.ID {
			t.Errorf("%s: got event %+v, want an ID, the question and a time after the question", st.action.Kind, last)
		}
		if i := len(history) - 2; i >= 0 && !last.At.After(history[i].At) {
			t.Errorf("%s: got event at %v, not after the one before at %v", st.action.Kind, last.At, history[i].At)
		}
		last.ID, last.QuestionID, last.At = 0, 0, time.Time{}
		if last != st.event {
			t.Errorf("%s: got event %+v, want %+v", st.action.Kind, last, st.event)
		}
		open := queueIDs(t, qs, question.QueueFilter{})
		if inQueue := len(open) > 0 && open[0] == q.ID; inQueue != st.status.Open() {
			t.Errorf("%s: got queue %v; want question %d in it: %v", st.action.Kind, open, q.ID, st.status.Open())
		}
	}
	if got, want := queueIDs(t, qs, question.QueueFilter{}), []int64{other.ID}; !reflect.DeepEqual(got, want) {
		t.Errorf("got queue %v after closing, want %v", got, want)
	}
	if got, want := queueIDs(t, qs, question.QueueFilter{Status: question.Closed}), []int64{q.ID}; !reflect.DeepEqual(got, want) {
		t.Errorf("got closed %v, want %v", got, want)
	}

	// What the queue and the visitor read without the history.
	var claimedBy, message, messageAt, outcome string
	var partner int64
	err := raw(t, path).QueryRow(`SELECT claimed_by, visitor_message, message_at, partner_id, outcome FROM questions WHERE id = ?`, q.ID).
		Scan(&claimedBy, &message, &messageAt, &partner, &outcome)
	if err != nil {
		t.Fatal(err)
	}
	got := []any{claimedBy, message, partner, outcome}
	wantCols := []any{"Sanne", "Welkom bij het spreekuur op donderdag om 13 uur.", grip, "Afspraak gemaakt bij Grip op je Geld."}
	if !reflect.DeepEqual(got, wantCols) {
		t.Errorf("got columns %v, want %v", got, wantCols)
	}
	if messageAt == "" {
		t.Error("got no message_at, want when the message was written")
	}
}

// A refused action changes nothing: no status, no history.
func TestApplyRefused(t *testing.T) {
	ctx := context.Background()
	qs, _ := followUp(t)
	open := ask(t, qs, "wonen", question.ComeBack)
	closed := ask(t, qs, "wonen", question.Waiting)
	apply(t, qs, closed.ID, "Sanne", question.Action{Kind: question.EventClosed, Outcome: question.Helped, Text: "Huurcommissie gebeld."})

	tests := []struct {
		name   string
		id     int64
		actor  string
		action question.Action
		err    error
	}{
		{"claim closed", closed.ID, "Fatima", question.Action{Kind: question.EventClaimed}, question.ErrInvalid},
		{"missing partner", open.ID, "Fatima", question.Action{Kind: question.EventReferred, Partner: 999}, question.ErrInvalid},
		{"no partner", open.ID, "Fatima", question.Action{Kind: question.EventReferred}, question.ErrInvalid},
		{"empty note", open.ID, "Fatima", question.Action{Kind: question.EventNote, Text: "   "}, question.ErrInvalid},
		{"close without outcome", open.ID, "Fatima", question.Action{Kind: question.EventClosed}, question.ErrInvalid},
		{"viewed is no action", open.ID, "Fatima", question.Action{Kind: question.EventViewed}, question.ErrInvalid},
		{"nobody", open.ID, " ", question.Action{Kind: question.EventClaimed}, question.ErrInvalid},
		{"unknown question", 12345, "Fatima", question.Action{Kind: question.EventClaimed}, question.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := qs.Apply(ctx, tt.id, tt.actor, tt.action)
			if !errors.Is(err, tt.err) {
				t.Fatalf("got error %v, want %v", err, tt.err)
			}
			if got != (question.Question{}) {
				t.Errorf("got question %+v with the error, want none", got)
			}
		})
	}

	for _, q := range []struct {
		id     int64
		status question.Status
		lines  int
	}{{open.ID, question.New, 0}, {closed.ID, question.Closed, 2}} { // closing it claimed it first
		history, err := qs.History(ctx, q.id)
		if err != nil {
			t.Fatal(err)
		}
		if len(history) != q.lines {
			t.Errorf("question %d: got history %+v, want %d lines", q.id, history, q.lines)
		}
		v, err := qs.VisitorViewByCode(ctx, map[int64]string{open.ID: open.Code, closed.ID: closed.Code}[q.id])
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != q.status {
			t.Errorf("question %d: got status %q, want %q", q.id, v.Status, q.status)
		}
	}
}

func TestViewedAndHistory(t *testing.T) {
	ctx := context.Background()
	qs, _ := followUp(t)
	q := ask(t, qs, "mensen", question.ComeBack)

	history, err := qs.History(ctx, q.ID)
	if err != nil || len(history) != 0 {
		t.Fatalf("got history %+v, %v, want none", history, err)
	}
	if err := qs.Viewed(ctx, q.ID, "Fatima"); err != nil {
		t.Fatal(err)
	}
	apply(t, qs, q.ID, "Fatima", question.Action{Kind: question.EventClaimed})
	if err := qs.Viewed(ctx, q.ID, "Sanne"); err != nil {
		t.Fatal(err)
	}
	history, err = qs.History(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range history {
		got = append(got, e.Actor+" "+string(e.Kind))
	}
	if want := []string{"Fatima viewed", "Fatima claimed", "Sanne viewed"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got history %q, want %q", got, want)
	}
	// A view is not a change: the status stays.
	if v, _ := qs.VisitorView(ctx, q.Token); v.Status != question.Claimed {
		t.Errorf("got status %q after a view, want claimed", v.Status)
	}

	for name, err := range map[string]error{
		"viewed":  qs.Viewed(ctx, 999, "Fatima"),
		"history": func() error { _, err := qs.History(ctx, 999); return err }(),
	} {
		if !errors.Is(err, question.ErrNotFound) {
			t.Errorf("%s of an unknown question: got %v, want ErrNotFound", name, err)
		}
	}
	if err := qs.Viewed(ctx, q.ID, ""); !errors.Is(err, question.ErrInvalid) {
		t.Errorf("viewed by nobody: got %v, want ErrInvalid", err)
	}
}

func TestVisitorView(t *testing.T) {
	ctx := context.Background()
	qs, _ := followUp(t)
	q := ask(t, qs, "gezondheid", question.Waiting)

	// Anonymous by design: a visitor's view holds the status and the
	// message, and nothing a volunteer wrote for other volunteers or
	// anyone's name. A new field here must be something any finder of a
	// lost slip may read: which neighbourhood house took the question
	// over is (it names the house, not the visitor nor the question).
	var fields []string
	typ := reflect.TypeFor[question.VisitorView]()
	for i := range typ.NumField() {
		fields = append(fields, typ.Field(i).Name)
	}
	if got, want := strings.Join(fields, " "), "Status Message MessageAt HandedTo"; got != want {
		t.Fatalf("VisitorView has fields %s, want %s", got, want)
	}

	view := func() question.VisitorView {
		t.Helper()
		byToken, err := qs.VisitorView(ctx, q.Token)
		if err != nil {
			t.Fatal(err)
		}
		byCode, err := qs.VisitorViewByCode(ctx, q.Code)
		if err != nil {
			t.Fatal(err)
		}
		if byToken != byCode {
			t.Errorf("by token %+v, by code %+v, want the same", byToken, byCode)
		}
		return byToken
	}
	if got, want := view(), (question.VisitorView{Status: question.New}); got != want {
		t.Errorf("new question: got %+v, want %+v", got, want)
	}

	apply(t, qs, q.ID, "Fatima", question.Action{Kind: question.EventClaimed})
	apply(t, qs, q.ID, "Fatima", question.Action{Kind: question.EventNote, Text: "Slaapt slecht, piekert veel."})
	apply(t, qs, q.ID, "Fatima", question.Action{Kind: question.EventMessage, Text: "Eerste versie."})
	apply(t, qs, q.ID, "Fatima", question.Action{Kind: question.EventMessage, Text: "Loop gerust binnen bij de huisarts."})
	apply(t, qs, q.ID, "Fatima", question.Action{Kind: question.EventReferred, Partner: partnerID(t, qs, "Huisarts")})
	history, err := qs.History(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The latest message counts, at the time it was written.
	want := question.VisitorView{Status: question.Referred, Message: "Loop gerust binnen bij de huisarts.", MessageAt: history[3].At}
	if got := view(); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}

	for name, err := range map[string]error{
		"unknown token": func() error { _, err := qs.VisitorView(ctx, strings.Repeat("A", 24)); return err }(),
		"empty token":   func() error { _, err := qs.VisitorView(ctx, ""); return err }(),
		"unknown code":  func() error { _, err := qs.VisitorViewByCode(ctx, "ZZZZZZ"); return err }(),
	} {
		if !errors.Is(err, question.ErrNotFound) {
			t.Errorf("%s: got %v, want ErrNotFound", name, err)
		}
	}
}

func TestPartners(t *testing.T) {
	ctx := context.Background()
	qs, _ := followUp(t)
	ps, err := qs.Partners(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
		if p.ID == 0 || p.Helps == "" || p.Contact == "" {
			t.Errorf("seeded partner %+v lacks an ID, what it helps with or a contact", p)
		}
	}
	seeded := []string{"Buurtteam", "Schuldhulp / Grip op je Geld", "Taal Informatie Punt", "Team ervaringsdeskundigen", "Huisarts"}
	if !reflect.DeepEqual(names, seeded) {
		t.Fatalf("got partners %q, want %q", names, seeded)
	}

	wijk := question.Partner{Name: "  Wijkagent ", Helps: "Overlast\n en veiligheid", Contact: "Spreekuur vr 14–15, Zaal 1"}
	if err := qs.SavePartner(ctx, &wijk); err != nil {
		t.Fatal(err)
	}
	if wijk.ID == 0 || wijk.Name != "Wijkagent" || wijk.Helps != "Overlast en veiligheid" {
		t.Errorf("got saved partner %+v, want an ID and normalised text", wijk)
	}
	buurtteam := ps[0]
	buurtteam.Contact = "Spreekuur di 10–12, nu in Zaal 3"
	if err := qs.SavePartner(ctx, &buurtteam); err != nil {
		t.Fatal(err)
	}
	ps, err = qs.Partners(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ps[0], buurtteam; got != want {
		t.Errorf("got first partner %+v, want %+v", got, want)
	}
	if got, want := ps[len(ps)-1], wijk; got != want {
		t.Errorf("got last partner %+v, want the new one %+v", got, want)
	}

	tests := []struct {
		name    string
		partner question.Partner
		err     error
	}{
		{"no name", question.Partner{Helps: "Alles"}, question.ErrInvalid},
		{"blank name", question.Partner{Name: " \t "}, question.ErrInvalid},
		{"name taken", question.Partner{Name: "Huisarts"}, question.ErrInvalid},
		{"name taken in another case", question.Partner{Name: "taal informatie punt"}, question.ErrInvalid},
		{"rename onto another", question.Partner{ID: wijk.ID, Name: "Buurtteam"}, question.ErrInvalid},
		{"unknown ID", question.Partner{ID: 999, Name: "Voedselbank"}, sqlite.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.partner
			if err := qs.SavePartner(ctx, &p); !errors.Is(err, tt.err) {
				t.Errorf("got %v, want %v", err, tt.err)
			}
		})
	}
	after, err := qs.Partners(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after, ps) {
		t.Errorf("got partners %+v after refusals, want %+v", after, ps)
	}
}

// A database from before follow-up keeps its questions, and they join
// the queue untouched.
func TestFollowUpMigrationKeepsQuestions(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "buurtbalie.db")
	r := raw(t, path)
	if _, err := r.Exec(`CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"001_programme.sql", "002_questions.sql"} {
		text, err := os.ReadFile(filepath.Join("migrations", name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Exec(string(text)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := r.Exec(`INSERT INTO migrations VALUES (?, ?, '2025-01-01T00:00:00Z')`, i+1, name); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Exec(`INSERT INTO questions (token, code, topic, follow_up, status, created_at)
		VALUES ('AAAAAAAAAAAAAAAAAAAAAAAA', 'K7M4QX', 'taal', 'come_back', 'new', '2025-02-03T10:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	r.Close()

	qs := sqlite.NewQuestionService(openAt(t, path))
	items, err := qs.Queue(ctx, question.QueueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Question.Code != "K7M4QX" || items[0].ClaimedBy != "" || !items[0].LastEvent.IsZero() {
		t.Fatalf("got queue %+v, want the old question, unclaimed and untouched", items)
	}
	v, err := qs.VisitorViewByCode(ctx, "K7M4QX")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := v, (question.VisitorView{Status: question.New}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	apply(t, qs, items[0].Question.ID, "Fatima", question.Action{Kind: question.EventReferred, Partner: partnerID(t, qs, "Taal Informatie Punt")})
}

// BenchmarkQueue measures the volunteers' queue page's query on a house
// that has been busy for a while: 5,000 questions, half of them closed,
// each with a few lines of history.
func BenchmarkQueue(b *testing.B) {
	ctx := context.Background()
	qs, path := followUp(b)
	if err := busyHouse(raw(b, path), 5000, rand.New(rand.NewPCG(4, 5))); err != nil {
		b.Fatal(err)
	}
	for _, bb := range []struct {
		name   string
		filter question.QueueFilter
	}{
		{"open", question.QueueFilter{}},
		{"topic", question.QueueFilter{Topic: "geld"}},
		{"claimed", question.QueueFilter{Status: question.Claimed}},
		{"closed", question.QueueFilter{Status: question.Closed}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				items, err := qs.Queue(ctx, bb.filter)
				if err != nil {
					b.Fatal(err)
				}
				n = len(items)
			}
			b.ReportMetric(float64(n), "questions/op")
		})
	}
}

// busyHouse stores n questions over the last year under the store, in one
// transaction: half closed, the rest new, claimed or referred, a third
// waiting at the entrance, each with one to four lines of history.
func busyHouse(db *sql.DB, n int, r *rand.Rand) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	topics := []string{"geld", "wonen", "gezondheid", "mensen", "taal", "werk", "anders"}
	for i := range n {
		created := start.Add(-time.Duration(n-i) * 100 * time.Minute)
		status := []question.Status{question.New, question.Claimed, question.Referred}[r.IntN(3)]
		if i%2 == 0 {
			status = question.Closed
		}
		followUp := question.ComeBack
		if r.IntN(3) == 0 {
			followUp = question.Waiting
		}
		res, err := tx.Exec(`INSERT INTO questions (token, code, topic, text, follow_up, status, created_at, claimed_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			fmt.Sprintf("%024d", i), fmt.Sprintf("%06d", i), topics[r.IntN(len(topics))],
			"Ik krijg brieven die ik niet begrijp en durf ze niet open te maken.",
			string(followUp), string(status), created.Format(time.RFC3339Nano), "Fatima")
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		var at string
		for j := range 1 + r.IntN(4) {
			kind := []question.EventKind{question.EventViewed, question.EventClaimed, question.EventNote, question.EventMessage}[j]
			at = created.Add(time.Duration(j+1) * 7 * time.Minute).UTC().Format("2006-01-02T15:04:05.000000000Z07:00")
			if _, err := tx.Exec(`INSERT INTO events (question_id, at, actor, kind, text) VALUES (?, ?, ?, ?, ?)`,
				id, at, "Fatima", string(kind), "Even gesproken bij de koffie."); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`UPDATE questions SET last_event_at = ? WHERE id = ?`, at, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Writing on a new question claims it first, and claiming a colleague's
// question is refused until it is confirmed as a takeover.
func TestApplyClaims(t *testing.T) {
	ctx := context.Background()
	qs, _ := followUp(t)
	q := ask(t, qs, "geld", question.ComeBack)
	got := apply(t, qs, q.ID, "Piet", question.Action{Kind: question.EventMessage, Text: "Kom donderdag om 13 uur."})
	if got.Status != question.Claimed {
		t.Errorf("a message on a new question leaves it %q, want claimed", got.Status)
	}
	history, err := qs.History(ctx, q.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 2 || history[0].Kind != question.EventClaimed || history[0].Actor != "Piet" || history[1].Kind != question.EventMessage {
		t.Fatalf("got history %+v, want Piet's claim, then his message", history)
	}
	items, err := qs.Queue(ctx, question.QueueFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].ClaimedBy != "Piet" {
		t.Errorf("the queue shows %+v, want it claimed by Piet", items)
	}

	_, err = qs.Apply(ctx, q.ID, "Kees", question.Action{Kind: question.EventClaimed})
	var taken *question.TakenError
	if !errors.As(err, &taken) || taken.By != "Piet" {
		t.Fatalf("Kees claiming Piet's question: got %v, want it refused naming Piet", err)
	}
	if h, _ := qs.History(ctx, q.ID); len(h) != 2 {
		t.Errorf("the refused claim left history %+v", h)
	}
	// A colleague's note needs no takeover, and does not move the claim.
	apply(t, qs, q.ID, "Kees", question.Action{Kind: question.EventNote, Text: "Ik ken deze mevrouw."})
	apply(t, qs, q.ID, "Kees", question.Action{Kind: question.EventClaimed, TakeOver: true})
	if items, _ := qs.Queue(ctx, question.QueueFilter{}); len(items) != 1 || items[0].ClaimedBy != "Kees" {
		t.Errorf("after the takeover the queue shows %+v, want it claimed by Kees", items)
	}
	got = apply(t, qs, q.ID, "Kees", question.Action{Kind: question.EventClosed, Outcome: question.NoContact})
	if got.Status != question.Closed || got.Outcome != question.NoContact {
		t.Errorf("closed as %q with status %q", got.Outcome, got.Status)
	}
	if again, err := qs.ByToken(ctx, q.Token); err != nil || again.Outcome != question.NoContact {
		t.Errorf("read back: outcome %q, %v", again.Outcome, err)
	}
}
