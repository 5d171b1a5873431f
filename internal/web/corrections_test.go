package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"buurtbalie/assets"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/sqlite"
)

// A house's Turkish-speaking volunteer finds a phrase by its words, sees
// the Dutch beside it, and saves a better one: this server's catalogue
// and a kiosk reading the database both give it; one that drops a
// {{.Placeholder}} is refused with the typed text kept; going back to the
// shipped text and the export work; every save is in the audit log.
func TestCorrectAMessage(t *testing.T) {
	e := newSettingsEnv(t)
	c := e.staff()
	shipped := e.cat.For("tr").T("welcome.today")
	page := c.get("/settings/messages?in=tr&q=" + url.QueryEscape(shipped))
	wantStatus(t, "GET /settings/messages", page, http.StatusOK)
	if !strings.Contains(page.body, `id="m-welcome.today"`) || !strings.Contains(page.body, "Wat is er vandaag?") {
		t.Fatalf("search for the Turkish text does not show it with the Dutch:\n%s", page.body)
	}
	if strings.Contains(page.body, `id="m-web.queue`) {
		t.Errorf("the page offers staff pages' messages")
	}

	r := c.post("/settings/messages", url.Values{"in": {"tr"}, "id": {"welcome.today"}, "text-other": {"Bugün burada neler var?"}})
	wantStatus(t, "POST /settings/messages", r, http.StatusSeeOther)
	if got := e.cat.For("tr").T("welcome.today"); got != "Bugün burada neler var?" {
		t.Errorf("this server's catalogue gives %q", got)
	}
	kiosk, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	cs, err := sqlite.NewCorrectionService(e.db).Corrections(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	kiosk.SetCorrections(cs)
	if got := kiosk.For("tr").T("welcome.today"); got != "Bugün burada neler var?" {
		t.Errorf("a kiosk reading the database gives %q", got)
	}
	if done := c.get(r.location()); !strings.Contains(done.body, "Opgeslagen") {
		t.Errorf("after saving the page does not say so:\n%s", done.body)
	}
	if again := c.get("/settings/messages?in=tr&q=welcome.today"); !strings.Contains(again.body, "verbeterd") || !strings.Contains(again.body, "Bugün burada neler var?") {
		t.Errorf("the message is not marked corrected:\n%s", again.body)
	}

	bad := c.post("/settings/messages", url.Values{"in": {"tr"}, "id": {"myslip.wait"},
		"text-one": {"Biraz bekleyin"}, "text-other": {"{{.Count}} dakika bekleyin"}})
	wantStatus(t, "POST a correction without {{.Count}}", bad, http.StatusUnprocessableEntity)
	if !strings.Contains(bad.body, "Laat wat tussen {{ }} staat precies zo staan") || !strings.Contains(bad.body, "Biraz bekleyin") {
		t.Errorf("the refusal does not explain, or loses what was typed:\n%s", bad.body)
	}

	export := c.get("/settings/messages/export?in=tr")
	wantStatus(t, "GET export", export, http.StatusOK)
	var file map[string]any
	if err := json.Unmarshal([]byte(strings.TrimPrefix(export.body, "\ufeff")), &file); err != nil || file["welcome.today"] != "Bugün burada neler var?" {
		t.Errorf("export = %v, %v:\n%s", file, err, export.body)
	}

	r = c.post("/settings/messages/revert", url.Values{"in": {"tr"}, "id": {"welcome.today"}})
	wantStatus(t, "POST revert", r, http.StatusSeeOther)
	if got := e.cat.For("tr").T("welcome.today"); got != shipped {
		t.Errorf("after going back: %q, want %q", got, shipped)
	}
	log, _ := e.as.AuditLog(context.Background(), 2)
	if len(log) != 2 || log[0].Action != "correction_reverted" || log[1].Action != "correction_saved" {
		t.Errorf("audit log = %+v", log)
	}
}
