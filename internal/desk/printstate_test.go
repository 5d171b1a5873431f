package desk_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"buurtbalie/internal/desk"
	"buurtbalie/internal/printer"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

// failingPrinter takes every job and then reports err for it, as
// printer.Client.Wait does once it has cancelled the job.
type failingPrinter struct{ err error }

func (p failingPrinter) Submit(context.Context, string, []byte) (printer.Job, error) {
	return printer.Job{ID: 7, Submitted: time.Now()}, nil
}

func (p failingPrinter) Wait(context.Context, printer.Job) error { return p.err }

// Whatever way a slip fails — too slow, cancelled in CUPS, or the kiosk
// stopped waiting — the question says "failed", never "pending", so that
// the volunteers' pages say this visitor has no slip.
func TestFailedPrintIsRecorded(t *testing.T) {
	ctx := context.Background()
	db, cat, slips := deskParts(t)
	qs := sqlite.NewQuestionService(db)
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	stopped, stop := context.WithCancel(ctx)
	stop()
	for _, tt := range []struct {
		name string
		ctx  context.Context
		err  error
	}{
		{"timeout", ctx, &printer.Error{Op: "wait", Kind: printer.ErrTimeout, Job: 7, Detail: "not completed within 20s; cancelled the job"}},
		{"cancelled in cups", ctx, &printer.Error{Op: "wait", Kind: printer.ErrCancelled, Job: 7, Detail: "job cancelled in cups"}},
		{"caller stopped waiting", stopped, &printer.Error{Op: "wait", Kind: printer.ErrCancelled, Job: 7, Detail: "caller stopped waiting; cancelled the job", Err: context.Canceled}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := desk.New(qs, slips, failingPrinter{tt.err}, cat, desk.Config{
				House: "Buurthuis De Linde", PublicURL: "http://192.168.1.20:8080/", Location: loc,
			}, slog.New(slog.NewTextHandler(io.Discard, nil)))
			q, err := d.Ask(ctx, desk.Draft{Topic: "geld", FollowUp: question.ComeBack, Lang: "nl"})
			if err != nil {
				t.Fatal(err)
			}
			if err := d.PrintQuestion(tt.ctx, q); err == nil {
				t.Errorf("PrintQuestion = nil, want an error like %v", tt.err)
			}
			state, detail, err := qs.PrintState(ctx, q.ID)
			if err != nil || state != string(question.PrintFailed) || detail == "" {
				t.Errorf("print state %q %q (%v), want failed with the reason", state, detail, err)
			}
		})
	}
}
