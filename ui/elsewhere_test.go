package ui

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"buurtbalie/internal/district"
	"buurtbalie/internal/sqlite"
)

// withElsewhere joins the fixture's house to a district that sent the
// other houses' programmes of today (23 November).
func (f *kioskFixture) withElsewhere(t *testing.T) *sqlite.DistrictService {
	t.Helper()
	ctx := context.Background()
	f.db.Now = f.clock.Now // the district's days are the kiosk's
	ds := sqlite.NewDistrictService(f.db)
	if err := ds.Join(ctx, "https://wijk.example.nl", district.Joined{Kiosk: district.NewEventID(), Key: district.NewKey(), House: "Buurthuis De Linde", District: "West"}); err != nil {
		t.Fatal(err)
	}
	day := monday.String()
	act := func(house, key, start, end, title, cat string, cancelled bool) district.Activity {
		return district.Activity{House: house, Key: key, Day: day, Start: start, End: end, Title: title, Category: cat, Room: "Zaal 1", Cancelled: cancelled}
	}
	u := district.Updates{Cursor: 1, Houses: []string{"Huis Oost", "Huis Zuid"}, Activities: []district.Activity{
		act("Huis Oost", "1", "08:00", "08:30", "Ochtendgym", "bewegen", false), // over by nine
		act("Huis Oost", "2", "10:00", "11:00", "Tai chi", "bewegen", false),
		act("Huis Zuid", "3", "13:00", "14:00", "Wandelen in het park", "bewegen", false),
		act("Huis Zuid", "4", "14:30", "15:30", "Dansen", "bewegen", true), // cancelled
		act("Huis Oost", "5", "16:00", "17:00", "Fietsles", "bewegen", false),
		act("Huis Oost", "6", "18:00", "19:00", "Zumba", "bewegen", false), // the fourth: not shown
		act("Huis Oost", "7", "12:00", "13:00", "Soep", "eten", false),
	}}
	if err := ds.ApplyUpdates(ctx, u); err != nil {
		t.Fatal(err)
	}
	f.k.opt.Elsewhere = ds
	f.k.Reload()
	return ds
}

// Under a category's list, "Elders in de buurt vandaag" shows the next
// few activities of that category today in the district's other houses
// (not those over or cancelled, at most three), read aloud too, in the
// visitor's language; nothing for all categories, nor once the house has
// left its district.
func TestElsewhereToday(t *testing.T) {
	f := newKiosk(t, 9, 0)
	ds := f.withElsewhere(t)
	f.k.ShowToday()
	if f.shows("Elders in de buurt vandaag") {
		t.Error("the list of all categories shows other houses' activities")
	}
	test.Tap(f.k.chips["bewegen"])
	for _, want := range []string{"Elders in de buurt vandaag", "Tai chi", "Huis Oost · Zaal 1", "10:00 – 11:00", "Wandelen in het park", "Huis Zuid · Zaal 1", "Fietsles"} {
		if !f.shows(want) {
			t.Errorf("the bewegen list lacks %q: %q", want, f.texts())
		}
	}
	for _, not := range []string{"Ochtendgym", "Dansen", "Zumba", "Soep"} {
		if f.shows(not) {
			t.Errorf("the bewegen list shows %q", not)
		}
	}
	says := strings.Join(f.k.Says(), "\n")
	if !strings.Contains(says, "Elders in de buurt vandaag") || !strings.Contains(says, "10:00 – 11:00, Tai chi, Huis Oost") {
		t.Errorf("read aloud: %s", says)
	}
	if dir := os.Getenv("BUURTBALIE_SHOTS"); dir != "" {
		shot(t, f, filepath.Join(dir, "elsewhere-nl.png"))
		f.k.list.Page(1)
		shot(t, f, filepath.Join(dir, "elsewhere-nl-down.png"))
	}

	f.k.SetLanguage("ar")
	test.Tap(f.k.chips["bewegen"])
	if heading := f.k.tr.T("today.elsewhere"); !f.shows(visual(heading)) && !f.shows(heading) {
		t.Errorf("in Arabic the heading is not %q: %q", heading, f.texts())
	}
	if dir := os.Getenv("BUURTBALIE_SHOTS"); dir != "" {
		f.k.list.Page(1)
		shot(t, f, filepath.Join(dir, "elsewhere-ar.png"))
	}
	f.k.SetLanguage("nl")

	// Later in the day only what is still to come.
	f.clock.Advance(7 * time.Hour) // 16:00, and the kiosk has started afresh
	f.k.ShowToday()
	f.k.SetFilter("bewegen")
	if f.shows("Tai chi") || !f.shows("Fietsles") || !f.shows("Zumba") {
		t.Errorf("at four: %q", f.texts())
	}

	test.Tap(f.k.chips[""])
	if f.shows("Elders in de buurt vandaag") {
		t.Error("back to all categories, the other houses' activities stay")
	}
	if err := ds.Leave(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.k.Reload()
	f.k.SetFilter("bewegen")
	if f.shows("Elders in de buurt vandaag") {
		t.Error("a house that left its district shows other houses' activities")
	}
}

// shot saves the screen as path, and as the portrait screen (800×1280)
// beside it, "…-portrait.png", to look at.
func shot(t *testing.T, f *kioskFixture, path string) {
	t.Helper()
	size := f.w.Canvas().Size()
	for _, s := range []struct {
		path string
		size fyne.Size
	}{{path, size}, {strings.TrimSuffix(path, ".png") + "-portrait.png", fyne.NewSize(800, 1280)}} {
		f.w.Resize(s.size)
		f.k.redraw() // laid out afresh, as the kiosk starts at that size
		out, err := os.Create(s.path)
		if err != nil {
			t.Fatal(err)
		}
		err = png.Encode(out, f.w.Canvas().Capture())
		out.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	f.w.Resize(size)
	f.k.redraw()
}
