// Package programme holds the neighbourhood house's programme: activities,
// their schedules, one-day exceptions, and the occurrences they produce on a
// given day. It is plain Go: no Fyne, SQL or HTTP.
//
// A weekly walking group on Mondays and Fridays, cancelled on one Friday:
//
//	walk := programme.Activity{
//		ID: 1, Title: "Wandelgroep", Category: "bewegen",
//		Start: programme.Clock(14, 0), End: programme.Clock(15, 30),
//		Schedule: programme.Schedule{Kind: programme.Weekly,
//			Weekdays: programme.Days(time.Monday, time.Friday)},
//	}
//	off := programme.Exception{ActivityID: 1, Date: programme.NewDate(2026, 11, 27), Cancelled: true}
//	day := programme.Expand([]programme.Activity{walk}, []programme.Exception{off},
//		programme.NewDate(2026, 11, 27), loc)
//	// day[0].Cancelled == true
//
// Times are local wall-clock times in the house's time zone
// (Europe/Amsterdam): an activity at 14:00 stays at 14:00 across the
// daylight-saving changes.
package programme

import (
	"time"
)

// Date is a calendar day with no time zone, as a person says it: 2026-11-23.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// TimeOfDay is a wall-clock time as minutes after midnight (0..1439); 1440
// is allowed as an end time meaning midnight at the end of the day.
type TimeOfDay int

// ScheduleKind says how an activity repeats.
type ScheduleKind string

// The kinds of schedule.
const (
	Once    ScheduleKind = "once"    // on one date
	Weekly  ScheduleKind = "weekly"  // on chosen weekdays, every Interval weeks
	Monthly ScheduleKind = "monthly" // on the Nth (or last) weekday of the month
)

// Weekdays is a set of weekdays, bit i set for time.Weekday(i).
type Weekdays uint8

// Schedule says on which dates an activity takes place.
type Schedule struct {
	Kind ScheduleKind

	// Date is the one date of a Once schedule.
	Date Date

	// Weekdays and Interval describe a Weekly schedule: every Interval
	// weeks (0 and 1 both mean every week), counted from the week
	// (Monday to Sunday) that holds From. Interval > 1 needs From.
	Weekdays Weekdays
	Interval int

	// Nth and Weekday describe a Monthly schedule: the Nth Weekday of each
	// month, 1..4, or -1 for the last one.
	Nth     int
	Weekday time.Weekday

	// From and Until optionally bound a repeating schedule (inclusive);
	// the zero Date means no bound.
	From, Until Date
}

// Activity is something on the programme.
type Activity struct {
	ID          int64
	Title       string
	Description string
	Category    string // a Category key, e.g. "bewegen"
	Room        string
	Host        string // who organises it
	CostCents   int    // 0 is free
	SignUp      bool   // sign-up needed beforehand
	Wheelchair  bool   // wheelchair accessible
	Start, End  TimeOfDay
	Schedule    Schedule
	Demo        bool   // part of the built-in demo programme, removable
	Source      string // where it came from ("" for typed in; later an import's UID)

	// Titles and Descriptions hold the title and description staff gave
	// in other languages, by language tag ("tr", "ar"); Title and
	// Description are the Dutch, which a visitor reads where there is
	// none in their language. Nil when there are none.
	Titles, Descriptions map[string]string
}

// Exception changes one occurrence of an activity on one date.
type Exception struct {
	ActivityID int64
	Date       Date
	Cancelled  bool
	Room       string // "" keeps the activity's room
	// Start and End replace the activity's times when HasTime is set.
	HasTime    bool
	Start, End TimeOfDay
	Note       string // shown to visitors, e.g. "de kok is ziek, wel koffie"
	// Notes holds the note in other languages, by language tag; Note is
	// the Dutch and the fallback.
	Notes map[string]string
}

// Category groups activities; visitors filter by it. Names hold the name per
// language tag ("nl", "en") for categories staff made themselves; built-in
// ones are named by the translation catalogue.
type Category struct {
	Key   string
	Icon  string // a pictogram name from the built-in set
	Names map[string]string
	Order int
}

// Occurrence is one activity on one date, with that date's exception
// applied.
type Occurrence struct {
	Activity   Activity
	Date       Date
	Start, End time.Time // in the house's time zone
	Room       string    // the room on that date
	Cancelled  bool
	Moved      bool              // the room differs from the usual one
	Retimed    bool              // the times differ from the usual ones
	Note       string            // the date's note, in Dutch
	Notes      map[string]string // the note in other languages; see NoteIn
}

// Status is where an occurrence stands at a given instant.
type Status string

// The statuses of an occurrence.
const (
	Upcoming  Status = "upcoming"
	Now       Status = "now"
	Finished  Status = "finished"
	Cancelled Status = "cancelled"
)

// in returns texts[lang] when staff gave one, else dutch: what a visitor
// reading lang sees.
func in(texts map[string]string, lang, dutch string) string {
	if t := texts[lang]; t != "" {
		return t
	}
	return dutch
}

// TitleIn returns the title for a visitor reading lang: the one staff
// gave in that language, else the Dutch title.
func (a Activity) TitleIn(lang string) string { return in(a.Titles, lang, a.Title) }

// DescriptionIn returns the description in lang, else the Dutch one.
func (a Activity) DescriptionIn(lang string) string {
	return in(a.Descriptions, lang, a.Description)
}

// NoteIn returns the note in lang, else the Dutch note.
func (x Exception) NoteIn(lang string) string { return in(x.Notes, lang, x.Note) }

// NoteIn returns the date's note (cancelled because, moved since) in
// lang, else the Dutch note; "" when there is none.
func (o Occurrence) NoteIn(lang string) string { return in(o.Notes, lang, o.Note) }
