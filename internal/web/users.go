package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
)

// roles lists the roles in the order forms offer them.
var roles = []vernost.Role{vernost.RoleAgent, vernost.RoleSupervisor, vernost.RoleAdmin}

// usersView is the user list with the form to add one.
type usersView struct {
	Users []auth.User
	Form  auth.NewUser
	Error *vernost.Error
	Roles []vernost.Role
	Langs []string
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, http.StatusOK, auth.NewUser{Role: vernost.RoleAgent, Locale: defaultLang}, nil)
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, form auth.NewUser, formErr *vernost.Error) error {
	users, err := s.auth.ListUsers(r.Context())
	if err != nil {
		return err
	}
	form.Password = "" // never echoed back
	return s.render(w, r, status, "users", usersView{Users: users, Form: form, Error: formErr, Roles: roles, Langs: languages})
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	nu := auth.NewUser{
		Login:    strings.TrimSpace(r.PostFormValue("login")),
		Name:     strings.TrimSpace(r.PostFormValue("name")),
		Email:    strings.TrimSpace(r.PostFormValue("email")),
		Password: r.PostFormValue("password"),
		Role:     vernost.Role(r.PostFormValue("role")),
		Locale:   r.PostFormValue("locale"),
	}
	_, err := s.auth.CreateUser(r.Context(), nu)
	if formErr := userError(err); formErr != nil {
		return s.renderUsers(w, r, statusOf(formErr.Code), nu, formErr)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/admin/users?ok=user_created")
}

// userError returns err when the person filling the form can fix it
// (invalid input, a taken login), so the form is shown again with it.
func userError(err error) *vernost.Error {
	switch vernost.ErrorCode(err) {
	case vernost.EInvalid, vernost.EConflict:
		return asError(err)
	}
	return nil
}

// userView is one user's edit page.
type userView struct {
	User  auth.User
	Self  bool // editing one's own account: role and status are locked
	Error *vernost.Error
	Roles []vernost.Role
	Langs []string
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request) error {
	u, err := s.auth.UserByPublicID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.renderUser(w, r, http.StatusOK, u, nil)
}

func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, status int, u auth.User, formErr *vernost.Error) error {
	self := identityFrom(r.Context()).user.ID == u.ID
	return s.render(w, r, status, "user", userView{User: u, Self: self, Error: formErr, Roles: roles, Langs: languages})
}

func (s *Server) updateUser(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	u, err := s.auth.UserByPublicID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	email := strings.TrimSpace(r.PostFormValue("email"))
	locale := r.PostFormValue("locale")
	role := vernost.Role(r.PostFormValue("role"))
	active := r.PostFormValue("active") == "on"
	up := auth.UserUpdate{Name: &name, Email: &email, Locale: &locale}
	// An admin cannot demote or lock themselves out: there may be no other
	// admin to undo it.
	if identityFrom(r.Context()).user.ID != u.ID {
		up.Role, up.Active = &role, &active
	}
	updated, err := s.auth.UpdateUser(r.Context(), u.PublicID, up)
	if formErr := userError(err); formErr != nil {
		u.Name, u.Email, u.Locale = name, email, locale
		return s.renderUser(w, r, statusOf(formErr.Code), u, formErr)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/admin/users/"+url.PathEscape(updated.PublicID)+"?ok=user_saved")
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	u, err := s.auth.UserByPublicID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	err = s.auth.SetPassword(r.Context(), u.Login, r.PostFormValue("password"))
	if formErr := userError(err); formErr != nil {
		return s.renderUser(w, r, statusOf(formErr.Code), u, formErr)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/admin/users/"+url.PathEscape(u.PublicID)+"?ok=password_set")
}

// apiUser is a user as the API shows it: the public id, never the key.
type apiUser struct {
	ID        string    `json:"id" doc:"public id"`
	Login     string    `json:"login"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	Role      string    `json:"role" enum:"agent|supervisor|admin"`
	Locale    string    `json:"locale" enum:"ru|en"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func toAPIUser(u auth.User) apiUser {
	return apiUser{ID: u.PublicID, Login: u.Login, Name: u.Name, Email: u.Email, Role: string(u.Role),
		Locale: u.Locale, Active: u.Active, CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC()}
}

type apiUserList struct {
	Users []apiUser `json:"users"`
}

// apiNewUser is the body of POST /api/v1/users.
type apiNewUser struct {
	Login    string `json:"login"`
	Name     string `json:"name"`
	Email    string `json:"email,omitempty"`
	Password string `json:"password"`
	Role     string `json:"role" enum:"agent|supervisor|admin"`
	Locale   string `json:"locale,omitempty" enum:"ru|en"`
}

func (s *Server) apiListUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.auth.ListUsers(r.Context())
	if err != nil {
		return err
	}
	out := apiUserList{Users: make([]apiUser, len(users))}
	for i, u := range users {
		out.Users[i] = toAPIUser(u)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiGetUser(w http.ResponseWriter, r *http.Request) error {
	u, err := s.auth.UserByPublicID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAPIUser(u))
	return nil
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) error {
	var in apiNewUser
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u, err := s.auth.CreateUser(r.Context(), auth.NewUser{Login: in.Login, Name: in.Name, Email: in.Email,
		Password: in.Password, Role: vernost.Role(in.Role), Locale: in.Locale})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/users/"+url.PathEscape(u.PublicID))
	writeJSON(w, http.StatusCreated, toAPIUser(u))
	return nil
}

// apiMe is the answer of GET /api/v1/me.
type apiMe struct {
	User   apiUser  `json:"user"`
	Via    string   `json:"via" enum:"session|token"`
	Scopes []string `json:"scopes,omitempty" doc:"the token's scopes, when called with a token"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	id := identityFrom(r.Context())
	me := apiMe{User: toAPIUser(id.user), Via: "session"}
	if id.token != nil {
		me.Via, me.Scopes = "token", id.token.Scopes
	}
	writeJSON(w, http.StatusOK, me)
	return nil
}
