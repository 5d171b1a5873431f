package demo

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"buurtbalie/internal/figures"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
)

// PartnerNames are the partners the demo year refers questions to.
var PartnerNames = []string{"Juridisch Loket", "Buurtteam West", "Schuldhulp Amsterdam", "Taalhuis Nieuw-West"}

// Figures is a made-up but plausible past year of a house's figures, the
// 365 days before today: questions on weekdays, mostly money and housing,
// in the languages of Nieuw-West, followed up within hours to days, and
// screen use in opening hours. It is the same for the same arguments.
func Figures(today programme.Date, questions, screenEvents int) figures.Kept {
	r := rand.New(rand.NewPCG(2026, uint64(questions)))
	pick := func(weights map[string]int) string {
		total := 0
		for _, w := range weights {
			total += w
		}
		n := r.IntN(total)
		for _, k := range sortedKeys(weights) {
			if n < weights[k] {
				return k
			}
			n -= weights[k]
		}
		return ""
	}
	topics := map[string]int{"geld": 30, "wonen": 20, "gezondheid": 15, "mensen": 10, "taal": 10, "werk": 10, "anders": 5}
	outcomes := map[string]int{string(question.Helped): 60, string(question.NoContact): 15, string(question.NotNeeded): 15, string(question.Other): 10}
	langs := map[string]int{"nl": 55, "ar": 15, "tr": 15, "pl": 5, "uk": 5, "en": 3, "ti": 2}
	screens := map[string]int{figures.ScreenToday: 40, figures.ScreenDetail: 25, figures.ScreenWelcome: 10, figures.ScreenAsk: 8,
		figures.ScreenMySlip: 5, figures.ScreenReadAloud: 6, figures.ScreenLanguage + "ar": 3, figures.ScreenLanguage + "tr": 3}
	var days []programme.Date
	for d := today.AddDays(-365); d.Before(today); d = d.AddDays(1) {
		if wd := d.Weekday(); wd >= 1 && wd <= 5 {
			days = append(days, d)
		}
	}
	k := figures.Kept{Counts: map[string][]figures.Count{}, Durations: map[string][]figures.Duration{}}
	type cell struct {
		day     programme.Date
		measure string
		key     string
	}
	counts := map[cell]int{}
	var order []cell
	add := func(c cell) {
		if counts[c] == 0 {
			order = append(order, c)
		}
		counts[c]++
	}
	for i := 0; i < questions && len(days) > 0; i++ {
		day := days[r.IntN(len(days))]
		topic, lang := pick(topics), pick(langs)
		add(cell{day, figures.MeasureQuestions, topic})
		add(cell{day, figures.MeasureLanguage, lang})
		add(cell{day, figures.MeasureTopicLanguage, figures.TopicLanguage(topic, lang)})
		follow := "come_back"
		if r.IntN(100) < 40 {
			follow = "waiting"
		}
		add(cell{day, figures.MeasureFollowUp, follow})
		if r.IntN(100) < 25 {
			add(cell{day, figures.MeasureNoText, topic})
		}
		if r.IntN(100) < 2 {
			add(cell{day, figures.MeasureNoSlip, topic})
		}
		contact := 10 + r.IntN(60)
		if follow == "come_back" {
			contact = 60 + int(r.ExpFloat64()*600)
		}
		k.Durations[figures.MeasureContact] = append(k.Durations[figures.MeasureContact], figures.Duration{Day: day, Key: topic, Minutes: contact})
		k.Durations[figures.MeasureClosed] = append(k.Durations[figures.MeasureClosed],
			figures.Duration{Day: day, Key: topic, Minutes: contact + 60 + int(r.ExpFloat64()*2*24*60)})
		outcome := pick(outcomes)
		if r.IntN(100) < 20 {
			k.Durations[figures.MeasureReferral] = append(k.Durations[figures.MeasureReferral],
				figures.Duration{Day: day, Key: PartnerNames[r.IntN(len(PartnerNames))], Minutes: contact + int(r.ExpFloat64()*24*60)})
			outcome = string(question.PassedOn)
		}
		add(cell{day, figures.MeasureOutcome, outcome})
		if contact >= int(figures.PickUpWithin/time.Minute) {
			add(cell{day, figures.MeasureLate, topic})
		}
	}
	for _, c := range order {
		k.Counts[c.measure] = append(k.Counts[c.measure], figures.Count{Day: c.day, Key: c.key, N: counts[c]})
	}
	use := map[[2]string]int{}
	var useOrder [][2]string
	for i := 0; i < screenEvents && len(days) > 0; i++ {
		day := days[r.IntN(len(days))]
		hour := 9 + r.IntN(8)
		key := [2]string{fmt.Sprintf("%sT%02d", day, hour), pick(screens)}
		if use[key] == 0 {
			useOrder = append(useOrder, key)
		}
		use[key]++
	}
	for _, u := range useOrder {
		k.Screens = append(k.Screens, figures.ScreenCount{Hour: u[0], Screen: u[1], N: use[u]})
	}
	return k
}

func sortedKeys(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }
