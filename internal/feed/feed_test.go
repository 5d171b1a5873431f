package feed_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"buurtbalie/internal/feed"
	"buurtbalie/internal/subscription"
)

const ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//NL\r\nBEGIN:VEVENT\r\nUID:koffie\r\nSUMMARY:Koffieochtend\r\nDTSTART:20260302T090000Z\r\nDURATION:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

// server is a real HTTP server on addr ("127.0.0.1:0") that counts the
// connections made to it.
type server struct {
	*httptest.Server
	conns atomic.Int32
}

func serve(t *testing.T, addr string, h http.Handler) *server {
	t.Helper()
	s := &server{Server: httptest.NewUnstartedServer(h)}
	if addr != "" {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		s.Listener.Close()
		s.Listener = l
	}
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// calendar serves a valid calendar: what a fetch gets if it connects.
func calendar(t *testing.T, addr string) *server {
	return serve(t, addr, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/calendar")
		w.Write([]byte(ics))
	}))
}

// allowLoopback is the strict policy, but for loopback, where the tests'
// servers are.
func allowLoopback(a netip.AddrPort) error {
	if a.Addr().Unmap().IsLoopback() {
		return nil
	}
	return feed.CheckAddress(a)
}

func client(allow func(netip.AddrPort) error) *feed.Client {
	c := feed.NewClient()
	c.Allow = allow
	c.Timeout = 5 * time.Second
	return c
}

// unreachable fetches url and wants the one failure of an unreachable
// server: the same reason and the same detail whatever the cause. It
// returns the cause, for the log.
func unreachable(t *testing.T, c *feed.Client, url string) string {
	t.Helper()
	data, err := c.Fetch(context.Background(), url)
	var f *subscription.Failure
	if !errors.As(err, &f) {
		t.Fatalf("fetch %s = %q, %v; want it unreachable", url, data, err)
	}
	if want := subscription.Unreachable(f.Cause); *f != *want {
		t.Errorf("fetch %s: %#v, want %#v", url, f, want)
	}
	if f.Cause == "" {
		t.Errorf("fetch %s: no cause for the log", url)
	}
	t.Logf("fetch %s: cause %s", url, f.Cause)
	return f.Cause
}

// closedPort is a loopback address nobody listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// ownAddress is an address of one of this machine's interfaces that is
// not loopback or link-local: its address in the house network.
func ownAddress(t *testing.T) netip.Addr {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		ip, ok := netip.AddrFromSlice(n.IP)
		if ip = ip.Unmap(); ok && ip.Is4() && !ip.IsLoopback() && !ip.IsLinkLocalUnicast() {
			return ip
		}
	}
	t.Skip("this machine has no IPv4 address but loopback and link-local")
	return netip.Addr{}
}

func TestCheckAddress(t *testing.T) {
	own := map[netip.Addr]bool{}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				ip, _ := netip.AddrFromSlice(n.IP)
				own[ip.Unmap()] = true
			}
		}
	}
	for _, s := range []string{
		"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1",
		"0.0.0.0", "0.1.2.3", "::", "::ffff:0.0.0.0",
		"169.254.169.254", "169.254.0.1", "::ffff:169.254.169.254", "fe80::1", "fe80::1%eth0",
		"224.0.0.1", "239.255.255.250", "ff02::1", "ff05::2", "::ffff:224.0.0.251",
		"255.255.255.255", "::7f00:1", "::a9fe:a9fe",
	} {
		if err := feed.CheckAddress(netip.AddrPortFrom(netip.MustParseAddr(s), 80)); err == nil {
			t.Errorf("CheckAddress(%s) allows it", s)
		}
	}
	for _, s := range []string{
		"10.0.0.5", "172.16.4.2", "192.168.1.20", "::ffff:192.168.1.20", "fd12:3456::8", "100.64.0.1",
		"93.184.215.14", "2a00:1450:400e:80f::200e",
	} {
		ip := netip.MustParseAddr(s)
		if own[ip.Unmap()] {
			continue // this machine's own: refused, below
		}
		if err := feed.CheckAddress(netip.AddrPortFrom(ip, 443)); err != nil {
			t.Errorf("CheckAddress(%s): %v; want another host allowed", s, err)
		}
	}
	for ip := range own {
		if err := feed.CheckAddress(netip.AddrPortFrom(ip, 443)); err == nil {
			t.Errorf("CheckAddress(%s) allows the machine's own address", ip)
		}
	}
}

// A calendar on loopback is not fetched, nor is a connection made: the
// fetch fails as one to a closed port does, with the same reason and
// detail, and with a name that resolves to it as with the address.
func TestRefusesLoopback(t *testing.T) {
	cal := calendar(t, "127.0.0.1:0")
	port := strconv.Itoa(cal.Listener.Addr().(*net.TCPAddr).Port)
	strict := client(nil)
	for _, url := range []string{cal.URL + "/huis.ics", "http://localhost:" + port + "/huis.ics",
		"http://[::ffff:127.0.0.1]:" + port + "/huis.ics"} {
		if cause := unreachable(t, strict, url); !strings.Contains(cause, "loopback") {
			t.Errorf("fetch %s: cause %q does not say loopback", url, cause)
		}
	}
	if n := cal.conns.Load(); n != 0 {
		t.Errorf("%d connections to the refused server", n)
	}

	// A closed port: refused before connecting as well, and with
	// loopback allowed the connection is refused for real; all give
	// staff the same.
	closed := "http://" + closedPort(t) + "/huis.ics"
	unreachable(t, strict, closed)
	if cause := unreachable(t, client(allowLoopback), closed); !strings.Contains(cause, "refused") {
		t.Errorf("closed port: cause %q, want connection refused", cause)
	}
}

// The other ways not to reach a server fail as a refused address does.
func TestUnreachableIsOneFailure(t *testing.T) {
	c := client(allowLoopback)
	unreachable(t, c, "http://geen-agenda.invalid/huis.ics") // no such host

	// A port that takes the connection but never answers.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()
	c.Timeout = 200 * time.Millisecond
	unreachable(t, c, "http://"+l.Addr().String()+"/huis.ics")
	c.Timeout = 5 * time.Second

	// A certificate the kiosk does not trust.
	tlsCal := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(ics)) }))
	tlsCal.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake that fails
	tlsCal.StartTLS()
	defer tlsCal.Close()
	if cause := unreachable(t, c, tlsCal.URL+"/huis.ics"); !strings.Contains(cause, "certificate") {
		t.Errorf("TLS: cause %q", cause)
	}
}

// The kiosk's own address in the house network is refused like
// loopback, even where another host's would be allowed.
func TestRefusesOwnAddress(t *testing.T) {
	ip := ownAddress(t)
	cal := calendar(t, netip.AddrPortFrom(ip, 0).String())
	for _, c := range []*feed.Client{client(nil), client(allowLoopback)} {
		if cause := unreachable(t, c, cal.URL+"/huis.ics"); !strings.Contains(cause, "kiosk itself") {
			t.Errorf("cause %q does not say it is the kiosk's own address", cause)
		}
	}
	if n := cal.conns.Load(); n != 0 {
		t.Errorf("%d connections to the kiosk's own address", n)
	}
}

// A host the policy allows is fetched.
func TestAllowedHostFetched(t *testing.T) {
	cal := calendar(t, "127.0.0.1:0")
	data, err := client(allowLoopback).Fetch(context.Background(), cal.URL+"/huis.ics")
	if err != nil || !bytes.Equal(data, []byte(ics)) {
		t.Errorf("fetch = %q, %v; want the calendar", data, err)
	}
}

// A redirect from an allowed server to loopback is refused: the check is
// of every connection, not of the address staff typed.
func TestRedirectToLoopbackRefused(t *testing.T) {
	target := calendar(t, "127.0.0.1:0")
	port := strconv.Itoa(target.Listener.Addr().(*net.TCPAddr).Port)
	front := serve(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		to := target.URL + "/huis.ics"
		if r.URL.Path == "/by-name.ics" {
			to = "http://localhost:" + port + "/huis.ics"
		}
		http.Redirect(w, r, to, http.StatusFound)
	}))
	frontAddr := netip.MustParseAddrPort(front.Listener.Addr().String())
	// Only the front server is another host; the target is loopback.
	onlyFront := func(a netip.AddrPort) error {
		if a.Addr().Unmap() == frontAddr.Addr() && a.Port() == frontAddr.Port() {
			return nil
		}
		return feed.CheckAddress(a)
	}
	c := client(onlyFront)
	for _, path := range []string{"/moved.ics", "/by-name.ics"} {
		if cause := unreachable(t, c, front.URL+path); !strings.Contains(cause, "loopback") {
			t.Errorf("%s: cause %q does not say loopback", path, cause)
		}
	}
	if n := target.conns.Load(); n != 0 {
		t.Errorf("%d connections to the server redirected to", n)
	}
	if n := front.conns.Load(); n == 0 {
		t.Error("the allowed server was not asked")
	}
	// Allowed, the same redirect is followed.
	if data, err := client(allowLoopback).Fetch(context.Background(), front.URL+"/moved.ics"); err != nil || string(data) != ics {
		t.Errorf("allowed redirect: %q, %v", data, err)
	}
}
