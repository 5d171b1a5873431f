package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

// A kiosk that stopped while a slip printed (a crash, a power cut) left
// the question "pending", and its job is cancelled at the next start: the
// next kiosk records that slip as not printed, so the volunteers' pages
// say its visitor has none.
func TestKioskFailsSlipsLeftPrinting(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real kiosk under Xvfb")
	}
	data := t.TempDir()
	var q question.Question
	withDB(t, data, nil, func(db *sqlite.DB) { q = askAt(t, db, "Half geprint") })

	x := startXvfb(t)
	p := startKiosk(t, x, data, "--windowed", "--listen", "127.0.0.1:"+freePort(t), "--printer", "ipp://127.0.0.1:9/printers/none")
	state := ""
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && state != string(question.PrintFailed); time.Sleep(100 * time.Millisecond) {
		withDB(t, data, nil, func(db *sqlite.DB) {
			state, _, _ = sqlite.NewQuestionService(db).PrintState(context.Background(), q.ID)
		})
	}
	p.stop(t)
	if state != string(question.PrintFailed) {
		t.Fatalf("print state %q 30 s after the kiosk started, want failed; stderr:\n%s", state, p.stderr)
	}
	if !strings.Contains(p.stderr.String(), "marked as not printed") {
		t.Errorf("the kiosk does not log what it marked; stderr:\n%s", p.stderr)
	}
}
