package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"buurtbalie/assets"
	"buurtbalie/internal/house"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/speech"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/web"
)

// settingsEnv is newEnv with the settings pages served over the real
// stores, the house configured as the config file would.
type settingsEnv struct {
	*env
	house *sqlite.HouseService
	prog  *sqlite.ProgrammeService
}

var configured = house.House{Name: "Buurthuis De Linde", Hours: []string{"Ma t/m vr 9:30 – 16:00"},
	Emergency: []string{"112 bij levensgevaar"}, Language: "nl"}

func newSettingsEnv(t testing.TB) *settingsEnv {
	t.Helper()
	e := newEnv(t)
	se := &settingsEnv{env: e, house: sqlite.NewHouseService(e.db, configured), prog: sqlite.NewProgrammeService(e.db)}
	if err := se.prog.SaveCategory(context.Background(), programme.Category{Key: "eten", Icon: "eten"}); err != nil {
		t.Fatal(err)
	}
	e.srv.Close()
	e.handler = web.New(web.Config{Now: e.clock.Now, Settings: &web.Settings{
		House: se.house, Categories: se.prog, Topics: e.qs, Partners: e.qs, Pictograms: assets.Icons,
		Corrections: sqlite.NewCorrectionService(e.db),
		Voices:      houseVoices{sqlite.NewRecordingService(e.db), speech.Converter{}},
	}}, e.qs, e.as, e.throttle, e.cat, nil).Handler()
	e.srv = httptest.NewServer(e.handler)
	t.Cleanup(e.srv.Close)
	return se
}

func houseForm(name, hours, emergency, lang string) url.Values {
	return url.Values{"name": {name}, "hours": {hours}, "emergency": {emergency}, "language": {lang}}
}

func TestSettingsStaffOnly(t *testing.T) {
	e := newSettingsEnv(t)
	v := e.volunteer()
	for _, path := range []string{"/settings", "/settings/category/new", "/settings/topic/geld", "/settings/partner/new"} {
		wantStatus(t, "GET "+path+" as volunteer", v.get(path), http.StatusForbidden)
	}
	wantStatus(t, "POST /settings/house as volunteer", v.post("/settings/house", houseForm("X", "", "", "nl")), http.StatusForbidden)
	if h, _ := e.house.House(context.Background()); h.Name != configured.Name {
		t.Errorf("a volunteer changed the house's name to %q", h.Name)
	}
	if strings.Contains(v.get("/queue").body, `href="/settings"`) {
		t.Error("volunteer's menu links to the settings")
	}
	// Without Settings the pages are not there.
	plain := newEnv(t)
	wantStatus(t, "GET /settings without Settings", plain.staff().get("/settings"), http.StatusNotFound)
	wantStatus(t, "GET /pictogram without Settings", plain.staff().get("/pictogram/eten.svg"), http.StatusNotFound)
}

func TestSettingsHouse(t *testing.T) {
	e := newSettingsEnv(t)
	c := e.staff()
	page := c.get("/settings")
	wantStatus(t, "GET /settings", page, http.StatusOK)
	if !strings.Contains(page.body, `value="Buurthuis De Linde"`) || !strings.Contains(page.body, "112 bij levensgevaar") {
		t.Fatalf("the settings page does not show the configured house:\n%s", page.body)
	}

	r := c.post("/settings/house", houseForm("  Huis van de Wijk  De Eik ", "Ma 9–12\n\n  Wo 13–16 ", "112\r\nHuisartsenpost 088-1234567", "en"))
	wantStatus(t, "POST /settings/house", r, http.StatusSeeOther)
	h, err := e.house.House(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := house.House{Name: "Huis van de Wijk De Eik", Hours: []string{"Ma 9–12", "Wo 13–16"},
		Emergency: []string{"112", "Huisartsenpost 088-1234567"}, Language: "en"}
	if h.Name != want.Name || strings.Join(h.Hours, "|") != strings.Join(want.Hours, "|") ||
		strings.Join(h.Emergency, "|") != strings.Join(want.Emergency, "|") || h.Language != want.Language {
		t.Errorf("stored %+v, want %+v", h, want)
	}
	if done := c.get(r.location()); !strings.Contains(done.body, "Opgeslagen") {
		t.Errorf("after saving the page does not say it is saved:\n%s", done.body)
	}
	log, _ := e.as.AuditLog(context.Background(), 1)
	if len(log) != 1 || log[0].Action != "house_saved" || log[0].Actor != staff {
		t.Errorf("audit log starts %+v, want house_saved by %s", log, staff)
	}
}

func TestSettingsHouseRefused(t *testing.T) {
	e := newSettingsEnv(t)
	c := e.staff()
	long := strings.Repeat("x", house.MaxLine+1)
	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"no name", houseForm("  ", "Ma 9–12", "112", "nl"), "Geef de naam van het huis"},
		{"long line", houseForm("De Eik", long, "112", "nl"), "Een regel is te lang voor het bonnetje"},
		{"many lines", houseForm("De Eik", "1\n2\n3\n4\n5\n6\n7", "112", "nl"), "te veel regels"},
		{"unknown language", houseForm("De Eik", "Ma 9–12", "112", "xx"), "Kies een taal uit de lijst"},
	} {
		r := c.post("/settings/house", tc.form)
		wantStatus(t, tc.name, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, tc.want) {
			t.Errorf("%s: page does not say %q:\n%s", tc.name, tc.want, r.body)
		}
		// What staff typed stays in the form.
		if tc.name == "long line" && !strings.Contains(r.body, long) {
			t.Errorf("%s: the typed hours are gone from the form", tc.name)
		}
	}
	if h, _ := e.house.House(context.Background()); h.Name != configured.Name || h.Language != "nl" {
		t.Errorf("a refused form changed the house: %+v", h)
	}
}

func TestSettingsCategories(t *testing.T) {
	e := newSettingsEnv(t)
	c := e.staff()
	ctx := context.Background()
	wantStatus(t, "GET new category", c.get("/settings/category/new"), http.StatusOK)

	// A new category gets its key from its Dutch name.
	form := url.Values{"key": {""}, "icon": {"creatief"}, "name-nl": {"Koken & Bakken"}, "name-en": {"Cooking"}}
	wantStatus(t, "POST new category", c.post("/settings/category", form), http.StatusSeeOther)
	wantStatus(t, "POST the same name again", c.post("/settings/category", form), http.StatusSeeOther)
	cats, err := e.prog.Categories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, cat := range cats {
		keys = append(keys, cat.Key)
	}
	if got := strings.Join(keys, " "); got != "eten koken-bakken koken-bakken-2" {
		t.Errorf("categories %q, want eten koken-bakken koken-bakken-2", got)
	}

	// A built-in category may be renamed, and keeps its place.
	wantStatus(t, "GET eten", c.get("/settings/category/eten"), http.StatusOK)
	wantStatus(t, "POST eten", c.post("/settings/category", url.Values{"key": {"eten"}, "icon": {"eten"}, "name-nl": {"Koffie & eten"}}), http.StatusSeeOther)
	if page := c.get("/settings"); !strings.Contains(page.body, "Koffie &amp; eten") {
		t.Errorf("the renamed category is not on the settings page:\n%s", page.body)
	}

	// Refused: no Dutch name for a new one, an unknown pictogram.
	r := c.post("/settings/category", url.Values{"icon": {"eten"}, "name-en": {"Only English"}})
	wantStatus(t, "POST without a Dutch name", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.body, "Geef een naam in het Nederlands") || !strings.Contains(r.body, `value="Only English"`) {
		t.Errorf("refusal does not explain or lost the typed name:\n%s", r.body)
	}
	r = c.post("/settings/category", url.Values{"key": {"eten"}, "icon": {"../../etc/passwd"}})
	wantStatus(t, "POST unknown pictogram", r, http.StatusUnprocessableEntity)
	wantStatus(t, "GET unknown category", c.get("/settings/category/nope"), http.StatusNotFound)

	// A category with activities cannot go; an empty one can.
	a := programme.Activity{Title: "Soep", Category: "koken-bakken", Start: programme.Clock(12, 0), End: programme.Clock(13, 0),
		Schedule: programme.Schedule{Kind: programme.Once, Date: programme.Date{Year: 2026, Month: 11, Day: 23}}}
	if err := e.prog.CreateActivity(ctx, &a); err != nil {
		t.Fatal(err)
	}
	r = c.post("/settings/category/koken-bakken/delete", url.Values{})
	wantStatus(t, "delete a category in use", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.body, "Geef ze eerst een andere soort") {
		t.Errorf("refusal does not explain:\n%s", r.body)
	}
	wantStatus(t, "delete an empty category", c.post("/settings/category/koken-bakken-2/delete", url.Values{}), http.StatusSeeOther)
	if cats, _ := e.prog.Categories(ctx); len(cats) != 2 {
		t.Errorf("%d categories after delete, want 2", len(cats))
	}
}

func TestSettingsTopics(t *testing.T) {
	e := newSettingsEnv(t)
	c := e.staff()
	ctx := context.Background()
	e.ask("", question.Waiting) // a question under "geld", which hiding must keep

	wantStatus(t, "POST new topic", c.post("/settings/topic", url.Values{"icon": {"phone"}, "name-nl": {"Telefoon & computer"}}), http.StatusSeeOther)
	wantStatus(t, "hide geld", c.post("/settings/topic/geld/hidden", url.Values{"hidden": {"1"}}), http.StatusSeeOther)
	wantStatus(t, "hide an unknown topic", c.post("/settings/topic/nope/hidden", url.Values{"hidden": {"1"}}), http.StatusNotFound)
	topics, err := e.qs.Topics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var hidden, added bool
	for _, tp := range topics {
		hidden = hidden || tp.Key == "geld" && tp.Hidden
		added = added || tp.Key == "telefoon-computer" && tp.Names["nl"] == "Telefoon & computer" && tp.Icon == "phone"
	}
	if !hidden || !added {
		t.Errorf("topics %+v: want geld hidden and telefoon-computer added", topics)
	}
	// Renaming a hidden topic keeps it hidden.
	wantStatus(t, "rename geld", c.post("/settings/topic", url.Values{"key": {"geld"}, "icon": {"geld"}, "name-nl": {"Geldzaken"}}), http.StatusSeeOther)
	topics, _ = e.qs.Topics(ctx)
	for _, tp := range topics {
		if tp.Key == "geld" && (!tp.Hidden || tp.Names["nl"] != "Geldzaken") {
			t.Errorf("geld after renaming: %+v", tp)
		}
	}
	if page := c.get("/settings"); !strings.Contains(page.body, "Weer tonen") {
		t.Errorf("a hidden topic does not offer to show it again:\n%s", page.body)
	}
}

func TestSettingsPartners(t *testing.T) {
	e := newSettingsEnv(t)
	c := e.staff()
	ctx := context.Background()
	form := url.Values{"name": {"Voedselbank"}, "helps": {"Eten als het geld op is."}, "contact": {"Di 14–16, Kerkstraat 3"}}
	wantStatus(t, "POST new partner", c.post("/settings/partner", form), http.StatusSeeOther)
	r := c.post("/settings/partner", form)
	wantStatus(t, "POST the same name", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.body, "Er is al een partner met deze naam") {
		t.Errorf("refusal does not explain:\n%s", r.body)
	}
	r = c.post("/settings/partner", url.Values{"name": {""}, "helps": {"iets"}})
	wantStatus(t, "POST without a name", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.body, "Geef de partner een naam") || !strings.Contains(r.body, ">iets<") {
		t.Errorf("refusal does not explain or lost the typed text:\n%s", r.body)
	}
	ps, err := e.qs.Partners(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var food question.Partner
	for _, p := range ps {
		if p.Name == "Voedselbank" {
			food = p
		}
	}
	if food.ID == 0 || food.Contact != "Di 14–16, Kerkstraat 3" {
		t.Fatalf("partners %+v: no Voedselbank", ps)
	}
	id := itoa(food.ID)
	wantStatus(t, "GET partner", c.get("/settings/partner/"+id), http.StatusOK)
	wantStatus(t, "hide partner", c.post("/settings/partner/"+id+"/hidden", url.Values{"hidden": {"1"}}), http.StatusSeeOther)
	wantStatus(t, "hide unknown partner", c.post("/settings/partner/99999/hidden", url.Values{"hidden": {"1"}}), http.StatusNotFound)

	// A hidden partner is not offered to volunteers for a referral.
	q := e.ask("", question.Waiting)
	slip := e.volunteer().get("/s/" + q.Token + "?step=refer")
	if strings.Contains(slip.body, "Voedselbank") {
		t.Error("the referral list offers a hidden partner")
	}
	if !strings.Contains(slip.body, "Buurtteam") {
		t.Error("the referral list lost the partners that are not hidden")
	}
}

func TestPictogram(t *testing.T) {
	e := newSettingsEnv(t)
	c := e.staff()
	r := c.get("/pictogram/eten.svg")
	wantStatus(t, "GET /pictogram/eten.svg", r, http.StatusOK)
	if r.header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(r.body, "<svg") {
		t.Errorf("pictogram: %s %q", r.header.Get("Content-Type"), r.body[:min(len(r.body), 80)])
	}
	for _, name := range programme.Pictograms {
		wantStatus(t, "GET pictogram "+name, c.get("/pictogram/"+name+".svg"), http.StatusOK)
	}
	// Only the pictograms, nothing else of the folder.
	wantStatus(t, "GET another icon", c.get("/pictogram/backspace.svg"), http.StatusNotFound)
}

// hoursForm is the week form with every day closed, then changed.
func hoursForm(change map[string]string) url.Values {
	f := url.Values{"closure-count": {"1"}}
	for d := range 7 {
		f.Set("closed-"+itoa(int64(d)), "1")
	}
	for k, v := range change {
		if v == "" {
			f.Del(k)
			continue
		}
		f.Set(k, v)
	}
	return f
}

func TestSettingsHours(t *testing.T) {
	e := newSettingsEnv(t)
	c := e.staff()
	ctx := context.Background()

	// Before staff fill it in, the page shows what the kiosk read of the
	// configured text, to save as it is.
	page := c.get("/settings")
	wantStatus(t, "GET /settings", page, http.StatusOK)
	if !strings.Contains(page.body, `action="/settings/hours"`) || !strings.Contains(page.body, "De kiosk leest daaruit deze tijden") ||
		!strings.Contains(page.body, `name="from-1-1" type="text" value="09:30"`) {
		t.Fatalf("the settings page does not offer the hours read from the text:\n%s", page.body)
	}

	// Tuesday and Thursday afternoon, Thursday evening too; closed at
	// Christmas.
	r := c.post("/settings/hours", hoursForm(map[string]string{
		"closed-2": "", "from-2-1": "13:00", "to-2-1": "17:00",
		"closed-4": "", "from-4-1": "13:00", "to-4-1": "17:00", "from-4-2": "19:00", "to-4-2": "21:30",
		"closure-from-0": "2026-12-24", "closure-to-0": "2027-01-01", "closure-reason-0": "Kerst",
		"note": "Of bel 020-1234567.",
	}))
	wantStatus(t, "POST /settings/hours", r, http.StatusSeeOther)
	h, err := e.house.House(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v := h.Volunteers
	thursday := []house.Period{{From: programme.Clock(13, 0), To: programme.Clock(17, 0)}, {From: programme.Clock(19, 0), To: programme.Clock(21, 30)}}
	if v.Origin != house.OriginForm || len(v.Week[time.Tuesday]) != 1 || !reflect.DeepEqual(v.Week[time.Thursday], thursday) ||
		len(v.Week[time.Monday]) != 0 || len(v.Closures) != 1 || v.Closures[0].Reason != "Kerst" || v.Note != "Of bel 020-1234567." {
		t.Fatalf("stored %+v", v)
	}
	if done := c.get(r.location()); !strings.Contains(done.body, "De tijden zijn opgeslagen") ||
		!strings.Contains(done.body, `value="Kerst"`) || !strings.Contains(done.body, `value="21:30"`) {
		t.Errorf("after saving the page does not show the saved hours:\n%s", done.body)
	}
	log, _ := e.as.AuditLog(ctx, 1)
	if len(log) != 1 || log[0].Action != "hours_saved" || log[0].Actor != staff || !strings.Contains(log[0].Detail, "Dinsdag") {
		t.Errorf("audit log starts %+v, want hours_saved by %s", log, staff)
	}

	// Remove the closure: the other lines stay.
	r = c.post("/settings/hours", hoursForm(map[string]string{
		"closed-2": "", "from-2-1": "13:00", "to-2-1": "17:00",
		"closure-count":  "2",
		"closure-from-0": "2026-12-24", "closure-to-0": "2027-01-01", "closure-reason-0": "Kerst", "closure-remove-0": "1",
	}))
	wantStatus(t, "POST without the closure", r, http.StatusSeeOther)
	if h, _ := e.house.House(ctx); len(h.Volunteers.Closures) != 0 || len(h.Volunteers.Week[time.Tuesday]) != 1 {
		t.Errorf("after removing the closure: %+v", h.Volunteers)
	}
	// Saving the house's name keeps the old free text.
	wantStatus(t, "POST /settings/house", c.post("/settings/house", url.Values{"name": {"De Eik"}, "emergency": {"112"}, "language": {"nl"}}), http.StatusSeeOther)
	if h, _ := e.house.House(ctx); strings.Join(h.Hours, "|") != strings.Join(configured.Hours, "|") || h.Volunteers.Origin != house.OriginForm {
		t.Errorf("saving the house without the text field lost it: %q, %+v", h.Hours, h.Volunteers)
	}
}

func TestSettingsHoursRefused(t *testing.T) {
	e := newSettingsEnv(t)
	c := e.staff()
	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"nobody ever", hoursForm(nil), "Vul minstens één dag in"},
		{"open without times", hoursForm(map[string]string{"closed-1": ""}), "Vul bij ‘van’ en bij ‘tot’ een tijd in, of kies ‘dicht’."},
		{"only a start", hoursForm(map[string]string{"closed-1": "", "from-1-1": "9:30"}), "Vul bij ‘van’ en bij ‘tot’ een tijd in"},
		{"not a time", hoursForm(map[string]string{"closed-1": "", "from-1-1": "half tien", "to-1-1": "16:00"}), "Schrijf de tijd als uren en minuten"},
		{"ends before it starts", hoursForm(map[string]string{"closed-1": "", "from-1-1": "16:00", "to-1-1": "9:30"}), "De eindtijd moet na de begintijd liggen."},
		{"periods overlap", hoursForm(map[string]string{"closed-1": "", "from-1-1": "9:00", "to-1-1": "13:00", "from-1-2": "12:00", "to-1-2": "16:00"}),
			"De twee tijden op deze dag lopen door elkaar"},
		{"closure ends before it starts", hoursForm(map[string]string{"closed-1": "", "from-1-1": "9:00", "to-1-1": "13:00",
			"closure-from-0": "2026-12-24", "closure-to-0": "2026-12-20"}), "De laatste datum mag niet voor de eerste datum liggen."},
		{"closure without its first day", hoursForm(map[string]string{"closed-1": "", "from-1-1": "9:00", "to-1-1": "13:00",
			"closure-reason-0": "Kerst"}), "Kies een datum."},
	} {
		r := c.post("/settings/hours", tc.form)
		wantStatus(t, tc.name, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.body, tc.want) || !strings.Contains(r.body, "Dit is nog niet opgeslagen") {
			t.Errorf("%s: page does not say %q:\n%s", tc.name, tc.want, r.body)
		}
	}
	// What staff typed stays in the form.
	r := c.post("/settings/hours", hoursForm(map[string]string{"closed-1": "", "from-1-1": "half tien", "to-1-1": "16:00"}))
	if !strings.Contains(r.body, `value="half tien"`) {
		t.Errorf("the typed time is gone from the form:\n%s", r.body)
	}
	if h, _ := e.house.House(context.Background()); h.Volunteers.Origin == house.OriginForm {
		t.Errorf("a refused form stored hours: %+v", h.Volunteers)
	}
	// Without a session's CSRF token nothing is saved.
	f := hoursForm(map[string]string{"closed-1": "", "from-1-1": "9:00", "to-1-1": "13:00", "csrf": "nope"})
	if r := c.post("/settings/hours", f); r.status == http.StatusSeeOther {
		t.Errorf("a post with a wrong csrf token was accepted")
	}
}
