package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/question"
	"buurtbalie/internal/voice"
)

// langFilter is the queue's query parameter for the visitor's language:
// not "lang", which switches the page's own language.
const langFilter = "visitor_lang"

// Speakers is what the pages need to know of who speaks which language:
// the visitor's language is shown with every question, and a question in
// a language nobody on duty speaks is marked, so that a volunteer calls
// in a colleague or the language point before walking up to the visitor.
type Speakers interface {
	// Languages returns the languages the user said they speak,
	// besides Dutch.
	Languages(ctx context.Context, userID int64) ([]string, error)
	// SetLanguages replaces them (checked by account.CheckLanguages).
	SetLanguages(ctx context.Context, userID int64, langs []string) error
	// OnDutyLanguages returns the languages spoken by someone on duty
	// (account.OnDutyWithin).
	OnDutyLanguages(ctx context.Context) ([]string, error)
}

// visitorLanguage is what the question page and the queue say of the
// language the visitor chose at the kiosk.
type visitorLanguage struct {
	Lang string
	// Chose is "Bezoeker koos: Türkçe", the name in its own script.
	Chose template.HTML
	// Nobody is "Niemand die nu dienst heeft spreekt Türkçe", or ""
	// when someone on duty does (always, for Dutch).
	Nobody template.HTML
	// Own is the house's own language, which every volunteer speaks:
	// shown, but quieter than a language one must look out for.
	Own bool
}

// visitorLanguage describes lang in l's words; onDuty are the languages
// spoken by someone on duty.
func (s *Server) visitorLanguage(l *catalogue.Translator, lang string, onDuty []string) visitorLanguage {
	if lang == "" { // the store gives every question one; belt and braces
		lang = s.cat.Default()
	}
	v := visitorLanguage{
		Lang:  lang,
		Chose: s.withLanguage(l, "web.lang.visitor_chose", lang),
		Own:   lang == s.cat.Default(),
	}
	if account.NobodySpeaks(lang, s.cat.Default(), onDuty) {
		v.Nobody = s.withLanguage(l, "web.lang.nobody_on_duty", lang)
	}
	return v
}

// languageName is lang's own name ("Türkçe"), or the tag itself for a
// language the catalogue no longer has (a question asked before a
// language was taken off): Catalogue.Language would answer with the
// default language's name, which would be wrong.
func (s *Server) languageName(lang string) string {
	if s.cat.Has(lang) {
		return s.cat.Language(lang)
	}
	if voice.IsSpoken(lang) && s.cfg.Settings != nil && s.cfg.Settings.Voices != nil {
		// A house's spoken-only language: the name staff gave it.
		if spoken, err := s.cfg.Settings.Voices.SpokenLanguages(context.Background()); err == nil {
			for _, l := range spoken {
				if l.Code == lang {
					return l.Name
				}
			}
		}
	}
	return lang
}

// withLanguage returns message id with lang's own name as its
// {{.Language}}, the name marked up as <bdi lang="…">: a name in Arabic
// script inside a Dutch sentence is then ordered on its own and read
// with the right voice and font. The message and the name are escaped;
// only the <bdi> is markup.
func (s *Server) withLanguage(l *catalogue.Translator, id, lang string) template.HTML {
	const mark = "\x00" // no message holds it
	msg := l.Tf(id, map[string]any{"Language": mark})
	before, after, found := strings.Cut(msg, mark)
	esc := template.HTMLEscapeString
	if !found { // a translation without {{.Language}}
		return template.HTML(esc(msg))
	}
	return template.HTML(esc(before) + `<bdi lang="` + esc(lang) + `">` + esc(s.languageName(lang)) + `</bdi>` + esc(after))
}

// onDuty returns the languages spoken by someone on duty. A failure is
// logged and reads as nobody: the page still shows, and a wrong "nobody
// speaks" label sends a volunteer to ask around, which is harmless.
func (s *Server) onDuty(ctx context.Context) []string {
	langs, err := s.accounts.OnDutyLanguages(ctx)
	if err != nil {
		s.log.Error("web: languages on duty", "err", err)
		return nil
	}
	return langs
}

// langOption is one language in the queue's language filter.
type langOption struct {
	Lang, Name string
	Selected   bool
}

// languageOptions are the choices of the queue's language filter: every
// language the kiosk speaks, in its own name, and any other that a
// question in the queue was asked in (one the catalogue no longer has),
// so that no question is out of reach of the filter.
func (s *Server) languageOptions(items []question.QueueItem, current string) []langOption {
	langs := s.cat.Languages()
	for _, it := range items {
		if lang := it.Question.Lang; lang != "" && !slices.Contains(langs, lang) {
			langs = append(langs, lang)
		}
	}
	if current != "" && !slices.Contains(langs, current) {
		langs = append(langs, current)
	}
	opts := make([]langOption, len(langs))
	for i, lang := range langs {
		opts[i] = langOption{Lang: lang, Name: s.languageName(lang), Selected: lang == current}
	}
	return opts
}

// meView is the account page's Data.
type meView struct {
	Role      string
	Languages []languageChoice
}

// languageChoice is one checkbox on the account page, named in its own
// language so that a volunteer finds it without reading Dutch.
type languageChoice struct {
	Lang, Name string
	Checked    bool
	Everyone   bool // the house's own language: always checked, not stored
}

// languageRoutes serves the volunteer's own page, where they say which
// languages they speak.
func (s *Server) languageRoutes() {
	s.mux.HandleFunc("GET /me", s.volunteer(s.handleMe))
	s.mux.HandleFunc("POST /me", s.volunteer(s.handleSaveMe))
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request, sess *session) {
	langs, err := s.accounts.Languages(r.Context(), sess.ID)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	notice := ""
	if r.URL.Query().Get("saved") != "" {
		notice = "web.me.saved"
	}
	s.showMe(w, r, sess, http.StatusOK, langs, "", notice)
}

// handleSaveMe saves the languages a volunteer speaks and audits it, as
// staff can see in the log who said what of themselves.
func (s *Server) handleSaveMe(w http.ResponseWriter, r *http.Request, sess *session) {
	ctx := r.Context()
	chosen := r.PostForm["lang"]
	langs, err := account.CheckLanguages(chosen, s.cat.Languages(), s.cat.Default())
	if errors.Is(err, account.ErrInvalid) {
		// Only a page older than the catalogue, or a made-up form,
		// sends another language.
		s.showMe(w, r, sess, http.StatusUnprocessableEntity, chosen, "web.me.err_language", "")
		return
	}
	if err == nil {
		err = s.accounts.SetLanguages(ctx, sess.ID, langs)
	}
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	detail := strings.Join(langs, ", ")
	if detail == "" {
		detail = "none besides " + s.cat.Default()
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: account.ActionLanguagesChanged, Detail: detail})
	http.Redirect(w, r, "/me?saved=1", http.StatusSeeOther)
}

func (s *Server) showMe(w http.ResponseWriter, r *http.Request, sess *session, status int, langs []string, refused, notice string) {
	p := s.newPage(w, r, sess, "")
	l := p.L
	p.Title = l.T("web.me.title")
	if refused != "" {
		p.Error = l.T(refused)
	}
	if notice != "" {
		p.Notice = l.T(notice)
	}
	d := meView{Role: l.T("web.role." + string(sess.Role))}
	for _, lang := range s.cat.Languages() {
		everyone := lang == s.cat.Default()
		d.Languages = append(d.Languages, languageChoice{
			Lang: lang, Name: s.languageName(lang), Everyone: everyone,
			Checked: everyone || slices.Contains(langs, lang),
		})
	}
	p.Data = d
	s.render(w, r, status, "me", p)
}
