// Package demo holds the built-in demo programme of Buurthuis De Linde, a
// made-up neighbourhood house. A fresh kiosk shows it so that it works and
// looks alive before staff have typed in a single activity; staff remove it
// with one button.
//
// The week runs Monday to Saturday; on Sunday the house is closed, so the
// kiosk shows its "nothing today, next open day is …" message. Most
// activities repeat weekly, so every week looks alike; a few repeat every
// two weeks or monthly, and three one-day changes (a cancellation, another
// room, other times) fall in the week after the day the programme is made
// for:
//
//	cats, acts, excs := demo.Programme(programme.DateOf(time.Now()))
//	today := programme.Expand(acts, excs, programme.DateOf(time.Now()), loc)
//
// All names are fictional; organisations are the kind a Dutch
// neighbourhood house works with.
package demo

import (
	"time"

	"buurtbalie/internal/programme"
)

// The category keys of the demo programme. Each is also its pictogram name.
const (
	Eten      = "eten"
	Bewegen   = "bewegen"
	Ontmoeten = "ontmoeten"
	Leren     = "leren"
	Hulp      = "hulp"
	Creatief  = "creatief"
)

// Categories returns the six built-in categories, in the order the kiosk
// shows them.
func Categories() []programme.Category {
	cat := func(key, nl, en string, order int) programme.Category {
		return programme.Category{Key: key, Icon: key, Names: map[string]string{"nl": nl, "en": en}, Order: order}
	}
	return []programme.Category{
		cat(Eten, "Eten & drinken", "Food & drink", 1),
		cat(Bewegen, "Bewegen", "Exercise", 2),
		cat(Ontmoeten, "Ontmoeten & praten", "Meet & talk", 3),
		cat(Leren, "Leren & taal", "Learning & language", 4),
		cat(Hulp, "Hulp & advies", "Help & advice", 5),
		cat(Creatief, "Creatief", "Creative", 6),
	}
}

// Programme returns the demo programme as seen from today: the categories,
// the activities (all with Demo set) and their one-day exceptions.
//
// Activities carry IDs 1, 2, 3, … that only tie the exceptions to them; a
// store gives them IDs of its own and maps the exceptions' ActivityID
// along.
func Programme(today programme.Date) (categories []programme.Category, activities []programme.Activity, exceptions []programme.Exception) {
	mon, tue, wed, thu, fri, sat := time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday
	weekly := func(days ...time.Weekday) programme.Schedule {
		return programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(days...)}
	}
	monthly := func(nth int, day time.Weekday) programme.Schedule {
		return programme.Schedule{Kind: programme.Monthly, Nth: nth, Weekday: day}
	}
	at := programme.Clock

	// The repair café runs every other Saturday, counted from the Saturday
	// of today's week (Monday to Sunday), so it is on this week.
	thisSaturday := today.AddDays((int(sat) - int(today.Weekday()) + 7) % 7)
	if today.Weekday() == time.Sunday {
		thisSaturday = today.AddDays(-1)
	}
	everyOtherSaturday := programme.Schedule{Kind: programme.Weekly, Weekdays: programme.Days(sat), Interval: 2, From: thisSaturday}

	activities = []programme.Activity{
		{
			Title:       "Inloop met koffie en thee",
			Description: "Loop binnen voor een kopje koffie of thee en een praatje. U hoeft niets, u mag er gewoon zijn. Heeft u een vraag? Onze gastvrouwen en gastheren luisteren graag.",
			Category:    Ontmoeten, Room: "Huiskamer", Host: "Gastvrouwen en gastheren",
			Wheelchair: true, Start: at(9, 30), End: at(12, 30),
			Schedule: weekly(mon, tue, wed, thu, fri),
		},
		{
			Title:       "Wandelgroep",
			Description: "Een rustige wandeling van een uur door de buurt en het park. Samen lopen is gezond en gezellig. Trek goede schoenen aan.",
			Category:    Bewegen, Room: "Verzamelen bij de ingang", Host: "Anouk en Sem",
			Start: at(10, 0), End: at(11, 0),
			Schedule: weekly(mon, thu),
		},
		{
			Title:       "Stoelyoga",
			Description: "Rustige oefeningen op een stoel. Goed voor uw lichaam en uw hoofd. Iedereen kan meedoen, ook als u niet zo soepel bent.",
			Category:    Bewegen, Room: "Zaal 1", Host: "Fatima",
			Wheelchair: true, Start: at(11, 15), End: at(12, 0),
			Schedule: weekly(mon, wed),
		},
		{
			Title:       "Buurtlunch",
			Description: "Een warme lunch, gekookt door Kees. Kees weet uit eigen ervaring hoe fijn het is om samen aan tafel te zitten. U kunt zich tot 10 uur opgeven bij de balie.",
			Category:    Eten, Room: "Huiskamer", Host: "Kees (ervaringsdeskundige)",
			CostCents: 250, SignUp: true, Wheelchair: true, Start: at(12, 30), End: at(13, 30),
			Schedule: weekly(tue, thu),
		},
		{
			Title:       "Spreekuur buurtteam",
			Description: "Zit u ergens mee? Over geld, wonen, zorg of hoe het met u gaat? Iemand van het buurtteam denkt met u mee. U hoeft geen afspraak te maken.",
			Category:    Hulp, Room: "Spreekkamer", Host: "Buurtteam",
			Wheelchair: true, Start: at(13, 30), End: at(15, 30),
			Schedule: weekly(mon, thu),
		},
		{
			Title:       "Digicafé",
			Description: "Hulp met uw telefoon, tablet of computer. Bijvoorbeeld met DigiD, e-mail of een app. Neem uw eigen telefoon of tablet mee.",
			Category:    Leren, Room: "Zaal 2", Host: "Vrijwilligers van het Digicafé",
			Wheelchair: true, Start: at(14, 0), End: at(16, 0),
			Schedule: weekly(mon),
		},
		{
			Title:       "Hulp bij post en geldzaken",
			Description: "Heeft u brieven die u niet begrijpt, of zorgen over geld en schulden? Neem uw post mee. Samen kijken we wat u kunt doen. U hoeft zich niet te schamen.",
			Category:    Hulp, Room: "Spreekkamer", Host: "Grip op je Geld",
			Wheelchair: true, Start: at(13, 30), End: at(16, 0),
			Schedule: weekly(tue),
		},
		{
			Title:       "Creatief atelier",
			Description: "Tekenen, schilderen of iets maken met uw handen. Materiaal is er. U hoeft het niet te kunnen, plezier is genoeg.",
			Category:    Creatief, Room: "Zaal 2", Host: "Ingrid",
			Wheelchair: true, Start: at(13, 30), End: at(17, 0),
			Schedule: weekly(tue, fri),
		},
		{
			Title:       "Energiecafé",
			Description: "Tips om uw energierekening lager te maken. Een energiecoach beantwoordt uw vragen. Neem een rekening mee als u die heeft.",
			Category:    Hulp, Room: "Zaal 1", Host: "Energiecoaches",
			Wheelchair: true, Start: at(15, 30), End: at(17, 0),
			Schedule: monthly(2, tue),
		},
		{
			Title:       "Herstelgroep",
			Description: "Een groep voor mensen die na psychische klachten of een moeilijke tijd weer sterker willen worden. Mensen met dezelfde ervaring leiden de groep. Wat u vertelt, blijft in de groep.",
			Category:    Ontmoeten, Room: "Zaal 2", Host: "Mieke en Rob (ervaringsdeskundigen)",
			Wheelchair: true, Start: at(10, 0), End: at(11, 30),
			Schedule: weekly(wed),
		},
		{
			Title:       "Soep en een broodje",
			Description: "Een kom verse soep met een broodje, voor een klein prijsje. U hoeft zich niet op te geven.",
			Category:    Eten, Room: "Huiskamer", Host: "Keukenvrijwilligers",
			CostCents: 100, Wheelchair: true, Start: at(12, 30), End: at(13, 30),
			Schedule: weekly(wed),
		},
		{
			Title:       "Taalcafé",
			Description: "Oefen Nederlands praten in een kleine groep. Iedereen is welkom, ook als u net begint. Het Taal Informatie Punt helpt u ook een taalcursus te vinden.",
			Category:    Leren, Room: "Zaal 1", Host: "Taal Informatie Punt",
			Wheelchair: true, Start: at(13, 30), End: at(15, 0),
			Schedule: weekly(wed),
		},
		{
			Title:       "Spelletjesmiddag",
			Description: "Sjoelen, kaarten, rummikub of een potje dammen. Kom meedoen of kijk gezellig mee.",
			Category:    Ontmoeten, Room: "Huiskamer", Host: "Henk en Yvonne",
			Wheelchair: true, Start: at(15, 0), End: at(17, 0),
			Schedule: weekly(wed),
		},
		{
			Title:       "Samen koken en eten",
			Description: "We koken samen een maaltijd en eten die samen op. U helpt mee zoveel als u wilt. U kunt zich opgeven bij de balie.",
			Category:    Eten, Room: "Keuken", Host: "Samira",
			CostCents: 350, SignUp: true, Wheelchair: true, Start: at(16, 0), End: at(19, 0),
			Schedule: weekly(thu),
		},
		{
			Title:       "Nederlands oefenen voor beginners",
			Description: "Leer de eerste woorden en zinnen in het Nederlands. Rustig en stap voor stap. U hoeft zich niet op te geven.",
			Category:    Leren, Room: "Zaal 1", Host: "Taal Informatie Punt",
			Wheelchair: true, Start: at(10, 0), End: at(11, 30),
			Schedule: weekly(fri),
		},
		{
			Title:       "Groene Kans voedsel delen",
			Description: "Groente, fruit en brood die over zijn, delen we uit. Gratis, voor iedereen uit de buurt. Neem een tas mee.",
			Category:    Eten, Room: "Keuken", Host: "Groene Kans",
			Wheelchair: true, Start: at(14, 0), End: at(16, 0),
			Schedule: weekly(fri),
		},
		{
			Title:       "Muziekmiddag",
			Description: "Samen luisteren en zingen, elke laatste vrijdag van de maand. Er is koffie en iets lekkers.",
			Category:    Ontmoeten, Room: "Huiskamer", Host: "Koor De Lindezangers",
			Wheelchair: true, Start: at(15, 0), End: at(17, 0),
			Schedule: monthly(-1, fri),
		},
		{
			Title:       "Samen tuinieren",
			Description: "Werk mee in de buurttuin: zaaien, onkruid weghalen en oogsten. Handschoenen en gereedschap zijn er.",
			Category:    Bewegen, Room: "Tuin", Host: "Tuingroep De Linde",
			Start: at(10, 0), End: at(12, 0),
			Schedule: weekly(sat),
		},
		{
			Title:       "Repair café",
			Description: "Is er iets kapot? Neem het mee. Vrijwilligers repareren samen met u kleding, lampen, fietsen en kleine apparaten. Om de week.",
			Category:    Creatief, Room: "Zaal 1", Host: "Repair café De Linde",
			Wheelchair: true, Start: at(10, 0), End: at(13, 0),
			Schedule: everyOtherSaturday,
		},
		{
			Title:       "Koffie op zaterdag",
			Description: "Ook op zaterdag staat de koffie klaar. Kom even zitten en maak een praatje.",
			Category:    Ontmoeten, Room: "Huiskamer", Host: "Gastvrouwen en gastheren",
			Wheelchair: true, Start: at(13, 0), End: at(16, 0),
			Schedule: weekly(sat),
		},
	}
	for i := range activities {
		activities[i].ID = int64(i + 1)
		activities[i].Demo = true
	}

	// The three one-day changes, each on the first date from today that
	// the activity takes place, so they show in the coming week.
	change := func(title string, x programme.Exception) {
		for _, a := range activities {
			if a.Title != title {
				continue
			}
			for d := today; d.Before(today.AddDays(7)); d = d.AddDays(1) {
				if a.Schedule.Includes(d) {
					x.ActivityID, x.Date = a.ID, d
					exceptions = append(exceptions, x)
					return
				}
			}
		}
	}
	change("Wandelgroep", programme.Exception{
		Cancelled: true,
		Note:      "Gaat niet door: de begeleiders zijn er niet. De koffie staat wel klaar.",
	})
	change("Taalcafé", programme.Exception{
		Room: "Huiskamer",
		Note: "Deze keer in de Huiskamer.",
	})
	change("Stoelyoga", programme.Exception{
		HasTime: true, Start: at(10, 0), End: at(10, 45),
		Note: "Deze keer vroeger: om 10 uur.",
	})
	return Categories(), activities, exceptions
}
