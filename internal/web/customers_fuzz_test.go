package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/customer"
)

// FuzzReadCustomerForm: any posted form is read without panicking, and
// the identity rows stay in step with the input's identities, which is what
// puts each "identities[i]" error beside its row.
func FuzzReadCustomerForm(f *testing.F) {
	f.Add("family_name=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0&identity_kind=phone&identity_value=8916&version=3")
	f.Add("identity_value=&identity_value=a%40b.ru&identity_kind=email")
	f.Add("identity_kind=phone&identity_kind=email&identity_value=1&identity_value=2&identity_value=3&attr.card_no=")
	f.Add("version=-1&tags=%2C%2C&manager=")
	f.Add("%zz=1&family_name")
	defs := []customer.AttributeDef{{Key: "card_no", Type: "text"}}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest("POST", "/customers", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, isNew := range []bool{true, false} {
			in, form, err := readCustomerForm(r, defs, "ru", isNew)
			if err != nil {
				if code := vernost.ErrorCode(err); code != vernost.EInvalid {
					t.Fatalf("error %v (%s), want invalid input", err, code)
				}
				continue
			}
			if len(in.Identities) != len(form.Identities) {
				t.Fatalf("%d identities but %d rows", len(in.Identities), len(form.Identities))
			}
			for i, id := range in.Identities {
				if form.Identities[i].Value != id.Value || form.Identities[i].Kind != id.Kind || strings.TrimSpace(id.Value) == "" {
					t.Fatalf("row %d %+v does not match identity %+v", i, form.Identities[i], id)
				}
			}
			if in.Version < 0 {
				t.Fatalf("negative version %d accepted", in.Version)
			}
		}
	})
}

// FuzzImportFormOptions: the import form's choices either give options or
// an invalid-input error naming the field, never a panic.
func FuzzImportFormOptions(f *testing.F) {
	f.Add("Тел=phone, Код=-", "windows-1251", ";", "Тел", "", "phone")
	f.Add("=", "", "tab", "a", "b", "")
	f.Add("a=b=c,,", "utf-8", "|", "", "", "")
	f.Fuzz(func(t *testing.T, mapping, encoding, delimiter, title, guess, field string) {
		form := url.Values{"map_title": {title}, "map_guess": {guess}, "map_field": {field}}
		opt, err := importFormOptions(importForm{Mapping: mapping, Encoding: encoding, Delimiter: delimiter}, form)
		if err != nil {
			if vernost.ErrorCode(err) != vernost.EInvalid || vernost.ErrorField(err) == "" {
				t.Fatalf("error %v, want invalid input naming a field", err)
			}
			return
		}
		if _, mapped := opt.Mapping[title]; field != guess && !mapped {
			t.Fatalf("the changed column %q is not in the mapping %v", title, opt.Mapping)
		}
	})
}
