package printer_test

import (
	"context"
	"errors"
	"net"
	"os/exec"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"buurtbalie/internal/printer"
	"buurtbalie/internal/printer/cupstest"
)

// These tests run a real cupsd per test (see cupstest) and print real PDFs.

func TestStatus(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, srv *cupstest.Server) string // returns the queue URI
		want    printer.Status
		wantErr error // from Status.Err
	}{
		{
			name:  "working",
			setup: func(t *testing.T, srv *cupstest.Server) string { return srv.URI },
			want:  printer.Status{Exists: true, Accepting: true, State: "idle"},
		},
		{
			name: "missing",
			setup: func(t *testing.T, srv *cupstest.Server) string {
				return "ipp://" + srv.Addr + "/printers/no-such-queue"
			},
			want:    printer.Status{},
			wantErr: printer.ErrNoPrinter,
		},
		{
			name: "rejecting",
			setup: func(t *testing.T, srv *cupstest.Server) string {
				srv.Reject(t, srv.Queue)
				return srv.URI
			},
			want:    printer.Status{Exists: true, Accepting: false, State: "idle"},
			wantErr: printer.ErrNotAccepting,
		},
		{
			name: "disabled",
			setup: func(t *testing.T, srv *cupstest.Server) string {
				srv.Disable(t, srv.Queue)
				return srv.URI
			},
			want:    printer.Status{Exists: true, Accepting: true, State: "stopped", Reasons: []string{"paused"}},
			wantErr: printer.ErrStopped,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := cupstest.Start(t)
			c := &printer.Client{URI: tt.setup(t, srv)}
			got, err := c.Status(t.Context())
			if err != nil {
				t.Fatalf("Status: %v", err)
			}
			if got.Exists != tt.want.Exists || got.Accepting != tt.want.Accepting ||
				got.State != tt.want.State || !slices.Equal(got.Reasons, tt.want.Reasons) {
				t.Errorf("Status = %+v, want %+v", got, tt.want)
			}
			if err := got.Err(); !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("Status.Err() = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestPrint(t *testing.T) {
	t.Parallel()
	srv := cupstest.Start(t)
	c := &printer.Client{URI: srv.URI}
	job, err := c.Print(t.Context(), "buurtbalie-slip", cupstest.PDF(t, "Buurtbalie test K7M-4QX"))
	if err != nil {
		t.Fatalf("Print: %v", err)
	}
	if job.ID <= 0 || job.Title != "buurtbalie-slip" {
		t.Errorf("Print returned job %+v, want a job id and the title", job)
	}
	file := srv.WaitPDF(t, job.ID)
	if text := pdfText(t, file); !strings.Contains(text, "K7M-4QX") {
		t.Errorf("printed PDF %s says %q, want it to contain K7M-4QX", file, text)
	}
	if got := srv.Jobs(t, srv.Queue); len(got) != 0 {
		t.Errorf("jobs left on the queue: %v", got)
	}
}

// TestSubmitRefuses checks that Submit queues nothing when the printer
// cannot print now, so nothing comes out when the printer is fixed.
func TestSubmitRefuses(t *testing.T) {
	tests := []struct {
		name       string
		spoil, fix func(t *testing.T, srv *cupstest.Server)
		queue      func(srv *cupstest.Server) string
		want       error
	}{
		{
			name:  "missing queue",
			queue: func(srv *cupstest.Server) string { return "ipp://" + srv.Addr + "/printers/no-such-queue" },
			want:  printer.ErrNoPrinter,
		},
		{
			name:  "rejecting",
			spoil: func(t *testing.T, srv *cupstest.Server) { srv.Reject(t, srv.Queue) },
			fix:   func(t *testing.T, srv *cupstest.Server) { srv.Accept(t, srv.Queue) },
			want:  printer.ErrNotAccepting,
		},
		{
			// CUPS itself would queue this job and print it when the
			// printer is enabled again.
			name:  "disabled",
			spoil: func(t *testing.T, srv *cupstest.Server) { srv.Disable(t, srv.Queue) },
			fix:   func(t *testing.T, srv *cupstest.Server) { srv.Enable(t, srv.Queue) },
			want:  printer.ErrStopped,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := cupstest.Start(t)
			uri := srv.URI
			if tt.queue != nil {
				uri = tt.queue(srv)
			}
			if tt.spoil != nil {
				tt.spoil(t, srv)
			}
			c := &printer.Client{URI: uri}
			job, err := c.Submit(t.Context(), "buurtbalie-slip", cupstest.PDF(t, "must not print"))
			if !errors.Is(err, tt.want) {
				t.Fatalf("Submit = %+v, %v; want %v", job, err, tt.want)
			}
			var e *printer.Error
			if !errors.As(err, &e) || e.Job != 0 || job.ID != 0 {
				t.Errorf("Submit error %#v, job %+v: want an *Error and no job", err, job)
			}
			if tt.fix != nil {
				tt.fix(t, srv)
			}
			onlyMarkerPrints(t, srv)
		})
	}
}

// TestWaitCancels checks that a job that cannot print now is cancelled and
// purged, and never prints later.
func TestWaitCancels(t *testing.T) {
	tests := []struct {
		name string
		// run submits a job and makes it fail; it returns the queue the job was on and
		// Wait's error.
		run  func(t *testing.T, srv *cupstest.Server) (queue string, err error)
		want []error
	}{
		{
			// The fake clock jumps past the timeout straight after Submit;
			// cups-pdf needs far longer than one IPP query to finish a job.
			name: "timeout on a working printer",
			run: func(t *testing.T, srv *cupstest.Server) (string, error) {
				var jump atomic.Bool
				start := time.Now()
				c := &printer.Client{URI: srv.URI, Timeout: 2 * time.Second, Now: func() time.Time {
					if jump.Load() {
						return start.Add(time.Hour)
					}
					return start
				}}
				job := submit(t, c)
				jump.Store(true)
				return srv.Queue, c.Wait(t.Context(), job)
			},
			want: []error{printer.ErrTimeout},
		},
		{
			name: "printer that never finishes",
			run: func(t *testing.T, srv *cupstest.Server) (string, error) {
				name, uri := srv.HangingQueue(t)
				c := &printer.Client{URI: uri, Timeout: 2 * time.Second}
				return name, c.Wait(t.Context(), submit(t, c))
			},
			want: []error{printer.ErrTimeout},
		},
		{
			name: "printer disabled while printing",
			run: func(t *testing.T, srv *cupstest.Server) (string, error) {
				name, uri := srv.HangingQueue(t)
				c := &printer.Client{URI: uri, Timeout: time.Minute}
				job := submit(t, c)
				srv.Disable(t, name)
				err := c.Wait(t.Context(), job)
				srv.Enable(t, name)
				return name, err
			},
			want: []error{printer.ErrStopped},
		},
		{
			name: "caller gives up",
			run: func(t *testing.T, srv *cupstest.Server) (string, error) {
				name, uri := srv.HangingQueue(t)
				c := &printer.Client{URI: uri, Timeout: time.Minute}
				job := submit(t, c)
				ctx, cancel := context.WithCancel(t.Context())
				cancel()
				return name, c.Wait(ctx, job)
			},
			want: []error{printer.ErrCancelled, context.Canceled},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := cupstest.Start(t)
			queue, err := tt.run(t, srv)
			for _, want := range tt.want {
				if !errors.Is(err, want) {
					t.Errorf("Wait = %v, want %v", err, want)
				}
			}
			if err == nil || !strings.Contains(err.Error(), "cancelled the job") {
				t.Errorf("Wait = %v, want its detail to say the job was cancelled", err)
			}
			if got := srv.Jobs(t, queue); len(got) != 0 {
				t.Errorf("jobs still on %s after Wait: %v", queue, got)
			}
			if queue == srv.Queue {
				onlyMarkerPrints(t, srv)
			}
		})
	}
}

// TestOutOfPaper checks both halves: a job on a printer that runs out of
// paper is cancelled, and the next slip is refused while the printer still
// reports it.
func TestOutOfPaper(t *testing.T) {
	t.Parallel()
	srv := cupstest.Start(t)
	name, uri := srv.PaperOutQueue(t)
	c := &printer.Client{URI: uri, Timeout: time.Minute}
	err := c.Wait(t.Context(), submit(t, c))
	if !errors.Is(err, printer.ErrOutOfPaper) || !strings.Contains(err.Error(), "cancelled the job") {
		t.Fatalf("Wait = %v, want ErrOutOfPaper and the job cancelled", err)
	}
	if got := srv.Jobs(t, name); len(got) != 0 {
		t.Errorf("jobs still on %s after Wait: %v", name, got)
	}
	job, err := c.Submit(t.Context(), "buurtbalie-slip", cupstest.PDF(t, "must not print"))
	if !errors.Is(err, printer.ErrOutOfPaper) {
		t.Errorf("second Submit = %+v, %v; want ErrOutOfPaper", job, err)
	}
}

func TestUnreachable(t *testing.T) {
	t.Parallel()
	c := &printer.Client{URI: "ipp://" + closedAddr(t) + "/printers/buurtbalie"}
	if _, err := c.Status(t.Context()); !errors.Is(err, printer.ErrUnreachable) {
		t.Errorf("Status = %v, want ErrUnreachable", err)
	}
	if _, err := c.Submit(t.Context(), "buurtbalie-slip", []byte("%PDF-1.4")); !errors.Is(err, printer.ErrUnreachable) {
		t.Errorf("Submit = %v, want ErrUnreachable", err)
	}
	if _, err := c.Print(t.Context(), "buurtbalie-slip", []byte("%PDF-1.4")); !errors.Is(err, printer.ErrUnreachable) {
		t.Errorf("Print = %v, want ErrUnreachable", err)
	}
}

// TestUnreachableWhileWaiting stops cupsd under a waiting job: Wait keeps
// trying to cancel it until the timeout, then reports ErrUnreachable and
// that the job may still print.
func TestUnreachableWhileWaiting(t *testing.T) {
	t.Parallel()
	srv := cupstest.Start(t)
	_, uri := srv.HangingQueue(t)
	c := &printer.Client{URI: uri, Timeout: 2 * time.Second, Poll: 50 * time.Millisecond}
	job := submit(t, c)
	srv.Stop()
	err := c.Wait(t.Context(), job)
	if !errors.Is(err, printer.ErrUnreachable) {
		t.Fatalf("Wait = %v, want ErrUnreachable", err)
	}
	if !strings.Contains(err.Error(), "may still print") {
		t.Errorf("Wait = %v, want it to say the cancel failed", err)
	}
}

func TestInvalidURI(t *testing.T) {
	c := &printer.Client{URI: "lpd://localhost/buurtbalie"}
	if err := c.Validate(); !errors.Is(err, printer.ErrInvalidURI) {
		t.Errorf("Validate = %v, want ErrInvalidURI", err)
	}
	if _, err := c.Print(t.Context(), "buurtbalie-slip", []byte("%PDF-1.4")); !errors.Is(err, printer.ErrInvalidURI) {
		t.Errorf("Print = %v, want ErrInvalidURI", err)
	}
}

func TestCancelAll(t *testing.T) {
	t.Parallel()
	srv := cupstest.Start(t)
	name, uri := srv.HangingQueue(t)
	c := &printer.Client{URI: uri}
	submit(t, c)
	submit(t, c)
	n, err := c.CancelAll(t.Context())
	if err != nil || n != 2 {
		t.Fatalf("CancelAll = %d, %v; want 2, nil", n, err)
	}
	if got := srv.Jobs(t, name); len(got) != 0 {
		t.Errorf("jobs left after CancelAll: %v", got)
	}
}

func BenchmarkSubmit(b *testing.B) {
	srv := cupstest.Start(b)
	c := &printer.Client{URI: srv.URI}
	pdf := cupstest.PDF(b, "Buurtbalie benchmark")
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Submit(ctx, "buurtbalie-slip", pdf); err != nil {
			b.Fatal(err)
		}
		// Keep the queue empty so every Submit meets an idle printer, as a
		// visitor at the kiosk does.
		b.StopTimer()
		if _, err := c.CancelAll(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

func BenchmarkStatus(b *testing.B) {
	srv := cupstest.Start(b)
	c := &printer.Client{URI: srv.URI}
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Status(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// submit submits a small PDF and fails the test if CUPS does not accept it.
func submit(t *testing.T, c *printer.Client) printer.Job {
	t.Helper()
	job, err := c.Submit(t.Context(), "buurtbalie-slip", cupstest.PDF(t, "must not print"))
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	return job
}

// onlyMarkerPrints prints a marker job on the (working) main queue and
// checks that it is the only PDF ever written. CUPS prints a queue's jobs
// in order, so a job refused or cancelled earlier would have come out
// before the marker.
func onlyMarkerPrints(t *testing.T, srv *cupstest.Server) {
	t.Helper()
	c := &printer.Client{URI: srv.URI}
	job, err := c.Print(t.Context(), "marker", cupstest.PDF(t, "marker"))
	if err != nil {
		t.Fatalf("print marker: %v", err)
	}
	marker := srv.WaitPDF(t, job.ID)
	if got := srv.PDFs(t); !slices.Equal(got, []string{marker}) {
		t.Errorf("PDFs printed = %v, want only the marker %s", got, marker)
	}
	if got := srv.Jobs(t, srv.Queue); len(got) != 0 {
		t.Errorf("jobs left on the queue: %v", got)
	}
}

// pdfText extracts a PDF's text with pdftotext.
func pdfText(t *testing.T, file string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext not found: install package poppler-utils")
	}
	out, err := exec.Command("pdftotext", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", file, err)
	}
	return string(out)
}

// closedAddr returns a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}
