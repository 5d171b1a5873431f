package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/clock"
)

// Health is what /healthz needs of the database: nil when it answers.
// An error with a method Disk() string says that no write can succeed
// until someone sees to the disk: "full" or "read-only"; staff pages
// then show a warning.
type Health interface {
	Health(ctx context.Context) error
}

// diskProblem is the kind of Health error that stops every write.
type diskProblem interface {
	Disk() string
}

// database is what the health checks ask: Config.Database, else the
// question store if it can answer; nil when neither.
func (s *Server) database() Health {
	if s.cfg.Database != nil {
		return s.cfg.Database
	}
	db, _ := s.questions.(Health)
	return db
}

// diskWarning is the warning staff pages show when the database cannot
// take writes: the disk is full or became read-only; "" when all is well
// or the trouble is of another kind (/healthz tells those).
func (s *Server) diskWarning(ctx context.Context, l *catalogue.Translator) string {
	db := s.database()
	if db == nil {
		return ""
	}
	var d diskProblem
	if err := withTimeout(ctx, db.Health); !errors.As(err, &d) {
		return ""
	}
	switch d.Disk() {
	case "full":
		return l.T("web.disk.full")
	case "read-only":
		return l.T("web.disk.readonly")
	}
	return ""
}

// healthTimeout bounds each check, so that a printer that does not
// answer cannot hang the health check too.
const healthTimeout = 3 * time.Second

// healthReport is /healthz's answer. It never holds anything of a
// question, so it needs no login.
type healthReport struct {
	Database string `json:"database"`          // "ok" or what is wrong
	Printer  any    `json:"printer,omitempty"` // a printerReport, or "unreachable: …"
	Clock    string `json:"clock"`             // "ok" or "implausible: …"
	Time     string `json:"time"`              // the server's time, RFC 3339 in the house's zone
}

// printerReport is a printer that answered.
type printerReport struct {
	OK      bool   `json:"ok"`
	State   string `json:"state"`
	Problem string `json:"problem,omitempty"`
}

// handleHealth answers whether the kiosk can take questions: 200 when the
// database answers and the clock is plausible, else 503. Printer trouble
// is reported but does not fail the check: without a printer the kiosk
// still saves questions and shows the code on screen.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := s.cfg.Now()
	rep := healthReport{Database: "ok", Clock: "ok", Time: now.In(s.cfg.Location).Format(time.RFC3339)}
	healthy := true

	db := s.database()
	if db == nil {
		rep.Database, healthy = "not configured", false
	} else if err := withTimeout(ctx, db.Health); err != nil {
		rep.Database, healthy = err.Error(), false
	}
	if err := clock.Check(now); err != nil {
		rep.Clock = "implausible: " + strings.TrimPrefix(err.Error(), clock.ErrImplausible.Error()+": ")
		healthy = false
	}
	if s.cfg.PrinterStatus != nil {
		var state string
		err := withTimeout(ctx, func(ctx context.Context) (err error) {
			state, err = s.cfg.PrinterStatus(ctx)
			return err
		})
		switch {
		case err != nil && state == "":
			rep.Printer = "unreachable: " + err.Error()
		case err != nil:
			rep.Printer = printerReport{State: state, Problem: err.Error()}
		default:
			rep.Printer = printerReport{OK: true, State: state}
		}
	}

	status := http.StatusOK
	if !healthy {
		status = http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(rep); err != nil {
		s.log.Warn("web: health", "err", err)
	}
}

func withTimeout(ctx context.Context, check func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	return check(ctx)
}
