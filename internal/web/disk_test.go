package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"buurtbalie/internal/disktest"
	"buurtbalie/internal/question"
	"buurtbalie/internal/web"
)

// With the disk full, /healthz says so instead of "ok", and staff see a
// plain warning on their pages; volunteers, who cannot act on it, do not.
// The disk is a real 4 MB tmpfs, filled up.
func TestDiskFullWarnsStaff(t *testing.T) {
	dir := disktest.Tmpfs(t, "4m")
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

	filler := disktest.Fill(t, dir)
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

// When the disk meets an error and ext4 stops taking writes, staff are
// told to make a backup and call for help. ext4's abort mount option
// raises the error on a real loop-mounted file system.
func TestDiskErrorWarnsStaff(t *testing.T) {
	mnt, _ := disktest.Ext4(t, 16)
	e := newEnvIn(t, mnt)
	staffer := e.staff()
	const warning = "De schijf van de kiosk kan niet meer schrijven"
	if r := staffer.get("/queue"); strings.Contains(r.body, warning) {
		t.Error("staff warned of a disk that is well")
	}
	disktest.Run(t, "mount", "-o", "remount,abort", mnt)
	if r := staffer.get("/queue"); !strings.Contains(r.body, warning) {
		t.Errorf("staff queue page after a disk error does not warn:\n%s", r.body)
	}
	rec := httptest.NewRecorder()
	web.New(web.Config{Now: e.clock.Now}, e.qs, e.as, e.throttle, e.cat, nil).Handler().
		ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "read-only") {
		t.Errorf("healthz after a disk error: %d %s, want 503 saying read-only", rec.Code, rec.Body)
	}
}
