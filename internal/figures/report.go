package figures

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"buurtbalie/internal/programme"
)

// Source gives the figures a house kept (sqlite.FigureService).
type Source interface {
	Counts(ctx context.Context, measure string, from, to programme.Date) ([]Count, error)
	// Durations may leave the days out.
	Durations(ctx context.Context, measure string, from, to programme.Date) ([]Duration, error)
	ScreenUse(ctx context.Context, from, to programme.Date) ([]ScreenCount, error)
	// Unclaimed counts, by the day asked and topic, the questions of
	// from..to still waiting for a first contact PickUpWithin after.
	Unclaimed(ctx context.Context, from, to programme.Date) ([]Count, error)
	// Occurrences is the programme of the days from..to.
	Occurrences(ctx context.Context, from, to programme.Date) ([]programme.Occurrence, error)
}

// A Report is a house's figures over a run of days, as staff show them:
// every table with the small-cell rule applied. Its rows are keys (topic
// keys, language tags, partner names); the pages and files name them.
type Report struct {
	From, To programme.Date
	Grain    Grain
	Periods  []Period

	Questions      Shown // by topic × period
	Languages      Shown // by language × period
	TopicLanguages Shown // by topic × language, over the whole run
	FollowUp       Shown // waiting here or coming back × period
	NoText         Shown // "Sla over", by topic × period
	NoSlip         Shown // no slip printed, by topic × period

	// NotPickedUp is per topic × period the questions asked then that
	// had no first contact within a day (PickUpWithin), whether they
	// had it later or are still waiting.
	NotPickedUp Shown
	Outcomes    Shown // questions closed, by outcome × period

	Contact   []Timing // time to the first contact, by topic
	Closed    []Timing // time to closing, by topic
	Referrals []Timing // referrals and their time, by partner

	Screens Shown // how often each screen opened, by hour of the day (00–23)

	// Programme is per category how many activities were held, did not
	// take place, and were held in another room or at another time, up
	// to today: the house's programme, not its visitors, so nothing is
	// hidden.
	Programme Shown
}

// Timing is how many follow-up steps of one key there were and how long
// they took. Fewer than MinCount hide the count and the times.
type Timing struct {
	Key         string
	N           Value
	Median, P90 time.Duration
}

// Build reads the figures of from..to per grain from src.
//
// today bounds the programme's figures: what is still to come was not
// held, nor cancelled yet.
func Build(ctx context.Context, src Source, from, to, today programme.Date, g Grain) (Report, error) {
	r := Report{From: from, To: to, Grain: g, Periods: Periods(g, from, to)}
	perPeriod := func(measure string) (Shown, error) {
		counts, err := src.Counts(ctx, measure, from, to)
		if err != nil {
			return Shown{}, err
		}
		return Suppress(r.byPeriod(counts)), nil
	}
	var err error
	for _, t := range []struct {
		measure string
		into    *Shown
	}{
		{MeasureQuestions, &r.Questions}, {MeasureLanguage, &r.Languages}, {MeasureFollowUp, &r.FollowUp},
		{MeasureNoText, &r.NoText}, {MeasureNoSlip, &r.NoSlip}, {MeasureOutcome, &r.Outcomes},
	} {
		if *t.into, err = perPeriod(t.measure); err != nil {
			return Report{}, err
		}
	}
	r.Outcomes = inOrder(r.Outcomes, outcomeOrder)
	late, err := src.Counts(ctx, MeasureLate, from, to)
	if err != nil {
		return Report{}, err
	}
	waiting, err := src.Unclaimed(ctx, from, to)
	if err != nil {
		return Report{}, err
	}
	r.NotPickedUp = Suppress(r.byPeriod(append(late, waiting...)))
	tl, err := src.Counts(ctx, MeasureTopicLanguage, from, to)
	if err != nil {
		return Report{}, err
	}
	r.TopicLanguages = Suppress(topicByLanguage(tl))
	for _, t := range []struct {
		measure string
		into    *[]Timing
	}{{MeasureContact, &r.Contact}, {MeasureClosed, &r.Closed}, {MeasureReferral, &r.Referrals}} {
		ds, err := src.Durations(ctx, t.measure, from, to)
		if err != nil {
			return Report{}, err
		}
		*t.into = timings(ds)
	}
	use, err := src.ScreenUse(ctx, from, to)
	if err != nil {
		return Report{}, err
	}
	r.Screens = Suppress(byHourOfDay(use))
	occs, err := src.Occurrences(ctx, from, to)
	if err != nil {
		return Report{}, err
	}
	r.Programme = programmeTable(occs, today)
	return r, nil
}

// The columns of the programme table.
const (
	ColHeld      = "held"
	ColCancelled = "cancelled"
	ColChanged   = "changed"
)

// programmeTable counts the occurrences up to and with today per
// category: held, cancelled, and (of those held) moved or retimed. A
// row's total is what was planned: held and cancelled.
func programmeTable(occs []programme.Occurrence, today programme.Date) Shown {
	rows := map[string][3]int{}
	for _, o := range occs {
		if o.Date.After(today) {
			continue
		}
		c := rows[o.Activity.Category]
		switch {
		case o.Cancelled:
			c[1]++
		default:
			c[0]++
			if o.Moved || o.Retimed {
				c[2]++
			}
		}
		rows[o.Activity.Category] = c
	}
	s := Shown{Cols: []string{ColHeld, ColCancelled, ColChanged}, ColTotals: make([]Value, 3)}
	for _, k := range sortedKeys(rows) {
		c := rows[k]
		s.Rows = append(s.Rows, k)
		s.Cells = append(s.Cells, []Value{{N: c[0]}, {N: c[1]}, {N: c[2]}})
		s.RowTotals = append(s.RowTotals, Value{N: c[0] + c[1]})
		for j := range c {
			s.ColTotals[j].N += c[j]
		}
		s.Total.N += c[0] + c[1]
	}
	return s
}

// byHourOfDay adds screen use up per screen and hour of the day.
func byHourOfDay(use []ScreenCount) Table {
	t := Table{Cols: make([]string, 24)}
	for h := range t.Cols {
		t.Cols[h] = fmt.Sprintf("%02d", h)
	}
	rows := map[string][]int{}
	for _, c := range use {
		h, err := strconv.Atoi(c.Hour[len(c.Hour)-2:])
		if err != nil || h < 0 || h > 23 {
			continue
		}
		if rows[c.Screen] == nil {
			rows[c.Screen] = make([]int, 24)
		}
		rows[c.Screen][h] += c.N
	}
	for _, k := range sortedKeys(rows) {
		t.Rows = append(t.Rows, k)
		t.Cells = append(t.Cells, rows[k])
	}
	return t
}

// byPeriod is counts as a key × period table.
func (r Report) byPeriod(counts []Count) Table {
	t := Table{Cols: make([]string, len(r.Periods))}
	for i, p := range r.Periods {
		t.Cols[i] = p.Label
	}
	rows := map[string][]int{}
	for _, c := range counts {
		row := rows[c.Key]
		if row == nil {
			row = make([]int, len(r.Periods))
			rows[c.Key] = row
		}
		i := sort.Search(len(r.Periods), func(i int) bool { return !r.Periods[i].To.Before(c.Day) })
		if i < len(r.Periods) && !c.Day.Before(r.Periods[i].From) {
			row[i] += c.N
		}
	}
	for _, k := range sortedKeys(rows) {
		t.Rows = append(t.Rows, k)
		t.Cells = append(t.Cells, rows[k])
	}
	return t
}

// topicByLanguage is topic × language counts over the whole run.
func topicByLanguage(counts []Count) Table {
	sum := map[[2]string]int{}
	var topics, langs []string
	for _, c := range counts {
		topic, lang := SplitTopicLanguage(c.Key)
		sum[[2]string{topic, lang}] += c.N
		if !slices.Contains(topics, topic) {
			topics = append(topics, topic)
		}
		if !slices.Contains(langs, lang) {
			langs = append(langs, lang)
		}
	}
	slices.Sort(topics)
	slices.Sort(langs)
	t := Table{Rows: topics, Cols: langs}
	for _, topic := range topics {
		row := make([]int, len(langs))
		for j, lang := range langs {
			row[j] = sum[[2]string{topic, lang}]
		}
		t.Cells = append(t.Cells, row)
	}
	return t
}

// timings are the median and 90th percentile of ds per key.
func timings(ds []Duration) []Timing {
	by := map[string][]Duration{}
	for _, d := range ds {
		by[d.Key] = append(by[d.Key], d)
	}
	var out []Timing
	for _, k := range sortedKeys(by) {
		steps := by[k]
		slices.SortFunc(steps, func(a, b Duration) int { return a.Minutes - b.Minutes })
		n := 0
		for _, d := range steps {
			n += d.steps()
		}
		t := Timing{Key: k, N: Value{N: n, Hidden: n < MinCount}}
		if !t.N.Hidden {
			t.Median, t.P90 = minutes(percentile(steps, n, 50)), minutes(percentile(steps, n, 90))
		}
		out = append(out, t)
	}
	return out
}

// percentile is the nearest-rank p-th percentile of n steps, sorted by
// their minutes.
func percentile(sorted []Duration, n, p int) int {
	rank := max((p*n+99)/100, 1) // ceil(p/100 × n)
	for _, d := range sorted {
		if rank -= d.steps(); rank <= 0 {
			return d.Minutes
		}
	}
	return sorted[len(sorted)-1].Minutes
}

func minutes(n int) time.Duration { return time.Duration(n) * time.Minute }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// inOrder returns s with its rows in order (keys it does not name last,
// as they were): a table of choices reads in the order they are offered.
func inOrder(s Shown, order []string) Shown {
	rank := func(k string) int {
		if i := slices.Index(order, k); i >= 0 {
			return i
		}
		return len(order)
	}
	idx := make([]int, len(s.Rows))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return rank(s.Rows[idx[a]]) < rank(s.Rows[idx[b]]) })
	out := s
	out.Rows, out.Cells, out.RowTotals = make([]string, len(idx)), make([][]Value, len(idx)), make([]Value, len(idx))
	for i, j := range idx {
		out.Rows[i], out.Cells[i], out.RowTotals[i] = s.Rows[j], s.Cells[j], s.RowTotals[j]
	}
	return out
}
