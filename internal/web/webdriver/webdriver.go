// Package webdriver drives a real headless Chromium through Debian's
// chromedriver, for end-to-end tests of the volunteers' web pages. It
// speaks the few W3C WebDriver commands the tests need over plain HTTP,
// which is less than a client library would bring in.
//
//	b := webdriver.Start(t)
//	b.Get(t, srv.URL+"/login")
//	b.Type(t, "input[name=name]", "Ans")
//	b.Click(t, "button[type=submit]")
//	b.WaitText(t, "h1", "Vragen")
package webdriver

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Wait is how long WaitText and WaitURL wait before they fail: long
// enough for a loaded test machine, never a measurement.
const Wait = 20 * time.Second

// Browser is one Chromium session.
type Browser struct {
	base    string // chromedriver's address
	session string
	client  *http.Client
}

// Start starts chromedriver and a headless Chromium with a fresh profile;
// both stop when the test ends. It fails (skips under -short) when they
// are not installed.
func Start(t testing.TB) *Browser {
	t.Helper()
	driver, err := exec.LookPath("chromedriver")
	if err != nil {
		if testing.Short() {
			t.Skip("chromedriver not installed")
		}
		t.Fatal("chromedriver is not installed: run the test command (packaging/dev/test.sh), which installs chromium and chromium-driver")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(driver, fmt.Sprintf("--port=%d", port), "--allowed-ips=127.0.0.1")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	b := &Browser{base: fmt.Sprintf("http://127.0.0.1:%d", port), client: &http.Client{Timeout: time.Minute}}
	deadline := time.Now().Add(Wait)
	for {
		if resp, err := b.client.Get(b.base + "/status"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("chromedriver did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	profile := t.TempDir()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--disable-quic", "--window-size=412,915", "--user-data-dir=" + profile,
		// A microphone that plays a beep, allowed without asking: for
		// recording a voice in the browser.
		"--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"}
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName":             "chrome",
		"goog:chromeOptions":      map[string]any{"binary": chromium(), "args": args},
		"pageLoadStrategy":        "normal",
		"unhandledPromptBehavior": "dismiss",
	}}}
	var out struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.call("POST", "/session", caps, &out); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b.session = out.SessionID
	t.Cleanup(func() { b.call("DELETE", "/session/"+b.session, nil, nil) })
	return b
}

func chromium() string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "chromium"
}

// call sends one WebDriver command and decodes its "value" into out.
func (b *Browser) call(method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		js, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequest(method, b.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var env struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return fmt.Errorf("webdriver %s %s: %s", method, path, raw)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("webdriver %s %s: %s", method, path, env.Value)
	}
	if env.Value != nil && out != nil {
		if err := json.Unmarshal(env.Value, out); err != nil {
			return fmt.Errorf("webdriver %s %s: %w", method, path, err)
		}
	}
	return nil
}

func (b *Browser) path(p string) string { return "/session/" + b.session + p }

// Get opens url.
func (b *Browser) Get(t testing.TB, url string) {
	t.Helper()
	if err := b.call("POST", b.path("/url"), map[string]string{"url": url}, nil); err != nil {
		t.Fatal(err)
	}
}

// URL returns the page's address.
func (b *Browser) URL(t testing.TB) string {
	t.Helper()
	var u string
	if err := b.call("GET", b.path("/url"), nil, &u); err != nil {
		t.Fatal(err)
	}
	return u
}

// find returns the element matching the CSS selector, or "".
func (b *Browser) find(css string) (string, error) {
	var el map[string]string
	err := b.call("POST", b.path("/element"), map[string]string{"using": "css selector", "value": css}, &el)
	if err != nil {
		return "", err
	}
	for _, id := range el {
		return id, nil
	}
	return "", fmt.Errorf("no element %q", css)
}

// Find returns the element matching the CSS selector.
func (b *Browser) Find(t testing.TB, css string) string {
	t.Helper()
	id, err := b.find(css)
	if err != nil {
		t.Fatalf("%v\npage:\n%s", err, b.Text(t, "body"))
	}
	return id
}

// Click clicks the element matching the CSS selector.
func (b *Browser) Click(t testing.TB, css string) {
	t.Helper()
	if err := b.call("POST", b.path("/element/"+b.Find(t, css)+"/click"), map[string]any{}, nil); err != nil {
		t.Fatal(err)
	}
}

// Type types text into the element matching the CSS selector.
func (b *Browser) Type(t testing.TB, css, text string) {
	t.Helper()
	if err := b.call("POST", b.path("/element/"+b.Find(t, css)+"/value"), map[string]string{"text": text}, nil); err != nil {
		t.Fatal(err)
	}
}

// Text returns the visible text of the element matching the selector.
func (b *Browser) Text(t testing.TB, css string) string {
	t.Helper()
	id, err := b.find(css)
	if err != nil {
		return ""
	}
	var s string
	if err := b.call("GET", b.path("/element/"+id+"/text"), nil, &s); err != nil {
		return ""
	}
	return s
}

// Source returns the page's HTML.
func (b *Browser) Source(t testing.TB) string {
	t.Helper()
	var s string
	if err := b.call("GET", b.path("/source"), nil, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// WaitText waits until the element matching the selector shows want,
// and fails the test if it does not within Wait.
func (b *Browser) WaitText(t testing.TB, css, want string) {
	t.Helper()
	deadline := time.Now().Add(Wait)
	for {
		if strings.Contains(b.Text(t, css), want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q never showed %q; it shows:\n%s", css, want, b.Text(t, "body"))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Screenshot writes a PNG of the page to path.
func (b *Browser) Screenshot(t testing.TB, path string) {
	t.Helper()
	var b64 string
	if err := b.call("GET", b.path("/screenshot"), nil, &b64); err != nil {
		t.Fatal(err)
	}
	png, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Run runs JavaScript in the page, for what typing cannot do reliably
// (a time input's format follows the browser's locale).
func (b *Browser) Run(t testing.TB, script string, args ...any) {
	t.Helper()
	if args == nil {
		args = []any{}
	}
	if err := b.call("POST", b.path("/execute/sync"), map[string]any{"script": script, "args": args}, nil); err != nil {
		t.Fatal(err)
	}
}

// WaitURL waits until the page's address satisfies ok (a form's redirect
// has landed), and fails the test if it does not within Wait.
func (b *Browser) WaitURL(t testing.TB, ok func(url string) bool) {
	t.Helper()
	deadline := time.Now().Add(Wait)
	for !ok(b.URL(t)) {
		if time.Now().After(deadline) {
			t.Fatalf("the page stayed at %s; it shows:\n%s", b.URL(t), b.Text(t, "body"))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// WaitFind waits until an element matches the CSS selector (the page it
// is on has loaded), and fails the test if none does within Wait.
func (b *Browser) WaitFind(t testing.TB, css string) {
	t.Helper()
	deadline := time.Now().Add(Wait)
	for {
		if _, err := b.find(css); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q on %s; it shows:\n%s", css, b.URL(t), b.Text(t, "body"))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
