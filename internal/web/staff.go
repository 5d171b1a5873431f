package web

import (
	"errors"
	"net/http"
	"strings"

	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
)

type usersView struct {
	// StaffOnly: a server without the volunteers' pages (a district's)
	// makes staff accounts only, as a volunteer could open nothing.
	StaffOnly bool
	Users     []userLine
	Form      userForm
	Self      string
}

type userLine struct {
	Name, Role, Created string
	Disabled            bool
}

// userForm is what staff typed to add a user, kept when it is refused;
// the password is not sent back.
type userForm struct {
	Name, Role string
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request, sess *session) {
	notice := ""
	switch done := r.URL.Query().Get("done"); done {
	case "added", "disabled":
		notice = "web.users." + done
	}
	s.showUsers(w, r, sess, http.StatusOK, s.newUserForm(), "", notice)
}

// newUserForm is the empty form to add a user: a volunteer by default,
// where there are volunteers' pages.
func (s *Server) newUserForm() userForm {
	if s.questions == nil {
		return userForm{Role: string(account.Staff)}
	}
	return userForm{Role: string(account.Volunteer)}
}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, sess *session, status int, f userForm, msg, notice string) {
	users, err := s.accounts.Users(r.Context())
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	p := s.newPage(w, r, sess, "")
	p.Title = p.L.T("web.users.title")
	p.Error = msg
	if notice != "" {
		p.Notice = p.L.T(notice)
	}
	d := usersView{Form: f, Self: sess.Name, StaffOnly: s.questions == nil}
	for _, u := range users {
		d.Users = append(d.Users, userLine{
			Name: u.Name, Role: p.L.T("web.role." + string(u.Role)), Created: s.when(p.L, u.Created), Disabled: u.Disabled,
		})
	}
	p.Data = d
	s.render(w, r, status, "users", p)
}

func (s *Server) handleAddUser(w http.ResponseWriter, r *http.Request, sess *session) {
	f := userForm{Name: r.PostFormValue("name"), Role: r.PostFormValue("role")}
	l := s.translator(w, r, "")
	name, password := account.NormaliseName(f.Name), r.PostFormValue("password")
	role, err := account.ParseRole(f.Role)
	if s.questions == nil && role != account.Staff {
		err = errors.New("only staff accounts here")
	}
	if err != nil {
		s.showUsers(w, r, sess, http.StatusUnprocessableEntity, f, l.T("web.users.err.role"), "")
		return
	}
	if err := account.CheckName(name); err != nil {
		s.showUsers(w, r, sess, http.StatusUnprocessableEntity, f, l.Tf("web.users.err.name", map[string]any{"Max": account.MaxName}), "")
		return
	}
	if err := account.CheckPassword(password); err != nil {
		s.showUsers(w, r, sess, http.StatusUnprocessableEntity, f, passwordRefusal(l, password), "")
		return
	}
	u, err := s.accounts.CreateUser(r.Context(), name, role, password)
	switch {
	case errors.Is(err, account.ErrNameTaken):
		s.showUsers(w, r, sess, http.StatusUnprocessableEntity, f, l.T("web.users.err.taken"), "")
		return
	case errors.Is(err, account.ErrInvalid):
		s.showUsers(w, r, sess, http.StatusUnprocessableEntity, f, l.T("web.users.err.invalid"), "")
		return
	case err != nil:
		s.fail(w, r, sess, err)
		return
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: account.ActionUserAdded, Detail: u.Name + ", " + string(u.Role)})
	http.Redirect(w, r, "/users?done=added", http.StatusSeeOther)
}

// passwordRefusal says in the page's language what is wrong with a
// password account.CheckPassword refused: too long, or else the rules.
func passwordRefusal(l *catalogue.Translator, password string) string {
	if len(password) > account.MaxPasswordBytes {
		return l.Tf("web.users.err.password_long", map[string]any{"Max": account.MaxPasswordBytes})
	}
	return l.Tf("web.users.err.password", map[string]any{"Min": account.MinPassword, "MinPIN": account.MinPIN})
}

func (s *Server) handleDisableUser(w http.ResponseWriter, r *http.Request, sess *session) {
	name := account.NormaliseName(r.PostFormValue("name"))
	l := s.translator(w, r, "")
	def := s.newUserForm()
	if strings.EqualFold(name, sess.Name) {
		// The last member of staff must not lock everyone out.
		s.showUsers(w, r, sess, http.StatusUnprocessableEntity, def, l.T("web.users.err.self"), "")
		return
	}
	err := s.accounts.DisableUser(r.Context(), name)
	switch {
	case errors.Is(err, account.ErrNotFound):
		s.showUsers(w, r, sess, http.StatusNotFound, def, l.T("web.users.err.unknown"), "")
		return
	case err != nil:
		s.fail(w, r, sess, err)
		return
	}
	s.audit(r, account.Entry{Actor: sess.Name, Action: account.ActionUserDisabled, Detail: name})
	http.Redirect(w, r, "/users?done=disabled", http.StatusSeeOther)
}
