package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"buurtbalie/internal/question"
	"buurtbalie/internal/web"
)

// With the disk full, /healthz says so instead of "ok", and staff see a
// plain warning on their pages; volunteers, who cannot act on it, do not.
// The disk is a real 4 MB tmpfs, filled up.
func TestDiskFullWarnsStaff(t *testing.T) {
	if testing.Short() {
		t.Skip("mounts a tmpfs; skipped with -short")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs (run the tests as root, as packaging/dev/test.sh does)")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	e := newEnvIn(t, dir)
	e.ask("Hoe vraag ik toeslag aan?", question.Waiting)
	staffer, vol := e.staff(), e.volunteer()
	const warning = "De schijf van de kiosk is vol"

	health := func() (int, string) {
		t.Helper()
		rec := httptest.NewRecorder()
		web.New(web.Config{Now: e.clock.Now}, e.qs, e.as, e.throttle, e.cat, nil).Handler().
			ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		var rep struct{ Database string }
		if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
			t.Fatalf("healthz: %v\n%s", err, rec.Body)
		}
		return rec.Code, rep.Database
	}
	if code, db := health(); code != http.StatusOK || db != "ok" {
		t.Fatalf("healthz with room: %d %q, want 200 ok", code, db)
	}
	if r := staffer.get("/queue"); strings.Contains(r.body, warning) {
		t.Error("staff warned of a full disk that has room")
	}

	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	block := make([]byte, 64<<10)
	for {
		if _, err := f.Write(block); err != nil {
			break // ENOSPC
		}
	}
	f.Close()

	if code, db := health(); code != http.StatusServiceUnavailable || !strings.Contains(db, "disk full") {
		t.Errorf("healthz on a full disk: %d %q, want 503 saying disk full", code, db)
	}
	if r := staffer.get("/queue"); !strings.Contains(r.body, warning) {
		t.Errorf("staff queue page on a full disk does not warn:\n%s", r.body)
	}
	if r := vol.get("/queue"); strings.Contains(r.body, warning) {
		t.Error("a volunteer was shown the disk warning, want staff only")
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if code, db := health(); code != http.StatusOK || db != "ok" {
		t.Errorf("healthz with room again: %d %q, want 200 ok", code, db)
	}
}
