package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/programme"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/web"
)

var _ web.Programme = (*sqlite.ProgrammeService)(nil)

// newProgrammeEnv is newEnv with the programme pages served, and the
// categories "bewegen" and "ontmoeten".
func newProgrammeEnv(t *testing.T) (*env, *sqlite.ProgrammeService) {
	t.Helper()
	e := newEnv(t)
	ps := sqlite.NewProgrammeService(e.db)
	ctx := context.Background()
	for i, key := range []string{"bewegen", "ontmoeten"} {
		c := programme.Category{Key: key, Icon: "star", Names: map[string]string{"nl": key, "en": key}, Order: i}
		if err := ps.SaveCategory(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	e.srv.Close()
	e.handler = web.New(web.Config{Now: e.clock.Now, Programme: ps}, e.qs, e.as, e.throttle, e.cat, nil).Handler()
	e.srv = httptest.NewServer(e.handler)
	t.Cleanup(e.srv.Close)
	return e, ps
}

// weeklyForm is a walk on Mondays and Wednesdays.
func weeklyForm() url.Values {
	return url.Values{
		"title": {"Wandelgroep"}, "category": {"bewegen"}, "room": {"Ingang"}, "host": {"Joke"},
		"start": {"14:00"}, "end": {"15:30"}, "cost": {"3,50"}, "wheelchair": {"1"},
		"kind": {"weekly"}, "weekdays": {"1", "3"}, "interval": {"1"},
	}
}

func TestProgrammeStaffOnly(t *testing.T) {
	e, _ := newProgrammeEnv(t)
	v := e.volunteer()
	for _, path := range []string{"/programme", "/programme/new", "/programme/import"} {
		wantStatus(t, "GET "+path+" as volunteer", v.get(path), http.StatusForbidden)
	}
	wantStatus(t, "POST /programme/new as volunteer", v.post("/programme/new", weeklyForm()), http.StatusForbidden)
	if strings.Contains(v.get("/queue").body, `href="/programme"`) {
		t.Error("volunteer's menu links to the programme")
	}

	// Without a Programme the pages are not there at all.
	plain := newEnv(t)
	wantStatus(t, "GET /programme without Programme", plain.staff().get("/programme"), http.StatusNotFound)
}

func TestProgrammeAddWeekly(t *testing.T) {
	e, ps := newProgrammeEnv(t)
	c := e.staff()
	wantStatus(t, "GET /programme/new", c.get("/programme/new"), http.StatusOK)
	r := c.post("/programme/new", weeklyForm())
	wantStatus(t, "POST /programme/new", r, http.StatusSeeOther)
	acts, err := ps.Activities(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) != 1 {
		t.Fatalf("got %d activities, want 1", len(acts))
	}
	a := acts[0]
	if a.Title != "Wandelgroep" || a.CostCents != 350 || !a.Wheelchair || a.SignUp ||
		a.Schedule.Kind != programme.Weekly || a.Schedule.Weekdays != programme.Days(time.Monday, time.Wednesday) ||
		a.Start != programme.Clock(14, 0) || a.End != programme.Clock(15, 30) {
		t.Errorf("stored %+v", a)
	}
	if got, want := r.location(), "/programme/"+itoa(a.ID)+"?done=saved"; got != want {
		t.Errorf("redirect to %q, want %q", got, want)
	}
	edit := c.get(r.location())
	wantStatus(t, "GET edit", edit, http.StatusOK)
	if !strings.Contains(edit.body, `value="3,50"`) {
		t.Errorf("edit form does not show the cost 3,50:\n%s", edit.body)
	}
	// The week of Monday 23 November shows it twice.
	week := c.get("/programme?week=2026-11-25")
	if n := strings.Count(week.body, ">Wandelgroep<"); n != 2 {
		t.Errorf("week shows Wandelgroep %d times, want 2", n)
	}
	log, _ := e.as.AuditLog(context.Background(), 10)
	if len(log) == 0 || log[0].Action != "activity_added" || log[0].Actor != staff {
		t.Errorf("audit log starts %+v, want activity_added by %s", log, staff)
	}

	// Edit: every two weeks needs a first date.
	f := weeklyForm()
	f.Set("interval", "2")
	f.Set("from", "2026-11-23")
	wantStatus(t, "POST edit", c.post("/programme/"+itoa(a.ID), f), http.StatusSeeOther)
	if a, _ = ps.Activity(context.Background(), a.ID); a.Schedule.Interval != 2 {
		t.Errorf("interval = %d, want 2", a.Schedule.Interval)
	}
	// Delete.
	wantStatus(t, "POST delete", c.post("/programme/"+itoa(a.ID)+"/delete", url.Values{}), http.StatusSeeOther)
	if acts, _ := ps.Activities(context.Background()); len(acts) != 0 {
		t.Errorf("after delete %d activities, want 0", len(acts))
	}
	wantStatus(t, "GET deleted", c.get("/programme/"+itoa(a.ID)), http.StatusNotFound)
}

func TestProgrammeValidation(t *testing.T) {
	e, ps := newProgrammeEnv(t)
	c := e.staff()
	c.get("/programme/new")
	tests := []struct {
		name  string
		edit  func(url.Values)
		want  string // the Dutch message
		input string // what must still be in the form
	}{
		{"end before start", func(f url.Values) { f.Set("end", "13:00") }, "De eindtijd moet na de begintijd liggen.", `value="13:00"`},
		{"no weekday", func(f url.Values) { f.Del("weekdays") }, "Kies minstens één dag van de week.", `value="Wandelgroep"`},
		{"no title", func(f url.Values) { f.Set("title", " ") }, "Geef de activiteit een titel.", `value="Ingang"`},
		{"bad cost", func(f url.Values) { f.Set("cost", "drie") }, "Schrijf de kosten als een bedrag", `value="drie"`},
		{"monthly nth", func(f url.Values) { f.Set("kind", "monthly"); f.Set("nth", "7"); f.Set("weekday", "2") }, "Kies de eerste, tweede, derde, vierde of laatste", `value="Joke"`},
		{"unknown category", func(f url.Values) { f.Set("category", "zingen") }, "Deze soort bestaat niet", `value="zingen" selected`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := weeklyForm()
			tt.edit(f)
			r := c.post("/programme/new", f)
			wantStatus(t, "POST", r, http.StatusUnprocessableEntity)
			if !strings.Contains(r.body, tt.want) {
				t.Errorf("page lacks %q:\n%s", tt.want, r.body)
			}
			if !strings.Contains(r.body, tt.input) {
				t.Errorf("page lost the input %s", tt.input)
			}
		})
	}
	if acts, _ := ps.Activities(context.Background()); len(acts) != 0 {
		t.Errorf("%d activities stored, want 0", len(acts))
	}
}

func TestProgrammeCancelDate(t *testing.T) {
	e, ps := newProgrammeEnv(t)
	c := e.staff()
	c.get("/programme/new")
	wantStatus(t, "add", c.post("/programme/new", weeklyForm()), http.StatusSeeOther)
	acts, _ := ps.Activities(context.Background())
	id := itoa(acts[0].ID)

	week := c.get("/programme")
	if strings.Contains(week.body, "occ-cancelled") {
		t.Fatal("cancelled before anything was done")
	}
	r := c.post("/programme/"+id+"/exception", url.Values{"date": {"2026-11-23"}, "do": {"cancel"}})
	wantStatus(t, "cancel", r, http.StatusSeeOther)
	wantStatus(t, "note", c.post("/programme/"+id+"/exception",
		url.Values{"date": {"2026-11-23"}, "do": {"note"}, "note": {"de gids is ziek, wel koffie"}, "note-tr": {"rehber hasta, kahve var"}}), http.StatusSeeOther)
	week = c.get(r.location())
	if !strings.Contains(week.body, `value="rehber hasta, kahve var"`) {
		t.Error("the Turkish note is not on the week page")
	}
	if n := strings.Count(week.body, "occ-cancelled"); n != 1 {
		t.Errorf("%d cancelled occurrences shown, want 1", n)
	}
	if !strings.Contains(week.body, "de gids is ziek, wel koffie") {
		t.Error("note not shown")
	}
	occs, _ := ps.Day(context.Background(), programme.NewDate(2026, 11, 23))
	if len(occs) != 1 || !occs[0].Cancelled || occs[0].Note == "" || occs[0].NoteIn("tr") != "rehber hasta, kahve var" {
		t.Errorf("Monday = %+v, want cancelled with the note (a note keeps the cancel)", occs)
	}
	// Another room on Wednesday, then restore.
	wantStatus(t, "room", c.post("/programme/"+id+"/exception",
		url.Values{"date": {"2026-11-25"}, "do": {"room"}, "room": {"Zaal 2"}}), http.StatusSeeOther)
	if occs, _ := ps.Day(context.Background(), programme.NewDate(2026, 11, 25)); len(occs) != 1 || occs[0].Room != "Zaal 2" {
		t.Errorf("Wednesday = %+v, want in Zaal 2", occs)
	}
	wantStatus(t, "bad time", c.post("/programme/"+id+"/exception",
		url.Values{"date": {"2026-11-25"}, "do": {"time"}, "start": {"16:00"}, "end": {"15:00"}}), http.StatusUnprocessableEntity)
	wantStatus(t, "restore", c.post("/programme/"+id+"/exception",
		url.Values{"date": {"2026-11-23"}, "do": {"restore"}}), http.StatusSeeOther)
	if occs, _ := ps.Day(context.Background(), programme.NewDate(2026, 11, 23)); len(occs) != 1 || occs[0].Cancelled {
		t.Errorf("Monday after restore = %+v, want not cancelled", occs)
	}
	log, _ := e.as.AuditLog(context.Background(), 10)
	if len(log) < 4 || log[0].Action != "exception_deleted" || log[1].Action != "exception_set" {
		t.Errorf("audit log = %+v", log)
	}
}

const importICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//NL\r\n" +
	"BEGIN:VEVENT\r\nUID:koffie@test\r\nSUMMARY:Koffieochtend\r\nCATEGORIES:ontmoeten\r\nLOCATION:Zaal 1\r\n" +
	"DTSTART;TZID=Europe/Amsterdam:20261124T100000\r\nDTEND;TZID=Europe/Amsterdam:20261124T113000\r\n" +
	"RRULE:FREQ=WEEKLY;BYDAY=TU\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

// upload posts a multipart form as the import page does.
func (c *client) upload(path string, fields map[string]string, file string) result {
	c.t.Helper()
	if file == "" {
		return c.postFile(path, fields, "", "", nil)
	}
	return c.postFile(path, fields, "file", "agenda.ics", []byte(file))
}

// postFile posts fields and, unless field is "", a file in it, as a
// browser sends a form with a file field.
func (c *client) postFile(path string, fields map[string]string, field, name string, content []byte) result {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if field != "" {
		fw, err := mw.CreateFormFile(field, name)
		if err != nil {
			c.t.Fatal(err)
		}
		fw.Write(content)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.base+path, &body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindSubmatch(b); m != nil {
		c.csrf = html.UnescapeString(string(m[1]))
	}
	return result{status: resp.StatusCode, body: string(b), header: resp.Header}
}

func dataField(body string) string {
	_, rest, ok := strings.Cut(body, `name="data" value="`)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, `"`)
	return html.UnescapeString(v)
}

func TestProgrammeImport(t *testing.T) {
	e, ps := newProgrammeEnv(t)
	c := e.staff()
	wantStatus(t, "GET import", c.get("/programme/import"), http.StatusOK)

	bad := c.upload("/programme/import", nil, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Kapot\r\n")
	wantStatus(t, "malformed", bad, http.StatusUnprocessableEntity)
	if !strings.Contains(bad.body, "er is niets veranderd") {
		t.Errorf("malformed file: no refusal shown:\n%s", bad.body)
	}

	preview := c.upload("/programme/import", nil, importICS)
	wantStatus(t, "preview", preview, http.StatusOK)
	if !strings.Contains(preview.body, "Voorbeeld") || !strings.Contains(preview.body, "Nieuw: 1") {
		t.Errorf("preview lacks the report:\n%s", preview.body)
	}
	if acts, _ := ps.Activities(context.Background()); len(acts) != 0 {
		t.Fatalf("preview stored %d activities, want 0", len(acts))
	}
	data := dataField(preview.body)
	if data == "" {
		t.Fatal("preview has no data to confirm")
	}
	done := c.upload("/programme/import", map[string]string{"apply": "1", "name": "agenda.ics", "data": data}, "")
	wantStatus(t, "apply", done, http.StatusOK)
	if !strings.Contains(done.body, "Het programma is bijgewerkt.") || !strings.Contains(done.body, "Nieuw: 1") {
		t.Errorf("apply page lacks the report:\n%s", done.body)
	}
	acts, _ := ps.Activities(context.Background())
	if len(acts) != 1 || acts[0].Title != "Koffieochtend" {
		t.Errorf("after apply: %+v, want Koffieochtend", acts)
	}
	log, _ := e.as.AuditLog(context.Background(), 1)
	if len(log) != 1 || log[0].Action != "programme_imported" {
		t.Errorf("audit log = %+v, want programme_imported", log)
	}

	// Edited on the web, it stays the import's.
	a := acts[0]
	src := a.Source
	f := weeklyForm()
	f.Set("title", "Koffie met de buren")
	wantStatus(t, "edit imported", c.post("/programme/"+itoa(a.ID), f), http.StatusSeeOther)
	if a, _ = ps.Activity(context.Background(), a.ID); a.Source != src || src == "" {
		t.Errorf("source after edit = %q, want %q", a.Source, src)
	}

}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// The preview of an upload only reads: it shows its report while another
// writer (another process's long write) holds the database's write lock,
// where it used to wait for it and answer 500. Confirming then waits its
// turn as any write does.
func TestProgrammeImportPreviewWhileLocked(t *testing.T) {
	e, _ := newProgrammeEnv(t)
	c := e.staff()
	wantStatus(t, "GET import", c.get("/programme/import"), http.StatusOK)

	ctx := context.Background()
	other, err := sql.Open("sqlite", "file:"+e.db.Path()+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lock, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if _, err := lock.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	preview := c.upload("/programme/import", nil, importICS)
	lock.ExecContext(ctx, `ROLLBACK`)
	wantStatus(t, "preview under another's write lock", preview, http.StatusOK)
	if !strings.Contains(preview.body, "Nieuw: 1") {
		t.Errorf("preview lacks the report:\n%s", preview.body)
	}
}

// Staff give an activity's title and description in other languages on
// its form, folded under "Andere talen"; they are stored and shown again;
// a description in Turkish without a Dutch one is refused with a message.
func TestProgrammeTitlesInOtherLanguages(t *testing.T) {
	e, ps := newProgrammeEnv(t)
	c := e.staff()
	form := c.get("/programme/new")
	if !strings.Contains(form.body, "Andere talen") || !strings.Contains(form.body, `name="title-tr"`) || !strings.Contains(form.body, `name="description-ar"`) {
		t.Fatalf("the form has no fields for other languages:\n%s", form.body)
	}
	f := weeklyForm()
	f.Set("title-tr", "Yürüyüş grubu")
	f.Set("title-ar", "مجموعة المشي")
	f.Set("description", "We lopen een uur door het park.")
	f.Set("description-tr", "Parkta bir saat yürüyoruz.")
	r := c.post("/programme/new", f)
	wantStatus(t, "POST /programme/new", r, http.StatusSeeOther)
	acts, _ := ps.Activities(context.Background())
	if len(acts) != 1 || acts[0].TitleIn("tr") != "Yürüyüş grubu" || acts[0].TitleIn("ar") != "مجموعة المشي" ||
		acts[0].DescriptionIn("tr") != "Parkta bir saat yürüyoruz." || acts[0].TitleIn("pl") != "Wandelgroep" {
		t.Fatalf("stored %+v", acts)
	}
	if edit := c.get(r.location()); !strings.Contains(edit.body, `value="Yürüyüş grubu"`) {
		t.Errorf("the edit form does not show the Turkish title")
	}
	f = weeklyForm()
	f.Set("description-tr", "Parkta bir saat yürüyoruz.")
	bad := c.post("/programme/new", f)
	wantStatus(t, "POST a Turkish description without a Dutch one", bad, http.StatusUnprocessableEntity)
	if !strings.Contains(bad.body, "Geef dit ook in het Nederlands") || !strings.Contains(bad.body, `value="Wandelgroep"`) || !strings.Contains(bad.body, "Parkta bir saat") {
		t.Errorf("the refused form lost what was typed:\n%s", bad.body)
	}
}
