package calendar

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"buurtbalie/internal/programme"
)

// Header is the header line WriteCSV writes; ParseCSV knows these columns,
// in any order.
const Header = "title,category,date,weekdays,interval,nth,weekday,from,until,start,end,room,host,description,cost,signup,wheelchair,source"

// maxSource is the longest source a CSV row may give.
const maxSource = 200

// ParseCSV reads a CSV sheet of activities (see the package comment for
// its columns). Any row that cannot be read or does not validate refuses
// the whole sheet, naming the row and the column.
func ParseCSV(r io.Reader, opts Options) (Import, error) {
	data, notes, err := readText(r)
	if err != nil {
		return Import{}, err
	}
	return parseCSV(data, notes, opts)
}

// csvFail makes the error that refuses a sheet at a row and column.
func csvFail(row int, column string, err error) error {
	return &ParseError{Format: CSV, Line: row, Column: column, Err: err}
}

func parseCSV(data []byte, notes []Issue, opts Options) (Import, error) {
	cats := newCategoryMatcher(opts.Categories)
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = delimiter(data)
	cr.FieldsPerRecord = -1 // a spreadsheet may leave out empty columns at the end
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true

	header, err := cr.Read()
	if err == io.EOF {
		return Import{}, csvFail(1, "", fmt.Errorf("%w: the sheet is empty; the first row names the columns: %s", ErrHeader, Header))
	}
	if err != nil {
		return Import{}, csvReadError(1, err)
	}
	cols, err := readHeader(header)
	if err != nil {
		return Import{}, err
	}

	imp := Import{Format: CSV, Report: Report{Notes: notes}}
	index := map[string]int{} // source key to its place in imp.Sources
	row := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		row++
		if err != nil {
			return Import{}, csvReadError(row, err)
		}
		if row > MaxRows+1 {
			return Import{}, csvFail(row, "", fmt.Errorf("%w: more than %d rows", ErrTooLarge, MaxRows))
		}
		if blank(rec) {
			continue
		}
		if len(rec) > len(cols) {
			for _, v := range rec[len(cols):] {
				if strings.TrimSpace(v) != "" {
					return Import{}, csvFail(row, "", fmt.Errorf("%w: the row has %d columns, the header %d", ErrValue, len(rec), len(cols)))
				}
			}
		}
		get := func(col string) string {
			for i, c := range cols {
				if c == col && i < len(rec) {
					return strings.TrimSpace(rec[i])
				}
			}
			return ""
		}
		a, err := readRow(get, cats)
		if err == nil {
			a.Titles, a.Descriptions = readTranslations(cols, get)
		}
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				pe.Line = row
			}
			return Import{}, err
		}
		imp.Report.Events++
		i, ok := index[a.Source]
		if !ok {
			i = len(imp.Sources)
			index[a.Source] = i
			imp.Sources = append(imp.Sources, Source{Key: a.Source, Title: a.Title, Line: row})
		}
		src := &imp.Sources[i]
		a.ID = int64(len(src.Activities) + 1)
		src.Activities = append(src.Activities, a)
	}
	// Each row is one activity; a sheet of more than a house has is
	// refused as a calendar is.
	if imp.Report.Events > MaxActivities {
		return Import{}, csvFail(MaxActivities+2, "", &TooManyError{AtLeast: imp.Report.Events, What: "sheet"})
	}
	return imp, nil
}

// csvReadError turns encoding/csv's error into a ParseError of the row.
func csvReadError(row int, err error) error {
	var ce *csv.ParseError
	if errors.As(err, &ce) {
		return csvFail(row, "", fmt.Errorf("%w (line %d of the file)", ce.Err, ce.Line))
	}
	return csvFail(row, "", err)
}

// delimiter guesses the separator from the header line: a Dutch
// spreadsheet writes ";", some programs a tab.
func delimiter(data []byte) rune {
	line := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		line = data[:i]
	}
	comma, semi, tab := bytes.Count(line, []byte(",")), bytes.Count(line, []byte(";")), bytes.Count(line, []byte("\t"))
	switch {
	case semi > comma && semi >= tab:
		return ';'
	case tab > comma && tab > semi:
		return '\t'
	}
	return ','
}

// readHeader checks the header and returns the column of each field.
func readHeader(header []string) ([]string, error) {
	known := map[string]bool{}
	for _, c := range strings.Split(Header, ",") {
		known[c] = true
	}
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		c := strings.ToLower(strings.TrimSpace(h))
		switch {
		case c == "" && i == len(header)-1:
			// A trailing separator.
		case !known[c] && translationColumn(c) == "":
			return nil, csvFail(1, h, fmt.Errorf("%w: unknown column; the columns are %s, and title_xx and description_xx for a language xx (title_tr)", ErrHeader, Header))
		case seen[c]:
			return nil, csvFail(1, h, fmt.Errorf("%w: the column is there twice", ErrHeader))
		}
		seen[c] = true
		cols[i] = c
	}
	for _, need := range []string{"title", "start", "end"} {
		if !seen[need] {
			return nil, csvFail(1, need, fmt.Errorf("%w: the header has no column %s; the columns are %s", ErrHeader, need, Header))
		}
	}
	if !seen["date"] && !seen["weekdays"] && !(seen["nth"] && seen["weekday"]) {
		return nil, csvFail(1, "date", fmt.Errorf("%w: the header needs a column date, weekdays, or nth and weekday", ErrHeader))
	}
	return cols, nil
}

// translationColumn returns the language of a title_xx or description_xx
// column (an activity's title or description in language xx), or "".
func translationColumn(col string) string {
	for _, prefix := range []string{"title_", "description_"} {
		if lang, ok := strings.CutPrefix(col, prefix); ok && len(lang) >= 2 && len(lang) <= 3 && strings.Trim(lang, "abcdefghijklmnopqrstuvwxyz") == "" {
			return lang
		}
	}
	return ""
}

// readTranslations reads a row's title_xx and description_xx cells. The
// activity's validation refuses one in a language without the Dutch.
func readTranslations(cols []string, get func(string) string) (titles, descriptions map[string]string) {
	for _, c := range cols {
		lang := translationColumn(c)
		v := get(c)
		if lang == "" || v == "" {
			continue
		}
		if strings.HasPrefix(c, "title_") {
			if titles == nil {
				titles = map[string]string{}
			}
			titles[lang] = plain(unguard(v), false)
		} else {
			if descriptions == nil {
				descriptions = map[string]string{}
			}
			descriptions[lang] = plain(unguard(v), true)
		}
	}
	return titles, descriptions
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// readRow reads one row into an activity and validates it. Errors are
// *ParseError with the column (the caller sets the row).
func readRow(get func(string) string, cats categoryMatcher) (programme.Activity, error) {
	bad := func(col, format string, args ...any) error {
		return csvFail(0, col, fmt.Errorf("%w: "+format, append([]any{ErrValue}, args...)...))
	}
	// Control characters are left out, as in a calendar; the spaces of
	// a cell are kept, so that a sheet reads back as it was written.
	a := programme.Activity{
		Title:       plain(unguard(get("title")), false),
		Description: plain(unguard(get("description")), true),
		Room:        plain(unguard(get("room")), false),
		Host:        plain(unguard(get("host")), false),
	}
	a.Category = Other
	if c := get("category"); c != "" {
		key, ok := cats.match(c)
		if !ok {
			return a, bad("category", "%q is not a category; use one of %s", short(c), cats.keys())
		}
		a.Category = key
	}

	// The schedule: a date, weekdays, or nth and weekday.
	var kinds []string
	if get("date") != "" {
		kinds = append(kinds, "date")
	}
	if get("weekdays") != "" {
		kinds = append(kinds, "weekdays")
	}
	if get("nth") != "" || get("weekday") != "" {
		kinds = append(kinds, "nth")
	}
	switch len(kinds) {
	case 0:
		return a, bad("date", "give a date (one-off), weekdays (weekly), or nth and weekday (monthly)")
	case 2, 3:
		return a, bad(kinds[1], "give a date, weekdays, or nth and weekday, not more than one of them")
	}
	var err error
	s := &a.Schedule
	switch kinds[0] {
	case "date":
		s.Kind = programme.Once
		if s.Date, err = programme.ParseDate(get("date")); err != nil {
			return a, bad("date", "%v", err)
		}
		for _, col := range []string{"interval", "from", "until"} {
			if get(col) != "" {
				return a, bad(col, "a one-off activity on a date has no %s", col)
			}
		}
	case "weekdays":
		s.Kind = programme.Weekly
		if s.Weekdays, err = parseWeekdays(get("weekdays")); err != nil {
			return a, bad("weekdays", "%v", err)
		}
		if v := get("interval"); v != "" {
			if s.Interval, err = strconv.Atoi(v); err != nil {
				return a, bad("interval", "%q is not a number of weeks", short(v))
			}
		}
	case "nth":
		s.Kind = programme.Monthly
		if get("interval") != "" {
			return a, bad("interval", "a monthly activity has no interval")
		}
		if s.Nth, err = parseNth(get("nth")); err != nil {
			return a, bad("nth", "%v", err)
		}
		d, ok := dayByName[strings.ToLower(strings.TrimSuffix(get("weekday"), "."))]
		if !ok {
			return a, bad("weekday", "%q is not a weekday; write ma, di, wo, do, vr, za or zo", short(get("weekday")))
		}
		s.Weekday = d
	}
	if s.Kind != programme.Once {
		for _, col := range []string{"from", "until"} {
			if v := get(col); v != "" {
				d, err := programme.ParseDate(v)
				if err != nil {
					return a, bad(col, "%v", err)
				}
				if col == "from" {
					s.From = d
				} else {
					s.Until = d
				}
			}
		}
	}

	for _, col := range []string{"start", "end"} {
		v := get(col)
		if v == "" {
			return a, bad(col, "give the %s time, like 09:30", col)
		}
		t, err := programme.ParseTimeOfDay(v)
		if err != nil {
			return a, bad(col, "%v", err)
		}
		if col == "start" {
			a.Start = t
		} else {
			a.End = t
		}
	}
	if a.CostCents, err = parseCost(get("cost")); err != nil {
		return a, bad("cost", "%v", err)
	}
	if a.SignUp, err = parseBool(get("signup")); err != nil {
		return a, bad("signup", "%v", err)
	}
	if a.Wheelchair, err = parseBool(get("wheelchair")); err != nil {
		return a, bad("wheelchair", "%v", err)
	}

	a.Source = unguard(get("source"))
	if a.Source == "" {
		a.Source = "csv:" + strings.ToLower(strings.Join(strings.Fields(a.Title), " "))
	}
	if len(a.Source) > maxSource || strings.IndexFunc(a.Source, unicode.IsControl) >= 0 || !utf8.ValidString(a.Source) {
		return a, bad("source", "a source is at most %d characters of text", maxSource)
	}

	if err := a.Validate(); err != nil {
		var inv *programme.InvalidError
		col := "title"
		if errors.As(err, &inv) {
			col = inv.Field
			switch col {
			case "room":
				if utf8.RuneCountInString(a.Room) <= programme.MaxShort {
					col = "host"
				}
			case "kind":
				col = "date"
			}
		}
		return a, csvFail(0, col, err)
	}
	return a, nil
}

// parseWeekdays reads "ma,wo,vr" (or "ma wo vr", "mo;we;fr", full names).
func parseWeekdays(s string) (programme.Weekdays, error) {
	var w programme.Weekdays
	for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ',' || r == ';' || r == '/' || r == '+' || unicode.IsSpace(r)
	}) {
		d, ok := dayByName[strings.TrimSuffix(f, ".")]
		if !ok {
			return 0, fmt.Errorf("%q is not a weekday; write ma, di, wo, do, vr, za or zo", short(f))
		}
		w |= programme.Days(d)
	}
	if w == 0 {
		return 0, errors.New("give at least one weekday, like ma,wo,vr")
	}
	return w, nil
}

// parseNth reads which weekday of the month: 1 to 4, or -1 (or "laatste",
// "last") for the last.
func parseNth(s string) (int, error) {
	switch strings.ToLower(s) {
	case "-1", "laatste", "last":
		return -1, nil
	}
	n, err := strconv.Atoi(strings.TrimRight(strings.ToLower(s), "estndrh"))
	if err != nil || n < 1 || n > 4 {
		return 0, fmt.Errorf("%q is not 1, 2, 3, 4 or -1 (the last)", short(s))
	}
	return n, nil
}

// parseCost reads an amount in euros, "3,50", "3.50" or "€ 3", into cents;
// empty is free.
func parseCost(s string) (int, error) {
	v := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "€")))
	switch v {
	case "", "gratis", "free", "-":
		return 0, nil
	}
	whole, frac, _ := strings.Cut(strings.ReplaceAll(v, ",", "."), ".")
	if len(frac) == 1 {
		frac += "0"
	}
	if whole == "" {
		whole = "0"
	}
	w, err1 := strconv.Atoi(whole)
	f, err2 := strconv.Atoi("0" + frac)
	if err1 != nil || err2 != nil || len(frac) > 2 || w < 0 || w > 99999 || strings.ContainsAny(whole+frac, "+-") {
		return 0, fmt.Errorf("%q is not an amount in euros like 3,50", short(s))
	}
	return w*100 + f, nil
}

// formatCost writes cents as euros, "3.50"; free is empty.
func formatCost(c int) string {
	if c == 0 {
		return ""
	}
	return fmt.Sprintf("%d.%02d", c/100, c%100)
}

// parseBool reads ja or nee (or yes, no, true, false, 1, 0, x); empty is
// nee.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "ja", "j", "yes", "y", "true", "waar", "1", "x":
		return true, nil
	case "", "nee", "n", "no", "false", "onwaar", "0":
		return false, nil
	}
	return false, fmt.Errorf("%q is not ja or nee", short(s))
}

// guard keeps a spreadsheet from running a text cell as a formula (CSV
// injection): a text that starts with =, +, - or @ gets a leading "'",
// which unguard takes off again on import.
func guard(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func unguard(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// WriteCSV writes the activities as a CSV sheet with Header, which
// ParseCSV reads back as they were. One-day exceptions are not part of it.
func WriteCSV(w io.Writer, acts []programme.Activity) error {
	cols := strings.Split(Header, ",")
	// A title_xx and description_xx column for each language an activity
	// has a translation in.
	var langs []string
	for _, a := range acts {
		for _, m := range []map[string]string{a.Titles, a.Descriptions} {
			for l := range m {
				if !slices.Contains(langs, l) {
					langs = append(langs, l)
				}
			}
		}
	}
	slices.Sort(langs)
	for _, l := range langs {
		cols = append(cols, "title_"+l, "description_"+l)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	rec := make([]string, len(cols))
	for _, a := range acts {
		v := map[string]string{
			"title": guard(a.Title), "category": a.Category, "start": a.Start.String(), "end": a.End.String(),
			"room": guard(a.Room), "host": guard(a.Host), "description": guard(a.Description),
			"cost": formatCost(a.CostCents), "signup": yesNo(a.SignUp), "wheelchair": yesNo(a.Wheelchair),
			"source": guard(a.Source),
		}
		for _, l := range langs {
			v["title_"+l], v["description_"+l] = guard(a.Titles[l]), guard(a.Descriptions[l])
		}
		s := a.Schedule
		switch s.Kind {
		case programme.Once:
			v["date"] = s.Date.String()
		case programme.Weekly:
			var days []string
			for _, d := range s.Weekdays.List() {
				days = append(days, dayNames[d])
			}
			v["weekdays"] = strings.Join(days, ",")
			if s.Interval > 1 {
				v["interval"] = strconv.Itoa(s.Interval)
			}
		case programme.Monthly:
			v["nth"], v["weekday"] = strconv.Itoa(s.Nth), dayNames[s.Weekday]
		}
		if s.Kind != programme.Once {
			v["from"], v["until"] = s.From.String(), s.Until.String()
		}
		for i, c := range cols {
			rec[i] = v[c]
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nee"
}
