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

// Lines are s as rows of text, as every view of a table shows it: the
// header row, a row per key named by name with its total, and the totals
// last; a hidden figure is "< 5" or "x".
func (s Shown) Lines(h Headings, name func(key string) string) [][]string {
	lines := [][]string{append(append([]string{h.Row}, s.Cols...), h.Total)}
	for i, key := range s.Rows {
		row := []string{name(key)}
		for _, v := range s.Cells[i] {
			row = append(row, v.String())
		}
		lines = append(lines, append(row, s.RowTotals[i].String()))
	}
	totals := []string{h.Total}
	for _, v := range s.ColTotals {
		totals = append(totals, v.String())
	}
	return append(lines, append(totals, s.Total.String()))
}

// TimingLines are timings as rows of text: the header row, then a row
// per key, minutes as whole numbers, the times empty where the count is
// hidden.
func TimingLines(ts []Timing, h TimingHeadings, name func(key string) string) [][]string {
	lines := [][]string{{h.Key, h.Count, h.Median, h.P90}}
	for _, t := range ts {
		median, p90 := "", ""
		if !t.N.Hidden {
			median, p90 = strconv.Itoa(int(t.Median.Minutes())), strconv.Itoa(int(t.P90.Minutes()))
		}
		lines = append(lines, []string{name(t.Key), t.N.String(), median, p90})
	}
	return lines
}

// writeExcelCSV writes lines as a CSV file Excel opens as it is: UTF-8
// with a byte order mark (without it Excel reads UTF-8 as Windows-1252
// and garbles "ü" and "ş") and CRLF line ends.
func writeExcelCSV(w io.Writer, lines [][]string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	c := csv.NewWriter(w)
	c.UseCRLF = true
	if err := c.WriteAll(lines); err != nil {
		return err
	}
	return c.Error()
}

// writeColumns writes lines tab-separated for a tabwriter: the command
// line's view of a table.
func writeColumns(w io.Writer, lines [][]string) error {
	for _, l := range lines {
		if _, err := io.WriteString(w, strings.Join(l, "\t")+"\t\n"); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSV writes s as a CSV file for Excel (see Lines).
func WriteCSV(w io.Writer, s Shown, h Headings, name func(key string) string) error {
	return writeExcelCSV(w, s.Lines(h, name))
}

// TimingHeadings name the columns of a timing table.
type TimingHeadings struct {
	Key, Count, Median, P90 string
}

// WriteTimingsCSV writes timings as WriteCSV does a table.
func WriteTimingsCSV(w io.Writer, ts []Timing, h TimingHeadings, name func(key string) string) error {
	return writeExcelCSV(w, TimingLines(ts, h, name))
}

// WriteTable writes s as tab-separated columns for a tabwriter.
func WriteTable(w io.Writer, s Shown, h Headings, name func(key string) string) error {
	return writeColumns(w, s.Lines(h, name))
}

// WriteTimings writes timings as WriteTable does a table.
func WriteTimings(w io.Writer, ts []Timing, h TimingHeadings, name func(key string) string) error {
	return writeColumns(w, TimingLines(ts, h, name))
}

// Legend says what "< 5" and "x" mean, in lang.
func Legend(lang string) string {
	if lang == "en" {
		return "< 5: fewer than 5, not shown so that no one can be recognised. x: hidden so that such a count cannot be worked out from the totals."
	}
	return "< 5: minder dan 5, niet getoond zodat niemand herkenbaar is. x: verborgen zodat zo'n telling niet uit de totalen terug te rekenen is."
}
