// Package feed fetches a calendar feed over HTTP: the one place Buurtbalie
// reaches outside the house network, and only for the addresses staff
// subscribed to.
//
//	c := feed.NewClient()
//	data, err := c.Fetch(ctx, "https://example.org/agenda.ics")
//
// A fetch takes at most Timeout for the whole answer and at most MaxSize
// bytes, follows redirects (at most 10, as net/http does) and wants
// status 200. Its errors are *subscription.Failure with a reason staff can
// read in their own language; their Detail never holds the address's
// user name, password or query.
package feed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"buurtbalie/internal/subscription"
)

// The defaults of a Client: a calendar of a year of a busy house is well
// under a megabyte.
const (
	DefaultTimeout = 30 * time.Second
	DefaultMaxSize = 10 << 20
)

// Client fetches feeds. The zero value is not usable: make one with
// NewClient, then change a field if needed (tests shorten Timeout).
type Client struct {
	HTTP    *http.Client
	Timeout time.Duration // for the whole fetch, the body included
	MaxSize int64         // bytes; a larger answer is refused
	// UserAgent names the kiosk to the calendar's server.
	UserAgent string
}

// NewClient returns a Client with the defaults.
func NewClient() *Client {
	return &Client{HTTP: &http.Client{}, Timeout: DefaultTimeout, MaxSize: DefaultMaxSize, UserAgent: "Buurtbalie"}
}

// Fetch returns the body of the answer to a GET of url.
func (c *Client) Fetch(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	shown := subscription.Redact(url)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fail(subscription.ReasonOther, "fetch %s: the address cannot be fetched", shown)
	}
	req.Header.Set("Accept", "text/calendar, */*;q=0.5")
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, transportFailure(ctx, shown, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fail(subscription.ReasonStatus, "fetch %s: the server answered %s", shown, resp.Status)
	}
	if resp.ContentLength > c.MaxSize {
		return nil, fail(subscription.ReasonTooBig, "fetch %s: the calendar is %d bytes, more than the %d taken", shown, resp.ContentLength, c.MaxSize)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.MaxSize+1))
	if err != nil {
		return nil, transportFailure(ctx, shown, err)
	}
	if int64(len(data)) > c.MaxSize {
		return nil, fail(subscription.ReasonTooBig, "fetch %s: the calendar is more than the %d bytes taken", shown, c.MaxSize)
	}
	return data, nil
}

// transportFailure names what stopped the answer: the time running out,
// or the network. The error of net/http names the whole address, so only
// its kind is kept.
func transportFailure(ctx context.Context, shown string, err error) error {
	var nerr net.Error
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &nerr) && nerr.Timeout()) {
		return fail(subscription.ReasonTimeout, "fetch %s: no whole answer in time", shown)
	}
	return fail(subscription.ReasonNetwork, "fetch %s: %s", shown, innermost(err))
}

// innermost is the cause at the bottom of err ("connection refused", "no
// such host"), without the URL that *url.Error adds.
func innermost(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

func fail(reason, format string, args ...any) error {
	return &subscription.Failure{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}
