package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// These tests run the real binary in a real window on a virtual X server
// (Xvfb), as the kiosk runs at a house. The test command installs Xvfb,
// x11-apps (xwd) and imagemagick (import); only "go test -short" skips
// them.

var (
	buildOnce  sync.Once
	binaryPath string
	buildErr   error
)

// kioskBuildTags are the tags the kiosk ships with (KIOSK_TAGS in
// packaging/dev/lib.sh), so the real-window tests and the measurements run
// the binary the appliance runs.
const kioskBuildTags = "no_emoji"

// kioskBinary builds cmd/buurtbalie once per test run.
func kioskBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "buurtbalie-bin")
		if err != nil {
			buildErr = err
			return
		}
		binaryPath = filepath.Join(dir, "buurtbalie")
		out, err := exec.Command("go", "build", "-tags", kioskBuildTags, "-o", binaryPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binaryPath
}

// needTool fails (or skips under -short) when a program the test needs is
// missing.
func needTool(t *testing.T, name, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if testing.Short() {
			t.Skipf("%s not installed", name)
		}
		t.Fatalf("%s is not installed; run the test command (packaging/dev/test.sh), which installs %s", name, pkg)
	}
}

// xServer is a running Xvfb.
type xServer struct {
	display string
	cmd     *exec.Cmd
}

// startXvfb starts Xvfb on a free display with a black root window, so a
// first frame is easy to tell from nothing. Xvfb picks the display itself
// (-displayfd) and names it only once it takes connections: a socket
// file that exists may not be listened on yet, and two servers that
// looked for a free display at once could pick the same one.
func startXvfb(t *testing.T) *xServer {
	t.Helper()
	needTool(t, "Xvfb", "xvfb")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-br", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w} // fd 3
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Start()
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	named := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		named <- strings.TrimSpace(line)
	}()
	select {
	case n := <-named:
		if _, err := strconv.Atoi(n); err != nil {
			t.Fatalf("Xvfb did not start (it named display %q): %s", n, stderr.String())
		}
		return &xServer{display: ":" + n, cmd: cmd}
	case <-time.After(30 * time.Second):
		t.Fatalf("Xvfb named no display in 30 s: %s", stderr.String())
	}
	return nil
}

// kioskProcess is the real kiosk running on an X server.
type kioskProcess struct {
	cmd     *exec.Cmd
	started time.Time
	stderr  *bytes.Buffer
	exited  chan error
}

func startKiosk(t *testing.T, x *xServer, dataDir string, args ...string) *kioskProcess {
	t.Helper()
	bin := kioskBinary(t)
	cmd := exec.Command(bin, append([]string{"--data", dataDir}, args...)...)
	cmd.Env = append(os.Environ(), "DISPLAY="+x.display, "LANG=nl_NL.UTF-8", "XDG_CONFIG_HOME="+t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	p := &kioskProcess{cmd: cmd, stderr: &stderr, exited: make(chan error, 1)}
	p.started = time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// stop asks the kiosk to quit as systemd would, and waits.
func (p *kioskProcess) stop(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exited:
		p.exited <- err
		if err != nil {
			t.Errorf("kiosk exited with %v after SIGTERM; stderr:\n%s", err, p.stderr)
		}
	case <-time.After(20 * time.Second):
		t.Errorf("kiosk did not quit within 20 s of SIGTERM")
	}
}

func runTool(name string, args ...string) error { return exec.Command(name, args...).Run() }

// grabXWD reads the root window with xwd: fast enough to poll for the
// first frame.
func grabXWD(display string) (image.Image, error) {
	out, err := exec.Command("xwd", "-root", "-silent", "-display", display).Output()
	if err != nil {
		return nil, fmt.Errorf("xwd: %w", err)
	}
	return decodeXWD(out)
}

// decodeXWD decodes a 24/32-bit ZPixmap X window dump.
func decodeXWD(b []byte) (image.Image, error) {
	if len(b) < 100 {
		return nil, fmt.Errorf("xwd: short dump")
	}
	field := func(i int) uint32 { return binary.BigEndian.Uint32(b[i*4:]) }
	headerSize, width, height := field(0), int(field(4)), int(field(5))
	byteOrder, bpp, bpl, ncolors := field(7), field(11), int(field(12)), field(19)
	if bpp != 32 {
		return nil, fmt.Errorf("xwd: %d bits per pixel, want 32", bpp)
	}
	start := int(headerSize + ncolors*12)
	if len(b) < start+bpl*height {
		return nil, fmt.Errorf("xwd: truncated dump")
	}
	img := image.NewNRGBA(image.Rect(0, 0, width, height))
	for y := 0; y < height; y++ {
		row := b[start+y*bpl:]
		for x := 0; x < width; x++ {
			px := row[x*4 : x*4+4]
			var v uint32
			if byteOrder == 0 { // LSBFirst
				v = binary.LittleEndian.Uint32(px)
			} else {
				v = binary.BigEndian.Uint32(px)
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff})
		}
	}
	return img, nil
}

// painted reports whether the kiosk has drawn: its warm light background
// fills the screen's corner (full screen, no decorations) and the middle.
func painted(img image.Image) bool {
	b := img.Bounds()
	for _, p := range []image.Point{{2, 2}, {b.Dx() / 2, b.Dy() - 3}} {
		r, g, bl, _ := img.At(p.X, p.Y).RGBA()
		if r>>8 < 0xe0 || g>>8 < 0xe0 || bl>>8 < 0xd0 {
			return false
		}
	}
	return true
}

// waitForFirstFrame polls the screen until the kiosk has painted and
// returns how long after process start that was.
func waitForFirstFrame(t *testing.T, x *xServer, p *kioskProcess, limit time.Duration) (time.Duration, image.Image) {
	t.Helper()
	needTool(t, "xwd", "x11-apps")
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case err := <-p.exited:
			p.exited <- err // for the cleanup, which waits for it too
			t.Fatalf("kiosk exited early: %v; stderr:\n%s", err, p.stderr)
		default:
		}
		img, err := grabXWD(x.display)
		if err == nil && painted(img) {
			return time.Since(p.started), img
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no kiosk frame within %s; stderr:\n%s", limit, p.stderr)
	return 0, nil
}

// distinctColours counts colours in a sample of the image: a blank or
// single-colour window has one or two.
func distinctColours(img image.Image) int {
	seen := map[color.Color]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			seen[img.At(x, y)] = true
		}
	}
	return len(seen)
}

func writePNGFile(t *testing.T, path string, img image.Image) {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSmokeUnderXvfb runs the real kiosk full screen on a fresh data
// folder, checks it draws a real screen (not blank), takes a screenshot
// with imagemagick's import, and stops it with SIGTERM.
func TestSmokeUnderXvfb(t *testing.T) {
	needTool(t, "import", "imagemagick")
	x := startXvfb(t)
	data := t.TempDir()
	p := startKiosk(t, x, data)
	_, _ = waitForFirstFrame(t, x, p, 60*time.Second)
	// Give the first layout a moment to settle, then take the screenshot
	// the way a person would.
	time.Sleep(500 * time.Millisecond)
	shot := filepath.Join(t.TempDir(), "smoke.png")
	if out, err := exec.Command("import", "-display", x.display, "-window", "root", shot).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("BUURTBALIE_SMOKE_SHOT"); dir != "" {
		writePNGFile(t, filepath.Join(dir, "smoke.png"), img)
	}
	if !painted(img) {
		t.Errorf("the screenshot does not show the kiosk's background edge to edge")
	}
	if n := distinctColours(img); n < 20 {
		t.Errorf("the screenshot has %d colours; a real screen with text and pictograms has many more", n)
	}
	if _, err := os.Stat(filepath.Join(data, "buurtbalie.db")); err != nil {
		t.Errorf("no database in the data folder: %v", err)
	}
	p.stop(t)
	if strings.Contains(p.stderr.String(), "panic") {
		t.Errorf("stderr mentions a panic:\n%s", p.stderr)
	}
}
