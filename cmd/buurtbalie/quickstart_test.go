package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The quick start (packaging/dev/kiosk.sh) gives a kiosk with no printer
// of its own a real one: a private cupsd whose cups-pdf queue writes each
// slip as a PDF file. Set up twice, it is the same printer, and a slip
// printed on it lands as a PDF where the script says.
func TestQuickStartPrinter(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real cupsd")
	}
	if os.Geteuid() != 0 {
		t.Skip("the quick start's printer needs root (cups-pdf runs only as root)")
	}
	for _, tool := range []string{"bash", "cupsd", "lpadmin", "lpstat"} {
		needTool(t, tool, "cups")
	}
	bin := kioskBinary(t)
	// Reachable for the lp user and for nobody, as /var/tmp is.
	dir, err := os.MkdirTemp("", "quickstart-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	queue := "buurtbalie-pdf-test" + strconv.Itoa(os.Getpid())
	env := append(os.Environ(),
		"PDF_PRINTER_DIR="+filepath.Join(dir, "cups"), "SLIPS_DIR="+filepath.Join(dir, "slips"), "PDF_PRINTER_QUEUE="+queue)
	t.Cleanup(func() {
		if pid, err := os.ReadFile(filepath.Join(dir, "cups", "pid")); err == nil {
			if n, err := strconv.Atoi(strings.TrimSpace(string(pid))); err == nil {
				syscall.Kill(n, syscall.SIGTERM)
				time.Sleep(200 * time.Millisecond)
			}
		}
		os.Remove("/etc/cups/cups-pdf-" + queue + ".conf")
	})
	setUp := func() string {
		t.Helper()
		cmd := exec.Command("bash", "-c", `set -euo pipefail; . packaging/dev/lib.sh; printer_configured && exit 3; need_pdf_printer; echo "$PDF_PRINTER_URI"`)
		cmd.Dir, cmd.Env = filepath.Join("..", ".."), append(env, "XDG_CONFIG_HOME="+t.TempDir())
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if cmd.ProcessState != nil && cmd.ProcessState.ExitCode() == 3 {
			t.Skip("this machine has a printer for the kiosk (a buurtbalie queue in its CUPS, or /etc/buurtbalie's printer line), so the quick start sets up none")
		}
		if err != nil {
			t.Fatalf("need_pdf_printer: %v\n%s", err, stderr.String())
		}
		return strings.TrimSpace(string(out))
	}
	uri := setUp()
	if !strings.HasPrefix(uri, "ipp://127.0.0.1:") || !strings.HasSuffix(uri, "/printers/"+queue) {
		t.Fatalf("printer %q, want an ipp:// queue %s on 127.0.0.1", uri, queue)
	}
	if again := setUp(); again != uri {
		t.Errorf("set up again: %q, want the same printer %q", again, uri)
	}

	cmd := exec.Command(bin, "print-test", "--data", t.TempDir(), "--printer", uri)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "printed a sample slip") {
		t.Fatalf("print-test: %v\n%s", err, out)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		pdfs, _ := filepath.Glob(filepath.Join(dir, "slips", "*.pdf"))
		if len(pdfs) == 1 {
			if data, err := os.ReadFile(pdfs[0]); err != nil || !bytes.HasPrefix(data, []byte("%PDF")) {
				t.Errorf("%s is not a PDF: %v", pdfs[0], err)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no PDF in %s after 30 s: %v", filepath.Join(dir, "slips"), pdfs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
