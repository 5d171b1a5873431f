package desk_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"buurtbalie/assets"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/desk"
	"buurtbalie/internal/house"
	"buurtbalie/internal/printer"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/slip"
	"buurtbalie/internal/sqlite"
)

// sentPrinter keeps the PDFs handed to it: what the desk sends is what
// this test reads (the real printer is tested in desk_test.go).
type sentPrinter struct{ pdfs [][]byte }

func (p *sentPrinter) Submit(_ context.Context, _ string, pdf []byte) (printer.Job, error) {
	p.pdfs = append(p.pdfs, pdf)
	return printer.Job{}, nil
}

func (p *sentPrinter) Wait(context.Context, printer.Job) error { return nil }

// What staff save on the settings page is on the next slip, and a topic
// staff hid is no longer offered.
func TestSlipSaysWhatStaffSaved(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cat, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	slips, err := slip.New()
	if err != nil {
		t.Fatal(err)
	}
	configured := house.House{Name: "Buurthuis De Linde", Hours: []string{"ma t/m vr 9:30 – 16:00"}, Emergency: []string{"112"}, Language: "nl"}
	hs := sqlite.NewHouseService(db, configured)
	qs := sqlite.NewQuestionService(db)
	sent := &sentPrinter{}
	d := desk.New(qs, slips, sent, cat, desk.Config{House: configured.Name, Hours: configured.Hours,
		Emergency: configured.Emergency, PublicURL: "http://192.168.1.20:8080", Settings: hs},
		slog.New(slog.NewTextHandler(io.Discard, nil)))

	if err := hs.SaveHouse(ctx, house.House{Name: "Huis van de Wijk De Eik", Hours: []string{"woensdag 13:00 – 16:00"},
		Emergency: []string{"Huisartsenpost 088-1234567"}, Language: "nl"}, "Sanne"); err != nil {
		t.Fatal(err)
	}
	q, err := d.Ask(ctx, desk.Draft{Topic: "geld", FollowUp: question.Waiting, Lang: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.PrintQuestion(ctx, q); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "slip.pdf")
	if err := os.WriteFile(path, sent.pdfs[0], 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Huis van de Wijk De Eik", "woensdag 13:00 – 16:00", "Huisartsenpost 088-1234567"} {
		if !strings.Contains(text, want) {
			t.Errorf("slip does not say %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Buurthuis De Linde") {
		t.Errorf("slip still has the configured name:\n%s", text)
	}
	// The test slip staff print from the kiosk says the same.
	sample, err := d.SampleSlip(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, sample, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err = exec.Command("pdftotext", "-layout", path, "-").Output(); err != nil {
		t.Fatal(err)
	}
	if text := strings.Join(strings.Fields(string(out)), " "); !strings.Contains(text, "woensdag 13:00 – 16:00") {
		t.Errorf("the sample slip does not have the saved hours:\n%s", text)
	}

	if err := qs.SetTopicHidden(ctx, "geld", true); err != nil {
		t.Fatal(err)
	}
	topics, err := d.Topics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range topics {
		if tp.Key == "geld" {
			t.Error("a hidden topic is offered to visitors")
		}
	}
	if len(topics) != 6 {
		t.Errorf("%d topics offered, want 6", len(topics))
	}
}

// The slip prints the hours made from the schedule staff filled in, and a
// question asked when nobody is in says when to come back instead of
// promising that a volunteer comes.
func TestSlipHoursFromSchedule(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cat, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	slips, err := slip.New()
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	configured := house.House{Name: "Buurthuis De Linde", Hours: []string{"Maandag t/m vrijdag 9:30 – 16:00"}, Emergency: []string{"112"}, Language: "nl"}
	hs := sqlite.NewHouseService(db, configured)
	qs := sqlite.NewQuestionService(db)
	sent := &sentPrinter{}
	d := desk.New(qs, slips, sent, cat, desk.Config{House: configured.Name, Hours: configured.Hours,
		Emergency: configured.Emergency, PublicURL: "http://192.168.1.20:8080", Location: loc, Settings: hs},
		slog.New(slog.NewTextHandler(io.Discard, nil)))

	var v house.Volunteers
	for _, day := range []time.Weekday{time.Tuesday, time.Thursday} {
		v.Week[day] = []house.Period{{From: programme.Clock(13, 0), To: programme.Clock(17, 0)}}
	}
	v.Note = "Of bel 020-1234567."
	v.Closures = []house.Closure{{From: programme.NewDate(2026, 12, 24), To: programme.NewDate(2027, 1, 1), Reason: "Kerst"}}
	v.Origin = house.OriginForm
	if err := hs.SaveVolunteers(ctx, v, "Sanne"); err != nil {
		t.Fatal(err)
	}
	// Thursday 3 December 2026.
	at := func(h, m int) time.Time { return time.Date(2026, 12, 3, h, m, 0, 0, loc) }
	tests := []struct {
		name     string
		asked    time.Time
		followUp question.FollowUp
		lang     string
		want     []string
		not      []string
	}{
		{"waiting at 08:04", at(8, 4), question.Waiting, "nl",
			[]string{"Dinsdag en donderdag 13:00 – 17:00", "Of bel 020-1234567.", "Er is nu geen vrijwilliger in het huis. Kom terug: Vandaag vanaf 13:00.", "Mijn bonnetje",
				"Dicht: donderdag 24 december t/m vrijdag 1 januari (Kerst)"},
			[]string{"Een vrijwilliger komt naar u toe", "Maandag t/m vrijdag"}},
		{"coming back after hours", at(17, 30), question.ComeBack, "nl",
			[]string{"Kom terug: Dinsdag 8 december vanaf 13:00."}, nil},
		{"waiting in hours", at(14, 0), question.Waiting, "nl",
			[]string{"Een vrijwilliger komt naar u toe", "Dinsdag en donderdag 13:00 – 17:00"}, []string{"Kom terug"}},
		{"in English, with the Dutch", at(8, 4), question.Waiting, "en",
			[]string{"Tuesday and Thursday 13:00 – 17:00", "Come back: Today from 13:00.", "Kom terug: Vandaag vanaf 13:00."},
			[]string{"A volunteer will come", "Een vrijwilliger komt naar u toe"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := d.Ask(ctx, desk.Draft{Topic: "geld", FollowUp: tt.followUp, Lang: tt.lang})
			if err != nil {
				t.Fatal(err)
			}
			q.Created = tt.asked
			if err := d.PrintQuestion(ctx, q); err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, sent.pdfs[len(sent.pdfs)-1])
			for _, want := range tt.want {
				if !strings.Contains(text, want) {
					t.Errorf("slip does not say %q:\n%s", want, text)
				}
			}
			for _, not := range tt.not {
				if strings.Contains(text, not) {
					t.Errorf("slip says %q:\n%s", not, text)
				}
			}
		})
	}
}

// pdfText is the text of a slip, its white space made single spaces.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "slip.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// TestSlipEmergencyLinesInTheVisitorsLanguage prints the emergency lines
// a visitor can read: the house's own where staff gave them in the
// visitor's language; else the standard lines in that language with the
// house's own Dutch lines below, so a number only the house knows is
// still on the slip.
func TestSlipEmergencyLinesInTheVisitorsLanguage(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cat, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	slips, err := slip.New()
	if err != nil {
		t.Fatal(err)
	}
	configured := house.House{Name: "Buurthuis De Linde", Emergency: []string{"112"}, Language: "nl"}
	hs := sqlite.NewHouseService(db, configured)
	own := house.House{Name: "Buurthuis De Linde", Language: "nl",
		Emergency:   []string{"Wijkagent: 0900-8844"},
		EmergencyIn: map[string][]string{"tr": {"Mahalle polisi: 0900-8844"}}}
	if err := hs.SaveHouse(ctx, own, "Sanne"); err != nil {
		t.Fatal(err)
	}
	sent := &sentPrinter{}
	d := desk.New(sqlite.NewQuestionService(db), slips, sent, cat, desk.Config{House: configured.Name,
		Emergency: configured.Emergency, PublicURL: "http://192.168.1.20:8080", Settings: hs},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, c := range []struct {
		lang        string
		want, never []string
	}{
		{"nl", []string{"Wijkagent: 0900-8844"}, []string{"Mahalle"}},
		{"tr", []string{"Mahalle polisi: 0900-8844"}, []string{"Wijkagent"}},
		{"pl", []string{"113 Zapobieganie samobójstwom: 0800-0113", "Wijkagent: 0900-8844"}, []string{"Mahalle"}},
	} {
		q, err := d.Ask(ctx, desk.Draft{Topic: "geld", FollowUp: question.ComeBack, Lang: c.lang})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.PrintQuestion(ctx, q); err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(pdfText(t, sent.pdfs[len(sent.pdfs)-1])), " ")
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s slip lacks %q:\n%s", c.lang, w, text)
			}
		}
		for _, n := range c.never {
			if strings.Contains(text, n) {
				t.Errorf("%s slip has %q:\n%s", c.lang, n, text)
			}
		}
	}
}
