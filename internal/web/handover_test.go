package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"buurtbalie/internal/district"
	"buurtbalie/internal/districtweb"
	"buurtbalie/internal/outbox"
	"buurtbalie/internal/postgres"
	"buurtbalie/internal/postgres/pgtest"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sharing"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/web"
)

// handOverWorld is a district server on a real PostgreSQL with two
// houses' kiosks, each with its own web app over its own SQLite file.
type handOverWorld struct {
	db   *postgres.DB
	srv  *httptest.Server
	a, b *env
}

func newHandOverWorld(t *testing.T) (*handOverWorld, postgres.House) {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.Shared(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	w := &handOverWorld{db: db, a: newEnv(t), b: newEnv(t)}
	api := &districtweb.API{Store: db, District: "Amsterdam West", Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: w.a.clock.Now}
	w.srv = httptest.NewServer(api.Handler())
	t.Cleanup(w.srv.Close)
	var hb postgres.House
	for _, k := range []struct {
		e    *env
		name string
	}{{w.a, "Huis West"}, {w.b, "Huis Oost"}} {
		h, err := db.AddHouse(ctx, k.name, k.e.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		hb = h
		code := district.NewEnrolmentCode()
		if err := db.NewEnrolment(ctx, h.ID, district.HashEnrolmentCode(code), k.e.clock.Now().Add(district.EnrolmentValid)); err != nil {
			t.Fatal(err)
		}
		j, err := outbox.Join(ctx, w.srv.Client(), w.srv.URL, code)
		if err != nil {
			t.Fatal(err)
		}
		if err := sqlite.NewDistrictService(k.e.db).Join(ctx, w.srv.URL, j); err != nil {
			t.Fatal(err)
		}
	}
	return w, hb
}

// share runs e's sender once, as its background loop does.
func (w *handOverWorld) share(t *testing.T, e *env) {
	t.Helper()
	ds := sqlite.NewDistrictService(e.db)
	s := outbox.NewSender(ds, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.Client, s.Now, s.Share = w.srv.Client(), e.clock.Now, outbox.NewShare(ds)
	if _, err := s.SendOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.ShareOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func wantIn(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	text := html.UnescapeString(body)
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %q", what, want)
		}
	}
}

// A warm hand-over: a volunteer of Huis West refers a question to Huis
// Oost with a note; Huis Oost's queue shows it as referred by Huis West
// with its text and code, its /code finds it by the code on the
// visitor's slip, both audit logs record it, and the visitor's own page
// at Huis West says where it went. The referral list offers the
// district's partners beside the house's own; a referral the district
// refuses is back on the question's page with the district's reason.
func TestWarmHandOver(t *testing.T) {
	ctx := context.Background()
	w, oost := newHandOverWorld(t)
	sp, err := w.db.SavePartner(ctx, district.Partner{Name: "Schuldhulp West", HelpsWith: "Schulden en post", Languages: []string{"nl", "tr"},
		Hours: "di 10–12", Contact: "020 123 4567"}, w.a.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	w.share(t, w.a)
	w.share(t, w.b)
	w.share(t, w.a)

	q := question.Question{Topic: "geld", Text: "Ik snap de brief van de belasting niet", FollowUp: question.ComeBack, Lang: "tr"}
	if err := w.a.qs.Create(ctx, &q); err != nil {
		t.Fatal(err)
	}
	anna := w.a.volunteer()
	page := anna.get("/s/" + q.Token)
	wantIn(t, "the question's page", page.body, "Doorverwijzen naar een ander huis", "?step=house")
	form := anna.get("/s/" + q.Token + "?step=house")
	wantIn(t, "the hand-over step", form.body, `value="Huis Oost"`, "Bericht voor het andere huis")
	if strings.Contains(form.body, `value="Huis West"`) {
		t.Error("a house is offered itself to refer to")
	}
	refer := anna.get("/s/" + q.Token + "?step=refer")
	wantIn(t, "the referral list", refer.body, "Schuldhulp West", "van de wijk", "Talen: Nederlands, Türkçe", "Spreekuur: di 10–12", "020 123 4567",
		`value="d`+strconv.FormatInt(sp.ID, 10)+`"`)

	if r := anna.post("/s/"+q.Token, url.Values{"do": {"house"}, "house": {"Huis Noord"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a house not in the district: status %d, want 422", r.status)
	}
	r := anna.post("/s/"+q.Token, url.Values{"do": {"house"}, "house": {"Huis Oost"}, "text": {"Spreekt Turks, komt donderdag"}})
	wantStatus(t, "refer to Huis Oost", r, http.StatusSeeOther)
	page = anna.get(r.location())
	wantIn(t, "the page after referring", page.body, "Doorverwezen naar Huis Oost", "De vraag is doorverwezen naar het andere huis.")
	if strings.Contains(page.body, "?step=house") {
		t.Error("a question with another house is offered to refer again")
	}

	w.share(t, w.a)
	w.share(t, w.b)

	// Huis Oost's volunteer finds it.
	kees := w.b.volunteer()
	queue := kees.get("/queue")
	wantIn(t, "Huis Oost's queue", queue.body, "Doorverwezen door Huis West", q.Text, question.FormatCode(q.Code), "Spreekt Turks, komt donderdag")
	r = kees.post("/code", url.Values{"code": {strings.ToLower(q.Code)}})
	wantStatus(t, "Huis Oost's /code", r, http.StatusSeeOther)
	there := kees.get(r.location())
	wantIn(t, "the question at Huis Oost", there.body, q.Text, "Doorverwezen door Huis West", "Spreekt Turks, komt donderdag", question.FormatCode(q.Code),
		"Huis West</strong> verwees de vraag naar dit huis")
	// and takes it on, in Huis Oost's own log.
	if r := kees.post(r.location(), url.Values{"do": {"claim"}}); r.status != http.StatusSeeOther {
		t.Errorf("claim at Huis Oost: status %d", r.status)
	}

	audit := func(e *env) string {
		log, err := e.as.AuditLog(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, l := range log {
			out = append(out, l.Actor+":"+l.Action+":"+l.Detail)
		}
		return strings.Join(out, " ")
	}
	wantIn(t, "Huis West's audit log", audit(w.a), volunteer+":"+sharing.ActionReferredHouse+":Huis Oost")
	wantIn(t, "Huis Oost's audit log", audit(w.b), ":"+sharing.ActionReferredIn+":Huis West", volunteer+":viewed", volunteer+":claimed")
	for _, e := range []*env{w.a, w.b} {
		if strings.Contains(audit(e), q.Text) {
			t.Error("an audit log holds the question's text")
		}
	}

	// The visitor's own page at Huis West, in Turkish.
	visitor := w.a.client().get("/s/" + q.Token)
	wantIn(t, "the visitor's page", visitor.body, "Sorunuz Huis Oost adresine iletildi")
	if strings.Contains(visitor.body, q.Text) || strings.Contains(visitor.body, "Spreekt Turks") {
		t.Error("the visitor's page shows the question or the note")
	}

	// A district partner from the referral list.
	q2 := w.a.ask("Schulden", question.Waiting)
	r = anna.post("/s/"+q2.Token, url.Values{"do": {"refer"}, "partner": {"d" + strconv.FormatInt(sp.ID, 10)}})
	wantStatus(t, "refer to the district's partner", r, http.StatusSeeOther)
	wantIn(t, "the page after referring to the district's partner", anna.get(r.location()).body, "Doorverwezen naar Schuldhulp West")

	// Huis Oost is revoked before the next referral reaches the district.
	q3 := w.a.ask("Mijn huur", question.Waiting)
	r = anna.post("/s/"+q3.Token, url.Values{"do": {"house"}, "house": {"Huis Oost"}})
	wantStatus(t, "refer the third", r, http.StatusSeeOther)
	if err := w.db.Revoke(ctx, oost.ID, w.a.clock.Now()); err != nil {
		t.Fatal(err)
	}
	w.share(t, w.a)
	page = anna.get("/s/" + q3.Token)
	// Said in the volunteer's words, in the notice and the history: not
	// the district's word for it, nor English in a Dutch page.
	wantIn(t, "the page of a refused referral", page.body, "De doorverwijzing naar Huis Oost is niet aangekomen (dat huis doet niet meer mee in de wijk)",
		"De vraag is weer van dit huis", "Huis Oost</strong> kreeg de doorverwijzing niet", "Waarom: dat huis doet niet meer mee in de wijk.")
	if strings.Contains(page.body, district.RefusedHouseLeft) {
		t.Errorf("the page of a refused referral shows the district's word %q", district.RefusedHouseLeft)
	}
	if got, _ := w.a.qs.ByToken(ctx, q3.Token); got.Status != question.Claimed {
		t.Errorf("a refused referral's question is %s, want claimed", got.Status)
	}
}

// One code, two questions: one of the house's own and one another house
// referred with the same code on its slip. /code says so and offers
// both, rather than show one.
func TestCodeOfTwoHouses(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	ds := sqlite.NewDistrictService(e.db)
	if err := ds.Join(ctx, "https://wijk.example.nl", district.Joined{Kiosk: district.NewEventID(), Key: district.NewKey(), House: "Huis Oost", District: "West"}); err != nil {
		t.Fatal(err)
	}
	own := e.ask("eigen vraag", question.Waiting)
	ref := district.Referral{ID: district.NewEventID(), FromHouse: "Huis West", ToHouse: "Huis Oost", Topic: "wonen", Language: "nl",
		Text: "de vraag van elders", Code: own.Code, At: e.clock.Now()}
	if err := ds.ApplyUpdates(ctx, district.Updates{Cursor: 1, Houses: []string{"Huis West"}, Referrals: []district.Referral{ref}}); err != nil {
		t.Fatal(err)
	}
	c := e.volunteer()
	c.get("/code")
	r := c.post("/code", url.Values{"code": {own.Code}})
	wantStatus(t, "a code two questions have", r, http.StatusOK)
	wantIn(t, "the code page", r.body, "Deze code hoort bij 2 vragen", "/s/"+own.Token, "Doorverwezen door Huis West")
}

// A question handed over to another house tells the sender to go now,
// not at its next round; a refused hand-over does not.
func TestHandOverNudgesTheSender(t *testing.T) {
	ctx := context.Background()
	w, _ := newHandOverWorld(t)
	w.share(t, w.a)
	w.share(t, w.b)
	w.share(t, w.a)
	nudged := 0
	e := w.a
	e.srv.Close()
	e.handler = web.New(web.Config{Now: e.clock.Now, HandedOver: func() { nudged++ }}, e.qs, e.as, e.throttle, e.cat, nil).Handler()
	e.srv = httptest.NewServer(e.handler)
	t.Cleanup(e.srv.Close)
	q := question.Question{Topic: "geld", Text: "brief", FollowUp: question.ComeBack, Lang: "nl"}
	if err := e.qs.Create(ctx, &q); err != nil {
		t.Fatal(err)
	}
	anna := e.volunteer()
	anna.get("/s/" + q.Token + "?step=house")
	if r := anna.post("/s/"+q.Token, url.Values{"do": {"house"}, "house": {"Huis Noord"}}); r.status != http.StatusUnprocessableEntity || nudged != 0 {
		t.Fatalf("a house not in the district: %d, nudged %d", r.status, nudged)
	}
	if r := anna.post("/s/"+q.Token, url.Values{"do": {"house"}, "house": {"Huis Oost"}}); r.status != http.StatusSeeOther || nudged != 1 {
		t.Errorf("handed over: %d, nudged %d times, want once", r.status, nudged)
	}
}
