package ui

import (
	"context"
	"math/rand/v2"
	"os"
	"testing"

	"fyne.io/fyne/v2/test"

	"buurtbalie/internal/printer"
	"buurtbalie/internal/question"
)

// Golden renders of the visitor's main screens in Arabic (right to left,
// mirrored, in Noto Sans Arabic) and Tigrinya (Ge'ez, in Noto Sans
// Ethiopic), at 1280x800 on the test driver's software painter. Each one
// was looked at when it was made; a change shows as a failed image in
// testdata/failed. Make them again with: rm -r testdata/golden; go test
// ./ui -run Golden; mv testdata/failed testdata/golden (and look).
func TestGoldenScreensInArabicAndTigrinya(t *testing.T) {
	for _, lang := range []string{"ar", "ti"} {
		t.Run(lang, func(t *testing.T) {
			f := newKiosk(t, 10, 47)
			if !f.cat.Has(lang) {
				t.Skipf("no %s messages", lang)
			}
			// Codes from a fixed stream, so the done screen is the same
			// every time.
			f.questions.Rand = rand.NewChaCha8([32]byte{7, 42})
			f.k.SetLanguage(lang)
			shot := func(name string) {
				t.Helper()
				test.AssertImageMatches(t, "golden/"+lang+"-"+name+".png", f.w.Canvas().Capture())
			}
			shot("welcome")
			f.k.ShowToday()
			shot("today")
			f.k.ShowDetail(f.k.occs[1])
			shot("detail")
			f.k.Reset()
			f.k.SetLanguage(lang)
			f.k.StartQuestion()
			shot("topic")
			f.k.Asking().ChooseTopic("geld")
			shot("keyboard")
			f.k.Asking().SkipOrNext()
			f.k.Asking().ChooseFollowUp(question.ComeBack)
			f.k.Asking().Confirm() // nothing listens where the printer is: the failure screen
			shot("failure")
			// The slip printed (to a file, as screenshot prints it).
			f.desk.SetPrinter(filePrinter{t.TempDir() + "/slip.pdf"})
			f.k.Reset()
			f.k.SetLanguage(lang)
			f.k.StartQuestion()
			f.k.Asking().ChooseTopic("geld")
			f.k.Asking().SkipOrNext()
			f.k.Asking().ChooseFollowUp(question.ComeBack)
			f.k.Asking().Confirm()
			shot("done")
		})
	}
}

// filePrinter prints a slip into a file.
type filePrinter struct{ path string }

func (p filePrinter) Submit(_ context.Context, _ string, pdf []byte) (printer.Job, error) {
	return printer.Job{}, os.WriteFile(p.path, pdf, 0o644)
}

func (filePrinter) Wait(context.Context, printer.Job) error { return nil }
