package districtweb

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/district"
	"buurtbalie/internal/figures"
	"buurtbalie/internal/postgres"
	"buurtbalie/internal/web"
)

// PartnerStore is what the partner directory and the referrals pages
// need of the district's database.
type PartnerStore interface {
	Partners(ctx context.Context) ([]district.Partner, error)
	Partner(ctx context.Context, id int64) (district.Partner, error)
	SavePartner(ctx context.Context, p district.Partner, now time.Time) (district.Partner, error)
	DeletePartner(ctx context.Context, id int64, now time.Time) (string, error)
	ReferralLog(ctx context.Context, limit int) ([]postgres.ReferralEntry, error)
}

// ReferralsShown is how many referrals the referrals page shows.
const ReferralsShown = 500

// directory serves the partner directory (the sociale kaart) and the
// referrals between houses.
type directory struct {
	store PartnerStore
	k     *web.Kit
}

type partnersView struct {
	Partners []partnerLine
}

type partnerLine struct {
	ID                                int64
	Name, HelpsWith, Languages, Hours string
	Contact, DeleteConfirm            string
}

// lineOf is p as the directory lists it; with the sentence that asks
// before deleting it, on l, or without, where nothing is to be deleted.
func lineOf(p district.Partner, l *catalogue.Translator) partnerLine {
	line := partnerLine{ID: p.ID, Name: p.Name, HelpsWith: p.HelpsWith, Languages: strings.Join(p.Languages, ", "),
		Hours: p.Hours, Contact: p.Contact}
	if l != nil {
		line.DeleteConfirm = l.Tf("district.partners.delete_confirm", map[string]any{"Name": p.Name})
	}
	return line
}

func (d *directory) list(w http.ResponseWriter, r *http.Request, v *web.Visit) {
	ps, err := d.store.Partners(r.Context())
	if err != nil {
		d.k.Fail(w, r, v, err)
		return
	}
	notice := ""
	q := r.URL.Query()
	if q.Get("deleted") != "" {
		notice = v.L.T("district.partners.deleted")
	}
	var pv partnersView
	for _, p := range ps {
		if q.Get("saved") == strconv.FormatInt(p.ID, 10) {
			notice = v.L.Tf("district.partners.saved", map[string]any{"Name": p.Name})
		}
		pv.Partners = append(pv.Partners, lineOf(p, v.L))
	}
	d.k.Render(w, r, v, http.StatusOK, "partners", web.View{Title: v.L.T("district.partners.title"), Notice: notice, Data: pv})
}

// partnerForm is the form of one partner, as typed.
type partnerForm struct {
	ID                                         int64
	Name, HelpsWith, Languages, Hours, Contact string
	MaxName, MaxText                           int
}

func formOf(p district.Partner) partnerForm {
	return partnerForm{ID: p.ID, Name: p.Name, HelpsWith: p.HelpsWith, Languages: strings.Join(p.Languages, ", "),
		Hours: p.Hours, Contact: p.Contact}
}

// partner is the form as a partner: trimmed, its languages split at
// commas and spaces and in lower case.
func (f partnerForm) partner() district.Partner {
	p := district.Partner{ID: f.ID, Name: strings.TrimSpace(f.Name), HelpsWith: strings.TrimSpace(f.HelpsWith),
		Hours: strings.TrimSpace(f.Hours), Contact: strings.TrimSpace(f.Contact), Languages: []string{}}
	for _, l := range strings.FieldsFunc(f.Languages, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		p.Languages = append(p.Languages, strings.ToLower(l))
	}
	return p
}

func (d *directory) form(w http.ResponseWriter, r *http.Request, v *web.Visit) {
	if r.PathValue("id") == "" {
		d.showForm(w, r, v, http.StatusOK, partnerForm{}, "")
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		d.k.NotFound(w, r, v)
		return
	}
	p, err := d.store.Partner(r.Context(), id)
	if d.failed(w, r, v, err) {
		return
	}
	d.showForm(w, r, v, http.StatusOK, formOf(p), "")
}

// failed answers the request when the store's err is not nil: the
// partner is gone (ErrNotFound), or the store failed.
func (d *directory) failed(w http.ResponseWriter, r *http.Request, v *web.Visit, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, postgres.ErrNotFound):
		d.gone(w, r, v)
	default:
		d.k.Fail(w, r, v, err)
	}
	return true
}

// gone says that a partner is not (or no longer) in the directory.
func (d *directory) gone(w http.ResponseWriter, r *http.Request, v *web.Visit) {
	d.k.Render(w, r, v, http.StatusNotFound, "partners", web.View{Title: v.L.T("district.partners.title"),
		Error: v.L.T("district.partners.gone"), Data: d.mustList(r)})
}

// mustList is the directory for a page that says something went wrong
// with one partner; it shows none if it cannot be read either.
func (d *directory) mustList(r *http.Request) partnersView {
	var pv partnersView
	ps, err := d.store.Partners(r.Context())
	if err != nil {
		d.k.Log().Error("district: partners", "err", err)
	}
	for _, p := range ps {
		pv.Partners = append(pv.Partners, lineOf(p, nil))
	}
	return pv
}

func (d *directory) showForm(w http.ResponseWriter, r *http.Request, v *web.Visit, status int, f partnerForm, msg string) {
	f.MaxName, f.MaxText = district.MaxPartnerName, district.MaxPartnerText
	title := v.L.T("district.partner.title_new")
	if f.ID != 0 {
		title = v.L.Tf("district.partner.title_edit", map[string]any{"Name": f.Name})
	}
	d.k.Render(w, r, v, status, "partner", web.View{Title: title, Error: msg, Data: f})
}

func (d *directory) save(w http.ResponseWriter, r *http.Request, v *web.Visit) {
	f := partnerForm{Name: r.PostFormValue("name"), HelpsWith: r.PostFormValue("helps_with"),
		Languages: r.PostFormValue("languages"), Hours: r.PostFormValue("hours"), Contact: r.PostFormValue("contact")}
	if id := r.PostFormValue("id"); id != "" && id != "0" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n < 0 {
			d.k.NotFound(w, r, v)
			return
		}
		f.ID = n
	}
	p := f.partner()
	if err := p.Check(); err != nil {
		d.showForm(w, r, v, http.StatusUnprocessableEntity, f, v.L.Tf("district.partner.err", map[string]any{"Why": refusal(v.L, err)}))
		return
	}
	saved, err := d.store.SavePartner(r.Context(), p, d.k.Now())
	if d.failed(w, r, v, err) {
		return
	}
	action := ActionPartnerChanged
	if p.ID == 0 {
		action = ActionPartnerAdded
	}
	d.k.Audit(r, account.Entry{Actor: v.User.Name, Action: action, Detail: strconv.FormatInt(saved.ID, 10) + " " + saved.Name})
	http.Redirect(w, r, "/partners?saved="+strconv.FormatInt(saved.ID, 10), http.StatusSeeOther)
}

func (d *directory) delete(w http.ResponseWriter, r *http.Request, v *web.Visit) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		d.k.NotFound(w, r, v)
		return
	}
	name, err := d.store.DeletePartner(r.Context(), id, d.k.Now())
	if d.failed(w, r, v, err) {
		return
	}
	d.k.Audit(r, account.Entry{Actor: v.User.Name, Action: ActionPartnerDeleted, Detail: strconv.FormatInt(id, 10) + " " + name})
	http.Redirect(w, r, "/partners?deleted=1", http.StatusSeeOther)
}

type referralsView struct {
	Referrals []referralLine
	Limit     string
}

type referralLine struct {
	From, To, Topic, Language, At, State string
	Waiting                              bool
}

func (d *directory) referrals(w http.ResponseWriter, r *http.Request, v *web.Visit) {
	rs, err := d.store.ReferralLog(r.Context(), ReferralsShown)
	if err != nil {
		d.k.Fail(w, r, v, err)
		return
	}
	n := namer(v.L)
	var rv referralsView
	for _, x := range rs {
		line := referralLine{From: x.From, To: x.To, Topic: n.Topic(x.Topic), Language: n.Language(x.Language),
			At: d.k.When(v.L, x.At), Waiting: x.Delivered.IsZero()}
		if line.Waiting {
			line.State = v.L.T("district.referrals.waiting")
		} else {
			line.State = v.L.Tf("district.referrals.delivered", map[string]any{"When": d.k.When(v.L, x.Delivered)})
		}
		rv.Referrals = append(rv.Referrals, line)
	}
	if len(rs) == ReferralsShown {
		rv.Limit = v.L.Tf("district.referrals.limit", map[string]any{"Count": ReferralsShown})
	}
	d.k.Render(w, r, v, http.StatusOK, "referrals", web.View{Title: v.L.T("district.referrals.title"), Data: rv})
}

// refusal is what Partner.Check said, in the page's language: Check,
// the rules' one home, says which field and what is wrong with it (a
// district.FieldError). A refusal this does not know stays in English.
func refusal(l *catalogue.Translator, err error) string {
	var fe *district.FieldError
	if !errors.As(err, &fe) {
		return err.Error()
	}
	what := map[string]any{"What": l.T("district.partner.what." + fe.Field)}
	switch fe.Problem {
	case district.Needed:
		return l.T("district.partner.why." + fe.Field) // helps_with or reach
	case district.Missing:
		return l.Tf("district.partner.why.missing", what)
	case district.OneLine:
		return l.Tf("district.partner.why.one_line", what)
	case district.TooLong:
		what["N"], what["Max"] = fe.N, fe.Max
		return l.Tf("district.partner.why.too_long", what)
	case district.NotText:
		return l.Tf("district.partner.why.not_text", what)
	case district.NotACode:
		return l.Tf("district.partner.why.language", map[string]any{"Code": fe.Value})
	}
	return fe.Error()
}

// namer names topics and languages as the figures do: the kiosk's own
// topics by the catalogue, a language by its Dutch or English name.
func namer(l *catalogue.Translator) figures.Namer {
	lang := "nl"
	if l.Lang() == "en" {
		lang = "en"
	}
	return figures.NewNamer(lang, l, nil, nil, func(tag string) string { return tag })
}
