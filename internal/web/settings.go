package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/district"
	"buurtbalie/internal/house"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
)

// Settings are the stores behind the staff's settings pages: the house
// (its name, the hours and emergency numbers printed on slips, the
// kiosk's language), the programme's categories, the question topics and
// the partners questions are referred to. internal/sqlite's services in
// production.
type Settings struct {
	House interface {
		House(ctx context.Context) (house.House, error)
		SaveHouse(ctx context.Context, h house.House, actor string) error
		SaveVolunteers(ctx context.Context, v house.Volunteers, actor string) error
		SetLanguages(ctx context.Context, langs []string, actor string) error
		SetReadAloud(ctx context.Context, langs []string, actor string) error
	}
	Categories interface {
		Categories(ctx context.Context) ([]programme.Category, error)
		EditCategory(ctx context.Context, c programme.Category) error
		DeleteCategory(ctx context.Context, key string) error
	}
	Topics interface {
		Topics(ctx context.Context) ([]question.Topic, error)
		SaveTopic(ctx context.Context, t question.Topic) error
		SetTopicHidden(ctx context.Context, key string, hidden bool) error
	}
	Partners interface {
		Partners(ctx context.Context) ([]question.Partner, error)
		SavePartner(ctx context.Context, p *question.Partner) error
		SetPartnerHidden(ctx context.Context, id int64, hidden bool) error
	}
	// Corrections are staff's own wording of the kiosk's messages; nil
	// hides the corrections page.
	Corrections interface {
		Corrections(ctx context.Context) ([]catalogue.Correction, error)
		SaveCorrection(ctx context.Context, c catalogue.Correction, actor string) error
		RevertCorrection(ctx context.Context, lang, id string) error
	}
	// Voices are the house's recorded voices; nil hides the voices page.
	Voices Voices
	// Pictograms holds icons/NAME.svg for every programme.Pictograms
	// name (assets.Icons), shown on the pages to choose from.
	Pictograms fs.FS
}

// Audit actions of the settings pages.
const (
	actionHouseSaved      = "house_saved"
	actionCategorySaved   = "category_saved"
	actionCategoryDeleted = "category_deleted"
	actionTopicSaved      = "topic_saved"
	actionTopicHidden     = "topic_hidden"
	actionPartnerSaved    = "partner_saved"
	actionPartnerHidden   = "partner_hidden"
)

func (s *Server) settingsRoutes() {
	if s.cfg.Settings == nil {
		return // the catch-all answers 404
	}
	s.mux.HandleFunc("GET /pictogram/{name}", s.handlePictogram)
	s.mux.HandleFunc("GET /settings", s.staff(s.handleSettings))
	s.mux.HandleFunc("POST /settings/house", s.staff(s.handleSaveHouse))
	s.mux.HandleFunc("POST /settings/hours", s.staff(s.handleSaveHours))
	s.mux.HandleFunc("POST /settings/languages", s.staff(s.handleSaveLanguages))
	s.correctionRoutes()
	s.voiceRoutes()
	for _, k := range []namedKind{s.categoryKind(), s.topicKind()} {
		s.mux.HandleFunc("GET /settings/"+k.kind+"/new", s.staff(k.handleForm(s)))
		s.mux.HandleFunc("GET /settings/"+k.kind+"/{key}", s.staff(k.handleForm(s)))
		s.mux.HandleFunc("POST /settings/"+k.kind, s.staff(k.handleSave(s)))
	}
	s.mux.HandleFunc("POST /settings/category/{key}/delete", s.staff(s.handleDeleteCategory))
	s.mux.HandleFunc("POST /settings/topic/{key}/hidden", s.staff(s.handleHideTopic))
	s.mux.HandleFunc("GET /settings/partner/new", s.staff(s.handlePartnerForm))
	s.mux.HandleFunc("GET /settings/partner/{id}", s.staff(s.handlePartnerForm))
	s.mux.HandleFunc("POST /settings/partner", s.staff(s.handleSavePartner))
	s.mux.HandleFunc("POST /settings/partner/{id}/hidden", s.staff(s.handleHidePartner))
}

// handlePictogram serves one of the built-in pictograms, and nothing
// else of the folder.
func (s *Server) handlePictogram(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSuffix(r.PathValue("name"), ".svg")
	if !slices.Contains(programme.Pictograms, name) {
		http.NotFound(w, r)
		return
	}
	svg, err := fs.ReadFile(s.cfg.Settings.Pictograms, "icons/"+name+".svg")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(svg)
}

// houseForm is the house as staff typed it, kept when it is refused.
type houseForm struct {
	Name, Hours, Emergency, Language string
	// EmergencyIn are the house's emergency lines in other languages,
	// one text per language.
	EmergencyIn map[string]string
}

func formOfHouse(h house.House) houseForm {
	f := houseForm{Name: h.Name, Hours: strings.Join(h.Hours, "\n"), Emergency: strings.Join(h.Emergency, "\n"), Language: h.Language}
	for lang, lines := range h.EmergencyIn {
		if f.EmergencyIn == nil {
			f.EmergencyIn = map[string]string{}
		}
		f.EmergencyIn[lang] = strings.Join(lines, "\n")
	}
	return f
}

func (f houseForm) house() house.House {
	h := house.House{Name: f.Name, Hours: house.Lines(f.Hours), Emergency: house.Lines(f.Emergency), Language: f.Language}
	for lang, text := range f.EmergencyIn {
		if lines := house.Lines(text); len(lines) > 0 {
			if h.EmergencyIn == nil {
				h.EmergencyIn = map[string][]string{}
			}
			h.EmergencyIn[lang] = lines
		}
	}
	return h.Normalise()
}

type settingsView struct {
	House     houseForm
	Hours     hoursForm
	Errors    map[string]string // house or hours field → message
	Languages []choice
	Offer     []offerLine // the languages the kiosk offers, and which it has
	// EmergencyOthers are the house's emergency lines in each other
	// language, as on the form (Title holds the text).
	EmergencyOthers []otherLang
	Categories      []namedLine
	Topics          []namedLine
	Partners        []partnerLine
	Limits          map[string]any
	// District is how the tie to the district stands, in sentences;
	// empty when the house has joined none. Alarm marks a revocation.
	District      []string
	DistrictAlarm bool
}

// namedLine is a category or topic in the settings lists.
type namedLine struct {
	Key, Name, Icon string
	Hidden          bool
	Toggle          hideToggle // topics only
}

type partnerLine struct {
	question.Partner
	Toggle hideToggle
}

// hideToggle is the button that hides a topic or partner, or shows it
// again: the form posts to Action.
type hideToggle struct {
	Action, CSRF, Label string
	Hidden              bool
}

func newHideToggle(p page, action string, hidden bool) hideToggle {
	label := p.L.T("web.settings.hide")
	if hidden {
		label = p.L.T("web.settings.show")
	}
	return hideToggle{Action: action, CSRF: p.CSRF(), Label: label, Hidden: hidden}
}

func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request, sess *session) {
	h, err := s.cfg.Settings.House.House(r.Context())
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	notice := ""
	if done := r.URL.Query().Get("done"); done != "" {
		notice = "web.settings.done." + done
	}
	s.showSettings(w, r, sess, http.StatusOK, formOfHouse(h), nil, "", notice)
}

// showSettings renders the settings page: the house form as typed, with
// errors, the hours as stored, and the lists.
func (s *Server) showSettings(w http.ResponseWriter, r *http.Request, sess *session, status int, f houseForm, errs map[string]string, msg, notice string) {
	s.showSettingsWith(w, r, sess, status, f, nil, errs, msg, notice)
}

// showSettingsWith is showSettings with the hours form as typed, or as
// stored when hf is nil.
func (s *Server) showSettingsWith(w http.ResponseWriter, r *http.Request, sess *session, status int, f houseForm, hf *hoursForm, errs map[string]string, msg, notice string) {
	ctx := r.Context()
	p := s.newPage(w, r, sess, "")
	if hf == nil {
		h, err := s.cfg.Settings.House.House(ctx)
		if err != nil {
			s.fail(w, r, sess, err)
			return
		}
		stored := hoursFormOf(p.L, h)
		hf = &stored
	}
	p.Title = p.L.T("web.settings.title")
	p.Error = msg
	if notice != "" {
		if n, ok := p.L.Lookup(notice); ok {
			p.Notice = n
		}
	}
	d := settingsView{House: f, Hours: *hf, Errors: errs,
		Limits: map[string]any{"Name": house.MaxName, "Lines": house.MaxLines, "Line": house.MaxLine,
			"Reason": house.MaxReason, "Note": house.MaxNote}}
	for _, lang := range s.cat.Languages() {
		d.Languages = append(d.Languages, choice{Value: lang, Name: s.cat.Language(lang)})
	}
	stored, err := s.cfg.Settings.House.House(ctx)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	d.Offer = s.offerLines(stored)
	own := cmp.Or(f.Language, s.cat.Default())
	for _, lang := range s.cat.Languages() {
		if lang != own {
			d.EmergencyOthers = append(d.EmergencyOthers, otherLang{Lang: lang, Name: s.cat.Language(lang), Title: f.EmergencyIn[lang]})
		}
	}
	cats, err := s.cfg.Settings.Categories.Categories(ctx)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	for _, c := range cats {
		d.Categories = append(d.Categories, namedLine{Key: c.Key, Name: p.L.Name("category", c.Key, c.Names), Icon: c.Icon})
	}
	topics, err := s.cfg.Settings.Topics.Topics(ctx)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	for _, t := range topics {
		d.Topics = append(d.Topics, namedLine{Key: t.Key, Name: p.L.Name("topic", t.Key, t.Names), Icon: t.Icon, Hidden: t.Hidden,
			Toggle: newHideToggle(p, "/settings/topic/"+t.Key+"/hidden", t.Hidden)})
	}
	partners, err := s.cfg.Settings.Partners.Partners(ctx)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	for _, pt := range partners {
		d.Partners = append(d.Partners, partnerLine{Partner: pt,
			Toggle: newHideToggle(p, "/settings/partner/"+strconv.FormatInt(pt.ID, 10)+"/hidden", pt.Hidden)})
	}
	if s.cfg.District != nil {
		l, joined, err := s.cfg.District.Link(ctx)
		if err != nil {
			s.fail(w, r, sess, err)
			return
		}
		if joined {
			d.District, d.DistrictAlarm = s.districtLines(p.L, l), !l.Revoked.IsZero()
		}
	}
	p.Data = d
	s.render(w, r, status, "settings", p)
}

func (s *Server) handleSaveHouse(w http.ResponseWriter, r *http.Request, sess *session) {
	f := houseForm{Name: r.PostFormValue("name"), Hours: r.PostFormValue("hours"),
		Emergency: r.PostFormValue("emergency"), Language: r.PostFormValue("language")}
	for _, lang := range s.cat.Languages() {
		if text := strings.TrimSpace(r.PostFormValue("emergency-" + lang)); text != "" && lang != f.Language {
			if f.EmergencyIn == nil {
				f.EmergencyIn = map[string]string{}
			}
			f.EmergencyIn[lang] = text
		}
	}
	if _, typed := r.PostForm["hours"]; !typed {
		// Once the schedule is filled in, the form no longer shows the
		// free text: keep it as it was.
		old, err := s.cfg.Settings.House.House(r.Context())
		if err != nil {
			s.fail(w, r, sess, err)
			return
		}
		f.Hours = strings.Join(old.Hours, "\n")
	}
	h := f.house()
	if err := h.Validate(s.cat.Has); err != nil {
		l := s.translator(w, r, "")
		s.showSettings(w, r, sess, http.StatusUnprocessableEntity, f, fieldErrors(l, err), l.T("web.settings.refused"), "")
		return
	}
	if err := s.cfg.Settings.House.SaveHouse(r.Context(), h, sess.Name); err != nil {
		s.fail(w, r, sess, err)
		return
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionHouseSaved, Detail: h.Name})
	http.Redirect(w, r, "/settings?done=house", http.StatusSeeOther)
}

// fieldErrors turns a *programme.InvalidError into a message for its
// field, in the page's language.
func fieldErrors(l *catalogue.Translator, err error) map[string]string {
	var inv *programme.InvalidError
	if !errors.As(err, &inv) {
		return map[string]string{"": l.T("web.invalid.other")}
	}
	return map[string]string{inv.Field: l.T(invalidKey(l, inv.Reason))}
}

// namedKind is what differs between categories and topics, which staff
// keep alike: a pictogram and a name per language.
type namedKind struct {
	kind string // "category" or "topic": the catalogue's prefix and the path
	list func(ctx context.Context) ([]namedItem, error)
	save func(ctx context.Context, n namedItem) error
	// action is the audit action of a save.
	action string
}

// namedItem is a category or a topic.
type namedItem struct {
	Key, Icon string
	Names     map[string]string
	Hidden    bool
}

func (s *Server) categoryKind() namedKind {
	st := s.cfg.Settings.Categories
	return namedKind{kind: "category", action: actionCategorySaved,
		list: func(ctx context.Context) ([]namedItem, error) {
			cats, err := st.Categories(ctx)
			items := make([]namedItem, len(cats))
			for i, c := range cats {
				items[i] = namedItem{Key: c.Key, Icon: c.Icon, Names: c.Names}
			}
			return items, err
		},
		save: func(ctx context.Context, n namedItem) error {
			return st.EditCategory(ctx, programme.Category{Key: n.Key, Icon: n.Icon, Names: n.Names})
		},
	}
}

func (s *Server) topicKind() namedKind {
	st := s.cfg.Settings.Topics
	return namedKind{kind: "topic", action: actionTopicSaved,
		list: func(ctx context.Context) ([]namedItem, error) {
			topics, err := st.Topics(ctx)
			items := make([]namedItem, len(topics))
			for i, t := range topics {
				items[i] = namedItem{Key: t.Key, Icon: t.Icon, Names: t.Names, Hidden: t.Hidden}
			}
			return items, err
		},
		save: func(ctx context.Context, n namedItem) error {
			return st.SaveTopic(ctx, question.Topic{Key: n.Key, Icon: n.Icon, Names: n.Names, Hidden: n.Hidden})
		},
	}
}

type namedView struct {
	Kind       string
	Key        string // "" for a new one
	Icon       string
	Names      []nameField
	Pictograms []string
	Hidden     bool
	Errors     map[string]string
}

// nameField is the name in one language; Placeholder is the catalogue's
// name of a built-in one, which applies while the field is empty.
type nameField struct {
	Lang, Language, Value, Placeholder string
}

func (k namedKind) handleForm(s *Server) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, sess *session) {
		item := namedItem{Icon: "anders"}
		if key := r.PathValue("key"); key != "" {
			items, err := k.list(r.Context())
			if err != nil {
				s.fail(w, r, sess, err)
				return
			}
			i := slices.IndexFunc(items, func(n namedItem) bool { return n.Key == key })
			if i < 0 {
				s.notFound(w, r, sess)
				return
			}
			item = items[i]
		}
		k.show(s, w, r, sess, http.StatusOK, item, nil)
	}
}

func (k namedKind) show(s *Server, w http.ResponseWriter, r *http.Request, sess *session, status int, item namedItem, errs map[string]string) {
	p := s.newPage(w, r, sess, "")
	if item.Key == "" {
		p.Title = p.L.T("web.settings." + k.kind + ".new")
	} else {
		p.Title = p.L.T("web.settings."+k.kind+".edit") + " " + p.L.Name(k.kind, item.Key, item.Names)
	}
	d := namedView{Kind: k.kind, Key: item.Key, Icon: item.Icon, Pictograms: programme.Pictograms, Hidden: item.Hidden, Errors: errs}
	for _, lang := range s.cat.Languages() {
		f := nameField{Lang: lang, Language: s.cat.Language(lang), Value: item.Names[lang]}
		if item.Key != "" {
			if name, ok := s.cat.For(lang).Lookup(k.kind + "." + item.Key); ok {
				f.Placeholder = name
			}
		}
		d.Names = append(d.Names, f)
	}
	p.Data = d
	s.render(w, r, status, "named", p)
}

func (k namedKind) handleSave(s *Server) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, sess *session) {
		ctx := r.Context()
		l := s.translator(w, r, "")
		item := namedItem{Key: r.PostFormValue("key"), Icon: r.PostFormValue("icon"), Names: map[string]string{}}
		for _, lang := range s.cat.Languages() {
			if n := strings.Join(strings.Fields(r.PostFormValue("name-"+lang)), " "); n != "" {
				item.Names[lang] = n
			}
		}
		items, err := k.list(ctx)
		if err != nil {
			s.fail(w, r, sess, err)
			return
		}
		builtIn := false
		if item.Key == "" {
			item.Key = newKey(item.Names[s.cat.Default()], items)
		} else {
			i := slices.IndexFunc(items, func(n namedItem) bool { return n.Key == item.Key })
			if i < 0 {
				s.notFound(w, r, sess)
				return
			}
			item.Hidden = items[i].Hidden
			builtIn = l.BuiltIn(k.kind, item.Key)
		}
		err = programme.ValidateNamed(item.Key, item.Icon, item.Names, builtIn, s.cat.Default())
		if item.Key == "" && item.Names[s.cat.Default()] != "" {
			// A new one whose name has no letter or digit to make a key of.
			err = &programme.InvalidError{Field: "name", Reason: "key_format", Detail: "the name needs a letter or digit"}
		} else if item.Key == "" {
			err = &programme.InvalidError{Field: "name", Reason: "name_required", Detail: "give it a name in the default language"}
		}
		if err != nil {
			if !builtIn && r.PostFormValue("key") == "" {
				item.Key = "" // still new: the form posts without a key again
			}
			k.show(s, w, r, sess, http.StatusUnprocessableEntity, item, fieldErrors(l, err))
			return
		}
		if err := k.save(ctx, item); err != nil {
			s.fail(w, r, sess, err)
			return
		}
		s.audit(r, account.Entry{Actor: sess.Name, Action: k.action, Detail: item.Key})
		http.Redirect(w, r, "/settings?done="+k.kind+"#"+k.kind+"-list", http.StatusSeeOther)
	}
}

// newKey makes the key of a new category or topic from its name, unique
// among items: "Koken" gives "koken", or "koken-2" when that is taken. An
// empty name gives "" (which validation refuses, asking for the name).
func newKey(name string, items []namedItem) string {
	base := programme.KeyFor(name)
	if base == "" {
		return ""
	}
	taken := func(key string) bool {
		return slices.ContainsFunc(items, func(n namedItem) bool { return n.Key == key })
	}
	key := base
	for i := 2; taken(key); i++ {
		key = base + "-" + strconv.Itoa(i)
	}
	return key
}

func (s *Server) handleDeleteCategory(w http.ResponseWriter, r *http.Request, sess *session) {
	key := r.PathValue("key")
	if !s.hasNamed(w, r, sess, s.categoryKind(), key) {
		return
	}
	err := s.cfg.Settings.Categories.DeleteCategory(r.Context(), key)
	var inv *programme.InvalidError
	switch {
	case errors.As(err, &inv):
		s.settingsRefused(w, r, sess, inv.Reason)
		return
	case err != nil:
		s.fail(w, r, sess, err)
		return
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionCategoryDeleted, Detail: key})
	http.Redirect(w, r, "/settings?done=category_deleted#category-list", http.StatusSeeOther)
}

// settingsRefused shows the settings page again with why a change was
// refused.
func (s *Server) settingsRefused(w http.ResponseWriter, r *http.Request, sess *session, reason string) {
	h, err := s.cfg.Settings.House.House(r.Context())
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	l := s.translator(w, r, "")
	s.showSettings(w, r, sess, http.StatusUnprocessableEntity, formOfHouse(h), nil, l.T(invalidKey(l, reason)), "")
}

// hasNamed reports whether k has an item with key, answering 404 (or 500
// when the list cannot be read) when it has not.
func (s *Server) hasNamed(w http.ResponseWriter, r *http.Request, sess *session, k namedKind, key string) bool {
	items, err := k.list(r.Context())
	if err != nil {
		s.fail(w, r, sess, err)
		return false
	}
	if !slices.ContainsFunc(items, func(n namedItem) bool { return n.Key == key }) {
		s.notFound(w, r, sess)
		return false
	}
	return true
}

func (s *Server) handleHideTopic(w http.ResponseWriter, r *http.Request, sess *session) {
	key, hidden := r.PathValue("key"), r.PostFormValue("hidden") == "1"
	if !s.hasNamed(w, r, sess, s.topicKind(), key) {
		return
	}
	if err := s.cfg.Settings.Topics.SetTopicHidden(r.Context(), key, hidden); err != nil {
		s.fail(w, r, sess, err)
		return
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionTopicHidden, Detail: fmt.Sprintf("%s %t", key, hidden)})
	http.Redirect(w, r, "/settings?done=topic#topic-list", http.StatusSeeOther)
}

type partnerPage struct {
	Form   question.Partner
	Errors map[string]string
	Limits map[string]int
}

func (s *Server) handlePartnerForm(w http.ResponseWriter, r *http.Request, sess *session) {
	var p question.Partner
	if id := r.PathValue("id"); id != "" {
		found, ok := s.partner(w, r, sess, id)
		if !ok {
			return
		}
		p = found
	}
	s.showPartner(w, r, sess, http.StatusOK, p, nil)
}

// partner finds the partner with the id in a path, or answers 404.
func (s *Server) partner(w http.ResponseWriter, r *http.Request, sess *session, id string) (question.Partner, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		s.notFound(w, r, sess)
		return question.Partner{}, false
	}
	ps, err := s.cfg.Settings.Partners.Partners(r.Context())
	if err != nil {
		s.fail(w, r, sess, err)
		return question.Partner{}, false
	}
	i := slices.IndexFunc(ps, func(p question.Partner) bool { return p.ID == n })
	if i < 0 {
		s.notFound(w, r, sess)
		return question.Partner{}, false
	}
	return ps[i], true
}

func (s *Server) showPartner(w http.ResponseWriter, r *http.Request, sess *session, status int, f question.Partner, errs map[string]string) {
	p := s.newPage(w, r, sess, "")
	if f.ID == 0 {
		p.Title = p.L.T("web.settings.partner.new")
	} else {
		p.Title = p.L.T("web.settings.partner.edit") + " " + f.Name
	}
	p.Data = partnerPage{Form: f, Errors: errs,
		Limits: map[string]int{"Name": question.MaxPartnerName, "Text": question.MaxPartnerText}}
	s.render(w, r, status, "partner", p)
}

func (s *Server) handleSavePartner(w http.ResponseWriter, r *http.Request, sess *session) {
	l := s.translator(w, r, "")
	f := question.Partner{Name: strings.TrimSpace(r.PostFormValue("name")),
		Helps: strings.TrimSpace(r.PostFormValue("helps")), Contact: strings.TrimSpace(r.PostFormValue("contact"))}
	if id := r.PostFormValue("id"); id != "" && id != "0" {
		old, ok := s.partner(w, r, sess, id)
		if !ok {
			return
		}
		f.ID, f.Hidden = old.ID, old.Hidden
	}
	if err := f.Validate(); err != nil {
		s.showPartner(w, r, sess, http.StatusUnprocessableEntity, f, fieldErrors(l, err))
		return
	}
	ps, err := s.cfg.Settings.Partners.Partners(r.Context())
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	if slices.ContainsFunc(ps, func(p question.Partner) bool { return p.ID != f.ID && strings.EqualFold(p.Name, f.Name) }) {
		s.showPartner(w, r, sess, http.StatusUnprocessableEntity, f, map[string]string{"name": l.T("web.invalid.partner_taken")})
		return
	}
	if err := s.cfg.Settings.Partners.SavePartner(r.Context(), &f); err != nil {
		s.fail(w, r, sess, err)
		return
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionPartnerSaved, Detail: f.Name})
	http.Redirect(w, r, "/settings?done=partner#partner-list", http.StatusSeeOther)
}

func (s *Server) handleHidePartner(w http.ResponseWriter, r *http.Request, sess *session) {
	p, ok := s.partner(w, r, sess, r.PathValue("id"))
	if !ok {
		return
	}
	hidden := r.PostFormValue("hidden") == "1"
	if err := s.cfg.Settings.Partners.SetPartnerHidden(r.Context(), p.ID, hidden); err != nil {
		s.fail(w, r, sess, err)
		return
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionPartnerHidden, Detail: fmt.Sprintf("%s %t", p.Name, hidden)})
	http.Redirect(w, r, "/settings?done=partner#partner-list", http.StatusSeeOther)
}

// districtLines say how the house's tie to its district stands.
func (s *Server) districtLines(l *catalogue.Translator, link district.Link) []string {
	lines := []string{l.Tf("web.settings.district.joined", map[string]any{"District": link.District, "House": link.House})}
	if !link.Revoked.IsZero() {
		return append(lines, l.Tf("web.settings.district.revoked", map[string]any{"When": s.when(l, link.Revoked)}))
	}
	if link.LastSent.IsZero() {
		lines = append(lines, l.Tf("web.settings.district.never", map[string]any{"Pending": link.Pending}))
	} else {
		lines = append(lines, l.Tf("web.settings.district.sent", map[string]any{"When": s.when(l, link.LastSent), "Pending": link.Pending}))
	}
	if link.LastError != "" {
		lines = append(lines, l.Tf("web.settings.district.problem", map[string]any{"Why": link.LastError}))
	}
	return lines
}
