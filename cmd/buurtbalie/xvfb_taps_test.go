package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tapAt taps the real kiosk window at x, y as a finger on a touchscreen
// does (X11 sends a touch as a pointer press), clicks times, delay apart.
func tapAt(t *testing.T, x *xServer, px, py, clicks int, delay time.Duration) {
	t.Helper()
	cmd := exec.Command("xdotool", "mousemove", strconv.Itoa(px), strconv.Itoa(py),
		"click", "--repeat", strconv.Itoa(clicks), "--delay", strconv.Itoa(int(delay/time.Millisecond)), "1")
	cmd.Env = append(os.Environ(), "DISPLAY="+x.display)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xdotool: %v\n%s", err, out)
	}
}

// screenText reads the kiosk's screen as a person would: a screenshot,
// read by OCR in Dutch.
func screenText(t *testing.T, x *xServer) string {
	t.Helper()
	shot := filepath.Join(t.TempDir(), "screen.png")
	if out, err := exec.Command("import", "-display", x.display, "-window", "root", shot).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, err := exec.Command("tesseract", shot, "-", "-l", "nld").Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// waitForText waits until the screen shows want.
func waitForText(t *testing.T, x *xServer, want string) string {
	t.Helper()
	var seen string
	for i := 0; i < 20; i++ {
		if seen = screenText(t, x); strings.Contains(seen, want) {
			return seen
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("the screen never showed %q; it read %q", want, seen)
	return ""
}

// A double tap in the real window, two taps 120 ms apart through X11 as
// a quick finger makes them, acts once: on "Sla over" it lands on the
// follow-up question without answering it, on "Terug" it goes back one
// step.
func TestDoubleTapUnderXvfb(t *testing.T) {
	needTool(t, "import", "imagemagick")
	needTool(t, "xdotool", "xdotool")
	needTool(t, "tesseract", "tesseract-ocr")
	x := startXvfb(t)
	p := startKiosk(t, x, t.TempDir(), "--listen", "127.0.0.1:0", "--printer", "ipp://127.0.0.1:9/printers/none")
	waitForFirstFrame(t, x, p, 60*time.Second)
	waitForText(t, x, "Stel een vraag")
	// Where the tiles are at 1280x800 (as `buurtbalie screenshot` draws
	// them): "Stel een vraag" in the middle of the bottom row, "Wonen"
	// second among the topics, "Sla over" at the top of the right column.
	tapAt(t, x, 640, 630, 1, 0)
	waitForText(t, x, "Waar gaat uw vraag over")
	tapAt(t, x, 474, 360, 1, 0)
	waitForText(t, x, "Sla over")
	tapAt(t, x, 1141, 270, 2, 120*time.Millisecond)
	time.Sleep(time.Second)
	seen := waitForText(t, x, "Wat wilt u doen")
	if strings.Contains(seen, "Klopt dit") {
		t.Errorf("the second tap answered the follow-up question; the screen reads %q", seen)
	}
	// "Terug" sits in the same corner on every step: a double tap on it
	// goes back one step, not two.
	tapAt(t, x, 78, 40, 2, 120*time.Millisecond)
	time.Sleep(time.Second)
	seen = waitForText(t, x, "Wilt u uw vraag typen")
	if strings.Contains(seen, "Waar gaat uw vraag over") {
		t.Errorf("a double tap on Terug went back two steps; the screen reads %q", seen)
	}
	p.stop(t)
}
