package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// run runs the program with args on a fresh data folder and no config
// file of the machine's.
func run(t *testing.T, data string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	cfg := t.TempDir()
	m := &Main{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string {
		switch k {
		case "XDG_CONFIG_HOME":
			return cfg
		case "XDG_DATA_HOME":
			return data
		}
		return ""
	}}
	err = m.Run(context.Background(), args)
	return out.String(), errOut.String(), err
}

func TestProgrammeJSON(t *testing.T) {
	data := t.TempDir()
	out, _, err := run(t, data, "programme", "--data", data, "--date", "2026-11-24", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var occs []struct {
		Title, Start, End, Room, Category string
		Cancelled                         *bool
	}
	if err := json.Unmarshal([]byte(out), &occs); err != nil {
		t.Fatalf("output is not a JSON array: %v\n%s", err, out)
	}
	if len(occs) == 0 {
		t.Fatalf("the demo programme has nothing on Tuesday 24 November")
	}
	for _, o := range occs {
		start, err1 := time.Parse(time.RFC3339, o.Start)
		end, err2 := time.Parse(time.RFC3339, o.End)
		if err1 != nil || err2 != nil || !end.After(start) {
			t.Errorf("%s: start %q end %q, want RFC 3339 with end after start", o.Title, o.Start, o.End)
		}
		if _, off := start.Zone(); off != 3600 {
			t.Errorf("%s: offset %d s, want +01:00 in November", o.Title, off)
		}
		if o.Title == "" || o.Room == "" || o.Category == "" || o.Cancelled == nil {
			t.Errorf("incomplete occurrence %+v", o)
		}
	}
	// Summer time: the same weekly activity carries +02:00 in June.
	out, _, err = run(t, data, "programme", "--data", data, "--date", "2027-06-01", "--json")
	if err != nil || !strings.Contains(out, "+02:00") {
		t.Errorf("June programme lacks +02:00 offsets (err %v):\n%s", err, out)
	}
}

func TestProgrammeTableAndDemoRemove(t *testing.T) {
	data := t.TempDir()
	out, _, err := run(t, data, "programme", "--data", data, "--date", "2026-11-24")
	if err != nil || !strings.Contains(out, "2026-11-24") || strings.Count(out, "\n") < 3 {
		t.Fatalf("table output (err %v):\n%s", err, out)
	}
	out, _, err = run(t, data, "demo", "remove", "--data", data)
	if err != nil || !strings.HasPrefix(out, "removed ") {
		t.Fatalf("demo remove: %v %q", err, out)
	}
	out, _, err = run(t, data, "programme", "--data", data, "--date", "2026-11-24", "--json")
	if err != nil || strings.TrimSpace(out) != "[]" {
		t.Errorf("after removing the demo the day is not empty (err %v): %s", err, out)
	}
}

// Bad values are refused with a message that says what to fix.
func TestBadInputIsExplained(t *testing.T) {
	data := t.TempDir()
	conf := filepath.Join(t.TempDir(), "bad.conf")
	if err := os.WriteFile(conf, []byte("# kiosk\nidle = soon\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"programme", "--date", "23-11-2026"}, "is not a date like 2026-11-23"},
		{[]string{"programme", "--date", "2026-02-30"}, "is not a date like"},
		{[]string{"--idle", "2s"}, "--idle 2s is out of range; choose between 10s and 1h"},
		{[]string{"--idle", "lang"}, `invalid value "lang" for flag -idle`},
		{[]string{"--still-there", "1h"}, "--still-there 1h0m0s is out of range"},
		{[]string{"--accent", "yellow"}, `"yellow" is not a colour like #0b5c5c`},
		{[]string{"--accent", "#ffee00"}, "choose a darker colour"},
		{[]string{"--language", "de"}, "no translation file for the default language"},
		{[]string{"--language", "xx"}, "is not a language tag like nl or en"},
		{[]string{"--timezone", "Mars/Olympus"}, "is not a time zone"},
		{[]string{"--arabic-digits", "indian"}, `--arabic-digits "indian": choose western (12:30) or eastern`},
		{[]string{"--house-name", " "}, "--house-name is empty"},
		{[]string{"--config", conf}, "bad.conf, line 2: idle:"},
		{[]string{"--config", "/no/such/file.conf"}, "config file: open /no/such/file.conf"},
		{[]string{"screenshot"}, "--out is missing"},
		{[]string{"screenshot", "--out", t.TempDir(), "--size", "big"}, `"big" is not a size like 1280x800`},
		{[]string{"screenshot", "--out", t.TempDir(), "--at", "tomorrow"}, "is not a moment like 2026-11-23T10:45"},
		{[]string{"screenshot", "--out", t.TempDir(), "--lang", "xx"}, `--lang "xx": there is no such language; choose one of nl, `},
		{[]string{"print-test", "--out", filepath.Join(t.TempDir(), "s.pdf"), "--lang", "xx"}, `--lang "xx": there is no such language; choose one of nl, `},
		{[]string{"programme", "extra"}, `unexpected "extra"`},
		{[]string{"frobnicate"}, `there is no command "frobnicate"`},
		{[]string{"demo"}, `say "buurtbalie demo remove"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			args := append([]string{}, tt.args...)
			if len(args) > 0 && args[0] != "frobnicate" && args[0] != "demo" {
				args = append(args, "--data", data)
			}
			if args[0] == "programme" && len(args) > 1 && args[1] == "extra" {
				args = []string{"programme", "--data", data, "extra"}
			}
			refused(t, data, args, tt.want)
		})
	}
}

// refused runs the program and checks it refuses with a usage error (exit
// status 2) whose message, or what it printed, says want.
func refused(t *testing.T, data string, args []string, want string) {
	t.Helper()
	_, stderr, err := run(t, data, args...)
	if err == nil {
		t.Fatalf("no error, want one containing %q", want)
	}
	if msg := err.Error() + stderr; !strings.Contains(msg, want) {
		t.Errorf("error %q, want it to contain %q", err, want)
	}
	var usage *usageError
	if !errors.As(err, &usage) {
		t.Errorf("error %v is not a usage error (exit status 2)", err)
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	for _, cmd := range [][]string{{"--help"}, {"programme", "--help"}, {"screenshot", "--help"}, {"demo", "remove", "--help"}} {
		_, stderr, err := run(t, t.TempDir(), cmd...)
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr, "Usage:") || !strings.Contains(stderr, "-data") {
			t.Errorf("%v: err %v, stderr:\n%s", cmd, err, stderr)
		}
	}
}

// The screenshot command renders every screen with no display.
func TestScreenshot(t *testing.T) {
	data, out := t.TempDir(), t.TempDir()
	stdout, _, err := run(t, data, "screenshot", "--data", data, "--out", out, "--at", "2026-11-24T10:30")
	if err != nil {
		t.Fatal(err)
	}
	files := strings.Fields(stdout)
	if len(files) < 6 {
		t.Fatalf("wrote %d files, want every screen: %v", len(files), files)
	}
	for _, f := range files {
		if st, err := os.Stat(f); err != nil || st.Size() < 10000 {
			t.Errorf("%s: %v (size %v)", f, err, st)
		}
	}
}
