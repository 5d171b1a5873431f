// Package printer prints a visitor's slip through CUPS and makes sure it
// prints now or not at all.
//
// A slip that cannot print now must never come out later for someone else
// to pick up. CUPS does not promise that: a disabled printer (cupsdisable)
// still accepts jobs and prints the whole backlog when it is enabled again,
// and a printer at an unreachable address stays "processing" for as long as
// anyone watches. So Submit refuses when the printer is missing, rejecting,
// stopped, out of paper or reports an error, and Wait watches the job and
// cancels (and purges) it when it has not completed within Client.Timeout,
// when the printer stops or runs out of paper, when CUPS is lost, or when
// the caller gives up.
//
// The package talks IPP to cupsd over HTTP (with github.com/OpenPrinting/goipp
// for the message encoding) instead of running lp, lpstat and cancel and
// parsing their output. IPP gives typed attributes: printer-state is an enum,
// printer-state-reasons are keywords (media-empty, paused, offline-report),
// printer-is-accepting-jobs is a boolean and job-state is an enum, where
// lpstat prints sentences that change with the locale and the CUPS version.
// Print-Job answers with the job id, so the job is cancelled by id rather
// than by parsing "request id is buurtbalie-12". A query takes about a
// millisecond instead of a process start, and no CUPS command-line tools
// need to be installed on the kiosk.
//
// Every error is an *Error whose Kind is one of the Err* sentinels, so the
// kiosk maps it to a calm message with errors.Is; the English Detail is for
// the log. Nothing here logs, and no error holds document contents. The job
// title is visible to anyone who can list the queue, so callers pass a
// fixed title such as "buurtbalie-slip", never the visitor's question.
//
// Printing a slip:
//
//	c := &printer.Client{URI: "ipp://localhost:631/printers/buurtbalie"}
//	job, err := c.Print(ctx, "buurtbalie-slip", pdf)
//	switch {
//	case err == nil:
//		// The slip is in the tray.
//	case errors.Is(err, printer.ErrOutOfPaper):
//		// Show the code on screen; tell staff to refill paper.
//	default:
//		// Show the code on screen; log err (job.ID is 0 if never queued).
//	}
package printer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/user"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/OpenPrinting/goipp"
)

// Defaults for the zero values of Client's fields.
const (
	// DefaultTimeout is how long a job may take when Client.Timeout is 0:
	// a receipt printer finishes a slip in a few seconds.
	DefaultTimeout = 20 * time.Second
	// DefaultPoll is how often Wait looks at the job when Client.Poll is 0.
	DefaultPoll = 200 * time.Millisecond
)

// minCancelTime is how long Wait keeps trying to cancel a job while CUPS
// does not answer, at least: a cupsd that comes back would print the job.
const minCancelTime = 2 * time.Second

// IPP job-state values (RFC 8011, 5.3.7).
const (
	jobPending           = 3
	jobPendingHeld       = 4
	jobProcessing        = 5
	jobProcessingStopped = 6
	jobCanceled          = 7
	jobAborted           = 8
	jobCompleted         = 9
)

// Client prints to one CUPS queue. Set the fields before first use; a
// Client is safe for concurrent use and must not be copied after first use.
type Client struct {
	// URI is the queue, e.g. "ipp://localhost:631/printers/buurtbalie".
	// http://HOST:PORT/printers/NAME works too; ipp:// defaults to port 631.
	URI string
	// Timeout is how long a job may take, from being accepted by CUPS to
	// completed, before Wait cancels it; DefaultTimeout if zero.
	Timeout time.Duration
	// Poll is how often Wait looks at the job; DefaultPoll if zero.
	Poll time.Duration
	// HTTP sends the IPP requests; if nil, a client that never uses a proxy
	// and gives up connecting after 2 s. Set it for ipps:// with a private
	// certificate.
	HTTP *http.Client
	// Now is the clock that Timeout is measured on; time.Now if nil.
	Now func() time.Time

	once  sync.Once
	rt    resolved
	reqID atomic.Uint32
}

// resolved holds what the Client works out once, on first use.
type resolved struct {
	http *http.Client
	user string
}

// init resolves the HTTP client and the requesting user name on first use.
func (c *Client) init() *resolved {
	c.once.Do(func() {
		c.rt.http = c.HTTP
		if c.rt.http == nil {
			c.rt.http = &http.Client{Transport: &http.Transport{
				Proxy:               nil, // CUPS is local; never send slips through a proxy
				DialContext:         (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
				MaxIdleConnsPerHost: 2,
				IdleConnTimeout:     30 * time.Second,
			}}
		}
		c.rt.user = requestingUser()
	})
	return &c.rt
}

// requestingUser is the name CUPS records as the job's owner. CUPS lets the
// owner cancel a job under its default policy, so every request of a Client
// carries the same name.
func requestingUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "buurtbalie"
}

func (c *Client) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

func (c *Client) poll() time.Duration {
	if c.Poll > 0 {
		return c.Poll
	}
	return DefaultPoll
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Validate reports whether URI names a CUPS queue, with a message that
// says what is wrong and what is wanted; use it when loading settings.
func (c *Client) Validate() error {
	_, err := parseURI(c.URI)
	return err
}

// Status is the printer as CUPS sees it.
type Status struct {
	Exists    bool     // CUPS knows the queue
	Accepting bool     // printer-is-accepting-jobs (false after cupsreject)
	State     string   // printer-state: "idle", "processing" or "stopped"
	Reasons   []string // printer-state-reasons without "none", e.g. "media-empty-error"
	Message   string   // printer-state-message, free text from the driver
}

// String describes the status in one line for logs.
func (s Status) String() string {
	if !s.Exists {
		return "no such printer"
	}
	reasons := "none"
	if len(s.Reasons) > 0 {
		reasons = strings.Join(s.Reasons, ",")
	}
	str := fmt.Sprintf("state=%s accepting=%t reasons=%s", s.State, s.Accepting, reasons)
	if s.Message != "" {
		str += fmt.Sprintf(" message=%q", s.Message)
	}
	return str
}

// Err returns nil if a job sent now would print now, or an *Error whose
// Kind says why not: ErrNoPrinter, ErrOutOfPaper, ErrNotAccepting or
// ErrStopped.
func (s Status) Err() error {
	return s.check("status", true)
}

// check is Err for operation op; accepting says whether a rejecting queue
// counts (it does not for a job already queued).
func (s Status) check(op string, accepting bool) error {
	fail := func(kind error) error { return &Error{Op: op, Kind: kind, Detail: s.String()} }
	if !s.Exists {
		return fail(ErrNoPrinter)
	}
	for _, r := range s.Reasons {
		if reasonKind(r) == ErrOutOfPaper {
			return fail(ErrOutOfPaper)
		}
	}
	if accepting && !s.Accepting {
		return fail(ErrNotAccepting)
	}
	if s.State == "stopped" {
		return fail(ErrStopped)
	}
	for _, r := range s.Reasons {
		if kind := reasonKind(r); kind != nil {
			return fail(kind)
		}
	}
	return nil
}

// stopReasons are printer-state-reasons that keep a printer from printing
// even without the "-error" suffix. CUPS leaves normal conditions such as
// "connecting-to-device" and "cups-waiting-for-job-completed" unsuffixed
// too, so an unsuffixed reason is not an error unless it is listed here.
var stopReasons = map[string]bool{
	"cover-open":          true,
	"door-open":           true,
	"input-tray-missing":  true,
	"interlock-open":      true,
	"marker-supply-empty": true,
	"media-jam":           true,
	"moving-to-paused":    true,
	"offline":             true,
	"output-area-full":    true,
	"output-tray-missing": true,
	"paused":              true,
	"shutdown":            true,
	"spool-area-full":     true,
	"toner-empty":         true,
}

// reasonKind classifies one printer-state-reason: ErrOutOfPaper, ErrStopped,
// or nil when the printer can still print ("-warning" and "-report" reasons
// never stop it; "media-low" is fine, "media-empty" is not).
func reasonKind(reason string) error {
	base := reason
	switch {
	case strings.HasSuffix(reason, "-warning"), strings.HasSuffix(reason, "-report"):
		return nil
	case strings.HasSuffix(reason, "-error"):
		base = strings.TrimSuffix(reason, "-error")
	}
	switch {
	case base == "media-empty" || base == "media-needed":
		return ErrOutOfPaper
	case base != reason || stopReasons[base]:
		return ErrStopped
	}
	return nil
}

// Status asks CUPS for the printer's state. A queue CUPS does not know is
// not an error: it comes back with Exists false.
func (c *Client) Status(ctx context.Context) (Status, error) {
	t, err := parseURI(c.URI)
	if err != nil {
		return Status{}, err
	}
	m := c.newRequest(goipp.OpGetPrinterAttributes, t)
	m.Operation.Add(keywords("requested-attributes",
		"printer-state", "printer-state-reasons", "printer-state-message", "printer-is-accepting-jobs"))
	ans, err := c.do(ctx, "status", 0, t, m, nil)
	if err != nil {
		if s, ok := ippStatus(err); ok && s == goipp.StatusErrorNotFound {
			return Status{}, nil
		}
		return Status{}, err
	}
	st := Status{Exists: true, Message: firstString(ans.Printer, "printer-state-message")}
	st.Accepting, _ = firstBool(ans.Printer, "printer-is-accepting-jobs")
	switch n, _ := firstInt(ans.Printer, "printer-state"); n {
	case 3:
		st.State = "idle"
	case 4:
		st.State = "processing"
	case 5:
		st.State = "stopped"
	default:
		st.State = fmt.Sprintf("unknown(%d)", n)
	}
	for _, r := range allStrings(ans.Printer, "printer-state-reasons") {
		if r != "none" {
			st.Reasons = append(st.Reasons, r)
		}
	}
	return st, nil
}

// Job is a print job CUPS has accepted.
type Job struct {
	ID        int       // job-id, unique within the CUPS server
	URI       string    // job-uri as CUPS reports it
	Title     string    // job-name as sent
	Submitted time.Time // when CUPS accepted the job, on Client.Now
}

// Submit checks the printer and sends pdf as one job titled title; it
// returns once CUPS has accepted the job. It refuses, without queueing
// anything, a printer that is missing, rejecting jobs, stopped (a stopped
// CUPS printer still queues jobs, and would print them when started), out
// of paper or reporting an error. The title must not contain the
// visitor's question: anyone who can list the queue sees it.
func (c *Client) Submit(ctx context.Context, title string, pdf []byte) (Job, error) {
	t, err := parseURI(c.URI)
	if err != nil {
		return Job{}, err
	}
	if len(pdf) == 0 {
		return Job{}, &Error{Op: "submit", Kind: ErrRefused, Detail: "empty document"}
	}
	st, err := c.Status(ctx)
	if err != nil {
		return Job{}, err
	}
	if err := st.check("submit", true); err != nil {
		return Job{}, err
	}
	name := jobName(title)
	m := c.newRequest(goipp.OpPrintJob, t)
	m.Operation.Add(goipp.MakeAttribute("job-name", goipp.TagName, goipp.String(name)))
	m.Operation.Add(goipp.MakeAttribute("document-format", goipp.TagMimeType, goipp.String("application/pdf")))
	ans, err := c.do(ctx, "submit", 0, t, m, pdf)
	if err != nil {
		return Job{}, err
	}
	id, ok := firstInt(ans.Job, "job-id")
	if !ok || id <= 0 {
		return Job{}, &Error{Op: "submit", Kind: ErrRefused, Detail: "answer without a job-id"}
	}
	return Job{ID: id, URI: firstString(ans.Job, "job-uri"), Title: name, Submitted: c.now()}, nil
}

// jobName makes title safe as an IPP name: no control characters, at most
// 64 characters, never empty.
func jobName(title string) string {
	title = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, title))
	if r := []rune(title); len(r) > 64 {
		title = string(r[:64])
	}
	if title == "" {
		return "buurtbalie"
	}
	return title
}

// Wait watches job until it has completed, and returns nil then. If the
// job is cancelled or aborted in CUPS it returns ErrCancelled. In every
// other failure it first cancels and purges the job, so that it can never
// print later: when the printer stops (ErrStopped) or runs out of paper
// (ErrOutOfPaper), when the job has not completed Timeout after Submit
// (ErrTimeout), when CUPS stops answering (ErrUnreachable; Wait then keeps
// trying to cancel until the timeout, at least 2 s), and when ctx ends
// (ErrCancelled). The error's Detail says whether the cancel succeeded.
func (c *Client) Wait(ctx context.Context, job Job) error {
	t, err := parseURI(c.URI)
	if err != nil {
		return err
	}
	deadline := job.Submitted.Add(c.timeout())
	if job.Submitted.IsZero() {
		deadline = c.now().Add(c.timeout())
	}
	tick := time.NewTicker(c.poll())
	defer tick.Stop()
	for {
		state, err := c.jobState(ctx, t, job.ID)
		if err != nil {
			if s, ok := ippStatus(err); ok && s == goipp.StatusErrorNotFound {
				return &Error{Op: "wait", Kind: ErrCancelled, Job: job.ID, Detail: "cups no longer knows the job (purged, or job history is off in cupsd.conf)"}
			}
			return c.abandon(ctx, t, job, deadline, err)
		}
		switch state {
		case jobCompleted:
			return nil
		case jobCanceled:
			return &Error{Op: "wait", Kind: ErrCancelled, Job: job.ID, Detail: "job cancelled in cups"}
		case jobAborted:
			return &Error{Op: "wait", Kind: ErrCancelled, Job: job.ID, Detail: "job aborted by cups"}
		case jobPendingHeld, jobProcessingStopped:
			return c.abandon(ctx, t, job, deadline, &Error{Op: "wait", Kind: ErrStopped, Job: job.ID,
				Detail: "job " + jobStateName(state)})
		}
		st, err := c.Status(ctx)
		if err == nil {
			err = st.check("wait", false)
		}
		if err != nil {
			return c.abandon(ctx, t, job, deadline, err)
		}
		if !c.now().Before(deadline) {
			return c.abandon(ctx, t, job, deadline, &Error{Op: "wait", Kind: ErrTimeout, Job: job.ID,
				Detail: fmt.Sprintf("not completed within %s (job %s, printer %s)", c.timeout(), jobStateName(state), st)})
		}
		select {
		case <-ctx.Done():
			return c.abandon(ctx, t, job, deadline, &Error{Op: "wait", Kind: ErrCancelled, Job: job.ID,
				Detail: "caller stopped waiting", Err: context.Cause(ctx)})
		case <-tick.C:
		}
	}
}

// abandon cancels and purges job after Wait gave up for reason, and
// returns reason as Wait's error, marked with whether the cancel worked.
func (c *Client) abandon(ctx context.Context, t target, job Job, deadline time.Time, reason error) error {
	var e *Error
	if !errors.As(reason, &e) {
		e = &Error{Kind: ErrRefused, Err: reason}
	}
	out := *e
	out.Op, out.Job = "wait", job.ID

	// The caller's ctx may be done: cancel on a context of our own. If CUPS
	// does not answer, keep trying until the job's deadline, for a cupsd
	// that comes back would print it.
	budget := max(deadline.Sub(c.now()), minCancelTime)
	cctx, stop := context.WithTimeout(context.WithoutCancel(ctx), budget)
	defer stop()
	err := c.cancel(cctx, t, job.ID)
	if err != nil && errors.Is(err, ErrUnreachable) {
		tick := time.NewTicker(c.poll())
		defer tick.Stop()
	retry:
		for err != nil && errors.Is(err, ErrUnreachable) {
			select {
			case <-cctx.Done():
				break retry
			case <-tick.C:
				err = c.cancel(cctx, t, job.ID)
			}
		}
	}
	note := "cancelled the job"
	if err != nil {
		note = "could not cancel the job, it may still print"
		out.Err = errors.Join(out.Err, err)
	}
	if out.Detail == "" {
		out.Detail = note
	} else {
		out.Detail += "; " + note
	}
	return &out
}

// jobState asks CUPS for the job's job-state.
func (c *Client) jobState(ctx context.Context, t target, id int) (int, error) {
	m := c.newRequest(goipp.OpGetJobAttributes, t)
	m.Operation.Add(goipp.MakeAttribute("job-id", goipp.TagInteger, goipp.Integer(id)))
	m.Operation.Add(keywords("requested-attributes", "job-state"))
	ans, err := c.do(ctx, "wait", id, t, m, nil)
	if err != nil {
		return 0, err
	}
	state, ok := firstInt(ans.Job, "job-state")
	if !ok {
		return 0, &Error{Op: "wait", Kind: ErrRefused, Job: id, Detail: "answer without a job-state"}
	}
	return state, nil
}

// cancel cancels job id and asks CUPS to purge it, so it is gone from the
// queue and its history. A job CUPS no longer knows counts as cancelled.
func (c *Client) cancel(ctx context.Context, t target, id int) error {
	send := func(purge bool) error {
		m := c.newRequest(goipp.OpCancelJob, t)
		m.Operation.Add(goipp.MakeAttribute("job-id", goipp.TagInteger, goipp.Integer(id)))
		if purge {
			// purge-job is a CUPS extension; other IPP servers ignore it
			// or refuse it, and then a plain cancel is sent.
			m.Operation.Add(goipp.MakeAttribute("purge-job", goipp.TagBoolean, goipp.Boolean(true)))
		}
		_, err := c.do(ctx, "cancel", id, t, m, nil)
		return err
	}
	err := send(true)
	if s, ok := ippStatus(err); ok {
		switch s {
		case goipp.StatusErrorNotFound:
			return nil
		case goipp.StatusErrorAttributesOrValues, goipp.StatusErrorBadRequest:
			err = send(false)
		}
	}
	return err
}

// CancelAll cancels and purges every job this Client's user still has
// waiting or printing on the queue, and returns how many. Call it when the
// kiosk starts: a slip queued before a crash or power cut must not print
// when the printer comes back.
func (c *Client) CancelAll(ctx context.Context) (int, error) {
	t, err := parseURI(c.URI)
	if err != nil {
		return 0, err
	}
	m := c.newRequest(goipp.OpGetJobs, t)
	m.Operation.Add(goipp.MakeAttribute("which-jobs", goipp.TagKeyword, goipp.String("not-completed")))
	m.Operation.Add(goipp.MakeAttribute("my-jobs", goipp.TagBoolean, goipp.Boolean(true)))
	m.Operation.Add(keywords("requested-attributes", "job-id"))
	ans, err := c.do(ctx, "cancel", 0, t, m, nil)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, g := range ans.Groups {
		if g.Tag != goipp.TagJobGroup {
			continue
		}
		id, ok := firstInt(g.Attrs, "job-id")
		if !ok {
			continue
		}
		if err := c.cancel(ctx, t, id); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Print submits pdf and waits until it has printed; see Submit and Wait.
// The returned Job has ID 0 if CUPS never accepted it.
func (c *Client) Print(ctx context.Context, title string, pdf []byte) (Job, error) {
	job, err := c.Submit(ctx, title, pdf)
	if err != nil {
		return job, err
	}
	return job, c.Wait(ctx, job)
}

// jobStateName spells an IPP job-state for logs.
func jobStateName(state int) string {
	switch state {
	case jobPending:
		return "pending"
	case jobPendingHeld:
		return "held"
	case jobProcessing:
		return "processing"
	case jobProcessingStopped:
		return "processing-stopped"
	case jobCanceled:
		return "canceled"
	case jobAborted:
		return "aborted"
	case jobCompleted:
		return "completed"
	}
	return fmt.Sprintf("unknown(%d)", state)
}
