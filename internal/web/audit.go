package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sharing"
	"buurtbalie/internal/voice"
)

// The audit log page says every entry as a sentence in the staff's own
// language: "Kees logde in", "Verkeerd wachtwoord voor Kees", "Fatima
// zette 'Koffie-ochtend' op donderdag 3 december op 'gaat niet door'".
//
// Each action has its sentences in the catalogue, "web.audit.said."
// followed by the action and, for a sentence that uses the entry's
// detail, a variant ("web.audit.said.exception_set.cancelled"). An action
// without sentences of its own is said with the catalogue's short phrase
// for it, "web.audit.action." and the action ("stelde de pincode van de
// kiosk in"), after who did it.
//
// Details were written over the years by many hands, most in small
// formats of their own that do not change ("ti ask.topic_title", "3
// Koffie-ochtend", "wrong password"); they are read here as they are. A
// writer that needs several free-text parts writes them with
// auditDetail, as key=value pairs that auditFields reads back. A detail
// that cannot be read, an old one or one this page does not know, is
// shown as it is, under the action's plain sentence: nothing in the log
// is ever hidden from staff.

// auditLimit is how many lines of the audit log the page shows: a few
// weeks of a busy house, and still a page a phone loads quickly.
const auditLimit = 500

type auditView struct {
	Entries []auditLine
}

// auditLine is one entry as the page shows it: when, the sentence, and
// what of the detail the sentence could not say.
type auditLine struct {
	When, Said, Extra string
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request, sess *session) {
	entries, err := s.accounts.AuditLog(r.Context(), auditLimit)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	p := s.newPage(w, r, sess, "")
	p.Title = p.L.T("web.audit.title")
	a := s.lookUpAuditNames(r.Context(), p.L, entries)
	var d auditView
	for _, e := range entries {
		said, extra := a.sentence(e)
		d.Entries = append(d.Entries, auditLine{When: s.when(p.L, e.At), Said: said, Extra: extra})
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "audit", p)
}

// Actions written elsewhere, whose constants this package does not
// import: the store's purge, the command line's kiosk PIN, and the
// login throttle's and the question page's newer ones.
const (
	auditPurge          = "purge"
	auditKioskPIN       = "kiosk_pin_set"
	auditLoginThrottled = "login_throttled"
	auditTakenOver      = "taken_over"
)

// The details other packages write in fixed words.
const (
	detailCommandLine   = "on the command line"
	detailWrongPassword = "wrong password"
	detailDisabled      = "account disabled"
	detailUnknownName   = "unknown name"
	detailPrinted       = "printed"
	detailNotPrinted    = "not printed: "
	detailPurge         = "text of %d closed questions erased; %d questions, %d audit entries, %d sessions deleted"
	detailUnsubscribed  = "%d, %d activities"
	detailNoneBesides   = "none besides "
	detailReadAloud     = "; read aloud by itself: "
)

// importReport is programme_imported's detail: "agenda.ics: +2 ~0 -0, 1
// skipped".
var importReport = regexp.MustCompile(`^(.+): \+(\d+) ~(\d+) -(\d+), (\d+) skipped$`)

// throttledDetail is login_throttled's detail: "from 192.0.2.7, brake:
// account on address, wait 30s" (the address, the throttle's brake, the
// wait).
var throttledDetail = regexp.MustCompile(`^from (\S+), brake: ([a-z ]+), wait (\S+)$`)

// placeholder is a message's {{.Something}}, left out where the log
// quotes a message.
var placeholder = regexp.MustCompile(`\{\{[^}]*\}\}`)

// detailEscaper escapes what would break a key=value pair: the
// separators, and what url.ParseQuery reads in a special way. Everything
// else, letters of every script and spaces too, stays readable and short.
var detailEscaper = strings.NewReplacer("%", "%25", "&", "%26", "=", "%3D", "+", "%2B", ";", "%3B")

// auditDetail packs pairs of key and value into an audit entry's Detail
// that the log page reads back with auditFields:
// "activity=3&date=2026-12-03&change=cancelled&title=Koffie-ochtend".
// While it is longer than account.MaxDetail, the longest value is
// shortened.
func auditDetail(kv ...string) string {
	v := slices.Clone(kv)
	for {
		var b strings.Builder
		for i := 0; i+1 < len(v); i += 2 {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(detailEscaper.Replace(v[i]))
			b.WriteByte('=')
			b.WriteString(detailEscaper.Replace(v[i+1]))
		}
		d := b.String()
		longest := -1
		for i := 1; i < len(v); i += 2 {
			if longest < 0 || len(v[i]) > len(v[longest]) {
				longest = i
			}
		}
		if utf8.RuneCountInString(d) <= account.MaxDetail || longest < 0 || v[longest] == "" {
			return cut(d, account.MaxDetail)
		}
		_, n := utf8.DecodeLastRuneInString(v[longest])
		v[longest] = v[longest][:len(v[longest])-n]
	}
}

// auditFields reads a detail written by auditDetail, holding no keys but
// keys; false for any other detail.
func auditFields(detail string, keys ...string) (url.Values, bool) {
	if !strings.Contains(detail, "=") {
		return nil, false
	}
	v, err := url.ParseQuery(detail)
	if err != nil {
		return nil, false
	}
	for k := range v {
		if !slices.Contains(keys, k) {
			return nil, false
		}
	}
	return v, true
}

// exceptionDetail is the audit detail of a change to one date of
// activity id. change says what, as the programme page says it:
// "cancelled", "room Zaal 2", "time 10:00-12:00", "note"; "" when the
// date was put back as planned. The activity's title goes with it, so
// the log names the activity even after it is gone.
func (s *Server) exceptionDetail(ctx context.Context, id int64, date programme.Date, change string) string {
	kv := []string{"activity", strconv.FormatInt(id, 10), "date", date.String()}
	if change != "" {
		kv = append(kv, "change", change)
	}
	if a, err := s.cfg.Programme.Activity(ctx, id); err == nil {
		kv = append(kv, "title", a.Title)
	}
	return auditDetail(kv...)
}

// exceptionEntry is an exception's detail, read.
type exceptionEntry struct {
	activity      int64
	date          programme.Date
	change, title string
}

// parseException reads an exception's detail: auditDetail's, or before
// it "3 2026-12-03 cancelled" (set) and "3 2026-12-03" (put back).
func parseException(detail string) (exceptionEntry, bool) {
	var x exceptionEntry
	var id, date string
	if f, ok := auditFields(detail, "activity", "date", "change", "title"); ok {
		id, date, x.change, x.title = f.Get("activity"), f.Get("date"), f.Get("change"), f.Get("title")
	} else {
		parts := strings.SplitN(detail, " ", 3)
		if len(parts) < 2 {
			return x, false
		}
		id, date = parts[0], parts[1]
		if len(parts) == 3 {
			x.change = parts[2]
		}
	}
	var err error
	if x.activity, err = strconv.ParseInt(id, 10, 64); err != nil || x.activity <= 0 {
		return x, false
	}
	if x.date, err = programme.ParseDate(date); err != nil {
		return x, false
	}
	return x, true
}

// auditNames are what the log's sentences name, looked up once for the
// page: in the staff's language where there is one.
type auditNames struct {
	l   *catalogue.Translator
	cat *catalogue.Catalogue
	// titles are activities' titles by id, for exceptions written with
	// the id alone: from the log's own entries, then the programme.
	titles map[int64]string
	// named are categories' and topics' names per language, by kind
	// ("category", "topic") and key.
	named map[string]map[string]map[string]string
	// spoken are the names of spoken-only languages by code, also of
	// those removed since.
	spoken map[string]string
}

// maxTitleLookups bounds the programme lookups of one page.
const maxTitleLookups = 50

func (s *Server) lookUpAuditNames(ctx context.Context, l *catalogue.Translator, entries []account.Entry) *auditNames {
	a := &auditNames{l: l, cat: s.cat, titles: map[int64]string{}, spoken: map[string]string{},
		named: map[string]map[string]map[string]string{"category": {}, "topic": {}}}
	// Oldest first, so that the newest title and name win.
	for _, e := range slices.Backward(entries) {
		switch e.Action {
		case actionActivityAdded, actionActivityChanged, actionActivityDeleted:
			if id, title, ok := idAndText(e.Detail); ok {
				a.titles[id] = title
			}
		case actionExceptionSet, actionExceptionDeleted:
			if x, ok := parseException(e.Detail); ok && x.title != "" {
				a.titles[x.activity] = x.title
			}
		case actionSpokenAdded:
			if code, name, ok := strings.Cut(e.Detail, " "); ok && voice.IsSpoken(code) {
				a.spoken[code] = name
			}
		}
	}
	if s.cfg.Programme != nil {
		asked := 0
		for _, e := range entries {
			if e.Action != actionExceptionSet && e.Action != actionExceptionDeleted {
				continue
			}
			x, ok := parseException(e.Detail)
			if _, known := a.titles[x.activity]; !ok || known || asked == maxTitleLookups {
				continue
			}
			asked++
			act, err := s.cfg.Programme.Activity(ctx, x.activity)
			a.titles[x.activity] = act.Title // "" when it is gone: not asked again
			if err != nil {
				s.log.Debug("web: audit: activity", "id", x.activity, "err", err)
			}
		}
	}
	if st := s.cfg.Settings; st != nil {
		if st.Categories != nil {
			if cats, err := st.Categories.Categories(ctx); err == nil {
				for _, c := range cats {
					a.named["category"][c.Key] = c.Names
				}
			}
		}
		if st.Topics != nil {
			if topics, err := st.Topics.Topics(ctx); err == nil {
				for _, t := range topics {
					a.named["topic"][t.Key] = t.Names
				}
			}
		}
		if st.Voices != nil {
			if spoken, err := st.Voices.SpokenLanguages(ctx); err == nil {
				for _, sl := range spoken {
					a.spoken[sl.Code] = sl.Name
				}
			}
		}
	}
	return a
}

// sentence says e in the page's language, and what of its detail the
// sentence could not say ("" when it said all).
func (a *auditNames) sentence(e account.Entry) (said, extra string) {
	detail, cli := e.Detail, false
	if e.Actor == "" {
		if detail == detailCommandLine {
			detail, cli = "", true
		} else if d, ok := strings.CutSuffix(detail, ", "+detailCommandLine); ok {
			detail, cli = d, true
		}
	}
	d := map[string]any{"Who": a.who(e, cli), "Q": e.QuestionID}
	key, extra := a.wording(e, detail, d)
	return a.capital(a.l.Tf(key, d)), extra
}

// who names who did e: the user, the command line, the kiosk or the
// system.
func (a *auditNames) who(e account.Entry, cli bool) string {
	switch {
	case e.Actor == "" && cli:
		return a.l.T("web.audit.command_line")
	case e.Actor == "":
		return a.l.T("web.audit.system")
	case e.Actor == "kiosk" && e.Action == question.ActionReprinted:
		return a.l.T("web.audit.kiosk") // desk.ReprintByCode's actor
	}
	return e.Actor
}

const said = "web.audit.said."

// wording chooses e's sentence and fills in d from detail (e's detail
// without "on the command line"); it returns the message's key and the
// part of detail it did not use.
func (a *auditNames) wording(e account.Entry, detail string, d map[string]any) (string, string) {
	act := e.Action
	variant := func(v string) string { return said + act + "." + v }
	// plain is the sentence without the detail, which is shown as it is.
	plain := func() (string, string) { return a.plain(act, e.QuestionID, d), detail }
	switch act {
	case string(question.EventViewed), string(question.EventClaimed), string(question.EventNote), string(question.EventMessage):
		return plain()
	case string(question.EventReferred):
		if detail != "" {
			d["Partner"] = detail
			return variant("partner"), ""
		}
	case sharing.ActionReferredHouse, sharing.ActionReferredIn:
		if detail != "" {
			d["House"] = detail
			return variant("named"), ""
		}
	case sharing.ActionReferralRefused, sharing.ActionReferralUnreadable:
		// "HOUSE: WORD": a house's name may hold ": ", the reason
		// word and the referral's id do not.
		if i := strings.LastIndex(detail, ": "); i > 0 {
			house, rest := detail[:i], detail[i+2:]
			d["House"] = house
			if act == sharing.ActionReferralUnreadable {
				return variant("named"), rest // the id, for whoever looks further
			}
			d["Reason"] = refusalReason(a.l, rest)
			return variant("named"), ""
		}
	case string(question.EventClosed):
		if o, ok := a.l.Lookup("web.outcome." + detail); ok && detail != "" {
			d["Outcome"] = o
			return variant("outcome"), ""
		}
	case auditTakenOver:
		if detail != "" {
			d["Name"] = detail
			return variant("from"), ""
		}
	case question.ActionReprinted:
		if detail == detailPrinted {
			return said + act, ""
		}
		if why, ok := strings.CutPrefix(detail, detailNotPrinted); ok {
			return variant("failed"), why
		}
	case account.ActionLoginFailed:
		switch {
		case detail == detailUnknownName:
			return variant("unknown_name"), ""
		case e.Actor == "":
			return variant("nobody"), detail
		case detail == detailWrongPassword:
			return variant("wrong_password"), ""
		case detail == detailDisabled:
			return variant("disabled"), ""
		}
		return said + act, detail
	case auditLoginThrottled:
		d["Name"] = e.Actor
		plainKey, detailKey := said+act, variant("detail")
		if e.Actor == "" { // not a user's name: nobody is named
			plainKey, detailKey = variant("nobody"), variant("nobody_detail")
		}
		if m := throttledDetail.FindStringSubmatch(detail); m != nil {
			brake, ok := a.l.Lookup("web.audit.brake." + strings.ReplaceAll(m[2], " ", "_"))
			wait, err := time.ParseDuration(m[3])
			if ok && err == nil {
				d["From"], d["Brake"], d["Wait"] = m[1], brake, waitText(a.l, wait)
				return detailKey, ""
			}
		}
		return plainKey, detail
	case account.ActionUserAdded:
		if name, role, ok := userAndRole(detail); ok {
			d["Name"], d["Role"] = name, a.l.T("web.role."+role)
			return variant("named"), ""
		}
	case account.ActionUserDisabled, account.ActionPasswordChanged, actionHouseSaved:
		if detail != "" {
			d["Name"] = detail
			return variant("named"), ""
		}
	case account.ActionLanguagesChanged:
		if lang, ok := strings.CutPrefix(detail, detailNoneBesides); ok && a.isLanguage(lang) {
			d["Lang"] = a.language(lang)
			return variant("none"), ""
		}
		if langs, ok := a.languages(detail); ok {
			d["Langs"] = langs
			return variant("some"), ""
		}
	case actionLanguagesSaved:
		shown, aloud, both := strings.Cut(detail, detailReadAloud)
		langs, ok := a.languages(shown)
		if ok && both {
			if d["Aloud"], ok = a.languages(aloud); ok {
				d["Langs"] = langs
				return variant("aloud"), ""
			}
		} else if ok {
			d["Langs"] = langs
			return variant("langs"), ""
		}
	case auditPurge:
		var texts, questions, entries, sessions int
		if n, err := fmt.Sscanf(detail, detailPurge, &texts, &questions, &entries, &sessions); err == nil && n == 4 {
			d["Texts"], d["Questions"], d["Entries"], d["Sessions"] = a.l.Number(texts), a.l.Number(questions), a.l.Number(entries), a.l.Number(sessions)
			return variant("counts"), ""
		}
	case actionActivityAdded, actionActivityChanged, actionActivityDeleted:
		if _, title, ok := idAndText(detail); ok {
			d["Title"] = a.quote(title)
			return variant("titled"), ""
		}
	case actionExceptionSet, actionExceptionDeleted:
		return a.exception(e, detail, d)
	case actionImported:
		if m := importReport.FindStringSubmatch(detail); m != nil {
			d["Name"], d["Added"], d["Changed"], d["Removed"], d["Skipped"] = m[1], m[2], m[3], m[4], m[5]
			return variant("report"), ""
		}
	case actionCorrectionSaved, actionCorrectionReverted, actionRecordingSaved, actionRecordingDeleted:
		if lang, id, ok := strings.Cut(detail, " "); ok && id != "" && a.isLanguage(lang) {
			d["Lang"], d["Text"] = a.language(lang), a.message(id)
			return variant("text"), ""
		}
	case actionCategorySaved, actionCategoryDeleted, actionTopicSaved:
		if detail != "" {
			kind := "category"
			if act == actionTopicSaved {
				kind = "topic"
			}
			d["Name"] = a.quote(a.l.Name(kind, detail, a.named[kind][detail]))
			return variant("named"), ""
		}
	case actionTopicHidden, actionPartnerHidden:
		if what, hidden, ok := textAndBool(detail); ok {
			if act == actionTopicHidden {
				what = a.l.Name("topic", what, a.named["topic"][what])
			}
			d["Name"] = a.quote(what)
			if hidden {
				return variant("hidden"), ""
			}
			return variant("shown"), ""
		}
	case actionPartnerSaved:
		if detail != "" {
			d["Name"] = a.quote(detail)
			return variant("named"), ""
		}
	case actionSubscriptionAdded:
		if detail != "" {
			d["URL"] = detail
			return variant("url"), ""
		}
	case actionSubscriptionRemoved:
		var id, n int
		if k, err := fmt.Sscanf(detail, detailUnsubscribed, &id, &n); err == nil && k == 2 {
			d["ID"], d["N"] = id, a.l.Number(n)
			return variant("counts"), ""
		}
	case actionSpokenAdded:
		if code, name, ok := strings.Cut(detail, " "); ok && voice.IsSpoken(code) && name != "" {
			d["Name"] = name
			return variant("named"), ""
		}
	case actionSpokenRemoved:
		if voice.IsSpoken(detail) {
			d["Name"] = a.language(detail)
			return variant("named"), ""
		}
	}
	return plain()
}

// exception words a change to one date of an activity.
func (a *auditNames) exception(e account.Entry, detail string, d map[string]any) (string, string) {
	x, ok := parseException(detail)
	if !ok {
		return a.plain(e.Action, e.QuestionID, d), detail
	}
	title := x.title
	if title == "" {
		title = a.titles[x.activity]
	}
	if title != "" {
		d["Title"] = a.quote(title)
	} else {
		d["Title"] = a.l.Tf("web.audit.activity", map[string]any{"ID": x.activity})
	}
	d["Date"] = a.l.Date(x.date.Year, x.date.Month, x.date.Day)
	key := said + e.Action + "."
	if e.Action == actionExceptionDeleted {
		return key + "dated", ""
	}
	switch change := x.change; {
	case change == "cancelled":
		return key + "cancelled", ""
	case change == "note":
		return key + "note", ""
	case change == "room" || strings.HasPrefix(change, "room "):
		room := strings.TrimSpace(strings.TrimPrefix(change, "room"))
		if room == "" {
			return key + "room_back", ""
		}
		d["Room"] = room
		return key + "room", ""
	case strings.HasPrefix(change, "time "):
		if start, end, ok := strings.Cut(strings.TrimPrefix(change, "time "), "-"); ok {
			d["Start"], d["End"] = start, end
			return key + "time", ""
		}
	}
	return key + "changed", x.change
}

// plain is act's sentence that uses no detail: its own, else who did it
// and the catalogue's phrase for the action, else who and the action's
// word itself (an action this page does not know yet).
func (a *auditNames) plain(act string, q int64, d map[string]any) string {
	if _, ok := a.l.Lookup(said + act); ok {
		return said + act
	}
	key := said + "unknown"
	if did, ok := a.l.Lookup("web.audit.action." + act); ok {
		d["Did"], key = did, said+"other"
	} else {
		d["Action"] = act
	}
	if q != 0 {
		key += ".question"
	}
	return key
}

// capital writes s with a capital first letter, as a sentence starts.
func (a *auditNames) capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	up := unicode.ToUpper(r)
	if a.l.Lang() == "tr" {
		up = unicode.TurkishCase.ToUpper(r)
	}
	return string(up) + s[n:]
}

// quote puts a name or text between the language's quotes.
func (a *auditNames) quote(s string) string {
	return a.l.Tf("web.audit.quoted", map[string]any{"Text": s})
}

// maxQuoted is how much of a message the log quotes.
const maxQuoted = 60

// message quotes the message id as the staff read it in their language,
// shortened: which text was corrected or recorded.
func (a *auditNames) message(id string) string {
	if id == voice.NamePrompt {
		// Its text in the staff's language would name their own.
		return a.l.T("web.audit.language_name")
	}
	forms, ok := a.cat.Shipped(a.l.Lang(), id)
	if !ok {
		forms, ok = a.cat.Shipped(a.cat.Default(), id)
	}
	if !ok {
		return a.quote(id) // a message no longer in the catalogue
	}
	text := forms["other"]
	if len(forms) == 1 && !strings.Contains(text, "{{") {
		text = a.l.T(id) // with staff's corrections
	}
	text = strings.Join(strings.Fields(placeholder.ReplaceAllString(text, "…")), " ")
	if utf8.RuneCountInString(text) > maxQuoted {
		text = strings.TrimSpace(cut(text, maxQuoted-1)) + "…"
	}
	return a.quote(text)
}

// isLanguage reports whether code is a language the log can name.
func (a *auditNames) isLanguage(code string) bool {
	if voice.IsSpoken(code) || a.cat.Has(code) {
		return true
	}
	_, ok := a.l.Lookup("web.audit.language." + code)
	return ok
}

// language names the language code in the staff's language: "Tigrinya".
func (a *auditNames) language(code string) string {
	if voice.IsSpoken(code) {
		if name := a.spoken[code]; name != "" {
			return name
		}
		return strings.TrimPrefix(code, "x-")
	}
	if name, ok := a.l.Lookup("web.audit.language." + code); ok {
		return name
	}
	if a.cat.Has(code) {
		return a.cat.Language(code) // its own name, for a language added since
	}
	return code
}

// languages names a detail's list of languages, "en, tr"; false unless
// every one is a language.
func (a *auditNames) languages(list string) (string, bool) {
	if list == "" {
		return "", false
	}
	var names []string
	for _, code := range strings.Split(list, ", ") {
		if !a.isLanguage(code) {
			return "", false
		}
		names = append(names, a.language(code))
	}
	return strings.Join(names, ", "), true
}

// idAndText reads "3 Koffie-ochtend": an id, a space and a text.
func idAndText(detail string) (int64, string, bool) {
	id, text, ok := strings.Cut(detail, " ")
	n, err := strconv.ParseInt(id, 10, 64)
	return n, text, ok && err == nil && text != ""
}

// textAndBool reads "Schuldhulp true": a text, a space and true or false.
func textAndBool(detail string) (string, bool, bool) {
	i := strings.LastIndex(detail, " ")
	if i <= 0 {
		return "", false, false
	}
	switch detail[i+1:] {
	case "true":
		return detail[:i], true, true
	case "false":
		return detail[:i], false, true
	}
	return "", false, false
}

// userAndRole reads a new user's detail: "Bram, volunteer" from the web
// pages, "Bram (volunteer)" from the command line.
func userAndRole(detail string) (string, string, bool) {
	name, role, ok := "", "", false
	if i := strings.LastIndex(detail, ", "); i > 0 {
		name, role, ok = detail[:i], detail[i+2:], true
	} else if rest, found := strings.CutSuffix(detail, ")"); found {
		if i := strings.LastIndex(rest, " ("); i > 0 {
			name, role, ok = rest[:i], rest[i+2:], true
		}
	}
	r := account.Role(role)
	return name, role, ok && (r == account.Staff || r == account.Volunteer)
}
