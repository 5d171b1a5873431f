package web_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"buurtbalie/assets"
	"buurtbalie/internal/account"
	"buurtbalie/internal/district"
	"buurtbalie/internal/house"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sharing"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/web"
)

// newAuditEnv is newEnv with the programme and the settings served, a
// category "fietsen" and a topic "fietsreparatie" of the house's own.
func newAuditEnv(t *testing.T) (*env, *sqlite.ProgrammeService) {
	t.Helper()
	e := newEnv(t)
	ctx := context.Background()
	ps := sqlite.NewProgrammeService(e.db)
	for i, c := range []programme.Category{
		{Key: "bewegen", Icon: "star", Names: map[string]string{"nl": "Bewegen", "en": "Exercise"}},
		{Key: "fietsen", Icon: "star", Names: map[string]string{"nl": "Fietsen", "en": "Cycling"}, Order: 1},
	} {
		c.Order = i
		if err := ps.SaveCategory(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.qs.SaveTopic(ctx, question.Topic{Key: "fietsreparatie", Icon: "star",
		Names: map[string]string{"nl": "Fietsreparatie", "en": "Bike repair"}}); err != nil {
		t.Fatal(err)
	}
	settings := &web.Settings{House: sqlite.NewHouseService(e.db, house.House{Name: "Buurthuis De Linde", Language: "nl"}),
		Categories: ps, Topics: e.qs, Partners: e.qs, Pictograms: assets.Icons}
	e.srv.Close()
	e.handler = web.New(web.Config{Now: e.clock.Now, Programme: ps, Settings: settings}, e.qs, e.as, e.throttle, e.cat, nil).Handler()
	e.srv = httptest.NewServer(e.handler)
	t.Cleanup(e.srv.Close)
	return e, ps
}

var (
	auditItem  = regexp.MustCompile(`(?s)<li>\s*<p class="when">.*?</p>\s*<p class="said">(.*?)</p>(?:\s*<p class="muted">(.*?)</p>)?\s*</li>`)
	auditItems = regexp.MustCompile(`(?s)<ol class="log">.*?</ol>`)
)

// auditLines are the log page's lines, oldest first, each its sentence
// and, after " | ", the detail it could not say.
func auditLines(t *testing.T, body string) []string {
	t.Helper()
	var lines []string
	for _, m := range auditItem.FindAllStringSubmatch(body, -1) {
		line := html.UnescapeString(m[1])
		if m[2] != "" {
			line += " | " + html.UnescapeString(m[2])
		}
		lines = append(lines, line)
	}
	slices.Reverse(lines)
	return lines
}

// Every action the log holds reads as a sentence in the staff's language,
// Dutch or English: entries written through the pages, and one of every
// other action as its writer writes it (older formats too), on a real
// database. A detail the page cannot read is shown as it is.
func TestAuditSentences(t *testing.T) {
	e, _ := newAuditEnv(t)
	ctx := context.Background()
	c := e.staff()

	// Through the pages: an activity on Thursdays, one date of it
	// cancelled, moved to another room and put back.
	form := weeklyForm()
	form.Set("title", "Koffie-ochtend")
	form["weekdays"] = []string{"4"}
	r := c.post("/programme/new", form)
	wantStatus(t, "POST /programme/new", r, http.StatusSeeOther)
	id := strings.TrimPrefix(strings.SplitN(r.location(), "?", 2)[0], "/programme/")
	if id != "1" {
		t.Fatalf("new activity at %q, want /programme/1", r.location())
	}
	for _, f := range []url.Values{
		{"date": {"2026-12-03"}, "do": {"cancel"}},
		{"date": {"2026-12-03"}, "do": {"room"}, "room": {"Zaal 2"}},
		{"date": {"2026-12-03"}, "do": {"restore"}},
	} {
		wantStatus(t, "exception "+f.Get("do"), c.post("/programme/1/exception", f), http.StatusSeeOther)
	}
	log, err := e.as.AuditLog(ctx, 1)
	if err != nil || len(log) != 1 || !strings.Contains(log[0].Detail, "title=Koffie-ochtend") {
		t.Errorf("the restore's audit entry = %+v, %v; want the activity's title in its detail", log, err)
	}

	outcome := func(lang string) (string, bool) { return e.cat.For(lang).Lookup("web.outcome.helped") }
	quoted := func(lang, id string) string { return "'" + e.cat.For(lang).T(id) + "'" }

	type want struct{ nl, en string }
	cases := []struct {
		e    account.Entry
		want want
	}{
		{account.Entry{Actor: "Anna", Action: "viewed", QuestionID: 12}, want{"Anna bekeek vraag #12", "Anna looked at question #12"}},
		{account.Entry{Actor: "Anna", Action: "claimed", QuestionID: 12}, want{"Anna pakte vraag #12 op", "Anna took on question #12"}},
		{account.Entry{Actor: "Anna", Action: "taken_over", QuestionID: 12, Detail: "Kees"}, want{"Anna nam vraag #12 over van Kees", "Anna took question #12 over from Kees"}},
		{account.Entry{Actor: "Anna", Action: "note", QuestionID: 12}, want{"Anna schreef een notitie bij vraag #12", "Anna wrote a note on question #12"}},
		{account.Entry{Actor: "Anna", Action: "message", QuestionID: 12}, want{"Anna schreef een bericht voor de bezoeker van vraag #12", "Anna wrote a message for the visitor of question #12"}},
		{account.Entry{Actor: "Anna", Action: "referred", QuestionID: 12, Detail: "Schuldhulp"}, want{"Anna verwees vraag #12 door naar Schuldhulp", "Anna referred question #12 to Schuldhulp"}},
		{account.Entry{Actor: "Anna", Action: "closed", QuestionID: 12}, want{"Anna rondde vraag #12 af", "Anna closed question #12"}},
		{account.Entry{Actor: "Anna", Action: sharing.ActionReferredHouse, QuestionID: 12, Detail: "Huis Oost"}, want{"Anna verwees vraag #12 door naar Huis Oost", "Anna referred question #12 to Huis Oost"}},
		{account.Entry{Action: sharing.ActionReferredIn, QuestionID: 13, Detail: "Huis West"}, want{"Huis West verwees vraag #13 naar dit huis", "Huis West referred question #13 to this house"}},
		{account.Entry{Action: sharing.ActionReferralRefused, QuestionID: 12, Detail: "Huis Oost: " + district.RefusedHouseLeft}, want{
			"De doorverwijzing van vraag #12 naar Huis Oost kwam niet aan: dat huis doet niet meer mee in de wijk",
			"The referral of question #12 to Huis Oost did not arrive: that house no longer takes part in the district"}},
		{account.Entry{Action: sharing.ActionReferralRefused, QuestionID: 12, Detail: "Huis: Oost: " + district.RefusedUnknownHouse}, want{
			"De doorverwijzing van vraag #12 naar Huis: Oost kwam niet aan: de wijk kent geen huis met die naam",
			"The referral of question #12 to Huis: Oost did not arrive: the district has no house of that name"}},
		{account.Entry{Action: sharing.ActionReferralUnreadable, Detail: "Huis West: 01ABC"}, want{
			"Er kwam een doorverwijzing van Huis West binnen die niet te lezen was | 01ABC",
			"A referral from Huis West came in that could not be read | 01ABC"}},
		{account.Entry{Action: sharing.ActionReferralUnreadable, Detail: "01ABC"}, want{
			"Er kwam een doorverwijzing van een ander huis binnen die niet te lezen was | 01ABC",
			"A referral from another house came in that could not be read | 01ABC"}},
		{account.Entry{Actor: "Anna", Action: "closed", QuestionID: 13, Detail: "helped"}, func() want {
			o1, ok1 := outcome("nl")
			o2, ok2 := outcome("en")
			if !ok1 || !ok2 {
				return want{"Anna rondde vraag #13 af | helped", "Anna closed question #13 | helped"}
			}
			return want{"Anna rondde vraag #13 af (" + o1 + ")", "Anna closed question #13 (" + o2 + ")"}
		}()},
		{account.Entry{Actor: "kiosk", Action: "slip_reprinted", QuestionID: 12, Detail: "printed"}, want{"De kiosk printte het bonnetje van vraag #12 opnieuw", "The kiosk printed the slip of question #12 again"}},
		{account.Entry{Actor: "Anna", Action: "slip_reprinted", QuestionID: 12, Detail: "not printed: out of paper"}, want{
			"Anna wilde het bonnetje van vraag #12 opnieuw printen, maar dat lukte niet | out of paper",
			"Anna tried to print the slip of question #12 again, but it did not work | out of paper"}},
		{account.Entry{Actor: "Kees", Action: account.ActionLogin}, want{"Kees logde in", "Kees logged in"}},
		{account.Entry{Actor: "Kees", Action: account.ActionLoginFailed, Detail: "wrong password"}, want{"Verkeerd wachtwoord voor Kees", "Incorrect password for Kees"}},
		{account.Entry{Actor: "Bram", Action: account.ActionLoginFailed, Detail: "account disabled"}, want{"Bram probeerde in te loggen, maar is uitgeschakeld", "Bram tried to log in, but has been disabled"}},
		{account.Entry{Action: account.ActionLoginFailed, Detail: "unknown name"}, want{"Iemand probeerde in te loggen met een naam die hier niet bestaat", "Someone tried to log in with a name that does not exist here"}},
		{account.Entry{Actor: "Kees", Action: "login_throttled"}, want{"Te veel pogingen: inloggen als Kees even geweigerd", "Too many attempts: logging in as Kees refused for a while"}},
		{account.Entry{Actor: "Kees", Action: "login_throttled", Detail: "from 192.0.2.7, brake: account on address, wait 30s"}, want{
			"Te veel pogingen: inloggen als Kees even geweigerd (te vaak mis met dit account vanaf dit adres, vanaf 192.0.2.7, wachten: 30 seconden)",
			"Too many attempts: logging in as Kees refused for a while (too many failures for this account from this address, from 192.0.2.7, wait: 30 seconds)"}},
		{account.Entry{Action: "login_throttled", Detail: "from 192.0.2.7, brake: all logins, wait 3m0s"}, want{
			"Te veel pogingen: inloggen even geweigerd (te vaak mis in het hele huis, vanaf 192.0.2.7, wachten: 3 minuten)",
			"Too many attempts: logging in refused for a while (too many failures across the house, from 192.0.2.7, wait: 3 minutes)"}},
		{account.Entry{Actor: "Kees", Action: account.ActionLogout}, want{"Kees logde uit", "Kees logged out"}},
		{account.Entry{Actor: "Sanne", Action: account.ActionUserAdded, Detail: "Bram, volunteer"}, want{"Sanne voegde gebruiker Bram toe als vrijwilliger", "Sanne added Bram as a user (volunteer)"}},
		{account.Entry{Action: account.ActionUserAdded, Detail: "Fatima (staff), on the command line"}, want{"Iemand op de opdrachtregel voegde gebruiker Fatima toe als medewerker", "Someone on the command line added Fatima as a user (staff)"}},
		{account.Entry{Actor: "Sanne", Action: account.ActionUserDisabled, Detail: "Bram"}, want{"Sanne schakelde gebruiker Bram uit", "Sanne disabled the user Bram"}},
		{account.Entry{Action: account.ActionUserDisabled, Detail: "Bram, on the command line"}, want{"Iemand op de opdrachtregel schakelde gebruiker Bram uit", "Someone on the command line disabled the user Bram"}},
		{account.Entry{Action: account.ActionPasswordChanged, Detail: "Bram, on the command line"}, want{"Iemand op de opdrachtregel veranderde het wachtwoord van Bram", "Someone on the command line changed the password of Bram"}},
		{account.Entry{Action: "kiosk_pin_set", Detail: "on the command line"}, want{"Iemand op de opdrachtregel stelde de pincode van de kiosk in", "Someone on the command line set the kiosk's PIN"}},
		{account.Entry{Actor: "Anna", Action: account.ActionLanguagesChanged, Detail: "en, tr"}, want{"Anna gaf op deze talen te spreken: Engels, Turks", "Anna said they speak: English, Turkish"}},
		{account.Entry{Actor: "Anna", Action: account.ActionLanguagesChanged, Detail: "none besides nl"}, want{"Anna gaf op geen andere taal te spreken dan Nederlands", "Anna said they speak no language besides Dutch"}},
		{account.Entry{Action: "purge", Detail: "text of 3 closed questions erased; 2 questions, 1500 audit entries, 4 sessions deleted"}, want{
			"Oude gegevens opgeruimd: tekst gewist van afgesloten vragen (3); verwijderd: vragen (2), logregels (1.500), sessies (4)",
			"Old data cleared away: text erased of closed questions (3); deleted: questions (2), log lines (1,500), sessions (4)"}},
		{account.Entry{Actor: "Fatima", Action: "activity_changed", Detail: "1 Koffie-ochtend"}, want{"Fatima paste activiteit 'Koffie-ochtend' aan", "Fatima changed the activity 'Koffie-ochtend'"}},
		// Exceptions as they were written before they named the
		// activity: the title comes from the programme.
		{account.Entry{Actor: "Fatima", Action: "exception_set", Detail: "1 2026-12-03 cancelled"}, want{
			"Fatima zette 'Koffie-ochtend' op donderdag 3 december op 'gaat niet door'",
			"Fatima marked 'Koffie-ochtend' on Thursday 3 December as not taking place"}},
		{account.Entry{Actor: "Fatima", Action: "exception_set", Detail: "1 2026-12-03 time 10:00-11:30"}, want{
			"Fatima verzette 'Koffie-ochtend' op donderdag 3 december naar 10:00–11:30",
			"Fatima moved 'Koffie-ochtend' on Thursday 3 December to 10:00–11:30"}},
		{account.Entry{Actor: "Fatima", Action: "exception_set", Detail: "1 2026-12-03 note"}, want{
			"Fatima paste de opmerking bij 'Koffie-ochtend' op donderdag 3 december aan",
			"Fatima changed the note on 'Koffie-ochtend' on Thursday 3 December"}},
		{account.Entry{Actor: "Fatima", Action: "exception_set", Detail: "1 2026-12-03 room "}, want{
			"Fatima zette 'Koffie-ochtend' op donderdag 3 december terug in de eigen ruimte",
			"Fatima put 'Koffie-ochtend' on Thursday 3 December back in its usual room"}},
		{account.Entry{Actor: "Fatima", Action: "exception_deleted", Detail: "1 2026-12-03"}, want{
			"Fatima zette 'Koffie-ochtend' op donderdag 3 december terug zoals gepland",
			"Fatima put 'Koffie-ochtend' on Thursday 3 December back as planned"}},
		{account.Entry{Actor: "Fatima", Action: "exception_set", Detail: "99 2026-12-03 cancelled"}, want{
			"Fatima zette activiteit #99 op donderdag 3 december op 'gaat niet door'",
			"Fatima marked activity #99 on Thursday 3 December as not taking place"}},
		{account.Entry{Actor: "Fatima", Action: "programme_imported", Detail: "agenda.ics: +2 ~0 -0, 1 skipped"}, want{
			"Agenda.ics ingelezen door Fatima: 2 nieuw, 0 gewijzigd, 0 weg, 1 overgeslagen",
			"Agenda.ics imported by Fatima: 2 new, 0 changed, 0 removed, 1 left out"}},
		{account.Entry{Actor: "Fatima", Action: "activity_added", Detail: "7 Yoga"}, want{"Fatima voegde activiteit 'Yoga' toe", "Fatima added the activity 'Yoga'"}},
		{account.Entry{Actor: "Fatima", Action: "activity_deleted", Detail: "7 Yoga"}, want{"Fatima verwijderde activiteit 'Yoga'", "Fatima deleted the activity 'Yoga'"}},
		{account.Entry{Actor: "Fatima", Action: "exception_set", Detail: "7 2026-12-04 room Tuin"}, want{
			"Fatima verplaatste 'Yoga' op vrijdag 4 december naar Tuin",
			"Fatima moved 'Yoga' on Friday 4 December to Tuin"}},
		{account.Entry{Actor: "Sanne", Action: "house_saved", Detail: "Buurthuis De Linde"}, want{"Sanne paste de gegevens van Buurthuis De Linde aan", "Sanne changed the details of Buurthuis De Linde"}},
		{account.Entry{Actor: "Sanne", Action: "languages_saved", Detail: "nl, en, ti; read aloud by itself: en"}, want{
			"Sanne zette de talen van de kiosk op: Nederlands, Engels, Tigrinya; vanzelf voorgelezen: Engels",
			"Sanne set the kiosk's languages to: Dutch, English, Tigrinya; read aloud by itself: English"}},
		{account.Entry{Actor: "Sanne", Action: "languages_saved", Detail: "nl, ar"}, want{"Sanne zette de talen van de kiosk op: Nederlands, Arabisch", "Sanne set the kiosk's languages to: Dutch, Arabic"}},
		{account.Entry{Actor: "Fatima", Action: "correction_saved", Detail: "ti ask.topic_title"}, want{
			"Vertaling Tigrinya van " + quoted("nl", "ask.topic_title") + " aangepast door Fatima",
			"Tigrinya translation of " + quoted("en", "ask.topic_title") + " changed by Fatima"}},
		{account.Entry{Actor: "Fatima", Action: "correction_reverted", Detail: "tr welcome.today"}, want{
			"Vertaling Turks van " + quoted("nl", "welcome.today") + " teruggezet naar het origineel door Fatima",
			"Turkish translation of " + quoted("en", "welcome.today") + " put back to the original by Fatima"}},
		{account.Entry{Actor: "Sanne", Action: "hours_saved", Detail: "maandag 9:00–12:00"}, want{
			"Sanne paste de tijden van de vrijwilligers aan | maandag 9:00–12:00", "Sanne changed the volunteers' hours | maandag 9:00–12:00"}},
		{account.Entry{Actor: "Sanne", Action: "category_saved", Detail: "fietsen"}, want{"Sanne sloeg soort 'Fietsen' op", "Sanne saved the kind of activity 'Cycling'"}},
		{account.Entry{Actor: "Sanne", Action: "category_deleted", Detail: "breien"}, want{"Sanne verwijderde soort 'breien'", "Sanne deleted the kind of activity 'breien'"}},
		{account.Entry{Actor: "Sanne", Action: "topic_saved", Detail: "fietsreparatie"}, want{"Sanne sloeg onderwerp 'Fietsreparatie' op", "Sanne saved the topic 'Bike repair'"}},
		{account.Entry{Actor: "Sanne", Action: "topic_hidden", Detail: "fietsreparatie true"}, want{"Sanne verborg onderwerp 'Fietsreparatie' op de kiosk", "Sanne hid the topic 'Bike repair' on the kiosk"}},
		{account.Entry{Actor: "Sanne", Action: "topic_hidden", Detail: "fietsreparatie false"}, want{"Sanne toonde onderwerp 'Fietsreparatie' weer op de kiosk", "Sanne showed the topic 'Bike repair' on the kiosk again"}},
		{account.Entry{Actor: "Sanne", Action: "partner_saved", Detail: "Schuldhulp"}, want{"Sanne sloeg partner 'Schuldhulp' op", "Sanne saved the partner 'Schuldhulp'"}},
		{account.Entry{Actor: "Sanne", Action: "partner_hidden", Detail: "Stichting Humanitas true"}, want{"Sanne verborg partner 'Stichting Humanitas'", "Sanne hid the partner 'Stichting Humanitas'"}},
		{account.Entry{Actor: "Sanne", Action: "partner_hidden", Detail: "Stichting Humanitas false"}, want{"Sanne toonde partner 'Stichting Humanitas' weer", "Sanne showed the partner 'Stichting Humanitas' again"}},
		{account.Entry{Actor: "Sanne", Action: "subscription_added", Detail: "https://example.org/agenda.ics"}, want{
			"Sanne liet het programma de agenda https://example.org/agenda.ics volgen", "Sanne had the programme follow the calendar https://example.org/agenda.ics"}},
		{account.Entry{Actor: "Sanne", Action: "subscription_removed", Detail: "3, 12 activities"}, want{
			"Sanne stopte met het volgen van agenda #3; activiteiten eruit gehaald: 12", "Sanne stopped following calendar #3; activities taken out: 12"}},
		{account.Entry{Actor: "Fatima", Action: "recording_saved", Detail: "ti ask.topic_title"}, want{
			"Fatima nam " + quoted("nl", "ask.topic_title") + " op in het Tigrinya", "Fatima recorded " + quoted("en", "ask.topic_title") + " in Tigrinya"}},
		{account.Entry{Actor: "Fatima", Action: "spoken_language_added", Detail: "x-tamazight Tamaziɣt"}, want{"Fatima voegde de gesproken taal Tamaziɣt toe", "Fatima added the spoken language Tamaziɣt"}},
		{account.Entry{Actor: "Fatima", Action: "recording_saved", Detail: "x-tamazight language.name"}, want{"Fatima nam de naam van de taal op in het Tamaziɣt", "Fatima recorded the language's name in Tamaziɣt"}},
		{account.Entry{Actor: "Fatima", Action: "recording_deleted", Detail: "x-tamazight language.name"}, want{"Fatima verwijderde de opname van de naam van de taal in het Tamaziɣt", "Fatima deleted the recording of the language's name in Tamaziɣt"}},
		{account.Entry{Actor: "Fatima", Action: "spoken_language_removed", Detail: "x-tamazight"}, want{"Fatima verwijderde de gesproken taal Tamaziɣt", "Fatima removed the spoken language Tamaziɣt"}},
		// What cannot be read is shown as it is, after a plain sentence.
		{account.Entry{Actor: "Fatima", Action: "exception_set", Detail: "de hele maand"}, want{"Fatima wijzigde een datum | de hele maand", "Fatima changed a date | de hele maand"}},
		{account.Entry{Actor: "Sanne", Action: "user_added", Detail: "Bram"}, want{"Sanne voegde een gebruiker toe | Bram", "Sanne added a user | Bram"}},
		{account.Entry{Actor: "Sanne", Action: "something_new", QuestionID: 5, Detail: "x"}, want{"Sanne: something_new (vraag #5) | x", "Sanne: something_new (question #5) | x"}},
	}
	// The table's questions 5, 12 and 13 are the database's.
	for i := 1; i <= 13; i++ {
		if q := e.ask("Een vraag", question.Waiting); q.ID != int64(i) {
			t.Fatalf("question %d has ID %d", i, q.ID)
		}
	}
	for _, tc := range cases {
		if err := e.as.Audit(ctx, tc.e); err != nil {
			t.Fatalf("audit %+v: %v", tc.e, err)
		}
	}

	fromPages := want{nl: "Sanne logde in|" +
		"Sanne voegde activiteit 'Koffie-ochtend' toe|" +
		"Sanne zette 'Koffie-ochtend' op donderdag 3 december op 'gaat niet door'|" +
		"Sanne verplaatste 'Koffie-ochtend' op donderdag 3 december naar Zaal 2|" +
		"Sanne zette 'Koffie-ochtend' op donderdag 3 december terug zoals gepland",
		en: "Sanne logged in|" +
			"Sanne added the activity 'Koffie-ochtend'|" +
			"Sanne marked 'Koffie-ochtend' on Thursday 3 December as not taking place|" +
			"Sanne moved 'Koffie-ochtend' on Thursday 3 December to Zaal 2|" +
			"Sanne put 'Koffie-ochtend' on Thursday 3 December back as planned"}
	// Words of the code, and of details as they are stored, that a
	// sentence must not show.
	internal := []string{"cancelled", "+2 ~0", "wrong password", "unknown name", "account disabled", "ask.topic_title", "welcome.today",
		", on the command line", "audit entries", "skipped", "true", "false", "x-tamazight", "language.name", "web.audit", "title=", "_", "="}
	for _, lang := range []string{"nl", "en"} {
		r := c.get("/audit?lang=" + lang)
		wantStatus(t, "GET /audit?lang="+lang, r, http.StatusOK)
		got := auditLines(t, r.body)
		wantLines := strings.Split(fromPages.nl, "|")
		if lang == "en" {
			wantLines = strings.Split(fromPages.en, "|")
		}
		for _, tc := range cases {
			w := tc.want.nl
			if lang == "en" {
				w = tc.want.en
			}
			wantLines = append(wantLines, w)
		}
		if len(got) != len(wantLines) {
			t.Errorf("%s: the page has %d lines, want %d:\n%s", lang, len(got), len(wantLines), strings.Join(got, "\n"))
		}
		for i := range min(len(got), len(wantLines)) {
			if got[i] != wantLines[i] {
				t.Errorf("%s: line %d\n got %q\nwant %q", lang, i+1, got[i], wantLines[i])
			}
			if strings.Contains(wantLines[i], "something_new") {
				continue // an action the page does not know yet
			}
			said, _, _ := strings.Cut(got[i], " | ")
			for _, word := range internal {
				if strings.Contains(said, word) {
					t.Errorf("%s: line %d %q shows %q", lang, i+1, said, word)
				}
			}
		}
		if m := auditItems.FindString(r.body); strings.Contains(m, "web.audit") {
			t.Errorf("%s: the log shows a message ID:\n%s", lang, m)
		}
	}
	for _, id := range e.cat.Missing() {
		if strings.Contains(id, "web.audit") {
			t.Errorf("missing message %s", id)
		}
	}
}

// A change to a date names its activity in a detail that fits the log,
// however long the title and whatever it holds; the page still reads it.
func TestAuditDetailFits(t *testing.T) {
	e, ps := newAuditEnv(t)
	ctx := context.Background()
	title := strings.Repeat("%&", programme.MaxTitle/2) // each written as three characters
	c := e.staff()
	form := weeklyForm()
	form.Set("title", title)
	form["weekdays"] = []string{"4"}
	wantStatus(t, "POST /programme/new", c.post("/programme/new", form), http.StatusSeeOther)
	acts, err := ps.Activities(ctx)
	if err != nil || len(acts) != 1 || acts[0].Title != title {
		t.Fatalf("activities = %+v, %v", acts, err)
	}
	wantStatus(t, "cancel", c.post("/programme/1/exception", url.Values{"date": {"2026-12-03"}, "do": {"cancel"}}), http.StatusSeeOther)
	log, err := e.as.AuditLog(ctx, 1)
	if err != nil || len(log) != 1 || log[0].Action != "exception_set" {
		t.Fatalf("audit log = %+v, %v", log, err)
	}
	if n := utf8.RuneCountInString(log[0].Detail); n > account.MaxDetail {
		t.Errorf("detail has %d characters, more than %d", n, account.MaxDetail)
	}
	lines := auditLines(t, c.get("/audit").body)
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "Sanne zette '%&%&") || !strings.HasSuffix(last, "' op donderdag 3 december op 'gaat niet door'") || strings.Contains(last, " | ") {
		t.Errorf("the cancellation reads %q", last)
	}
}
