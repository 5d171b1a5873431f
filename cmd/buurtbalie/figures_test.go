package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

// TestFiguresCommand seeds a quarter of questions on a real SQLite file
// with a fixed clock and runs "buurtbalie figures": the tables count them,
// small counts show "< 5", and --csv writes Excel-ready files in Dutch or
// English; wrong flags are refused saying what to give.
func TestFiguresCommand(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(data, "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	qs := sqlite.NewQuestionService(db)
	for i := 0; i < 40; i++ {
		at := time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC).Add(time.Duration(i) * 2 * 24 * time.Hour)
		db.Now = func() time.Time { return at }
		topic, lang := "geld", "nl"
		if i%8 == 0 {
			topic, lang = "wonen", "tr" // 5 of them: wonen shows, Turkish does not per month
		}
		q := question.Question{Topic: topic, Lang: lang, FollowUp: question.Waiting, Text: "een vraag"}
		if err := qs.Create(ctx, &q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	csvDir := t.TempDir()
	out, _, err := run(t, data, "figures", "--data", data, "--from", "2026-10-01", "--to", "2026-12-31", "--per", "quarter", "--csv", csvDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Vragen per onderwerp", "2026-Q4", "Geld & post", "35", "Wonen", "Turks", "< 5: minder dan 5"} {
		if !strings.Contains(out, want) {
			t.Errorf("figures lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(filepath.Join(csvDir, "vragen-per-onderwerp.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "\ufeffonderwerp,2026-Q4,totaal\r\nGeld & post,35,35\r\nWonen,5,5\r\ntotaal,40,40\r\n"; string(b) != want {
		t.Errorf("CSV:\n%q\nwant:\n%q", b, want)
	}
	pdf := filepath.Join(t.TempDir(), "kwartaal.pdf")
	if _, _, err := run(t, data, "figures", "--data", data, "--from", "2026-10-01", "--to", "2026-12-31", "--pdf", pdf); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(pdf); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Errorf("--pdf wrote %d bytes (%v)", len(b), err)
	}
	en := t.TempDir()
	if _, _, err := run(t, data, "figures", "--data", data, "--from", "2026-10-01", "--to", "2026-12-31", "--per", "month", "--csv", en, "--headings", "en"); err != nil {
		t.Fatal(err)
	}
	b, err = os.ReadFile(filepath.Join(en, "questions-per-language.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "\ufefflanguage,2026-10,2026-11,2026-12,total\r\n") || !strings.Contains(string(b), "< 5") {
		t.Errorf("English CSV per month:\n%s", b)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--from", "2026-12-31", "--to", "2026-01-01"}, "is before --from"},
		{[]string{"--from", "2026-01-01", "--to", "2026-12-31", "--per", "fortnight"}, "choose week, month, quarter or year"},
		{[]string{"--to", "2026-12-31"}, "--from \"\" is not a day"},
		{[]string{"--from", "2026-01-01", "--to", "2026-12-31", "--headings", "tr"}, "choose nl"},
	} {
		_, _, err := run(t, data, append([]string{"figures", "--data", data}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("figures %v: %v, want %q", c.args, err, c.want)
		}
	}
}
