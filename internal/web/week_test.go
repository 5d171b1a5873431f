package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"buurtbalie/assets"
	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/web"
	"buurtbalie/internal/web/webdriver"
)

// weekEnv is the programme pages on a real SQLite file, their clock on
// Wednesday 2 December 2026, 10:30 in the house, with Koffie-ochtend on
// Tuesdays and Thursdays 14:00–15:30: Tuesday's is over, Thursday's is
// still to come. It returns a logged-in staff member and the activity.
func weekEnv(t *testing.T) (*env, *sqlite.ProgrammeService, *client, string) {
	t.Helper()
	e, ps := newProgrammeEnv(t)
	e.clock.Add(9 * 24 * time.Hour) // from Monday 23 November, 9:30 UTC
	c := e.staff()
	c.get("/programme/new")
	f := weeklyForm()
	f.Set("title", "Koffie-ochtend")
	f.Set("room", "Huiskamer")
	f["weekdays"] = []string{"2", "4"}
	wantStatus(t, "add Koffie-ochtend", c.post("/programme/new", f), http.StatusSeeOther)
	acts, err := ps.Activities(context.Background())
	if err != nil || len(acts) != 1 {
		t.Fatalf("activities %+v, %v", acts, err)
	}
	return e, ps, c, strconv.FormatInt(acts[0].ID, 10)
}

// day is the part of the week page about one date.
func day(t *testing.T, body, date string) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, `id="d-`+date+`"`)
	if !ok {
		t.Fatalf("the week page has no day %s:\n%s", date, body)
	}
	if i := strings.Index(rest, `id="d-`); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.Index(rest, "</ol>"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// A cancel lands back on the day it changed, which says so; the line is
// struck through with "gaat niet door" and the reason; "Gaat toch door"
// undoes it. The button says what it does, the state what it is.
func TestWeekCancelLandsOnTheDay(t *testing.T) {
	_, ps, c, id := weekEnv(t)
	wantStatus(t, "note", c.post("/programme/"+id+"/exception",
		url.Values{"date": {"2026-12-03"}, "do": {"note"}, "note": {"De vrijwilligers zijn op cursus."}}), http.StatusSeeOther)
	week := c.get("/programme")
	thursday := day(t, week.body, "2026-12-03")
	if !strings.Contains(thursday, ">Gaat niet door</button>") || strings.Contains(week.body, "Vervalt") {
		t.Errorf("Thursday's cancel button does not say \"Gaat niet door\":\n%s", thursday)
	}

	r := c.post("/programme/"+id+"/exception", url.Values{"date": {"2026-12-03"}, "do": {"cancel"}})
	wantStatus(t, "cancel Thursday", r, http.StatusSeeOther)
	loc := r.location()
	if !strings.HasPrefix(loc, "/programme?week=2026-W49&") || !strings.HasSuffix(loc, "#d-2026-12-03") {
		t.Errorf("cancel lands on %q, want the week 2026-W49 at #d-2026-12-03", loc)
	}
	week = c.get(loc)
	wantStatus(t, "week after cancel", week, http.StatusOK)
	thursday = html.UnescapeString(day(t, week.body, "2026-12-03"))
	for _, want := range []string{
		`<p class="notice" role="status">Koffie-ochtend op donderdag 3 december gaat niet door.</p>`,
		`class="occ occ-cancelled"`,
		`<s class="occ-main"><span class="occ-time">14:00<span class="occ-until">–15:30</span></span> <span class="occ-title">Koffie-ochtend</span>`,
		`<span class="occ-state">gaat niet door</span>`,
		`De vrijwilligers zijn op cursus.`,
		`>Gaat toch door</button>`,
	} {
		if !strings.Contains(thursday, want) {
			t.Errorf("Thursday after the cancel lacks %s:\n%s", want, thursday)
		}
	}
	if strings.Contains(thursday, ">Gaat niet door</button>") {
		t.Error("a cancelled occurrence still offers \"Gaat niet door\"")
	}
	if strings.Count(week.body, `class="notice"`) != 1 {
		t.Errorf("the notice is not shown once, on Thursday:\n%s", week.body)
	}
	if occs, _ := ps.Day(context.Background(), programme.NewDate(2026, 12, 3)); len(occs) != 1 || !occs[0].Cancelled {
		t.Errorf("Thursday = %+v, want cancelled", occs)
	}

	// Gaat toch door: back as usual, on the same day.
	r = c.post("/programme/"+id+"/exception", url.Values{"date": {"2026-12-03"}, "do": {"restore"}})
	wantStatus(t, "restore Thursday", r, http.StatusSeeOther)
	if !strings.HasSuffix(r.location(), "#d-2026-12-03") {
		t.Errorf("restore lands on %q", r.location())
	}
	if body := c.get(r.location()).body; !strings.Contains(body, "Koffie-ochtend op donderdag 3 december gaat toch door, zoals gewoonlijk.") {
		t.Errorf("no notice after \"Gaat toch door\":\n%s", day(t, body, "2026-12-03"))
	}
	if occs, _ := ps.Day(context.Background(), programme.NewDate(2026, 12, 3)); len(occs) != 1 || occs[0].Cancelled {
		t.Errorf("Thursday after restore = %+v, want as usual", occs)
	}
}

// What is over offers no change, and the server refuses one anyway, in
// words, when a form from a page left open (or forged) asks for it.
func TestWeekNoChangeToWhatIsOver(t *testing.T) {
	e, ps, c, id := weekEnv(t)
	week := c.get("/programme")
	tuesday := day(t, week.body, "2026-12-01")
	if !strings.Contains(tuesday, "Koffie-ochtend") || !strings.Contains(tuesday, "afgelopen") {
		t.Errorf("Tuesday does not show Koffie-ochtend as over:\n%s", tuesday)
	}
	if strings.Contains(tuesday, "<form") || strings.Contains(tuesday, "<details") {
		t.Errorf("Tuesday's Koffie-ochtend, which is over, offers changes:\n%s", tuesday)
	}
	before, _ := e.as.AuditLog(context.Background(), 100)
	for _, do := range []url.Values{
		{"do": {"cancel"}},
		{"do": {"room"}, "room": {"Zaal 2"}},
		{"do": {"note"}, "note": {"Later"}},
	} {
		do.Set("date", "2026-12-01")
		r := c.post("/programme/"+id+"/exception", do)
		wantStatus(t, "forged "+do.Get("do")+" of Tuesday", r, http.StatusConflict)
		body := html.UnescapeString(r.body)
		if !strings.Contains(body, "Koffie-ochtend op dinsdag 1 december was om 15:30 afgelopen. Wat voorbij is, kunt u niet meer afzeggen of veranderen.") {
			t.Errorf("the refusal does not say why:\n%s", body)
		}
		if !strings.Contains(body, `href="/programme?week=2026-W49#d-2026-12-01"`) || strings.Contains(body, "bonnetje") {
			t.Errorf("the refusal is not the staff page with a way back:\n%s", body)
		}
	}
	if occs, _ := ps.Day(context.Background(), programme.NewDate(2026, 12, 1)); len(occs) != 1 || occs[0].Cancelled || occs[0].Moved || occs[0].Note != "" {
		t.Errorf("Tuesday = %+v, want unchanged", occs)
	}
	if after, _ := e.as.AuditLog(context.Background(), 100); len(after) != len(before) {
		t.Errorf("refused changes were logged: %+v", after[:len(after)-len(before)])
	}
	// Running now still takes a change: at 14:30 on Thursday.
	e.clock.Add(24*time.Hour + 4*time.Hour)
	wantStatus(t, "cancel while running", c.post("/programme/"+id+"/exception",
		url.Values{"date": {"2026-12-03"}, "do": {"cancel"}}), http.StatusSeeOther)
}

// ?week= takes an ISO week (2026-W50), as the page's own links write it,
// and a date in the week, as older links did; anything else gets the
// staff error page, saying what was wrong and how to put it right.
func TestWeekParam(t *testing.T) {
	e, _ := newProgrammeEnv(t) // Monday 23 November 2026: week 48
	c := e.staff()
	for _, tt := range []struct{ week, monday, label string }{
		{"2026-W50", "2026-12-07", "Week 50: maandag 7 december – zondag 13 december"},
		{"2026w50", "2026-12-07", "Week 50"},
		{"2026-12-09", "2026-12-07", "Week 50"},
		{"2026-W53", "2026-12-28", "Week 53: maandag 28 december – zondag 3 januari"},
		{"2027-W01", "2027-01-04", "Week 1: maandag 4 januari"},
		{"2026-W01", "2025-12-29", "Week 1: maandag 29 december"},
	} {
		r := c.get("/programme?week=" + url.QueryEscape(tt.week))
		wantStatus(t, "week "+tt.week, r, http.StatusOK)
		if !strings.Contains(r.body, `id="d-`+tt.monday+`"`) || !strings.Contains(r.body, tt.label) {
			t.Errorf("week %s does not start on %s with %q", tt.week, tt.monday, tt.label)
		}
	}
	if r := c.get("/programme?week=2026-W50"); !strings.Contains(r.body, `href="/programme?week=2026-W49"`) || !strings.Contains(r.body, `href="/programme?week=2026-W51"`) {
		t.Errorf("the pager does not link the ISO weeks around 2026-W50")
	}
	for _, tt := range []struct{ week, want string }{
		{"2026-W54", "De week '2026-W54' bestaat niet: 2026 heeft 53 weken. Kies een week uit de lijst, of gebruik de vorm 2026-W48."},
		{"2027-W53", "De week '2027-W53' bestaat niet: 2027 heeft 52 weken."},
		{"2026-W00", "De week '2026-W00' bestaat niet"},
		{"week 50", "'week 50' is geen week. Kies een week uit de lijst, of gebruik de vorm 2026-W48."},
		{"2026-02-30", "De datum '2026-02-30' bestaat niet."},
		{"<b>", "'<b>' is geen week."},
	} {
		r := c.get("/programme?week=" + url.QueryEscape(tt.week))
		wantStatus(t, "week "+tt.week, r, http.StatusBadRequest)
		body := html.UnescapeString(r.body)
		if !strings.Contains(body, tt.want) {
			t.Errorf("week %s: the page lacks %q:\n%s", tt.week, tt.want, body)
		}
		if strings.Contains(body, "bonnetje") || !strings.Contains(body, `href="/programme?week=2026-W48"`) || !strings.Contains(body, `href="/programme?week=2026-W49"`) {
			t.Errorf("week %s: not the staff page with weeks to choose:\n%s", tt.week, body)
		}
	}
	if r := c.get("/programme?week=" + url.QueryEscape("<b>")); strings.Contains(r.body, "<b>") {
		t.Error("the bad week is not escaped")
	}
}

// Logged in, a page that is not there gets the staff error page; the
// visitor's 404 ("scan het bonnetje") stays for visitors and for a
// slip's own pages.
func TestStaffNotFound(t *testing.T) {
	e, _ := newProgrammeEnv(t)
	staffPage := "Deze pagina bestaat niet"
	visitorPage := "Scan het bonnetje nog een keer"
	for _, tt := range []struct {
		who, path, want string
	}{
		{"staff", "/programme/nope/more", staffPage},
		{"staff", "/programme/99999", staffPage},
		{"staff", "/weekoverzicht", staffPage},
		{"volunteer", "/weekoverzicht", staffPage},
		{"volunteer", "/s/AAAAAAAAAAAAAAAAAAAAAAAA", visitorPage},
		{"staff", "/s/x", visitorPage},
		{"visitor", "/weekoverzicht", visitorPage},
	} {
		var c *client
		switch tt.who {
		case "staff":
			c = e.staff()
		case "volunteer":
			c = e.volunteer()
		default:
			c = e.client()
		}
		r := c.get(tt.path)
		wantStatus(t, tt.who+" "+tt.path, r, http.StatusNotFound)
		if !strings.Contains(r.body, tt.want) {
			t.Errorf("%s %s: the page lacks %q:\n%s", tt.who, tt.path, tt.want, r.body)
		}
		if tt.want == staffPage && (strings.Contains(r.body, visitorPage) || !strings.Contains(r.body, tt.path)) {
			t.Errorf("%s %s: the staff page does not say which page:\n%s", tt.who, tt.path, r.body)
		}
	}
}

// The week in a real headless Chromium at a phone's size, on the demo
// programme: no list markers, one line per occurrence (with its note
// below it), nothing wider than the screen; a cancel through the page
// lands on its day with the notice. BUURTBALIE_WEB_SHOTS=dir keeps a
// screenshot.
func TestWeekInChromium(t *testing.T) {
	ctx := context.Background()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, time.December, 2, 11, 0, 0, 0, loc) // a Wednesday
	clk := func() time.Time { return now }
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Location, db.Now = loc, clk
	prog := sqlite.NewProgrammeService(db)
	if _, err := prog.SeedDemo(ctx, programme.DateOf(now)); err != nil {
		t.Fatal(err)
	}
	cat, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	accounts := sqlite.NewAccountService(db)
	if _, err := accounts.CreateUser(ctx, "Fatima", account.Staff, e2ePassword); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(web.Config{Now: clk, Location: loc, Programme: prog}, sqlite.NewQuestionService(db), accounts,
		account.NewThrottle(), cat, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler())
	t.Cleanup(srv.Close)

	b := webdriver.Start(t)
	b.Resize(t, 390, 844)
	(&endToEnd{srv: srv}).logIn(t, b, "Fatima", "/programme")
	b.WaitFind(t, "#d-2026-12-03")
	// measure writes what the page measures into #measured, to read.
	measure := func() string {
		b.Run(t, `document.getElementById("measured")?.remove();
			const lines = [...document.querySelectorAll(".occ-line")].filter(l => !l.querySelector(".occ-note"));
			const tallest = Math.max(...lines.map(l => l.getBoundingClientRect().height));
			const markers = [...document.querySelectorAll(".week li")].filter(li => getComputedStyle(li).listStyleType !== "none").length;
			const wide = document.documentElement.scrollWidth > document.documentElement.clientWidth;
			const p = document.createElement("p"); p.id = "measured";
			p.textContent = [document.documentElement.scrollHeight, Math.round(tallest), markers, wide].join(" ");
			document.body.appendChild(p);`)
		return b.Text(t, "#measured")
	}
	check := func(when string) int {
		f := strings.Fields(measure())
		if len(f) != 4 {
			t.Fatalf("%s: measured %q", when, f)
		}
		height, _ := strconv.Atoi(f[0])
		tallest, _ := strconv.Atoi(f[1])
		t.Logf("%s: the page is %d px tall; the tallest line without a note is %d px", when, height, tallest)
		if tallest > 60 {
			t.Errorf("%s: a line of the week is %d px tall: more than one line", when, tallest)
		}
		if f[2] != "0" {
			t.Errorf("%s: %s list items of the week show a marker", when, f[2])
		}
		if f[3] != "false" {
			t.Errorf("%s: the week is wider than the phone", when)
		}
		return height
	}
	if h := check("before the change"); h > 4000 {
		t.Errorf("the week is %d px tall at a phone's size", h)
	}

	// Thursday's first occurrence: open its changes, "Gaat niet door".
	occ := "#d-2026-12-03 li.occ:not(.occ-cancelled)"
	title := b.Text(t, occ+" .occ-title")
	b.Click(t, occ+" summary")
	b.Click(t, occ+" details[open] form button")
	b.WaitURL(t, func(u string) bool { return strings.HasSuffix(u, "#d-2026-12-03") })
	b.WaitText(t, "#d-2026-12-03 .notice", title+" op donderdag 3 december gaat niet door.")
	b.WaitText(t, "#d-2026-12-03 li.occ-cancelled", title)
	check("after the change")
	if dir := os.Getenv("BUURTBALIE_WEB_SHOTS"); dir != "" {
		b.Screenshot(t, filepath.Join(dir, "7-week-phone.png"))
	}
	b.Resize(t, 1280, 900)
	b.Get(t, srv.URL+"/programme")
	b.WaitFind(t, "#d-2026-12-03")
	check("at 1280 px wide")
	if dir := os.Getenv("BUURTBALIE_WEB_SHOTS"); dir != "" {
		b.Screenshot(t, filepath.Join(dir, "7-week-desktop.png"))
	}
}
