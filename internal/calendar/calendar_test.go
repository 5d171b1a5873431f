package calendar_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"buurtbalie/internal/calendar"
	"buurtbalie/internal/programme"
)

func amsterdam(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// options reads files as on Sunday 1 March 2026 at noon: the period runs
// from 30 January 2026 to 1 March 2027.
func options(t testing.TB) calendar.Options {
	t.Helper()
	return calendar.Options{Now: time.Date(2026, time.March, 1, 12, 0, 0, 0, amsterdam(t))}
}

func date(s string) programme.Date {
	d, err := programme.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// parseFile parses a fixture in testdata.
func parseFile(t *testing.T, name string) calendar.Import {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	imp, err := calendar.Parse(f, options(t))
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return imp
}

// source returns the import's source with key, failing when there is none.
func source(t *testing.T, imp calendar.Import, key string) calendar.Source {
	t.Helper()
	for _, s := range imp.Sources {
		if s.Key == key {
			return s
		}
	}
	var keys []string
	for _, s := range imp.Sources {
		keys = append(keys, s.Key)
	}
	t.Fatalf("no source %s; got %v", key, keys)
	return calendar.Source{}
}

// dates lists the dates on which the source's activities take place from
// one date to another, with "-" after a cancelled one and the local start
// time where it is not the activity's usual one.
func dates(t *testing.T, src calendar.Source, from, to string) []string {
	t.Helper()
	var out []string
	for _, o := range programme.ExpandRange(src.Activities, src.Exceptions, date(from), date(to), amsterdam(t)) {
		s := o.Date.String()
		if o.Retimed {
			s += " " + o.Start.Format("15:04")
		}
		if o.Moved {
			s += " in " + o.Room
		}
		if o.Cancelled {
			s += " -"
		}
		out = append(out, s)
	}
	return out
}

func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %v\nwant %v", what, got, want)
	}
}

func TestParseTellsFormatsApart(t *testing.T) {
	ics := "\r\n\r\nbegin:vcalendar\r\nEND:VCALENDAR\r\n"
	imp, err := calendar.Parse(strings.NewReader(ics), options(t))
	if err != nil || imp.Format != calendar.ICS {
		t.Errorf("Parse(ICS) = %v, %v; want an ICS import", imp.Format, err)
	}
	csv := calendar.Header + "\nKoffie,,2026-03-10,,,,,,,10:00,11:00,,,,,,,\n"
	imp, err = calendar.Parse(strings.NewReader(csv), options(t))
	if err != nil || imp.Format != calendar.CSV {
		t.Errorf("Parse(CSV) = %v, %v; want a CSV import", imp.Format, err)
	}
}
