package figures

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// Headings are a table's column names in one language: the rows' name
// ("onderwerp", "topic") and the totals'.
type Headings struct {
	Row, Total string
}

// WriteCSV writes s as a CSV file Excel opens as it is: UTF-8 with a byte
// order mark (without it Excel reads UTF-8 as Windows-1252 and garbles
// "ü" and "ş"), one header row, ISO 8601 period labels, a row per key
// named by name, and the totals last; a hidden figure is "< 5".
func WriteCSV(w io.Writer, s Shown, h Headings, name func(key string) string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	c := csv.NewWriter(w)
	c.UseCRLF = true // Excel's own line ends
	header := append(append([]string{h.Row}, s.Cols...), h.Total)
	if err := c.Write(header); err != nil {
		return err
	}
	for i, key := range s.Rows {
		row := []string{name(key)}
		for _, v := range s.Cells[i] {
			row = append(row, v.String())
		}
		if err := c.Write(append(row, s.RowTotals[i].String())); err != nil {
			return err
		}
	}
	totals := []string{h.Total}
	for _, v := range s.ColTotals {
		totals = append(totals, v.String())
	}
	if err := c.Write(append(totals, s.Total.String())); err != nil {
		return err
	}
	c.Flush()
	return c.Error()
}

// TimingHeadings name the columns of a timing table.
type TimingHeadings struct {
	Key, Count, Median, P90 string
}

// WriteTimingsCSV writes timings as WriteCSV does a table: minutes as
// whole numbers, hidden counts "< 5" with empty times.
func WriteTimingsCSV(w io.Writer, ts []Timing, h TimingHeadings, name func(key string) string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	c := csv.NewWriter(w)
	c.UseCRLF = true
	if err := c.Write([]string{h.Key, h.Count, h.Median, h.P90}); err != nil {
		return err
	}
	for _, t := range ts {
		median, p90 := "", ""
		if !t.N.Hidden {
			median, p90 = strconv.Itoa(int(t.Median.Minutes())), strconv.Itoa(int(t.P90.Minutes()))
		}
		if err := c.Write([]string{name(t.Key), t.N.String(), median, p90}); err != nil {
			return err
		}
	}
	c.Flush()
	return c.Error()
}

// WriteTable writes s as tab-separated columns for a tabwriter: the
// command line's view of a table.
func WriteTable(w io.Writer, s Shown, h Headings, name func(key string) string) error {
	line := func(cells []string) error {
		_, err := io.WriteString(w, strings.Join(cells, "\t")+"\t\n")
		return err
	}
	if err := line(append(append([]string{h.Row}, s.Cols...), h.Total)); err != nil {
		return err
	}
	for i, key := range s.Rows {
		row := []string{name(key)}
		for _, v := range s.Cells[i] {
			row = append(row, v.String())
		}
		if err := line(append(row, s.RowTotals[i].String())); err != nil {
			return err
		}
	}
	totals := []string{h.Total}
	for _, v := range s.ColTotals {
		totals = append(totals, v.String())
	}
	return line(append(totals, s.Total.String()))
}

// WriteTimings writes timings as WriteTable does a table.
func WriteTimings(w io.Writer, ts []Timing, h TimingHeadings, name func(key string) string) error {
	if _, err := io.WriteString(w, strings.Join([]string{h.Key, h.Count, h.Median, h.P90}, "\t")+"\t\n"); err != nil {
		return err
	}
	for _, t := range ts {
		median, p90 := "", ""
		if !t.N.Hidden {
			median, p90 = strconv.Itoa(int(t.Median.Minutes())), strconv.Itoa(int(t.P90.Minutes()))
		}
		if _, err := io.WriteString(w, strings.Join([]string{name(t.Key), t.N.String(), median, p90}, "\t")+"\t\n"); err != nil {
			return err
		}
	}
	return nil
}

// Legend says what "< 5" and "x" mean, in lang.
func Legend(lang string) string {
	if lang == "en" {
		return "< 5: fewer than 5, not shown so that no one can be recognised. x: hidden so that such a count cannot be worked out from the totals."
	}
	return "< 5: minder dan 5, niet getoond zodat niemand herkenbaar is. x: verborgen zodat zo'n telling niet uit de totalen terug te rekenen is."
}
