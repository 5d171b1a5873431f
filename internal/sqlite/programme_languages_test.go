package sqlite_test

import (
	"context"
	"reflect"
	"testing"

	"buurtbalie/internal/programme"
)

// Titles, descriptions and notes in other languages come back as staff
// saved them, the empty ones dropped, and an import of the same
// activity sees them as unchanged.
func TestLanguagesRoundTrip(t *testing.T) {
	ctx := context.Background()
	_, s := withCategories(t)
	a := walk()
	a.Titles = map[string]string{"tr": "Yürüyüş grubu", "ar": "مجموعة المشي", "en": ""}
	a.Descriptions = map[string]string{"en": "An hour's walk."}
	a = create(t, s, a)

	got, err := s.Activity(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"tr": "Yürüyüş grubu", "ar": "مجموعة المشي"}; !reflect.DeepEqual(got.Titles, want) {
		t.Errorf("Titles = %v, want %v", got.Titles, want)
	}
	if got.TitleIn("tr") != "Yürüyüş grubu" || got.TitleIn("en") != "Wandelgroep" {
		t.Errorf("TitleIn(tr), TitleIn(en) = %q, %q", got.TitleIn("tr"), got.TitleIn("en"))
	}
	if got.DescriptionIn("en") != "An hour's walk." {
		t.Errorf("DescriptionIn(en) = %q", got.DescriptionIn("en"))
	}

	got.Titles = nil // staff removed the translations
	if err := s.UpdateActivity(ctx, &got); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Activity(ctx, a.ID); again.Titles != nil || again.TitleIn("tr") != "Wandelgroep" {
		t.Errorf("after removing: Titles = %v, TitleIn(tr) = %q", again.Titles, again.TitleIn("tr"))
	}

	x := programme.Exception{ActivityID: a.ID, Date: monday, Cancelled: true, Note: "de leiding is ziek",
		Notes: map[string]string{"tr": "rehber hasta", "pl": "przewodnik jest chory"}}
	if err := s.SetException(ctx, x); err != nil {
		t.Fatal(err)
	}
	day, err := s.Day(ctx, monday)
	if err != nil || len(day) != 1 {
		t.Fatalf("Day = %v, %v; want one occurrence", day, err)
	}
	o := day[0]
	if o.NoteIn("tr") != "rehber hasta" || o.NoteIn("pl") != "przewodnik jest chory" || o.NoteIn("uk") != "de leiding is ziek" {
		t.Errorf("NoteIn tr, pl, uk = %q, %q, %q", o.NoteIn("tr"), o.NoteIn("pl"), o.NoteIn("uk"))
	}
}
