package figures

import (
	"testing"

	"buurtbalie/internal/programme"
)

func TestPeriods(t *testing.T) {
	d := programme.NewDate
	for _, c := range []struct {
		g        Grain
		from, to programme.Date
		want     []string // label from..to
	}{
		{Week, d(2026, 12, 1), d(2026, 12, 14), []string{"2026-W49 2026-12-01..2026-12-06", "2026-W50 2026-12-07..2026-12-13", "2026-W51 2026-12-14..2026-12-14"}},
		{Week, d(2026, 12, 28), d(2027, 1, 4), []string{"2026-W53 2026-12-28..2027-01-03", "2027-W01 2027-01-04..2027-01-04"}},
		{Month, d(2026, 1, 15), d(2026, 3, 31), []string{"2026-01 2026-01-15..2026-01-31", "2026-02 2026-02-01..2026-02-28", "2026-03 2026-03-01..2026-03-31"}},
		{Quarter, d(2026, 1, 1), d(2026, 12, 31), []string{"2026-Q1 2026-01-01..2026-03-31", "2026-Q2 2026-04-01..2026-06-30", "2026-Q3 2026-07-01..2026-09-30", "2026-Q4 2026-10-01..2026-12-31"}},
		{Year, d(2025, 7, 1), d(2026, 6, 30), []string{"2025 2025-07-01..2025-12-31", "2026 2026-01-01..2026-06-30"}},
	} {
		got := Periods(c.g, c.from, c.to)
		if len(got) != len(c.want) {
			t.Fatalf("%s %v..%v: %d periods %v, want %v", c.g, c.from, c.to, len(got), got, c.want)
		}
		for i, p := range got {
			if s := p.Label + " " + p.From.String() + ".." + p.To.String(); s != c.want[i] {
				t.Errorf("%s period %d: %s, want %s", c.g, i, s, c.want[i])
			}
		}
	}
	if _, err := ParseGrain("fortnight"); err == nil {
		t.Error("fortnight accepted")
	}
}
