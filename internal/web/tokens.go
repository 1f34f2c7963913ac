package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
)

// tokensView is the token list with the form to create one.
type tokensView struct {
	Tokens    []tokenRow
	Users     []auth.User // active users, as possible owners
	Scopes    []string
	Form      tokenForm
	Error     *vernost.Error
	Plaintext string // the new token, shown this once
	Created   string // its name
}

type tokenRow struct {
	auth.Token
	Owner string
}

type tokenForm struct {
	Name   string
	Owner  string // public id
	Scopes []string
}

func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request) error {
	form := tokenForm{Owner: identityFrom(r.Context()).user.PublicID, Scopes: []string{auth.ScopeCustomersRead}}
	return s.renderTokens(w, r, http.StatusOK, tokensView{Form: form})
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, v tokensView) error {
	ctx := r.Context()
	users, err := s.auth.ListUsers(ctx)
	if err != nil {
		return err
	}
	tokens, err := s.auth.ListTokens(ctx)
	if err != nil {
		return err
	}
	login := make(map[int64]string, len(users))
	for _, u := range users {
		login[u.ID] = u.Login
		if u.Active {
			v.Users = append(v.Users, u)
		}
	}
	for _, t := range tokens {
		v.Tokens = append(v.Tokens, tokenRow{Token: t, Owner: login[t.UserID]})
	}
	v.Scopes = auth.Scopes
	return s.render(w, r, status, "tokens", v)
}

// createToken makes a token and shows its plaintext in this answer only:
// the service keeps a hash, so nobody can see it again.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	form := tokenForm{Name: strings.TrimSpace(r.PostFormValue("name")), Owner: r.PostFormValue("owner"), Scopes: r.PostForm["scope"]}
	fail := func(err *vernost.Error) error {
		return s.renderTokens(w, r, statusOf(err.Code), tokensView{Form: form, Error: err})
	}
	for _, sc := range form.Scopes {
		if !slices.Contains(auth.Scopes, sc) {
			return fail(vernost.Invalid("scope", "unknown scope %q", sc))
		}
	}
	if len(form.Scopes) == 0 {
		return fail(vernost.Invalid("scope", "choose at least one scope"))
	}
	owner, err := s.auth.UserByPublicID(r.Context(), form.Owner)
	if vernost.ErrorCode(err) == vernost.ENotFound {
		return fail(vernost.Invalid("owner", "choose the user the token acts for"))
	}
	if err != nil {
		return err
	}
	plaintext, _, err := s.auth.CreateToken(r.Context(), owner.ID, form.Name, form.Scopes)
	if formErr := userError(err); formErr != nil {
		return fail(formErr)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.renderTokens(w, r, http.StatusCreated, tokensView{
		Form: tokenForm{Owner: owner.PublicID, Scopes: []string{auth.ScopeCustomersRead}}, Plaintext: plaintext, Created: form.Name,
	})
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	if err := s.auth.RevokeToken(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/admin/tokens?ok=token_revoked")
}
