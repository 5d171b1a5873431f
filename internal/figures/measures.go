package figures

import (
	"strings"
	"time"

	"buurtbalie/internal/programme"
)

// The measures the house keeps, per house-local day: counts by a key, or
// the minutes a follow-up step took. None holds a question, token, code
// or anything a visitor or volunteer wrote.
const (
	MeasureQuestions     = "questions"            // new questions, by topic
	MeasureLanguage      = "questions.language"   // by the visitor's language
	MeasureTopicLanguage = "questions.topic_lang" // by TopicLanguage
	MeasureFollowUp      = "questions.follow_up"  // by waiting here or coming back
	MeasureNoText        = "questions.no_text"    // "Sla over", by topic
	MeasureNoSlip        = "questions.no_slip"    // the slip did not print, by topic
	MeasureContact       = "followup.contact"     // minutes to the first claim, by topic
	MeasureClosed        = "followup.closed"      // minutes to closing, by topic
	MeasureReferral      = "followup.referral"    // minutes to a referral, by partner
	MeasureOutcome       = "followup.outcome"     // questions closed, by outcome (question.Outcomes)
	// MeasureLate counts, on the day a question was asked and by topic,
	// those whose first contact came PickUpWithin or more after.
	MeasureLate = "followup.late"
)

// PickUpWithin is how soon a question should have its first contact: a
// question not picked up within a day counts as waiting too long.
const PickUpWithin = 24 * time.Hour

// TopicLanguage is the key of a topic × language count.
func TopicLanguage(topic, lang string) string { return topic + "|" + lang }

// SplitTopicLanguage reads a TopicLanguage key.
func SplitTopicLanguage(key string) (topic, lang string) {
	topic, lang, _ = strings.Cut(key, "|")
	return topic, lang
}

// The screens counted: how often each opened, per hour.
const (
	ScreenWelcome   = "welcome"
	ScreenToday     = "today"
	ScreenDetail    = "detail"
	ScreenAsk       = "ask"        // a question begun
	ScreenMySlip    = "my-slip"    // "Mijn bonnetje" looked up
	ScreenLanguage  = "language:"  // + the language chosen
	ScreenReadAloud = "read-aloud" // "Voorlezen" tapped or started by itself
)

// Hour is the key of t's hour in the screen-use counts: "2026-12-03T14",
// nothing finer.
func Hour(t time.Time) string { return t.Format("2006-01-02T15") }

// ScreenCount is how often a screen opened in one hour.
type ScreenCount struct {
	Hour   string
	Screen string
	N      int
}

// Count is one day's count of a measure's key.
type Count struct {
	Day programme.Date
	Key string
	N   int
}

// Duration is the time one follow-up step took, on the day it was taken;
// or, with Weight, as many steps that each took Minutes (a district reads
// its year as a histogram: 20 thousand rows of a million steps).
type Duration struct {
	Day     programme.Date
	Key     string
	Minutes int
	Weight  int // how many steps; 0 is one
}

// steps is how many steps d stands for.
func (d Duration) steps() int { return max(d.Weight, 1) }

// Kept are figures made elsewhere to be stored whole: the demo year, a
// benchmark's busy year.
type Kept struct {
	Counts    map[string][]Count    // by measure
	Durations map[string][]Duration // by measure
	Screens   []ScreenCount
}
