package districtweb

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"buurtbalie/internal/account"
	"buurtbalie/internal/district"
	"buurtbalie/internal/postgres"
	"buurtbalie/internal/web"
)

//go:embed templates/*.html
var templateFiles embed.FS

// templates are the pages, at the root as web.Extension wants them.
var templates, _ = fs.Sub(templateFiles, "templates")

// HouseStore is what the houses page needs of the district's database.
type HouseStore interface {
	Houses(ctx context.Context) ([]postgres.House, error)
	HouseByID(ctx context.Context, id int64) (postgres.House, error)
	AddHouse(ctx context.Context, name string, now time.Time) (postgres.House, error)
	NewEnrolment(ctx context.Context, houseID int64, codeHash string, expires time.Time) error
	Revoke(ctx context.Context, houseID int64, now time.Time) error
}

// The audit log's actions of the district's pages.
const (
	ActionHouseAdded     = "house_added"
	ActionHouseCode      = "house_code"
	ActionHouseRevoked   = "house_revoked"
	ActionPartnerAdded   = "partner_added"
	ActionPartnerChanged = "partner_changed"
	ActionPartnerDeleted = "partner_deleted"
)

// MaxHouseName is the longest name a house may have.
const MaxHouseName = 120

// Pages are the district's staff pages, served by internal/web's server
// as an Extension (its login, sessions, CSRF, layout and languages), next
// to its /figures over Figures, /users and /audit:
//
//	pages := &districtweb.Pages{Houses: db, Partners: db}
//	srv := web.New(web.Config{Home: "/houses", FigureHouses: districtweb.NewFigures(db),
//		Extensions: []web.Extension{pages.Extension()}}, nil, db.Accounts(), throttle, cat, log)
type Pages struct {
	Houses HouseStore
	// Partners, when set, serves the partner directory and the
	// referrals between houses.
	Partners PartnerStore
	// URL is the district's address as the kiosks reach it, for the
	// command that joins one; "" for the address the page was asked
	// at, over https when Secure or the request came over TLS.
	URL    string
	Secure bool
}

// Extension returns the pages for web.Config's Extensions.
func (p *Pages) Extension() web.Extension {
	e := web.Extension{
		Templates: templates,
		Nav:       []web.NavLink{{Path: "/houses", Label: "district.nav.houses"}},
	}
	if p.Partners != nil {
		e.Nav = append(e.Nav, web.NavLink{Path: "/partners", Label: "district.nav.partners"},
			web.NavLink{Path: "/referrals", Label: "district.nav.referrals"})
	}
	e.Routes = func(k *web.Kit) {
		h := &houses{Pages: p, k: k}
		k.Handle("GET /houses", h.list)
		k.Handle("POST /houses", h.add)
		k.Handle("POST /houses/{id}/code", h.code)
		k.Handle("GET /houses/{id}/revoke", h.confirmRevoke)
		k.Handle("POST /houses/{id}/revoke", h.revoke)
		if p.Partners != nil {
			d := &directory{store: p.Partners, k: k}
			k.Handle("GET /partners", d.list)
			k.Handle("GET /partners/new", d.form)
			k.Handle("GET /partners/{id}", d.form)
			k.Handle("POST /partners", d.save)
			k.Handle("POST /partners/{id}/delete", d.delete)
			k.Handle("GET /referrals", d.referrals)
		}
	}
	return e
}

// houses serves the houses page and what is done from it.
type houses struct {
	*Pages
	k *web.Kit
}

type housesView struct {
	Houses []houseLine
	Name   string // the name typed for a new house, kept when refused
	Max    int
}

type houseLine struct {
	ID                 int64
	Name, Kiosks, Last string
	State              string
	Revoked            bool
}

func (h *houses) list(w http.ResponseWriter, r *http.Request, v *web.Visit) {
	h.show(w, r, v, http.StatusOK, "", "")
}

// show renders the houses; name is what was typed for a new house, msg
// what is wrong with it. ?revoked=ID says that house was just revoked.
func (h *houses) show(w http.ResponseWriter, r *http.Request, v *web.Visit, status int, name, msg string) {
	hs, err := h.Houses.Houses(r.Context())
	if err != nil {
		h.k.Fail(w, r, v, err)
		return
	}
	l := v.L
	d := housesView{Name: name, Max: MaxHouseName}
	notice := ""
	revoked := r.URL.Query().Get("revoked")
	for _, x := range hs {
		line := houseLine{ID: x.ID, Name: x.Name, Revoked: !x.Revoked.IsZero()}
		if line.Revoked && revoked == strconv.FormatInt(x.ID, 10) {
			notice = l.Tf("district.houses.revoked_done", map[string]any{"House": x.Name})
		}
		if x.Kiosks == 0 {
			line.Kiosks = l.T("district.houses.no_kiosks")
		} else {
			line.Kiosks = l.Tn("district.houses.kiosks", x.Kiosks, nil)
		}
		if x.LastReport.IsZero() {
			line.Last = l.T("district.houses.never")
		} else {
			line.Last = l.Tf("district.houses.last", map[string]any{"When": h.k.When(l, x.LastReport), "Age": h.k.Age(l, x.LastReport)})
		}
		line.State = l.T("district.houses.joined")
		if line.Revoked {
			line.State = l.Tf("district.houses.revoked", map[string]any{"Date": h.k.When(l, x.Revoked)})
		}
		d.Houses = append(d.Houses, line)
	}
	h.k.Render(w, r, v, status, "houses", web.View{Title: l.T("district.houses.title"), Error: msg, Notice: notice, Data: d})
}

// houseName checks a new house's name: one line, 1 to MaxHouseName
// characters.
func houseName(s string) (string, bool) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n == 0 || n > MaxHouseName || !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return s, false
	}
	return s, true
}

func (h *houses) add(w http.ResponseWriter, r *http.Request, v *web.Visit) {
	typed := r.PostFormValue("name")
	name, ok := houseName(typed)
	if !ok {
		h.show(w, r, v, http.StatusUnprocessableEntity, typed, v.L.Tf("district.houses.err.name", map[string]any{"Max": MaxHouseName}))
		return
	}
	house, err := h.Houses.AddHouse(r.Context(), name, h.k.Now())
	if errors.Is(err, postgres.ErrHouseTaken) {
		h.show(w, r, v, http.StatusUnprocessableEntity, typed, v.L.Tf("district.houses.err.taken", map[string]any{"Name": name}))
		return
	}
	if err != nil {
		h.k.Fail(w, r, v, err)
		return
	}
	h.k.Audit(r, account.Entry{Actor: v.User.Name, Action: ActionHouseAdded, Detail: house.Name})
	h.showCode(w, r, v, house, v.L.Tf("district.code.added", map[string]any{"House": house.Name}))
}

// house finds the house of the path's {id}; it answers the request
// itself (404, 500) when it returns false.
func (h *houses) house(w http.ResponseWriter, r *http.Request, v *web.Visit) (postgres.House, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.k.NotFound(w, r, v)
		return postgres.House{}, false
	}
	house, err := h.Houses.HouseByID(r.Context(), id)
	if errors.Is(err, postgres.ErrNotFound) {
		h.k.NotFound(w, r, v)
		return postgres.House{}, false
	}
	if err != nil {
		h.k.Fail(w, r, v, err)
		return postgres.House{}, false
	}
	return house, true
}

func (h *houses) code(w http.ResponseWriter, r *http.Request, v *web.Visit) {
	house, ok := h.house(w, r, v)
	if !ok {
		return
	}
	if !house.Revoked.IsZero() {
		h.show(w, r, v, http.StatusConflict, "", v.L.Tf("district.houses.err.revoked", map[string]any{"House": house.Name}))
		return
	}
	h.showCode(w, r, v, house, "")
}

type codeView struct {
	Code, Command, Once string
}

// showCode makes a one-time enrolment code for one kiosk of house and
// shows it, the only time: the district keeps only its hash.
func (h *houses) showCode(w http.ResponseWriter, r *http.Request, v *web.Visit, house postgres.House, notice string) {
	code := district.NewEnrolmentCode()
	expires := h.k.Now().Add(district.EnrolmentValid)
	if err := h.Houses.NewEnrolment(r.Context(), house.ID, district.HashEnrolmentCode(code), expires); err != nil {
		h.k.Fail(w, r, v, err)
		return
	}
	h.k.Audit(r, account.Entry{Actor: v.User.Name, Action: ActionHouseCode, Detail: house.Name})
	d := codeView{Code: code, Command: "buurtbalie district join " + h.url(r) + " " + code,
		Once: v.L.Tf("district.code.once", map[string]any{"Until": h.k.When(v.L, expires)})}
	h.k.Render(w, r, v, http.StatusOK, "code", web.View{Title: v.L.Tf("district.code.title", map[string]any{"House": house.Name}), Notice: notice, Data: d})
}

// url is the district's address for the kiosks.
func (h *houses) url(r *http.Request) string {
	if h.URL != "" {
		return strings.TrimRight(h.URL, "/")
	}
	scheme := "http"
	if r.TLS != nil || h.Secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (h *houses) confirmRevoke(w http.ResponseWriter, r *http.Request, v *web.Visit) {
	house, ok := h.house(w, r, v)
	if !ok {
		return
	}
	if !house.Revoked.IsZero() {
		http.Redirect(w, r, "/houses", http.StatusSeeOther)
		return
	}
	name := map[string]any{"House": house.Name}
	h.k.Render(w, r, v, http.StatusOK, "revoke", web.View{Title: v.L.Tf("district.revoke.title", name), Data: revokeView{
		ID: house.ID, Text: v.L.Tf("district.revoke.text", name), Confirm: v.L.Tf("district.revoke.confirm", name)}})
}

type revokeView struct {
	ID            int64
	Text, Confirm string
}

func (h *houses) revoke(w http.ResponseWriter, r *http.Request, v *web.Visit) {
	house, ok := h.house(w, r, v)
	if !ok {
		return
	}
	err := h.Houses.Revoke(r.Context(), house.ID, h.k.Now())
	if errors.Is(err, postgres.ErrNotFound) {
		h.k.NotFound(w, r, v)
		return
	}
	if err != nil {
		h.k.Fail(w, r, v, err)
		return
	}
	h.k.Audit(r, account.Entry{Actor: v.User.Name, Action: ActionHouseRevoked, Detail: house.Name})
	http.Redirect(w, r, "/houses?revoked="+strconv.FormatInt(house.ID, 10), http.StatusSeeOther)
}
