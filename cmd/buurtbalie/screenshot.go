package main

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"errors"
	"image/color"
	"io"
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"buurtbalie/assets"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/printer"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
	"buurtbalie/ui"
)

func (m *Main) runScreenshot(ctx context.Context, args []string) error {
	s := m.newSettings("screenshot", "buurtbalie screenshot --out DIR [--at 2026-11-23T10:45] [--size 1280x800] [flags]", withKiosk|withPrinting|withWeb)
	out := s.fs.String("out", "", "folder to write the PNG files to (made if missing)")
	at := s.fs.String("at", "", "the moment to show, as YYYY-MM-DDTHH:MM in the house's time zone (default now)")
	size := s.fs.String("size", "1280x800", "screen size in Fyne units, WIDTHxHEIGHT; 800x1280 for portrait")
	lang := s.fs.String("lang", "", "the visitor's language on every screen, e.g. ar or ti (default: the kiosk's language)")
	if err := s.parse(args, m.Getenv); err != nil {
		return err
	}
	if *out == "" {
		return usagef("screenshot: --out is missing; give the folder to write the PNG files to")
	}
	width, height, err := parseSize(*size)
	if err != nil {
		return usagef("--size: %v", err)
	}
	now, cat, err := s.momentAndVisitor(*at, *lang)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	accent, _ := ui.ParseColor(s.accent)
	db, prog, err := s.openProgramme(ctx, now)
	if err != nil {
		return err
	}
	defer db.Close()
	// Fyne's test driver expects to be driven from a goroutine other than
	// main, as it is under go test.
	done := make(chan error, 1)
	go func() { done <- m.capture(ctx, prog, cat, s, *out, now, width, height, accent) }()
	return <-done
}

func (m *Main) capture(ctx context.Context, prog *sqlite.ProgrammeService, cat *catalogue.Catalogue, s *settings, out string, now time.Time, width, height int, accent color.NRGBA) error {
	t, err := m.newTour(ctx, prog, cat, s, out, now, width, height, accent, s.voice(slog.New(slog.NewTextHandler(io.Discard, nil)), nil))
	if err != nil {
		return err
	}
	defer t.close()
	for i, step := range t.steps {
		step.show()
		file := filepath.Join(out, fmt.Sprintf("%02d-%s.png", i+1, step.name))
		if err := writePNG(file, t.w); err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, file)
	}
	fmt.Fprintln(m.Stdout, filepath.Join(out, "slip.pdf"))
	return nil
}

// momentAndVisitor reads the --at and --lang of screenshot and speak:
// the moment the screens show (default now) and the catalogue, with the
// visitor's language set where one is asked for; the house's language
// stays the catalogue's default.
func (s *settings) momentAndVisitor(at, lang string) (time.Time, *catalogue.Catalogue, error) {
	loc := s.location()
	now := time.Now().In(loc)
	if at != "" {
		var err error
		if now, err = time.ParseInLocation("2006-01-02T15:04", at, loc); err != nil {
			return now, nil, usagef("--at %q is not a moment like 2026-11-23T10:45", at)
		}
	}
	cat, err := s.catalogue()
	if err != nil {
		return now, nil, err
	}
	if lang != "" && !cat.Has(lang) {
		return now, nil, usagef("--lang %q: there is no such language; choose one of %s", lang, strings.Join(cat.Languages(), ", "))
	}
	if lang != "" {
		s.language = lang
	}
	return now, cat, nil
}

// A tour is the kiosk in a window of Fyne's test driver, on the house's
// programme at a fixed moment, with the steps that walk it through every
// screen as a visitor and staff would: what screenshot photographs and
// speak reads aloud. Questions it asks go to a throwaway database, their
// slips to files in out.
type tour struct {
	k     *ui.Kiosk
	w     fyne.Window
	steps []tourStep
	close func()
}

type tourStep struct {
	name string
	show func()
}

// inOtherLanguage reports whether the step shows the kiosk in English
// for the screenshots: what speak, reading one language, passes by.
func (s tourStep) inOtherLanguage() bool { return strings.HasSuffix(s.name, "-en") }

func (m *Main) newTour(ctx context.Context, prog *sqlite.ProgrammeService, cat *catalogue.Catalogue, s *settings, out string, now time.Time, width, height int, accent color.NRGBA, voice ui.Voice) (*tour, error) {
	loc := s.location()
	var closers []func()
	closeAll := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	fail := func(err error) (*tour, error) {
		closeAll()
		return nil, err
	}

	// The question screens store a question: keep it out of the house's
	// database, in a throwaway one, and print its slip to a file.
	scratch, err := os.MkdirTemp("", "buurtbalie-screenshot")
	if err != nil {
		return nil, err
	}
	closers = append(closers, func() { os.RemoveAll(scratch) })
	qdb, err := sqlite.Open(ctx, filepath.Join(scratch, "questions.db"))
	if err != nil {
		return fail(err)
	}
	closers = append(closers, func() { qdb.Close() })
	qdb.Now = func() time.Time { return now }
	frontDesk, _, err := s.newDesk(qdb, cat, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return fail(err)
	}
	slipFile := &filePrinter{path: filepath.Join(out, "slip.pdf")}
	frontDesk.SetPrinter(slipFile)
	frontDesk.Now = func() time.Time { return now }

	a := test.NewApp()
	closers = append(closers, a.Quit)
	a.Settings().SetTheme(ui.NewTheme(accent))
	w := test.NewWindow(nil)
	closers = append(closers, w.Close)
	w.Resize(fyne.NewSize(float32(width), float32(height)))
	clock := ui.NewManualClock(now)
	k, err := ui.New(w, prog, frontDesk, cat, assets.Icons, clock, ui.Options{
		HouseName: s.houseName, Emergency: s.house().Emergency, Hours: s.house().Hours, Location: loc, IdleAfter: s.idle, StillThereFor: s.stillThere, Synchronous: true,
		Language: s.language, Voice: voice,
		// The staff mode as the appliance shows it: any PIN opens it here,
		// the printer is ready, and systemd would restart the kiosk.
		StaffPIN: anyPIN{}, Staff: prog, Printer: readyPrinter{}, Restart: func() {},
	})
	if err != nil {
		return fail(err)
	}
	closers = append(closers, k.Stop)

	occs, err := prog.Day(ctx, programme.DateOf(now))
	if err != nil {
		return fail(err)
	}
	steps := []tourStep{
		{"welcome", k.ShowWelcome},
		{"today", k.ShowToday},
		{"today-filtered", func() {
			if len(occs) > 0 {
				k.SetFilter(occs[0].Activity.Category)
			}
		}},
		{"detail", func() {
			k.SetFilter("")
			if len(occs) > 0 {
				k.ShowDetail(occs[len(occs)/2])
			}
		}},
		{"languages", func() { k.ShowWelcome(); k.ShowLanguages() }},
		{"welcome-en", func() { k.ChooseLanguage("en") }},
		{"today-en", k.ShowToday},
		{"still-there", k.AskStillThere},
		{"ask-topic", func() { k.Reset(); k.StartQuestion() }},
		{"ask-type", func() {
			k.Asking().ChooseTopic("geld")
			k.Asking().Type("Ik heb een brief van de gemeente en ik snap niet wat ik moet doen")
		}},
		{"ask-still-there", k.AskStillThere},
		{"ask-stop", func() { k.StillHere(); k.Asking().Stop() }},
		{"ask-follow-up", func() { k.Asking().KeepAsking(); k.Asking().SkipOrNext() }},
		{"ask-confirm", func() { k.Asking().ChooseFollowUp(question.Waiting) }},
		{"ask-done", func() { k.Asking().Confirm() }},
		{"my-slip", func() { k.Reset(); k.StartMySlip(); k.MySlip().TypeCode("K7M4") }},
		{"my-slip-wrong", func() { k.MySlip().TypeCode("QX"); k.MySlip().LookUp() }},
		{"ask-fallback", func() {
			slipFile.fail = true
			k.Reset()
			k.StartQuestion()
			k.Asking().ChooseTopic("wonen")
			k.Asking().SkipOrNext()
			k.Asking().ChooseFollowUp(question.ComeBack)
			k.Asking().Confirm()
		}},
		{"staff-pin", func() { slipFile.fail = false; k.Reset(); k.OpenPIN(); k.Staff().TypePIN("1234") }},
		{"staff-menu", func() { k.Staff().EnterPIN() }},
		{"staff-printer", func() { k.Staff().CheckPrinter() }},
		{"staff-test-slip", func() {
			slipFile.path = filepath.Join(out, "test-slip.pdf")
			k.Staff().PrintTestSlip()
		}},
		{"staff-reprint", func() { k.Staff().Back(); k.Staff().StartReprint(); k.Staff().TypeReprintCode(askedCode(ctx, qdb)[:4]) }},
		{"staff-reprint-done", func() {
			slipFile.path = filepath.Join(out, "reprint.pdf")
			k.Staff().TypeReprintCode(askedCode(ctx, qdb)[4:])
			k.Staff().ReprintSlip()
		}},
		{"staff-language", func() { k.Staff().Back(); k.Staff().ShowLanguage() }},
		// "Grotere letters", on the screens with the most on them.
		{"welcome-larger", func() { k.Reset(); k.ToggleLargerText() }},
		{"ask-topic-larger", k.StartQuestion},
		{"ask-type-larger", func() {
			k.Asking().ChooseTopic("geld")
			k.Asking().Type("Ik heb een brief van de gemeente en ik snap niet wat ik moet doen")
		}},
		{"today-larger", func() { k.Reset(); k.ToggleLargerText(); k.ShowToday() }},
	}
	return &tour{k: k, w: w, steps: steps, close: closeAll}, nil
}

// askedCode returns the code of a question the screenshots asked, for the
// reprint screens.
func askedCode(ctx context.Context, db *sqlite.DB) string {
	items, err := sqlite.NewQuestionService(db).Queue(ctx, question.QueueFilter{})
	if err != nil || len(items) == 0 {
		return "K7M4QX"
	}
	return items[0].Question.Code
}

// anyPIN opens the staff mode for the screenshots with any PIN.
type anyPIN struct{}

func (anyPIN) CheckPIN(context.Context, string) error { return nil }

// readyPrinter is a printer that is ready, for the screenshots.
type readyPrinter struct{}

func (readyPrinter) Status(context.Context) (printer.Status, error) {
	return printer.Status{Exists: true, Accepting: true, State: "idle"}, nil
}

// filePrinter "prints" slips to a PDF file, for screenshots and
// print-test --out. With fail set it refuses, as a stopped printer does.
type filePrinter struct {
	path string
	fail bool
}

func (p *filePrinter) Submit(_ context.Context, _ string, pdf []byte) (printer.Job, error) {
	if p.fail {
		return printer.Job{}, errors.New("printer refused the job (screenshot of the fallback)")
	}
	return printer.Job{}, os.WriteFile(p.path, pdf, 0o644)
}

func (p *filePrinter) Wait(context.Context, printer.Job) error { return nil }

func writePNG(file string, w fyne.Window) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", file, err)
	}
	return f.Close()
}

func parseSize(s string) (int, int, error) {
	ws, hs, ok := strings.Cut(strings.ToLower(s), "x")
	w, err1 := strconv.Atoi(ws)
	h, err2 := strconv.Atoi(hs)
	if !ok || err1 != nil || err2 != nil || w < 320 || h < 320 || w > 8000 || h > 8000 {
		return 0, 0, fmt.Errorf("%q is not a size like 1280x800", s)
	}
	return w, h, nil
}
