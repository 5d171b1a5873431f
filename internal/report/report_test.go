package report

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"buurtbalie/internal/figures"
	"buurtbalie/internal/programme"
)

// source is a year of figures for a report.
type source struct{}

func (source) Counts(_ context.Context, m string, from, to programme.Date) ([]figures.Count, error) {
	var out []figures.Count
	for month := 1; month <= 12; month++ {
		d := programme.NewDate(2026, 1, 1).AddDays((month - 1) * 30)
		switch m {
		case figures.MeasureQuestions:
			out = append(out, figures.Count{Day: d, Key: "geld", N: 20 + month}, figures.Count{Day: d, Key: "wonen", N: month % 4})
		case figures.MeasureLanguage:
			out = append(out, figures.Count{Day: d, Key: "nl", N: 18 + month}, figures.Count{Day: d, Key: "ar", N: 2 + month%4})
		}
	}
	return out, nil
}

func (source) Durations(_ context.Context, m string, from, to programme.Date) ([]figures.Duration, error) {
	if m != figures.MeasureContact {
		return nil, nil
	}
	var out []figures.Duration
	for i := 0; i < 40; i++ {
		out = append(out, figures.Duration{Day: programme.NewDate(2026, 3, 1), Key: "geld", Minutes: 30 + i*10})
	}
	return out, nil
}

func (source) Unclaimed(context.Context, programme.Date, programme.Date) ([]figures.Count, error) {
	return nil, nil
}

func (source) Occurrences(context.Context, programme.Date, programme.Date) ([]programme.Occurrence, error) {
	return []programme.Occurrence{{Activity: programme.Activity{Category: "eten"}, Date: programme.NewDate(2026, 5, 1)}}, nil
}

func (source) ScreenUse(context.Context, programme.Date, programme.Date) ([]figures.ScreenCount, error) {
	return []figures.ScreenCount{{Hour: "2026-03-01T10", Screen: "today", N: 40}, {Hour: "2026-03-01T14", Screen: "today", N: 22}}, nil
}

type words struct{}

func (words) Name(kind, key string, _ map[string]string) string {
	return map[string]string{"geld": "Geld & post", "wonen": "Wonen"}[key]
}
func (words) T(id string) string { return id }

// TestYearReportPDF lays out a year: the title, the house and the period
// extract as text, small counts read "< 5", and it rasterises (written
// to REPORT_SHOTS, when set, to look at).
func TestYearReportPDF(t *testing.T) {
	r, err := figures.Build(context.Background(), source{}, programme.NewDate(2026, 1, 1), programme.NewDate(2026, 12, 31), programme.NewDate(2026, 12, 31), figures.Month)
	if err != nil {
		t.Fatal(err)
	}
	n := figures.NewNamer("nl", words{}, nil, nil, func(l string) string { return map[string]string{"nl": "Nederlands", "ar": "العربية"}[l] })
	pdf, err := PDF(Document{House: "Buurthuis De Linde", Title: "Jaarverslag 2026", Period: "1 januari – 31 december 2026",
		Made: "Gemaakt op 3 december 2026", Headlines: [][2]string{{"Vragen", r.Questions.Total.String()}}}, r, n, DutchWords)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "jaarverslag.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v (install poppler-utils)", err)
	}
	text := string(out)
	for _, want := range []string{"Jaarverslag 2026", "Buurthuis De Linde", "Vragen per onderwerp", "Geld & post", "< 5", "2026-12", "Tijd tot het eerste contact", "Pagina 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	if shots := os.Getenv("REPORT_SHOTS"); shots != "" {
		if out, err := exec.Command("pdftoppm", "-r", "60", "-png", path, filepath.Join(shots, "jaarverslag")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
	}
}

func TestTitle(t *testing.T) {
	d := programme.NewDate
	for _, c := range []struct {
		from, to programme.Date
		want     string
	}{
		{d(2026, 1, 1), d(2026, 12, 31), "Jaarverslag 2026"},
		{d(2026, 10, 1), d(2026, 12, 31), "Kwartaalverslag 2026-K4"},
		{d(2026, 4, 1), d(2026, 6, 30), "Kwartaalverslag 2026-K2"},
		{d(2026, 3, 5), d(2026, 6, 30), "Cijfers 2026-03-05 – 2026-06-30"},
	} {
		if got := Title(c.from, c.to, "nl"); got != c.want {
			t.Errorf("Title(%v, %v) = %q, want %q", c.from, c.to, got, c.want)
		}
	}
}
