package web_test

import (
	"context"
	"io/fs"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"buurtbalie/assets"
	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

// newEnvTurkish is newEnv with a third language, Turkish, beside the
// shipped Dutch and English: a catalogue of its own name only, as the
// pages need no more of it.
func newEnvTurkish(t *testing.T) *env {
	t.Helper()
	fsys := fstest.MapFS{"i18n/tr.json": {Data: []byte(`{"language.name": "Türkçe"}`)}}
	for _, lang := range []string{"nl", "en"} {
		b, err := fs.ReadFile(assets.Messages, "i18n/"+lang+".json")
		if err != nil {
			t.Fatal(err)
		}
		fsys["i18n/"+lang+".json"] = &fstest.MapFile{Data: b}
	}
	cat, err := catalogue.Load(fsys, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newEnvWith(t, db, cat)
}

// askIn stores a question asked at the kiosk in lang.
func (e *env) askIn(lang, topic string) question.Question {
	e.t.Helper()
	q := question.Question{Topic: topic, FollowUp: question.ComeBack, Lang: lang}
	if err := e.qs.Create(context.Background(), &q); err != nil {
		e.t.Fatal(err)
	}
	return q
}

const (
	choseTurkish  = `Bezoeker koos: <bdi lang="tr">Türkçe</bdi>`
	choseDutch    = `Bezoeker koos: <bdi lang="nl">Nederlands</bdi>`
	nobodyTurkish = `Niemand die nu dienst heeft spreekt <bdi lang="tr">Türkçe</bdi>`
)

// The question page and the queue say which language the visitor chose,
// in the language's own name.
func TestVisitorLanguageShown(t *testing.T) {
	t.Parallel()
	e := newEnvTurkish(t)
	tr, nl, en := e.askIn("tr", "geld"), e.askIn("nl", "wonen"), e.askIn("en", "geld")
	c := e.volunteer()
	tests := []struct {
		q    question.Question
		want string
	}{
		{tr, choseTurkish},
		{nl, choseDutch},
		{en, `Bezoeker koos: <bdi lang="en">English</bdi>`},
	}
	queue := c.get("/queue").body
	for _, tt := range tests {
		r := c.get("/s/" + tt.q.Token)
		wantStatus(t, "question page", r, http.StatusOK)
		if !strings.Contains(r.body, `<p class="visitor-lang`) || !strings.Contains(r.body, tt.want) {
			t.Errorf("question in %s: page lacks %q", tt.q.Lang, tt.want)
		}
		if !strings.Contains(queue, tt.want) {
			t.Errorf("question in %s: queue lacks %q", tt.q.Lang, tt.want)
		}
	}
	// In English, for a volunteer who reads English.
	if r := c.get("/s/" + tr.Token + "?lang=en"); !strings.Contains(r.body, `Visitor chose: <bdi lang="tr">Türkçe</bdi>`) {
		t.Errorf("English page lacks the visitor's language in English")
	}
}

// A volunteer says on their own page which languages they speak; the
// change is audited; a language the kiosk does not have is refused.
func TestMeSavesLanguages(t *testing.T) {
	t.Parallel()
	e := newEnvTurkish(t)
	c := e.volunteer()
	if r := c.get("/queue"); !strings.Contains(r.body, `<a href="/me">Mijn account</a>`) {
		t.Errorf("the nav has no link to /me")
	}
	r := c.get("/me")
	wantStatus(t, "GET /me", r, http.StatusOK)
	for _, want := range []string{
		`name="lang" value="nl" checked disabled`, // everyone speaks Dutch
		`name="lang" value="en">`, `<bdi lang="en">English</bdi>`,
		`name="lang" value="tr">`, `<bdi lang="tr">Türkçe</bdi>`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("/me lacks %q", want)
		}
	}

	r = c.post("/me", url.Values{"lang": {"tr", "en", "tr"}})
	if r.status != http.StatusSeeOther || r.location() != "/me?saved=1" {
		t.Fatalf("save: status %d to %q, want 303 to /me?saved=1\n%s", r.status, r.location(), r.body)
	}
	r = c.get("/me?saved=1")
	for _, want := range []string{"Uw talen zijn opgeslagen.", `value="en" checked`, `value="tr" checked`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("after saving, /me lacks %q", want)
		}
	}
	log, err := e.as.AuditLog(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Actor != volunteer || log[0].Action != account.ActionLanguagesChanged || log[0].Detail != "en, tr" {
		t.Errorf("audit log: %+v, want %s %s %q", log, volunteer, account.ActionLanguagesChanged, "en, tr")
	}

	tests := []struct {
		name   string
		form   url.Values
		status int
	}{
		{"unknown language", url.Values{"lang": {"en", "xx"}}, http.StatusUnprocessableEntity},
		{"no csrf", url.Values{"lang": {"en"}, "csrf": {"wrong"}}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantStatus(t, "POST /me", c.post("/me", tt.form), tt.status)
			if langs, _ := e.as.Languages(context.Background(), userID(t, e, volunteer)); strings.Join(langs, ",") != "en,tr" {
				t.Errorf("languages after a refused save: %q, want en,tr", langs)
			}
		})
	}
	// Nothing chosen: only Dutch, which is never stored.
	c.post("/me", url.Values{})
	if langs, _ := e.as.Languages(context.Background(), userID(t, e, volunteer)); len(langs) != 0 {
		t.Errorf("languages after unticking all: %q, want none", langs)
	}
	if r := e.client().get("/me"); r.status != http.StatusSeeOther {
		t.Errorf("/me without logging in: status %d, want 303 to the login", r.status)
	}
}

func userID(t *testing.T, e *env, name string) int64 {
	t.Helper()
	u, err := e.as.User(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// The queue marks a question in a language nobody on duty speaks, and
// the mark goes when someone who speaks it is in; never for Dutch.
func TestQueueNobodySpeaks(t *testing.T) {
	t.Parallel()
	e := newEnvTurkish(t)
	tr := e.askIn("tr", "geld")
	e.askIn("nl", "wonen")
	anna := e.volunteer()
	anna.post("/me", url.Values{"lang": {"en"}})

	r := anna.get("/queue")
	if n := strings.Count(r.body, `class="badge nobody-speaks"`); n != 1 || !strings.Contains(r.body, nobodyTurkish) {
		t.Fatalf("queue marks %d questions, want the Turkish one only with %q\n%s", n, nobodyTurkish, r.body)
	}
	if r := anna.get("/s/" + tr.Token); !strings.Contains(r.body, nobodyTurkish) {
		t.Errorf("the Turkish question's page lacks %q", nobodyTurkish)
	}

	// Sanne speaks Turkish, but has not used her phone for hours: not on duty.
	sanne := e.staff()
	sanne.post("/me", url.Values{"lang": {"tr"}})
	e.clock.Add(account.OnDutyWithin + 2*time.Minute)
	if r := anna.get("/queue"); !strings.Contains(r.body, nobodyTurkish) {
		t.Errorf("queue lost its mark while the Turkish speaker is away")
	}
	sanne.get("/queue") // back at the house
	if r := anna.get("/queue"); strings.Contains(r.body, "nobody-speaks") {
		t.Errorf("queue marks a question although a Turkish speaker is on duty")
	}
	// Logged out is off duty at once.
	sanne.post("/logout", nil)
	if r := anna.get("/queue"); !strings.Contains(r.body, nobodyTurkish) {
		t.Errorf("queue lacks the mark after the Turkish speaker logged out")
	}
}

// The queue filters by the visitor's language, with the topic and status
// filters.
func TestQueueLanguageFilter(t *testing.T) {
	t.Parallel()
	e := newEnvTurkish(t)
	trGeld, trWonen, nl := e.askIn("tr", "geld"), e.askIn("tr", "wonen"), e.askIn("nl", "geld")
	c := e.volunteer()
	tests := []struct {
		path       string
		want, not  []question.Question
		selectedTr bool
	}{
		{"/queue", []question.Question{trGeld, trWonen, nl}, nil, false},
		{"/queue?visitor_lang=tr", []question.Question{trGeld, trWonen}, []question.Question{nl}, true},
		{"/queue?visitor_lang=tr&topic=geld", []question.Question{trGeld}, []question.Question{trWonen, nl}, true},
		{"/queue?visitor_lang=nl", []question.Question{nl}, []question.Question{trGeld, trWonen}, false},
		{"/queue?visitor_lang=ar", nil, []question.Question{trGeld, trWonen, nl}, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := c.get(tt.path)
			wantStatus(t, tt.path, r, http.StatusOK)
			for _, q := range tt.want {
				if !strings.Contains(r.body, q.Token) {
					t.Errorf("lacks the question in %s about %s", q.Lang, q.Topic)
				}
			}
			for _, q := range tt.not {
				if strings.Contains(r.body, q.Token) {
					t.Errorf("shows the question in %s about %s", q.Lang, q.Topic)
				}
			}
			if got := strings.Contains(r.body, `<option value="tr" lang="tr" selected>Türkçe</option>`); got != tt.selectedTr {
				t.Errorf("Türkçe selected: %v, want %v", got, tt.selectedTr)
			}
		})
	}
	// The topic and status links keep the language, and the language
	// form keeps the topic.
	r := c.get("/queue?visitor_lang=tr&topic=geld")
	for _, want := range []string{`href="/queue?status=new&amp;topic=geld&amp;visitor_lang=tr"`, `<input type="hidden" name="topic" value="geld">`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("filtered queue lacks %q", want)
		}
	}
}
