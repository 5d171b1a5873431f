package desk_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"buurtbalie/assets"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/desk"
	"buurtbalie/internal/printer"
	"buurtbalie/internal/printer/cupstest"
	"buurtbalie/internal/question"
	"buurtbalie/internal/slip"
	"buurtbalie/internal/sqlite"
)

type fixture struct {
	desk      *desk.Desk
	questions *sqlite.QuestionService
	accounts  *sqlite.AccountService
	cups      *cupstest.Server
	printer   *printer.Client
}

// deskParts are what a front desk needs besides its printer: a real
// SQLite file, the message files and the slip renderer.
func deskParts(t testing.TB) (*sqlite.DB, *catalogue.Catalogue, *slip.Renderer) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	slips, err := slip.New()
	if err != nil {
		t.Fatal(err)
	}
	return db, cat, slips
}

// newDesk is a front desk on a real SQLite file and a real cupsd whose
// printer writes PDF files.
func newDesk(t testing.TB) *fixture {
	t.Helper()
	db, cat, slips := deskParts(t)
	cups := cupstest.Start(t)
	p := &printer.Client{URI: cups.URI, Timeout: 10 * time.Second, Poll: 50 * time.Millisecond}
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	qs := sqlite.NewQuestionService(db)
	d := desk.New(qs, slips, p, cat, desk.Config{
		House: "Buurthuis De Linde", PublicURL: "http://192.168.1.20:8080/",
		Hours: []string{"ma t/m vr 9:30 – 16:00"}, Emergency: []string{"112 bij levensgevaar"}, Location: loc,
	}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return &fixture{desk: d, questions: qs, accounts: sqlite.NewAccountService(db), cups: cups, printer: p}
}

func tool(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return string(out)
}

// A question is stored, its slip prints on the real printer, and the
// printed PDF's QR code holds exactly the slip's link.
func TestAskAndPrint(t *testing.T) {
	f := newDesk(t)
	ctx := context.Background()
	q, err := f.desk.Ask(ctx, desk.Draft{Topic: "geld", Text: "Ik snap mijn brief niet", FollowUp: question.ComeBack, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.desk.PrintQuestion(ctx, q); err != nil {
		t.Fatalf("print: %v\ncupsd log:\n%s", err, f.cups.Log())
	}
	pdfs := f.cups.PDFs(t)
	if len(pdfs) != 1 {
		t.Fatalf("%d PDFs printed, want 1", len(pdfs))
	}
	dir := t.TempDir()
	tool(t, "pdftoppm", "-r", "200", "-png", pdfs[0], filepath.Join(dir, "slip"))
	pngs, _ := filepath.Glob(filepath.Join(dir, "slip*.png"))
	if len(pngs) == 0 {
		t.Fatal("pdftoppm made no image")
	}
	got := strings.TrimSpace(tool(t, "zbarimg", "--raw", "-q", pngs[0]))
	if want := "http://192.168.1.20:8080/s/" + q.Token; got != want {
		t.Errorf("QR holds %q, want %q", got, want)
	}
	// cups-pdf's Ghostscript rewrites the fonts so their text no longer
	// extracts; read the words from the slip as it was sent.
	sent, err := f.desk.QuestionSlip(q, nil)
	if err != nil {
		t.Fatal(err)
	}
	sentPath := filepath.Join(dir, "sent.pdf")
	if err := os.WriteFile(sentPath, sent, 0o644); err != nil {
		t.Fatal(err)
	}
	text := tool(t, "pdftotext", sentPath, "-")
	for _, want := range []string{question.FormatCode(q.Code), "Money & post", "Keep this slip", "Bewaar dit bonnetje", "112 bij levensgevaar"} {
		if !strings.Contains(text, want) {
			t.Errorf("slip text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "brief") {
		t.Errorf("the slip shows the question's text:\n%s", text)
	}
	if state, _, _ := f.questions.PrintState(ctx, q.ID); state != "printed" {
		t.Errorf("print state %q, want printed", state)
	}
}

// qrOf rasterises a printed PDF and returns what its QR code holds.
func qrOf(t *testing.T, pdf string) string {
	t.Helper()
	dir := t.TempDir()
	tool(t, "pdftoppm", "-r", "200", "-png", pdf, filepath.Join(dir, "slip"))
	pngs, _ := filepath.Glob(filepath.Join(dir, "slip*.png"))
	if len(pngs) == 0 {
		t.Fatal("pdftoppm made no image")
	}
	return strings.TrimSpace(tool(t, "zbarimg", "--raw", "-q", pngs[0]))
}

// A lost slip is printed again by its code: the same link in the QR, and
// the reprint in the audit log with who did it; the first print's state
// stays.
func TestReprintByCode(t *testing.T) {
	f := newDesk(t)
	ctx := context.Background()
	q, err := f.desk.Ask(ctx, desk.Draft{Topic: "wonen", Text: "De huur is omhoog", FollowUp: question.ComeBack, Lang: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.desk.ReprintByCode(ctx, q.Code, "kiosk"); err != nil {
		t.Fatalf("reprint: %v\ncupsd log:\n%s", err, f.cups.Log())
	}
	pdfs := f.cups.PDFs(t)
	if len(pdfs) != 1 {
		t.Fatalf("%d PDFs printed, want 1", len(pdfs))
	}
	if got, want := qrOf(t, pdfs[0]), f.desk.SlipURL(q); got != want {
		t.Errorf("QR holds %q, want %q", got, want)
	}
	log, err := f.accounts.AuditLog(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Action != question.ActionReprinted || log[0].Actor != "kiosk" ||
		log[0].QuestionID != q.ID || log[0].Detail != "printed" {
		t.Errorf("audit log %+v, want one reprint of question %d by kiosk, printed", log, q.ID)
	}
	if state, _, _ := f.questions.PrintState(ctx, q.ID); state != "pending" {
		t.Errorf("print state %q after a reprint, want the first print's (pending) kept", state)
	}
}

func TestReprintUnknownCode(t *testing.T) {
	f := newDesk(t)
	err := f.desk.ReprintByCode(context.Background(), "ZZZZZZ", "kiosk")
	if !errors.Is(err, question.ErrNotFound) {
		t.Errorf("reprint of an unknown code: %v, want ErrNotFound", err)
	}
	if pdfs := f.cups.PDFs(t); len(pdfs) != 0 {
		t.Errorf("%d PDFs printed for an unknown code", len(pdfs))
	}
}

// A failed reprint is recorded too, with why.
func TestReprintPrinterDisabled(t *testing.T) {
	f := newDesk(t)
	ctx := context.Background()
	q, err := f.desk.Ask(ctx, desk.Draft{Topic: "geld", FollowUp: question.Waiting, Lang: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	f.cups.Disable(t, f.cups.Queue)
	if err := f.desk.ReprintByCode(ctx, q.Code, "kiosk"); !errors.Is(err, printer.ErrStopped) {
		t.Fatalf("reprint on a disabled printer: %v, want ErrStopped", err)
	}
	log, _ := f.accounts.AuditLog(ctx, 0)
	if len(log) != 1 || !strings.HasPrefix(log[0].Detail, "not printed: ") {
		t.Errorf("audit log %+v, want the failed reprint with a reason", log)
	}
}

// The sample slip goes the way of a visitor's slip and its QR scans.
func TestPrintSample(t *testing.T) {
	f := newDesk(t)
	if err := f.desk.PrintSample(context.Background()); err != nil {
		t.Fatalf("print sample: %v\ncupsd log:\n%s", err, f.cups.Log())
	}
	pdfs := f.cups.PDFs(t)
	if len(pdfs) != 1 {
		t.Fatalf("%d PDFs printed, want 1", len(pdfs))
	}
	if got := qrOf(t, pdfs[0]); !strings.HasPrefix(got, "http://192.168.1.20:8080/s/") {
		t.Errorf("sample QR holds %q, want a slip link", got)
	}
	if n, _ := f.questions.Count(context.Background()); n != 0 {
		t.Errorf("the sample stored %d questions, want none", n)
	}
}

// With the printer disabled the question is safe, the job is cancelled
// (nothing prints when the printer comes back), and the failure is
// recorded.
func TestPrinterDisabled(t *testing.T) {
	f := newDesk(t)
	ctx := context.Background()
	f.cups.Disable(t, f.cups.Queue)
	q, err := f.desk.Ask(ctx, desk.Draft{Topic: "wonen", FollowUp: question.Waiting, Lang: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	err = f.desk.PrintQuestion(ctx, q)
	if !errors.Is(err, printer.ErrStopped) {
		t.Fatalf("print on a disabled printer: %v, want ErrStopped", err)
	}
	if _, err := f.questions.ByCode(ctx, q.Code); err != nil {
		t.Errorf("the question is not stored: %v", err)
	}
	if state, detail, _ := f.questions.PrintState(ctx, q.ID); state != "failed" || detail == "" {
		t.Errorf("print state %q %q, want failed with a reason", state, detail)
	}
	if jobs := f.cups.Jobs(t, f.cups.Queue); len(jobs) != 0 {
		t.Errorf("jobs left in the queue: %v", jobs)
	}
	// Back on: a marker job prints, and it is the only PDF.
	f.cups.Enable(t, f.cups.Queue)
	job, err := f.printer.Print(ctx, "marker", cupstest.PDF(t, "marker"))
	if err != nil {
		t.Fatal(err)
	}
	f.cups.WaitPDF(t, job.ID)
	if pdfs := f.cups.PDFs(t); len(pdfs) != 1 {
		t.Errorf("after re-enabling, %d PDFs: %v; want only the marker", len(pdfs), pdfs)
	}
}

// BenchmarkConfirmToAccepted measures what a visitor waits for after
// "Bonnetje printen" until CUPS has the job: storing the question,
// rendering its slip and submitting it.
func BenchmarkConfirmToAccepted(b *testing.B) {
	f := newDesk(b)
	ctx := context.Background()
	for b.Loop() {
		q, err := f.desk.Ask(ctx, desk.Draft{Topic: "geld", Text: "Vraag over een brief", FollowUp: question.Waiting, Lang: "nl"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.desk.SubmitQuestion(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAsk measures storing a question (target: at most 5 ms).
func BenchmarkAsk(b *testing.B) {
	f := newDesk(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := f.desk.Ask(ctx, desk.Draft{Topic: "geld", Text: "Vraag over een brief", FollowUp: question.Waiting, Lang: "nl"}); err != nil {
			b.Fatal(err)
		}
	}
}

// Whatever a visitor types goes through normalising, storing and the slip
// without a panic, and the slip's QR code always decodes to its link.
func FuzzAskAndSlip(f *testing.F) {
	for _, s := range []string{"Ik snap mijn brief niet", "", "\x00\x01\x02", "e\u0301\u200b", strings.Repeat("ş", 600), "<script>alert(1)</script>", "😀 مرحبا"} {
		f.Add(s)
	}
	fx := newDesk(f)
	f.Fuzz(func(t *testing.T, text string) {
		ctx := context.Background()
		q, err := fx.desk.Ask(ctx, desk.Draft{Topic: "geld", Text: text, FollowUp: question.Waiting, Lang: "nl"})
		if err != nil {
			t.Fatalf("Ask(%q): %v", text, err)
		}
		stored, err := fx.questions.ByToken(ctx, q.Token)
		if err != nil || stored.Text != question.NormaliseText(text) {
			t.Fatalf("stored %q (%v), want the normalised text", stored.Text, err)
		}
		pdf, err := fx.desk.QuestionSlip(q, nil)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "slip.pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		tool(t, "pdftoppm", "-r", "150", "-png", filepath.Join(dir, "slip.pdf"), filepath.Join(dir, "slip"))
		pngs, _ := filepath.Glob(filepath.Join(dir, "slip*.png"))
		if len(pngs) == 0 {
			t.Fatal("no image")
		}
		if got := strings.TrimSpace(tool(t, "zbarimg", "--raw", "-q", pngs[0])); got != fx.desk.SlipURL(q) {
			t.Fatalf("QR holds %q, want %q", got, fx.desk.SlipURL(q))
		}
	})
}
