package importer

import (
	"fmt"
	"strings"

	"github.com/vernost/vernost/internal/customer"
	"github.com/vernost/vernost/internal/tabular"
)

// Fields are the columns an import understands, with the titles older
// systems give them. "attr:KEY" columns fill custom attributes.
var Fields = []tabular.FieldSpec{
	{Name: "full_name", Synonyms: []string{"ФИО", "Ф.И.О.", "Клиент", "Покупатель", "Контрагент", "name", "full name", "customer"}},
	{Name: "family_name", Synonyms: []string{"Фамилия", "last name", "surname", "family name", "lastname"}},
	{Name: "given_name", Synonyms: []string{"Имя", "first name", "given name", "firstname", "forename"}},
	{Name: "patronymic", Synonyms: []string{"Отчество", "middle name", "patronymic", "middlename"}},
	{Name: "preferred_name", Synonyms: []string{"Обращение", "Как обращаться", "preferred name", "salutation", "nickname"}},
	{Name: "address_form", Synonyms: []string{"Форма обращения", "На ты или на вы", "address form"}},
	{Name: "pronunciation", Synonyms: []string{"Произношение", "Ударение", "pronunciation"}},
	{Name: "birth_date", Synonyms: []string{"Дата рождения", "День рождения", "Др", "birthday", "birth date", "date of birth", "dob"}},
	{Name: "persona", Synonyms: []string{"Персона", "Тип клиента", "persona"}},
	{Name: "preferred_channel", Synonyms: []string{"Канал", "Предпочтительный канал", "preferred channel", "channel"}},
	{Name: "language", Synonyms: []string{"Язык", "language", "lang"}},
	{Name: "time_zone", Synonyms: []string{"Часовой пояс", "time zone", "timezone", "tz"}},
	{Name: "wish", Synonyms: []string{"Пожелание", "Пожелания", "wish", "wishes"}},
	{Name: "phone", Multiple: true, Synonyms: []string{"Телефон", "Тел", "Мобильный", "Моб. телефон", "Сотовый", "phone", "mobile", "cell", "telephone"}},
	{Name: "email", Multiple: true, Synonyms: []string{"E-mail", "Email", "Эл. почта", "Электронная почта", "Почта", "mail", "e-mail address"}},
	{Name: "telegram", Synonyms: []string{"Telegram", "Телеграм", "Телеграмм", "tg"}},
	{Name: "whatsapp", Synonyms: []string{"WhatsApp", "Ватсап", "wa"}},
	{Name: "vk", Synonyms: []string{"VK", "ВКонтакте", "Вконтакте", "vkontakte"}},
	{Name: "external_id", Multiple: true, Synonyms: []string{"Внешний ID", "Код", "Код 1С", "ID 1C", "external id", "external_id", "code"}},
	{Name: "tags", Synonyms: []string{"Теги", "Метки", "Группа", "tags", "labels", "segment"}},
	{Name: "hobby", Synonyms: []string{"Хобби", "Увлечения", "hobby", "hobbies", "interests"}},
	{Name: "note", Multiple: true, Synonyms: []string{"Примечание", "Комментарий", "Заметка", "note", "notes", "comment"}},
}

// isField reports whether name is a column name an import understands.
func isField(name string) bool {
	if strings.HasPrefix(name, "attr:") && len(name) > 5 {
		return true
	}
	for _, f := range Fields {
		if f.Name == name {
			return true
		}
	}
	return false
}

// toInput turns a row's values by field into a customer input. An empty
// cell means "not given", so a file never blanks what a card already has.
// The external system defaults to the import's when a cell has no prefix.
func toInput(values map[string][]string, externalSystem string) customer.Input {
	var in customer.Input
	first := func(name string) *string {
		for _, v := range values[name] {
			if v = strings.TrimSpace(v); v != "" {
				return &v
			}
		}
		return nil
	}
	in.FamilyName, in.GivenName, in.Patronymic = first("family_name"), first("given_name"), first("patronymic")
	if full := first("full_name"); full != nil && in.FamilyName == nil && in.GivenName == nil {
		fam, giv, pat := tabular.SplitFullName(*full)
		in.FamilyName, in.GivenName, in.Patronymic = nonEmpty(fam), nonEmpty(giv), nonEmpty(pat)
	}
	in.PreferredName, in.AddressForm, in.Pronunciation = first("preferred_name"), first("address_form"), first("pronunciation")
	in.BirthDate, in.Persona, in.PreferredChannel = first("birth_date"), first("persona"), first("preferred_channel")
	in.Language, in.TimeZone, in.Wish = first("language"), first("time_zone"), first("wish")
	for _, kind := range []string{"phone", "email", "telegram", "whatsapp", "vk", "external_id"} {
		for _, cell := range values[kind] {
			for _, v := range splitList(cell, kind) {
				k := kind
				if kind == "external_id" {
					k = "external"
					if !strings.Contains(v, ":") {
						v = externalSystem + ":" + v
					}
				}
				in.Identities = append(in.Identities, customer.IdentityInput{Kind: k, Value: v})
			}
		}
	}
	for _, cell := range values["tags"] {
		in.Tags = append(in.Tags, splitList(cell, "tags")...)
	}
	if h := first("hobby"); h != nil {
		in.Facts = append(in.Facts, customer.FactInput{Kind: "hobby", Text: *h})
	}
	for _, cell := range values["note"] {
		if cell = strings.TrimSpace(cell); cell != "" {
			in.Facts = append(in.Facts, customer.FactInput{Kind: "other", Text: cell})
		}
	}
	for name, cells := range values {
		if key, ok := strings.CutPrefix(name, "attr:"); ok && len(cells) > 0 && strings.TrimSpace(cells[0]) != "" {
			if in.Attributes == nil {
				in.Attributes = map[string]string{}
			}
			in.Attributes[key] = strings.TrimSpace(cells[0])
		}
	}
	return in
}

// splitList splits a cell holding several values. Phones and emails are
// separated by commas, semicolons or new lines; a phone never contains them.
func splitList(cell, kind string) []string {
	seps := ",;\n"
	if kind == "external_id" {
		seps = ";\n"
	}
	var out []string
	for _, v := range strings.FieldsFunc(cell, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ParseMapping reads "Column=field,Other=field" overrides from the command
// line or a form.
func ParseMapping(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		col, field, ok := strings.Cut(pair, "=")
		col, field = strings.TrimSpace(col), strings.TrimSpace(field)
		if !ok || col == "" {
			return nil, fmt.Errorf("mapping %q: want Column=field", pair)
		}
		if field != "" && field != "-" && !isField(field) {
			return nil, fmt.Errorf("mapping %q: unknown field %q", pair, field)
		}
		out[col] = field
	}
	return out, nil
}
