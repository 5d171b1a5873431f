package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/speech"
	"buurtbalie/internal/voice"
)

// Audit actions of the voices page.
const (
	actionRecordingSaved   = "recording_saved"
	actionRecordingDeleted = "recording_deleted"
	actionSpokenAdded      = "spoken_language_added"
	actionSpokenRemoved    = "spoken_language_removed"
)

// Voices keeps a house's recorded voices and its spoken-only languages
// (sqlite.RecordingService), and converts what staff upload
// (speech.Converter).
type Voices interface {
	Recording(ctx context.Context, lang, prompt string) ([]byte, bool)
	Recordings(ctx context.Context) ([]voice.Recorded, error)
	SaveRecording(ctx context.Context, lang, prompt string, samples []byte, actor string) error
	DeleteRecording(ctx context.Context, lang, prompt string) error
	SpokenLanguages(ctx context.Context) ([]voice.SpokenLanguage, error)
	AddSpokenLanguage(ctx context.Context, l voice.SpokenLanguage, actor string) error
	RemoveSpokenLanguage(ctx context.Context, code string) error
	Convert(ctx context.Context, in []byte, maxSeconds int) ([]byte, error)
}

// voicesView is the voices page: a language, its prompts and which are
// recorded.
type voicesView struct {
	Lang, Query  string
	Missing      bool // only the prompts not recorded yet
	Spoken       bool // the language is spoken only
	Languages    []choice
	SpokenOnes   []voice.SpokenLanguage
	Prompts      []promptLine
	More         bool
	Recorded     int
	Total        int
	Count        string // "12 of 96 recorded"
	NameError    string
	AddName      string
	UploadAccept string
}

// promptLine is one message a visitor hears, with its recording.
type promptLine struct {
	ID, Dutch, Text string
	Recorded        bool
	Length          string // "2,4 s"
	ByLine          string // who recorded it, when
	Play            string // URL of the recording
	Error           string
}

// uploadAccept are the sound files the upload field offers: what phones
// and browsers record, and WAV.
const uploadAccept = "audio/*,.wav,.ogg,.opus,.webm,.m4a"

func (s *Server) voiceRoutes() {
	if s.cfg.Settings == nil || s.cfg.Settings.Voices == nil {
		return
	}
	s.mux.HandleFunc("GET /settings/voices", s.staff(s.handleVoices))
	s.mux.HandleFunc("POST /settings/voices", s.staff(s.handleSaveRecording))
	s.mux.HandleFunc("POST /settings/voices/delete", s.staff(s.handleDeleteRecording))
	s.mux.HandleFunc("GET /settings/voices/play", s.staff(s.handlePlayRecording))
	s.mux.HandleFunc("POST /settings/voices/languages", s.staff(s.handleAddSpoken))
	s.mux.HandleFunc("POST /settings/voices/languages/remove", s.staff(s.handleRemoveSpoken))
}

// voiceLang is the language the page records: a written one of the
// kiosk's or a spoken-only one of the house's; else the first after the
// default.
func (s *Server) voiceLang(r *http.Request, spoken []voice.SpokenLanguage) string {
	l := r.FormValue("in")
	if s.cat.Has(l) || slices.ContainsFunc(spoken, func(x voice.SpokenLanguage) bool { return x.Code == l }) {
		return l
	}
	for _, l := range s.cat.Languages() {
		if l != s.cat.Default() {
			return l
		}
	}
	return s.cat.Default()
}

// postedLang is the language a form on the voices page posts for, among
// the house's spoken-only ones too; false when they could not be read
// (the page said so).
func (s *Server) postedLang(w http.ResponseWriter, r *http.Request, sess *session) (string, []voice.SpokenLanguage, bool) {
	spoken, err := s.cfg.Settings.Voices.SpokenLanguages(r.Context())
	if err != nil {
		s.fail(w, r, sess, err)
		return "", nil, false
	}
	return s.voiceLang(r, spoken), spoken, true
}

// prompts are the messages a visitor hears that can be recorded.
func (s *Server) prompts() []string {
	return voice.Prompts(s.cat.IDs(), func(id string) bool {
		f, _ := s.cat.Shipped(s.cat.Default(), id)
		return len(f) == 1 && f["other"] != "" && !strings.Contains(f["other"], "{{")
	})
}

func (s *Server) handleVoices(w http.ResponseWriter, r *http.Request, sess *session) {
	notice := ""
	switch r.FormValue("done") {
	case "saved", "deleted", "added", "removed":
		notice = "web.voices.done." + r.FormValue("done")
	}
	s.showVoices(w, r, sess, http.StatusOK, voicesShown{notice: notice})
}

// voicesShown is what the page shows besides the prompts: a notice, or
// what was refused and why.
type voicesShown struct {
	notice            string
	refused           *promptLine // a prompt whose recording was refused
	addName, nameFail string      // a spoken language's name refused
}

// showVoices renders the page; refused, when set, is a prompt whose
// recording was refused, with why.
func (s *Server) showVoices(w http.ResponseWriter, r *http.Request, sess *session, status int, shown voicesShown) {
	refused, notice := shown.refused, shown.notice
	ctx := r.Context()
	v := s.cfg.Settings.Voices
	spoken, err := v.SpokenLanguages(ctx)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	recs, err := v.Recordings(ctx)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	lang := s.voiceLang(r, spoken)
	p := s.newPage(w, r, sess, "")
	p.Title = p.L.T("web.voices.title")
	if notice != "" {
		p.Notice = p.L.T(notice)
	}
	if refused != nil && refused.ID == "" {
		p.Error = refused.Error
	}
	d := voicesView{Lang: lang, Query: strings.TrimSpace(r.FormValue("q")), Missing: r.FormValue("missing") != "",
		Spoken: voice.IsSpoken(lang), SpokenOnes: spoken, UploadAccept: uploadAccept, AddName: shown.addName, NameError: shown.nameFail}
	for _, l := range s.cat.Languages() {
		d.Languages = append(d.Languages, choice{Value: l, Name: s.cat.Language(l)})
	}
	for _, l := range spoken {
		d.Languages = append(d.Languages, choice{Value: l.Code, Name: l.Name})
	}
	byPrompt := map[string]voice.Recorded{}
	for _, rec := range recs {
		if rec.Lang == lang {
			byPrompt[rec.Prompt] = rec
		}
	}
	needle := strings.ToLower(d.Query)
	nl := s.cat.For(s.cat.Default())
	for _, id := range s.prompts() {
		line := promptLine{ID: id, Dutch: nl.T(id)}
		if !d.Spoken {
			line.Text = s.cat.For(lang).T(id)
		}
		if rec, ok := byPrompt[id]; ok {
			line.Recorded = true
			line.ByLine = p.L.Tf("web.voices.by", map[string]any{"By": rec.UpdatedBy, "At": strings.Replace(strings.TrimSuffix(rec.UpdatedAt, "Z"), "T", " ", 1)})
			line.Length = strings.Replace(fmt.Sprintf("%.1f s", rec.Length.Seconds()), ".", p.L.T("format.decimal"), 1)
			line.Play = "/settings/voices/play?in=" + url.QueryEscape(lang) + "&prompt=" + url.QueryEscape(id) + "&v=" + url.QueryEscape(rec.UpdatedAt)
			d.Recorded++
		}
		d.Total++
		switch {
		case refused != nil && refused.ID == id:
			line.Error = refused.Error // the refused prompt alone, with why
		case refused != nil && refused.ID != "":
			continue
		}
		if d.Missing && line.Recorded && line.Error == "" {
			continue
		}
		if needle != "" && !strings.Contains(strings.ToLower(id+"\n"+line.Dutch+"\n"+line.Text), needle) && line.Error == "" {
			continue
		}
		if len(d.Prompts) == maxShown {
			d.More = true
			continue
		}
		d.Prompts = append(d.Prompts, line)
	}
	d.Count = p.L.Tf("web.voices.count", map[string]any{"Recorded": d.Recorded, "Total": d.Total})
	p.Data = d
	s.render(w, r, status, "voices", p)
}

// back is the page again, where staff were.
func voicesURL(lang, q, missing, done, prompt string) string {
	u := "/settings/voices?in=" + url.QueryEscape(lang)
	if q != "" {
		u += "&q=" + url.QueryEscape(q)
	}
	if missing != "" {
		u += "&missing=1"
	}
	if done != "" {
		u += "&done=" + done
	}
	if prompt != "" {
		u += "#p-" + prompt
	}
	return u
}

func (s *Server) handleSaveRecording(w http.ResponseWriter, r *http.Request, sess *session) {
	ctx := r.Context()
	v := s.cfg.Settings.Voices
	l := s.translator(w, r, "")
	refuse := func(id, key string) {
		s.showVoices(w, r, sess, http.StatusUnprocessableEntity, voicesShown{refused: &promptLine{ID: id, Error: l.T(key)}})
	}
	if err := r.ParseMultipartForm(voice.MaxUploadBytes); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			refuse(r.FormValue("prompt"), "web.voices.too_big")
			return
		}
		refuse(r.FormValue("prompt"), "web.voices.no_file")
		return
	}
	lang, _, ok := s.postedLang(w, r, sess)
	if !ok {
		return
	}
	id := r.PostFormValue("prompt")
	if !slices.Contains(s.prompts(), id) {
		refuse("", "web.voices.unknown_prompt")
		return
	}
	f, _, err := r.FormFile("sound")
	if err != nil {
		refuse(id, "web.voices.no_file")
		return
	}
	defer f.Close()
	in, err := io.ReadAll(io.LimitReader(f, voice.MaxUploadBytes+1))
	if err != nil || len(in) == 0 {
		refuse(id, "web.voices.no_file")
		return
	}
	if len(in) > voice.MaxUploadBytes {
		refuse(id, "web.voices.too_big")
		return
	}
	convCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	samples, err := v.Convert(convCtx, in, voice.MaxSeconds)
	if errors.Is(err, speech.ErrNotSound) {
		key := "web.voices.not_sound"
		if strings.Contains(err.Error(), "silent") {
			key = "web.voices.silent"
		}
		refuse(id, key)
		return
	}
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	if err := v.SaveRecording(ctx, lang, id, samples, sess.Name); err != nil {
		s.fail(w, r, sess, err)
		return
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionRecordingSaved, Detail: lang + " " + id})
	http.Redirect(w, r, voicesURL(lang, r.PostFormValue("q"), r.PostFormValue("missing"), "saved", id), http.StatusSeeOther)
}

func (s *Server) handleDeleteRecording(w http.ResponseWriter, r *http.Request, sess *session) {
	lang, _, ok := s.postedLang(w, r, sess)
	if !ok {
		return
	}
	id := r.PostFormValue("prompt")
	if err := s.cfg.Settings.Voices.DeleteRecording(r.Context(), lang, id); err != nil {
		s.fail(w, r, sess, err)
		return
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionRecordingDeleted, Detail: lang + " " + id})
	http.Redirect(w, r, voicesURL(lang, r.PostFormValue("q"), r.PostFormValue("missing"), "deleted", id), http.StatusSeeOther)
}

// handlePlayRecording sends a recording as a WAV file, for the page's
// player.
func (s *Server) handlePlayRecording(w http.ResponseWriter, r *http.Request, sess *session) {
	samples, ok := s.cfg.Settings.Voices.Recording(r.Context(), r.FormValue("in"), r.FormValue("prompt"))
	if !ok {
		s.notFound(w, r, sess)
		return
	}
	var b bytes.Buffer
	speech.WriteWAV(&b, samples)
	w.Header().Set("Content-Type", "audio/wav")
	w.Write(b.Bytes())
}

func (s *Server) handleAddSpoken(w http.ResponseWriter, r *http.Request, sess *session) {
	ctx := r.Context()
	v := s.cfg.Settings.Voices
	_, spoken, ok := s.postedLang(w, r, sess)
	if !ok {
		return
	}
	name := r.PostFormValue("name")
	taken := func(x string) bool {
		if s.cat.Has(x) {
			return true
		}
		for _, l := range s.cat.Languages() {
			if strings.EqualFold(s.cat.Language(l), x) {
				return true
			}
		}
		return slices.ContainsFunc(spoken, func(l voice.SpokenLanguage) bool { return l.Code == x || strings.EqualFold(l.Name, x) })
	}
	l, err := voice.NewSpokenLanguage(name, taken)
	if err == nil {
		err = v.AddSpokenLanguage(ctx, l, sess.Name)
	}
	if err != nil {
		tr := s.translator(w, r, "")
		key := "web.voices.name_invalid"
		switch {
		case strings.Contains(err.Error(), "empty"):
			key = "web.voices.name_empty"
		case strings.Contains(err.Error(), "longer"):
			key = "web.voices.name_long"
		case strings.Contains(err.Error(), "already") || !errors.Is(err, voice.ErrName):
			key = "web.voices.name_taken"
		}
		s.showVoices(w, r, sess, http.StatusUnprocessableEntity, voicesShown{addName: name, nameFail: tr.T(key)})
		return
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionSpokenAdded, Detail: l.Code + " " + l.Name})
	http.Redirect(w, r, voicesURL(l.Code, "", "", "added", ""), http.StatusSeeOther)
}

func (s *Server) handleRemoveSpoken(w http.ResponseWriter, r *http.Request, sess *session) {
	ctx := r.Context()
	code := r.PostFormValue("code")
	if !voice.IsSpoken(code) || r.PostFormValue("confirm") == "" {
		http.Redirect(w, r, voicesURL(code, "", "", "", ""), http.StatusSeeOther)
		return
	}
	if err := s.cfg.Settings.Voices.RemoveSpokenLanguage(ctx, code); err != nil {
		s.fail(w, r, sess, err)
		return
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionSpokenRemoved, Detail: code})
	http.Redirect(w, r, "/settings/voices?done=removed", http.StatusSeeOther)
}
