package figures

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/programme"
)

// kept is figures as a store keeps them, for Build.
type kept struct {
	counts    map[string][]Count
	durations map[string][]Duration
	screens   []ScreenCount
}

func (k kept) ScreenUse(_ context.Context, from, to programme.Date) ([]ScreenCount, error) {
	return k.screens, nil
}

func (k kept) Unclaimed(_ context.Context, from, to programme.Date) ([]Count, error) {
	return k.Counts(context.Background(), "unclaimed", from, to)
}

func (k kept) Occurrences(context.Context, programme.Date, programme.Date) ([]programme.Occurrence, error) {
	eten := programme.Activity{Category: "eten"}
	return []programme.Occurrence{
		{Activity: eten, Date: programme.NewDate(2026, 10, 5)},
		{Activity: eten, Date: programme.NewDate(2026, 10, 12), Cancelled: true},
		{Activity: eten, Date: programme.NewDate(2026, 10, 19), Moved: true},
		{Activity: eten, Date: programme.NewDate(2027, 1, 4)}, // still to come
	}, nil
}

func (k kept) Counts(_ context.Context, m string, from, to programme.Date) ([]Count, error) {
	var out []Count
	for _, c := range k.counts[m] {
		if !c.Day.Before(from) && !c.Day.After(to) {
			out = append(out, c)
		}
	}
	return out, nil
}

func (k kept) Durations(_ context.Context, m string, from, to programme.Date) ([]Duration, error) {
	var out []Duration
	for _, d := range k.durations[m] {
		if !d.Day.Before(from) && !d.Day.After(to) {
			out = append(out, d)
		}
	}
	return out, nil
}

// TestBuildAQuarter counts a quarter per month: days land in their
// month, the small-cell rule applies per table, and times give the
// median and 90th percentile, hidden under five.
func TestBuildAQuarter(t *testing.T) {
	d := programme.NewDate
	k := kept{counts: map[string][]Count{
		MeasureQuestions: {
			{d(2026, 10, 1), "geld", 20}, {d(2026, 10, 31), "geld", 5}, {d(2026, 11, 3), "geld", 9}, {d(2026, 12, 24), "geld", 12},
			{d(2026, 10, 2), "wonen", 2}, {d(2026, 11, 2), "wonen", 11}, {d(2026, 12, 2), "wonen", 30},
			{d(2027, 1, 2), "wonen", 100}, // after the quarter
		},
		MeasureTopicLanguage: {{d(2026, 10, 1), "geld|nl", 20}, {d(2026, 10, 1), "geld|tr", 3}, {d(2026, 11, 1), "wonen|nl", 8}},
	}, durations: map[string][]Duration{
		MeasureContact: {{Day: d(2026, 10, 1), Key: "geld", Minutes: 10}, {Day: d(2026, 10, 1), Key: "geld", Minutes: 20}, {Day: d(2026, 10, 1), Key: "geld", Minutes: 30},
			{Day: d(2026, 10, 1), Key: "geld", Minutes: 40}, {Day: d(2026, 10, 1), Key: "geld", Minutes: 50}, {Day: d(2026, 10, 1), Key: "geld", Minutes: 600},
			{Day: d(2026, 10, 1), Key: "wonen", Minutes: 5}},
	}, screens: []ScreenCount{{"2026-10-01T09", "today", 30}, {"2026-11-05T09", "today", 12}, {"2026-11-05T14", "today", 3}, {"2026-11-05T14", "my-slip", 20}}}
	r, err := Build(context.Background(), k, d(2026, 10, 1), d(2026, 12, 31), d(2026, 12, 31), Month)
	if err != nil {
		t.Fatal(err)
	}
	q := r.Questions
	if len(q.Cols) != 3 || q.Cols[0] != "2026-10" || q.Rows[0] != "geld" || q.Rows[1] != "wonen" {
		t.Fatalf("table %v × %v", q.Rows, q.Cols)
	}
	if q.Cells[0][0].N != 25 || q.RowTotals[0].N != 46 || q.Total.N != 89 {
		t.Errorf("geld October %v, total %v, whole %v", q.Cells[0][0], q.RowTotals[0], q.Total)
	}
	if !q.Cells[1][0].Hidden { // wonen in October: 2
		t.Errorf("wonen's 2 in October is shown")
	}
	tl := r.TopicLanguages
	if tl.Cols[1] != "tr" || !tl.Cells[0][1].Hidden {
		t.Errorf("geld in Turkish (3) is shown: %v", tl.Cells)
	}
	if len(r.Contact) != 2 || r.Contact[0].Median != 30*time.Minute || r.Contact[0].P90 != 600*time.Minute {
		t.Errorf("contact times %+v", r.Contact)
	}
	if w := r.Contact[1]; !w.N.Hidden || w.Median != 0 {
		t.Errorf("one contact for wonen is shown: %+v", w)
	}
	if p := r.Programme; len(p.Rows) != 1 || p.Cells[0][0].N != 2 || p.Cells[0][1].N != 1 || p.Cells[0][2].N != 1 || p.RowTotals[0].N != 3 {
		t.Errorf("programme per category: %+v", p)
	}
	sc := r.Screens
	if len(sc.Cols) != 24 || sc.Rows[1] != "today" || sc.Cells[1][9].N != 42 || !sc.Cells[1][14].Hidden {
		t.Errorf("screen use by hour: rows %v, today %v", sc.Rows, sc.Cells)
	}
}

// TestCSVOpensInExcel: a byte order mark, one header row, a row per key,
// the totals last, "< 5" for what is hidden, CRLF line ends.
func TestCSVOpensInExcel(t *testing.T) {
	s := Suppress(Table{Rows: []string{"geld", "wonen"}, Cols: []string{"2026-11", "2026-12"}, Cells: [][]int{{20, 12}, {2, 30}}})
	var b strings.Builder
	names := map[string]string{"geld": "Geld & post", "wonen": "Wonen"}
	if err := WriteCSV(&b, s, Headings{Row: "onderwerp", Total: "totaal"}, func(k string) string { return names[k] }); err != nil {
		t.Fatal(err)
	}
	// The 2 is small; the 30, 20 and 12 guard it ("x"), else it would
	// be a row or column total less the rest.
	want := "\ufeffonderwerp,2026-11,2026-12,totaal\r\n" +
		"Geld & post,x,x,32\r\n" +
		"Wonen,< 5,x,32\r\n" +
		"totaal,22,42,64\r\n"
	if b.String() != want {
		t.Errorf("CSV:\n%q\nwant:\n%q", b.String(), want)
	}
}

// TestBarChartIsPlainSVG: the chart escapes its labels, writes hidden
// figures as text, and has no script or style.
func TestBarChartIsPlainSVG(t *testing.T) {
	svg := BarChart("Vragen", []Bar{{Label: "<b>Geld</b>", Value: Value{N: 12}}, {Label: "Wonen", Value: Value{N: 3, Hidden: true}}}, true)
	for _, want := range []string{"&lt;b&gt;Geld&lt;/b&gt;", ">12<", ">&lt; 5<", `aria-label="Vragen"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q:\n%s", want, svg)
		}
	}
	for _, never := range []string{"<script", "style=", "<b>"} {
		if strings.Contains(svg, never) {
			t.Errorf("chart has %q", never)
		}
	}
}

// The outcomes read in the order they are offered, not by key.
func TestOutcomesInTheOrderOffered(t *testing.T) {
	day := programme.NewDate(2026, 10, 5)
	k := kept{counts: map[string][]Count{MeasureOutcome: {
		{Day: day, Key: "other", N: 6}, {Day: day, Key: "helped", N: 9}, {Day: day, Key: "passed_on", N: 7}, {Day: day, Key: "no_contact", N: 8},
	}}}
	r, err := Build(context.Background(), k, day, day, day, Year)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.Outcomes.Rows, " "); got != "helped passed_on no_contact other" {
		t.Errorf("outcome rows %q", got)
	}
	if r.Outcomes.RowTotals[0].N != 9 {
		t.Errorf("the rows' totals did not move with them: %+v", r.Outcomes.RowTotals)
	}
}

// Steps read as a histogram, each minute with its weight, have the
// times of the same steps one by one.
func TestTimingsOfWeightedSteps(t *testing.T) {
	var one, weighted []Duration
	for i, w := range []int{3, 1, 7, 2, 12, 1, 5} {
		weighted = append(weighted, Duration{Key: "geld", Minutes: 10 * i, Weight: w})
		for range w {
			one = append(one, Duration{Key: "geld", Minutes: 10 * i})
		}
	}
	weighted = append(weighted, Duration{Key: "wonen", Minutes: 5, Weight: 4}, Duration{Key: "werk", Minutes: 8})
	one = append(one, Duration{Key: "wonen", Minutes: 5}, Duration{Key: "wonen", Minutes: 5}, Duration{Key: "wonen", Minutes: 5},
		Duration{Key: "wonen", Minutes: 5}, Duration{Key: "werk", Minutes: 8})
	got, want := timings(weighted), timings(one)
	if !slices.Equal(got, want) {
		t.Errorf("weighted %+v, one by one %+v", got, want)
	}
	if len(want) != 3 || want[0].N.N != 31 || want[0].Median != 40*time.Minute || want[0].P90 != 60*time.Minute || !want[2].N.Hidden {
		t.Errorf("timings %+v", want)
	}
}
