package desk_test

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode"

	"buurtbalie/assets"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/desk"
	"buurtbalie/internal/house"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/slip"
	"buurtbalie/internal/sqlite"
)

// slipCatalogue is the shipped message files, with testdata's Arabic and
// Tigrinya slip messages for a language that has no file of its own yet.
func slipCatalogue(t *testing.T) *catalogue.Catalogue {
	t.Helper()
	files := fstest.MapFS{}
	shipped, err := fs.Glob(assets.Messages, "i18n/*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range shipped {
		b, err := fs.ReadFile(assets.Messages, name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = &fstest.MapFile{Data: b}
	}
	for _, lang := range []string{"ar", "ti"} {
		name := "i18n/" + lang + ".json"
		if files[name] != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("testdata", lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = &fstest.MapFile{Data: b}
	}
	cat, err := catalogue.Load(files, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// TestSlipInArabicAndTigrinya prints a question's slip in Arabic and in
// Tigrinya on both papers, with the hours from a schedule so they are in
// the visitor's language too: the QR code reads at 100 to 300 dpi, the
// code and the Dutch below are text, and the visitor's lines are images
// of at least 300 dpi, never unshaped letters.
func TestSlipInArabicAndTigrinya(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cat := slipCatalogue(t)
	slips, err := slip.New()
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	configured := house.House{Name: "Buurthuis De Linde", Emergency: []string{"112 bij levensgevaar"}, Language: "nl"}
	hs := sqlite.NewHouseService(db, configured)
	var v house.Volunteers
	for _, day := range []time.Weekday{time.Tuesday, time.Thursday} {
		v.Week[day] = []house.Period{{From: programme.Clock(13, 0), To: programme.Clock(17, 0)}}
	}
	v.Closures = []house.Closure{{From: programme.NewDate(2026, 12, 24), To: programme.NewDate(2027, 1, 1), Reason: "Kerst"}}
	v.Origin = house.OriginForm
	if err := hs.SaveVolunteers(ctx, v, "Sanne"); err != nil {
		t.Fatal(err)
	}
	qs := sqlite.NewQuestionService(db)
	for _, lang := range []string{"ar", "ti"} {
		for _, paper := range []float64{80, 58} {
			t.Run(lang+"/"+strconv.FormatFloat(paper, 'f', -1, 64)+"mm", func(t *testing.T) {
				sent := &sentPrinter{}
				d := desk.New(qs, slips, sent, cat, desk.Config{House: configured.Name, Emergency: configured.Emergency,
					PublicURL: "http://192.168.1.20:8080", PaperMM: paper, Location: loc, Settings: hs},
					slog.New(slog.NewTextHandler(io.Discard, nil)))
				q, err := d.Ask(ctx, desk.Draft{Topic: "geld", FollowUp: question.Waiting, Lang: lang})
				if err != nil {
					t.Fatal(err)
				}
				q.Created = time.Date(2026, 12, 3, 8, 4, 0, 0, loc) // Thursday, before the volunteers come
				if err := d.PrintQuestion(ctx, q); err != nil {
					t.Fatal(err)
				}
				pdf := sent.pdfs[len(sent.pdfs)-1]
				path := filepath.Join(t.TempDir(), "slip.pdf")
				if err := os.WriteFile(path, pdf, 0o644); err != nil {
					t.Fatal(err)
				}
				for _, dpi := range []string{"100", "200", "300"} {
					png := filepath.Join(t.TempDir(), "slip")
					tool(t, "pdftoppm", "-r", dpi, "-png", "-singlefile", path, png)
					if got, want := tool(t, "zbarimg", "--raw", "-q", png+".png"), d.SlipURL(q)+"\n"; got != want {
						t.Errorf("at %s dpi the QR code holds %q, want %q", dpi, got, want)
					}
				}
				text := pdfText(t, pdf)
				for _, want := range []string{question.FormatCode(q.Code), "Er is nu geen vrijwilliger in het huis. Kom terug: Vandaag vanaf 13:00.", "U hoeft uw naam niet te geven.", "112 bij levensgevaar"} {
					if !strings.Contains(text, want) {
						t.Errorf("slip text lacks %q:\n%s", want, text)
					}
				}
				for _, c := range text {
					if unicode.In(c, unicode.Arabic, unicode.Ethiopic) {
						t.Fatalf("slip text has %q: a line went out unshaped:\n%s", c, text)
					}
				}
				// Date, topic, code label, scan hint, two paragraphs of what
				// happens next and the anonymous one, hours label, the days,
				// the closure, the emergency label: each at least one image.
				out, err := exec.Command("pdfimages", "-list", path).Output()
				if err != nil {
					t.Fatal(err)
				}
				lines := 0
				for _, l := range strings.Split(string(out), "\n")[2:] {
					f := strings.Fields(l)
					if len(f) < 14 || f[2] != "image" {
						continue
					}
					lines++
					if x, _ := strconv.Atoi(f[12]); x < 300 {
						t.Errorf("image of %s x %s px at %s ppi, want 300 or more", f[3], f[4], f[12])
					}
				}
				if lines < 11 {
					t.Errorf("%d line images, want 11 or more:\n%s", lines, out)
				}
			})
		}
	}
}
