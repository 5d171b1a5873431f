package calendar_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"buurtbalie/internal/calendar"
	"buurtbalie/internal/programme"
)

// reasons lists the reasons of issues.
func reasonsOf(issues []calendar.Issue) []string {
	var out []string
	for _, i := range issues {
		out = append(out, i.Reason)
	}
	return out
}

// times lists a source's activities as "date start-end".
func times(src calendar.Source) []string {
	var out []string
	for _, a := range src.Activities {
		out = append(out, a.Schedule.Date.String()+" "+a.Start.String()+"-"+a.End.String())
	}
	return out
}

// A line folded in the middle of a UTF-8 character is still UTF-8.
func TestICSFoldInsideCharacter(t *testing.T) {
	imp := parseFile(t, "fold-utf8.ics")
	if got := source(t, imp, "ics:fold@delinde.example").Activities[0].Title; got != "Café de Linde €3" {
		t.Errorf("title %q, want Café de Linde €3", got)
	}
	if r := reasonsOf(imp.Report.Notes); len(r) != 0 {
		t.Errorf("notes %v, want none", r)
	}
}

// A sheet saved as UTF-16 (with its byte-order mark) is read.
func TestCSVUTF16(t *testing.T) {
	imp := parseFile(t, "utf16.csv")
	var titles []string
	for _, s := range imp.Sources {
		titles = append(titles, s.Activities[0].Title+" in "+s.Activities[0].Room)
	}
	equal(t, "titles", titles, []string{"Taalcafé in Zaal 1", "Crèche in Kinderhoek"})
}

// A sheet with rows in UTF-8 and rows in Latin-1 is refused, rather than
// either kind stored garbled.
func TestCSVMixedEncoding(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "mixed-encoding.csv"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = calendar.Parse(strings.NewReader(string(b)), options(t))
	if !errors.Is(err, calendar.ErrEncoding) || calendar.ErrorReason(err) != "mixed_encoding" {
		t.Fatalf("err = %v, want ErrEncoding (mixed_encoding)", err)
	}
}

// Control characters do not reach titles, rooms or descriptions.
func TestControlCharacters(t *testing.T) {
	ics := source(t, parseFile(t, "control.ics"), "ics:ctl@delinde.example").Activities[0]
	csv := parseFile(t, "control.csv").Sources[0].Activities[0]
	for _, tt := range []struct{ what, got, want string }{
		{"ICS title", ics.Title, "Koffie-inloop[31m"},
		{"ICS room", ics.Room, "Zaal 1"},
		{"ICS description", ics.Description, "Regel een\nRegel twee"},
		{"CSV title", csv.Title, "Koffie-inloop[31m"},
		{"CSV room", csv.Room, "Zaal 1"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s %q, want %q", tt.what, tt.got, tt.want)
		}
	}
}

// Floating times are in the calendar's X-WR-TIMEZONE, as Google and Apple
// calendars mean them.
func TestICSXWRTimezone(t *testing.T) {
	imp := parseFile(t, "x-wr-timezone.ics")
	equal(t, "10:00 in London", times(source(t, imp, "ics:london@delinde.example")), []string{"2026-03-10 11:00-12:00"})
}

// An RDATE that is a period runs until the period's end.
func TestICSRDatePeriod(t *testing.T) {
	imp := parseFile(t, "rdate-period.ics")
	equal(t, "repair café", times(source(t, imp, "ics:repair@delinde.example")),
		[]string{"2026-03-10 10:00-11:00", "2026-03-17 10:00-13:00", "2026-03-24 14:00-16:30"})
}

// An override of an instance the rule does not make is left out, and
// noted; the series stays one weekly activity.
func TestICSPhantomOverride(t *testing.T) {
	imp := parseFile(t, "phantom-override.ics")
	src := source(t, imp, "ics:koffie@delinde.example")
	if len(src.Activities) != 1 || src.Activities[0].Schedule.Kind != programme.Weekly {
		t.Fatalf("koffie = %d activities, want one weekly one", len(src.Activities))
	}
	if len(src.Exceptions) != 0 {
		t.Errorf("exceptions %v, want none", src.Exceptions)
	}
	equal(t, "notes", reasonsOf(imp.Report.Notes), []string{"no_instance"})
}

// Exceptions before the period stay with a series that started before
// it, so it does not show on those dates.
func TestICSPastExceptions(t *testing.T) {
	imp := parseFile(t, "past-exceptions.ics")
	gym := source(t, imp, "ics:gym@delinde.example")
	equal(t, "around new year", dates(t, gym, "2025-12-22", "2026-01-12"),
		[]string{"2025-12-22", "2025-12-29 -", "2026-01-05 -", "2026-01-12"})
}

// Summer time as RFC 5545 3.3.5 has it: a start in the hour that is
// skipped is read with the offset from before (02:30 is 03:30) and keeps
// its length; an event in UTC in the hour that is repeated keeps its
// hour; a local 02:30 that occurs twice is the first, so that an EXDATE
// or a RECURRENCE-ID in UTC of that first one finds it.
func TestICSSummerTime(t *testing.T) {
	imp := parseFile(t, "dst.ics")
	equal(t, "in the skipped hour", times(source(t, imp, "ics:gap@delinde.example")), []string{"2026-03-29 03:30-04:00"})
	equal(t, "daily into the skipped hour", times(source(t, imp, "ics:nightly@delinde.example")),
		[]string{"2026-03-27 02:30-03:00", "2026-03-28 02:30-03:00", "2026-03-29 03:30-04:00"})
	equal(t, "notes", reasonsOf(imp.Report.Notes), []string{"summer_time"})
	equal(t, "UTC in the repeated hour", times(source(t, imp, "ics:repeat-utc@delinde.example")), []string{"2026-10-25 02:30-03:30"})
	equal(t, "EXDATE of the first 02:30", dates(t, source(t, imp, "ics:first@delinde.example"), "2026-10-01", "2026-11-30"),
		[]string{"2026-10-25 -", "2026-11-01"})
	equal(t, "RECURRENCE-ID of the first 02:30", dates(t, source(t, imp, "ics:moved@delinde.example"), "2026-10-01", "2026-11-30"),
		[]string{"2026-10-18", "2026-10-25 in Zaal 3"})
	if r := reasonsOf(imp.Report.Skipped); len(r) != 0 {
		t.Errorf("skipped %v, want none", r)
	}
}
