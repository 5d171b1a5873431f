package calendar_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"buurtbalie/internal/calendar"
	"buurtbalie/internal/programme"
)

// Every reason the package's code gives is in Reasons, so that the
// catalogue test that walks Reasons finds a text for each.
func TestReasonsComplete(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	given := regexp.MustCompile(`(?:skip|note)\(\w+, "([a-z_]+)"|Reason: "([a-z_]+)"|^\s*"([a-z_]+)":\s+"`)
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			m := given.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			reason := m[1] + m[2] + m[3]
			found++
			if !slices.Contains(calendar.Reasons, reason) {
				t.Errorf("%s: reason %q is not in calendar.Reasons", f, reason)
			}
		}
	}
	if found < 15 {
		t.Errorf("found %d reasons in the code, want at least 15: has the way they are given changed?", found)
	}
}

func TestErrorReason(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&calendar.ParseError{Line: 3, Err: fmt.Errorf("%w: no END", calendar.ErrMalformed)}, "malformed"},
		{fmt.Errorf("read: %w", calendar.ErrTooLarge), "too_large"},
		{calendar.ErrUnknownFormat, "unknown_format"},
		{&calendar.ParseError{Format: calendar.CSV, Err: fmt.Errorf("%w: x", calendar.ErrHeader)}, "bad_header"},
		{&calendar.ParseError{Format: calendar.CSV, Err: fmt.Errorf("%w: x", calendar.ErrValue)}, "bad_value"},
		{fmt.Errorf("row 3: %w", &programme.InvalidError{Reason: "title_required"}), "title_required"},
		{errors.New("disk full"), "other"},
	}
	for _, tt := range tests {
		if got := calendar.ErrorReason(tt.err); got != tt.want {
			t.Errorf("ErrorReason(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestOwn(t *testing.T) {
	imp := parseFile(t, "skipped.ics")
	imp.Own("sub:7:")
	if imp.Owner != "sub:7:" {
		t.Errorf("Owner = %q, want sub:7:", imp.Owner)
	}
	for _, s := range imp.Sources {
		if !strings.HasPrefix(s.Key, "sub:7:ics:") {
			t.Errorf("source key %q does not start with sub:7:ics:", s.Key)
		}
	}
	for _, i := range imp.Report.Skipped {
		if i.Source != "" && !strings.HasPrefix(i.Source, "sub:7:") {
			t.Errorf("skipped source %q does not start with sub:7:", i.Source)
		}
	}
}
