package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"buurtbalie/assets"
	"buurtbalie/internal/demo"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/web"
)

// The figures page: staff see a period's questions counted per topic and
// language with small counts hidden, and download a table as a CSV file
// for Excel in Dutch or English; a volunteer is refused; a wrong period
// is refused saying why.
func TestFiguresPage(t *testing.T) {
	e := newSettingsEnv(t)
	ctx := context.Background()
	for i := 0; i < 12; i++ {
		lang := "nl"
		if i < 2 {
			lang = "tr"
		}
		q := question.Question{Topic: "geld", Lang: lang, FollowUp: question.Waiting, Text: "een vraag"}
		if err := e.qs.Create(ctx, &q); err != nil {
			t.Fatal(err)
		}
	}
	e.srv.Close()
	e.handler = web.New(web.Config{Now: e.clock.Now, Figures: sqlite.NewFigureService(e.db), Settings: &web.Settings{
		House: e.house, Categories: e.prog, Topics: e.qs, Partners: e.qs, Pictograms: assets.Icons,
	}}, e.qs, e.as, e.throttle, e.cat, nil).Handler()
	e.srv = httptest.NewServer(e.handler)
	t.Cleanup(e.srv.Close)

	day := e.clock.Now().Format("2006-01-02")
	c := e.staff()
	page := c.get("/figures?from=" + day + "&to=" + day + "&per=month")
	wantStatus(t, "GET /figures", page, http.StatusOK)
	for _, want := range []string{"Vragen per onderwerp", "Geld &amp; post", "<td>12</td>", "Vragen per taal", "<td>&lt; 5</td>", `href="/figures"`,
		`<svg xmlns="http://www.w3.org/2000/svg"`, "Tijd tot het eerste contact"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("figures page lacks %q", want)
		}
	}
	csv := c.get("/figures/csv?table=1&from=" + day + "&to=" + day + "&per=month&headings=en")
	wantStatus(t, "GET /figures/csv", csv, http.StatusOK)
	if !strings.HasPrefix(csv.body, "\ufefflanguage,") || !strings.Contains(csv.body, "Turkish,< 5") ||
		!strings.Contains(csv.header.Get("Content-Disposition"), "questions-per-language-") {
		t.Errorf("CSV %q (%s)", csv.body, csv.header.Get("Content-Disposition"))
	}
	if !strings.Contains(page.body, `/figures/pdf?`) || !strings.Contains(page.body, "Jaarverslag 2026 (PDF)") {
		t.Errorf("the page offers no Jaarverslag")
	}
	pdf := c.get("/figures/pdf?from=2026-01-01&to=2026-12-31&per=month")
	wantStatus(t, "GET /figures/pdf", pdf, http.StatusOK)
	if !strings.HasPrefix(pdf.body, "%PDF") || !strings.Contains(pdf.header.Get("Content-Disposition"), "jaarverslag-2026.pdf") {
		t.Errorf("PDF download: %q %s", pdf.body[:min(20, len(pdf.body))], pdf.header.Get("Content-Disposition"))
	}
	bad := c.get("/figures?from=2026-12-31&to=2026-01-01")
	wantStatus(t, "GET /figures backwards", bad, http.StatusUnprocessableEntity)
	if !strings.Contains(bad.body, "De einddatum ligt voor de begindatum") {
		t.Errorf("a backwards period is not explained:\n%s", bad.body)
	}
	wantStatus(t, "GET /figures as volunteer", e.volunteer().get("/figures"), http.StatusForbidden)
}

// busyYear is a settings server over a busy house's year of figures:
// 20,000 questions with their follow-ups, 200,000 screen opens, and a
// programme of 60 weekly activities (3,120 occurrences).
func busyYear(b *testing.B) (*settingsEnv, *client, string) {
	e := newSettingsEnv(b)
	today := programme.DateOf(e.clock.Now())
	for i := range 60 {
		a := programme.Activity{Title: fmt.Sprintf("Activiteit %d", i), Category: "eten", Room: "Zaal 1",
			Start: programme.Clock(9+i%8, 0), End: programme.Clock(10+i%8, 0),
			Schedule: programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(time.Weekday(1 + i%5))}}
		if err := e.prog.CreateActivity(context.Background(), &a); err != nil {
			b.Fatal(err)
		}
	}
	if err := sqlite.NewFigureService(e.db).SeedFigures(context.Background(), demo.Figures(today, 20000, 200000), false); err != nil {
		b.Fatal(err)
	}
	e.srv.Close()
	e.handler = web.New(web.Config{Now: e.clock.Now, Figures: sqlite.NewFigureService(e.db), Settings: &web.Settings{
		House: e.house, Categories: e.prog, Topics: e.qs, Partners: e.qs, Pictograms: assets.Icons,
	}}, e.qs, e.as, e.throttle, e.cat, nil).Handler()
	e.srv = httptest.NewServer(e.handler)
	b.Cleanup(e.srv.Close)
	c := e.staff()
	q := "from=" + today.AddDays(-365).String() + "&to=" + today.String() + "&per=month"
	return e, c, q
}

// BenchmarkFiguresPage is the figure "/figures for a year of a busy house
// ≤ 200 ms": the page with its tables and charts over 20,000 questions
// and 200,000 screen opens, as staff's browser asks for it.
//
//	go test ./internal/web -run '^$' -bench 'Figures(Page|PDF)' -benchtime 10x -count 5
func BenchmarkFiguresPage(b *testing.B) {
	_, c, q := busyYear(b)
	for b.Loop() {
		if r := c.get("/figures?" + q); r.status != http.StatusOK {
			b.Fatalf("status %d", r.status)
		}
	}
}

// BenchmarkFiguresPDF is the figure "the PDF ≤ 1 s" for the same year.
func BenchmarkFiguresPDF(b *testing.B) {
	_, c, q := busyYear(b)
	for b.Loop() {
		if r := c.get("/figures/pdf?" + q); r.status != http.StatusOK {
			b.Fatalf("status %d", r.status)
		}
	}
}
