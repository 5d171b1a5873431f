package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"buurtbalie/assets"
	"buurtbalie/internal/district"
	"buurtbalie/internal/house"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/web"
)

// The settings page says how the house's tie to its district stands:
// nothing before it joined; the district's name, when it last sent and
// what waits after; why the last try failed; and a revocation as an
// alarm with what to do.
func TestSettingsSayHowTheDistrictStands(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	ds := sqlite.NewDistrictService(e.db)
	settings := &web.Settings{House: sqlite.NewHouseService(e.db, house.House{Name: "Buurthuis De Linde", Language: "nl"}),
		Categories: sqlite.NewProgrammeService(e.db), Topics: e.qs, Partners: e.qs, Pictograms: assets.Icons}
	e.srv.Close()
	e.handler = web.New(web.Config{Now: e.clock.Now, Settings: settings, District: ds}, e.qs, e.as, e.throttle, e.cat, nil).Handler()
	e.srv = httptest.NewServer(e.handler)
	t.Cleanup(e.srv.Close)
	staff := e.staff()

	r := staff.get("/settings")
	wantStatus(t, "settings", r, http.StatusOK)
	if strings.Contains(r.body, `id="district"`) {
		t.Error("the settings page speaks of a district before the house joined one")
	}

	if err := ds.Join(ctx, "https://wijk.example.nl", district.Joined{Kiosk: district.NewEventID(), Key: district.NewKey(), House: "De Linde", District: "Amsterdam West"}); err != nil {
		t.Fatal(err)
	}
	if err := ds.Failed(ctx, "the district at wijk.example.nl cannot be reached: connection refused"); err != nil {
		t.Fatal(err)
	}
	r = staff.get("/settings")
	for _, want := range []string{"Dit huis deelt zijn cijfers met Amsterdam West, als De Linde.", "Nog niets verstuurd. Nog te versturen: 0.",
		"De wijk was niet te bereiken (the district at wijk.example.nl cannot be reached: connection refused)."} {
		if !strings.Contains(r.body, want) {
			t.Errorf("settings after joining: no %q", want)
		}
	}

	if err := ds.Revoked(ctx, e.clock.Now().Add(-time.Hour), "revoked"); err != nil {
		t.Fatal(err)
	}
	r = staff.get("/settings")
	if !strings.Contains(r.body, `role="alert"`) || !strings.Contains(r.body, "De wijk heeft dit huis ingetrokken op") ||
		!strings.Contains(r.body, "buurtbalie district join ADRES CODE") {
		t.Errorf("settings after the revocation say nothing of it:\n%s", r.body)
	}
}
