package calendar_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"buurtbalie/internal/calendar"
	"buurtbalie/internal/programme"
)

// FuzzParseICS: no input makes the parser panic or hang, and a file is
// read whole or not at all: an error comes with no Import, and an Import
// holds only valid activities. Every input is read within the work
// budget, counted in steps of recurrence, not by the clock: an Import
// took at most MaxWork steps, and a file that would take more is refused
// as ErrTooComplex. The seeds are the shapes of the hostile calendars,
// small, so that the fuzzer mutates rules.
func FuzzParseICS(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.ics")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nSUMMARY:x\nDTSTART:20260310\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\nEND:VEVENT\nEND:VCALENDAR\n"))
	f.Add([]byte("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nDTSTART;TZID=\"a\"b:20260310T100000\nEND:VEVENT\nEND:VCALENDAR\n"))
	for _, rule := range []string{
		"DTSTART:19000101T000000\nRRULE:FREQ=DAILY;BYHOUR=0,6,12,18;BYMINUTE=0,30;BYSECOND=0,30",
		"DTSTART:20260101T100000\nRRULE:FREQ=DAILY;BYDAY=MO;BYMONTHDAY=1;BYWEEKNO=20",
		"DTSTART:20200105T100000\nRRULE:FREQ=WEEKLY;COUNT=999999",
		"DTSTART:20260105T100000\nRRULE:FREQ=DAILY;INTERVAL=2;UNTIL=20270101T000000Z",
		"DTSTART;TZID=Europe/Amsterdam:20260329T023000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;BYSETPOS=1",
	} {
		f.Add([]byte("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:h\nSUMMARY:x\n" + rule + "\nEND:VEVENT\nEND:VCALENDAR\n"))
	}
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		f.Fatal(err)
	}
	opts := calendar.Options{Now: time.Date(2026, time.March, 1, 12, 0, 0, 0, loc)}
	f.Fuzz(func(t *testing.T, data []byte) {
		imp, err := calendar.ParseICS(bytes.NewReader(data), opts)
		if err != nil {
			if !reflect.DeepEqual(imp, calendar.Import{}) {
				t.Fatalf("error %v came with an import", err)
			}
			return
		}
		if imp.Report.Work > calendar.MaxWork {
			t.Fatalf("read in %d steps, more than the budget of %d", imp.Report.Work, calendar.MaxWork)
		}
		checkFuzzed(t, imp)
	})
}

// FuzzParseCSV: as FuzzParseICS, and a sheet that is read writes out and
// reads back as the same activities.
func FuzzParseCSV(f *testing.F) {
	f.Add([]byte(calendar.Header + "\nKoffie-inloop,ontmoeten,,\"ma,wo,vr\",,,,2026-01-05,,09:30,11:30,Huiskamer,Gastvrouwen,,,,ja,\n" +
		"Buurtlunch,eten,,,,-1,vr,,,12:30,13:30,Keuken,,,\"3,50\",ja,ja,\n" +
		"Buurtfeest,ontmoeten,2027-06-19,,,,,,,16:00,24:00,Tuin,,,,,,\n"))
	f.Add([]byte("title;weekdays;start;end;cost\nStoelgym;di;10:00;11:00;3,50\n"))
	f.Add([]byte("title,date,start,end\n\"Koffie\nthee\",2026-03-10,10:00,11:00\n"))
	f.Add([]byte("title,date,start,end,source\n'=1+1,2026-03-10,10:00,11:00,'-x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		imp, err := calendar.ParseCSV(bytes.NewReader(data), calendar.Options{})
		if err != nil {
			if !reflect.DeepEqual(imp, calendar.Import{}) {
				t.Fatalf("error %v came with an import", err)
			}
			return
		}
		checkFuzzed(t, imp)
		var acts []programme.Activity
		for _, s := range imp.Sources {
			acts = append(acts, s.Activities...)
		}
		var buf bytes.Buffer
		if err := calendar.WriteCSV(&buf, acts); err != nil {
			t.Fatal(err)
		}
		again, err := calendar.ParseCSV(&buf, calendar.Options{})
		if err != nil {
			t.Fatalf("the export of a sheet that was read does not read: %v", err)
		}
		for i := range again.Sources { // the rows move up when blank ones go
			again.Sources[i].Line = imp.Sources[i].Line
		}
		if !reflect.DeepEqual(again.Sources, imp.Sources) {
			t.Fatalf("read, written and read again:\n got %+v\nwant %+v", again.Sources, imp.Sources)
		}
	})
}

func checkFuzzed(t *testing.T, imp calendar.Import) {
	t.Helper()
	for _, s := range imp.Sources {
		ids := map[int64]bool{}
		for _, a := range s.Activities {
			if err := a.Validate(); err != nil {
				t.Fatalf("%s: invalid activity %+v: %v", s.Key, a, err)
			}
			if a.Source != s.Key || s.Key == "" {
				t.Fatalf("activity source %q in source %q", a.Source, s.Key)
			}
			ids[a.ID] = true
		}
		for _, x := range s.Exceptions {
			if err := x.Validate(); err != nil || !ids[x.ActivityID] {
				t.Fatalf("%s: exception %+v: %v", s.Key, x, err)
			}
		}
	}
}
