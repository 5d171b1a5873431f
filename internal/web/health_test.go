package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/question"
	"buurtbalie/internal/web"
)

// failingDB is a database that does not answer.
type failingDB struct{}

func (failingDB) Health(context.Context) error { return errors.New("database: disk I/O error") }

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	secret := e.ask("GEHEIM: mijn huur is te hoog", question.Waiting)
	printerOK := func(context.Context) (string, error) { return "state=idle accepting=true reasons=none", nil }
	noPaper := func(context.Context) (string, error) {
		return "state=stopped accepting=true reasons=media-empty-error", errors.New("printer: out of paper")
	}
	gone := func(context.Context) (string, error) {
		return "", errors.New("dial tcp 127.0.0.1:631: connection refused")
	}
	epoch := func() time.Time { return time.Unix(0, 0) }

	tests := []struct {
		name                     string
		cfg                      web.Config
		close                    bool // the database closed
		status                   int
		database, clock, printer string // what the fields start with; printer "" for absent
	}{
		{"all well, no printer", web.Config{Now: e.clock.Now}, false, http.StatusOK, "ok", "ok", ""},
		{"printer ready", web.Config{Now: e.clock.Now, PrinterStatus: printerOK}, false, http.StatusOK, "ok", "ok", `{"ok":true,"state":"state=idle`},
		{"printer out of paper", web.Config{Now: e.clock.Now, PrinterStatus: noPaper}, false, http.StatusOK, "ok", "ok",
			`{"ok":false,"state":"state=stopped accepting=true reasons=media-empty-error","problem":"printer: out of paper"}`},
		{"printer unreachable", web.Config{Now: e.clock.Now, PrinterStatus: gone}, false, http.StatusOK, "ok", "ok", `"unreachable: dial tcp`},
		{"clock in 1970", web.Config{Now: epoch, PrinterStatus: printerOK}, false, http.StatusServiceUnavailable, "ok", "implausible: it says 1970-01-01T00:00:00Z", `{"ok":true`},
		{"database failing", web.Config{Now: e.clock.Now, Database: failingDB{}}, false, http.StatusServiceUnavailable, "database: disk I/O error", "ok", ""},
		{"database closed", web.Config{Now: e.clock.Now}, true, http.StatusServiceUnavailable, "database: ", "ok", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.close {
				e.db.Close()
			}
			h := web.New(tt.cfg, e.qs, e.as, e.throttle, e.cat, nil).Handler()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil)) // no login
			body := rec.Body.String()
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d\n%s", rec.Code, tt.status, body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
			var got map[string]json.RawMessage
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, body)
			}
			str := func(k string) string {
				var s string
				json.Unmarshal(got[k], &s)
				return s
			}
			if !strings.HasPrefix(str("database"), tt.database) {
				t.Errorf("database %s, want it to start with %q", got["database"], tt.database)
			}
			if !strings.HasPrefix(str("clock"), tt.clock) {
				t.Errorf("clock %s, want it to start with %q", got["clock"], tt.clock)
			}
			if p, ok := got["printer"]; ok != (tt.printer != "") || !strings.HasPrefix(string(p), tt.printer) {
				t.Errorf("printer %s, want it to start with %s", p, tt.printer)
			}
			if _, err := time.Parse(time.RFC3339, str("time")); err != nil {
				t.Errorf("time %s: %v", got["time"], err)
			}
			for _, private := range []string{"GEHEIM", secret.Token, secret.Code} {
				if strings.Contains(body, private) {
					t.Errorf("the health check shows %q", private)
				}
			}
		})
	}
}

// The house's time, with its offset, so staff see at a glance whether
// the clock is right.
func TestHealthzTime(t *testing.T) {
	e := newEnv(t) // 23 November 2026, 09:30 UTC
	rec := httptest.NewRecorder()
	web.New(web.Config{Now: e.clock.Now}, e.qs, e.as, e.throttle, e.cat, nil).Handler().
		ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if want := `"time":"2026-11-23T10:30:00+01:00"`; !strings.Contains(rec.Body.String(), want) {
		t.Errorf("body %s, want %s", rec.Body.String(), want)
	}
}
