package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const walkICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:walk-1@example\r\n" +
	"DTSTART;TZID=Europe/Amsterdam:20261124T100000\r\nDTEND;TZID=Europe/Amsterdam:20261124T113000\r\n" +
	"RRULE:FREQ=WEEKLY;BYDAY=TU\r\nSUMMARY:Wandelen in het park\r\nLOCATION:Ingang\r\nCATEGORIES:Bewegen\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

// import previews, applies, and on a second run changes nothing; export
// writes the documented header; a file that is neither is refused whole.
func TestImportAndExport(t *testing.T) {
	data := t.TempDir()
	if _, _, err := run(t, data, "programme", "--data", data, "--date", "2026-11-24"); err != nil {
		t.Fatal(err)
	}
	ics := filepath.Join(t.TempDir(), "agenda.ics")
	if err := os.WriteFile(ics, []byte(walkICS), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"import", ics, "--dry-run", "--data", data}, "would import (dry run, nothing changed) agenda.ics: 1 added"},
		{[]string{"import", ics, "--data", data}, "imported agenda.ics: 1 added"},
		{[]string{"import", ics, "--data", data}, "0 added, 0 changed, 1 unchanged"},
	} {
		out, _, err := run(t, data, tt.args...)
		if err != nil || !strings.Contains(out, tt.want) {
			t.Fatalf("%v: %q, %v; want %q", tt.args, out, err, tt.want)
		}
	}
	out, _, err := run(t, data, "programme", "--data", data, "--date", "2026-12-01")
	if err != nil || strings.Count(out, "Wandelen in het park") != 1 {
		t.Errorf("programme after two imports: %v\n%s", err, out)
	}
	out, _, err = run(t, data, "export", "--csv", "--data", data)
	if err != nil || !strings.HasPrefix(out, "title,category,date,weekdays") || !strings.Contains(out, "Wandelen in het park") {
		t.Errorf("export: %v\n%s", err, out)
	}
	bad := filepath.Join(t.TempDir(), "passwd")
	os.WriteFile(bad, []byte("root:x:0:0:root:/root:/bin/bash\n"), 0o644)
	if _, _, err := run(t, data, "import", bad, "--data", data); err == nil || !strings.Contains(err.Error(), "nothing was changed") {
		t.Errorf("a file that is no calendar: %v", err)
	}
}

// A house being set up often imports its calendar before anything else
// ran: import makes the database, with the demo programme as every first
// start does, and says so.
func TestImportOnFreshInstall(t *testing.T) {
	data := filepath.Join(t.TempDir(), "nog-niet-gemaakt")
	ics := filepath.Join(t.TempDir(), "agenda.ics")
	if err := os.WriteFile(ics, []byte(walkICS), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, data, "import", ics, "--data", data)
	if err != nil {
		t.Fatalf("import on a fresh install: %v", err)
	}
	for _, want := range []string{"created the database " + filepath.Join(data, "buurtbalie.db") + " with the demo programme", "imported agenda.ics: 1 added"} {
		if !strings.Contains(out, want) {
			t.Errorf("import on a fresh install said %q, want %q", out, want)
		}
	}
	out, _, err = run(t, data, "programme", "--data", data, "--date", "2026-12-01", "--json")
	if err != nil || !strings.Contains(out, "Wandelen in het park") || !strings.Contains(out, `"demo": true`) {
		t.Errorf("programme after the first import lacks the import or the demo (err %v):\n%s", err, out)
	}
	out, _, err = run(t, data, "import", ics, "--data", data)
	if err != nil || strings.Contains(out, "created the database") || !strings.Contains(out, "1 unchanged") {
		t.Errorf("second import: %q, %v; want it unchanged, and no new database", out, err)
	}
}
