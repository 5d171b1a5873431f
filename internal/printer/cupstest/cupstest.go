// Package cupstest runs a private CUPS scheduler for tests: the real cupsd,
// the real filters and a cups-pdf queue that writes every job as a PDF file
// into a temporary folder, so a test can print and then look at the paper.
//
// Each Start gets its own cupsd on a free loopback port, with its own
// ServerRoot, spool, cache, logs and ServerBin (the system's filters and
// backends by symbolic link, plus a fake paper-out backend) in a temporary
// folder, so tests can run in parallel and leave nothing behind; the system
// CUPS (if any) is neither used nor touched. The one thing outside the temporary folder is the
// cups-pdf backend's per-queue config, /etc/cups/cups-pdf-QUEUE.conf: the
// backend reads its output folder only from /etc/cups. The queue name is
// random and the file is removed when the test ends.
//
// It needs root (cupsd runs backends as root only when it is root, and
// cups-pdf refuses to run otherwise) and these Debian packages:
//
//	apt-get install -y --no-install-recommends cups cups-client printer-driver-cups-pdf
//
// Start fails the test, naming the package, when something is missing, and
// skips it under -short. Besides the cups-pdf queue, HangingQueue and
// PaperOutQueue add printers that never finish a job; Disable, Enable,
// Reject and Accept do what cupsdisable and friends do.
//
//	srv := cupstest.Start(t)
//	c := &printer.Client{URI: srv.URI}
//	job, err := c.Print(ctx, "buurtbalie-slip", cupstest.PDF(t, "hello"))
//	file := srv.WaitPDF(t, job.ID) // the printed slip
package cupstest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/OpenPrinting/goipp"
	"github.com/jung-kurt/gofpdf"
)

// Where Debian puts what the harness needs, and which package brings it.
const (
	cupsPDFBackend = "/usr/lib/cups/backend/cups-pdf"
	cupsPDFPPD     = "/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"
	cupsPDFConfDir = "/etc/cups" // compiled into the cups-pdf backend
	systemBin      = "/usr/lib/cups"
	dataDir        = "/usr/share/cups"
	installHint    = "apt-get install -y --no-install-recommends cups cups-client printer-driver-cups-pdf"
)

// PDFLimit is how long WaitPDF waits for a job's file. cups-pdf takes about
// 0.4 s per job (Ghostscript rewrites the file); the margin is for loaded
// test machines running many schedulers in parallel.
const PDFLimit = 30 * time.Second

// Server is a running private cupsd with one cups-pdf queue.
type Server struct {
	Addr  string // "127.0.0.1:PORT", where the scheduler listens
	Queue string // name of the cups-pdf queue, unique per Server
	URI   string // "ipp://127.0.0.1:PORT/printers/QUEUE"
	Out   string // folder where cups-pdf writes each job's PDF
	Dir   string // the scheduler's private root: config, spool, logs

	tools    map[string]string
	cmd      *exec.Cmd
	exited   chan struct{} // closed when cupsd has exited
	stopOnce sync.Once
}

// Start starts a private cupsd, adds a cups-pdf queue that writes into
// Out, and stops and removes everything when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	if testing.Short() {
		t.Skip("cupstest: skipped with -short: needs a real cupsd")
	}
	if os.Geteuid() != 0 {
		t.Fatal("cupstest: must run as root: cupsd runs the cups-pdf backend only as root, and its per-queue config lives in /etc/cups")
	}
	s := &Server{tools: lookTools(t)}
	removeStaleConfs()

	dir, err := os.MkdirTemp("", "cupstest-")
	if err != nil {
		t.Fatalf("cupstest: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	s.Dir = dir
	s.Out = filepath.Join(dir, "out")
	// Filters run as the lp user and Ghostscript as the job's owner, so the
	// folders they touch must be reachable and writable for them.
	for name, mode := range map[string]os.FileMode{
		".": 0o755, "root": 0o755, "spool": 0o710, "tmp": 0o1777, "cache": 0o770,
		"state": 0o755, "log": 0o755, "out": 0o1777, "cups-pdf-spool": 0o1777,
		"bin": 0o755, "bin/backend": 0o755,
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(p, 0o700); err != nil {
			t.Fatalf("cupstest: %v", err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatalf("cupstest: %v", err)
		}
	}
	makeServerBin(t, filepath.Join(dir, "bin"))
	s.Queue = "cupstest-" + randomHex(t, 6)

	conf := filepath.Join(cupsPDFConfDir, "cups-pdf-"+s.Queue+".conf")
	t.Cleanup(func() { _ = os.Remove(conf) })
	writeFile(t, conf, fmt.Sprintf(`# Written by buurtbalie's cupstest for one test; removed when it ends.
Out %[1]s
AnonDirName %[1]s
Spool %[2]s
Log %[3]s
LogType 3
Grp root
Label 2
TitlePref 1
UserUMask 0022
AnonUMask 0022
`, s.Out, filepath.Join(dir, "cups-pdf-spool"), filepath.Join(dir, "log")))

	// A port picked by the kernel can be taken again before cupsd binds it;
	// try a few.
	for attempt := 1; ; attempt++ {
		err := s.start(t)
		if err == nil {
			break
		}
		if attempt == 3 {
			t.Fatalf("cupstest: start cupsd: %v\n%s", err, s.Log())
		}
	}
	t.Cleanup(s.Stop)

	s.lpadmin(t, "-p", s.Queue, "-E", "-v", "cups-pdf:/"+s.Queue, "-P", cupsPDFPPD)
	s.URI = "ipp://" + s.Addr + "/printers/" + s.Queue
	return s
}

// removeStaleConfs removes per-queue cups-pdf configs that earlier test
// runs, killed before their cleanup, left behind: those whose output
// folder is gone. Only this package's own names are looked at.
func removeStaleConfs() {
	confs, _ := filepath.Glob(filepath.Join(cupsPDFConfDir, "cups-pdf-cupstest-*.conf"))
	for _, conf := range confs {
		data, err := os.ReadFile(conf)
		if err != nil {
			continue
		}
		for line := range strings.Lines(string(data)) {
			out, ok := strings.CutPrefix(strings.TrimSpace(line), "Out ")
			if !ok {
				continue
			}
			if _, err := os.Stat(out); errors.Is(err, fs.ErrNotExist) {
				_ = os.Remove(conf)
			}
			break
		}
	}
}

// paperOutBackend is a CUPS backend for a printer that is out of paper: it
// reports media-empty-error, as a receipt printer's driver does, takes the
// job and never prints it.
const paperOutBackend = `#!/bin/sh
if [ $# -eq 0 ]; then
	echo 'direct cupstest-paperout "Unknown" "cupstest printer without paper"'
	exit 0
fi
echo 'STATE: +media-empty-error' >&2
echo 'INFO: out of paper' >&2
cat >/dev/null
exec sleep 3600
`

// makeServerBin builds the scheduler's private ServerBin: the system's
// filters and backends, by symbolic link, plus paperOutBackend. cupsd only
// runs backends from ServerBin/backend.
func makeServerBin(t testing.TB, bin string) {
	t.Helper()
	entries, err := os.ReadDir(systemBin)
	if err != nil {
		t.Fatalf("cupstest: %v (package cups-daemon, from cups)", err)
	}
	for _, e := range entries {
		if e.Name() == "backend" {
			continue
		}
		if err := os.Symlink(filepath.Join(systemBin, e.Name()), filepath.Join(bin, e.Name())); err != nil {
			t.Fatalf("cupstest: %v", err)
		}
	}
	backends, err := os.ReadDir(filepath.Join(systemBin, "backend"))
	if err != nil {
		t.Fatalf("cupstest: %v", err)
	}
	for _, e := range backends {
		if err := os.Symlink(filepath.Join(systemBin, "backend", e.Name()), filepath.Join(bin, "backend", e.Name())); err != nil {
			t.Fatalf("cupstest: %v", err)
		}
	}
	// 0755, not 0700: cupsd runs it as the unprivileged lp user.
	if err := os.WriteFile(filepath.Join(bin, "backend", "cupstest-paperout"), []byte(paperOutBackend), 0o755); err != nil {
		t.Fatalf("cupstest: %v", err)
	}
}

// lookTools finds the programs the harness runs, or fails naming the
// package to install.
func lookTools(t testing.TB) map[string]string {
	t.Helper()
	tools := map[string]string{}
	var missing []string
	need := func(name, pkg string) {
		if p, err := exec.LookPath(name); err == nil {
			tools[name] = p
			return
		}
		for _, d := range []string{"/usr/sbin", "/usr/bin", "/sbin", "/bin"} {
			if p := filepath.Join(d, name); isExecutable(p) {
				tools[name] = p
				return
			}
		}
		missing = append(missing, fmt.Sprintf("%s (package %s)", name, pkg))
	}
	need("cupsd", "cups-daemon, from cups")
	for _, c := range []string{"lpadmin", "cupsenable", "cupsdisable", "cupsaccept", "cupsreject"} {
		need(c, "cups-client")
	}
	need("gs", "ghostscript, from printer-driver-cups-pdf")
	for _, f := range []string{cupsPDFBackend, cupsPDFPPD} {
		if _, err := os.Stat(f); err != nil {
			missing = append(missing, f+" (package printer-driver-cups-pdf)")
		}
	}
	if len(missing) > 0 {
		t.Fatalf("cupstest: missing %s; install with: %s", strings.Join(missing, ", "), installHint)
	}
	return tools
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// start writes the config for a fresh port, checks it with cupsd -t,
// starts cupsd and waits until it answers IPP.
func (s *Server) start(t testing.TB) error {
	t.Helper()
	port, err := freePort()
	if err != nil {
		return err
	}
	s.Addr = net.JoinHostPort("127.0.0.1", port)
	d := s.Dir
	cupsdConf := filepath.Join(d, "cupsd.conf")
	filesConf := filepath.Join(d, "cups-files.conf")
	writeFile(t, cupsdConf, fmt.Sprintf(`# Private scheduler for one test: loopback only, no browsing, no auth.
Listen %s
Browsing No
WebInterface No
LogLevel warn
DefaultAuthType None
MaxJobs 0
<Location />
  Order allow,deny
  Allow from 127.0.0.1
</Location>
<Policy default>
  JobPrivateAccess default
  JobPrivateValues default
  SubscriptionPrivateAccess default
  SubscriptionPrivateValues default
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
`, s.Addr))
	writeFile(t, filesConf, fmt.Sprintf(`ServerRoot %[1]s/root
RequestRoot %[1]s/spool
TempDir %[1]s/tmp
CacheDir %[1]s/cache
StateDir %[1]s/state
ServerBin %[1]s/bin
DataDir %[2]s
Printcap %[1]s/printcap
AccessLog %[1]s/log/access_log
ErrorLog %[1]s/log/error_log
PageLog %[1]s/log/page_log
`, d, dataDir))

	cupsd := s.tools["cupsd"]
	if out, err := exec.Command(cupsd, "-t", "-c", cupsdConf, "-s", filesConf).CombinedOutput(); err != nil {
		t.Fatalf("cupstest: cupsd -t rejects the config: %v\n%s", err, out)
	}
	logf, err := os.Create(filepath.Join(d, "log", "cupsd.out"))
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(cupsd, "-f", "-c", cupsdConf, "-s", filesConf)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C", "TMPDIR=" + filepath.Join(d, "tmp")}
	cmd.Stdout, cmd.Stderr = logf, logf
	// Its own process group, so that Stop can end stray filters too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("run %s: %w", cupsd, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()

	deadline := time.Now().Add(15 * time.Second)
	for {
		if err := s.ping(); err == nil {
			s.cmd, s.exited = cmd, exited
			return nil
		}
		select {
		case <-exited:
			return errors.New("cupsd exited")
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
			return errors.New("cupsd did not answer within 15 s")
		}
	}
}

// Stop stops cupsd (and any filter still running) and waits for it. It is
// called when the test ends; call it earlier to make CUPS unreachable.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		if s.cmd == nil {
			return
		}
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
			<-s.exited
		}
		// cupsd stops its jobs on SIGTERM; make sure no filter outlives it.
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	})
}

// Disable stops the queue like cupsdisable: CUPS still accepts jobs for it
// and prints them when it is enabled again.
func (s *Server) Disable(t testing.TB, queue string) { t.Helper(); s.run(t, "cupsdisable", queue) }

// Enable starts the queue again like cupsenable.
func (s *Server) Enable(t testing.TB, queue string) { t.Helper(); s.run(t, "cupsenable", queue) }

// Reject makes the queue refuse new jobs like cupsreject.
func (s *Server) Reject(t testing.TB, queue string) { t.Helper(); s.run(t, "cupsreject", queue) }

// Accept makes the queue take new jobs again like cupsaccept.
func (s *Server) Accept(t testing.TB, queue string) { t.Helper(); s.run(t, "cupsaccept", queue) }

// HangingQueue adds a queue whose printer takes the data and never
// finishes, as a printer at an unreachable address stays "processing": its
// device is a socket on a loopback port where nothing answers, so the test
// makes no network traffic. It returns the queue's name and URI.
func (s *Server) HangingQueue(t testing.TB) (name, uri string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("cupstest: %v", err)
	}
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		conns  []net.Conn
		closed bool
	)
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			if closed {
				_ = c.Close()
			}
			conns = append(conns, c)
			mu.Unlock()
			// Read everything, answer nothing, never close: the backend
			// waits for the printer to finish.
			wg.Go(func() { _, _ = io.Copy(io.Discard, c) })
		}
	})
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		closed = true
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	name = "cupstest-hang-" + randomHex(t, 4)
	s.lpadmin(t, "-p", name, "-E", "-v", "socket://"+ln.Addr().String(), "-P", cupsPDFPPD)
	return name, "ipp://" + s.Addr + "/printers/" + name
}

// PaperOutQueue adds a queue whose printer is out of paper: as soon as it
// gets a job it reports media-empty-error and never prints. It returns the
// queue's name and URI.
func (s *Server) PaperOutQueue(t testing.TB) (name, uri string) {
	t.Helper()
	name = "cupstest-nopaper-" + randomHex(t, 4)
	s.lpadmin(t, "-p", name, "-E", "-v", "cupstest-paperout:/", "-P", cupsPDFPPD)
	return name, "ipp://" + s.Addr + "/printers/" + name
}

// Jobs returns the ids of the queue's jobs that are waiting or printing,
// whoever sent them.
func (s *Server) Jobs(t testing.TB, queue string) []int {
	t.Helper()
	m := s.request(goipp.OpGetJobs, "ipp://"+s.Addr+"/printers/"+queue)
	m.Operation.Add(goipp.MakeAttribute("which-jobs", goipp.TagKeyword, goipp.String("not-completed")))
	m.Operation.Add(goipp.MakeAttribute("requested-attributes", goipp.TagKeyword, goipp.String("job-id")))
	ans, err := s.send(context.Background(), "/printers/"+queue, m)
	if err != nil {
		t.Fatalf("cupstest: list jobs on %s: %v", queue, err)
	}
	var ids []int
	for _, g := range ans.Groups {
		if g.Tag != goipp.TagJobGroup {
			continue
		}
		for _, a := range g.Attrs {
			if a.Name == "job-id" && len(a.Values) > 0 {
				if id, ok := a.Values[0].V.(goipp.Integer); ok {
					ids = append(ids, int(id))
				}
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// PDFs returns the complete PDF files in Out, sorted by name. cups-pdf
// names them TITLE-job_ID.pdf.
func (s *Server) PDFs(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(s.Out)
	if err != nil {
		t.Fatalf("cupstest: %v", err)
	}
	var files []string
	for _, e := range entries {
		p := filepath.Join(s.Out, e.Name())
		if strings.HasSuffix(e.Name(), ".pdf") && complete(p) {
			files = append(files, p)
		}
	}
	return files
}

// complete reports whether Ghostscript has finished writing the PDF.
func complete(path string) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	return bytes.HasSuffix(bytes.TrimRight(b, "\r\n"), []byte("%%EOF"))
}

// WaitPDF waits up to PDFLimit for job's PDF to be complete in Out and
// returns its path.
func (s *Server) WaitPDF(t testing.TB, job int) string {
	t.Helper()
	suffix := fmt.Sprintf("-job_%d.pdf", job)
	deadline := time.Now().Add(PDFLimit)
	for {
		for _, f := range s.PDFs(t) {
			if strings.HasSuffix(f, suffix) {
				return f
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("cupstest: no PDF for job %d in %s after %s; files %v\n%s", job, s.Out, PDFLimit, s.PDFs(t), s.Log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Log returns the tail of the scheduler's and cups-pdf's logs, for
// failure messages.
func (s *Server) Log() string {
	var b strings.Builder
	for _, name := range []string{"cupsd.out", "error_log", "cups-pdf-" + s.Queue + "_log"} {
		data, err := os.ReadFile(filepath.Join(s.Dir, "log", name))
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if len(lines) > 30 {
			lines = lines[len(lines)-30:]
		}
		fmt.Fprintf(&b, "--- %s\n%s\n", name, strings.Join(lines, "\n"))
	}
	return b.String()
}

// PDF returns a small valid one-page PDF showing text (ASCII only).
func PDF(t testing.TB, text string) []byte {
	t.Helper()
	pdf := gofpdf.New("P", "mm", "A6", "")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 16)
	pdf.Cell(0, 10, text)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatalf("cupstest: make PDF: %v", err)
	}
	return buf.Bytes()
}

// lpadmin runs lpadmin against this scheduler.
func (s *Server) lpadmin(t testing.TB, args ...string) {
	t.Helper()
	s.run(t, "lpadmin", args...)
}

// run runs one CUPS command-line tool against this scheduler.
func (s *Server) run(t testing.TB, tool string, args ...string) {
	t.Helper()
	cmd := exec.Command(s.tools[tool], append([]string{"-h", s.Addr}, args...)...)
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C"}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cupstest: %s %s: %v\n%s\n%s", tool, strings.Join(args, " "), err, out, s.Log())
	}
	// lpadmin warns that printer drivers are deprecated; anything else
	// on its output is worth seeing in a failing test.
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.Contains(line, "deprecated") {
			t.Logf("cupstest: %s: %s", tool, line)
		}
	}
}

// ping reports whether cupsd answers an IPP request.
func (s *Server) ping() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := s.send(ctx, "/", s.request(goipp.OpCupsGetDefault, "ipp://"+s.Addr+"/"))
	var se statusError
	if errors.As(err, &se) {
		return nil // an IPP error is still an answer
	}
	return err
}

// request starts an IPP request for the harness's own queries.
func (s *Server) request(op goipp.Op, printerURI string) *goipp.Message {
	m := goipp.NewRequest(goipp.DefaultVersion, op, 1)
	m.Operation.Add(goipp.MakeAttribute("attributes-charset", goipp.TagCharset, goipp.String("utf-8")))
	m.Operation.Add(goipp.MakeAttribute("attributes-natural-language", goipp.TagLanguage, goipp.String("en")))
	m.Operation.Add(goipp.MakeAttribute("printer-uri", goipp.TagURI, goipp.String(printerURI)))
	return m
}

// statusError is an IPP answer with an error status.
type statusError goipp.Status

func (e statusError) Error() string { return "cups answered " + goipp.Status(e).String() }

// send posts m to path on this scheduler and decodes the answer.
func (s *Server) send(ctx context.Context, path string, m *goipp.Message) (*goipp.Message, error) {
	body, err := m.EncodeBytes()
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+s.Addr+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", goipp.ContentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("http status %s", resp.Status)
	}
	var ans goipp.Message
	if err := ans.Decode(resp.Body); err != nil {
		return nil, err
	}
	if goipp.Status(ans.Code) >= 0x0400 {
		return &ans, statusError(ans.Code)
	}
	return &ans, nil
}

// freePort asks the kernel for a free loopback port.
func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	_, port, err := net.SplitHostPort(ln.Addr().String())
	return port, err
}

// randomHex returns n random bytes in hex, for unique queue names.
func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("cupstest: %v", err)
	}
	return hex.EncodeToString(b)
}

func writeFile(t testing.TB, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatalf("cupstest: %v", err)
	}
}
