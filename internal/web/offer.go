package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"buurtbalie/internal/account"
	"buurtbalie/internal/house"
	"buurtbalie/internal/speech"
)

// actionLanguagesSaved is the audit action of saving the languages the
// kiosk offers.
const actionLanguagesSaved = "languages_saved"

// offerLine is one language on the settings page: whether the kiosk
// offers it, where on the language screen, and whether a native speaker
// has checked its messages.
type offerLine struct {
	Lang, Name string
	Offered    bool
	Order      int
	Checked    bool
	// Voiced languages can be read aloud; ReadAloud ones are, by
	// themselves, on each screen.
	Voiced, ReadAloud bool
}

// offerLines lists every language the kiosk has, those offered first in
// their order.
func (s *Server) offerLines(h house.House) []offerLine {
	offered := house.OfferedLanguages(h.Languages, s.cat.Languages(), h.Language)
	var lines []offerLine
	for _, lang := range s.cat.Languages() {
		l := offerLine{Lang: lang, Name: s.cat.Language(lang), Checked: s.cat.Checked(lang),
			Voiced: speech.HasVoice(lang), ReadAloud: slices.Contains(h.ReadAloud, lang)}
		if i := slices.Index(offered, lang); i >= 0 {
			l.Offered, l.Order = true, i+1
		}
		lines = append(lines, l)
	}
	slices.SortStableFunc(lines, func(a, b offerLine) int {
		if a.Offered != b.Offered {
			if a.Offered {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.Order, b.Order)
	})
	return lines
}

// handleSaveLanguages saves which languages the kiosk offers, ordered by
// the numbers staff gave (ties keep the page's order). The kiosk shows
// the change within seconds, as it does the house's name.
func (s *Server) handleSaveLanguages(w http.ResponseWriter, r *http.Request, sess *session) {
	type pick struct {
		lang  string
		order int
		at    int
	}
	var picks []pick
	var readAloud []string
	for i, lang := range s.cat.Languages() {
		if r.PostFormValue("read-"+lang) != "" && speech.HasVoice(lang) {
			readAloud = append(readAloud, lang)
		}
		if r.PostFormValue("offer-"+lang) == "" {
			continue
		}
		order, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("order-" + lang)))
		if err != nil {
			order = 100 + i // no number: after those with one
		}
		picks = append(picks, pick{lang, order, i})
	}
	slices.SortStableFunc(picks, func(a, b pick) int { return cmp.Compare(a.order, b.order) })
	var chosen []string
	for _, p := range picks {
		chosen = append(chosen, p.lang)
	}
	h, err := s.cfg.Settings.House.House(r.Context())
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	if err := house.CheckLanguages(chosen, s.cat.Has, h.Language); err != nil {
		l := s.translator(w, r, "")
		s.showSettings(w, r, sess, http.StatusUnprocessableEntity, formOfHouse(h), fieldErrors(l, err), l.T("web.settings.refused"), "")
		return
	}
	if err := s.cfg.Settings.House.SetLanguages(r.Context(), chosen, sess.Name); err != nil {
		s.fail(w, r, sess, err)
		return
	}
	if err := s.cfg.Settings.House.SetReadAloud(r.Context(), readAloud, sess.Name); err != nil {
		s.fail(w, r, sess, err)
		return
	}
	detail := strings.Join(chosen, ", ")
	if len(readAloud) > 0 {
		detail += "; read aloud by itself: " + strings.Join(readAloud, ", ")
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: actionLanguagesSaved, Detail: detail})
	http.Redirect(w, r, "/settings?done=languages#languages", http.StatusSeeOther)
}
