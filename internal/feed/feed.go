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
//
// A fetch connects only to addresses Allow lets through, by default
// CheckAddress's: not the kiosk itself (loopback, any address of its own
// interfaces), nor link-local addresses (where cloud metadata lives), nor
// multicast; other hosts of the house network are fine, as a house may
// run its own calendar server. The check is of the address each
// connection is actually made to, after DNS and for every redirect, so a
// name that resolves to the kiosk, at once or only later, is refused too.
// Whatever keeps a fetch from an answer (a refused address, no such host,
// a closed port, no answer, a bad certificate) is the one
// subscription.Unreachable failure, so that subscribing tells staff
// nothing about what listens where; the cause is only in Failure.Cause,
// for the log.
package feed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
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
	Timeout time.Duration // for the whole fetch, the body included
	MaxSize int64         // bytes; a larger answer is refused
	// UserAgent names the kiosk to the calendar's server.
	UserAgent string
	// Allow decides whether the fetch may connect to addr, the address
	// and port a connection is about to be made to; an error refuses
	// it (the error is for the log). nil is CheckAddress. Tests that
	// serve a feed on loopback allow it here; the kiosk leaves it nil.
	Allow func(addr netip.AddrPort) error

	// http dials through control, so it is not to be replaced.
	http *http.Client
}

// NewClient returns a Client with the defaults. Its connections go
// straight to the calendar's server: a proxy of the environment
// (HTTPS_PROXY) is not used, as the address checked would then be the
// proxy's, not the server's.
func NewClient() *Client {
	c := &Client{Timeout: DefaultTimeout, MaxSize: DefaultMaxSize, UserAgent: "Buurtbalie"}
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: c.control}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.DialContext = d.DialContext
	c.http = &http.Client{Transport: t}
	return c
}

// control is asked by the dialer for every connection, with the address
// it resolved to, just before connecting.
func (c *Client) control(network, address string, _ syscall.RawConn) error {
	addr, err := netip.ParseAddrPort(address)
	if err != nil {
		return &RefusedError{Why: fmt.Sprintf("%s is no address", address)}
	}
	allow := c.Allow
	if allow == nil {
		allow = CheckAddress
	}
	return allow(addr)
}

// RefusedError is why CheckAddress refuses an address.
type RefusedError struct {
	Addr netip.Addr
	Why  string // "loopback", "an address of the kiosk itself"
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("feed: the kiosk does not fetch from %s: %s", e.Addr, e.Why)
}

var (
	ipv4Compatible = netip.MustParsePrefix("::/96")     // deprecated, ::a.b.c.d
	thisNetwork    = netip.MustParsePrefix("0.0.0.0/8") // "this host on this network"
	broadcast      = netip.AddrFrom4([4]byte{255, 255, 255, 255})
)

// CheckAddress is the default of Client.Allow. It refuses, as the
// kiosk's own or no other host's: loopback (127.0.0.0/8, ::1), the
// unspecified address and 0.0.0.0/8, link-local unicast (169.254.0.0/16,
// with the cloud's metadata server, and fe80::/10), multicast and
// broadcast, the same in their IPv4-mapped form (::ffff:a.b.c.d), the
// long deprecated IPv4-compatible ::a.b.c.d, and every address of the kiosk's own network
// interfaces, such as its own 192.168.x.y. Private addresses of other
// hosts (10/8, 172.16/12, 192.168/16, fc00::/7) and public ones are
// allowed. The port does not matter.
func CheckAddress(addr netip.AddrPort) error {
	ip := addr.Addr().WithZone("").Unmap()
	refuse := func(why string) error { return &RefusedError{Addr: addr.Addr(), Why: why} }
	switch {
	case !ip.IsValid():
		return refuse("no address")
	case ip.IsLoopback():
		return refuse("loopback")
	case ip.IsUnspecified(), thisNetwork.Contains(ip):
		return refuse("unspecified")
	case ip.IsLinkLocalUnicast():
		return refuse("link-local")
	case ip.IsMulticast():
		return refuse("multicast")
	case ip == broadcast:
		return refuse("broadcast")
	case ipv4Compatible.Contains(ip):
		return refuse("an IPv4-compatible address")
	}
	own, err := net.InterfaceAddrs()
	if err != nil {
		// Not knowing its own addresses, the kiosk cannot tell this
		// one is not among them.
		return refuse("the kiosk's own addresses cannot be listed: " + err.Error())
	}
	for _, a := range own {
		var b net.IP
		switch a := a.(type) {
		case *net.IPNet:
			b = a.IP
		case *net.IPAddr:
			b = a.IP
		}
		if o, ok := netip.AddrFromSlice(b); ok && o.Unmap() == ip {
			return refuse("an address of the kiosk itself")
		}
	}
	return nil
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
	resp, err := c.http.Do(req)
	if err != nil {
		// No answer, for whatever reason: one and the same failure.
		return nil, subscription.Unreachable(cause(err))
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
		return nil, brokenOff(ctx, shown, err)
	}
	if int64(len(data)) > c.MaxSize {
		return nil, fail(subscription.ReasonTooBig, "fetch %s: the calendar is more than the %d bytes taken", shown, c.MaxSize)
	}
	return data, nil
}

// brokenOff names what stopped an answer that had begun: the time running
// out, or else the connection, which is then as good as no answer.
func brokenOff(ctx context.Context, shown string, err error) error {
	var nerr net.Error
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &nerr) && nerr.Timeout()) {
		return fail(subscription.ReasonTimeout, "fetch %s: no whole answer in time", shown)
	}
	return subscription.Unreachable(cause(err))
}

// cause is err without the URL that *url.Error adds (with its user name,
// password and query): "dial tcp 127.0.0.1:8080: connect: connection
// refused", "tls: failed to verify certificate: …".
func cause(err error) string {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	return err.Error()
}

func fail(reason, format string, args ...any) error {
	return &subscription.Failure{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}
