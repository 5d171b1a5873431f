package printer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/OpenPrinting/goipp"
)

// requestTimeout bounds one IPP request, so a hung cupsd cannot hold a
// visitor at the kiosk; CUPS answers a local request in about a millisecond.
const requestTimeout = 5 * time.Second

// maxResponse bounds how much of an IPP response is read; CUPS's answers to
// the few attributes asked for here are well under a kilobyte.
const maxResponse = 1 << 20

// target is a parsed queue address.
type target struct {
	endpoint   string // http(s) URL the request is POSTed to
	printerURI string // ipp(s) URI sent as the printer-uri attribute
}

// parseURI checks that s names a CUPS queue and derives where to send
// requests. ipp:// and ipps:// default to port 631 (RFC 8010, RFC 7472);
// http:// and https:// keep their usual defaults, so name the port.
func parseURI(s string) (target, error) {
	bad := func(why string) (target, error) {
		return target{}, &Error{Op: "config", Kind: ErrInvalidURI,
			Detail: fmt.Sprintf("%q: %s; want ipp://HOST[:PORT]/printers/NAME (or http://HOST:PORT/printers/NAME)", s, why)}
	}
	if s == "" {
		return bad("empty")
	}
	u, err := url.Parse(s)
	if err != nil {
		return bad("not a URL")
	}
	var httpScheme, ippScheme, port string
	switch strings.ToLower(u.Scheme) {
	case "ipp":
		httpScheme, ippScheme, port = "http", "ipp", "631"
	case "ipps":
		httpScheme, ippScheme, port = "https", "ipps", "631"
	case "http":
		httpScheme, ippScheme, port = "http", "ipp", "80"
	case "https":
		httpScheme, ippScheme, port = "https", "ipps", "443"
	default:
		return bad("scheme must be ipp, ipps, http or https")
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return bad("no user, query or fragment allowed")
	}
	host := u.Hostname()
	if host == "" {
		return bad("no host")
	}
	if p := u.Port(); p != "" {
		port = p
	}
	dir, name, ok := strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	if !ok || (dir != "printers" && dir != "classes") || name == "" || strings.Contains(name, "/") {
		return bad("path must be /printers/NAME or /classes/NAME")
	}
	hostPort := net.JoinHostPort(host, port)
	path := "/" + dir + "/" + url.PathEscape(name)
	return target{
		endpoint:   httpScheme + "://" + hostPort + path,
		printerURI: ippScheme + "://" + hostPort + path,
	}, nil
}

// statusError is an IPP answer whose status code is an error.
type statusError struct {
	status  goipp.Status
	message string // the status-message CUPS sent, in English
}

func (e *statusError) Error() string {
	if e.message == "" {
		return "cups answered " + e.status.String()
	}
	return "cups answered " + e.status.String() + ": " + e.message
}

// ippStatus reports the IPP status inside err, if err carries one.
func ippStatus(err error) (goipp.Status, bool) {
	var se *statusError
	if errors.As(err, &se) {
		return se.status, true
	}
	return 0, false
}

// newRequest starts an IPP request with the operation attributes every
// request needs. The natural language is English so that status messages
// in logs do not depend on the kiosk's locale.
func (c *Client) newRequest(op goipp.Op, t target) *goipp.Message {
	m := goipp.NewRequest(goipp.DefaultVersion, op, c.reqID.Add(1))
	m.Operation.Add(goipp.MakeAttribute("attributes-charset", goipp.TagCharset, goipp.String("utf-8")))
	m.Operation.Add(goipp.MakeAttribute("attributes-natural-language", goipp.TagLanguage, goipp.String("en")))
	m.Operation.Add(goipp.MakeAttribute("printer-uri", goipp.TagURI, goipp.String(t.printerURI)))
	m.Operation.Add(goipp.MakeAttribute("requesting-user-name", goipp.TagName, goipp.String(c.init().user)))
	return m
}

// do sends one IPP request (followed by doc, if any) and returns the
// answer. Failures come back as *Error: ErrUnreachable when CUPS did not
// answer, ErrCancelled when ctx ended, otherwise a kind derived from the
// IPP status with a *statusError as the cause.
func (c *Client) do(ctx context.Context, op string, job int, t target, m *goipp.Message, doc []byte) (*goipp.Message, error) {
	fail := func(kind error, detail string, err error) error {
		return &Error{Op: op, Kind: kind, Job: job, Detail: detail, Err: err}
	}
	head, err := m.EncodeBytes()
	if err != nil {
		return nil, fail(ErrRefused, "encode request", err)
	}
	body := head
	if len(doc) > 0 {
		body = make([]byte, 0, len(head)+len(doc))
		body = append(append(body, head...), doc...)
	}
	rctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, t.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, fail(ErrInvalidURI, t.endpoint, err)
	}
	req.Header.Set("Content-Type", goipp.ContentType)
	req.Header.Set("Accept", goipp.ContentType)
	if len(doc) == 0 {
		// Queries and Cancel-Job are safe to repeat, so let net/http resend
		// them when a kept-alive connection turned out to be closed. A nil
		// value marks the request replayable without sending the header.
		// Print-Job is never marked: a resend could print a slip twice.
		req.Header["Idempotency-Key"] = nil
	}
	resp, err := c.init().http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fail(ErrCancelled, "", context.Cause(ctx))
		}
		return nil, fail(ErrUnreachable, t.endpoint, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
		kind := ErrRefused
		if resp.StatusCode >= 500 {
			kind = ErrUnreachable
		}
		return nil, fail(kind, "http status "+resp.Status, nil)
	}
	var answer goipp.Message
	if err := answer.Decode(io.LimitReader(resp.Body, maxResponse)); err != nil {
		if ctx.Err() != nil {
			return nil, fail(ErrCancelled, "", context.Cause(ctx))
		}
		return nil, fail(ErrUnreachable, "no IPP answer from "+t.endpoint, err)
	}
	if status := goipp.Status(answer.Code); status >= 0x0400 {
		se := &statusError{status: status, message: firstString(answer.Operation, "status-message")}
		kind := ErrRefused
		switch status {
		case goipp.StatusErrorNotFound:
			kind = ErrNoPrinter
		case goipp.StatusErrorNotAcceptingJobs:
			kind = ErrNotAccepting
		case goipp.StatusErrorServiceUnavailable, goipp.StatusErrorBusy:
			kind = ErrUnreachable
		}
		return nil, fail(kind, "", se)
	}
	return &answer, nil
}

// find returns the values of the named attribute, or nil.
func find(attrs goipp.Attributes, name string) goipp.Values {
	for _, a := range attrs {
		if a.Name == name {
			return a.Values
		}
	}
	return nil
}

// firstString returns the first value of a text or keyword attribute.
func firstString(attrs goipp.Attributes, name string) string {
	v := find(attrs, name)
	if len(v) == 0 {
		return ""
	}
	if s, ok := v[0].V.(goipp.String); ok {
		return string(s)
	}
	return v[0].V.String()
}

// allStrings returns every value of a keyword attribute.
func allStrings(attrs goipp.Attributes, name string) []string {
	vals := find(attrs, name)
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		out = append(out, v.V.String())
	}
	return out
}

// firstInt returns the first value of an integer or enum attribute.
func firstInt(attrs goipp.Attributes, name string) (int, bool) {
	v := find(attrs, name)
	if len(v) == 0 {
		return 0, false
	}
	i, ok := v[0].V.(goipp.Integer)
	return int(i), ok
}

// firstBool returns the first value of a boolean attribute.
func firstBool(attrs goipp.Attributes, name string) (bool, bool) {
	v := find(attrs, name)
	if len(v) == 0 {
		return false, false
	}
	b, ok := v[0].V.(goipp.Boolean)
	return bool(b), ok
}

// keywords builds a requested-attributes value list.
func keywords(name string, words ...string) goipp.Attribute {
	a := goipp.Attribute{Name: name}
	for _, w := range words {
		a.Values.Add(goipp.TagKeyword, goipp.String(w))
	}
	return a
}
