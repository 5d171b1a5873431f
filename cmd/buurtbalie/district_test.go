package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/district"
	"buurtbalie/internal/districtweb"
	"buurtbalie/internal/postgres"
	"buurtbalie/internal/postgres/pgtest"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

// Staff join the house to its district with the code from the district's
// page, see how the tie stands, send what waits, and leave; a used code
// and a wrong address are refused with what to do.
func TestDistrictCommand(t *testing.T) {
	ctx := context.Background()
	pg := pgtest.Start(t)
	pdb, err := postgres.Open(ctx, pg.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer pdb.Close()
	api := &districtweb.API{Store: pdb, District: "Amsterdam West", Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv := httptest.NewServer(api.Handler())
	defer srv.Close()
	h, err := pdb.AddHouse(ctx, "Huis West", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	code := district.NewEnrolmentCode()
	if err := pdb.NewEnrolment(ctx, h.ID, district.HashEnrolmentCode(code), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}

	data := t.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(data, "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	qs := sqlite.NewQuestionService(db)
	for range 5 {
		if err := qs.Create(ctx, &question.Question{Topic: "geld", Lang: "nl", FollowUp: question.Waiting, Text: "een vraag"}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	// Five questions on one day, counted before joining: one event per
	// measure (topic, language, both, waiting), each of five.
	out, _, err := run(t, data, "district", "join", srv.URL, strings.ToLower(code), "--data", data)
	if err != nil || !strings.Contains(out, "Huis West is now part of Amsterdam West") || !strings.Contains(out, "(4 waiting)") {
		t.Fatalf("join: %v\n%s", err, out)
	}
	if out, _, err := run(t, data, "district", "status", "--data", data); err != nil || !strings.Contains(out, "Waiting:  4 events") {
		t.Errorf("status: %v\n%s", err, out)
	}
	if out, _, err := run(t, data, "district", "send", "--data", data); err != nil || !strings.Contains(out, "Sent 4 events") {
		t.Errorf("send: %v\n%s", err, out)
	}
	if out, _, _ := run(t, data, "district", "status", "--data", data); !strings.Contains(out, "Sent:     last at") || !strings.Contains(out, "Waiting:  0 events") {
		t.Errorf("status after sending:\n%s", out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"district", "join", srv.URL, code, "--data", data}, "ask the district for a new code"},
		{[]string{"district", "join", "wijk.example.nl", code, "--data", data}, "is not a district address"},
		{[]string{"district", "join", srv.URL, "--data", data}, "needs the district's address and the enrolment code"},
		{[]string{"district", "fly", "--data", data}, "say what to do: join URL CODE, status, send or leave"},
	} {
		out, errOut, err := run(t, data, c.args...)
		if err == nil || !strings.Contains(out+errOut+err.Error(), c.want) {
			t.Errorf("%v: %v\n%s%s\nwant %q", c.args, err, out, errOut, c.want)
		}
	}
	if out, _, err := run(t, data, "district", "leave", "--data", data); err != nil || !strings.Contains(out, "left its district") {
		t.Errorf("leave: %v\n%s", err, out)
	}
	if out, _, _ := run(t, data, "district", "status", "--data", data); !strings.Contains(out, "belongs to no district") {
		t.Errorf("status after leaving:\n%s", out)
	}
}
