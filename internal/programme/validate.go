package programme

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// ErrInvalid is matched (errors.Is) by every InvalidError.
var ErrInvalid = errors.New("invalid")

// InvalidError says what is wrong with an activity or exception. Reason is
// a stable key that the kiosk and the web pages translate ("invalid." +
// Reason in the catalogue); Error gives English for logs and the command
// line.
type InvalidError struct {
	Field  string // the field at fault, e.g. "end"
	Reason string // e.g. "end_before_start"
	Detail string // English, says how to fix it
}

func (e *InvalidError) Error() string { return e.Field + ": " + e.Detail }

// Is makes errors.Is(err, ErrInvalid) true.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

func invalid(field, reason, format string, args ...any) error {
	return &InvalidError{Field: field, Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// Limits on what people type, so a slip of the hand cannot fill a screen.
const (
	MaxTitle       = 80
	MaxDescription = 1000
	MaxShort       = 80 // room, host, note
)

// Validate reports the first thing wrong with the activity, or nil.
func (a Activity) Validate() error {
	switch {
	case strings.TrimSpace(a.Title) == "":
		return invalid("title", "title_required", "give the activity a title")
	case utf8.RuneCountInString(a.Title) > MaxTitle:
		return invalid("title", "too_long", "keep the title to %d characters", MaxTitle)
	case utf8.RuneCountInString(a.Description) > MaxDescription:
		return invalid("description", "too_long", "keep the description to %d characters", MaxDescription)
	case utf8.RuneCountInString(a.Room) > MaxShort || utf8.RuneCountInString(a.Host) > MaxShort:
		return invalid("room", "too_long", "keep room and host to %d characters", MaxShort)
	case strings.TrimSpace(a.Category) == "":
		return invalid("category", "category_required", "choose a category")
	case a.CostCents < 0:
		return invalid("cost", "cost_negative", "a cost cannot be below zero")
	}
	if err := validTranslations("title", a.Titles, "", MaxTitle); err != nil {
		return err
	}
	if err := validTranslations("description", a.Descriptions, a.Description, MaxDescription); err != nil {
		return err
	}
	if err := validTimes("start", a.Start, a.End); err != nil {
		return err
	}
	return a.Schedule.Validate()
}

func validTimes(field string, start, end TimeOfDay) error {
	switch {
	case start < 0 || start >= EndOfDay:
		return invalid(field, "time_out_of_range", "the start time must be between 00:00 and 23:59")
	case end <= 0 || end > EndOfDay:
		return invalid("end", "time_out_of_range", "the end time must be between 00:01 and 24:00")
	case end <= start:
		return invalid("end", "end_before_start", "the end time %s must be after the start time %s", end, start)
	}
	return nil
}

// Validate reports the first thing wrong with the schedule, or nil.
func (s Schedule) Validate() error {
	switch s.Kind {
	case Once:
		if s.Date.IsZero() {
			return invalid("date", "date_required", "choose the date of a one-off activity")
		}
		return nil
	case Weekly:
		if s.Weekdays&0x7f == 0 {
			return invalid("weekdays", "weekdays_required", "choose at least one weekday")
		}
		if s.Interval < 0 || s.Interval > 52 {
			return invalid("interval", "interval_out_of_range", "repeat every 1 to 52 weeks")
		}
		if s.Interval > 1 && s.From.IsZero() {
			return invalid("from", "from_required", "say from which date an every-%d-weeks activity counts", s.Interval)
		}
	case Monthly:
		if s.Nth != -1 && (s.Nth < 1 || s.Nth > 4) {
			return invalid("nth", "nth_out_of_range", "choose the 1st, 2nd, 3rd, 4th or last weekday of the month")
		}
		if s.Weekday < 0 || s.Weekday > 6 {
			return invalid("weekday", "weekdays_required", "choose a weekday")
		}
	default:
		return invalid("kind", "kind_unknown", "a schedule is once, weekly or monthly, not %q", s.Kind)
	}
	if !s.From.IsZero() && !s.Until.IsZero() && s.Until.Before(s.From) {
		return invalid("until", "until_before_from", "the last date %s must not be before the first date %s", s.Until, s.From)
	}
	return nil
}

// Validate reports the first thing wrong with the exception, or nil.
func (x Exception) Validate() error {
	switch {
	case x.ActivityID == 0:
		return invalid("activity", "activity_required", "say which activity the change is for")
	case x.Date.IsZero():
		return invalid("date", "date_required", "say on which date the change is")
	case utf8.RuneCountInString(x.Room) > MaxShort || utf8.RuneCountInString(x.Note) > MaxShort*2:
		return invalid("note", "too_long", "keep the room to %d and the note to %d characters", MaxShort, MaxShort*2)
	case !x.Cancelled && x.Room == "" && !x.HasTime && x.Note == "":
		return invalid("kind", "exception_empty", "say what changes: cancelled, another room, other times or a note")
	}
	if err := validTranslations("note", x.Notes, x.Note, MaxShort*2); err != nil {
		return err
	}
	if x.HasTime {
		return validTimes("start", x.Start, x.End)
	}
	return nil
}

// validTranslations checks the texts of field in other languages: each
// at most max characters, and none without the Dutch, which every
// visitor without their own language reads. Such an error's Field is
// field + "-" + the language, e.g. "title-tr", as the form names it.
// dutch "" skips that check (a title is required anyway).
func validTranslations(field string, texts map[string]string, dutch string, max int) error {
	for _, lang := range sortedKeys(texts) {
		t := texts[lang]
		switch {
		case utf8.RuneCountInString(t) > max:
			return invalid(field+"-"+lang, "too_long", "keep the %s in %q to %d characters", field, lang, max)
		case field != "title" && strings.TrimSpace(t) != "" && strings.TrimSpace(dutch) == "":
			return invalid(field+"-"+lang, "dutch_first", "give the %s in Dutch too; it is what visitors read without a translation", field)
		}
	}
	return nil
}

// sortedKeys returns m's keys in order, so the first error is always the
// same one.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
