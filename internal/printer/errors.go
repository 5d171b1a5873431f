package printer

import (
	"errors"
	"strconv"
	"strings"
)

// The kinds of failure. Every error this package returns is an *Error whose
// Kind is one of these, so callers test with errors.Is and map each kind to
// a calm message on screen; the English detail is for the log.
var (
	// ErrInvalidURI means Client.URI is not a CUPS queue address.
	ErrInvalidURI = errors.New("invalid printer queue uri")
	// ErrUnreachable means CUPS did not answer (not running, wrong port,
	// network down).
	ErrUnreachable = errors.New("cups unreachable")
	// ErrNoPrinter means CUPS answered but has no such queue.
	ErrNoPrinter = errors.New("no such printer")
	// ErrNotAccepting means the queue rejects jobs (cupsreject).
	ErrNotAccepting = errors.New("printer not accepting jobs")
	// ErrStopped means the printer is stopped (cupsdisable), paused,
	// offline or reports an error, so a job would wait in the queue.
	ErrStopped = errors.New("printer stopped")
	// ErrOutOfPaper means the printer reports media-empty or media-needed.
	ErrOutOfPaper = errors.New("printer out of paper")
	// ErrTimeout means the job did not complete within Client.Timeout.
	ErrTimeout = errors.New("job not completed in time")
	// ErrCancelled means the job was cancelled or aborted before it
	// completed: by CUPS, by someone else, or because ctx ended.
	ErrCancelled = errors.New("job cancelled")
	// ErrRefused means CUPS answered a request with an error not covered
	// above (not authorised, document format not supported, bad request).
	ErrRefused = errors.New("request refused")
)

// Error describes a failed printer operation. Kind is one of the Err*
// sentinels; Err, when set, is the underlying cause. Neither ever holds
// document contents.
type Error struct {
	Op     string // "status", "submit", "wait" or "cancel"
	Kind   error  // one of the Err* sentinels
	Job    int    // CUPS job id, 0 before CUPS accepted a job
	Detail string // English detail for logs, such as the printer's reasons
	Err    error  // underlying cause, may be nil
}

// Error returns "printer OP [job N]: KIND: DETAIL: ERR".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("printer ")
	b.WriteString(e.Op)
	if e.Job != 0 {
		b.WriteString(" job ")
		b.WriteString(strconv.Itoa(e.Job))
	}
	if e.Kind != nil {
		b.WriteString(": ")
		b.WriteString(e.Kind.Error())
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Kind and Err, so errors.Is matches the sentinel as well as
// anything in the cause (such as context.DeadlineExceeded).
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 2)
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}
