package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/district"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sharing"
)

// handOvers is what the pages need of the store for the warm hand-over
// between the houses of a district; the sqlite question store has it. A
// store without it, or a house in no district, offers no hand-over.
type handOvers interface {
	Houses(ctx context.Context) ([]string, error)
	DistrictPartners(ctx context.Context) ([]district.Partner, error)
	ReferToHouse(ctx context.Context, id int64, actor, to, note string) (question.Question, error)
	ReferToDistrictPartner(ctx context.Context, id int64, actor string, partner int64) (question.Question, error)
	HandOver(ctx context.Context, id int64) (sharing.HandOver, error)
	ReferredIn(ctx context.Context) (map[int64]sharing.HandOver, error)
	ByCodes(ctx context.Context, code string) ([]question.Question, error)
}

func (s *Server) handOvers() handOvers {
	h, _ := s.questions.(handOvers)
	return h
}

// handOverView is what the question's page shows of the hand-over.
type handOverView struct {
	CanReferHouse bool        // the house is in a district with houses to refer to
	Houses        []houseView // for the step "house"
	ToHouse       string      // "Doorverwezen naar Huis Oost"
	Refused       string      // the district would not take it, and why
	FromHouse     string      // "Doorverwezen door Huis West"
	FromNote      string      // the referring volunteer's note
}

type houseView struct {
	Name     string
	Selected bool
}

// slipHandOver fills in d how q stands between houses, and the houses
// to choose from when v asks for that step.
func (s *Server) slipHandOver(ctx context.Context, l *catalogue.Translator, d *slipView, q question.Question, v slipRequest) error {
	ho := s.handOvers()
	if ho == nil {
		return nil
	}
	h, err := ho.HandOver(ctx, q.ID)
	if err != nil {
		return err
	}
	if h.In() {
		d.FromHouse = l.Tf("web.slip.house_from", map[string]any{"House": h.From})
		d.FromNote = h.Note
		d.Code = question.FormatCode(h.Code) // the code on the visitor's slip
	}
	// The history's last referral names the house as it would a
	// partner: say instead how the hand-over stands, as long as that
	// referral is the last one (a partner may come after a refusal).
	last := d.Referred != "" && d.Referred == l.Tf("web.slip.referred_to", map[string]any{"Partner": h.To})
	switch {
	case h.State == sharing.Refused && last && q.Status != question.Referred:
		d.Refused = l.Tf("web.slip.house_refused", map[string]any{"House": h.To, "Reason": refusalReason(l, h.Reason)})
		d.Referred = ""
	case h.Out() && last:
		key := "web.slip.house_to"
		if h.State == sharing.Pending {
			key = "web.slip.house_pending"
		}
		d.ToHouse, d.Referred = l.Tf(key, map[string]any{"House": h.To}), ""
	}
	if !d.Open || h.Out() {
		return nil
	}
	houses, err := ho.Houses(ctx)
	if err != nil {
		return err
	}
	d.CanReferHouse = len(houses) > 0
	if v.step == "house" {
		for _, name := range houses {
			d.Houses = append(d.Houses, houseView{Name: name, Selected: name == v.form.House})
		}
	}
	return nil
}

// districtPartners adds the district's partners to the referral step,
// after the house's own.
func (s *Server) districtPartners(ctx context.Context, l *catalogue.Translator, d *slipView, selected int64) error {
	ho := s.handOvers()
	if ho == nil {
		return nil
	}
	ps, err := ho.DistrictPartners(ctx)
	if err != nil {
		return err
	}
	for _, p := range ps {
		var langs []string
		for _, code := range p.Languages {
			langs = append(langs, s.languageName(code))
		}
		pv := partnerView{ID: p.ID, Name: p.Name, Helps: p.HelpsWith, Contact: p.Contact, Selected: p.ID == selected, District: true}
		if len(langs) > 0 {
			pv.Languages = l.Tf("web.slip.partner_languages", map[string]any{"Languages": strings.Join(langs, ", ")})
		}
		if p.Hours != "" {
			pv.Hours = l.Tf("web.slip.partner_hours", map[string]any{"Hours": p.Hours})
		}
		d.Partners = append(d.Partners, pv)
	}
	return nil
}

// handleHandOver refers q to another house ("house") or to a partner of
// the district's directory ("refer" with partner "d<id>"), then goes
// back to the question's page. The store writes the audit log's lines
// of either with the change itself.
func (s *Server) handleHandOver(w http.ResponseWriter, r *http.Request, sess *session, q question.Question, act string) {
	ctx := r.Context()
	ho := s.handOvers()
	if ho == nil {
		s.message(w, r, sess, http.StatusBadRequest, "web.error.title", "web.error.text")
		return
	}
	l := s.translator(w, r, "")
	v := slipRequest{step: act}
	var err error
	if act == "house" {
		v.form.House, v.form.HouseNote = r.PostFormValue("house"), r.PostFormValue("text")
		_, err = ho.ReferToHouse(ctx, q.ID, sess.Name, v.form.House, v.form.HouseNote)
		if err == nil && s.cfg.HandedOver != nil {
			s.cfg.HandedOver()
		}
	} else {
		v.form.DistrictPartner, _ = strconv.ParseInt(strings.TrimPrefix(r.PostFormValue("partner"), "d"), 10, 64)
		_, err = ho.ReferToDistrictPartner(ctx, q.ID, sess.Name, v.form.DistrictPartner)
	}
	switch {
	case errors.Is(err, sharing.ErrClosed):
		v.refused = l.T("web.slip.err.closed")
		s.showSlip(w, r, sess, q, http.StatusUnprocessableEntity, v)
		return
	case errors.Is(err, question.ErrInvalid):
		v.refused = l.T("web.slip.err.partner")
		if act == "house" {
			v.refused = l.T("web.slip.err.house")
			if n := utf8.RuneCountInString(strings.TrimSpace(v.form.HouseNote)); n > question.MaxNote {
				v.refused = l.Tf("web.slip.err.too_long", map[string]any{"Max": question.MaxNote, "N": n})
			}
		}
		s.showSlip(w, r, sess, q, http.StatusUnprocessableEntity, v)
		return
	case err != nil:
		s.missing(w, r, sess, err)
		return
	}
	s.log.Info("web: question changed", "question", q.ID, "action", act, "by", sess.Name)
	to := "/s/" + q.Token + "?done=" + act
	if q.Status == question.New {
		to += "&claimed=1"
	}
	http.Redirect(w, r, to+"#done", http.StatusSeeOther)
}

// refusalReason says in l's language why the district refused a
// referral (a district.Refused… word, or sharing.RefusedNoDistrict); a
// reason it has no words for, from a newer district, is shown as it is.
func refusalReason(l *catalogue.Translator, reason string) string {
	if said, ok := l.Lookup("web.refusal." + reason); ok {
		return said
	}
	return reason
}
