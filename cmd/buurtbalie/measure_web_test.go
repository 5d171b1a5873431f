package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

// TestMeasureWeb measures the volunteers' web app as the issue asks: the
// real "buurtbalie serve" on loopback, 50 clients at once, each logged in,
// fetching the queue and slip pages; it reports p50 and p99 per page and
// the server's memory (PSS) every 1,000 requests over 10,000. It only
// reports and asserts nothing on time; run it with
// packaging/dev/measure-web.sh.
func TestMeasureWeb(t *testing.T) {
	if os.Getenv("BUURTBALIE_MEASURE") == "" {
		t.Skip("set BUURTBALIE_MEASURE=1 (packaging/dev/measure-web.sh) to measure")
	}
	const clients, total = 50, 10000
	data := t.TempDir()
	bin := kioskBinary(t)
	env := append(os.Environ(), "LANG=nl_NL.UTF-8", "XDG_CONFIG_HOME="+t.TempDir())

	// A volunteer, and a realistic queue: 40 open questions.
	add := exec.Command(bin, "user", "add", "--data", data, "--name", "Ans", "--role", "volunteer", "--password-stdin")
	add.Env, add.Stdin = env, strings.NewReader("lang-wachtwoord-2026\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(data, "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	qs := sqlite.NewQuestionService(db)
	var tokens []string
	for i := 0; i < 40; i++ {
		f := question.ComeBack
		if i%4 == 0 {
			f = question.Waiting
		}
		q := question.Question{Topic: "geld", Text: fmt.Sprintf("Vraag %d over een brief van de gemeente", i), FollowUp: f, Lang: "nl"}
		if err := qs.Create(context.Background(), &q); err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, q.Token)
	}
	db.Close()

	port := freePort(t)
	serve := exec.Command(bin, "serve", "--data", data, "--listen", "127.0.0.1:"+port)
	serve.Env = env
	serve.Stderr = io.Discard
	stdout, _ := serve.StdoutPipe()
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { serve.Process.Kill(); serve.Wait() })
	if !bufio.NewScanner(stdout).Scan() { // "serving on …"
		t.Fatal("serve did not start")
	}
	base := "http://127.0.0.1:" + port

	transport := &http.Transport{MaxIdleConnsPerHost: clients}
	var (
		mu        sync.Mutex
		latencies = map[string][]time.Duration{}
		done      int
		pss       []float64
	)
	pss = append(pss, pssMB(t, serve.Process.Pid))
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Transport: transport, Jar: jar, Timeout: 30 * time.Second}
		login(t, client, base, "Ans", "lang-wachtwoord-2026")
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; i < total/clients; i++ {
				page, path := "queue", "/queue"
				if i%2 == 1 {
					page, path = "slip", "/s/"+tokens[(c+i)%len(tokens)]
				}
				start := time.Now()
				resp, err := client.Get(base + path)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				took := time.Since(start)
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s: %s", path, resp.Status)
					return
				}
				mu.Lock()
				latencies[page] = append(latencies[page], took)
				done++
				if done%1000 == 0 {
					pss = append(pss, pssMB(t, serve.Process.Pid))
				}
				mu.Unlock()
			}
		}(c)
	}
	wg.Wait()
	for _, page := range []string{"queue", "slip"} {
		l := latencies[page]
		slices.Sort(l)
		t.Logf("%s page: %d requests, p50 %.1f ms, p99 %.1f ms (target p99 ≤ 20 ms)", page, len(l),
			ms(l[len(l)/2]), ms(l[len(l)*99/100]))
	}
	var trace []string
	for _, p := range pss {
		trace = append(trace, strconv.FormatFloat(p, 'f', 1, 64))
	}
	t.Logf("server PSS in MB, at start and every 1,000 requests: %s", strings.Join(trace, " "))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// login logs a client in through the login form, CSRF token and all.
func login(t *testing.T, c *http.Client, base, name, password string) {
	t.Helper()
	resp, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field on the login page:\n%s", page)
	}
	resp, err = c.PostForm(base+"/login", url.Values{"name": {name}, "password": {password}, "csrf": {string(m[1])}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Path == "/login" {
		t.Fatalf("login failed: %s", resp.Status)
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}
