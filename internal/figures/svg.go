package figures

import (
	"fmt"
	"html"
	"strings"
)

// A Bar is one bar of a chart: its label and its figure, which may be
// hidden ("< 5" or "x" is written where the bar would be). Mark, when
// set, is a second figure drawn as a tick on the bar (a 90th percentile
// beside a median).
type Bar struct {
	Label string
	Value Value
	Mark  int
}

// BarChart draws bars as an SVG image, in plain SVG with presentation
// attributes only: it scales to a phone and to A4, needs no script and no
// inline style (the pages' Content-Security-Policy stays default-src
// 'self'), and prints as vectors. Four kinds of bars are all the figures
// need, so a plotting library would bring more than it gives. Horizontal
// bars suit long labels (topics, partners); vertical ones many short ones
// (weeks, hours).
func BarChart(title string, bars []Bar, horizontal bool) string {
	max := 1
	for _, b := range bars {
		if !b.Value.Hidden && b.Value.N > max {
			max = b.Value.N
		}
		if b.Mark > max {
			max = b.Mark
		}
	}
	var s strings.Builder
	esc := html.EscapeString
	const ink, bar, tick = "#1e1b18", "#0b5c5c", "#b3261e"
	if horizontal {
		const labelW, barW, rowH = 220, 420, 28
		h := rowH*len(bars) + 8
		fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`, labelW+barW+70, h, labelW+barW+70, h, esc(title))
		for i, b := range bars {
			y := 4 + i*rowH
			fmt.Fprintf(&s, `<text x="%d" y="%d" text-anchor="end" font-size="14" fill="%s">%s</text>`, labelW-8, y+19, ink, esc(b.Label))
			if b.Value.Hidden {
				fmt.Fprintf(&s, `<text x="%d" y="%d" font-size="14" fill="%s">%s</text>`, labelW, y+19, ink, esc(b.Value.String()))
				continue
			}
			w := b.Value.N * barW / max
			fmt.Fprintf(&s, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, labelW, y+4, w, rowH-8, bar)
			if b.Mark > 0 {
				mx := labelW + b.Mark*barW/max
				fmt.Fprintf(&s, `<rect x="%d" y="%d" width="3" height="%d" fill="%s"/>`, mx-1, y+1, rowH-2, tick)
			}
			fmt.Fprintf(&s, `<text x="%d" y="%d" font-size="14" fill="%s">%d</text>`, labelW+w+6, y+19, ink, b.Value.N)
		}
		s.WriteString(`</svg>`)
		return s.String()
	}
	const colW, plotH, top, bottom = 28, 200, 22, 64
	w := colW*len(bars) + 16
	full := w + 48 // room for the last label, slanted
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`, full, top+plotH+bottom, full, top+plotH+bottom, esc(title))
	fmt.Fprintf(&s, `<rect x="8" y="%d" width="%d" height="1" fill="%s"/>`, top+plotH, w-16, ink)
	for i, b := range bars {
		x := 8 + i*colW
		fmt.Fprintf(&s, `<text x="%d" y="%d" font-size="11" fill="%s" transform="rotate(45 %d %d)">%s</text>`,
			x+6, top+plotH+14, ink, x+6, top+plotH+14, esc(b.Label))
		if b.Value.Hidden {
			fmt.Fprintf(&s, `<text x="%d" y="%d" font-size="10" text-anchor="middle" fill="%s">%s</text>`, x+colW/2, top+plotH-4, ink, esc(b.Value.String()))
			continue
		}
		h := b.Value.N * plotH / max
		fmt.Fprintf(&s, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, x+3, top+plotH-h, colW-6, h, bar)
		fmt.Fprintf(&s, `<text x="%d" y="%d" font-size="10" text-anchor="middle" fill="%s">%d</text>`, x+colW/2, top+plotH-h-4, ink, b.Value.N)
	}
	s.WriteString(`</svg>`)
	return s.String()
}

// ChartData is what one chart shows: its title and bars, lying down
// (long labels) or standing (many short ones).
type ChartData struct {
	Title      string
	Bars       []Bar
	Horizontal bool
}

// ChartData are a report's four charts: questions per period, time to
// the first contact per topic (median, the 90th percentile as a tick),
// referrals per partner, and kiosk use by hour of the day. The page draws
// them as SVG, the PDF with its own lines.
func (r Report) ChartData(n Namer) []ChartData {
	var perPeriod, hours []Bar
	for j, c := range r.Questions.Cols {
		perPeriod = append(perPeriod, Bar{Label: c, Value: r.Questions.ColTotals[j]})
	}
	for j, c := range r.Screens.Cols {
		hours = append(hours, Bar{Label: c, Value: r.Screens.ColTotals[j]})
	}
	timed := func(ts []Timing, name func(string) string, minutes bool) []Bar {
		var out []Bar
		for _, t := range ts {
			b := Bar{Label: name(t.Key), Value: t.N}
			if minutes && !t.N.Hidden {
				b.Value = Value{N: int(t.Median.Minutes())}
				b.Mark = int(t.P90.Minutes())
			}
			out = append(out, b)
		}
		return out
	}
	words := chartWords[n.Lang]
	if words == nil {
		words = chartWords["nl"]
	}
	return []ChartData{
		{Title: words[0], Bars: perPeriod},
		{Title: words[1], Bars: timed(r.Contact, n.Topic, true), Horizontal: true},
		{Title: words[2], Bars: timed(r.Referrals, func(k string) string { return k }, false), Horizontal: true},
		{Title: words[3], Bars: hours},
	}
}

// Charts are a report's charts as SVG.
func (r Report) Charts(n Namer) []Chart {
	var out []Chart
	for _, c := range r.ChartData(n) {
		out = append(out, Chart{Title: c.Title, SVG: BarChart(c.Title, c.Bars, c.Horizontal)})
	}
	return out
}

// Chart is one chart of a report, as SVG markup.
type Chart struct {
	Title, SVG string
}

var chartWords = map[string][]string{
	"nl": {"Vragen per periode", "Tijd tot het eerste contact (minuten: mediaan, streepje 90e percentiel)", "Doorverwijzingen per partner", "Kiosk: schermen per uur van de dag"},
	"en": {"Questions per period", "Time to first contact (minutes: median, tick 90th percentile)", "Referrals per partner", "Kiosk: screens per hour of the day"},
}
