// Package calendar reads a neighbourhood house's existing calendar, an ICS
// file (RFC 5545) or a CSV sheet, into the programme's terms, and writes the
// programme back out as CSV. It is plain Go: no SQL, no HTTP. The store
// applies an Import in one transaction (sqlite's ApplyImport), which also
// gives the preview (a dry run) and the counts of the report.
//
//	imp, err := calendar.Parse(file, calendar.Options{Now: time.Now()})
//	if err != nil {
//		return err // a *ParseError naming the line, or the row and column
//	}
//	report, err := progs.ApplyImport(ctx, imp, dryRun)
//
// A file is read whole or refused whole: a malformed calendar (a broken
// line, a missing END:VEVENT, a date that is no date) or a CSV row that
// does not validate gives an error and no Import at all. An event the
// programme cannot show (no start, no title, ending before it starts or
// after midnight) is skipped and listed in the report with the reason.
//
// # Libraries
//
// ICS files are parsed by github.com/emersion/go-ical and recurrence is
// expanded by github.com/teambition/rrule-go, rather than by hand: RFC 5545
// recurrence (BYDAY, INTERVAL, BYSETPOS, UNTIL and COUNT, EXDATE and RDATE,
// TZID) is large and easy to get subtly wrong. This package decides only how
// the occurrences the library produces map onto the programme model, and
// checks every such mapping against the library's own expansion. go-ical
// keeps no line numbers, so a light first pass over the lines (outline)
// records where each event and property starts, to name the line of an
// error; it parses no values.
//
// # From an event to activities
//
// Every activity made from an event has Source "ics:" + its UID, so
// importing the calendar again replaces them instead of adding them twice.
// The event's recurrence is expanded over a period (by default from 30
// days before Now to 12 months after) in the event's TZID; floating times
// are in the calendar's X-WR-TIMEZONE or else the house's zone
// (Europe/Amsterdam), and UTC times are converted to it. Then:
//
//   - A series that the programme model holds exactly (weekly on chosen
//     weekdays every n weeks, daily, or monthly on the 1st to 4th or last
//     weekday; the same local start and end time throughout; no RDATE)
//     becomes ONE repeating activity from DTSTART, until the last
//     occurrence of a bounded rule or open-ended. Its EXDATEs and cancelled
//     instances (STATUS:CANCELLED with a RECURRENCE-ID) become cancelled
//     exceptions, and instances moved to another time or room on the same
//     day become exceptions with those, also before and after the period.
//   - Anything else (RDATE, every other month, an instance moved to
//     another day or retitled, times that shift with summer time because
//     the event is in UTC, all-day events of several days) becomes one
//     one-off activity per occurrence in the period, each with the same
//     source; excluded and cancelled instances stay, marked cancelled.
//   - A single event cancelled as a whole stays, marked cancelled, so a
//     visitor who came for it reads "vervalt"; a cancelled series is taken
//     off the programme (its source has no activities) and noted.
//   - All-day events run from 00:00 to 24:00 on each of their days: a kiosk
//     list shows times, but "Buurthuis gesloten" on a holiday is worth
//     showing.
//   - An event without DTSTART or SUMMARY, ending before it starts, running
//     past midnight, repeating more often than daily (or more than 24 times
//     a day by BYHOUR, BYMINUTE and BYSECOND), in a time zone no one
//     knows, or with more than MaxOccurrences in the period is skipped with
//     the reason; its source is left as it was. An event with no end is
//     given one hour, and noted. A RECURRENCE-ID of an instance the event
//     does not have is left out, and noted.
//   - Floating times are in the calendar's X-WR-TIMEZONE, if it names a
//     zone. A local time that does not exist (in the hour summer time
//     skips) or occurs twice (in the hour repeated when it ends) is placed
//     as RFC 5545 3.3.5 says: read with the offset from before the change
//     (02:30 is 03:30, keeping its length), and the first of the two.
//
// # Limits
//
// The same parser reads the staff's upload and, inside the kiosk, a feed,
// so a file is bounded in what it costs to read, not only in what it
// adds: at most MaxFileSize bytes and MaxEvents events, MaxWork steps of
// recurrence (an occurrence made or a day walked, counted also before the
// period and for rules that never match), and MaxActivities activities.
// A file past any of them is refused whole (ErrTooLarge, ErrTooComplex,
// ErrTooMany) and changes nothing.
//   - CATEGORIES are matched to a category by key or name, in Dutch or
//     English, ignoring case (Options.Categories adds the house's own);
//     otherwise the category is "anders". LOCATION is the room, the CN of
//     ORGANIZER (or X-BUURTBALIE-HOST) the host, DESCRIPTION the
//     description, each cut to the programme's limits (noted). An e-mail
//     address of the organiser is never kept.
//
// # CSV
//
// The header names the columns, in any order; only title, start and end
// are needed, and a column left out is empty in every row:
//
//	title,category,date,weekdays,interval,nth,weekday,from,until,start,end,room,host,description,cost,signup,wheelchair,source
//	Koffie-inloop,ontmoeten,,"ma,wo,vr",,,,2026-01-05,,09:30,11:30,Huiskamer,Gastvrouwen,,,,ja,
//	Repair café,creatief,,za,2,,,2026-11-28,,10:00,13:00,Zaal 1,,,,,,
//	Buurtlunch,eten,,,,-1,vr,,,12:30,13:30,Keuken,,,"3,50",ja,ja,
//	Buurtfeest,ontmoeten,2027-06-19,,,,,,,16:00,24:00,Tuin,,,,,,
//
// A row has a date (a one-off activity), weekdays (every week, or every
// interval weeks counted from the week of from), or nth and weekday (the
// 1st to 4th, or -1 for the last, weekday of each month); from and until
// bound a repeating one. Dates are YYYY-MM-DD, times HH:MM (24:00 is
// midnight at the end of the day), weekdays ma,di,wo,do,vr,za,zo (or mo,
// tu, we, th, fr, sa, su, or full names). category is a key or a name
// (empty is "anders"); cost is in euros ("3,50" or "3.50"; empty is free);
// signup and wheelchair are ja or nee. Rows with the same source replace
// the activities of that source when imported again; an empty source is
// "csv:" and the title in lower case, so a sheet imported twice updates
// instead of duplicating. A sheet saved by a Dutch spreadsheet with ";"
// between the columns, or in Windows-1252 rather than UTF-8, is read too.
// WriteCSV writes the same header, so an export imports back as it was
// (one-day exceptions are not part of it).
package calendar

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	_ "time/tzdata" // the kiosk PC may have no zoneinfo
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"

	"buurtbalie/internal/programme"
)

// HouseZone is the time zone of the programme's wall-clock times, used for
// floating times and to convert UTC ones.
const HouseZone = "Europe/Amsterdam"

// Limits that keep a hostile or mistaken file from filling the kiosk.
const (
	MaxFileSize    = 16 << 20 // bytes
	MaxOccurrences = 1000     // of one event in the period
	MaxRows        = 20000    // of a CSV sheet
	// MaxEvents is how many events an ICS file may hold: years of a
	// busy house's one-off events are a few thousand. go-ical holds every
	// event in memory (some 3 KB each) before the first is read, so this
	// bounds the memory a 10 MB feed takes.
	MaxEvents     = 20000
	maxAllDayDays = 366
)

// Errors a *ParseError may wrap, for errors.Is. A CSV row that does not
// validate wraps a *programme.InvalidError (programme.ErrInvalid) instead.
var (
	ErrTooLarge      = errors.New("file too large")
	ErrUnknownFormat = errors.New("not an ICS calendar or a CSV sheet")
	ErrMalformed     = errors.New("malformed calendar")
	ErrValue         = errors.New("bad value")
	ErrHeader        = errors.New("bad header")
	// ErrTooComplex is a calendar whose recurrence would take more than
	// MaxWork steps to expand.
	ErrTooComplex = errors.New("calendar too costly to read")
	// ErrTooMany is a file that would put more than MaxActivities
	// activities on the programme.
	ErrTooMany = errors.New("too many activities")
	// ErrEncoding is a file partly in UTF-8 and partly in another
	// encoding.
	ErrEncoding = errors.New("mixed text encodings")
)

// Format is the kind of file an Import came from.
type Format string

// The formats.
const (
	ICS Format = "ics"
	CSV Format = "csv"
)

// Options steer how a file is read.
type Options struct {
	// Now is the current time; the default period is counted from it.
	// It must be set.
	Now time.Time
	// Location is the house's time zone; nil is Europe/Amsterdam.
	Location *time.Location
	// From and To bound the period (inclusive) whose occurrences an ICS
	// import takes; zero means 30 days before Now and 12 months after.
	From, To programme.Date
	// Categories are the house's categories, matched by key and by their
	// names as well as the built-in names.
	Categories []programme.Category
}

// Import is a file read into the programme's terms: for each source, the
// activities that replace those of that source, and a report.
type Import struct {
	Format   Format
	Name     string         // the file name or URL it came from, for the log; set by the caller
	From, To programme.Date // the period an ICS import took occurrences from
	Sources  []Source       // in the order of the file
	Report   Report
	// Owner, when set (by Own), starts every source key, and the import
	// is the whole of what that owner has on the programme: applying it
	// also removes the activities of the owner's sources it no longer
	// has. A subscription's feed is imported so, because a feed that
	// drops an event means the event is gone, whereas an uploaded file
	// may hold only part of a calendar.
	Owner string
}

// Own makes the import the whole of what owner (such as "sub:3:") has on
// the programme: it puts owner before every source key, also in the
// report, and sets Owner.
func (imp *Import) Own(owner string) {
	imp.Owner = owner
	for i := range imp.Sources {
		imp.Sources[i].Key = owner + imp.Sources[i].Key
	}
	for _, issues := range [][]Issue{imp.Report.Skipped, imp.Report.Notes} {
		for i := range issues {
			if issues[i].Source != "" {
				issues[i].Source = owner + issues[i].Source
			}
		}
	}
}

// Source is everything one calendar event (or one CSV source) puts on the
// programme. Activities carry IDs 1, 2, … that only tie the Exceptions to
// them; the store gives them IDs of its own. An empty Source removes what
// an earlier import of it added.
type Source struct {
	Key        string // "ics:" + UID, or a CSV row's source
	Title      string // for the report
	Line       int    // where it starts: the BEGIN:VEVENT line, or the first CSV row
	Activities []programme.Activity
	Exceptions []programme.Exception
}

// Report says what an import did or would do. The store fills in the
// counts of activities; the rest comes from reading the file.
type Report struct {
	Events    int `json:"events"`    // events, or CSV rows, read
	Added     int `json:"added"`     // activities new to the programme
	Changed   int `json:"changed"`   // activities changed in place
	Unchanged int `json:"unchanged"` // activities already there as they were
	Removed   int `json:"removed"`   // activities of these sources no longer in the file
	Outside   int `json:"outside"`   // events with nothing in the period
	// Skipped are events left out, with the reason; their sources are
	// not touched.
	Skipped []Issue `json:"skipped,omitempty"`
	// Notes are what was adjusted on the way: cut texts, assumed end
	// times, cancelled series taken off.
	Notes []Issue `json:"notes,omitempty"`
	// Work is how many steps of recurrence reading the file took, of
	// MaxWork.
	Work int `json:"work"`
}

// Issue is one line of a report. Reason is a stable key for translation
// ("import." + Reason in the catalogue); Detail is English for logs and the
// command line.
type Issue struct {
	Line   int    `json:"line"`   // in the file (ICS) or the row (CSV)
	Source string `json:"source"` // the source key, if known
	Title  string `json:"title"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

func (i Issue) String() string {
	where := fmt.Sprintf("line %d", i.Line)
	if i.Title != "" {
		where += fmt.Sprintf(", %q", i.Title)
	}
	return where + ": " + i.Detail
}

// ParseError is a file refused whole, with where and why, as

// TooManyError says how many activities a refused file would add: at
// least AtLeast (past MaxActivities the rest of the file is only
// counted, not read whole). It is ErrTooMany.
type TooManyError struct {
	AtLeast int
	What    string // "file" or "sheet"
}

func (e *TooManyError) Error() string {
	return fmt.Sprintf("%v: the %s would add at least %d activities; a house has at most %d", ErrTooMany, e.What, e.AtLeast, MaxActivities)
}

// Unwrap makes a TooManyError ErrTooMany.
func (e *TooManyError) Unwrap() error { return ErrTooMany }

// encoding/csv's ParseError.
type ParseError struct {
	Format Format
	Line   int    // ICS: the line in the file; CSV: the row, the header being row 1
	Column string // CSV: the column's name
	Event  string // ICS: the event, as `"Koffie" (UID abc@example.org)`
	Err    error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	if e.Format == CSV {
		fmt.Fprintf(&b, "row %d", e.Line)
		if e.Column != "" {
			fmt.Fprintf(&b, ", column %s", e.Column)
		}
	} else {
		fmt.Fprintf(&b, "line %d", e.Line)
		if e.Event != "" {
			fmt.Fprintf(&b, ", event %s", e.Event)
		}
	}
	// An invalid activity names its field itself; the column says it.
	var inv *programme.InvalidError
	if errors.As(e.Err, &inv) && e.Column != "" {
		return b.String() + ": " + inv.Detail
	}
	return b.String() + ": " + e.Err.Error()
}

// Unwrap returns the problem itself.
func (e *ParseError) Unwrap() error { return e.Err }

// Parse reads an ICS calendar or a CSV sheet, telling them apart by their
// content: a calendar starts with BEGIN:VCALENDAR.
func Parse(r io.Reader, opts Options) (Import, error) {
	data, notes, err := readText(r)
	if err != nil {
		return Import{}, err
	}
	if looksLikeICS(data) {
		return parseICS(data, notes, opts)
	}
	return parseCSV(data, notes, opts)
}

// looksLikeICS reports whether the text starts with BEGIN:VCALENDAR, after
// blank lines.
func looksLikeICS(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n")
	const begin = "BEGIN:VCALENDAR"
	return len(t) >= len(begin) && strings.EqualFold(string(t[:len(begin)]), begin)
}

// readText reads a whole file of at most MaxFileSize bytes as UTF-8,
// without a byte-order mark. A file with the byte-order mark of UTF-16,
// as Excel's "Unicode text" writes, is read as such. Text that is not
// UTF-8 is read as Windows-1252, which a Dutch spreadsheet or an older
// Outlook writes, and noted; one that is partly UTF-8 and partly not,
// as when rows were pasted together from two programs, is refused
// (ErrEncoding): either half would be stored garbled. The encoding of a
// calendar is judged on its unfolded lines, since a line may be folded
// inside a character.
func readText(r io.Reader) ([]byte, []Issue, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read file: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, nil, fmt.Errorf("%w: more than %d MiB", ErrTooLarge, MaxFileSize>>20)
	}
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) {
		// ExpectBOM: the mark says which byte comes first.
		dec, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(dec) {
			return nil, nil, fmt.Errorf("%w: the file starts as UTF-16 but is not", ErrUnknownFormat)
		}
		data = dec
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	text, format := data, CSV
	if looksLikeICS(data) {
		text, format = unfoldBytes(data), ICS
	}
	if utf8.Valid(text) {
		return data, nil, nil
	}
	if line := utf8Line(text); line > 0 {
		// A ParseError, so that a feed's failure names it too. In a sheet
		// the line is the row unless a cell spans lines; in a calendar it
		// counts unfolded lines.
		return nil, nil, &ParseError{Format: format, Line: line,
			Err: fmt.Errorf("%w: this line is UTF-8, but the file has text that is not", ErrEncoding)}
	}
	dec, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: the text is neither UTF-8 nor Windows-1252", ErrUnknownFormat)
	}
	return dec, []Issue{{Reason: "not_utf8", Detail: "the file is not UTF-8; it was read as Windows-1252"}}, nil
}

// unfoldBytes joins the folded lines of a calendar (a line break followed
// by a space or a tab), as bytes.
func unfoldBytes(data []byte) []byte {
	for _, fold := range []string{"\r\n ", "\r\n\t", "\n ", "\n\t"} {
		data = bytes.ReplaceAll(data, []byte(fold), nil)
	}
	return data
}

// utf8Line is the first line (from 1) with a character of more than one
// byte in valid UTF-8, or 0 when there is none.
func utf8Line(text []byte) int {
	line := 1
	for len(text) > 0 {
		r, size := utf8.DecodeRune(text)
		if size > 1 && r != utf8.RuneError {
			return line
		}
		if r == '\n' {
			line++
		}
		text = text[size:]
	}
	return 0
}

// resolve fills in the defaults of opts: the house zone and the period.
func (opts Options) resolve() (Options, error) {
	if opts.Now.IsZero() {
		return opts, errors.New("calendar: Options.Now is not set")
	}
	if opts.Location == nil {
		loc, err := time.LoadLocation(HouseZone)
		if err != nil {
			return opts, fmt.Errorf("calendar: %w", err)
		}
		opts.Location = loc
	}
	today := programme.DateOf(opts.Now.In(opts.Location))
	if opts.From.IsZero() {
		opts.From = today.AddDays(-30)
	}
	if opts.To.IsZero() {
		opts.To = programme.NewDate(today.Year, today.Month+12, today.Day)
	}
	if opts.To.Before(opts.From) {
		return opts, fmt.Errorf("calendar: the period ends (%s) before it starts (%s)", opts.To, opts.From)
	}
	return opts, nil
}

// plain leaves out the control characters of a text, which a kiosk
// would show as boxes or which could steer a terminal: white space
// (tabs, line breaks) becomes a space, except line breaks where lines
// are kept.
func plain(s string, lines bool) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' && lines:
			return r
		case unicode.IsSpace(r):
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// oneLine is a text on one line, without control characters, with single
// spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(plain(s, false)), " ")
}

// cut shortens s to at most n characters, ending in "…" when it was cut.
func cut(s string, n int) (string, bool) {
	if utf8.RuneCountInString(s) <= n {
		return s, false
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…", true
}
