package printer

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestParseURI(t *testing.T) {
	tests := []struct {
		in                   string
		endpoint, printerURI string // empty when invalid
	}{
		{"ipp://localhost/printers/buurtbalie", "http://localhost:631/printers/buurtbalie", "ipp://localhost:631/printers/buurtbalie"},
		{"ipp://localhost:631/printers/buurtbalie", "http://localhost:631/printers/buurtbalie", "ipp://localhost:631/printers/buurtbalie"},
		{"IPP://127.0.0.1:8631/printers/bon", "http://127.0.0.1:8631/printers/bon", "ipp://127.0.0.1:8631/printers/bon"},
		{"http://127.0.0.1:631/printers/bon", "http://127.0.0.1:631/printers/bon", "ipp://127.0.0.1:631/printers/bon"},
		{"ipps://kiosk.local/printers/bon", "https://kiosk.local:631/printers/bon", "ipps://kiosk.local:631/printers/bon"},
		{"ipp://[::1]/classes/balie", "http://[::1]:631/classes/balie", "ipp://[::1]:631/classes/balie"},
		{"", "", ""},
		{"buurtbalie", "", ""},
		{"lpd://localhost/printers/bon", "", ""},
		{"socket://192.0.2.1:9100", "", ""},
		{"ipp:///printers/bon", "", ""},
		{"ipp://localhost/bon", "", ""},
		{"ipp://localhost/printers/", "", ""},
		{"ipp://localhost/printers/a/b", "", ""},
		{"ipp://localhost/jobs/12", "", ""},
		{"ipp://user:pw@localhost/printers/bon", "", ""},
		{"ipp://localhost/printers/bon?waitjob=false", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseURI(tt.in)
			if tt.endpoint == "" {
				if !errors.Is(err, ErrInvalidURI) {
					t.Fatalf("parseURI(%q) = %+v, %v; want ErrInvalidURI", tt.in, got, err)
				}
				if !strings.Contains(err.Error(), "/printers/NAME") {
					t.Errorf("error %q does not say what is wanted", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseURI(%q): %v", tt.in, err)
			}
			if got.endpoint != tt.endpoint || got.printerURI != tt.printerURI {
				t.Errorf("parseURI(%q) = %s, %s; want %s, %s", tt.in, got.endpoint, got.printerURI, tt.endpoint, tt.printerURI)
			}
		})
	}
}

func TestReasonKind(t *testing.T) {
	tests := []struct {
		reason string
		want   error
	}{
		{"none", nil},
		{"media-empty", ErrOutOfPaper},
		{"media-empty-error", ErrOutOfPaper},
		{"media-empty-warning", nil},
		{"media-needed", ErrOutOfPaper},
		{"media-needed-error", ErrOutOfPaper},
		{"media-low-warning", nil},
		{"media-low", nil},
		{"paused", ErrStopped},
		{"offline", ErrStopped},
		{"offline-report", nil},
		{"media-jam-error", ErrStopped},
		{"cover-open", ErrStopped},
		{"toner-empty-error", ErrStopped},
		{"cups-missing-filter-warning", nil},
		{"cups-insecure-filter-error", ErrStopped},
		{"connecting-to-device", nil},
		{"cups-waiting-for-job-completed", nil},
		{"other", nil},
		{"other-error", ErrStopped},
	}
	for _, tt := range tests {
		if got := reasonKind(tt.reason); got != tt.want {
			t.Errorf("reasonKind(%q) = %v, want %v", tt.reason, got, tt.want)
		}
	}
}

func TestStatusErr(t *testing.T) {
	ok := Status{Exists: true, Accepting: true, State: "idle"}
	with := func(f func(*Status)) Status { s := ok; f(&s); return s }
	tests := []struct {
		name string
		st   Status
		want error // nil: ready
	}{
		{"idle", ok, nil},
		{"processing", with(func(s *Status) { s.State = "processing"; s.Reasons = []string{"connecting-to-device"} }), nil},
		{"low paper is fine", with(func(s *Status) { s.Reasons = []string{"media-low-warning"} }), nil},
		{"missing", Status{}, ErrNoPrinter},
		{"rejecting", with(func(s *Status) { s.Accepting = false }), ErrNotAccepting},
		{"disabled", with(func(s *Status) { s.State = "stopped"; s.Reasons = []string{"paused"} }), ErrStopped},
		{"offline", with(func(s *Status) { s.Reasons = []string{"offline"} }), ErrStopped},
		{"paper out", with(func(s *Status) { s.Reasons = []string{"media-empty-error"} }), ErrOutOfPaper},
		{"paper out beats stopped", with(func(s *Status) { s.State = "stopped"; s.Reasons = []string{"paused", "media-needed"} }), ErrOutOfPaper},
		{"jam", with(func(s *Status) { s.Reasons = []string{"media-jam-error"} }), ErrStopped},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.st.Err()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Err() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Err() = %v, want %v", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.Detail == "" {
				t.Errorf("Err() = %#v, want an *Error with the status as detail", err)
			}
		})
	}
}

func TestErrorIs(t *testing.T) {
	err := error(&Error{Op: "wait", Kind: ErrCancelled, Job: 12, Detail: "caller stopped waiting", Err: context.Canceled})
	for _, target := range []error{ErrCancelled, context.Canceled} {
		if !errors.Is(err, target) {
			t.Errorf("errors.Is(%v, %v) = false, want true", err, target)
		}
	}
	if errors.Is(err, ErrTimeout) {
		t.Errorf("errors.Is(%v, ErrTimeout) = true, want false", err)
	}
	want := "printer wait job 12: job cancelled: caller stopped waiting: context canceled"
	if got := err.Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestJobName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"buurtbalie-slip", "buurtbalie-slip"},
		{"  ", "buurtbalie"},
		{"", "buurtbalie"},
		{"slip\n\x00\tK7M", "slipK7M"},
		{strings.Repeat("é", 80), strings.Repeat("é", 64)},
	}
	for _, tt := range tests {
		if got := jobName(tt.in); got != tt.want {
			t.Errorf("jobName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
