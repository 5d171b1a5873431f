package calendar_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/calendar"
	"buurtbalie/internal/demo"
	"buurtbalie/internal/programme"
)

// Exporting activities and importing the sheet gives them back: every
// schedule kind, costs, yes and no, texts with commas, quotes, line breaks
// and a leading "=" (guarded against spreadsheet formulas).
func TestCSVRoundTrip(t *testing.T) {
	_, acts, _ := demo.Programme(date("2026-11-23"))
	acts = append(acts,
		programme.Activity{Title: "=SOM(A1:A9)", Description: "Regel 1\nRegel 2, met \"aanhalingstekens\"", Category: "anders",
			Room: "-1e verdieping", Host: "@Anouk", CostCents: 1250, SignUp: true, Start: programme.Clock(9, 5), End: programme.EndOfDay,
			Schedule: programme.Schedule{Kind: programme.Once, Date: date("2027-02-28")}, Source: "ics:feest@delinde.example"},
		programme.Activity{Title: "Fietsenmaker", Category: "creatief", Start: programme.Clock(10, 0), End: programme.Clock(13, 0),
			Schedule: programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(time.Saturday, time.Sunday), Interval: 2,
				From: date("2026-11-28"), Until: date("2027-07-31")}},
		programme.Activity{Title: "Zangmiddag", Category: "ontmoeten", Start: programme.Clock(15, 0), End: programme.Clock(17, 0),
			Schedule: programme.Schedule{Kind: programme.Monthly, Nth: -1, Weekday: time.Friday, From: date("2026-01-01")}},
	)
	var buf bytes.Buffer
	if err := calendar.WriteCSV(&buf, acts); err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(buf.String(), "\n"); first != calendar.Header {
		t.Errorf("header %q, want %q", first, calendar.Header)
	}
	sheet := buf.String()
	imp, err := calendar.ParseCSV(&buf, calendar.Options{})
	if err != nil {
		t.Fatalf("import the export: %v\n%s", err, sheet)
	}
	var got []programme.Activity
	for _, s := range imp.Sources {
		got = append(got, s.Activities...)
	}
	if len(got) != len(acts) {
		t.Fatalf("got %d activities back, want %d", len(got), len(acts))
	}
	// Sources group rows, so compare by title and date.
	byKey := map[string]programme.Activity{}
	for _, a := range got {
		byKey[a.Title+a.Schedule.Date.String()+a.Start.String()] = a
	}
	for _, want := range acts {
		a, ok := byKey[want.Title+want.Schedule.Date.String()+want.Start.String()]
		if !ok {
			t.Errorf("%q did not come back", want.Title)
			continue
		}
		if want.Source == "" {
			want.Source = "csv:" + strings.ToLower(want.Title)
		}
		a.ID, want.ID, want.Demo = 0, 0, false
		if !reflect.DeepEqual(a, want) {
			t.Errorf("round trip:\n got %+v\nwant %+v", a, want)
		}
	}
	if strings.Contains(sheet, "\n=SOM") || !strings.Contains(sheet, "'=SOM") {
		t.Errorf("a title starting with = is not guarded:\n%s", sheet)
	}
}

// A sheet saved by a Dutch spreadsheet: semicolons, a comma in the cost,
// Dutch weekday names, columns in another order and some left out.
func TestCSVDutchSpreadsheet(t *testing.T) {
	sheet := "Titel;x\n"[:0] + "title;weekdays;start;end;cost;signup;category;from;interval\n" +
		"Koffie-inloop;ma, wo, vr;09:30;11:30;;nee;Ontmoeten & praten;;\n" +
		"Stoelgym;Dinsdag;10:00;11:00;3,50;ja;sport;2026-03-03;2\n" +
		";;;;;;;;\n"
	imp, err := calendar.ParseCSV(strings.NewReader(sheet), calendar.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(imp.Sources) != 2 || imp.Report.Events != 2 {
		t.Fatalf("got %d sources from %d rows, want 2 and 2", len(imp.Sources), imp.Report.Events)
	}
	coffee, gym := imp.Sources[0].Activities[0], imp.Sources[1].Activities[0]
	if coffee.Schedule.Weekdays != programme.Days(time.Monday, time.Wednesday, time.Friday) || coffee.Category != "ontmoeten" {
		t.Errorf("koffie %+v", coffee)
	}
	if gym.CostCents != 350 || !gym.SignUp || gym.Category != "bewegen" || gym.Schedule.Interval != 2 || gym.Source != "csv:stoelgym" {
		t.Errorf("stoelgym %+v", gym)
	}
}

// Rows with the same source, or the same title without one, are one
// source, so importing the sheet again replaces them together.
func TestCSVSources(t *testing.T) {
	sheet := "title,date,start,end,source\n" +
		"Koffie,2026-03-10,10:00,11:00,\n" +
		"Lunch,2026-03-10,12:00,13:00,\n" +
		"koffie ,2026-03-11,10:00,11:00,\n" +
		"Feest,2026-03-12,16:00,20:00,ics:feest@x\n"
	imp, err := calendar.ParseCSV(strings.NewReader(sheet), calendar.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range imp.Sources {
		got = append(got, s.Key+"="+strings.Repeat("*", len(s.Activities)))
	}
	equal(t, "sources", got, []string{"csv:koffie=**", "csv:lunch=*", "ics:feest@x=*"})
	if ids := []int64{imp.Sources[0].Activities[0].ID, imp.Sources[0].Activities[1].ID}; ids[0] != 1 || ids[1] != 2 {
		t.Errorf("IDs %v, want 1 and 2", ids)
	}
}

// A sheet with one bad row is refused whole, naming the row and column.
func TestCSVErrors(t *testing.T) {
	row := func(fields ...string) string { return strings.Join(fields, ",") }
	head := "title,category,date,weekdays,interval,nth,weekday,from,until,start,end\n"
	good := row("Koffie", "ontmoeten", "2026-03-10", "", "", "", "", "", "", "10:00", "11:00") + "\n"
	tests := []struct {
		name   string
		sheet  string
		row    int
		column string
		want   error
		says   string
	}{
		{"empty", "", 1, "", calendar.ErrHeader, "the sheet is empty"},
		{"unknown column", "title,zaal,start,end,date\n", 1, "zaal", calendar.ErrHeader, "unknown column"},
		{"column twice", "title,start,end,date,start\n", 1, "start", calendar.ErrHeader, "twice"},
		{"no start column", "title,end,date\n", 1, "start", calendar.ErrHeader, "no column start"},
		{"no schedule column", "title,start,end\n", 1, "date", calendar.ErrHeader, ""},
		{"bad time in row 7", head + strings.Repeat(good, 5) + row("Lunch", "eten", "2026-03-10", "", "", "", "", "", "", "12.30", "13:30") + "\n",
			7, "start", calendar.ErrValue, `row 7, column start: bad value: "12.30" is not a time like 14:30`},
		{"end before start", head + row("Koffie", "", "2026-03-10", "", "", "", "", "", "", "10:00", "09:00") + "\n",
			2, "end", programme.ErrInvalid, "row 2, column end: the end time 09:00 must be after the start time 10:00"},
		{"no start", head + row("Koffie", "", "2026-03-10", "", "", "", "", "", "", "", "09:00") + "\n", 2, "start", calendar.ErrValue, "give the start time"},
		{"bad date", head + row("Koffie", "", "10-03-2026", "", "", "", "", "", "", "10:00", "11:00") + "\n", 2, "date", calendar.ErrValue, ""},
		{"no schedule", head + row("Koffie", "", "", "", "", "", "", "", "", "10:00", "11:00") + "\n", 2, "date", calendar.ErrValue, ""},
		{"date and weekdays", head + row("Koffie", "", "2026-03-10", "ma", "", "", "", "", "", "10:00", "11:00") + "\n", 2, "weekdays", calendar.ErrValue, "not more than one"},
		{"unknown weekday", head + row("Koffie", "", "", `"ma,mx"`, "", "", "", "", "", "10:00", "11:00") + "\n", 2, "weekdays", calendar.ErrValue, `"mx" is not a weekday`},
		{"every 2 weeks without from", head + row("Koffie", "", "", "ma", "2", "", "", "", "", "10:00", "11:00") + "\n", 2, "from", programme.ErrInvalid, ""},
		{"5th weekday", head + row("Koffie", "", "", "", "", "5", "di", "", "", "10:00", "11:00") + "\n", 2, "nth", calendar.ErrValue, ""},
		{"nth without weekday", head + row("Koffie", "", "", "", "", "2", "", "", "", "10:00", "11:00") + "\n", 2, "weekday", calendar.ErrValue, ""},
		{"unknown category", head + row("Koffie", "koken", "2026-03-10", "", "", "", "", "", "", "10:00", "11:00") + "\n", 2, "category", calendar.ErrValue, "eten, bewegen"},
		{"until before from", head + row("Koffie", "", "", "ma", "", "", "", "2026-03-10", "2026-03-01", "10:00", "11:00") + "\n", 2, "until", programme.ErrInvalid, ""},
		{"one-off with interval", head + row("Koffie", "", "2026-03-10", "", "2", "", "", "", "", "10:00", "11:00") + "\n", 2, "interval", calendar.ErrValue, ""},
		{"title too long", head + row(strings.Repeat("a", 81), "", "2026-03-10", "", "", "", "", "", "", "10:00", "11:00") + "\n", 2, "title", programme.ErrInvalid, ""},
		{"no title", head + good + row("", "", "2026-03-10", "", "", "", "", "", "", "10:00", "11:00") + "\n", 3, "title", programme.ErrInvalid, ""},
		{"bad quote", head + good + `"Koffie,,2026-03-10,,,,,,,10:00,11:00` + "\n", 3, "", csv.ErrQuote, ""},
		{"too many fields", head + row("Koffie", "", "2026-03-10", "", "", "", "", "", "", "10:00", "11:00", "extra") + "\n", 2, "", calendar.ErrValue, ""},
		{"bad cost", "title,date,start,end,cost\nKoffie,2026-03-10,10:00,11:00,drie euro\n", 2, "cost", calendar.ErrValue, ""},
		{"bad yes", "title,date,start,end,signup\nKoffie,2026-03-10,10:00,11:00,misschien\n", 2, "signup", calendar.ErrValue, "ja or nee"},
		{"room too long", "title,date,start,end,host\nKoffie,2026-03-10,10:00,11:00," + strings.Repeat("b", 81) + "\n", 2, "host", programme.ErrInvalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			imp, err := calendar.ParseCSV(strings.NewReader(tt.sheet), calendar.Options{})
			if !reflect.DeepEqual(imp, calendar.Import{}) {
				t.Errorf("got an import with the error, want none")
			}
			var pe *calendar.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Line != tt.row || pe.Column != tt.column {
				t.Errorf("row %d column %q, want row %d column %q (%v)", pe.Line, pe.Column, tt.row, tt.column, err)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want one matching %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("err = %q, want it to say %q", err, tt.says)
			}
		})
	}
}

// The house's own categories are matched by key and by name.
func TestCSVOwnCategories(t *testing.T) {
	opts := calendar.Options{Categories: []programme.Category{{Key: "tuin", Names: map[string]string{"nl": "Tuinieren", "en": "Gardening"}}}}
	imp, err := calendar.ParseCSV(strings.NewReader("title,category,date,start,end\nMoestuin,gardening,2026-03-10,10:00,11:00\n"), opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := imp.Sources[0].Activities[0].Category; got != "tuin" {
		t.Errorf("category %q, want tuin", got)
	}
}

// An activity's titles and descriptions in other languages travel as
// title_xx and description_xx columns, out and back in.
func TestCSVTranslations(t *testing.T) {
	acts := []programme.Activity{{Title: "Wandelgroep", Description: "Een uur in het park.", Category: "bewegen",
		Titles: map[string]string{"tr": "Yürüyüş grubu", "ar": "مجموعة المشي"}, Descriptions: map[string]string{"tr": "Parkta bir saat."},
		Start: programme.Clock(10, 0), End: programme.Clock(11, 0),
		Schedule: programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(time.Monday)}}}
	var buf bytes.Buffer
	if err := calendar.WriteCSV(&buf, acts); err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(buf.String(), "\n")
	if want := calendar.Header + ",title_ar,description_ar,title_tr,description_tr"; first != want {
		t.Errorf("header %q, want %q", first, want)
	}
	imp, err := calendar.ParseCSV(&buf, calendar.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := imp.Sources[0].Activities[0]
	if a.TitleIn("ar") != "مجموعة المشي" || a.TitleIn("tr") != "Yürüyüş grubu" || a.DescriptionIn("tr") != "Parkta bir saat." || a.TitleIn("pl") != "Wandelgroep" {
		t.Errorf("read back %+v", a)
	}
	if _, err := calendar.ParseCSV(strings.NewReader("title,start,end,date,titel_tr\nX,10:00,11:00,2026-12-01,Y\n"), calendar.Options{}); err == nil || !strings.Contains(err.Error(), "title_xx") {
		t.Errorf("an unknown column: %v", err)
	}
}
