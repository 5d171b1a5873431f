package ui

import (
	"context"
	"testing"

	"buurtbalie/assets"
	"buurtbalie/internal/house"
	"buurtbalie/internal/sqlite"
)

// What staff save on the web's settings page (another connection) shows
// on the kiosk at the next Reload: the house's name, and the language the
// next visitor starts in. The language waits while a visitor is busy.
func TestHouseSavedOnTheWebShows(t *testing.T) {
	f := newKiosk(t, 10, 0)
	configured := house.House{Name: "Buurthuis De Linde", Language: "nl"}
	opt := f.k.opt
	opt.House = sqlite.NewHouseService(f.db, configured)
	f.k.Stop()
	k, err := New(f.w, f.prog, f.desk, f.cat, assets.Icons, f.clock, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(k.Stop)
	f.k = k
	if !f.shows("Buurthuis De Linde") {
		t.Fatalf("the welcome screen does not show the configured name: %q", f.texts())
	}

	other, err := sqlite.Open(context.Background(), f.path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	web := sqlite.NewHouseService(other, configured)
	saved := house.House{Name: "Huis van de Wijk De Eik", Language: "en"}
	if err := web.SaveHouse(context.Background(), saved, "Sanne"); err != nil {
		t.Fatal(err)
	}
	// A visitor is looking at today's list in Dutch: the language waits.
	f.k.ShowToday()
	f.k.Reload()
	if f.k.Language() != "nl" {
		t.Errorf("the kiosk switched language under a visitor: %s", f.k.Language())
	}
	f.k.Reset() // the visitor left
	if f.k.Language() != "en" || f.k.DefaultLanguage() != "en" {
		t.Errorf("next visitor starts in %s (default %s), want en", f.k.Language(), f.k.DefaultLanguage())
	}
	if !f.shows("Huis van de Wijk De Eik") {
		t.Errorf("the welcome screen does not show the saved name: %q", f.texts())
	}

	// Staff choose Dutch again in the kiosk's staff mode: it is saved.
	f.k.opt.SaveLanguage = func(lang string) error { return web.SetLanguage(context.Background(), lang, "kiosk") }
	f.k.SetDefaultLanguage("nl")
	if h, _ := web.House(context.Background()); h.Language != "nl" {
		t.Errorf("the language staff chose at the kiosk was not saved: %+v", h)
	}
	f.k.Reload()
	if f.k.DefaultLanguage() != "nl" {
		t.Errorf("after reload the default language is %s, want nl", f.k.DefaultLanguage())
	}
}
