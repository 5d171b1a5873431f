package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/correction"
	"buurtbalie/internal/programme"
)

// Audit actions of the corrections page.
const (
	actionCorrectionSaved    = "correction_saved"
	actionCorrectionReverted = "correction_reverted"
)

// pluralOrder is the order a message's forms are shown in.
var pluralOrder = []string{"zero", "one", "two", "few", "many", "other"}

// maxShown is how many messages the corrections page lists at once: a
// search narrows them.
const maxShown = 40

// messagesView is the corrections page: a language, a search, and the
// visitor messages that match, each with its Dutch beside it.
type messagesView struct {
	Lang, Query string
	Languages   []choice
	Messages    []messageLine
	More        bool // more matched than are shown
	Export      string
}

// messageLine is one message on the page, with the text of every form as
// the kiosk shows it now (or as typed, when refused).
type messageLine struct {
	ID        string
	Dutch     []formText
	Forms     []formText
	Corrected bool
	Error     string
}

type formText struct{ Form, Text string }

func (s *Server) correctionRoutes() {
	if s.cfg.Settings == nil || s.cfg.Settings.Corrections == nil {
		return
	}
	s.mux.HandleFunc("GET /settings/messages", s.staff(s.handleMessages))
	s.mux.HandleFunc("POST /settings/messages", s.staff(s.handleSaveMessage))
	s.mux.HandleFunc("POST /settings/messages/revert", s.staff(s.handleRevertMessage))
	s.mux.HandleFunc("GET /settings/messages/export", s.staff(s.handleExportMessages))
}

// correctionLang is the language the page corrects: the one asked for,
// or else the first the kiosk has after the default.
func (s *Server) correctionLang(r *http.Request) string {
	if l := r.FormValue("in"); s.cat.Has(l) {
		return l
	}
	for _, l := range s.cat.Languages() {
		if l != s.cat.Default() {
			return l
		}
	}
	return s.cat.Default()
}

func (s *Server) handleMessages(w http.ResponseWriter, r *http.Request, sess *session) {
	notice := ""
	if done := r.FormValue("done"); done == "saved" || done == "reverted" {
		notice = "web.messages.done." + done
	}
	s.showMessages(w, r, sess, http.StatusOK, s.correctionLang(r), strings.TrimSpace(r.FormValue("q")), nil, notice)
}

// reasonOf is the Reason of a *programme.InvalidError, for its message.
func reasonOf(err error) string {
	var inv *programme.InvalidError
	if errors.As(err, &inv) {
		return inv.Reason
	}
	return "other"
}

// showMessages renders the page; typed, when set, is a refused message as
// staff typed it.
func (s *Server) showMessages(w http.ResponseWriter, r *http.Request, sess *session, status int, lang, q string, typed *messageLine, notice string) {
	ctx := r.Context()
	corrections, err := s.cfg.Settings.Corrections.Corrections(ctx)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	corrected := map[string]map[string]string{} // id → form → text
	for _, c := range corrections {
		if c.Lang == lang {
			if corrected[c.ID] == nil {
				corrected[c.ID] = map[string]string{}
			}
			corrected[c.ID][c.Form] = c.Text
		}
	}
	p := s.newPage(w, r, sess, "")
	p.Title = p.L.T("web.messages.title")
	if notice != "" {
		p.Notice = p.L.T(notice)
	}
	d := messagesView{Lang: lang, Query: q, Export: "/settings/messages/export?in=" + url.QueryEscape(lang)}
	for _, l := range s.cat.Languages() {
		d.Languages = append(d.Languages, choice{Value: l, Name: s.cat.Language(l)})
	}
	needle := strings.ToLower(q)
	for _, id := range s.cat.IDs() {
		if !correction.Visitor(id) {
			continue
		}
		dutch, _ := s.cat.Shipped(s.cat.Default(), id)
		mine, ok := s.cat.Shipped(lang, id)
		if !ok {
			continue
		}
		line := messageLine{ID: id, Corrected: corrected[id] != nil}
		hay := []string{strings.ToLower(id)}
		for _, f := range pluralOrder {
			if t, ok := dutch[f]; ok {
				line.Dutch = append(line.Dutch, formText{f, t})
				hay = append(hay, strings.ToLower(t))
			}
			if t, ok := mine[f]; ok {
				if c, ok := corrected[id][f]; ok {
					t = c
				}
				line.Forms = append(line.Forms, formText{f, t})
				hay = append(hay, strings.ToLower(t))
			}
		}
		switch {
		case typed != nil && typed.ID == id:
			// The refused message alone, as typed, with why.
			line.Forms, line.Error = typed.Forms, typed.Error
		case typed != nil:
			continue
		case needle != "" && !slices.ContainsFunc(hay, func(h string) bool { return strings.Contains(h, needle) }):
			continue
		}
		if len(d.Messages) == maxShown {
			d.More = true
			break
		}
		d.Messages = append(d.Messages, line)
	}
	p.Data = d
	s.render(w, r, status, "messages", p)
}

func (s *Server) handleSaveMessage(w http.ResponseWriter, r *http.Request, sess *session) {
	ctx := r.Context()
	lang, id, q := s.correctionLang(r), r.PostFormValue("id"), strings.TrimSpace(r.PostFormValue("q"))
	shipped, ok := s.cat.Shipped(lang, id)
	if !ok || !correction.Visitor(id) {
		s.notFound(w, r, sess)
		return
	}
	line := messageLine{ID: id}
	var save []catalogue.Correction
	for _, f := range pluralOrder {
		orig, ok := shipped[f]
		if !ok {
			continue
		}
		text := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("text-"+f), "\r\n", "\n"))
		line.Forms = append(line.Forms, formText{f, text})
		if err := correction.Check(orig, text); err != nil && line.Error == "" {
			l := s.translator(w, r, "")
			line.Error = l.T(invalidKey(l, reasonOf(err)))
		}
		if text != orig {
			save = append(save, catalogue.Correction{Lang: lang, ID: id, Form: f, Text: text})
		}
	}
	if line.Error != "" {
		s.showMessages(w, r, sess, http.StatusUnprocessableEntity, lang, q, &line, "")
		return
	}
	st := s.cfg.Settings.Corrections
	if err := st.RevertCorrection(ctx, lang, id); err != nil {
		s.fail(w, r, sess, err)
		return
	}
	for _, c := range save {
		if err := st.SaveCorrection(ctx, c, sess.Name); err != nil {
			s.fail(w, r, sess, err)
			return
		}
	}
	s.reloadCorrections(r)
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionCorrectionSaved, Detail: lang + " " + id})
	http.Redirect(w, r, "/settings/messages?done=saved&in="+url.QueryEscape(lang)+"&q="+url.QueryEscape(q)+"#m-"+id, http.StatusSeeOther)
}

func (s *Server) handleRevertMessage(w http.ResponseWriter, r *http.Request, sess *session) {
	lang, id, q := s.correctionLang(r), r.PostFormValue("id"), strings.TrimSpace(r.PostFormValue("q"))
	if err := s.cfg.Settings.Corrections.RevertCorrection(r.Context(), lang, id); err != nil {
		s.fail(w, r, sess, err)
		return
	}
	s.reloadCorrections(r)
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionCorrectionReverted, Detail: lang + " " + id})
	http.Redirect(w, r, "/settings/messages?done=reverted&in="+url.QueryEscape(lang)+"&q="+url.QueryEscape(q)+"#m-"+id, http.StatusSeeOther)
}

// reloadCorrections puts the stored corrections into the catalogue this
// server shares with the kiosk, when they run in one process; a kiosk in
// another reads them when it sees the database change.
func (s *Server) reloadCorrections(r *http.Request) {
	cs, err := s.cfg.Settings.Corrections.Corrections(r.Context())
	if err != nil {
		s.log.Error("web: reload corrections", "err", err)
		return
	}
	s.cat.SetCorrections(cs)
}

// handleExportMessages downloads a language's corrected messages as a
// message file in the shipped format, so they can flow back into the
// project's assets/i18n.
func (s *Server) handleExportMessages(w http.ResponseWriter, r *http.Request, sess *session) {
	lang := s.correctionLang(r)
	cs, err := s.cfg.Settings.Corrections.Corrections(r.Context())
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	out := map[string]any{}
	for _, c := range cs {
		if c.Lang != lang {
			continue
		}
		shipped, _ := s.cat.Shipped(lang, c.ID)
		if len(shipped) == 1 {
			out[c.ID] = c.Text
			continue
		}
		forms, _ := out[c.ID].(map[string]string)
		if forms == nil {
			forms = map[string]string{}
			for f, t := range shipped {
				forms[f] = t
			}
			out[c.ID] = forms
		}
		forms[c.Form] = c.Text
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // the file is for people and go-i18n, not a page
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		s.fail(w, r, sess, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+lang+`.corrections.json"`)
	w.Write(b.Bytes())
}
