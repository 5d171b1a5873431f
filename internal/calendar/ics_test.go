package calendar_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/calendar"
	"buurtbalie/internal/programme"
)

// Every other Tuesday and Thursday, counted from the week of 6 January, with
// one date excluded, becomes one repeating activity with a cancelled
// exception; the folded description is unfolded and the organiser's name
// (never the address) is the host.
func TestICSWeeklyInterval(t *testing.T) {
	imp := parseFile(t, "weekly-interval.ics")
	src := source(t, imp, "ics:repair-cafe@delinde.example")
	if len(src.Activities) != 1 {
		t.Fatalf("got %d activities, want 1 repeating one", len(src.Activities))
	}
	a := src.Activities[0]
	want := programme.Activity{ID: 1, Title: "Repair café", Category: "creatief", Room: "Zaal 1", Host: "Henk Jansen",
		Description: "Neem je kapotte spullen mee: samen maken we ze weer heel.\nKoffie staat klaar.",
		Start:       programme.Clock(10, 0), End: programme.Clock(11, 30),
		Schedule: programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(time.Tuesday, time.Thursday), Interval: 2,
			From: date("2026-01-06"), Until: date("2026-12-31")},
		Source: "ics:repair-cafe@delinde.example"}
	equal(t, "activity", a, want)
	equal(t, "March", dates(t, src, "2026-03-01", "2026-03-31"),
		[]string{"2026-03-03", "2026-03-05", "2026-03-17 -", "2026-03-19", "2026-03-31"})
	equal(t, "December", dates(t, src, "2026-12-14", "2027-01-10"),
		[]string{"2026-12-22", "2026-12-24"})
	if imp.From != date("2026-01-30") || imp.To != date("2027-03-01") {
		t.Errorf("period %s to %s, want 2026-01-30 to 2027-03-01", imp.From, imp.To)
	}
}

func TestICSMonthly(t *testing.T) {
	imp := parseFile(t, "monthly.ics")
	lunch := source(t, imp, "ics:buurtlunch@delinde.example")
	equal(t, "2nd Tuesday, 10 times", lunch.Activities[0].Schedule, programme.Schedule{Kind: programme.Monthly,
		Nth: 2, Weekday: time.Tuesday, From: date("2026-01-13"), Until: date("2026-10-13")})
	equal(t, "lunch in autumn", dates(t, lunch, "2026-09-01", "2026-12-31"), []string{"2026-09-08", "2026-10-13"})
	if got := lunch.Activities[0].Category; got != "eten" {
		t.Errorf("category %q, want eten (from \"Eten & drinken\")", got)
	}

	music := source(t, imp, "ics:muziekmiddag@delinde.example")
	equal(t, "last Friday by BYSETPOS", music.Activities[0].Schedule, programme.Schedule{Kind: programme.Monthly,
		Nth: -1, Weekday: time.Friday, From: date("2026-01-30")})
	if got := music.Activities[0].Category; got != "ontmoeten" {
		t.Errorf("category %q, want ontmoeten (from \"music,meet\")", got)
	}

	// Every other month is not in the model: one-offs, in the period.
	bingo := source(t, imp, "ics:bingo@delinde.example")
	for _, a := range bingo.Activities {
		if a.Schedule.Kind != programme.Once {
			t.Fatalf("bingo %v, want one-offs", a.Schedule)
		}
	}
	equal(t, "bingo", dates(t, bingo, "2026-01-01", "2027-12-31"), []string{"2026-03-02", "2026-05-04", "2026-07-06",
		"2026-09-07", "2026-11-02", "2027-01-04", "2027-03-01"})
	if got := bingo.Activities[0].Category; got != calendar.Other {
		t.Errorf("category %q, want %q for \"Spel\"", got, calendar.Other)
	}
}

// An instance moved to another time and room, and one cancelled, are
// exceptions of the repeating activity; an instance moved to another day
// makes the series one-offs.
func TestICSOverrides(t *testing.T) {
	imp := parseFile(t, "override.ics")
	taal := source(t, imp, "ics:taalcafe@delinde.example")
	if len(taal.Activities) != 1 || taal.Activities[0].Schedule.Kind != programme.Weekly {
		t.Fatalf("taalcafé = %v, want one weekly activity", taal.Activities)
	}
	equal(t, "exceptions", taal.Exceptions, []programme.Exception{
		{ActivityID: 1, Date: date("2026-03-09"), Room: "Zaal 3", HasTime: true, Start: programme.Clock(13, 0), End: programme.Clock(14, 30)},
		{ActivityID: 1, Date: date("2026-03-16"), Cancelled: true},
	})
	equal(t, "taalcafé in March", dates(t, taal, "2026-03-01", "2026-03-24"),
		[]string{"2026-03-02", "2026-03-09 13:00 in Zaal 3", "2026-03-16 -", "2026-03-23"})

	naai := source(t, imp, "ics:naailes@delinde.example")
	equal(t, "naailes", dates(t, naai, "2026-03-01", "2026-03-31"),
		[]string{"2026-03-02", "2026-03-10", "2026-03-16", "2026-03-23"})
}

// All-day events run from 00:00 to 24:00 on each of their days.
func TestICSAllDay(t *testing.T) {
	imp := parseFile(t, "allday.ics")
	king := source(t, imp, "ics:koningsdag-2026@delinde.example")
	a := king.Activities[0]
	if a.Start != 0 || a.End != programme.EndOfDay || a.Schedule != (programme.Schedule{Kind: programme.Once, Date: date("2026-04-27")}) {
		t.Errorf("koningsdag = %s-%s %v, want 00:00-24:00 on 2026-04-27", a.Start, a.End, a.Schedule)
	}
	equal(t, "zomerstop", dates(t, source(t, imp, "ics:zomerstop-2026@delinde.example"), "2026-07-01", "2026-08-31"),
		[]string{"2026-08-03", "2026-08-04", "2026-08-05", "2026-08-06", "2026-08-07"})
	equal(t, "kerst, yearly since 2020", dates(t, source(t, imp, "ics:kerst@delinde.example"), "2020-01-01", "2030-12-31"),
		[]string{"2026-12-25"})
	clean := source(t, imp, "ics:opruimdag@delinde.example").Activities
	if len(clean) != 1 || clean[0].Schedule.Kind != programme.Monthly || clean[0].Schedule.Nth != 1 || clean[0].End != programme.EndOfDay {
		t.Errorf("opruimdag = %v, want one monthly all-day activity", clean)
	}
}

// A weekly event at 10:00 in Europe/Amsterdam stays at 10:00 across both
// daylight-saving changes; one in UTC moves an hour on the kiosk's clock
// and so becomes one-offs; floating times are the house's.
func TestICSTimeZones(t *testing.T) {
	loc := amsterdam(t)
	imp := parseFile(t, "zones.ics")
	coffee := source(t, imp, "ics:koffie-zondag@delinde.example")
	if len(coffee.Activities) != 1 || coffee.Activities[0].Schedule.Kind != programme.Weekly {
		t.Fatalf("koffie = %v, want one weekly activity", coffee.Activities)
	}
	for _, tt := range []struct{ date, utc string }{
		{"2026-03-22", "09:00"}, {"2026-03-29", "08:00"}, {"2026-07-05", "08:00"},
		{"2026-10-25", "09:00"}, {"2026-11-01", "09:00"},
	} {
		occs := programme.Expand(coffee.Activities, nil, date(tt.date), loc)
		if len(occs) != 1 {
			t.Fatalf("%s: %d occurrences, want 1", tt.date, len(occs))
		}
		if got := occs[0].Start.Format("15:04"); got != "10:00" {
			t.Errorf("%s: starts %s local, want 10:00", tt.date, got)
		}
		if got := occs[0].Start.UTC().Format("15:04"); got != tt.utc {
			t.Errorf("%s: starts %s UTC, want %s", tt.date, got, tt.utc)
		}
	}
	gym := source(t, imp, "ics:gym-outlook@delinde.example").Activities
	if len(gym) != 1 || gym[0].Start != programme.Clock(10, 0) || gym[0].Schedule.Weekdays != programme.Days(time.Tuesday) {
		t.Errorf("stoelgym in Outlook's zone = %v, want weekly on Tuesday at 10:00", gym)
	}

	var yoga []string
	for _, a := range source(t, imp, "ics:yoga-utc@delinde.example").Activities {
		yoga = append(yoga, a.Schedule.Date.String()+" "+a.Start.String())
	}
	equal(t, "yoga at 09:00 UTC", yoga, []string{"2026-03-02 10:00", "2026-03-09 10:00", "2026-03-16 10:00",
		"2026-03-23 10:00", "2026-03-30 11:00", "2026-04-06 11:00"})

	chess := source(t, imp, "ics:schaakclub@delinde.example").Activities[0]
	if chess.Start != programme.Clock(19, 30) || chess.End != programme.Clock(22, 0) {
		t.Errorf("floating schaakclub %s-%s, want 19:30-22:00", chess.Start, chess.End)
	}
	info := source(t, imp, "ics:infoavond@delinde.example").Activities[0]
	if info.Start != programme.Clock(19, 0) || info.End != programme.Clock(20, 30) {
		t.Errorf("infoavond at 18:00 UTC %s-%s, want 19:00-20:30", info.Start, info.End)
	}
}

func TestICSCancelled(t *testing.T) {
	imp := parseFile(t, "cancelled.ics")
	market := source(t, imp, "ics:voorjaarsmarkt@delinde.example")
	equal(t, "cancelled market", dates(t, market, "2026-04-01", "2026-04-30"), []string{"2026-04-11 -"})
	yoga := source(t, imp, "ics:yoga-stopt@delinde.example")
	if len(yoga.Activities) != 0 {
		t.Errorf("cancelled series has %d activities, want none", len(yoga.Activities))
	}
	if n := len(imp.Report.Notes); n != 1 || imp.Report.Notes[0].Reason != "series_cancelled" {
		t.Errorf("notes = %v, want one series_cancelled", imp.Report.Notes)
	}
}

// Events the programme cannot show are skipped with the reason, and their
// sources are not in the import, so an earlier import of them stays.
func TestICSSkipped(t *testing.T) {
	imp := parseFile(t, "skipped.ics")
	var got []string
	for _, s := range imp.Report.Skipped {
		got = append(got, s.Reason)
	}
	equal(t, "skipped", got, []string{"no_start", "no_title", "end_before_start", "over_midnight", "unknown_zone", "too_frequent"})
	if s := imp.Report.Skipped[3]; s.Line != 19 || s.Title != "Nachtwandeling" || s.Source != "ics:late@delinde.example" {
		t.Errorf("skipped = %+v, want line 19, its title and source", s)
	}
	var keys []string
	for _, s := range imp.Sources {
		keys = append(keys, s.Key)
	}
	equal(t, "sources", keys, []string{"ics:no-end@delinde.example", "ics:old@delinde.example"})
	bus := imp.Sources[0].Activities[0]
	if bus.Start != programme.Clock(9, 0) || bus.End != programme.Clock(10, 0) {
		t.Errorf("event without an end: %s-%s, want one hour", bus.Start, bus.End)
	}
	if len(imp.Report.Notes) != 1 || imp.Report.Notes[0].Reason != "no_end" {
		t.Errorf("notes = %v, want no_end", imp.Report.Notes)
	}
	if imp.Report.Events != 8 || imp.Report.Outside != 1 {
		t.Errorf("events %d outside %d, want 8 and 1", imp.Report.Events, imp.Report.Outside)
	}
}

// A malformed file is refused whole, naming the line (and the event).
func TestICSMalformed(t *testing.T) {
	const head = "BEGIN:VCALENDAR\nVERSION:2.0\n"
	event := func(lines ...string) string {
		return head + "BEGIN:VEVENT\nUID:x@delinde.example\nSUMMARY:Koffie\n" + strings.Join(lines, "\n") + "\nEND:VEVENT\nEND:VCALENDAR\n"
	}
	tests := []struct {
		name string
		file string // in testdata, or
		text string
		line int
		want error
		says string
	}{
		{name: "bad DTSTART", file: "bad-dtstart.ics", line: 13, want: calendar.ErrValue,
			says: `line 13, event "Kapotte datum" (UID bad@delinde.example): bad value: DTSTART "2026-03-10 10:00" is not a date`},
		{name: "missing END:VEVENT", file: "missing-end.ics", line: 15, want: calendar.ErrMalformed,
			says: "the VEVENT that begins on line 4 has no END:VEVENT"},
		{name: "garbage", file: "garbage.ics", line: 3, want: calendar.ErrMalformed, says: "is not a calendar line"},
		{name: "broken parameter", file: "bad-param.ics", line: 6, want: calendar.ErrMalformed},
		{name: "empty", text: "", line: 1, want: calendar.ErrMalformed},
		{name: "not a calendar", text: "BEGIN:VCARD\nEND:VCARD\n", line: 1, want: calendar.ErrMalformed, says: "starts with BEGIN:VCALENDAR"},
		{name: "cut off", text: head + "BEGIN:VEVENT\nSUMMARY:Koffie\n", line: 5, want: calendar.ErrMalformed, says: "the file ends"},
		{name: "END without BEGIN", text: head + "END:VEVENT\nEND:VCALENDAR\n", line: 3, want: calendar.ErrMalformed},
		{name: "text after the calendar", text: head + "END:VCALENDAR\nhallo\n", line: 4, want: calendar.ErrMalformed},
		{name: "bad RRULE", text: event("DTSTART:20260310T100000", "RRULE:FREQ=SOMETIMES"), line: 7, want: calendar.ErrValue, says: "RRULE"},
		{name: "bad EXDATE", text: event("DTSTART:20260310T100000", "RRULE:FREQ=WEEKLY", "EXDATE:morgen"), line: 8, want: calendar.ErrValue},
		{name: "bad DTEND", text: event("DTSTART:20260310T100000", "DTEND:20261310T100000"), line: 7, want: calendar.ErrValue},
		{name: "bad DURATION", text: event("DTSTART:20260310T100000", "DURATION:een uur"), line: 7, want: calendar.ErrValue},
		{name: "bad RECURRENCE-ID", text: strings.TrimSuffix(event("DTSTART:20260310T100000", "RRULE:FREQ=WEEKLY"), "END:VCALENDAR\n") +
			"BEGIN:VEVENT\nUID:x@delinde.example\nRECURRENCE-ID:gisteren\nEND:VEVENT\nEND:VCALENDAR\n", want: calendar.ErrValue, line: 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := tt.text
			if tt.file != "" {
				b, err := os.ReadFile(filepath.Join("testdata", tt.file))
				if err != nil {
					t.Fatal(err)
				}
				text = string(b)
			}
			imp, err := calendar.ParseICS(strings.NewReader(text), options(t))
			if !reflect.DeepEqual(imp, calendar.Import{}) {
				t.Errorf("got an import %+v with the error, want none", imp)
			}
			var pe *calendar.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want one matching %v", err, tt.want)
			}
			if pe.Line != tt.line {
				t.Errorf("line %d, want %d (%v)", pe.Line, tt.line, err)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("err = %q, want it to say %q", err, tt.says)
			}
		})
	}
}

// Reading the same file twice gives the same import, so importing again
// finds everything unchanged.
func TestICSDeterministic(t *testing.T) {
	for _, name := range []string{"weekly-interval.ics", "monthly.ics", "override.ics", "allday.ics", "zones.ics"} {
		if a, b := parseFile(t, name), parseFile(t, name); !reflect.DeepEqual(a, b) {
			t.Errorf("%s read twice differs", name)
		}
	}
}

// Every activity an ICS import makes validates and carries its source;
// every exception is of one of its source's activities and in the period.
func TestICSOutputValid(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.ics")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		imp, err := calendar.ParseICS(strings.NewReader(string(b)), options(t))
		if err != nil {
			continue // the malformed ones
		}
		checkImport(t, f, imp)
	}
}

func checkImport(t *testing.T, name string, imp calendar.Import) {
	t.Helper()
	seen := map[string]bool{}
	for _, s := range imp.Sources {
		if s.Key == "" || seen[s.Key] {
			t.Errorf("%s: source %q empty or twice", name, s.Key)
		}
		seen[s.Key] = true
		ids := map[int64]bool{}
		for _, a := range s.Activities {
			if err := a.Validate(); err != nil {
				t.Errorf("%s: %s: activity %q: %v", name, s.Key, a.Title, err)
			}
			if a.Source != s.Key || ids[a.ID] || a.ID == 0 {
				t.Errorf("%s: activity %d %q: source %q or ID wrong", name, a.ID, a.Title, a.Source)
			}
			ids[a.ID] = true
		}
		for _, x := range s.Exceptions {
			if err := x.Validate(); err != nil || !ids[x.ActivityID] {
				t.Errorf("%s: %s: exception %+v: %v", name, s.Key, x, err)
			}
		}
	}
}

// An Outlook calendar saved in Windows-1252 is read, and noted.
func TestICSWindows1252(t *testing.T) {
	text := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Taalcaf\xe9\r\nDTSTART:20260310T100000\r\nDTEND:20260310T110000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	imp, err := calendar.Parse(strings.NewReader(text), options(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := imp.Sources[0].Activities[0].Title; got != "Taalcafé" {
		t.Errorf("title %q, want Taalcafé", got)
	}
	if len(imp.Report.Notes) != 1 || imp.Report.Notes[0].Reason != "not_utf8" {
		t.Errorf("notes %v, want not_utf8", imp.Report.Notes)
	}
}

func TestICSTooLarge(t *testing.T) {
	big := strings.NewReader("BEGIN:VCALENDAR\n" + strings.Repeat("X-PAD:"+strings.Repeat("a", 1000)+"\n", calendar.MaxFileSize/1000))
	if _, err := calendar.ParseICS(big, options(t)); !errors.Is(err, calendar.ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}
